//! Languages: which language an article is written in ([`detect`]).

pub mod detect;
