//! `dossier export`: every article a query and its filters select, whole, one at a time, for
//! other tools (a spreadsheet, another search engine, a script).
//!
//! Articles are put back together from the index in the order their documents are stored: an
//! article document, then its passages (see [`crate::schema`]). Only the matching article
//! documents' numbers are held, so memory does not grow with the text exported.

use serde::Serialize;
use serde_json::{json, Value as Json};
use tantivy::{DocAddress, TantivyDocument};
use time::Date;

use crate::copies::Groups;
use crate::error::Error;
use crate::query::Query;
use crate::schema::{self, Fields, StoredArticle, StoredPassage, KIND_PASSAGE};
use crate::search::Searcher;

/// One exported article.
#[derive(Debug, Clone, Serialize)]
pub struct Exported {
    /// Article id (content hash).
    pub id: String,
    /// Its first file.
    pub path: String,
    /// Every file holding its bytes.
    pub paths: Vec<String>,
    /// Canonical URL, when known.
    pub url: Option<String>,
    /// Site name, when known.
    pub site: Option<String>,
    /// Title, possibly empty.
    pub title: String,
    /// The title as the page writes it, when that differs (site name and all).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_raw: Option<String>,
    /// Publication date, when known.
    #[serde(serialize_with = "crate::printer::json::ser_date")]
    pub published: Option<Date>,
    /// Where the date was read from ([`crate::extract::DateSource::as_str`]), when known.
    pub published_source: Option<&'static str>,
    /// Whether the page states the date; false for a guess from the URL or text, or no date.
    pub published_sure: bool,
    /// The day dossier first indexed the article.
    #[serde(serialize_with = "crate::printer::json::ser_date")]
    pub first_seen: Option<Date>,
    /// ISO 639-1 code, or `und`.
    pub language: String,
    /// Agency IDs.
    pub agencies: Vec<String>,
    /// Country codes (today's countries).
    pub countries: Vec<String>,
    /// Former states.
    pub former_countries: Vec<String>,
    /// Its group of copies, or `None` when no other article tells the same story.
    pub group: Option<String>,
    /// The text: passages joined by blank lines.
    pub text: String,
}

impl Searcher {
    /// Calls `each` with every article matching `query` (every article when it has no words
    /// and no filters), in index order; returns how many there were.
    pub fn export<E: From<Error>>(
        &self,
        query: &Query,
        mut each: impl FnMut(Exported) -> std::result::Result<(), E>,
    ) -> std::result::Result<usize, E> {
        self.export_unchecked(query, &mut each)
    }

    fn export_unchecked<E: From<Error>>(
        &self,
        query: &Query,
        each: &mut dyn FnMut(Exported) -> std::result::Result<(), E>,
    ) -> std::result::Result<usize, E> {
        let tantivy = |e: tantivy::TantivyError| E::from(Error::from(e));
        self.reload()?;
        let fields = Fields::from_schema(&self.index().schema()).map_err(tantivy)?;
        let searcher = self.reader().searcher();
        let groups = Groups::load(&searcher, &fields)?;
        let matching = searcher
            .search(
                &*self.article_query(query)?,
                &crate::search::ArticleDocsCollector,
            )
            .map_err(tantivy)?;
        let mut n = 0;
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            let Some(docs) = matching.get(&reader.segment_id()) else {
                continue;
            };
            let kinds = reader.fast_fields().u64("kind").map_err(tantivy)?;
            let alive = reader.alive_bitset();
            for &article in docs {
                let doc: TantivyDocument = searcher
                    .doc(DocAddress::new(ord as u32, article))
                    .map_err(tantivy)?;
                let mut out = exported(StoredArticle::read(&fields, &doc));
                if let Some(g) = groups.of(schema::article_key(&out.id)) {
                    out.group = Some(g.id.clone());
                }
                let mut texts = Vec::new();
                let mut next = article + 1;
                while next < reader.max_doc()
                    && kinds.first(next) == Some(KIND_PASSAGE)
                    && alive.is_none_or(|a| a.is_alive(next))
                {
                    let p: TantivyDocument = searcher
                        .doc(DocAddress::new(ord as u32, next))
                        .map_err(tantivy)?;
                    let p = StoredPassage::read(&fields, &p);
                    if texts.is_empty() {
                        out.title = p.title;
                        out.title_raw = p.title_raw;
                    }
                    texts.push(p.text);
                    next += 1;
                }
                out.text = texts.join("\n\n");
                each(out)?;
                n += 1;
            }
        }
        Ok(n)
    }
}

/// The stored facts of an article document; title and text come from its passages.
fn exported(a: StoredArticle) -> Exported {
    Exported {
        path: a.path(),
        language: a.language_or_und(),
        id: a.id,
        paths: a.paths,
        url: a.url,
        site: a.site,
        title: String::new(),
        title_raw: None,
        published: a.published,
        published_source: a.published_source,
        published_sure: a.published_sure,
        first_seen: a.first_seen,
        agencies: a.agencies,
        countries: a.countries,
        former_countries: a.former_countries,
        group: None,
        text: String::new(),
    }
}

/// The index name bulk lines address; `_index` can be renamed on the way in.
pub const OPENSEARCH_INDEX: &str = "dossier";

/// Languages dossier analyses and the OpenSearch analyzer built in for each (no plugin needed);
/// text in a language missing here is searched through `text` alone (standard analysis).
const OPENSEARCH_ANALYZERS: &[(&str, &str)] = &[
    ("ar", "arabic"),
    ("ca", "catalan"),
    ("cs", "czech"),
    ("da", "danish"),
    ("de", "german"),
    ("el", "greek"),
    ("en", "english"),
    ("es", "spanish"),
    ("et", "estonian"),
    ("eu", "basque"),
    ("fa", "persian"),
    ("fi", "finnish"),
    ("fr", "french"),
    ("ga", "irish"),
    ("hi", "hindi"),
    ("hu", "hungarian"),
    ("hy", "armenian"),
    ("id", "indonesian"),
    ("it", "italian"),
    ("ja", "cjk"),
    ("ko", "cjk"),
    ("lt", "lithuanian"),
    ("nl", "dutch"),
    ("no", "norwegian"),
    ("pt", "portuguese"),
    ("ro", "romanian"),
    ("ru", "russian"),
    ("sv", "swedish"),
    ("tr", "turkish"),
    ("zh", "cjk"),
];

/// The OpenSearch analyzer of a language, if one is built in.
pub fn opensearch_analyzer(code: &str) -> Option<&'static str> {
    OPENSEARCH_ANALYZERS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, a)| *a)
}

/// An index body for OpenSearch (or Elasticsearch) mirroring dossier's fields: exact-match
/// keywords for ids and tags, a date, and title and text analysed twice, by the standard
/// analyzer (`title`, `text`) and by the article's language (`title_fr`, `text_fr`, ...).
pub fn opensearch_mapping() -> Json {
    let keyword = json!({"type": "keyword"});
    let mut properties = serde_json::Map::new();
    for f in [
        "id",
        "path",
        "paths",
        "url",
        "site",
        "language",
        "agencies",
        "countries",
        "former_countries",
        "group",
    ] {
        properties.insert(f.into(), keyword.clone());
    }
    let date = json!({"type": "date", "format": "strict_date"});
    properties.insert("published".into(), date.clone());
    properties.insert("first_seen".into(), date);
    properties.insert("published_source".into(), keyword.clone());
    properties.insert("published_sure".into(), json!({"type": "boolean"}));
    properties.insert("title".into(), json!({"type": "text"}));
    properties.insert("title_raw".into(), json!({"type": "text"}));
    properties.insert("text".into(), json!({"type": "text"}));
    for (code, analyzer) in OPENSEARCH_ANALYZERS {
        let field = json!({"type": "text", "analyzer": analyzer});
        properties.insert(format!("title_{code}"), field.clone());
        properties.insert(format!("text_{code}"), field);
    }
    json!({"mappings": {"dynamic": "strict", "properties": properties}})
}

/// The two lines of the bulk API that index one article: the action, then the document.
pub fn opensearch_bulk(a: &Exported) -> (Json, Json) {
    let action = json!({"index": {"_index": OPENSEARCH_INDEX, "_id": a.id}});
    let mut doc = serde_json::to_value(a).unwrap_or_else(|_| json!({}));
    let analysed = opensearch_analyzer(&a.language).is_some();
    if let (true, Some(map)) = (analysed, doc.as_object_mut()) {
        map.insert(format!("title_{}", a.language), json!(a.title));
        map.insert(format!("text_{}", a.language), json!(a.text));
    }
    (action, doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(language: &str) -> Exported {
        Exported {
            id: "0123456789abcdef0123456789abcdef".into(),
            path: "/c/a.html".into(),
            paths: vec!["/c/a.html".into()],
            url: None,
            site: None,
            title: "Titre".into(),
            title_raw: None,
            published: Some(time::macros::date!(2021 - 03 - 04)),
            published_source: Some("meta"),
            published_sure: true,
            first_seen: Some(time::macros::date!(2026 - 01 - 05)),
            language: language.into(),
            agencies: vec!["DGSE".into()],
            countries: vec!["FR".into()],
            former_countries: vec![],
            group: None,
            text: "Texte".into(),
        }
    }

    #[test]
    fn every_field_of_a_bulk_document_is_in_the_mapping() {
        let mapping = opensearch_mapping();
        let properties = mapping["mappings"]["properties"].as_object().unwrap();
        for lang in ["fr", "pl", "und"] {
            let (action, doc) = opensearch_bulk(&article(lang));
            assert_eq!(action["index"]["_id"], "0123456789abcdef0123456789abcdef");
            for key in doc.as_object().unwrap().keys() {
                assert!(properties.contains_key(key), "{lang}: {key} is not mapped");
            }
            assert_eq!(doc.get("text_fr").is_some(), lang == "fr");
        }
    }

    #[test]
    fn every_analysed_language_with_a_built_in_analyzer_gets_one() {
        for (code, _, _) in crate::lang::analysis::languages() {
            let a = opensearch_analyzer(code);
            // Polish, Ukrainian, Serbian, Tamil and Nepali need plugins there.
            let needs_plugin = ["pl", "uk", "sr", "ta", "ne"].contains(&code);
            assert_eq!(a.is_none(), needs_plugin, "{code}");
        }
    }
}
