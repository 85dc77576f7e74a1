//! Every Tantivy field dossier writes, in one place, with the schema version stored beside it.
//!
//! A Tantivy document is a passage, or an article (one per article, whole text, not stored).
//! Article-level facts (title, URL, tags, date) are copied onto each passage so that a passage
//! hit carries everything needed to print it and filters apply to the article as a whole.
//!
//! An article's documents are written as one batch, so they sit together in one segment, the
//! article first and its passages after it in order; merges keep that. Search relies on it to go
//! from a matching article to its passages without looking anything up.

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Index;

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
/// countries, Dutch attributive and Persian relative adjectives). An index written with an older
/// one still opens and searches; `index` says that files it does not re-read keep what the older
/// version found.
pub const TAGGING_VERSION: u32 = 4;

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
    id.get(..16)
        .and_then(|h| u64::from_str_radix(h, 16).ok())
        .unwrap_or(0)
}

/// Registers the tokenizer of the analysed fields on an index; tokenizers are not persisted,
/// so every open needs it.
pub fn register(index: &Index) {
    let tokenizer = TextAnalyzer::from(lang::analysis::Tokenizer::default());
    index.tokenizers().register(ANALYZER, tokenizer);
}
