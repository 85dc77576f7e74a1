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
    Locked {
        /// Where the index lives.
        path: PathBuf,
        /// The run holding it (pid and since when), as far as known.
        holder: String,
        /// How long this run waited for it, if it did.
        waited: Option<std::time::Duration>,
    },
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
    /// The index exists but its files are damaged or missing; rebuilding it is the way out.
    Damaged {
        /// Where the index lives.
        path: PathBuf,
        /// What was found wrong, as the storage layer reports it.
        detail: String,
    },
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
    /// A rebuild replaced the index's files while a command was reading them.
    Rebuilt(PathBuf),
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
            Error::Locked {
                path,
                holder,
                waited,
            } => {
                write!(
                    f,
                    "index '{}' is busy: another 'dossier index' ({holder}) is writing it",
                    path.display()
                )?;
                match waited {
                    Some(w) => write!(
                        f,
                        " still after {:.1} s; let it finish, or wait longer with --wait SECONDS",
                        w.as_secs_f64()
                    ),
                    None => f.write_str("; let it finish, or wait for it with --wait SECONDS"),
                }
            }
            Error::Query { query, pos, msg } => {
                let column = query.get(..*pos).map_or(*pos, |q| q.chars().count()) + 1;
                write!(
                    f,
                    "bad query '{}' at column {column}: {msg}",
                    excerpt(query, *pos)
                )?;
                with_hint(f, msg, "see 'dossier search --help' for the query language")
            }
            Error::Argument(msg) => f.write_str(msg),
            Error::Rebuilt(path) => write!(
                f,
                "index '{}' was rebuilt while this command ran; run it again",
                path.display()
            ),
            Error::Damaged { path, detail } => write!(
                f,
                "index '{}' is damaged ({detail}); rebuild it with 'dossier index --rebuild DIR'",
                path.display()
            ),
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

/// Characters of a long query shown on each side of the position of an error.
const EXCERPT_CHARS: usize = 30;

/// The query as shown in an error: whole when short, else the part around `pos` with `...`
/// where it was cut, so a pasted page does not fill the terminal.
fn excerpt(query: &str, pos: usize) -> String {
    if query.chars().count() <= 2 * EXCERPT_CHARS + 20 {
        return query.to_string();
    }
    let pos = (0..=pos.min(query.len()))
        .rev()
        .find(|&p| query.is_char_boundary(p))
        .unwrap_or(0);
    let (before, after) = query.split_at(pos);
    let head: String = {
        let mut v: Vec<char> = before.chars().rev().take(EXCERPT_CHARS + 1).collect();
        let cut = v.len() > EXCERPT_CHARS;
        v.truncate(EXCERPT_CHARS);
        v.reverse();
        let s: String = v.into_iter().collect();
        if cut {
            format!("...{s}")
        } else {
            s
        }
    };
    let mut tail: String = after.chars().take(EXCERPT_CHARS).collect();
    if after.chars().nth(EXCERPT_CHARS).is_some() {
        tail.push_str("...");
    }
    head + &tail
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
        Error::Index(describe(&e))
    }
}

/// Tantivy's error in a few words: the files it names are the index's own, so the file name
/// alone says which (its messages carry Debug output and advice about old tantivy versions).
pub fn describe(e: &tantivy::TantivyError) -> String {
    use std::io::ErrorKind;
    use tantivy::directory::error::OpenReadError;
    let name = |p: &std::path::Path| {
        p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    match e {
        tantivy::TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(p)) => {
            format!("file '{}' is missing", name(p))
        }
        tantivy::TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath }) => {
            match io_error.kind() {
                ErrorKind::InvalidData | ErrorKind::UnexpectedEof => {
                    format!("file '{}' is truncated or corrupt", name(filepath))
                }
                _ => format!("cannot read file '{}': {io_error}", name(filepath)),
            }
        }
        other => other.to_string(),
    }
}

impl Error {
    /// The index at `path` is damaged: `detail` says how (one line, whatever the source).
    pub fn damaged(path: &std::path::Path, detail: impl fmt::Display) -> Self {
        let detail = detail.to_string();
        Error::Damaged {
            path: path.to_path_buf(),
            detail: detail.split_whitespace().collect::<Vec<_>>().join(" "),
        }
    }

    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query_error(query: &str, pos: usize) -> String {
        Error::Query {
            query: query.to_string(),
            pos,
            msg: "what".to_string(),
        }
        .to_string()
    }

    #[test]
    fn query_errors_count_columns_in_characters() {
        assert_eq!(
            query_error("émigré )", 9),
            "bad query 'émigré )' at column 8: what; see 'dossier search --help' for the query \
             language"
        );
    }

    #[test]
    fn long_queries_are_cut_around_the_position() {
        let q = format!("{}X{}", "a".repeat(500), "b".repeat(500));
        assert_eq!(
            query_error(&q, 500),
            format!(
                "bad query '...{}X{}...' at column 501: what; see 'dossier search --help' for the \
                 query language",
                "a".repeat(30),
                "b".repeat(29)
            )
        );
    }
}
