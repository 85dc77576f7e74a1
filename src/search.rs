//! Runs a [`Query`] against the index and returns ranked passages with highlight offsets.
//!
//! Words score with BM25 over the passage text and, boosted, over the article title; filters
//! (agency, country, site, dates) are wrapped to score zero so they narrow the results without
//! reordering them. Passages are then capped per article, in rank order.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::{Cardinality, Column};
use tantivy::index::SegmentId;
use tantivy::query::{
    AllQuery, BitSetDocSet, BooleanQuery, BoostQuery, ConstScoreQuery, ConstScorer, EmptyQuery,
    EnableScoring, Explanation, Occur, PhraseQuery, Query as TantivyQuery, RangeQuery, Scorer,
    TermQuery, Weight,
};
use tantivy::schema::{Field as TField, IndexRecordOption, Term};
use tantivy::{
    BitSet, DateTime, DocAddress, DocId, DocSet, Index, IndexReader, ReloadPolicy, Score,
    SegmentReader, TantivyDocument, TERMINATED,
};
use time::Date;

use crate::copies::{Group, Groups};
use crate::error::{Error, Result};
use crate::highlight::Highlighter;
use crate::index;
use crate::lang::{self, Analyzer};
use crate::query::{DatesMode, Field, NamedTag, Node, Query, Undated};
use crate::schema::{self, day, Fields, StoredPassage, KIND_ARTICLE, KIND_GROUPS, KIND_PASSAGE};
use crate::terms;

/// How much a title match weighs against a passage-text match.
const TITLE_BOOST: f32 = 2.0;

/// What a passage gains when its article is tagged with an agency or a country the query
/// names by words.
const TAG_BOOST: f32 = 1.0;

/// How much the article's own score for the query (over its whole text and title) adds to the
/// score of each of its passages.
const ARTICLE_WEIGHT: f32 = 1.0;

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
    /// Words that name an agency or a country also match, and rank higher, the articles
    /// tagged with it ([`crate::query::Expr::with_tags`]).
    pub tags_in_query: bool,
    /// When fewer passages than `limit` come from articles holding every clause of the
    /// query, passages of articles that lack one clause follow, then of articles that hold at
    /// least one, each naming what it lacks ([`Hit::missing`]).
    pub relax: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            per_article: 2,
            after_seq: None,
            all_copies: false,
            tags_in_query: true,
            relax: true,
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
    /// Byte ranges of `text` the query matched: a phrase is one range.
    pub highlights: Vec<(usize, usize)>,
    /// Byte ranges of `title` the query matched.
    pub title_highlights: Vec<(usize, usize)>,
    /// Commit sequence number that added the passage.
    pub seq: u64,
    /// The article's group of copies ([`crate::copies::Group::id`]), if it has copies.
    pub group: Option<String>,
    /// The other articles of its group, the representative first.
    pub copies: Vec<CopyRef>,
    /// The agencies and countries the query named by words ("Mossad", "German foreign
    /// intelligence") that the article is tagged with.
    pub matched_tags: Vec<String>,
    /// The clauses of the query, as typed, that the article lacks: empty unless the search
    /// ran short of articles holding them all ([`SearchOptions::relax`]).
    pub missing: Vec<String>,
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
    /// The words of the query the index barely knows, each with the words searched beside it
    /// (`Snowdon` with `snowden`).
    pub respelled: Vec<(String, Vec<String>)>,
    /// When nothing matched: words of the query no article holds, each with the closest words
    /// the index holds.
    pub suggestions: Vec<(String, Vec<String>)>,
}

/// The second pass of a search ([`Plan::relaxed`]): its passage query, and each clause of the
/// query that an article may lack, as typed, with its weight over article bodies.
struct Relaxed {
    passages: Box<dyn TantivyQuery>,
    clauses: Vec<(String, Box<dyn Weight>)>,
}

impl Relaxed {
    /// The clauses the article document at `article` does not match.
    fn missing_in(&self, searcher: &tantivy::Searcher, article: DocAddress) -> Result<Vec<String>> {
        let reader = searcher.segment_reader(article.segment_ord);
        let mut out = Vec::new();
        for (label, weight) in &self.clauses {
            let mut scorer = weight.scorer(reader, 1.0)?;
            if scorer.doc() < article.doc_id {
                scorer.seek(article.doc_id);
            }
            if scorer.doc() != article.doc_id {
                out.push(label.clone());
            }
        }
        Ok(out)
    }
}

/// A clause of the query as the user typed it: a run of words read as a tag too
/// ([`crate::query::Expr::with_tags`]) is its words.
fn relaxed_label(node: &Node) -> String {
    match node {
        Node::Or(alts)
            if alts.len() == 2 && matches!(alts[1], Node::Word(f, _) if !f.is_text()) =>
        {
            match &alts[0] {
                Node::And(words) => words
                    .iter()
                    .map(|w| w.to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
                one => one.to_string(),
            }
        }
        other => other.to_string(),
    }
}

/// The segments of a snapshot, each with the stamp of its last deletes.
type Segments = BTreeMap<tantivy::index::SegmentId, Option<tantivy::Opstamp>>;

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
    /// The commit the reader's snapshot was last taken at: with no commit since, a search keeps
    /// the snapshot (every commit has a higher number; merges in between change no passage).
    loaded: std::sync::Mutex<u64>,
    /// The groups of copies of the last snapshot searched, by the snapshot's segments (each
    /// with its deletes): a searcher kept open (`dossier serve`) reads them once a commit, not
    /// once a search.
    groups: std::sync::Mutex<Option<(Segments, Arc<Groups>)>>,
    /// The commit number last read, with the time and size of the `meta.json` it was read
    /// from: every commit replaces that file, so while they stand the number does too.
    seq_read: std::sync::Mutex<Option<(MetaStamp, u64)>>,
}

/// When Tantivy's `meta.json` was last written, and its size.
type MetaStamp = (std::time::SystemTime, u64);

impl Searcher {
    /// Opens the index at `path` for reading.
    pub fn open(path: &Path) -> Result<Searcher> {
        index::retry_on_switch(path, |dir| Searcher::open_generation(path, dir))
    }

    /// Opens the index at `path` and runs `work` on it. When a rebuild replaces the index's
    /// files under `work` ([`Error::Rebuilt`]), the new index is opened and `work` runs again,
    /// a few times at most: a script's search during a rebuild answers from the index before
    /// or after it, and does not fail.
    pub fn with_current<T>(path: &Path, mut work: impl FnMut(&Searcher) -> Result<T>) -> Result<T> {
        let mut tries = 0;
        loop {
            match work(&Searcher::open(path)?) {
                Err(Error::Rebuilt(_)) if tries < 3 => tries += 1,
                other => return other,
            }
        }
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
            loaded: std::sync::Mutex::new(seq),
            groups: std::sync::Mutex::new(None),
            seq_read: std::sync::Mutex::new(None),
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
                Error::Rebuilt(self.path.clone())
            }
            Error::Index(detail) => Error::damaged(&self.path, detail),
            other => other,
        })
    }

    fn search_unchecked(&self, query: &Query, opts: &SearchOptions) -> Result<Results> {
        let started = Instant::now();
        let (expr, tags) = if opts.tags_in_query {
            query.expr.with_tags()
        } else {
            (query.expr.clone(), Vec::new())
        };
        let tagged = Query {
            expr,
            ..query.clone()
        };
        let query = &tagged;
        // Read the commit number first, then take a fresh snapshot: the snapshot holds at least
        // that commit, so `Results.seq` never claims passages the search could not see (a saved
        // query's watermark moves to it). The first search uses the snapshot taken at open,
        // which was taken the same way.
        let opened = self.opened_at.lock().ok().and_then(|mut s| s.take());
        let seq = match opened {
            Some(seq) => seq,
            None => {
                let seq = self.committed_seq()?;
                // A number is whole even if a thread panicked holding it.
                let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
                if *loaded != seq {
                    self.reader.reload()?;
                    *loaded = seq;
                }
                seq
            }
        };
        let searcher = self.reader.searcher();
        let plan = Plan::new(&self.fields, &searcher, query)?;
        let tq = plan.passage_query(&searcher, query, opts, &tags)?;
        let groups = self.groups_of(&searcher)?;
        // No search returns more passages than the index holds: a huge --limit costs no more
        // memory than the whole index would.
        let docs = (searcher.num_docs() as usize).max(1);
        let limit = opts.limit.min(docs);
        let (mut ranked, total) = if query.expr.0.is_empty() {
            newest_first(&searcher, &*tq, limit, docs, || Keep::new(opts, &groups))?
        } else {
            plan.ranked(&searcher, query, &*tq, limit, &[], || {
                Keep::new(opts, &groups)
            })?
        };
        // Too few articles hold every word: those that lack one come after, then those that
        // hold at least one, each saying which words it lacks. The last pass ranks by score
        // alone: one rare word (a place, a name) says more than two common ones.
        let mut missing: HashMap<DocAddress, Vec<String>> = HashMap::new();
        if opts.relax && ranked.len() < limit {
            let n = plan.relaxable_clauses(query)?;
            let passes = [(n.saturating_sub(1), n), (1, n.saturating_sub(1))];
            for (at_least, fewer_than) in passes {
                if ranked.len() >= limit || at_least == 0 || at_least >= fewer_than {
                    continue;
                }
                let Some(relaxed) =
                    plan.relaxed(&searcher, query, opts, &tags, at_least, fewer_than)?
                else {
                    continue;
                };
                let (more, _) = plan.ranked(
                    &searcher,
                    query,
                    &*relaxed.passages,
                    limit - ranked.len(),
                    &ranked,
                    || Keep::new(opts, &groups),
                )?;
                let mut keys = DocKeys::new(&searcher);
                for &(_, addr) in &more {
                    let article = DocAddress::new(addr.segment_ord, keys.article_doc(addr)?);
                    missing.insert(addr, relaxed.missing_in(&searcher, article)?);
                }
                ranked.extend(more);
            }
        }
        // A passage's highlights are where the clauses that ranked it match.
        let marker = Highlighter::new(&plan.ranking_leaves(query)?, &plan.analyzers)
            .with_terms(plan.respelled.values().flatten().cloned());
        let suggestions = if total == 0 {
            plan.suggest(query)?
        } else {
            Vec::new()
        };
        let mut hits = Vec::with_capacity(ranked.len());
        for (i, (score, addr)) in ranked.into_iter().enumerate() {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let mut hit = self.hit(i + 1, score, &doc, &marker);
            hit.matched_tags = tags
                .iter()
                .filter(|t| hit.agencies.contains(&t.id) || hit.countries.contains(&t.id))
                .map(|t| t.id.clone())
                .collect();
            hit.missing = missing.remove(&addr).unwrap_or_default();
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
            respelled: plan.respelled.into_iter().collect(),
            suggestions,
        })
    }

    fn hit(&self, rank: usize, score: f32, doc: &TantivyDocument, marker: &Highlighter) -> Hit {
        let p = StoredPassage::read(&self.fields, doc);
        let a = p.article;
        let language = a.language.unwrap_or_else(|| lang::UNDETERMINED.into());
        let analyzer = lang::analyzer(&language);
        let highlights = marker.find(analyzer, &p.text);
        let title_highlights = marker.find(analyzer, &p.title);
        Hit {
            rank,
            score,
            article_id: a.id,
            passage: p.ord,
            path: a.paths.first().cloned().unwrap_or_default(),
            paths: a.paths,
            url: a.url,
            site: a.site,
            title: p.title,
            title_raw: p.title_raw,
            title_highlights,
            published: a.published,
            published_source: a.published_source,
            published_sure: a.published_sure,
            first_seen: a.first_seen,
            agencies: a.agencies,
            countries: a.countries,
            former_countries: a.former_countries,
            language,
            matched: p.matched,
            text: p.text,
            highlights,
            seq: p.seq,
            group: None,
            copies: Vec::new(),
            matched_tags: Vec::new(),
            missing: Vec::new(),
        }
    }

    /// The number of the index's last commit. It is read from `meta.json` only when that file
    /// changed since the last read: a server asks before every search, and parsing the file
    /// costs more than many a search.
    fn committed_seq(&self) -> Result<u64> {
        let stamp = std::fs::metadata(self.dir.join("meta.json"))
            .and_then(|m| Ok((m.modified()?, m.len())))
            .ok();
        // A stamp and its number are whole even if a thread panicked holding them.
        let mut read = self.seq_read.lock().unwrap_or_else(|e| e.into_inner());
        if let (Some(now), Some((then, seq))) = (stamp, read.as_ref()) {
            if now == *then {
                return Ok(*seq);
            }
        }
        // Stamp first, number second: a commit between the two leaves an old stamp beside the
        // new number, which the next search reads again; never the other way round.
        let seq = index::committed_seq(&self.index)?;
        *read = stamp.map(|s| (s, seq));
        Ok(seq)
    }

    /// The groups of copies in `searcher`'s snapshot, read from the index once a snapshot.
    fn groups_of(&self, searcher: &tantivy::Searcher) -> Result<Arc<Groups>> {
        // Every reload is a new generation, even with nothing committed: the segments and their
        // deletes say whether the snapshot changed.
        let segments = searcher.generation().segments();
        if let Ok(cached) = self.groups.lock() {
            if let Some((s, groups)) = cached.as_ref() {
                if s == segments {
                    return Ok(Arc::clone(groups));
                }
            }
        }
        let groups = Arc::new(Groups::load(searcher, &self.fields)?);
        if let Ok(mut cached) = self.groups.lock() {
            *cached = Some((segments.clone(), Arc::clone(&groups)));
        }
        Ok(groups)
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
            let Some(addr) = first_passage(searcher, f, key)? else {
                continue;
            };
            let doc: TantivyDocument = searcher.doc(addr)?;
            let p = StoredPassage::read(f, &doc);
            out.push(CopyRef {
                path: p.article.path(),
                id: p.article.id,
                url: p.article.url,
                site: p.article.site,
                title: p.title,
                published: p.article.published,
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
        let tagged = Query {
            expr: query.expr.with_tags().0,
            ..query.clone()
        };
        Plan::new(&self.fields, &searcher, &tagged)?.article_query(&tagged)
    }
}

/// The Tantivy queries of one search: the schema's fields, and the analyses the query's words
/// go through (the languages asked for, else every language the index holds).
struct Plan<'a> {
    fields: &'a Fields,
    searcher: tantivy::Searcher,
    analyzers: Vec<Analyzer>,
    /// Per word of the query the index barely knows, the terms searched beside it.
    respelled: BTreeMap<String, Vec<String>>,
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
        let mut plan = Plan {
            fields,
            searcher: searcher.clone(),
            analyzers,
            respelled: BTreeMap::new(),
        };
        plan.respelled = plan.respell(query)?;
        Ok(plan)
    }

    /// The words of the query that no article holds, or very few, with the terms of the index
    /// one or two letters away that are searched beside them ([`terms::respellings`]). A
    /// quoted word is searched as written.
    fn respell(&self, query: &Query) -> Result<BTreeMap<String, Vec<String>>> {
        let mut out = BTreeMap::new();
        for leaf in query.expr.positive_leaves() {
            let Node::Word(_, word) = leaf else {
                continue;
            };
            let mut found: Vec<String> = Vec::new();
            let readings = self.variants(word);
            // A word that some language's reading finds often enough is known as it is.
            let mut known = false;
            for reading in &readings {
                if let [(_, term)] = reading.as_slice() {
                    let t = Term::from_field_text(self.fields.body, term);
                    known |= self.searcher.doc_freq(&t)? >= terms::FEW;
                }
            }
            if known {
                continue;
            }
            for reading in &readings {
                let [(_, term)] = reading.as_slice() else {
                    continue;
                };
                for t in terms::respellings(&self.searcher, self.fields.body, term)? {
                    let own = readings.iter().any(|r| r.len() == 1 && r[0].1 == t);
                    if !own && !found.contains(&t) {
                        found.push(t);
                    }
                }
            }
            if !found.is_empty() {
                out.insert(word.clone(), found);
            }
        }
        Ok(out)
    }

    /// For each word of a query that found nothing that no article holds, the closest words
    /// the index does hold.
    fn suggest(&self, query: &Query) -> Result<Vec<(String, Vec<String>)>> {
        let mut out = Vec::new();
        for leaf in query.expr.positive_leaves() {
            let texts: Vec<&str> = match leaf {
                Node::Word(_, t)
                | Node::Phrase(_, t)
                | Node::Sloppy(_, t, _)
                | Node::Fuzzy(_, t, _) => t.split_whitespace().collect(),
                Node::Near(_, a, b, _) => {
                    a.split_whitespace().chain(b.split_whitespace()).collect()
                }
                _ => continue,
            };
            for word in texts {
                let mut found: Vec<String> = Vec::new();
                let mut forms: Vec<String> = Vec::new();
                let mut known = false;
                for a in &self.analyzers {
                    for term in a.query_terms(word) {
                        let t = Term::from_field_text(self.fields.body, &term);
                        known |= self.searcher.doc_freq(&t)? > 0;
                    }
                    for form in terms::fuzzy_forms(*a, word) {
                        if !forms.contains(&form) {
                            forms.push(form);
                        }
                    }
                }
                if known {
                    continue;
                }
                for form in &forms {
                    for t in terms::suggestions(&self.searcher, self.fields.body, form)? {
                        if !found.contains(&t) {
                            found.push(t);
                        }
                    }
                }
                found.truncate(3);
                // An agency's or a country's name first: the word is likely one misspelt.
                for name in terms::entity_names_near(word).into_iter().rev() {
                    if !found.contains(&name) {
                        found.insert(0, name);
                    }
                }
                if !found.is_empty() && !out.iter().any(|(w, _)| w == word) {
                    out.push((word.to_string(), found));
                }
            }
        }
        Ok(out)
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
        tags: &[NamedTag],
    ) -> Result<Box<dyn TantivyQuery>> {
        let f = &self.fields;
        let nodes = &query.expr.0;
        let simple = nodes.len() <= 1 && !nodes.iter().any(|n| matches!(n, Node::Not(_)));
        if !simple {
            let articles = searcher.search(&*self.article_query(query)?, &ArticleDocsCollector)?;
            return self.passages_of(query, opts, tags, articles);
        }
        let mut clauses = self.clauses(query, f.text_terms)?;
        for q in self.filters(query) {
            clauses.push((Occur::Must, filter(q)));
        }
        // Passage text and title are on passages alone, and the article step yields passages:
        // only a query that matches by filters alone must leave article documents out.
        if !nodes.first().is_some_and(|n| self.passages_only(n)) {
            clauses.push((Occur::Must, filter(kind_is(f, KIND_PASSAGE))));
        }
        Ok(self.boosted(clauses, opts, tags))
    }

    /// The passages of `articles` that hold any of the query's ranking words, scored by them.
    fn passages_of(
        &self,
        query: &Query,
        opts: &SearchOptions,
        tags: &[NamedTag],
        articles: ArticleDocs,
    ) -> Result<Box<dyn TantivyQuery>> {
        let set = ArticleSetQuery {
            articles: Arc::new(articles),
        };
        let mut words = Vec::new();
        for leaf in self.ranking_leaves(query)? {
            if let Some(q) = self.matcher(leaf, self.fields.text_terms)? {
                alternatives(q, &mut words);
            }
        }
        let clauses = if words.is_empty() {
            vec![(Occur::Must, filter(Box::new(set)))]
        } else {
            let any = words.into_iter().map(|q| (Occur::Should, q)).collect();
            let passages = InArticles {
                inner: Box::new(BooleanQuery::new(any)),
                set,
            };
            vec![(Occur::Must, Box::new(passages) as Box<dyn TantivyQuery>)]
        };
        Ok(self.boosted(clauses, opts, tags))
    }

    /// `clauses`, with a boost for articles tagged with what the query names, and only the
    /// passages after a saved query's last run.
    fn boosted(
        &self,
        mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)>,
        opts: &SearchOptions,
        tags: &[NamedTag],
    ) -> Box<dyn TantivyQuery> {
        let f = &self.fields;
        // An article tagged with what the query names ranks above one that only has the words.
        for t in tags {
            let field = if t.field == Field::Agency {
                f.agency
            } else {
                f.country
            };
            let tagged = term_query(Term::from_field_text(field, &t.id));
            clauses.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(tagged, TAG_BOOST)),
            ));
        }
        if let Some(after) = opts.after_seq {
            let newer = RangeQuery::new(
                Bound::Excluded(Term::from_field_u64(f.seq, after)),
                Bound::Unbounded,
            );
            clauses.push((Occur::Must, filter(Box::new(newer))));
        }
        Box::new(BooleanQuery::new(clauses))
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

    /// The best `limit` passages that `tq` matches, with the count of all it matches: fetched
    /// in growing rounds until enough survive [`Keep`] (one story, passages per article), each
    /// round scored again with its article ([`Plan::with_article_scores`]). Passages already
    /// ranked (`before`) count against the copies and per-article limits.
    fn ranked<'g>(
        &self,
        searcher: &tantivy::Searcher,
        query: &Query,
        tq: &dyn TantivyQuery,
        limit: usize,
        before: &[(Score, DocAddress)],
        keep: impl Fn() -> Keep<'g>,
    ) -> Result<(Vec<(Score, DocAddress)>, usize)> {
        let docs = (searcher.num_docs() as usize).max(1);
        let mut fetch = limit.saturating_mul(4).clamp(50, docs.max(50));
        loop {
            let (top, total) =
                searcher.search(tq, &(TopDocs::with_limit(fetch).order_by_score(), Count))?;
            let fetched = top.len();
            let last_fetched = top.last().map(|&(score, _)| score);
            let mut keys = DocKeys::new(searcher);
            let passage_score: HashMap<DocAddress, Score> =
                top.iter().map(|&(s, a)| (a, s)).collect();
            let top = self.with_article_scores(query, top, &mut keys)?;
            let mut keep = keep();
            for &(_, addr) in before {
                keep.keep(keys.get(addr)?.0);
            }
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
            let tie_at_cut = more
                && kept.last().map(|(_, a)| passage_score.get(a).copied()) == Some(last_fetched);
            if (kept.len() == limit && !tie_at_cut) || !more {
                return Ok((kept, total));
            }
            fetch = fetch.saturating_mul(4).min(docs.max(50));
        }
    }

    /// How many clauses of the query an article may lack in the passes after the first: the
    /// required ones that match text.
    fn relaxable_clauses(&self, query: &Query) -> Result<usize> {
        let mut n = 0;
        for node in &query.expr.0 {
            if let Some((Occur::Must, _)) = self.node(node, self.fields.body)? {
                n += usize::from(node.has_text());
            }
        }
        Ok(n)
    }

    /// A later pass of a query of several clauses that too few articles answer whole: the
    /// passages of the articles that match `at_least` of its text clauses or more but fewer
    /// than `fewer_than` (and every exclusion and filter); `fewer_than` the number of clauses
    /// leaves out the articles the whole query matches. None for a query with fewer than two
    /// such clauses, or when no article is in that range.
    fn relaxed(
        &self,
        searcher: &tantivy::Searcher,
        query: &Query,
        opts: &SearchOptions,
        tags: &[NamedTag],
        at_least: usize,
        fewer_than: usize,
    ) -> Result<Option<Relaxed>> {
        let f = &self.fields;
        let mut any_of = Vec::new();
        let mut labels = Vec::new();
        let mut clauses = vec![(Occur::Must, filter(kind_is(f, KIND_ARTICLE)))];
        for node in &query.expr.0 {
            let Some((occur, q)) = self.node(node, f.body)? else {
                continue;
            };
            if occur == Occur::Must && node.has_text() {
                labels.push(relaxed_label(node));
                any_of.push(q);
            } else {
                clauses.push((occur, q));
            }
        }
        let n = any_of.len();
        if n < 2 || at_least == 0 || at_least >= fewer_than.min(n) {
            return Ok(None);
        }
        for q in self.filters(query) {
            clauses.push((Occur::Must, filter(q)));
        }
        let weights = any_of
            .iter()
            .map(|q| q.weight(EnableScoring::disabled_from_searcher(searcher)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        // The articles that match `k` of the clauses or more.
        let matching = |k: usize| -> Result<ArticleDocs> {
            let some = BooleanQuery::with_minimum_required_clauses(
                any_of
                    .iter()
                    .map(|q| (Occur::Should, q.box_clone()))
                    .collect(),
                k,
            );
            let mut all = clauses
                .iter()
                .map(|(o, q)| (*o, q.box_clone()))
                .collect::<Vec<_>>();
            all.push((Occur::Must, filter(Box::new(some))));
            Ok(searcher.search(&BooleanQuery::new(all), &ArticleDocsCollector)?)
        };
        let mut articles = matching(at_least)?;
        // Those that match more were shown by an earlier pass: by the whole query (tags and
        // all), or by a pass that asked for more clauses.
        let more = if fewer_than >= n {
            searcher.search(&*self.article_query(query)?, &ArticleDocsCollector)?
        } else {
            matching(fewer_than)?
        };
        for (segment, docs) in articles.iter_mut() {
            if let Some(all) = more.get(segment) {
                docs.retain(|d| all.binary_search(d).is_err());
            }
        }
        articles.retain(|_, docs| !docs.is_empty());
        if articles.is_empty() {
            return Ok(None);
        }
        let passages = self.passages_of(query, opts, tags, articles)?;
        Ok(Some(Relaxed {
            passages,
            clauses: labels.into_iter().zip(weights).collect(),
        }))
    }

    /// Adds to each passage's score its article's score for the same clauses (over the whole
    /// text and the title, weighed by [`ARTICLE_WEIGHT`]), and sorts again, best first: an
    /// article about the subject then outranks a passing mention whose one passage happens to
    /// hold the words densely. Only the fetched passages are scored again.
    fn with_article_scores(
        &self,
        query: &Query,
        mut top: Vec<(Score, DocAddress)>,
        keys: &mut DocKeys,
    ) -> Result<Vec<(Score, DocAddress)>> {
        let mut words = Vec::new();
        for leaf in self.ranking_leaves(query)? {
            if let Some(q) = self.matcher(leaf, self.fields.body)? {
                alternatives(q, &mut words);
            }
        }
        if words.is_empty() || top.is_empty() {
            return Ok(top);
        }
        let articles = BooleanQuery::new(words.into_iter().map(|q| (Occur::Should, q)).collect());
        let weight = articles.weight(EnableScoring::enabled_from_searcher(&self.searcher))?;
        // The article document of each passage, by segment, in document order.
        let mut wanted: BTreeMap<u32, BTreeSet<DocId>> = BTreeMap::new();
        let mut article_of = Vec::with_capacity(top.len());
        for &(_, addr) in &top {
            let doc = keys.article_doc(addr)?;
            wanted.entry(addr.segment_ord).or_default().insert(doc);
            article_of.push(DocAddress::new(addr.segment_ord, doc));
        }
        let mut scores: HashMap<DocAddress, Score> = HashMap::new();
        for (segment, docs) in wanted {
            let mut scorer = weight.scorer(self.searcher.segment_reader(segment), 1.0)?;
            for doc in docs {
                if scorer.doc() < doc {
                    scorer.seek(doc);
                }
                if scorer.doc() == doc {
                    scores.insert(DocAddress::new(segment, doc), scorer.score());
                }
            }
        }
        for ((score, _), article) in top.iter_mut().zip(article_of) {
            *score += ARTICLE_WEIGHT * scores.get(&article).copied().unwrap_or(0.0);
        }
        top.sort_by(|a, b| b.0.total_cmp(&a.0));
        Ok(top)
    }

    /// The clauses that rank passages: the query's positive text clauses, less the single words
    /// found in more than half of the index's documents when the query has a rarer clause. Such
    /// a word ("of", "the") is required of the article like any other, but ranks and marks no
    /// passage: a passage that holds only "of" is no match for "Ministry of State Security".
    fn ranking_leaves<'q>(&self, query: &'q Query) -> Result<Vec<&'q Node>> {
        let leaves = query.expr.positive_leaves();
        let mut common = Vec::with_capacity(leaves.len());
        for leaf in &leaves {
            common.push(self.is_common(leaf)?);
        }
        if common.iter().all(|&c| c) {
            return Ok(leaves);
        }
        Ok(leaves
            .into_iter()
            .zip(common)
            .filter(|&(_, c)| !c)
            .map(|(l, _)| l)
            .collect())
    }

    /// Whether `node` is a single word found in more than half of the documents that hold text.
    fn is_common(&self, node: &Node) -> Result<bool> {
        let Node::Word(Field::Any, text) = node else {
            return Ok(false);
        };
        let variants = self.variants(text);
        if !variants.iter().all(|v| v.len() == 1) || self.respelled.contains_key(text) {
            return Ok(false);
        }
        let mut freq = 0;
        for v in &variants {
            freq += self
                .searcher
                .doc_freq(&Term::from_field_text(self.fields.text_terms, &v[0].1))?;
        }
        // Documents that hold text: all but the one of groups of copies.
        let groups = self
            .searcher
            .doc_freq(&Term::from_field_u64(self.fields.kind, KIND_GROUPS))?;
        Ok(freq * 2 > self.searcher.num_docs().saturating_sub(groups))
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
            n if n.is_text() => self.text_query(n, text_field)?,
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
            _ => None,
        })
    }

    /// A text clause through each language's analysis, on `text_field` (passage text or article
    /// body) and, boosted, on the title; a `title:` clause on the title alone. One token gives a
    /// term, several a phrase, and the languages' readings are alternatives.
    fn text_query(&self, node: &Node, text_field: TField) -> Result<Option<Box<dyn TantivyQuery>>> {
        let f = &self.fields;
        // Article documents hold their title in a field of their own.
        let title_field = if text_field == f.body {
            f.article_title
        } else {
            f.title_terms
        };
        let field = match node {
            Node::Word(field, _)
            | Node::Phrase(field, _)
            | Node::Sloppy(field, ..)
            | Node::Near(field, ..)
            | Node::Prefix(field, _)
            | Node::Fuzzy(field, ..) => *field,
            _ => return Ok(None),
        };
        let Some(on_title) = self.text_on(node, title_field)? else {
            return Ok(None);
        };
        let title: Box<dyn TantivyQuery> = Box::new(BoostQuery::new(on_title, TITLE_BOOST));
        if field == Field::Title {
            return Ok(Some(title));
        }
        let Some(on_text) = self.text_on(node, text_field)? else {
            return Ok(None);
        };
        let mut parts = Vec::new();
        alternatives(on_text, &mut parts);
        parts.push(title);
        Ok(Some(Box::new(BooleanQuery::new(
            parts.into_iter().map(|q| (Occur::Should, q)).collect(),
        ))))
    }

    /// A text clause on one field; `None` when it has nothing to search.
    fn text_on(&self, node: &Node, tf: TField) -> Result<Option<Box<dyn TantivyQuery>>> {
        let phrase = |tokens: &[(usize, String)], slop: u32| -> Box<dyn TantivyQuery> {
            let mut terms: Vec<(usize, Term)> = tokens
                .iter()
                .map(|(p, t)| (*p, Term::from_field_text(tf, t)))
                .collect();
            if terms.len() == 1 {
                term_scored(terms.pop().expect("one term").1)
            } else {
                Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop))
            }
        };
        let mut alts: Vec<Box<dyn TantivyQuery>> = Vec::new();
        match node {
            Node::Word(_, text) | Node::Phrase(_, text) | Node::Sloppy(_, text, _) => {
                let slop = match node {
                    Node::Sloppy(_, _, slop) => *slop,
                    _ => 0,
                };
                for tokens in self.variants(text) {
                    alts.push(phrase(&tokens, slop));
                }
                if alts.is_empty() {
                    return Ok(None);
                }
                if let Some(terms) = self.respelled.get(text.as_str()) {
                    alts.extend(
                        terms
                            .iter()
                            .map(|t| term_scored(Term::from_field_text(tf, t))),
                    );
                }
            }
            Node::Near(_, a, b, distance) => {
                let mut pairs: Vec<Vec<(usize, String)>> = Vec::new();
                for an in &self.analyzers {
                    let (x, y) = (an.query_phrase(a), an.query_phrase(b));
                    if x.is_empty() || y.is_empty() {
                        continue;
                    }
                    for (first, second) in [(&x, &y), (&y, &x)] {
                        let shift = first.last().map_or(0, |(p, _)| p + 1);
                        let joined: Vec<(usize, String)> = first
                            .iter()
                            .cloned()
                            .chain(second.iter().map(|(p, t)| (p + shift, t.clone())))
                            .collect();
                        if !pairs.contains(&joined) {
                            pairs.push(joined);
                        }
                    }
                }
                if pairs.is_empty() {
                    return Ok(None);
                }
                alts.extend(pairs.iter().map(|p| phrase(p, *distance)));
            }
            Node::Prefix(_, text) => {
                for t in self.expand_prefix(tf, text)? {
                    alts.push(term_scored(Term::from_field_text(tf, &t)));
                }
                if alts.is_empty() {
                    return Ok(Some(Box::new(EmptyQuery)));
                }
            }
            Node::Fuzzy(_, text, edits) => {
                for t in self.expand_fuzzy(tf, text, *edits)? {
                    alts.push(term_scored(Term::from_field_text(tf, &t)));
                }
                if alts.is_empty() {
                    return Ok(None);
                }
            }
            _ => return Ok(None),
        }
        Ok(Some(if alts.len() == 1 {
            alts.pop().expect("one reading")
        } else {
            Box::new(BooleanQuery::new(
                alts.into_iter().map(|q| (Occur::Should, q)).collect(),
            ))
        }))
    }

    /// The terms of `field` that `word*` finds: those beginning with the word as written
    /// (folded, not stemmed: `spy*` finds `spyware`), and the word's own stem (`spies`).
    fn expand_prefix(&self, field: TField, word: &str) -> Result<Vec<String>> {
        let mut out = BTreeSet::new();
        for a in &self.analyzers {
            for stem in a.query_terms(word) {
                out.insert(stem);
            }
            for prefix in a.unstemmed().query_terms(word) {
                out.extend(terms::with_prefix(&self.searcher, field, &prefix)?);
                if out.len() > terms::MAX_EXPANSIONS {
                    return Err(Error::Argument(format!(
                        "'{word}*' stands for more than {} words of the index; give more letters",
                        terms::MAX_EXPANSIONS
                    )));
                }
            }
        }
        Ok(out.into_iter().collect())
    }

    /// The word's own terms and the terms of `field` within `edits` of them.
    fn expand_fuzzy(&self, field: TField, word: &str, edits: u8) -> Result<Vec<String>> {
        let mut out = BTreeSet::new();
        for a in &self.analyzers {
            out.extend(a.query_terms(word));
            for form in terms::fuzzy_forms(*a, word) {
                let edits = terms::edits_asked(form.chars().count(), edits);
                if edits > 0 {
                    for (near, _) in terms::within(&self.searcher, field, &form, edits)? {
                        out.insert(near);
                    }
                }
            }
        }
        Ok(out.into_iter().collect())
    }

    /// Whether every document `node` matches is a passage: it requires a word of passage text or
    /// title (a word with nothing to search matches everything).
    fn passages_only(&self, node: &Node) -> bool {
        match node {
            Node::Word(Field::Any | Field::Title, text) | Node::Phrase(_, text) => {
                !self.variants(text).is_empty()
            }
            Node::Or(alts) => alts.iter().all(|a| self.passages_only(a)),
            Node::And(nodes) => nodes.iter().any(|n| self.passages_only(n)),
            // Prefixes, fuzzy words and proximity clauses; filters and exclusions are not.
            n => n.is_text(),
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

/// A term query that scores (BM25 needs the term's frequencies).
/// Adds `q` to `out`, or, when `q` is a union (every clause optional), its clauses, flattened
/// all the way down. A union scores what matches by the sum of its clauses' scores, so one flat
/// union scores as the nested ones did, and runs faster: each level of nesting buffers and
/// merges every matching document again.
fn alternatives(q: Box<dyn TantivyQuery>, out: &mut Vec<Box<dyn TantivyQuery>>) {
    if let Some(b) = q.downcast_ref::<BooleanQuery>() {
        let clauses = b.clauses();
        if !clauses.is_empty()
            && b.get_minimum_number_should_match() <= 1
            && clauses.iter().all(|(o, _)| *o == Occur::Should)
        {
            for (_, c) in clauses {
                alternatives(c.box_clone(), out);
            }
            return;
        }
    }
    out.push(q);
}

fn term_scored(term: Term) -> Box<dyn TantivyQuery> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
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

    /// The article document of a passage: the first of the documents before it that carry its
    /// key (see [`crate::schema`] on how an article's documents are laid out).
    fn article_doc(&mut self, addr: DocAddress) -> Result<DocId> {
        let (key, _) = self.get(addr)?;
        let mut doc = addr.doc_id;
        while doc > 0 && self.get(DocAddress::new(addr.segment_ord, doc - 1))?.0 == key {
            doc -= 1;
        }
        Ok(doc)
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

/// The first live passage of the article with `key`: the postings of the key list the
/// article's documents in order, its own first and its passages after it.
fn first_passage(searcher: &tantivy::Searcher, f: &Fields, key: u64) -> Result<Option<DocAddress>> {
    let term = Term::from_field_u64(f.article_key, key);
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let Some(mut docs) = reader
            .inverted_index(f.article_key)?
            .read_postings(&term, IndexRecordOption::Basic)
            .map_err(|e| Error::Index(e.to_string()))?
        else {
            continue;
        };
        let kinds = reader.fast_fields().u64("kind")?;
        let alive = reader.alive_bitset();
        let mut doc = docs.doc();
        while doc != TERMINATED {
            if kinds.first(doc) == Some(KIND_PASSAGE) && alive.is_none_or(|a| a.is_alive(doc)) {
                return Ok(Some(DocAddress::new(ord as u32, doc)));
            }
            doc = docs.advance();
        }
    }
    Ok(None)
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
        // An article's passages follow its document, added with it in one batch: they run to
        // the next document that is not a passage. Every document has a kind, so that column
        // is read without the rank lookups of the optional article key.
        let kinds = reader.fast_fields().u64("kind")?;
        if kinds.get_cardinality() != Cardinality::Full {
            for &article in articles {
                let mut doc = article + 1;
                while doc < max && kinds.first(doc) == Some(KIND_PASSAGE) {
                    docs.insert(doc);
                    doc += 1;
                }
            }
            return Ok(docs);
        }
        // A value for every document: read the kinds after each article in blocks, without
        // looking each document up in the column's index.
        let mut block = [0u64; 16];
        for &article in articles {
            let mut start = article + 1;
            'run: while start < max {
                let n = (max - start).min(block.len() as u32) as usize;
                kinds.values.get_range(u64::from(start), &mut block[..n]);
                for (doc, &kind) in (start..).zip(&block[..n]) {
                    if kind != KIND_PASSAGE {
                        break 'run;
                    }
                    docs.insert(doc);
                }
                start += n as u32;
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

/// The passages `inner` matches, kept to those of a set of articles. The words lead and the
/// set is only looked up: an intersection would be led by the set, the smaller of the two, and
/// seek the union of the words to each of its passages, which costs more than checking a bit
/// for each passage the words match.
#[derive(Debug)]
struct InArticles {
    inner: Box<dyn TantivyQuery>,
    set: ArticleSetQuery,
}

impl Clone for InArticles {
    fn clone(&self) -> Self {
        InArticles {
            inner: self.inner.box_clone(),
            set: self.set.clone(),
        }
    }
}

impl TantivyQuery for InArticles {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(InArticlesWeight {
            inner: self.inner.weight(scoring)?,
            set: self.set.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct InArticlesWeight {
    inner: Box<dyn Weight>,
    set: ArticleSetQuery,
}

impl Weight for InArticlesWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorer = InArticlesScorer {
            inner: self.inner.scorer(reader, boost)?,
            docs: self.set.docs(reader)?,
        };
        scorer.settle();
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if self.set.docs(reader)?.contains(doc) {
            self.inner.explain(reader, doc)
        } else {
            Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} is not in a matching article"
            )))
        }
    }
}

struct InArticlesScorer {
    inner: Box<dyn Scorer>,
    docs: BitSet,
}

impl InArticlesScorer {
    /// Moves on from the current document to the first that is in the set.
    fn settle(&mut self) -> DocId {
        let mut doc = self.inner.doc();
        while doc != TERMINATED && !self.docs.contains(doc) {
            doc = self.inner.advance();
        }
        doc
    }
}

impl DocSet for InArticlesScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance();
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target);
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for InArticlesScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

/// The first and last days whose midnight Tantivy's dates (nanoseconds in an i64) hold.
fn first_storable_day() -> Date {
    Date::from_calendar_date(1678, time::Month::January, 1).expect("a valid day")
}

fn last_storable_day() -> Date {
    Date::from_calendar_date(2261, time::Month::December, 31).expect("a valid day")
}
