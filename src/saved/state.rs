//! Run state of saved queries: per query, the watermark up to which `saved run --new` has
//! reported, and the run itself.
//!
//! Every passage carries the commit number (`seq`) of the index commit that added it, and an
//! unchanged file is never rewritten, so "new since the last run" is `seq > watermark`. A changed
//! file's passages are replaced under a new commit and come again.
//!
//! The state lives in the index folder as `saved-state.json`, keyed by the queries file's
//! absolute path and then by query name: watermarks are commit numbers of that one index, they
//! mean nothing to another, and `dossier index --rebuild` (which empties the folder) resets them.
//! A query without a watermark reports everything that matches.
//!
//! Results are ranked by score, not age, so when `--limit` or `--per-article` leave out some new
//! passages the watermark stops before the oldest of them and also lists the passages after it
//! that were shown: the next run reports the rest, and repeated limited runs page through a large
//! commit instead of showing its top again.
//!
//! The caller records a watermark only after the query's output is written and flushed, so a run
//! that is killed or whose pipe breaks reports the same passages next time: at least once, never
//! lost. Recording takes `saved-state.lock`, re-reads the file, keeps the larger of the stored and
//! the new watermark, and writes to a temporary file renamed over the old one; nothing is locked
//! while searching or printing.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;

use super::{real_path, Lock, SavedQuery};
use crate::error::{Error, Result};
use crate::index::write_atomic;
use crate::search::{Hit, Results, SearchOptions, Searcher};

/// The state file's name in the index folder.
pub const STATE_FILE: &str = "saved-state.json";
const LOCK_FILE: &str = "saved-state.lock";
const VERSION: u32 = 1;

/// Passages a `--new` run fetches at first; more when the query matches more.
const PAGE: usize = 1000;

/// How far `--new` runs of one query have reported: every matching passage up to commit `seq`,
/// plus the `reported` passages after it (when `--limit` or `--per-article` left out others of
/// the same commit, the next run goes on with those).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct Watermark {
    /// Every matching passage added by this commit or an earlier one has been reported.
    pub seq: u64,
    /// Passages of later commits already reported.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub reported: BTreeSet<Reported>,
}

impl Watermark {
    /// What two runs together have reported: the later commit, and every passage after it
    /// that either run reported.
    pub fn merge(&self, other: &Watermark) -> Watermark {
        let seq = self.seq.max(other.seq);
        let reported = (self.reported.iter().chain(&other.reported))
            .filter(|r| r.seq > seq)
            .cloned()
            .collect();
        Watermark { seq, reported }
    }

    /// Whether `hit` has been reported already.
    pub fn covers(&self, hit: &Hit) -> bool {
        hit.seq <= self.seq || self.reported.contains(&Reported::of(hit))
    }
}

/// One passage, as the run state remembers it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Reported {
    /// Source file.
    pub path: String,
    /// Passage number within the file.
    pub passage: u64,
    /// Commit that added it.
    pub seq: u64,
}

impl Reported {
    fn of(hit: &Hit) -> Reported {
        Reported {
            path: hit.path.clone(),
            passage: hit.passage,
            seq: hit.seq,
        }
    }
}

/// A recorded watermark and when it was recorded.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    /// How far the query has reported.
    #[serde(flatten)]
    pub watermark: Watermark,
    /// When it was recorded (RFC 3339, UTC).
    pub at: String,
}

#[derive(Serialize, Deserialize, Default)]
struct StateFile {
    version: u32,
    /// Queries file (absolute) → query name → watermark.
    #[serde(default)]
    watermarks: BTreeMap<String, BTreeMap<String, Mark>>,
}

/// The watermarks of one queries file against one index.
#[derive(Debug)]
pub struct RunState {
    dir: PathBuf,
    key: String,
    marks: BTreeMap<String, Mark>,
}

impl RunState {
    /// Reads the watermarks of the queries file `queries` kept in the index folder `index` (in
    /// its current generation: a rebuild starts them over). No lock is needed to read: the file
    /// is only ever replaced whole.
    pub fn open(index: &Path, queries: &Path) -> Result<RunState> {
        let key = real_path(queries).to_string_lossy().into_owned();
        let dir = crate::index::data_dir(index).unwrap_or_else(|_| index.to_path_buf());
        let mut state = read(&dir.join(STATE_FILE))?;
        Ok(RunState {
            dir,
            marks: state.watermarks.remove(&key).unwrap_or_default(),
            key,
        })
    }

    /// The watermark of the query `name`, if a `--new` run has recorded one.
    pub fn mark(&self, name: &str) -> Option<&Mark> {
        self.marks.get(name)
    }

    /// Records how far query `name` has reported. Call it only once that output is flushed.
    /// What another run recorded meanwhile is merged in, never overwritten.
    pub fn record(&mut self, name: &str, watermark: &Watermark) -> Result<()> {
        let at = time::OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .ok()
            .and_then(|t| t.format(&Rfc3339).ok())
            .unwrap_or_default();
        let mark = self.modify(|marks| {
            let merged = match marks.get(name) {
                Some(old) => old.watermark.merge(watermark),
                None => watermark.clone(),
            };
            if marks.get(name).is_none_or(|old| old.watermark != merged) {
                let mark = Mark {
                    watermark: merged,
                    at,
                };
                marks.insert(name.to_string(), mark);
            }
            marks.get(name).cloned()
        })?;
        if let Some(mark) = mark {
            self.marks.insert(name.to_string(), mark);
        }
        Ok(())
    }

    /// Drops the watermark of `name` (the query was removed); returns whether there was one.
    pub fn forget(&mut self, name: &str) -> Result<bool> {
        if !self.dir.is_dir() {
            return Ok(false);
        }
        let had = self.modify(|marks| marks.remove(name))?.is_some();
        self.marks.remove(name);
        Ok(had)
    }

    /// Locked read-modify-write of this queries file's watermarks.
    fn modify<T>(
        &self,
        f: impl FnOnce(&mut BTreeMap<String, Mark>) -> Option<T>,
    ) -> Result<Option<T>> {
        let _lock = Lock::acquire(&self.dir.join(LOCK_FILE))?;
        let path = self.dir.join(STATE_FILE);
        let mut state = read(&path)?;
        let marks = state.watermarks.entry(self.key.clone()).or_default();
        let out = f(marks);
        if marks.is_empty() {
            state.watermarks.remove(&self.key);
        }
        state.version = VERSION;
        let mut data = serde_json::to_vec_pretty(&state).expect("state serializes");
        data.push(b'\n');
        write_atomic(&path, &data)?;
        Ok(out)
    }
}

fn read(path: &Path) -> Result<StateFile> {
    let raw = match std::fs::read(path) {
        Ok(raw) => raw,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(StateFile::default()),
        Err(e) => return Err(Error::io(path, e)),
    };
    let bad = |msg: String| {
        let msg = format!(
            "{msg}; delete the file to start over (the next --new runs report every match)"
        );
        Error::io(path, io::Error::new(io::ErrorKind::InvalidData, msg))
    };
    let state: StateFile =
        serde_json::from_slice(&raw).map_err(|e| bad(format!("not a dossier run state ({e})")))?;
    if state.version > VERSION {
        return Err(bad(format!(
            "run state version {} is newer than this build reads ({VERSION})",
            state.version
        )));
    }
    Ok(state)
}

/// Options of `saved run`.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Only passages the query's watermark does not cover; the caller records
    /// [`Outcome::watermark`].
    pub new: bool,
    /// Passages to report at most. Default: as `search` (10), or all with `new`.
    pub limit: Option<usize>,
    /// Passages per article at most. Default: as `search` (2), or all with `new`.
    pub per_article: Option<usize>,
}

/// What one saved query found.
#[derive(Debug)]
pub struct Outcome {
    /// The passages to report. With `new`, `total_matches` counts the new passages.
    pub results: Results,
    /// With `new`: the watermark to record once the results are written and flushed; None when
    /// it stays where it was.
    pub watermark: Option<Watermark>,
    /// With `new`: new passages left out by `limit` or `per_article`; the next run reports them.
    pub left_out: usize,
}

/// Runs a saved query. With `opts.new`, only passages `from` does not cover (all of them when
/// `from` is None: a first run).
pub fn run(
    searcher: &Searcher,
    saved: &SavedQuery,
    from: Option<&Watermark>,
    opts: RunOptions,
) -> Result<Outcome> {
    if !opts.new {
        let defaults = SearchOptions::default();
        let search = SearchOptions {
            limit: opts.limit.unwrap_or(defaults.limit).max(1),
            per_article: opts.per_article.unwrap_or(defaults.per_article),
            // A saved query reports what matches it whole, run by hand or by a script.
            relax: false,
            ..defaults
        };
        return Ok(Outcome {
            results: searcher.search(&saved.query, &search)?,
            watermark: None,
            left_out: 0,
        });
    }
    let all = all_matches(searcher, saved, from.map(|w| w.seq))?;
    Ok(page(all, from, opts))
}

/// Picks what a `--new` run reports from all matches after the watermark, in rank order: the
/// limits apply after dropping what was reported already, so consecutive limited runs page
/// through a large commit instead of repeating its top.
fn page(all: Results, from: Option<&Watermark>, opts: RunOptions) -> Outcome {
    let limit = opts.limit.unwrap_or(usize::MAX).max(1);
    let per_article = opts.per_article.unwrap_or(usize::MAX).max(1);
    let mut per: HashMap<String, usize> = HashMap::new();
    let mut shown = Vec::new();
    let mut left = Vec::new();
    for hit in all.hits {
        if from.is_some_and(|w| w.covers(&hit)) {
            continue;
        }
        let n = per.entry(hit.article_id.clone()).or_default();
        if shown.len() < limit && *n < per_article {
            *n += 1;
            shown.push(Hit {
                rank: shown.len() + 1,
                ..hit
            });
        } else {
            left.push(hit);
        }
    }
    // Ranking is by score, not age: the watermark stops before the oldest passage left out, and
    // remembers what it showed beyond that.
    let seq = match left.iter().map(|h| h.seq).min() {
        Some(oldest) => oldest.saturating_sub(1).min(all.seq),
        None => all.seq,
    }
    .max(from.map_or(0, |w| w.seq));
    let earlier = from.into_iter().flat_map(|w| w.reported.iter().cloned());
    let reported = (earlier.chain(shown.iter().map(Reported::of)))
        .filter(|r| r.seq > seq)
        .collect();
    let next = Watermark { seq, reported };
    Outcome {
        results: Results {
            total_matches: shown.len() + left.len(),
            hits: shown,
            took: all.took,
            seq: all.seq,
            respelled: all.respelled,
            suggestions: all.suggestions,
        },
        watermark: (from != Some(&next)).then_some(next),
        left_out: left.len(),
    }
}

/// Every passage the query matches after commit `after`, however many.
fn all_matches(searcher: &Searcher, saved: &SavedQuery, after: Option<u64>) -> Result<Results> {
    let mut search = SearchOptions {
        limit: PAGE,
        per_article: usize::MAX,
        after_seq: after,
        all_copies: false,
        relax: false,
        ..SearchOptions::default()
    };
    let started = Instant::now();
    loop {
        let mut results = searcher.search(&saved.query, &search)?;
        // More may have been committed since the count: ask again until nothing is cut off.
        // Copies folded into one hit make fewer hits than matches: a page not filled was whole.
        if results.hits.len() >= results.total_matches || results.hits.len() < search.limit {
            results.took = started.elapsed();
            return Ok(results);
        }
        search.limit = results.total_matches;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(path: &str, passage: u64, seq: u64) -> Reported {
        Reported {
            path: path.into(),
            passage,
            seq,
        }
    }

    fn wm(seq: u64, reported: &[Reported]) -> Watermark {
        Watermark {
            seq,
            reported: reported.iter().cloned().collect(),
        }
    }

    #[test]
    fn merge_keeps_everything_either_run_reported() {
        let a = wm(5, &[r("x", 0, 6), r("x", 1, 7)]);
        let b = wm(5, &[r("y", 0, 6)]);
        assert_eq!(
            a.merge(&b),
            wm(5, &[r("x", 0, 6), r("x", 1, 7), r("y", 0, 6)])
        );
        // A later commit makes the passages it covers redundant.
        let c = wm(6, &[]);
        assert_eq!(a.merge(&c), wm(6, &[r("x", 1, 7)]));
        assert_eq!(c.merge(&a), a.merge(&c));
        assert_eq!(a.merge(&a), a);
    }

    /// A hit of article `art` (passage `passage`, added by commit `seq`), in rank order.
    fn hit(art: &str, passage: u64, seq: u64) -> Hit {
        Hit {
            rank: 0,
            score: 1.0,
            article_id: art.into(),
            passage,
            path: format!("/c/{art}.html"),
            paths: vec![format!("/c/{art}.html")],
            url: None,
            site: None,
            title: String::new(),
            title_raw: None,
            published: None,
            published_source: None,
            published_sure: false,
            first_seen: None,
            agencies: vec![],
            countries: vec![],
            former_countries: vec![],
            language: "en".into(),
            matched: Default::default(),
            text: String::new(),
            highlights: vec![],
            title_highlights: vec![],
            seq,
            group: None,
            copies: Vec::new(),
            matched_tags: Vec::new(),
            missing: Vec::new(),
        }
    }

    fn results(hits: Vec<Hit>, seq: u64) -> Results {
        Results {
            total_matches: hits.len(),
            hits,
            took: std::time::Duration::ZERO,
            seq,
            respelled: vec![],
            suggestions: vec![],
        }
    }

    fn opts(limit: Option<usize>, per_article: Option<usize>) -> RunOptions {
        RunOptions {
            new: true,
            limit,
            per_article,
        }
    }

    fn shown(o: &Outcome) -> Vec<(String, u64, usize)> {
        (o.results.hits.iter())
            .map(|h| (h.article_id.clone(), h.passage, h.rank))
            .collect()
    }

    #[test]
    fn unlimited_pages_report_everything_and_move_to_the_commit() {
        let all = results(vec![hit("a", 0, 2), hit("b", 0, 3)], 3);
        let o = page(all, Some(&wm(1, &[])), opts(None, None));
        assert_eq!(shown(&o), [("a".into(), 0, 1), ("b".into(), 0, 2)]);
        assert_eq!(o.watermark, Some(wm(3, &[])));
        assert_eq!(o.left_out, 0);
        // Nothing new: the watermark stays.
        let o = page(results(vec![], 3), Some(&wm(3, &[])), opts(None, None));
        assert!(o.results.hits.is_empty());
        assert_eq!(o.watermark, None);
        // A first run on an empty index records where it stands.
        let o = page(results(vec![], 0), None, opts(None, None));
        assert_eq!(o.watermark, Some(wm(0, &[])));
    }

    #[test]
    fn limited_pages_stop_before_the_oldest_left_out() {
        // Rank order mixes commits 4 and 5; the limit leaves out one of each.
        let all = vec![
            hit("a", 0, 5),
            hit("b", 0, 4),
            hit("c", 0, 5),
            hit("d", 0, 4),
        ];
        let o = page(
            results(all.clone(), 5),
            Some(&wm(3, &[])),
            opts(Some(2), None),
        );
        assert_eq!(shown(&o), [("a".into(), 0, 1), ("b".into(), 0, 2)]);
        assert_eq!(o.left_out, 2);
        let w = o.watermark.unwrap();
        assert_eq!(w, wm(3, &[r("/c/a.html", 0, 5), r("/c/b.html", 0, 4)]));
        assert_eq!(o.results.total_matches, 4);
        // The next page, over the same matches, shows the other two and closes commit 5.
        let o = page(results(all, 5), Some(&w), opts(Some(2), None));
        assert_eq!(shown(&o), [("c".into(), 0, 1), ("d".into(), 0, 2)]);
        assert_eq!(o.watermark, Some(wm(5, &[])));
    }

    #[test]
    fn per_article_caps_page_too() {
        let all = vec![
            hit("a", 0, 2),
            hit("a", 1, 2),
            hit("b", 0, 2),
            hit("a", 2, 2),
        ];
        let o = page(results(all.clone(), 2), None, opts(None, Some(1)));
        assert_eq!(shown(&o), [("a".into(), 0, 1), ("b".into(), 0, 2)]);
        let w = o.watermark.unwrap();
        assert_eq!(w.seq, 1);
        let o = page(results(all.clone(), 2), Some(&w), opts(None, Some(1)));
        assert_eq!(shown(&o), [("a".into(), 1, 1)]);
        let w = o.watermark.unwrap();
        let o = page(results(all, 2), Some(&w), opts(None, Some(1)));
        assert_eq!(shown(&o), [("a".into(), 2, 1)]);
        assert_eq!(o.watermark, Some(wm(2, &[])));
    }

    #[test]
    fn a_search_newer_than_its_commit_number_never_overshoots() {
        // The snapshot held a passage of commit 4 although the commit number read was 3 (an
        // index run committed in between): the watermark stays at 3 and lists that passage.
        let o = page(
            results(vec![hit("a", 0, 4)], 3),
            Some(&wm(2, &[])),
            opts(None, None),
        );
        assert_eq!(o.results.hits.len(), 1);
        assert_eq!(o.watermark, Some(wm(3, &[r("/c/a.html", 0, 4)])));
    }

    #[test]
    fn state_file_round_trips_and_stays_readable() {
        let mark = Mark {
            watermark: wm(3, &[r("/c/a.html", 2, 4)]),
            at: "2026-01-02T03:04:05Z".into(),
        };
        let json = serde_json::to_string(&mark).unwrap();
        assert_eq!(
            json,
            r#"{"seq":3,"reported":[{"path":"/c/a.html","passage":2,"seq":4}],"at":"2026-01-02T03:04:05Z"}"#
        );
        assert_eq!(serde_json::from_str::<Mark>(&json).unwrap(), mark);
        let bare: Mark = serde_json::from_str(r#"{"seq":9,"at":""}"#).unwrap();
        assert!(bare.watermark.reported.is_empty());
        assert_eq!(
            serde_json::to_string(&bare).unwrap(),
            r#"{"seq":9,"at":""}"#
        );
    }

    #[test]
    fn record_merges_and_forget_drops() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index");
        std::fs::create_dir(&index).unwrap();
        let file = dir.path().join("queries.toml");
        let other = dir.path().join("other.toml");
        let mut a = RunState::open(&index, &file).unwrap();
        let mut b = RunState::open(&index, &file).unwrap();
        let mut c = RunState::open(&index, &other).unwrap();
        a.record("q", &wm(4, &[])).unwrap();
        // b read the state before a recorded; an older watermark must not win.
        b.record("q", &wm(2, &[r("p", 0, 3)])).unwrap();
        assert_eq!(b.mark("q").unwrap().watermark, wm(4, &[]));
        c.record("q", &wm(1, &[])).unwrap();
        let again = RunState::open(&index, &file).unwrap();
        assert_eq!(again.mark("q").unwrap().watermark.seq, 4);
        assert_eq!(
            RunState::open(&index, &other)
                .unwrap()
                .mark("q")
                .unwrap()
                .watermark
                .seq,
            1
        );
        assert!(a.forget("q").unwrap());
        assert!(!a.forget("q").unwrap());
        assert!(RunState::open(&index, &file).unwrap().mark("q").is_none());
        assert!(RunState::open(&index, &other).unwrap().mark("q").is_some());
    }

    #[test]
    fn bad_state_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("q.toml");
        for (text, needle) in [
            ("{ nope", "not a dossier run state"),
            (
                r#"{"version": 99, "watermarks": {}}"#,
                "newer than this build",
            ),
            (
                r#"{"version": 1, "watermarks": {"f": {"q": {"seq": -1, "at": ""}}}}"#,
                "not a dossier run state",
            ),
        ] {
            std::fs::write(dir.path().join(STATE_FILE), text).unwrap();
            let e = RunState::open(dir.path(), &file).unwrap_err().to_string();
            assert!(
                e.contains(needle) && e.contains("delete the file"),
                "{text}: {e}"
            );
        }
        // No index folder: nothing recorded, nothing to forget.
        let mut none = RunState::open(&dir.path().join("missing"), &file).unwrap();
        assert!(none.mark("q").is_none());
        assert!(!none.forget("q").unwrap());
    }
}
