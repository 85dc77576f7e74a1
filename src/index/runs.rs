//! The record of index runs, `runs.json` beside the Tantivy files: the folders indexed so far,
//! the counts of the last run that completed, and a later run that did not. The run writes it
//! ([`crate::index::run`]); `dossier status` reads it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::error::{Error, Result};
use crate::index::{self, Summary};

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

pub(crate) fn read_record(index: &Path) -> Result<Option<RunRecord>> {
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
