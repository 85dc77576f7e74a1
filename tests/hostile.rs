//! Hostile input: a folder of broken and adversarial files (made here, at test time, never
//! checked in), pages that carry terminal escape sequences, malformed queries and damaged
//! indexes. Each test states the exact outcome: indexed, or skipped with which reason; which
//! message; which exit status.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::Env;

fn article(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><article><h1>{title}</h1><p>{body}</p>\
         <p>Officials said the inquiry would continue for several months while the records \
         seized in the raids were examined by the prosecutors in charge of the case.</p>\
         </article></body></html>"
    )
}

/// What `dossier index` should make of a file in the hostile folder.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    Indexed,
    Skipped(&'static str),
}
use Outcome::{Indexed, Skipped};

const BINARY: &str = "binary content, not HTML or text";
const EMPTY: &str = "empty file";
const TOO_LARGE: &str = "larger than --max-file-size 64MB";
const BAD_NAME: &str = "file name is not valid UTF-8; rename the file to index it";
const LOOP: &str = "symlink loop: links back to a folder above it";

/// Writes the hostile folder under `dir` and returns what each file should come to, by the
/// path `dossier` reports (absolute, as the walk finds it).
fn hostile_folder(env: &Env, dir: &str) -> Vec<(PathBuf, Outcome)> {
    let mut out = Vec::new();
    let mut add = |rel: &str, bytes: &[u8], outcome: Outcome| {
        out.push((env.write(&format!("{dir}/{rel}"), bytes), outcome));
    };
    // 100,000 nested elements around the article text.
    let deep = format!(
        "<html><head><title>Deep page</title></head><body>{}<p>The bathyscaphe report names \
         the courier and the handler who met him in the harbour district.</p>{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    add("deep.html", deep.as_bytes(), Indexed);
    // 50 MB on one line: an inline image and a minified script around a short article.
    let mut long = String::with_capacity(50_100_000);
    long.push_str("<html><head><title>Long line</title><script>var d=\"");
    long.push_str(&"QUJDRA".repeat(4_000_000));
    long.push_str(
        "\";</script></head><body><article><p>The snorkel courier carried the files \
                   across the border twice before the arrest.</p><img src=\"data:image/png;base64,",
    );
    while long.len() < 50_000_000 {
        long.push_str("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk");
    }
    long.push_str("\"></article></body></html>");
    assert!(!long.contains('\n'));
    add("long-line.html", long.as_bytes(), Indexed);
    // Binary files named like pages.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    add("image.html", &png, Skipped(BINARY));
    add(
        "nul-early.html",
        b"<html><body><p>text\0with\0nul bytes</p></body></html>",
        Skipped(BINARY),
    );
    // A NUL past the sniffed head is read as text; the parser replaces it.
    let mut late = article("Late nul", "The periscope file was copied twice.").into_bytes();
    let at = late.len() - 30;
    let mut padded = late[..at].to_vec();
    padded.extend(format!("<!-- {} -->", " ".repeat(9000)).as_bytes());
    padded.push(0);
    padded.extend_from_slice(&late.split_off(at));
    add("nul-late.html", &padded, Indexed);
    // UTF-8 with broken bytes in the middle, declared UTF-8.
    let mut broken = "<html><head><meta charset=\"utf-8\"><title>Genève</title></head><body><p>Le \
                      ministère a confirmé l’arrestation "
        .as_bytes()
        .to_vec();
    broken.extend_from_slice(b"\xff\xfe\xc3");
    broken.extend_from_slice(
        "de l’espion présumé à Genève, un employé du consulat recruté par un service étranger \
         selon les enquêteurs.</p></body></html>"
            .as_bytes(),
    );
    add("broken-utf8.html", &broken, Indexed);
    // UTF-8 bytes under a Latin-1 declaration.
    let wrong = "<html><head><meta charset=\"iso-8859-1\"><title>Café</title></head><body><p>Le \
                 café où l’officier rencontrait son officier traitant était surveillé depuis \
                 des mois par la sécurité intérieure.</p></body></html>";
    add("wrong-charset.html", wrong.as_bytes(), Indexed);
    add("empty.html", b"", Skipped(EMPTY));
    add("blank.txt", b" \n\t\n  ", Skipped(EMPTY));
    // Zero-width characters inside words and a right-to-left override in the title.
    let zw = article(
        "Cipher \u{202E}kcatta\u{202C} \u{2067}نص\u{2069}",
        "The ru\u{200B}sal\u{200B}ka network passed docu\u{00AD}ments through a \u{FEFF}dead drop.",
    );
    add("zero-width.html", zw.as_bytes(), Indexed);
    add(
        "two\nlines.html",
        article(
            "Newline name",
            "The quokka dossier was filed under a strange name.",
        )
        .as_bytes(),
        Indexed,
    );
    out
}

/// Runs `dossier index` on `dir` with JSON summary; returns (status, summary, skipped lines by
/// path as printed).
fn index_json(env: &Env, args: &[&str]) -> (i32, Value, String) {
    let mut full = vec!["index", "--verbose", "--format", "json"];
    full.extend_from_slice(args);
    let out = env.run(&full);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let summary = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap(), summary, stderr)
}

fn skipped_counts(summary: &Value) -> BTreeMap<String, u64> {
    summary["skipped"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect()
}

/// Whether this process can read a file whose permissions forbid it (root can).
fn reads_despite_permissions(path: &Path) -> bool {
    std::fs::read(path).is_ok()
}

#[test]
fn hostile_folder_is_indexed_or_skipped_with_reasons() {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::{symlink, PermissionsExt};

    let env = Env::new();
    let mut expected = hostile_folder(&env, "h");
    let root = env.path("h");
    // 200 MB without writing 200 MB: a sparse file.
    let big = root.join("huge.html");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(200_000_000)
        .unwrap();
    expected.push((big, Skipped(TOO_LARGE)));
    let bad_name = root.join(std::ffi::OsStr::from_bytes(b"caf\xe9.html"));
    std::fs::write(&bad_name, article("Latin-1 name", "Its name is not UTF-8.")).unwrap();
    expected.push((bad_name, Skipped(BAD_NAME)));
    // A folder that links to its parent, and a link to itself.
    std::fs::create_dir_all(root.join("sub")).unwrap();
    symlink("..", root.join("sub/up")).unwrap();
    expected.push((root.join("sub/up"), Skipped(LOOP)));
    symlink("self.html", root.join("self.html")).unwrap();
    expected.push((
        root.join("self.html"),
        Skipped("Too many levels of symbolic links (os error 40)"),
    ));
    // A read that fails whoever runs it: the kernel refuses to read address 0 of a process.
    if Path::new("/proc/self/mem").exists() {
        symlink("/proc/self/mem", root.join("mem.html")).unwrap();
        expected.push((
            root.join("mem.html"),
            Skipped("cannot read: Input/output error (os error 5)"),
        ));
    }
    let locked = env.write("h/locked.html", article("Locked", "Nobody may read this."));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if reads_despite_permissions(&locked) {
        eprintln!(
            "note: running with privileges that read a mode-000 file (root); the permission \
             case is left out, the /proc/self/mem case still checks a failing read"
        );
        std::fs::remove_file(&locked).unwrap();
    } else {
        expected.push((locked, Skipped("cannot read: permission denied")));
    }

    let (status, summary, stderr) = index_json(&env, &[root.to_str().unwrap()]);
    assert_eq!(status, 0, "{stderr}");

    // Every skip is reported once, on one line, with the path made printable.
    let mut want_counts: BTreeMap<String, u64> = BTreeMap::new();
    for (path, outcome) in &expected {
        let shown = path.to_string_lossy().replace('\n', "\\n");
        match outcome {
            Skipped(reason) => {
                *want_counts.entry(reason.to_string()).or_default() += 1;
                let line = format!("dossier: skipped {shown}: {reason}");
                assert!(
                    stderr.lines().any(|l| l == line),
                    "missing {line:?} in\n{stderr}"
                );
            }
            Indexed => assert!(!stderr.contains(&shown), "{shown} reported:\n{stderr}"),
        }
    }
    assert_eq!(skipped_counts(&summary), want_counts, "{stderr}");
    let indexed = expected.iter().filter(|(_, o)| *o == Indexed).count();
    assert_eq!(summary["new"], indexed, "{stderr}");
    assert_eq!(
        stderr.lines().count(),
        want_counts.values().sum::<u64>() as usize
    );

    // What was indexed is searchable as the reader sees it.
    let find = |q: &str| -> Vec<crate::util::Hit> { env.search_json(&[q]).0 };
    let deep = find("bathyscaphe");
    assert_eq!(deep.len(), 1);
    assert!(deep[0].path.ends_with("deep.html"));
    assert!(find("snorkel")[0].path.ends_with("long-line.html"));
    assert!(find("periscope")[0].path.ends_with("nul-late.html"));
    let broken = find("espion");
    assert_eq!(broken.len(), 1);
    assert!(
        broken[0]
            .text
            .contains("confirmé l’arrestation \u{FFFD}\u{FFFD}\u{FFFD}de l’espion présumé"),
        "{}",
        broken[0].text
    );
    let cafe = find("surveillé");
    assert_eq!(cafe.len(), 1);
    assert!(
        cafe[0].text.starts_with("Le café où l’officier"),
        "{}",
        cafe[0].text
    );
    assert_eq!(cafe[0].title, "Café");
    // Zero-width characters no longer split words; the override is gone from the title.
    let zw = find("rusalka");
    assert_eq!(zw.len(), 1);
    assert_eq!(zw[0].title, "Cipher kcatta نص");
    assert!(
        zw[0].text.contains("documents through a dead drop"),
        "{}",
        zw[0].text
    );
    let newline = find("quokka");
    assert_eq!(newline.len(), 1);
    assert!(newline[0].path.ends_with("two\nlines.html"));
    let human = env.ok(&["search", "quokka", "--color", "never"], 0);
    assert!(
        human.contains("two\\nlines.html (passage 1, id "),
        "{human}"
    );

    // A second run changes nothing and reports the same skips.
    let (status, again, _) = index_json(&env, &[root.to_str().unwrap()]);
    assert_eq!(status, 0);
    assert_eq!(again["unchanged"], indexed);
    assert_eq!(again["new"], 0);
    assert_eq!(skipped_counts(&again), want_counts);
}

#[test]
fn max_file_size_is_configurable_and_checked() {
    let env = Env::new();
    env.write(
        "c/small.html",
        article("Small", "A short report on a courier."),
    );
    let big = env.write("c/big.html", article("Big", &"courier report ".repeat(200)));
    let (status, summary, stderr) = index_json(
        &env,
        &["--max-file-size", "2K", env.path("c").to_str().unwrap()],
    );
    assert_eq!(status, 0);
    assert_eq!(summary["new"], 1);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "dossier: skipped {}: larger than --max-file-size 2KB",
            big.display()
        )
    );
    for bad in ["2Q", "0", "-5", "", "99999999999G"] {
        let arg = format!("--max-file-size={bad}");
        let out = env.run(&["index", &arg, "c"]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(&format!("bad size '{bad}'")), "{bad}: {err}");
    }
}

#[test]
fn a_file_deleted_between_walk_and_read_is_skipped() {
    // The walk reports a skipped file as it goes and reads articles only after it; the
    // callback deletes the article when the walk reaches the file sorted after it.
    let env = Env::new();
    let victim = env.write(
        "c/a-victim.html",
        article("Victim", "Gone before it is read."),
    );
    env.write(
        "c/b-kept.html",
        article("Kept", "The kept report on the courier."),
    );
    env.write("c/z-trigger.pdf", b"%PDF-1.4");
    let opts = dossier::index::IndexOptions {
        index: env.index_path(),
        roots: vec![env.path("c")],
        rebuild: false,
        memory_mb: 50,
        ..dossier::index::IndexOptions::new(env.index_path(), vec![env.path("c")])
    };
    let mut skipped = Vec::new();
    let summary = dossier::index::run(&opts, &mut |event| {
        if let dossier::index::Event::Skipped(path, reason) = event {
            if path.ends_with("z-trigger.pdf") {
                std::fs::remove_file(&victim).unwrap();
            }
            skipped.push((path.to_path_buf(), reason.to_string()));
        }
    })
    .unwrap();
    assert_eq!(summary.new, 1);
    assert_eq!(
        skipped,
        vec![
            (
                env.path("c/z-trigger.pdf"),
                "not an article file type".to_string()
            ),
            (
                victim.clone(),
                "cannot read: gone since the folder was listed".to_string()
            ),
        ]
    );
}

/// A page whose title and text carry escape sequences: colours, an OSC 8 hyperlink, a window
/// title setter, the one-byte CSI and a bell.
fn escape_page(env: &Env) {
    let page = "<html><head><title>Mole \x1b]0;pwned-title\x07 hunt \x1b[5;7mblink</title></head>\
        <body><article><p>The marmot defector said \x1b]8;;http://evil.example/\x1b\\click here\
        \x1b]8;;\x1b\\ and then \x1b[2J\x1b[H cleared the screen \u{9b}31m while the bell \x07 \
        rang.</p><p>Officials said the inquiry would continue for several months while the \
        records seized in the raids were examined by the prosecutors in charge.</p></article>\
        </body></html>";
    env.write("c/escapes.html", page);
    env.index(&env.path("c"));
}

/// Every escape sequence in `out` is one our printer writes: SGR colour codes only.
fn only_our_escapes(out: &str) {
    let sgr = regex::Regex::new(r"^\x1b\[[0-9;]*m").unwrap();
    for (i, _) in out.match_indices('\x1b') {
        let m = sgr
            .find(&out[i..])
            .unwrap_or_else(|| panic!("foreign escape at {i}: {:?}", &out[i..i + 20]));
        assert!(
            !m.as_str().contains("5;7") && m.as_str() != "\x1b[2J",
            "page escape {:?} got through",
            m.as_str()
        );
    }
    for c in out.chars() {
        assert!(
            !c.is_control() || matches!(c, '\n' | '\x1b'),
            "control {c:?} in output"
        );
    }
}

#[test]
fn page_escape_sequences_are_neutralised() {
    let env = Env::new();
    escape_page(&env);
    for color in ["always", "never"] {
        let out = env.ok(&["search", "marmot", "--color", color], 0);
        only_our_escapes(&out);
        // The title keeps its control characters until printing, which replaces them; the
        // text loses them in extraction already.
        assert!(
            out.contains("Mole \u{FFFD}]0;pwned-title\u{FFFD} hunt \u{FFFD}[5;7mblink"),
            "{out}"
        );
        assert!(
            out.contains("said ]8;;http://evil.example/\\click here]8;;\\ and then [2J[H"),
            "{out}"
        );
        if color == "never" {
            assert!(!out.contains('\x1b'));
        } else {
            assert!(out.contains("\x1b[0m"), "no colour at all: {out}");
        }
    }
    // `dossier extract` prints the same text.
    let out = env.ok(&["extract", env.path("c").to_str().unwrap()], 0);
    only_our_escapes(&out);
    assert!(!out.contains('\x1b'));

    // JSON escapes every control character, the C1 ones included, and decodes back to the text.
    let out = env.run(&["search", "marmot", "--format", "json"]);
    let raw = String::from_utf8(out.stdout).unwrap();
    assert!(
        !raw.chars().any(|c| c.is_control() && c != '\n'),
        "raw control in JSON: {raw:?}"
    );
    let (hits, _) = crate::util::parse_lines(&raw);
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0].title,
        "Mole \x1b]0;pwned-title\x07 hunt \x1b[5;7mblink"
    );
    assert!(hits[0].text.starts_with(
        "The marmot defector said ]8;;http://evil.example/\\click here]8;;\\ and then [2J[H \
         cleared the screen 31m while the bell rang."
    ));
    let out = env.run(&[
        "extract",
        "--format",
        "json",
        env.path("c").to_str().unwrap(),
    ]);
    let raw = String::from_utf8(out.stdout).unwrap();
    assert!(!raw.chars().any(|c| c.is_control() && c != '\n'), "{raw:?}");
}

/// Runs a search that must fail with status 2 and returns the one line of stderr.
fn query_error(env: &Env, args: &[&str]) -> String {
    let mut full = vec!["search"];
    full.extend_from_slice(args);
    let out = env.run(&full);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    err.trim_end().to_string()
}

#[test]
fn malformed_queries_say_what_and_where() {
    let env = Env::new();
    env.write("c/a.html", article("A spy", "The courier met the handler."));
    env.index(&env.path("c"));
    let cases: &[(&[&str], &str)] = &[
        (
            &["spy \"open"],
            "dossier: bad query 'spy \"open' at column 5: unclosed quote",
        ),
        (&["(spy courier"], "dossier: bad query '(spy courier' at column 13: missing ')'"),
        (
            &["spy courier)"],
            "dossier: bad query 'spy courier)' at column 12: ')' without '('",
        ),
        (
            &["spy autor:smith"],
            "dossier: bad query 'spy autor:smith' at column 5: unknown field 'autor:'; the \
             fields are title:, agency:, country: and site: (put the word in quotes to search \
             for it as text)",
        ),
        (
            &["agency:ZZZ"],
            "dossier: bad query 'agency:ZZZ' at column 8: unknown agency 'ZZZ'; see 'dossier agencies'",
        ),
        (
            &["spy -«»"],
            "dossier: bad query 'spy -«»' at column 6: '«»' has no letters or digits to search for",
        ),
        (
            &["spy", "--since", "2024-13-45"],
            "dossier: --since: bad date '2024-13-45': there is no month 13 (01 to 12); use \
             YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2017 or 2017-03-01)",
        ),
        (
            &["spy", "--until", "2023-02-29"],
            "dossier: --until: bad date '2023-02-29': February 2023 has no day 29 (it has 28); \
             use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2017 or 2017-03-01)",
        ),
    ];
    // Every error ends by saying what to do; a query message without its own advice gets the
    // pointer to the query language.
    const HINT: &str = "; see 'dossier search --help' for the query language";
    for (args, want) in cases {
        let msg = want.split_once(": ").map_or("", |(_, m)| m);
        let want = if want.contains("bad query")
            && !msg.split_once(": ").is_some_and(|(_, d)| d.contains("; "))
        {
            format!("{want}{HINT}")
        } else {
            want.to_string()
        };
        assert_eq!(query_error(&env, args), want, "{args:?}");
    }
    // 100 KB of query: refused at the limit, the message showing only the part around it.
    let huge = "courier ".repeat(12_800);
    assert_eq!(
        query_error(&env, &[&huge]),
        "dossier: bad query '...urier courier courier courier courier courier courier courie...' \
         at column 10001: the query is 102400 bytes long, more than the 10000 allowed; see \
         'dossier search --help' for the query language"
    );
    let deep = format!("{}spy{}", "(".repeat(1000), ")".repeat(1000));
    assert!(
        query_error(&env, &[&deep]).contains("at column 33: parentheses nest more than 32 deep")
    );
}

/// Builds a small index and returns the path of its largest segment file.
fn small_index(env: &Env) -> PathBuf {
    for i in 0..5 {
        env.write(
            &format!("c/{i}.html"),
            article(
                &format!("Report {i}"),
                "The courier met the handler at the harbour.",
            ),
        );
    }
    env.index(&env.path("c"));
    std::fs::read_dir(dossier::index::data_dir(&env.index_path()).unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.len() > 32 && !name.ends_with(".json")
        })
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .expect("a segment file")
}

fn damaged_error(env: &Env) -> String {
    let out = env.run(&["search", "courier"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    err
}

#[test]
fn truncated_segment_file_is_a_clear_error() {
    let env = Env::new();
    let seg = small_index(&env);
    let len = std::fs::metadata(&seg).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&seg)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    let err = damaged_error(&env);
    let name = seg.file_name().unwrap().to_string_lossy().to_string();
    let want = format!(
        "dossier: index '{}' is damaged (file '{name}' is truncated or corrupt); rebuild it with \
         'dossier index --rebuild DIR'",
        env.index_path().display()
    );
    assert_eq!(err.trim_end(), want);
    assert!(
        err.trim_end()
            .ends_with("rebuild it with 'dossier index --rebuild DIR'"),
        "{err}"
    );
}

#[test]
fn deleted_segment_file_is_a_clear_error() {
    let env = Env::new();
    let seg = small_index(&env);
    std::fs::remove_file(&seg).unwrap();
    let err = damaged_error(&env);
    let name = seg.file_name().unwrap().to_string_lossy().to_string();
    let want = format!(
        "dossier: index '{}' is damaged (file '{name}' is missing); rebuild it with 'dossier \
         index --rebuild DIR'",
        env.index_path().display()
    );
    assert_eq!(err.trim_end(), want);
    // The rebuild it names repairs the index.
    let out = env.run(&["index", "--rebuild", env.path("c").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(env.search_json(&["courier"]).0.len(), 5);
}

#[test]
fn wrong_or_garbled_schema_record_is_a_clear_error() {
    let env = Env::new();
    small_index(&env);
    let meta = dossier::index::data_dir(&env.index_path())
        .unwrap()
        .join("dossier.json");
    std::fs::write(&meta, r#"{"schema_version":999}"#).unwrap();
    let err = damaged_error(&env);
    assert!(
        err.starts_with(&format!(
            "dossier: index '{}' is from another version: schema version 999, this build reads ",
            env.index_path().display()
        )),
        "{err}"
    );
    assert!(
        err.trim_end()
            .ends_with("rerun 'dossier index --rebuild DIR'"),
        "{err}"
    );
    std::fs::write(&meta, b"{\"schema_vers").unwrap();
    let err = damaged_error(&env);
    assert!(
        err.starts_with(&format!(
            "dossier: index '{}' is damaged ({}: ",
            env.index_path().display(),
            meta.display()
        )),
        "{err}"
    );
    // The rebuild the messages point to does repair it.
    let out = env.run(&["index", "--rebuild", env.path("c").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(env.search_json(&["courier"]).0.len(), 5);
}

mod props {
    //! Property tests: passage splitting loses and reorders nothing and keeps passages within
    //! bounds; highlight offsets fall on character boundaries, inside the text, on matched words.

    use dossier::passage::{split, MAX_WORDS};
    use dossier::query::Query;
    use dossier::search::{SearchOptions, Searcher};
    use proptest::prelude::*;

    /// Words that stress offsets: accents, CJK, case folding that changes byte length ("İ"),
    /// ligatures, combining marks, zero-width and bidi characters, emoji, punctuation runs.
    const NOISE: &[&str] = &[
        "émigré",
        "国家安全部",
        "İstanbul",
        "ﬁle",
        "e\u{301}te\u{301}",
        "s\u{200B}py",
        "\u{202E}drow",
        "🕵️‍♀️",
        "Straße",
        "—",
        "...",
        "U.S.",
        "Mr.",
        "handler.",
        "Report!",
        "x",
        "the",
        "«quoted»",
        "MİT",
        "\"Said\"",
    ];
    /// Forms of the searched word, each of which analyses to "courier".
    const TARGET: &[&str] = &[
        "courier",
        "Couriers",
        "COURIER",
        "courier’s",
        "(courier)",
        "couriers.",
    ];

    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => proptest::sample::select(NOISE).prop_map(str::to_string),
            1 => proptest::sample::select(TARGET).prop_map(str::to_string),
            1 => "[a-zA-Z]{1,12}",
            1 => "\\PC{1,6}",
        ]
    }

    fn paragraph(max: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(word(), 1..max).prop_map(|w| w.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn passages_keep_every_word_in_order(
            paras in proptest::collection::vec(paragraph(400), 0..8)
        ) {
            let passages = split(&paras);
            let words_in: Vec<&str> = paras.iter().flat_map(|p| p.split_whitespace()).collect();
            let words_out: Vec<&str> =
                passages.iter().flat_map(|p| p.split_whitespace()).collect();
            prop_assert_eq!(words_in, words_out);
            for p in &passages {
                prop_assert!(!p.is_empty() && p.trim() == p);
                prop_assert!(p.split_whitespace().count() <= MAX_WORDS, "{} words", p.split_whitespace().count());
            }
        }
    }

    /// The words of `text` through the analysis of the article's language.
    fn analysed(lang: &str, text: &str) -> Vec<String> {
        dossier::lang::analyzer(lang)
            .index_tokens(text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn highlights_are_char_boundaries_on_matched_words(
            paras in proptest::collection::vec(paragraph(120), 1..5),
            target in proptest::sample::select(TARGET),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let mut paras = paras;
            paras[0] = format!("{target} {}", paras[0]);
            // Enough ordinary prose that the file reads as an article whatever the noise.
            paras.push("Officials said the inquiry would continue for several months while the \
                        records seized in the raids were examined by the prosecutors.".into());
            std::fs::write(dir.path().join("a.txt"), paras.join("\n\n")).unwrap();
            let opts = dossier::index::IndexOptions {
                index: dir.path().join("index"),
                roots: vec![dir.path().join("a.txt")],
                rebuild: false,
                memory_mb: 15,
                ..dossier::index::IndexOptions::new(std::path::PathBuf::new(), Vec::new())
            };
            dossier::index::run(&opts, &mut |_| {}).unwrap();
            let searcher = Searcher::open(&opts.index).unwrap();
            let query = Query::parse("courier").unwrap();
            let search = SearchOptions { limit: 100, per_article: 100, ..SearchOptions::default() };
            let results = searcher.search(&query, &search).unwrap();
            prop_assert!(!results.hits.is_empty());
            for hit in &results.hits {
                // "courier" as the passage's language reads it.
                let marked = analysed(&hit.language, "courier");
                let mut last_end = 0;
                for &(s, e) in &hit.highlights {
                    prop_assert!(s < e && e <= hit.text.len(), "{s}..{e} of {}", hit.text.len());
                    prop_assert!(hit.text.is_char_boundary(s) && hit.text.is_char_boundary(e));
                    prop_assert!(s >= last_end, "overlapping highlights");
                    last_end = e;
                    prop_assert_eq!(analysed(&hit.language, &hit.text[s..e]), marked.clone());
                }
                let words = analysed(&hit.language, &hit.text)
                    .iter()
                    .filter(|w| **w == marked[0])
                    .count();
                prop_assert_eq!(hit.highlights.len(), words, "{:?}", hit.text);
            }
        }
    }
}
