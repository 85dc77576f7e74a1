//! JSON Lines output, the contract scripts rely on.
//!
//! One object a line, tagged by `"type"`:
//!
//! - `{"type":"hit","rank":1,"score":7.1,"article_id":"…","passage":3,"path":"…",
//!   "paths":["…",…],"url":"…"|null,
//!   "site":"…"|null,"title":"…","published":"YYYY-MM-DD"|null,"agencies":["DGSE"],
//!   "countries":["FR"],"text":"…","highlights":[[start,end],…]}` for each passage, in rank
//!   order; `highlights` are byte offsets into `text`, end exclusive.
//! - then `{"type":"summary","hits":N,"total_matches":M,"took_ms":T}`.
//!
//! Lines of a saved query also carry `"query":"NAME"`. Fields are only ever added.

use std::io::{self, Write};

use serde::Serialize;

use crate::search::{Hit, Results};

/// Writes JSON Lines.
pub struct JsonPrinter<W: Write> {
    out: W,
}

#[derive(Serialize)]
struct HitLine<'a> {
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
    published: Option<String>,
    agencies: &'a [String],
    countries: &'a [String],
    text: &'a str,
    highlights: Vec<[usize; 2]>,
}

#[derive(Serialize)]
struct SummaryLine<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<&'a str>,
    hits: usize,
    total_matches: usize,
    took_ms: f64,
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
        let took = results.took.as_secs_f64() * 1000.0;
        self.line(&SummaryLine {
            kind: "summary",
            query: name,
            hits: results.hits.len(),
            total_matches: results.total_matches,
            took_ms: (took * 1000.0).round() / 1000.0,
        })
    }

    /// One hit line.
    pub fn hit(&mut self, hit: &Hit, name: Option<&str>) -> io::Result<()> {
        self.line(&HitLine {
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
            published: hit.published.map(|d| d.to_string()),
            agencies: &hit.agencies,
            countries: &hit.countries,
            text: &hit.text,
            highlights: hit.highlights.iter().map(|&(s, e)| [s, e]).collect(),
        })
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
