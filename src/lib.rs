//! dossier: full-text search for intelligence reporting.
//!
//! The pipeline, one module a stage: [`corpus`] walks folders, [`extract`] keeps the article and
//! drops the page, [`tag`] names agencies and countries under canonical IDs, [`passage`] splits
//! the text, [`index`] writes Tantivy, [`search`] ranks passages for a [`query::Query`], and
//! [`printer`] shows them to people or programs. [`article`] ties the first stages together.
//! [`saved`] keeps named queries in a TOML file and remembers what `--new` runs have reported.
//! [`show`] reads one article back whole, [`status`] describes an index, and [`config`] reads
//! the user's defaults. [`serve`] answers the same searches as a web page and a JSON API.
//!
//! ```
//! use dossier::query::Query;
//!
//! // Aliases resolve to canonical IDs, and a query prints back in canonical form.
//! let q = Query::parse("recruit agency:\"Ministry of State Security\" -brexit").unwrap();
//! assert_eq!(q.expr.to_string(), "recruit agency:MSS -brexit");
//! ```

#![deny(missing_docs)]

pub mod article;
pub mod config;
pub mod copies;
pub mod corpus;
pub mod error;
pub mod export;
pub mod extract;
pub mod facets;
pub mod highlight;
pub mod id;
pub mod index;
pub mod lang;
pub mod passage;
pub mod printer;
pub mod query;
pub mod saved;
pub mod schema;
pub mod search;
pub mod serve;
pub mod show;
pub mod skip;
pub mod status;
pub mod tag;
pub mod terms;

pub use error::{Error, Result};
