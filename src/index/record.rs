//! `files.json`: what the index holds of each file, so the next run reads only what changed.
//!
//! Each file is recorded by absolute path with the size and modification time it had when read
//! and the content hash of its bytes, which is also the id of the article documents made from it.
//! Files that extraction refused are recorded too, with the reason, so that an unchanged junk file
//! is not read again on every run.
//!
//! `pending` lists article ids whose documents may not match the record: ids touched since the
//! last commit and ids whose set of paths changed but whose documents are not yet rewritten. The
//! record is written with them before each commit, so whatever a killed run leaves behind, the
//! next run knows which ids to check and ends with the documents a clean run gives.
//!
//! The whole record stays in memory for a run, so it is held compactly: folders once each, file
//! names end to end in one string, ids as 16 bytes, skip reasons as a number into a short table.
//! That keeps it near 130 bytes a file, where paths and hex ids as separate strings in a tree
//! took about 400 and made the peak memory of a run grow with the corpus. The file on disk keeps
//! the JSON form it always had.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::path::{Path, PathBuf};

use hashbrown::HashTable;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// An article id, as the record keys files by it.
pub(crate) type Id = crate::id::ArticleId;

/// A recorded file's place in the record; stable until the file is removed.
pub(crate) type Slot = u32;

/// What the last read of one file found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FileState {
    /// Size in bytes when read.
    pub size: u64,
    /// Modification time in nanoseconds since the epoch when read.
    pub mtime_ns: i64,
    /// Content hash of the bytes (the article id when the file was indexed).
    pub id: Id,
    /// Why extraction refused the file (1 + index into the reasons), 0 if it did not.
    skipped: u16,
}

impl FileState {
    /// The article id this file contributes to the index, if any.
    pub fn article(&self) -> Option<&Id> {
        (self.skipped == 0).then_some(&self.id)
    }
}

/// One file of the record.
struct Entry {
    dir: u32,
    name_start: u32,
    name_len: u32,
    state: FileState,
    /// Found by this run's walk: what is left unseen under a root is gone.
    seen: bool,
    /// Found new by this run's walk and not read yet: not written to disk.
    unread: bool,
    /// False once removed: the slot waits for reuse.
    live: bool,
}

/// The record of indexed files, plus ids whose documents need checking.
#[derive(Default)]
pub(crate) struct FilesRecord {
    /// Folder paths, each once.
    dirs: Vec<Box<str>>,
    dir_ids: HashMap<Box<str>, u32>,
    /// File names end to end; an entry names its part.
    names: String,
    entries: Vec<Entry>,
    /// Slots of removed entries, for reuse.
    free: Vec<Slot>,
    /// Live slots by (folder, name).
    table: HashTable<Slot>,
    hasher: RandomState,
    /// Skip reasons, each once.
    reasons: Vec<Box<str>>,
    /// Ids whose documents may not match the files (see the module docs).
    pub pending: BTreeSet<Id>,
}

/// A path cut into its folder and file name, as the record holds it.
fn split(path: &Path) -> (&str, &str) {
    // The walk refuses names that are not UTF-8 and the record on disk is JSON, so every
    // recorded path is UTF-8; anything else is simply not found.
    let s = path.to_str().unwrap_or("");
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => (parent.to_str().unwrap_or(""), name.to_str().unwrap_or("")),
        _ => (s, ""),
    }
}

impl FilesRecord {
    /// Loads the record; a missing file is an empty record (a new index), a damaged one is an
    /// error, since trusting it could leave stale passages.
    pub fn load(path: &Path) -> Result<FilesRecord> {
        match std::fs::read(path) {
            Ok(raw) => serde_json::from_slice(&raw).map_err(|e| {
                Error::Index(format!(
                    "{}: {e}; rerun with --rebuild to index from scratch",
                    path.display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FilesRecord::default()),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Writes the record atomically with the given pending ids.
    pub fn save(&mut self, path: &Path, pending: BTreeSet<Id>) -> Result<()> {
        self.pending = pending;
        // Streamed: a large record never sits in memory as one buffer.
        super::write_atomic_with(path, |w| {
            serde_json::to_writer(w, &*self).map_err(std::io::Error::other)
        })
    }

    fn hash(&self, dir: u32, name: &str) -> u64 {
        self.hasher.hash_one((dir, name))
    }

    fn name(&self, e: &Entry) -> &str {
        &self.names[e.name_start as usize..(e.name_start + e.name_len) as usize]
    }

    /// The slot of a recorded file (one not read yet included).
    pub fn find(&self, path: &Path) -> Option<Slot> {
        let (dir, name) = split(path);
        let &d = self.dir_ids.get(dir)?;
        let hash = self.hash(d, name);
        self.table
            .find(hash, |&s| {
                let e = &self.entries[s as usize];
                e.dir == d && self.name(e) == name
            })
            .copied()
    }

    /// The state of a recorded file.
    pub fn state(&self, slot: Slot) -> &FileState {
        &self.entries[slot as usize].state
    }

    /// Sets the size and modification time of a recorded file.
    pub fn set_stat(&mut self, slot: Slot, size: u64, mtime_ns: i64) {
        let s = &mut self.entries[slot as usize].state;
        s.size = size;
        s.mtime_ns = mtime_ns;
    }

    /// Whether this run's walk found the file already; marks it found.
    pub fn see(&mut self, slot: Slot) -> bool {
        std::mem::replace(&mut self.entries[slot as usize].seen, true)
    }

    /// Whether the file was found new by this run and is not read yet.
    pub fn is_unread(&self, slot: Slot) -> bool {
        self.entries[slot as usize].unread
    }

    /// The skip reason of a recorded file, if extraction refused it.
    pub fn reason(&self, state: &FileState) -> Option<&str> {
        match state.skipped {
            0 => None,
            n => self.reasons.get(n as usize - 1).map(|r| &**r),
        }
    }

    /// The full path of a recorded file.
    pub fn path(&self, slot: Slot) -> PathBuf {
        let e = &self.entries[slot as usize];
        Path::new(&*self.dirs[e.dir as usize]).join(self.name(e))
    }

    /// A state with the given skip reason.
    pub fn state_of(
        &mut self,
        size: u64,
        mtime_ns: i64,
        id: Id,
        skipped: Option<&str>,
    ) -> FileState {
        let skipped = match skipped {
            None => 0,
            Some(r) => match self.reasons.iter().position(|x| **x == *r) {
                Some(i) => i as u16 + 1,
                // Reasons are a handful of fixed phrases; past u16 they share the last number.
                None if self.reasons.len() < u16::MAX as usize => {
                    self.reasons.push(r.into());
                    self.reasons.len() as u16
                }
                None => u16::MAX,
            },
        };
        FileState {
            size,
            mtime_ns,
            id,
            skipped,
        }
    }

    /// Records a file found new by this run's walk, not read yet (so not written to disk).
    pub fn insert_unread(&mut self, path: &Path, size: u64, mtime_ns: i64) -> Slot {
        let state = self.state_of(size, mtime_ns, Id::default(), None);
        let slot = self.insert(path, state);
        let e = &mut self.entries[slot as usize];
        e.seen = true;
        e.unread = true;
        slot
    }

    /// Sets what reading a recorded file found; it is then read.
    pub fn set(&mut self, slot: Slot, state: FileState) {
        let e = &mut self.entries[slot as usize];
        e.state = state;
        e.unread = false;
    }

    /// Records a file, replacing what the record held of the same path.
    pub fn insert(&mut self, path: &Path, state: FileState) -> Slot {
        if let Some(slot) = self.find(path) {
            self.set(slot, state);
            return slot;
        }
        let (dir, name) = split(path);
        let d = match self.dir_ids.get(dir) {
            Some(&d) => d,
            None => {
                let d = self.dirs.len() as u32;
                self.dirs.push(dir.into());
                self.dir_ids.insert(dir.into(), d);
                d
            }
        };
        let entry = Entry {
            dir: d,
            name_start: self.names.len() as u32,
            name_len: name.len() as u32,
            state,
            seen: false,
            unread: false,
            live: true,
        };
        self.names.push_str(name);
        let slot = match self.free.pop() {
            Some(s) => {
                self.entries[s as usize] = entry;
                s
            }
            None => {
                self.entries.push(entry);
                self.entries.len() as Slot - 1
            }
        };
        let hash = self.hash(d, name);
        let FilesRecord {
            table,
            entries,
            names,
            hasher,
            ..
        } = self;
        table.insert_unique(hash, slot, |&s| {
            let e = &entries[s as usize];
            let n = &names[e.name_start as usize..(e.name_start + e.name_len) as usize];
            hasher.hash_one((e.dir, n))
        });
        slot
    }

    /// Removes a file from the record and returns what it held.
    pub fn remove(&mut self, slot: Slot) -> FileState {
        let e = &self.entries[slot as usize];
        let hash = self.hash(e.dir, self.name(e));
        if let Ok(found) = self.table.find_entry(hash, |&s| s == slot) {
            found.remove();
        }
        let e = &mut self.entries[slot as usize];
        e.live = false;
        e.seen = false;
        e.unread = false;
        self.free.push(slot);
        e.state.clone()
    }

    /// Live slots, in no particular order.
    fn live(&self) -> impl Iterator<Item = Slot> + '_ {
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.live)
            .map(|(i, _)| i as Slot)
    }

    /// Recorded files at or under `root` that this run's walk did not find.
    pub fn unseen_under(&self, root: &Path) -> Vec<Slot> {
        // Decided once per folder: all of its files are under the root, none, or (when the root
        // is a single file) perhaps one.
        let under: Vec<u8> = self
            .dirs
            .iter()
            .map(|d| {
                let d = Path::new(&**d);
                if d.starts_with(root) {
                    2
                } else if root.starts_with(d) {
                    1
                } else {
                    0
                }
            })
            .collect();
        self.live()
            .filter(|&s| {
                let e = &self.entries[s as usize];
                !e.seen
                    && match under[e.dir as usize] {
                        2 => true,
                        1 => self.path(s).starts_with(root),
                        _ => false,
                    }
            })
            .collect()
    }

    /// Bytes the record holds, roughly (allocator overhead aside).
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let dirs: usize = self.dirs.iter().map(|d| d.len()).sum();
        // Each folder's name is held twice: in `dirs` and as a key of `dir_ids`.
        2 * dirs
            + self.dirs.capacity() * size_of::<Box<str>>()
            + self.dir_ids.capacity() * (size_of::<(Box<str>, u32)>() + 1)
            + self.names.capacity()
            + self.entries.capacity() * size_of::<Entry>()
            + self.free.capacity() * size_of::<Slot>()
            + self.table.capacity() * (size_of::<Slot>() + 1)
            + self.pending.len() * (size_of::<Id>() + 8)
    }

    /// How many recorded files hold each article id.
    pub fn id_counts(&self) -> HashMap<Id, u32> {
        let mut counts = HashMap::new();
        for s in self.live() {
            if let Some(id) = self.entries[s as usize].state.article() {
                *counts.entry(*id).or_default() += 1;
            }
        }
        counts
    }

    /// The recorded paths of each of `ids`, sorted; ids no file holds map to an empty list.
    pub fn paths_of(&self, ids: &BTreeSet<Id>) -> BTreeMap<Id, Vec<PathBuf>> {
        let mut out: BTreeMap<Id, Vec<PathBuf>> = ids.iter().map(|id| (*id, Vec::new())).collect();
        if ids.is_empty() {
            return out;
        }
        for s in self.live() {
            let e = &self.entries[s as usize];
            if e.unread {
                continue;
            }
            if let Some(paths) = e.state.article().and_then(|id| out.get_mut(id)) {
                paths.push(self.path(s));
            }
        }
        for paths in out.values_mut() {
            paths.sort();
        }
        out
    }
}

/// One file as `files.json` writes it.
#[derive(Serialize, Deserialize)]
struct StoredState<'a> {
    size: u64,
    mtime_ns: i128,
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none", borrow)]
    skipped: Option<std::borrow::Cow<'a, str>>,
}

impl Serialize for FilesRecord {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut st = serializer.serialize_struct("FilesRecord", 2)?;
        st.serialize_field("files", &Files(self))?;
        let pending: Vec<String> = self.pending.iter().map(Id::hex).collect();
        st.serialize_field("pending", &pending)?;
        st.end()
    }
}

/// The files of a record, written as a map from path to state, sorted by folder then name.
struct Files<'a>(&'a FilesRecord);

impl Serialize for Files<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let r = self.0;
        let mut slots: Vec<Slot> = r
            .live()
            .filter(|&s| !r.entries[s as usize].unread)
            .collect();
        slots.sort_unstable_by(|&a, &b| {
            let (ea, eb) = (&r.entries[a as usize], &r.entries[b as usize]);
            (&r.dirs[ea.dir as usize], r.name(ea)).cmp(&(&r.dirs[eb.dir as usize], r.name(eb)))
        });
        let mut map = serializer.serialize_map(Some(slots.len()))?;
        for s in slots {
            let state = r.state(s);
            let path = r.path(s);
            map.serialize_entry(
                &path,
                &StoredState {
                    size: state.size,
                    mtime_ns: state.mtime_ns.into(),
                    id: state.id.hex(),
                    skipped: r.reason(state).map(Into::into),
                },
            )?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for FilesRecord {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_map(RecordVisitor)
    }
}

struct RecordVisitor;

impl<'de> Visitor<'de> for RecordVisitor {
    type Value = FilesRecord;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a record of indexed files")
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<FilesRecord, A::Error> {
        let mut record = FilesRecord::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match &*key {
                "files" => map.next_value_seed(FilesSeed(&mut record))?,
                "pending" => {
                    for hex in map.next_value::<Vec<std::borrow::Cow<'de, str>>>()? {
                        record.pending.insert(bad_id(&hex)?);
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(record)
    }
}

fn bad_id<E: de::Error>(hex: &str) -> std::result::Result<Id, E> {
    Id::parse(hex).ok_or_else(|| E::custom(format!("bad article id '{hex}'")))
}

/// Reads the `files` map straight into the record, without a second copy of it.
struct FilesSeed<'a>(&'a mut FilesRecord);

impl<'de> DeserializeSeed<'de> for FilesSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FilesSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of file paths to states")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let record = self.0;
        while let Some((path, stored)) =
            map.next_entry::<std::borrow::Cow<'de, str>, StoredState<'de>>()?
        {
            // Nanoseconds since 1970 fit an i64 until 2262; a time past that only means the
            // file is read again.
            let mtime_ns = i64::try_from(stored.mtime_ns).unwrap_or(i64::MIN);
            let id = bad_id(&stored.id)?;
            let state = record.state_of(stored.size, mtime_ns, id, stored.skipped.as_deref());
            record.insert(Path::new(&*path), state);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const X: &str = "0123456789abcdef0123456789abcdef";
    const Y: &str = "fedcba9876543210fedcba9876543210";

    fn id(hex: &str) -> Id {
        Id::parse(hex).unwrap()
    }

    #[test]
    fn skipped_files_hold_no_article() {
        let mut r = FilesRecord::default();
        let s = r.state_of(1, 2, id(X), None);
        r.insert(Path::new("/a"), s.clone());
        r.insert(Path::new("/b"), s);
        let junk = r.state_of(1, 2, id(Y), Some("empty"));
        r.insert(Path::new("/c"), junk);
        assert_eq!(r.id_counts().get(&id(X)), Some(&2));
        assert_eq!(r.id_counts().get(&id(Y)), None);
        let ids = [id(X), id(Y)].into_iter().collect();
        let paths = r.paths_of(&ids);
        assert_eq!(paths[&id(X)], [PathBuf::from("/a"), PathBuf::from("/b")]);
        assert!(paths[&id(Y)].is_empty());
        let c = r.find(Path::new("/c")).unwrap();
        assert_eq!(r.reason(r.state(c)), Some("empty"));
    }

    #[test]
    fn heap_bytes_count_every_file() {
        let mut r = FilesRecord::default();
        let empty = r.heap_bytes();
        let s = r.state_of(1, 2, id(X), None);
        for i in 0..1000 {
            r.insert(
                Path::new(&format!("/corpus/d{}/page-{i}.html", i % 10)),
                s.clone(),
            );
        }
        let per_file = (r.heap_bytes() - empty) / 1000;
        // An entry, its name and its table slot at least; doubling capacities at most.
        let least = std::mem::size_of::<Entry>() + "page-999.html".len() + 4;
        assert!(
            (least..3 * least).contains(&per_file),
            "{per_file} bytes a file, expected {least} to {}",
            3 * least
        );
    }

    #[test]
    fn removed_slots_are_reused_and_not_found() {
        let mut r = FilesRecord::default();
        let s = r.state_of(1, 2, id(X), None);
        let a = r.insert(Path::new("/d/a.html"), s.clone());
        r.insert(Path::new("/d/e/b.html"), s.clone());
        assert_eq!(r.remove(a), s);
        assert_eq!(r.find(Path::new("/d/a.html")), None);
        let c = r.insert(Path::new("/d/c.html"), s);
        assert_eq!(c, a);
        assert_eq!(r.path(c), Path::new("/d/c.html"));
        assert_eq!(r.find(Path::new("/d/c.html")), Some(c));
        assert!(r.find(Path::new("/d/e/b.html")).is_some());
        assert_eq!(r.id_counts()[&id(X)], 2);
    }

    #[test]
    fn unseen_files_under_a_root() {
        let mut r = FilesRecord::default();
        let s = r.state_of(1, 2, id(X), None);
        for p in ["/r/a", "/r/s/b", "/rs/c", "/q/d"] {
            r.insert(Path::new(p), s.clone());
        }
        let b = r.find(Path::new("/r/s/b")).unwrap();
        assert!(!r.see(b));
        assert!(r.see(b));
        let paths = |slots: Vec<Slot>| {
            let mut v: Vec<_> = slots.into_iter().map(|s| r.path(s)).collect();
            v.sort();
            v
        };
        assert_eq!(paths(r.unseen_under(Path::new("/r"))), [Path::new("/r/a")]);
        assert_eq!(
            paths(r.unseen_under(Path::new("/q/d"))),
            [Path::new("/q/d")]
        );
        assert!(r.unseen_under(Path::new("/q/e")).is_empty());
    }

    #[test]
    fn unread_files_are_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("files.json");
        let mut r = FilesRecord::default();
        let s = r.state_of(3, -4, id(X), Some("empty file"));
        r.insert(Path::new("/a"), s.clone());
        r.insert_unread(Path::new("/b"), 5, 6);
        r.save(&p, [id(Y)].into_iter().collect()).unwrap();
        let back = FilesRecord::load(&p).unwrap();
        assert_eq!(back.find(Path::new("/b")), None);
        let a = back.find(Path::new("/a")).unwrap();
        assert_eq!(back.state(a).size, 3);
        assert_eq!(back.state(a).mtime_ns, -4);
        assert_eq!(back.reason(back.state(a)), Some("empty file"));
        assert_eq!(back.pending, [id(Y)].into_iter().collect());
    }

    #[test]
    fn reads_a_record_without_pending_ids() {
        let raw = format!(r#"{{"files":{{"/a":{{"size":3,"mtime_ns":4,"id":"{X}"}}}}}}"#);
        let r: FilesRecord = serde_json::from_str(&raw).unwrap();
        let a = r.find(Path::new("/a")).unwrap();
        assert_eq!(
            r.state(a),
            &FileState {
                size: 3,
                mtime_ns: 4,
                id: id(X),
                skipped: 0
            }
        );
        assert!(r.pending.is_empty());
    }

    #[test]
    fn a_damaged_record_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("files.json");
        std::fs::write(&p, b"{not json").unwrap();
        let err = FilesRecord::load(&p).err().unwrap().to_string();
        assert!(
            err.contains("files.json") && err.contains("--rebuild"),
            "{err}"
        );
        std::fs::write(
            &p,
            br#"{"files":{"/a":{"size":3,"mtime_ns":4,"id":"xyz"}}}"#,
        )
        .unwrap();
        let err = FilesRecord::load(&p).err().unwrap().to_string();
        assert!(err.contains("xyz") && err.contains("--rebuild"), "{err}");
        assert!(FilesRecord::load(&dir.path().join("none.json"))
            .unwrap()
            .live()
            .next()
            .is_none());
    }
}
