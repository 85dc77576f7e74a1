//! Tagging: finds the intelligence agencies and countries a text names and hands on their
//! canonical IDs (agency IDs such as `DGSE`, ISO 3166-1 alpha-2 codes such as `FR`), with each
//! mention's byte offsets and surface form so that a reader can see why a passage was tagged.
//!
//! The alias tables are data files beside this module (`agencies.toml`, `countries.tsv`, and
//! `names.tsv`: country names in 58 languages, generated from CLDR by
//! `scripts/gen-country-names`), compiled in and parsed once ([`tables`]). Matching
//! ([`matcher`]) runs one Aho-Corasick automaton per kind, leftmost-longest on word boundaries,
//! so "Chinese Ministry of State Security" gives the agency MSS and, separately, the country
//! CN; then [`inflect`] finds, outside those matches, names as their languages inflect them
//! ("Rosji", "России", "Deutschlands", "والصين") by comparing words after normalisation and
//! stemming, and [`borrowed`] finds names to which a document's language glues a case ending
//! ("CIAko", "USAs"). Case rules keep "raw data", "turkey" and "china" out; context rules
//! ([`rules`]) handle "Jordan Ellis", "Savannah, Georgia", "NSA Ajit Doval", datelines,
//! venues, ambiguous acronyms and names inside longer names ("IBM France").
//!
//! ```
//! let tags = dossier::tag::tag("Beijing said officers of the Directorate General of External Security met in Helsinki.");
//! assert_eq!(tags.agencies, ["DGSE"]);
//! assert_eq!(tags.countries, ["CN"], "Helsinki is only where they met");
//! let tags = dossier::tag::tag("Агенты Службы внешней разведки России и ЦРУ");
//! assert_eq!(tags.agencies, ["CIA", "SVR"]);
//! assert_eq!(tags.countries, ["RU"]);
//! assert_eq!(dossier::tag::resolve_agency("french foreign intelligence"), Some("DGSE"));
//! assert_eq!(dossier::tag::resolve_country("Britain"), Some("GB"));
//! ```

mod borrowed;
mod inflect;
mod matcher;
mod rules;
mod tables;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{LazyLock, OnceLock};

use borrowed::Borrowed;
use inflect::Inflected;
use matcher::{Candidate, Form, Matcher};
pub use tables::{agencies, countries, former_states, Agency, Country, Former, LocalName};

/// What a mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// An intelligence or security service.
    Agency,
    /// A country or territory.
    Country,
}

/// One place where a text names an entity.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Mention {
    /// Agency or country.
    pub kind: EntityKind,
    /// Canonical agency ID or ISO 3166-1 alpha-2 code.
    pub id: &'static str,
    /// Byte offset of the first byte of the mention in the tagged text.
    pub start: usize,
    /// Byte offset just past the mention in the tagged text.
    pub end: usize,
    /// The text as written there ("China's" gives "China").
    pub surface: String,
}

/// The entities a text names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags {
    /// Agency IDs, sorted, unique.
    pub agencies: Vec<&'static str>,
    /// Country codes (today's countries), sorted, unique.
    pub countries: Vec<&'static str>,
    /// Codes of former states ("SU" for the Soviet Union), sorted, unique: kept apart so that a
    /// Cold War story is not counted as one about today's Russia.
    pub former: Vec<&'static str>,
    /// Every mention in text order. After [`Tags::merge`], offsets stay relative to the text
    /// each mention was found in.
    pub mentions: Vec<Mention>,
}

impl Tags {
    /// Adds the IDs (and mentions) of `other`, e.g. to sum the passages of one article.
    pub fn merge(&mut self, other: &Tags) {
        union_into(&mut self.agencies, &other.agencies);
        union_into(&mut self.countries, &other.countries);
        union_into(&mut self.former, &other.former);
        self.mentions.extend(other.mentions.iter().cloned());
    }

    /// Per ID (agency, country or former state), the distinct words that made it, as written
    /// (runs of whitespace made one space), in the order the text first uses them, at most
    /// [`MATCHED_PER_ID`] each: what `"matched"` shows so a reader sees why a text is tagged.
    pub fn matched(&self) -> Matched {
        let mut out = Matched::new();
        for m in &self.mentions {
            let surface = m.surface.split_whitespace().collect::<Vec<_>>().join(" ");
            let forms = out.entry(m.id.to_string()).or_default();
            if forms.len() < MATCHED_PER_ID && !forms.contains(&surface) {
                forms.push(surface);
            }
        }
        out
    }

    /// Whether no entity was found.
    pub fn is_empty(&self) -> bool {
        self.agencies.is_empty() && self.countries.is_empty() && self.former.is_empty()
    }
}

/// Tag ID → the words of the text that made it (see [`Tags::matched`]).
pub type Matched = BTreeMap<String, Vec<String>>;

/// How many distinct words [`Tags::matched`] keeps per ID: enough to see why, bounded for an
/// article that names a country in fifty ways.
pub const MATCHED_PER_ID: usize = 8;

fn union_into(into: &mut Vec<&'static str>, from: &[&'static str]) {
    into.extend_from_slice(from);
    into.sort_unstable();
    into.dedup();
}

struct Matchers {
    agencies: Matcher,
    countries: Matcher,
    agencies_inflected: Inflected,
    countries_inflected: Inflected,
    agencies_borrowed: Borrowed,
    countries_borrowed: Borrowed,
}

/// Whether a name is written in a script without spaces (CJK): the automaton matches those as
/// written, the inflection pass matches the rest.
fn is_unspaced(name: &str) -> bool {
    name.chars().any(matcher::is_unspaced_script)
}

/// The folded single words among `forms`: the words the automaton's tables decide about.
fn owned_words<'a>(forms: impl Iterator<Item = &'a str>) -> HashSet<String> {
    forms
        .filter(|f| !f.contains(' '))
        .map(inflect::fold)
        .collect()
}

static MATCHERS: LazyLock<Matchers> = LazyLock::new(|| {
    let agency_forms = agencies().iter().flat_map(|a| {
        let id = Some(a.id);
        let names = a
            .english
            .iter()
            .chain(&a.native)
            .chain(&a.foreign)
            .map(move |n| (id, *n, Form::Name));
        let acronyms = a
            .acronyms
            .iter()
            .chain(&a.shared)
            .map(move |n| (id, *n, Form::Acronym));
        let informal = a.informal.iter().map(move |n| (id, *n, Form::Informal));
        names.chain(acronyms).chain(informal)
    });
    let agency_stops = rules::STOP_AGENCY.iter().map(|s| (None, *s, Form::Stop));
    let country_forms = tables::all_countries().iter().flat_map(|c| {
        let id = Some(c.code);
        let names = std::iter::once(c.name)
            .chain(std::iter::once(c.formal))
            .chain(c.other_names.iter().copied())
            .map(move |n| (id, n, Form::Name));
        let demonyms = c.demonyms.iter().map(move |n| (id, *n, Form::Demonym));
        let capitals = c.capitals.iter().map(move |n| (id, *n, Form::Capital));
        let unspaced = c
            .local
            .iter()
            .filter(|l| is_unspaced(l.form))
            .map(move |l| (id, l.form, local_form(l)));
        names.chain(demonyms).chain(capitals).chain(unspaced)
    });
    let country_stops = rules::STOP_COUNTRY.iter().map(|s| (None, *s, Form::Stop));
    let country_owned = owned_words(tables::all_countries().iter().flat_map(|c| {
        std::iter::once(c.name)
            .chain(c.aliases.iter().copied())
            .chain(rules::STOP_COUNTRY.iter().copied())
    }));
    let country_local = tables::all_countries().iter().flat_map(|c| {
        c.local
            .iter()
            .filter(|l| !is_unspaced(l.form))
            .map(move |l| (c.code, l.lang, l.form, local_form(l)))
    });
    let agency_owned = owned_words(agencies().iter().flat_map(|a| {
        a.acronyms
            .iter()
            .chain(&a.english)
            .chain(&a.informal)
            .copied()
    }));
    let agency_native = agencies().iter().flat_map(|a| {
        let native = a.native.iter().filter_map(move |n| {
            let lang = inflect::native_language(a.country, n)?;
            Some((a.id, lang, *n, Form::Name))
        });
        let foreign = a.foreign.iter().filter_map(move |n| {
            let lang = inflect::script_language(n)?;
            Some((a.id, lang, *n, Form::Name))
        });
        let described = a
            .described
            .iter()
            .map(move |n| (a.id, "en", *n, Form::Informal));
        native.chain(foreign).chain(described)
    });
    let agency_borrowed = agencies().iter().flat_map(|a| {
        let english = a.english.iter().map(move |n| (a.id, *n, Form::Name, None));
        let native = a.native.iter().chain(&a.informal).map(move |n| {
            let home = inflect::native_language(a.country, n);
            (a.id, *n, Form::Name, home)
        });
        let acronyms = a.acronyms.iter().chain(&a.shared);
        let acronyms = acronyms.map(move |n| (a.id, *n, Form::Acronym, None));
        english.chain(native).chain(acronyms)
    });
    let country_borrowed = tables::all_countries().iter().flat_map(|c| {
        std::iter::once(c.name)
            .chain(c.other_names.iter().copied())
            .chain(c.aliases.iter().copied())
            .filter(|n| !n.chars().any(char::is_lowercase))
            .map(move |n| (c.code, n, Form::Name, None))
    });
    Matchers {
        agencies_borrowed: Borrowed::new(agency_borrowed),
        countries_borrowed: Borrowed::new(country_borrowed),
        agencies: Matcher::new(agency_forms.chain(agency_stops)),
        countries: Matcher::new(country_forms.chain(country_stops)),
        agencies_inflected: Inflected::new(agency_native, agency_owned),
        countries_inflected: Inflected::new(country_local, country_owned),
    }
});

fn local_form(l: &LocalName) -> Form {
    if l.adjective {
        Form::Demonym
    } else {
        Form::Name
    }
}

/// Hard-wrapped text ("South\nAfrica"), tabs and no-break spaces would hide multi-word forms
/// from the automaton, whose patterns have single spaces. Such text is matched on a copy in
/// which each whitespace run is one space, or one line break where the run holds a blank line
/// (a paragraph ends there, which the context rules need to know); the map gives each copied
/// byte's original offset. Text that needs no change (the usual passage) is not copied.
fn single_spaced(text: &str) -> Option<(String, Vec<usize>)> {
    let mut prev_space = false;
    let needed = text.chars().any(|c| {
        let odd = c.is_whitespace() && (c != ' ' || prev_space);
        prev_space = c.is_whitespace();
        odd
    });
    if !needed {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len());
    let mut run: Option<(usize, usize)> = None; // (start of the run, line breaks in it)
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            let (from, breaks) = run.unwrap_or((i, 0));
            run = Some((from, breaks + usize::from(c == '\n')));
            continue;
        }
        if let Some((from, breaks)) = run.take() {
            out.push(if breaks >= 2 { '\n' } else { ' ' });
            map.push(from);
        }
        out.push(c);
        map.extend(i..i + c.len_utf8());
    }
    Some((out, map))
}

/// Tags a text (a passage or a title): every agency and country it names, with the mentions.
pub fn tag(text: &str) -> Tags {
    tag_in(text, &rules::Context::new(&[text]))
}

/// Tags the texts of one document (an article's title and paragraphs), each apart, with the
/// context rules reading the whole document: "Lisa Monaco" in one paragraph makes "Monaco said"
/// in the next the person, and a document that spells out "National Security Adviser (NSA)"
/// uses the acronym that way throughout. One `Tags` per text, in order.
pub fn tag_document<S: AsRef<str>>(texts: &[S]) -> Vec<Tags> {
    tag_document_in(texts, None)
}

/// [`tag_document`] for a document whose language is known (an ISO 639-1 code, as
/// [`crate::lang::detect`] gives it): Latin-script names of other languages are then matched
/// only as written, not in inflected forms.
pub fn tag_document_in<S: AsRef<str>>(texts: &[S], language: Option<&str>) -> Vec<Tags> {
    let texts: Vec<&str> = texts.iter().map(AsRef::as_ref).collect();
    let ctx = rules::Context::in_language(&texts, language);
    texts.iter().map(|t| tag_in(t, &ctx)).collect()
}

/// The countries (and former states) the texts of one document name: what the context rules
/// read as a service's country being named.
pub(crate) fn countries_named(texts: &[&str]) -> Vec<&'static str> {
    let ctx = rules::Context::new(texts);
    let mut out: Vec<&'static str> = Vec::new();
    for text in texts {
        let found = find_countries_in(text, &ctx);
        out.extend(found.iter().map(|h| h.entity));
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The country hits of one text: the automaton's, then the inflection pass's outside them.
fn find_countries_in(work: &str, ctx: &rules::Context) -> Vec<matcher::Hit> {
    let m = &*MATCHERS;
    let (mut hits, mut covered) = m
        .countries
        .find(work, |t, s, e, c| rules::keep_country(ctx, t, s, e, c));
    covered.extend(hits.iter().map(|h| (h.start, h.end)));
    let found = m.countries_inflected.find(
        work,
        &covered,
        || ctx.latin_names(),
        |s, e, id, lemma, form| {
            let cand = Candidate::new(Some(id), lemma.to_string(), form);
            rules::keep_country(ctx, work, s, e, &cand)
        },
    );
    hits.extend(found);
    if let Some(lang) = ctx.language().filter(|l| *l != "en") {
        let covered: Vec<(usize, usize)> = hits.iter().map(|h| (h.start, h.end)).collect();
        let found = m
            .countries_borrowed
            .find(work, lang, &covered, |s, e, id, name, form| {
                let cand = Candidate::new(Some(id), name.to_string(), form);
                rules::keep_country(ctx, work, s, e, &cand)
            });
        hits.extend(found);
    }
    hits
}

fn tag_in(text: &str, ctx: &rules::Context) -> Tags {
    let m = &*MATCHERS;
    let spaced = single_spaced(text);
    let work = spaced.as_ref().map_or(text, |(s, _)| s.as_str());
    // Offsets in `work` back to `text`; a form never ends in whitespace, so its last byte is
    // a copied byte.
    let original = |start: usize, end: usize| match &spaced {
        Some((_, map)) => (map[start], map[end - 1] + 1),
        None => (start, end),
    };
    let (mut agency_hits, mut covered) = m
        .agencies
        .find(work, |t, s, e, c| rules::keep_agency(ctx, t, s, e, c));
    covered.extend(agency_hits.iter().map(|h| (h.start, h.end)));
    let found = m.agencies_inflected.find(
        work,
        &covered,
        || ctx.latin_names(),
        |s, e, id, lemma, form| {
            let cand = Candidate::new(Some(id), lemma.to_string(), form);
            rules::keep_agency(ctx, work, s, e, &cand)
        },
    );
    agency_hits.extend(found);
    if let Some(lang) = ctx.language().filter(|l| *l != "en") {
        let covered: Vec<(usize, usize)> = agency_hits.iter().map(|h| (h.start, h.end)).collect();
        let found = m
            .agencies_borrowed
            .find(work, lang, &covered, |s, e, id, name, form| {
                let cand = Candidate::new(Some(id), name.to_string(), form);
                rules::keep_agency(ctx, work, s, e, &cand)
            });
        agency_hits.extend(found);
    }
    let country_hits = find_countries_in(work, ctx);
    let mut tags = Tags::default();
    let hits = agency_hits
        .iter()
        .map(|h| (EntityKind::Agency, h))
        .chain(country_hits.iter().map(|h| (EntityKind::Country, h)));
    for (kind, h) in hits {
        let id = match kind {
            EntityKind::Agency => h.entity,
            EntityKind::Country => rules::country_of_era(work, h.start, h.end, h.entity),
        };
        match kind {
            EntityKind::Agency => tags.agencies.push(id),
            EntityKind::Country if is_former(id) => tags.former.push(id),
            EntityKind::Country => tags.countries.push(id),
        }
        let (start, end) = original(h.start, h.end);
        tags.mentions.push(Mention {
            kind,
            id,
            start,
            end,
            surface: text[start..end].to_string(),
        });
    }
    for ids in [&mut tags.agencies, &mut tags.countries, &mut tags.former] {
        ids.sort_unstable();
        ids.dedup();
    }
    tags.mentions.sort_by_key(|m| (m.start, m.kind));
    tags
}

/// The key under which user input and aliases are compared: lower case, straight apostrophes,
/// single spaces, no leading "the".
fn lookup_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word);
    }
    let key = key.replace('\u{2019}', "'").to_lowercase();
    match key.strip_prefix("the ") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => key,
    }
}

/// Maps lookup keys to IDs; a key two IDs share maps to `None` (ambiguous, never guessed).
fn lookup_table<'a>(
    entries: impl Iterator<Item = (&'static str, &'a str)>,
) -> HashMap<String, Option<&'static str>> {
    let mut map: HashMap<String, Option<&'static str>> = HashMap::new();
    for (id, alias) in entries {
        let slot = map.entry(lookup_key(alias)).or_insert(Some(id));
        if *slot != Some(id) {
            *slot = None;
        }
    }
    map
}

/// Lookup keys to IDs, built on first use.
type Lookup = HashMap<String, Option<&'static str>>;

static AGENCY_LOOKUP: OnceLock<Lookup> = OnceLock::new();
static COUNTRY_LOOKUP: OnceLock<Lookup> = OnceLock::new();

fn agency_lookup() -> &'static Lookup {
    AGENCY_LOOKUP.get_or_init(|| {
        // IDs first: an ID always resolves to itself. Shared acronyms stay with their owner.
        let ids = agencies().iter().map(|a| (a.id, a.id));
        let aliases = agencies().iter().flat_map(|a| {
            a.names
                .iter()
                .filter(|n| !a.shared.contains(n))
                .map(move |n| (a.id, *n))
        });
        lookup_table(ids.chain(aliases))
    })
}

fn country_lookup() -> &'static Lookup {
    COUNTRY_LOOKUP.get_or_init(|| {
        let all = tables::country_aliases();
        let codes = all.iter().map(|c| (c.code, c.code));
        let names = all.iter().flat_map(|c| {
            std::iter::once((c.code, c.name)).chain(c.aliases.iter().map(move |a| (c.code, *a)))
        });
        lookup_table(codes.chain(names))
    })
}

/// Whether `text` could be an agency's or a country's name for [`resolve_agency`] and
/// [`resolve_country`]: false when it stands in the tables as no whole name, which is cheap to
/// tell without building the lookup tables (a search asks this of the words of its query).
/// Once a process has built them (`dossier serve` after its first name), they answer instead.
pub fn may_name(text: &str) -> bool {
    match (AGENCY_LOOKUP.get(), COUNTRY_LOOKUP.get()) {
        (Some(agencies), Some(countries)) => {
            let key = lookup_key(text);
            agencies.contains_key(&key) || countries.contains_key(&key)
        }
        _ => tables::may_name(text),
    }
}

/// Builds the lookup tables of [`resolve_agency`] and [`resolve_country`] now: a process that
/// answers many queries (`dossier serve`) pays for them once, and [`may_name`] reads them from
/// then on instead of scanning the tables' text.
pub fn prepare_lookups() {
    agency_lookup();
    country_lookup();
}

/// Any alias, in any case, or the ID itself, to the canonical agency ID:
/// "dgse", "Directorate General of External Security", "French foreign intelligence" all give
/// `Some("DGSE")`.
pub fn resolve_agency(name: &str) -> Option<&'static str> {
    agency_lookup().get(&lookup_key(name)).copied().flatten()
}

/// An ISO code, name, formal name, other name, demonym or capital, in any case, to the alpha-2
/// code: "fr", "France", "French", "Britain" all give a code; "Soviet Union" and "USSR" give the
/// former state's `SU`.
pub fn resolve_country(name: &str) -> Option<&'static str> {
    country_lookup().get(&lookup_key(name)).copied().flatten()
}

/// The agency with this canonical ID.
pub fn agency(id: &str) -> Option<&'static Agency> {
    agencies().iter().find(|a| a.id == id)
}

/// The country (or former state) with this alpha-2 code.
pub fn country(code: &str) -> Option<&'static Country> {
    tables::all_countries().iter().find(|c| c.code == code)
}

/// Splits country codes read back from the index into today's countries and former states.
pub fn split_former(codes: Vec<String>) -> (Vec<String>, Vec<String>) {
    codes.into_iter().partition(|c| !is_former(c))
}

/// Whether `code` is a state that no longer exists (`SU`, `YU`, `CS`, `DD`).
pub fn is_former(code: &str) -> bool {
    tables::former_codes().any(|c| c == code)
}

/// The folded words of a name or of what a user typed ("Russia's" gives "russia", "s").
fn words_of(name: &str) -> Vec<String> {
    name.split(|c: char| !matcher::is_word_char(c))
        .filter(|w| !w.is_empty())
        .map(inflect::fold)
        .collect()
}

/// Whether `typed` is the whole of `name`: the same key, the same words, or (for a name in a
/// known language) the same words after that language's analysis ("России" is "Россия").
fn is_whole_name(typed: &str, name: &str, lang: Option<&str>) -> bool {
    if lookup_key(typed) == lookup_key(name) {
        return true;
    }
    let (a, b) = (words_of(typed), words_of(name));
    if a.is_empty() || a.len() != b.len() {
        return false;
    }
    if a == b {
        return true;
    }
    lang.is_some_and(|l| {
        a.iter()
            .zip(&b)
            .all(|(x, y)| inflect::analyse(l, x) == inflect::analyse(l, y))
    })
}

/// Whether the words of `typed` are a run of whole words of `name` ("foreign intelligence" in
/// "French foreign intelligence"; never "russia" in "Byelorussia").
fn is_words_of(typed: &str, name: &str) -> bool {
    let (a, b) = (words_of(typed), words_of(name));
    !a.is_empty() && b.windows(a.len()).any(|w| w == a.as_slice())
}

/// Entries one of whose names `text` is, whole (see [`is_whole_name`]), in table order; when
/// none is, entries with a name holding the words of `text` as whole words. An empty `text`
/// lists everything.
fn find_in<T>(
    items: &'static [T],
    text: &str,
    names: impl Fn(&'static T) -> Vec<(&'static str, Option<&'static str>)>,
) -> Vec<&'static T> {
    if lookup_key(text).is_empty() {
        return items.iter().collect();
    }
    let exact: Vec<&'static T> = items
        .iter()
        .filter(|item| {
            names(item)
                .iter()
                .any(|(n, lang)| is_whole_name(text, n, *lang))
        })
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    items
        .iter()
        .filter(|item| names(item).iter().any(|(n, _)| is_words_of(text, n)))
        .collect()
}

/// For `dossier agencies TEXT`: the agencies one of whose names (ID, English, native, foreign,
/// acronym, informal or descriptive, in any language and, where the language is known, in any
/// inflected form) `text` is; failing that, those with a name holding `text`'s words whole.
pub fn find_agencies(text: &str) -> Vec<&'static Agency> {
    find_in(agencies(), text, |a| {
        let native = a
            .native
            .iter()
            .map(|n| (*n, inflect::native_language(a.country, n)));
        let foreign = a.foreign.iter().map(|n| (*n, inflect::script_language(n)));
        std::iter::once((a.id, None))
            .chain(a.names.iter().map(|n| (*n, None)))
            .chain(native)
            .chain(foreign)
            .collect()
    })
}

/// For `dossier countries TEXT`: the countries (and former states) one of whose names (code,
/// English name and aliases, names in other languages, inflected where the language is known)
/// `text` is; failing that, those with a name holding `text`'s words whole.
pub fn find_countries(text: &str) -> Vec<&'static Country> {
    find_in(tables::all_countries(), text, |c| {
        [c.code, c.name]
            .into_iter()
            .chain(c.aliases.iter().copied())
            .map(|n| (n, None))
            .chain(c.local.iter().map(|l| (l.form, Some(l.lang))))
            .collect()
    })
}

#[cfg(test)]
mod tests;
