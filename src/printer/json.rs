//! JSON Lines output, the contract scripts rely on, the same for every command.
//!
//! One JSON object a line, on stdout, each tagged by `"type"`; progress, warnings and errors go
//! to stderr and never mix in. Dates are `"YYYY-MM-DD"`, absent values are `null`, and fields
//! are only ever added, never renamed or removed. The types:
//!
//! - `hit` (`search`, `saved run`): `{"type":"hit","rank":1,"score":7.1,"article_id":"…",
//!   "passage":3,"path":"…","paths":["…",…],"url":"…"|null,"site":"…"|null,"title":"…",
//!   "title_raw":"…" (only when the page writes its title otherwise, site name and all),
//!   "published":"YYYY-MM-DD"|null,"published_source":"meta"|null,"published_sure":bool,
//!   "first_seen":"YYYY-MM-DD"|null,"agencies":["DGSE"],"countries":["FR"],"language":"fr",
//!   "former_countries":[],"matched":{"DGSE":["DGSE"],"FR":["Paris","French"]},"text":"…",
//!   "highlights":[[start,end],…],"group":"…"|null,"copies":[{"id":"…","path":"…","url":…,
//!   "site":…,"title":"…","published":…},…]}`, one per passage in rank order; `highlights` are byte
//!   offsets into `text`, end exclusive; `passage` counts from 0; `paths` lists every file
//!   holding the article's bytes, `path` being the first; `language` is the article's ISO
//!   639-1 code, or `und` when it could not be told. `matched` gives, per tag of the
//!   article (agency ID, country or former-state code), the words that made it, as written in
//!   the article (runs of whitespace made one space), in order of first use, at most 8 per
//!   tag. `group` is the id of the article's group of copies (other articles telling the same
//!   story), stable across runs, or `null` when it has none; `copies` lists the other articles
//!   of the group, its representative (earliest published, else longest) first.
//!   `published_source` says where the date was read from: `json-ld`, `meta`, `time` (a
//!   `<time>` or `itemprop` element), `byline`, `front-matter`, `url` or `text`;
//!   `published_sure` is true when the page states the date as its publication date (every
//!   source but `url` and `text`), false for a guess and when there is no date. `first_seen`
//!   is the day dossier first indexed the article, kept when it is indexed again unchanged.
//!   `title_highlights` are byte offsets into `title`, as `highlights` into `text`: a phrase
//!   is one range, and a word is marked only where the clause that holds it matched.
//!   `matched_tags` lists the agencies and countries the query named by words (`Mossad`,
//!   `German foreign intelligence`) that the hit's article is tagged with. `missing` lists the
//!   clauses of the query, as typed, that the hit's article lacks: empty, unless fewer
//!   articles than the limit hold every clause and this one, holding some, fills in after
//!   them (`--all-words` turns that off).
//! - `suggestion` (`search`, `saved run`, only when nothing matched): `{"type":"suggestion",
//!   "word":"Snowdon","suggestions":["snowden"]}`, one a word of the query that no article
//!   holds, naming the closest words the index holds (as indexed: folded and stemmed).
//! - `summary` (`search`, `saved run`): `{"type":"summary","hits":N,"total_matches":M,
//!   "took_ms":T,"searched_also":{"Snowdon":["snowden"]}}` after the hits; `searched_also`
//!   names, for each word of the query in no article or in very few, the words of the index
//!   one or two letters away that were searched beside it (`{}` when none). Lines of a saved
//!   query also carry `"query":"NAME"`.
//! - `article` (`show`, `extract`): `{"type":"article","article_id":"…","path":"…",
//!   "indexed":bool,"title":…,"title_raw":…,"published":…,"published_source":…,"published_sure":bool,
//!   "first_seen":…,"url":…,"site":…,
//!   "language":…,"language_source":…,"encoding":…,"agencies":[…],"countries":[…],
//!   "former_countries":[…],"matched":{"RU":["России","Kremlin"]},"passages":N,"text":"…",
//!   "paragraphs":["…"],"highlights":[[start,end],…],"group":…,"copies":[…]}`; `group` and
//!   `copies` are as in `hit` (from `show`; `null` and `[]` from `extract`); `title_raw`, the
//!   title with the site's name, only when it differs from `title`; `text` is the paragraphs joined by
//!   blank lines and `highlights` (from `show --query`) are byte offsets into it. From `extract`,
//!   `language` is an ISO 639-1 code or `"und"` and `language_source` is `"detected"`,
//!   `"declared"` or `"both"` (`null` with `"und"`).
//! - `skipped` (`extract`): `{"type":"skipped","path":"…","reason":"…"}`.
//! - `facets` (`facets`): `{"type":"facets","articles":N,"agencies":[{"key":"MSS","count":9}],
//!   "countries":[…],"former_countries":[…],"languages":[…],"granularity":"year"|"month",
//!   "dates":[…],"undated":N}`.
//! - `status` (`status`): `{"type":"status","index":"…","schema_version":2,"articles":N,
//!   "passages":N,"groups":N,"copies":N,"size_bytes":N,"last_indexed":"RFC 3339"|null,"last_run":{…}|null,
//!   "folders":["…"],"earliest":…,"latest":…,"undated":N,"agencies":[…],"countries":[…],
//!   "languages":[…]}`.
//! - `index` (`index`): the run's counts, `{"type":"index","new":N,"changed":N,…}`.
//! - `agency`, `country` (`agencies`, `countries`) and `saved_query` (`saved list`,
//!   `saved show`): one per entry.

use std::io::{self, Write};

use serde::Serialize;

use crate::saved::state::{Mark, RunState};
use crate::saved::SavedQuery;
use crate::search::{Hit, Results};
use crate::show::ArticleView;

/// A value with its `"type"` tag, as one line of the contract.
#[derive(Serialize)]
pub struct Tagged<'a, T: Serialize> {
    /// The line type.
    #[serde(rename = "type")]
    pub kind: &'a str,
    /// The fields.
    #[serde(flatten)]
    pub value: T,
}

/// Writes one tagged value as a line.
pub fn write_line<W: Write + ?Sized, T: Serialize>(
    out: &mut W,
    kind: &str,
    value: T,
) -> io::Result<()> {
    let line = serde_json::to_string(&Tagged { kind, value })?;
    out.write_all(super::sanitize::escape_json(&line).as_bytes())?;
    out.write_all(b"\n")
}

/// A value as indented JSON, for documents read by people and tools alike (the OpenSearch
/// mapping), not lines.
pub fn write_pretty<W: Write + ?Sized, T: Serialize>(out: &mut W, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

/// The fields of an `article` line.
#[derive(Serialize)]
pub struct ArticleLine<'a> {
    article_id: &'a str,
    path: &'a str,
    indexed: bool,
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title_raw: Option<&'a str>,
    published: Option<String>,
    published_source: Option<&'a str>,
    published_sure: bool,
    #[serde(serialize_with = "ser_date")]
    first_seen: Option<time::Date>,
    url: Option<&'a str>,
    site: Option<&'a str>,
    language: Option<&'a str>,
    language_source: Option<&'a str>,
    encoding: Option<&'a str>,
    agencies: &'a [String],
    countries: &'a [String],
    former_countries: &'a [String],
    matched: &'a crate::tag::Matched,
    passages: usize,
    text: &'a str,
    paragraphs: &'a [String],
    highlights: Vec<[usize; 2]>,
    group: Option<&'a str>,
    copies: &'a [crate::search::CopyRef],
}

impl<'a> ArticleLine<'a> {
    /// The line of an article view.
    pub fn new(a: &'a ArticleView) -> Self {
        ArticleLine {
            article_id: &a.article_id,
            path: &a.path,
            indexed: a.indexed,
            title: a.title.as_deref(),
            title_raw: a.title_raw.as_deref(),
            published: a.published.map(|d| d.to_string()),
            published_source: a.published_source,
            published_sure: a.published_sure,
            first_seen: a.first_seen,
            url: a.url.as_deref(),
            site: a.site.as_deref(),
            language: a.language.as_deref(),
            language_source: None,
            encoding: a.encoding,
            agencies: &a.agencies,
            countries: &a.countries,
            former_countries: &a.former_countries,
            matched: &a.matched,
            passages: a.passages,
            text: &a.text,
            paragraphs: &a.paragraphs,
            highlights: a.highlights.iter().map(|&(s, e)| [s, e]).collect(),
            group: a.group.as_deref(),
            copies: &a.copies,
        }
    }

    /// The line with where its language comes from (`detected`, `declared`, `both`), which
    /// extraction knows and the index does not keep.
    pub fn with_language_source(mut self, source: Option<&'a str>) -> Self {
        self.language_source = source;
        self
    }
}

/// Writes JSON Lines.
pub struct JsonPrinter<W: Write> {
    out: W,
}

/// The fields of a `hit` line; the server writes the same objects into its JSON.
#[derive(Serialize)]
pub struct HitLine<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<&'a str>,
    rank: usize,
    score: f32,
    article_id: &'a str,
    passage: u64,
    path: &'a str,
    paths: &'a [String],
    url: Option<&'a str>,
    site: Option<&'a str>,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title_raw: Option<&'a str>,
    published: Option<String>,
    published_source: Option<&'a str>,
    published_sure: bool,
    #[serde(serialize_with = "ser_date")]
    first_seen: Option<time::Date>,
    agencies: &'a [String],
    countries: &'a [String],
    former_countries: &'a [String],
    language: &'a str,
    matched: &'a crate::tag::Matched,
    text: &'a str,
    highlights: Vec<[usize; 2]>,
    title_highlights: Vec<[usize; 2]>,
    group: Option<&'a str>,
    copies: &'a [crate::search::CopyRef],
    matched_tags: &'a [String],
    missing: &'a [String],
}

/// Serializes a date as `"YYYY-MM-DD"`, or `null`.
pub fn ser_date<S: serde::Serializer>(d: &Option<time::Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.to_string()),
        None => s.serialize_none(),
    }
}

/// The fields of a `summary` line.
#[derive(Serialize)]
pub struct SummaryLine<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<&'a str>,
    hits: usize,
    total_matches: usize,
    took_ms: f64,
    searched_also: std::collections::BTreeMap<&'a str, &'a [String]>,
}

/// The fields of a `suggestion` line: a word of a query that found nothing, and the closest
/// words the index holds.
#[derive(Serialize)]
pub struct SuggestionLine<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<&'a str>,
    word: &'a str,
    suggestions: &'a [String],
}

impl<W: Write> JsonPrinter<W> {
    /// A printer writing to `out`.
    pub fn new(out: W) -> Self {
        JsonPrinter { out }
    }

    /// One line per hit, then the summary line.
    pub fn results(&mut self, results: &Results, name: Option<&str>) -> io::Result<()> {
        for hit in &results.hits {
            self.hit(hit, name)?;
        }
        for (word, suggestions) in &results.suggestions {
            self.line(&SuggestionLine {
                kind: "suggestion",
                query: name,
                word,
                suggestions,
            })?;
        }
        self.line(&SummaryLine::new(results, name))
    }

    /// One hit line.
    pub fn hit(&mut self, hit: &Hit, name: Option<&str>) -> io::Result<()> {
        self.line(&HitLine::new(hit, name))
    }

    /// Any serializable value as one line.
    pub fn line<T: Serialize>(&mut self, value: &T) -> io::Result<()> {
        let line = serde_json::to_string(value)?;
        self.out
            .write_all(super::sanitize::escape_json(&line).as_bytes())?;
        self.out.write_all(b"\n")
    }

    /// Flushes the writer.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl<'a> HitLine<'a> {
    /// The line of one hit; `name` labels the lines of a saved query.
    pub fn new(hit: &'a Hit, name: Option<&'a str>) -> Self {
        HitLine {
            kind: "hit",
            query: name,
            rank: hit.rank,
            score: hit.score,
            article_id: &hit.article_id,
            passage: hit.passage,
            path: &hit.path,
            paths: &hit.paths,
            url: hit.url.as_deref(),
            site: hit.site.as_deref(),
            title: &hit.title,
            title_raw: hit.title_raw.as_deref(),
            published: hit.published.map(|d| d.to_string()),
            published_source: hit.published_source,
            published_sure: hit.published_sure,
            first_seen: hit.first_seen,
            agencies: &hit.agencies,
            countries: &hit.countries,
            former_countries: &hit.former_countries,
            language: &hit.language,
            matched: &hit.matched,
            text: &hit.text,
            highlights: hit.highlights.iter().map(|&(s, e)| [s, e]).collect(),
            title_highlights: hit.title_highlights.iter().map(|&(s, e)| [s, e]).collect(),
            group: hit.group.as_deref(),
            copies: &hit.copies,
            matched_tags: &hit.matched_tags,
            missing: &hit.missing,
        }
    }
}

impl<'a> SummaryLine<'a> {
    /// The summary of one result set.
    pub fn new(results: &'a Results, name: Option<&'a str>) -> Self {
        let took = results.took.as_secs_f64() * 1000.0;
        SummaryLine {
            kind: "summary",
            query: name,
            hits: results.hits.len(),
            total_matches: results.total_matches,
            took_ms: (took * 1000.0).round() / 1000.0,
            searched_also: results
                .respelled
                .iter()
                .map(|(w, t)| (w.as_str(), t.as_slice()))
                .collect(),
        }
    }
}

/// The fields of a `saved_query` line (`saved list`, `saved show`).
#[derive(Serialize)]
pub struct SavedQueryLine<'a> {
    name: &'a str,
    description: Option<&'a str>,
    query: String,
    agencies: &'a [String],
    countries: &'a [String],
    languages: &'a [String],
    since: Option<String>,
    until: Option<String>,
    dates: &'static str,
    undated: Option<&'static str>,
    seen_since: Option<String>,
    /// The last `--new` run's watermark against this index.
    watermark: Option<&'a Mark>,
}

impl<'a> SavedQueryLine<'a> {
    /// The line of a saved query, with its watermark from `state`.
    pub fn new(q: &'a SavedQuery, state: &'a RunState) -> Self {
        SavedQueryLine {
            name: &q.name,
            description: q.description.as_deref(),
            query: q.query.expr.to_string(),
            agencies: &q.query.agencies,
            countries: &q.query.countries,
            languages: &q.query.languages,
            since: q.query.since.map(|d| d.to_string()),
            until: q.query.until.map(|d| d.to_string()),
            dates: q.query.dates.as_str(),
            undated: q.query.undated.map(|u| u.as_str()),
            seen_since: q.query.seen_since.map(|d| d.to_string()),
            watermark: state.mark(&q.name),
        }
    }
}
