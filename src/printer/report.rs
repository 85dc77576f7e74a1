//! Human output of the commands that print no hits: `facets`, `status`, `saved list`, the
//! lookup tables of `agencies` and `countries`, and `extract`'s skipped files. Their JSON goes
//! through [`super::json::write_line`] like every other line.

use std::io::{self, Write};

use termcolor::NoColor;

use super::human::HumanPrinter;
use crate::facets::{Count, Facets};
use crate::saved::SavedQuery;
use crate::schema::TAGGING_VERSION;
use crate::show::ArticleView;
use crate::status::Status;
use crate::tag::{Agency, Country};

/// The counts of `dossier facets`, `top` bars a block (dates and former states all).
pub fn facets(out: &mut impl Write, facets: &Facets, top: usize) -> io::Result<()> {
    let first = |c: &'_ [Count]| c.len().min(top);
    writeln!(out, "{} articles", facets.articles)?;
    bars(out, "agencies", &facets.agencies[..first(&facets.agencies)])?;
    bars(
        out,
        "countries",
        &facets.countries[..first(&facets.countries)],
    )?;
    if !facets.former_countries.is_empty() {
        bars(out, "former states", &facets.former_countries)?;
    }
    bars(
        out,
        "languages",
        &facets.languages[..first(&facets.languages)],
    )?;
    let title = format!("by {} ({} undated)", facets.granularity, facets.undated);
    bars(out, &title, &facets.dates)
}

/// A titled block of horizontal bars scaled to the largest count.
fn bars(out: &mut impl Write, title: &str, counts: &[Count]) -> io::Result<()> {
    writeln!(out, "\n{title}")?;
    let max = counts.iter().map(|c| c.count).max().unwrap_or(1).max(1);
    let key_width = counts.iter().map(|c| c.key.len()).max().unwrap_or(0);
    for c in counts {
        let len = (c.count * 40).div_ceil(max);
        writeln!(
            out,
            "  {:<key_width$} {} {}",
            c.key,
            "█".repeat(len),
            c.count
        )?;
    }
    Ok(())
}

/// What `dossier status` says of an index, one fact a line.
pub fn status(out: &mut impl Write, st: &Status) -> io::Result<()> {
    let counts = |c: &[Count]| {
        let v: Vec<String> = c.iter().map(|c| format!("{} {}", c.key, c.count)).collect();
        if v.is_empty() {
            "-".to_string()
        } else {
            v.join(", ")
        }
    };
    let folders: Vec<String> = st.folders.iter().map(|f| f.display().to_string()).collect();
    let dates = match (st.earliest, st.latest) {
        (Some(a), Some(b)) => format!(
            "{a} to {b} ({} undated, {} guessed)",
            st.undated, st.guessed
        ),
        _ => format!("none ({} undated)", st.undated),
    };
    let last = match (&st.last_indexed, &st.last_run) {
        (Some(t), Some(r)) => format!(
            "{t} ({} new, {} changed, {} unchanged, {} removed, {} skipped)",
            r.new, r.changed, r.unchanged, r.removed, r.skipped
        ),
        (Some(t), None) => t.clone(),
        _ => "-".to_string(),
    };
    writeln!(out, "index:         {}", st.index.display())?;
    writeln!(out, "schema:        version {}", st.schema_version)?;
    if st.tagging_version < TAGGING_VERSION {
        writeln!(
            out,
            "tagging:       version {}, older than this dossier's {}: `index --rebuild` \
             updates the tags",
            st.tagging_version, TAGGING_VERSION
        )?;
    }
    writeln!(out, "articles:      {}", st.articles)?;
    writeln!(out, "passages:      {}", st.passages)?;
    if st.groups == 0 {
        writeln!(
            out,
            "copies:        none (no article retells another's story)"
        )?;
    } else {
        writeln!(
            out,
            "copies:        {} stories told more than once, {} copies in all",
            st.groups, st.copies
        )?;
    }
    writeln!(out, "size on disk:  {:.1} MB", st.size_bytes as f64 / 1e6)?;
    writeln!(out, "last indexed:  {last}")?;
    if let Some(r) = &st.running {
        writeln!(out, "running now:   dossier index ({r})")?;
    }
    if let Some(f) = &st.failed_run {
        let kind = if f.rebuild { "rebuild" } else { "run" };
        let when = f.stopped.as_deref().unwrap_or(&f.started);
        writeln!(out, "failed:        {kind} of {when}: {}", f.error)?;
    }
    writeln!(
        out,
        "folders:       {}",
        if folders.is_empty() {
            "-".into()
        } else {
            folders.join(", ")
        }
    )?;
    writeln!(out, "dates covered: {dates}")?;
    writeln!(out, "top agencies:  {}", counts(&st.agencies))?;
    writeln!(out, "top countries: {}", counts(&st.countries))?;
    writeln!(out, "languages:     {}", counts(&st.languages))
}

/// One saved query of `dossier saved list`: its name padded to `width`, its command line, and
/// its description on a line of its own.
pub fn saved_query(out: &mut impl Write, q: &SavedQuery, width: usize) -> io::Result<()> {
    writeln!(out, "{:<width$}  {}", q.name, q.command_line())?;
    if let Some(d) = &q.description {
        writeln!(out, "{:<width$}  # {d}", "")?;
    }
    Ok(())
}

/// A saved query of `dossier saved show`, as its entry in the queries file reads.
pub fn saved_toml(out: &mut impl Write, q: &SavedQuery) -> io::Result<()> {
    write!(out, "{}", q.to_toml())
}

/// One line of `dossier agencies`.
pub fn agency(out: &mut impl Write, a: &Agency) -> io::Result<()> {
    writeln!(out, "{:<10} {:<3} {}", a.id, a.country, a.names.join("; "))
}

/// One line of `dossier countries`; a former state says when it ended.
pub fn country(out: &mut impl Write, c: &Country) -> io::Result<()> {
    let name = match c.former {
        Some(f) => format!("{} (until {})", c.name, f.ended),
        None => c.name.to_string(),
    };
    writeln!(out, "{:<3} {:<24} {}", c.code, name, c.aliases.join("; "))
}

/// An article `dossier extract` read, whole and without colour, then a blank line.
pub fn extracted(out: &mut impl Write, view: &ArticleView) -> io::Result<()> {
    HumanPrinter::new(NoColor::new(&mut *out), usize::MAX).article(view)?;
    writeln!(out)
}

/// A file `dossier extract` did not extract, `shown` being its path as printed.
pub fn skipped(
    out: &mut impl Write,
    shown: &str,
    reason: &dyn std::fmt::Display,
) -> io::Result<()> {
    writeln!(out, "{shown}: skipped: {reason}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(key: &str, count: usize) -> Count {
        Count {
            key: key.into(),
            count,
        }
    }

    #[test]
    fn bars_scale_to_the_largest_count() {
        let mut out = Vec::new();
        bars(&mut out, "agencies", &[count("MSS", 4), count("BND", 1)]).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[..2], ["", "agencies"]);
        assert_eq!(lines[2], format!("  MSS {} 4", "█".repeat(40)));
        assert_eq!(lines[3], format!("  BND {} 1", "█".repeat(10)));
    }
}
