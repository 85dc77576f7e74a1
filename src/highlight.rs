//! Exact highlights: the places in a text where a query matches, as byte ranges.
//!
//! A highlight marks what the search matched, no more: a phrase is one span where its words
//! stand together, and its words alone are not marked elsewhere; a `"phrase"~N` or `a NEAR/N b`
//! marks its words only where they stand close enough; `spy*` marks the words it begins;
//! `Snowdon~` the words within its edits. Words go through the text's language analysis
//! ([`crate::lang::analysis`]), as the index holds them, so `officers` marks `Officer`.

use std::collections::{HashMap, HashSet};

use crate::lang::Analyzer;
use crate::query::Node;
use crate::terms;

/// Terms with their positions from the first, as [`Analyzer::query_phrase`] gives them.
type Reading = Vec<(usize, String)>;

/// What one query clause marks.
#[derive(Debug, Clone)]
enum Pattern {
    /// A word or phrase: its readings in each language, with the words allowed among its own.
    Phrase { readings: Vec<Reading>, slop: u32 },
    /// Two words or phrases, in either order, at most `distance` words apart.
    Near {
        a: Vec<Reading>,
        b: Vec<Reading>,
        distance: u32,
    },
    /// Words starting with one of `prefixes` (folded, not stemmed), or equal to one of `stems`.
    Prefix {
        prefixes: Vec<String>,
        stems: Vec<String>,
    },
    /// The word's own terms, and words within their edits of one of `forms` (form, edits).
    Fuzzy {
        terms: Vec<String>,
        forms: Vec<(String, u8)>,
    },
    /// Any of these terms (words the search respelled).
    Terms(HashSet<String>),
}

/// Finds where a query's clauses match in a text.
#[derive(Debug, Clone, Default)]
pub struct Highlighter {
    patterns: Vec<Pattern>,
}

/// One token of the text: its term, position and byte range.
struct Tok<'a> {
    term: &'a str,
    position: usize,
    from: usize,
    to: usize,
}

impl Highlighter {
    /// The highlighter of `leaves` (word, phrase, prefix, fuzzy and NEAR clauses, see
    /// [`crate::query::Expr::positive_leaves`]), read in each of `analyzers`' languages.
    pub fn new(leaves: &[&Node], analyzers: &[Analyzer]) -> Highlighter {
        let readings = |text: &str| -> Vec<Reading> {
            let mut out: Vec<Reading> = Vec::new();
            for a in analyzers {
                let r = a.query_phrase(text);
                if !r.is_empty() && !out.contains(&r) {
                    out.push(r);
                }
            }
            out
        };
        let mut patterns = Vec::new();
        for node in leaves {
            let pattern = match node {
                Node::Word(_, text) | Node::Phrase(_, text) => Pattern::Phrase {
                    readings: readings(text),
                    slop: 0,
                },
                Node::Sloppy(_, text, slop) => Pattern::Phrase {
                    readings: readings(text),
                    slop: *slop,
                },
                Node::Near(_, a, b, distance) => Pattern::Near {
                    a: readings(a),
                    b: readings(b),
                    distance: *distance,
                },
                Node::Prefix(_, text) => {
                    let mut prefixes = Vec::new();
                    let mut stems = Vec::new();
                    for a in analyzers {
                        prefixes.extend(a.unstemmed().query_terms(text));
                        stems.extend(a.query_terms(text));
                    }
                    prefixes.sort_unstable();
                    prefixes.dedup();
                    stems.sort_unstable();
                    stems.dedup();
                    Pattern::Prefix { prefixes, stems }
                }
                Node::Fuzzy(_, text, edits) => {
                    let mut terms: Vec<String> =
                        analyzers.iter().flat_map(|a| a.query_terms(text)).collect();
                    terms.sort_unstable();
                    terms.dedup();
                    let mut forms: Vec<(String, u8)> = Vec::new();
                    for a in analyzers {
                        for form in terms::fuzzy_forms(*a, text) {
                            let e = terms::edits_asked(form.chars().count(), *edits);
                            if e > 0 && !forms.iter().any(|(f, _)| *f == form) {
                                forms.push((form, e));
                            }
                        }
                    }
                    Pattern::Fuzzy { terms, forms }
                }
                Node::Or(_) | Node::And(_) | Node::Not(_) => continue,
            };
            patterns.push(pattern);
        }
        Highlighter { patterns }
    }

    /// Also marks these index terms (the respellings a search added to a word).
    pub fn with_terms(mut self, terms: impl IntoIterator<Item = String>) -> Highlighter {
        let terms: HashSet<String> = terms.into_iter().collect();
        if !terms.is_empty() {
            self.patterns.push(Pattern::Terms(terms));
        }
        self
    }

    /// Whether nothing would ever be marked.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The byte ranges of `text` the query matches, read by `analyzer` (the text's language),
    /// sorted; ranges that touch or overlap are one.
    pub fn find(&self, analyzer: Analyzer, text: &str) -> Vec<(usize, usize)> {
        if self.patterns.is_empty() || text.is_empty() {
            return Vec::new();
        }
        let tokens = analyzer.index_tokens(text);
        let toks: Vec<Tok> = tokens
            .iter()
            .map(|t| Tok {
                term: &t.text,
                position: t.position,
                from: t.offset_from,
                to: t.offset_to,
            })
            .collect();
        let mut by_term: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, t) in toks.iter().enumerate() {
            by_term.entry(t.term).or_default().push(i);
        }
        let mut spans = Vec::new();
        for p in &self.patterns {
            match p {
                Pattern::Phrase { readings, slop } => {
                    for r in readings {
                        for m in occurrences(r, *slop, &toks, &by_term) {
                            push_match(&m, *slop == 0, &toks, &mut spans);
                        }
                    }
                }
                Pattern::Near { a, b, distance } => {
                    let of = |rs: &[Reading]| -> Vec<Vec<usize>> {
                        rs.iter()
                            .flat_map(|r| occurrences(r, 0, &toks, &by_term))
                            .collect()
                    };
                    let (xs, ys) = (of(a), of(b));
                    for x in &xs {
                        for y in &ys {
                            if gap(x, y, &toks).is_some_and(|g| g <= *distance as usize) {
                                push_match(x, true, &toks, &mut spans);
                                push_match(y, true, &toks, &mut spans);
                            }
                        }
                    }
                }
                Pattern::Prefix { prefixes, stems } => {
                    for t in &toks {
                        if stems.iter().any(|s| s == t.term)
                            || prefixes.iter().any(|p| t.term.starts_with(p.as_str()))
                        {
                            spans.push((t.from, t.to));
                        }
                    }
                }
                Pattern::Fuzzy { terms, forms } => {
                    for t in &toks {
                        if terms.iter().any(|w| w == t.term)
                            || forms
                                .iter()
                                .any(|(w, e)| strsim::osa_distance(w, t.term) <= *e as usize)
                        {
                            spans.push((t.from, t.to));
                        }
                    }
                }
                Pattern::Terms(set) => {
                    for t in toks.iter().filter(|t| set.contains(t.term)) {
                        spans.push((t.from, t.to));
                    }
                }
            }
        }
        merge(spans)
    }
}

/// Every place `reading` occurs: the indices of its tokens, in order. With a `slop`, as in the
/// index's sloppy phrase matching, each word may stand up to `slop` positions away from where
/// the phrase puts it relative to the word before, in either direction (so two words may swap
/// places when the slop is at least two).
fn occurrences(
    reading: &Reading,
    slop: u32,
    toks: &[Tok],
    by_term: &HashMap<&str, Vec<usize>>,
) -> Vec<Vec<usize>> {
    let Some((_, first)) = reading.first() else {
        return Vec::new();
    };
    let Some(starts) = by_term.get(first.as_str()) else {
        return Vec::new();
    };
    let slop = slop as i64;
    let mut out = Vec::new();
    'start: for &s in starts {
        let mut matched = vec![s];
        // Where the phrase's first word would stand, from the last word matched.
        let mut anchor = toks[s].position as i64;
        for (offset, term) in &reading[1..] {
            let offset = *offset as i64;
            let Some(&next) = by_term.get(term.as_str()).and_then(|c| {
                c.iter()
                    .filter(|i| !matched.contains(i))
                    .filter(|&&i| (toks[i].position as i64 - offset - anchor).abs() <= slop)
                    .min_by_key(|&&i| (toks[i].position as i64 - offset - anchor).abs())
            }) else {
                continue 'start;
            };
            anchor = toks[next].position as i64 - offset;
            matched.push(next);
        }
        out.push(matched);
    }
    out
}

/// The words between two occurrences, in positions, or `None` where they overlap.
fn gap(x: &[usize], y: &[usize], toks: &[Tok]) -> Option<usize> {
    let span = |m: &[usize]| {
        let ps = m.iter().map(|&i| toks[i].position);
        (ps.clone().min().unwrap_or(0), ps.max().unwrap_or(0))
    };
    let ((xa, xb), (ya, yb)) = (span(x), span(y));
    if ya > xb {
        Some(ya - xb - 1)
    } else if xa > yb {
        Some(xa - yb - 1)
    } else {
        None
    }
}

/// Adds the spans of one occurrence: one span from its first word to its last when `whole`
/// (an exact phrase), else one a word.
fn push_match(m: &[usize], whole: bool, toks: &[Tok], spans: &mut Vec<(usize, usize)>) {
    if whole {
        let from = m.iter().map(|&i| toks[i].from).min();
        let to = m.iter().map(|&i| toks[i].to).max();
        if let (Some(from), Some(to)) = (from, to) {
            spans.push((from, to));
        }
    } else {
        spans.extend(m.iter().map(|&i| (toks[i].from, toks[i].to)));
    }
}

/// Sorts spans and joins those that overlap (a Chinese word and a word inside it).
fn merge(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    spans.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (a, b) in spans {
        match out.last_mut() {
            Some(last) if a < last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang;
    use crate::query::Expr;

    fn marked(query: &str, text: &str) -> Vec<String> {
        let e: Expr = query.parse().unwrap();
        let en = lang::analyzer("en");
        Highlighter::new(&e.positive_leaves(), &[en])
            .find(en, text)
            .into_iter()
            .map(|(s, e)| text[s..e].to_string())
            .collect()
    }

    #[test]
    fn a_phrase_is_one_span_and_its_words_are_not_marked_alone() {
        assert_eq!(
            marked(
                "\"Ministry of State Security\"",
                "The Ministry of State Security, not the state's security service, said"
            ),
            ["Ministry of State Security"]
        );
        assert_eq!(
            marked(
                "officer \"state security\" -paris",
                "Officers of State Security in Paris"
            ),
            ["Officers", "State Security"]
        );
    }

    #[test]
    fn proximity_marks_words_only_where_they_are_close() {
        let text = "Brennan spoke. Later, after a long day of hearings, Comey and Brennan met.";
        assert_eq!(marked("Brennan NEAR/2 Comey", text), ["Comey", "Brennan"]);
        assert_eq!(
            marked(
                "\"recruit officers\"~2",
                "they recruit two young officers; officers"
            ),
            ["recruit", "officers"]
        );
        assert!(marked("\"recruit officers\"~1", "recruit two young officers").is_empty());
        assert_eq!(
            marked("\"officers recruit\"~2", "they recruit officers"),
            ["recruit", "officers"]
        );
    }

    #[test]
    fn prefix_and_fuzzy_mark_the_words_they_find() {
        assert_eq!(
            marked("spy*", "Spyware, spies and spying; a spider"),
            ["Spyware", "spies", "spying"]
        );
        assert_eq!(
            marked("Snowdon~", "Edward Snowden and Snowdonia"),
            ["Snowden"]
        );
    }

    #[test]
    fn words_and_respellings() {
        let e: Expr = "sécurité".parse().unwrap();
        let fr = lang::analyzer("fr");
        let h = Highlighter::new(&e.positive_leaves(), &[fr]).with_terms(["dgse".to_string()]);
        let text = "La securite de la DGSE";
        let got: Vec<&str> = h.find(fr, text).iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(got, ["securite", "DGSE"]);
        assert!(marked("agency:dgse", "The DGSE said").is_empty());
    }
}
