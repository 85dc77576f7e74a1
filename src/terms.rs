//! The words an index holds: what `spy*` or `Snowdon~` stands for, the respelling of a word
//! the index does not know, and the closest words to suggest when a search finds nothing.
//!
//! Terms are read from the term dictionaries of every segment, by range for a prefix and by a
//! Levenshtein automaton (the one Tantivy's fuzzy term query matches with) for edits, with the
//! number of documents holding each, summed over segments.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::{Field, Term};
use tantivy::Searcher;

use crate::error::Result;

/// The most index terms one `word*` may stand for.
pub const MAX_EXPANSIONS: usize = 1000;

/// How many articles hold a word for it to count as rare: a rare word is searched with its
/// respellings when one of them is far more common.
pub const FEW: u64 = 3;

/// How many times more articles a respelling of a rare word must be in.
const MORE: u64 = 10;

/// The most respellings searched beside one word.
const MAX_RESPELLINGS: usize = 3;

/// The terms of `field` that begin with `prefix`, in order; stops a little past
/// [`MAX_EXPANSIONS`] (the caller refuses that many).
pub fn with_prefix(searcher: &Searcher, field: Field, prefix: &str) -> Result<Vec<String>> {
    let mut out = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .into_stream()
            .map_err(tantivy::TantivyError::from)?;
        while stream.advance() {
            let key = stream.key();
            if !key.starts_with(prefix.as_bytes()) {
                break;
            }
            if let Ok(t) = std::str::from_utf8(key) {
                out.insert(t.to_string());
            }
            if out.len() > MAX_EXPANSIONS {
                break;
            }
        }
    }
    Ok(out.into_iter().collect())
}

/// The terms of `field` within `edits` edits of `term` (a transposition is one edit), other than
/// `term` itself, each with the number of documents holding it, most common first.
pub fn within(
    searcher: &Searcher,
    field: Field,
    term: &str,
    edits: u8,
) -> Result<Vec<(String, u64)>> {
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let query = FuzzyTermQuery::new(Term::from_field_text(field, term), edits, true);
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted
            .terms()
            .search(query.automaton()?)
            .into_stream()
            .map_err(tantivy::TantivyError::from)?;
        while stream.advance() {
            let Ok(t) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if t != term {
                *counts.entry(t.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    let mut out: Vec<(String, u64)> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(out)
}

/// The edits allowed when respelling a word of `chars` characters: none under five (too many
/// short words are one letter apart), one up to seven, two from eight.
pub fn edits_for(chars: usize) -> u8 {
    match chars {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    }
}

/// The edits a `word~N` may make in a term of `chars` characters: none under three, one
/// under five, else as asked (at most two).
pub fn edits_asked(chars: usize, asked: u8) -> u8 {
    match chars {
        0..=2 => 0,
        3..=4 => asked.min(1),
        _ => asked.min(2),
    }
}

/// The forms of `word` that `word~` respells, in the language of `analyzer`: the word folded
/// as written, and its stem when the stemmer left at least four letters (a stem cut to `mos`
/// by a foreign stemmer would be one edit from too many words).
pub fn fuzzy_forms(analyzer: crate::lang::Analyzer, word: &str) -> Vec<String> {
    let mut out = analyzer.unstemmed().query_terms(word);
    for stem in analyzer.query_terms(word) {
        if stem.chars().count() >= 4 && !out.contains(&stem) {
            out.push(stem);
        }
    }
    out
}

/// The respellings to search beside `term`: when no document of `field` holds it, its most
/// common neighbours; when fewer than three do, the neighbours in ten times as many documents.
pub fn respellings(searcher: &Searcher, field: Field, term: &str) -> Result<Vec<String>> {
    let edits = edits_for(term.chars().count());
    if edits == 0 || term.chars().any(|c| c.is_numeric()) {
        return Ok(Vec::new());
    }
    let freq = searcher.doc_freq(&Term::from_field_text(field, term))?;
    if freq >= FEW {
        return Ok(Vec::new());
    }
    Ok(within(searcher, field, term, edits)?
        .into_iter()
        .filter(|&(_, n)| freq == 0 || n >= freq * MORE)
        .take(MAX_RESPELLINGS)
        .map(|(t, _)| t)
        .collect())
}

/// The indexed terms closest to `term` that could have been meant, for a search that found
/// nothing: within one edit more than a respelling of its length allows (so two from five
/// letters), the most common first.
pub fn suggestions(searcher: &Searcher, field: Field, term: &str) -> Result<Vec<String>> {
    let chars = term.chars().count();
    if chars < 4 {
        return Ok(Vec::new());
    }
    let edits = (edits_for(chars) + 1).min(2);
    Ok(within(searcher, field, term, edits)?
        .into_iter()
        .take(MAX_RESPELLINGS)
        .map(|(t, _)| t)
        .collect())
}

/// The one-word names of agencies and countries (as `dossier agencies` and `dossier countries`
/// list them) within the respelling edits of `word`, case aside: `Mosad` gives `Mossad`.
pub fn entity_names_near(word: &str) -> Vec<String> {
    let folded = word.to_lowercase();
    let edits = usize::from(edits_for(folded.chars().count()).max(1));
    if folded.chars().count() < 4 {
        return Vec::new();
    }
    let agencies = crate::tag::agencies().iter().flat_map(|a| a.names.iter());
    let countries = crate::tag::countries()
        .iter()
        .flat_map(|c| std::iter::once(&c.name).chain(c.aliases.iter()));
    let mut out: Vec<(usize, String)> = Vec::new();
    for name in agencies.chain(countries) {
        if name.contains(char::is_whitespace) {
            continue;
        }
        let d = strsim::osa_distance(&folded, &name.to_lowercase());
        if d > 0 && d <= edits && !out.iter().any(|(_, n)| n == name) {
            out.push((d, name.to_string()));
        }
    }
    out.sort();
    out.into_iter().take(2).map(|(_, n)| n).collect()
}
