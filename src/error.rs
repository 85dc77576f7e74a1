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
    /// The saved-queries file is not valid TOML, or an entry in it is wrong, at this place.
    QueriesFile {
        /// The queries file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// What is wrong there.
        msg: String,
    },
    /// No saved query has this name.
    UnknownQuery {
        /// The name asked for.
        name: String,
        /// The closest existing name, if one is close.
        nearest: Option<String>,
        /// The queries file searched.
        path: PathBuf,
    },
    /// The configuration file cannot be read or holds a mistake.
    Config {
        /// The configuration file.
        path: PathBuf,
        /// What is wrong, with the line and column when known.
        msg: String,
    },
    /// `saved add` of a name that exists, without `--force`.
    DuplicateQuery {
        /// The name.
        name: String,
        /// The queries file.
        path: PathBuf,
    },
}

impl fmt::Display for Error {
    /// Every message reads `<what went wrong>: <detail>; <what to do>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NoIndex(p) => write!(
                f,
                "no index at '{}': nothing has been indexed there; create one with 'dossier index \
                 DIR' (or point --index, DOSSIER_INDEX or config.toml at one)",
                p.display()
            ),
            Error::SchemaVersion {
                path,
                found,
                expected,
            } => write!(
                f,
                "index '{}' is from another version: schema version {found}, this build reads \
                 {expected}; rerun 'dossier index --rebuild DIR'",
                path.display()
            ),
            Error::Locked(p) => write!(
                f,
                "index '{}' is busy: another 'dossier index' is writing it; wait for it to finish",
                p.display()
            ),
            Error::Query { query, pos, msg } => {
                write!(f, "bad query '{query}' at column {}: {msg}", pos + 1)?;
                with_hint(f, msg, "see 'dossier search --help' for the query language")
            }
            Error::Argument(msg) => f.write_str(msg),
            Error::Io { path, source } => {
                write!(f, "cannot use '{}': {source}", path.display())?;
                let hint = match source.kind() {
                    std::io::ErrorKind::NotFound => "check the path",
                    std::io::ErrorKind::PermissionDenied => "check its permissions",
                    _ => "check the file and the disk",
                };
                with_hint(f, &source.to_string(), hint)
            }
            Error::Index(msg) => write!(
                f,
                "cannot read the index: {msg}; if it is damaged, rebuild it with 'dossier index \
                 --rebuild DIR'"
            ),
            Error::QueriesFile {
                path,
                line,
                column,
                msg,
            } => {
                write!(f, "{}:{line}:{column}: {msg}", path.display())?;
                with_hint(f, msg, "fix the saved-queries file")
            }
            Error::Config { path, msg } => write!(
                f,
                "bad configuration file '{}': {msg}; fix it, or point DOSSIER_CONFIG at another \
                 file",
                path.display()
            ),
            Error::UnknownQuery {
                name,
                nearest,
                path,
            } => {
                write!(
                    f,
                    "unknown saved query '{name}': not in '{}'; ",
                    path.display()
                )?;
                if let Some(n) = nearest {
                    write!(f, "did you mean '{n}'? ")?;
                }
                write!(f, "see 'dossier saved list'")
            }
            Error::DuplicateQuery { name, path } => write!(
                f,
                "a saved query named '{name}' already exists: it is in '{}'; use --force to \
                 replace it",
                path.display()
            ),
        }
    }
}

/// Ends a message with `; hint` unless its detail already says what to do.
fn with_hint(f: &mut fmt::Formatter<'_>, detail: &str, hint: &str) -> fmt::Result {
    if detail.contains("; ") {
        Ok(())
    } else {
        write!(f, "; {hint}")
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
