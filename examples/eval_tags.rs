//! Evaluates the tagger (`dossier::tag`) against ground truth.
//!
//! ```text
//! # synthetic corpus: tag each article's title and body as the truth file gives them
//! ../shared/tools/gen-corpus --out /tmp/gc7 --docs 5000 --seed 7
//! cargo run --release --example eval_tags -- gen-corpus /tmp/gc7.truth.jsonl
//! # ... or as the indexer sees them: extracted from the pages, tagged title and paragraphs
//! cargo run --release --example eval_tags -- gen-corpus /tmp/gc7.truth.jsonl /tmp/gc7
//!
//! # Reuters-21578 places: write predictions, then score them with the shared scorer
//! ../shared/tools/reuters-split --out /tmp/reuters
//! cargo run --release --example eval_tags -- reuters /tmp/reuters > /tmp/reuters.pred.jsonl
//! ../shared/tools/eval-countries --labels /tmp/reuters.labels.jsonl --pred /tmp/reuters.pred.jsonl
//!
//! # (the predictions carry "agencies" too, so the same mode tags any folder of .txt files)
//!
//! # any folder of .txt files: which surface forms gave which IDs, most frequent first
//! cargo run --release --example eval_tags -- surfaces ../shared/data/intel-news/articles
//!
//! # one text: its mentions
//! cargo run --release --example eval_tags -- text "Jordan Ellis met the NSA in Amman."
//! ```
//!
//! With the corpus folder, each page goes through `dossier::extract::extract` as in `dossier
//! index`; the title and paragraphs are tagged with `tag_document` and summed, and the time spent
//! extracting and tagging is printed apart, to show tagging's share of the pipeline.
//!
//! `gen-corpus` prints micro-averaged precision, recall and F1 over (article, ID) pairs, the
//! mean per-article F1, the share of articles tagged exactly, the documented traps that were
//! tagged, and the IDs most often missed or added. The generator writes a few IDs its own way
//! (`PLA_INTEL`, `NIS_KR`, `SHIN_BET`): they are mapped to ours (`PLA`, `NIS-KR`, `SHIN-BET`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use dossier::extract;
use dossier::tag::{tag, tag_document, EntityKind, Tags};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("eval_tags: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["gen-corpus", truth] => gen_corpus(Path::new(truth), None),
        ["gen-corpus", truth, corpus] => gen_corpus(Path::new(truth), Some(Path::new(corpus))),
        ["reuters", dir] => reuters(Path::new(dir)),
        ["surfaces", paths @ ..] if !paths.is_empty() => surfaces(paths),
        ["text", text] => {
            for m in tag(text).mentions {
                println!(
                    "{:?} {} {}..{} {:?}",
                    m.kind, m.id, m.start, m.end, m.surface
                );
            }
            Ok(())
        }
        _ => bail!(
            "usage: eval_tags gen-corpus TRUTH.jsonl [CORPUS_DIR] | reuters DIR | surfaces PATH... | text TEXT\n\
             (see the top of examples/eval_tags.rs)"
        ),
    }
}

/// The generator's spelling of an ID, in ours.
fn our_id(id: &str) -> String {
    match id {
        "PLA_INTEL" => "PLA".to_string(),
        other => other.replace('_', "-"),
    }
}

/// The entity a documented trap must not produce, by the note the truth gives it.
fn trap_entity(note: &str) -> Option<(EntityKind, &'static str)> {
    let table: [(&str, EntityKind, &str); 8] = [
        ("'raw data'", EntityKind::Agency, "RAW"),
        ("'Georgia'", EntityKind::Country, "GE"),
        ("'turkey'", EntityKind::Country, "TR"),
        ("'chad'", EntityKind::Country, "TD"),
        ("'Jordan'", EntityKind::Country, "JO"),
        ("'guinea pig'", EntityKind::Country, "GN"),
        ("'china'", EntityKind::Country, "CN"),
        ("'polish'", EntityKind::Country, "PL"),
    ];
    table
        .iter()
        .find(|(key, _, _)| note.contains(key))
        .map(|&(_, kind, id)| (kind, id))
}

#[derive(Default)]
struct Score {
    tp: usize,
    fp: usize,
    fn_: usize,
    f1_sum: f64,
    exact: usize,
    articles: usize,
    missed: BTreeMap<String, usize>,
    added: BTreeMap<String, usize>,
    added_surfaces: BTreeMap<String, BTreeMap<String, usize>>,
    /// A few articles where an ID was missed or added, to look at.
    examples: Vec<String>,
}

impl Score {
    fn add(&mut self, path: &str, want: &BTreeSet<String>, got: &BTreeSet<String>, tags: &Tags) {
        let tp = want.intersection(got).count();
        let (fp, fn_) = (got.len() - tp, want.len() - tp);
        self.tp += tp;
        self.fp += fp;
        self.fn_ += fn_;
        self.articles += 1;
        self.exact += usize::from(fp == 0 && fn_ == 0);
        if (fp > 0 || fn_ > 0) && self.examples.len() < 5 {
            self.examples
                .push(format!("{path}: got {got:?}, want {want:?}"));
        }
        self.f1_sum += if want.is_empty() && got.is_empty() {
            1.0
        } else {
            2.0 * tp as f64 / (want.len() + got.len()) as f64
        };
        for id in want.difference(got) {
            *self.missed.entry(id.clone()).or_default() += 1;
        }
        for id in got.difference(want) {
            *self.added.entry(id.clone()).or_default() += 1;
            for m in tags.mentions.iter().filter(|m| m.id == id) {
                let surfaces = self.added_surfaces.entry(id.clone()).or_default();
                *surfaces.entry(m.surface.clone()).or_default() += 1;
            }
        }
    }

    fn report(&self, name: &str) {
        let p = self.tp as f64 / (self.tp + self.fp).max(1) as f64;
        let r = self.tp as f64 / (self.tp + self.fn_).max(1) as f64;
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        println!(
            "{name:9} precision {p:.4}  recall {r:.4}  F1 {f1:.4}  (tp {} fp {} fn {})  \
             mean article F1 {:.4}  exact articles {}/{}",
            self.tp,
            self.fp,
            self.fn_,
            self.f1_sum / self.articles.max(1) as f64,
            self.exact,
            self.articles
        );
        let top = |m: &BTreeMap<String, usize>| {
            let mut v: Vec<_> = m.iter().collect();
            v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            v.iter()
                .take(12)
                .map(|(k, n)| format!("{k}:{n}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        for e in &self.examples {
            println!("          e.g. {e}");
        }
        if !self.missed.is_empty() {
            println!("          missed: {}", top(&self.missed));
        }
        if !self.added.is_empty() {
            println!("          added:  {}", top(&self.added));
            for (id, surfaces) in self.added_surfaces.iter().take(12) {
                println!("            {id} from {}", top(surfaces));
            }
        }
    }
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The text of one truth record: as the truth gives it, or extracted from its page.
enum Source<'a> {
    Truth,
    Pages(&'a Path),
}

/// Timings of the pipeline's stages over the whole corpus.
#[derive(Default)]
struct Timing {
    extract: Duration,
    tag: Duration,
    bytes: usize,
}

/// Tags one record's article; `None` when extraction skips the page.
fn tag_record(
    rec: &serde_json::Value,
    source: &Source,
    timing: &mut Timing,
) -> Result<Option<Tags>> {
    let (title, paragraphs) = match source {
        Source::Truth => {
            let Some(title) = rec["title"].as_str() else {
                return Ok(None);
            };
            (Some(title.to_string()), strings(&rec["body"]))
        }
        Source::Pages(dir) => {
            let path = dir.join(rec["path"].as_str().unwrap_or_default());
            let bytes = std::fs::read(&path)
                .with_context(|| format!("cannot read '{}'", path.display()))?;
            let Some(kind) = extract::kind_of(&path) else {
                return Ok(None);
            };
            let started = Instant::now();
            let extracted = extract::extract(&bytes, kind);
            timing.extract += started.elapsed();
            match extracted {
                Ok(e) => (e.title, e.paragraphs),
                Err(_) => return Ok(None),
            }
        }
    };
    // The title and each paragraph tagged apart (one document for the context rules), then
    // summed into the article's tags.
    let started = Instant::now();
    let texts: Vec<&str> = title
        .iter()
        .chain(&paragraphs)
        .map(String::as_str)
        .collect();
    let mut tags = Tags::default();
    for t in tag_document(&texts) {
        tags.merge(&t);
    }
    timing.tag += started.elapsed();
    timing.bytes += texts.iter().map(|t| t.len()).sum::<usize>();
    Ok(Some(tags))
}

fn gen_corpus(truth: &Path, corpus: Option<&Path>) -> Result<()> {
    let text = std::fs::read_to_string(truth)
        .with_context(|| format!("cannot read '{}'", truth.display()))?;
    let source = corpus.map_or(Source::Truth, Source::Pages);
    let (mut agencies, mut countries) = (Score::default(), Score::default());
    let (mut traps, mut traps_tagged) = (0, Vec::new());
    let mut timing = Timing::default();
    let mut skipped = 0;
    for (n, line) in text.lines().enumerate() {
        let rec: serde_json::Value = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not JSON", truth.display(), n + 1))?;
        if rec["kind"] != "article" && rec["kind"] != "duplicate" {
            continue; // junk and empty files
        }
        let Some(tags) = tag_record(&rec, &source, &mut timing)? else {
            skipped += 1;
            continue;
        };
        let want = |field: &str| -> BTreeSet<String> {
            strings(&rec[field]).iter().map(|s| our_id(s)).collect()
        };
        let got =
            |ids: &[&str]| -> BTreeSet<String> { ids.iter().map(|s| s.to_string()).collect() };
        let path = rec["path"].as_str().unwrap_or("?");
        agencies.add(path, &want("agencies"), &got(&tags.agencies), &tags);
        countries.add(path, &want("countries"), &got(&tags.countries), &tags);
        for note in strings(&rec["notes"]) {
            if let Some((kind, id)) = trap_entity(&note) {
                traps += 1;
                let wanted = match kind {
                    EntityKind::Agency => want("agencies"),
                    EntityKind::Country => want("countries"),
                }
                .contains(id);
                let tagged = match kind {
                    EntityKind::Agency => tags.agencies.contains(&id),
                    EntityKind::Country => tags.countries.contains(&id),
                };
                if tagged && !wanted {
                    traps_tagged.push(format!("{}: {note}", rec["path"]));
                }
            }
        }
    }
    let mb = timing.bytes as f64 / 1e6;
    let tag_secs = timing.tag.as_secs_f64();
    println!(
        "{} articles ({skipped} skipped by extraction), {mb:.1} MB of title and paragraph text, \
         tagged in {tag_secs:.2} s ({:.0} MB/s)",
        agencies.articles,
        mb / tag_secs
    );
    if corpus.is_some() {
        let extract_secs = timing.extract.as_secs_f64();
        println!(
            "extraction took {extract_secs:.2} s: tagging adds {:.1}% to it",
            100.0 * tag_secs / extract_secs
        );
    }
    agencies.report("agencies");
    countries.report("countries");
    println!("traps: {} of {traps} tagged", traps_tagged.len());
    for t in &traps_tagged {
        println!("  {t}");
    }
    Ok(())
}

fn txt_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.with_context(|| format!("cannot walk '{}'", dir.display()))?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "txt") {
            files.push(entry.into_path());
        }
    }
    files.sort();
    Ok(files)
}

fn reuters(dir: &Path) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for path in txt_files(dir)? {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read '{}'", path.display()))?;
        let tags = tag(&text);
        // The Reuters labels (1987) name the Soviet Union, Yugoslavia, Czechoslovakia and East
        // Germany by their successors' codes (`ussr` -> RU, see the scorer's places table): a
        // former state counts as its successor here, and only here.
        let mut countries = tags.countries.clone();
        for code in &tags.former {
            if let Some(f) = dossier::tag::country(code).and_then(|c| c.former) {
                countries.push(f.successor);
            }
        }
        countries.sort_unstable();
        countries.dedup();
        let line = serde_json::json!({
            "path": path,
            "agencies": tags.agencies,
            "countries": countries,
        });
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn surfaces(paths: &[&str]) -> Result<()> {
    let mut counts: BTreeMap<(&'static str, String), usize> = BTreeMap::new();
    for p in paths {
        let p = Path::new(p);
        let files = if p.is_dir() {
            txt_files(p)?
        } else {
            vec![p.to_path_buf()]
        };
        for f in files {
            let text = std::fs::read_to_string(&f)
                .with_context(|| format!("cannot read '{}'", f.display()))?;
            for m in tag(&text).mentions {
                *counts.entry((m.id, m.surface)).or_default() += 1;
            }
        }
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for ((id, surface), n) in rows {
        println!("{n:6}  {id:10}  {surface}");
    }
    Ok(())
}
