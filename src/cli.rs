//! The command line, as clap derive types. Nothing here leaves the binary: `main.rs` turns these
//! into the library's plain options once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Full-text search for intelligence reporting: index scraped articles, search ranked passages.
#[derive(Parser, Debug)]
#[command(name = "dossier", version, about, max_term_width = 100)]
pub struct Cli {
    /// Index location [default: $DOSSIER_INDEX, else the user's data dir, e.g. ~/.local/share/dossier/index]
    #[arg(long, global = true, value_name = "PATH", env = "DOSSIER_INDEX")]
    pub index: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Index the articles under one or more folders (HTML, .txt, .md); re-runs index only changes
    Index(IndexArgs),
    /// Search the index for ranked, highlighted passages
    Search(SearchArgs),
    /// Show exactly what the indexer keeps of files: metadata, tags and text
    Extract(ExtractArgs),
    /// Count matching articles by agency, country and date, drawn as bars
    Facets(FacetsArgs),
    /// List the known intelligence agencies, or look a name up
    Agencies(LookupArgs),
    /// List the known countries, or look a name up
    Countries(LookupArgs),
    /// Named queries kept in a TOML file; run them from scripts, reporting only what is new
    Saved(SavedArgs),
}

/// `dossier index`.
#[derive(Args, Debug)]
pub struct IndexArgs {
    /// Folders or files to index
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Delete the index first and index everything again
    #[arg(long)]
    pub rebuild: bool,
    /// Memory for the index writer, in MB
    #[arg(long, value_name = "MB", default_value_t = dossier::index::DEFAULT_MEMORY_MB)]
    pub memory: usize,
    /// Seconds between commits: searches see the last commit, a killed run loses at most this
    #[arg(long, value_name = "SECS", default_value_t = dossier::index::DEFAULT_COMMIT_SECS)]
    pub commit_interval: f64,
    /// Skip files larger than this (e.g. 500K, 64MB, 2G; decimal units)
    #[arg(long, value_name = "SIZE", default_value = "64MB", value_parser = dossier::corpus::parse_size)]
    pub max_file_size: u64,
    /// No progress and no per-file messages, only errors and the summary
    #[arg(long, short)]
    pub quiet: bool,
    /// Summary format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Filters shared by `search` and saved queries.
#[derive(Args, Debug, Default)]
pub struct FilterArgs {
    /// Only articles naming this agency (ID or any alias; repeat for any of several)
    #[arg(long, value_name = "ID|NAME")]
    pub agency: Vec<String>,
    /// Only articles naming this country (code, name or demonym; repeat for any of several)
    #[arg(long, value_name = "CODE|NAME")]
    pub country: Vec<String>,
    /// Only articles published on or after this day (YYYY, YYYY-MM or YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only articles published on or before this day, inclusive (`--until 2020` keeps all 2020)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

/// `dossier search`.
#[derive(Args, Debug)]
pub struct SearchArgs {
    /// The query: words (all required), "exact phrases", OR, -excluded, title:, agency:, country:, site:
    #[arg(required = true, value_name = "QUERY", num_args = 1..)]
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Passages to show at most
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Passages per article at most
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub per_article: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// When to colour matched words
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

/// `dossier facets`.
#[derive(Args, Debug)]
pub struct FacetsArgs {
    /// The query (same language as search); every article when absent
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Agencies and countries to show at most (human format)
    #[arg(long, default_value_t = 15, value_name = "N")]
    pub top: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// `dossier extract`.
#[derive(Args, Debug)]
pub struct ExtractArgs {
    /// Files or folders
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// `dossier agencies` / `dossier countries`.
#[derive(Args, Debug)]
pub struct LookupArgs {
    /// A name, alias or code to look up (any case); all entries when absent
    pub text: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// `dossier saved`.
#[derive(Args, Debug)]
pub struct SavedArgs {
    /// The saved-queries file [default: $DOSSIER_QUERIES, else queries.toml in the index folder's parent]
    #[arg(long, global = true, value_name = "FILE", env = "DOSSIER_QUERIES")]
    pub queries: Option<PathBuf>,

    #[command(subcommand)]
    pub command: SavedCommand,
}

/// The `saved` subcommands.
#[derive(Subcommand, Debug)]
pub enum SavedCommand {
    /// Save a query under a name: the query language and filters of `search`
    Add(SavedAddArgs),
    /// List the saved queries
    List(SavedListArgs),
    /// Print a saved query as TOML, in the canonical form `add` writes
    Show(SavedShowArgs),
    /// Remove a saved query and its --new watermark
    Rm(SavedRmArgs),
    /// Run saved queries; with --new, only passages indexed since the query's last --new run
    Run(SavedRunArgs),
}

/// `dossier saved add`.
#[derive(Args, Debug)]
pub struct SavedAddArgs {
    /// Name: lowercase letters, digits, '-' and '_' (e.g. gru-netherlands)
    pub name: String,
    /// The query, as for `search`
    #[arg(required = true, value_name = "QUERY", num_args = 1..)]
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// A note for people reading the file
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// Replace a saved query of the same name (its --new watermark stays)
    #[arg(long)]
    pub force: bool,
}

/// `dossier saved list`.
#[derive(Args, Debug)]
pub struct SavedListArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// `dossier saved show`.
#[derive(Args, Debug)]
pub struct SavedShowArgs {
    /// The saved query's name
    pub name: String,
    /// Output format (human: the TOML table)
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// `dossier saved rm`.
#[derive(Args, Debug)]
pub struct SavedRmArgs {
    /// The saved query's name
    pub name: String,
}

/// `dossier saved run`.
#[derive(Args, Debug)]
pub struct SavedRunArgs {
    /// Saved queries to run, in this order
    #[arg(
        value_name = "NAME",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub names: Vec<String>,
    /// Run every saved query, in name order
    #[arg(long)]
    pub all: bool,
    /// Only passages indexed since this query's previous --new run (all of them the first time)
    #[arg(long)]
    pub new: bool,
    /// Passages per query at most [default: 10, or all with --new]
    #[arg(long, short = 'n', value_name = "N")]
    pub limit: Option<usize>,
    /// Passages per article at most [default: 2, or all with --new]
    #[arg(long, value_name = "N")]
    pub per_article: Option<usize>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// When to colour matched words
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

/// Output formats.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Aligned text for people
    Human,
    /// JSON Lines for programs
    Json,
}

/// When to use colour.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set
    Auto,
    /// Always
    Always,
    /// Never
    Never,
}
