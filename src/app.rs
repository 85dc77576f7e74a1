//! The body of each subcommand: call the library, print, pick the exit status. Those of
//! `dossier saved` are in [`saved`].

pub mod saved;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::time::Duration;

use anyhow::{Context, Result};
use clap::CommandFactory;
use dossier::article::Article;
use dossier::config::{self, ColorChoice, Config};
use dossier::corpus::{self, Entry};
use dossier::index::{self, Event, IndexOptions, Summary};
use dossier::printer::csv::{CsvPrinter, ExportCsv};
use dossier::printer::human::{search_notes, summary_line, HumanPrinter};
use dossier::printer::json::{write_line, ArticleLine, JsonPrinter};
use dossier::printer::{self, report, Printer};
use dossier::query::{DatesMode, Query, Undated};
use dossier::search::{SearchOptions, Searcher};
use dossier::show::{ArticleView, Target};
use dossier::skip::{self, SkipReason};
use dossier::tag;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use termcolor::{Ansi, NoColor, WriteColor};

use crate::cli::{
    Cli, DatesArg, ExportFormat, ExtractArgs, FacetsArgs, FilterArgs, Format, HitFormat, IndexArgs,
    LookupArgs, ManArgs, SearchArgs, ServeArgs, ShowArgs, StatusArgs, UndatedArg,
};

/// What every command may need: the index path and settings resolved once.
pub struct Ctx {
    /// The index, from --index, $DOSSIER_INDEX, config.toml or the default.
    pub index: PathBuf,
    /// The configuration layers, for settings resolved per command.
    pub config: Config,
    /// --color, $DOSSIER_COLOR, config.toml or auto.
    pub color: ColorChoice,
}

impl Ctx {
    /// Whether stdout gets colour.
    pub fn color(&self) -> bool {
        config::use_color(
            self.color,
            printer::stdout_is_terminal(),
            std::env::var_os("NO_COLOR"),
        )
    }
}

/// A printer of hits on stdout in the chosen format; `named` adds a query column to CSV.
pub fn hit_printer(format: HitFormat, color: bool, named: bool) -> Printer<Box<dyn WriteColor>> {
    let stdout = printer::stdout();
    let out: Box<dyn WriteColor> = if color && format == HitFormat::Human {
        Box::new(Ansi::new(stdout))
    } else {
        Box::new(NoColor::new(stdout))
    };
    match format {
        HitFormat::Human => Printer::Human(HumanPrinter::new(out, terminal_width())),
        HitFormat::Json => Printer::Json(JsonPrinter::new(out)),
        HitFormat::Csv => Printer::Csv(Box::new(CsvPrinter::new(out, named))),
    }
}

/// The query string plus the filter flags, every alias resolved. Errors name the flag.
pub fn build_query(text: &str, filters: &FilterArgs) -> Result<Query> {
    let mut query = Query::parse(text)?;
    for a in &filters.agency {
        query = query.agency(a).context("--agency")?;
    }
    for c in &filters.country {
        query = query.country(c).context("--country")?;
    }
    for l in &filters.lang {
        query = query.language(l).context("--lang")?;
    }
    if let Some(s) = &filters.since {
        query.since = Some(s.parse().context("--since")?);
    }
    if let Some(u) = &filters.until {
        query.until = Some(u.parse().context("--until")?);
    }
    if let Some(d) = filters.dates {
        query.dates = match d {
            DatesArg::Any => DatesMode::Any,
            DatesArg::Sure => DatesMode::Sure,
        };
    }
    query.undated = filters.undated.map(|u| match u {
        UndatedArg::Include => Undated::Include,
        UndatedArg::Exclude => Undated::Exclude,
        UndatedArg::Only => Undated::Only,
    });
    if let Some(s) = &filters.seen_since {
        query.seen_since = Some(s.parse().context("--seen-since")?);
    }
    if let (Some(s), Some(u)) = query.date_range() {
        if s > u {
            anyhow::bail!("--since {s} is after --until {u}: nothing can match; swap them");
        }
    }
    Ok(query)
}

/// Prints a command-line error as `dossier: bad command line: <what>; <hint>` (help and
/// version go to stdout as clap writes them).
pub fn clap_error(e: clap::Error) -> ExitCode {
    if !e.use_stderr() {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let text = e.render().to_string();
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .peekable();
    let mut what = lines
        .next()
        .unwrap_or("")
        .trim_start_matches("error: ")
        .to_string();
    // A message that ends in a colon lists what it is about on the lines below ("the
    // following required arguments were not provided:" then "<NAME>"): keep them in the line.
    if what.ends_with(':') {
        let mut items = Vec::new();
        while let Some(l) = lines.next_if(|l| !l.starts_with("Usage: ") && !l.starts_with("tip: "))
        {
            items.push(l);
        }
        what = format!("{} {}", what, items.join(", "));
    }
    let mut hint = None;
    let mut command = "dossier".to_string();
    for l in lines {
        if let Some(t) = l.strip_prefix("tip: ") {
            hint.get_or_insert_with(|| t.to_string());
        } else if let Some(u) = l.strip_prefix("Usage: ") {
            let words: Vec<&str> = u
                .split_whitespace()
                .take_while(|w| !w.starts_with(['[', '<', '-']))
                .collect();
            command = words.join(" ");
        }
    }
    let hint = hint.unwrap_or_else(|| format!("see '{command} --help'"));
    eprintln!("dossier: bad command line: {what}; {hint}");
    ExitCode::from(2)
}

pub fn index(path: &Path, args: IndexArgs) -> Result<ExitCode> {
    let commit_every = Duration::try_from_secs_f64(args.commit_interval).map_err(|_| {
        anyhow::anyhow!(
            "--commit-interval: expected a number of seconds, 0 or more, got '{}'",
            args.commit_interval
        )
    })?;
    let wait = match (args.no_wait, args.wait) {
        (true, _) => Some(Duration::ZERO),
        (false, None) => None,
        (false, Some(s)) => Some(Duration::try_from_secs_f64(s).map_err(|_| {
            anyhow::anyhow!("--wait: expected a number of seconds, 0 or more, got '{s}'")
        })?),
    };
    let opts = IndexOptions {
        index: path.to_path_buf(),
        roots: args.dirs,
        rebuild: args.rebuild,
        memory_mb: args.memory,
        commit_every,
        max_file_size: args.max_file_size,
        wait,
        allow_empty: args.allow_empty,
        forget: args.forget,
    };
    let mut problems = 0;
    let quiet = args.quiet;
    let verbose = args.verbose;
    let bar = progress_bar(quiet);
    let mut to_read = 0;
    let summary = index::run(&opts, &mut |event| match event {
        Event::Skipped(path, reason) => {
            // A root that does not exist is a mistake on the command line; a file that cannot
            // be read is a skip like any other, but one someone should hear of.
            if *reason == SkipReason::MissingRoot {
                problems += 1;
            }
            if reason.needs_attention() || verbose {
                bar.suspend(|| eprintln!("dossier: skipped {}: {reason}", show_path(path)));
            }
        }
        Event::Waiting(holder) => bar.suspend(|| {
            eprintln!(
                "dossier: waiting for the 'dossier index' run writing '{}' ({holder}) to finish; \
                 --wait SECONDS or --no-wait to give up",
                show_path(path)
            )
        }),
        Event::KeptEmpty { root, files } => {
            problems += 1;
            bar.suspend(|| {
                eprintln!(
                    "dossier: '{}' holds no file now: kept the {files} files indexed from it \
                     (an emptied folder or an unmounted disk?); rerun with --allow-empty to drop \
                     them, or --forget '{}'",
                    show_path(root),
                    show_path(root)
                )
            });
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
        // A cron job's run is silent when all went well: `--quiet` drops the human summary.
        Format::Human if quiet => {}
        Format::Human => {
            eprintln!("{}", index_summary_line(&summary, path));
            if summary.skipped_total() > 0 {
                eprintln!("{}", skip::summary_line(&summary.skipped_by_kind, verbose));
            }
        }
        Format::Json => write_line(&mut printer::stdout(), "index", &summary)?,
    }
    if summary.outdated {
        eprintln!(
            "dossier: note: '{}' was written by an older dossier, whose tags differ (former \
             states such as the Soviet Union now stand apart from today's countries); files \
             not re-read keep the old ones: run `dossier index --rebuild` on the same folders",
            show_path(path)
        );
    }
    Ok(ExitCode::from(if problems > 0 { 2 } else { 0 }))
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

fn index_summary_line(s: &Summary, path: &Path) -> String {
    let indexed = s.new + s.changed + s.duplicate;
    let mut line = format!(
        "indexed {indexed} files ({} new, {} changed, {} duplicate, {} unchanged, {} removed)",
        s.new, s.changed, s.duplicate, s.unchanged, s.removed
    );
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

pub fn search(ctx: &Ctx, query: &Query, args: &SearchArgs) -> Result<ExitCode> {
    let opts = SearchOptions {
        limit: ctx.config.limit(args.limit),
        per_article: ctx.config.per_article(args.per_article),
        after_seq: None,
        all_copies: args.copies == crate::cli::Copies::All,
        tags_in_query: !args.no_tags_in_query,
        relax: !args.all_words,
    };
    let results = Searcher::with_current(&ctx.index, |s| s.search(query, &opts))?;
    let mut printer = hit_printer(args.format, ctx.color(), false);
    printer.results(&results, None)?;
    printer.flush()?;
    if args.format != HitFormat::Json {
        for note in search_notes(&results, None) {
            eprintln!("{note}");
        }
        eprintln!("{}", summary_line(&results, None));
    }
    // Articles that lack a word of the query are shown, but a search that no article answers
    // whole found nothing: a script reads the status as grep's.
    Ok(ExitCode::from(if results.total_matches == 0 {
        1
    } else {
        0
    }))
}

/// Columns to wrap human output at: `$COLUMNS`, else 100.
pub fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

/// `dossier export --mapping ENGINE`: the index body the bulk lines fit.
pub fn export_mapping() -> Result<ExitCode> {
    let mut out = printer::stdout();
    printer::json::write_pretty(&mut out, &dossier::export::opensearch_mapping())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `dossier export`: every matching article, streamed.
pub fn export(path: &Path, query: &Query, format: ExportFormat) -> Result<ExitCode> {
    let searcher = Searcher::open(path)?;
    let mut out = printer::stdout();
    match format {
        ExportFormat::Json => {
            searcher.export(query, |a| -> Result<()> {
                Ok(write_line(&mut out, "article", &a)?)
            })?;
        }
        ExportFormat::Csv => {
            let mut csv = ExportCsv::new(&mut out)?;
            searcher.export(query, |a| -> Result<()> { Ok(csv.row(&a)?) })?;
            csv.flush()?;
        }
        ExportFormat::Opensearch => {
            let mut json = JsonPrinter::new(&mut out);
            searcher.export(query, |a| -> Result<()> {
                let (action, doc) = dossier::export::opensearch_bulk(&a);
                json.line(&action)?;
                Ok(json.line(&doc)?)
            })?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub fn facets(path: &Path, query: &Query, args: &FacetsArgs) -> Result<ExitCode> {
    let searcher = Searcher::open(path)?;
    let facets = searcher.facets(query)?;
    let mut out = printer::stdout();
    match args.format {
        Format::Json => write_line(&mut out, "facets", &facets)?,
        Format::Human => report::facets(&mut out, &facets, args.top)?,
    }
    out.flush()?;
    Ok(ExitCode::from(if facets.articles == 0 { 1 } else { 0 }))
}

pub fn extract(args: &ExtractArgs) -> Result<ExitCode> {
    let mut out = printer::stdout();
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
                    if !reason.is_other_file() || root == &path {
                        print_extract(&mut out, args.format, &path, Err(reason))?;
                    }
                    continue;
                }
            };
            let result = match corpus::read_limited(&path, corpus::DEFAULT_MAX_FILE_SIZE) {
                Ok(bytes) => {
                    Article::from_bytes(path.clone(), &bytes, kind).map_err(SkipReason::Refused)
                }
                Err(reason) => {
                    failed |= matches!(reason, SkipReason::Unreadable(_) | SkipReason::Gone);
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
    result: std::result::Result<Article, SkipReason>,
) -> Result<()> {
    let shown = path.display().to_string();
    match (format, result) {
        (Format::Json, Ok(a)) => {
            let view = ArticleView::from_article(&a);
            let source = a.extracted.language_source.map(|s| s.as_str());
            write_line(
                out,
                "article",
                ArticleLine::new(&view).with_language_source(source),
            )?;
        }
        (Format::Json, Err(reason)) => {
            let line = serde_json::json!({ "path": shown, "reason": reason.to_string() });
            write_line(out, "skipped", line)?;
        }
        (Format::Human, Err(reason)) => report::skipped(out, &show_path(path), &reason)?,
        (Format::Human, Ok(a)) => {
            report::extracted(out, &ArticleView::from_article(&a))?;
        }
    }
    Ok(())
}

/// `dossier show`: from the index, else (a file never indexed) extracted on the spot.
pub fn show(ctx: &Ctx, args: &ShowArgs) -> Result<ExitCode> {
    let query = match &args.query {
        Some(q) => Some(Query::parse(&crate::cli::unprotect(std::slice::from_ref(
            q,
        )))?),
        None => None,
    };
    let target = Target::parse(&args.target);
    let from_index = match Searcher::open(&ctx.index) {
        Ok(s) => s.article(&target)?,
        Err(dossier::Error::NoIndex(_)) if matches!(target, Target::Path(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let mut view = match (from_index, &target) {
        (Some(v), _) => {
            note_if_changed(&v);
            v
        }
        (None, Target::Path(p)) if p.is_file() => {
            eprintln!(
                "dossier: note: '{}' is not in the index; extracted now",
                args.target
            );
            extract_one(p)?
        }
        (None, _) => anyhow::bail!(
            "no article '{}': neither an article id in '{}' nor a file; use an id from \
             'dossier search' (or a prefix of one) or the path of an article file",
            args.target,
            ctx.index.display()
        ),
    };
    if let Some(q) = &query {
        view.highlight(q);
    }
    let color = ctx.color();
    let pager = args.format == Format::Human && !args.no_pager && printer::stdout_is_terminal();
    crate::pager::output(pager, |out| match args.format {
        Format::Json => write_line(out, "article", ArticleLine::new(&view)),
        Format::Human if color => {
            HumanPrinter::new(Ansi::new(out), terminal_width()).article(&view)
        }
        Format::Human => HumanPrinter::new(NoColor::new(out), terminal_width()).article(&view),
    })?;
    Ok(ExitCode::SUCCESS)
}

fn extract_one(path: &Path) -> Result<ArticleView> {
    let kind = dossier::extract::kind_of(path).unwrap_or(dossier::extract::Kind::Text);
    let bytes = std::fs::read(path).map_err(|e| dossier::Error::io(path, e))?;
    let article = Article::from_bytes(path.to_path_buf(), &bytes, kind).map_err(|skip| {
        anyhow::anyhow!(
            "nothing to show in '{}': {skip}; check that it is an article",
            path.display()
        )
    })?;
    Ok(ArticleView::from_article(&article))
}

/// Warns when the file behind an indexed article no longer holds what was indexed.
fn note_if_changed(view: &ArticleView) {
    let path = Path::new(&view.path);
    let now = corpus::read_limited(path, u64::MAX - 1)
        .map(|b| dossier::id::ArticleId::of_bytes(&b).hex());
    let why = match now {
        Ok(id) if id == view.article_id => return,
        Ok(_) => "has changed since it was indexed".to_string(),
        Err(SkipReason::Gone) => "is gone".to_string(),
        Err(reason) => format!("cannot be compared with the indexed text ({reason})"),
    };
    eprintln!(
        "dossier: note: '{}' {why}; this is the indexed text ('dossier index' updates it)",
        view.path
    );
}

/// `dossier status`.
pub fn status(ctx: &Ctx, args: &StatusArgs) -> Result<ExitCode> {
    let st = dossier::status::status(&ctx.index, args.top)?;
    let mut out = printer::stdout();
    match args.format {
        Format::Json => write_line(&mut out, "status", &st)?,
        Format::Human => report::status(&mut out, &st)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `dossier completions SHELL`.
pub fn completions(shell: clap_complete::Shell) -> Result<ExitCode> {
    let mut out = printer::stdout();
    clap_complete::generate(shell, &mut Cli::command(), "dossier", &mut out);
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `dossier man`: the main page on stdout, or every page into a folder.
pub fn man(args: &ManArgs) -> Result<ExitCode> {
    match &args.dir {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| dossier::Error::io(dir, e))?;
            clap_mangen::generate_to(Cli::command(), dir)
                .map_err(|e| dossier::Error::io(dir, e))?;
            eprintln!("wrote manual pages into {}", dir.display());
        }
        None => {
            let mut out = printer::stdout();
            clap_mangen::Man::new(Cli::command()).render(&mut out)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn agencies(args: &LookupArgs) -> Result<ExitCode> {
    let list: Vec<&tag::Agency> = match &args.text {
        Some(t) => tag::find_agencies(t),
        None => tag::agencies().iter().collect(),
    };
    let mut out = printer::stdout();
    for a in &list {
        match args.format {
            Format::Json => {
                let line = serde_json::json!({
                    "id": a.id, "country": a.country, "names": a.names, "successor": a.successor,
                });
                write_line(&mut out, "agency", line)?;
            }
            Format::Human => report::agency(&mut out, a)?,
        }
    }
    out.flush()?;
    Ok(ExitCode::from(if list.is_empty() { 1 } else { 0 }))
}

pub fn countries(args: &LookupArgs) -> Result<ExitCode> {
    let list: Vec<&tag::Country> = match &args.text {
        Some(t) => tag::find_countries(t),
        None => tag::countries()
            .iter()
            .chain(tag::former_states())
            .collect(),
    };
    let mut out = printer::stdout();
    for c in &list {
        match args.format {
            Format::Json => {
                let mut line =
                    serde_json::json!({ "code": c.code, "name": c.name, "aliases": c.aliases });
                if let Some(f) = c.former {
                    line["former"] =
                        serde_json::json!({ "successor": f.successor, "ended": f.ended });
                }
                write_line(&mut out, "country", line)?;
            }
            Format::Human => report::country(&mut out, c)?,
        }
    }
    out.flush()?;
    Ok(ExitCode::from(if list.is_empty() { 1 } else { 0 }))
}

/// `dossier serve`: runs until interrupted; the address goes to stderr once listening.
pub fn serve(ctx: &Ctx, args: &ServeArgs) -> Result<ExitCode> {
    let token = match &args.token_file {
        Some(file) => {
            let text = std::fs::read_to_string(file).map_err(|e| dossier::Error::io(file, e))?;
            let line = text.lines().next().unwrap_or("").trim().to_string();
            if line.is_empty() {
                anyhow::bail!(
                    "token file '{}' is empty; write the secret on its first line",
                    file.display()
                );
            }
            Some(line)
        }
        None => args.token.clone(),
    };
    let opts = dossier::serve::ServeOptions {
        index: ctx.index.clone(),
        queries: saved::queries_file(args.queries.clone(), &ctx.index),
        listen: args.listen,
        token,
        per_article: ctx.config.per_article(None),
    };
    dossier::serve::run(&opts, |addr| {
        eprintln!(
            "dossier: serving '{}' on http://{addr}/ (read-only; Ctrl-C stops)",
            show_path(&opts.index)
        );
    })?;
    Ok(ExitCode::SUCCESS)
}
