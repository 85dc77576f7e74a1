//! Re-indexing costs what changed, and a run that is killed, locked out or searched while it
//! works leaves the index right: the unchanged files are not read, changes, deletions,
//! duplicates and renames show in search, and a killed run resumes to the documents of a clean one.

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::Value;
use tantivy::collector::DocSetCollector;
use tantivy::query::AllQuery;
use tantivy::schema::document::Document;
use tantivy::schema::Value as _;
use tantivy::TantivyDocument;

use crate::util::{wait_until, Env};

fn page(title: &str, words: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         </head><body><nav><a href=\"/\">Home</a></nav><article><h1>{title}</h1>\
         <p>{words} Investigators said the case had been years in the making and that more arrests \
         could follow as prosecutors examined the records seized during the raids.</p>\
         </article></body></html>"
    )
}

/// Runs `dossier index --format json` on `dir` and returns the summary object.
fn index_json(env: &Env, dir: &str, extra: &[&str]) -> Value {
    let mut args = vec!["index", dir, "--format", "json"];
    args.extend_from_slice(extra);
    let out = env.ok(&args, 0);
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn count(v: &Value, key: &str) -> u64 {
    v[key]
        .as_u64()
        .unwrap_or_else(|| panic!("no count '{key}' in {v}"))
}

/// The hit lines of a JSON search, as raw objects (with every field, `paths` included).
fn hits(env: &Env, query: &str) -> Vec<Value> {
    let out = env.run(&["search", "--format", "json", "-n", "100", query]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["type"] == "hit")
        .collect()
}

/// The sorted, distinct `paths` lists of the hits for `query`, relative to the env.
fn hit_paths(env: &Env, query: &str) -> Vec<Vec<String>> {
    let root = env.path("");
    let mut lists: Vec<Vec<String>> = hits(env, query)
        .iter()
        .map(|h| {
            h["paths"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    Path::new(p.as_str().unwrap())
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect()
        })
        .collect();
    lists.sort();
    lists.dedup();
    lists
}

#[test]
fn an_unchanged_reindex_reads_no_file() {
    let env = Env::new();
    env.write("c/a.html", page("Alpha story", "alpha"));
    env.write("c/b.html", page("Bravo story", "bravo"));
    env.write("c/sub/c.html", page("Charlie story", "charlie"));
    env.write("c/junk.html", [0u8, 159, 146, 150, 0, 0, 1, 2, 3, 0, 0]);
    let first = index_json(&env, "c", &["--quiet"]);
    assert_eq!(count(&first, "new"), 3, "{first}");
    assert_eq!(count(&first, "files_read"), 4, "{first}");
    assert_eq!(first["type"], "index");

    let again = index_json(&env, "c", &["--quiet"]);
    assert_eq!(count(&again, "files_read"), 0, "{again}");
    assert_eq!(count(&again, "bytes_read"), 0, "{again}");
    assert_eq!(count(&again, "unchanged"), 3, "{again}");
    // The junk file is still reported as skipped, from the record, without being read.
    assert_eq!(
        again["skipped"]["binary content, not HTML or text"], 1,
        "{again}"
    );

    // A new timestamp over the same bytes costs a read (to hash), not a change.
    let f = std::fs::File::options()
        .write(true)
        .open(env.path("c/a.html"))
        .unwrap();
    f.set_modified(std::time::SystemTime::now() + Duration::from_secs(5))
        .unwrap();
    let touched = index_json(&env, "c", &["--quiet"]);
    assert_eq!(count(&touched, "files_read"), 1, "{touched}");
    assert_eq!(count(&touched, "unchanged"), 3, "{touched}");
    assert_eq!(count(&touched, "changed"), 0, "{touched}");
    assert_eq!(count(&index_json(&env, "c", &[]), "files_read"), 0);
}

#[test]
fn changes_deletions_duplicates_and_renames_show_in_search() {
    let env = Env::new();
    env.write("c/a.html", page("Alpha story", "alphaword"));
    env.write("c/b.html", page("Bravo story", "bravoword"));
    env.write("c/c.html", page("Charlie story", "charlieword"));
    index_json(&env, "c", &[]);

    env.write("c/a.html", page("Alpha story", "deltaword longer now"));
    let s = index_json(&env, "c", &[]);
    assert_eq!(
        (count(&s, "changed"), count(&s, "files_read")),
        (1, 1),
        "{s}"
    );
    assert!(hits(&env, "alphaword").is_empty());
    assert_eq!(hit_paths(&env, "deltaword"), [["c/a.html"]]);

    std::fs::remove_file(env.path("c/b.html")).unwrap();
    let s = index_json(&env, "c", &[]);
    assert_eq!(
        (count(&s, "removed"), count(&s, "files_read")),
        (1, 0),
        "{s}"
    );
    assert!(hits(&env, "bravoword").is_empty());

    // A copy is stored once and lists both paths.
    let passages = hits(&env, "charlieword").len();
    std::fs::create_dir(env.path("c/d")).unwrap();
    std::fs::copy(env.path("c/c.html"), env.path("c/d/copy.html")).unwrap();
    let s = index_json(&env, "c", &[]);
    assert_eq!(count(&s, "duplicate"), 1, "{s}");
    assert_eq!(hits(&env, "charlieword").len(), passages);
    assert_eq!(
        hit_paths(&env, "charlieword"),
        [["c/c.html", "c/d/copy.html"]]
    );

    // A rename moves the path; the copy stays listed.
    std::fs::rename(env.path("c/c.html"), env.path("c/e.html")).unwrap();
    let s = index_json(&env, "c", &[]);
    assert_eq!((count(&s, "new"), count(&s, "removed")), (0, 1), "{s}");
    assert_eq!(count(&s, "duplicate"), 1, "{s}");
    assert_eq!(
        hit_paths(&env, "charlieword"),
        [["c/d/copy.html", "c/e.html"]]
    );

    std::fs::remove_file(env.path("c/d/copy.html")).unwrap();
    index_json(&env, "c", &[]);
    assert_eq!(hit_paths(&env, "charlieword"), [["c/e.html"]]);
    assert_eq!(hits(&env, "charlieword").len(), passages);

    // --rebuild starts over and finds the same.
    let s = index_json(&env, "c", &["--rebuild"]);
    assert_eq!((count(&s, "new"), count(&s, "unchanged")), (2, 0), "{s}");
    assert_eq!(hit_paths(&env, "charlieword"), [["c/e.html"]]);
}

#[test]
fn contents_that_swap_or_come_back_are_stored_once() {
    let env = Env::new();
    // Sizes differ, so every change shows whatever the timestamp resolution.
    let alpha = page("Alpha story", "alphaword");
    let bravo = page("Bravo story", "bravoword and more");
    env.write("c/a.html", &alpha);
    env.write("c/b.html", &bravo);
    index_json(&env, "c", &[]);
    let (alphas, bravos) = (hits(&env, "alphaword").len(), hits(&env, "bravoword").len());

    // Two files swap contents: each article is kept once, under the other path.
    env.write("c/a.html", &bravo);
    env.write("c/b.html", &alpha);
    let s = index_json(&env, "c", &[]);
    assert_eq!(count(&s, "changed") + count(&s, "duplicate"), 2, "{s}");
    assert_eq!(hit_paths(&env, "alphaword"), [["c/b.html"]]);
    assert_eq!(hit_paths(&env, "bravoword"), [["c/a.html"]]);
    assert_eq!(hits(&env, "alphaword").len(), alphas);

    // A file changed away and back again.
    env.write("c/a.html", page("Charlie story", "charlieword, longer"));
    index_json(&env, "c", &[]);
    env.write("c/a.html", &bravo);
    index_json(&env, "c", &[]);
    assert!(hits(&env, "charlieword").is_empty());
    assert_eq!(hit_paths(&env, "bravoword"), [["c/a.html"]]);
    assert_eq!(hits(&env, "bravoword").len(), bravos);
}

/// Words to make pages from: enough of them that pages differ.
const WORDS: &[&str] = &[
    "agent",
    "asset",
    "cipher",
    "courier",
    "defector",
    "embassy",
    "handler",
    "informant",
    "mole",
    "network",
    "operative",
    "recruit",
    "safehouse",
    "sleeper",
    "source",
    "station",
    "surveillance",
    "tradecraft",
    "wiretap",
    "dossier",
    "ministry",
    "border",
    "signal",
    "archive",
];

/// Pages of [`big_corpus`] for a run that must still be working when a test acts on it: a run
/// over them lasts seconds here (on 2 busy cores, some 500 pages a second), many times the tenth
/// of a second that [`start_index`] waits for a first commit, and the tests cost what the pages
/// cost to index, two or three runs each (3,000 pages made them ten seconds each).
const RUNNING_PAGES: usize = 1000;

/// Writes `n` pages of a few kilobytes each under `dir`, one in forty a copy of the one before.
pub(crate) fn big_corpus(env: &Env, dir: &str, n: usize) {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut previous = String::new();
    for i in 0..n {
        let html = if i % 40 == 39 {
            previous.clone()
        } else {
            let words: Vec<&str> = (0..600)
                .map(|_| WORDS[(next() % WORDS.len() as u64) as usize])
                .collect();
            page(
                &format!("Report {i}"),
                &format!("zephyrcase {}", words.join(" ")),
            )
        };
        env.write(&format!("{dir}/{:02}/page{i}.html", i % 16), &html);
        previous = html;
    }
}

/// Every stored document of the index at `path`, as sorted JSON, without the fields that depend
/// on when and in which commit a document was written.
fn documents(path: &Path) -> Vec<String> {
    let index = dossier::index::open(path).unwrap();
    let schema = index.schema();
    let reader = index.reader().unwrap();
    let searcher = reader.searcher();
    let addrs = searcher.search(&AllQuery, &DocSetCollector).unwrap();
    let mut docs: Vec<String> = addrs
        .into_iter()
        .map(|addr| {
            let doc: TantivyDocument = searcher.doc(addr).unwrap();
            let mut v: Value = serde_json::from_str(&doc.to_json(&schema)).unwrap();
            let obj = v.as_object_mut().unwrap();
            obj.remove("indexed_at");
            obj.remove("first_seen");
            obj.remove("seq");
            // Groups of copies are compared by their members: ids and commit numbers depend
            // on the order runs wrote articles in.
            if let Some(field) = obj.remove("groups").and(schema.get_field("groups").ok()) {
                let bytes = doc.get_first(field).and_then(|v| v.as_bytes()).unwrap();
                let mut groups: Vec<Vec<u64>> = dossier::copies::Groups::from_bytes(bytes)
                    .all()
                    .iter()
                    .map(|g| {
                        let mut m = g.members.clone();
                        m.sort();
                        m
                    })
                    .collect();
                groups.sort();
                obj.insert("groups".into(), serde_json::json!(groups));
            }
            v.to_string()
        })
        .collect();
    docs.sort();
    docs
}

/// Checks the layout search relies on to go from an article to its passages: in every segment,
/// an article's live documents are the article's own followed by its passages 0, 1, 2... and
/// nothing else between them.
fn assert_articles_together(path: &Path) {
    let index = dossier::index::open(path).unwrap();
    let reader = index.reader().unwrap();
    let searcher = reader.searcher();
    let mut articles = 0;
    for seg in searcher.segment_readers() {
        let ff = seg.fast_fields();
        let (kind, key, passage) = (
            ff.u64("kind").unwrap(),
            ff.u64("article_key").unwrap(),
            ff.u64("passage").unwrap(),
        );
        let mut current: Option<(u64, u64)> = None;
        for doc in 0..seg.max_doc() {
            if seg.alive_bitset().is_some_and(|b| !b.is_alive(doc)) {
                continue;
            }
            if kind.first(doc) == Some(dossier::schema::KIND_GROUPS) {
                continue;
            }
            let k = key.first(doc).unwrap();
            if kind.first(doc) == Some(dossier::schema::KIND_ARTICLE) {
                articles += 1;
                current = Some((k, 0));
                continue;
            }
            let Some((article, next)) = current.as_mut() else {
                panic!("passage document {doc} comes before any article");
            };
            assert_eq!(k, *article, "document {doc} is not its article's");
            assert_eq!(
                passage.first(doc),
                Some(*next),
                "document {doc} out of order"
            );
            *next += 1;
        }
    }
    assert!(articles > 0);
}

/// Starts `dossier index` on `dir` committing every tenth of a second, and waits until its first
/// commit is visible. Panics if it finishes first: the corpus is then too small for the test.
fn start_index(env: &Env, dir: &str) -> Child {
    let mut child = env
        .cmd(&["index", dir, "--quiet", "--commit-interval", "0.1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let index = env.index_path();
    // The index's folders, as they appear: a commit writes its meta file in the last.
    let folders = || {
        let mut dirs = vec![env.dir.path().to_path_buf(), index.clone()];
        dirs.extend(dossier::index::data_dir(&index));
        dirs
    };
    let committed = || {
        dossier::index::open(&index)
            .ok()
            .and_then(|i| dossier::index::committed_seq(&i).ok())
            .unwrap_or(0)
            > 0
    };
    let mut exited = false;
    let seen = wait_until(
        folders,
        || {
            exited = exited || child.try_wait().unwrap().is_some();
            exited || committed()
        },
        Duration::from_secs(300),
    );
    assert!(seen, "no commit seen");
    assert!(
        !exited,
        "the index finished before its first commit was seen; make the corpus larger"
    );
    child
}

#[test]
fn a_killed_index_resumes_to_the_documents_of_a_clean_run() {
    let env = Env::new();
    big_corpus(&env, "c", RUNNING_PAGES);
    let mut child = start_index(&env, "c");
    assert!(
        child.try_wait().unwrap().is_none(),
        "finished before the kill"
    );
    let pid = child.id().to_string();
    let status = std::process::Command::new("kill")
        .args(["-9", &pid])
        .status()
        .unwrap();
    assert!(status.success());
    child.wait().unwrap();

    // The last commit is searchable, and status says the run did not complete.
    assert!(!hits(&env, "zephyrcase").is_empty());
    let st = env.ok(&["status", "--format", "json"], 0);
    assert!(st.contains("\"error\":\"did not complete"), "{st}");
    // The next run completes the job.
    let resumed = index_json(&env, "c", &[]);
    assert!(count(&resumed, "unchanged") > 0, "{resumed}");
    let after_kill = documents(&env.index_path());
    assert_articles_together(&env.index_path());

    // The same files (same absolute paths) indexed in one go into another index.
    let clean = Env::new();
    clean.ok(&["index", env.path("c").to_str().unwrap(), "--quiet"], 0);
    let clean_docs = documents(&clean.index_path());
    assert_articles_together(&clean.index_path());
    assert_eq!(after_kill.len(), clean_docs.len());
    assert!(
        after_kill == clean_docs,
        "documents differ from a clean run"
    );
    // One page in forty a copy: 975 articles of 1,000 pages, each an article document (the one
    // without a passage number and no groups) plus passages.
    let articles = clean_docs
        .iter()
        .filter(|d| !d.contains("\"passage\":") && !d.contains("\"groups\":"))
        .count();
    assert_eq!(articles, RUNNING_PAGES - RUNNING_PAGES / 40);
}

#[test]
fn a_running_index_refuses_a_second_and_serves_searches() {
    let env = Env::new();
    big_corpus(&env, "c", RUNNING_PAGES);
    let mut child = start_index(&env, "c");

    let second = env.run(&["index", "--no-wait", "c"]);
    let running = child.try_wait().unwrap().is_none();
    let err = String::from_utf8_lossy(&second.stderr);
    assert_eq!(
        second.status.code(),
        Some(2),
        "first still running: {running}; {err}"
    );
    let holder = format!(
        "is busy: another 'dossier index' (pid {}, since ",
        child.id()
    );
    assert!(err.contains(&holder), "{err}");
    let found = hits(&env, "zephyrcase");
    assert!(!found.is_empty());

    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(running, "the first index ended before the second started");
    // Once the first run is done the lock is free again.
    let s = index_json(&env, "c", &[]);
    assert_eq!(count(&s, "files_read"), 0, "{s}");
}
