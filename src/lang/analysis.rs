//! Text analysis per language: the words a text is indexed and searched by.
//!
//! Every stage that compares words asks this module: the indexer turns titles and passages into
//! tokens here, the query parser turns query words into terms, search and `show` highlight with
//! it, and tagging matches inflected names through it. One [`Analyzer`] per language, chosen by
//! the ISO 639-1 code of the article (or, for a query, of every language the index holds).
//!
//! The chain for one word:
//! 1. **Words**: maximal runs of letters, digits and combining marks (so Arabic diacritics,
//!    Devanagari vowel signs and the Persian zero-width non-joiner stay inside their word);
//!    everything else separates words. Runs of Han and kana are segmented by dictionary
//!    (`jieba-rs` for Chinese, `tinysegmenter` for Japanese); Thai, Lao, Khmer and Myanmar,
//!    written without spaces and without a segmenter here, give one token a character, so a
//!    query word matches as a phrase of characters.
//! 2. **Normalisation**: NFKC (full-width forms, ligatures, decomposed accents composed), case
//!    folded; Arabic-script letters folded to one form (alef variants, alef maqsura and Persian
//!    yeh, kaf, teh marbuta, heh with hamza), tatweel and zero-width joiners removed; Greek final
//!    sigma; Cyrillic `ё` as `е`.
//! 3. **Folding**: accents and marks dropped from Latin, Greek, Hebrew and Arabic letters
//!    (`Sécurité`, `securite` and `SECURITE` are one word), never from Cyrillic (`й` is a letter of
//!    its own) or Indic scripts.
//! 4. **Stemming**: the Snowball stemmer of the language (`frostem`, the stemmer Tantivy itself
//!    ships, in the version that also has Polish, Czech, Persian, Hindi and more), a light suffix
//!    rule for Ukrainian and Korean particles, none for languages without one. Stemming comes
//!    after folding, so that a word typed without its accents meets the word written with them:
//!    the stemmers lose a little accuracy on folded words, the same way for text and query.
//! 5. **Compounds** (German, Dutch, Scandinavian languages): the right-hand parts of a long word
//!    are indexed at its position too, so `Nachrichtendienst` finds `Bundesnachrichtendienstes`.
//!
//! No token is dropped: a word longer than [`MAX_TOKEN_BYTES`] is cut into pieces at character
//! boundaries, one position each, and the query cuts it the same way.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use fnv::FnvHashMap;

use tantivy::tokenizer::Token;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Compounds: the shortest head kept before a part, and the shortest part, in characters.
const MIN_HEAD: usize = 4;
const MIN_PART: usize = 5;

/// The longest token written to the index, in bytes; longer words are cut into pieces.
pub const MAX_TOKEN_BYTES: usize = 32;

/// How an analyzer reduces a word to its stem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stem {
    None,
    Snowball(frostem::Algorithm),
    Ukrainian,
    Korean,
}

/// How an analyzer segments runs of Han and kana.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cjk {
    Chinese,
    Japanese,
}

/// The analysis of one language.
#[derive(Clone, Copy, Debug)]
pub struct Analyzer {
    code: &'static str,
    stem: Stem,
    cjk: Cjk,
    /// Writes compounds (German, Dutch, Scandinavian): their parts are indexed too.
    compounds: bool,
}

/// What each language gets: ISO 639-1 code, English name, stemming, CJK segmentation.
const LANGUAGES: &[(&str, &str, Stem, Cjk)] = {
    use frostem::Algorithm as A;
    use Cjk::{Chinese as Zh, Japanese as Ja};
    use Stem::Snowball as S;
    &[
        ("ar", "Arabic", S(A::Arabic), Zh),
        ("ca", "Catalan", S(A::Catalan), Zh),
        ("cs", "Czech", S(A::Czech), Zh),
        ("da", "Danish", S(A::Danish), Zh),
        ("de", "German", S(A::German), Zh),
        ("el", "Greek", S(A::Greek), Zh),
        ("en", "English", S(A::English), Zh),
        ("es", "Spanish", S(A::Spanish), Zh),
        ("et", "Estonian", S(A::Estonian), Zh),
        ("eu", "Basque", S(A::Basque), Zh),
        ("fa", "Persian", S(A::Persian), Zh),
        ("fi", "Finnish", S(A::Finnish), Zh),
        ("fr", "French", S(A::French), Zh),
        ("ga", "Irish", S(A::Irish), Zh),
        ("hi", "Hindi", S(A::Hindi), Zh),
        ("hu", "Hungarian", S(A::Hungarian), Zh),
        ("hy", "Armenian", S(A::Armenian), Zh),
        ("id", "Indonesian", S(A::Indonesian), Zh),
        ("it", "Italian", S(A::Italian), Zh),
        ("ja", "Japanese", Stem::None, Ja),
        ("ko", "Korean", Stem::Korean, Zh),
        ("lt", "Lithuanian", S(A::Lithuanian), Zh),
        ("ne", "Nepali", S(A::Nepali), Zh),
        ("nl", "Dutch", S(A::Dutch), Zh),
        ("no", "Norwegian", S(A::Norwegian), Zh),
        ("pl", "Polish", S(A::Polish), Zh),
        ("pt", "Portuguese", S(A::Portuguese), Zh),
        ("ro", "Romanian", S(A::Romanian), Zh),
        ("ru", "Russian", S(A::Russian), Zh),
        ("sr", "Serbian", S(A::Serbian), Zh),
        ("sv", "Swedish", S(A::Swedish), Zh),
        ("ta", "Tamil", S(A::Tamil), Zh),
        ("tr", "Turkish", S(A::Turkish), Zh),
        ("uk", "Ukrainian", Stem::Ukrainian, Zh),
        ("zh", "Chinese", Stem::None, Zh),
    ]
};

/// The code of text whose language is unknown (too short, mixed, or undecidable).
pub const UNDETERMINED: &str = "und";

/// Every language with an analysis of its own: code, English name, what it gets. Any other
/// language (and `und`) is normalised, folded and segmented, not stemmed.
pub fn languages() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    LANGUAGES.iter().map(|&(code, name, stem, cjk)| {
        let what = match (stem, cjk) {
            (Stem::Snowball(_), _) => "Snowball stemming",
            (Stem::Ukrainian, _) => "light suffix stemming",
            (Stem::Korean, _) => "particles removed",
            (Stem::None, Cjk::Japanese) => "dictionary segmentation (tinysegmenter)",
            (Stem::None, Cjk::Chinese) => "dictionary segmentation (jieba)",
        };
        (code, name, what)
    })
}

/// The analyzer of a language, from an ISO 639-1 code or a tag such as `fr-FR` or `zh_Hant`;
/// unknown codes get the analysis of undetermined text.
pub fn analyzer(code: &str) -> Analyzer {
    let primary = code
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let primary = match primary.as_str() {
        "nb" | "nn" => "no",
        "iw" => "he",
        "in" => "id",
        other => other,
    };
    LANGUAGES
        .iter()
        .find(|l| l.0 == primary)
        .map(|&(code, _, stem, cjk)| Analyzer {
            code,
            stem,
            cjk,
            compounds: matches!(code, "de" | "nl" | "sv" | "da" | "no"),
        })
        .unwrap_or(Analyzer {
            code: UNDETERMINED,
            stem: Stem::None,
            cjk: Cjk::Chinese,
            compounds: false,
        })
}

impl Analyzer {
    /// The language code this analyzer stands for (`und` for the generic one).
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The same analysis without stemming: normalised, folded and segmented words as written,
    /// for comparing texts word for word (a reprint keeps its words) at a fraction of the cost.
    pub fn unstemmed(self) -> Analyzer {
        Analyzer {
            stem: Stem::None,
            ..self
        }
    }

    /// The tokens to index for `text`: byte offsets into `text`, positions counting words, and
    /// at one position every form the word is found by (a compound's parts, the dictionary
    /// words inside a longer Chinese word).
    pub fn index_tokens(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::with_capacity(text.len() / 6);
        self.run(text, true, &mut |t, from, to, position| {
            out.push(Token {
                offset_from: from,
                offset_to: to,
                position,
                text: t.to_string(),
                position_length: 1,
            })
        });
        out
    }

    /// The terms a query's words are searched by, one a position, in order.
    pub fn query_terms(&self, text: &str) -> Vec<String> {
        self.query_phrase(text)
            .into_iter()
            .map(|(_, t)| t)
            .collect()
    }

    /// Gives `each` the term a query would search each word by, in order, without collecting
    /// them: what a fingerprint of the whole text needs ([`crate::copies::signature`]).
    pub fn each_term(&self, text: &str, each: &mut dyn FnMut(&str)) {
        let mut last = None;
        self.run(text, false, &mut |t, _, _, position| {
            if last != Some(position) {
                last = Some(position);
                each(t);
            }
        });
    }

    /// The terms of a query's words with their positions from the first: consecutive for
    /// words, distances in characters within Chinese and Japanese text.
    pub fn query_phrase(&self, text: &str) -> Vec<(usize, String)> {
        let mut out: Vec<(usize, String)> = Vec::new();
        let mut first = None;
        self.run(text, false, &mut |t, _, _, position| {
            let start = *first.get_or_insert(position);
            if out.last().is_none_or(|(p, _)| *p != position - start) {
                out.push((position - start, t.to_string()));
            }
        });
        out
    }

    /// Runs the chain over `text`, giving each token to `emit`. With `all_forms`, a word gives
    /// every form it is indexed under; without, the one form a query searches.
    fn run(&self, text: &str, all_forms: bool, emit: &mut Emit) {
        let mut pos = Positions::default();
        let mut start = None;
        for (i, c) in text.char_indices() {
            if is_word_char(c) {
                start.get_or_insert(i);
            } else if let Some(s) = start.take() {
                self.word(text, s, i, all_forms, &mut pos, emit);
            }
        }
        if let Some(s) = start {
            self.word(text, s, text.len(), all_forms, &mut pos, emit);
        }
    }

    /// One run of word characters, split where it changes between spaced and unspaced scripts.
    fn word(
        &self,
        text: &str,
        from: usize,
        to: usize,
        all_forms: bool,
        pos: &mut Positions,
        emit: &mut Emit,
    ) {
        let word = &text[from..to];
        if word.is_ascii() {
            return self.spaced(word, from, all_forms, pos, emit);
        }
        let mut run_start = 0;
        let mut run_script = None;
        for (i, c) in word.char_indices() {
            // Combining marks belong to the run of the letter they follow.
            if is_combining_mark(c) && run_script.is_some() {
                continue;
            }
            let s = script(c);
            if run_script != Some(s) {
                if let Some(prev) = run_script {
                    self.run_of(
                        prev,
                        &word[run_start..i],
                        from + run_start,
                        all_forms,
                        pos,
                        emit,
                    );
                }
                run_start = i;
                run_script = Some(s);
            }
        }
        if let Some(prev) = run_script {
            self.run_of(
                prev,
                &word[run_start..],
                from + run_start,
                all_forms,
                pos,
                emit,
            );
        }
    }

    fn run_of(
        &self,
        kind: Script,
        run: &str,
        from: usize,
        all_forms: bool,
        pos: &mut Positions,
        emit: &mut Emit,
    ) {
        match kind {
            Script::Spaced => self.spaced(run, from, all_forms, pos, emit),
            Script::HanKana => self.cjk(run, from, all_forms, pos, emit),
            Script::Unspaced => {
                // One token a character with its marks.
                let mut chars = run.char_indices().peekable();
                while let Some((i, _)) = chars.next() {
                    let mut end = run.len();
                    while let Some(&(j, c)) = chars.peek() {
                        if is_combining_mark(c) {
                            chars.next();
                        } else {
                            end = j;
                            break;
                        }
                    }
                    let p = pos.next();
                    emit(&normalise(&run[i..end]), from + i, from + end, p);
                }
            }
        }
    }

    /// A word of a script that separates words with spaces.
    fn spaced(
        &self,
        word: &str,
        from: usize,
        all_forms: bool,
        pos: &mut Positions,
        emit: &mut Emit,
    ) {
        let to = from + word.len();
        let lower = normalise(word);
        if lower.is_empty() {
            return;
        }
        if lower.len() > MAX_TOKEN_BYTES {
            // Not a word anyone types whole: pieces, so that it is still found, as a phrase.
            for piece in pieces(&fold(&lower)) {
                emit(piece, from, to, pos.next());
            }
            return;
        }
        let p = pos.next();
        let folded = fold(&lower);
        if all_forms && self.compounds {
            self.compound_parts(&folded, from, to, p, emit);
        }
        match self.stem {
            Stem::Snowball(alg) => with_snowball_stem(alg, &folded, |t| emit(t, from, to, p)),
            _ => emit(&self.stem(&folded), from, to, p),
        }
    }

    /// A run of Han and kana: words by dictionary; in the index, the dictionary words inside
    /// longer ones too, at the position of the longer word.
    fn cjk(&self, run: &str, from: usize, all_forms: bool, pos: &mut Positions, emit: &mut Emit) {
        let written = run;
        let run = normalise(run);
        // NFKC and case folding leave Han and kana as they are; where they changed the run
        // (full-width Latin inside it), every word of it points at the whole run.
        let exact = run.len() == written.len();
        let span = |a: usize, b: usize| {
            if exact {
                (from + a, from + b)
            } else {
                (from, from + written.len())
            }
        };
        // Positions count characters here, not words: a word inside a longer dictionary word
        // sits where it starts, and a query's words are searched at their own distances.
        let base = pos.0;
        let chars_before = |byte: usize| run[..byte].chars().count();
        let japanese = self.cjk == Cjk::Japanese || run.chars().any(is_kana);
        if japanese {
            let mut at = 0;
            for w in tinysegmenter::tokenize(&run) {
                let start = run[at..].find(w.as_str()).map_or(at, |i| at + i);
                let end = (start + w.len()).min(run.len());
                at = end;
                let (a, b) = span(start, end);
                emit(&w, a, b, base + chars_before(start));
            }
        } else {
            let jieba = jieba();
            for w in jieba.cut(&run, false) {
                let p = base + chars_before(w.byte_start);
                let (a, b) = span(w.byte_start, w.byte_end);
                emit(w.word, a, b, p);
                if all_forms {
                    // Every dictionary word inside a longer one, where it starts.
                    let inner: Vec<usize> = w.word.char_indices().map(|(i, _)| i).collect();
                    for (k, &i) in inner.iter().enumerate() {
                        for &j in inner[k + 1..].iter().chain([&w.word.len()]) {
                            let sub = &w.word[i..j];
                            if sub.len() < w.word.len()
                                && j - i > sub.chars().next().map_or(0, char::len_utf8)
                                && jieba.has_word(sub)
                            {
                                let (a, b) = span(w.byte_start + i, w.byte_start + j);
                                emit(sub, a, b, p + k);
                            }
                        }
                    }
                }
            }
        }
        pos.0 = base + run.chars().count();
    }

    /// The right-hand parts of a compound, at the compound's position: `Nachrichtendienst` and
    /// `Dienst` are found in `Bundesnachrichtendienstes`. No dictionary: every ending of at least
    /// [`MIN_PART`] characters after a head of at least [`MIN_HEAD`] stands for a part, which
    /// finds the head word of a compound (the part that names what it is) and never a word
    /// shorter than a part.
    fn compound_parts(&self, folded: &str, from: usize, to: usize, p: usize, emit: &mut Emit) {
        let chars: Vec<usize> = folded.char_indices().map(|(i, _)| i).collect();
        if chars.len() < MIN_HEAD + MIN_PART {
            return;
        }
        let mut seen: Vec<String> = Vec::new();
        for &i in &chars[MIN_HEAD..=chars.len() - MIN_PART] {
            let part = self.stem(&folded[i..]).into_owned();
            if !seen.contains(&part) {
                seen.push(part.clone());
                emit(&part, from, to, p);
            }
        }
    }

    fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        match self.stem {
            Stem::None => Cow::Borrowed(word),
            Stem::Snowball(alg) => stemmer(alg).stem(word),
            Stem::Ukrainian => Cow::Borrowed(strip_suffix(word, UKRAINIAN_ENDINGS, 3)),
            Stem::Korean => Cow::Borrowed(strip_suffix(word, KOREAN_PARTICLES, 1)),
        }
    }
}

/// Marks the language of a text handed to the index: the analysed fields take text in any
/// language, and [`Tokenizer`] reads the mark to analyse it as that language.
pub fn mark(code: &str, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + code.len() + 2);
    out.push(MARK);
    out.push_str(code);
    out.push(MARK);
    out.push_str(text);
    out
}

/// Opens and closes a language mark; a control character that extraction never leaves in text.
const MARK: char = '\u{1}';

/// The language of a marked text and the text after the mark (`und` and the whole text when
/// there is no mark).
fn unmark(text: &str) -> (&str, &str, usize) {
    if let Some(rest) = text.strip_prefix(MARK) {
        if let Some((code, body)) = rest.split_once(MARK) {
            if code.len() <= 8 {
                return (code, body, code.len() + 2 * MARK.len_utf8());
            }
        }
    }
    (UNDETERMINED, text, 0)
}

/// The analysis of every language as one Tantivy tokenizer: each text is analysed as the
/// language of its mark ([`mark`]), so Tantivy's indexing threads do the work. Tokens are
/// written into buffers kept from one text to the next.
#[derive(Clone, Default)]
pub struct Tokenizer {
    tokens: Vec<Token>,
}

impl tantivy::tokenizer::Tokenizer for Tokenizer {
    type TokenStream<'a> = TokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TokenStream<'a> {
        let (code, body, shift) = unmark(text);
        let mut len = 0;
        let tokens = &mut self.tokens;
        analyzer(code).run(body, true, &mut |t, from, to, position| {
            if len == tokens.len() {
                tokens.push(Token::default());
            }
            let tok = &mut tokens[len];
            tok.text.clear();
            tok.text.push_str(t);
            tok.offset_from = from + shift;
            tok.offset_to = to + shift;
            tok.position = position;
            tok.position_length = 1;
            len += 1;
        });
        TokenStream {
            tokens: &mut self.tokens[..len],
            next: 0,
        }
    }
}

/// The tokens of one text, in order.
pub struct TokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl tantivy::tokenizer::TokenStream for TokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// Positions of the words of one text, from 0.
#[derive(Default)]
struct Positions(usize);

impl Positions {
    fn next(&mut self) -> usize {
        self.0 += 1;
        self.0 - 1
    }
}

/// Where the chain hands each token: its text, byte offsets, position.
type Emit<'a> = dyn FnMut(&str, usize, usize, usize) + 'a;

/// Letters, digits, combining marks and the joiners some scripts write inside words.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric() || is_combining_mark(c) || c == '\u{200C}' || c == '\u{200D}'
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    /// Words separated by spaces (Latin, Cyrillic, Arabic, Hangul, Indic ...).
    Spaced,
    /// Han ideographs and Japanese kana.
    HanKana,
    /// Thai, Lao, Khmer, Myanmar: no spaces between words.
    Unspaced,
}

fn script(c: char) -> Script {
    match c as u32 {
        0x3005 | 0x3007 | 0x3021..=0x3029 | 0x3040..=0x30FF | 0x31F0..=0x31FF => Script::HanKana,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F => Script::HanKana,
        0x20000..=0x3FFFF => Script::HanKana,
        0x0E00..=0x0EFF | 0x1000..=0x109F | 0x1780..=0x17FF | 0x19E0..=0x19FF => Script::Unspaced,
        _ => Script::Spaced,
    }
}

fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F)
}

/// NFKC, lower case, and one form for letters that scripts write in several ways.
fn normalise(word: &str) -> Cow<'_, str> {
    if word.is_ascii() {
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            return Cow::Owned(word.to_ascii_lowercase());
        }
        return Cow::Borrowed(word);
    }
    let composed: Cow<str> = match is_nfkc_quick(word.chars()) {
        IsNormalized::Yes => Cow::Borrowed(word),
        _ => Cow::Owned(word.nfkc().collect()),
    };
    let mut out = String::with_capacity(composed.len());
    for c in composed.chars() {
        match c {
            // Tatweel and the zero-width joiners lengthen or join letters; they are not letters.
            '\u{0640}' | '\u{200C}' | '\u{200D}' => {}
            // Alef with hamza or madda, wasla: alef.
            'أ' | 'إ' | 'آ' | 'ٱ' => out.push('ا'),
            // Alef maqsura, Persian and Farsi yeh: one yeh.
            'ى' | 'ی' | 'ې' => out.push('ي'),
            // Persian keheh: kaf.
            'ک' => out.push('ك'),
            // Teh marbuta and heh with yeh above: heh.
            'ة' | 'ۀ' => out.push('ه'),
            'ς' => out.push('σ'),
            'ё' | 'Ё' => out.push('е'),
            c => out.extend(c.to_lowercase()),
        }
    }
    Cow::Owned(out)
}

/// Accents and marks dropped from Latin, Greek, Hebrew and Arabic letters; a few Latin letters
/// that do not decompose written as their base letters.
fn fold(word: &str) -> Cow<'_, str> {
    if word.is_ascii() {
        return Cow::Borrowed(word);
    }
    let mut out = String::with_capacity(word.len());
    let mut base_folds = false;
    for c in word.nfd() {
        if is_combining_mark(c) {
            if !base_folds {
                out.push(c);
            }
            continue;
        }
        base_folds = folds_marks(c);
        match c {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'đ' | 'ð' => out.push('d'),
            'þ' => out.push_str("th"),
            'ı' => out.push('i'),
            c => out.push(c),
        }
    }
    let out: String = out.nfc().collect();
    if out == word {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(out)
    }
}

/// Whether marks after `c` are accents to drop (Latin, Greek, Hebrew, Arabic) rather than part
/// of a letter (Cyrillic `й`, Indic vowel signs, Hangul).
fn folds_marks(c: char) -> bool {
    matches!(c as u32,
        0x0041..=0x024F | 0x1E00..=0x1EFF | 0x0370..=0x03FF | 0x1F00..=0x1FFF
        | 0x0590..=0x05FF | 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF)
}

/// Cuts `word` into pieces of at most [`MAX_TOKEN_BYTES`] bytes at character boundaries.
fn pieces(word: &str) -> impl Iterator<Item = &str> {
    let mut rest = word;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = rest.len().min(MAX_TOKEN_BYTES);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        if end == 0 {
            end = rest.chars().next().map_or(rest.len(), char::len_utf8);
        }
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        Some(piece)
    })
}

/// Words a thread keeps stemmed, per algorithm, before it starts over.
const MAX_STEMS_KEPT: usize = 50_000;

/// Hands `each` the Snowball stem of `word`. Running text repeats its words (a tenth of them
/// make most of it), and looking a word up costs less than a stemmer's pass, so each thread
/// keeps the stems it made: those of the indexing threads and of a server's searches.
fn with_snowball_stem(alg: frostem::Algorithm, word: &str, each: impl FnOnce(&str)) {
    type Kept = HashMap<frostem::Algorithm, FnvHashMap<Box<str>, Box<str>>>;
    thread_local! {
        static KEPT: RefCell<Kept> = RefCell::default();
    }
    KEPT.with(|kept| {
        // `each` runs inside the borrow; were it to stem again on this thread, that stem is
        // made without the memory rather than wait on itself.
        let Ok(mut kept) = kept.try_borrow_mut() else {
            return each(&stemmer(alg).stem(word));
        };
        let stems = kept.entry(alg).or_default();
        if let Some(stem) = stems.get(word) {
            return each(stem);
        }
        if stems.len() >= MAX_STEMS_KEPT {
            stems.clear();
        }
        let stem: Box<str> = stemmer(alg).stem(word).into();
        each(&stem);
        stems.insert(word.into(), stem);
    })
}

fn stemmer(alg: frostem::Algorithm) -> &'static frostem::Stemmer {
    static STEMMERS: OnceLock<Vec<(frostem::Algorithm, frostem::Stemmer)>> = OnceLock::new();
    let all = STEMMERS.get_or_init(|| {
        LANGUAGES
            .iter()
            .filter_map(|l| match l.2 {
                Stem::Snowball(a) => Some((a, frostem::Stemmer::new(a))),
                _ => None,
            })
            .collect()
    });
    &all.iter()
        .find(|(a, _)| *a == alg)
        .expect("every Snowball language of the table has a stemmer")
        .1
}

/// The Chinese dictionary, loaded on first use (a few hundred milliseconds, some 40 MB).
fn jieba() -> &'static jieba_rs::Jieba {
    static JIEBA: OnceLock<jieba_rs::Jieba> = OnceLock::new();
    JIEBA.get_or_init(jieba_rs::Jieba::new)
}

/// Ukrainian noun and adjective endings, longest first where one ends another. No Snowball
/// stemmer exists for Ukrainian; removing the inflection is enough to find `Росії` from `Росія`.
const UKRAINIAN_ENDINGS: &[&str] = &[
    "ського",
    "ському",
    "ськими",
    "ськими",
    "ськи",
    "ської",
    "ською",
    "ський",
    "ська",
    "ське",
    "ами",
    "ями",
    "ові",
    "еві",
    "ією",
    "ого",
    "ому",
    "ими",
    "ої",
    "ою",
    "ею",
    "єю",
    "ів",
    "їв",
    "ій",
    "ий",
    "ах",
    "ях",
    "ам",
    "ям",
    "ом",
    "ем",
    "ія",
    "ії",
    "ію",
    "их",
    "ім",
    "а",
    "я",
    "у",
    "ю",
    "і",
    "ї",
    "и",
    "е",
    "о",
    "ь",
    "й",
    "є",
];

/// Korean case particles written onto the noun they follow.
const KOREAN_PARTICLES: &[&str] = &[
    "에서", "에게", "으로", "까지", "부터", "은", "는", "이", "가", "을", "를", "의", "에", "와",
    "과", "도", "로", "만",
];

/// The longest ending of `endings` that leaves at least `min_chars` characters, removed.
fn strip_suffix<'a>(word: &'a str, endings: &[&str], min_chars: usize) -> &'a str {
    endings
        .iter()
        .filter(|e| word.ends_with(*e))
        .max_by_key(|e| e.len())
        .map(|e| &word[..word.len() - e.len()])
        .filter(|stem| stem.chars().count() >= min_chars)
        .unwrap_or(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(code: &str, text: &str) -> Vec<String> {
        analyzer(code).query_terms(text)
    }

    #[test]
    fn kept_stems_are_the_stemmers_own() {
        let text = "Spies recruited officers; the officers recruited spies, and runners ran.";
        for code in ["en", "fr", "ru"] {
            let Stem::Snowball(alg) = analyzer(code).stem else {
                panic!("{code} has a Snowball stemmer");
            };
            let direct: Vec<String> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(|w| stemmer(alg).stem(&fold(&normalise(w))).into_owned())
                .collect();
            // The second reading finds every word kept by the first.
            assert_eq!(terms(code, text), direct, "{code}");
            assert_eq!(terms(code, text), direct, "{code}");
        }
    }

    fn indexed(code: &str, text: &str) -> Vec<String> {
        analyzer(code)
            .index_tokens(text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    /// Whether a query in `query_lang` finds its words, at their distances, in a text in
    /// `text_lang`.
    fn finds(query_lang: &str, query: &str, text_lang: &str, text: &str) -> bool {
        let q = analyzer(query_lang).query_phrase(query);
        let toks = analyzer(text_lang).index_tokens(text);
        !q.is_empty()
            && toks.iter().any(|first| {
                q.iter().all(|(offset, term)| {
                    toks.iter()
                        .any(|t| t.position == first.position + offset && &t.text == term)
                })
            })
    }

    #[test]
    fn inflected_forms_meet_at_their_stem() {
        assert!(finds(
            "ru",
            "Россия",
            "ru",
            "Санкции против России продлены"
        ));
        assert!(finds("pl", "Rosja", "pl", "Wywiad Rosji działa w Polsce"));
        assert!(finds("uk", "Росія", "uk", "Розвідка Росії діє в Україні"));
        assert!(finds(
            "de",
            "Nachrichtendienst",
            "de",
            "des Nachrichtendienstes"
        ));
        assert!(finds(
            "de",
            "Nachrichtendienst",
            "de",
            "des Bundesnachrichtendienstes"
        ));
        assert!(finds("de", "Dienstes", "de", "der Bundesnachrichtendienst"));
        assert!(finds("fr", "officiers", "fr", "un officier de la DGSE"));
        assert!(finds("en", "officers", "en", "the officer said"));
    }

    #[test]
    fn accents_are_optional_and_decomposed_forms_match() {
        // A query without accents, with them, and with a decomposed e + U+0301.
        for q in ["securite", "sécurité", "se\u{301}curite\u{301}", "SÉCURITÉ"] {
            assert!(
                finds("fr", q, "fr", "la Direction de la sécurité intérieure"),
                "{q}"
            );
        }
        assert!(finds("es", "Espana", "es", "los servicios de España"));
        assert!(finds(
            "de",
            "Bundesamt fur Verfassungsschutz",
            "de",
            "Bundesamt für Verfassungsschutz"
        ));
        assert!(finds(
            "pl",
            "bezpieczenstwa",
            "pl",
            "Agencja Bezpieczeństwa Wewnętrznego"
        ));
    }

    #[test]
    fn arabic_diacritics_tatweel_and_letter_variants_fold() {
        assert!(finds("ar", "الموساد", "ar", "قال جهاز المُوسَاد إن"));
        assert!(finds("ar", "الموساد", "ar", "أعلن المــوساد"));
        assert!(finds("ar", "ايران", "ar", "في إيران"));
        // Persian yeh and keheh against their Arabic forms.
        assert!(finds("fa", "ايران", "fa", "در ایران"));
        assert!(finds("fa", "كشور", "fa", "کشور"));
    }

    #[test]
    fn chinese_words_are_found_inside_unspaced_text() {
        let text = "中国国家安全部的官员昨天在北京被捕";
        assert!(finds("zh", "国家安全部", "zh", text));
        assert!(finds("zh", "安全部", "zh", text));
        assert!(finds("zh", "北京", "zh", text));
        assert!(finds("zh", "中国国家安全部", "zh", text));
        // A dictionary word inside a longer one.
        assert!(finds("zh", "中央情报局", "zh", "美国中央情报局的报告"));
    }

    #[test]
    fn japanese_is_segmented() {
        let text = "公安調査庁は中国の情報機関について報告した";
        let toks = indexed("ja", text);
        assert!(toks.len() > 4, "{toks:?}");
        assert!(finds("ja", "中国", "ja", text));
    }

    #[test]
    fn nothing_is_dropped() {
        // Digits, mixed scripts, a word far longer than any token.
        assert_eq!(terms("en", "MI6 Су27 2019"), ["mi6", "су27", "2019"]);
        let long = "x".repeat(100);
        let t = terms("en", &long);
        assert_eq!(t.len(), 4);
        assert!(finds("en", &long, "en", &format!("a {long} b")));
        // Thai without spaces: one token a character, found as a phrase.
        assert!(finds("th", "สวัสดี", "und", "คำว่าสวัสดีครับ"));
    }

    #[test]
    fn offsets_land_on_char_boundaries_of_the_text() {
        for (code, text) in [
            ("ar", "قال جهاز المُوسَاد"),
            ("zh", "中国国家安全部的官员"),
            ("ja", "公安調査庁は報告した"),
            ("he", "המוסד הודיע"),
            ("hi", "भारत की खुफिया एजेंसी"),
            ("und", "emoji 🕵️ spy 🇷🇺 ﬁle ＡＢＣ"),
        ] {
            for t in analyzer(code).index_tokens(text) {
                assert!(text.is_char_boundary(t.offset_from), "{code} {t:?}");
                assert!(text.is_char_boundary(t.offset_to), "{code} {t:?}");
                assert!(t.offset_from < t.offset_to, "{code} {t:?}");
            }
        }
    }

    #[test]
    fn the_tokenizer_analyses_each_text_in_the_language_of_its_mark() {
        use tantivy::tokenizer::{TokenStream as _, Tokenizer as _};
        let mut tok = Tokenizer::default();
        let mut read = |text: &str| {
            let mut stream = tok.token_stream(text);
            let mut out = Vec::new();
            while stream.advance() {
                out.push(stream.token().text.clone());
            }
            out
        };
        assert_eq!(read(&mark("ru", "России")), terms("ru", "Россия"));
        assert_eq!(read(&mark("en", "Officers")), ["offic"]);
        // Unmarked text is undetermined: normalised, not stemmed.
        assert_eq!(read("Officers"), ["officers"]);
        assert_eq!(read(&mark("en", "")), Vec::<String>::new());
    }

    #[test]
    fn codes_and_tags_choose_the_analyzer() {
        assert_eq!(analyzer("fr-FR").code(), "fr");
        assert_eq!(analyzer("nb").code(), "no");
        assert_eq!(analyzer("xx").code(), UNDETERMINED);
        assert_eq!(analyzer("").code(), UNDETERMINED);
    }
}
