//! `dossier status`: what an index holds and where it came from.
//!
//! Counts and dates are read from the index's fast fields; the folders indexed and the time and
//! counts of the last run come from `runs.json`, which [`record_run`] writes beside the Tantivy
//! files after each successful `dossier index`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

use crate::error::{Error, Result};
use crate::facets::Count;
use crate::index::{self, Summary};
use crate::query::Query;
use crate::schema::{KIND_ARTICLE, KIND_PASSAGE, SCHEMA_VERSION, TAGGING_VERSION};
use crate::search::Searcher;

/// The record of index runs, in the index folder.
pub const RUNS_FILE: &str = "runs.json";

/// What `runs.json` keeps: the folders indexed so far and the last run.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct RunRecord {
    /// Every folder (or file) given to `dossier index` since the index was created, absolute.
    pub folders: Vec<PathBuf>,
    /// The last run that completed.
    pub last: Option<LastRun>,
    /// A run that started after it and did not complete (it failed, or is still running).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed: Option<FailedRun>,
}

/// A run that did not complete.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct FailedRun {
    /// When it started (RFC 3339, UTC).
    pub started: String,
    /// When it stopped, if it could say (a killed run cannot).
    pub stopped: Option<String>,
    /// Why it stopped.
    pub error: String,
    /// It was a `--rebuild`.
    pub rebuild: bool,
}

/// The counts of the last run.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct LastRun {
    /// When it finished (RFC 3339, UTC).
    pub finished: String,
    /// Files seen for the first time.
    pub new: usize,
    /// Files whose content changed.
    pub changed: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Files removed from the index.
    pub removed: usize,
    /// Files skipped.
    pub skipped: usize,
    /// Passages written.
    pub passages: usize,
    /// Wall time, in seconds.
    pub seconds: f64,
}

fn now() -> String {
    OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .expect("0 is a valid nanosecond")
        .format(&Rfc3339)
        .expect("a UTC time formats as RFC 3339")
}

/// Records that a run starts: until it completes or records its error, it stands as a run that
/// did not complete (one that is killed says so this way). The last completed run stays.
pub(crate) fn record_start(index: &Path, rebuild: bool) -> Result<()> {
    let mut record = read_record(index).ok().flatten().unwrap_or_default();
    record.failed = Some(FailedRun {
        started: now(),
        stopped: None,
        error: "did not complete: stopped, killed or crashed".to_string(),
        rebuild,
    });
    write_record(index, &record)
}

/// Records why the run that started last failed; the last completed run stays.
pub(crate) fn record_failure(index: &Path, error: &Error) -> Result<()> {
    let mut record = read_record(index).ok().flatten().unwrap_or_default();
    let failed = record.failed.get_or_insert_with(FailedRun::default);
    failed.stopped = Some(now());
    failed.error = error.to_string();
    write_record(index, &record)
}

fn write_record(index: &Path, record: &RunRecord) -> Result<()> {
    let data = serde_json::to_vec_pretty(record).expect("run record serializes");
    index::write_atomic(&index.join(RUNS_FILE), &data)
}

/// Records a completed run: its folders join those of earlier runs (a rebuild starts the list
/// again, `forget` leaves the list) and its counts replace the last run's.
pub(crate) fn record_run(
    index: &Path,
    roots: &[PathBuf],
    forget: &[PathBuf],
    rebuilt: bool,
    s: &Summary,
) -> Result<()> {
    let mut record = if rebuilt {
        RunRecord::default()
    } else {
        read_record(index)?.unwrap_or_default()
    };
    record.failed = None;
    for root in roots {
        let abs = crate::corpus::absolute(root);
        if abs.exists() && !record.folders.contains(&abs) {
            record.folders.push(abs);
        }
    }
    let forget: Vec<PathBuf> = forget.iter().map(|f| crate::corpus::absolute(f)).collect();
    record
        .folders
        .retain(|f| !forget.iter().any(|g| f.starts_with(g)));
    record.folders.sort();
    record.last = Some(LastRun {
        finished: now(),
        new: s.new,
        changed: s.changed,
        unchanged: s.unchanged,
        removed: s.removed,
        skipped: s.skipped_total(),
        passages: s.passages,
        seconds: s.seconds,
    });
    write_record(index, &record)
}

fn read_record(index: &Path) -> Result<Option<RunRecord>> {
    let path = index.join(RUNS_FILE);
    match std::fs::read(&path) {
        Ok(raw) => serde_json::from_slice(&raw).map(Some).map_err(|e| {
            Error::io(
                &path,
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{e}; delete the file, the next 'dossier index' writes it again"),
                ),
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, e)),
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_accumulate_folders_and_a_rebuild_resets_them() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        let idx = dir.path().join("idx");
        std::fs::create_dir_all(&idx).unwrap();
        let s = Summary {
            new: 2,
            ..Summary::default()
        };
        record_run(&idx, std::slice::from_ref(&a), &[], false, &s).unwrap();
        record_run(&idx, &[b.clone(), dir.path().join("gone")], &[], false, &s).unwrap();
        let r = read_record(&idx).unwrap().unwrap();
        assert_eq!(r.folders, [a.clone(), b.clone()]);
        assert_eq!(r.last.as_ref().unwrap().new, 2);
        record_start(&idx, false).unwrap();
        record_failure(&idx, &Error::Argument("the disk is full".into())).unwrap();
        let r = read_record(&idx).unwrap().unwrap();
        assert_eq!(
            r.last.as_ref().unwrap().new,
            2,
            "the last completed run stays"
        );
        assert_eq!(r.failed.as_ref().unwrap().error, "the disk is full");
        record_run(&idx, std::slice::from_ref(&b), &[], true, &s).unwrap();
        let r = read_record(&idx).unwrap().unwrap();
        assert_eq!((r.folders, r.failed), (vec![b], None));
        std::fs::write(idx.join(RUNS_FILE), "{").unwrap();
        let err = read_record(&idx).unwrap_err().to_string();
        assert!(
            err.contains("runs.json") && err.contains("delete the file"),
            "{err}"
        );
    }
}
