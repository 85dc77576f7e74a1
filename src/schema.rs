//! Every Tantivy field dossier writes, in one place, with the schema version stored beside it.
//!
//! A Tantivy document is a passage, or an article (one per article, whole text, not stored).
//! Article-level facts (title, URL, tags, date) are copied onto each passage so that a passage
//! hit carries everything needed to print it and filters apply to the article as a whole.
//!
//! An article's documents are written as one batch, so they sit together in one segment, the
//! article first and its passages after it in order; merges keep that. Search relies on it to go
//! from a matching article to its passages without looking anything up.
//!
//! Reading goes through here too: [`StoredArticle`] and [`StoredPassage`] are what a stored
//! document holds, read in one place for `search`, `show` and `export`, and [`day`] /
//! [`date_of`] are how a calendar day becomes a date field and back.

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DateTime, Index, TantivyDocument};
use time::{Date, OffsetDateTime};

use crate::lang;

/// Bumped whenever a field, the analyzer or the layout of documents changes; an index with
/// another version is refused (3: `article_key`, fast `passage`, an article's documents kept
/// together, `article_title`; 4: text analysed per language into `title_terms`, `text_terms`,
/// `article_title` and `body`, `language`; 5: `matched`; 6: `signature`, `length`, the groups of
/// copies in a document of their own, `article_key` indexed; 7: `published_source`,
/// `published_sure`, `first_seen`; 8: `title_raw`).
pub const SCHEMA_VERSION: u32 = 8;

/// Bumped whenever extraction or tagging changes what the same file gives (2: former states
/// kept apart from today's countries; 3: names in every language, inflected forms, support for
/// ambiguous acronyms, datelines and venues; 4: languages named by their adjective are not
/// countries, Dutch attributive and Persian relative adjectives; 5: a country's name ending a
/// longer proper name or heading a CJK word for a language or strait is not the country,
/// "English", "Spanish" and "Portuguese" in other languages are the adjectives of Britain, Spain
/// and Portugal, ambiguous service names need support, names with a glued case ending, stems
/// that are the name as written, no Arabic prefix read into a name). An index written with an
/// older one still opens and searches; `index` says that files it does not re-read keep what the
/// older version found.
pub const TAGGING_VERSION: u32 = 5;

/// `kind` of a passage document: what search ranks and prints.
pub const KIND_PASSAGE: u64 = 0;
/// `kind` of an article document: one per article, holding the whole text, so that a query's
/// words are required of the article while its passages are ranked.
pub const KIND_ARTICLE: u64 = 1;
/// `kind` of the one document holding the groups of copies ([`crate::copies::Groups`]),
/// replaced at each commit that changes an article.
pub const KIND_GROUPS: u64 = 2;

/// Name of the tokenizer of the analysed fields: [`crate::lang::analysis::Tokenizer`], which
/// reads each text's language from its mark ([`crate::lang::analysis::mark`]).
pub const ANALYZER: &str = "dossier_lang";

/// Handles to every field of the schema.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// Content hash of the source file (hex), shared by all passages of an article.
    pub article_id: Field,
    /// The article id's first 64 bits, as a fast field: what search groups passages by;
    /// indexed, to find an article's copies.
    pub article_key: Field,
    /// Passage number within the article, from 0.
    pub passage: Field,
    /// Source file path (absolute).
    pub path: Field,
    /// Canonical URL, if the page gave one.
    pub url: Field,
    /// Site name, if the page gave one.
    pub site: Field,
    /// Article title as written, stored, on passages only.
    pub title: Field,
    /// The title as the page writes it, site name and all, on passages only; absent when it
    /// is the title.
    pub title_raw: Field,
    /// Article title, analysed, on passages only.
    pub title_terms: Field,
    /// Article title on the article document, analysed: kept apart from `title` so that a word
    /// of the title matches passages alone, with no test of the document's kind.
    pub article_title: Field,
    /// Passage text as written, stored (what search shows and highlights).
    pub text: Field,
    /// Passage text, analysed with positions (phrases), on passages only.
    pub text_terms: Field,
    /// Whole article text, analysed, not stored: only on article documents.
    pub body: Field,
    /// [`KIND_PASSAGE`] or [`KIND_ARTICLE`].
    pub kind: Field,
    /// Canonical agency IDs of the article (multi-valued).
    pub agency: Field,
    /// ISO 3166-1 alpha-2 codes of the article (multi-valued).
    pub country: Field,
    /// ISO 639-1 code of the article's language, or `und`.
    pub language: Field,
    /// The words that made each tag of the article, as JSON (`{"RU":["России"]}`), stored only,
    /// on passages.
    pub matched: Field,
    /// Publication date (midnight UTC), absent when unknown.
    pub published: Field,
    /// Where the publication date was read from ([`crate::extract::DateSource::as_str`]),
    /// absent when there is no date.
    pub published_source: Field,
    /// 1 when the publication date is stated by the page ([`crate::extract::DateSource::is_sure`]),
    /// 0 when it is a guess from the URL or the text, absent when there is no date.
    pub published_sure: Field,
    /// When the passage was indexed.
    pub indexed_at: Field,
    /// When dossier first indexed the article: kept when an unchanged article is written again
    /// (new paths, new tagging), so scraped pages without a date can still be told new from old.
    pub first_seen: Field,
    /// Commit sequence number that added the passage; saved queries use it to find what is new.
    pub seq: Field,
    /// MinHash signature of the article's text ([`crate::copies`]), fast, on articles only.
    pub signature: Field,
    /// Length of the article's text in bytes, fast, on articles only.
    pub length: Field,
    /// The groups of copies, stored, on the groups document only.
    pub groups: Field,
}

impl Fields {
    /// Looks the fields up in an existing schema.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            article_id: f("article_id")?,
            article_key: f("article_key")?,
            passage: f("passage")?,
            path: f("path")?,
            url: f("url")?,
            site: f("site")?,
            title: f("title")?,
            title_raw: f("title_raw")?,
            title_terms: f("title_terms")?,
            article_title: f("article_title")?,
            text: f("text")?,
            text_terms: f("text_terms")?,
            body: f("body")?,
            kind: f("kind")?,
            agency: f("agency")?,
            country: f("country")?,
            language: f("language")?,
            matched: f("matched")?,
            published: f("published")?,
            published_source: f("published_source")?,
            published_sure: f("published_sure")?,
            indexed_at: f("indexed_at")?,
            first_seen: f("first_seen")?,
            seq: f("seq")?,
            signature: f("signature")?,
            length: f("length")?,
            groups: f("groups")?,
        })
    }
}

/// Builds the schema of a new index.
pub fn build() -> Schema {
    let mut b = Schema::builder();
    let analysed = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let date = DateOptions::from(INDEXED)
        .set_stored()
        .set_fast()
        .set_precision(DateTimePrecision::Seconds);
    b.add_text_field("article_id", STRING | STORED);
    b.add_u64_field("article_key", INDEXED | FAST);
    b.add_u64_field("passage", NumericOptions::default().set_stored().set_fast());
    b.add_text_field("path", STRING | STORED);
    b.add_text_field("url", STORED);
    b.add_text_field("site", STRING | STORED);
    b.add_text_field("title", STORED);
    b.add_text_field("title_raw", STORED);
    b.add_text_field("title_terms", analysed.clone());
    b.add_text_field("article_title", analysed.clone());
    b.add_text_field("text", STORED);
    b.add_text_field("text_terms", analysed.clone());
    b.add_text_field("body", analysed);
    b.add_u64_field("kind", INDEXED | FAST);
    b.add_text_field("agency", STRING | STORED | FAST);
    b.add_text_field("country", STRING | STORED | FAST);
    b.add_text_field("language", STRING | STORED | FAST);
    b.add_text_field("matched", STORED);
    b.add_date_field("published", date.clone());
    b.add_text_field("published_source", STRING | STORED | FAST);
    b.add_u64_field("published_sure", INDEXED | STORED | FAST);
    b.add_date_field("indexed_at", date.clone());
    b.add_date_field("first_seen", date);
    b.add_u64_field("seq", INDEXED | STORED | FAST);
    b.add_bytes_field("signature", FAST);
    b.add_u64_field("length", FAST);
    b.add_bytes_field("groups", STORED);
    b.build()
}

/// The `article_key` of an article id (32 hex digits): its first 64 bits.
pub fn article_key(id: &str) -> u64 {
    crate::id::ArticleId::parse(id).map_or(0, |id| id.key())
}

/// A calendar day as a date field holds it: its midnight, UTC.
pub fn day(d: Date) -> DateTime {
    DateTime::from_timestamp_secs(d.midnight().assume_utc().unix_timestamp())
}

/// The calendar day (UTC) of a date field's value.
pub fn date_of(d: DateTime) -> Option<Date> {
    OffsetDateTime::from_unix_timestamp(d.into_timestamp_secs())
        .ok()
        .map(|t| t.date())
}

/// What every document of an article holds about it, as stored.
#[derive(Debug, Clone, Default)]
pub struct StoredArticle {
    /// Article id (content hash, hex).
    pub id: String,
    /// Every file holding its bytes, sorted.
    pub paths: Vec<String>,
    /// Canonical URL, if the page gave one.
    pub url: Option<String>,
    /// Site name, if the page gave one.
    pub site: Option<String>,
    /// Publication day.
    pub published: Option<Date>,
    /// Where the date was read from, when it is a source this build knows.
    pub published_source: Option<&'static str>,
    /// Whether the page states the date (stored as 1).
    pub published_sure: bool,
    /// The day dossier first indexed the article.
    pub first_seen: Option<Date>,
    /// ISO 639-1 code, or `und`; `None` when the document has none.
    pub language: Option<String>,
    /// Agency IDs.
    pub agencies: Vec<String>,
    /// Country codes of today's countries.
    pub countries: Vec<String>,
    /// Former states, which share the country field.
    pub former_countries: Vec<String>,
}

impl StoredArticle {
    /// Reads the article's facts from any of its documents.
    pub fn read(f: &Fields, doc: &TantivyDocument) -> StoredArticle {
        let (countries, former_countries) = crate::tag::split_former(all_str(doc, f.country));
        StoredArticle {
            id: first_str(doc, f.article_id).unwrap_or_default(),
            paths: all_str(doc, f.path),
            url: first_str(doc, f.url),
            site: first_str(doc, f.site),
            published: stored_date(doc, f.published),
            published_source: first_str(doc, f.published_source)
                .as_deref()
                .and_then(crate::extract::DateSource::from_name)
                .map(|s| s.as_str()),
            published_sure: first_u64(doc, f.published_sure) == Some(1),
            first_seen: stored_date(doc, f.first_seen),
            language: first_str(doc, f.language),
            agencies: all_str(doc, f.agency),
            countries,
            former_countries,
        }
    }

    /// The first file, or an empty string when the document lists none.
    pub fn path(&self) -> String {
        self.paths.first().cloned().unwrap_or_default()
    }

    /// The language, `und` when the document has none.
    pub fn language_or_und(&self) -> String {
        (self.language.clone()).unwrap_or_else(|| lang::UNDETERMINED.into())
    }
}

/// A passage document as stored: its article's facts and its own.
#[derive(Debug, Clone, Default)]
pub struct StoredPassage {
    /// The article's facts, copied onto every passage.
    pub article: StoredArticle,
    /// Passage number within the article, from 0.
    pub ord: u64,
    /// Article title, empty when it has none.
    pub title: String,
    /// The title as the page writes it, when that differs.
    pub title_raw: Option<String>,
    /// Passage text.
    pub text: String,
    /// Per tag, the words of the article that made it; empty when absent or unreadable (the
    /// tags themselves are still there).
    pub matched: crate::tag::Matched,
    /// Commit sequence number that added the passage.
    pub seq: u64,
}

impl StoredPassage {
    /// Reads a passage document.
    pub fn read(f: &Fields, doc: &TantivyDocument) -> StoredPassage {
        StoredPassage {
            article: StoredArticle::read(f, doc),
            ord: first_u64(doc, f.passage).unwrap_or(0),
            title: first_str(doc, f.title).unwrap_or_default(),
            title_raw: first_str(doc, f.title_raw),
            text: first_str(doc, f.text).unwrap_or_default(),
            matched: doc
                .get_first(f.matched)
                .and_then(|v| v.as_str())
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or_default(),
            seq: first_u64(doc, f.seq).unwrap_or(0),
        }
    }
}

/// The `first_seen` of a document as written, to write it again unchanged.
pub(crate) fn stored_first_seen(f: &Fields, doc: &TantivyDocument) -> Option<DateTime> {
    doc.get_first(f.first_seen).and_then(|v| v.as_datetime())
}

/// The bytes of the groups document ([`KIND_GROUPS`]), empty when absent.
pub(crate) fn stored_groups<'a>(f: &Fields, doc: &'a TantivyDocument) -> &'a [u8] {
    doc.get_first(f.groups)
        .and_then(|v| v.as_bytes())
        .unwrap_or(&[])
}

fn stored_date(doc: &TantivyDocument, field: Field) -> Option<Date> {
    doc.get_first(field)
        .and_then(|v| v.as_datetime())
        .and_then(date_of)
}

fn first_u64(doc: &TantivyDocument, field: Field) -> Option<u64> {
    doc.get_first(field).and_then(|v| v.as_u64())
}

fn first_str(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn all_str(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// Registers the tokenizer of the analysed fields on an index; tokenizers are not persisted,
/// so every open needs it.
pub fn register(index: &Index) {
    let tokenizer = TextAnalyzer::from(lang::analysis::Tokenizer::default());
    index.tokenizers().register(ANALYZER, tokenizer);
}
