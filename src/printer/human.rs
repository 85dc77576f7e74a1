//! Output for people: one block per passage with its rank, title, date, tags and source, then
//! the passage wrapped and indented, matched words in colour (or `*between stars*` without).
//! `show` prints a whole article the same way. Counts and timings are not results: the caller
//! prints [`summary_line`] to stderr.

use std::io;

use termcolor::{Color, ColorSpec, WriteColor};

use super::sanitize::{one_line, sanitize};
use crate::search::{Hit, Results};
use crate::show::ArticleView;

/// The one-line count of a search, for stderr.
pub fn summary_line(results: &Results, name: Option<&str>) -> String {
    let label = name.map(|n| format!("{n}: ")).unwrap_or_default();
    let partial = results
        .hits
        .iter()
        .filter(|h| !h.missing.is_empty())
        .count();
    let lacking = if partial > 0 {
        format!(", then {partial} from articles lacking a word")
    } else {
        String::new()
    };
    format!(
        "{label}{} of {} matching passages{lacking} ({:.1} ms)",
        results.hits.len() - partial,
        results.total_matches,
        results.took.as_secs_f64() * 1000.0
    )
}

/// Notes on how a search read its words, for stderr: the respellings it searched beside words
/// the index barely knows, and, when nothing matched, the words it could have meant.
pub fn search_notes(results: &Results, name: Option<&str>) -> Vec<String> {
    let label = name.map(|n| format!("{n}: ")).unwrap_or_default();
    let mut out = Vec::new();
    for (word, also) in &results.respelled {
        out.push(format!(
            "dossier: {label}searched also: {} (for '{}'; quote the word to search it alone)",
            also.join(", "),
            one_line(word)
        ));
    }
    for (word, near) in &results.suggestions {
        out.push(format!(
            "dossier: {label}no article holds '{}'; did you mean: {}?",
            one_line(word),
            near.join(", ")
        ));
    }
    out
}

/// Writes aligned text to a colour-capable writer (`termcolor::Ansi` or `NoColor`).
pub struct HumanPrinter<W: WriteColor> {
    out: W,
    color: bool,
    width: usize,
    cwd: Option<std::path::PathBuf>,
    /// Named result sets printed so far (a blank line separates them).
    named: usize,
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
            named: 0,
        }
    }

    /// Every hit, under the saved query's name when it has one.
    pub fn results(&mut self, results: &Results, name: Option<&str>) -> io::Result<()> {
        if let Some(name) = name {
            if self.named > 0 {
                writeln!(self.out)?;
            }
            self.named += 1;
            self.out.set_color(ColorSpec::new().set_bold(true))?;
            writeln!(self.out, "== {name}")?;
            self.out.reset()?;
        }
        for hit in &results.hits {
            self.hit(hit)?;
        }
        Ok(())
    }

    /// A whole article: title, metadata, tags, source, then every paragraph.
    pub fn article(&mut self, a: &ArticleView) -> io::Result<()> {
        self.out.set_color(ColorSpec::new().set_bold(true))?;
        writeln!(
            self.out,
            "{}",
            sanitize(a.title.as_deref().unwrap_or("(untitled)"))
        )?;
        self.out.reset()?;
        let mut meta = vec![match (a.published, a.published_source) {
            (Some(d), Some(src)) => format!("{} (from {src})", shown_date(d, a.published_sure)),
            (Some(d), None) => shown_date(d, a.published_sure),
            (None, _) => "undated".to_string(),
        }];
        push_tags(&mut meta, &a.agencies, &a.countries, &a.former_countries);
        self.out
            .set_color(ColorSpec::new().set_fg(Some(Color::Cyan)))?;
        writeln!(self.out, "{}", meta.join(" | "))?;
        if !a.matched.is_empty() {
            writeln!(self.out, "{}", sanitize(&matched_line(&a.matched)))?;
        }
        self.out.reset()?;
        self.out
            .set_color(ColorSpec::new().set_fg(Some(Color::Green)))?;
        if let Some(url) = &a.url {
            writeln!(self.out, "{}", sanitize(url))?;
        }
        writeln!(self.out, "{}", sanitize(&self.show_path(&a.path)))?;
        self.out.reset()?;
        let mut facts = vec![format!("id {}", a.article_id)];
        if let Some(site) = &a.site {
            facts.push(format!("site {}", sanitize(site)));
        }
        if let Some(lang) = &a.language {
            facts.push(format!("language {}", sanitize(lang)));
        }
        if let Some(enc) = a.encoding {
            facts.push(format!("encoding {enc}"));
        }
        facts.push(format!(
            "{} paragraphs, {} passages{}",
            a.paragraphs.len(),
            a.passages,
            if a.indexed {
                ", from the index"
            } else {
                ", read from the file"
            }
        ));
        self.out.set_color(ColorSpec::new().set_dimmed(true))?;
        writeln!(self.out, "{}", facts.join(" · "))?;
        if !a.copies.is_empty() {
            let told = if a.copies.len() == 1 {
                "other article tells"
            } else {
                "other articles tell"
            };
            writeln!(
                self.out,
                "{} {told} the same story (group {}):",
                a.copies.len(),
                a.group.as_deref().unwrap_or("")
            )?;
            for c in &a.copies {
                let date = c.published.map(|d| d.to_string());
                writeln!(
                    self.out,
                    "  {} {} · {} · {}",
                    c.id.get(..8).unwrap_or(&c.id),
                    date.as_deref().unwrap_or("undated"),
                    one_line(&c.source()),
                    one_line(&c.title)
                )?;
            }
        }
        self.out.reset()?;
        self.wrapped(&a.text, &a.highlights, "", true)
    }

    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        let rank = format!("{:>2}. ", hit.rank);
        let indent = " ".repeat(rank.len());
        write!(self.out, "{rank}")?;
        self.title(hit)?;

        let mut meta = Vec::new();
        meta.push(match hit.published {
            Some(d) => shown_date(d, hit.published_sure),
            None => "undated".to_string(),
        });
        meta.push(hit.language.clone());
        push_tags(
            &mut meta,
            &hit.agencies,
            &hit.countries,
            &hit.former_countries,
        );
        self.out
            .set_color(ColorSpec::new().set_fg(Some(Color::Cyan)))?;
        writeln!(self.out, "{indent}{}", meta.join(" | "))?;
        self.out.reset()?;
        self.out
            .set_color(ColorSpec::new().set_fg(Some(Color::Green)))?;
        let source = hit.url.clone().unwrap_or_else(|| self.show_path(&hit.path));
        // The first 8 hex digits of the id are what `dossier show` needs in practice (it takes
        // any unique prefix and names the articles a shared one would fit).
        writeln!(
            self.out,
            "{indent}{} (passage {}, id {})",
            one_line(&source),
            hit.passage + 1,
            hit.article_id.get(..8).unwrap_or(&hit.article_id)
        )?;
        self.out.reset()?;
        if !hit.missing.is_empty() {
            self.out
                .set_color(ColorSpec::new().set_fg(Some(Color::Yellow)))?;
            let missing = hit.missing.join(", ");
            writeln!(self.out, "{indent}missing: {}", one_line(&missing))?;
            self.out.reset()?;
        }
        if !hit.copies.is_empty() {
            self.out.set_color(ColorSpec::new().set_dimmed(true))?;
            writeln!(self.out, "{indent}{}", one_line(&copies_line(&hit.copies)))?;
            self.out.reset()?;
        }
        self.wrapped(&hit.text, &hit.highlights, &indent, false)?;
        writeln!(self.out)
    }

    /// A hit's title in bold, the words the query matched in it coloured like the passage's.
    fn title(&mut self, hit: &Hit) -> io::Result<()> {
        let bold = ColorSpec::new().set_bold(true).clone();
        self.out.set_color(&bold)?;
        if hit.title.is_empty() {
            write!(self.out, "(untitled)")?;
        } else {
            let t = &hit.title;
            let mut pos = 0;
            for &(s, e) in &hit.title_highlights {
                let fits = s >= pos && s < e && e <= t.len();
                if !fits || !t.is_char_boundary(s) || !t.is_char_boundary(e) {
                    continue;
                }
                write!(self.out, "{}", one_line(&t[pos..s]))?;
                if self.color {
                    self.out
                        .set_color(ColorSpec::new().set_fg(Some(Color::Red)).set_bold(true))?;
                }
                write!(self.out, "{}", one_line(&t[s..e]))?;
                self.out.set_color(&bold)?;
                pos = e;
            }
            write!(self.out, "{}", one_line(&t[pos..]))?;
        }
        self.out.reset()?;
        writeln!(self.out)
    }

    fn show_path(&self, path: &str) -> String {
        let p = std::path::Path::new(path);
        match &self.cwd {
            Some(cwd) => p.strip_prefix(cwd).unwrap_or(p).display().to_string(),
            None => path.to_string(),
        }
    }

    /// Wraps text at the printer's width, keeping paragraph breaks (a blank line before each
    /// paragraph when `spaced`) and highlights (byte ranges into `text`).
    fn wrapped(
        &mut self,
        text: &str,
        highlights: &[(usize, usize)],
        indent: &str,
        spaced: bool,
    ) -> io::Result<()> {
        let width = self.width.saturating_sub(indent.len()).max(20);
        for (para_start, para) in paragraphs(text) {
            if spaced {
                writeln!(self.out)?;
            }
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
                self.word(word, abs, highlights)?;
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

/// Why the article has its tags: "matched: FR French, Paris; RU России".
fn matched_line(matched: &crate::tag::Matched) -> String {
    let parts: Vec<String> = matched
        .iter()
        .map(|(id, forms)| format!("{id} {}", forms.join(", ")))
        .collect();
    format!("matched: {}", parts.join("; "))
}

/// The tag parts of a metadata line: agencies, countries, then former states ("former SU"),
/// each only when there are any.
fn push_tags(meta: &mut Vec<String>, agencies: &[String], countries: &[String], former: &[String]) {
    for tags in [agencies, countries] {
        if !tags.is_empty() {
            meta.push(tags.join(" "));
        }
    }
    if !former.is_empty() {
        meta.push(format!("former {}", former.join(" ")));
    }
}

/// A publication day, marked `~2019-03-04` when it is a guess from the URL or the text rather
/// than a date the page states.
fn shown_date(d: time::Date, sure: bool) -> String {
    if sure {
        d.to_string()
    } else {
        format!("~{d}")
    }
}

/// `+3 copies: example.com, wire.net, …`: where else a hit's story was published, at most
/// three sources named.
fn copies_line(copies: &[crate::search::CopyRef]) -> String {
    let mut sources: Vec<String> = Vec::new();
    for c in copies {
        let s = c.source();
        if !sources.contains(&s) {
            sources.push(s);
        }
    }
    let more = sources.len() > 3;
    sources.truncate(3);
    let noun = if copies.len() == 1 { "copy" } else { "copies" };
    format!(
        "+{} {noun}: {}{}",
        copies.len(),
        sources.join(", "),
        if more { ", …" } else { "" }
    )
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
                title_raw: None,
                published: None,
                published_source: None,
                published_sure: false,
                first_seen: None,
                agencies: vec!["DGSE".into()],
                countries: vec!["FR".into()],
                former_countries: vec![],
                language: "en".into(),
                matched: Default::default(),
                highlights: vec![(16, 25), (30, 38)],
                title_highlights: vec![],
                text,
                seq: 1,
                group: None,
                copies: Vec::new(),
                matched_tags: Vec::new(),
                missing: Vec::new(),
            }],
            total_matches: 1,
            took: Duration::from_millis(2),
            seq: 1,
            respelled: vec![],
            suggestions: vec![],
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
        assert!(s.contains("undated | en | DGSE | FR"), "{s}");
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
