//! Copies of one story: reprints of a wire story or press release with their own headline, lead,
//! trimmed end or site furniture.
//!
//! Each article gets a MinHash signature of the 3-word shingles of its text, normalised, folded
//! and segmented by its language's analysis without stemming (so it works in every language and
//! script). At each commit the index groups the articles whose signatures share a band of
//! [`ROWS`] hashes (locality-sensitive hashing, [`BANDS`] bands) and whose estimated resemblance
//! reaches [`MIN_SIMILARITY`]; groups are the connected components of those pairs. Only
//! signatures are read, from a fast field, so adding, changing or deleting files regroups
//! without reading any article again.
//!
//! Separately written articles on one event share names and dates but few runs of three words,
//! so their resemblance stays far below the threshold.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::LazyLock;

use fnv::{FnvBuildHasher, FnvHasher};
use gaoya::minhash::{MinHasher, MinHasher32};
use serde::{Deserialize, Serialize};
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Term};
use tantivy::TantivyDocument;

use crate::error::Result;
use crate::lang;
use crate::schema::{Fields, KIND_ARTICLE, KIND_GROUPS};

/// Bands of the locality-sensitive hashing.
pub const BANDS: usize = 42;
/// Hashes a band: two articles are compared when one band of theirs is equal.
pub const ROWS: usize = 3;
/// Hashes of a signature.
pub const HASHES: usize = BANDS * ROWS;
/// Words a shingle.
const SHINGLE: usize = 3;
/// Share of equal hashes (an estimate of the shingles' Jaccard resemblance) two candidates must
/// reach to be copies. Reprints measured 0.5 and more; separately written reports of one event
/// stay under 0.1.
pub const MIN_SIMILARITY: f64 = 0.3;
/// Distinct shingles an article needs to be compared at all (about forty words): a text that
/// short is too small to tell a reprint from pages cut from one template (a notice, a listing,
/// a brief whose only change is a name or a number).
const MIN_SHINGLES: usize = 40;

/// The hasher, seeded the same in every run, so signatures stored by one run compare with the
/// next run's.
static HASHER: LazyLock<MinHasher32<FnvBuildHasher>> =
    LazyLock::new(|| MinHasher32::new_with_hasher_and_seed(HASHES, FnvBuildHasher::default(), 3));

/// The MinHash signature of an article's passages in its language, as stored in the index
/// (little-endian `u32`s); empty when the text is too short to compare.
pub fn signature(language: &str, passages: &[String]) -> Vec<u8> {
    // A reprint keeps its words: normalised, folded and segmented words compare it; stemming
    // would cost more and change nothing.
    let analyzer = lang::analyzer(language).unstemmed();
    // Each term hashed once; a shingle's hash mixes the last SHINGLE term hashes.
    let mut window = [0u64; SHINGLE];
    let mut seen = 0usize;
    let mut shingles: HashSet<u64> = HashSet::new();
    for p in passages {
        analyzer.each_term(p, &mut |t| {
            let mut h = FnvHasher::default();
            t.hash(&mut h);
            window.rotate_left(1);
            window[SHINGLE - 1] = h.finish();
            seen += 1;
            if seen >= SHINGLE {
                let mut s = FnvHasher::default();
                window.hash(&mut s);
                shingles.insert(s.finish());
            }
        });
    }
    if shingles.len() < MIN_SHINGLES {
        return Vec::new();
    }
    HASHER
        .create_signature(shingles.iter())
        .into_iter()
        .flat_map(u32::to_le_bytes)
        .collect()
}

fn hashes(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// The share of equal hashes of two signatures.
pub fn similarity(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / a.len() as f64
}

/// What grouping knows of one article.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Publication date (Unix seconds), if known.
    pub published: Option<i64>,
    /// Length of the article's text in bytes.
    pub length: u64,
    /// Commit that wrote the article.
    pub seq: u64,
    /// Its hashes ([`HASHES`] of them, or none when too short).
    pub hashes: Vec<u32>,
}

impl Entry {
    /// An entry from a stored signature.
    pub fn new(published: Option<i64>, length: u64, seq: u64, signature: &[u8]) -> Entry {
        Entry {
            published,
            length,
            seq,
            hashes: hashes(signature),
        }
    }
}

/// Every article's entry, by article key.
#[derive(Debug, Default)]
pub struct Table {
    entries: HashMap<u64, Entry>,
}

impl Table {
    /// Reads the entries of every live article of a snapshot from its fast fields.
    pub fn load(searcher: &tantivy::Searcher) -> Result<Table> {
        let mut entries = HashMap::new();
        for reader in searcher.segment_readers() {
            let ff = reader.fast_fields();
            let kinds = ff.u64("kind")?;
            let keys = ff.u64("article_key")?;
            let seqs = ff.u64("seq")?;
            let lengths = ff.u64("length")?;
            let published = ff.date("published")?;
            let Some(sigs) = ff.bytes("signature")? else {
                continue;
            };
            // The dictionary read in order once, rather than looked up a document at a time.
            let mut by_ord = Vec::with_capacity(sigs.num_terms());
            let mut stream = sigs
                .dictionary()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                by_ord.push(stream.key().to_vec());
            }
            for doc in reader.doc_ids_alive() {
                if kinds.first(doc) != Some(KIND_ARTICLE) {
                    continue;
                }
                let (Some(key), Some(ord)) = (keys.first(doc), sigs.term_ords(doc).next()) else {
                    continue;
                };
                let sig = by_ord.get(ord as usize).map(Vec::as_slice).unwrap_or(&[]);
                let entry = Entry::new(
                    published.first(doc).map(|d| d.into_timestamp_secs()),
                    lengths.first(doc).unwrap_or(0),
                    seqs.first(doc).unwrap_or(0),
                    sig,
                );
                entries.insert(key, entry);
            }
        }
        Ok(Table { entries })
    }

    /// Adds or replaces an article's entry.
    pub fn insert(&mut self, key: u64, entry: Entry) {
        self.entries.insert(key, entry);
    }

    /// Drops an article's entry.
    pub fn remove(&mut self, key: u64) {
        self.entries.remove(&key);
    }

    /// Groups the articles into stories of two articles or more; `previous` (the groups before
    /// this change) lends its ids to the groups that carry on its stories.
    pub fn groups(&self, previous: &Groups) -> Groups {
        let mut keys: Vec<u64> = self
            .entries
            .iter()
            .filter(|(_, e)| e.hashes.len() == HASHES)
            .map(|(&k, _)| k)
            .collect();
        keys.sort_unstable();
        let entries: Vec<&Entry> = keys.iter().map(|k| &self.entries[k]).collect();
        let mut sets = UnionFind::new(keys.len());
        let mut bucket: Vec<(u64, u32)> = Vec::with_capacity(keys.len());
        for band in 0..BANDS {
            bucket.clear();
            for (i, e) in entries.iter().enumerate() {
                let mut h = FnvHasher::default();
                e.hashes[band * ROWS..(band + 1) * ROWS].hash(&mut h);
                bucket.push((h.finish(), i as u32));
            }
            bucket.sort_unstable();
            for run in bucket.chunk_by(|a, b| a.0 == b.0) {
                if run.len() < 2 {
                    continue;
                }
                // Each article joins the first earlier one of its bucket it resembles; a bucket
                // of furniture shared by many unrelated pages costs a bounded number of checks.
                for (n, &(_, i)) in run.iter().enumerate().skip(1) {
                    for &(_, j) in run[..n].iter().rev().take(16) {
                        if sets.same(i as usize, j as usize) {
                            break;
                        }
                        let (a, b) = (&entries[i as usize].hashes, &entries[j as usize].hashes);
                        if similarity(a, b) >= MIN_SIMILARITY {
                            sets.union(i as usize, j as usize);
                            break;
                        }
                    }
                }
            }
        }
        let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
        for i in 0..keys.len() {
            members.entry(sets.find(i)).or_default().push(i);
        }
        let mut sets: Vec<Vec<usize>> = members.into_values().filter(|m| m.len() > 1).collect();
        // Larger groups choose their id first: where a group splits, the larger part keeps it.
        sets.sort_by_key(|m| (std::cmp::Reverse(m.len()), m.iter().map(|&i| keys[i]).min()));
        let mut taken: HashSet<String> = HashSet::new();
        let mut groups: Vec<Group> = Vec::with_capacity(sets.len());
        for mut m in sets {
            // The representative: earliest published, else longest, else by key.
            m.sort_by_key(|&i| {
                let e = entries[i];
                (
                    e.published.is_none(),
                    e.published,
                    std::cmp::Reverse(e.length),
                    keys[i],
                )
            });
            let first = m
                .iter()
                .copied()
                .min_by_key(|&i| (entries[i].seq, keys[i]))
                .unwrap_or(m[0]);
            // The id: the one most of its members had before, so a story keeps its id as
            // copies come and go; a new story takes the key of its member indexed first.
            let mut before: HashMap<&str, usize> = HashMap::new();
            for &i in &m {
                if let Some(g) = previous.of(keys[i]) {
                    *before.entry(g.id.as_str()).or_default() += 1;
                }
            }
            let mut inherited: Vec<(usize, &str)> =
                before.into_iter().map(|(id, n)| (n, id)).collect();
            inherited.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
            let mut own: Vec<usize> = m.clone();
            own.sort_by_key(|&i| (entries[i].seq, keys[i]));
            let id = inherited
                .iter()
                .map(|&(_, id)| id.to_string())
                .chain(own.iter().map(|&i| format!("{:016x}", keys[i])))
                .find(|id| !taken.contains(id))
                .unwrap_or_else(|| format!("{:016x}", keys[first]));
            taken.insert(id.clone());
            groups.push(Group {
                id,
                first_seq: entries[first].seq,
                members: m.iter().map(|&i| keys[i]).collect(),
            });
        }
        groups.sort_by(|a, b| a.id.cmp(&b.id));
        Groups::new(groups)
    }
}

/// Disjoint sets of article indexes.
struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn same(&mut self, a: usize, b: usize) -> bool {
        self.find(a) == self.find(b)
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[a.max(b)] = a.min(b);
        }
    }
}

/// One story told by two articles or more.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Group {
    /// Stable id: the id most of its members had before, else the article key (hex) of the
    /// member indexed first.
    pub id: String,
    /// The commit that wrote the member indexed first: a copy written later is not news.
    pub first_seq: u64,
    /// Article keys, the representative first (earliest published, else longest).
    pub members: Vec<u64>,
}

/// Every group of an index, and each grouped article's group.
#[derive(Debug, Clone, Default)]
pub struct Groups {
    groups: Vec<Group>,
    /// Article key to group; FNV, since every search builds it.
    of_key: HashMap<u64, usize, FnvBuildHasher>,
}

/// Marks the stored form of groups, and its version: `DG` and a format number.
const STORED_MAGIC: &[u8; 3] = b"DG1";

impl Groups {
    fn new(groups: Vec<Group>) -> Groups {
        let members = groups.iter().map(|g| g.members.len()).sum();
        let mut of_key = HashMap::with_capacity_and_hasher(members, FnvBuildHasher::default());
        for (i, g) in groups.iter().enumerate() {
            for &k in &g.members {
                of_key.insert(k, i);
            }
        }
        Groups { groups, of_key }
    }

    /// The group of an article, by its key.
    pub fn of(&self, key: u64) -> Option<&Group> {
        self.of_key.get(&key).map(|&i| &self.groups[i])
    }

    /// Every group.
    pub fn all(&self) -> &[Group] {
        &self.groups
    }

    /// Articles that are copies of another (every member but one a group).
    pub fn copies(&self) -> usize {
        self.groups.iter().map(|g| g.members.len() - 1).sum()
    }

    /// The stored form: little-endian numbers, read back at every search without parsing
    /// text. `DG1`, then per group its id, first commit, member count and members.
    pub fn to_bytes(&self) -> Vec<u8> {
        let members: usize = self.groups.iter().map(|g| g.members.len()).sum();
        let mut out = Vec::with_capacity(3 + self.groups.len() * 20 + members * 8);
        out.extend_from_slice(STORED_MAGIC);
        for g in &self.groups {
            let id = u64::from_str_radix(&g.id, 16).unwrap_or(0);
            out.extend_from_slice(&id.to_le_bytes());
            out.extend_from_slice(&g.first_seq.to_le_bytes());
            out.extend_from_slice(&(g.members.len() as u32).to_le_bytes());
            for m in &g.members {
                out.extend_from_slice(&m.to_le_bytes());
            }
        }
        out
    }

    /// Reads the stored form; anything unreadable is no groups.
    pub fn from_bytes(bytes: &[u8]) -> Groups {
        fn read(bytes: &[u8]) -> Option<Vec<Group>> {
            let mut rest = bytes.strip_prefix(STORED_MAGIC)?;
            let mut take = |n: usize| -> Option<&[u8]> {
                let (head, tail) = rest.split_at_checked(n)?;
                rest = tail;
                Some(head)
            };
            let mut groups = Vec::new();
            while let Some(id) = take(8) {
                let id = u64::from_le_bytes(id.try_into().ok()?);
                let first_seq = u64::from_le_bytes(take(8)?.try_into().ok()?);
                let n = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
                let members = take(n.checked_mul(8)?)?
                    .chunks_exact(8)
                    .map(|c| u64::from_le_bytes(c.try_into().unwrap_or_default()))
                    .collect();
                groups.push(Group {
                    id: format!("{id:016x}"),
                    first_seq,
                    members,
                });
            }
            Some(groups)
        }
        read(bytes).map(Groups::new).unwrap_or_default()
    }

    /// The groups a snapshot of the index holds (none before the first grouping).
    pub fn load(searcher: &tantivy::Searcher, fields: &Fields) -> Result<Groups> {
        let query = TermQuery::new(
            Term::from_field_u64(fields.kind, KIND_GROUPS),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(
            &query,
            &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
        )?;
        let Some(&(_, addr)) = top.first() else {
            return Ok(Groups::default());
        };
        let doc: TantivyDocument = searcher.doc(addr)?;
        Ok(Groups::from_bytes(crate::schema::stored_groups(
            fields, &doc,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(seed: u64, n: usize) -> Vec<String> {
        const W: &[&str] = &[
            "agent", "border", "cable", "defector", "embassy", "file", "garrison", "harbour",
            "inquiry", "journal", "kremlin", "ledger", "minister", "network", "officer", "parcel",
            "quarter", "report", "source", "treaty", "union", "vessel", "warrant", "yard",
        ];
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                W[(x % W.len() as u64) as usize].to_string()
            })
            .collect()
    }

    fn entry(text: &[String], published: Option<i64>, seq: u64) -> Entry {
        let sig = signature("en", &[text.join(" ")]);
        Entry::new(published, text.len() as u64, seq, &sig)
    }

    #[test]
    fn a_reprint_with_a_new_lead_and_a_cut_end_is_a_copy() {
        let story = words(1, 300);
        let mut reprint = words(2, 25);
        reprint.extend_from_slice(&story[..250]);
        let other = words(3, 300);
        let mut t = Table::default();
        t.insert(10, entry(&story, Some(100), 1));
        t.insert(20, entry(&reprint, Some(50), 2));
        t.insert(30, entry(&other, Some(10), 1));
        let g = t.groups(&Groups::default());
        assert_eq!(g.all().len(), 1);
        let group = g.of(10).unwrap();
        // Earliest published first; the id is the member indexed first.
        assert_eq!(group.members, vec![20, 10]);
        assert_eq!(group.id, format!("{:016x}", 10));
        assert_eq!(group.first_seq, 1);
        assert!(g.of(30).is_none());
        assert_eq!(g.copies(), 1);
        let bytes = g.to_bytes();
        assert_eq!(Groups::from_bytes(&bytes).all(), g.all());
        // Anything cut or foreign reads as no groups, never a panic.
        for cut in 0..bytes.len() {
            let back = Groups::from_bytes(&bytes[..cut]);
            assert!(back.all().is_empty() || cut == bytes.len(), "{cut}");
        }
        assert!(Groups::from_bytes(b"{\"groups\":[]}").all().is_empty());

        // The member that gave the id leaves; the story keeps its id.
        let mut third = words(4, 20);
        third.extend_from_slice(&story[30..]);
        t.insert(40, entry(&third, None, 3));
        t.remove(10);
        let after = t.groups(&g);
        assert_eq!(after.all().len(), 1);
        assert_eq!(after.of(20).unwrap().id, group.id);
        assert_eq!(after.of(40).unwrap().members, vec![20, 40]);
    }

    #[test]
    fn short_texts_are_never_compared() {
        assert!(signature("en", &["MI6 chief resigns".into()]).is_empty());
        let mut t = Table::default();
        t.insert(1, Entry::new(None, 3, 1, &[]));
        t.insert(2, Entry::new(None, 3, 1, &[]));
        assert!(t.groups(&Groups::default()).all().is_empty());
    }
}
