//! `dossier status`: what an index holds and where it came from.
//!
//! Counts and dates are read from the index's fast fields; the folders indexed and the time and
//! counts of the last run come from the index's record of runs ([`crate::index::runs`]).

use std::path::{Path, PathBuf};

use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

use crate::error::Result;
use crate::facets::Count;
use crate::index;
use crate::query::Query;
use crate::schema::{KIND_ARTICLE, KIND_PASSAGE, SCHEMA_VERSION, TAGGING_VERSION};
use crate::search::Searcher;

use crate::index::runs::read_record;
pub use crate::index::runs::{FailedRun, LastRun, RunRecord, RUNS_FILE};

/// What `dossier status` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// The index folder.
    pub index: PathBuf,
    /// Schema version of the index (the one this build reads, since it opened).
    pub schema_version: u32,
    /// Tagging version of the dossier that created the index (see `schema::TAGGING_VERSION`).
    pub tagging_version: u32,
    /// Articles indexed.
    pub articles: u64,
    /// Passages indexed.
    pub passages: u64,
    /// Groups of copies: stories told by two articles or more.
    pub groups: u64,
    /// Articles that are copies of another: in each group, every article but one.
    pub copies: u64,
    /// Bytes of every file in the index folder.
    pub size_bytes: u64,
    /// When the last run finished (RFC 3339), else when the index last changed on disk.
    pub last_indexed: Option<String>,
    /// The last completed run's counts, when recorded.
    pub last_run: Option<LastRun>,
    /// A later run that did not complete, when there is one and it is not running now.
    pub failed_run: Option<FailedRun>,
    /// The `dossier index` run writing the index now (pid and since when), if one is.
    pub running: Option<String>,
    /// Folders indexed (empty when the index predates the record).
    pub folders: Vec<PathBuf>,
    /// Earliest publication day.
    #[serde(serialize_with = "crate::printer::json::ser_date")]
    pub earliest: Option<Date>,
    /// Latest publication day.
    #[serde(serialize_with = "crate::printer::json::ser_date")]
    pub latest: Option<Date>,
    /// Articles without a publication date.
    pub undated: u64,
    /// Articles whose date is a guess (from the URL or the text), not stated by the page.
    pub guessed: u64,
    /// Agencies by articles naming them, most first.
    pub agencies: Vec<Count>,
    /// Countries by articles naming them, most first.
    pub countries: Vec<Count>,
    /// Languages by articles written in them, most first (all of them).
    pub languages: Vec<Count>,
}

/// The status of the index at `path`; `top` agencies and countries are kept.
pub fn status(path: &Path, top: usize) -> Result<Status> {
    let searcher = Searcher::open(path)?;
    let counts = count(&searcher)?;
    let fields = crate::schema::Fields::from_schema(&searcher.index().schema())?;
    let groups = crate::copies::Groups::load(&searcher.reader().searcher(), &fields)?;
    let mut facets = searcher.facets(&Query::default())?;
    facets.agencies.truncate(top);
    facets.countries.truncate(top);
    let record = read_record(path)?.unwrap_or_default();
    let last_indexed = match &record.last {
        Some(run) => Some(run.finished.clone()),
        None => modified(&index::data_dir(path)?.join("meta.json")),
    };
    let running = index::lock::holder(path).map(|h| h.to_string());
    let failed_run = record.failed.filter(|_| running.is_none());
    Ok(Status {
        index: crate::corpus::absolute(path),
        schema_version: SCHEMA_VERSION,
        tagging_version: crate::index::tagging_version(path).unwrap_or(TAGGING_VERSION),
        articles: counts.articles,
        passages: counts.passages,
        groups: groups.all().len() as u64,
        copies: groups.copies() as u64,
        size_bytes: folder_size(path),
        last_indexed,
        last_run: record.last,
        failed_run,
        running,
        folders: record.folders,
        earliest: counts.earliest,
        latest: counts.latest,
        undated: counts.undated,
        guessed: counts.guessed,
        agencies: facets.agencies,
        countries: facets.countries,
        languages: facets.languages,
    })
}

#[derive(Default)]
struct Counts {
    articles: u64,
    passages: u64,
    undated: u64,
    guessed: u64,
    earliest: Option<Date>,
    latest: Option<Date>,
}

/// One pass over the live documents' fast fields.
fn count(searcher: &Searcher) -> Result<Counts> {
    let mut c = Counts::default();
    let snapshot = searcher.reader().searcher();
    for seg in snapshot.segment_readers() {
        let ff = seg.fast_fields();
        let kind = ff.u64("kind")?;
        let published = ff.date("published")?;
        let sure = ff.u64("published_sure")?;
        let alive = seg.alive_bitset();
        for doc in 0..seg.max_doc() {
            if alive.is_some_and(|b| !b.is_alive(doc)) {
                continue;
            }
            match kind.first(doc) {
                Some(KIND_PASSAGE) => c.passages += 1,
                Some(KIND_ARTICLE) => {
                    c.articles += 1;
                    let day = published.first(doc).and_then(crate::schema::date_of);
                    match day {
                        Some(d) => {
                            c.earliest = Some(c.earliest.map_or(d, |e| e.min(d)));
                            c.latest = Some(c.latest.map_or(d, |l| l.max(d)));
                            if sure.first(doc) != Some(1) {
                                c.guessed += 1;
                            }
                        }
                        None => c.undated += 1,
                    }
                }
                _ => {}
            }
        }
    }
    Ok(c)
}

fn folder_size(path: &Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

fn modified(path: &Path) -> Option<String> {
    let t = std::fs::metadata(path).ok()?.modified().ok()?;
    let t = OffsetDateTime::from(t).replace_nanosecond(0).ok()?;
    t.format(&Rfc3339).ok()
}
