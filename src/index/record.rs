//! `files.json`: what the index holds of each file, so the next run reads only what changed.
//!
//! Each file is recorded by absolute path with the size and modification time it had when read
//! and the content hash of its bytes, which is also the id of the article documents made from it.
//! Files that extraction refused are recorded too, with the reason, so that an unchanged junk file
//! is not read again on every run.
//!
//! `pending` lists article ids whose documents may not match the record: ids touched since the
//! last commit and ids whose set of paths changed but whose documents are not yet rewritten. The
//! record is written with them before each commit, so whatever a killed run leaves behind, the
//! next run knows which ids to check and ends with the documents a clean run gives.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// What the last read of one file found.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub(crate) struct FileState {
    /// Size in bytes when read.
    pub size: u64,
    /// Modification time in nanoseconds since the epoch when read.
    pub mtime_ns: i128,
    /// Content hash of the bytes (the article id when the file was indexed).
    pub id: String,
    /// Why extraction refused the file, if it did; such a file has no documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// Found by this run's walk (not stored): what is left unseen under a root is gone.
    #[serde(skip)]
    pub seen: bool,
}

impl FileState {
    /// The article id this file contributes to the index, if any.
    pub fn article(&self) -> Option<&str> {
        match self.skipped {
            None => Some(&self.id),
            Some(_) => None,
        }
    }
}

/// The record of indexed files, plus ids whose documents need checking.
#[derive(Serialize, Deserialize, Default)]
pub(crate) struct FilesRecord {
    /// Every file of the indexed roots, by absolute path.
    pub files: BTreeMap<PathBuf, FileState>,
    /// Ids whose documents may not match `files` (see the module docs).
    #[serde(default)]
    pub pending: BTreeSet<String>,
}

impl FilesRecord {
    /// Loads the record; a missing file is an empty record (a new index), a damaged one is an
    /// error, since trusting it could leave stale passages.
    pub fn load(path: &Path) -> Result<FilesRecord> {
        match std::fs::read(path) {
            Ok(raw) => serde_json::from_slice(&raw).map_err(|e| {
                Error::Index(format!(
                    "{}: {e}; rerun with --rebuild to index from scratch",
                    path.display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FilesRecord::default()),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Writes the record atomically with the given pending ids.
    pub fn save(&mut self, path: &Path, pending: BTreeSet<String>) -> Result<()> {
        self.pending = pending;
        // Streamed: a large record never sits in memory as one buffer.
        super::write_atomic_with(path, |w| {
            serde_json::to_writer(w, &*self).map_err(std::io::Error::other)
        })
    }

    /// How many recorded files hold each article id.
    pub fn id_counts(&self) -> HashMap<String, u32> {
        let mut counts = HashMap::new();
        for state in self.files.values() {
            if let Some(id) = state.article() {
                *counts.entry(id.to_string()).or_default() += 1;
            }
        }
        counts
    }

    /// The recorded paths of each of `ids`, sorted; ids no file holds map to an empty list.
    pub fn paths_of(&self, ids: &BTreeSet<String>) -> BTreeMap<String, Vec<PathBuf>> {
        let mut out: BTreeMap<String, Vec<PathBuf>> =
            ids.iter().map(|id| (id.clone(), Vec::new())).collect();
        for (path, state) in &self.files {
            if let Some(paths) = state.article().and_then(|id| out.get_mut(id)) {
                paths.push(path.clone());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(id: &str, skipped: Option<&str>) -> FileState {
        FileState {
            size: 1,
            mtime_ns: 2,
            id: id.to_string(),
            skipped: skipped.map(str::to_string),
            seen: false,
        }
    }

    #[test]
    fn skipped_files_hold_no_article() {
        let mut r = FilesRecord::default();
        r.files.insert("/a".into(), state("x", None));
        r.files.insert("/b".into(), state("x", None));
        r.files.insert("/c".into(), state("y", Some("empty")));
        assert_eq!(r.id_counts().get("x"), Some(&2));
        assert_eq!(r.id_counts().get("y"), None);
        let ids = ["x", "y"].iter().map(|s| s.to_string()).collect();
        let paths = r.paths_of(&ids);
        assert_eq!(paths["x"], [PathBuf::from("/a"), PathBuf::from("/b")]);
        assert!(paths["y"].is_empty());
    }

    #[test]
    fn reads_a_record_without_pending_ids() {
        let raw = br#"{"files":{"/a":{"size":3,"mtime_ns":4,"id":"abc"}}}"#;
        let r: FilesRecord = serde_json::from_slice(raw).unwrap();
        assert_eq!(r.files[Path::new("/a")], state_of(3, 4, "abc"));
        assert!(r.pending.is_empty());
    }

    fn state_of(size: u64, mtime_ns: i128, id: &str) -> FileState {
        FileState {
            size,
            mtime_ns,
            id: id.to_string(),
            skipped: None,
            seen: false,
        }
    }

    #[test]
    fn a_damaged_record_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("files.json");
        std::fs::write(&p, b"{not json").unwrap();
        let err = FilesRecord::load(&p).err().unwrap().to_string();
        assert!(
            err.contains("files.json") && err.contains("--rebuild"),
            "{err}"
        );
        assert!(FilesRecord::load(&dir.path().join("none.json"))
            .unwrap()
            .files
            .is_empty());
    }
}
