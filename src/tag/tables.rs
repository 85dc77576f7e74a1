//! The two alias tables, parsed once from the data files compiled into the binary:
//! `agencies.toml` (intelligence and security services), `countries.tsv` (every ISO 3166-1
//! entry) and `former.tsv` (states that no longer exist). Both live beside this file so that a contributor extends them without touching code;
//! the tests in `mod.rs` check every entry (IDs, country codes, successors, alias clashes).

use std::sync::LazyLock;

use serde::Deserialize;

const AGENCIES_TOML: &str = include_str!("agencies.toml");
const COUNTRIES_TSV: &str = include_str!("countries.tsv");
const FORMER_TSV: &str = include_str!("former.tsv");

/// An intelligence or security service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    /// Canonical ID: the usual acronym, with a country suffix where two services share one.
    pub id: &'static str,
    /// ISO 3166-1 alpha-2 code of the owning state (for a defunct state, its main successor).
    pub country: &'static str,
    /// Every alias (English, native, acronyms, informal); the first is the main English name.
    pub names: Vec<&'static str>,
    /// English names, the main one first.
    pub english: Vec<&'static str>,
    /// Names in the service's own language, in Latin and in native script.
    pub native: Vec<&'static str>,
    /// Acronyms, in either script, as they are written.
    pub acronyms: Vec<&'static str>,
    /// Informal forms used by the press ("French foreign intelligence").
    pub informal: Vec<&'static str>,
    /// Acronyms this service shares with another one that owns them; a mention is this service
    /// only when the document's context says so (see `rules.rs`), and lookups give the owner.
    pub shared: Vec<&'static str>,
    /// For a historical service, the ID of the service that took over its work.
    pub successor: Option<&'static str>,
    /// For a historical service, the year it ended.
    pub dissolved: Option<u16>,
}

impl Agency {
    /// The main English name.
    pub fn name(&self) -> &'static str {
        self.names[0]
    }
}

/// A country or territory of ISO 3166-1, or a state that no longer exists (ISO 3166-3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code; for a former state, the alpha-2 code it had (`SU`).
    pub code: &'static str,
    /// Short English name ("France").
    pub name: &'static str,
    /// Every other form: formal name, other names, demonyms and the capitals used for the
    /// government, in that order.
    pub aliases: Vec<&'static str>,
    /// Formal name ("French Republic").
    pub formal: &'static str,
    /// Other names, former names and abbreviations ("Britain", "UK", "Burma").
    pub other_names: Vec<&'static str>,
    /// Demonyms and adjectives ("French", "Frenchman").
    pub demonyms: Vec<&'static str>,
    /// Capitals (or seats of government) that stand for the government ("Paris").
    pub capitals: Vec<&'static str>,
    /// For a state that no longer exists, what became of it.
    pub former: Option<Former>,
}

/// What became of a former state: the Soviet Union ended in 1991 and Russia continues it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Former {
    /// Code of the country that continues it, or the largest of its successors.
    pub successor: &'static str,
    /// The year it ended.
    pub ended: u16,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgencyFile {
    agency: Vec<AgencyRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgencyRow {
    id: String,
    country: String,
    english: Vec<String>,
    #[serde(default)]
    native: Vec<String>,
    #[serde(default)]
    acronyms: Vec<String>,
    #[serde(default)]
    informal: Vec<String>,
    #[serde(default)]
    shared_acronyms: Vec<String>,
    successor: Option<String>,
    dissolved: Option<u16>,
}

/// The tables are built once and live for the whole program: leaking the parsed strings gives
/// the `&'static str` the public types hand out without copying them again per call.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn leak_all(v: Vec<String>) -> Vec<&'static str> {
    v.into_iter().map(leak).collect()
}

/// Parses the agency table. An error here is a broken data file, which the tests catch.
pub(crate) fn parse_agencies(text: &str) -> Result<Vec<Agency>, String> {
    let file: AgencyFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(file.agency.len());
    for row in file.agency {
        if row.english.is_empty() {
            return Err(format!("agency '{}' has no English name", row.id));
        }
        let english = leak_all(row.english);
        let native = leak_all(row.native);
        let acronyms = leak_all(row.acronyms);
        let informal = leak_all(row.informal);
        let shared = leak_all(row.shared_acronyms);
        let mut names: Vec<&'static str> = Vec::new();
        for n in english
            .iter()
            .chain(&native)
            .chain(&acronyms)
            .chain(&informal)
        {
            if !names.contains(n) {
                names.push(n);
            }
        }
        out.push(Agency {
            id: leak(row.id),
            country: leak(row.country),
            names,
            english,
            native,
            acronyms,
            informal,
            shared,
            successor: row.successor.map(leak),
            dissolved: row.dissolved,
        });
    }
    Ok(out)
}

fn split_list(cell: &'static str) -> Vec<&'static str> {
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Parses a country table: tab-separated, `#` starts a comment line. Rows of the current table
/// have six cells; rows of the former-state table (`former`) two more, successor and year ended.
pub(crate) fn parse_countries(text: &'static str, former: bool) -> Result<Vec<Country>, String> {
    let (file, width) = if former {
        ("former.tsv", 8)
    } else {
        ("countries.tsv", 6)
    };
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cells: Vec<&'static str> = line.split('\t').collect();
        if cells.len() != width {
            return Err(format!(
                "{file} line {}: {} cells, expected {width}",
                n + 1,
                cells.len()
            ));
        }
        let (other_names, demonyms, capitals) = (
            split_list(cells[3]),
            split_list(cells[4]),
            split_list(cells[5]),
        );
        let mut aliases = Vec::new();
        let all = std::iter::once(cells[2])
            .chain(other_names.iter().copied())
            .chain(demonyms.iter().copied())
            .chain(capitals.iter().copied());
        for a in all {
            if a != cells[1] && !aliases.contains(&a) {
                aliases.push(a);
            }
        }
        let former = if former {
            let ended = cells[7]
                .parse()
                .map_err(|_| format!("{file} line {}: bad year '{}'", n + 1, cells[7]))?;
            Some(Former {
                successor: cells[6],
                ended,
            })
        } else {
            None
        };
        out.push(Country {
            code: cells[0],
            name: cells[1],
            formal: cells[2],
            aliases,
            other_names,
            demonyms,
            capitals,
            former,
        });
    }
    Ok(out)
}

static AGENCIES: LazyLock<Vec<Agency>> = LazyLock::new(|| {
    parse_agencies(AGENCIES_TOML)
        .unwrap_or_else(|e| panic!("bug: the built-in agency table does not parse: {e}"))
});

/// Every country, current ones first, then former states; and where the former ones start.
static COUNTRIES: LazyLock<(Vec<Country>, usize)> = LazyLock::new(|| {
    let parse = |text, former| {
        parse_countries(text, former)
            .unwrap_or_else(|e| panic!("bug: the built-in country table does not parse: {e}"))
    };
    let mut all = parse(COUNTRIES_TSV, false);
    let current = all.len();
    all.extend(parse(FORMER_TSV, true));
    (all, current)
});

/// Every agency of the table, in table order.
pub fn agencies() -> &'static [Agency] {
    &AGENCIES
}

/// Every ISO 3166-1 country and territory, and Kosovo (`XK`), in code order.
pub fn countries() -> &'static [Country] {
    &COUNTRIES.0[..COUNTRIES.1]
}

/// The states that no longer exist (the Soviet Union, Yugoslavia, ...), by their former codes.
pub fn former_states() -> &'static [Country] {
    &COUNTRIES.0[COUNTRIES.1..]
}

/// The codes of the former states, read from their table's first cells alone: cheap enough to
/// call for every search hit without building the country tables.
pub(crate) fn former_codes() -> impl Iterator<Item = &'static str> {
    FORMER_TSV
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split('\t').next())
}

/// Current countries then former states: every entity a country mention can name.
pub(crate) fn all_countries() -> &'static [Country] {
    &COUNTRIES.0
}
