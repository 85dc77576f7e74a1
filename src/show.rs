//! One article whole, for `dossier show` and `dossier extract`: its metadata, tags and text, with
//! a query's words marked.
//!
//! `show` reads the article back from the index rather than from its file: the passages are
//! stored in order and together hold every paragraph the indexer kept, so what `show` prints is
//! exactly what `search` searched, even after the scrape folder moved or the file changed. Only
//! facts the index does not keep (where the date came from, language, charset) are missing; a
//! path that was never indexed is extracted on the spot by the caller instead.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query as TantivyQuery, RegexQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Term};
use tantivy::TantivyDocument;
use time::Date;

use crate::article::Article;
use crate::error::{Error, Result};
use crate::highlight::Highlighter;
use crate::lang;
use crate::query::Query;
use crate::schema::{Fields, StoredArticle, StoredPassage, KIND_PASSAGE};
use crate::search::Searcher;

/// An article as `show` and `extract` print it.
#[derive(Debug, Clone, Default)]
pub struct ArticleView {
    /// Content hash of the file's bytes.
    pub article_id: String,
    /// Source file.
    pub path: String,
    /// Whether this came from the index (else straight from the file).
    pub indexed: bool,
    /// Title, when the page has one.
    pub title: Option<String>,
    /// The title as the page writes it, when that differs ([`crate::extract::Extracted::title_raw`]).
    pub title_raw: Option<String>,
    /// Publication day.
    pub published: Option<Date>,
    /// Where the date was read from ([`crate::extract::DateSource::as_str`]).
    pub published_source: Option<&'static str>,
    /// Whether the page states the date as its publication date (false for a guess from the
    /// URL or text, and without a date).
    pub published_sure: bool,
    /// The day dossier first indexed the article (from the index only).
    pub first_seen: Option<Date>,
    /// Canonical URL.
    pub url: Option<String>,
    /// Site name.
    pub site: Option<String>,
    /// The article's language (ISO 639-1 code, or `und`).
    pub language: Option<String>,
    /// Charset the bytes were decoded with (extraction only).
    pub encoding: Option<&'static str>,
    /// Agency IDs.
    pub agencies: Vec<String>,
    /// Country codes (today's countries).
    pub countries: Vec<String>,
    /// Former states ("SU").
    pub former_countries: Vec<String>,
    /// Per tag, the words of the article that made it.
    pub matched: crate::tag::Matched,
    /// Paragraphs in article order. From the index, a paragraph longer than a passage comes
    /// back cut at the sentence ends where the indexer cut it.
    pub paragraphs: Vec<String>,
    /// How many passages the article has.
    pub passages: usize,
    /// The paragraphs joined by blank lines.
    pub text: String,
    /// Byte ranges of a query's words in `text`, in order.
    pub highlights: Vec<(usize, usize)>,
    /// Every indexed file holding these bytes, sorted, `path` among them (from the index only).
    pub files: Vec<String>,
    /// The article's group of copies, if other articles tell the same story (index only).
    pub group: Option<String>,
    /// The other articles of that group, its representative first.
    pub copies: Vec<crate::search::CopyRef>,
}

impl ArticleView {
    /// The view of a freshly extracted article.
    pub fn from_article(a: &Article) -> ArticleView {
        let e = &a.extracted;
        ArticleView {
            article_id: a.id.hex(),
            path: a.path.display().to_string(),
            indexed: false,
            title: e.title.clone(),
            title_raw: e.title_raw.clone(),
            published: e.published,
            published_source: e.published_source.as_ref().map(|s| s.as_str()),
            published_sure: e.published_sure(),
            first_seen: None,
            url: e.url.clone(),
            site: e.site.clone(),
            language: Some(a.language.clone()),
            encoding: Some(e.encoding),
            agencies: a.tags.agencies.iter().map(|s| s.to_string()).collect(),
            countries: a.tags.countries.iter().map(|s| s.to_string()).collect(),
            former_countries: a.tags.former.iter().map(|s| s.to_string()).collect(),
            matched: a.tags.matched(),
            text: e.paragraphs.join("\n\n"),
            paragraphs: e.paragraphs.clone(),
            passages: a.passages.len(),
            highlights: Vec::new(),
            files: Vec::new(),
            group: None,
            copies: Vec::new(),
        }
    }

    /// Marks the query's words in `text`.
    pub fn highlight(&mut self, query: &Query) {
        let language = self.language.as_deref().unwrap_or(lang::UNDETERMINED);
        let analyzer = lang::analyzer(language);
        self.highlights =
            Highlighter::new(&query.expr.positive_leaves(), &[analyzer]).find(analyzer, &self.text);
    }
}

/// How `show` names an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A full article id or a unique prefix of one (at least 4 hex digits).
    Id(String),
    /// A file, as indexed (absolute path).
    Path(std::path::PathBuf),
}

impl Target {
    /// A path when a file of that name exists, else an id when the text looks like one, else a
    /// path (which will not be found).
    pub fn parse(arg: &str) -> Target {
        let p = Path::new(arg);
        let hex = arg.len() >= 4 && arg.len() <= 32 && arg.bytes().all(|b| b.is_ascii_hexdigit());
        if p.exists() || !hex {
            Target::Path(crate::corpus::absolute(p))
        } else {
            Target::Id(arg.to_ascii_lowercase())
        }
    }
}

impl Searcher {
    /// The article an id, id prefix or path names, read back from the index; `None` when the
    /// index does not hold it. An id prefix shared by several articles is an error naming them.
    pub fn article(&self, target: &Target) -> Result<Option<ArticleView>> {
        let fields = Fields::from_schema(&self.index().schema())?;
        let searcher = self.reader().searcher();
        let passages = |q: Box<dyn TantivyQuery>| -> Result<Vec<TantivyDocument>> {
            let kind = Term::from_field_u64(fields.kind, KIND_PASSAGE);
            let both = BooleanQuery::new(vec![
                (Occur::Must, q),
                (
                    Occur::Must,
                    Box::new(TermQuery::new(kind, IndexRecordOption::Basic)),
                ),
            ]);
            let addrs = searcher.search(&both, &DocSetCollector)?;
            addrs.into_iter().map(|a| Ok(searcher.doc(a)?)).collect()
        };
        let term = |field, text: &str| -> Box<dyn TantivyQuery> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::Basic,
            ))
        };
        let docs = match target {
            Target::Path(p) => passages(term(fields.path, &p.to_string_lossy()))?,
            Target::Id(id) if id.len() == 32 => passages(term(fields.article_id, id))?,
            Target::Id(prefix) => {
                let q = RegexQuery::from_pattern(&format!("{prefix}.*"), fields.article_id)?;
                let docs = passages(Box::new(q))?;
                let ids: HashSet<String> = docs
                    .iter()
                    .map(|d| StoredArticle::read(&fields, d).id)
                    .filter(|id| !id.is_empty())
                    .collect();
                if ids.len() > 1 {
                    let mut ids: Vec<String> = ids.into_iter().collect();
                    ids.sort();
                    ids.truncate(5);
                    return Err(Error::Argument(format!(
                        "article id '{prefix}' is ambiguous: it starts {}; give more digits",
                        ids.join(", ")
                    )));
                }
                docs
            }
        };
        let Some(mut view) = view_of(&fields, docs) else {
            return Ok(None);
        };
        let groups = crate::copies::Groups::load(&searcher, &fields)?;
        if let Some(g) = groups.of(crate::schema::article_key(&view.article_id)) {
            view.group = Some(g.id.clone());
            view.copies = self.copies_of(&searcher, g, &view.article_id)?;
        }
        Ok(Some(view))
    }
}

/// Puts an article's passage documents back together. Identical files share an id; the first
/// path in sort order is shown.
fn view_of(f: &Fields, docs: Vec<TantivyDocument>) -> Option<ArticleView> {
    let mut by_path: BTreeMap<String, Vec<StoredPassage>> = BTreeMap::new();
    for d in docs {
        let p = StoredPassage::read(f, &d);
        by_path.entry(p.article.path()).or_default().push(p);
    }
    let (path, mut passages) = by_path.into_iter().next()?;
    passages.sort_by_key(|p| p.ord);
    let files: BTreeSet<String> = (passages.iter())
        .flat_map(|p| p.article.paths.iter().cloned())
        .collect();
    let paragraphs: Vec<String> = passages
        .iter()
        .flat_map(|p| p.text.split("\n\n").map(str::to_string).collect::<Vec<_>>())
        .filter(|p| !p.trim().is_empty())
        .collect();
    let count = passages.len();
    let first = passages.swap_remove(0);
    let a = first.article;
    Some(ArticleView {
        article_id: a.id,
        path,
        indexed: true,
        title: Some(first.title).filter(|t| !t.is_empty()),
        title_raw: first.title_raw,
        published: a.published,
        published_source: a.published_source,
        published_sure: a.published_sure,
        first_seen: a.first_seen,
        url: a.url,
        site: a.site,
        agencies: a.agencies,
        countries: a.countries,
        former_countries: a.former_countries,
        language: a.language,
        matched: first.matched,
        text: paragraphs.join("\n\n"),
        paragraphs,
        passages: count,
        files: files.into_iter().collect(),
        ..ArticleView::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(Target::parse("3F9C"), Target::Id("3f9c".into()));
        assert!(matches!(Target::parse("abc"), Target::Path(_)));
        assert!(matches!(Target::parse("not-hex"), Target::Path(_)));
        assert!(matches!(Target::parse(&"a".repeat(33)), Target::Path(_)));
    }
}
