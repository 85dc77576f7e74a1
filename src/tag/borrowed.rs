//! Names borrowed into a language that glues its case endings to them: Basque "CIAko" (of the
//! CIA), Polish "Mossadu", Swedish "USAs". The automaton wants a word boundary after a name and
//! the inflection pass reads a name only in its own language, so neither sees these.
//!
//! A word is read as a borrowed name when it is a single-word name of the tables exactly as
//! written (case included) followed by one to four lower-case letters, and the document's
//! language analyses the whole word as it analyses the name (its stemmer takes the ending
//! off), or adds a genitive "s" to names. "Stasiak" (a Polish surname) is not the Stasi: Polish
//! does not analyse it as "Stasi". Only documents in a known language other than English are
//! read this way, and a name is not read in its own language ("Securitatea" in Romanian is
//! "the security" before it is the service; the inflection pass and its rules read it there).

use std::collections::HashMap;

use super::inflect::{analyse, genitive_s, primary_language};
use super::matcher::{is_word_char, Form, Hit};

/// An entity, the kind of its name, and the language of a native name.
type Name = (&'static str, Form, Option<&'static str>);

/// The longest case ending taken off a borrowed name, in letters.
const MAX_ENDING: usize = 4;

/// The single-word names of one entity kind, by their written form.
pub(crate) struct Borrowed {
    /// Written form to (entity, form, the language the name is in if it is a native name); a
    /// form two entities share is left out.
    names: HashMap<&'static str, Option<Name>>,
}

impl Borrowed {
    /// From `(entity, name, form, language of a native name)`; names with a space or of fewer than three letters are left
    /// out (a two-letter name with an ending is any short word).
    pub(crate) fn new<I>(names: I) -> Borrowed
    where
        I: IntoIterator<Item = (&'static str, &'static str, Form, Option<&'static str>)>,
    {
        let mut map: HashMap<&'static str, Option<Name>> = HashMap::new();
        for (entity, name, form, home) in names {
            if name.chars().count() < 3 || !name.chars().all(is_word_char) {
                continue;
            }
            let slot = map.entry(name).or_insert(Some((entity, form, home)));
            if slot.is_some_and(|(e, _, _)| e != entity) {
                *slot = None;
            }
        }
        Borrowed { names: map }
    }

    /// Every borrowed name with an ending in `text` (a document in language `lang`) outside
    /// the `covered` spans; `keep(start, end, entity, name, form)` is the context rule, asked
    /// with the span of the whole word.
    pub(crate) fn find<F>(
        &self,
        text: &str,
        lang: &str,
        covered: &[(usize, usize)],
        keep: F,
    ) -> Vec<Hit>
    where
        F: Fn(usize, usize, &'static str, &'static str, Form) -> bool,
    {
        let mut hits = Vec::new();
        for (start, word) in words(text) {
            let end = start + word.len();
            if covered.iter().any(|&(s, e)| start < e && s < end) {
                continue;
            }
            if let Some((entity, name, form)) = self.name_in(word, lang) {
                if keep(start, end, entity, name, form) {
                    hits.push(Hit { start, end, entity });
                }
            }
        }
        hits
    }

    /// The name `word` is with a case ending of `lang`, if any.
    fn name_in(&self, word: &str, lang: &str) -> Option<(&'static str, &'static str, Form)> {
        let first = word.chars().next()?;
        if !first.is_uppercase() {
            return None;
        }
        let cuts = word.char_indices().rev().take(MAX_ENDING);
        for (at, _) in cuts {
            let (stem, ending) = word.split_at(at);
            if !ending.chars().all(char::is_lowercase) {
                break;
            }
            let Some((&name, &Some((entity, form, home)))) = self.names.get_key_value(stem) else {
                continue;
            };
            if home.is_some_and(|h| primary_language(h) == lang) {
                return None;
            }
            let same = analyse(lang, word) == analyse(lang, name);
            if same || (ending == "s" && genitive_s(lang)) {
                return Some((entity, name, form));
            }
        }
        None
    }
}

/// The words of `text` with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while rest.peek().is_some_and(|&(_, c)| !is_word_char(c)) {
            rest.next();
        }
        let &(start, _) = rest.peek()?;
        let mut end = start;
        while let Some(&(i, c)) = rest.peek() {
            if !is_word_char(c) {
                break;
            }
            end = i + c.len_utf8();
            rest.next();
        }
        Some((start, &text[start..end]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn borrowed() -> Borrowed {
        Borrowed::new([
            ("CIA", "CIA", Form::Acronym, None),
            ("MOSSAD", "Mossad", Form::Name, Some("he")),
            ("STASI", "Stasi", Form::Name, Some("de")),
            ("SECURITATE", "Securitate", Form::Name, Some("ro")),
            ("US", "USA", Form::Name, None),
        ])
    }

    #[test]
    fn names_with_the_case_endings_of_the_text() {
        let b = borrowed();
        assert_eq!(b.name_in("CIAko", "eu").map(|n| n.0), Some("CIA"));
        assert_eq!(b.name_in("Mossadu", "pl").map(|n| n.0), Some("MOSSAD"));
        assert_eq!(b.name_in("USAs", "sv").map(|n| n.0), Some("US"));
    }

    #[test]
    fn words_that_only_start_like_a_name() {
        let b = borrowed();
        assert_eq!(b.name_in("Stasiak", "pl"), None);
        assert_eq!(b.name_in("USAs", "pl"), None);
        assert_eq!(
            b.name_in("CIA", "eu"),
            None,
            "the name itself is the automaton's"
        );
        assert_eq!(b.name_in("ciako", "eu"), None);
        assert_eq!(
            b.name_in("Securitatea", "ro"),
            None,
            "a word of the name's own language"
        );
    }

    #[test]
    fn words_keep_their_offsets() {
        let w: Vec<_> = words("a CIAko, Żółw").collect();
        assert_eq!(w, [(0, "a"), (2, "CIAko"), (9, "Żółw")]);
    }
}
