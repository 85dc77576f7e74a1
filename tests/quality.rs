//! Quality regression tests for the extraction stage over real pages nobody here wrote:
//! the 181 pages of the article-extraction benchmark (F1 of word 4-gram shingles, as
//! `../shared/tools/eval-extraction` computes it), the 218 pages of the date set (accuracy, as
//! `../shared/tools/eval-dates` computes it), and the seed article's exact paragraphs.
//!
//! These read `../shared`; where it is absent (a user's fresh clone) each test prints why it
//! skips and passes. Timings do not belong here: see `benches/extract.rs`.

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use dossier::extract::{extract, Kind};

/// Required figures (issue 3): F1 with precision and recall, and date accuracy.
const MIN_F1: f64 = 0.960;
const MIN_PR: f64 = 0.940;
const MIN_DATE_ACCURACY: f64 = 0.935;

/// The shared evaluation folder, or `None` with a `skipping:` line on a user's clone.
fn shared() -> Option<PathBuf> {
    crate::util::shared("")
}

/// The benchmark's tokens: maximal runs of characters Python's `\w` matches (letters,
/// digits and other numerics, underscore), case kept.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let word = c.is_alphanumeric() || c == '_';
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// The multiset of 4-token windows; a text of 1 to 3 tokens is one shorter shingle.
fn shingles<'a>(toks: &'a [&'a str]) -> HashMap<&'a [&'a str], usize> {
    let mut m = HashMap::new();
    if toks.is_empty() {
        return m;
    }
    if toks.len() < 4 {
        m.insert(toks, 1);
        return m;
    }
    for w in toks.windows(4) {
        *m.entry(w).or_insert(0) += 1;
    }
    m
}

/// Per-page (tp, fp, fn) shingle counts.
fn counts(pred: &str, truth: &str) -> (f64, f64, f64) {
    let (pt, tt) = (tokens(pred), tokens(truth));
    let (ps, ts) = (shingles(&pt), shingles(&tt));
    let (mut tp, mut fp, mut fne) = (0usize, 0usize, 0usize);
    for (k, &pc) in &ps {
        let tc = ts.get(k).copied().unwrap_or(0);
        tp += pc.min(tc);
        fp += pc.saturating_sub(tc);
    }
    for (k, &tc) in &ts {
        let pc = ps.get(k).copied().unwrap_or(0);
        fne += tc.saturating_sub(pc);
    }
    (tp as f64, fp as f64, fne as f64)
}

/// Precision or recall of one page with the benchmark's two special cases.
fn ratio(num: f64, other: f64, fp: f64, fne: f64) -> f64 {
    if fp == 0.0 && fne == 0.0 {
        1.0
    } else if num == 0.0 && other == 0.0 {
        0.0
    } else {
        num / (num + other)
    }
}

/// Corpus precision, recall and F1 as the evaluator computes them (macro averages over the
/// pages with a non-empty prediction and non-empty truth respectively).
fn score(pairs: &[(String, String)]) -> (f64, f64, f64) {
    let (mut ps, mut rs) = (Vec::new(), Vec::new());
    for (pred, truth) in pairs {
        let (tp, fp, fne) = counts(pred, truth);
        if tp + fp > 0.0 {
            ps.push(ratio(tp, fp, fp, fne));
        }
        if tp + fne > 0.0 {
            rs.push(ratio(tp, fne, fp, fne));
        }
    }
    let mean = |v: &[f64]| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let (p, r) = (mean(&ps), mean(&rs));
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f1)
}

fn gunzip(path: &Path) -> Vec<u8> {
    let f = fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(f)
        .read_to_end(&mut out)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    out
}

#[test]
fn metric_matches_the_benchmark_definition() {
    assert_eq!(tokens("Ça va, l'été_2 !"), vec!["Ça", "va", "l", "été_2"]);
    // Identical texts: P = R = 1; disjoint: 0; empty prediction is skipped for precision.
    let same = vec![("a b c d e".to_string(), "a b c d e".to_string())];
    assert_eq!(score(&same), (1.0, 1.0, 1.0));
    let none = vec![("x y z w".to_string(), "a b c d".to_string())];
    assert_eq!(score(&none), (0.0, 0.0, 0.0));
    let empty = vec![
        (String::new(), "a b c d".to_string()),
        ("a b c d".to_string(), "a b c d".to_string()),
    ];
    assert_eq!(score(&empty), (1.0, 0.5, 2.0 / 3.0));
    // Half the shingles right: "a b c d e" vs "a b c d f" share 1 of 2.
    let half = vec![("a b c d e".to_string(), "a b c d f".to_string())];
    assert_eq!(score(&half), (0.5, 0.5, 0.5));
}

#[test]
fn article_extraction_benchmark_f1() {
    let Some(shared) = shared() else { return };
    let dir = shared.join("data/article-extraction-benchmark");
    let truth: serde_json::Value = serde_json::from_slice(
        &fs::read(dir.join("ground-truth.json")).expect("ground-truth.json"),
    )
    .expect("ground truth is JSON");
    let truth = truth.as_object().expect("ground truth is an object");
    let mut pairs = Vec::new();
    for (id, entry) in truth {
        let bytes = gunzip(&dir.join("html").join(format!("{id}.html.gz")));
        let pred = extract(&bytes, Kind::Html)
            .map(|e| e.text())
            .unwrap_or_default();
        let body = entry["articleBody"].as_str().unwrap_or("").to_string();
        pairs.push((pred, body));
    }
    assert_eq!(pairs.len(), 181);
    let (p, r, f1) = score(&pairs);
    eprintln!("article extraction: precision {p:.4} recall {r:.4} F1 {f1:.4}");
    assert!(f1 >= MIN_F1, "F1 {f1:.3} < {MIN_F1}");
    assert!(
        p >= MIN_PR && r >= MIN_PR,
        "precision {p:.3} / recall {r:.3} < {MIN_PR}"
    );
}

#[test]
fn date_extraction_accuracy() {
    let Some(shared) = shared() else { return };
    let dir = shared.join("data/date-extraction");
    let expected: serde_json::Value = serde_json::from_slice(
        &fs::read(dir.join("expected-dates.json")).expect("expected-dates.json"),
    )
    .expect("expected dates are JSON");
    let expected = expected.as_object().expect("expected dates are an object");
    let mut right = 0;
    let mut wrong = Vec::new();
    for (file, want) in expected {
        let bytes = fs::read(dir.join("html").join(file)).expect("page");
        let got = extract(&bytes, Kind::Html)
            .ok()
            .and_then(|e| e.published)
            .map(|d| d.to_string());
        if got.as_deref() == want.as_str() {
            right += 1;
        } else {
            wrong.push(format!("{file}: want {want}, got {got:?}"));
        }
    }
    assert_eq!(expected.len(), 218);
    let accuracy = right as f64 / expected.len() as f64;
    eprintln!("dates: accuracy {accuracy:.4} ({right}/{})", expected.len());
    assert!(
        accuracy >= MIN_DATE_ACCURACY,
        "date accuracy {accuracy:.3} < {MIN_DATE_ACCURACY}; misses:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn seed_page_keeps_exactly_its_nine_paragraphs() {
    let Some(shared) = shared() else { return };
    let html = fs::read(shared.join("seed/french-spy-scandal.html")).expect("seed html");
    let txt = fs::read_to_string(shared.join("seed/french-spy-scandal.txt")).expect("seed txt");
    let e = extract(&html, Kind::Html).expect("the seed page has an article");
    assert_eq!(
        e.title.as_deref(),
        Some("French spy scandal illustrates growing intelligence challenge in China")
    );
    assert_eq!(
        e.published.map(|d| d.to_string()).as_deref(),
        Some("2020-07-13")
    );
    assert_eq!(e.published_source.map(|s| s.as_str()), Some("meta"));
    assert_eq!(e.site.as_deref(), Some("World Intel Digest"));
    assert_eq!(e.declared_language.as_deref(), Some("en-US"));
    assert_eq!(e.language.as_deref(), Some("en"));
    // The scraped text holds the title, the nine paragraphs, then the comment-form lines.
    let expected: Vec<String> = txt
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .skip(1)
        .take(9)
        .collect();
    assert_eq!(e.paragraphs, expected);
    let text = e.text();
    for junk in [
        "Please enter your comment",
        "Please enter your name here",
        "RELATED ARTICLES",
        "Brexit",
        "tdLocalCache",
        "Privacy Policy",
        "Facebook",
    ] {
        assert!(!text.contains(junk), "kept {junk:?}");
    }
}
