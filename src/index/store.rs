//! The index on disk: opening it (schema version checked), creating it with its `dossier.json`,
//! writing files atomically, reading the last commit's number, and cleaning up after a run
//! that failed. Nothing here walks folders or reads articles; that is [`super::run`].

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::{Index, TantivyDocument};

use crate::error::{Error, Result};
use crate::schema::{self, SCHEMA_VERSION, TAGGING_VERSION};

use super::directory;
use super::layout::{self, META_FILE};

/// What `dossier.json` beside the Tantivy files records.
#[derive(Serialize, Deserialize)]
pub(super) struct Meta {
    schema_version: u32,
    /// [`TAGGING_VERSION`] of the run that created the index (absent before version 2).
    #[serde(default = "first_tagging")]
    pub(super) tagging_version: u32,
}

fn first_tagging() -> u32 {
    1
}

/// The tagging version recorded in the index at `path`, if there is a readable one.
pub(crate) fn tagging_version(path: &Path) -> Option<u32> {
    let raw = std::fs::read(data_dir(path).ok()?.join(META_FILE)).ok()?;
    let meta: Meta = serde_json::from_slice(&raw).ok()?;
    Some(meta.tagging_version)
}

/// The folder of the index at `path` that holds the files searches read: its current
/// generation (see [`layout`]).
pub fn data_dir(path: &Path) -> Result<PathBuf> {
    layout::data_dir(path)
}

/// Opens the index at `path` for reading, checking its schema version. It writes nothing and
/// takes no lock, so an index on a read-only disk or of another user opens as well.
pub fn open(path: &Path) -> Result<Index> {
    retry_on_switch(path, |dir| open_generation(path, dir))
}

/// Opens the generation folder `dir` of the index at `path` (see [`data_dir`]).
pub(crate) fn open_generation(path: &Path, dir: &Path) -> Result<Index> {
    open_with_meta(path, dir).map(|(index, _)| index)
}

/// Runs `open` on the current generation of the index at `path`; if it fails because a rebuild
/// switched generations meanwhile (and removed the one being opened), runs it on the new one.
pub fn retry_on_switch<T>(path: &Path, mut open: impl FnMut(&Path) -> Result<T>) -> Result<T> {
    let mut tries = 0;
    loop {
        let dir = data_dir(path)?;
        match open(&dir) {
            Err(_) if tries < 3 && data_dir(path).ok().is_some_and(|now| now != dir) => tries += 1,
            other => return other,
        }
    }
}

/// Opens the generation folder `dir` of the index at `root`, handing back what `dossier.json`
/// records too. Errors name `root`, the folder the user knows.
pub(super) fn open_with_meta(root: &Path, dir: &Path) -> Result<(Index, Meta)> {
    let meta_path = dir.join(META_FILE);
    let raw = match std::fs::read(&meta_path) {
        Ok(raw) => raw,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::NoIndex(root.to_path_buf()))
        }
        Err(e) => return Err(Error::io(meta_path, e)),
    };
    let path = root;
    let meta: Meta = serde_json::from_slice(&raw)
        .map_err(|e| Error::damaged(path, format_args!("{}: {e}", meta_path.display())))?;
    if meta.schema_version != SCHEMA_VERSION {
        return Err(Error::SchemaVersion {
            path: path.to_path_buf(),
            found: meta.schema_version,
            expected: SCHEMA_VERSION,
        });
    }
    let index =
        directory::open(dir).map_err(|e| Error::damaged(path, crate::error::describe(&e)))?;
    schema::register(&index);
    Ok((index, meta))
}

pub(super) fn create(path: &Path) -> Result<Index> {
    let index = directory::create(path, schema::build())
        .map_err(|e| Error::Index(format!("cannot create '{}': {e}", path.display())))?;
    schema::register(&index);
    let meta = serde_json::to_vec(&Meta {
        schema_version: SCHEMA_VERSION,
        tagging_version: TAGGING_VERSION,
    })
    .expect("meta serializes");
    write_atomic(&path.join(META_FILE), &meta)?;
    Ok(index)
}

/// Writes a file by writing a temporary sibling and renaming it over, so readers see the old or
/// the new content, never half of one.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<()> {
    write_atomic_with(path, |w| w.write_all(data))
}

/// Like [`write_atomic`], streaming the content through a buffered writer.
pub(crate) fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut std::io::BufWriter<File>) -> std::io::Result<()>,
) -> Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut w = std::io::BufWriter::new(File::create(&tmp)?);
        fill(&mut w)?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()
    };
    let done = write()
        .map_err(|e| Error::io(path, e))
        .and_then(|()| std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e)));
    if done.is_err() {
        // A full disk must not leave half a file behind.
        let _ = std::fs::remove_file(&tmp);
    }
    done
}

/// The commit sequence number the index last committed (0 for a new index).
pub fn committed_seq(index: &Index) -> Result<u64> {
    let metas = index.load_metas()?;
    Ok(metas
        .payload
        .as_deref()
        .and_then(|p| p.strip_prefix("seq="))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0))
}

/// Removes the files a failed run wrote and no commit refers to (segments half written when
/// the disk filled up), so the folder holds the last commit and nothing else.
pub(super) fn collect_garbage(dir: &Path) {
    let Ok(index) = Index::open_in_dir(dir) else {
        return;
    };
    if let Ok(mut writer) = index.writer_with_num_threads::<TantivyDocument>(1, 15_000_000) {
        let _ = writer.rollback();
        let _ = writer.garbage_collect_files().wait();
    }
}

/// Whether the file system holding `dir` has (next to) no space left for this user.
pub(super) fn disk_full(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c_path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: statvfs writes only into the zeroed struct it is given; the path is a valid C
    // string for the duration of the call.
    unsafe {
        let mut st: libc::statvfs = std::mem::zeroed();
        if libc::statvfs(c_path.as_ptr(), &mut st) != 0 {
            return false;
        }
        st.f_bavail.saturating_mul(st.f_frsize) < 64 * 1024
    }
}

/// Says what a full disk means for the index, which Tantivy reports in its own words.
pub(super) fn explain(root: &Path, e: Error, rebuild: bool, full: bool) -> Error {
    let text = e.to_string();
    if !(full || text.contains("No space left") || text.contains("os error 28")) {
        return e;
    }
    let left = if rebuild {
        "the index is as it was before this run"
    } else {
        "the index holds what its last commit held"
    };
    Error::Argument(format!(
        "no space left on the disk of index '{}': {left}, and this run's temporary files are \
         removed; free some space and run 'dossier index' again",
        root.display(),
    ))
}
