//! The multi-pattern matcher behind [`super::tag`]: one Aho-Corasick automaton per entity kind,
//! leftmost-longest, whose raw matches are then held to the word boundaries and the context
//! rules of [`super::rules`].
//!
//! Case rules: an all-capital form (an acronym such as "RAW" or "U.S.") matches only as
//! written; any other form matches as written, in capitals ("TURKEY" in a shouting headline) and
//! with every word capitalised ("Ministry Of State Security"), but never in lower case ("raw
//! data", "turkey", "fine china"). These variants are patterns of their own in a case-sensitive
//! automaton: folding case in the automaton instead would make every "us" inside "because" and
//! "oman" inside "woman" a raw match to reject, which costs more than the extra patterns.
//! When the longest raw match fails the boundary or context checks, shorter patterns starting
//! at the same place are tried before the scan moves on, so a rejected long form never hides a
//! valid short one.

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
    start_boundary: bool,
    end_boundary: bool,
    /// Katakana or Hangul names: see [`script_edges_fit`].
    script: Script,
}

/// Scripts whose words run on without spaces but whose names still need an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Other,
    /// A katakana name ("タイ") is not inside a longer katakana word ("スタイル", "タイミング").
    Katakana,
    /// A Korean name starts a word and ends it or is followed by a particle ("미국은",
    /// "중국의"), so "인도" is not taken in "인도적" (humanitarian) nor "이란" in "사랑이란".
    Hangul,
}

fn is_katakana(c: char) -> bool {
    matches!(c as u32, 0x30A1..=0x30FA | 0x30FC..=0x30FF)
}

fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0xAC00..=0xD7AF)
}

/// Korean particles and suffixes that may follow a country name in the same word.
#[rustfmt::skip]
const KOREAN_PARTICLES: &[&str] = &[
    "은", "는", "이", "가", "을", "를", "의", "에", "에서", "에게", "와", "과", "도", "만", "로",
    "으로", "과의", "와의", "에는", "에서는", "에서의", "으로는", "로는", "이다", "이며", "인",
    "까지", "부터", "보다", "처럼", "측", "산", "인들", "군", "과는", "와는", "이라는", "정부",
];

/// The edges a katakana or Korean name needs (see [`Script`]).
fn script_edges_fit(script: Script, text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    match script {
        Script::Other => true,
        Script::Katakana => {
            !before.is_some_and(is_katakana) && !text[end..].chars().next().is_some_and(is_katakana)
        }
        Script::Hangul => {
            if before.is_some_and(is_hangul) {
                return false;
            }
            let rest = &text[end..];
            let run = rest
                .char_indices()
                .find(|&(_, c)| !is_hangul(c))
                .map_or(rest.len(), |(i, _)| i);
            run == 0 || KOREAN_PARTICLES.contains(&&rest[..run])
        }
    }
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
    /// Per automaton pattern, the aliases written that way (several entities may share one
    /// written form only if it is a stop phrase for one of them).
    candidates: Vec<Vec<Candidate>>,
}

/// Whether a form may start at this byte: every form starts with an ASCII capital or a
/// non-ASCII character (checked by the tests), so the scan runs the automaton only from those
/// bytes, a few in a hundred in English text, instead of feeding it every byte.
pub(crate) fn may_start_form(b: u8) -> bool {
    b.is_ascii_uppercase() || b >= 0xC0
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
    pub(crate) fn new(entity: Option<&'static str>, alias: String, form: Form) -> Candidate {
        let first = alias.chars().next().unwrap_or(' ');
        let last = alias.chars().next_back().unwrap_or(' ');
        let script = if alias.chars().all(is_katakana) {
            Script::Katakana
        } else if alias.chars().all(is_hangul) {
            Script::Hangul
        } else {
            Script::Other
        };
        Candidate {
            entity,
            start_boundary: is_word_char(first) && !is_unspaced_script(first),
            end_boundary: is_word_char(last) && !is_unspaced_script(last),
            script,
            alias,
            form,
        }
    }

    /// The word boundaries for the raw match `text[start..end]` (the automaton is case-sensitive,
    /// so the case rules hold already).
    fn fits(&self, text: &str, start: usize, end: usize) -> bool {
        if self.start_boundary && text[..start].chars().next_back().is_some_and(is_word_char) {
            return false;
        }
        if self.end_boundary && text[end..].chars().next().is_some_and(is_word_char) {
            return false;
        }
        script_edges_fit(self.script, text, start, end)
    }
}

/// The written variants of an alias that match: as written; for forms that are not all
/// capitals, also in capitals and with every word capitalised; each also with typographic
/// apostrophes ("China’s spy agency"), which scraped pages use as often as straight ones.
fn variants(alias: &str) -> Vec<String> {
    let mut out = vec![alias.to_string()];
    if !is_exact(alias) {
        out.push(alias.to_uppercase());
        let title: Vec<String> = alias
            .split(' ')
            .map(|w| {
                let mut cs = w.chars();
                cs.next()
                    .map_or(String::new(), |c| c.to_uppercase().chain(cs).collect())
            })
            .collect();
        out.push(title.join(" "));
    }
    for v in out.clone() {
        if v.contains('\'') {
            out.push(v.replace('\'', "\u{2019}"));
        }
    }
    out.sort();
    out.dedup();
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
                let key = variant.clone();
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
            .start_kind(StartKind::Anchored)
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
    /// place, and the spans of the stop phrases that matched, which later passes must not read
    /// again ("West Azerbaijan" is no country in any inflection). `keep` is the context rule
    /// for a fitting candidate.
    pub(crate) fn find<F>(&self, text: &str, keep: F) -> (Vec<Hit>, Vec<(usize, usize)>)
    where
        F: Fn(&str, usize, usize, &Candidate) -> bool,
    {
        let bytes = text.as_bytes();
        let mut hits = Vec::new();
        let mut stopped = Vec::new();
        let mut pos = 0;
        while let Some(off) = bytes[pos..].iter().position(|&b| may_start_form(b)) {
            let start = pos + off;
            pos = start + text[start..].chars().next().map_or(1, char::len_utf8);
            // An ASCII capital inside a word ("McDonald") starts no form: all of them need a
            // word boundary there.
            if bytes[start].is_ascii()
                && text[..start].chars().next_back().is_some_and(is_word_char)
            {
                continue;
            }
            let here = Input::new(text).range(start..).anchored(Anchored::Yes);
            let Some(m) = self.ac.find(here) else {
                continue;
            };
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
                Some(None) => {
                    stopped.push((start, end));
                    pos = end;
                }
                None => {}
            }
        }
        (hits, stopped)
    }
}
