//! Extraction: turns the bytes of one scraped file into what the indexer keeps.
//!
//! The stage decodes the bytes ([`decode`]: BOM, declared charset, then detection), reads the
//! page's metadata (title, canonical URL, site, language), finds
//! the publication date from the most trusted source the page carries, and keeps the article
//! body only: menus, scripts, related links, share buttons and comment forms are dropped before
//! html2text turns the kept markup into paragraphs. Plain text and Markdown files go through a
//! lighter path. Last, the article's language is read from its title and body, the page's
//! declared language serving only as a hint ([`crate::lang::detect`]). Whatever the title comes
//! from, the site's name is cut from it the same way ([`title`]). The indexer and `dossier
//! extract` both call [`extract_at`] and nothing else, so what a user sees from `extract` is
//! exactly what gets indexed.

mod charset;
mod content;
mod date;
mod depth;
mod dom;
mod elements;
mod meta;
mod plain;
pub mod title;

use std::fmt;
use std::path::Path;

pub use charset::decode;
pub use date::DateSource;

use crate::lang::detect::{self, Source};
use title::SiteNames;

/// What kind of file a path is, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `.html`, `.htm`, `.xhtml`
    Html,
    /// `.txt`
    Text,
    /// `.md`, `.markdown`
    Markdown,
}

/// The kind of a file from its extension (case-insensitive), or `None` for files the indexer
/// does not read.
pub fn kind_of(path: &Path) -> Option<Kind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" | "xhtml" => Some(Kind::Html),
        "txt" => Some(Kind::Text),
        "md" | "markdown" => Some(Kind::Markdown),
        _ => None,
    }
}

/// Why a file yields nothing to index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// The bytes are not text (NUL bytes or many control characters).
    Binary,
    /// The file is empty or only whitespace.
    Empty,
    /// The file is text but no article body was found in it.
    NoText,
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Skip::Binary => "binary content, not HTML or text",
            Skip::Empty => "empty file",
            Skip::NoText => "no article text",
        })
    }
}

impl std::error::Error for Skip {}

/// What one file yields: metadata and the article body as paragraphs.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    /// The article title, without the " | Site Name" / " - Site" part ([`title::clean`]).
    pub title: Option<String>,
    /// The title as the page writes it, when it differs from `title`: the head's `<title>` or
    /// og:title with the site's name, or the whole first lines of a text file.
    pub title_raw: Option<String>,
    /// The publication day (never a modified or crawl date).
    pub published: Option<time::Date>,
    /// Where `published` was read from.
    pub published_source: Option<DateSource>,
    /// The canonical URL (link rel=canonical, og:url, JSON-LD url).
    pub url: Option<String>,
    /// The site or publisher name (og:site_name, JSON-LD publisher).
    pub site: Option<String>,
    /// The article's main language: an ISO 639-1 code such as "fr", or "und" when it could not
    /// be told (see [`crate::lang::detect`]). [`extract`] always sets it.
    pub language: Option<String>,
    /// Where `language` comes from: the text, the page's declaration, or both agreeing; `None`
    /// when the language is "und".
    pub language_source: Option<Source>,
    /// The page language as declared, e.g. "en" or "fr-FR" (`<html lang>`, `content-language`,
    /// `og:locale`, front matter): only a hint for `language`.
    pub declared_language: Option<String>,
    /// The charset used to decode the bytes, e.g. "UTF-8" or "windows-1252".
    pub encoding: &'static str,
    /// The article body, one entry per paragraph, whitespace-normalised.
    pub paragraphs: Vec<String>,
}

impl Extracted {
    /// Whether `published` is a date the page states as its publication date (see
    /// [`DateSource::is_sure`]); false when there is none.
    pub fn published_sure(&self) -> bool {
        self.published.is_some() && self.published_source.is_some_and(|s| s.is_sure())
    }

    /// The body as one string, paragraphs separated by a blank line.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n\n")
    }
}

/// Decodes `bytes` and extracts metadata and article body according to `kind`.
///
/// Returns [`Skip`] when the file has nothing to index: binary content, an empty file, or a
/// page where no article text is found.
pub fn extract(bytes: &[u8], kind: Kind) -> Result<Extracted, Skip> {
    extract_at(None, bytes, kind)
}

/// [`extract`] for the file at `path`, whose folders may name the site the page comes from
/// (`~/scrapes/reuters.com/…`): that name is cut from the title too.
pub fn extract_at(path: Option<&Path>, bytes: &[u8], kind: Kind) -> Result<Extracted, Skip> {
    if looks_binary(bytes) {
        return Err(Skip::Binary);
    }
    let (text, encoding) = decode(bytes, kind);
    if text.trim().is_empty() {
        return Err(Skip::Empty);
    }
    let mut site = SiteNames::default();
    if let Some(p) = path {
        site.path(p);
    }
    let mut out = match kind {
        Kind::Html => extract_html(&text, site),
        Kind::Text | Kind::Markdown => {
            let mut out = plain::extract_text(&text, kind == Kind::Markdown);
            if let Some(s) = &out.site {
                site.name(s);
            }
            if let Some(u) = &out.url {
                site.url(u);
            }
            if let Some(t) = out.title.take() {
                let clean = title::clean(&t, &site);
                let raw = out.title_raw.take().unwrap_or(t);
                out.title_raw = (raw != clean).then_some(raw);
                out.title = Some(clean).filter(|t| !t.is_empty());
            }
            out
        }
    };
    out.encoding = encoding;
    if out.paragraphs.is_empty() {
        return Err(Skip::NoText);
    }
    let found = detect::detect(
        out.title.as_deref(),
        &out.paragraphs,
        out.declared_language.as_deref(),
    );
    out.language = Some(found.code.to_string());
    out.language_source = found.source;
    Ok(out)
}

/// The page's extract; `site` holds what the file's path says of the site, and gets what the
/// page says.
fn extract_html(text: &str, mut site: SiteNames) -> Extracted {
    let text = &*depth::cap_depth(text);
    let html = scraper::Html::parse_document(text);
    let meta = meta::read(&html);
    meta.add_site_names(&mut site);
    let title = meta.title.as_deref().map(|t| title::clean(t, &site));
    let arena = dom::Arena::build(&html);
    let mut paragraphs = content::extract(&arena, title.as_deref());
    if let Some(body) = meta.article_body.as_deref() {
        content::fallback_to_json_ld(&mut paragraphs, body);
    }
    let (published, published_source) = match date::find(&html, text, &meta) {
        Some((d, s)) => (Some(d), Some(s)),
        None => (None, None),
    };
    // The head's title as written, else the chosen title before its site name was cut.
    let title_raw = meta
        .head_title
        .or(meta.title)
        .filter(|h| title.as_ref() != Some(h));
    Extracted {
        title: title.filter(|t| !t.is_empty()),
        title_raw,
        published,
        published_source,
        url: meta.url,
        site: meta.site,
        language: None,
        language_source: None,
        declared_language: meta.language,
        encoding: "UTF-8",
        paragraphs,
    }
}

/// Binary files carry NUL bytes or many control characters early on; text in any of the
/// supported charsets (UTF-16 aside, which starts with a BOM) carries neither.
fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C | 0x1B))
        .count();
    controls * 20 > head.len().max(1)
}

/// Invisible characters that change no word: zero-width space and word joiner, byte-order
/// mark, soft hyphen, and the bidirectional marks, embeddings, overrides and isolates. Pages use
/// them for line-break hints, or to make "s\u{200B}py" look like "spy" to a reader while a search
/// for "spy" misses it; and an override can reorder the text printed after it.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    ) || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Collapses runs of whitespace (including non-breaking spaces) into one space, drops
/// [invisible](is_invisible) characters, and trims.
pub(crate) fn normalize_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    for c in s.chars() {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            pending = !out.is_empty();
        } else {
            if pending {
                out.push(' ');
                pending = false;
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_extensions() {
        assert_eq!(kind_of(Path::new("a/b.HTML")), Some(Kind::Html));
        assert_eq!(kind_of(Path::new("a.htm")), Some(Kind::Html));
        assert_eq!(kind_of(Path::new("a.xhtml")), Some(Kind::Html));
        assert_eq!(kind_of(Path::new("a.txt")), Some(Kind::Text));
        assert_eq!(kind_of(Path::new("a.md")), Some(Kind::Markdown));
        assert_eq!(kind_of(Path::new("a.pdf")), None);
        assert_eq!(kind_of(Path::new("README")), None);
    }

    #[test]
    fn binary_and_empty_are_skipped() {
        assert_eq!(
            extract(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", Kind::Html).unwrap_err(),
            Skip::Binary
        );
        assert_eq!(extract(b"  \n ", Kind::Text).unwrap_err(), Skip::Empty);
        assert_eq!(
            extract(b"<html><body><nav>Home</nav></body></html>", Kind::Html).unwrap_err(),
            Skip::NoText
        );
        assert_eq!(Skip::Binary.to_string(), "binary content, not HTML or text");
    }

    #[test]
    fn language_read_from_text_over_declaration() {
        // A French article in a page declared English: the text wins.
        let page = r#"<html lang="en"><head><title>Un diplomate expulsé</title></head><body>
<article><p>Le gouvernement a expulsé un diplomate soupçonné d'avoir recruté des fonctionnaires
pour le compte d'un service de renseignement étranger, selon le ministère.</p></article>
</body></html>"#;
        let e = extract(page.as_bytes(), Kind::Html).unwrap();
        assert_eq!(e.declared_language.as_deref(), Some("en"));
        assert_eq!(e.language.as_deref(), Some("fr"));
        assert_eq!(e.language_source, Some(Source::Detected));
        // A plain-text file declares nothing.
        let e = extract("Der Verfassungsschutz warnt vor russischen Agenten in Berlin, die Beamte anwerben wollen.".as_bytes(), Kind::Text).unwrap();
        assert_eq!(e.declared_language, None);
        assert_eq!(e.language.as_deref(), Some("de"));
        assert_eq!(e.language_source, Some(Source::Detected));
    }

    #[test]
    fn normalizes_whitespace() {
        assert_eq!(normalize_ws("  a\u{a0}\n b\t\tc  "), "a b c");
        assert_eq!(
            normalize_ws("s\u{200B}py \u{202E}ring\u{202C} \u{FEFF}x\u{00AD}y \u{200B} z"),
            "spy ring xy z"
        );
    }

    #[test]
    fn small_article_page() {
        let page = r#"<html lang="en"><head><title>Spies at sea | The Daily</title>
<meta property="og:site_name" content="The Daily">
<meta property="article:published_time" content="2021-03-04T10:00:00Z">
<link rel="canonical" href="https://daily.example/2021/spies"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Spies at sea</h1>
<p>The navy said on Thursday that two officers had been arrested in the port city, in a case that has shaken the service.</p>
<p>Investigators believe the officers passed documents to a foreign intelligence service over several years, officials said.</p>
</article><footer>Copyright The Daily</footer><script>var tdLocalCache = 1;</script></body></html>"#;
        let e = extract(page.as_bytes(), Kind::Html).unwrap();
        assert_eq!(e.title.as_deref(), Some("Spies at sea"));
        assert_eq!(e.site.as_deref(), Some("The Daily"));
        assert_eq!(e.declared_language.as_deref(), Some("en"));
        assert_eq!(e.language.as_deref(), Some("en"));
        assert_eq!(e.language_source, Some(Source::Both));
        assert_eq!(e.url.as_deref(), Some("https://daily.example/2021/spies"));
        assert_eq!(e.published.unwrap().to_string(), "2021-03-04");
        assert_eq!(e.paragraphs.len(), 2, "{:?}", e.paragraphs);
        assert!(e.text().starts_with("The navy said"));
        assert!(!e.text().contains("tdLocalCache"));
        assert!(!e.text().contains("Copyright"));
    }
}
