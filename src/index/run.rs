//! One `dossier index` run: takes the lock, picks the generation to write, walks the roots,
//! reads and extracts the files that changed on every core, and writes and commits their
//! documents (see the module documentation of [`super`]).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tantivy::indexer::{IndexWriterOptions, UserOperation};
use tantivy::{DateTime, Index, IndexWriter, TantivyDocument};

use crate::article::Article;
use crate::copies::{self, Groups, Table};
use crate::corpus::{self, Entry};
use crate::error::{Error, Result};
use crate::extract::{kind_of, Kind, Skip};
use crate::schema::{Fields, KIND_GROUPS, TAGGING_VERSION};
use crate::skip::SkipReason;

use super::docs::{self, documents, id_term};
use super::layout::{self, Layout};
use super::merge::CappedMerges;
use super::record::{FilesRecord, Id, Slot};
use super::store::{collect_garbage, committed_seq, create, disk_full, explain, open_with_meta};
use super::{lock, Event, IndexOptions, Summary};

/// The record of files, beside the Tantivy files of a generation.
const FILES_FILE: &str = "files.json";
/// Results waiting for the writer at most; bounds the memory of a run whatever the corpus.
const CHANNEL: usize = 32;
/// Files whose paths are spelled out at once for reading; the rest wait as record slots.
const BATCH: usize = 4096;
/// Documents (articles and passages) a merge writes at most; see [`merge`].
const MAX_MERGE_DOCS: u32 = 70_000;

/// Indexes the roots into the index, creating it if needed.
///
/// The index folder must be empty, new, or a dossier index; it must not overlap a root. One run
/// writes an index at a time: this one waits for another as [`IndexOptions::wait`] says. The
/// run is recorded in `runs.json` (see [`crate::status`]), completed or failed.
pub fn run(opts: &IndexOptions, on_event: &mut dyn FnMut(Event)) -> Result<Summary> {
    let started = Instant::now();
    tune_allocator();
    let root = &opts.index;
    layout::check_apart(root, &opts.roots)?;
    read_layout(root, opts.rebuild)?;
    if opts.rebuild && !opts.allow_empty {
        check_roots_hold_files(&opts.roots)?;
    }
    std::fs::create_dir_all(root).map_err(|e| Error::io(root, e))?;
    let _lock = lock::acquire(root, opts.wait, &mut |h| on_event(Event::Waiting(h)))?;
    // Read again under the lock: the run that held it may have created or switched it.
    let found = read_layout(root, opts.rebuild)?;
    super::runs::record_start(root, opts.rebuild)?;
    let result = run_locked(opts, found, started, on_event);
    match &result {
        Ok(summary) => {
            super::runs::record_run(root, &opts.roots, &opts.forget, opts.rebuild, summary)?
        }
        Err(e) => {
            // The error is what the user must see; a full disk may refuse this record too.
            let _ = super::runs::record_failure(root, e);
        }
    }
    result
}

/// What the index folder holds. A rebuild goes ahead over a garbled marker, as over any damage:
/// the folder is still recognisably dossier's, and nothing in it can be read.
fn read_layout(root: &Path, rebuild: bool) -> Result<Layout> {
    match layout::read(root) {
        Err(Error::Damaged { .. }) if rebuild => Ok(Layout::Empty),
        other => other,
    }
}

/// A rebuild replaces the whole index: a folder that is missing or empty now (an unmounted disk)
/// would lose its articles, so it stops the rebuild before anything is written.
fn check_roots_hold_files(roots: &[PathBuf]) -> Result<()> {
    for root in roots {
        let empty = match std::fs::read_dir(root) {
            Ok(mut entries) => entries.next().is_none(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
            // A single file, or a folder the walk reports on its own.
            Err(_) => false,
        };
        if empty {
            return Err(Error::Argument(format!(
                "'{}' is missing or empty: a rebuild would drop every article indexed from it \
                 (an unmounted disk?); mount it, or rebuild with --allow-empty",
                root.display()
            )));
        }
    }
    Ok(())
}

/// Where the run writes: the generation searches read, or a new one that becomes it at the end.
struct Target {
    dir: PathBuf,
    /// The generation to switch to once the run completes (a rebuild, or a first run).
    switch_to: Option<String>,
    /// The generation written was not yet visible to searches: removed if the run fails.
    fresh: bool,
}

fn run_locked(
    opts: &IndexOptions,
    found: Layout,
    started: Instant,
    on_event: &mut dyn FnMut(Event),
) -> Result<Summary> {
    let root = &opts.index;
    let current = match &found {
        Layout::Generation(g) => Some(g.clone()),
        _ => None,
    };
    // What a killed or failed rebuild left half written goes first.
    if let Some(g) = &current {
        layout::remove_other_generations(root, g)?;
    } else if found == Layout::Empty {
        layout::remove_other_generations(root, "")?;
    }
    let target = if opts.rebuild || found == Layout::Empty {
        let gen = layout::new_generation(root)?;
        let dir = root.join(&gen);
        if found == Layout::Empty {
            // A first run is searchable from its first commit, as later runs are.
            create(&dir)
                .and_then(|_| layout::switch(root, &gen))
                .inspect_err(|_| {
                    let _ = layout::remove_dir(&dir);
                })?;
            Target {
                dir,
                switch_to: None,
                fresh: false,
            }
        } else {
            Target {
                dir,
                switch_to: Some(gen),
                fresh: true,
            }
        }
    } else {
        Target {
            dir: layout::data_dir(root)?,
            switch_to: None,
            fresh: false,
        }
    };
    let summary = match index_into(opts, &target.dir, started, on_event) {
        Ok(summary) => summary,
        Err(e) => {
            // Tantivy may report a full disk as a dead indexing thread: look at the disk itself
            // before the clean-up below frees space.
            let full = disk_full(&target.dir);
            if target.fresh {
                let _ = layout::remove_dir(&target.dir);
            } else {
                collect_garbage(&target.dir);
            }
            return Err(explain(root, e, target.fresh, full));
        }
    };
    if let Some(gen) = &target.switch_to {
        if let Err(e) = layout::switch(root, gen) {
            let full = disk_full(root);
            let _ = layout::remove_dir(&target.dir);
            return Err(explain(root, e, true, full));
        }
        match found {
            Layout::Legacy => layout::remove_legacy(root)?,
            _ => layout::remove_other_generations(root, gen)?,
        }
    }
    Ok(summary)
}

/// The run proper, into the generation folder `dir`.
fn index_into(
    opts: &IndexOptions,
    dir: &Path,
    started: Instant,
    on_event: &mut dyn FnMut(Event),
) -> Result<Summary> {
    let (index, outdated) = match open_with_meta(&opts.index, dir) {
        Ok((index, meta)) => (index, meta.tagging_version < TAGGING_VERSION),
        Err(Error::NoIndex(_)) => (create(dir)?, false),
        Err(e) => return Err(e),
    };
    let fields = Fields::from_schema(&index.schema())?;
    let files_path = dir.join(FILES_FILE);
    let record = FilesRecord::load(&files_path)?;
    let seq = committed_seq(&index)? + 1;
    let mut run = Run {
        fields,
        writer: None,
        counts: record.id_counts(),
        dirty: record.pending.clone(),
        record,
        touched: BTreeSet::new(),
        modified: false,
        files_path,
        seq,
        commit_every: opts.commit_every,
        max_file_size: opts.max_file_size,
        last_commit: Instant::now(),
        summary: Summary {
            outdated,
            ..Summary::default()
        },
        table: None,
        groups: Groups::default(),
        last_commit_reader: None,
    };
    run.forget_roots(&opts.forget);
    let to_read = run.scan(&opts.roots, opts.allow_empty, on_event);
    // The writer gets what the budget leaves once the walk has filled the record, so the run's
    // peak does not grow with the corpus.
    run.writer = Some(writer(
        &index,
        opts,
        run.heap_bytes() + to_read.heap_bytes(),
    )?);
    on_event(Event::Start {
        files: to_read.slots.len(),
        bytes: to_read.bytes,
    });
    run.read_all(to_read, on_event)?;
    run.resolve(on_event)?;
    run.commit()?;
    let Run {
        writer,
        mut summary,
        ..
    } = run;
    if let Some(writer) = writer {
        writer.wait_merging_threads()?;
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Keeps glibc's heap from adding to the peak memory of a run.
///
/// Indexing runs a dozen threads that allocate and free large buffers; glibc gives each busy
/// thread an arena of its own and keeps what is freed in it: two arenas are allowed at most.
///
/// glibc serves blocks past its mmap threshold from fresh mappings and unmaps them on free, but
/// raises the threshold to the size of each such block freed. After the first flush of
/// Tantivy's buffers, their 1 MB pages came from the heap, and what the flushes freed stayed
/// there in fragments: at 100,000 pages the heap stayed near 180 MB between flushes. A fixed
/// threshold lets it fall back to about 50 MB after each flush, however long the run.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning, for arenas and blocks allocated from now
    // on; it is called before the reading and indexing threads start.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

/// Tantivy's writer: one indexing thread per core sharing the memory budget, less the `held`
/// bytes the run keeps of its own (the record of files, mostly).
fn writer(index: &Index, opts: &IndexOptions, held: usize) -> Result<IndexWriter> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    let budget = opts
        .memory_mb
        .saturating_mul(1_000_000)
        .saturating_sub(held);
    let per_thread = (budget / threads).clamp(15_000_000, 4_000_000_000);
    let options = IndexWriterOptions::builder()
        .num_worker_threads(threads)
        .memory_budget_per_thread(per_thread)
        .num_merge_threads(1)
        .build();
    match index.writer_with_options(options) {
        Ok(w) => {
            w.set_merge_policy(Box::new(CappedMerges::new(MAX_MERGE_DOCS)));
            Ok(w)
        }
        Err(tantivy::TantivyError::LockFailure(..)) => Err(Error::Locked {
            path: opts.index.clone(),
            holder: "pid unknown".to_string(),
            waited: None,
        }),
        Err(e) => Err(Error::damaged(&opts.index, crate::error::describe(&e))),
    }
}

/// The files a run must read: new ones, recorded unread, and ones whose size or timestamp moved.
#[derive(Default)]
struct ToRead {
    slots: Vec<Slot>,
    /// The size and timestamp found by the walk of changed files (the record keeps the old ones
    /// until the file is read).
    restat: HashMap<Slot, (u64, i64)>,
    /// Their size in all.
    bytes: u64,
}

impl ToRead {
    /// Bytes held, roughly.
    fn heap_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Slot>()
            + self.restat.capacity() * (std::mem::size_of::<(Slot, (u64, i64))>() + 1)
    }
}

/// A file to read, spelled out for a reading thread.
struct Work {
    slot: Slot,
    path: PathBuf,
    kind: Option<Kind>,
    size: u64,
    mtime_ns: i64,
    /// The content hash the record holds for this path.
    known: Option<Id>,
}

/// What reading a file found.
enum Outcome {
    /// Same bytes as recorded.
    Same,
    /// An article to index.
    Article(Box<Article>),
    /// Extraction refused the bytes (hash, reason).
    Refused(Id, Skip),
    /// The file could not be read.
    Failed(SkipReason),
}

fn read_file(w: &Work, max_size: u64) -> (Outcome, u64) {
    let Some(kind) = w.kind else {
        return (Outcome::Failed(SkipReason::FileType), 0);
    };
    let bytes = match corpus::read_limited(&w.path, max_size) {
        Ok(b) => b,
        Err(reason) => return (Outcome::Failed(reason), 0),
    };
    let len = bytes.len() as u64;
    let id = Id::of_bytes(&bytes);
    if w.known == Some(id) {
        return (Outcome::Same, len);
    }
    let outcome = match Article::from_bytes(w.path.clone(), &bytes, kind) {
        Ok(a) => Outcome::Article(Box::new(a)),
        Err(skip) => Outcome::Refused(id, skip),
    };
    (outcome, len)
}

/// An article whose documents must be rewritten: its paths changed.
struct Rewrite {
    id: Id,
    paths: Vec<PathBuf>,
}

/// What re-reading an article's first path found.
enum Reread {
    Article(Box<Article>, u64),
    /// The bytes are no longer those of the id (the file changed during the run).
    Moved,
}

fn reread(r: &Rewrite) -> Reread {
    let path = &r.paths[0];
    let Some(kind) = kind_of(path) else {
        return Reread::Moved;
    };
    let Ok(bytes) = std::fs::read(path) else {
        return Reread::Moved;
    };
    if Id::of_bytes(&bytes) != r.id {
        return Reread::Moved;
    }
    match Article::from_bytes(path.clone(), &bytes, kind) {
        Ok(a) => Reread::Article(Box::new(a), bytes.len() as u64),
        Err(_) => Reread::Moved,
    }
}

/// Runs `work` over `items` on the rayon pool and `handle` on this thread, in completion order,
/// with at most [`CHANNEL`] results waiting. After an error from `handle` the workers stop taking
/// items and the error is returned.
fn pipeline<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(&T) -> R + Sync,
    mut handle: impl FnMut(&T, R) -> Result<()>,
) -> Result<()> {
    let stop = AtomicBool::new(false);
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, R)>(CHANNEL);
    let mut result = Ok(());
    std::thread::scope(|s| {
        s.spawn(|| {
            items
                .par_iter()
                .enumerate()
                .for_each_with(tx, |tx, (i, item)| {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    if tx.send((i, work(item))).is_err() {
                        stop.store(true, Ordering::Relaxed);
                    }
                });
        });
        for (i, r) in rx {
            if result.is_ok() {
                result = handle(&items[i], r);
                if result.is_err() {
                    stop.store(true, Ordering::Relaxed);
                }
            }
        }
    });
    result
}

/// The state of one run.
struct Run {
    fields: Fields,
    /// Opened after the walk: see [`run`].
    writer: Option<IndexWriter>,
    record: FilesRecord,
    /// Recorded files per article id.
    counts: HashMap<Id, u32>,
    /// Ids whose documents do not list the recorded paths: rewritten or deleted at the end.
    dirty: BTreeSet<Id>,
    /// Ids whose documents changed since the last commit.
    touched: BTreeSet<Id>,
    /// The record changed since it was last written.
    modified: bool,
    files_path: PathBuf,
    /// Sequence number of the next commit, stored on the documents it adds.
    seq: u64,
    commit_every: Duration,
    max_file_size: u64,
    last_commit: Instant,
    summary: Summary,
    /// What grouping knows of every article, read from the index when the run first changes an
    /// article; the groups are made again from it at each commit that changed one.
    table: Option<Table>,
    /// The groups as last committed, read with the table: their ids carry over.
    groups: Groups,
    /// The last commit as the run found it, opened when an article is first written again:
    /// where the article's `first_seen` is read back from.
    last_commit_reader: Option<tantivy::Searcher>,
}

impl Run {
    /// Tantivy's writer, open once the walk is done.
    fn tantivy(&mut self) -> &mut IndexWriter {
        self.writer
            .as_mut()
            .expect("the writer is opened before any file is read")
    }

    /// Deletes the documents of an article.
    fn delete(&mut self, id: Id) -> Result<()> {
        let term = id_term(&self.fields, &id.hex());
        self.tantivy().delete_term(term);
        self.table()?.remove(id.key());
        Ok(())
    }

    /// The grouping table, read from the last commit the first time it is needed: before the
    /// run's first change, so it holds exactly what that commit holds.
    fn table(&mut self) -> Result<&mut Table> {
        if self.table.is_none() {
            let reader = self
                .tantivy()
                .index()
                .reader_builder()
                .reload_policy(tantivy::ReloadPolicy::Manual)
                .try_into()?;
            let searcher = reader.searcher();
            self.table = Some(Table::load(&searcher)?);
            self.groups = Groups::load(&searcher, &self.fields)?;
        }
        Ok(self.table.get_or_insert_with(Table::default))
    }

    /// When the last commit says the article `id` was first indexed, if it holds the article.
    fn first_seen(&mut self, id: Id) -> Result<Option<DateTime>> {
        if self.last_commit_reader.is_none() {
            let reader: tantivy::IndexReader = self
                .tantivy()
                .index()
                .reader_builder()
                .reload_policy(tantivy::ReloadPolicy::Manual)
                .try_into()?;
            self.last_commit_reader = Some(reader.searcher());
        }
        let searcher = self.last_commit_reader.as_ref().expect("opened above");
        docs::first_seen(searcher, &self.fields, &id.hex())
    }

    /// Replaces the groups document with the groups of the table as it stands.
    fn regroup(&mut self) -> Result<()> {
        let Some(table) = &self.table else {
            return Ok(());
        };
        let groups = table.groups(&self.groups);
        let mut doc = TantivyDocument::default();
        doc.add_u64(self.fields.kind, KIND_GROUPS);
        doc.add_u64(self.fields.seq, self.seq);
        doc.add_bytes(self.fields.groups, &groups.to_bytes());
        let ops = vec![
            UserOperation::Delete(tantivy::Term::from_field_u64(self.fields.kind, KIND_GROUPS)),
            UserOperation::Add(doc),
        ];
        self.tantivy().run(ops)?;
        self.groups = groups;
        Ok(())
    }

    /// Bytes the run holds of its own, roughly: the record of files and the counts per id.
    fn heap_bytes(&self) -> usize {
        let id_entry = std::mem::size_of::<(Id, u32)>() + 1;
        self.record.heap_bytes()
            + self.counts.capacity() * id_entry
            + (self.dirty.len() + self.touched.len()) * (std::mem::size_of::<Id>() + 8)
    }

    /// Drops every file recorded under the given roots: the user removes them on purpose.
    fn forget_roots(&mut self, roots: &[PathBuf]) {
        for root in roots {
            for slot in self.record.unseen_under(&corpus::absolute(root)) {
                self.forget(slot);
                self.summary.removed += 1;
            }
        }
    }

    /// Walks the roots: counts unchanged files, forgets files gone from a root, records new files
    /// as unread, and returns the files to read. A root that holds no file at all forgets
    /// nothing unless `allow_empty`: it may be an emptied folder or an unmounted disk.
    fn scan(
        &mut self,
        roots: &[PathBuf],
        allow_empty: bool,
        on_event: &mut dyn FnMut(Event),
    ) -> ToRead {
        let mut to_read = ToRead::default();
        let mut walk = corpus::Walk::new(roots);
        for root in roots {
            let root_abs = corpus::absolute(root);
            if !root_abs.exists() {
                // A missing root forgets nothing: it may be an unmounted disk.
                self.skip(on_event, root, SkipReason::MissingRoot);
                continue;
            }
            let mut files = 0;
            for entry in walk.root(&root_abs) {
                files += 1;
                match entry {
                    Entry::Skipped { path, reason } => self.skip(on_event, &path, reason),
                    Entry::Article {
                        path,
                        size,
                        mtime_ns,
                        ..
                    } => self.found(&path, size, mtime_ns, &mut to_read, on_event),
                }
            }
            let gone = self.record.unseen_under(&root_abs);
            if files == 0 && !gone.is_empty() && !allow_empty {
                on_event(Event::KeptEmpty {
                    root,
                    files: gone.len(),
                });
                self.summary.kept_roots.push(root.clone());
                continue;
            }
            for slot in gone {
                self.forget(slot);
                self.summary.removed += 1;
            }
        }
        to_read
    }

    /// Sorts one file found by the walk: unchanged, too large, or to read.
    fn found(
        &mut self,
        path: &Path,
        size: u64,
        mtime_ns: i64,
        to_read: &mut ToRead,
        on_event: &mut dyn FnMut(Event),
    ) {
        let slot = self.record.find(path);
        if size > self.max_file_size {
            // Too large now: what an earlier run indexed from it goes.
            if let Some(slot) = slot {
                self.forget(slot);
            }
            self.skip(on_event, path, SkipReason::TooLarge(self.max_file_size));
            return;
        }
        match slot {
            Some(slot) => {
                if self.record.see(slot) {
                    // Found already under an overlapping root.
                    return;
                }
                let s = self.record.state(slot);
                if s.size == size && s.mtime_ns == mtime_ns {
                    match self.record.reason(s).map(SkipReason::from_recorded) {
                        None => self.summary.unchanged += 1,
                        Some(reason) => self.skip(on_event, path, reason),
                    }
                    return;
                }
                to_read.restat.insert(slot, (size, mtime_ns));
                to_read.slots.push(slot);
            }
            None => to_read
                .slots
                .push(self.record.insert_unread(path, size, mtime_ns)),
        }
        to_read.bytes += size;
    }

    /// Reports and counts a skipped file: the one place skips are counted.
    fn skip(&mut self, on_event: &mut dyn FnMut(Event), path: &Path, reason: SkipReason) {
        on_event(Event::Skipped(path, &reason));
        *self.summary.skipped.entry(reason.to_string()).or_default() += 1;
        *self
            .summary
            .skipped_by_kind
            .entry(reason.kind())
            .or_default() += 1;
    }

    /// Takes a file's article out of the counts; the article must then be rewritten without it.
    fn release(&mut self, slot: Slot) {
        if self.record.is_unread(slot) {
            return;
        }
        self.modified = true;
        if let Some(&id) = self.record.state(slot).article() {
            if let Some(n) = self.counts.get_mut(&id) {
                *n -= 1;
                if *n == 0 {
                    self.counts.remove(&id);
                }
            }
            self.dirty.insert(id);
        }
    }

    /// Drops a file from the record; its article must then be rewritten without it.
    fn forget(&mut self, slot: Slot) {
        self.release(slot);
        self.modified = true;
        self.record.remove(slot);
    }

    /// Drops a file from the record by path, if it is there.
    fn forget_path(&mut self, path: &Path) {
        if let Some(slot) = self.record.find(path) {
            self.forget(slot);
        }
    }

    /// Reads the new and changed files in parallel and indexes what they hold. The paths of
    /// [`BATCH`] files at a time are spelled out, so their memory does not grow with the corpus.
    fn read_all(&mut self, mut to_read: ToRead, on_event: &mut dyn FnMut(Event)) -> Result<()> {
        let mut done = 0;
        let mut bytes = 0;
        let max_size = self.max_file_size;
        for batch in to_read.slots.chunks(BATCH) {
            let work: Vec<Work> = batch
                .iter()
                .map(|&slot| {
                    let path = self.record.path(slot);
                    let state = self.record.state(slot);
                    let (size, mtime_ns, known) = match to_read.restat.remove(&slot) {
                        Some((size, mtime_ns)) => (size, mtime_ns, Some(state.id)),
                        None => (state.size, state.mtime_ns, None),
                    };
                    Work {
                        slot,
                        kind: kind_of(&path),
                        path,
                        size,
                        mtime_ns,
                        known,
                    }
                })
                .collect();
            pipeline(
                &work,
                |w| read_file(w, max_size),
                |w, (outcome, len)| {
                    self.summary.files_read += 1;
                    self.summary.bytes_read += len;
                    self.file_read(w, outcome, on_event)?;
                    done += 1;
                    bytes += w.size;
                    on_event(Event::Progress {
                        files: done,
                        bytes,
                        skipped: self.summary.skipped_total(),
                    });
                    self.maybe_commit()
                },
            )?;
        }
        Ok(())
    }

    fn file_read(
        &mut self,
        w: &Work,
        outcome: Outcome,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<()> {
        match outcome {
            Outcome::Failed(reason) => {
                self.skip(on_event, &w.path, reason);
                self.forget(w.slot);
            }
            Outcome::Same => {
                self.modified = true;
                self.record.set_stat(w.slot, w.size, w.mtime_ns);
                let state = self.record.state(w.slot);
                match self.record.reason(state).map(SkipReason::from_recorded) {
                    None => self.summary.unchanged += 1,
                    Some(reason) => self.skip(on_event, &w.path, reason),
                }
            }
            Outcome::Refused(id, skip) => {
                self.skip(on_event, &w.path, SkipReason::Refused(skip));
                self.release(w.slot);
                self.modified = true;
                let state = self
                    .record
                    .state_of(w.size, w.mtime_ns, id, Some(&skip.to_string()));
                self.record.set(w.slot, state);
            }
            Outcome::Article(article) => {
                let was_known = !self.record.is_unread(w.slot);
                self.release(w.slot);
                self.modified = true;
                let id = article.id;
                let state = self.record.state_of(w.size, w.mtime_ns, id, None);
                self.record.set(w.slot, state);
                let n = self.counts.entry(id).or_default();
                *n += 1;
                if *n > 1 {
                    // Another path holds these bytes: one article lists both, rewritten at the end.
                    self.summary.duplicate += 1;
                    self.dirty.insert(id);
                } else {
                    if was_known {
                        self.summary.changed += 1;
                    } else {
                        self.summary.new += 1;
                    }
                    // The index can hold documents of an id no recorded file holds only if the
                    // id is dirty (its files went, or a killed run left it pending); a fresh id
                    // needs no delete.
                    let replace = self.dirty.remove(&id);
                    self.write(id, &article, std::slice::from_ref(&w.path), replace)?;
                }
            }
        }
        Ok(())
    }

    /// Rewrites or deletes the documents of every id whose paths changed.
    fn resolve(&mut self, on_event: &mut dyn FnMut(Event)) -> Result<()> {
        let dirty = std::mem::take(&mut self.dirty);
        let mut rewrites = Vec::new();
        for (id, paths) in self.record.paths_of(&dirty) {
            if paths.is_empty() {
                self.delete(id)?;
                self.touched.insert(id);
            } else {
                rewrites.push(Rewrite { id, paths });
            }
        }
        // Until rewritten, these ids stay pending in any record written by a commit.
        self.dirty = rewrites.iter().map(|r| r.id).collect();
        pipeline(&rewrites, reread, |r, outcome| {
            match outcome {
                Reread::Article(article, len) => {
                    self.summary.files_read += 1;
                    self.summary.bytes_read += len;
                    self.write(r.id, &article, &r.paths, true)?;
                }
                Reread::Moved => {
                    // Forgetting the paths makes the next run read them afresh.
                    self.delete(r.id)?;
                    self.touched.insert(r.id);
                    for p in &r.paths {
                        self.forget_path(p);
                        self.skip(on_event, p, SkipReason::ChangedWhileIndexing);
                    }
                }
            }
            self.dirty.remove(&r.id);
            self.maybe_commit()
        })
    }

    /// Writes the documents of `article` (whose id is `id`) listing `paths`, replacing those the
    /// index holds of it if `replace`. Deletes are not free: at each commit Tantivy looks every
    /// one up in every segment, which made a full index read more of a larger index.
    fn write(&mut self, id: Id, article: &Article, paths: &[PathBuf], replace: bool) -> Result<()> {
        let indexed_at =
            DateTime::from_timestamp_secs(time::OffsetDateTime::now_utc().unix_timestamp());
        let mut ops = Vec::with_capacity(article.passages.len() + 2);
        let mut first_seen = indexed_at;
        if replace {
            ops.push(UserOperation::Delete(id_term(&self.fields, &id.hex())));
            first_seen = self.first_seen(id)?.unwrap_or(indexed_at);
        }
        let times = docs::Times {
            indexed_at,
            first_seen,
        };
        let docs = documents(&self.fields, article, paths, times, self.seq);
        ops.extend(docs.into_iter().map(UserOperation::Add));
        let published = article
            .extracted
            .published
            .map(|d| d.midnight().assume_utc().unix_timestamp());
        let entry = copies::Entry::new(
            published,
            docs::text_length(article),
            self.seq,
            &article.signature,
        );
        self.table()?.insert(id.key(), entry);
        // One batch: Tantivy puts its documents in one segment, in this order.
        self.tantivy().run(ops)?;
        self.summary.passages += article.passages.len();
        self.touched.insert(id);
        Ok(())
    }

    fn maybe_commit(&mut self) -> Result<()> {
        if self.last_commit.elapsed() >= self.commit_every {
            self.commit()?;
        }
        Ok(())
    }

    /// Commits: first the record with every id this commit may touch marked pending, then
    /// Tantivy, then the record with only the ids still to rewrite. With nothing changed there is
    /// nothing to write.
    fn commit(&mut self) -> Result<()> {
        if !self.modified && self.touched.is_empty() && self.dirty.is_empty() {
            return Ok(());
        }
        let mut pending = self.dirty.clone();
        pending.extend(self.touched.iter().copied());
        self.record.save(&self.files_path, pending)?;
        if !self.touched.is_empty() {
            self.regroup()?;
        }
        let payload = format!("seq={}", self.seq);
        let mut prepared = self.tantivy().prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.seq += 1;
        self.touched.clear();
        self.record.save(&self.files_path, self.dirty.clone())?;
        self.summary.commits += 1;
        self.modified = false;
        self.last_commit = Instant::now();
        Ok(())
    }
}
