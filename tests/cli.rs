//! The command line end to end on small articles written for the tests: filters, query syntax,
//! JSON contract, exit statuses and error messages, re-indexing.

use std::path::Path;

use crate::util::Env;

fn page(title: &str, date: &str, paras: &[&str]) -> String {
    let body: String = paras.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} | The Test Wire</title>\n\
         <meta property=\"article:published_time\" content=\"{date}T08:00:00+00:00\">\n\
         <script>var tdCacheTest = {{\"x\": 1}};</script></head><body>\n\
         <nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/world\">World</a></li></ul></nav>\n\
         <article><h1>{title}</h1>\n{body}</article>\n\
         <footer>Copyright The Test Wire</footer></body></html>"
    )
}

const FILLER: &str = "Investigators said the case had been years in the making and that more \
    arrests could follow as prosecutors examined the records seized during the raids.";

/// Three articles: a DGSE/France story (2017), an MSS/China story (2020), a GRU story (2023).
fn corpus(env: &Env) {
    env.write(
        "c/wire/2017/paris.html",
        page(
            "Paris officer recruited by foreign service",
            "2017-05-04",
            &[
                &format!("The Directorate General of External Security said one of its officers had been approached in Paris by a foreign handler. {FILLER}"),
                &format!("French counterintelligence opened an inquiry into the approach. {FILLER} {FILLER}"),
            ],
        ),
    );
    env.write(
        "c/wire/2020/beijing.html",
        page(
            "Beijing network targeted European officials",
            "2020-11-30",
            &[
                &format!("The Ministry of State Security recruited officials through online profiles, according to the indictment filed in China. {FILLER}"),
                &format!("Chinese diplomats denied the charges. {FILLER}"),
            ],
        ),
    );
    env.write(
        "c/wire/2023/hague.html",
        page(
            "Hackers tied to military intelligence expelled",
            "2023-01-15",
            &[
                &format!("The Netherlands expelled four officers of the GRU, Russian military intelligence, after a failed intrusion. {FILLER}"),
            ],
        ),
    );
}

fn titles(hits: &[crate::util::Hit]) -> Vec<String> {
    hits.iter().map(|h| h.title.clone()).collect()
}

#[test]
fn json_lines_follow_the_contract() {
    let env = Env::new();
    corpus(&env);
    env.index(&env.path("c"));
    let (hits, summary) = env.search_json(&["recruited", "officials", "--all-words"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    let h = &hits[0];
    assert_eq!(h.rank, 1);
    assert_eq!(h.title, "Beijing network targeted European officials");
    assert_eq!(h.published.as_deref(), Some("2020-11-30"));
    assert!(h.agencies.contains(&"MSS".to_string()), "{:?}", h.agencies);
    assert!(h.countries.contains(&"CN".to_string()), "{:?}", h.countries);
    assert_eq!(h.article_id.len(), 32);
    assert!(h.path.ends_with("beijing.html"));
    assert!(!h.highlights.is_empty());
    for [s, e] in &h.highlights {
        let word = h.text[*s..*e].to_lowercase();
        assert!(
            word.starts_with("recruit") || word.starts_with("official"),
            "highlight '{word}'"
        );
    }
    assert_eq!(summary["hits"], 1);
    assert_eq!(summary["total_matches"], 1);
    assert!(summary["took_ms"].as_f64().is_some());
}

#[test]
fn filters_take_any_alias_and_keep_the_ranking() {
    let env = Env::new();
    corpus(&env);
    env.index(&env.path("c"));
    let (all, _) = env.search_json(&["officers", "--per-article", "1"]);
    assert_eq!(all.len(), 2, "{:?}", titles(&all));
    for agency in ["dgse", "DGSE", "Directorate General of External Security"] {
        let (hits, _) = env.search_json(&["officers", "--per-article", "1", "--agency", agency]);
        assert_eq!(
            titles(&hits),
            vec!["Paris officer recruited by foreign service"],
            "{agency}"
        );
    }
    for country in ["france", "French", "FR"] {
        let (hits, _) = env.search_json(&["officers", "--per-article", "1", "--country", country]);
        assert_eq!(hits.len(), 1, "{country}");
        assert!(hits[0].countries.contains(&"FR".to_string()));
    }
    // A filter keeps the order and the scores of what it keeps.
    let (filtered, _) = env.search_json(&["officers", "--per-article", "1", "--since", "2017"]);
    let expected: Vec<_> = all.iter().map(|h| (h.title.clone(), h.score)).collect();
    let got: Vec<_> = filtered
        .iter()
        .map(|h| (h.title.clone(), h.score))
        .collect();
    assert_eq!(got, expected);
    // The same for a query of several words, which first selects articles.
    let (wide, _) = env.search_json(&["investigators", "records", "--per-article", "1"]);
    let (narrow, _) = env.search_json(&[
        "investigators",
        "records",
        "--per-article",
        "1",
        "--until",
        "2020",
    ]);
    assert_eq!(wide.len(), 3);
    let kept: Vec<_> = wide
        .iter()
        .filter(|h| h.published.as_deref() <= Some("2020-12-31"))
        .map(|h| (h.title.clone(), h.score))
        .collect();
    let got: Vec<_> = narrow.iter().map(|h| (h.title.clone(), h.score)).collect();
    assert_eq!(got, kept);
    let (gru, _) = env.search_json(&[
        "officers",
        "--per-article",
        "1",
        "--agency",
        "Russian military intelligence",
    ]);
    assert_eq!(gru.len(), 1);
    assert!(
        (gru[0].score - all.iter().find(|h| h.title == gru[0].title).unwrap().score).abs() < 1e-6
    );
}

#[test]
fn date_bounds_are_inclusive() {
    let env = Env::new();
    corpus(&env);
    env.index(&env.path("c"));
    let count = |args: &[&str]| {
        let mut a = vec!["investigators", "--per-article", "1"];
        a.extend_from_slice(args);
        env.search_json(&a).0.len()
    };
    assert_eq!(count(&[]), 3);
    assert_eq!(count(&["--until", "2020"]), 2);
    assert_eq!(count(&["--until", "2020-11"]), 2);
    assert_eq!(count(&["--until", "2020-11-29"]), 1);
    assert_eq!(count(&["--since", "2020-11-30"]), 2);
    assert_eq!(count(&["--since", "2018", "--until", "2022"]), 1);
}

#[test]
fn query_syntax() {
    let env = Env::new();
    corpus(&env);
    env.index(&env.path("c"));
    // What each clause matches, without the articles that lack a word after them.
    let t = |q: &[&str]| {
        let mut a = q.to_vec();
        a.extend(["--per-article", "1", "--all-words"]);
        titles(&env.search_json(&a).0)
    };
    assert_eq!(t(&["\"foreign handler\""]).len(), 1);
    assert_eq!(t(&["\"handler foreign\""]).len(), 0);
    assert_eq!(
        t(&["officers", "-Netherlands"]),
        vec!["Paris officer recruited by foreign service"]
    );
    assert_eq!(t(&["expelled", "OR", "indictment"]).len(), 2);
    assert_eq!(
        t(&["title:hackers"]),
        vec!["Hackers tied to military intelligence expelled"]
    );
    assert_eq!(t(&["agency:\"Ministry of State Security\""]).len(), 1);
    assert_eq!(t(&["investigators", "country:china"]).len(), 1);
    // Words are required of the article, not of one passage: "handler" and "inquiry" stand in
    // different paragraphs of the Paris story.
    let (hits, _) = env.search_json(&["handler", "inquiry", "--per-article", "5"]);
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!(hits
        .iter()
        .all(|h| h.title == "Paris officer recruited by foreign service"));
    assert!(hits.iter().all(|h| !h.highlights.is_empty()));
    assert_eq!(t(&["handler", "inquiry", "-Paris"]).len(), 0);
    assert_eq!(t(&["handler", "Netherlands"]).len(), 0);
    // Stemming: the plural finds the singular.
    assert_eq!(t(&["officials"]).len(), 1);
    assert_eq!(t(&["official"]).len(), 1);
    // Queries that match by filters or title alone give the Beijing story's passages, never
    // the article document the index keeps beside them (it has no passage text).
    let passages = |q: &[&str]| {
        let mut a = q.to_vec();
        a.extend(["--per-article", "10"]);
        let (hits, summary) = env.search_json(&a);
        assert_eq!(summary["total_matches"], hits.len(), "{q:?}");
        assert!(hits.iter().all(|h| !h.text.is_empty()), "{q:?}: {hits:?}");
        hits.iter().map(|h| h.passage).collect::<Vec<_>>()
    };
    let all = passages(&["beijing"]);
    assert!(!all.is_empty());
    assert_eq!(passages(&["agency:MSS"]), all);
    assert_eq!(passages(&["title:beijing"]), all);
    assert_eq!(passages(&["title:beijing", "OR", "country:CN"]), all);
    // A word in most documents is required of the article but ranks no passage beside a rarer
    // one: the Paris story's second paragraph holds "the" but not "handler".
    let paris = passages(&["paris"]);
    assert!(paris.len() >= 2, "{paris:?}");
    let (hits, _) = env.search_json(&["handler", "the", "--per-article", "10"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0].text.contains("handler"));
    // With no rarer word, common ones rank as usual.
    assert_eq!(t(&["the", "of"]).len(), 3);
}

#[test]
fn errors_are_one_clear_line_with_status_2() {
    let env = Env::new();
    let out = env.run(&["search", "anything"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("dossier: no index at"), "{err}");
    assert!(err.contains("dossier index"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    corpus(&env);
    env.index(&env.path("c"));
    for (args, needle) in [
        (vec!["search", "\"unclosed"], "unclosed quote"),
        (vec!["search", "a", "OR"], "OR needs a term"),
        (
            vec!["search", "x", "--agency", "Ministry of Silly Walks"],
            "unknown agency 'Ministry of Silly Walks'",
        ),
        (
            vec!["search", "x", "--country", "Atlantis"],
            "unknown country 'Atlantis'",
        ),
        (
            vec!["search", "x", "--since", "2017-13"],
            "bad date '2017-13'",
        ),
    ] {
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.starts_with("dossier: ") && err.contains(needle),
            "{args:?}: {err}"
        );
        assert!(
            !err.contains("panicked") && !err.contains("Error {"),
            "{err}"
        );
    }
    // No hits: status 1, like grep.
    env.ok(&["search", "zanzibarxyz"], 1);
}

#[test]
fn human_output_marks_matches_without_colour() {
    let env = Env::new();
    corpus(&env);
    env.index(&env.path("c"));
    let out = env.ok(&["search", "indictment", "--color", "never"], 0);
    assert!(
        out.contains(" 1. Beijing network targeted European officials"),
        "{out}"
    );
    assert!(out.contains("2020-11-30"), "{out}");
    assert!(out.contains("*indictment*"), "{out}");
    assert!(!out.contains('\x1b'), "{out}");
    let coloured = env.ok(&["search", "indictment", "--color", "always"], 0);
    assert!(coloured.contains("\x1b["), "{coloured}");
}

#[test]
fn reindexing_follows_changes_and_bad_files_are_skipped() {
    let env = Env::new();
    corpus(&env);
    let first = env.index(&env.path("c"));
    let err = String::from_utf8(first.stderr).unwrap();
    assert!(err.contains("3 new"), "{err}");
    let again = env.index(&env.path("c"));
    assert!(String::from_utf8(again.stderr)
        .unwrap()
        .contains("3 unchanged"));

    std::fs::remove_file(env.path("c/wire/2023/hague.html")).unwrap();
    env.write(
        "c/wire/2017/paris.html",
        page(
            "Paris officer recruited by foreign service",
            "2017-05-04",
            &[&format!("A corrected story about a zeppelin. {FILLER}")],
        ),
    );
    env.write("c/wire/photo.jpg", [0xffu8, 0xd8, 0xff, 0xe0]);
    env.write(
        "c/wire/broken.html",
        [0u8, 159, 146, 150, 0, 0, 1, 2, 3, 0, 0],
    );
    let out = env.run(&["index", "c"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("1 changed") && err.contains("1 removed"),
        "{err}"
    );
    // Files that are not articles are counted, not listed, unless asked.
    assert!(!err.contains("broken.html"), "{err}");
    assert!(
        err.lines()
            .any(|l| l.ends_with(" not an article; --verbose lists them")),
        "{err}"
    );
    let out = env.run(&["index", "--verbose", "c"]);
    let err = String::from_utf8(out.stderr).unwrap();
    let broken = env.path("c/wire/broken.html");
    let line = format!(
        "dossier: skipped {}: binary content, not HTML or text",
        broken.display()
    );
    assert!(err.lines().any(|l| l == line), "{err}");
    assert!(!err.contains("--verbose lists them"), "{err}");
    assert_eq!(env.search_json(&["expelled"]).0.len(), 0);
    assert_eq!(env.search_json(&["zeppelin"]).0.len(), 1);
    assert_eq!(env.search_json(&["handler"]).0.len(), 0);
}

#[test]
fn facets_count_articles_not_passages() {
    let env = Env::new();
    corpus(&env);
    env.index(&env.path("c"));
    let out = env.ok(&["facets", "investigators", "--format", "json"], 0);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["type"], "facets");
    assert_eq!(v["articles"], 3);
    assert_eq!(v["granularity"], "year");
    let dates: Vec<(String, u64)> = v["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["key"].as_str().unwrap().to_string(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        dates,
        [("2017".into(), 1), ("2020".into(), 1), ("2023".into(), 1)]
    );
    let agency = |id: &str| {
        v["agencies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["key"] == id)
            .map(|c| c["count"].as_u64().unwrap())
    };
    assert_eq!(agency("MSS"), Some(1));
    // Filters narrow the facets like the search.
    let out = env.ok(&["facets", "--country", "China", "--format", "json"], 0);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["articles"], 1);
    assert_eq!(v["granularity"], "month");
    // Human form draws bars.
    let human = env.ok(&["facets", "investigators"], 0);
    assert!(human.starts_with("3 articles"), "{human}");
    assert!(human.contains('█'), "{human}");
}

#[test]
fn closed_pipe_exits_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let env = Env::with(&crate::util::CORPUS);
    // Far more output than a pipe buffers, and a reader that stops after a few bytes.
    let mut child = env
        .cmd(&[
            "search",
            "intelligence",
            "--limit",
            "1000",
            "--per-article",
            "100",
            "--color",
            "never",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

/// Passages that match only through their article's title tie; they come back in article id
/// and passage order whatever order the indexing threads wrote them in.
#[test]
fn tied_passages_come_back_in_a_fixed_order() {
    let env = Env::new();
    for n in 0..6 {
        let paragraphs: Vec<String> = (0..5)
            .map(|p| {
                let sentence = format!("Paragraph {p} of report {n} lists an officer's travel. ");
                sentence.repeat(6)
            })
            .collect();
        env.write(
            &format!("c/report-{n}.txt"),
            format!("Mole hunt report {n}\n\n{}\n", paragraphs.join("\n\n")),
        );
    }
    let mut answers = Vec::new();
    for _ in 0..3 {
        env.ok(
            &[
                "index",
                "--rebuild",
                "--quiet",
                env.path("c").to_str().unwrap(),
            ],
            0,
        );
        let (hits, _) = env.search_json(&["mole", "--per-article", "5", "--limit", "30"]);
        assert_eq!(hits.len(), 30);
        let order: Vec<(String, u64)> = hits
            .iter()
            .map(|h| (h.article_id.clone(), h.passage))
            .collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(
            order, sorted,
            "tied passages in article id, then passage order"
        );
        answers.push(order);
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]));
}

/// An index created before the tagging changed still searches; `index` says that files it does
/// not re-read keep their old tags, until `--rebuild`.
#[test]
fn an_index_from_an_older_tagger_is_reported() {
    let env = Env::new();
    env.write(
        "c/a.txt",
        "Soviet spies\n\nThe KGB ran agents in the Soviet Union.\n",
    );
    let dir = env.path("c");
    let dir = dir.to_str().unwrap();
    env.ok(&["index", "--quiet", dir], 0);
    let meta = dossier::index::data_dir(&env.index_path())
        .unwrap()
        .join("dossier.json");
    let old = format!(
        r#"{{"schema_version":{}}}"#,
        dossier::schema::SCHEMA_VERSION
    );
    std::fs::write(&meta, old).unwrap();
    let out = env.run(&["index", "--format", "json", dir]);
    assert_eq!(out.status.code(), Some(0));
    let run: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(run["outdated"], true);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("older dossier") && err.contains("--rebuild"),
        "{err}"
    );
    assert!(env.ok(&["status"], 0).contains("tagging:       version 1"));
    let (hits, _) = env.search_json(&["spies"]);
    assert_eq!(hits.len(), 1);

    let out = env.run(&["index", "--rebuild", "--format", "json", dir]);
    let run: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(run["outdated"], false);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("older dossier"));
    assert!(!env.ok(&["status"], 0).contains("tagging:"));
    let (hits, _) = env.search_json(&["spies", "--country", "USSR"]);
    assert_eq!(hits[0].former_countries, ["SU"]);
}

/// `index --quiet` says nothing when all goes well (a cron job mails only trouble), and still
/// reports a problem on stderr.
#[test]
fn quiet_index_is_silent_on_success_only() {
    let env = Env::new();
    env.write(
        "c/a.txt",
        "Moles\n\nThe FSB ran a mole in Berlin for years.\n",
    );
    let dir = env.path("c");
    let dir = dir.to_str().unwrap();
    let out = env.run(&["index", "--quiet", dir]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out:?}");
    let again = env.run(&["index", dir]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("unchanged"));
    let missing = env.path("nowhere");
    let bad = env.run(&["index", "--quiet", missing.to_str().unwrap()]);
    assert_ne!(bad.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("nowhere"),
        "{bad:?}"
    );
}

#[test]
fn skips_are_counted_by_kind_and_listed_when_they_need_attention() {
    let env = Env::new();
    corpus(&env);
    env.write("c/notes.pdf", b"%PDF-1.4");
    env.write("c/empty.html", "  \n");
    env.write(
        "c/big.html",
        page("Big", "2020-01-01", &[&"courier ".repeat(400)]),
    );
    let mem = env.path("c/mem.html");
    let unreadable = Path::new("/proc/self/mem").exists();
    if unreadable {
        // A read that fails whoever runs it: the kernel refuses to read address 0.
        std::os::unix::fs::symlink("/proc/self/mem", &mem).unwrap();
    }
    let out = env.run(&["index", "--max-file-size", "2K", "c"]);
    let err = String::from_utf8(out.stderr).unwrap();
    let mut lines: Vec<&str> = err.lines().collect();
    let summary = lines.pop().unwrap();
    if unreadable {
        assert_eq!(
            summary,
            "4 skipped: 2 not an article, 1 too large, 1 unreadable; --verbose lists them"
        );
        let line = format!(
            "dossier: skipped {}: cannot read: Input/output error (os error 5)",
            mem.display()
        );
        assert_eq!(lines[0], line, "{err}");
        assert!(lines[1].starts_with("indexed "), "{err}");
        assert_eq!(lines.len(), 2, "{err}");
    } else {
        assert_eq!(
            summary,
            "3 skipped: 2 not an article, 1 too large; --verbose lists them"
        );
    }

    // --verbose lists every one, --quiet none but those that need attention.
    let out = env.run(&["index", "--verbose", "--max-file-size", "2K", "c"]);
    let err = String::from_utf8(out.stderr).unwrap();
    for (name, reason) in [
        ("notes.pdf", "not an article file type"),
        ("empty.html", "empty file"),
        ("big.html", "larger than --max-file-size 2KB"),
    ] {
        let line = format!(
            "dossier: skipped {}: {reason}",
            env.path("c").join(name).display()
        );
        assert!(err.lines().any(|l| l == line), "{line} not in\n{err}");
    }
    assert!(!err.contains("--verbose lists them"), "{err}");
    let out = env.run(&["index", "--quiet", "--max-file-size", "2K", "c"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), usize::from(unreadable), "{err}");

    // JSON counts by reason and by kind.
    let out = env.ok(
        &["index", "--format", "json", "--max-file-size", "2K", "c"],
        0,
    );
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["skipped_by_kind"]["not_an_article"], 2);
    assert_eq!(v["skipped_by_kind"]["too_large"], 1);
    assert_eq!(v["skipped"]["larger than --max-file-size 2KB"], 1);
}
