//! Search latency inside one process, as `dossier serve` pays it: the index opened once, then
//! each query run again and again, hits built with their highlights and copies. Prints the
//! median and the 90th percentile per query. Run with
//! `cargo bench --bench search -- INDEX [QUERY ...]`, INDEX an index `dossier index` wrote
//! (for example of `../shared/tools/gen-corpus --docs 20000 --seed 1`); without queries it runs
//! the five of the performance benchmark. `SEARCH_BENCH_RUNS` sets the runs per query (50).
//!
//! It is a benchmark, not a test: without an index argument it says so and exits.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use dossier::query::Query;
use dossier::search::{SearchOptions, Searcher};

const QUERIES: [&str; 5] = [
    "intelligence officers",
    "Mossad",
    "\"Ministry of State Security\"",
    "Chinese spies recruited",
    "Skripal",
];

fn main() {
    // `cargo bench` passes `--bench` to every target; it is not an argument of this one.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(index) = args.first().map(PathBuf::from) else {
        println!(
            "search bench skipped: give an index folder (cargo bench --bench search -- INDEX)"
        );
        return;
    };
    let queries: Vec<String> = if args.len() > 1 {
        args[1..].to_vec()
    } else {
        QUERIES.iter().map(|q| q.to_string()).collect()
    };
    let runs: usize = std::env::var("SEARCH_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let searcher = match Searcher::open(&index) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("search bench: {e}");
            std::process::exit(2);
        }
    };
    // As `dossier serve` does before its first request.
    dossier::tag::prepare_lookups();
    let opts = SearchOptions::default();
    println!("{runs} runs a query on {}", index.display());
    println!(
        "{:<34} {:>9} {:>9} {:>8}",
        "query", "median", "p90", "matches"
    );
    let mut medians = Vec::new();
    for text in &queries {
        let query = match Query::parse(text) {
            Ok(q) => q,
            Err(e) => {
                eprintln!("search bench: {text}: {e}");
                std::process::exit(2);
            }
        };
        let mut times: Vec<Duration> = Vec::with_capacity(runs);
        let mut matches = 0;
        // One run to warm the page cache and the lazily built tables, not counted.
        for i in 0..=runs {
            let t = Instant::now();
            let results = match searcher.search(&query, &opts) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("search bench: {text}: {e}");
                    std::process::exit(1);
                }
            };
            if i > 0 {
                times.push(t.elapsed());
            }
            matches = results.total_matches;
        }
        times.sort();
        let median = times[times.len() / 2];
        let p90 = times[(times.len() * 9 / 10).min(times.len() - 1)];
        medians.push(median);
        println!(
            "{:<34} {:>7.2}ms {:>7.2}ms {:>8}",
            text,
            median.as_secs_f64() * 1e3,
            p90.as_secs_f64() * 1e3,
            matches
        );
    }
    medians.sort();
    println!(
        "median of the medians: {:.2} ms",
        medians[medians.len() / 2].as_secs_f64() * 1e3
    );
}
