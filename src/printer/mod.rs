//! Output: hits and articles for people ([`human`]), for programs ([`json`], JSON Lines) and
//! for spreadsheets ([`csv`], search hits only).
//!
//! The search hands over data ([`Hit`](crate::search::Hit)s with highlight offsets); each
//! printer decides how it looks. Printers write to any `Write`, so tests print into a `Vec<u8>`.

pub mod csv;
pub mod human;
pub mod json;
pub mod report;
pub mod sanitize;

use std::io::{self, BufWriter, IsTerminal, StdoutLock};

use termcolor::WriteColor;

use crate::search::Results;

/// Standard output, buffered: where every command's results go. Output reaches stdout through
/// this module only; progress and warnings go to stderr.
pub fn stdout() -> BufWriter<StdoutLock<'static>> {
    BufWriter::new(io::stdout().lock())
}

/// Whether stdout is a terminal (colour, pager).
pub fn stdout_is_terminal() -> bool {
    io::stdout().is_terminal()
}

/// How output should look, picked once by the binary.
pub enum Printer<W: WriteColor> {
    /// Aligned text, optionally coloured.
    Human(human::HumanPrinter<W>),
    /// JSON Lines.
    Json(json::JsonPrinter<W>),
    /// CSV with a header row.
    Csv(Box<csv::CsvPrinter<W>>),
}

impl<W: WriteColor> Printer<W> {
    /// Prints all hits of one result set (and, in JSON, its summary line). `name` labels the
    /// lines of a saved query.
    pub fn results(&mut self, results: &Results, name: Option<&str>) -> io::Result<()> {
        match self {
            Printer::Human(p) => p.results(results, name),
            Printer::Json(p) => p.results(results, name),
            Printer::Csv(p) => p.results(results, name),
        }
    }

    /// Flushes what is buffered.
    pub fn flush(&mut self) -> io::Result<()> {
        match self {
            Printer::Human(p) => p.flush(),
            Printer::Json(p) => p.flush(),
            Printer::Csv(p) => p.flush(),
        }
    }
}
