//! The multi-pattern matcher behind [`super::tag`]: one Aho-Corasick automaton per entity kind,
//! leftmost-longest and ASCII-case-insensitive, whose raw matches are then held to the case
//! rules, the word boundaries and the context rules of [`super::rules`].
//!
//! The automaton folds ASCII case so that one pass finds "Ministry of State Security" and
//! "Ministry of state security" alike; the case rules then decide: an all-capital form (an
//! acronym) matches only as written, any other form needs its capital initial. When the longest
//! raw match fails those checks, shorter patterns starting at the same place are tried before
//! the scan moves on, so a rejected long form never hides a valid short one.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};

/// Which kind of form an alias is; the context rules look at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// A name of the entity (short, formal, other, English or native name).
    Name,
    /// A demonym or adjective ("French").
    Demonym,
    /// A capital standing for the government ("Beijing").
    Capital,
    /// An acronym ("DGSE").
    Acronym,
    /// An informal form ("French foreign intelligence").
    Informal,
    /// A phrase that contains a form but names no entity ("Indian Ocean"): matched and skipped.
    Stop,
}

/// One alias as the matcher sees it.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// The entity ID; `None` for a stop phrase.
    pub entity: Option<&'static str>,
    /// The alias as written in the table (or its curly-apostrophe variant).
    pub alias: String,
    pub form: Form,
    /// Matches only as written (all-capital forms, or forms with a lower-case initial).
    exact: bool,
    start_boundary: bool,
    end_boundary: bool,
}

/// An accepted match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub entity: &'static str,
}

/// An automaton over every alias of one entity kind, with the candidates behind each pattern.
pub(crate) struct Matcher {
    ac: AhoCorasick,
    /// Per automaton pattern, the aliases that fold to it (same text up to ASCII case).
    candidates: Vec<Vec<Candidate>>,
}

/// Scripts written without spaces between words: their forms need no word boundary.
pub(crate) fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0E7F      // Thai
        | 0x1100..=0x11FF    // Hangul Jamo
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x3130..=0x318F    // Hangul compatibility Jamo
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x2FFFF) // CJK extensions B and later
}

/// A character that continues a word: a form must not start or end next to one.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether an alias matches only exactly as written: all-capital forms (acronyms such as "RAW",
/// "U.S.") and forms that start in lower case.
fn is_exact(alias: &str) -> bool {
    let first_lower = alias.chars().next().is_some_and(char::is_lowercase);
    first_lower || !alias.chars().any(char::is_lowercase)
}

impl Candidate {
    fn new(entity: Option<&'static str>, alias: String, form: Form) -> Candidate {
        let first = alias.chars().next().unwrap_or(' ');
        let last = alias.chars().next_back().unwrap_or(' ');
        Candidate {
            entity,
            exact: is_exact(&alias),
            start_boundary: is_word_char(first) && !is_unspaced_script(first),
            end_boundary: is_word_char(last) && !is_unspaced_script(last),
            alias,
            form,
        }
    }

    /// The case rule and the word boundaries for the raw match `text[start..end]`.
    fn fits(&self, text: &str, start: usize, end: usize) -> bool {
        let span = &text[start..end];
        let case_ok = if self.exact {
            span == self.alias
        } else {
            // The automaton already matched the rest up to ASCII case: only the initial is left.
            span.chars().next() == self.alias.chars().next()
        };
        if !case_ok {
            return false;
        }
        if self.start_boundary && text[..start].chars().next_back().is_some_and(is_word_char) {
            return false;
        }
        if self.end_boundary && text[end..].chars().next().is_some_and(is_word_char) {
            return false;
        }
        true
    }
}

/// The variants of an alias worth matching: as written, and with typographic apostrophes
/// ("China’s spy agency"), which scraped pages use as often as straight ones.
fn variants(alias: &str) -> Vec<String> {
    let mut out = vec![alias.to_string()];
    if alias.contains('\'') {
        out.push(alias.replace('\'', "\u{2019}"));
    }
    out
}

impl Matcher {
    /// Builds the automaton from `(entity, alias, form)` triples; `entity` is `None` for stop
    /// phrases.
    pub(crate) fn new<I>(entries: I) -> Matcher
    where
        I: IntoIterator<Item = (Option<&'static str>, &'static str, Form)>,
    {
        let mut patterns: Vec<String> = Vec::new();
        let mut candidates: Vec<Vec<Candidate>> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = Default::default();
        for (entity, alias, form) in entries {
            for variant in variants(alias) {
                let key = variant.to_ascii_lowercase();
                let slot = *index.entry(key).or_insert_with(|| {
                    patterns.push(variant.clone());
                    candidates.push(Vec::new());
                    patterns.len() - 1
                });
                let list = &mut candidates[slot];
                if !list
                    .iter()
                    .any(|c| c.alias == variant && c.entity == entity)
                {
                    list.push(Candidate::new(entity, variant, form));
                }
            }
        }
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .start_kind(StartKind::Both)
            .build(&patterns)
            .unwrap_or_else(|e| panic!("bug: the alias automaton does not build: {e}"));
        Matcher { ac, candidates }
    }

    /// The first candidate of pattern `pid` that fits `text[start..end]` and that `keep`
    /// accepts. `Some(None)` means a stop phrase matched.
    fn accept<F>(
        &self,
        text: &str,
        start: usize,
        end: usize,
        pid: usize,
        keep: &F,
    ) -> Option<Option<&'static str>>
    where
        F: Fn(&str, usize, usize, &Candidate) -> bool,
    {
        for cand in &self.candidates[pid] {
            if !cand.fits(text, start, end) {
                continue;
            }
            match cand.entity {
                None => return Some(None),
                Some(id) if keep(text, start, end, cand) => return Some(Some(id)),
                Some(_) => {}
            }
        }
        None
    }

    /// Every accepted, non-overlapping match in `text`, leftmost first, the longest at each
    /// place. `keep` is the context rule for a fitting candidate.
    pub(crate) fn find<F>(&self, text: &str, keep: F) -> Vec<Hit>
    where
        F: Fn(&str, usize, usize, &Candidate) -> bool,
    {
        let mut hits = Vec::new();
        let mut pos = 0;
        while pos < text.len() {
            let Some(m) = self.ac.find(Input::new(text).range(pos..)) else {
                break;
            };
            let start = m.start();
            let (mut end, mut pid) = (m.end(), m.pattern().as_usize());
            let outcome = loop {
                if let Some(found) = self.accept(text, start, end, pid, &keep) {
                    break Some(found);
                }
                // The longest pattern failed: try the next shorter one at the same start.
                let shorter = Input::new(text)
                    .range(start..end - 1)
                    .anchored(Anchored::Yes);
                match self.ac.find(shorter) {
                    Some(m) => (end, pid) = (m.end(), m.pattern().as_usize()),
                    None => break None,
                }
            };
            match outcome {
                Some(Some(entity)) => {
                    hits.push(Hit { start, end, entity });
                    pos = end;
                }
                Some(None) => pos = end,
                None => pos = start + text[start..].chars().next().map_or(1, char::len_utf8),
            }
        }
        hits
    }
}
