//! Scores language detection (`dossier::lang::detect`) on a folder of one-sentence-a-line files
//! named by language (`de.txt`, `zh.txt`), such as `../shared/data/language-id`.
//!
//! ```text
//! cargo run --release --example eval_language -- ../shared/data/language-id /tmp/lang.pred.jsonl
//! ../shared/tools/eval-language --pred /tmp/lang.pred.jsonl
//! # one thread, to time it (sentences per second of one core):
//! RAYON_NUM_THREADS=1 cargo run --release --example eval_language -- ../shared/data/language-id /tmp/p.jsonl
//! # one text, with a declared language:
//! cargo run --release --example eval_language -- --text "Le service a recruté un agent." en
//! ```
//!
//! Every sentence goes through `detect_text` with no declared language, as a page that declares
//! nothing. The predictions are JSON Lines, `{"path":…,"line":N,"language":"fr"}`, `null` for
//! `und`; the sentences a second and the share of `und` go to stderr.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use dossier::lang::detect::{detect_text, UNDETERMINED};
use rayon::prelude::*;

fn main() -> Result<ExitCode> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag, text, rest @ ..] if flag == "--text" => {
            let got = detect_text(text, rest.first().map(String::as_str));
            println!("{} {:?}", got.code, got.source.map(|s| s.as_str()));
            Ok(ExitCode::SUCCESS)
        }
        [dir, out] => run(&PathBuf::from(dir), &PathBuf::from(out)),
        _ => bail!(
            "usage: eval_language DIR PREDICTIONS.jsonl | eval_language --text TEXT [DECLARED]"
        ),
    }
}

fn run(dir: &PathBuf, out: &PathBuf) -> Result<ExitCode> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("cannot read '{}'", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut sentences = Vec::new();
    for path in &files {
        let text = fs::read_to_string(path)
            .with_context(|| format!("cannot read '{}'", path.display()))?;
        for (i, line) in text.lines().enumerate() {
            sentences.push((path.display().to_string(), i + 1, line.to_string()));
        }
    }
    let start = Instant::now();
    let codes: Vec<&'static str> = sentences
        .par_iter()
        .map(|(_, _, s)| detect_text(s, None).code)
        .collect();
    let took = start.elapsed().as_secs_f64();
    let mut w = BufWriter::new(
        fs::File::create(out).with_context(|| format!("cannot write '{}'", out.display()))?,
    );
    for ((path, line, _), code) in sentences.iter().zip(&codes) {
        let language = (*code != UNDETERMINED).then_some(*code);
        let row = serde_json::json!({ "path": path, "line": line, "language": language });
        writeln!(w, "{row}")?;
    }
    w.flush()?;
    let und = codes.iter().filter(|c| **c == UNDETERMINED).count();
    eprintln!(
        "{} sentences in {took:.1} s on {} threads: {:.0} a second; {und} und",
        sentences.len(),
        rayon::current_num_threads(),
        sentences.len() as f64 / took,
    );
    Ok(ExitCode::SUCCESS)
}
