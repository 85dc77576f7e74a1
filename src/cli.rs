//! The command line, as clap derive types. Nothing here leaves the binary: `main.rs` turns these
//! into the library's plain options once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Full-text search for intelligence reporting: index scraped articles, search ranked passages.
#[derive(Parser, Debug)]
#[command(
    name = "dossier",
    version,
    about,
    max_term_width = 100,
    after_help = "Examples:
  dossier index ~/scrapes
  dossier search recruit officers --agency MSS --since 2018
  dossier show 3f9c1a --query recruit

Defaults for --index, --limit, --per-article and --color can live in config.toml in the user's
config directory (or $DOSSIER_CONFIG); flags beat environment variables beat the file."
)]
pub struct Cli {
    /// Index location [default: $DOSSIER_INDEX, else `index` in config.toml, else the user's data dir, e.g. ~/.local/share/dossier/index]
    #[arg(long, global = true, value_name = "PATH")]
    pub index: Option<PathBuf>,

    /// When to colour output [default: $DOSSIER_COLOR, else `color` in config.toml, else auto]
    #[arg(long, global = true, value_enum, value_name = "WHEN")]
    pub color: Option<ColorWhen>,

    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Index the articles under one or more folders (HTML, .txt, .md); re-runs index only changes
    #[command(after_help = "Examples:
  dossier index ~/scrapes                  # first run, or only what changed since the last
  dossier index --rebuild ~/scrapes ~/old  # start again from nothing, beside the old index
  dossier index --forget /media/usb        # drop what came from a folder
  dossier --index /tmp/idx index corpus    # an index somewhere else")]
    Index(IndexArgs),
    /// Search the index for ranked, highlighted passages
    #[command(after_help = "Examples:
  dossier search recruit officers
  dossier search '\"state security\" -brexit' --agency MSS --country FR --since 2015
  dossier search mole OR defector --format csv > hits.csv
  dossier search rendition --format json | jq -r 'select(.type == \"hit\") | .title'")]
    Search(SearchArgs),
    /// Show one article whole: metadata, tags and text, a query's words highlighted
    #[command(after_help = "Examples:
  dossier show 3f9c1a0b                    # an article id (or a unique prefix) from search
  dossier show ~/scrapes/wire/2020/article.html --query 'defector OR mole'
  dossier show 3f9c1a0b --format json | jq -r .text

Through $PAGER (else less) when stdout is a terminal; --no-pager prints directly.")]
    Show(ShowArgs),
    /// Describe the index: size, counts, dates covered, folders, last run, top agencies
    #[command(after_help = "Examples:
  dossier status
  dossier status --top 10 --format json | jq .articles")]
    Status(StatusArgs),
    /// Show exactly what the indexer keeps of files: metadata, tags and text
    #[command(after_help = "Examples:
  dossier extract page.html
  dossier extract ~/scrapes/site --format json | jq -r 'select(.type == \"skipped\") | .path'")]
    Extract(ExtractArgs),
    /// Write every matching article whole, for other tools: JSON Lines or CSV, uncapped
    #[command(after_help = "Examples:
  dossier export > corpus.jsonl
  dossier export --agency MSS --since 2019 --format csv > mss.csv
  dossier export rendition | jq -r 'select(.group != null) | .url'
  dossier export --mapping opensearch > mapping.json   # then PUT it as the index body
  dossier export --format opensearch > bulk.ndjson      # then POST it to /_bulk")]
    Export(ExportArgs),
    /// Count matching articles by agency, country and date, drawn as bars
    #[command(after_help = "Examples:
  dossier facets                           # the whole index
  dossier facets cyber --since 2020 --top 5
  dossier facets --country CN --format json")]
    Facets(FacetsArgs),
    /// List the known intelligence agencies, or look a name up
    #[command(after_help = "Examples:
  dossier agencies
  dossier agencies \"foreign intelligence\"")]
    Agencies(LookupArgs),
    /// List the known countries, or look a name up
    #[command(after_help = "Examples:
  dossier countries
  dossier countries chinese")]
    Countries(LookupArgs),
    /// Named queries kept in a TOML file; run them from scripts, reporting only what is new
    #[command(after_help = "Examples:
  dossier saved add mss-europe 'recruit officials' --agency MSS --country FR
  dossier saved run --all --new --format json")]
    Saved(SavedArgs),
    /// Serve a web page and a JSON API for reading results, from this index, read-only
    #[command(after_help = "Examples:
  dossier serve                                   # http://127.0.0.1:8765/
  dossier serve --listen 127.0.0.1:9000
  dossier serve --listen 0.0.0.0:8765 --token-file ~/.config/dossier/token

Off the loopback interface a token is required; clients send 'Authorization: Bearer TOKEN'.")]
    Serve(ServeArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    #[command(after_help = "Examples:
  dossier completions bash > ~/.local/share/bash-completion/completions/dossier
  dossier completions zsh > ~/.zfunc/_dossier
  dossier completions fish > ~/.config/fish/completions/dossier.fish
  dossier completions powershell >> $PROFILE")]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), or write one page per command into a folder
    #[command(after_help = "Examples:
  dossier man | man -l -
  dossier man --dir ~/.local/share/man/man1")]
    Man(ManArgs),
}

/// `dossier index`.
#[derive(Args, Debug)]
pub struct IndexArgs {
    /// Folders or files to index
    #[arg(required_unless_present = "forget", value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Index everything again into a new index beside the old one, which searches use until
    /// the new one is complete
    #[arg(long)]
    pub rebuild: bool,
    /// Wait at most this long for another run writing the index [default: as long as it takes]
    #[arg(long, value_name = "SECONDS", conflicts_with = "no_wait")]
    pub wait: Option<f64>,
    /// Stop at once if another run is writing the index
    #[arg(long)]
    pub no_wait: bool,
    /// Let a folder that is empty now drop its indexed articles (else they are kept: it may be
    /// an unmounted disk)
    #[arg(long)]
    pub allow_empty: bool,
    /// Remove the articles indexed from this folder, whether or not it exists (repeatable)
    #[arg(long, value_name = "DIR")]
    pub forget: Vec<PathBuf>,
    /// Memory for indexing, in MB: the writer gets what the record of files leaves
    #[arg(long, value_name = "MB", default_value_t = dossier::index::DEFAULT_MEMORY_MB)]
    pub memory: usize,
    /// Seconds between commits: searches see the last commit, a killed run loses at most this
    #[arg(long, value_name = "SECS", default_value_t = dossier::index::DEFAULT_COMMIT_SECS)]
    pub commit_interval: f64,
    /// Skip files larger than this (e.g. 500K, 64MB, 2G; decimal units)
    #[arg(long, value_name = "SIZE", default_value = "64MB", value_parser = dossier::corpus::parse_size)]
    pub max_file_size: u64,
    /// Silent on success: no progress, no per-file messages and no human summary; errors and
    /// warnings still go to stderr (a `--format json` summary is still written)
    #[arg(long, short)]
    pub quiet: bool,
    /// List every skipped file with its reason on stderr (without it, only files that cannot
    /// be read and missing folders are listed; the others are counted in the summary)
    #[arg(long, short, conflicts_with = "quiet")]
    pub verbose: bool,
    /// Summary format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// `dossier show`.
#[derive(Args, Debug)]
pub struct ShowArgs {
    /// An article id or unique prefix (from search output), or a file's path
    #[arg(value_name = "ARTICLE_ID|PATH")]
    pub target: String,
    /// Highlight this query's words (the language of search)
    #[arg(long, short, value_name = "QUERY")]
    pub query: Option<String>,
    /// Print directly, never through $PAGER
    #[arg(long)]
    pub no_pager: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// `dossier status`.
#[derive(Args, Debug)]
pub struct StatusArgs {
    /// Agencies and countries to list
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub top: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// `dossier completions`.
#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `dossier serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address and port to listen on; port 0 picks a free one
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8765")]
    pub listen: std::net::SocketAddr,

    /// Secret every request must send as 'Authorization: Bearer TOKEN' (needed off loopback)
    #[arg(
        long,
        value_name = "TOKEN",
        env = "DOSSIER_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,

    /// Read the token from this file (its first line), kept out of the process list
    #[arg(long, value_name = "FILE", conflicts_with = "token")]
    pub token_file: Option<PathBuf>,

    /// The saved-queries file shown under /saved [default: $DOSSIER_QUERIES, else queries.toml in the index folder's parent]
    #[arg(long, value_name = "FILE", env = "DOSSIER_QUERIES")]
    pub queries: Option<PathBuf>,
}

/// `dossier man`.
#[derive(Args, Debug)]
pub struct ManArgs {
    /// Write dossier.1 and a page per subcommand (dossier-search.1, ...) into this folder
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
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
    /// Only articles in this language (ISO 639-1 code such as fr, ru, zh, or und; repeat for any
    /// of several); the query's words are then read in these languages only
    #[arg(long = "lang", value_name = "CODE")]
    pub lang: Vec<String>,
    /// Only articles published on or after this day (YYYY, YYYY-MM or YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only articles published on or before this day, inclusive (`--until 2020` keeps all 2020)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Which publication dates count: any, or only dates the page states (meta tags, JSON-LD,
    /// <time>, byline, front matter); with `sure`, a date guessed from the URL or text counts
    /// as no date
    #[arg(long, value_enum, value_name = "WHICH")]
    pub dates: Option<DatesArg>,
    /// Articles without a publication date: kept, dropped, or kept alone [default: include
    /// without --since/--until, exclude with them]
    #[arg(long, value_enum, value_name = "WHAT")]
    pub undated: Option<UndatedArg>,
    /// Only articles dossier first indexed on or after this day (YYYY, YYYY-MM or YYYY-MM-DD):
    /// for scraped pages that carry no date
    #[arg(long, value_name = "DATE")]
    pub seen_since: Option<String>,
}

/// `--dates`: which publication dates count in date filters.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatesArg {
    /// Every date, stated or guessed
    Any,
    /// Only dates the page states
    Sure,
}

/// `--undated`: what date filters do with articles without a date.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum UndatedArg {
    /// Keep them
    Include,
    /// Drop them
    Exclude,
    /// Only them
    Only,
}

impl FilterArgs {
    /// Whether no filter flag was given.
    pub fn is_empty(&self) -> bool {
        self.agency.is_empty()
            && self.country.is_empty()
            && self.lang.is_empty()
            && self.since.is_none()
            && self.until.is_none()
            && self.dates.is_none()
            && self.undated.is_none()
            && self.seen_since.is_none()
    }
}

/// `dossier search`.
#[derive(Args, Debug)]
pub struct SearchArgs {
    /// The query: words (all required), "exact phrases", OR, -excluded, title:, agency:, country:, site:.
    /// Without one, the filters alone select, newest first (`search --agency MSS --since 2019`)
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Passages to show at most [default: $DOSSIER_LIMIT, else `limit` in config.toml, else 10]
    #[arg(long, short = 'n', value_name = "N")]
    pub limit: Option<usize>,
    /// Passages per article at most [default: $DOSSIER_PER_ARTICLE, else config.toml, else 2]
    #[arg(long, value_name = "N")]
    pub per_article: Option<usize>,
    /// Copies of one story (reprints on other sites): the best-ranked one, listing the others,
    /// or every copy as a hit of its own
    #[arg(long, value_enum, default_value_t = Copies::One)]
    pub copies: Copies,
    /// Take words that name an agency or a country ("Mossad", "German foreign intelligence")
    /// as words only: by default an article tagged with it matches them too, and ranks higher
    #[arg(long)]
    pub no_tags_in_query: bool,
    /// Only articles holding every word of the query: by default, when they give fewer than
    /// --limit passages, passages of articles that lack a word follow, each saying which
    #[arg(long)]
    pub all_words: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = HitFormat::Human)]
    pub format: HitFormat,
}

/// What search shows of the copies of one story.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Copies {
    /// One hit a story: its best-ranked copy, naming the others
    One,
    /// Every copy
    All,
}

/// `dossier export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The query (same language as search); every article when absent
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Output format: JSON Lines (one article a line), CSV with a header row, or the bulk API
    /// lines of OpenSearch and Elasticsearch (an action line, then the article)
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    pub format: ExportFormat,
    /// Print the index body (mapping) the bulk lines fit, instead of exporting
    #[arg(long, value_enum, value_name = "ENGINE")]
    pub mapping: Option<Engine>,
}

/// A search engine `export` writes for.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// OpenSearch (and Elasticsearch)
    Opensearch,
}

/// Output formats of `dossier export`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// JSON Lines
    Json,
    /// CSV (RFC 4180), with a header row
    Csv,
    /// OpenSearch / Elasticsearch bulk API lines
    Opensearch,
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
    #[command(after_help = "Examples:
  dossier saved add mss-europe 'recruit officials -brexit' --agency MSS --country FR
  dossier saved add gru-nl 'GRU hackers' --country NL --since 2018 --description 'GRU in NL'")]
    Add(SavedAddArgs),
    /// List the saved queries
    #[command(after_help = "Examples:
  dossier saved list
  dossier saved list --format json | jq -r .name")]
    List(SavedListArgs),
    /// Print a saved query as TOML, in the canonical form `add` writes
    #[command(after_help = "Examples:
  dossier saved show mss-europe")]
    Show(SavedShowArgs),
    /// Remove a saved query and its --new watermark
    #[command(after_help = "Examples:
  dossier saved rm mss-europe")]
    Rm(SavedRmArgs),
    /// Run saved queries; with --new, only passages indexed since the query's last --new run
    #[command(after_help = "Examples:
  dossier saved run mss-europe
  dossier saved run --all --new --format json >> new-hits.jsonl
  dossier saved run --all --format csv > standing-queries.csv")]
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
    /// Passages per query at most [default: as for search, or all with --new]
    #[arg(long, short = 'n', value_name = "N")]
    pub limit: Option<usize>,
    /// Passages per article at most [default: as for search, or all with --new]
    #[arg(long, value_name = "N")]
    pub per_article: Option<usize>,
    /// Output format
    #[arg(long, value_enum, default_value_t = HitFormat::Human)]
    pub format: HitFormat,
}

/// Output formats.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Aligned text for people
    Human,
    /// JSON Lines for programs
    Json,
}

/// Output formats of commands that print search hits.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum HitFormat {
    /// Aligned text for people
    Human,
    /// JSON Lines for programs
    Json,
    /// CSV with a header row, for spreadsheets
    Csv,
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

impl From<ColorWhen> for dossier::config::ColorChoice {
    fn from(c: ColorWhen) -> Self {
        match c {
            ColorWhen::Auto => dossier::config::ColorChoice::Auto,
            ColorWhen::Always => dossier::config::ColorChoice::Always,
            ColorWhen::Never => dossier::config::ColorChoice::Never,
        }
    }
}

/// Marks excluded query words (`-brexit`) so clap takes them as values, not unknown flags:
/// `dossier search spy -brexit` must work unquoted. Short flags are one letter (`-n 5`, `-n5`,
/// `-q`), so a dash followed by two or more letters, a quote or a parenthesis is a query word.
pub fn protect_exclusions(
    args: impl Iterator<Item = std::ffi::OsString>,
) -> Vec<std::ffi::OsString> {
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
pub fn unprotect(words: &[String]) -> String {
    words.join(" ").replace(EXCLUDE_MARK, "-")
}
