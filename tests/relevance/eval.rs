//! The relevance truth set of `tests/data/relevance/` (its README gives the rules) and the
//! figures it yields: each need's query run through dossier, its ranking reduced to articles,
//! and P@5, nDCG@10 and recall@10 against the graded judgments.
//!
//! Shared by `tests/relevance.rs` and `examples/eval_relevance.rs` (which includes this file by
//! path), so the test's floors and the example's table are the same numbers.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use dossier::index::{self, IndexOptions};
use dossier::query::Query;
use dossier::search::{SearchOptions, Searcher};

/// Ranks scored: P@5 looks at the first [`P_AT`], nDCG and recall at the first `DEPTH`.
pub const DEPTH: usize = 10;
/// Ranks of P@5.
pub const P_AT: usize = 5;
/// Results asked of an engine for each query, so that `DEPTH` distinct articles remain once
/// passages are reduced to articles.
pub const FETCH: usize = 50;

/// One information need: its query and the grades of the articles judged for it.
pub struct Need {
    /// Short name, as in `needs.tsv`.
    pub id: String,
    /// The query as an analyst types it, in dossier's syntax.
    pub query: String,
    /// Article file name (relative to `intel-news/articles`) → grade 0, 1 or 2.
    pub grades: HashMap<String, u8>,
}

/// The figures of one need for one engine.
#[derive(Clone, Copy, Default)]
pub struct Scores {
    /// Share of the first 5 ranks holding an article graded 1 or 2.
    pub p5: f64,
    /// DCG of the first 10 ranks over the DCG of the judgments' best order.
    pub ndcg10: f64,
    /// Articles graded 1 or 2 in the first 10, over all graded 1 or 2.
    pub recall10: f64,
    /// Articles in the first 10 that nobody judged for this need.
    pub unjudged: usize,
}

/// The folder of the truth set.
pub fn set_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/relevance")
}

/// The rows of a TSV file of the set, header left out, each split at tabs into `width` cells.
fn rows(path: &Path, width: usize) -> Result<Vec<Vec<String>>> {
    let text =
        fs::read_to_string(path).with_context(|| format!("cannot read '{}'", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<String> = line.split('\t').map(str::to_string).collect();
        if cells.len() != width {
            bail!(
                "{}:{}: expected {width} tab-separated cells, found {}",
                path.display(),
                n + 1,
                cells.len()
            );
        }
        out.push(cells);
    }
    Ok(out)
}

/// Reads `needs.tsv` and `judgments.tsv` of `dir`, checking that every judgment names a need,
/// a grade from 0 to 2, and no (need, article) pair twice.
pub fn load(dir: &Path) -> Result<Vec<Need>> {
    let mut needs: Vec<Need> = Vec::new();
    for cells in rows(&dir.join("needs.tsv"), 3)? {
        if needs.iter().any(|n| n.id == cells[0]) {
            bail!("needs.tsv: need '{}' listed twice", cells[0]);
        }
        needs.push(Need {
            id: cells[0].clone(),
            query: cells[1].clone(),
            grades: HashMap::new(),
        });
    }
    for cells in rows(&dir.join("judgments.tsv"), 3)? {
        let Some(need) = needs.iter_mut().find(|n| n.id == cells[0]) else {
            bail!("judgments.tsv: unknown need '{}'", cells[0]);
        };
        let grade: u8 = match cells[2].as_str() {
            "0" => 0,
            "1" => 1,
            "2" => 2,
            other => bail!("judgments.tsv: grade '{other}' for {}; 0, 1 or 2", cells[1]),
        };
        if need.grades.insert(cells[1].clone(), grade).is_some() {
            bail!(
                "judgments.tsv: {} judged twice for '{}'",
                cells[1],
                cells[0]
            );
        }
    }
    Ok(needs)
}

/// Reduces a ranked list of result paths to article file names, the first occurrence of each
/// winning, and keeps the first [`DEPTH`].
pub fn articles<S: AsRef<str>>(paths: &[S]) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for p in paths {
        let name = Path::new(p.as_ref())
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if seen.insert(name.clone()) {
            out.push(name);
            if out.len() == DEPTH {
                break;
            }
        }
    }
    out
}

fn dcg(gains: impl Iterator<Item = f64>) -> f64 {
    // A fold from +0.0: an empty `sum` of floats is -0.0, which prints as "-0.000".
    gains
        .enumerate()
        .fold(0.0, |acc, (i, g)| acc + g / ((i + 2) as f64).log2())
}

/// The figures of one ranking (article file names, best first) for one need.
pub fn score(need: &Need, ranking: &[String]) -> Scores {
    let grade = |name: &String| need.grades.get(name).copied();
    let top = &ranking[..ranking.len().min(DEPTH)];
    let relevant_total = need.grades.values().filter(|&&g| g > 0).count();
    let hits_at = |k: usize| {
        top.iter()
            .take(k)
            .filter(|a| grade(a).unwrap_or(0) > 0)
            .count()
    };
    let mut ideal: Vec<u8> = need.grades.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg = dcg(ideal.iter().take(DEPTH).map(|&g| f64::from(g)));
    let got = dcg(top.iter().map(|a| f64::from(grade(a).unwrap_or(0))));
    Scores {
        p5: hits_at(P_AT) as f64 / P_AT as f64,
        ndcg10: if idcg > 0.0 { got / idcg } else { 0.0 },
        recall10: if relevant_total > 0 {
            hits_at(DEPTH) as f64 / relevant_total as f64
        } else {
            0.0
        },
        unjudged: top.iter().filter(|a| grade(a).is_none()).count(),
    }
}

/// The mean of each figure over needs (unjudged articles summed).
pub fn mean(scores: &[Scores]) -> Scores {
    let n = scores.len().max(1) as f64;
    Scores {
        p5: scores.iter().map(|s| s.p5).sum::<f64>() / n,
        ndcg10: scores.iter().map(|s| s.ndcg10).sum::<f64>() / n,
        recall10: scores.iter().map(|s| s.recall10).sum::<f64>() / n,
        unjudged: scores.iter().map(|s| s.unjudged).sum(),
    }
}

/// Indexes `articles` into `index` with the dossier library (as `dossier index` does), then
/// runs each need's query and returns its ranking of article file names.
///
/// Every copy of a story is its own result (`--copies all`, since judgments are per file) and
/// each article gives one passage (`--per-article 1`).
pub fn dossier_rankings(
    articles_dir: &Path,
    index_dir: &Path,
    needs: &[Need],
) -> Result<Vec<Vec<String>>> {
    let opts = IndexOptions::new(index_dir.to_path_buf(), vec![articles_dir.to_path_buf()]);
    index::run(&opts, &mut |_| {})
        .with_context(|| format!("indexing '{}'", articles_dir.display()))?;
    let searcher = Searcher::open(index_dir)?;
    let search = SearchOptions {
        limit: FETCH,
        per_article: 1,
        all_copies: true,
        ..SearchOptions::default()
    };
    needs
        .iter()
        .map(|need| {
            let query = Query::parse(&need.query)
                .with_context(|| format!("need '{}': query '{}'", need.id, need.query))?;
            let results = searcher.search(&query, &search)?;
            let paths: Vec<&str> = results.hits.iter().map(|h| h.path.as_str()).collect();
            Ok(articles(&paths))
        })
        .collect()
}

/// A table of the figures, one row a need and a mean row, one column group an engine.
pub fn table(needs: &[Need], engines: &[(&str, &[Scores])]) -> String {
    let mut out = String::new();
    let _ = write!(out, "{:<24}", "need");
    for (name, _) in engines {
        let _ = write!(out, " | {:<30}", format!("{name}: P@5 nDCG@10 R@10 unj"));
    }
    out.push('\n');
    let cells = |s: &Scores| {
        format!(
            "{:>8.3} {:>7.3} {:>5.2} {:>3}",
            s.p5, s.ndcg10, s.recall10, s.unjudged
        )
    };
    for (i, need) in needs.iter().enumerate() {
        let _ = write!(out, "{:<24}", need.id);
        for (_, scores) in engines {
            let _ = write!(out, " | {:<30}", cells(&scores[i]));
        }
        out.push('\n');
    }
    let _ = write!(out, "{:<24}", format!("mean of {}", needs.len()));
    for (_, scores) in engines {
        let _ = write!(out, " | {:<30}", cells(&mean(scores)));
    }
    out.push('\n');
    out
}
