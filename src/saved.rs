//! Saved queries: a TOML file of named searches that people read, edit by hand and keep in git.
//!
//! The file (`queries.toml` beside the index folder unless chosen otherwise) holds one table a
//! query; only `query` is required:
//!
//! ```toml
//! [queries.mss-europe]
//! description = "MSS recruitment of European officials"
//! query = "recruit officials"
//! agencies = ["MSS"]
//! countries = ["DE", "FR"]
//! since = "2015"
//! until = "2020-06"
//! ```
//!
//! Loading parses every value as the command line does (aliases allowed, so a hand-written
//! `agencies = ["Ministry of State Security"]` works) and reports mistakes with the file, line and
//! column. Writing stores the canonical forms ([`Expr`]'s `Display`, agency IDs, country codes,
//! [`DateSpec`] strings), so what `add` writes, `show` prints and `run` executes are one
//! [`Query`]. Edits go through `toml_edit`: comments and hand layout survive, a new table lands
//! in name order, and every read-modify-write happens under an exclusive lock file and ends in a
//! write-to-temp-and-rename, so concurrent `saved add`s neither corrupt the file nor lose an entry.
//!
//! [`state`] keeps what the file must not: how far `saved run --new` has reported each query.

pub mod state;

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml_edit::{Document, DocumentMut, Item, Table, TableLike, Value};

use crate::error::{Error, Result};
use crate::index::write_atomic;
use crate::query::{DateSpec, DatesMode, Expr, Query};

/// The queries file's name when none is given, in the index folder's parent.
pub const DEFAULT_FILE: &str = "queries.toml";

/// Longest accepted query name.
const MAX_NAME: usize = 64;

/// The keys a query table may hold, in the order they are written.
const KEYS: &[&str] = &[
    "description",
    "query",
    "agencies",
    "countries",
    "languages",
    "since",
    "until",
    "dates",
    "undated",
    "seen_since",
];

/// What a new file starts with, so a person opening it knows what it is.
const HEADER: &str = "\
# Saved queries for dossier: run one with 'dossier saved run NAME'.
# Edit by hand or with 'dossier saved add'. Keys of a [queries.NAME] table:
# query (required), agencies, countries, languages, since, until, dates, undated, seen_since,
# description.
";

/// The default queries file for an index: `queries.toml` in the index folder's parent (index at
/// `~/.local/share/dossier/index`, queries at `~/.local/share/dossier/queries.toml`).
pub fn default_path(index: &Path) -> PathBuf {
    index
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join(DEFAULT_FILE)
}

/// Checks a query name: 1 to 64 lowercase ASCII letters, digits, `-` and `_`, starting with a
/// letter or digit. Such names are bare TOML keys and safe in file names and shell scripts.
pub fn check_name(name: &str) -> Result<()> {
    let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
    let first_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if first_ok && name.len() <= MAX_NAME && name.chars().all(ok_char) {
        return Ok(());
    }
    Err(Error::Argument(format!(
        "bad saved query name '{name}'; use up to {MAX_NAME} lowercase letters, digits, '-' and '_', \
         starting with a letter or digit (e.g. gru-netherlands)"
    )))
}

/// One named query with its filters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedQuery {
    /// The name, checked by [`check_name`].
    pub name: String,
    /// The query and its filters.
    pub query: Query,
    /// Free text for people.
    pub description: Option<String>,
}

impl SavedQuery {
    /// A saved query, once the name is checked.
    pub fn new(name: &str, query: Query, description: Option<String>) -> Result<SavedQuery> {
        check_name(name)?;
        Ok(SavedQuery {
            name: name.to_string(),
            query,
            description: description.filter(|d| !d.trim().is_empty()),
        })
    }

    /// The query's table exactly as the file holds it: `[queries.NAME]` and its keys.
    pub fn to_toml(&self) -> String {
        let mut queries = Table::new();
        queries.set_implicit(true);
        queries.insert(&self.name, Item::Table(self.table()));
        let mut doc = DocumentMut::new();
        doc.insert("queries", Item::Table(queries));
        doc.to_string()
    }

    /// The query as `dossier search` arguments: `QUERY --agency ID --since DATE ...`.
    pub fn command_line(&self) -> String {
        let q = &self.query;
        let mut out = q.expr.to_string();
        for a in &q.agencies {
            out += &format!(" --agency {a}");
        }
        for c in &q.countries {
            out += &format!(" --country {c}");
        }
        for l in &q.languages {
            out += &format!(" --lang {l}");
        }
        if let Some(s) = q.since {
            out += &format!(" --since {s}");
        }
        if let Some(u) = q.until {
            out += &format!(" --until {u}");
        }
        if q.dates != DatesMode::Any {
            out += &format!(" --dates {}", q.dates.as_str());
        }
        if let Some(u) = q.undated {
            out += &format!(" --undated {}", u.as_str());
        }
        if let Some(s) = q.seen_since {
            out += &format!(" --seen-since {s}");
        }
        out
    }

    fn table(&self) -> Table {
        let q = &self.query;
        let mut t = Table::new();
        let strings =
            |v: &[String]| Item::Value(Value::Array(v.iter().map(String::as_str).collect()));
        if let Some(d) = &self.description {
            t.insert("description", toml_edit::value(d.as_str()));
        }
        t.insert("query", toml_edit::value(q.expr.to_string()));
        if !q.agencies.is_empty() {
            t.insert("agencies", strings(&q.agencies));
        }
        if !q.countries.is_empty() {
            t.insert("countries", strings(&q.countries));
        }
        if !q.languages.is_empty() {
            t.insert("languages", strings(&q.languages));
        }
        if let Some(s) = q.since {
            t.insert("since", toml_edit::value(s.to_string()));
        }
        if let Some(u) = q.until {
            t.insert("until", toml_edit::value(u.to_string()));
        }
        if q.dates != DatesMode::Any {
            t.insert("dates", toml_edit::value(q.dates.as_str()));
        }
        if let Some(u) = q.undated {
            t.insert("undated", toml_edit::value(u.as_str()));
        }
        if let Some(s) = q.seen_since {
            t.insert("seen_since", toml_edit::value(s.to_string()));
        }
        t
    }
}

/// The saved queries of one file, in name order.
#[derive(Debug, Clone)]
pub struct SavedQueries {
    path: PathBuf,
    queries: BTreeMap<String, SavedQuery>,
}

impl SavedQueries {
    /// Reads the file at `path`; a missing file holds no queries.
    pub fn load(path: &Path) -> Result<SavedQueries> {
        let text = read_text(path)?.unwrap_or_default();
        SavedQueries::parse(path, &text)
    }

    /// Parses the text of a queries file; `path` only names it in errors.
    pub fn parse(path: &Path, text: &str) -> Result<SavedQueries> {
        let doc = Document::parse(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            located(path, text, at, e.message().trim_end().to_string())
        })?;
        Ok(SavedQueries {
            path: path.to_path_buf(),
            queries: collect(path, text, doc.as_table())?,
        })
    }

    /// The file the queries came from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many queries the file holds.
    pub fn len(&self) -> usize {
        self.queries.len()
    }

    /// Whether the file holds no query.
    pub fn is_empty(&self) -> bool {
        self.queries.is_empty()
    }

    /// The queries in name order.
    pub fn iter(&self) -> impl Iterator<Item = &SavedQuery> {
        self.queries.values()
    }

    /// The query called `name`, or an error naming the closest existing name.
    pub fn get(&self, name: &str) -> Result<&SavedQuery> {
        self.queries.get(name).ok_or_else(|| Error::UnknownQuery {
            name: name.to_string(),
            nearest: nearest(name, self.queries.keys().map(String::as_str)),
            path: self.path.clone(),
        })
    }

    /// Adds `query` to the file at `path`, creating it (and its folder) if needed. An existing
    /// name is an error unless `force`, which replaces the entry in place, keeping the comments
    /// above it. Returns whether an entry was replaced.
    pub fn add(path: &Path, query: &SavedQuery, force: bool) -> Result<bool> {
        update(path, |doc, existing| {
            let replaced = existing.queries.contains_key(&query.name);
            if replaced && !force {
                return Err(Error::DuplicateQuery {
                    name: query.name.clone(),
                    path: existing.path.clone(),
                });
            }
            let mut table = query.table();
            let first = doc.get("queries").and_then(Item::as_table_like);
            if first.is_none_or(|q| q.is_empty()) {
                // Comments in a file without tables (the header of a new one) open the first.
                let mut trailing = doc.trailing().as_str().unwrap_or_default().to_string();
                if !trailing.trim().is_empty() {
                    trailing.push('\n');
                }
                table.decor_mut().set_prefix(trailing);
                doc.set_trailing("");
            }
            let queries = doc.entry("queries").or_insert_with(|| {
                let mut t = Table::new();
                t.set_implicit(true);
                Item::Table(t)
            });
            // An inline `queries = { ... }` cannot take a table; say so rather than drop it.
            let Some(queries) = queries.as_table_mut() else {
                return Err(Error::Argument(format!(
                    "{}: 'queries' is an inline table; write [queries.NAME] tables so 'saved add' \
                     can edit the file",
                    existing.path.display()
                )));
            };
            if let Some(old) = queries.get(&query.name).and_then(Item::as_table) {
                table.set_position(old.position());
                *table.decor_mut() = old.decor().clone();
            }
            queries.insert(&query.name, Item::Table(table));
            // Parsed tables keep their place; a new one follows its predecessor in name order.
            queries.sort_values();
            Ok(replaced)
        })
    }

    /// Removes the query called `name` from the file at `path`, returning it. Comments right
    /// above its header go with it; those set apart by a blank line (a file header, a section
    /// title) stay, moved to the next table.
    pub fn remove(path: &Path, name: &str) -> Result<SavedQuery> {
        update(path, |doc, existing| {
            let gone = existing.get(name)?.clone();
            let Some(queries) = doc.get_mut("queries").and_then(Item::as_table_like_mut) else {
                return Ok(gone);
            };
            let Some(Item::Table(table)) = queries.remove(name) else {
                return Ok(gone);
            };
            let prefix = table
                .decor()
                .prefix()
                .and_then(|p| p.as_str())
                .unwrap_or("");
            let kept = prefix.rfind("\n\n").map_or("", |i| &prefix[..i + 1]);
            if kept.trim().is_empty() {
                return Ok(gone);
            }
            let next = (queries.iter_mut())
                .filter_map(|(_, item)| item.as_table_mut())
                .filter(|t| t.position() > table.position())
                .min_by_key(|t| t.position());
            match next {
                Some(next) => {
                    let own = next.decor().prefix().and_then(|p| p.as_str()).unwrap_or("");
                    let joined = format!("{kept}\n{}", own.trim_start_matches('\n'));
                    next.decor_mut().set_prefix(joined);
                }
                None => {
                    let trailing = doc.trailing().as_str().unwrap_or("").to_string();
                    doc.set_trailing(format!("{kept}{trailing}"));
                }
            }
            Ok(gone)
        })
    }
}

/// Read-modify-write of the queries file under its lock. The file is checked before `edit` sees
/// it, so nothing is ever written on top of a file the user has broken by hand.
fn update<T>(
    path: &Path,
    edit: impl FnOnce(&mut DocumentMut, &SavedQueries) -> Result<T>,
) -> Result<T> {
    let shown = path;
    let path = real_path(path);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let _lock = Lock::acquire(&lock_path(&path))?;
    let text = read_text(&path)?.unwrap_or_else(|| HEADER.to_string());
    let existing = SavedQueries::parse(shown, &text)?;
    let mut doc = Document::parse(text)
        .map_err(|e| Error::Argument(format!("{}: {e}", path.display())))?
        .into_mut();
    let out = edit(&mut doc, &existing)?;
    let text = doc.to_string();
    write_atomic(&path, text.trim_start_matches('\n').as_bytes())?;
    Ok(out)
}

/// The file's contents, None when it does not exist.
fn read_text(path: &Path) -> Result<Option<String>> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(&e.into_bytes()[..at]).into_owned();
            located(path, &text, at, "not UTF-8 text".to_string())
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Where writes go: through a symlink to the file it names (a queries file kept in a git
/// checkout and linked from the data folder stays a link), made absolute.
fn real_path(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// `.NAME.lock` beside the file: the file itself is replaced by rename, so it cannot carry the
/// lock.
fn lock_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| DEFAULT_FILE.into(), |n| n.to_string_lossy());
    path.with_file_name(format!(".{name}.lock"))
}

/// An exclusive advisory lock, held until dropped (closing the file releases it).
#[derive(Debug)]
pub(crate) struct Lock(#[allow(dead_code)] File);

impl Lock {
    /// Waits for the lock on the file at `path`, creating the file.
    pub(crate) fn acquire(path: &Path) -> Result<Lock> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(|e| Error::io(path, e))?;
        file.lock().map_err(|e| Error::io(path, e))?;
        Ok(Lock(file))
    }
}

/// An error at byte offset `at` of `text`, as file, line and column.
fn located(path: &Path, text: &str, at: usize, msg: String) -> Error {
    let at = at.min(text.len());
    let before = &text[..text.floor_char_boundary(at)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Error::QueriesFile {
        path: path.to_path_buf(),
        line,
        column: before[line_start..].chars().count() + 1,
        msg,
    }
}

/// Every `[queries.NAME]` table of a parsed file, checked.
fn collect(path: &Path, text: &str, root: &Table) -> Result<BTreeMap<String, SavedQuery>> {
    let at = |span: Option<Range<usize>>, msg: String| {
        located(path, text, span.map_or(0, |s| s.start), msg)
    };
    let mut out = BTreeMap::new();
    for (key, item) in root.iter() {
        let key_span = root.key(key).and_then(|k| k.span());
        if key != "queries" {
            return Err(at(
                key_span,
                format!("unknown key '{key}'; saved queries go in [queries.NAME] tables"),
            ));
        }
        let Some(queries) = item.as_table_like() else {
            return Err(at(
                key_span,
                "'queries' must hold [queries.NAME] tables".to_string(),
            ));
        };
        for (name, entry) in queries.iter() {
            let name_span = queries.key(name).and_then(|k| k.span());
            check_name(name).map_err(|e| at(name_span.clone(), e.to_string()))?;
            let Some(table) = entry.as_table_like() else {
                return Err(at(
                    name_span,
                    format!("'queries.{name}' must be a table with at least a 'query' key"),
                ));
            };
            let entry = Entry {
                name,
                text,
                at: &at,
            };
            out.insert(name.to_string(), entry.read(table, name_span)?);
        }
    }
    Ok(out)
}

/// Where a value sits in the file's text, when known.
type Span = Option<Range<usize>>;

/// Reads one query table, pointing errors at the offending value.
struct Entry<'a> {
    name: &'a str,
    text: &'a str,
    at: &'a dyn Fn(Option<Range<usize>>, String) -> Error,
}

impl Entry<'_> {
    fn err(&self, span: Option<Range<usize>>, key: &str, msg: impl std::fmt::Display) -> Error {
        (self.at)(span, format!("[queries.{}] {key}: {msg}", self.name))
    }

    fn read(&self, table: &dyn TableLike, name_span: Option<Range<usize>>) -> Result<SavedQuery> {
        let mut query = Query::default();
        let mut expr = None;
        let mut description = None;
        for (key, item) in table.iter() {
            match key {
                "query" => expr = Some(self.expr(item)?),
                "description" => description = Some(self.string(item, key)?.to_string()),
                "agencies" | "countries" | "languages" => {
                    for (value, span) in self.strings(item, key)? {
                        query = match key {
                            "agencies" => query.agency(value),
                            "countries" => query.country(value),
                            _ => query.language(value),
                        }
                        .map_err(|e| self.err(span, key, e))?;
                    }
                }
                "since" | "until" | "seen_since" => {
                    let spec = self.date(item, key)?;
                    match key {
                        "since" => query.since = Some(spec),
                        "until" => query.until = Some(spec),
                        _ => query.seen_since = Some(spec),
                    }
                }
                "dates" => {
                    let value = self.string(item, key)?;
                    query.dates = value.parse().map_err(|e| self.err(item.span(), key, e))?;
                }
                "undated" => {
                    let value = self.string(item, key)?;
                    let rule = value.parse().map_err(|e| self.err(item.span(), key, e))?;
                    query.undated = Some(rule);
                }
                _ => {
                    let key_span = table.key(key).and_then(|k| k.span());
                    return Err(self.err(
                        key_span,
                        key,
                        format!("unknown key; expected one of {}", KEYS.join(", ")),
                    ));
                }
            }
        }
        let Some(expr) = expr else {
            return Err(self.err(name_span, "query", "missing; every saved query needs one"));
        };
        query.expr = expr;
        if let (Some(s), Some(u)) = query.date_range() {
            if s > u {
                let span = table.get("since").and_then(Item::span);
                return Err(self.err(span, "since", format!("{s} is after until {u}")));
            }
        }
        Ok(SavedQuery {
            name: self.name.to_string(),
            query,
            description,
        })
    }

    /// The query string, a parse error pointing at its column inside the file.
    fn expr(&self, item: &Item) -> Result<Expr> {
        let s = self.string(item, "query")?;
        s.parse().map_err(|e| match e {
            Error::Query { pos, msg, .. } => self.err(self.inside(item, s, pos), "query", msg),
            other => self.err(item.span(), "query", other),
        })
    }

    fn string<'i>(&self, item: &'i Item, key: &str) -> Result<&'i str> {
        item.as_str().ok_or_else(|| {
            self.err(
                item.span(),
                key,
                format!("expected a string, found {}", item.type_name()),
            )
        })
    }

    fn strings<'i>(&self, item: &'i Item, key: &str) -> Result<Vec<(&'i str, Span)>> {
        if let Some(s) = item.as_str() {
            return Ok(vec![(s, item.span())]);
        }
        let Some(array) = item.as_array() else {
            return Err(self.err(
                item.span(),
                key,
                format!("expected a list of strings, found {}", item.type_name()),
            ));
        };
        array
            .iter()
            .map(|v| match v.as_str() {
                Some(s) => Ok((s, v.span())),
                None => Err(self.err(
                    v.span(),
                    key,
                    format!("expected a string, found {}", v.type_name()),
                )),
            })
            .collect()
    }

    /// A date as a string, or a bare year written as an integer (`since = 2015`).
    fn date(&self, item: &Item, key: &str) -> Result<DateSpec> {
        let text = match (item.as_str(), item.as_integer()) {
            (Some(s), _) => s.to_string(),
            (None, Some(n)) => n.to_string(),
            _ => {
                return Err(self.err(
                    item.span(),
                    key,
                    format!(
                        "expected a date string such as \"2017-03\", found {}",
                        item.type_name()
                    ),
                ))
            }
        };
        text.parse().map_err(|e| self.err(item.span(), key, e))
    }

    /// The span of byte `pos` inside a string value, when the value is written plainly (no
    /// escapes), else the value's start.
    fn inside(&self, item: &Item, value: &str, pos: usize) -> Option<Range<usize>> {
        let span = item.span()?;
        let raw = &self.text[span.clone()];
        let plain = raw.len() == value.len() + 2
            && (raw.starts_with('"') || raw.starts_with('\''))
            && &raw[1..raw.len() - 1] == value;
        Some(if plain {
            span.start + 1 + pos..span.start + 1 + pos
        } else {
            span
        })
    }
}

/// The candidate closest to `name` by edit distance, if close enough to be a likely typo.
pub fn nearest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let limit = (name.chars().count() / 3).max(2);
    candidates
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c.to_string())
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1)
                .min(row[j] + 1)
                .min(diag + usize::from(ca != *cb));
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SavedQuery {
        let query = Query::parse("recruit \"state security\" -brexit")
            .unwrap()
            .agency("Ministry of State Security")
            .unwrap()
            .country("French")
            .unwrap()
            .country("china")
            .unwrap();
        let mut q = SavedQuery::new("mss-europe", query, Some("MSS in Europe".into())).unwrap();
        q.query.since = Some("2015".parse().unwrap());
        q.query.until = Some("2020-06".parse().unwrap());
        q
    }

    fn parse(text: &str) -> Result<SavedQueries> {
        SavedQueries::parse(Path::new("q.toml"), text)
    }

    fn err(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn writes_canonical_toml() {
        assert_eq!(
            sample().to_toml(),
            "[queries.mss-europe]\n\
             description = \"MSS in Europe\"\n\
             query = 'recruit \"state security\" -brexit'\n\
             agencies = [\"MSS\"]\n\
             countries = [\"FR\", \"CN\"]\n\
             since = \"2015\"\n\
             until = \"2020-06\"\n"
        );
    }

    #[test]
    fn toml_round_trips() {
        let q = sample();
        let back = parse(&q.to_toml()).unwrap();
        assert_eq!(back.get("mss-europe").unwrap(), &q);
        assert_eq!(back.get("mss-europe").unwrap().to_toml(), q.to_toml());
    }

    #[test]
    fn hand_written_aliases_load_as_canonical() {
        let text = "# mine\n[queries.a]\nquery = \"spy  agency:'Ministry of State Security'\"\n\
                    agencies = \"Directorate General of External Security\"\ncountries = ['china']\n\
                    since = 2017\n";
        let qs = parse(text);
        // The query parser only takes double quotes for phrases.
        assert!(qs.is_err());
        let text = text.replace(
            "'Ministry of State Security'",
            "\\\"Ministry of State Security\\\"",
        );
        let qs = parse(&text).unwrap();
        let a = qs.get("a").unwrap();
        assert_eq!(a.query.expr.to_string(), "spy agency:MSS");
        assert_eq!(a.query.agencies, vec!["DGSE"]);
        assert_eq!(a.query.countries, vec!["CN"]);
        assert_eq!(a.query.since.unwrap().to_string(), "2017");
        assert_eq!(
            a.command_line(),
            "spy agency:MSS --agency DGSE --country CN --since 2017"
        );
    }

    #[test]
    fn names_are_slugs() {
        for good in ["a", "gru-nl", "mss_2015", "9lives"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        let long = "x".repeat(65);
        for bad in ["", "-x", "_x", "GRU", "a b", "a.b", "é", long.as_str()] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            err("[queries.\"Bad Name\"]\nquery = \"x\"\n")
                .split(": bad")
                .next(),
            Some("q.toml:1:10")
        );
    }

    #[test]
    fn bad_toml_says_line_and_column() {
        let e = parse("[queries.a]\nquery = \"x\nsince = 1\n").unwrap_err();
        match e {
            Error::QueriesFile { line, column, .. } => assert_eq!((line, column), (2, 11)),
            other => panic!("{other:?}"),
        }
        assert!(err("[queries.a]\nquery = 1\n")
            .starts_with("q.toml:2:9: [queries.a] query: expected a string"));
    }

    #[test]
    fn bad_entries_point_at_the_value() {
        // The column of the unclosed quote inside the query string.
        assert_eq!(
            err("[queries.a]\nquery = \"spy \\\"ring\"\n")
                .split(':')
                .take(3)
                .collect::<Vec<_>>(),
            ["q.toml", "2", "9"],
            "an escaped string points at its start"
        );
        assert_eq!(
            err("[queries.a]\nquery = 'spy \"ring'\n"),
            "q.toml:2:14: [queries.a] query: unclosed quote; fix the saved-queries file"
        );
        assert_eq!(
            err("[queries.a]\nquery = 'x'\nagencies = ['MSS', 'KGBX']\n")
                .split(": [")
                .next(),
            Some("q.toml:3:20")
        );
        assert!(err("[queries.a]\nquery = 'x'\nsince = '2017-13'\n")
            .starts_with("q.toml:3:9: [queries.a] since: bad date '2017-13'"));
        assert!(err("[queries.a]\nquery = 'x'\nagency = ['MSS']\n")
            .starts_with("q.toml:3:1: [queries.a] agency: unknown key; expected one of"));
        assert!(err("[queries.a]\ndescription = 'x'\n")
            .starts_with("q.toml:1:10: [queries.a] query: missing"));
        assert!(
            err("[queries.a]\nquery = 'x'\nsince = '2020'\nuntil = '2019'\n")
                .contains("since: 2020-01-01 is after until 2019-12-31")
        );
        assert!(err("title = 'x'\n").starts_with("q.toml:1:1: unknown key 'title'"));
        assert!(err("queries = 3\n").starts_with("q.toml:1:1: 'queries' must hold"));
    }

    #[test]
    fn empty_and_missing_files_hold_nothing() {
        assert!(parse("").unwrap().is_empty());
        assert!(parse("# only a comment\n").unwrap().is_empty());
        let dir = tempfile::tempdir().unwrap();
        assert!(SavedQueries::load(&dir.path().join("none.toml"))
            .unwrap()
            .is_empty());
    }

    #[test]
    fn unknown_names_suggest_the_nearest() {
        let qs =
            parse("[queries.weekly-iran]\nquery='iran'\n[queries.gru-nl]\nquery='gru'\n").unwrap();
        let e = qs.get("weekly-iram").unwrap_err();
        assert!(matches!(&e, Error::UnknownQuery { nearest: Some(n), .. } if n == "weekly-iran"));
        assert!(e
            .to_string()
            .starts_with("unknown saved query 'weekly-iram': not in "));
        assert!(matches!(
            qs.get("zzzzzz"),
            Err(Error::UnknownQuery { nearest: None, .. })
        ));
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn edits_keep_comments_and_name_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/queries.toml");
        let q = |name: &str, text: &str| {
            SavedQuery::new(name, Query::parse(text).unwrap(), None).unwrap()
        };
        assert!(!SavedQueries::add(&path, &q("m", "middle"), false).unwrap());
        let mut text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with(&format!("{HEADER}\n[queries.m]\n")),
            "{text}"
        );
        text += "# keep me\n[queries.z]\nquery = \"last\" # trailing\n";
        std::fs::write(&path, &text).unwrap();
        SavedQueries::add(&path, &q("a", "first"), false).unwrap();
        SavedQueries::add(&path, &q("p", "after m"), false).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let order: Vec<_> = text
            .lines()
            .filter(|l| l.starts_with("[queries."))
            .collect();
        assert_eq!(
            order,
            ["[queries.a]", "[queries.m]", "[queries.p]", "[queries.z]"],
            "{text}"
        );
        assert!(
            text.contains("# keep me\n[queries.z]\nquery = \"last\" # trailing\n"),
            "{text}"
        );

        // Duplicate without force fails and changes nothing; with force it replaces in place.
        let e = SavedQueries::add(&path, &q("z", "other"), false).unwrap_err();
        assert!(matches!(e, Error::DuplicateQuery { .. }), "{e}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        assert!(SavedQueries::add(&path, &q("z", "replaced"), true).unwrap());
        let after = std::fs::read_to_string(&path).unwrap();
        assert!(
            after.contains("# keep me\n[queries.z]\nquery = \"replaced\"\n"),
            "{after}"
        );

        let gone = SavedQueries::remove(&path, "m").unwrap();
        assert_eq!(gone.query.expr.to_string(), "middle");
        let qs = SavedQueries::load(&path).unwrap();
        let names: Vec<_> = qs.iter().map(|q| q.name.as_str()).collect();
        assert_eq!(names, ["a", "p", "z"]);
        assert!(matches!(
            SavedQueries::remove(&path, "m"),
            Err(Error::UnknownQuery { .. })
        ));
    }

    #[test]
    fn removing_keeps_comments_set_apart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("queries.toml");
        let text = "# header\n\n# about a\n[queries.a]\nquery = 'a'\n\n\
                    # section\n\n[queries.b]\nquery = 'b'\n";
        std::fs::write(&path, text).unwrap();
        SavedQueries::remove(&path, "a").unwrap();
        let after = std::fs::read_to_string(&path).unwrap();
        assert_eq!(after, "# header\n\n# section\n\n[queries.b]\nquery = 'b'\n");
        SavedQueries::remove(&path, "b").unwrap();
        let after = std::fs::read_to_string(&path).unwrap();
        assert_eq!(after, "# header\n\n# section\n");
        assert!(SavedQueries::load(&path).unwrap().is_empty());
        // A new file's header survives losing its first query.
        let path = dir.path().join("new.toml");
        let q = |name: &str| SavedQuery::new(name, Query::parse("x").unwrap(), None).unwrap();
        SavedQueries::add(&path, &q("a"), false).unwrap();
        SavedQueries::add(&path, &q("b"), false).unwrap();
        SavedQueries::remove(&path, "a").unwrap();
        let after = std::fs::read_to_string(&path).unwrap();
        assert_eq!(after, format!("{HEADER}\n[queries.b]\nquery = \"x\"\n"));
    }

    #[test]
    fn inline_tables_load_but_are_not_edited_blindly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("queries.toml");
        let text = "queries = { a = { query = 'x' } }\n";
        std::fs::write(&path, text).unwrap();
        assert_eq!(SavedQueries::load(&path).unwrap().len(), 1);
        let q = SavedQuery::new("b", Query::parse("y").unwrap(), None).unwrap();
        let e = SavedQueries::add(&path, &q, false).unwrap_err();
        assert!(e.to_string().contains("inline table"), "{e}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        // Inline entries under a [queries] table are fine.
        std::fs::write(&path, "[queries]\na = { query = 'x' }\n").unwrap();
        SavedQueries::add(&path, &q, false).unwrap();
        let names: Vec<_> = (SavedQueries::load(&path).unwrap().iter())
            .map(|q| q.name.clone())
            .collect();
        assert_eq!(names, ["a", "b"]);
        SavedQueries::remove(&path, "a").unwrap();
        assert_eq!(SavedQueries::load(&path).unwrap().len(), 1);
    }

    #[test]
    fn edits_refuse_a_broken_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("queries.toml");
        std::fs::write(&path, "[queries.a\n").unwrap();
        let q = SavedQuery::new("b", Query::parse("x").unwrap(), None).unwrap();
        assert!(matches!(
            SavedQueries::add(&path, &q, false),
            Err(Error::QueriesFile { line: 1, .. })
        ));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "[queries.a\n");
    }

    #[test]
    fn default_path_is_beside_the_index() {
        assert_eq!(
            default_path(Path::new("/home/u/.local/share/dossier/index")),
            Path::new("/home/u/.local/share/dossier/queries.toml")
        );
        assert_eq!(default_path(Path::new("idx")), Path::new("./queries.toml"));
    }
}
