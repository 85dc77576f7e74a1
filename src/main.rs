//! The `dossier` binary: parses the command line, turns it into library options once, runs the
//! library and maps the outcome to an exit status (0 hits, 1 no hits, 2 error).
//!
//! Every error is one line on stderr: `dossier: <what went wrong>: <detail>; <what to do>`.

mod app;
mod cli;
mod pager;

use std::io;
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;
use dossier::config::Config;

use app::{build_query, Ctx};
use cli::{unprotect, Cli, Command, SavedCommand};

fn main() -> ExitCode {
    let cli = match Cli::try_parse_from(cli::protect_exclusions(std::env::args_os())) {
        Ok(cli) => cli,
        Err(e) => return app::clap_error(e),
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
    // Generated files must come out even when the configuration is broken.
    match &cli.command {
        Command::Completions(args) => return app::completions(args.shell),
        Command::Man(args) => return app::man(args),
        _ => {}
    }
    let config = Config::load()?;
    let ctx = Ctx {
        index: config.index(cli.index),
        color: config.color(cli.color.map(Into::into)),
        config,
    };
    let index = &ctx.index;
    match cli.command {
        Command::Index(args) => app::index(index, args),
        Command::Search(args) => {
            if args.query.iter().all(|w| w.trim().is_empty()) && args.filters.is_empty() {
                anyhow::bail!(
                    "search: no query and no filter: give words, or a filter alone (--agency, \
                     --country, --lang, --since, --until) to list its articles newest first; see \
                     'dossier search --help'"
                );
            }
            let query = build_query(&unprotect(&args.query), &args.filters)?;
            app::search(&ctx, &query, &args)
        }
        Command::Show(args) => app::show(&ctx, &args),
        Command::Status(args) => app::status(&ctx, &args),
        Command::Facets(args) => {
            let query = build_query(&unprotect(&args.query), &args.filters)?;
            app::facets(index, &query, &args)
        }
        Command::Export(args) if args.mapping.is_some() => app::export_mapping(),
        Command::Export(args) => {
            let query = build_query(&unprotect(&args.query), &args.filters)?;
            app::export(index, &query, args.format)
        }
        Command::Extract(args) => app::extract(&args),
        Command::Agencies(args) => app::agencies(&args),
        Command::Countries(args) => app::countries(&args),
        Command::Saved(saved) => {
            let file = app::saved::queries_file(saved.queries, index);
            match saved.command {
                SavedCommand::Add(mut args) => {
                    let query = build_query(&unprotect(&args.query), &args.filters)?;
                    args.description = args.description.map(|d| unprotect(&[d]));
                    app::saved::add(index, &file, &args, query)
                }
                SavedCommand::List(args) => app::saved::list(index, &file, args.format),
                SavedCommand::Show(args) => app::saved::show(index, &file, &args),
                SavedCommand::Rm(args) => app::saved::rm(index, &file, &args.name),
                SavedCommand::Run(args) => app::saved::run(&ctx, &file, &args),
            }
        }
        Command::Serve(args) => app::serve(&ctx, &args),
        Command::Completions(_) | Command::Man(_) => unreachable!("handled above"),
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
