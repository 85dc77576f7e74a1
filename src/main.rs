//! The `dossier` binary: parses the command line, turns it into library options once, runs the
//! library and maps the outcome to an exit status (0 hits, 1 no hits, 2 error).

mod app;
mod cli;

use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;
use dossier::query::Query;

use cli::{Cli, ColorWhen, Command, FilterArgs};

fn main() -> ExitCode {
    let cli = match Cli::try_parse_from(protect_exclusions(std::env::args_os())) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("dossier: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let index = index_path(cli.index);
    match cli.command {
        Command::Index(args) => app::index(&index, args),
        Command::Search(args) => {
            let query = build_query(&unprotect(&args.query), &args.filters)?;
            let color = use_color(args.color);
            app::search(&index, &query, &args, color)
        }
        Command::Facets(args) => {
            let query = build_query(&unprotect(&args.query), &args.filters)?;
            app::facets(&index, &query, &args)
        }
        Command::Extract(args) => app::extract(&args),
        Command::Agencies(args) => app::agencies(&args),
        Command::Countries(args) => app::countries(&args),
    }
}

/// Marks excluded query words (`-brexit`) so clap takes them as values, not unknown flags:
/// `dossier search spy -brexit` must work unquoted. Short flags are one letter (`-n 5`, `-n5`,
/// `-q`), so a dash followed by two or more letters, a quote or a parenthesis is a query word.
fn protect_exclusions(args: impl Iterator<Item = std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let mut after_dashdash = false;
    args.map(|arg| {
        let Some(s) = arg.to_str() else { return arg };
        after_dashdash |= s == "--";
        let rest = s.strip_prefix('-').unwrap_or("");
        let mut chars = rest.chars();
        let word = match (chars.next(), chars.next()) {
            (Some('"' | '('), _) => true,
            (Some(a), Some(b)) => a.is_alphabetic() && b.is_alphabetic(),
            _ => false,
        };
        if word && !after_dashdash {
            format!("{EXCLUDE_MARK}{rest}").into()
        } else {
            arg
        }
    })
    .collect()
}

/// Stands for a leading `-` between `protect_exclusions` and `unprotect` (a private-use char).
const EXCLUDE_MARK: char = '\u{E000}';

/// The query words as one string, exclusion dashes restored.
fn unprotect(words: &[String]) -> String {
    words.join(" ").replace(EXCLUDE_MARK, "-")
}

/// `--index`, else `$DOSSIER_INDEX` (both handled by clap), else the user's data directory.
fn index_path(arg: Option<PathBuf>) -> PathBuf {
    arg.filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(dossier::index::default_path)
}

/// The query string plus the filter flags, every alias resolved.
pub fn build_query(text: &str, filters: &FilterArgs) -> Result<Query> {
    let mut query = Query::parse(text)?;
    for a in &filters.agency {
        query = query.agency(a)?;
    }
    for c in &filters.country {
        query = query.country(c)?;
    }
    if let Some(s) = &filters.since {
        query.since = Some(s.parse().map_err(|e| anyhow::anyhow!("--since: {e}"))?);
    }
    if let Some(u) = &filters.until {
        query.until = Some(u.parse().map_err(|e| anyhow::anyhow!("--until: {e}"))?);
    }
    if let (Some(s), Some(u)) = query.date_range() {
        if s > u {
            anyhow::bail!("--since {s} is after --until {u}; nothing can match");
        }
    }
    Ok(query)
}

/// Colour on a terminal unless `NO_COLOR` is set, or as forced.
fn use_color(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
