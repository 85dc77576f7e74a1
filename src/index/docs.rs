//! Turns an article into Tantivy documents: one article document holding the whole text, then
//! one document per passage. Every document lists all the paths where the same bytes were found,
//! so identical files are stored once.

use std::path::PathBuf;

use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Term};
use tantivy::{DateTime, TantivyDocument};

use crate::article::Article;
use crate::lang::analysis::mark;
use crate::schema::{Fields, KIND_ARTICLE, KIND_PASSAGE};

/// The term every document of an article carries, to delete them all at once.
pub(crate) fn id_term(fields: &Fields, id: &str) -> Term {
    Term::from_field_text(fields.article_id, id)
}

/// When an article's documents are written: now, and when dossier first saw the article.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Times {
    /// The time of this write.
    pub indexed_at: DateTime,
    /// The time of the article's first write.
    pub first_seen: DateTime,
}

/// The documents of `article`, listing `paths` (sorted) as its sources: the article, then its
/// passages in order. They must be written as one batch (see [`crate::schema`]).
pub(crate) fn documents(
    fields: &Fields,
    article: &Article,
    paths: &[PathBuf],
    times: Times,
    seq: u64,
) -> Vec<TantivyDocument> {
    let ex = &article.extracted;
    let paths: Vec<_> = paths.iter().map(|p| p.to_string_lossy()).collect();
    let published = ex.published.map(crate::schema::day);
    let id = article.id.hex();
    let common = |kind: u64| {
        let mut doc = TantivyDocument::default();
        doc.add_u64(fields.kind, kind);
        doc.add_text(fields.article_id, &id);
        doc.add_u64(fields.article_key, article.id.key());
        for p in &paths {
            doc.add_text(fields.path, p);
        }
        if let Some(url) = &ex.url {
            doc.add_text(fields.url, url);
        }
        if let Some(site) = &ex.site {
            doc.add_text(fields.site, site);
        }
        for a in &article.tags.agencies {
            doc.add_text(fields.agency, a);
        }
        // Former states share the field, so `--country SU` filters like any code.
        for c in article.tags.countries.iter().chain(&article.tags.former) {
            doc.add_text(fields.country, c);
        }
        if let Some(p) = published {
            doc.add_date(fields.published, p);
            if let Some(source) = ex.published_source {
                doc.add_text(fields.published_source, source.as_str());
            }
            doc.add_u64(fields.published_sure, u64::from(ex.published_sure()));
        }
        doc.add_date(fields.indexed_at, times.indexed_at);
        doc.add_date(fields.first_seen, times.first_seen);
        doc.add_u64(fields.seq, seq);
        doc.add_text(fields.language, &article.language);
        doc
    };
    let title = ex.title.as_deref().unwrap_or("");
    // The analysed fields take the text marked with its language; the tokenizer reads it.
    let lang = &article.language;
    let marked_title = mark(lang, title);
    let mut whole = common(KIND_ARTICLE);
    whole.add_text(fields.article_title, &marked_title);
    if !article.signature.is_empty() {
        whole.add_bytes(fields.signature, &article.signature);
    }
    whole.add_u64(fields.length, text_length(article));
    for text in &article.passages {
        whole.add_text(fields.body, mark(lang, text));
    }
    let mut docs = vec![whole];
    let matched = serde_json::to_string(&article.tags.matched()).unwrap_or_default();
    docs.extend(article.passages.iter().enumerate().map(|(i, text)| {
        let mut doc = common(KIND_PASSAGE);
        doc.add_text(fields.matched, &matched);
        doc.add_u64(fields.passage, i as u64);
        doc.add_text(fields.title, title);
        if let Some(raw) = &ex.title_raw {
            doc.add_text(fields.title_raw, raw);
        }
        doc.add_text(fields.title_terms, &marked_title);
        doc.add_text(fields.text, text);
        doc.add_text(fields.text_terms, mark(lang, text));
        doc
    }));
    docs
}

/// The `first_seen` the index holds for the article `id`, if it holds the article.
pub(crate) fn first_seen(
    searcher: &tantivy::Searcher,
    fields: &Fields,
    id: &str,
) -> crate::error::Result<Option<DateTime>> {
    let query = TermQuery::new(id_term(fields, id), IndexRecordOption::Basic);
    let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    let Some(&(_, addr)) = top.first() else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher.doc(addr)?;
    Ok(crate::schema::stored_first_seen(fields, &doc))
}

/// Length of an article's text in bytes: what picks the longest copy of a story.
pub(crate) fn text_length(article: &Article) -> u64 {
    article.passages.iter().map(|p| p.len() as u64).sum()
}
