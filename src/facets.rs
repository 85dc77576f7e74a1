//! Counts of matching articles by agency, country, language and publication date: the overview an analyst
//! wants before reading passages ("who is named, where, when").
//!
//! A collector reads the fast fields of the matching article documents (one per article).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentReader};
use time::Date;

use crate::error::Result;
use crate::query::Query;
use crate::search::Searcher;

/// One bar: a key and how many articles have it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Count {
    /// Agency ID, country code, or date bucket (`YYYY` or `YYYY-MM`).
    pub key: String,
    /// Articles.
    pub count: usize,
}

/// The facet counts of a query.
#[derive(Debug, Clone, Serialize)]
pub struct Facets {
    /// Matching articles.
    pub articles: usize,
    /// By agency, most frequent first.
    pub agencies: Vec<Count>,
    /// By country (today's), most frequent first.
    pub countries: Vec<Count>,
    /// By former state ("SU"), most frequent first.
    pub former_countries: Vec<Count>,
    /// By language (ISO 639-1 code, or `und`), most frequent first.
    pub languages: Vec<Count>,
    /// `year`, or `month` when the matching dates span two years or less.
    pub granularity: &'static str,
    /// By date bucket, in date order.
    pub dates: Vec<Count>,
    /// Matching articles without a publication date.
    pub undated: usize,
}

#[derive(Default, Clone)]
struct ArticleFacts {
    agencies: Vec<String>,
    countries: Vec<String>,
    language: Option<String>,
    published: Option<Date>,
}

impl Searcher {
    /// Facet counts over every article with a passage matching the query.
    pub fn facets(&self, query: &Query) -> Result<Facets> {
        let tq = self.article_query(query)?;
        let searcher = self.reader().searcher();
        let collector = ArticleCollector {
            sure_only: query.dates == crate::query::DatesMode::Sure,
        };
        let articles = searcher.search(&*tq, &collector)?;
        Ok(summarise(articles.into_values()))
    }
}

fn summarise(articles: impl Iterator<Item = ArticleFacts>) -> Facets {
    let mut agencies: HashMap<String, usize> = HashMap::new();
    let mut countries: HashMap<String, usize> = HashMap::new();
    let mut former: HashMap<String, usize> = HashMap::new();
    let mut languages: HashMap<String, usize> = HashMap::new();
    let mut dates: Vec<Date> = Vec::new();
    let mut n = 0;
    for a in articles {
        n += 1;
        for id in a.agencies {
            *agencies.entry(id).or_default() += 1;
        }
        for c in a.countries {
            let counts = if crate::tag::is_former(&c) {
                &mut former
            } else {
                &mut countries
            };
            *counts.entry(c).or_default() += 1;
        }
        if let Some(l) = a.language {
            *languages.entry(l).or_default() += 1;
        }
        dates.extend(a.published);
    }
    let undated = n - dates.len();
    let span_months = match (dates.iter().min(), dates.iter().max()) {
        (Some(lo), Some(hi)) => {
            (hi.year() - lo.year()) * 12 + hi.month() as i32 - lo.month() as i32
        }
        _ => 0,
    };
    let monthly = !dates.is_empty() && span_months < 24;
    let mut buckets: BTreeMap<String, usize> = BTreeMap::new();
    for d in &dates {
        let key = if monthly {
            format!("{:04}-{:02}", d.year(), d.month() as u8)
        } else {
            format!("{:04}", d.year())
        };
        *buckets.entry(key).or_default() += 1;
    }
    Facets {
        articles: n,
        agencies: ranked(agencies),
        countries: ranked(countries),
        former_countries: ranked(former),
        languages: ranked(languages),
        granularity: if monthly { "month" } else { "year" },
        dates: buckets
            .into_iter()
            .map(|(key, count)| Count { key, count })
            .collect(),
        undated,
    }
}

fn ranked(map: HashMap<String, usize>) -> Vec<Count> {
    let mut v: Vec<Count> = map
        .into_iter()
        .map(|(key, count)| Count { key, count })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    v
}

/// Collects each matching article's facts once, keyed by article key.
struct ArticleCollector {
    /// Count a date the page does not state as no date (`--dates sure`), as the filters do.
    sure_only: bool,
}

struct ArticleSegment {
    keys: Column<u64>,
    agencies: Option<StrColumn>,
    countries: Option<StrColumn>,
    languages: Option<StrColumn>,
    published: tantivy::columnar::Column<tantivy::DateTime>,
    /// `published_sure`, read when only stated dates count.
    sure: Option<Column<u64>>,
    /// First matching doc of each article in this segment.
    seen: HashMap<u64, DocId>,
}

impl Collector for ArticleCollector {
    type Fruit = HashMap<u64, ArticleFacts>;
    type Child = ArticleSegment;

    fn for_segment(&self, _: u32, reader: &SegmentReader) -> tantivy::Result<ArticleSegment> {
        let ff = reader.fast_fields();
        Ok(ArticleSegment {
            keys: ff.u64("article_key")?,
            agencies: ff.str("agency")?,
            countries: ff.str("country")?,
            languages: ff.str("language")?,
            published: ff.date("published")?,
            sure: if self.sure_only {
                Some(ff.u64("published_sure")?)
            } else {
                None
            },
            seen: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut all = HashMap::new();
        for f in fruits {
            all.extend(f);
        }
        Ok(all)
    }
}

impl SegmentCollector for ArticleSegment {
    type Fruit = HashMap<u64, ArticleFacts>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(key) = self.keys.first(doc) {
            self.seen.entry(key).or_insert(doc);
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut out = HashMap::new();
        for (&key, &doc) in &self.seen {
            let published = self
                .published
                .first(doc)
                .and_then(crate::schema::date_of)
                .filter(|_| self.sure.as_ref().is_none_or(|s| s.first(doc) == Some(1)));
            out.insert(
                key,
                ArticleFacts {
                    agencies: strings(self.agencies.as_ref(), doc),
                    countries: strings(self.countries.as_ref(), doc),
                    language: strings(self.languages.as_ref(), doc).into_iter().next(),
                    published,
                },
            );
        }
        out
    }
}

fn strings(col: Option<&StrColumn>, doc: DocId) -> Vec<String> {
    let Some(col) = col else { return Vec::new() };
    col.term_ords(doc)
        .filter_map(|ord| {
            let mut s = String::new();
            matches!(col.ord_to_str(ord, &mut s), Ok(true)).then_some(s)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn fact(agencies: &[&str], published: Option<Date>) -> ArticleFacts {
        ArticleFacts {
            agencies: agencies.iter().map(|s| s.to_string()).collect(),
            countries: vec!["FR".into()],
            language: Some("fr".into()),
            published,
        }
    }

    #[test]
    fn counts_rank_and_bucket() {
        let f = summarise(
            vec![
                fact(&["MSS", "CIA"], Some(date!(2017 - 03 - 01))),
                fact(&["MSS"], Some(date!(2020 - 01 - 01))),
                fact(&["DGSE"], None),
            ]
            .into_iter(),
        );
        assert_eq!(f.articles, 3);
        assert_eq!(f.undated, 1);
        assert_eq!(
            f.agencies[0],
            Count {
                key: "MSS".into(),
                count: 2
            }
        );
        assert_eq!(f.agencies[1].key, "CIA");
        assert_eq!(
            f.languages,
            [Count {
                key: "fr".into(),
                count: 3
            }]
        );
        assert_eq!(f.granularity, "year");
        assert_eq!(
            f.dates.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(),
            ["2017", "2020"]
        );
    }

    #[test]
    fn short_spans_count_by_month() {
        let f = summarise(
            vec![
                fact(&[], Some(date!(2020 - 01 - 05))),
                fact(&[], Some(date!(2020 - 01 - 20))),
                fact(&[], Some(date!(2021 - 06 - 01))),
            ]
            .into_iter(),
        );
        assert_eq!(f.granularity, "month");
        assert_eq!(
            f.dates[0],
            Count {
                key: "2020-01".into(),
                count: 2
            }
        );
    }
}
