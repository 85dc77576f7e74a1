//! The bundled corpus against its truth files: each query must rank its article in the top 3
//! articles, with and without filters.

use std::collections::HashSet;

use crate::util::{corpus_dir, Env};

/// The distinct articles of the first hits, in rank order, as corpus-relative paths.
fn top_articles(env: &Env, args: &[&str], k: usize) -> Vec<String> {
    let mut full = args.to_vec();
    full.extend_from_slice(&["--limit", "30", "--per-article", "1"]);
    let (hits, _) = env.search_json(&full);
    let root = corpus_dir().canonicalize().unwrap();
    let mut seen = HashSet::new();
    hits.into_iter()
        .map(|h| {
            let p = std::path::Path::new(&h.path);
            let p = p.canonicalize().unwrap_or(p.to_path_buf());
            p.strip_prefix(&root)
                .unwrap_or(&p)
                .to_string_lossy()
                .into_owned()
        })
        .filter(|p| seen.insert(p.clone()))
        .take(k)
        .collect()
}

fn rows(file: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(corpus_dir().join(file)).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

#[test]
fn corpus_truth_ranks_in_top_3() {
    let env = Env::new();
    env.index(&corpus_dir());
    let mut failures = Vec::new();
    let truth = rows("truth.tsv");
    assert!(truth.len() >= 25, "truth.tsv has {} queries", truth.len());
    for row in &truth {
        let (query, expected) = (&row[0], &row[1]);
        let top = top_articles(&env, &[query.as_str()], 3);
        if !top.contains(expected) {
            failures.push(format!("{query:?}: expected {expected}, got {top:?}"));
        }
    }
    for row in rows("truth-filters.tsv") {
        let mut args = vec![row[0].as_str()];
        for (flag, value) in ["--agency", "--country", "--since", "--until"]
            .iter()
            .zip(&row[1..5])
        {
            if !value.is_empty() {
                args.push(flag);
                args.push(value);
            }
        }
        let top = top_articles(&env, &args, 3);
        if !top.contains(&row[5]) {
            failures.push(format!("{args:?}: expected {}, got {top:?}", row[5]));
        }
    }
    assert!(
        failures.is_empty(),
        "{} misses:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The corpus README's table of articles says what each one gives: its publication date and
/// its countries, former states in brackets. Extraction and tagging must agree with it.
#[test]
fn corpus_readme_table_matches_extraction() {
    let env = Env::new();
    let root = corpus_dir().canonicalize().unwrap();
    let out = env.ok(&["extract", "--format", "json", root.to_str().unwrap()], 0);
    let mut got = std::collections::HashMap::new();
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["type"] != "article" {
            continue;
        }
        let path = std::path::Path::new(v["path"].as_str().unwrap());
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let codes = |key: &str| -> Vec<String> {
            let mut c: Vec<String> = v[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap().to_string())
                .collect();
            c.sort();
            c
        };
        let published = v["published"].as_str().unwrap_or("").to_string();
        got.insert(
            rel,
            (published, codes("countries"), codes("former_countries")),
        );
    }
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let table = readme
        .split("| path | site | published |")
        .nth(1)
        .expect("the README's table of articles");
    let mut rows = 0;
    for line in table.lines().skip(2).take_while(|l| l.starts_with('|')) {
        let cells: Vec<&str> = line.split(" | ").collect();
        let path = cells[0].trim_start_matches("| ").trim_matches('`');
        let (current, former) = match cells[6].split_once(" (former: ") {
            Some((c, f)) => (c, f.trim_end_matches(')')),
            None => (cells[6], ""),
        };
        let list = |s: &str| -> Vec<String> {
            let mut v: Vec<String> = s
                .split(',')
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect();
            v.sort();
            v
        };
        let published = cells[2].trim().replace("none", "");
        let want = (published, list(current), list(former));
        assert_eq!(got.get(path), Some(&want), "{path}");
        rows += 1;
    }
    assert_eq!(rows, got.len(), "every article has a row");
}
