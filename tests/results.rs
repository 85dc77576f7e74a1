//! What a search shows: exact highlights in passages and titles, the operators of the query
//! language, respelled words and suggestions, each on the bundled corpus.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::util::{Env, Hit, CORPUS};

fn corpus_env() -> Env {
    Env::with(&CORPUS)
}

/// The highlighted pieces of each hit's text.
fn marked(hits: &[Hit]) -> Vec<String> {
    hits.iter()
        .flat_map(|h| h.highlights.iter().map(|&[a, b]| h.text[a..b].to_string()))
        .collect()
}

/// Every hit line as JSON values, for fields the shared `Hit` does not decode.
fn raw_hits(env: &Env, args: &[&str]) -> (Vec<Value>, Value) {
    let mut full = vec!["search", "--format", "json"];
    full.extend_from_slice(args);
    let out = env.run(&full);
    let mut hits = Vec::new();
    let mut summary = Value::Null;
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        match v["type"].as_str() {
            Some("hit") => hits.push(v),
            Some("summary") => summary = v,
            _ => {}
        }
    }
    (hits, summary)
}

fn articles(hits: &[Hit]) -> BTreeSet<String> {
    hits.iter().map(|h| h.article_id.clone()).collect()
}

#[test]
fn a_phrase_is_highlighted_as_one_span_in_text_and_title() {
    let env = corpus_env();
    let (hits, _) = env.search_json(&["\"Ministry of State Security\"", "-n", "20"]);
    assert!(!hits.is_empty());
    let pieces = marked(&hits);
    assert!(!pieces.is_empty());
    for p in &pieces {
        // One span, the whole phrase; never "of" or "State" alone.
        let words: Vec<String> = p.split_whitespace().map(str::to_lowercase).collect();
        assert_eq!(words, ["ministry", "of", "state", "security"], "{p}");
    }
    let (raw, _) = raw_hits(&env, &["\"Ministry of State Security\"", "-n", "20"]);
    let titled: Vec<String> = raw
        .iter()
        .flat_map(|h| {
            let title = h["title"].as_str().unwrap().to_string();
            h["title_highlights"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |r| {
                    let (a, b) = (
                        r[0].as_u64().unwrap() as usize,
                        r[1].as_u64().unwrap() as usize,
                    );
                    title[a..b].to_string()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        titled.iter().any(|t| t == "Ministry of State Security"),
        "{titled:?}"
    );

    // In colour, the title's matched words are coloured like the passage's.
    let out = env.ok(
        &[
            "search",
            "\"Ministry of State Security\"",
            "--color",
            "always",
            "-n",
            "1",
        ],
        0,
    );
    let title_line = out.lines().next().unwrap();
    assert!(
        title_line.contains("\x1b[31mMinistry of State Security\x1b[0m"),
        "{title_line:?}"
    );
}

#[test]
fn prefix_proximity_and_near_find_what_they_say() {
    let env = corpus_env();
    let (prefix, _) = env.search_json(&["spy*", "-n", "50", "--copies", "all"]);
    let (word, _) = env.search_json(&["spy", "-n", "50", "--copies", "all"]);
    assert!(articles(&prefix).is_superset(&articles(&word)));
    for p in marked(&prefix) {
        assert!(p.to_lowercase().starts_with("sp"), "{p}");
    }
    assert!(marked(&prefix).iter().any(|p| p.to_lowercase() == "spying"));

    // The corpus says "invested in recruiting officers": two words between the first and the
    // last, which a phrase with a slop of 2 allows and one of 1 does not.
    let (exact, _) = env.search_json(&["\"invested officers\""]);
    assert!(exact.is_empty());
    assert!(env.search_json(&["\"invested officers\"~1"]).0.is_empty());
    let (near, _) = env.search_json(&["\"invested officers\"~2"]);
    assert_eq!(near.len(), 1);
    let pieces: Vec<String> = marked(&near).iter().map(|p| p.to_lowercase()).collect();
    assert_eq!(pieces, ["invested", "officers"]);

    // NEAR takes either order, at most N words apart.
    assert!(env.search_json(&["officers NEAR/1 invested"]).0.is_empty());
    let (either, _) = env.search_json(&["officers NEAR/2 invested"]);
    assert_eq!(articles(&either), articles(&near));
    assert_eq!(marked(&either).len(), 2);
    let (adjacent, _) = env.search_json(&["officers NEAR/0 recruiting"]);
    assert_eq!(marked(&adjacent), ["recruiting", "officers"]);
}

#[test]
fn misspelt_words_are_respelled_and_said_so() {
    let env = corpus_env();
    let (right, _) = env.search_json(&["Mossad", "-n", "50", "--no-tags-in-query"]);
    assert!(!right.is_empty());
    let (fuzzy, summary) = env.search_json(&["Mosad~", "-n", "50", "--no-tags-in-query"]);
    assert_eq!(articles(&fuzzy), articles(&right));
    assert_eq!(summary["searched_also"], serde_json::json!({}));
    assert!(marked(&fuzzy).iter().all(|p| p == "Mossad"));

    // Unasked, a word no article holds is searched with its neighbour, and the output says so.
    let (auto, summary) = env.search_json(&["Mosad", "-n", "50", "--no-tags-in-query"]);
    assert_eq!(articles(&auto), articles(&right));
    assert_eq!(summary["searched_also"]["Mosad"][0], "mossad");
    let out = env.run(&["search", "Mosad"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("searched also: mossad (for 'Mosad'"),
        "{stderr}"
    );

    // Quoted, a word is searched as written.
    let (quoted, summary) = env.search_json(&["\"Mosad\""]);
    assert!(quoted.is_empty());
    assert_eq!(summary["searched_also"], serde_json::json!({}));
}

#[test]
fn a_search_that_finds_nothing_suggests_words_the_index_holds() {
    let env = corpus_env();
    let out = env.run(&["search", "Mosadd"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no article holds 'Mosadd'; did you mean:") && stderr.contains("mossad"),
        "{stderr}"
    );
    // A word the index holds is never "corrected".
    let out = env.run(&["search", "Mossad Antarctica"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("'Mossad'"), "{stderr}");
}

/// Every example of the README's table of query syntax is a query dossier reads (exit 0 with
/// hits or 1 without, never 2), so the table cannot promise syntax the parser refuses.
#[test]
fn every_query_syntax_example_of_the_readme_runs() {
    let env = corpus_env();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let (_, table) = readme
        .split_once("### Queries\n\n| syntax | meaning |\n|---|---|\n")
        .expect("the README's table of query syntax");
    let mut ran = 0;
    for row in table.lines().take_while(|l| l.starts_with('|')) {
        let syntax = row.trim_start_matches('|').split(" | ").next().unwrap();
        for example in syntax.split('`').skip(1).step_by(2) {
            if example.contains("NAME") {
                continue; // a placeholder, not a query
            }
            let out = env.run(&["search", example]);
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{example}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            ran += 1;
        }
    }
    assert!(ran >= 15, "only {ran} examples found");
}

/// Words that name a service find the articles tagged with it in any language, rank them, and
/// say so; `--no-tags-in-query` takes the words as words only.
#[test]
fn words_naming_a_service_match_its_tag_in_any_language() {
    let env = corpus_env();
    let (raw, _) = raw_hits(&env, &["German foreign intelligence", "-n", "20"]);
    let german: Vec<&Value> = raw.iter().filter(|h| h["language"] == "de").collect();
    assert!(
        !german.is_empty(),
        "the German article on the BND answers too"
    );
    for h in &raw {
        assert_eq!(
            h["matched_tags"],
            serde_json::json!(["BND"]),
            "{}",
            h["title"]
        );
    }
    let (plain, _) = raw_hits(
        &env,
        &[
            "German foreign intelligence",
            "-n",
            "20",
            "--no-tags-in-query",
        ],
    );
    assert!(plain.iter().all(|h| h["language"] != "de"));
    assert!(plain
        .iter()
        .all(|h| h["matched_tags"] == serde_json::json!([])));
}

#[test]
fn articles_lacking_words_follow_the_whole_matches_and_say_which() {
    let env = Env::new();
    let filler = crate::util::prose(7, 60);
    // Holds all three words; lacks "smuggler"; lacks "smuggler" and "cipher".
    env.write(
        "c/all.txt",
        format!("Embassy mole passed a cipher to the smuggler.\n\n{filler}\n"),
    );
    env.write(
        "c/two.txt",
        format!(
            "A mole at the embassy kept the cipher book.\n\n{}\n",
            crate::util::prose(8, 60)
        ),
    );
    env.write(
        "c/one.txt",
        format!(
            "The mole was never found, officials said.\n\n{}\n",
            crate::util::prose(9, 60)
        ),
    );
    env.index(&env.path("c"));
    let q = "mole cipher smuggler";
    let (hits, summary) = raw_hits(&env, &[q, "--per-article", "1"]);
    let paths: Vec<&str> = hits.iter().map(|h| h["path"].as_str().unwrap()).collect();
    assert_eq!(paths.len(), 3, "{paths:?}");
    assert!(paths[0].ends_with("all.txt") && paths[1].ends_with("two.txt"));
    assert!(paths[2].ends_with("one.txt"), "{paths:?}");
    assert_eq!(hits[0]["missing"], serde_json::json!([]));
    assert_eq!(hits[1]["missing"], serde_json::json!(["smuggler"]));
    // Then the articles holding at least one word, after every article lacking only one.
    assert_eq!(
        hits[2]["missing"],
        serde_json::json!(["cipher", "smuggler"])
    );
    // Only the whole match counts among the matches.
    let (whole, whole_summary) = raw_hits(&env, &[q, "--per-article", "1", "--all-words"]);
    assert_eq!(whole.len(), 1);
    assert_eq!(summary["total_matches"], whole_summary["total_matches"]);
    // Human output names what is missing.
    let human = env.ok(&["search", q, "--color", "never"], 0);
    assert!(human.contains("missing: smuggler"), "{human}");
    // A saved query reports what matches it whole.
    env.ok(&["saved", "add", "moles", q], 0);
    let saved = env.ok(&["saved", "run", "moles", "--format", "json"], 0);
    let saved_hits = saved
        .lines()
        .filter(|l| l.contains("\"type\":\"hit\""))
        .count();
    assert_eq!(saved_hits, 1, "{saved}");
}
