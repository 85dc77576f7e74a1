//! Walks the folders given to `dossier index` and sorts what it finds into articles to read and
//! files to skip (with the reason), so the summary can account for every file. It also reads
//! them, within a size limit: a file that cannot be read, vanished since the walk, or is too
//! large becomes a skip reason, never an error that stops the run.

use std::collections::HashSet;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::extract::{kind_of, Kind};
use crate::skip::SkipReason;

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

/// Reads a file of at most `max` bytes. The walk already left out larger files; the limit is
/// checked again here because a file may grow between the walk and the read.
///
/// The file is opened without blocking and must be a regular file: a name swapped for a FIFO
/// since the walk would otherwise wait for a writer forever. A file whose size moved while it
/// was read is refused, to be read again, whole, by the next run.
pub fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, SkipReason> {
    let io = |e: std::io::Error| SkipReason::from_io(&e);
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if let Some(reason) = special_reason(&meta.file_type()) {
        return Err(reason);
    }
    let mut bytes = Vec::new();
    (&file)
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(SkipReason::TooLarge(max));
    }
    let now = file.metadata().map_err(io)?;
    if bytes.len() as u64 != meta.len() || now.len() != meta.len() {
        return Err(SkipReason::Growing);
    }
    Ok(bytes)
}

/// Why a file that is neither a regular file nor a folder is not read (reading a FIFO blocks).
fn special_reason(t: &std::fs::FileType) -> Option<SkipReason> {
    let what = if t.is_fifo() {
        "a FIFO (named pipe), not a file"
    } else if t.is_socket() {
        "a socket, not a file"
    } else if t.is_block_device() || t.is_char_device() {
        "a device, not a file"
    } else if !t.is_file() {
        "not a regular file"
    } else {
        return None;
    };
    Some(SkipReason::NotAFile(what))
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
        /// Why.
        reason: SkipReason,
    },
}

/// Lists every file under `root` (or `root` itself when it is a file), in path order; see
/// [`Walk`].
pub fn walk(root: &Path) -> impl Iterator<Item = Entry> + '_ {
    let mut walk = Walk::new(std::slice::from_ref(&root.to_path_buf()));
    let mut it = walk_dir(root);
    std::iter::from_fn(move || walk.next_entry(&mut it, root))
}

fn walk_dir(root: &Path) -> walkdir::IntoIter {
    WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
}

/// Walks several roots so that each file is met once, whatever paths lead to it: a folder
/// reached again (a bind mount, a second root inside the first) is not entered again, a link
/// to a file or folder inside a root is left for the walk to meet by its own path, and a file
/// with several names (hard links) is read under the first.
///
/// Hidden files and folders (a leading dot, such as `.git`) are not entered and not counted.
/// Files come as the walk finds them, so a large tree is never listed in memory at once.
pub struct Walk {
    /// The roots, resolved: a link into one of them is met by its own path.
    roots: Vec<PathBuf>,
    /// Folders entered, by device and inode.
    dirs: HashSet<(u64, u64)>,
    /// Files with more than one name, by device and inode.
    linked: HashSet<(u64, u64)>,
}

impl Walk {
    /// A walk over `roots` (their order is the walk's).
    pub fn new(roots: &[PathBuf]) -> Walk {
        Walk {
            roots: roots.iter().filter_map(|r| r.canonicalize().ok()).collect(),
            dirs: HashSet::new(),
            linked: HashSet::new(),
        }
    }

    /// Every file under `root`, in path order, but those met already.
    pub fn root<'a>(&'a mut self, root: &'a Path) -> impl Iterator<Item = Entry> + 'a {
        let mut it = walk_dir(root);
        std::iter::from_fn(move || self.next_entry(&mut it, root))
    }

    fn next_entry(&mut self, it: &mut walkdir::IntoIter, root: &Path) -> Option<Entry> {
        loop {
            let entry = match it.next()? {
                Ok(e) => e,
                Err(err) => return Some(error_entry(root, err)),
            };
            let is_dir = entry.file_type().is_dir();
            let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
            let met = if hidden { Some(None) } else { self.met(&entry) };
            if let Some(skip) = met {
                if is_dir {
                    it.skip_current_dir();
                }
                match skip {
                    Some(reason) => {
                        return Some(Entry::Skipped {
                            path: absolute(entry.path()),
                            reason,
                        })
                    }
                    None => continue,
                }
            }
            if !is_dir {
                return Some(sort_entry(entry, &mut self.linked));
            }
        }
    }

    /// Whether the walk met this entry already by another path: `Some(reason)` to report it,
    /// `Some(None)` to pass over it silently (a root inside an earlier root), `None` if new.
    fn met(&mut self, entry: &walkdir::DirEntry) -> Option<Option<SkipReason>> {
        if entry.depth() > 0 && entry.path_is_symlink() {
            let target = entry.path().canonicalize().ok()?;
            if self.roots.iter().any(|r| target.starts_with(r)) {
                return Some(Some(SkipReason::LinkInside));
            }
        }
        if entry.file_type().is_dir() {
            let meta = entry.metadata().ok()?;
            if !self.dirs.insert((meta.dev(), meta.ino())) {
                return Some(match entry.depth() {
                    0 => None,
                    _ => Some(SkipReason::SameFolder),
                });
            }
        }
        None
    }
}

/// A walk error as a skip with its reason.
fn error_entry(root: &Path, err: walkdir::Error) -> Entry {
    let path = err.path().unwrap_or(root).to_path_buf();
    let reason = if err.loop_ancestor().is_some() {
        SkipReason::LinkLoop
    } else {
        match err.io_error() {
            Some(io) if io.kind() == std::io::ErrorKind::NotFound => SkipReason::BrokenLink,
            Some(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
                SkipReason::from_io(io)
            }
            Some(io) => SkipReason::Walk(io.to_string()),
            None => SkipReason::Walk(err.to_string()),
        }
    };
    Entry::Skipped { path, reason }
}

/// What one file of the walk is: an article or a skip.
fn sort_entry(entry: walkdir::DirEntry, linked: &mut HashSet<(u64, u64)>) -> Entry {
    let path = absolute(entry.path());
    if let Some(reason) = special_reason(&entry.file_type()) {
        return Entry::Skipped { path, reason };
    }
    if is_project_file(&path) {
        return Entry::Skipped {
            path,
            reason: SkipReason::ProjectFile,
        };
    }
    let Some(kind) = kind_of(&path) else {
        return Entry::Skipped {
            path,
            reason: SkipReason::FileType,
        };
    };
    if path.to_str().is_none() {
        // The index stores paths as text, and two such names could read the same once
        // their bad bytes are replaced: refuse rather than mix two files up.
        return Entry::Skipped {
            path,
            reason: SkipReason::BadName,
        };
    }
    let meta = match entry.metadata() {
        Ok(m) => m,
        Err(e) => {
            return Entry::Skipped {
                path,
                reason: SkipReason::Walk(e.to_string()),
            };
        }
    };
    if meta.nlink() > 1 && !linked.insert((meta.dev(), meta.ino())) {
        return Entry::Skipped {
            path,
            reason: SkipReason::HardLink,
        };
    }
    Entry::Article {
        path,
        kind,
        size: meta.len(),
        mtime_ns: mtime_ns(&meta),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.html");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // No writer ever opens it: a blocking open would never return.
        assert_eq!(
            read_limited(&fifo, 100),
            Err(SkipReason::NotAFile("a FIFO (named pipe), not a file"))
        );
    }

    #[test]
    fn a_file_whose_size_moves_while_read_is_refused() {
        // A /proc file states size 0 and reads as text: its size disagrees with what was read,
        // as a file's does when it grows under the reader.
        let p = Path::new("/proc/self/status");
        if !p.exists() {
            eprintln!("skipping: no /proc here");
            return;
        }
        assert_eq!(read_limited(p, 1_000_000), Err(SkipReason::Growing));
    }
}
