//! The command line as a shell tool: human output pinned by golden files (no colour), every JSON
//! Lines type decoded into typed structs, CSV parsed back, completions and man pages generated,
//! `show` and `status` on the bundled corpus, configuration precedence, one error style.
//!
//! Golden files live in `tests/golden/`; after an intended change to the output (or to what
//! extraction and tagging make of the corpus), regenerate them with
//! `UPDATE_EXPECT=1 cargo test --release --test integration cli_native` and read the diff.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use expect_test::expect_file;
use serde::Deserialize;

use crate::util::{corpus_dir, Env, CORPUS};

/// The plain-text article of the corpus, a stable subject for `show` and `extract`.
const PLAIN: &str = "corpus/plain/2018/georgias-spy-catchers-ten-years-after-the-august-war.txt";

/// [`PLAIN`] as an absolute path, for commands run elsewhere.
fn plain() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(PLAIN)
        .to_string_lossy()
        .into_owned()
}

/// An environment with the bundled corpus indexed.
fn indexed() -> Env {
    Env::with(&CORPUS)
}

/// Runs from the project root, so paths print as `corpus/...` in every checkout.
fn at_root(env: &Env, args: &[&str]) -> Command {
    let mut c = env.cmd(args);
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn stdout_of(mut cmd: Command, status: i32) -> (String, String) {
    let out = cmd.output().expect("run dossier");
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    );
    assert_eq!(
        out.status.code(),
        Some(status),
        "{cmd:?}\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    (stdout, stderr)
}

// ---------------------------------------------------------------------------------------------
// Golden files of human output.

#[test]
fn human_output_matches_golden_files() {
    let env = indexed();
    let run = |args: &[&str]| stdout_of(at_root(&env, args), 0).0;

    let (search, summary) = stdout_of(
        at_root(
            &env,
            &[
                "search", "recruit", "officers", "-n", "3", "--color", "never",
            ],
        ),
        0,
    );
    expect_file!["golden/search.txt"].assert_eq(&search);
    // The count is not a result: it goes to stderr, and stdout stays free of timings.
    assert!(summary.starts_with("3 of "), "{summary}");
    assert!(!search.contains("matching passages"));

    expect_file!["golden/show.txt"].assert_eq(&run(&[
        "show",
        PLAIN,
        "--query",
        "spy OR counterintelligence",
        "--color",
        "never",
    ]));
    expect_file!["golden/facets.txt"].assert_eq(&run(&["facets", "--country", "RU", "--top", "4"]));
    expect_file!["golden/extract.txt"].assert_eq(&run(&["extract", PLAIN]));

    // Status holds the temp dir, a time and a size: those lines are masked.
    let status = run(&["status", "--top", "3"]);
    let masked: String = status
        .lines()
        .map(|l| match l.split_once(':') {
            Some((k @ ("index" | "size on disk" | "last indexed" | "folders"), _)) => {
                format!("{k}: ...\n")
            }
            _ => format!("{l}\n"),
        })
        .collect();
    expect_file!["golden/status.txt"].assert_eq(&masked);
}

#[test]
fn highlights_show_without_colour_and_colour_when_asked() {
    let env = indexed();
    let path = plain();
    let plain = env.ok(
        &[
            "show",
            &path,
            "-q",
            "counterintelligence",
            "--color",
            "never",
        ],
        0,
    );
    assert!(plain.contains("*counterintelligence*"), "{plain}");
    assert!(!plain.contains('\x1b'));
    let coloured = env.ok(
        &[
            "show",
            &path,
            "-q",
            "counterintelligence",
            "--color",
            "always",
        ],
        0,
    );
    assert!(coloured.contains("\x1b["), "{coloured}");
    assert!(!coloured.contains("*counterintelligence*"));
    // NO_COLOR turns auto off (stdout is a pipe here anyway) but not an explicit choice.
    let forced = env
        .cmd(&["search", "counterintelligence", "--color", "always"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&forced.stdout).contains("\x1b["));
}

// ---------------------------------------------------------------------------------------------
// JSON Lines: every type, decoded strictly (an unknown field fails, so the README's contract and
// the output cannot drift apart silently).

#[derive(Deserialize, Debug)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum Line {
    Hit(Hit),
    Summary(Summary),
    Suggestion {
        word: String,
        suggestions: Vec<String>,
    },
    Article(Article),
    Skipped {
        path: String,
        reason: String,
    },
    Facets(Facets),
    Status(Status),
    Index(IndexRun),
    Agency {
        id: String,
        country: String,
        names: Vec<String>,
        successor: Option<String>,
    },
    Country {
        code: String,
        name: String,
        aliases: Vec<String>,
    },
    SavedQuery(SavedQuery),
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Hit {
    query: Option<String>,
    rank: usize,
    score: f64,
    article_id: String,
    passage: u64,
    path: String,
    #[allow(dead_code)] // decoded to hold the contract; the other tests read it
    paths: Vec<String>,
    url: Option<String>,
    site: Option<String>,
    title: String,
    #[allow(dead_code)] // decoded to hold the contract; tests/titles.rs reads it
    #[serde(default)]
    title_raw: Option<String>,
    published: Option<String>,
    published_source: Option<String>,
    published_sure: bool,
    first_seen: Option<String>,
    agencies: Vec<String>,
    countries: Vec<String>,
    former_countries: Vec<String>,
    language: String,
    matched: BTreeMap<String, Vec<String>>,
    text: String,
    highlights: Vec<[usize; 2]>,
    title_highlights: Vec<[usize; 2]>,
    group: Option<String>,
    copies: Vec<Copy>,
    matched_tags: Vec<String>,
    missing: Vec<String>,
}

/// Another article of a hit's or an article's story.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Copy {
    id: String,
    path: String,
    url: Option<String>,
    site: Option<String>,
    title: String,
    published: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Summary {
    query: Option<String>,
    hits: usize,
    total_matches: usize,
    took_ms: f64,
    searched_also: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Article {
    article_id: String,
    path: String,
    indexed: bool,
    title: Option<String>,
    #[serde(default)]
    title_raw: Option<String>,
    published: Option<String>,
    published_source: Option<String>,
    published_sure: bool,
    first_seen: Option<String>,
    url: Option<String>,
    site: Option<String>,
    language: Option<String>,
    language_source: Option<String>,
    encoding: Option<String>,
    agencies: Vec<String>,
    countries: Vec<String>,
    former_countries: Vec<String>,
    matched: BTreeMap<String, Vec<String>>,
    passages: usize,
    text: String,
    paragraphs: Vec<String>,
    highlights: Vec<[usize; 2]>,
    group: Option<String>,
    copies: Vec<Copy>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct KeyCount {
    key: String,
    count: usize,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Facets {
    articles: usize,
    agencies: Vec<KeyCount>,
    countries: Vec<KeyCount>,
    former_countries: Vec<KeyCount>,
    languages: Vec<KeyCount>,
    granularity: String,
    dates: Vec<KeyCount>,
    undated: usize,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct LastRun {
    finished: String,
    new: usize,
    changed: usize,
    unchanged: usize,
    removed: usize,
    skipped: usize,
    passages: usize,
    seconds: f64,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Status {
    index: String,
    schema_version: u32,
    tagging_version: u32,
    articles: u64,
    passages: u64,
    groups: u64,
    copies: u64,
    size_bytes: u64,
    last_indexed: Option<String>,
    last_run: Option<LastRun>,
    failed_run: Option<serde_json::Value>,
    running: Option<String>,
    folders: Vec<String>,
    earliest: Option<String>,
    latest: Option<String>,
    undated: u64,
    guessed: u64,
    agencies: Vec<KeyCount>,
    countries: Vec<KeyCount>,
    languages: Vec<KeyCount>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct IndexRun {
    new: usize,
    changed: usize,
    unchanged: usize,
    #[allow(dead_code)]
    duplicate: usize,
    removed: usize,
    skipped: std::collections::BTreeMap<String, usize>,
    skipped_by_kind: std::collections::BTreeMap<String, usize>,
    #[allow(dead_code)]
    files_read: usize,
    passages: usize,
    bytes_read: u64,
    #[allow(dead_code)]
    commits: usize,
    seconds: f64,
    outdated: bool,
    kept_roots: Vec<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct SavedQuery {
    name: String,
    description: Option<String>,
    query: String,
    agencies: Vec<String>,
    countries: Vec<String>,
    languages: Vec<String>,
    since: Option<String>,
    until: Option<String>,
    dates: String,
    undated: Option<String>,
    seen_since: Option<String>,
    watermark: Option<serde_json::Value>,
}

/// The codes of former states.
const FORMER: [&str; 4] = ["SU", "YU", "CS", "DD"];

fn lines(stdout: &str) -> Vec<Line> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn every_json_lines_type_decodes() {
    let env = Env::new();
    let out = env.ok(
        &["index", "--format", "json", corpus_dir().to_str().unwrap()],
        0,
    );
    let Line::Index(run) = &lines(&out)[0] else {
        panic!("{out}")
    };
    assert_eq!((run.new, run.changed, run.removed), (61, 0, 0));
    assert!(run.passages > run.new && run.bytes_read > 0 && run.seconds > 0.0);
    assert!(run.unchanged == 0 && run.skipped.values().sum::<usize>() > 0 && !run.outdated);
    // The corpus's README and truth tables: counted as not articles, by reason and by kind.
    assert_eq!(
        run.skipped_by_kind.values().sum::<usize>(),
        run.skipped.values().sum::<usize>()
    );
    assert!(run.skipped_by_kind["not_an_article"] > 0);
    assert!(run.kept_roots.is_empty());

    // search: hits then one summary.
    let got = lines(&env.ok(&["search", "recruit", "--format", "json", "-n", "4"], 0));
    let (last, hits) = got.split_last().unwrap();
    let Line::Summary(s) = last else {
        panic!("{last:?}")
    };
    assert!(s.query.is_none() && s.hits == 4 && s.total_matches >= 4 && s.took_ms >= 0.0);
    assert!(s.searched_also.is_empty());
    for (i, line) in hits.iter().enumerate() {
        let Line::Hit(h) = line else {
            panic!("{line:?}")
        };
        assert_eq!(h.rank, i + 1);
        assert!(h.query.is_none() && h.score > 0.0 && h.article_id.len() == 32);
        assert!(Path::new(&h.path).is_absolute() && !h.title.is_empty());
        assert!(h
            .published
            .as_deref()
            .is_none_or(|d| d.len() == 10 && &d[4..5] == "-"));
        // A source exactly when there is a date; sure only with a date, never from a guess.
        assert_eq!(h.published_source.is_some(), h.published.is_some());
        assert!(!h.published_sure || h.published.is_some());
        if matches!(h.published_source.as_deref(), Some("url" | "text")) {
            assert!(!h.published_sure);
        }
        assert!(h.first_seen.as_deref().is_some_and(|d| d.len() == 10));
        assert!(h.url.as_deref().is_none_or(|u| u.starts_with("http")));
        assert!(h.site.as_deref().is_none_or(|s| !s.is_empty()) && !h.countries.is_empty());
        assert!(h.passage < 100 && h.text.len() > 40 && h.language == "en");
        assert!(h
            .former_countries
            .iter()
            .all(|c| FORMER.contains(&c.as_str())));
        assert!(
            h.agencies.windows(2).all(|w| w[0] < w[1]),
            "sorted, distinct"
        );
        // Every tag says which words made it, and nothing else is there.
        let tags: Vec<&String> = h
            .agencies
            .iter()
            .chain(&h.countries)
            .chain(&h.former_countries)
            .collect();
        assert_eq!(h.matched.len(), tags.len(), "{:?}", h.matched);
        assert!(tags
            .iter()
            .all(|t| h.matched.get(*t).is_some_and(|w| !w.is_empty())));
        for [a, b] in &h.highlights {
            assert!(h.text[*a..*b].to_lowercase().starts_with("recruit"));
        }
        for [a, b] in &h.title_highlights {
            assert!(h.title[*a..*b].to_lowercase().starts_with("recruit"));
        }
        // "recruit" names no agency or country.
        assert!(h.matched_tags.is_empty());
        assert!(h.missing.is_empty());
        // The bundled corpus tells no story twice.
        assert!(h.group.is_none() && h.copies.is_empty(), "{h:?}");
    }

    // A word one letter off is searched with its respelling, and the summary says so; a word
    // the index is far from gives a suggestion line, and no hits.
    let got = lines(&env.ok(&["search", "Mosad", "--format", "json"], 0));
    let Some(Line::Summary(s)) = got.last() else {
        panic!("{got:?}")
    };
    assert_eq!(s.searched_also["Mosad"], ["mossad"]);
    let got = lines(&env.ok(&["search", "Mosadd", "--format", "json"], 1));
    let [Line::Suggestion { word, suggestions }, Line::Summary(s)] = &got[..] else {
        panic!("{got:?}")
    };
    assert!(word == "Mosadd" && s.hits == 0);
    assert!(suggestions.iter().any(|w| w == "mossad"), "{suggestions:?}");

    // show: the article line, highlights inside its text.
    let got = lines(&env.ok(&["show", &plain(), "-q", "spy", "--format", "json"], 0));
    let [Line::Article(a)] = &got[..] else {
        panic!("{got:?}")
    };
    assert!(a.indexed && a.article_id.len() == 32 && a.path.ends_with(".txt"));
    assert!(a.group.is_none() && a.copies.is_empty());
    assert_eq!(a.text, a.paragraphs.join("\n\n"));
    for (tag, words) in &a.matched {
        assert!(
            a.agencies.contains(tag) || a.countries.contains(tag),
            "{tag}"
        );
        let title = a.title.as_deref().unwrap_or_default();
        assert!(
            words
                .iter()
                .all(|w| a.text.contains(w.as_str()) || title.contains(w.as_str())),
            "{words:?}"
        );
    }
    assert!(!a.highlights.is_empty());
    for [s, e] in &a.highlights {
        assert!(a.text[*s..*e].to_lowercase().starts_with("spy"));
    }
    // The index keeps where the date came from ("Published 14 August 2018" under the title).
    assert_eq!(a.published_source.as_deref(), Some("byline"));
    assert!(a.published_sure && a.first_seen.is_some() && a.encoding.is_none());
    assert_eq!(a.language.as_deref(), Some("en"));
    assert!(a.language_source.is_none());
    assert!(a.title.is_some() && a.passages >= 1 && a.url.is_none() && a.site.is_none());
    assert!(a.published.is_some() && !a.agencies.is_empty() && !a.countries.is_empty());
    assert!(a.former_countries.is_empty());

    // extract: article lines and skipped lines.
    env.write("odd/empty.html", "");
    env.write(
        "odd/note.txt",
        "A note\n\nThe GRU officers met in Vienna in the spring.\n",
    );
    let got = lines(&env.ok(&["extract", "--format", "json", "odd"], 0));
    assert_eq!(got.len(), 2, "{got:?}");
    for line in &got {
        match line {
            Line::Skipped { path, reason } => {
                assert!(path.ends_with("empty.html") && reason == "empty file")
            }
            Line::Article(a) => {
                assert!(!a.indexed && a.encoding.is_some() && a.agencies == ["GRU"]);
                assert_eq!(a.title.as_deref(), Some("A note"));
                assert_eq!(a.title_raw, None, "the title as written");
                // A text file declares no language: it is read from the text.
                assert_eq!(a.language.as_deref(), Some("en"));
                assert_eq!(a.language_source.as_deref(), Some("detected"));
            }
            other => panic!("{other:?}"),
        }
    }

    let got = lines(&env.ok(&["facets", "--format", "json"], 0));
    let [Line::Facets(f)] = &got[..] else {
        panic!("{got:?}")
    };
    assert_eq!(f.articles, 61);
    assert!(f.granularity == "year" && !f.dates.is_empty() && f.undated > 0);
    assert!(f.agencies[0].count >= f.agencies[1].count && !f.countries.is_empty());
    assert!(f.dates.iter().all(|d| d.key.len() == 4 && d.count > 0));
    assert!(f.languages.iter().any(|l| l.key == "en"));
    // The bundled corpus's Cold War stories name the Soviet Union, East Germany and
    // Czechoslovakia: counted apart from today's countries.
    let former: Vec<&str> = f.former_countries.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(former, ["SU", "DD", "CS"]);
    assert!(f
        .countries
        .iter()
        .all(|c| !FORMER.contains(&c.key.as_str())));

    let got = lines(&env.ok(&["status", "--format", "json"], 0));
    let [Line::Status(st)] = &got[..] else {
        panic!("{got:?}")
    };
    assert_eq!(
        (st.articles, st.schema_version, st.tagging_version),
        (
            61,
            dossier::schema::SCHEMA_VERSION,
            dossier::schema::TAGGING_VERSION
        )
    );
    assert_eq!((st.groups, st.copies), (0, 0));
    assert!(st.passages as usize == run.passages && st.size_bytes > 0);
    assert_eq!(st.languages.iter().map(|l| l.count).sum::<usize>(), 61);
    assert!(Path::new(&st.index).ends_with("index"));
    let last = st.last_run.as_ref().unwrap();
    assert!(st.failed_run.is_none() && st.running.is_none(), "{st:?}");
    assert_eq!(st.last_indexed.as_deref(), Some(last.finished.as_str()));
    assert!(last.finished.ends_with('Z') && last.new == 61 && last.passages == run.passages);
    assert!(last.changed + last.unchanged + last.removed == 0 && last.skipped > 0);
    assert!(last.seconds > 0.0);
    assert_eq!(st.folders, [corpus_dir().to_str().unwrap()]);
    assert!(st.earliest < st.latest && st.undated == f.undated as u64);
    // Guessed dates are dated articles too.
    assert!(st.guessed < st.articles);
    assert_eq!(st.agencies.len(), 5);
    assert_eq!(st.countries[0].key, f.countries[0].key);

    let got = lines(&env.ok(&["agencies", "dgse", "--format", "json"], 0));
    assert!(
        matches!(&got[..], [Line::Agency { id, country, names, successor }]
        if id == "DGSE" && country == "FR" && !names.is_empty() && successor.is_none())
    );
    let got = lines(&env.ok(&["countries", "FR", "--format", "json"], 0));
    assert!(matches!(&got[..1], [Line::Country { code, name, aliases }]
        if code == "FR" && name == "France" && !aliases.is_empty()));

    // saved list, show and run.
    env.ok(
        &[
            "saved", "add", "recruits", "recruit", "--agency", "MSS", "--since", "2015",
        ],
        0,
    );
    for args in [
        &["saved", "list", "--format", "json"][..],
        &["saved", "show", "recruits", "--format", "json"],
    ] {
        let got = lines(&env.ok(args, 0));
        assert!(matches!(&got[..], [Line::SavedQuery(q)]
            if q.name == "recruits" && q.query == "recruit" && q.agencies == ["MSS"]
                && q.countries.is_empty() && q.languages.is_empty()
                && q.since.as_deref() == Some("2015")
                && q.until.is_none() && q.description.is_none() && q.watermark.is_none()
                && q.dates == "any" && q.undated.is_none() && q.seen_since.is_none()));
    }
    let got = lines(&env.ok(&["saved", "run", "recruits", "--format", "json"], 0));
    assert!(got.len() >= 2);
    for line in &got {
        match line {
            Line::Hit(h) => assert_eq!(h.query.as_deref(), Some("recruits")),
            Line::Summary(s) => assert_eq!(s.query.as_deref(), Some("recruits")),
            other => panic!("{other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// CSV.

#[test]
fn csv_hits_parse_back_to_the_json_hits() {
    let env = indexed();
    let args = [
        "search",
        "counterintelligence",
        "-n",
        "6",
        "--per-article",
        "1",
    ];
    let (json_hits, _) = env.search_json(&args[1..]);
    let mut csv_args = args.to_vec();
    csv_args.extend(["--format", "csv"]);
    let out = env.run(&csv_args);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("6 of "));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "rank",
            "score",
            "title",
            "published",
            "agencies",
            "countries",
            "former_countries",
            "site",
            "url",
            "path",
            "article_id",
            "passage",
            "matched",
            "text",
            "language",
            "published_source",
            "published_sure",
            "first_seen",
            "missing"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), json_hits.len());
    assert_eq!(rows.len(), 6);
    for (row, hit) in rows.iter().zip(&json_hits) {
        assert_eq!(row[0], hit.rank.to_string());
        assert_eq!(row[2], hit.title);
        assert_eq!(row[3], hit.published.clone().unwrap_or_default());
        assert_eq!(row[4], hit.agencies.join(" "));
        assert_eq!(row[5], hit.countries.join(" "));
        assert_eq!(row[6], hit.former_countries.join(" "));
        assert_eq!(row[9], hit.path);
        assert_eq!(row[10], hit.article_id);
        assert_eq!(row[13], hit.text, "multi-paragraph text survives quoting");
        assert!(row[12].to_lowercase().contains("counterintelligence"));
        assert_eq!(row[15], hit.published_source.clone().unwrap_or_default());
        assert_eq!(row[16], hit.published_sure.to_string());
        assert_eq!(row[17], hit.first_seen.clone().unwrap_or_default());
    }

    // A saved run puts the query's name first; no hits still gives the header.
    env.ok(&["saved", "add", "ci", "counterintelligence"], 0);
    env.ok(&["saved", "add", "none", "zanzibarxyz"], 0);
    let out = env.ok(
        &["saved", "run", "ci", "none", "--format", "csv", "-n", "2"],
        0,
    );
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    assert_eq!(&reader.headers().unwrap()[0], "query");
    let names: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert_eq!(names, ["ci", "ci"]);
    let empty = env.ok(&["search", "zanzibarxyz", "--format", "csv"], 1);
    assert_eq!(empty.lines().count(), 1, "{empty}");
}

// ---------------------------------------------------------------------------------------------
// Completions and manual pages.

#[test]
fn completions_for_each_shell() {
    let env = Env::new();
    for (shell, checker) in [
        ("bash", Some(("bash", "-n"))),
        ("zsh", Some(("zsh", "-n"))),
        ("fish", Some(("fish", "--no-execute"))),
        ("powershell", None),
        ("elvish", None),
    ] {
        let script = env.ok(&["completions", shell], 0);
        assert!(script.contains("dossier"), "{shell}");
        for word in ["search", "show", "status", "per-article", "color"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
        // Where the shell is installed, the script must at least parse.
        if let Some((program, flag)) = checker {
            let file = env.write(&format!("completion.{shell}"), &script);
            match Command::new(program).arg(flag).arg(&file).output() {
                Ok(out) => assert!(
                    out.status.success(),
                    "{shell}: {}",
                    String::from_utf8_lossy(&out.stderr)
                ),
                Err(_) => {
                    eprintln!("skipping the {shell} syntax check: {program} is not installed")
                }
            }
        }
    }
    let out = env.run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn man_pages() {
    let env = Env::new();
    // A broken configuration must not stop generated files.
    env.write("bad.toml", "limit = [");
    let page = env
        .cmd(&["man"])
        .env("DOSSIER_CONFIG", env.path("bad.toml"))
        .output()
        .unwrap();
    let page = String::from_utf8(page.stdout).unwrap();
    assert!(page.contains(".TH dossier 1"));
    assert!(page.contains(".SH SUBCOMMANDS") && page.contains("dossier\\-show(1)"));
    assert!(page.contains("Examples:"));

    env.ok(&["man", "--dir", env.path("man").to_str().unwrap()], 0);
    for name in [
        "dossier.1",
        "dossier-search.1",
        "dossier-show.1",
        "dossier-saved-run.1",
    ] {
        let text = std::fs::read_to_string(env.path("man").join(name)).expect(name);
        assert!(text.contains(".SH NAME"), "{name}");
    }
    // `--help` of every command and saved subcommand ends with examples.
    let commands = [
        "index",
        "search",
        "show",
        "status",
        "extract",
        "facets",
        "agencies",
        "countries",
        "saved",
        "completions",
        "man",
    ];
    let saved = ["add", "list", "show", "rm", "run"].map(|s| vec!["saved", s]);
    for cmd in commands.map(|c| vec![c]).into_iter().chain(saved) {
        let mut args = cmd.clone();
        args.push("--help");
        let help = env.ok(&args, 0);
        assert!(help.contains("Examples:\n  dossier "), "{cmd:?}: {help}");
    }
}

// ---------------------------------------------------------------------------------------------
// show and status on the bundled corpus.

#[test]
fn show_reads_articles_back_by_id_prefix_or_path() {
    let env = indexed();
    let (hits, _) = env.search_json(&["Georgia", "spy", "catchers", "-n", "1"]);
    let hit = &hits[0];
    let by_id = env.ok(&["show", &hit.article_id, "--format", "json"], 0);
    let by_prefix = env.ok(&["show", &hit.article_id[..8], "--format", "json"], 0);
    let by_path = env.ok(&["show", &hit.path, "--format", "json"], 0);
    assert_eq!(by_id, by_prefix);
    assert_eq!(by_id, by_path);
    let got = lines(&by_id);
    let [Line::Article(a)] = &got[..] else {
        panic!("{by_id}")
    };
    // The article holds every passage search can return, whole.
    assert!(a.text.contains(&hit.text), "{}", hit.text);
    assert_eq!(a.title.as_deref(), Some(hit.title.as_str()));

    // The same text `extract` gives for the file, when no paragraph was cut.
    let got = lines(&env.ok(&["extract", &hit.path, "--format", "json"], 0));
    let [Line::Article(e)] = &got[..] else {
        panic!("{got:?}")
    };
    assert_eq!((e.passages, &e.agencies), (a.passages, &a.agencies));
    assert_eq!(
        e.text.split_whitespace().collect::<Vec<_>>(),
        a.text.split_whitespace().collect::<Vec<_>>()
    );

    // A file never indexed is extracted on the spot, with a note.
    let file = env.write(
        "new/fresh.txt",
        "Fresh\n\nThe SVR ran a safe house in Lisbon.\n",
    );
    let out = env.run(&["show", file.to_str().unwrap(), "--color", "never"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("SVR | PT"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not in the index"));
    // An indexed file that changed since: the indexed text, and a note saying so.
    let copy = env.path("c/a.txt");
    env.write("c/a.txt", "Old\n\nThe MI6 station chief left Vienna.\n");
    env.index(&env.path("c"));
    std::fs::write(&copy, "New\n\nNothing here any more.\n").unwrap();
    let out = env.run(&["show", copy.to_str().unwrap(), "--color", "never"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("MI6 station chief"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has changed since it was indexed"));

    for (target, needle) in [
        ("0000000000", "no article '0000000000'"),
        ("nowhere.html", "no article 'nowhere.html'"),
    ] {
        let out = env.run(&["show", target]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains(needle));
    }
}

#[test]
fn status_follows_index_runs() {
    let env = Env::new();
    let out = env.run(&["status"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("dossier: no index at"));

    env.write(
        "a/one.txt",
        "One\n\nThe DGSE opened an inquiry in Paris in 2019.\n",
    );
    env.write("b/two.txt", "Two\n\nThe BND watched a courier in Berlin.\n");
    env.index(&env.path("a"));
    env.index(&env.path("b"));
    let st = env.ok(&["status", "--color", "never"], 0);
    let field = |name: &str| {
        st.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .unwrap_or_else(|| panic!("no {name} in {st}"))
            .trim()
            .to_string()
    };
    assert_eq!(field("articles"), "2");
    assert_eq!(field("passages"), "2");
    let (a, b) = (env.path("a"), env.path("b"));
    assert_eq!(
        field("folders"),
        format!("{}, {}", a.display(), b.display())
    );
    assert!(
        field("last indexed").ends_with("Z (1 new, 0 changed, 0 unchanged, 0 removed, 0 skipped)"),
        "{st}"
    );
    assert_eq!(field("dates covered"), "none (2 undated)");
    assert_eq!(field("top agencies"), "BND 1, DGSE 1");
    // --rebuild starts the folder list again.
    env.ok(&["index", "--rebuild", env.path("b").to_str().unwrap()], 0);
    let st = env.ok(&["status"], 0);
    assert!(st.contains("articles:      1\n"), "{st}");
    assert!(!st.contains("/a") && st.contains("/b"), "{st}");
}

// ---------------------------------------------------------------------------------------------
// Configuration precedence: flags > environment > file > defaults.

#[test]
fn configuration_precedence() {
    let env = indexed();
    let hits = |cmd: &mut Command| {
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .filter(|l| l.contains("\"type\":\"hit\""))
            .count()
    };
    let search = [
        "search",
        "intelligence",
        "--format",
        "json",
        "--per-article",
        "5",
    ];
    assert_eq!(hits(&mut env.cmd(&search)), 10, "built-in default");

    env.write("xdg-config/dossier/config.toml", "limit = 7\n");
    assert_eq!(
        hits(&mut env.cmd(&search)),
        7,
        "the user's config directory"
    );
    let file = env.write(
        "elsewhere.toml",
        "limit = 3\nper_article = 1\ncolor = \"always\"\n",
    );
    let with_file = |args: &[&str]| {
        let mut c = env.cmd(args);
        c.env("DOSSIER_CONFIG", &file);
        c
    };
    assert_eq!(
        hits(&mut with_file(&search)),
        3,
        "DOSSIER_CONFIG beats the default file"
    );
    assert_eq!(
        hits(with_file(&search).env("DOSSIER_LIMIT", "4")),
        4,
        "environment beats file"
    );
    let mut flag = search.to_vec();
    flag.extend(["--limit", "2"]);
    assert_eq!(
        hits(with_file(&flag).env("DOSSIER_LIMIT", "4")),
        2,
        "flag beats environment"
    );
    // per_article from the file (the flag is absent here).
    let out = with_file(&["search", "intelligence", "--format", "json", "-n", "10"])
        .output()
        .unwrap();
    let (found, _) = crate::util::parse_lines(&String::from_utf8(out.stdout).unwrap());
    let mut ids: Vec<&str> = found.iter().map(|h| h.article_id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), found.len(), "per_article = 1 from the file");

    // Colour: file says always; DOSSIER_COLOR beats it; the flag beats both.
    let human = ["search", "intelligence", "-n", "1"];
    let coloured = |c: &mut Command| {
        String::from_utf8(c.output().unwrap().stdout)
            .unwrap()
            .contains('\x1b')
    };
    assert!(coloured(&mut with_file(&human)));
    assert!(!coloured(with_file(&human).env("DOSSIER_COLOR", "never")));
    let mut forced = human.to_vec();
    forced.extend(["--color", "always"]);
    assert!(coloured(with_file(&forced).env("DOSSIER_COLOR", "never")));

    // The index path: file, then environment, then flag.
    let other = Env::new();
    other.write("c/x.txt", "X\n\nThe ASIO caught a courier in Perth.\n");
    other.index(&other.path("c"));
    let cfg = env.write(
        "index.toml",
        format!("index = {:?}\n", other.index_path().to_str().unwrap()),
    );
    let bare = |extra: &[(&str, &Path)], args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_dossier"));
        c.env_remove("DOSSIER_INDEX")
            .env("XDG_CONFIG_HOME", env.path("none"))
            .env("DOSSIER_CONFIG", &cfg)
            .args(args);
        for (k, v) in extra {
            c.env(k, v);
        }
        c.output().unwrap().status.code()
    };
    assert_eq!(
        bare(&[], &["search", "courier", "Perth"]),
        Some(0),
        "index from the file"
    );
    let ours = env.index_path();
    assert_eq!(
        bare(&[("DOSSIER_INDEX", &ours)], &["search", "courier", "Perth"]),
        Some(1)
    );
    let other_index = other.index_path();
    let flag_index = [
        "--index",
        other_index.to_str().unwrap(),
        "search",
        "courier",
        "Perth",
    ];
    assert_eq!(bare(&[("DOSSIER_INDEX", &ours)], &flag_index), Some(0));
}

// ---------------------------------------------------------------------------------------------
// Errors.

/// Arguments, environment variables, and a part of the expected message.
type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, &'a str);

#[test]
fn every_error_is_one_line_in_one_style() {
    let env = indexed();
    env.write("bad.toml", "limit = 5\ncolour = \"never\"\n");
    env.ok(&["saved", "add", "one", "spy"], 0);
    let cases: Vec<Case> = vec![
        (vec!["search", "\"unclosed"], vec![], "bad query"),
        (
            vec!["search", "x", "--agency", "Nope"],
            vec![],
            "unknown agency 'Nope'",
        ),
        (
            vec!["search", "x", "--since", "2017-13"],
            vec![],
            "--since: bad date",
        ),
        (
            vec!["search", "x", "--until", "2015", "--since", "2016"],
            vec![],
            "after --until",
        ),
        (
            vec!["search", "--frobnicate", "x"],
            vec![],
            "bad command line",
        ),
        (
            vec!["serach", "x"],
            vec![],
            "bad command line: unrecognized subcommand",
        ),
        (
            vec!["search", "x", "--format", "xml"],
            vec![],
            "invalid value 'xml'",
        ),
        (
            vec!["saved", "add"],
            vec![],
            "required arguments were not provided: <NAME>",
        ),
        (
            vec!["search", "ma?e"],
            vec![],
            "one-letter wildcards are not supported",
        ),
        (vec!["show", "ffff"], vec![], "no article 'ffff'"),
        (
            vec!["saved", "run", "nope"],
            vec![],
            "unknown saved query 'nope'",
        ),
        (
            vec!["search", "x"],
            vec![("DOSSIER_LIMIT", "ten")],
            "bad DOSSIER_LIMIT 'ten'",
        ),
        (
            vec!["search", "x"],
            vec![("DOSSIER_COLOR", "pink")],
            "bad DOSSIER_COLOR",
        ),
        (
            vec!["search", "x"],
            vec![("DOSSIER_CONFIG", "bad.toml")],
            "line 2, column 1",
        ),
        (
            vec!["search", "x"],
            vec![("DOSSIER_CONFIG", "missing.toml")],
            "missing.toml",
        ),
    ];
    for (args, vars, needle) in cases {
        let mut cmd = env.cmd(&args);
        for (k, v) in &vars {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        // dossier: <what went wrong>: <detail>; <what to do>
        let body = err
            .trim_end()
            .strip_prefix("dossier: ")
            .unwrap_or_else(|| panic!("{err}"));
        let (before, hint) = body
            .rsplit_once("; ")
            .unwrap_or_else(|| panic!("no hint: {err}"));
        assert!(before.contains(": ") && !hint.is_empty(), "{args:?}: {err}");
    }
}

/// `show` pages through `$PAGER` on a terminal only; `script` (util-linux) provides the
/// terminal where it is installed.
#[test]
fn show_pages_on_a_terminal() {
    let env = indexed();
    let show = format!(
        "{} --index {} show {} --color never",
        env!("CARGO_BIN_EXE_dossier"),
        env.index_path().display(),
        plain()
    );
    let on_tty = |extra: &str| {
        Command::new("script")
            .args(["-qec", &format!("{show}{extra}"), "/dev/null"])
            .env("PAGER", "sed -n 1,1p")
            .env_remove("DOSSIER_CONFIG")
            .env("XDG_CONFIG_HOME", env.path("none"))
            .output()
    };
    let Ok(paged) = on_tty("") else {
        eprintln!("skipping: 'script' is not installed to give dossier a terminal");
        return;
    };
    let paged = String::from_utf8_lossy(&paged.stdout).into_owned();
    assert_eq!(paged.trim_end().lines().count(), 1, "{paged}");
    assert!(paged.starts_with("Georgia's spy-catchers"), "{paged}");
    let direct = String::from_utf8_lossy(&on_tty(" --no-pager").unwrap().stdout).into_owned();
    assert!(direct.lines().count() > 10, "{direct}");
    // Not a terminal: no pager, whatever $PAGER says.
    let piped = env
        .cmd(&["show", &plain()])
        .env("PAGER", "sed -n 1,1p")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&piped.stdout).lines().count() > 10);
}

/// Filters alone list their articles newest first ("every MSS article since 2015"); with no
/// words and no filter, search says what it needs.
#[test]
fn filters_alone_list_articles_newest_first() {
    let env = indexed();
    let (hits, summary) = env.search_json(&[
        "--agency",
        "MSS",
        "--since",
        "2015",
        "--per-article",
        "1",
        "-n",
        "100",
    ]);
    assert!(hits.len() >= 3, "{hits:?}");
    assert_eq!(summary["hits"].as_u64(), Some(hits.len() as u64));
    let dates: Vec<&str> = hits.iter().filter_map(|h| h.published.as_deref()).collect();
    assert_eq!(dates.len(), hits.len(), "--since keeps dated articles only");
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {dates:?}"
    );
    assert!(dates.iter().all(|d| *d >= "2015"), "{dates:?}");
    assert!(hits.iter().all(|h| h.agencies.iter().any(|a| a == "MSS")));
    let ids: std::collections::HashSet<_> = hits.iter().map(|h| &h.article_id).collect();
    assert_eq!(ids.len(), hits.len(), "one passage an article");
    assert!(
        hits.iter().all(|h| h.passage == 0),
        "an article's first passage"
    );

    let out = env.run(&["search"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no query and no filter"), "{err}");
}

/// Human output shows the id `dossier show` takes.
#[test]
fn human_hits_show_an_id_that_show_takes() {
    let env = indexed();
    let out = env.ok(&["search", "recruit", "officers", "-n", "1"], 0);
    let id = out
        .split(", id ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .unwrap_or_else(|| panic!("no id in {out}"));
    assert_eq!(id.len(), 8, "{out}");
    let (hits, _) = env.search_json(&["recruit", "officers", "-n", "1"]);
    assert!(hits[0].article_id.starts_with(id));
    let shown = env.ok(&["show", id, "--format", "json"], 0);
    assert!(shown.contains(&hits[0].article_id), "{shown}");
}
