//! Names as the languages that write them inflect them: "Rosji" and "России" are Russia,
//! "Deutschlands" is Germany, "Службы внешней разведки" is the SVR, "والصين" is China.
//!
//! The automaton of [`super::matcher`] finds forms exactly as the tables write them; this pass
//! finds the rest by comparing words after analysis. [`analyse`] is the one step that turns a
//! word of a language into the key it is compared under (fold, then stem); every name of the
//! generated and native tables is analysed in its own language once, and a word of the text is
//! analysed only in the languages of the names that start like it, so that English text, whose
//! words start like few foreign names, pays a hash lookup a word.
//!
//! Rules beyond stemming, each small and for names only:
//! - Arabic and Persian letters are folded (diacritics and tatweel dropped; alef, yeh, kaf,
//!   teh marbuta variants made one), Hebrew points dropped, Cyrillic ё made е, all after NFKC.
//! - Arabic and Hebrew attach conjunctions, prepositions and the article to the word ("والصين",
//!   "בישראל"): a word is also compared without one such prefix.
//! - Languages with no Snowball stemmer (Ukrainian, Belarusian, Bulgarian, Macedonian, Slovak,
//!   Slovene, Latvian, ...) drop one case ending from a short list ([`ending_rule`]).
//! - German, Dutch and the Nordic languages add a genitive "s" to a name ("Chinas").
//! - A name written with a capital matches only a word written with one; lower-case forms (the
//!   adjectives "niemiecki", "russe") match in any case.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use frostem::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

use super::matcher::{is_unspaced_script, is_word_char, Form, Hit};

/// NFKC, lower case and the script folds of the module docs: the form a word is compared in.
pub(crate) fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.nfkc().flat_map(char::to_lowercase) {
        match c {
            // Arabic harakat, superscript alef, tatweel; Hebrew points and cantillation
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' | '\u{0591}'..='\u{05C7}' => {}
            'أ' | 'إ' | 'آ' | 'ٱ' => out.push('ا'),
            'ى' | 'ی' | 'ئ' => out.push('ي'),
            'ک' => out.push('ك'),
            'ة' => out.push('ه'),
            'ؤ' => out.push('و'),
            'ё' => out.push('е'),
            '\u{2019}' => out.push('\''),
            c => out.push(c),
        }
    }
    out
}

/// The Snowball algorithm for a language (BCP 47 code), if there is one.
fn algorithm(lang: &str) -> Option<Algorithm> {
    Some(match lang {
        "ca" => Algorithm::Catalan,
        "cs" => Algorithm::Czech,
        "da" => Algorithm::Danish,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "es" => Algorithm::Spanish,
        "et" => Algorithm::Estonian,
        "eu" => Algorithm::Basque,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "ga" => Algorithm::Irish,
        "hi" => Algorithm::Hindi,
        "hu" => Algorithm::Hungarian,
        "hy" => Algorithm::Armenian,
        "id" | "ms" => Algorithm::Indonesian,
        "it" => Algorithm::Italian,
        "lt" => Algorithm::Lithuanian,
        "nb" | "nn" | "no" => Algorithm::Norwegian,
        "nl" => Algorithm::Dutch,
        "pl" => Algorithm::Polish,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sr" | "sr-Latn" | "hr" | "bs" => Algorithm::Serbian,
        "sv" => Algorithm::Swedish,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

/// Case endings of names in languages without a Snowball stemmer, longest first: the nominal
/// endings of their grammars (feminine -а/-я, -ія; genitive, dative, locative, instrumental).
fn ending_rule(lang: &str) -> &'static [&'static str] {
    match lang {
        // Nouns, then adjectives ("українського", "американської").
        "uk" => &[
            "ського",
            "ському",
            "ської",
            "ською",
            "ськими",
            "ських",
            "ський",
            "ська",
            "ське",
            "ські",
            "ією",
            "ами",
            "ями",
            "ові",
            "еві",
            "ою",
            "ею",
            "єю",
            "ії",
            "ія",
            "ій",
            "ям",
            "ах",
            "ях",
            "ом",
            "ем",
            "ого",
            "ому",
            "ої",
            "их",
            "ими",
            "ий",
            "а",
            "я",
            "у",
            "ю",
            "і",
            "ї",
            "и",
            "е",
            "о",
            "й",
            "ь",
        ],
        "be" => &[
            "ямі", "амі", "ыяй", "ію", "ія", "іі", "ай", "яй", "ой", "ах", "ях", "ам", "ям", "ом",
            "ем", "а", "я", "у", "ю", "і", "ы", "е", "о", "й",
        ],
        "bg" | "mk" => &["ията", "ата", "ия", "ът", "та", "а", "я", "и"],
        "sk" | "sl" => &[
            "ami", "ách", "ijo", "iji", "ije", "ija", "om", "ou", "u", "a", "e", "i", "o", "y",
        ],
        "lv" => &[
            "ijas", "ijai", "ijā", "ija", "as", "ai", "ā", "a", "u", "s", "i",
        ],
        "is" => &["ands", "lands", "i", "s", "u"],
        // Arabic and Persian: the relative adjective ("إيراني", "مصرية", "آمریکایی") and
        // plurals on a name whose final alef or teh marbuta drops; Snowball's Arabic stemmer
        // cuts names to two letters ("بيروت" would be Peru).
        "ar" => &["يين", "يون", "يه", "يا", "ي", "ا", "ه"],
        // Persian also makes a people's plural in -يان ("ایرانیان").
        "fa" | "ur" => &["هايي", "هاي", "يان", "ها", "يي", "ي", "ا"],
        "kk" | "az" | "uz" => &[
            "ының", "інің", "ның", "нің", "дың", "дің", "ға", "ге", "да", "де", "ны", "ні", "nın",
            "nin", "ın", "in", "a", "ə", "da", "də",
        ],
        _ => &[],
    }
}

/// Languages whose genitive (and sometimes plural) adds "s" to a name.
pub(crate) fn genitive_s(lang: &str) -> bool {
    matches!(lang, "de" | "nl" | "sv" | "da" | "nb" | "nn" | "af")
}

/// Languages whose adjectives take "-e" before a noun ("Amerikaans", "de Amerikaanse
/// Senaat"; "Nederlands", "Nederlandse postzegels"), which the Dutch stemmer does not join.
fn attributive_e(lang: &str) -> bool {
    matches!(lang, "nl" | "af")
}

/// Normalises and stems one word of language `lang` (a BCP 47 code): the key under which a
/// name and a word of the text are compared. This is the only place that knows how a language
/// inflects; the search analyser's per-language chain is the natural home for it.
pub(crate) fn analyse(lang: &str, word: &str) -> String {
    let folded = fold(word);
    stem_folded(lang, &folded)
}

fn stem_folded(lang: &str, folded: &str) -> String {
    if let Some(alg) = algorithm(lang) {
        return Stemmer::new(alg).stem(folded).into_owned();
    }
    let stem = strip_ending(lang, folded);
    // Persian and Urdu add the relative -ی to a name ending in alef ("آمریکا", "آمریکایی";
    // "ایتالیا", "ایتالیایی"): that alef goes too, as it does from the name itself.
    if matches!(lang, "fa" | "ur") && stem.len() < folded.len() && !folded.ends_with('ا') {
        if let Some(bare) = stem.strip_suffix('ا') {
            if bare.chars().count() >= 3 {
                return bare.to_string();
            }
        }
    }
    stem.to_string()
}

/// The word without the first of its language's [`ending_rule`] endings it has, keeping at
/// least three letters.
fn strip_ending<'w>(lang: &str, folded: &'w str) -> &'w str {
    let chars = folded.chars().count();
    for ending in ending_rule(lang) {
        if let Some(stem) = folded.strip_suffix(ending) {
            if chars - ending.chars().count() >= 3 {
                return stem;
            }
        }
    }
    folded
}

const ARABIC_PROCLITICS: &[&str] = &[
    "وبال", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ل", "ف", "ك",
];
const HEBREW_PROCLITICS: &[&str] = &[
    "וה", "שה", "מה", "בה", "לה", "כה", "ה", "ו", "ב", "ל", "מ", "ש", "כ",
];

/// The folded word and, in Arabic or Hebrew script, the word without one attached prefix.
fn variants(folded: &str) -> Vec<&str> {
    let mut out = vec![folded];
    let first = folded.chars().next().unwrap_or(' ');
    let list = match first as u32 {
        0x0600..=0x06FF => ARABIC_PROCLITICS,
        0x05D0..=0x05EA => HEBREW_PROCLITICS,
        _ => return out,
    };
    for p in list {
        if let Some(rest) = folded.strip_prefix(p) {
            if rest.chars().count() >= 3 {
                out.push(rest);
            }
        }
    }
    out
}

/// [`variants`] of a word of a name. A name that starts with a hamza on its alef ("ألبانيا",
/// "ألمانيا") starts with no prefix, though it folds to letters that look like the article: the
/// article and every prefix are written with a bare alef or none, so "بانها" ("that it") is not
/// Albania.
fn name_variants<'a>(t: &'a Token) -> Vec<&'a str> {
    if t.word.starts_with(['أ', 'إ', 'آ']) {
        vec![t.folded()]
    } else {
        variants(t.folded())
    }
}

/// Index key: the first three characters, packed (21 bits each) into one integer, so that a
/// word of the text is looked up without building a string.
fn key(folded: &str) -> u64 {
    folded
        .chars()
        .take(3)
        .fold(0, |k, c| (k << 21) | u64::from(c))
}

/// [`key`] of the folded form of an ASCII word, read from its bytes without folding it.
fn ascii_key(word: &str) -> u64 {
    word.bytes()
        .take(3)
        .fold(0, |k, b| (k << 21) | u64::from(b.to_ascii_lowercase()))
}

/// A word of the text. Its folded form is made only when a name might start there: most words
/// of a text start like no name of the language it is read in, and cost no allocation.
struct Token<'t> {
    start: usize,
    end: usize,
    word: &'t str,
    folded: OnceCell<String>,
    capital: bool,
}

impl Token<'_> {
    fn folded(&self) -> &str {
        self.folded.get_or_init(|| fold(self.word))
    }

    /// The index keys of the word's variants, in the order of [`variants`]. An ASCII word has
    /// one variant, its lower-case self.
    fn keys(&self) -> Keys {
        if self.word.is_ascii() {
            return Keys::One(ascii_key(self.word));
        }
        Keys::Many(variants(self.folded()).into_iter().map(key).collect())
    }
}

/// The index keys of one word of the text.
enum Keys {
    One(u64),
    Many(Vec<u64>),
}

impl Keys {
    fn as_slice(&self) -> &[u64] {
        match self {
            Keys::One(k) => std::slice::from_ref(k),
            Keys::Many(ks) => ks,
        }
    }
}

/// The words of a text: runs of word characters (apostrophes inside a word split it, as in
/// "d'Ivoire"); unspaced scripts (CJK) are left to the automaton.
fn tokens<'t>(text: &'t str) -> Vec<Token<'t>> {
    let mut out = Vec::new();
    let mut start = None;
    let close = |s: usize, e: usize, out: &mut Vec<Token<'t>>| {
        let word = &text[s..e];
        if !word.is_ascii() && word.chars().any(is_unspaced_script) {
            return;
        }
        out.push(Token {
            start: s,
            end: e,
            word,
            folded: OnceCell::new(),
            capital: word.chars().next().is_some_and(char::is_uppercase),
        });
    };
    for (i, c) in text.char_indices() {
        let word = is_word_char(c) || (start.is_some() && is_mark(c));
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                close(s, i, &mut out);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        close(s, text.len(), &mut out);
    }
    out
}

/// Combining marks inside a word (Indic vowel signs, Arabic harakat, Hebrew points).
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0591..=0x05C7 | 0x064B..=0x065F | 0x0670 | 0x0900..=0x0DFF)
}

/// Which Latin-script names of languages other than English a text is read for (see
/// `rules::Context::latin_names`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Latin<'a> {
    /// None: English text, where other languages' stemmers would take English words for names.
    None,
    /// All: text of no known language that does not read as English.
    All,
    /// Those of one language, as [`primary_language`] gives it: text known to be in it.
    Only(&'a str),
}

/// The primary subtag of a language code in lower case, the Norwegian written standards taken
/// as one: two codes name one language for names when this is the same.
pub(crate) fn primary_language(code: &str) -> String {
    let p = code
        .split(['-', '_'])
        .next()
        .unwrap_or(code)
        .to_ascii_lowercase();
    match p.as_str() {
        "nb" | "nn" => "no".to_string(),
        _ => p,
    }
}

/// One analysed name.
struct Entry {
    entity: &'static str,
    lang: &'static str,
    /// The name as the table writes it.
    lemma: &'static str,
    form: Form,
    /// Per word of the name, its analysed variants (more than one only in Arabic and Hebrew).
    words: Vec<Vec<String>>,
    /// Per word of the name, its folded variants, for [`resembles`].
    folded: Vec<Vec<String>>,
    /// Whether the first word starts with a capital, which the text must then have too.
    capital: bool,
    /// A Latin-script name of a language other than English: not tried in English text, where
    /// other languages' stemmers would take English words for names ("Security" stems like
    /// Romanian "Securitatea").
    latin_foreign: bool,
    /// [`primary_language`] of `lang`.
    primary: String,
    /// The index keys of the first word's variants, sorted, unique.
    keys: Vec<u64>,
}

/// Entry numbers by the key of how their first word starts, in entry order.
type KeyIndex = hashbrown::HashMap<u64, Vec<u32>>;

/// Every analysed name of one entity kind, indexed by how its first word starts.
pub(crate) struct Inflected {
    entries: Vec<Entry>,
    /// The index for each way of reading Latin-script foreign names ([`Latin`]), built on first
    /// use and holding only the entries read that way: English text looks up no Latin-script
    /// name of another language, so its words, which start like many of them ("can" like
    /// "Canada" in thirty languages), are passed over at the cost of one lookup.
    read_none: OnceLock<KeyIndex>,
    read_all: OnceLock<KeyIndex>,
    read_one: HashMap<String, OnceLock<KeyIndex>>,
    /// Words the automaton's own tables decide about ("Chad", "Jordan"): never re-read here,
    /// so that a context rule that rejected one is not undone by a foreign name that stems alike.
    owned: HashSet<String>,
}

impl Inflected {
    /// Builds the pass from `(entity, language, name, form)`; `owned` are the written forms the
    /// automaton decides about.
    pub(crate) fn new<I>(names: I, owned: HashSet<String>) -> Inflected
    where
        I: IntoIterator<Item = (&'static str, &'static str, &'static str, Form)>,
    {
        let mut entries = Vec::new();
        for (entity, lang, lemma, form) in names {
            let toks = tokens(lemma);
            let words: Vec<Vec<String>> = toks
                .iter()
                .map(|t| {
                    name_variants(t)
                        .into_iter()
                        .map(|v| stem_folded(lang, v))
                        .collect()
                })
                .collect();
            if words.is_empty() || words.iter().any(|w| w.iter().all(|s| s.is_empty())) {
                continue;
            }
            let folded: Vec<Vec<String>> = toks
                .iter()
                .map(|t| name_variants(t).into_iter().map(String::from).collect())
                .collect();
            let first = &toks[0];
            let mut keys: Vec<u64> = name_variants(first).into_iter().map(key).collect();
            keys.sort_unstable();
            keys.dedup();
            let latin_foreign = lang != "en"
                && lemma
                    .chars()
                    .find(|c| c.is_alphabetic())
                    .is_some_and(|c| c.is_ascii() || ('\u{c0}'..='\u{24f}').contains(&c));
            entries.push(Entry {
                entity,
                lang,
                lemma,
                form,
                words,
                folded,
                capital: first.capital,
                latin_foreign,
                primary: primary_language(lang),
                keys,
            });
        }
        let read_one = entries
            .iter()
            .filter(|e| e.latin_foreign)
            .map(|e| (e.primary.clone(), OnceLock::new()))
            .collect();
        Inflected {
            entries,
            read_none: OnceLock::new(),
            read_all: OnceLock::new(),
            read_one,
            owned,
        }
    }

    /// The index of the entries read under `latin`.
    fn index(&self, latin: Latin) -> &KeyIndex {
        let build = |reads: &dyn Fn(&str) -> bool| {
            let mut index = KeyIndex::default();
            for (n, e) in self.entries.iter().enumerate() {
                if e.latin_foreign && !reads(&e.primary) {
                    continue;
                }
                let n = u32::try_from(n).expect("bug: more than 2^32 names");
                for &k in &e.keys {
                    index.entry(k).or_default().push(n);
                }
            }
            index
        };
        match latin {
            Latin::All => self.read_all.get_or_init(|| build(&|_| true)),
            Latin::Only(lang) if self.read_one.contains_key(lang) => {
                self.read_one[lang].get_or_init(|| build(&|primary| primary == lang))
            }
            Latin::None | Latin::Only(_) => self.read_none.get_or_init(|| build(&|_| false)),
        }
    }

    /// Every match in `text` outside the `covered` spans, leftmost first, the longest name at
    /// each word; `keep` is the context rule. `latin` says which Latin-script names of
    /// languages other than English are read in this text; it is asked at most once, and only
    /// if the text has a word.
    pub(crate) fn find<'l, F, L>(
        &self,
        text: &str,
        covered: &[(usize, usize)],
        latin: L,
        keep: F,
    ) -> Vec<Hit>
    where
        F: Fn(usize, usize, &'static str, &'static str, Form) -> bool,
        L: FnOnce() -> Latin<'l>,
    {
        let toks = tokens(text);
        let mut hits = Vec::new();
        if toks.is_empty() {
            return hits;
        }
        let index = self.index(latin());
        let free = |t: &Token| !covered.iter().any(|&(s, e)| t.start < e && s < t.end);
        let mut stems: hashbrown::HashMap<(usize, &str), Vec<String>> = Default::default();
        let mut i = 0;
        while i < toks.len() {
            let t = &toks[i];
            let keys = t.keys();
            let lists: Vec<&[u32]> = keys
                .as_slice()
                .iter()
                .filter_map(|k| index.get(k).map(Vec::as_slice))
                .collect();
            let mut best: Option<(usize, usize)> = None; // (words, entry)
            if !lists.is_empty() && free(t) && !self.owned.contains(t.folded()) {
                let mut seen: Vec<u32> = Vec::new();
                for list in lists {
                    for &n in list {
                        if keys.as_slice().len() > 1 {
                            if seen.contains(&n) {
                                continue;
                            }
                            seen.push(n);
                        }
                        let n = n as usize;
                        let e = &self.entries[n];
                        let capital = e.capital && e.form != Form::Demonym;
                        if capital && !t.capital {
                            continue;
                        }
                        let len = e.words.len();
                        // At the same length, a name written exactly as the text has it
                        // goes before an adjective that only stems alike (Italian "Italia" is
                        // the country, though it stems like "italiano", the language).
                        let tie = best.is_some_and(|(w, b)| {
                            w == len
                                && self.entries[b].form == Form::Demonym
                                && e.form != Form::Demonym
                        });
                        if (best.is_some_and(|(w, _)| w >= len) && !tie) || i + len > toks.len() {
                            continue;
                        }
                        let fits = (0..len).all(|k| {
                            let tk = &toks[i + k];
                            if k > 0 && (!joined(text, toks[i + k - 1].end, tk.start) || !free(tk))
                            {
                                return false;
                            }
                            let got = stems
                                .entry((i + k, e.lang))
                                .or_insert_with(|| word_stems(e.lang, tk.folded()));
                            // The word's stem is the name's or the name as written: Russian
                            // stems "Вьетнам" to "вьетн" but "Вьетнаме" to "вьетнам".
                            let stems_alike = got
                                .iter()
                                .any(|s| e.words[k].contains(s) || e.folded[k].contains(s));
                            stems_alike
                                && restored(e.lang, tk.folded())
                                    .iter()
                                    .any(|w| resembles(w, &e.folded[k], e.form == Form::Demonym))
                        });
                        let exact = || {
                            (0..len).all(|k| e.folded[k].iter().any(|f| f == toks[i + k].folded()))
                        };
                        if fits && (!tie || exact()) {
                            best = Some((len, n));
                        }
                    }
                }
            }
            match best {
                Some((len, n)) => {
                    let e = &self.entries[n];
                    let (start, end) = (t.start, toks[i + len - 1].end);
                    if keep(start, end, e.entity, e.lemma, e.form) {
                        hits.push(Hit {
                            start,
                            end,
                            entity: e.entity,
                        });
                        i += len;
                        continue;
                    }
                    i += 1;
                }
                None => i += 1,
            }
        }
        hits
    }
}

/// Whether a word of the text looks like an inflected form of a word of a name, beyond
/// sharing its stem: no shorter than it (an adjective, whose dictionary form has the longest
/// ending, by at most two letters) and sharing its first letters (all but the last, up to
/// five). Stemmers cut short names to a few letters, and other words of the same few letters
/// ("Les" and Lesotho, "Marie" and "Maroc", "Kanto" and "Kanada") would pass for them.
fn resembles(word: &str, name_variants: &[String], adjective: bool) -> bool {
    let slack = if adjective { 2 } else { 0 };
    variants(word).iter().any(|w| {
        name_variants.iter().any(|n| {
            let n_len = n.chars().count();
            let shared = w.chars().zip(n.chars()).take_while(|(a, b)| a == b).count();
            w.chars().count() + slack >= n_len && shared >= (n_len.saturating_sub(1)).min(5)
        })
    })
}

/// Polish case endings the stemmer leaves apart from the nominative: locatives and datives that
/// change the stem's last consonant ("Polska", "w Polsce"; "Ameryka", "w Ameryce"; "Kanada",
/// "w Kanadzie"; "Litwa", "na Litwie"; "Niemcy", "w Niemczech") and the genitive of names in
/// -ia and -ja ("Belgia", "Belgii"; "Kolumbia", "Kolumbii"): each ending with the nominative
/// ending it comes from.
const POLISH_ALTERNATIONS: &[(&str, &str)] = &[
    ("czech", "cy"),
    ("ii", "ia"),
    ("ji", "ja"),
    ("dzie", "da"),
    ("cie", "ta"),
    ("rze", "ra"),
    ("ce", "ka"),
    ("dze", "ga"),
    ("wie", "wa"),
    ("nie", "na"),
    ("mie", "ma"),
    ("le", "ła"),
];

/// A folded word of the text, and in Polish the nominative its locative ending comes from.
fn restored(lang: &str, folded: &str) -> Vec<String> {
    let mut out = vec![folded.to_string()];
    if lang == "pl" {
        for (ending, nominative) in POLISH_ALTERNATIONS {
            if let Some(base) = folded.strip_suffix(ending) {
                if base.chars().count() >= 3 {
                    out.push(format!("{base}{nominative}"));
                }
            }
        }
    }
    out
}

/// The analysed variants of a folded word of the text, with the genitive "s" also taken off
/// where the language adds one, and Polish locatives restored.
fn word_stems(lang: &str, folded: &str) -> Vec<String> {
    let mut out: Vec<String> = variants(folded)
        .into_iter()
        .map(|v| stem_folded(lang, v))
        .collect();
    out.extend(
        restored(lang, folded)
            .iter()
            .skip(1)
            .map(|r| stem_folded(lang, r)),
    );
    let mut bare = |suffix: char| {
        if let Some(bare) = folded.strip_suffix(suffix) {
            if bare.chars().count() >= 3 {
                out.push(stem_folded(lang, bare));
            }
        }
    };
    if genitive_s(lang) {
        bare('s');
    }
    if attributive_e(lang) {
        bare('e');
    }
    out
}

/// Whether two words of a name follow each other: only spaces, hyphens or an apostrophe between.
fn joined(text: &str, end: usize, start: usize) -> bool {
    let gap = &text[end..start];
    !gap.is_empty()
        && gap.len() <= 4
        && gap
            .chars()
            .all(|c| matches!(c, ' ' | '-' | '.' | '\'' | '\u{2019}' | '\u{a0}'))
}

/// The language a native name of a service is written in, from its script and the service's
/// country; `None` where the name is a transliteration or the language has no analysis here
/// (the automaton still matches it as written).
pub(crate) fn native_language(country: &str, name: &str) -> Option<&'static str> {
    let script = name
        .chars()
        .find(|c| c.is_alphabetic())
        .map_or(0, |c| c as u32);
    match script {
        0x0400..=0x04FF => Some(match country {
            "UA" => "uk",
            "BY" if name.contains(['і', 'ў']) => "be",
            "BG" => "bg",
            "RS" | "ME" | "BA" => "sr",
            "MK" => "mk",
            "KZ" if name.contains(['ұ', 'қ', 'ә', 'і', 'ң', 'ү', 'Ұ']) => "kk",
            _ => "ru",
        }),
        0x0600..=0x06FF => Some(match country {
            "IR" | "AF" => "fa",
            "PK" => "ur",
            _ => "ar",
        }),
        0x05D0..=0x05EA => Some("he"),
        0x0370..=0x03FF => Some("el"),
        0x0041..=0x024F => latin_language(country, name),
        _ => None,
    }
}

/// The language of a name in another language's press, from its script alone: Cyrillic is
/// read as Russian, Arabic script as Arabic (Persian where it has Persian letters), Latin
/// script with the Turkish dotless i, ş or ğ as Turkish; other Latin names, CJK and other
/// scripts are matched as written.
pub(crate) fn script_language(name: &str) -> Option<&'static str> {
    let first = name.chars().find(|c| c.is_alphabetic())? as u32;
    match first {
        0x0041..=0x024F if name.contains(['ı', 'ş', 'ğ', 'İ', 'Ş']) => Some("tr"),
        0x0400..=0x04FF => Some("ru"),
        0x0600..=0x06FF if name.contains(['پ', 'چ', 'ژ', 'گ', 'ک', 'ی']) => Some("fa"),
        0x0600..=0x06FF => Some("ar"),
        _ => None,
    }
}

/// The language of a Latin-script native name: the country's, unless the name is a
/// transliteration from another script (Russian, Arabic, Persian, Chinese, ...).
fn latin_language(country: &str, name: &str) -> Option<&'static str> {
    let lang = match country {
        "FR" | "MA" | "DZ" | "TN" | "SN" | "CI" | "LU" => "fr",
        "BE" | "CH" if name.contains(['é', 'è', 'ê']) || name.contains(" de ") => "fr",
        "DE" | "AT" | "CH" => "de",
        "NL" | "BE" => "nl",
        "IT" => "it",
        "ES" | "AR" | "CL" | "CO" | "MX" | "PE" | "VE" | "CU" => "es",
        "PT" | "BR" => "pt",
        "PL" => "pl",
        "CZ" => "cs",
        "SK" => "sk",
        "HU" => "hu",
        "RO" | "MD" => "ro",
        "SE" => "sv",
        "NO" => "nb",
        "DK" => "da",
        "FI" if name.ends_with("polisen") => "sv",
        "FI" => "fi",
        "EE" => "et",
        "LV" => "lv",
        "LT" => "lt",
        "HR" => "hr",
        "SI" => "sl",
        "TR" => "tr",
        "AL" => "sq",
        "AZ" => "az",
        _ => return None,
    };
    Some(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analysis_joins_inflected_forms() {
        assert_eq!(analyse("ru", "России"), analyse("ru", "Россия"));
        assert_eq!(analyse("pl", "Rosji"), analyse("pl", "Rosja"));
        assert_eq!(analyse("de", "Deutschlands"), analyse("de", "Deutschland"));
        assert_eq!(analyse("uk", "Росії"), analyse("uk", "Росія"));
        assert_eq!(fold("إيران"), fold("ايران"));
        assert_eq!(fold("مُوسَاد"), fold("موساد"));
        assert_eq!(fold("ＦＳＢ"), "fsb");
    }

    #[test]
    fn prefixes_and_genitives_match() {
        let inf = Inflected::new(
            [
                ("CN", "ar", "الصين", Form::Name),
                ("CN", "de", "China", Form::Name),
                ("US", "pl", "Stany Zjednoczone", Form::Name),
                ("PL", "pl", "Polska", Form::Name),
                ("BE", "pl", "Belgia", Form::Name),
                ("US", "pl", "Ameryka", Form::Name),
            ],
            HashSet::new(),
        );
        let ids = |text: &str| -> Vec<&str> {
            inf.find(text, &[], || Latin::All, |_, _, _, _, _| true)
                .iter()
                .map(|h| h.entity)
                .collect()
        };
        assert_eq!(ids("وقالت والصين"), ["CN"]);
        assert_eq!(ids("Die Politik Chinas ist"), ["CN"]);
        assert_eq!(ids("ze Stanami Zjednoczonymi"), ["US"]);
        assert_eq!(ids("w Polsce i w Ameryce"), ["PL", "US"]);
        assert_eq!(ids("w Belgii"), ["BE"]);
        assert!(ids("china").is_empty());
    }
}
