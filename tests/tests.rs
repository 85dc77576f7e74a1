//! Integration tests: most run the built `dossier` binary in a temporary directory; `quality`
//! scores extraction against the real evaluation sets in `../shared/`.

mod util;

mod cli;
mod cli_native;
mod copies;
mod corpus;
mod dates;
mod export;
mod hostile;
mod incremental;
mod language;
mod languages;
mod quality;
mod relevance;
mod results;
mod safety;
mod saved;
mod seed;
mod serve;
mod serve_browser;
mod tags;
mod titles;
