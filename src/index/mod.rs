//! Writes articles into the Tantivy index and keeps it in step with the folders it came from.
//!
//! A run walks the roots and compares each file with the record of the last run (`files.json`,
//! see [`record`]): a file whose size and modification time are unchanged is not opened; one
//! whose timestamp moved is hashed, and left alone if its bytes are the same. Changed files
//! replace their article's documents, files gone from an indexed root lose theirs, and identical
//! bytes found at several paths make one article listing every path.
//!
//! Reading, decoding, extraction and tagging run on every core (rayon) and feed Tantivy's writer
//! through a bounded channel, so memory stays flat however many files there are. The writer
//! commits at intervals; before each commit the record is written with the ids that commit may
//! touch, so a run killed at any moment leaves the last commit searchable and the next run ends
//! with the documents a clean run gives. A lock file keeps a second writer out (see [`lock`]);
//! a rebuild writes a new generation beside the index searches read (see [`layout`]).
//!
//! The module is two rooms: `store` owns the index on disk (opening with its version check,
//! creating, `dossier.json`, atomic writes, commit numbers, clean-up after a failed run) and
//! `run` owns one run (lock, generation, walk, read, extract, write, commit).

mod directory;
mod docs;
pub mod layout;
pub mod lock;
mod merge;
mod record;
mod run;
pub mod runs;
mod store;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::corpus;
use crate::skip::{SkipKind, SkipReason};

pub use run::run;
pub use store::{committed_seq, data_dir, open, retry_on_switch, write_atomic};
pub(crate) use store::{open_generation, tagging_version, write_atomic_with};

/// The lock file a run holds (see [`lock`]).
const LOCK_FILE: &str = "dossier.lock";
/// The writer's memory budget when none is given, in megabytes.
pub const DEFAULT_MEMORY_MB: usize = 128;
/// Seconds between commits when none is given.
pub const DEFAULT_COMMIT_SECS: f64 = 30.0;

/// The default index location: `$DOSSIER_INDEX` is handled by the CLI; this is the user's data
/// directory (`~/.local/share/dossier/index` on Linux).
pub fn default_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("dossier")
        .join("index")
}

/// Options of one `dossier index` run.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Where the index lives.
    pub index: PathBuf,
    /// Folders (or single files) to index.
    pub roots: Vec<PathBuf>,
    /// Start from an empty index.
    pub rebuild: bool,
    /// Memory budget of the run, in megabytes: Tantivy's writer gets what the record of files
    /// (about 190 bytes a file) leaves of it.
    pub memory_mb: usize,
    /// Time between commits: what a killed run can lose at most.
    pub commit_every: Duration,
    /// Files larger than this many bytes are skipped.
    pub max_file_size: u64,
    /// How long to wait for another run holding the index's lock: `None` as long as it takes,
    /// zero not at all.
    pub wait: Option<Duration>,
    /// Let a root that is empty now drop the articles indexed from it (else they are kept and
    /// the run reports it).
    pub allow_empty: bool,
    /// Roots whose articles are removed on purpose, whether or not they exist now.
    pub forget: Vec<PathBuf>,
}

impl IndexOptions {
    /// Options with the default memory budget and commit interval.
    pub fn new(index: PathBuf, roots: Vec<PathBuf>) -> IndexOptions {
        IndexOptions {
            index,
            roots,
            rebuild: false,
            memory_mb: DEFAULT_MEMORY_MB,
            commit_every: Duration::from_secs_f64(DEFAULT_COMMIT_SECS),
            max_file_size: corpus::DEFAULT_MAX_FILE_SIZE,
            wait: None,
            allow_empty: false,
            forget: Vec::new(),
        }
    }
}

/// Counts of one run. Every file found falls in exactly one of `new`, `changed`, `unchanged`,
/// `duplicate` and `skipped`; `removed` counts files gone since the last run.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    /// Files seen for the first time.
    pub new: usize,
    /// Files whose content changed.
    pub changed: usize,
    /// Files left as they were (a moved timestamp over the same bytes included).
    pub unchanged: usize,
    /// New or changed files whose bytes another path already holds: stored once, both listed.
    pub duplicate: usize,
    /// Files gone from an indexed root, removed from the index.
    pub removed: usize,
    /// Files skipped, by reason (its message).
    pub skipped: BTreeMap<String, usize>,
    /// Files skipped, by kind of reason ([`SkipKind`]): what the human summary counts.
    pub skipped_by_kind: BTreeMap<SkipKind, usize>,
    /// Files whose contents were read (opened and hashed) in this run.
    pub files_read: usize,
    /// Bytes read from disk.
    pub bytes_read: u64,
    /// Passages written in this run.
    pub passages: usize,
    /// Commits made (at intervals and at the end).
    pub commits: usize,
    /// Wall time of the run, in seconds.
    pub seconds: f64,
    /// The index was created by a dossier whose extraction or tagging gave other results: the
    /// files this run did not re-read keep them until `--rebuild`.
    pub outdated: bool,
    /// Roots that exist but held no file, whose indexed articles were kept (see
    /// [`IndexOptions::allow_empty`]).
    pub kept_roots: Vec<PathBuf>,
}

impl Summary {
    /// Total files skipped.
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }
}

/// Something a caller may want to show while a run goes on.
pub enum Event<'a> {
    /// A file was skipped; the run goes on.
    Skipped(&'a Path, &'a SkipReason),
    /// Files to read are known: how many and how many bytes.
    Start {
        /// Files that will be read.
        files: usize,
        /// Their size in all.
        bytes: u64,
    },
    /// Another run holds the index's lock: this one waits for it.
    Waiting(&'a lock::Holder),
    /// A root held no file at all (an emptied folder, an unmounted disk): the articles indexed
    /// from it are kept.
    KeptEmpty {
        /// The root as given.
        root: &'a Path,
        /// Files indexed from it before.
        files: usize,
    },
    /// One more file done.
    Progress {
        /// Files done so far.
        files: usize,
        /// Bytes of those files.
        bytes: u64,
        /// Files skipped so far.
        skipped: usize,
    },
}
