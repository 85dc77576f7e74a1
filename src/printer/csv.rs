//! CSV output of search hits, for spreadsheets: a header row, then one row a passage.
//!
//! Columns: `rank,score,title,published,agencies,countries,former_countries,site,url,path,
//! article_id,passage,matched,text,language,published_source,published_sure,first_seen` (saved
//! queries put `query` first; new columns only ever go at the end). `published_sure` is `true`
//! or `false`. Lists are space-separated; `matched` is the
//! distinct highlighted words of the passage. Scraped text is untrusted: a cell that a
//! spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage
//! return) gets a leading `'`, and control characters are replaced as in human output.

use std::io::{self, Write};

use super::sanitize::sanitize;
use crate::search::{Hit, Results};

const COLUMNS: [&str; 19] = [
    "rank",
    "score",
    "title",
    "published",
    "agencies",
    "countries",
    "former_countries",
    "site",
    "url",
    "path",
    "article_id",
    "passage",
    "matched",
    "text",
    "language",
    "published_source",
    "published_sure",
    "first_seen",
    "missing",
];

/// Writes CSV rows; the header goes out before the first row (or at the first flush).
pub struct CsvPrinter<W: Write> {
    out: csv::Writer<W>,
    named: bool,
    header_done: bool,
}

impl<W: Write> CsvPrinter<W> {
    /// A printer writing to `out`; `named` adds the saved query's name as a first column.
    pub fn new(out: W, named: bool) -> Self {
        CsvPrinter {
            out: csv::Writer::from_writer(out),
            named,
            header_done: false,
        }
    }

    /// One row per hit.
    pub fn results(&mut self, results: &Results, name: Option<&str>) -> io::Result<()> {
        self.header()?;
        for hit in &results.hits {
            self.hit(hit, name)?;
        }
        Ok(())
    }

    fn header(&mut self) -> io::Result<()> {
        if !self.header_done {
            self.header_done = true;
            let first = self.named.then_some("query");
            self.out
                .write_record(first.into_iter().chain(COLUMNS))
                .map_err(io::Error::other)?;
        }
        Ok(())
    }

    fn hit(&mut self, hit: &Hit, name: Option<&str>) -> io::Result<()> {
        let mut matched: Vec<String> = Vec::new();
        for &(s, e) in &hit.highlights {
            let w = hit.text.get(s..e).unwrap_or_default().to_string();
            if !matched.contains(&w) {
                matched.push(w);
            }
        }
        let row = [
            hit.rank.to_string(),
            format!("{:.3}", hit.score),
            cell(&hit.title),
            hit.published.map(|d| d.to_string()).unwrap_or_default(),
            hit.agencies.join(" "),
            hit.countries.join(" "),
            hit.former_countries.join(" "),
            cell(hit.site.as_deref().unwrap_or("")),
            cell(hit.url.as_deref().unwrap_or("")),
            cell(&hit.path),
            hit.article_id.clone(),
            hit.passage.to_string(),
            cell(&matched.join(" ")),
            cell(&hit.text),
            hit.language.clone(),
            hit.published_source.unwrap_or("").to_string(),
            hit.published_sure.to_string(),
            hit.first_seen.map(|d| d.to_string()).unwrap_or_default(),
            cell(&hit.missing.join("; ")),
        ];
        let first = self.named.then(|| cell(name.unwrap_or("")));
        self.out
            .write_record(first.into_iter().chain(row))
            .map_err(io::Error::other)
    }

    /// Flushes the writer (writing the header if no row came).
    pub fn flush(&mut self) -> io::Result<()> {
        self.header()?;
        self.out.flush()
    }
}

/// Columns of `dossier export --format csv`.
const EXPORT_COLUMNS: [&str; 16] = [
    "id",
    "path",
    "url",
    "site",
    "title",
    "published",
    "language",
    "agencies",
    "countries",
    "former_countries",
    "group",
    "paths",
    "text",
    "published_source",
    "published_sure",
    "first_seen",
];

/// CSV rows of exported articles, after a header row.
pub struct ExportCsv<W: Write> {
    out: csv::Writer<W>,
}

impl<W: Write> ExportCsv<W> {
    /// Writes the header row.
    pub fn new(out: W) -> io::Result<Self> {
        let mut out = csv::Writer::from_writer(out);
        out.write_record(EXPORT_COLUMNS).map_err(io::Error::other)?;
        Ok(ExportCsv { out })
    }

    /// One row.
    pub fn row(&mut self, a: &crate::export::Exported) -> io::Result<()> {
        let row = [
            a.id.clone(),
            cell(&a.path),
            cell(a.url.as_deref().unwrap_or("")),
            cell(a.site.as_deref().unwrap_or("")),
            cell(&a.title),
            a.published.map(|d| d.to_string()).unwrap_or_default(),
            a.language.clone(),
            a.agencies.join(" "),
            a.countries.join(" "),
            a.former_countries.join(" "),
            a.group.clone().unwrap_or_default(),
            cell(&a.paths.join(" ")),
            cell(&a.text),
            a.published_source.unwrap_or("").to_string(),
            a.published_sure.to_string(),
            a.first_seen.map(|d| d.to_string()).unwrap_or_default(),
        ];
        self.out.write_record(row).map_err(io::Error::other)
    }

    /// Flushes the writer.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// A text cell made safe for spreadsheets.
fn cell(s: &str) -> String {
    let clean = sanitize(s);
    match clean.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{clean}"),
        _ => clean.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn rows_parse_back_and_formulas_are_defused() {
        let hit = Hit {
            rank: 1,
            score: 2.5,
            article_id: "ab".into(),
            passage: 2,
            path: "/x/a.html".into(),
            paths: vec!["/x/a.html".into()],
            url: None,
            site: Some("=cmd|' /C calc'!A0".into()),
            title: "Spies, \"moles\"\nand more".into(),
            title_raw: None,
            published: None,
            published_source: None,
            published_sure: false,
            first_seen: None,
            agencies: vec!["DGSE".into(), "MSS".into()],
            countries: vec![],
            former_countries: vec![],
            language: "en".into(),
            matched: Default::default(),
            text: "The officers met the officer.".into(),
            highlights: vec![(4, 12), (21, 28)],
            title_highlights: vec![],
            seq: 1,
            group: None,
            copies: Vec::new(),
            matched_tags: Vec::new(),
            missing: Vec::new(),
        };
        let results = Results {
            hits: vec![hit],
            total_matches: 1,
            took: Duration::ZERO,
            seq: 1,
            respelled: vec![],
            suggestions: vec![],
        };
        let mut buf = Vec::new();
        {
            let mut p = CsvPrinter::new(&mut buf, true);
            p.results(&results, Some("q1")).unwrap();
            p.flush().unwrap();
        }
        let mut r = csv::Reader::from_reader(buf.as_slice());
        assert_eq!(r.headers().unwrap().get(0), Some("query"));
        let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!(&row[0], "q1");
        assert_eq!(&row[3], "Spies, \"moles\"\nand more");
        assert_eq!(&row[5], "DGSE MSS");
        assert_eq!(&row[8], "'=cmd|' /C calc'!A0");
        assert_eq!(&row[13], "officers officer");
    }
}
