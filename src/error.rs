//! The library's error type: one enum whose messages are written for the person at the shell.
//!
//! Every variant names the thing at fault (a path, an argument, a query position) and, where one
//! exists, the next step. The binary prints them once as `dossier: {err}`.

use std::fmt;
use std::path::PathBuf;

/// Result alias used throughout the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the library, by kind.
#[derive(Debug)]
pub enum Error {
    /// No index exists at the path.
    NoIndex(PathBuf),
    /// The index was written by a build with another schema.
    SchemaVersion {
        /// Where the index lives.
        path: PathBuf,
        /// Version found on disk.
        found: u32,
        /// Version this build reads.
        expected: u32,
    },
    /// Another `dossier index` holds the writer lock.
    Locked(PathBuf),
    /// A query that does not parse; `pos` is a byte offset into `query`.
    Query {
        /// The query text as given.
        query: String,
        /// Byte offset of the problem.
        pos: usize,
        /// What is wrong there.
        msg: String,
    },
    /// A bad command-line value (a date, an agency, a country).
    Argument(String),
    /// Reading or writing a file failed.
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Tantivy failed: a corrupt or unreadable index.
    Index(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NoIndex(p) => write!(
                f,
                "no index at '{}'; create one with 'dossier index DIR' (or set --index / DOSSIER_INDEX)",
                p.display()
            ),
            Error::SchemaVersion { path, found, expected } => write!(
                f,
                "index '{}' has schema version {found}, this build reads {expected}; rerun 'dossier index --rebuild DIR'",
                path.display()
            ),
            Error::Locked(p) => write!(
                f,
                "index '{}' is being written by another 'dossier index'; wait for it to finish",
                p.display()
            ),
            Error::Query { query, pos, msg } => {
                write!(f, "bad query '{query}' at column {}: {msg}", pos + 1)
            }
            Error::Argument(msg) => f.write_str(msg),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Index(msg) => write!(f, "index error: {msg}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        Error::Index(e.to_string())
    }
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
