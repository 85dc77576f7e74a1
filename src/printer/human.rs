//! Output for people: one block per passage with its rank, title, date, tags and source, then
//! the passage wrapped and indented, matched words in colour (or `*between stars*` without).

use std::io;

use termcolor::{Color, ColorSpec, WriteColor};

use super::sanitize::{one_line, sanitize};
use crate::search::{Hit, Results};

/// Writes aligned text to a colour-capable writer (`termcolor::Ansi` or `NoColor`).
pub struct HumanPrinter<W: WriteColor> {
    out: W,
    color: bool,
    width: usize,
    cwd: Option<std::path::PathBuf>,
}

impl<W: WriteColor> HumanPrinter<W> {
    /// A printer writing to `out`, wrapping passages at `width` columns. Colour is on when the
    /// writer supports it.
    pub fn new(out: W, width: usize) -> Self {
        HumanPrinter {
            color: out.supports_color(),
            out,
            width: width.max(40),
            cwd: std::env::current_dir().ok(),
        }
    }

    /// Every hit, then a one-line count.
    pub fn results(&mut self, results: &Results, name: Option<&str>) -> io::Result<()> {
        if let Some(name) = name {
            self.out.set_color(ColorSpec::new().set_bold(true))?;
            writeln!(self.out, "== {name}")?;
            self.out.reset()?;
        }
        for hit in &results.hits {
            self.hit(hit)?;
        }
        self.out.set_color(ColorSpec::new().set_dimmed(true))?;
        writeln!(
            self.out,
            "{} of {} matching passages ({:.1} ms)",
            results.hits.len(),
            results.total_matches,
            results.took.as_secs_f64() * 1000.0
        )?;
        self.out.reset()
    }

    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        let rank = format!("{:>2}. ", hit.rank);
        let indent = " ".repeat(rank.len());
        write!(self.out, "{rank}")?;
        self.out.set_color(ColorSpec::new().set_bold(true))?;
        let title = if hit.title.is_empty() {
            "(untitled)"
        } else {
            &hit.title
        };
        writeln!(self.out, "{}", one_line(title))?;
        self.out.reset()?;

        let mut meta = Vec::new();
        meta.push(match hit.published {
            Some(d) => d.to_string(),
            None => "undated".to_string(),
        });
        if !hit.agencies.is_empty() {
            meta.push(hit.agencies.join(" "));
        }
        if !hit.countries.is_empty() {
            meta.push(hit.countries.join(" "));
        }
        self.out
            .set_color(ColorSpec::new().set_fg(Some(Color::Cyan)))?;
        writeln!(self.out, "{indent}{}", meta.join(" | "))?;
        self.out.reset()?;
        self.out
            .set_color(ColorSpec::new().set_fg(Some(Color::Green)))?;
        let source = hit.url.clone().unwrap_or_else(|| self.show_path(&hit.path));
        writeln!(
            self.out,
            "{indent}{} (passage {})",
            one_line(&source),
            hit.passage + 1
        )?;
        self.out.reset()?;
        self.passage(hit, &indent)?;
        writeln!(self.out)
    }

    fn show_path(&self, path: &str) -> String {
        let p = std::path::Path::new(path);
        match &self.cwd {
            Some(cwd) => p.strip_prefix(cwd).unwrap_or(p).display().to_string(),
            None => path.to_string(),
        }
    }

    /// Wraps the passage at the printer's width, keeping paragraph breaks and highlights.
    fn passage(&mut self, hit: &Hit, indent: &str) -> io::Result<()> {
        let width = self.width.saturating_sub(indent.len()).max(20);
        for (para_start, para) in paragraphs(&hit.text) {
            let mut col = 0;
            write!(self.out, "{indent}")?;
            for (start, word) in words(para) {
                let abs = para_start + start;
                let len = word.chars().count();
                if col > 0 && col + 1 + len > width {
                    write!(self.out, "\n{indent}")?;
                    col = 0;
                } else if col > 0 {
                    write!(self.out, " ")?;
                    col += 1;
                }
                self.word(word, abs, &hit.highlights)?;
                col += len;
            }
            writeln!(self.out)?;
        }
        Ok(())
    }

    /// Writes one word, colouring the parts that fall in a highlight range.
    fn word(&mut self, word: &str, at: usize, highlights: &[(usize, usize)]) -> io::Result<()> {
        let end = at + word.len();
        let mut pos = at;
        for &(hs, he) in highlights.iter().filter(|(s, e)| *e > at && *s < end) {
            let hs = hs.max(at);
            let he = he.min(end);
            if hs > pos {
                write!(self.out, "{}", sanitize(&word[pos - at..hs - at]))?;
            }
            let matched = sanitize(&word[hs - at..he - at]);
            if self.color {
                self.out
                    .set_color(ColorSpec::new().set_fg(Some(Color::Red)).set_bold(true))?;
                write!(self.out, "{matched}")?;
                self.out.reset()?;
            } else {
                write!(self.out, "*{matched}*")?;
            }
            pos = he;
        }
        if pos < end {
            write!(self.out, "{}", sanitize(&word[pos - at..]))?;
        }
        Ok(())
    }

    /// Flushes the writer.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Paragraphs of a passage (split on blank lines) with their byte offsets.
fn paragraphs(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for part in text.split("\n\n") {
        if !part.trim().is_empty() {
            out.push((start, part));
        }
        start += part.len() + 2;
    }
    out
}

/// Whitespace-separated words with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace()
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn results() -> Results {
        let text = "The Directorate recruited two officers in Paris.".to_string();
        Results {
            hits: vec![Hit {
                rank: 1,
                score: 3.5,
                article_id: "ab".into(),
                passage: 0,
                path: "/x/a.html".into(),
                paths: vec!["/x/a.html".into()],
                url: None,
                site: None,
                title: "Spy \x1b[2J scandal".into(),
                published: None,
                agencies: vec!["DGSE".into()],
                countries: vec!["FR".into()],
                highlights: vec![(16, 25), (30, 38)],
                text,
                seq: 1,
            }],
            total_matches: 1,
            took: Duration::from_millis(2),
            seq: 1,
        }
    }

    #[test]
    fn plain_output_marks_matches_and_sanitizes() {
        let mut buf = Vec::new();
        {
            let mut p = HumanPrinter::new(termcolor::NoColor::new(&mut buf), 80);
            p.results(&results(), None).unwrap();
        }
        let s = String::from_utf8(buf).unwrap();
        assert!(s.contains(" 1. Spy \u{FFFD}[2J scandal\n"), "{s}");
        assert!(s.contains("undated | DGSE | FR"), "{s}");
        assert!(
            s.contains("The Directorate *recruited* two *officers* in Paris."),
            "{s}"
        );
    }

    #[test]
    fn colour_output_uses_ansi() {
        let mut buf = Vec::new();
        {
            let mut p = HumanPrinter::new(termcolor::Ansi::new(&mut buf), 80);
            p.results(&results(), None).unwrap();
        }
        let s = String::from_utf8(buf).unwrap();
        assert!(
            s.contains("\x1b[0m\x1b[1m\x1b[31mrecruited\x1b[0m")
                || s.contains("\x1b[1m\x1b[31mrecruited"),
            "{s:?}"
        );
        assert!(!s.contains('*'));
    }
}
