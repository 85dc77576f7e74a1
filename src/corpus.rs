//! Walks the folders given to `dossier index` and sorts what it finds into articles to read and
//! files to skip (with the reason), so the summary can account for every file. It also reads
//! them, within a size limit: a file that cannot be read, vanished since the walk, or is too
//! large becomes a skip reason, never an error that stops the run.

use std::io::Read;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::extract::{kind_of, Kind};

/// The default of `--max-file-size`: 64 MB. Scraped article pages are rarely past 5 MB, and
/// extraction holds about 25 times a page's size in memory while it works (1.3 GB for a 50 MB
/// page), on every indexing thread at once; past this a file is a dump or an archive.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64_000_000;

/// Parses a size such as `100MB`, `64M`, `500k`, `2G` or `1048576` (bytes). Units are decimal
/// (k = 1000), as in the byte counts the summary prints.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let bad = || format!("bad size '{s}'; use a number of bytes or e.g. 500K, 64MB, 2G");
    let n: u64 = t[..digits].parse().map_err(|_| bad())?;
    let unit = match t[digits..].trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "m" | "mb" => 1_000_000,
        "g" | "gb" => 1_000_000_000,
        _ => return Err(bad()),
    };
    match n.checked_mul(unit) {
        Some(0) => Err(format!("bad size '{s}'; it must be more than 0")),
        Some(v) => Ok(v),
        None => Err(bad()),
    }
}

/// The size as a short decimal figure: `100MB`, `1.5GB`, `512B`.
pub fn show_size(n: u64) -> String {
    for (unit, name) in [(1_000_000_000, "GB"), (1_000_000, "MB"), (1_000, "KB")] {
        if n >= unit {
            let v = n as f64 / unit as f64;
            return if n.is_multiple_of(unit) {
                format!("{}{name}", n / unit)
            } else {
                format!("{v:.1}{name}")
            };
        }
    }
    format!("{n}B")
}

/// The skip reason of a file past the limit. It names the limit, not the file's size, so the
/// summary counts all such files under one reason.
pub fn too_large(max: u64) -> String {
    format!("larger than --max-file-size {}", show_size(max))
}

/// Reads a file of at most `max` bytes. The walk already left out larger files; the limit is
/// checked again here because a file may grow between the walk and the read.
pub fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| read_reason(&e))?;
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| read_reason(&e))?;
    if bytes.len() as u64 > max {
        return Err(too_large(max));
    }
    Ok(bytes)
}

/// Why a file could not be read, in words that hold for any file (so the summary can count
/// them under one reason).
pub fn read_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "cannot read: gone since the folder was listed".to_string(),
        ErrorKind::PermissionDenied => "cannot read: permission denied".to_string(),
        ErrorKind::IsADirectory => "cannot read: a folder".to_string(),
        _ => format!("cannot read: {e}"),
    }
}

/// A file found under a root.
#[derive(Debug)]
pub enum Entry {
    /// A file dossier knows how to read.
    Article {
        /// Absolute path.
        path: PathBuf,
        /// HTML, text or Markdown, from the extension.
        kind: Kind,
        /// Size in bytes from the directory walk.
        size: u64,
        /// Modification time in nanoseconds since the epoch (0 when unknown).
        mtime_ns: i64,
    },
    /// A file or folder left out, with why.
    Skipped {
        /// The path as found.
        path: PathBuf,
        /// Short lowercase reason.
        reason: String,
    },
}

/// Lists every file under `root` (or `root` itself when it is a file), in path order. Hidden
/// files and folders (a leading dot, such as `.git`) are not entered and not counted. Files come
/// as the walk finds them, so a large tree is never listed in memory at once.
pub fn walk(root: &Path) -> impl Iterator<Item = Entry> + '_ {
    WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(move |entry| sort_entry(root, entry))
}

/// What one item of the walk is: an article, a skip, or nothing to count (a folder).
fn sort_entry(root: &Path, entry: walkdir::Result<walkdir::DirEntry>) -> Option<Entry> {
    let entry = match entry {
        Ok(e) => e,
        Err(err) => {
            let path = err.path().unwrap_or(root).to_path_buf();
            let reason = if err.loop_ancestor().is_some() {
                "symlink loop: links back to a folder above it".to_string()
            } else {
                match err.io_error() {
                    Some(io) if io.kind() == std::io::ErrorKind::NotFound => {
                        "broken symlink or gone since the folder was listed".to_string()
                    }
                    Some(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
                        "cannot read: permission denied".to_string()
                    }
                    Some(io) => io.to_string(),
                    None => err.to_string(),
                }
            };
            return Some(Entry::Skipped { path, reason });
        }
    };
    if !entry.file_type().is_file() {
        return None;
    }
    let path = absolute(entry.path());
    if is_project_file(&path) {
        return Some(Entry::Skipped {
            path,
            reason: "a README or licence, not an article".to_string(),
        });
    }
    let Some(kind) = kind_of(&path) else {
        return Some(Entry::Skipped {
            path,
            reason: "not an article file type".to_string(),
        });
    };
    if path.to_str().is_none() {
        // The index stores paths as text, and two such names could read the same once
        // their bad bytes are replaced: refuse rather than mix two files up.
        return Some(Entry::Skipped {
            path,
            reason: "file name is not valid UTF-8; rename the file to index it".to_string(),
        });
    }
    let (size, mtime_ns) = match entry.metadata() {
        Ok(m) => (m.len(), mtime_ns(&m)),
        Err(e) => {
            return Some(Entry::Skipped {
                path,
                reason: e.to_string(),
            });
        }
    };
    Some(Entry::Article {
        path,
        kind,
        size,
        mtime_ns,
    })
}

/// READMEs and licences describe a folder rather than report anything; indexing them would put
/// a list of every title at the top of most searches.
fn is_project_file(path: &Path) -> bool {
    let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
        return false;
    };
    let stem = stem.to_ascii_uppercase();
    ["README", "LICENSE", "LICENCE", "COPYING", "CHANGELOG"].contains(&stem.as_str())
}

/// Modification time in nanoseconds since the epoch, 0 where the platform gives none.
pub fn mtime_ns(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| i64::try_from(d.as_nanos()).ok())
        .unwrap_or(0)
}

/// The absolute form of a path without resolving symlinks (so the index shows the path the user
/// knows).
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
