//! Hostile pages must stay fast: extraction of a page nested 100,000 elements deep, and of a
//! 50 MB page on one line, timed on this thread.
//!
//! `cargo bench --bench hostile` prints the median of `ROUNDS` runs per page and fails (exit
//! status 1) when a median passes its bound. The bounds are loose on purpose (the machine may be
//! shared): they catch a return of quadratic or recursive behaviour, which costs minutes or a
//! stack overflow, not a few percent.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use dossier::extract::{extract, Kind};

const ROUNDS: usize = 5;

fn deep_page(levels: usize) -> String {
    format!(
        "<html><head><title>Deep</title></head><body>{}<p>The courier met the handler in the \
         harbour district, the report says, and passed the files on.</p>{}</body></html>",
        "<div>".repeat(levels),
        "</div>".repeat(levels)
    )
}

fn long_line_page(bytes: usize) -> String {
    let mut page = String::with_capacity(bytes + 1000);
    page.push_str(
        "<html><head><title>Long</title></head><body><article><p>The courier met the \
                   handler in the harbour district.</p><p>",
    );
    while page.len() < bytes {
        page.push_str("cipher courier report handler <b>harbour</b> district files, ");
    }
    page.push_str("</p></article></body></html>");
    page
}

/// Median time of `ROUNDS` extractions; panics if extraction finds no text.
fn median(page: &str) -> Duration {
    let mut times: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            let e = extract(page.as_bytes(), Kind::Html).expect("text found");
            assert!(e.text().contains("courier"));
            start.elapsed()
        })
        .collect();
    times.sort();
    times[ROUNDS / 2]
}

fn main() -> ExitCode {
    let cases = [
        (
            "100,000 nested divs",
            deep_page(100_000),
            Duration::from_secs(2),
        ),
        (
            "1,000 nested divs",
            deep_page(1_000),
            Duration::from_secs(1),
        ),
        (
            "50 MB on one line",
            long_line_page(50_000_000),
            Duration::from_secs(120),
        ),
    ];
    let mut failed = false;
    for (name, page, bound) in &cases {
        let m = median(page);
        let ok = m <= *bound;
        failed |= !ok;
        println!(
            "{name}: {:.1} MB, median of {ROUNDS}: {:.3} s (bound {} s){}",
            page.len() as f64 / 1e6,
            m.as_secs_f64(),
            bound.as_secs(),
            if ok { "" } else { "  EXCEEDED" }
        );
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
