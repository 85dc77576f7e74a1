//! A hermetic test environment: a temp dir, its own index, no inherited dossier settings.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

/// A temporary directory with an index path and helpers to run `dossier` in it.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn index_path(&self) -> PathBuf {
        self.path("index")
    }

    /// A new environment whose index is a copy of `fixture`'s, built by the first test that asks.
    pub fn with(fixture: &'static Fixture) -> Env {
        let env = Env::new();
        copy_dir(&fixture.built().index_path(), &env.index_path());
        env
    }

    /// Writes a file under the temp dir, creating folders.
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, content).unwrap();
        p
    }

    /// A `dossier` command with `--index` set and our variables cleared.
    pub fn cmd(&self, args: &[&str]) -> Command {
        self.cmd_at(&self.index_path(), args)
    }

    /// Like [`Env::cmd`], with the index at `index`.
    pub fn cmd_at(&self, index: &Path, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_dossier"));
        c.current_dir(self.dir.path())
            .env_remove("DOSSIER_INDEX")
            .env_remove("DOSSIER_QUERIES")
            .env_remove("NO_COLOR")
            .env_remove("DOSSIER_CONFIG")
            .env_remove("DOSSIER_LIMIT")
            .env_remove("DOSSIER_PER_ARTICLE")
            .env_remove("DOSSIER_COLOR")
            .env_remove("PAGER")
            // No config.toml of the person running the tests.
            .env("XDG_CONFIG_HOME", self.path("xdg-config"))
            .env("COLUMNS", "100")
            .arg("--index")
            .arg(index)
            .args(args);
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run dossier")
    }

    /// Runs and asserts the exit status, returning stdout.
    pub fn ok(&self, args: &[&str], status: i32) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(status),
            "dossier {args:?}\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    pub fn index(&self, dir: &Path) -> Output {
        let out = self.run(&["index", dir.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "index failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Runs a JSON search and returns the hit lines and the summary line.
    pub fn search_json(&self, args: &[&str]) -> (Vec<Hit>, Value) {
        let mut full = vec!["search", "--format", "json"];
        full.extend_from_slice(args);
        let out = self.run(&full);
        assert!(
            matches!(out.status.code(), Some(0) | Some(1)),
            "search {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        parse_lines(&String::from_utf8(out.stdout).unwrap())
    }
}

/// An index that several tests read, built once per test run instead of once per test, then
/// copied into each test's own [`Env`] (a copy costs milliseconds, indexing even the bundled
/// corpus about a second), so that no test sees what another wrote. The articles stay where
/// `build` wrote or found them, and hits name those paths; the fixture's folder is removed when
/// the test process exits.
pub struct Fixture {
    build: fn(&Env),
    env: OnceLock<Env>,
}

impl Fixture {
    /// A fixture whose index `build` makes in the environment it is given.
    pub const fn new(build: fn(&Env)) -> Fixture {
        Fixture {
            build,
            env: OnceLock::new(),
        }
    }

    fn built(&'static self) -> &'static Env {
        self.env.get_or_init(|| {
            let env = Env::new();
            (self.build)(&env);
            remove_at_exit(env.dir.path().to_path_buf());
            env
        })
    }
}

/// The bundled corpus, indexed.
pub static CORPUS: Fixture = Fixture::new(|env| {
    env.index(&corpus_dir());
});

/// Folders removed when the process exits: statics, such as a [`Fixture`]'s, are never dropped.
static REMOVE_AT_EXIT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn remove_at_exit(dir: PathBuf) {
    extern "C" fn remove_all() {
        let dirs = std::mem::take(&mut *REMOVE_AT_EXIT.lock().unwrap_or_else(|e| e.into_inner()));
        for dir in dirs {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
    let mut dirs = REMOVE_AT_EXIT.lock().unwrap_or_else(|e| e.into_inner());
    if dirs.is_empty() {
        // SAFETY: registers a function that takes no arguments and does not unwind.
        let registered = unsafe { libc::atexit(remove_all) };
        assert_eq!(registered, 0, "atexit");
    }
    dirs.push(dir);
}

/// Copies the folder `from` to `to`, which must not exist yet.
fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk the fixture");
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir(&dest).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
        } else {
            std::fs::copy(entry.path(), &dest)
                .unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
        }
    }
}

/// One decoded `hit` line.
#[derive(serde::Deserialize, Debug, Clone)]
#[allow(dead_code)]
pub struct Hit {
    #[serde(rename = "type")]
    pub kind: String,
    pub rank: usize,
    pub score: f64,
    pub article_id: String,
    pub passage: u64,
    pub path: String,
    pub url: Option<String>,
    pub title: String,
    pub published: Option<String>,
    pub published_source: Option<String>,
    pub published_sure: bool,
    pub first_seen: Option<String>,
    pub agencies: Vec<String>,
    pub countries: Vec<String>,
    pub former_countries: Vec<String>,
    #[serde(default)]
    pub language: String,
    pub text: String,
    pub highlights: Vec<[usize; 2]>,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub copies: Vec<Value>,
}

pub fn parse_lines(stdout: &str) -> (Vec<Hit>, Value) {
    let mut hits = Vec::new();
    let mut summary = Value::Null;
    for line in stdout.lines() {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        match v["type"].as_str() {
            Some("hit") => hits.push(serde_json::from_value(v).unwrap()),
            Some("summary") => summary = v,
            // What the search could have meant, when it found nothing.
            Some("suggestion") => {}
            other => panic!("unexpected line type {other:?}: {line}"),
        }
    }
    assert!(!summary.is_null(), "no summary line in {stdout}");
    (hits, summary)
}

/// The shared evaluation folder beside the checkout, or None (with a message) on a user's clone.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "skipping: {} is absent (it exists beside the project checkout in CI)",
            p.display()
        );
        None
    }
}

/// The bundled corpus.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// `n` words of made-up prose, the same for the same seed and different for another: articles
/// written apart share runs of three words only by chance, so they are never copies of each other.
pub fn prose(seed: u64, n: usize) -> String {
    const WORDS: &[&str] = &[
        "the",
        "agent",
        "border",
        "cable",
        "courier",
        "defector",
        "embassy",
        "file",
        "garrison",
        "harbour",
        "inquiry",
        "journalist",
        "ledger",
        "minister",
        "network",
        "officer",
        "parcel",
        "quarter",
        "report",
        "source",
        "treaty",
        "vessel",
        "warrant",
        "archive",
        "briefing",
        "channel",
        "dossier",
        "envoy",
        "frontier",
        "handler",
        "informant",
        "liaison",
        "mission",
        "operative",
        "passport",
        "recruit",
        "safehouse",
        "signal",
        "station",
        "surveillance",
        "telegram",
        "witness",
        "was",
        "met",
        "sent",
        "kept",
        "said",
        "left",
        "with",
        "after",
        "before",
        "near",
        "under",
        "a",
        "his",
        "her",
        "their",
        "new",
        "old",
        "secret",
        "quiet",
    ];
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = String::new();
    for i in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let w = WORDS[(x % WORDS.len() as u64) as usize];
        if i > 0 {
            out.push_str(if i % 12 == 0 { ". " } else { " " });
        }
        out.push_str(w);
    }
    out.push('.');
    out
}

/// Waits until `done()` holds, at most `timeout`; returns whether it did. Between checks it
/// sleeps in `poll(2)` on an inotify descriptor watching the folders `watch()` lists (asked again
/// each time, as folders appear), so it wakes when a file there is created, written or renamed,
/// never on a timer.
pub fn wait_until(
    watch: impl Fn() -> Vec<PathBuf>,
    mut done: impl FnMut() -> bool,
    timeout: std::time::Duration,
) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let started = std::time::Instant::now();
    // SAFETY: plain system calls on a descriptor this function owns and closes.
    let fd = unsafe { libc::inotify_init1(libc::IN_CLOEXEC | libc::IN_NONBLOCK) };
    assert!(
        fd >= 0,
        "inotify_init1: {}",
        std::io::Error::last_os_error()
    );
    let mask = libc::IN_CREATE | libc::IN_CLOSE_WRITE | libc::IN_MOVED_TO | libc::IN_MODIFY;
    let mut buf = [0u8; 4096];
    let held = loop {
        // Watches first, then the check: a change after the check wakes the poll below.
        for dir in watch() {
            if let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes()) {
                // SAFETY: `c` is a valid C string for the call's duration.
                unsafe { libc::inotify_add_watch(fd, c.as_ptr(), mask) };
            }
        }
        if done() {
            break true;
        }
        let left = timeout.saturating_sub(started.elapsed());
        if left.is_zero() {
            break false;
        }
        let mut p = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = left.as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: one valid pollfd; the buffer outlives the reads.
        unsafe {
            libc::poll(&mut p, 1, ms);
            while libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) > 0 {}
        }
    };
    // SAFETY: closes the descriptor opened above, once.
    unsafe { libc::close(fd) };
    held
}

/// Waits until the pipe `fd` has bytes to read, at most `timeout`, in `poll(2)`; returns
/// whether it has.
pub fn wait_readable(fd: &impl std::os::fd::AsRawFd, timeout: std::time::Duration) -> bool {
    let mut p = libc::pollfd {
        fd: fd.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
    // SAFETY: one valid pollfd for the call's duration.
    unsafe { libc::poll(&mut p, 1, ms) > 0 && p.revents & libc::POLLIN != 0 }
}
