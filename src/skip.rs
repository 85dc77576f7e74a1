//! Why a file found under a folder is not indexed: one type for every reason, each with its
//! message and the kind the summary counts it under, so that the walk, the reader, the indexer
//! and the command line agree on what a skip is and which ones need someone's attention.

use std::fmt;

use serde::Serialize;

use crate::extract;

/// Why a file is not indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// Not a `.html`, `.htm`, `.xhtml`, `.txt`, `.md` or `.markdown` file.
    FileType,
    /// A README, licence or the like: it describes a folder, it reports nothing.
    ProjectFile,
    /// Extraction found nothing to index: binary, empty, or no article text.
    Refused(extract::Skip),
    /// Larger than `--max-file-size` (the limit, not the file's size, so that every such file
    /// counts under one reason).
    TooLarge(u64),
    /// Reading failed: permission denied, an I/O error, a folder where a file was.
    Unreadable(String),
    /// A FIFO, socket or device, read as a file would block: which one.
    NotAFile(&'static str),
    /// The name is not UTF-8, and the index stores names as text.
    BadName,
    /// A symlink whose target is missing.
    BrokenLink,
    /// The walk of a folder failed there, with the system's message.
    Walk(String),
    /// A symlink back to a folder above it.
    LinkLoop,
    /// A link to a file or folder indexed under its own path.
    LinkInside,
    /// The same folder as one indexed under another path (a bind mount or a link).
    SameFolder,
    /// The same file as one indexed under another name (a hard link).
    HardLink,
    /// Gone between the listing of its folder and its reading.
    Gone,
    /// Its size moved while it was read; the next run reads it again.
    Growing,
    /// Its bytes changed while the run indexed it; the next run reads it again.
    ChangedWhileIndexing,
    /// A folder or file given on the command line does not exist.
    MissingRoot,
}

/// The kinds of skips the summary counts: `12 skipped: 9 not an article, 2 unreadable, 1 too
/// large`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipKind {
    /// Not an article: another file type, a README, binary, empty, or no article text.
    NotAnArticle,
    /// Too large for `--max-file-size`.
    TooLarge,
    /// Could not be read, or is not a regular file.
    Unreadable,
    /// Met already under another path: a link, a mount, a hard link.
    SeenElsewhere,
    /// Changed or went while it was read; the next run reads it again.
    Changing,
    /// A folder given on the command line that does not exist.
    Missing,
}

impl SkipKind {
    /// How the human summary names this kind.
    pub fn label(self) -> &'static str {
        match self {
            SkipKind::NotAnArticle => "not an article",
            SkipKind::TooLarge => "too large",
            SkipKind::Unreadable => "unreadable",
            SkipKind::SeenElsewhere => "met under another path",
            SkipKind::Changing => "changing",
            SkipKind::Missing => "missing",
        }
    }
}

impl SkipReason {
    /// The reason of an I/O error met while reading a file.
    pub fn from_io(e: &std::io::Error) -> SkipReason {
        use std::io::ErrorKind;
        match e.kind() {
            ErrorKind::NotFound => SkipReason::Gone,
            ErrorKind::PermissionDenied => SkipReason::Unreadable("permission denied".into()),
            ErrorKind::IsADirectory => SkipReason::Unreadable("a folder".into()),
            _ => SkipReason::Unreadable(e.to_string()),
        }
    }

    /// The reason of a file extraction refused, from the message a record of files keeps
    /// ([`extract::Skip`]'s `Display`); a message of another version reads as no article text.
    pub fn from_recorded(message: &str) -> SkipReason {
        let skip = [
            extract::Skip::Binary,
            extract::Skip::Empty,
            extract::Skip::NoText,
        ]
        .into_iter()
        .find(|s| s.to_string() == message)
        .unwrap_or(extract::Skip::NoText);
        SkipReason::Refused(skip)
    }

    /// The kind the summary counts this reason under.
    pub fn kind(&self) -> SkipKind {
        use SkipReason::*;
        match self {
            FileType | ProjectFile | Refused(_) => SkipKind::NotAnArticle,
            TooLarge(_) => SkipKind::TooLarge,
            Unreadable(_) | NotAFile(_) | BadName | BrokenLink | LinkLoop | Walk(_) => {
                SkipKind::Unreadable
            }
            LinkInside | SameFolder | HardLink => SkipKind::SeenElsewhere,
            Gone | Growing | ChangedWhileIndexing => SkipKind::Changing,
            MissingRoot => SkipKind::Missing,
        }
    }

    /// Whether someone should hear of this file without asking: a file that cannot be read
    /// or a folder that does not exist. The others are counted, and listed by `--verbose`.
    pub fn needs_attention(&self) -> bool {
        matches!(self.kind(), SkipKind::Unreadable | SkipKind::Missing)
    }

    /// Whether the file is simply not one dossier reads (another type, a README): `extract`
    /// does not list such files met in a folder.
    pub fn is_other_file(&self) -> bool {
        matches!(self, SkipReason::FileType | SkipReason::ProjectFile)
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SkipReason::*;
        match self {
            FileType => f.write_str("not an article file type"),
            ProjectFile => f.write_str("a README or licence, not an article"),
            Refused(skip) => write!(f, "{skip}"),
            TooLarge(max) => write!(f, "larger than --max-file-size {}", show_size(*max)),
            Unreadable(why) => write!(f, "cannot read: {why}"),
            NotAFile(what) => f.write_str(what),
            BadName => f.write_str("file name is not valid UTF-8; rename the file to index it"),
            BrokenLink => f.write_str("broken symlink or gone since the folder was listed"),
            LinkLoop => f.write_str("symlink loop: links back to a folder above it"),
            Walk(why) => f.write_str(why),
            LinkInside => {
                f.write_str("a link to a file or folder being indexed under its own path")
            }
            SameFolder => {
                f.write_str("the same folder as one indexed under another path (a mount or link)")
            }
            HardLink => {
                f.write_str("the same file as one indexed under another name (a hard link)")
            }
            Gone => f.write_str("cannot read: gone since the folder was listed"),
            Growing => f.write_str("changed while being read; read again next run"),
            ChangedWhileIndexing => f.write_str("changed while indexing; read again next run"),
            MissingRoot => f.write_str("no such file or folder"),
        }
    }
}

/// Skips counted by kind, the largest count first, for the human summary; `listed` when
/// `--verbose` listed the files.
pub fn summary_line(by_kind: &std::collections::BTreeMap<SkipKind, usize>, listed: bool) -> String {
    let total: usize = by_kind.values().sum();
    let mut counts: Vec<(SkipKind, usize)> = by_kind.iter().map(|(&k, &n)| (k, n)).collect();
    counts.sort_by_key(|&(k, n)| (std::cmp::Reverse(n), k));
    let parts: Vec<String> = counts
        .iter()
        .map(|(k, n)| format!("{n} {}", k.label()))
        .collect();
    let mut line = format!("{total} skipped: {}", parts.join(", "));
    if !listed {
        line += "; --verbose lists them";
    }
    line
}

/// The size as a short decimal figure: `100MB`, `1.5GB`, `512B`.
fn show_size(n: u64) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn messages_and_kinds() {
        assert_eq!(
            SkipReason::TooLarge(64_000_000).to_string(),
            "larger than --max-file-size 64MB"
        );
        assert_eq!(
            SkipReason::Refused(extract::Skip::Binary).to_string(),
            "binary content, not HTML or text"
        );
        assert_eq!(SkipReason::FileType.kind(), SkipKind::NotAnArticle);
        assert!(SkipReason::Unreadable("permission denied".into()).needs_attention());
        assert!(SkipReason::MissingRoot.needs_attention());
        assert!(!SkipReason::TooLarge(1).needs_attention());
        assert!(!SkipReason::Refused(extract::Skip::NoText).needs_attention());
    }

    #[test]
    fn recorded_messages_read_back() {
        for skip in [
            extract::Skip::Binary,
            extract::Skip::Empty,
            extract::Skip::NoText,
        ] {
            assert_eq!(
                SkipReason::from_recorded(&skip.to_string()),
                SkipReason::Refused(skip)
            );
        }
        assert_eq!(
            SkipReason::from_recorded("something older"),
            SkipReason::Refused(extract::Skip::NoText)
        );
    }

    #[test]
    fn io_errors() {
        let e = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(SkipReason::from_io(&e), SkipReason::Gone);
        let e = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(
            SkipReason::from_io(&e).to_string(),
            "cannot read: permission denied"
        );
    }

    #[test]
    fn the_summary_counts_by_kind() {
        let mut by_kind = BTreeMap::new();
        by_kind.insert(SkipKind::NotAnArticle, 9);
        by_kind.insert(SkipKind::Unreadable, 2);
        by_kind.insert(SkipKind::TooLarge, 1);
        assert_eq!(
            summary_line(&by_kind, false),
            "12 skipped: 9 not an article, 2 unreadable, 1 too large; --verbose lists them"
        );
        assert_eq!(
            summary_line(&by_kind, true),
            "12 skipped: 9 not an article, 2 unreadable, 1 too large"
        );
    }
}
