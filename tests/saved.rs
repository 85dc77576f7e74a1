//! `dossier saved` end to end: each command, each failure, `--new` across re-indexing, a run
//! killed mid-output, a broken pipe, and concurrent runs and edits.

use std::collections::BTreeSet;
use std::io::Read;
use std::os::fd::AsRawFd;
use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::util::{wait_readable, Env};

/// A small article: a title and paragraphs, nothing else the extractor must understand.
fn page(title: &str, paras: &[&str]) -> String {
    let body: String = paras.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!("<html><head><title>{title}</title></head><body>\n{body}</body></html>")
}

/// An article about agent `n`: every one matches the query "agent".
fn agent(env: &Env, dir: &str, n: usize) {
    env.write(
        &format!("{dir}/agent{n:04}.html"),
        page(
            &format!("Agent {n} report"),
            &[&format!(
                "The DGSE recruited agent number {n} in France after a long approach by its \
                 officers, who met the agent in cafes and hotels over several months."
            )],
        ),
    );
}

/// A `(path, passage)` key per hit line.
type Keys = BTreeSet<(String, u64)>;

/// Runs `dossier saved ARGS --format json`, checks the status and returns the decoded lines.
fn saved_json(env: &Env, args: &[&str], status: i32) -> Vec<Value> {
    let mut full = vec!["saved"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["--format", "json"]);
    env.ok(&full, status)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The hits of query `name` among the lines, checking it has exactly one summary line.
fn hits_of(lines: &[Value], name: &str) -> Keys {
    let mine: Vec<&Value> = lines.iter().filter(|v| v["query"] == name).collect();
    let summaries = mine.iter().filter(|v| v["type"] == "summary").count();
    assert_eq!(summaries, 1, "one summary for {name}: {lines:?}");
    mine.iter()
        .filter(|v| v["type"] == "hit")
        .map(|v| key(v))
        .collect()
}

fn key(v: &Value) -> (String, u64) {
    (
        v["path"].as_str().unwrap().to_string(),
        v["passage"].as_u64().unwrap(),
    )
}

/// Every passage `search` finds for the query, as keys.
fn search_keys(env: &Env, args: &[&str]) -> Keys {
    let mut full = args.to_vec();
    full.extend_from_slice(&["--limit", "100000", "--per-article", "100000"]);
    let (hits, _) = env.search_json(&full);
    hits.iter().map(|h| (h.path.clone(), h.passage)).collect()
}

fn stderr_of(env: &Env, args: &[&str], status: i32) -> String {
    let out = env.run(args);
    assert_eq!(out.status.code(), Some(status), "{args:?}: {out:?}");
    String::from_utf8(out.stderr).unwrap()
}

fn only_under(keys: &Keys, dir: &str) -> Keys {
    keys.iter()
        .filter(|(p, _)| p.contains(&format!("/{dir}/")))
        .cloned()
        .collect()
}

#[test]
fn add_show_run_round_trip() {
    let env = Env::new();
    env.write(
        "c/a.html",
        page(
            "Paris officer approached",
            &["The Directorate General of External Security said a French officer was recruited."],
        ),
    );
    env.write(
        "c/b.html",
        page(
            "Beijing network",
            &["The Ministry of State Security recruited officials in China."],
        ),
    );
    env.index(&env.path("c"));
    let err = stderr_of(
        &env,
        &[
            "saved",
            "add",
            "fr-recruit",
            "recruited",
            "agency:\"Directorate General of External Security\"",
            "-brexit",
            "--country",
            "french",
            "--since",
            "1990",
            "--until",
            "2030-06",
            "--description",
            "-French recruitment",
        ],
        0,
    );
    assert!(err.contains("added 'fr-recruit'"), "{err}");
    let shown = env.ok(&["saved", "show", "fr-recruit"], 0);
    assert_eq!(
        shown,
        "[queries.fr-recruit]\n\
         description = \"-French recruitment\"\n\
         query = \"recruited agency:DGSE -brexit\"\n\
         countries = [\"FR\"]\n\
         since = \"1990\"\n\
         until = \"2030-06\"\n"
    );
    // The file holds exactly what `show` prints, under a header comment.
    let file = std::fs::read_to_string(env.path("queries.toml")).unwrap();
    assert!(file.starts_with("# "), "{file}");
    assert!(file.ends_with(&format!("\n\n{shown}")), "{file}");

    // The articles are undated, so the dates leave nothing: compare the run with the same
    // search, then drop the dates to see the hits.
    let lines = saved_json(&env, &["run", "fr-recruit"], 1);
    assert!(hits_of(&lines, "fr-recruit").is_empty());
    env.ok(
        &[
            "saved",
            "add",
            "fr-recruit",
            "recruited agency:DGSE -brexit",
            "--country",
            "FR",
            "--force",
        ],
        0,
    );
    let lines = saved_json(&env, &["run", "fr-recruit"], 0);
    let got = hits_of(&lines, "fr-recruit");
    let want = search_keys(&env, &["recruited agency:DGSE -brexit", "--country", "FR"]);
    assert_eq!(got, want);
    assert_eq!(got.len(), 1);
    assert!(got.iter().all(|(p, _)| p.ends_with("a.html")));
    let summary = lines.iter().find(|v| v["type"] == "summary").unwrap();
    assert_eq!(summary["hits"], 1);

    // Human output names the query.
    let human = env.ok(&["saved", "run", "fr-recruit", "--color", "never"], 0);
    assert!(human.starts_with("== fr-recruit\n"), "{human}");
    assert!(
        human.contains("External Security said a French officer was *recruited*."),
        "{human}"
    );
}

#[test]
fn list_show_and_rm() {
    let env = Env::new();
    assert_eq!(env.ok(&["saved", "list"], 1), "");
    env.ok(&["saved", "add", "zeta", "spy"], 0);
    env.ok(&["saved", "add", "alpha", "mole", "--agency", "MSS"], 0);
    let list = env.ok(&["saved", "list"], 0);
    assert_eq!(list, "alpha  mole --agency MSS\nzeta   spy\n");
    let lines = saved_json(&env, &["list"], 0);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["name"], "alpha");
    assert_eq!(lines[0]["agencies"], serde_json::json!(["MSS"]));
    assert_eq!(lines[0]["watermark"], Value::Null);
    let shown = saved_json(&env, &["show", "zeta"], 0);
    assert_eq!(shown[0]["query"], "spy");

    let err = stderr_of(&env, &["saved", "rm", "alpha"], 0);
    assert!(err.contains("removed 'alpha'"), "{err}");
    assert_eq!(env.ok(&["saved", "list"], 0), "zeta  spy\n");
    let err = stderr_of(&env, &["saved", "rm", "alpha"], 2);
    assert!(
        err.starts_with("dossier: unknown saved query 'alpha'"),
        "{err}"
    );
}

#[test]
fn bad_input_gets_one_clear_line() {
    let env = Env::new();
    env.ok(&["saved", "add", "weekly-iran", "iran"], 0);
    let before = std::fs::read_to_string(env.path("queries.toml")).unwrap();

    let one_line = |args: &[&str]| {
        let err = stderr_of(&env, args, 2);
        assert_eq!(err.lines().count(), 1, "{err}");
        err
    };
    let err = one_line(&["saved", "run", "weekly-iram"]);
    assert!(
        err.contains("unknown saved query 'weekly-iram': not in ")
            && err.contains("; did you mean 'weekly-iran'?"),
        "{err}"
    );
    let err = one_line(&["saved", "show", "nothing-like-it"]);
    assert!(!err.contains("did you mean"), "{err}");
    let err = one_line(&["saved", "add", "weekly-iran", "other"]);
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    let err = one_line(&["saved", "add", "x", "spy \"ring"]);
    assert!(err.contains("at column 5: unclosed quote"), "{err}");
    let err = one_line(&["saved", "add", "Weekly Iran", "x"]);
    assert!(err.contains("bad saved query name 'Weekly Iran'"), "{err}");
    let err = one_line(&[
        "saved", "add", "x", "y", "--since", "2020", "--until", "2019",
    ]);
    assert!(err.contains("after --until"), "{err}");
    // None of that touched the file.
    assert_eq!(
        std::fs::read_to_string(env.path("queries.toml")).unwrap(),
        before
    );

    // A broken file: line and column, for every command that reads it.
    env.write(
        "queries.toml",
        "[queries.a]\nquery = \"x\"\nsince = [2017\n",
    );
    for args in [
        &["saved", "list"][..],
        &["saved", "run", "a"],
        &["saved", "add", "b", "y"],
    ] {
        let err = one_line(args);
        assert!(
            err.starts_with("dossier: queries.toml:3:") || err.contains("/queries.toml:3:"),
            "{err}"
        );
    }
    // A query that does not parse, pointed at inside the file.
    env.write("queries.toml", "[queries.a]\nquery = 'spy -'\n");
    let err = one_line(&["saved", "show", "a"]);
    assert!(
        err.contains("queries.toml:2:14: [queries.a] query: nothing to exclude after '-'; "),
        "{err}"
    );
    env.write(
        "queries.toml",
        "[queries.a]\nquery = 'x'\nagency = ['MSS']\n",
    );
    let err = one_line(&["saved", "list"]);
    assert!(
        err.contains("queries.toml:3:1: [queries.a] agency: unknown key"),
        "{err}"
    );
    // No queries at all.
    env.write("queries.toml", "");
    let err = one_line(&["saved", "run", "--all"]);
    assert!(err.contains("no saved queries"), "{err}");
}

#[test]
fn queries_file_is_chosen_by_flag_or_variable() {
    let env = Env::new();
    let mine = env.path("elsewhere/mine.toml");
    let mine = mine.to_str().unwrap();
    env.ok(&["saved", "--queries", mine, "add", "a", "x"], 0);
    env.ok(&["saved", "add", "b", "y", "--queries", mine], 0);
    assert!(!env.path("queries.toml").exists());
    let out = env
        .cmd(&["saved", "list"])
        .env("DOSSIER_QUERIES", mine)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "a  x\nb  y\n");
    assert_eq!(env.ok(&["saved", "list"], 1), "");

    // A default file that links into a git checkout stays a link; the edit lands in the target.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(mine, env.path("queries.toml")).unwrap();
        env.ok(&["saved", "add", "c", "z"], 0);
        let meta = std::fs::symlink_metadata(env.path("queries.toml")).unwrap();
        assert!(meta.file_type().is_symlink());
        assert!(std::fs::read_to_string(mine)
            .unwrap()
            .contains("[queries.c]"));
    }
}

#[test]
fn new_reports_exactly_the_new_passages() {
    let env = Env::new();
    for n in 0..3 {
        agent(&env, "c/first", n);
    }
    env.index(&env.path("c"));
    env.ok(&["saved", "add", "agents", "agent"], 0);
    env.ok(&["saved", "add", "none", "zanzibar"], 0);

    // First run: no watermark yet, so everything matching.
    let first = hits_of(&saved_json(&env, &["run", "agents", "--new"], 0), "agents");
    assert_eq!(first, search_keys(&env, &["agent"]));
    assert_eq!(first.len(), 3);
    assert!(hits_of(&saved_json(&env, &["run", "agents", "--new"], 1), "agents").is_empty());

    // New articles, re-indexed: exactly their passages.
    for n in 3..8 {
        agent(&env, "c/second", n);
    }
    env.index(&env.path("c"));
    let lines = saved_json(&env, &["run", "agents", "none", "--new"], 0);
    let second = hits_of(&lines, "agents");
    assert_eq!(second, only_under(&search_keys(&env, &["agent"]), "second"));
    assert_eq!(second.len(), 5);
    assert!(hits_of(&lines, "none").is_empty());

    // Re-indexing unchanged files, even with a new modification time, adds nothing new.
    env.index(&env.path("c"));
    let path = env.path("c/first/agent0000.html");
    let again = std::fs::read(&path).unwrap();
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    env.write("c/first/agent0000.html", again);
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(mtime + Duration::from_secs(1)).unwrap();
    env.index(&env.path("c"));
    assert!(hits_of(&saved_json(&env, &["run", "agents", "--new"], 1), "agents").is_empty());

    // A changed article is new again.
    env.write(
        "c/first/agent0001.html",
        page(
            "Agent 1 report",
            &["The agent number 1 was recalled to Paris."],
        ),
    );
    env.index(&env.path("c"));
    let changed = hits_of(&saved_json(&env, &["run", "agents", "--new"], 0), "agents");
    assert_eq!(changed.len(), 1);
    assert!(changed.iter().all(|(p, _)| p.ends_with("agent0001.html")));

    // Without --new the watermark is neither used nor moved.
    assert_eq!(
        hits_of(
            &saved_json(&env, &["run", "agents", "--limit", "100"], 0),
            "agents"
        )
        .len(),
        8
    );
    assert!(hits_of(&saved_json(&env, &["run", "agents", "--new"], 1), "agents").is_empty());
    let listed = saved_json(&env, &["list"], 0);
    assert!(
        listed[0]["watermark"]["seq"].as_u64().unwrap() >= 4,
        "{listed:?}"
    );
}

#[test]
fn limited_new_runs_page_through_without_loss_or_repeats() {
    let env = Env::new();
    for n in 0..5 {
        agent(&env, "c", n);
    }
    env.index(&env.path("c"));
    env.ok(&["saved", "add", "agents", "agent"], 0);
    let all = search_keys(&env, &["agent"]);
    assert_eq!(all.len(), 5);
    // 5 new: show 2, 3 left; one more arrives: show 2, 2 left; show the last 2.
    let mut seen = Keys::new();
    for run in 0..3 {
        if run == 1 {
            // Something new arrives between two pages: it joins the queue.
            agent(&env, "c", 5);
            env.index(&env.path("c"));
        }
        let out = env.run(&[
            "saved", "run", "agents", "--new", "--limit", "2", "--format", "json",
        ]);
        assert_eq!(out.status.code(), Some(0));
        let lines: Vec<Value> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let hits = hits_of(&lines, "agents");
        assert_eq!(hits.len(), 2, "run {run}");
        assert!(seen.is_disjoint(&hits), "run {run} repeated a passage");
        seen.extend(hits);
        let note = String::from_utf8(out.stderr).unwrap();
        assert_eq!(note.contains("left out"), run < 2, "run {run}: {note}");
    }
    assert_eq!(seen, search_keys(&env, &["agent"]));
    saved_json(&env, &["run", "agents", "--new", "--limit", "2"], 1);

    // Per-article caps page the same way, through an article of several passages.
    let paras: Vec<String> = (0..3)
        .map(|i| format!("The agent met handler {i} again. ").repeat(30))
        .collect();
    let paras: Vec<&str> = paras.iter().map(String::as_str).collect();
    env.write("c/long.html", page("Long", &paras));
    env.index(&env.path("c"));
    let long: Keys = (search_keys(&env, &["agent"]).into_iter())
        .filter(|(p, _)| p.ends_with("long.html"))
        .collect();
    assert!(long.len() > 1, "the long article is one passage: {long:?}");
    let mut got = Keys::new();
    for _ in 0..long.len() {
        let lines = saved_json(&env, &["run", "agents", "--new", "--per-article", "1"], 0);
        let hits = hits_of(&lines, "agents");
        assert_eq!(hits.len(), 1);
        got.extend(hits);
    }
    assert_eq!(got, long);
    saved_json(&env, &["run", "agents", "--new"], 1);
}

#[test]
fn rebuild_rm_and_fresh_adds_reset_the_watermark() {
    let env = Env::new();
    for n in 0..2 {
        agent(&env, "c", n);
    }
    env.index(&env.path("c"));
    env.ok(&["saved", "add", "agents", "agent"], 0);
    assert_eq!(
        hits_of(&saved_json(&env, &["run", "agents", "--new"], 0), "agents").len(),
        2
    );
    env.ok(&["index", "--rebuild", env.path("c").to_str().unwrap()], 0);
    assert_eq!(
        hits_of(&saved_json(&env, &["run", "agents", "--new"], 0), "agents").len(),
        2
    );
    env.ok(&["saved", "rm", "agents"], 0);
    env.ok(&["saved", "add", "agents", "agent"], 0);
    assert_eq!(
        hits_of(&saved_json(&env, &["run", "agents", "--new"], 0), "agents").len(),
        2
    );
    // A replaced query keeps its watermark.
    env.ok(&["saved", "add", "agents", "agent", "dgse", "--force"], 0);
    saved_json(&env, &["run", "agents", "--new"], 1);
    // A table deleted by hand and added again starts afresh.
    env.write("queries.toml", "");
    env.ok(&["saved", "add", "agents", "agent"], 0);
    assert_eq!(
        hits_of(&saved_json(&env, &["run", "agents", "--new"], 0), "agents").len(),
        2
    );
}

#[test]
fn corrupt_state_is_an_error_not_a_reset() {
    let env = Env::new();
    agent(&env, "c", 0);
    env.index(&env.path("c"));
    env.ok(&["saved", "add", "agents", "agent"], 0);
    let data = dossier::index::data_dir(&env.index_path()).unwrap();
    std::fs::write(data.join("saved-state.json"), "{ not json").unwrap();
    let err = stderr_of(&env, &["saved", "run", "agents", "--new"], 2);
    assert!(
        err.contains("saved-state.json") && err.contains("delete the file"),
        "{err}"
    );
}

/// Many articles with long passages: far more output than a pipe holds.
fn big_batch(env: &Env, dir: &str, count: usize) {
    let filler = "Officers described the approach in detail to the investigators. ".repeat(12);
    for n in 0..count {
        env.write(
            &format!("{dir}/big{n:04}.html"),
            page(
                &format!("Agent file {n}"),
                &[&format!("The agent number {n} was recruited. {filler}")],
            ),
        );
    }
}

/// Waits until the child has started writing its hits, with a pipe far smaller than its whole
/// output: it cannot finish writing, so cannot move its watermark, until the pipe is read.
fn wait_writing(child: &mut Child) {
    let out = child.stdout.as_ref().unwrap();
    // SAFETY: fcntl on the pipe's read end, which `child` owns; a failure leaves the default
    // 64 KiB, still smaller than the output.
    unsafe { libc::fcntl(out.as_raw_fd(), libc::F_SETPIPE_SZ, 4096) };
    assert!(
        wait_readable(out, Duration::from_secs(60)),
        "the run wrote nothing"
    );
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run ended before the kill"
    );
}

fn stdout_of(child: &mut Child) -> String {
    let mut s = String::new();
    child.stdout.take().unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn killed_run_loses_nothing() {
    let env = Env::new();
    agent(&env, "c/old", 0);
    env.index(&env.path("c"));
    env.ok(&["saved", "add", "agents", "agent"], 0);
    saved_json(&env, &["run", "agents", "--new"], 0);
    big_batch(&env, "c/big", 400);
    env.index(&env.path("c"));
    let want = only_under(&search_keys(&env, &["agent"]), "big");
    assert_eq!(want.len(), 400);

    let args = [
        "saved", "run", "agents", "--new", "--limit", "100000", "--format", "json",
    ];
    let mut child = env.cmd(&args).stdout(Stdio::piped()).spawn().unwrap();
    wait_writing(&mut child);
    child.kill().unwrap(); // SIGKILL to its pid
    child.wait().unwrap();
    let partial = stdout_of(&mut child);
    assert!(
        partial.contains("\"type\":\"hit\""),
        "killed before any output"
    );
    assert!(
        !partial.contains("\"type\":\"summary\""),
        "killed after the end"
    );

    // The next run reports every new passage, then nothing is left.
    let lines = saved_json(&env, &args[1..6], 0);
    assert_eq!(hits_of(&lines, "agents"), want);
    saved_json(&env, &["run", "agents", "--new"], 1);
}

#[test]
fn broken_pipe_loses_nothing() {
    let env = Env::new();
    big_batch(&env, "c", 300);
    env.index(&env.path("c"));
    env.ok(&["saved", "add", "agents", "agent"], 0);
    let args = ["saved", "run", "agents", "--new", "--format", "json"];
    let mut child = env.cmd(&args).stdout(Stdio::piped()).spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 100];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout); // like `| head -c 100`
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "a broken pipe exits quietly");
    let lines = saved_json(&env, &args[1..4], 0);
    assert_eq!(hits_of(&lines, "agents").len(), 300);
}

#[test]
fn concurrent_runs_and_edits_lose_nothing() {
    let env = Env::new();
    for n in 0..4 {
        agent(&env, "c", n);
    }
    env.index(&env.path("c"));
    const QUERIES: usize = 6;
    for q in 0..QUERIES {
        env.ok(&["saved", "add", &format!("q{q}"), "agent"], 0);
    }
    for round in 0..3 {
        if round > 0 {
            agent(&env, "c", 100 + round);
            env.index(&env.path("c"));
        }
        // Every query twice at once, plus new queries added meanwhile.
        let mut children: Vec<(String, Child)> = Vec::new();
        for q in 0..QUERIES {
            for _ in 0..2 {
                let name = format!("q{q}");
                let child = env
                    .cmd(&["saved", "run", &name, "--new", "--format", "json"])
                    .stdout(Stdio::piped())
                    .spawn()
                    .unwrap();
                children.push((name, child));
            }
            let extra = format!("extra{round}-{q}");
            let child = env
                .cmd(&["saved", "add", &extra, "agent"])
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            children.push((extra, child));
        }
        let mut reported: Vec<Keys> = vec![Keys::new(); QUERIES];
        for (name, mut child) in children {
            let out = stdout_of(&mut child);
            let status = child.wait().unwrap();
            assert!(matches!(status.code(), Some(0 | 1)), "{name}: {status:?}");
            if let Some(q) = name.strip_prefix('q') {
                let lines: Vec<Value> = out
                    .lines()
                    .map(|l| serde_json::from_str(l).unwrap())
                    .collect();
                reported[q.parse::<usize>().unwrap()].extend(hits_of(&lines, &name));
            }
        }
        // Each query's new passages came out (once or twice), and every watermark was kept.
        let expected = if round == 0 { 4 } else { 1 };
        for (q, keys) in reported.iter().enumerate() {
            assert_eq!(keys.len(), expected, "round {round}, q{q}");
        }
        for q in 0..QUERIES {
            saved_json(&env, &["run", &format!("q{q}"), "--new"], 1);
        }
        let listed = saved_json(&env, &["list"], 0);
        assert_eq!(
            listed.len(),
            QUERIES + QUERIES * (round + 1),
            "an add was lost"
        );
    }
}
