//! Request parameters: the query string of a page or an API call, checked and bounded, turned
//! into the same [`Query`] the command line builds from its flags.
//!
//! Every value is bounded in length and count, unknown names are refused (a typo such as
//! `contry=FR` would otherwise widen a search silently), and empty values count as absent, since
//! an HTML form sends its empty fields too.

use crate::query::Query;

/// The longest value of one parameter, in bytes.
pub const MAX_VALUE: usize = 1000;
/// The most values one parameter may repeat.
pub const MAX_REPEAT: usize = 20;
/// The most passages one page or call returns.
pub const MAX_LIMIT: usize = 100;
/// The deepest a page may start: paging past it means the query should be narrowed.
pub const MAX_OFFSET: usize = 1000;
/// Passages a page shows when `limit` is absent.
pub const DEFAULT_LIMIT: usize = 10;

/// The parameters of a search, facet count or saved-query run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Params {
    /// The query text (`q`), in the search language of the command line.
    pub q: String,
    /// `agency`: IDs or names, any of which an article must name.
    pub agency: Vec<String>,
    /// `country`: codes or names.
    pub country: Vec<String>,
    /// `lang`: ISO 639-1 codes.
    pub lang: Vec<String>,
    /// `since`: YYYY, YYYY-MM or YYYY-MM-DD.
    pub since: Option<String>,
    /// `until`: YYYY, YYYY-MM or YYYY-MM-DD.
    pub until: Option<String>,
    /// `dates`: `any` (default) or `sure`, as `--dates`.
    pub dates: Option<String>,
    /// `undated`: `include`, `exclude` or `only`, as `--undated`.
    pub undated: Option<String>,
    /// `seen_since`: YYYY, YYYY-MM or YYYY-MM-DD, as `--seen-since`.
    pub seen_since: Option<String>,
    /// `limit`: passages to return.
    pub limit: usize,
    /// `offset`: passages to skip, for paging.
    pub offset: usize,
    /// `new`: a saved query reports only what its last recorded run did not.
    pub new: bool,
    /// `copies`: `one` (default) shows a story's best-ranked copy, `all` every copy.
    pub copies: Option<String>,
    /// `all_words`: only articles holding every clause of the query, as `--all-words`.
    pub all_words: bool,
}

/// A parameter that cannot be used, with the message for the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadParam(pub String);

impl std::fmt::Display for BadParam {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Params {
    /// Reads decoded `name=value` pairs, accepting only the names in `allowed`.
    pub fn parse(pairs: &[(String, String)], allowed: &[&str]) -> Result<Params, BadParam> {
        let mut p = Params {
            limit: DEFAULT_LIMIT,
            ..Params::default()
        };
        let mut seen: Vec<(&str, usize)> = Vec::new();
        for (name, value) in pairs {
            let Some(&known) = allowed.iter().find(|a| **a == name.as_str()) else {
                let shown: String = name.chars().take(40).collect();
                return Err(BadParam(format!(
                    "unknown parameter '{shown}'; this page takes {}",
                    allowed.join(", ")
                )));
            };
            if value.len() > MAX_VALUE {
                return Err(BadParam(format!(
                    "parameter '{known}' is {} bytes long; at most {MAX_VALUE} are taken",
                    value.len()
                )));
            }
            match seen.iter_mut().find(|(n, _)| *n == known) {
                Some((_, count)) if *count >= MAX_REPEAT => {
                    return Err(BadParam(format!(
                        "parameter '{known}' is repeated more than {MAX_REPEAT} times"
                    )))
                }
                Some((_, count)) => *count += 1,
                None => seen.push((known, 1)),
            }
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match known {
                "q" => {
                    if !p.q.is_empty() {
                        p.q.push(' ');
                    }
                    p.q.push_str(value);
                }
                "agency" => p.agency.push(value.to_string()),
                "country" => p.country.push(value.to_string()),
                "lang" => p.lang.push(value.to_string()),
                "since" => p.since = Some(value.to_string()),
                "until" => p.until = Some(value.to_string()),
                "dates" => p.dates = Some(value.to_string()),
                "undated" => p.undated = Some(value.to_string()),
                "seen_since" => p.seen_since = Some(value.to_string()),
                "limit" => p.limit = number(known, value, 1, MAX_LIMIT)?,
                "offset" => p.offset = number(known, value, 0, MAX_OFFSET)?,
                "new" => p.new = flag(known, value)?,
                "all_words" => p.all_words = flag(known, value)?,
                "copies" => match value {
                    "one" | "all" => p.copies = Some(value.to_string()),
                    _ => {
                        return Err(BadParam(
                            "parameter 'copies' takes 'one' or 'all'".to_string(),
                        ))
                    }
                },
                _ => {}
            }
        }
        Ok(p)
    }

    /// Whether every copy of a story is asked for (`copies=all`).
    pub fn all_copies(&self) -> bool {
        self.copies.as_deref() == Some("all")
    }

    /// The query the command line would build from the same words and flags; errors name the
    /// parameter at fault.
    pub fn query(&self) -> Result<Query, BadParam> {
        let bad = |name: &str, e: crate::Error| BadParam(format!("{name}: {e}"));
        let mut query = Query::parse(&self.q).map_err(|e| bad("q", e))?;
        for a in &self.agency {
            query = query.agency(a).map_err(|e| bad("agency", e))?;
        }
        for c in &self.country {
            query = query.country(c).map_err(|e| bad("country", e))?;
        }
        for l in &self.lang {
            query = query.language(l).map_err(|e| bad("lang", e))?;
        }
        if let Some(s) = &self.since {
            query.since = Some(s.parse().map_err(|e| bad("since", e))?);
        }
        if let Some(u) = &self.until {
            query.until = Some(u.parse().map_err(|e| bad("until", e))?);
        }
        if let Some(d) = &self.dates {
            query.dates = d.parse().map_err(|e| bad("dates", e))?;
        }
        if let Some(u) = &self.undated {
            query.undated = Some(u.parse().map_err(|e| bad("undated", e))?);
        }
        if let Some(s) = &self.seen_since {
            query.seen_since = Some(s.parse().map_err(|e| bad("seen_since", e))?);
        }
        if let (Some(s), Some(u)) = query.date_range() {
            if s > u {
                return Err(BadParam(format!(
                    "since {s} is after until {u}: nothing can match; swap them"
                )));
            }
        }
        Ok(query)
    }

    /// The filters and, when not the default, the page size: what a link to another page of
    /// the same results keeps.
    pub fn page_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = self.filter_pairs();
        if self.limit != DEFAULT_LIMIT {
            out.push(("limit", self.limit.to_string()));
        }
        out
    }

    /// The filters as `name=value` pairs, for links that keep them (paging, facet bars).
    pub fn filter_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if !self.q.is_empty() {
            out.push(("q", self.q.clone()));
        }
        out.extend(self.agency.iter().map(|v| ("agency", v.clone())));
        out.extend(self.country.iter().map(|v| ("country", v.clone())));
        out.extend(self.lang.iter().map(|v| ("lang", v.clone())));
        out.extend(self.since.iter().map(|v| ("since", v.clone())));
        out.extend(self.until.iter().map(|v| ("until", v.clone())));
        out.extend(self.copies.iter().map(|v| ("copies", v.clone())));
        if self.all_words {
            out.push(("all_words", "true".to_string()));
        }
        out.extend(self.dates.iter().map(|v| ("dates", v.clone())));
        out.extend(self.undated.iter().map(|v| ("undated", v.clone())));
        out.extend(self.seen_since.iter().map(|v| ("seen_since", v.clone())));
        out
    }
}

fn number(name: &str, value: &str, min: usize, max: usize) -> Result<usize, BadParam> {
    match value.parse::<usize>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(BadParam(format!(
            "parameter '{name}' must be a whole number from {min} to {max}, not '{}'",
            value.chars().take(40).collect::<String>()
        ))),
    }
}

fn flag(name: &str, value: &str) -> Result<bool, BadParam> {
    match value {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(BadParam(format!(
            "parameter '{name}' must be true or false, not '{}'",
            value.chars().take(40).collect::<String>()
        ))),
    }
}

/// Encodes pairs as a query string (`a=1&b=x%20y`), for links.
pub fn encode(pairs: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        for b in value.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    out.push(b as char)
                }
                _ => out.push_str(&format!("%{b:02X}")),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: &[&str] = &[
        "q", "agency", "country", "lang", "since", "until", "limit", "offset", "new", "copies",
    ];

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn reads_filters_into_the_same_query_as_the_cli() {
        let p = Params::parse(
            &pairs(&[
                ("q", "recruit"),
                ("agency", "Ministry of State Security"),
                ("country", "FR"),
                ("since", "2018"),
                ("agency", ""),
            ]),
            ALL,
        )
        .unwrap();
        let q = p.query().unwrap();
        let cli = Query::parse("recruit")
            .unwrap()
            .agency("MSS")
            .unwrap()
            .country("FR")
            .unwrap();
        assert_eq!(q.agencies, cli.agencies);
        assert_eq!(q.countries, cli.countries);
        assert_eq!(q.expr, cli.expr);
        assert_eq!(q.since.unwrap().to_string(), "2018");
    }

    #[test]
    fn refuses_unknown_long_repeated_and_out_of_range_values() {
        let e = Params::parse(&pairs(&[("contry", "FR")]), ALL).unwrap_err();
        assert!(e.0.contains("unknown parameter 'contry'"), "{e}");
        let long = "x".repeat(MAX_VALUE + 1);
        assert!(Params::parse(&pairs(&[("q", &long)]), ALL).is_err());
        let many: Vec<(String, String)> = (0..=MAX_REPEAT)
            .map(|_| ("agency".to_string(), "MSS".to_string()))
            .collect();
        assert!(Params::parse(&many, ALL)
            .unwrap_err()
            .0
            .contains("repeated"));
        for bad in ["0", "101", "-1", "ten"] {
            assert!(
                Params::parse(&pairs(&[("limit", bad)]), ALL).is_err(),
                "{bad}"
            );
        }
        assert!(Params::parse(&pairs(&[("offset", "1001")]), ALL).is_err());
        assert!(Params::parse(&pairs(&[("new", "maybe")]), ALL).is_err());
        let q = Params::parse(&pairs(&[("q", "a")]), &["limit"]);
        assert!(q.is_err());
    }

    #[test]
    fn bad_values_name_the_parameter() {
        let p = Params::parse(&pairs(&[("agency", "Nonexistent Bureau")]), ALL).unwrap();
        assert!(p
            .query()
            .unwrap_err()
            .0
            .starts_with("agency: unknown agency"));
        let p = Params::parse(&pairs(&[("since", "2019-13")]), ALL).unwrap();
        assert!(p.query().unwrap_err().0.starts_with("since: bad date"));
        let p = Params::parse(&pairs(&[("since", "2020"), ("until", "2019")]), ALL).unwrap();
        assert!(p.query().unwrap_err().0.contains("swap them"));
        let p = Params::parse(&pairs(&[("q", "\"unclosed")]), ALL).unwrap();
        assert!(p.query().unwrap_err().0.starts_with("q: "));
        let e = Params::parse(&pairs(&[("copies", "some")]), ALL).unwrap_err();
        assert!(e.0.contains("'copies'"), "{e}");
        let p = Params::parse(&pairs(&[("copies", "all")]), ALL).unwrap();
        assert!(p.all_copies() && p.filter_pairs().contains(&("copies", "all".into())));
    }

    #[test]
    fn encodes_links_that_decode_back() {
        let s = encode(&[("q", "a b&c=\"d\"".into()), ("agency", "MSS".into())]);
        assert_eq!(s, "q=a%20b%26c%3D%22d%22&agency=MSS");
    }
}
