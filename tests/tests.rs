//! Integration tests: each runs the built `dossier` binary in a temporary directory.

mod util;

mod cli;
mod corpus;
mod seed;
