//! Publication dates: where each came from, whether the page states it, and the filters that
//! tell stated dates, guessed dates, undated articles and first indexing apart.

use std::collections::BTreeSet;

use crate::util::Env;

/// Three articles about one spy case: one with a stated date (a meta tag), one whose only date
/// is in its URL, one without any date. Indexed.
fn three_articles() -> Env {
    let env = Env::new();
    env.write(
        "c/stated.html",
        r#"<html lang="en"><head><title>Spy ring in port</title>
<meta property="article:published_time" content="2021-03-04T10:00:00Z"></head>
<body><article><h1>Spy ring in port</h1><p>The navy said two officers were arrested in
the port city in a spy case that has shaken the service.</p></article></body></html>"#,
    );
    env.write(
        "c/guessed.html",
        r#"<html lang="en"><head><title>Spy ring at sea</title>
<link rel="canonical" href="https://news.example/2021/05/06/spy-ring-at-sea/"></head>
<body><article><h1>Spy ring at sea</h1><p>Investigators believe the spy passed documents
to a foreign service over several years, officials said.</p></article></body></html>"#,
    );
    env.write(
        "c/undated.txt",
        "Spy ring in the capital\n\nA spy ring was found by the police in the capital, \
         according to a statement by the ministry.\n",
    );
    env.index(&env.path("c"));
    env
}

/// The file names of the articles a search finds, one passage each.
fn found(env: &Env, args: &[&str]) -> BTreeSet<String> {
    let mut full = vec!["spy", "--per-article", "1"];
    full.extend_from_slice(args);
    let (hits, _) = env.search_json(&full);
    hits.iter()
        .map(|h| h.path.rsplit('/').next().unwrap().to_string())
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

#[test]
fn hits_say_where_their_date_came_from() {
    let env = three_articles();
    let (hits, _) = env.search_json(&["spy", "--per-article", "1"]);
    assert_eq!(hits.len(), 3);
    for h in &hits {
        let name = h.path.rsplit('/').next().unwrap();
        let expected = match name {
            "stated.html" => (Some("2021-03-04"), Some("meta"), true),
            "guessed.html" => (Some("2021-05-06"), Some("url"), false),
            _ => (None, None, false),
        };
        let got = (
            h.published.as_deref(),
            h.published_source.as_deref(),
            h.published_sure,
        );
        assert_eq!(got, expected, "{name}");
        assert!(h.first_seen.is_some(), "{name}");
    }
    // Human output marks the guessed date.
    let human = env.ok(&["search", "spy", "--color", "never"], 0);
    assert!(human.contains("~2021-05-06"), "{human}");
    assert!(
        human.contains("2021-03-04") && !human.contains("~2021-03-04"),
        "{human}"
    );
}

#[test]
fn undated_articles_follow_the_date_filters() {
    let env = three_articles();
    let all = set(&["stated.html", "guessed.html", "undated.txt"]);
    assert_eq!(
        found(&env, &[]),
        all,
        "no date filter keeps undated articles"
    );
    assert_eq!(
        found(&env, &["--since", "2021"]),
        set(&["stated.html", "guessed.html"]),
        "a date filter drops them by default"
    );
    assert_eq!(
        found(&env, &["--since", "2021", "--undated", "include"]),
        all
    );
    assert_eq!(
        found(&env, &["--until", "2021-04", "--undated", "include"]),
        set(&["stated.html", "undated.txt"])
    );
    assert_eq!(
        found(&env, &["--undated", "exclude"]),
        set(&["stated.html", "guessed.html"])
    );
    assert_eq!(found(&env, &["--undated", "only"]), set(&["undated.txt"]));
    // Facets count the undated article apart.
    let facets = env.ok(&["facets", "spy", "--format", "json"], 0);
    let v: serde_json::Value = serde_json::from_str(facets.trim()).unwrap();
    assert_eq!(v["undated"].as_u64(), Some(1), "{facets}");
    let facets = env.ok(
        &["facets", "spy", "--undated", "only", "--format", "json"],
        0,
    );
    let v: serde_json::Value = serde_json::from_str(facets.trim()).unwrap();
    assert_eq!(
        (v["articles"].as_u64(), v["undated"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn dates_sure_counts_only_stated_dates() {
    let env = three_articles();
    assert_eq!(
        found(&env, &["--since", "2021", "--dates", "sure"]),
        set(&["stated.html"])
    );
    // A guessed date counts as none: it joins the undated articles.
    assert_eq!(
        found(&env, &["--dates", "sure", "--undated", "only"]),
        set(&["guessed.html", "undated.txt"])
    );
    assert_eq!(
        found(&env, &["--dates", "any", "--undated", "only"]),
        set(&["undated.txt"])
    );
    // Without a date filter, nothing is dropped.
    assert_eq!(found(&env, &["--dates", "sure"]).len(), 3);
    // Facets count the guessed date with the undated, as the filters do.
    let facets = env.ok(&["facets", "spy", "--dates", "sure", "--format", "json"], 0);
    let v: serde_json::Value = serde_json::from_str(facets.trim()).unwrap();
    assert_eq!(
        (v["articles"].as_u64(), v["undated"].as_u64()),
        (Some(3), Some(2)),
        "{facets}"
    );
    let err = env.run(&["search", "spy", "--dates", "maybe"]);
    assert_eq!(err.status.code(), Some(2));
    // Status counts the guesses apart from the dates the pages state.
    let status = env.ok(&["status", "--format", "json"], 0);
    let v: serde_json::Value = serde_json::from_str(status.trim()).unwrap();
    assert_eq!(
        (v["undated"].as_u64(), v["guessed"].as_u64()),
        (Some(1), Some(1)),
        "{status}"
    );
    let human = env.ok(&["status"], 0);
    assert!(human.contains("(1 undated, 1 guessed)"), "{human}");
}

#[test]
fn seen_since_filters_on_first_indexing() {
    let env = three_articles();
    let (hits, _) = env.search_json(&["spy", "--per-article", "1"]);
    let today = hits[0].first_seen.clone().unwrap();
    assert!(hits.iter().all(|h| h.first_seen.as_deref() == Some(&today)));
    assert_eq!(found(&env, &["--seen-since", &today]).len(), 3);
    assert_eq!(found(&env, &["--seen-since", "2000"]).len(), 3);
    let year: i32 = today[..4].parse().unwrap();
    let next_year = (year + 1).to_string();
    env.ok(&["search", "spy", "--seen-since", &next_year], 1);
    // Written again with a new path, an unchanged article keeps the day it was first seen.
    env.write(
        "c/again/stated-copy.html",
        std::fs::read(env.path("c/stated.html")).unwrap(),
    );
    env.index(&env.path("c"));
    let (hits, _) = env.search_json(&["port", "--per-article", "1"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].first_seen.as_deref(), Some(today.as_str()));
    let export = env.ok(&["export", "--format", "json"], 0);
    assert_eq!(export.matches("\"first_seen\":\"").count(), 3, "{export}");
    assert_eq!(
        export.matches("\"published_sure\":true").count(),
        1,
        "{export}"
    );
}
