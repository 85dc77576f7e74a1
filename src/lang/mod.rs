//! Languages: which language an article is written in, and how text of each language is cut
//! into the words it is indexed, searched, highlighted and tagged by ([`analysis`]).

pub mod analysis;

pub use analysis::{analyzer, Analyzer, UNDETERMINED};
