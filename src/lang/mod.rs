//! Languages: which language an article is written in ([`detect`]), and how text of each
//! language is cut into the words it is indexed, searched, highlighted and tagged by
//! ([`analysis`]).

pub mod analysis;
pub mod detect;
mod spelling;

pub use analysis::{analyzer, Analyzer, UNDETERMINED};
