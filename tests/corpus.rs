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
