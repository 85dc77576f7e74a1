//! Walks the folders given to `dossier index` and sorts what it finds into articles to read and
//! files to skip (with the reason), so the summary can account for every file.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::extract::{kind_of, Kind};

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
        mtime_ns: i128,
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
/// files and folders (a leading dot, such as `.git`) are not entered and not counted.
pub fn walk(root: &Path) -> Vec<Entry> {
    let mut out = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err.path().unwrap_or(root).to_path_buf();
                let reason = match err.io_error() {
                    Some(io) => io.to_string(),
                    None => err.to_string(),
                };
                out.push(Entry::Skipped { path, reason });
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = absolute(entry.path());
        if is_project_file(&path) {
            out.push(Entry::Skipped {
                path,
                reason: "a README or licence, not an article".to_string(),
            });
            continue;
        }
        let Some(kind) = kind_of(&path) else {
            out.push(Entry::Skipped {
                path,
                reason: "not an article file type".to_string(),
            });
            continue;
        };
        let (size, mtime_ns) = match entry.metadata() {
            Ok(m) => (m.len(), mtime_ns(&m)),
            Err(e) => {
                out.push(Entry::Skipped {
                    path,
                    reason: e.to_string(),
                });
                continue;
            }
        };
        out.push(Entry::Article {
            path,
            kind,
            size,
            mtime_ns,
        });
    }
    out
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
pub fn mtime_ns(meta: &std::fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i128)
        .unwrap_or(0)
}

/// The absolute form of a path without resolving symlinks (so the index shows the path the user
/// knows).
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
