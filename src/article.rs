//! One file's way through the pipeline: bytes → extracted text → tags → passages.
//!
//! `dossier index` and `dossier extract` both go through [`Article::from_bytes`], so what
//! `extract` shows is exactly what the index holds.

use std::path::PathBuf;

use crate::extract::{self, Extracted, Kind, Skip};
pub use crate::id::ArticleId;
use crate::lang;
use crate::passage;
use crate::tag::{self, Tags};

/// An article ready to index.
#[derive(Debug, Clone)]
pub struct Article {
    /// Content hash of the file's bytes; the same bytes always give the same id.
    pub id: ArticleId,
    /// Where the file is.
    pub path: PathBuf,
    /// What extraction kept.
    pub extracted: Extracted,
    /// Agencies and countries named in the title and body.
    pub tags: Tags,
    /// Passage texts in article order.
    pub passages: Vec<String>,
    /// The article's language: an ISO 639-1 code, or `und`.
    pub language: String,
    /// MinHash signature of the passages ([`crate::copies::signature`]).
    pub signature: Vec<u8>,
}

impl Article {
    /// Runs extraction, tagging and passage splitting over a file's bytes.
    pub fn from_bytes(path: PathBuf, bytes: &[u8], kind: Kind) -> Result<Article, Skip> {
        let extracted = extract::extract_at(Some(&path), bytes, kind)?;
        let passages = passage::split(&extracted.paragraphs);
        // Title and paragraphs are tagged as one document, so context rules see all of it.
        let texts: Vec<&str> = extracted
            .title
            .iter()
            .chain(&extracted.paragraphs)
            .map(String::as_str)
            .collect();
        let language = language_of(&extracted);
        let mut tags = Tags::default();
        for t in tag::tag_document_in(&texts, Some(&language)) {
            tags.merge(&t);
        }
        let signature = crate::copies::signature(&language, &passages);
        Ok(Article {
            id: ArticleId::of_bytes(bytes),
            path,
            extracted,
            tags,
            passages,
            language,
            signature,
        })
    }
}

/// The language extraction decided ([`crate::lang::detect`]), or `und`.
fn language_of(ex: &Extracted) -> String {
    ex.language
        .clone()
        .unwrap_or_else(|| lang::UNDETERMINED.to_string())
}
