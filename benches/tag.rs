//! Tagging throughput: how many megabytes of article text `dossier::tag::tag` gets through a
//! second, on whole articles and on passages (paragraphs), so that its share of indexing time
//! can be judged. Run with `cargo bench --bench tag`.
//!
//! The text is the real articles of `../shared/data/intel-news` when that folder is there, else
//! a text built from the project's own alias tables (every form in a plain sentence, with
//! filler), so the bench runs on a fresh clone too.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use dossier::tag::{agencies, countries, tag};

/// Articles to tag: the shared real articles, or a generated stand-in.
fn articles() -> (String, Vec<String>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/intel-news/articles");
    let mut texts = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|e| e == "txt") {
                if let Ok(t) = std::fs::read_to_string(&p) {
                    texts.push(t);
                }
            }
        }
    }
    if !texts.is_empty() {
        return (
            format!("{} real articles ({})", texts.len(), dir.display()),
            texts,
        );
    }
    let filler = "The ministry said in a statement that it would cooperate fully with \
                  investigators, and officials declined to say how the material was obtained.";
    let mut names: Vec<&str> = agencies().iter().flat_map(|a| a.names.clone()).collect();
    names.extend(countries().iter().flat_map(|c| c.aliases.iter().copied()));
    let texts = names
        .chunks(8)
        .map(|chunk| {
            chunk
                .iter()
                .map(|n| format!("Reports about {n} were denied. {filler} {filler}"))
                .collect::<Vec<_>>()
                .join("\n\n")
        })
        .collect::<Vec<_>>();
    ("generated text from the alias tables".to_string(), texts)
}

/// CPU time of this thread, where Linux tells it (`/proc/thread-self/schedstat`): on a shared
/// machine it says more than wall time about the code itself.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Tags every text `rounds` times; MB/s by wall time and by CPU time, mentions a round.
fn throughput(texts: &[&str], rounds: usize) -> (f64, Option<f64>, usize) {
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let mut mentions = 0usize;
    let (wall, cpu) = (Instant::now(), cpu_time());
    for _ in 0..rounds {
        for t in texts {
            mentions += black_box(tag(black_box(t))).mentions.len();
        }
    }
    let mb = (bytes * rounds) as f64 / 1e6;
    let cpu_mbs = cpu.zip(cpu_time()).map(|(a, b)| mb / (b - a).as_secs_f64());
    (
        mb / wall.elapsed().as_secs_f64(),
        cpu_mbs,
        mentions / rounds,
    )
}

fn show(what: &str, texts: &[&str], rounds: usize) {
    let (wall, cpu, mentions) = throughput(texts, rounds);
    let cpu = cpu.map_or(String::new(), |c| format!(", {c:.1} MB/s of CPU time"));
    println!(
        "{what}: {wall:.1} MB/s{cpu} ({} texts, {mentions} mentions)",
        texts.len()
    );
}

fn main() {
    let t0 = Instant::now();
    black_box(tag("The CIA and the FSB in France."));
    println!(
        "building the tables and automata: {:.0} ms",
        t0.elapsed().as_secs_f64() * 1e3
    );

    let (source, texts) = articles();
    let whole: Vec<&str> = texts.iter().map(String::as_str).collect();
    let passages: Vec<&str> = texts
        .iter()
        .flat_map(|t| t.split("\n\n").filter(|p| !p.trim().is_empty()))
        .collect();
    let bytes: usize = whole.iter().map(|t| t.len()).sum();
    println!("input: {source}, {:.2} MB", bytes as f64 / 1e6);

    let rounds = (20_000_000 / bytes.max(1)).clamp(1, 1000);
    show("whole articles", &whole, rounds);
    show("passages", &passages, rounds);
}
