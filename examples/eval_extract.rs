//! Writes prediction files for the two evaluation sets of `../shared/data`, so that anyone can
//! reproduce the extraction and date figures with the evaluators of `../shared/tools`:
//!
//! ```text
//! cargo run --release --example eval_extract -- --text /tmp/text.jsonl --dates /tmp/dates.jsonl
//! ../shared/tools/eval-extraction --pred /tmp/text.jsonl
//! ../shared/tools/eval-dates --pred /tmp/dates.jsonl
//! ```
//!
//! `--show PAGE` prints what one page yields instead. Options: `--data DIR` (default `../shared/data`), `--text FILE` (article bodies of the
//! article-extraction benchmark), `--dates FILE` (publication dates of the date set). Each line
//! is one page: `{"path": .., "text": ..}` or `{"path": .., "published": "YYYY-MM-DD"|null,
//! "source": ..}`.

use std::fs;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use dossier::extract::{extract, Kind};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("eval_extract: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> anyhow::Result<()> {
    let mut data = PathBuf::from("../shared/data");
    let (mut text_out, mut dates_out) = (None, None);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().with_context(|| format!("'{a}' needs a value"));
        match a.as_str() {
            "--data" => data = PathBuf::from(value()?),
            "--text" => text_out = Some(PathBuf::from(value()?)),
            "--dates" => dates_out = Some(PathBuf::from(value()?)),
            "--show" => return show(Path::new(&value()?)),
            "-h" | "--help" => {
                println!(
                    "usage: eval_extract [--data DIR] [--text FILE] [--dates FILE] | --show PAGE"
                );
                return Ok(());
            }
            other => bail!("unknown argument '{other}'; see --help"),
        }
    }
    if text_out.is_none() && dates_out.is_none() {
        bail!("nothing to do: give --text FILE and/or --dates FILE");
    }
    if let Some(out) = text_out {
        let dir = data.join("article-extraction-benchmark/html");
        let mut w = BufWriter::new(
            fs::File::create(&out).with_context(|| format!("creating '{}'", out.display()))?,
        );
        for path in sorted_files(&dir, ".html.gz")? {
            let bytes = gunzip(&path)?;
            let text = extract(&bytes, Kind::Html)
                .map(|e| e.text())
                .unwrap_or_default();
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            writeln!(w, "{}", serde_json::json!({"path": name, "text": text}))?;
        }
        w.flush()?;
        eprintln!("wrote {}", out.display());
    }
    if let Some(out) = dates_out {
        let dir = data.join("date-extraction/html");
        let mut w = BufWriter::new(
            fs::File::create(&out).with_context(|| format!("creating '{}'", out.display()))?,
        );
        for path in sorted_files(&dir, ".html")? {
            let bytes = fs::read(&path).with_context(|| format!("reading '{}'", path.display()))?;
            let e = extract(&bytes, Kind::Html).ok();
            let published = e.as_ref().and_then(|e| e.published).map(|d| d.to_string());
            let source = e
                .as_ref()
                .and_then(|e| e.published_source)
                .map(|s| s.as_str());
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            writeln!(
                w,
                "{}",
                serde_json::json!({"path": name, "published": published, "source": source})
            )?;
        }
        w.flush()?;
        eprintln!("wrote {}", out.display());
    }
    Ok(())
}

/// Prints what one page yields (a page of either set, gzip'd or not), to see why it scores.
fn show(path: &Path) -> anyhow::Result<()> {
    let bytes = if path.to_string_lossy().ends_with(".gz") {
        gunzip(path)?
    } else {
        fs::read(path).with_context(|| format!("reading '{}'", path.display()))?
    };
    match extract(&bytes, Kind::Html) {
        Ok(e) => {
            println!("title:     {:?}", e.title);
            println!(
                "published: {:?} from {:?}",
                e.published.map(|d| d.to_string()),
                e.published_source.map(|s| s.as_str())
            );
            println!(
                "url:       {:?}\nsite:      {:?}\nlanguage:  {:?} ({:?}; declared {:?})\nencoding:  {}",
                e.url, e.site, e.language, e.language_source, e.declared_language, e.encoding
            );
            for p in &e.paragraphs {
                println!("  | {p}");
            }
        }
        Err(skip) => println!("skipped: {skip}"),
    }
    Ok(())
}

fn sorted_files(dir: &Path, suffix: &str) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("reading '{}'", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    Ok(files)
}

fn gunzip(path: &Path) -> anyhow::Result<Vec<u8>> {
    let f = fs::File::open(path).with_context(|| format!("opening '{}'", path.display()))?;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(f)
        .read_to_end(&mut out)
        .with_context(|| format!("decompressing '{}'", path.display()))?;
    Ok(out)
}
