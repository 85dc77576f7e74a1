//! The bodies of `dossier saved add|list|show|rm|run`: call the library, print, pick the exit
//! status. `run --new` records a query's watermark only after that query's output has been
//! written and flushed to stdout, so a killed run or a broken pipe loses nothing.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Result};
use dossier::printer::human::summary_line;
use dossier::printer::json::{write_line, SavedQueryLine as QueryLine};
use dossier::printer::{self, report};
use dossier::query::Query;
use dossier::saved::state::{self, RunOptions, RunState};
use dossier::saved::{SavedQueries, SavedQuery};
use dossier::search::Searcher;
use dossier::Error;

use super::{hit_printer, Ctx};
use crate::cli::{Format, HitFormat, SavedAddArgs, SavedRunArgs, SavedShowArgs};

/// `--queries`, else `$DOSSIER_QUERIES` (both handled by clap), else beside the index folder.
pub fn queries_file(arg: Option<PathBuf>, index: &Path) -> PathBuf {
    arg.filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| dossier::saved::default_path(index))
}

pub fn add(index: &Path, file: &Path, args: &SavedAddArgs, query: Query) -> Result<ExitCode> {
    let saved = SavedQuery::new(&args.name, query, args.description.clone())?;
    let replaced = SavedQueries::add(file, &saved, args.force)?;
    // A new query starts without a watermark, even if one under its name outlived a table
    // deleted by hand.
    let mut state = RunState::open(index, file)?;
    if !replaced && state.mark(&saved.name).is_some() {
        state.forget(&saved.name)?;
    }
    let verb = if replaced { "replaced" } else { "added" };
    eprintln!(
        "{verb} '{}' in {}: {}",
        saved.name,
        file.display(),
        saved.command_line()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn list(index: &Path, file: &Path, format: Format) -> Result<ExitCode> {
    let saved = SavedQueries::load(file)?;
    let state = RunState::open(index, file)?;
    let mut out = printer::stdout();
    let width = saved.iter().map(|q| q.name.len()).max().unwrap_or(0);
    for q in saved.iter() {
        match format {
            Format::Json => write_line(&mut out, "saved_query", QueryLine::new(q, &state))?,
            Format::Human => report::saved_query(&mut out, q, width)?,
        }
    }
    out.flush()?;
    if saved.is_empty() {
        eprintln!(
            "no saved queries in {}; add one with 'dossier saved add NAME QUERY'",
            file.display()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn show(index: &Path, file: &Path, args: &SavedShowArgs) -> Result<ExitCode> {
    let saved = SavedQueries::load(file)?;
    let q = saved.get(&args.name)?;
    let mut out = printer::stdout();
    match args.format {
        Format::Json => {
            let state = RunState::open(index, file)?;
            write_line(&mut out, "saved_query", QueryLine::new(q, &state))?;
        }
        Format::Human => report::saved_toml(&mut out, q)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub fn rm(index: &Path, file: &Path, name: &str) -> Result<ExitCode> {
    let gone = SavedQueries::remove(file, name)?;
    RunState::open(index, file)?.forget(name)?;
    eprintln!(
        "removed '{name}' from {}: {}",
        file.display(),
        gone.command_line()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn run(ctx: &Ctx, file: &Path, args: &SavedRunArgs) -> Result<ExitCode> {
    let index = &ctx.index;
    let saved = SavedQueries::load(file)?;
    let selected = select(&saved, args)?;
    let mut searcher = Searcher::open(index)?;
    let mut state = args.new.then(|| RunState::open(index, file)).transpose()?;
    let opts = RunOptions {
        new: args.new,
        // Without --new, the user's defaults apply as in search; --new reports all by default.
        limit: if args.new {
            args.limit
        } else {
            Some(ctx.config.limit(args.limit))
        },
        per_article: if args.new {
            args.per_article
        } else {
            Some(ctx.config.per_article(args.per_article))
        },
    };
    let mut printer = hit_printer(args.format, ctx.color(), true);
    let mut any_hits = false;
    let mut failed = 0;
    for q in &selected {
        let from = state.as_ref().and_then(|s| s.mark(&q.name));
        let mut tries = 0;
        let outcome = loop {
            match state::run(&searcher, q, from.map(|m| &m.watermark), opts) {
                // A rebuild replaced the index under the search: ask the new one.
                Err(Error::Rebuilt(_)) if tries < 3 => {
                    tries += 1;
                    searcher = Searcher::open(index)?;
                }
                other => break other,
            }
        };
        let outcome = match outcome {
            Ok(outcome) => outcome,
            Err(e) => {
                // One query's failure is reported on its own; the others still run.
                eprintln!("dossier: saved query '{}': {e}", q.name);
                failed += 1;
                continue;
            }
        };
        let results = &outcome.results;
        printer.results(results, Some(q.name.as_str()))?;
        // The watermark may move only once this query's output has left the process.
        printer.flush()?;
        if args.format != HitFormat::Json {
            eprintln!("{}", summary_line(results, Some(&q.name)));
        }
        if outcome.left_out > 0 {
            eprintln!(
                "dossier: saved query '{}': {} more new passages left out by --limit or \
                 --per-article; the next --new run reports them",
                q.name, outcome.left_out
            );
        }
        if let (Some(state), Some(watermark)) = (state.as_mut(), &outcome.watermark) {
            if let Err(e) = state.record(&q.name, watermark) {
                eprintln!(
                    "dossier: saved query '{}': its hits were written but not marked as \
                     reported, so the next --new run reports them again: {e}",
                    q.name
                );
                failed += 1;
            }
        }
        any_hits |= !results.hits.is_empty();
    }
    if failed > 0 {
        eprintln!(
            "dossier: {failed} of {} saved queries failed (see above)",
            selected.len()
        );
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::from(if any_hits { 0 } else { 1 }))
}

/// The queries to run, each once, in the order given (or all in name order). Every name is
/// checked before anything runs, so a typo never leaves half a report.
fn select<'a>(saved: &'a SavedQueries, args: &SavedRunArgs) -> Result<Vec<&'a SavedQuery>> {
    if saved.is_empty() {
        bail!(
            "no saved queries: '{}' holds none; add one with 'dossier saved add NAME QUERY'",
            saved.path().display()
        );
    }
    if args.all {
        return Ok(saved.iter().collect());
    }
    let mut seen = HashSet::new();
    (args.names.iter())
        .filter(|n| seen.insert(n.as_str()))
        .map(|name| Ok(saved.get(name)?))
        .collect()
}
