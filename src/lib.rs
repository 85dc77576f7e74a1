//! dossier: full-text search for intelligence reporting.
//!
//! The pipeline, one module a stage: [`corpus`] walks folders, [`extract`] keeps the article and
//! drops the page, [`tag`] names agencies and countries under canonical IDs, [`passage`] splits
//! the text, [`index`] writes Tantivy, [`search`] ranks passages for a [`query::Query`], and
//! [`printer`] shows them to people or programs. [`article`] ties the first stages together.
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
pub mod corpus;
pub mod error;
pub mod extract;
pub mod facets;
pub mod index;
pub mod passage;
pub mod printer;
pub mod query;
pub mod schema;
pub mod search;
pub mod tag;

pub use error::{Error, Result};
