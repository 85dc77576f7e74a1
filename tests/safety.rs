//! Safe by default: dossier never deletes what it did not write, never blocks or aborts on odd
//! surroundings, keeps a usable index through failures, and reads an index it cannot write.
//! Tests that need a mount (read-only disk, full disk, bind mount) skip with a message where the
//! test cannot make one.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{Env, CORPUS};

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><article><h1>{title}</h1><p>{body}</p>\
         <p>Officials said the inquiry would continue for several months while the records \
         seized in the raids were examined by the prosecutors in charge of the case.</p>\
         </article></body></html>"
    )
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

/// Passages matching `word`, as the JSON summary counts them.
fn total(env: &Env, word: &str) -> u64 {
    env.search_json(&[word, "-n", "1"]).1["total_matches"]
        .as_u64()
        .unwrap()
}

/// Names directly in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn status_json(env: &Env) -> Value {
    serde_json::from_str(env.ok(&["status", "--format", "json"], 0).trim()).unwrap()
}

/// A mount made by a test, unmounted when dropped (lazily, so a failed assertion cannot leave
/// it behind busy).
struct Mount(PathBuf);

impl Mount {
    /// Mounts a tmpfs of `size` (e.g. "1m") at `dir`, or None with a message when this process
    /// may not mount.
    fn tmpfs(dir: &Path, size: &str) -> Option<Mount> {
        std::fs::create_dir_all(dir).unwrap();
        let opts = format!("size={size},mode=755");
        Mount::run(
            &["-t", "tmpfs", "-o", &opts, "tmpfs", dir.to_str().unwrap()],
            dir,
        )
    }

    /// Bind-mounts `from` at `dir`, or None with a message.
    fn bind(from: &Path, dir: &Path) -> Option<Mount> {
        std::fs::create_dir_all(dir).unwrap();
        Mount::run(
            &["--bind", from.to_str().unwrap(), dir.to_str().unwrap()],
            dir,
        )
    }

    fn run(args: &[&str], dir: &Path) -> Option<Mount> {
        match Command::new("mount").args(args).output() {
            Ok(out) if out.status.success() => Some(Mount(dir.to_path_buf())),
            Ok(out) => {
                eprintln!(
                    "skipping: cannot mount here (no privileges?): mount {args:?}: {}",
                    stderr(&out).trim()
                );
                None
            }
            Err(e) => {
                eprintln!("skipping: no mount command: {e}");
                None
            }
        }
    }

    fn read_only(&self) {
        let out = Command::new("mount")
            .args(["-o", "remount,ro", self.0.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(out.status.success(), "remount ro: {}", stderr(&out));
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[test]
fn a_folder_that_is_not_an_index_is_never_written_or_emptied() {
    let env = Env::new();
    env.write("c/a.html", page("Courier", "The courier met the handler."));
    env.write("notes/diary.txt", "my own notes");
    env.write("notes/sub/plan.md", "more");
    let notes = env.path("notes");
    for args in [&["index", "--rebuild", "c"][..], &["index", "c"][..]] {
        let out = env.cmd_at(&notes, args).output().unwrap();
        assert_eq!(code(&out), Some(2), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(&format!("'{}' is not a dossier index", notes.display())),
            "{err}"
        );
        assert_eq!(
            names(&notes),
            ["diary.txt", "sub"],
            "nothing added or removed"
        );
        assert_eq!(
            std::fs::read_to_string(notes.join("sub/plan.md")).unwrap(),
            "more"
        );
    }
    // An empty folder becomes an index; files the user puts in it later survive a rebuild.
    std::fs::create_dir(env.index_path()).unwrap();
    env.ok(&["index", "--quiet", "c"], 0);
    assert!(env.index_path().join("dossier-index.json").is_file());
    env.write("index/mine.txt", "keep me");
    env.ok(&["index", "--quiet", "--rebuild", "c"], 0);
    assert_eq!(
        std::fs::read_to_string(env.index_path().join("mine.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(total(&env, "courier"), 1);
    // A garbled marker is damage like any other: searches say so, a rebuild repairs it.
    env.write("index/dossier-index.json", "{\"current\": \"../../x\"}");
    let out = env.run(&["search", "courier"]);
    assert_eq!(code(&out), Some(2));
    assert!(stderr(&out).contains("rebuild it with"), "{}", stderr(&out));
    env.ok(&["index", "--quiet", "--rebuild", "c"], 0);
    assert_eq!(total(&env, "courier"), 1);
    assert!(env.index_path().join("mine.txt").is_file());
}

#[test]
fn an_index_and_a_corpus_that_overlap_are_refused() {
    let env = Env::new();
    env.write("c/a.html", page("Courier", "The courier met the handler."));
    let inside = env.path("c/idx");
    let out = env.cmd_at(&inside, &["index", "c"]).output().unwrap();
    let err = stderr(&out);
    assert_eq!(code(&out), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "index '{}' and folder 'c' overlap",
            inside.display()
        )),
        "{err}"
    );
    assert!(!inside.exists());
    // The corpus inside the index: a rebuild would have deleted it with the index.
    env.ok(&["index", "--quiet", "c"], 0);
    env.write("index/scrapes/b.html", page("Mole", "The mole was found."));
    let out = env.run(&["index", "--rebuild", "index/scrapes"]);
    let err = stderr(&out);
    assert_eq!(code(&out), Some(2), "{err}");
    assert!(
        err.contains("the folder to index is inside the index"),
        "{err}"
    );
    assert!(env.path("index/scrapes/b.html").is_file());
    assert_eq!(total(&env, "courier"), 1);
}

#[test]
fn a_rebuild_never_shows_a_searcher_a_partial_index() {
    let env = Env::new();
    // Enough pages for a rebuild that commits every 0.05 s to take seconds, the time of dozens
    // of searches; 2,000 pages made it 40 seconds as the searches took turns with it on 2 cores.
    crate::incremental::big_corpus(&env, "c", 600);
    env.ok(&["index", "--quiet", "c"], 0);
    let whole = total(&env, "zephyrcase");
    assert!(whole > 500);
    let mut child = env
        .cmd(&[
            "index",
            "--quiet",
            "--rebuild",
            "c",
            "--commit-interval",
            "0.05",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let (mut during, mut seen) = (0, Vec::new());
    loop {
        let running = child.try_wait().unwrap().is_none();
        seen.push(total(&env, "zephyrcase"));
        if !running {
            break;
        }
        if child.try_wait().unwrap().is_none() {
            during += 1;
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "rebuild hangs"
        );
    }
    assert_eq!(child.wait().unwrap().code(), Some(0));
    assert!(
        during > 0,
        "no search ran during the rebuild; make the corpus larger"
    );
    assert!(seen.iter().all(|&n| n == whole), "{whole} then {seen:?}");
    // The old generation is gone once the new one is in place.
    let gens: Vec<String> = names(&env.index_path())
        .into_iter()
        .filter(|n| n.starts_with("gen-"))
        .collect();
    assert_eq!(gens, ["gen-2"]);
}

#[test]
fn a_huge_limit_is_bounded_by_the_index() {
    let env = Env::new();
    env.write("c/a.html", page("Courier", "The courier met the handler."));
    env.write("c/b.html", page("Courier two", "A courier again."));
    env.index(&env.path("c"));
    for limit in ["400000000", &usize::MAX.to_string()] {
        let out = env.run(&["search", "courier", "--limit", limit, "--format", "json"]);
        assert_eq!(code(&out), Some(0), "{}", stderr(&out));
        let (hits, summary) = crate::util::parse_lines(&String::from_utf8(out.stdout).unwrap());
        assert_eq!(
            hits.len() as u64,
            summary["total_matches"].as_u64().unwrap()
        );
    }
}

#[test]
fn dates_at_the_ends_of_the_calendar_work_and_impossible_ones_are_errors() {
    let env = Env::with(&CORPUS);
    let count = |args: &[&str]| -> usize {
        let mut all = vec!["-n", "1000", "--per-article", "1000"];
        all.extend_from_slice(args);
        env.search_json(&all).0.len()
    };
    let dated = count(&["intelligence", "--since", "1900"]);
    assert!(dated > 0);
    assert_eq!(count(&["intelligence", "--since", "0001-01-01"]), dated);
    let until = ["intelligence", "--since", "1900", "--until", "9999-12-31"];
    assert_eq!(count(&until), dated);
    assert_eq!(count(&["intelligence", "--since", "9999"]), 0);
    for (args, want) in [
        (
            &["--since", "2020-13-40"][..],
            "--since: bad date '2020-13-40'",
        ),
        (
            &["--until", "2021-02-30"][..],
            "--until: bad date '2021-02-30'",
        ),
        (
            &["--since", "2021", "--until", "2020"][..],
            "--since 2021-01-01 is after --until 2020-12-31",
        ),
    ] {
        let mut all = vec!["search", "intelligence"];
        all.extend_from_slice(args);
        let out = env.run(&all);
        assert_eq!(code(&out), Some(2), "{args:?}");
        assert!(stderr(&out).contains(want), "{}", stderr(&out));
    }
}

#[test]
fn a_read_only_index_is_searched_without_writing() {
    let env = Env::new();
    env.write("c/a.html", page("Courier", "The courier met the handler."));
    let Some(mount) = Mount::tmpfs(&env.path("ro"), "16m") else {
        return;
    };
    let idx = env.path("ro/index");
    let dossier = |args: &[&str]| env.cmd_at(&idx, args).output().unwrap();
    // Files come out with the user's umask: readable by others under 022.
    let out = Command::new("sh")
        .arg("-c")
        .arg("umask 022 && exec \"$@\"")
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_dossier"))
        .args(["--index", idx.to_str().unwrap(), "index", "--quiet"])
        .arg(env.path("c"))
        .env("XDG_CONFIG_HOME", env.path("xdg-config"))
        .output()
        .unwrap();
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    for e in walkdir::WalkDir::new(&idx) {
        use std::os::unix::fs::PermissionsExt;
        let e = e.unwrap();
        let mode = e.metadata().unwrap().permissions().mode();
        assert_eq!(mode & 0o044, 0o044, "{} is {mode:o}", e.path().display());
    }
    dossier(&["saved", "add", "couriers", "courier"]);
    mount.read_only();
    for args in [
        &["search", "courier"][..],
        &[
            "show",
            "--no-pager",
            &env.path("c/a.html").to_string_lossy(),
        ],
        &["status"],
        &["facets", "courier"],
        &["saved", "run", "couriers"],
    ] {
        let out = dossier(args);
        assert_eq!(code(&out), Some(0), "{args:?}: {}", stderr(&out));
    }
    let out = dossier(&["index", "c"]);
    let err = stderr(&out);
    assert_eq!(code(&out), Some(2), "{err}");
    assert!(err.contains("Read-only file system"), "{err}");
}

#[test]
fn a_full_disk_leaves_the_index_as_it_was_and_no_temporary_files() {
    let env = Env::new();
    env.write(
        "small/a.html",
        page("Courier", "The courier met the handler."),
    );
    // The small index takes some 80 KB; 300 pages, 1.3 MB, fill the disk as 600 pages filled
    // one of 1 MB, at half the cost of each of the three runs that fail.
    let Some(_mount) = Mount::tmpfs(&env.path("disk"), "512k") else {
        return;
    };
    let idx = env.path("disk/index");
    let dossier = |args: &[&str]| env.cmd_at(&idx, args).output().unwrap();
    assert_eq!(code(&dossier(&["index", "--quiet", "small"])), Some(0));
    let before = names(&idx);
    let gen_before = names(&idx.join("gen-1"));
    crate::incremental::big_corpus(&env, "big", 300);
    let out = dossier(&["index", "--quiet", "--rebuild", "big", "--memory", "20"]);
    let err = stderr(&out);
    assert_eq!(code(&out), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no space left on the disk of index"), "{err}");
    assert!(err.contains("as it was before this run"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(names(&idx), before, "no generation or temporary file left");
    assert_eq!(names(&idx.join("gen-1")), gen_before);
    let out = dossier(&["search", "courier", "--format", "json"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    // A run into the index itself: what it wrote and never committed is removed.
    let out = dossier(&["index", "--quiet", "small", "big", "--memory", "20"]);
    let err = stderr(&out);
    assert_eq!(code(&out), Some(2), "{err}");
    assert!(
        err.contains("the index holds what its last commit held"),
        "{err}"
    );
    assert_eq!(names(&idx), before);
    assert_eq!(names(&idx.join("gen-1")), gen_before);
    let out = dossier(&["index", "--quiet", "--rebuild", "big", "--memory", "20"]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    // status keeps the completed run and names the failed one apart.
    let out = dossier(&["status", "--format", "json"]);
    let st: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(st["last_run"]["new"], 1);
    assert!(st["failed_run"]["error"]
        .as_str()
        .unwrap()
        .contains("no space left"));
    assert_eq!(st["failed_run"]["rebuild"], true);

    // Saved queries: each one is reported on its own when its watermark cannot be written.
    assert_eq!(code(&dossier(&["saved", "add", "one", "courier"])), Some(0));
    assert_eq!(code(&dossier(&["saved", "add", "two", "handler"])), Some(0));
    let filler = env.path("disk/filler");
    let mut f = std::fs::File::create(&filler).unwrap();
    let block = vec![0u8; 4096];
    while std::io::Write::write_all(&mut f, &block).is_ok() {}
    drop(f);
    let out = dossier(&["saved", "run", "--all", "--new", "--format", "json"]);
    let err = stderr(&out);
    assert_eq!(code(&out), Some(2), "{err}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    for name in ["one", "two"] {
        assert!(
            stdout.contains(&format!("\"query\":\"{name}\"")),
            "{name}: {stdout}"
        );
        assert!(
            err.contains(&format!("saved query '{name}': its hits were written")),
            "{err}"
        );
    }
    let leftovers: Vec<String> = walkdir::WalkDir::new(&idx)
        .into_iter()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Sends each line of a child's stderr down a channel.
fn lines_of(child: &mut std::process::Child) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let err = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines() {
            if tx.send(line.unwrap_or_default()).is_err() {
                break;
            }
        }
    });
    rx
}

#[test]
fn a_second_index_says_whom_it_waits_for() {
    let env = Env::new();
    env.write("c/a.html", page("Courier", "The courier met the handler."));
    std::fs::create_dir(env.index_path()).unwrap();
    let held = dossier::index::lock::acquire(&env.index_path(), Some(Duration::ZERO), &mut |_| {
        panic!("the lock is free")
    })
    .unwrap();
    let me = format!("pid {}", std::process::id());

    let out = env.run(&["index", "--no-wait", "c"]);
    let err = stderr(&out);
    assert_eq!(code(&out), Some(2), "{err}");
    assert!(err.contains("is busy: another 'dossier index'"), "{err}");
    assert!(err.contains(&me), "{err}");

    let out = env.run(&["index", "--wait", "0.3", "c"]);
    let err = stderr(&out);
    assert_eq!(code(&out), Some(2), "{err}");
    assert!(err.contains("waiting for") && err.contains(&me), "{err}");
    assert!(err.contains("still after"), "{err}");

    // Without a limit it waits, says so, and runs once the lock is free.
    let mut child = env
        .cmd(&["index", "c"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = lines_of(&mut child);
    let line = lines.recv_timeout(Duration::from_secs(60)).unwrap();
    assert!(line.contains("waiting for") && line.contains(&me), "{line}");
    assert!(child.try_wait().unwrap().is_none());
    drop(held);
    assert_eq!(child.wait().unwrap().code(), Some(0));
    assert_eq!(total(&env, "courier"), 1);
}

#[test]
fn a_file_reached_by_several_paths_is_indexed_once() {
    use std::os::unix::fs::symlink;
    let env = Env::new();
    env.write("c/a.html", page("Courier", "The courier met the handler."));
    env.write("c/real/b.html", page("Mole", "The mole was found."));
    symlink("a.html", env.path("c/link.html")).unwrap();
    symlink("real", env.path("c/also")).unwrap();
    std::fs::hard_link(env.path("c/a.html"), env.path("c/hard.html")).unwrap();
    let out = env.run(&["index", "--format", "json", "./c", "c/"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (s["new"].as_u64(), s["duplicate"].as_u64()),
        (Some(2), Some(0)),
        "{s}"
    );
    let (hits, _) = env.search_json(&["courier"]);
    assert_eq!(hits.len(), 1);
    assert!(hits[0].path.ends_with("c/a.html"), "{}", hits[0].path);
    let (hits, _) = env.search_json(&["mole"]);
    assert!(hits[0].path.ends_with("c/real/b.html"), "{}", hits[0].path);

    // A bind mount of a folder already indexed adds nothing either.
    let Some(_mount) = Mount::bind(&env.path("c/real"), &env.path("c/zmount")) else {
        return;
    };
    let out = env.run(&["index", "--verbose", "--format", "json", "c"]);
    let err = stderr(&out);
    assert_eq!(code(&out), Some(0), "{err}");
    assert!(
        err.contains("c/zmount: the same folder as one indexed under another path"),
        "{err}"
    );
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (s["new"].as_u64(), s["duplicate"].as_u64()),
        (Some(0), Some(0)),
        "{s}"
    );
}

#[test]
fn an_emptied_root_keeps_its_articles_unless_told() {
    let env = Env::new();
    env.write(
        "usb/a.html",
        page("Courier", "The courier met the handler."),
    );
    env.write("usb/b.html", page("Mole", "The mole was found."));
    env.write("other/c.html", page("Defector", "The defector spoke."));
    env.ok(&["index", "--quiet", "usb", "other"], 0);
    // The disk is not mounted: its mount point is an empty folder.
    std::fs::remove_file(env.path("usb/a.html")).unwrap();
    std::fs::remove_file(env.path("usb/b.html")).unwrap();
    let out = env.run(&["index", "usb", "other"]);
    let err = stderr(&out);
    assert_eq!(code(&out), Some(2), "{err}");
    assert!(
        err.contains("'usb' holds no file now: kept the 2 files indexed from it"),
        "{err}"
    );
    assert_eq!(total(&env, "courier"), 1);
    // A rebuild would drop them all: it stops before writing anything.
    let out = env.run(&["index", "--rebuild", "usb", "other"]);
    let err = stderr(&out);
    assert_eq!(code(&out), Some(2), "{err}");
    assert!(
        err.contains("'usb' is missing or empty: a rebuild would drop"),
        "{err}"
    );
    assert_eq!(total(&env, "courier"), 1);
    // A missing root keeps them too.
    std::fs::remove_dir(env.path("usb")).unwrap();
    assert_eq!(code(&env.run(&["index", "usb"])), Some(2));
    assert_eq!(total(&env, "mole"), 1);
    // --forget drops them on purpose, and the folder leaves the status.
    env.ok(&["index", "--quiet", "--forget", "usb"], 0);
    assert_eq!(total(&env, "mole"), 0);
    assert_eq!(total(&env, "defector"), 1);
    let folders = status_json(&env)["folders"].to_string();
    assert!(
        !folders.contains("usb") && folders.contains("other"),
        "{folders}"
    );
    // --allow-empty lets an emptied root drop its articles.
    env.write(
        "usb/a.html",
        page("Courier", "The courier met the handler."),
    );
    env.ok(&["index", "--quiet", "usb"], 0);
    std::fs::remove_file(env.path("usb/a.html")).unwrap();
    env.ok(&["index", "--quiet", "--allow-empty", "usb"], 0);
    assert_eq!(total(&env, "courier"), 0);
}

#[test]
fn fifos_sockets_and_devices_are_skipped_without_blocking() {
    let env = Env::new();
    env.write("c/a.html", page("Courier", "The courier met the handler."));
    let fifo = env.path("c/pipe.html");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let _socket = std::os::unix::net::UnixListener::bind(env.path("c/sock.html")).unwrap();
    std::os::unix::fs::symlink("/dev/null", env.path("c/null.html")).unwrap();
    let mut child = env
        .cmd(&["index", "c"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // stderr closes when the run ends; a run that blocks is killed after a bounded wait.
    let lines = lines_of(&mut child);
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut err = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => err.push(line),
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                child.kill().unwrap();
                panic!("dossier index blocked; it said {err:?}");
            }
        }
    }
    assert_eq!(child.wait().unwrap().code(), Some(0), "{err:?}");
    let c = env.path("c");
    for (name, reason) in [
        ("pipe.html", "a FIFO (named pipe), not a file"),
        ("sock.html", "a socket, not a file"),
        ("null.html", "a device, not a file"),
    ] {
        let line = format!("dossier: skipped {}: {reason}", c.join(name).display());
        assert!(err.contains(&line), "{line} not in {err:?}");
    }
    assert_eq!(total(&env, "courier"), 1);
    // show and extract of a FIFO do not block either.
    let out = env.run(&["extract", fifo.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("a FIFO"));
}

#[test]
fn status_names_a_failed_run_apart_from_the_last_completed_one() {
    let env = Env::new();
    env.write("c/a.html", page("Courier", "The courier met the handler."));
    env.ok(&["index", "--quiet", "c"], 0);
    // A record the run cannot replace makes it fail once it has started.
    let data = dossier::index::data_dir(&env.index_path()).unwrap();
    std::fs::remove_file(data.join("files.json")).unwrap();
    std::fs::create_dir_all(data.join("files.json/x")).unwrap();
    env.write("c/b.html", page("Mole", "The mole was found."));
    let out = env.run(&["index", "c"]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    let human = env.ok(&["status"], 0);
    assert!(human.contains("(1 new, 0 changed"), "{human}");
    assert!(human.contains("failed:        run of "), "{human}");
    let st = status_json(&env);
    assert_eq!(st["last_run"]["new"], 1);
    assert!(st["failed_run"]["stopped"].is_string(), "{st}");
    // A run that completes clears it.
    std::fs::remove_dir_all(data.join("files.json")).unwrap();
    env.ok(&["index", "--quiet", "c"], 0);
    assert!(status_json(&env)["failed_run"].is_null());
}

#[test]
fn an_index_from_before_generations_is_read_and_moved_by_a_rebuild() {
    let env = Env::new();
    env.write("c/a.html", page("Courier", "The courier met the handler."));
    env.ok(&["index", "--quiet", "c"], 0);
    // Lay it out as dossier wrote it before generations: its files in the folder itself.
    let idx = env.index_path();
    let gen = idx.join("gen-1");
    for name in names(&gen) {
        std::fs::rename(gen.join(&name), idx.join(&name)).unwrap();
    }
    std::fs::remove_dir(&gen).unwrap();
    std::fs::remove_file(idx.join("dossier-index.json")).unwrap();
    env.write("index/mine.txt", "keep me");
    assert_eq!(total(&env, "courier"), 1);
    env.write("c/b.html", page("Mole", "The mole was found."));
    env.ok(&["index", "--quiet", "c"], 0);
    assert_eq!(total(&env, "mole"), 1);
    assert!(!idx.join("dossier-index.json").exists(), "read in place");
    env.ok(&["index", "--quiet", "--rebuild", "c"], 0);
    assert_eq!(
        names(&idx),
        [
            "dossier-index.json",
            "dossier.lock",
            "gen-1",
            "mine.txt",
            "runs.json"
        ]
    );
    assert_eq!((total(&env, "courier"), total(&env, "mole")), (1, 1));
}
