//! Runs a [`Query`] against the index and returns ranked passages with highlight offsets.
//!
//! Words score with BM25 over the passage text and, boosted, over the article title; filters
//! (agency, country, site, dates) are wrapped to score zero so they narrow the results without
//! reordering them. Passages are then capped per article, in rank order.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Bound;
use std::path::Path;
use std::time::{Duration, Instant};

use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::query::{
    AllQuery, BitSetDocSet, BooleanQuery, BoostQuery, ConstScoreQuery, ConstScorer, EnableScoring,
    Explanation, Occur, PhraseQuery, Query as TantivyQuery, RangeQuery, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field as TField, IndexRecordOption, Term, Value};
use tantivy::{
    BitSet, DateTime, DocAddress, DocId, Index, IndexReader, ReloadPolicy, Score, SegmentReader,
    TantivyDocument,
};
use time::Date;

use crate::copies::{Group, Groups};
use crate::error::{Error, Result};
use crate::index;
use crate::lang::{self, Analyzer};
use crate::query::{DatesMode, Field, Node, Query, Undated};
use crate::schema::{self, Fields, KIND_ARTICLE, KIND_GROUPS, KIND_PASSAGE};

/// How much a title match weighs against a passage-text match.
const TITLE_BOOST: f32 = 2.0;

/// Options of one search.
#[derive(Debug, Clone, Copy)]
pub struct SearchOptions {
    /// Passages to return at most.
    pub limit: usize,
    /// Passages per article at most.
    pub per_article: usize,
    /// Only passages added by a commit after this sequence number (saved queries' `--new`); a
    /// copy of a story the index held by then is not new either.
    pub after_seq: Option<u64>,
    /// Every copy of a story, instead of its best-ranked copy alone.
    pub all_copies: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            per_article: 2,
            after_seq: None,
            all_copies: false,
        }
    }
}

/// One ranked passage.
#[derive(Debug, Clone)]
pub struct Hit {
    /// 1-based rank.
    pub rank: usize,
    /// Relevance score (BM25 with the title boost).
    pub score: f32,
    /// Content hash of the article.
    pub article_id: String,
    /// Passage number within the article, from 0.
    pub passage: u64,
    /// Source file (the first of `paths`).
    pub path: String,
    /// Every file holding these bytes, sorted: identical files are stored once.
    pub paths: Vec<String>,
    /// Canonical URL, when known.
    pub url: Option<String>,
    /// Site name, when known.
    pub site: Option<String>,
    /// Article title (may be empty).
    pub title: String,
    /// The title as the page writes it, when that differs (site name and all).
    pub title_raw: Option<String>,
    /// Publication date, when known.
    pub published: Option<Date>,
    /// Where the date was read from ([`crate::extract::DateSource::as_str`]), when known.
    pub published_source: Option<&'static str>,
    /// Whether the page states the date as its publication date; false for a date guessed
    /// from the URL or the text, and when there is none.
    pub published_sure: bool,
    /// The day dossier first indexed the article.
    pub first_seen: Option<Date>,
    /// Agency IDs of the article.
    pub agencies: Vec<String>,
    /// Country codes of the article (today's countries).
    pub countries: Vec<String>,
    /// Former states the article names ("SU" for the Soviet Union).
    pub former_countries: Vec<String>,
    /// The article's language: ISO 639-1 code, or `und`.
    pub language: String,
    /// Per tag, the words of the article that made it.
    pub matched: crate::tag::Matched,
    /// Passage text.
    pub text: String,
    /// Byte ranges of matched words in `text`.
    pub highlights: Vec<(usize, usize)>,
    /// Commit sequence number that added the passage.
    pub seq: u64,
    /// The article's group of copies ([`crate::copies::Group::id`]), if it has copies.
    pub group: Option<String>,
    /// The other articles of its group, the representative first.
    pub copies: Vec<CopyRef>,
}

/// Another article telling the same story.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CopyRef {
    /// Its article id.
    pub id: String,
    /// Its first file.
    pub path: String,
    /// Its URL, when known.
    pub url: Option<String>,
    /// Its site name, when known.
    pub site: Option<String>,
    /// Its title.
    pub title: String,
    /// Its publication date, when known.
    #[serde(serialize_with = "crate::printer::json::ser_date")]
    pub published: Option<Date>,
}

impl CopyRef {
    /// Where the copy was published, for a short list: the site, else the URL's host, else
    /// the file name.
    pub fn source(&self) -> String {
        if let Some(site) = self.site.as_deref().filter(|s| !s.is_empty()) {
            return site.to_string();
        }
        if let Some(host) = self
            .url
            .as_deref()
            .and_then(|u| u.split("://").nth(1))
            .and_then(|rest| rest.split('/').next())
            .filter(|h| !h.is_empty())
        {
            return host.trim_start_matches("www.").to_string();
        }
        Path::new(&self.path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.path.clone())
    }
}

/// Which ranked passages a page keeps: so many per article, one article per group of copies
/// (unless every copy is asked for), and with `after_seq` no copy of a story held before.
struct Keep<'g> {
    per_article: usize,
    per: HashMap<u64, usize>,
    groups: &'g Groups,
    all_copies: bool,
    after_seq: Option<u64>,
    /// Per group shown, the article shown for it.
    shown: HashMap<&'g str, u64>,
}

impl<'g> Keep<'g> {
    fn new(opts: &SearchOptions, groups: &'g Groups) -> Keep<'g> {
        Keep {
            per_article: opts.per_article.max(1),
            per: HashMap::new(),
            groups,
            all_copies: opts.all_copies,
            after_seq: opts.after_seq,
            shown: HashMap::new(),
        }
    }

    /// Whether a passage of the article `key` is kept, counting it if so.
    fn keep(&mut self, key: u64) -> bool {
        if let Some(g) = self.groups.of(key) {
            if self.after_seq.is_some_and(|after| g.first_seq <= after) {
                return false;
            }
            if !self.all_copies && *self.shown.entry(g.id.as_str()).or_insert(key) != key {
                return false;
            }
        }
        let n = self.per.entry(key).or_default();
        if *n >= self.per_article {
            return false;
        }
        *n += 1;
        true
    }
}

/// The answer to a search.
#[derive(Debug, Clone)]
pub struct Results {
    /// Ranked passages.
    pub hits: Vec<Hit>,
    /// Passages matching the query in all, before the limits.
    pub total_matches: usize,
    /// Time spent searching (not opening the index).
    pub took: Duration,
    /// The commit sequence number the search saw.
    pub seq: u64,
}

/// A handle on an open index for searching.
pub struct Searcher {
    path: std::path::PathBuf,
    /// The generation folder opened (see [`index::data_dir`]).
    dir: std::path::PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// The commit read before the reader's first snapshot, until a search uses that snapshot.
    opened_at: std::sync::Mutex<Option<u64>>,
}

impl Searcher {
    /// Opens the index at `path` for reading.
    pub fn open(path: &Path) -> Result<Searcher> {
        index::retry_on_switch(path, |dir| Searcher::open_generation(path, dir))
    }

    fn open_generation(path: &Path, dir: &Path) -> Result<Searcher> {
        let index = index::open_generation(path, dir)?;
        let seq = index::committed_seq(&index)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| Error::damaged(path, crate::error::describe(&e)))?;
        let fields = Fields::from_schema(&index.schema())?;
        Ok(Searcher {
            path: path.to_path_buf(),
            dir: dir.to_path_buf(),
            index,
            reader,
            fields,
            opened_at: std::sync::Mutex::new(Some(seq)),
        })
    }

    /// The underlying Tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Runs a query: the articles that satisfy it, then their best passages.
    ///
    /// Every word of a query is required of the article, not of one passage: an article that
    /// names the MİT in one paragraph and a rendition from Kenya in another answers "MIT Kenya
    /// rendition". Its passages are then ranked by the query's words, so the passage that holds
    /// most of them comes first. A query with one word needs no first step.
    ///
    /// The first search sees the index as it was opened; each later one sees the last commit.
    pub fn search(&self, query: &Query, opts: &SearchOptions) -> Result<Results> {
        // Once the index is open, a storage error means files went missing or bad under it.
        self.search_unchecked(query, opts).map_err(|e| match e {
            // ... unless a rebuild replaced the generation this searcher opened.
            Error::Index(_) if index::data_dir(&self.path).is_ok_and(|d| d != self.dir) => {
                Error::Argument(format!(
                    "index '{}' was rebuilt while this command ran; run it again",
                    self.path.display()
                ))
            }
            Error::Index(detail) => Error::damaged(&self.path, detail),
            other => other,
        })
    }

    fn search_unchecked(&self, query: &Query, opts: &SearchOptions) -> Result<Results> {
        let started = Instant::now();
        // Read the commit number first, then take a fresh snapshot: the snapshot holds at least
        // that commit, so `Results.seq` never claims passages the search could not see (a saved
        // query's watermark moves to it). The first search uses the snapshot taken at open,
        // which was taken the same way.
        let opened = self.opened_at.lock().ok().and_then(|mut s| s.take());
        let seq = match opened {
            Some(seq) => seq,
            None => {
                let seq = index::committed_seq(&self.index)?;
                self.reader.reload()?;
                seq
            }
        };
        let searcher = self.reader.searcher();
        let plan = Plan::new(&self.fields, &searcher, query)?;
        let tq = plan.passage_query(&searcher, query, opts)?;
        let groups = Groups::load(&searcher, &self.fields)?;
        // No search returns more passages than the index holds: a huge --limit costs no more
        // memory than the whole index would.
        let docs = (searcher.num_docs() as usize).max(1);
        let limit = opts.limit.min(docs);
        let mut fetch = limit.saturating_mul(4).clamp(50, docs.max(50));
        let (ranked, total) = if query.expr.0.is_empty() {
            newest_first(&searcher, &*tq, limit, docs, || Keep::new(opts, &groups))?
        } else {
            loop {
                let (top, total) =
                    searcher.search(&*tq, &(TopDocs::with_limit(fetch).order_by_score(), Count))?;
                let fetched = top.len();
                let last_fetched = top.last().map(|&(score, _)| score);
                let mut keys = DocKeys::new(&searcher);
                let mut keep = Keep::new(opts, &groups);
                let mut kept = Vec::new();
                // Equal scores form a group, taken in a fixed order ([`order_tied`]).
                let mut rest = &top[..];
                'groups: while let Some(&(score, _)) = rest.first() {
                    let len = rest.iter().take_while(|&&(s, _)| s == score).count();
                    for (addr, key) in order_tied(&rest[..len], &mut keys)? {
                        if !keep.keep(key) {
                            continue;
                        }
                        kept.push((score, addr));
                        if kept.len() == limit {
                            break 'groups;
                        }
                    }
                    rest = &rest[len..];
                }
                let more = fetched == fetch && fetched < total;
                // A tie across the fetch limit would let the index's layout pick which tied
                // passage is kept: fetch past it.
                let tie_at_cut = more && kept.last().map(|&(s, _)| s) == last_fetched;
                if (kept.len() == limit && !tie_at_cut) || !more {
                    break (kept, total);
                }
                fetch = fetch.saturating_mul(4).min(docs.max(50));
            }
        };
        // What a passage's highlights are: the terms the passage query searches its text by.
        let mut marked = HashSet::new();
        tq.query_terms(&mut |term, _| {
            if term.field() == self.fields.text_terms {
                if let Some(t) = term.value().as_str() {
                    marked.insert(t.to_string());
                }
            }
        });
        let mut hits = Vec::with_capacity(ranked.len());
        for (i, (score, addr)) in ranked.into_iter().enumerate() {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let mut hit = self.hit(i + 1, score, &doc, &marked);
            if let Some(g) = groups.of(schema::article_key(&hit.article_id)) {
                hit.group = Some(g.id.clone());
                hit.copies = self.copies_of(&searcher, g, &hit.article_id)?;
            }
            hits.push(hit);
        }
        Ok(Results {
            hits,
            total_matches: total,
            took: started.elapsed(),
            seq,
        })
    }

    fn hit(&self, rank: usize, score: f32, doc: &TantivyDocument, marked: &HashSet<String>) -> Hit {
        let f = &self.fields;
        let text = first_str(doc, f.text).unwrap_or_default();
        let language = first_str(doc, f.language).unwrap_or_else(|| lang::UNDETERMINED.into());
        let highlights = highlight(lang::analyzer(&language), &text, marked);
        let published = stored_date(doc, f.published);
        let (countries, former_countries) = crate::tag::split_former(all_str(doc, f.country));
        Hit {
            rank,
            score,
            article_id: first_str(doc, f.article_id).unwrap_or_default(),
            passage: doc
                .get_first(f.passage)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            path: first_str(doc, f.path).unwrap_or_default(),
            paths: all_str(doc, f.path),
            url: first_str(doc, f.url),
            site: first_str(doc, f.site),
            title: first_str(doc, f.title).unwrap_or_default(),
            title_raw: first_str(doc, f.title_raw),
            published,
            published_source: stored_source(doc, f.published_source),
            published_sure: stored_sure(doc, f.published_sure),
            first_seen: stored_date(doc, f.first_seen),
            agencies: all_str(doc, f.agency),
            countries,
            former_countries,
            language,
            matched: stored_matched(doc, f.matched),
            text,
            highlights,
            seq: doc.get_first(f.seq).and_then(|v| v.as_u64()).unwrap_or(0),
            group: None,
            copies: Vec::new(),
        }
    }

    /// The articles of a group other than `id`, in the group's order.
    pub(crate) fn copies_of(
        &self,
        searcher: &tantivy::Searcher,
        group: &Group,
        id: &str,
    ) -> Result<Vec<CopyRef>> {
        let f = &self.fields;
        let own = schema::article_key(id);
        let mut out = Vec::with_capacity(group.members.len());
        for &key in group.members.iter().filter(|&&k| k != own) {
            let q = BooleanQuery::new(vec![
                (
                    Occur::Must,
                    term_query(Term::from_field_u64(f.article_key, key)),
                ),
                (Occur::Must, kind_is(f, KIND_PASSAGE)),
            ]);
            let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
            let Some(&(_, addr)) = top.first() else {
                continue;
            };
            let doc: TantivyDocument = searcher.doc(addr)?;
            out.push(CopyRef {
                id: first_str(&doc, f.article_id).unwrap_or_default(),
                path: first_str(&doc, f.path).unwrap_or_default(),
                url: first_str(&doc, f.url),
                site: first_str(&doc, f.site),
                title: first_str(&doc, f.title).unwrap_or_default(),
                published: stored_date(&doc, f.published),
            });
        }
        Ok(out)
    }

    /// Brings the reader to the index's last commit, for a searcher kept open across requests
    /// (`dossier serve`): [`Searcher::search`] does so itself, facet counts and article
    /// look-ups read the snapshot they are given.
    pub fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        Ok(())
    }

    /// The reader, for other ways of collecting (facets).
    pub(crate) fn reader(&self) -> &IndexReader {
        &self.reader
    }

    /// The query over article documents: every clause and every filter, scoring ignored.
    pub(crate) fn article_query(&self, query: &Query) -> Result<Box<dyn TantivyQuery>> {
        let searcher = self.reader.searcher();
        Plan::new(&self.fields, &searcher, query)?.article_query(query)
    }
}

/// The Tantivy queries of one search: the schema's fields, and the analyses the query's words
/// go through (the languages asked for, else every language the index holds).
struct Plan<'a> {
    fields: &'a Fields,
    analyzers: Vec<Analyzer>,
}

impl<'a> Plan<'a> {
    fn new(fields: &'a Fields, searcher: &tantivy::Searcher, query: &Query) -> Result<Plan<'a>> {
        let codes = if query.languages.is_empty() {
            index_languages(searcher, fields.language)?
        } else {
            query.languages.iter().cloned().collect()
        };
        let mut analyzers: Vec<Analyzer> = Vec::new();
        for code in codes {
            let a = lang::analyzer(&code);
            if !analyzers.iter().any(|b| b.code() == a.code()) {
                analyzers.push(a);
            }
        }
        if analyzers.is_empty() {
            analyzers.push(lang::analyzer(lang::UNDETERMINED));
        }
        Ok(Plan { fields, analyzers })
    }

    pub(crate) fn article_query(&self, query: &Query) -> Result<Box<dyn TantivyQuery>> {
        let mut clauses = self.clauses(query, self.fields.body)?;
        clauses.push((Occur::Must, filter(kind_is(self.fields, KIND_ARTICLE))));
        for f in self.filters(query) {
            clauses.push((Occur::Must, filter(f)));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// The query over passages. With one positive clause and no exclusion, a passage matches on
    /// its own; otherwise passages must belong to an article matching the whole query and score
    /// by any of its words.
    fn passage_query(
        &self,
        searcher: &tantivy::Searcher,
        query: &Query,
        opts: &SearchOptions,
    ) -> Result<Box<dyn TantivyQuery>> {
        let f = &self.fields;
        let nodes = &query.expr.0;
        let simple = nodes.len() <= 1 && !nodes.iter().any(|n| matches!(n, Node::Not(_)));
        let mut clauses = if simple {
            let mut c = self.clauses(query, f.text_terms)?;
            for q in self.filters(query) {
                c.push((Occur::Must, filter(q)));
            }
            c
        } else {
            let articles = searcher.search(&*self.article_query(query)?, &ArticleDocsCollector)?;
            let set = ArticleSetQuery {
                articles: std::sync::Arc::new(articles),
            };
            let mut c = vec![(Occur::Must, filter(Box::new(set)))];
            let mut leaves = Vec::new();
            for node in nodes {
                self.positive_leaves(searcher, node, &mut leaves)?;
            }
            // A word in most documents ("of", "the") is required of the article like any
            // other, but ranks no passage when the query has a rarer one: a passage that holds
            // only "of" is no match for "Ministry of State Security".
            let any_rare = leaves.iter().any(|(_, common)| !common);
            let words: Vec<_> = leaves
                .into_iter()
                .filter(|(_, common)| !(any_rare && *common))
                .map(|(q, _)| q)
                .collect();
            if !words.is_empty() {
                let any = words.into_iter().map(|q| (Occur::Should, q)).collect();
                c.push((
                    Occur::Must,
                    Box::new(BooleanQuery::new(any)) as Box<dyn TantivyQuery>,
                ));
            }
            c
        };
        // Passage text and title are on passages alone, and the article step yields passages:
        // only a query that matches by filters alone must leave article documents out.
        if simple && !nodes.first().is_some_and(|n| self.passages_only(n)) {
            clauses.push((Occur::Must, filter(kind_is(f, KIND_PASSAGE))));
        }
        if let Some(after) = opts.after_seq {
            let newer = RangeQuery::new(
                Bound::Excluded(Term::from_field_u64(f.seq, after)),
                Bound::Unbounded,
            );
            clauses.push((Occur::Must, filter(Box::new(newer))));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// The query's own clauses against `text_field` (passage text or article body), with a
    /// match-all when nothing scores so that exclusions and filters have something to narrow.
    fn clauses(
        &self,
        query: &Query,
        text_field: TField,
    ) -> Result<Vec<(Occur, Box<dyn TantivyQuery>)>> {
        let mut clauses = Vec::new();
        for node in &query.expr.0 {
            if let Some(c) = self.node(node, text_field)? {
                clauses.push(c);
            }
        }
        if !clauses.iter().any(|(o, _)| *o != Occur::MustNot) {
            clauses.push((Occur::Must, filter(Box::new(AllQuery))));
        }
        Ok(clauses)
    }

    /// Word and phrase matchers on passage text outside any exclusion: what ranks passages.
    /// Each with whether it is a single word found in more than half of the index's documents.
    fn positive_leaves(
        &self,
        searcher: &tantivy::Searcher,
        node: &Node,
        out: &mut Vec<(Box<dyn TantivyQuery>, bool)>,
    ) -> Result<()> {
        match node {
            Node::Not(_) => {}
            Node::Or(v) | Node::And(v) => {
                for n in v {
                    self.positive_leaves(searcher, n, out)?;
                }
            }
            Node::Word(Field::Any | Field::Title, text) | Node::Phrase(_, text) => {
                let variants = self.variants(text);
                let common = match node {
                    Node::Word(Field::Any, _) if variants.iter().all(|v| v.len() == 1) => {
                        let mut freq = 0;
                        for v in &variants {
                            freq += searcher.doc_freq(&Term::from_field_text(
                                self.fields.text_terms,
                                &v[0].1,
                            ))?;
                        }
                        // Documents that hold text: all but the one of groups of copies.
                        let groups = searcher
                            .doc_freq(&Term::from_field_u64(self.fields.kind, KIND_GROUPS))?;
                        freq * 2 > searcher.num_docs().saturating_sub(groups)
                    }
                    _ => false,
                };
                if let Some(q) = self.matcher(node, self.fields.text_terms)? {
                    out.push((q, common));
                }
            }
            Node::Word(..) => {}
        }
        Ok(())
    }

    /// Agency, country and date filters of the command line (article-level facts).
    fn filters(&self, query: &Query) -> Vec<Box<dyn TantivyQuery>> {
        let f = &self.fields;
        let mut out: Vec<Box<dyn TantivyQuery>> = Vec::new();
        let any_of = |field: TField, values: &[String]| -> Box<dyn TantivyQuery> {
            let terms = values
                .iter()
                .map(|v| term_query(Term::from_field_text(field, v)))
                .map(|q| (Occur::Should, q))
                .collect();
            Box::new(BooleanQuery::new(terms))
        };
        if !query.agencies.is_empty() {
            out.push(any_of(f.agency, &query.agencies));
        }
        if !query.countries.is_empty() {
            out.push(any_of(f.country, &query.countries));
        }
        if !query.languages.is_empty() {
            out.push(any_of(f.language, &query.languages));
        }
        out.extend(self.date_filter(query));
        if let Some(seen) = query.seen_since {
            let from = day(seen.first_day().max(first_storable_day()));
            out.push(Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_date(f.first_seen, from)),
                Bound::Unbounded,
            )));
        }
        out
    }

    /// The publication-date filter: the range asked for, with only stated dates counting under
    /// `--dates sure`, and undated articles (then also those with a guessed date) kept, dropped
    /// or kept alone as [`Query::undated_rule`] says.
    fn date_filter(&self, query: &Query) -> Option<Box<dyn TantivyQuery>> {
        let f = &self.fields;
        let sure = query.dates == DatesMode::Sure;
        let (since, until) = query.date_range();
        // The index stores days from 1678 to 2261: a bound beyond them is moved to the edge,
        // where it still keeps out undated articles.
        let edges = |d: Date| d.clamp(first_storable_day(), last_storable_day());
        let bounded = since.is_some() || until.is_some();
        let range = |since: Option<Date>, until: Option<Date>| -> Box<dyn TantivyQuery> {
            let bound = |d: Option<Date>, default: Date| {
                Bound::Included(Term::from_field_date(
                    f.published,
                    day(edges(d.unwrap_or(default))),
                ))
            };
            let in_range = Box::new(RangeQuery::new(
                bound(since, first_storable_day()),
                bound(until, last_storable_day()),
            ));
            if !sure {
                return in_range;
            }
            let stated = term_query(Term::from_field_u64(f.published_sure, 1));
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, in_range),
                (Occur::Must, stated),
            ]))
        };
        let undated = || -> Box<dyn TantivyQuery> {
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn TantivyQuery>),
                (Occur::MustNot, range(None, None)),
            ]))
        };
        match query.undated_rule() {
            Undated::Include if bounded => Some(Box::new(BooleanQuery::new(vec![
                (Occur::Should, range(since, until)),
                (Occur::Should, undated()),
            ]))),
            Undated::Include => None,
            Undated::Exclude => Some(range(since, until)),
            Undated::Only => Some(undated()),
        }
    }

    fn node(
        &self,
        node: &Node,
        text_field: TField,
    ) -> Result<Option<(Occur, Box<dyn TantivyQuery>)>> {
        Ok(match node {
            Node::Not(inner) => self
                .matcher(inner, text_field)?
                .map(|q| (Occur::MustNot, q)),
            other => self.matcher(other, text_field)?.map(|q| (Occur::Must, q)),
        })
    }

    /// The query matching a node (None for a word with nothing to search, such as "-").
    fn matcher(&self, node: &Node, text_field: TField) -> Result<Option<Box<dyn TantivyQuery>>> {
        let f = &self.fields;
        Ok(match node {
            Node::Word(Field::Agency, id) => {
                Some(filter(term_query(Term::from_field_text(f.agency, id))))
            }
            Node::Word(Field::Country, c) => {
                Some(filter(term_query(Term::from_field_text(f.country, c))))
            }
            Node::Word(Field::Site, s) => {
                Some(filter(term_query(Term::from_field_text(f.site, s))))
            }
            Node::Word(field, text) | Node::Phrase(field, text) => {
                self.text_query(*field, text, text_field)
            }
            Node::Or(alts) => {
                let mut subs = Vec::new();
                for a in alts {
                    if let Some(q) = self.matcher(a, text_field)? {
                        subs.push((Occur::Should, q));
                    }
                }
                (!subs.is_empty())
                    .then(|| Box::new(BooleanQuery::new(subs)) as Box<dyn TantivyQuery>)
            }
            Node::And(nodes) => {
                let mut subs = Vec::new();
                for n in nodes {
                    if let Some(c) = self.node(n, text_field)? {
                        subs.push(c);
                    }
                }
                if subs.iter().all(|(o, _)| *o == Occur::MustNot) {
                    return Err(Error::Argument(format!(
                        "the group '{node}' only excludes; add a word to search for"
                    )));
                }
                Some(Box::new(BooleanQuery::new(subs)))
            }
            Node::Not(_) => {
                return Err(Error::Argument(format!(
                    "'{node}' cannot stand inside OR; exclude it at the top level"
                )))
            }
        })
    }

    /// Words through each language's analysis; one token gives a term, several a phrase, and
    /// the languages' readings are alternatives. Default field searches the passage text and
    /// the boosted title.
    fn text_query(
        &self,
        field: Field,
        text: &str,
        text_field: TField,
    ) -> Option<Box<dyn TantivyQuery>> {
        let f = &self.fields;
        let variants = self.variants(text);
        if variants.is_empty() {
            return None;
        }
        let on = |tf: TField| -> Box<dyn TantivyQuery> {
            let mut alts: Vec<Box<dyn TantivyQuery>> = variants
                .iter()
                .map(|tokens| {
                    let mut terms: Vec<(usize, Term)> = tokens
                        .iter()
                        .map(|(p, t)| (*p, Term::from_field_text(tf, t)))
                        .collect();
                    if terms.len() == 1 {
                        Box::new(TermQuery::new(
                            terms.pop().expect("one term").1,
                            IndexRecordOption::WithFreqs,
                        )) as Box<dyn TantivyQuery>
                    } else {
                        Box::new(PhraseQuery::new_with_offset(terms))
                    }
                })
                .collect();
            if alts.len() == 1 {
                alts.pop().expect("one reading")
            } else {
                Box::new(BooleanQuery::new(
                    alts.into_iter().map(|q| (Occur::Should, q)).collect(),
                ))
            }
        };
        // Article documents hold their title in a field of their own.
        let title_field = if text_field == f.body {
            f.article_title
        } else {
            f.title_terms
        };
        let title: Box<dyn TantivyQuery> = Box::new(BoostQuery::new(on(title_field), TITLE_BOOST));
        Some(match field {
            Field::Title => title,
            _ => Box::new(BooleanQuery::new(vec![
                (Occur::Should, on(text_field)),
                (Occur::Should, title),
            ])),
        })
    }

    /// Whether every document `node` matches is a passage: it requires a word of passage text or
    /// title (a word with nothing to search matches everything).
    fn passages_only(&self, node: &Node) -> bool {
        match node {
            Node::Word(Field::Any | Field::Title, text) | Node::Phrase(_, text) => {
                !self.variants(text).is_empty()
            }
            Node::Word(..) | Node::Not(_) => false,
            Node::Or(alts) => alts.iter().all(|a| self.passages_only(a)),
            Node::And(nodes) => nodes.iter().any(|n| self.passages_only(n)),
        }
    }

    /// The distinct readings of `text` by the plan's analyses, each the terms of its words with
    /// their positions.
    fn variants(&self, text: &str) -> Vec<Vec<(usize, String)>> {
        let mut out: Vec<Vec<(usize, String)>> = Vec::new();
        for a in &self.analyzers {
            let terms = a.query_phrase(text);
            if !terms.is_empty() && !out.contains(&terms) {
                out.push(terms);
            }
        }
        out
    }
}

/// The languages of an index's documents, from the terms of the `language` field.
fn index_languages(searcher: &tantivy::Searcher, field: TField) -> Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut terms = inverted
            .terms()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while terms.advance() {
            if let Ok(code) = std::str::from_utf8(terms.key()) {
                out.insert(code.to_string());
            }
        }
    }
    Ok(out)
}

/// The byte ranges of `text` whose words, through `analyzer`, are among `terms`; ranges that
/// touch or overlap (a Chinese word and a word inside it) are one.
pub fn highlight(analyzer: Analyzer, text: &str, terms: &HashSet<String>) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    if terms.is_empty() {
        return out;
    }
    let mut spans: Vec<(usize, usize)> = analyzer
        .index_tokens(text)
        .into_iter()
        .filter(|t| terms.contains(&t.text))
        .map(|t| (t.offset_from, t.offset_to))
        .collect();
    spans.sort_unstable();
    for (a, b) in spans {
        match out.last_mut() {
            Some(last) if a < last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// Orders passages with equal scores (those that match by their article's title alone, say) by
/// article key, then passage number, so that a search gives the same answer however the index
/// happened to be written (document order follows the indexing threads). Hands back each one's
/// article key.
fn order_tied(group: &[(f32, DocAddress)], keys: &mut DocKeys) -> Result<Vec<(DocAddress, u64)>> {
    let mut keyed = Vec::with_capacity(group.len());
    for &(_, addr) in group {
        let (key, passage) = keys.get(addr)?;
        keyed.push((key, passage, addr));
    }
    if keyed.len() > 1 {
        keyed.sort_unstable();
    }
    Ok(keyed
        .into_iter()
        .map(|(key, _, addr)| (addr, key))
        .collect())
}

/// A query of filters alone ("every MSS article since 2019") has no words to rank by: its
/// passages come newest first, undated ones last, an article's passages in order, and each
/// scores 0. Returns the kept passages and how many matched.
fn newest_first<'g>(
    searcher: &tantivy::Searcher,
    tq: &dyn TantivyQuery,
    limit: usize,
    docs: usize,
    keep: impl Fn() -> Keep<'g>,
) -> Result<(Vec<(Score, DocAddress)>, usize)> {
    let mut fetch = limit.saturating_mul(4).clamp(50, docs.max(50));
    loop {
        let by_date = TopDocs::with_limit(fetch)
            .order_by_fast_field::<DateTime>("published", tantivy::Order::Desc);
        let (top, total) = searcher.search(tq, &(by_date, Count))?;
        let fetched = top.len();
        let mut keys = DocKeys::new(searcher);
        let mut keyed = Vec::with_capacity(fetched);
        for (date, addr) in top {
            let (key, passage) = keys.get(addr)?;
            let date = date.map(|d| std::cmp::Reverse(d.into_timestamp_nanos()));
            // Dated before undated, newest first; then article and passage order.
            keyed.push((date.is_none(), date, key, passage, addr));
        }
        keyed.sort_unstable();
        let mut keep = keep();
        let mut kept = Vec::new();
        for (_, _, key, _, addr) in keyed {
            if kept.len() < limit && keep.keep(key) {
                kept.push((0.0, addr));
            }
        }
        // Passages of an article cut at the fetch limit could hide a whole later article's
        // turn; fetch further until the page is full or everything was seen.
        if kept.len() == limit || fetched < fetch || fetched >= total {
            return Ok((kept, total));
        }
        fetch = fetch.saturating_mul(4).min(docs.max(50));
    }
}

fn term_query(term: Term) -> Box<dyn TantivyQuery> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

fn filter(q: Box<dyn TantivyQuery>) -> Box<dyn TantivyQuery> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

fn kind_is(fields: &Fields, kind: u64) -> Box<dyn TantivyQuery> {
    term_query(Term::from_field_u64(fields.kind, kind))
}

/// Each document's article key and passage number, from the fast fields of its segment.
struct DocKeys<'a> {
    searcher: &'a tantivy::Searcher,
    columns: HashMap<u32, (Column<u64>, Column<u64>)>,
}

impl<'a> DocKeys<'a> {
    fn new(searcher: &'a tantivy::Searcher) -> Self {
        DocKeys {
            searcher,
            columns: HashMap::new(),
        }
    }

    /// The article key and passage number of a document.
    fn get(&mut self, addr: DocAddress) -> Result<(u64, u64)> {
        let (keys, passages) = match self.columns.entry(addr.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let ff = self.searcher.segment_reader(addr.segment_ord).fast_fields();
                e.insert((ff.u64("article_key")?, ff.u64("passage")?))
            }
        };
        Ok((
            keys.first(addr.doc_id).unwrap_or(0),
            passages.first(addr.doc_id).unwrap_or(0),
        ))
    }
}

/// The article documents of each segment that match, in document order.
pub(crate) type ArticleDocs = HashMap<SegmentId, Vec<DocId>>;

/// Collects matching article documents where they are: nothing is read.
pub(crate) struct ArticleDocsCollector;

pub(crate) struct ArticleDocsSegment {
    segment: SegmentId,
    docs: Vec<DocId>,
}

impl Collector for ArticleDocsCollector {
    type Fruit = ArticleDocs;
    type Child = ArticleDocsSegment;

    fn for_segment(&self, _: u32, reader: &SegmentReader) -> tantivy::Result<ArticleDocsSegment> {
        Ok(ArticleDocsSegment {
            segment: reader.segment_id(),
            docs: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<(SegmentId, Vec<DocId>)>) -> tantivy::Result<ArticleDocs> {
        Ok(fruits.into_iter().filter(|(_, d)| !d.is_empty()).collect())
    }
}

impl SegmentCollector for ArticleDocsSegment {
    type Fruit = (SegmentId, Vec<DocId>);

    fn collect(&mut self, doc: DocId, _: Score) {
        self.docs.push(doc);
    }

    fn harvest(self) -> (SegmentId, Vec<DocId>) {
        (self.segment, self.docs)
    }
}

/// Matches the passages of the given articles: the documents right after each article's own,
/// for as long as they carry its key (see [`crate::schema`] on how they are laid out).
#[derive(Clone, Debug)]
struct ArticleSetQuery {
    articles: std::sync::Arc<ArticleDocs>,
}

impl TantivyQuery for ArticleSetQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl ArticleSetQuery {
    fn docs(&self, reader: &SegmentReader) -> tantivy::Result<BitSet> {
        let max = reader.max_doc();
        let mut docs = BitSet::with_max_value(max);
        let Some(articles) = self.articles.get(&reader.segment_id()) else {
            return Ok(docs);
        };
        let keys = reader.fast_fields().u64("article_key")?;
        for &article in articles {
            let key = keys.first(article);
            let mut doc = article + 1;
            while doc < max && keys.first(doc) == key {
                docs.insert(doc);
                doc += 1;
            }
        }
        Ok(docs)
    }
}

impl Weight for ArticleSetQuery {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let docs = BitSetDocSet::from(self.docs(reader)?);
        Ok(Box::new(ConstScorer::new(docs, boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if self.docs(reader)?.contains(doc) {
            Ok(Explanation::new("article of a matching article", 1.0))
        } else {
            Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} is not in a matching article"
            )))
        }
    }
}

/// The first and last days whose midnight Tantivy's dates (nanoseconds in an i64) hold.
fn first_storable_day() -> Date {
    Date::from_calendar_date(1678, time::Month::January, 1).expect("a valid day")
}

fn last_storable_day() -> Date {
    Date::from_calendar_date(2261, time::Month::December, 31).expect("a valid day")
}

fn day(d: Date) -> DateTime {
    DateTime::from_timestamp_secs(d.midnight().assume_utc().unix_timestamp())
}

/// A stored date field as a calendar day.
pub(crate) fn stored_date(doc: &TantivyDocument, field: TField) -> Option<Date> {
    doc.get_first(field)
        .and_then(|v| v.as_datetime())
        .and_then(|d| {
            time::OffsetDateTime::from_unix_timestamp(d.into_timestamp_secs())
                .ok()
                .map(|t| t.date())
        })
}

/// A stored date source as its short name, when it is one this build knows.
pub(crate) fn stored_source(doc: &TantivyDocument, field: TField) -> Option<&'static str> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .and_then(crate::extract::DateSource::from_name)
        .map(|s| s.as_str())
}

/// A stored `published_sure`: true only when it is 1.
pub(crate) fn stored_sure(doc: &TantivyDocument, field: TField) -> bool {
    doc.get_first(field).and_then(|v| v.as_u64()) == Some(1)
}

fn first_str(doc: &TantivyDocument, field: TField) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn all_str(doc: &TantivyDocument, field: TField) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// The `matched` field of a document: JSON written by the indexer; absent or unreadable gives
/// an empty map (the tags themselves are still there).
pub(crate) fn stored_matched(doc: &TantivyDocument, field: TField) -> crate::tag::Matched {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default()
}
