//! Interim extraction (replaced by the extraction stage's branch): decode as UTF-8, drop
//! markup with html2text, split on blank lines.

use std::path::Path;

/// What kind of file a path is.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// HTML page.
    Html,
    /// Plain text.
    Text,
    /// Markdown.
    Markdown,
}

/// The kind of a path from its extension.
pub fn kind_of(path: &Path) -> Option<Kind> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "html" | "htm" | "xhtml" => Some(Kind::Html),
        "txt" => Some(Kind::Text),
        "md" => Some(Kind::Markdown),
        _ => None,
    }
}

/// Why a file gives nothing.
#[derive(Debug)]
pub enum Skip {
    /// Binary content.
    Binary,
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("binary content, not HTML or text")
    }
}

/// Where a date came from.
#[derive(Debug, Clone)]
pub enum DateSource {
    /// A meta tag.
    Meta,
}

impl DateSource {
    /// Short name.
    pub fn as_str(&self) -> &'static str {
        "meta"
    }
}

/// What extraction keeps.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    /// Title.
    pub title: Option<String>,
    /// Date.
    pub published: Option<time::Date>,
    /// Date source.
    pub published_source: Option<DateSource>,
    /// URL.
    pub url: Option<String>,
    /// Site.
    pub site: Option<String>,
    /// Language.
    pub language: Option<String>,
    /// Encoding.
    pub encoding: &'static str,
    /// Paragraphs.
    pub paragraphs: Vec<String>,
}

impl Extracted {
    /// Paragraphs joined.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n\n")
    }
}

/// Extracts.
pub fn extract(bytes: &[u8], kind: Kind) -> Result<Extracted, Skip> {
    let s = std::str::from_utf8(bytes).map_err(|_| Skip::Binary)?;
    let text = match kind {
        Kind::Html => html2text::from_read(s.as_bytes(), 10_000).map_err(|_| Skip::Binary)?,
        _ => s.to_string(),
    };
    let paragraphs = text
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    Ok(Extracted {
        encoding: "UTF-8",
        paragraphs,
        ..Default::default()
    })
}
