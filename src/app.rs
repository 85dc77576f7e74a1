//! The body of each subcommand: call the library, print, pick the exit status.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use std::time::Duration;

use anyhow::{Context, Result};
use dossier::article::Article;
use dossier::corpus::{self, Entry};
use dossier::index::{self, Event, IndexOptions, Summary};
use dossier::printer::{human::HumanPrinter, json::JsonPrinter, Printer};
use dossier::query::Query;
use dossier::search::{SearchOptions, Searcher};
use dossier::tag;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use termcolor::{Ansi, NoColor};

use crate::cli::{ExtractArgs, FacetsArgs, Format, IndexArgs, LookupArgs, SearchArgs};

/// Skip reasons too ordinary to report file by file (they are counted in the summary).
const QUIET_REASONS: &[&str] = &[
    "not an article file type",
    "a README or licence, not an article",
];

pub fn index(path: &Path, args: IndexArgs) -> Result<ExitCode> {
    limit_malloc_arenas();
    let commit_every = Duration::try_from_secs_f64(args.commit_interval).map_err(|_| {
        anyhow::anyhow!(
            "--commit-interval: expected a number of seconds, 0 or more, got '{}'",
            args.commit_interval
        )
    })?;
    let opts = IndexOptions {
        index: path.to_path_buf(),
        roots: args.dirs,
        rebuild: args.rebuild,
        memory_mb: args.memory,
        commit_every,
        max_file_size: args.max_file_size,
    };
    let mut problems = 0;
    let quiet = args.quiet;
    let bar = progress_bar(quiet);
    let mut to_read = 0;
    let summary = index::run(&opts, &mut |event| match event {
        Event::Skipped(path, reason) => {
            // A root that does not exist is a mistake on the command line; a file that cannot
            // be read is a skip like any other.
            if reason == "no such file or folder" {
                problems += 1;
            }
            if !quiet && !QUIET_REASONS.contains(&reason) {
                bar.suspend(|| eprintln!("dossier: skipped {}: {reason}", show_path(path)));
            }
        }
        Event::Start { files, bytes } => {
            to_read = files;
            bar.set_length(bytes);
            bar.set_message(format!("0/{files} files"));
            bar.reset_eta();
        }
        Event::Progress {
            files,
            bytes,
            skipped,
        } => {
            bar.set_position(bytes);
            bar.set_message(format!("{files}/{to_read} files, {skipped} skipped"));
        }
    })
    .with_context(|| format!("indexing into '{}'", path.display()))?;
    bar.finish_and_clear();
    match args.format {
        Format::Human => eprintln!("{}", summary_line(&summary, path)),
        Format::Json => {
            let mut v = serde_json::to_value(&summary)?;
            v["type"] = "index".into();
            v["index"] = path.display().to_string().into();
            println!("{v}");
        }
    }
    Ok(ExitCode::from(if problems > 0 { 2 } else { 0 }))
}

/// Indexing runs a dozen threads that allocate and free large buffers; glibc gives each busy
/// thread an arena of its own and keeps what is freed in it, which adds to the peak memory.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; it is called before the indexing threads
    // start.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// The bar on stderr: bytes done of those to read, rate, ETA and files; hidden with `--quiet` or
/// when stderr is not a terminal.
fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{bar:30} {percent:>3}% {msg}, {binary_bytes_per_sec}, ETA {eta}",
    )
    .expect("valid template");
    bar.set_style(style);
    bar
}

/// A path for a message on the terminal: a file name may hold a newline or an escape sequence.
fn show_path(path: &Path) -> String {
    dossier::printer::sanitize::one_line(&path.to_string_lossy()).into_owned()
}

fn summary_line(s: &Summary, path: &Path) -> String {
    let indexed = s.new + s.changed + s.duplicate;
    let mut line = format!(
        "indexed {indexed} files ({} new, {} changed, {} duplicate, {} unchanged, {} removed)",
        s.new, s.changed, s.duplicate, s.unchanged, s.removed
    );
    let skipped = s.skipped_total();
    if skipped > 0 {
        let reasons: Vec<String> = s.skipped.iter().map(|(r, n)| format!("{n} {r}")).collect();
        line += &format!(", skipped {skipped} ({})", reasons.join(", "));
    }
    line += &format!(
        ", {} passages, {} files ({:.1} MB) read, in {:.2} s into {}",
        s.passages,
        s.files_read,
        s.bytes_read as f64 / 1e6,
        s.seconds,
        path.display()
    );
    line
}

pub fn search(path: &Path, query: &Query, args: &SearchArgs, color: bool) -> Result<ExitCode> {
    let searcher = Searcher::open(path)?;
    let opts = SearchOptions {
        limit: args.limit,
        per_article: args.per_article,
        after_seq: None,
    };
    let results = searcher.search(query, &opts)?;
    let stdout = BufWriter::new(io::stdout().lock());
    let width = terminal_width();
    match (args.format, color) {
        (Format::Json, _) => {
            Printer::Json(JsonPrinter::new(NoColor::new(stdout))).results(&results, None)?
        }
        (Format::Human, true) => {
            let mut p = Printer::Human(HumanPrinter::new(Ansi::new(stdout), width));
            p.results(&results, None)?;
            p.flush()?;
        }
        (Format::Human, false) => {
            let mut p = Printer::Human(HumanPrinter::new(NoColor::new(stdout), width));
            p.results(&results, None)?;
            p.flush()?;
        }
    }
    Ok(ExitCode::from(if results.hits.is_empty() { 1 } else { 0 }))
}

/// Columns to wrap human output at: `$COLUMNS`, else 100.
pub fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

pub fn facets(path: &Path, query: &Query, args: &FacetsArgs) -> Result<ExitCode> {
    let searcher = Searcher::open(path)?;
    let facets = searcher.facets(query)?;
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        Format::Json => {
            let mut v = serde_json::to_value(&facets)?;
            v["type"] = "facets".into();
            writeln!(out, "{v}")?;
        }
        Format::Human => {
            writeln!(out, "{} articles", facets.articles)?;
            let top = args.top;
            bars(
                &mut out,
                "agencies",
                &facets.agencies[..facets.agencies.len().min(top)],
            )?;
            bars(
                &mut out,
                "countries",
                &facets.countries[..facets.countries.len().min(top)],
            )?;
            let title = format!("by {} ({} undated)", facets.granularity, facets.undated);
            bars(&mut out, &title, &facets.dates)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::from(if facets.articles == 0 { 1 } else { 0 }))
}

/// A titled block of horizontal bars scaled to the largest count.
fn bars(out: &mut impl Write, title: &str, counts: &[dossier::facets::Count]) -> io::Result<()> {
    writeln!(out, "\n{title}")?;
    let max = counts.iter().map(|c| c.count).max().unwrap_or(1).max(1);
    let key_width = counts.iter().map(|c| c.key.len()).max().unwrap_or(0);
    for c in counts {
        let len = (c.count * 40).div_ceil(max);
        writeln!(
            out,
            "  {:<key_width$} {} {}",
            c.key,
            "█".repeat(len),
            c.count
        )?;
    }
    Ok(())
}

/// One line of `dossier extract --format json`.
#[derive(Serialize)]
struct ExtractLine<'a> {
    path: String,
    title: Option<&'a str>,
    published: Option<String>,
    published_source: Option<&'static str>,
    url: Option<&'a str>,
    site: Option<&'a str>,
    language: Option<&'a str>,
    encoding: Option<&'static str>,
    agencies: Vec<&'static str>,
    countries: Vec<&'static str>,
    text: String,
    paragraphs: &'a [String],
    passages: usize,
    skipped: Option<String>,
}

pub fn extract(args: &ExtractArgs) -> Result<ExitCode> {
    let mut out = BufWriter::new(io::stdout().lock());
    let mut failed = false;
    for root in &args.paths {
        if !root.exists() {
            eprintln!("dossier: {}: no such file or folder", root.display());
            failed = true;
            continue;
        }
        for entry in corpus::walk(root) {
            let (path, kind) = match entry {
                Entry::Article { path, kind, .. } => (path, kind),
                Entry::Skipped { path, reason } => {
                    if !QUIET_REASONS.contains(&reason.as_str()) || root == &path {
                        print_extract(&mut out, args.format, &path, Err(reason))?;
                    }
                    continue;
                }
            };
            let result = match corpus::read_limited(&path, corpus::DEFAULT_MAX_FILE_SIZE) {
                Ok(bytes) => {
                    Article::from_bytes(path.clone(), &bytes, kind).map_err(|s| s.to_string())
                }
                Err(reason) => {
                    failed |= reason.starts_with("cannot read");
                    Err(reason)
                }
            };
            print_extract(&mut out, args.format, &path, result)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::from(if failed { 2 } else { 0 }))
}

fn print_extract(
    out: &mut impl Write,
    format: Format,
    path: &Path,
    result: std::result::Result<Article, String>,
) -> Result<()> {
    let shown = path.display().to_string();
    let (article, skipped) = match result {
        Ok(a) => (Some(a), None),
        Err(reason) => (None, Some(reason)),
    };
    match format {
        Format::Json => {
            let line = match &article {
                Some(a) => {
                    let e = &a.extracted;
                    ExtractLine {
                        path: shown,
                        title: e.title.as_deref(),
                        published: e.published.map(|d| d.to_string()),
                        published_source: e.published_source.as_ref().map(|s| s.as_str()),
                        url: e.url.as_deref(),
                        site: e.site.as_deref(),
                        language: e.language.as_deref(),
                        encoding: Some(e.encoding),
                        agencies: a.tags.agencies.clone(),
                        countries: a.tags.countries.clone(),
                        text: e.text(),
                        paragraphs: &e.paragraphs,
                        passages: a.passages.len(),
                        skipped: None,
                    }
                }
                None => ExtractLine {
                    path: shown,
                    title: None,
                    published: None,
                    published_source: None,
                    url: None,
                    site: None,
                    language: None,
                    encoding: None,
                    agencies: vec![],
                    countries: vec![],
                    text: String::new(),
                    paragraphs: &[],
                    passages: 0,
                    skipped,
                },
            };
            let json = serde_json::to_string(&line)?;
            writeln!(out, "{}", dossier::printer::sanitize::escape_json(&json))?;
        }
        Format::Human => match &article {
            None => writeln!(
                out,
                "{}: skipped: {}\n",
                show_path(path),
                skipped.unwrap_or_default()
            )?,
            Some(a) => {
                let shown = show_path(path);
                let e = &a.extracted;
                let clean = |s: &str| dossier::printer::sanitize::sanitize(s).into_owned();
                writeln!(out, "{shown}")?;
                writeln!(
                    out,
                    "  title:     {}",
                    clean(e.title.as_deref().unwrap_or("-"))
                )?;
                let date = match (&e.published, &e.published_source) {
                    (Some(d), Some(s)) => format!("{d} (from {})", s.as_str()),
                    (Some(d), None) => d.to_string(),
                    _ => "-".to_string(),
                };
                writeln!(out, "  published: {date}")?;
                writeln!(
                    out,
                    "  url:       {}",
                    clean(e.url.as_deref().unwrap_or("-"))
                )?;
                writeln!(
                    out,
                    "  site:      {}",
                    clean(e.site.as_deref().unwrap_or("-"))
                )?;
                writeln!(out, "  language:  {}", e.language.as_deref().unwrap_or("-"))?;
                writeln!(out, "  encoding:  {}", e.encoding)?;
                writeln!(out, "  agencies:  {}", a.tags.agencies.join(" "))?;
                writeln!(out, "  countries: {}", a.tags.countries.join(" "))?;
                writeln!(
                    out,
                    "  text:      {} paragraphs, {} passages",
                    e.paragraphs.len(),
                    a.passages.len()
                )?;
                for p in &e.paragraphs {
                    writeln!(out, "\n    {}", clean(p))?;
                }
                writeln!(out)?;
            }
        },
    }
    Ok(())
}

pub fn agencies(args: &LookupArgs) -> Result<ExitCode> {
    let list: Vec<&tag::Agency> = match &args.text {
        Some(t) => tag::find_agencies(t),
        None => tag::agencies().iter().collect(),
    };
    let mut out = BufWriter::new(io::stdout().lock());
    for a in &list {
        match args.format {
            Format::Json => {
                let line = serde_json::json!({
                    "id": a.id, "country": a.country, "names": a.names, "successor": a.successor,
                });
                writeln!(out, "{line}")?;
            }
            Format::Human => writeln!(out, "{:<10} {:<3} {}", a.id, a.country, a.names.join("; "))?,
        }
    }
    out.flush()?;
    Ok(ExitCode::from(if list.is_empty() { 1 } else { 0 }))
}

pub fn countries(args: &LookupArgs) -> Result<ExitCode> {
    let list: Vec<&tag::Country> = match &args.text {
        Some(t) => tag::find_countries(t),
        None => tag::countries().iter().collect(),
    };
    let mut out = BufWriter::new(io::stdout().lock());
    for c in &list {
        match args.format {
            Format::Json => {
                let line =
                    serde_json::json!({ "code": c.code, "name": c.name, "aliases": c.aliases });
                writeln!(out, "{line}")?;
            }
            Format::Human => {
                writeln!(out, "{:<3} {:<24} {}", c.code, c.name, c.aliases.join("; "))?
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::from(if list.is_empty() { 1 } else { 0 }))
}
