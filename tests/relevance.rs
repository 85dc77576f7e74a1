//! Scores dossier's ranking against the relevance truth set in `tests/data/relevance/` (its
//! README gives the grading rules and the metrics): 38 information needs over the 300 articles
//! of `../shared/data/intel-news`, judged by reading. Each mean must reach its floor.
//!
//! Run with `--nocapture` to see the figures of every need;
//! `cargo run --release --example eval_relevance` prints the same beside Recoll's.

mod eval;

use eval::{dossier_rankings, load, mean, score, set_dir, table, Scores};

/// Floors at the means last measured, rounded down to 0.01 (when the set was made: 0.48, 0.56,
/// 0.48; with respelling, article scores and tags in the query: 0.60, 0.73, 0.60; with the
/// articles that lack one word after the whole matches: 0.65, 0.81, 0.75; then those holding
/// any word, by score: 0.65, 0.82, 0.78). They guard against regressions only; the aims of
/// ranking work are above them (issue 17: nDCG@10 0.85, P@5 0.72). Raise them when ranking
/// improves.
const P5_FLOOR: f64 = 0.65;
const NDCG10_FLOOR: f64 = 0.82;
const RECALL10_FLOOR: f64 = 0.78;

#[test]
fn ranking_reaches_the_relevance_floors() {
    let Some(articles) = crate::util::shared("data/intel-news/articles") else {
        return;
    };
    let needs = load(&set_dir()).expect("relevance set");
    let tmp = tempfile::tempdir().expect("temp dir");
    let rankings =
        dossier_rankings(&articles, &tmp.path().join("index"), &needs).expect("index and search");
    let scores: Vec<Scores> = needs
        .iter()
        .zip(&rankings)
        .map(|(need, ranking)| score(need, ranking))
        .collect();
    println!("{}", table(&needs, &[("dossier", &scores)]));
    let m = mean(&scores);
    println!(
        "dossier means: P@5 {:.3}, nDCG@10 {:.3}, recall@10 {:.3}; {} unjudged articles in the top 10s",
        m.p5, m.ndcg10, m.recall10, m.unjudged
    );
    assert!(m.p5 >= P5_FLOOR, "P@5 {:.3} < floor {P5_FLOOR}", m.p5);
    assert!(
        m.ndcg10 >= NDCG10_FLOOR,
        "nDCG@10 {:.3} < floor {NDCG10_FLOOR}",
        m.ndcg10
    );
    assert!(
        m.recall10 >= RECALL10_FLOOR,
        "recall@10 {:.3} < floor {RECALL10_FLOOR}",
        m.recall10
    );
}

#[test]
fn judgments_name_needs_and_articles() {
    let needs = load(&set_dir()).expect("relevance set");
    assert!(needs.len() >= 30, "{} needs", needs.len());
    for need in &needs {
        assert!(
            need.grades.len() >= 8,
            "need '{}' has {} judged articles, fewer than 8",
            need.id,
            need.grades.len()
        );
        assert!(
            need.grades.values().any(|&g| g > 0),
            "need '{}' has no relevant article",
            need.id
        );
        dossier::query::Query::parse(&need.query)
            .unwrap_or_else(|e| panic!("need '{}': query '{}': {e}", need.id, need.query));
    }
    let Some(articles) = crate::util::shared("data/intel-news/articles") else {
        return;
    };
    for need in &needs {
        for name in need.grades.keys() {
            assert!(
                articles.join(name).is_file(),
                "need '{}': no article '{name}'",
                need.id
            );
        }
    }
}

#[test]
fn metrics_on_a_made_up_need() {
    let need = eval::Need {
        id: "t".into(),
        query: "t".into(),
        grades: [("a", 2), ("b", 1), ("c", 0), ("d", 1)]
            .into_iter()
            .map(|(k, g)| (k.to_string(), g))
            .collect(),
    };
    let ranking: Vec<String> = ["c", "a", "x", "b"].iter().map(|s| s.to_string()).collect();
    let s = score(&need, &ranking);
    assert!((s.p5 - 0.4).abs() < 1e-9);
    assert!((s.recall10 - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(s.unjudged, 1);
    let dcg = 2.0 / 3f64.log2() + 1.0 / 5f64.log2();
    let idcg = 2.0 + 1.0 / 3f64.log2() + 1.0 / 4f64.log2();
    assert!((s.ndcg10 - dcg / idcg).abs() < 1e-9);
    // Passages of one article count once, at the rank of the first.
    let paths = ["/x/a.txt", "/x/a.txt", "/y/b.html", "/x/a.txt"];
    assert_eq!(eval::articles(&paths), vec!["a.txt", "b.html"]);
}
