//! Writes articles into the Tantivy index and keeps it in step with the folders it came from.
//!
//! A run walks the roots, compares each file with what the last run recorded (size and
//! modification time, then the content hash), reads only what changed, and replaces a changed
//! file's passages. Files that disappeared from an indexed root lose their passages. Reading,
//! extraction and tagging run on every core; Tantivy's writer indexes on its own threads.
//! The record of indexed files (`files.json`) is written after each commit, and every file's
//! passages are deleted by path before they are added, so a run that dies between the two can
//! only cause extra work on the next run, never duplicates.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::schema::Term;
use tantivy::{DateTime, Index, IndexWriter, TantivyDocument};

use crate::article::{content_id, Article};
use crate::corpus::{self, Entry};
use crate::error::{Error, Result};
use crate::extract::Kind;
use crate::schema::{self, Fields, KIND_ARTICLE, KIND_PASSAGE, SCHEMA_VERSION};

const META_FILE: &str = "dossier.json";
const FILES_FILE: &str = "files.json";
/// Files handed to the worker threads at once; also the unit between progress reports.
const BATCH: usize = 256;
/// A commit at least this often, so a killed run keeps most of its work.
const COMMIT_EVERY: Duration = Duration::from_secs(30);

/// The default index location: `$DOSSIER_INDEX` is handled by the CLI; this is the user's data
/// directory (`~/.local/share/dossier/index` on Linux).
pub fn default_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("dossier")
        .join("index")
}

/// What `dossier.json` beside the Tantivy files records.
#[derive(Serialize, Deserialize)]
struct Meta {
    schema_version: u32,
}

/// What the last run knew of one file.
#[derive(Serialize, Deserialize, Clone, Debug)]
struct FileState {
    size: u64,
    mtime_ns: i128,
    id: String,
}

/// The record of indexed files, by absolute path.
#[derive(Serialize, Deserialize, Default)]
struct FilesRecord {
    files: BTreeMap<PathBuf, FileState>,
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
    /// Memory budget of Tantivy's writer, in megabytes.
    pub memory_mb: usize,
    /// Files larger than this many bytes are skipped.
    pub max_file_size: u64,
}

/// Counts of one run, for the summary line.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    /// Files seen for the first time.
    pub new: usize,
    /// Files whose content changed.
    pub changed: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Files gone from an indexed root, removed from the index.
    pub removed: usize,
    /// Files skipped, by reason.
    pub skipped: BTreeMap<String, usize>,
    /// Passages written in this run.
    pub passages: usize,
    /// Bytes read from disk.
    pub bytes_read: u64,
    /// Wall time of the run, in seconds.
    pub seconds: f64,
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
    Skipped(&'a Path, &'a str),
    /// Progress: files done out of the total to examine, bytes read so far.
    Progress {
        /// Files examined so far.
        done: usize,
        /// Files to examine in all.
        total: usize,
        /// Bytes read so far.
        bytes: u64,
    },
}

/// Opens the index at `path`, checking its schema version.
pub fn open(path: &Path) -> Result<Index> {
    let meta_path = path.join(META_FILE);
    let raw = match std::fs::read(&meta_path) {
        Ok(raw) => raw,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::NoIndex(path.to_path_buf()))
        }
        Err(e) => return Err(Error::io(meta_path, e)),
    };
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
        Index::open_in_dir(path).map_err(|e| Error::damaged(path, crate::error::describe(&e)))?;
    schema::register(&index);
    Ok(index)
}

fn create(path: &Path) -> Result<Index> {
    std::fs::create_dir_all(path).map_err(|e| Error::io(path, e))?;
    let index = Index::create_in_dir(path, schema::build())
        .map_err(|e| Error::Index(format!("cannot create '{}': {e}", path.display())))?;
    schema::register(&index);
    let meta = serde_json::to_vec(&Meta {
        schema_version: SCHEMA_VERSION,
    })
    .expect("meta serializes");
    write_atomic(&path.join(META_FILE), &meta)?;
    Ok(index)
}

/// Writes a file by writing a temporary sibling and renaming it over, so readers see the old or
/// the new content, never half of one.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, data).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
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

/// Indexes the roots into the index, creating it if needed.
pub fn run(opts: &IndexOptions, on_event: &mut dyn FnMut(Event)) -> Result<Summary> {
    let started = Instant::now();
    if opts.rebuild && opts.index.join(META_FILE).exists() {
        remove_index(&opts.index)?;
    }
    let index = match open(&opts.index) {
        Ok(index) => index,
        Err(Error::NoIndex(_)) => create(&opts.index)?,
        Err(e) => return Err(e),
    };
    let fields = Fields::from_schema(&index.schema())?;
    let mut writer: IndexWriter = match index.writer(opts.memory_mb.max(15) * 1_000_000) {
        Ok(w) => w,
        Err(tantivy::TantivyError::LockFailure(..)) => {
            return Err(Error::Locked(opts.index.clone()))
        }
        Err(e) => return Err(Error::damaged(&opts.index, crate::error::describe(&e))),
    };
    let files_path = opts.index.join(FILES_FILE);
    let mut record: FilesRecord = match std::fs::read(&files_path) {
        Ok(raw) => serde_json::from_slice(&raw).unwrap_or_default(),
        Err(_) => FilesRecord::default(),
    };
    let mut summary = Summary::default();
    let mut seq = committed_seq(&index)? + 1;

    let mut to_read = Vec::new();
    let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
    for root in &opts.roots {
        let root_abs = corpus::absolute(root);
        if !root_abs.exists() {
            let reason = "no such file or folder";
            on_event(Event::Skipped(root, reason));
            *summary.skipped.entry(reason.to_string()).or_default() += 1;
            continue;
        }
        for entry in corpus::walk(&root_abs) {
            match entry {
                Entry::Skipped { path, reason } => {
                    on_event(Event::Skipped(&path, &reason));
                    *summary.skipped.entry(reason).or_default() += 1;
                }
                Entry::Article {
                    path,
                    kind,
                    size,
                    mtime_ns,
                } => {
                    if !seen.insert(path.clone()) {
                        continue;
                    }
                    if size > opts.max_file_size {
                        let reason = corpus::too_large(opts.max_file_size);
                        on_event(Event::Skipped(&path, &reason));
                        *summary.skipped.entry(reason).or_default() += 1;
                        if record.files.remove(&path).is_some() {
                            writer.delete_term(path_term(&fields, &path));
                        }
                        continue;
                    }
                    match record.files.get(&path) {
                        Some(s) if s.size == size && s.mtime_ns == mtime_ns => {
                            summary.unchanged += 1
                        }
                        _ => to_read.push((path, kind, size, mtime_ns)),
                    }
                }
            }
        }
        // Files recorded under this root that the walk no longer finds are gone.
        let gone: Vec<PathBuf> = record
            .files
            .keys()
            .filter(|p| p.starts_with(&root_abs) && !seen.contains(*p))
            .cloned()
            .collect();
        for path in gone {
            writer.delete_term(path_term(&fields, &path));
            record.files.remove(&path);
            summary.removed += 1;
        }
    }

    let total = to_read.len();
    let mut last_commit = Instant::now();
    for (n, batch) in to_read.chunks(BATCH).enumerate() {
        let results: Vec<_> = batch
            .par_iter()
            .map(|(path, kind, size, mtime_ns)| {
                let read = read_article(path, *kind, &record, opts.max_file_size);
                (path, *size, *mtime_ns, read)
            })
            .collect();
        let indexed_at =
            DateTime::from_timestamp_secs(time::OffsetDateTime::now_utc().unix_timestamp());
        for (path, size, mtime_ns, result) in results {
            let was_known = record.files.contains_key(path);
            match result {
                Read::Unchanged { id, bytes } => {
                    summary.bytes_read += bytes;
                    summary.unchanged += 1;
                    record
                        .files
                        .insert(path.clone(), FileState { size, mtime_ns, id });
                }
                Read::Article(article, bytes) => {
                    summary.bytes_read += bytes;
                    writer.delete_term(path_term(&fields, path));
                    summary.passages += article.passages.len();
                    for doc in documents(&fields, &article, indexed_at, seq) {
                        writer.add_document(doc)?;
                    }
                    if was_known {
                        summary.changed += 1;
                    } else {
                        summary.new += 1;
                    }
                    record.files.insert(
                        path.clone(),
                        FileState {
                            size,
                            mtime_ns,
                            id: article.id,
                        },
                    );
                }
                Read::Skipped(reason) => {
                    on_event(Event::Skipped(path, &reason));
                    *summary.skipped.entry(reason).or_default() += 1;
                    if was_known {
                        writer.delete_term(path_term(&fields, path));
                        record.files.remove(path);
                    }
                }
            }
        }
        on_event(Event::Progress {
            done: ((n + 1) * BATCH).min(total),
            total,
            bytes: summary.bytes_read,
        });
        if last_commit.elapsed() >= COMMIT_EVERY {
            commit(&mut writer, seq, &files_path, &record)?;
            seq += 1;
            last_commit = Instant::now();
        }
    }
    commit(&mut writer, seq, &files_path, &record)?;
    writer.wait_merging_threads()?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

fn commit(
    writer: &mut IndexWriter,
    seq: u64,
    files_path: &Path,
    record: &FilesRecord,
) -> Result<()> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&format!("seq={seq}"));
    prepared.commit()?;
    let data = serde_json::to_vec(record).expect("file record serializes");
    write_atomic(files_path, &data)
}

fn remove_index(path: &Path) -> Result<()> {
    for entry in std::fs::read_dir(path).map_err(|e| Error::io(path, e))? {
        let entry = entry.map_err(|e| Error::io(path, e))?;
        let p = entry.path();
        let res = if p.is_dir() {
            std::fs::remove_dir_all(&p)
        } else {
            std::fs::remove_file(&p)
        };
        res.map_err(|e| Error::io(&p, e))?;
    }
    Ok(())
}

enum Read {
    /// The bytes hash to what the index already holds (only the timestamp moved).
    Unchanged {
        id: String,
        bytes: u64,
    },
    Article(Box<Article>, u64),
    Skipped(String),
}

fn read_article(path: &Path, kind: Kind, record: &FilesRecord, max_size: u64) -> Read {
    let bytes = match corpus::read_limited(path, max_size) {
        Ok(b) => b,
        Err(reason) => return Read::Skipped(reason),
    };
    let len = bytes.len() as u64;
    if let Some(state) = record.files.get(path) {
        if state.id == content_id(&bytes) {
            return Read::Unchanged {
                id: state.id.clone(),
                bytes: len,
            };
        }
    }
    match Article::from_bytes(path.to_path_buf(), &bytes, kind) {
        Ok(a) => Read::Article(Box::new(a), len),
        Err(skip) => Read::Skipped(skip.to_string()),
    }
}

fn path_term(fields: &Fields, path: &Path) -> Term {
    Term::from_field_text(fields.path, &path.to_string_lossy())
}

fn documents(
    fields: &Fields,
    article: &Article,
    indexed_at: DateTime,
    seq: u64,
) -> Vec<TantivyDocument> {
    let ex = &article.extracted;
    let path = article.path.to_string_lossy();
    let published = ex
        .published
        .map(|d| DateTime::from_timestamp_secs(d.midnight().assume_utc().unix_timestamp()));
    let common = |kind: u64| {
        let mut doc = TantivyDocument::default();
        doc.add_u64(fields.kind, kind);
        doc.add_text(fields.article_id, &article.id);
        doc.add_text(fields.path, &path);
        if let Some(url) = &ex.url {
            doc.add_text(fields.url, url);
        }
        if let Some(site) = &ex.site {
            doc.add_text(fields.site, site);
        }
        doc.add_text(fields.title, ex.title.as_deref().unwrap_or(""));
        for a in &article.tags.agencies {
            doc.add_text(fields.agency, a);
        }
        for c in &article.tags.countries {
            doc.add_text(fields.country, c);
        }
        if let Some(p) = published {
            doc.add_date(fields.published, p);
        }
        doc.add_date(fields.indexed_at, indexed_at);
        doc.add_u64(fields.seq, seq);
        doc
    };
    let mut whole = common(KIND_ARTICLE);
    for text in &article.passages {
        whole.add_text(fields.body, text);
    }
    let mut docs = vec![whole];
    docs.extend(article.passages.iter().enumerate().map(|(i, text)| {
        let mut doc = common(KIND_PASSAGE);
        doc.add_u64(fields.passage, i as u64);
        doc.add_text(fields.text, text);
        doc
    }));
    docs
}
