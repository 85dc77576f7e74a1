//! Extraction speed: MB of HTML per second on one core, over the 181 real pages of the
//! article-extraction benchmark and the 218 pages of the date set (`../shared/data`).
//!
//! `cargo bench --bench extract` prints one line per set and the total. The pages are read
//! into memory first; each set is extracted `ROUNDS` times on this thread, so the figure is
//! per core. Skips with a message when `../shared` is absent.

use std::fs;
use std::io::Read;
use std::path::Path;
use std::time::Instant;

use dossier::extract::{extract, Kind};

const ROUNDS: usize = 5;

fn main() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    if !data.exists() {
        println!("extract bench: skipped, {} is absent", data.display());
        return;
    }
    let sets = [
        (
            "article-extraction-benchmark",
            load(&data.join("article-extraction-benchmark/html")),
        ),
        ("date-extraction", load(&data.join("date-extraction/html"))),
    ];
    let (mut all_bytes, mut all_secs) = (0usize, 0f64);
    for (name, pages) in &sets {
        let bytes: usize = pages.iter().map(Vec::len).sum();
        // One warm-up round, then the timed ones.
        let mut kept = 0usize;
        for p in pages {
            kept += extract(p, Kind::Html).map_or(0, |e| e.paragraphs.len());
        }
        let start = Instant::now();
        for _ in 0..ROUNDS {
            for p in pages {
                kept += extract(p, Kind::Html).map_or(0, |e| e.paragraphs.len());
            }
        }
        let secs = start.elapsed().as_secs_f64();
        let mb = (bytes * ROUNDS) as f64 / 1e6;
        println!(
            "{name}: {} pages, {:.1} MB x {ROUNDS} rounds in {secs:.2} s: {:.1} MB/s per core, {:.2} ms/page ({kept} paragraphs)",
            pages.len(),
            bytes as f64 / 1e6,
            mb / secs,
            secs * 1e3 / (pages.len() * ROUNDS) as f64,
        );
        all_bytes += bytes * ROUNDS;
        all_secs += secs;
    }
    println!(
        "total: {:.1} MB/s of HTML per core",
        all_bytes as f64 / 1e6 / all_secs
    );
}

/// Every page of a folder, decompressed when gzip'd.
fn load(dir: &Path) -> Vec<Vec<u8>> {
    let mut paths: Vec<_> = fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| {
            let raw = fs::read(p).ok()?;
            if p.extension().is_some_and(|e| e == "gz") {
                let mut out = Vec::new();
                flate2::read::GzDecoder::new(&raw[..])
                    .read_to_end(&mut out)
                    .ok()?;
                Some(out)
            } else {
                Some(raw)
            }
        })
        .collect()
}
