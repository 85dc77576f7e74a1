//! The HTML pages: search with filters, facet bars and a timeline; one article; saved queries.
//!
//! Rendered on the server with `maud`, whose templates are Rust checked at compile time and
//! escape every value they are given, so article text (titles, passages, URLs, tags) can never
//! become markup. The pages need no script; the stylesheet is compiled into the binary. A URL
//! from an article becomes a link only when it is `http` or `https`.

use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};

use super::api::{self, ApiError, ARTICLE_PARAMS, SAVED_PARAMS, SEARCH_PARAMS};
use super::params::{encode, Params};
use super::Shared;
use crate::facets::{Count, Facets};
use crate::search::{Hit, Results};
use crate::show::ArticleView;

/// The stylesheet, compiled in: no file is read from disk by path.
const STYLE: &str = include_str!("style.css");

/// A full page around `body`.
fn layout(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) " · dossier" }
                link rel="stylesheet" href="/assets/style.css";
            }
            body {
                header.top {
                    a.brand href="/" { "dossier" }
                    nav {
                        a href="/" { "Search" }
                        a href="/saved" { "Saved queries" }
                    }
                }
                main { (body) }
            }
        }
    }
}

fn page(status: StatusCode, title: &str, body: Markup) -> Response {
    let mut resp = (status, layout(title, body).into_string()).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    resp
}

/// An error as a page with that status.
pub fn error_page(status: StatusCode, message: &str) -> Response {
    let reason = status.canonical_reason().unwrap_or("Error");
    page(
        status,
        reason,
        html! {
            h1 { (status.as_u16()) " " (reason) }
            p.error { (message) }
            p { a href="/" { "Back to search" } }
        },
    )
}

fn from_error(e: ApiError) -> Response {
    error_page(e.status, &e.message)
}

/// `GET /assets/style.css`.
pub async fn stylesheet() -> Response {
    let mut resp = STYLE.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=3600"),
    );
    resp
}

/// An article's URL as a link target, only when it is plain `http` or `https`: a
/// `javascript:` or `data:` URL from a hostile page stays text.
pub fn safe_href(url: &str) -> Option<&str> {
    let u = url.trim();
    let lower = u.get(..8).unwrap_or(u).to_ascii_lowercase();
    let web = lower.starts_with("http://") || lower.starts_with("https://");
    let clean = !u.chars().any(|c| c.is_whitespace() || c.is_control());
    (web && clean).then_some(u)
}

/// `text` with the byte ranges in `marks` as `<mark>`; ranges that overlap, run backwards or
/// fall off char boundaries are left unmarked rather than trusted.
pub fn marked(text: &str, marks: &[(usize, usize)]) -> Markup {
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    let mut at = 0;
    for &(s, e) in marks {
        if s < at || e <= s || text.get(s..e).is_none() {
            continue;
        }
        pieces.push((&text[at..s], false));
        pieces.push((&text[s..e], true));
        at = e;
    }
    pieces.push((&text[at..], false));
    html! {
        @for (piece, hit) in pieces {
            @if hit { mark { (piece) } } @else { (piece) }
        }
    }
}

fn href(base: &str, pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", encode(pairs))
    }
}

fn article_href(id: &str, q: &str) -> String {
    let pairs = if q.is_empty() {
        Vec::new()
    } else {
        vec![("q", q.to_string())]
    };
    href(&format!("/articles/{}", encode_segment(id)), &pairs)
}

fn encode_segment(s: &str) -> String {
    let e = encode(&[("", s.to_string())]);
    e.trim_start_matches('=').to_string()
}

/// The search page's link with one more filter.
fn with_filter(p: &Params, name: &'static str, value: &str) -> String {
    let mut pairs = p.filter_pairs();
    if !pairs.iter().any(|(n, v)| *n == name && v == value) {
        pairs.push((name, value.to_string()));
    }
    href("/", &pairs)
}

/// The search page's link with a date range in place of the present one.
fn with_dates(p: &Params, since: &str, until: &str) -> String {
    let mut pairs: Vec<_> = (p.filter_pairs().into_iter())
        .filter(|(n, _)| *n != "since" && *n != "until")
        .collect();
    pairs.push(("since", since.to_string()));
    pairs.push(("until", until.to_string()));
    href("/", &pairs)
}

fn search_form(p: &Params) -> Markup {
    let one = |values: &[String]| -> Vec<String> {
        if values.is_empty() {
            vec![String::new()]
        } else {
            values.to_vec()
        }
    };
    html! {
        form.search method="get" action="/" role="search" {
            div.q {
                input type="search" name="q" value=(p.q) placeholder="recruit \"state security\" -brexit"
                    aria-label="Query" maxlength="1000" autofocus;
                button type="submit" { "Search" }
            }
            details.filters open[!p.filter_pairs().iter().all(|(n, _)| *n == "q")] {
                summary { "Filters" }
                div.grid {
                    @for a in one(&p.agency) {
                        label { "Agency " input name="agency" value=(a) placeholder="MSS, CIA…" maxlength="200"; }
                    }
                    @for c in one(&p.country) {
                        label { "Country " input name="country" value=(c) placeholder="FR, Iran…" maxlength="200"; }
                    }
                    @for l in one(&p.lang) {
                        label { "Language " input name="lang" value=(l) placeholder="en" maxlength="20"; }
                    }
                    label { "Since " input name="since" value=(p.since.clone().unwrap_or_default()) placeholder="YYYY[-MM[-DD]]" maxlength="10"; }
                    label { "Until " input name="until" value=(p.until.clone().unwrap_or_default()) placeholder="YYYY[-MM[-DD]]" maxlength="10"; }
                    label {
                        "Dates "
                        select name="dates" {
                            option value="" { "any" }
                            option value="sure" selected[p.dates.as_deref() == Some("sure")] { "stated only" }
                        }
                    }
                    label {
                        "Undated "
                        select name="undated" {
                            option value="" { "as the dates say" }
                            @for v in ["include", "exclude", "only"] {
                                option value=(v) selected[p.undated.as_deref() == Some(v)] { (v) }
                            }
                        }
                    }
                    label { "First seen since " input name="seen_since" value=(p.seen_since.clone().unwrap_or_default()) placeholder="YYYY[-MM[-DD]]" maxlength="10"; }
                    label {
                        "Copies "
                        select name="copies" {
                            option value="" { "one a story" }
                            option value="all" selected[p.all_copies()] { "every copy" }
                        }
                    }
                    label {
                        input type="checkbox" name="all_words" value="true" checked[p.all_words];
                        " Every word"
                    }
                }
            }
        }
    }
}

fn active_filters(p: &Params) -> Markup {
    let pairs = p.filter_pairs();
    html! {
        @if pairs.iter().any(|(n, _)| *n != "q") {
            p.active {
                "Filtered by: "
                @for (i, (name, value)) in pairs.iter().enumerate() {
                    @if *name != "q" {
                        @let rest: Vec<_> = pairs.iter().enumerate()
                            .filter(|(j, _)| *j != i).map(|(_, kv)| kv.clone()).collect();
                        a.chip href=(href("/", &rest)) title="Remove this filter" {
                            (name) ": " (value) " ×"
                        }
                    }
                }
            }
        }
    }
}

fn hit_view(hit: &Hit, q: &str) -> Markup {
    let title = if hit.title.trim().is_empty() {
        html! { "(untitled)" }
    } else {
        marked(&hit.title, &hit.title_highlights)
    };
    html! {
        article.hit {
            h2 { a.title href=(article_href(&hit.article_id, q)) { (title) } }
            p.meta {
                @if let Some(site) = &hit.site { span.site { (site) } }
                @match hit.url.as_deref().map(|u| (u, safe_href(u))) {
                    Some((_, Some(u))) => { a.source href=(u) rel="noreferrer noopener" { (u) } }
                    Some((u, None)) => { span.source { (u) } }
                    None => {}
                }
                @match hit.published {
                    Some(d) if hit.published_sure => { time datetime=(d.to_string()) { (d.to_string()) } }
                    Some(d) => {
                        time.guessed datetime=(d.to_string()) title="guessed from the URL or the text" {
                            "~" (d.to_string())
                        }
                    }
                    None => { span.undated { "undated" } }
                }
                span.lang { (hit.language) }
            }
            @if !hit.missing.is_empty() {
                p.missing { "missing: " (hit.missing.join(", ")) }
            }
            @if !hit.copies.is_empty() {
                p.copies {
                    "+" (hit.copies.len()) @if hit.copies.len() == 1 { " copy: " } @else { " copies: " }
                    @for (i, c) in hit.copies.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href=(article_href(&c.id, q)) { (c.source()) }
                    }
                }
            }
            blockquote.passage { (marked(&hit.text, &hit.highlights)) }
            (tags(&hit.agencies, &hit.countries, &hit.former_countries))
        }
    }
}

fn tags(agencies: &[String], countries: &[String], former: &[String]) -> Markup {
    html! {
        @if !(agencies.is_empty() && countries.is_empty() && former.is_empty()) {
            ul.tags {
                @for a in agencies {
                    li { a.agency href=(href("/", &[("agency", a.clone())])) { (a) } }
                }
                @for c in countries.iter().chain(former) {
                    li { a.country href=(href("/", &[("country", c.clone())])) { (c) } }
                }
            }
        }
    }
}

/// The page's parameters with `word` of the query replaced by `with`.
fn with_query(p: &Params, with: &str, word: &str) -> Vec<(&'static str, String)> {
    let q = p.q.replacen(word, with, 1);
    let mut pairs: Vec<(&'static str, String)> = p
        .page_pairs()
        .into_iter()
        .filter(|(k, _)| *k != "q")
        .collect();
    pairs.insert(0, ("q", q));
    pairs
}

fn results_view(results: &Results, p: &Params) -> Markup {
    let first = p.offset + 1;
    let last = p.offset + results.hits.len();
    let mut prev = p.page_pairs();
    prev.push(("offset", p.offset.saturating_sub(p.limit).to_string()));
    let mut next = p.page_pairs();
    next.push(("offset", (p.offset + p.limit).to_string()));
    let more = results.hits.len() == p.limit && p.offset + p.limit <= super::params::MAX_OFFSET;
    html! {
        @for (word, also) in &results.respelled {
            p.respelled { "Searched also " (also.join(", ")) " for “" (word) "”; "
                a href=(href("/", &with_query(p, &format!("\"{word}\""), word))) { "search “" (word) "” alone" } "." }
        }
        @for (word, near) in &results.suggestions {
            p.suggestion { "No article holds “" (word) "”. Did you mean "
                @for (i, n) in near.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href=(href("/", &with_query(p, n, word))) { (n) }
                }
                "?" }
        }
        @if results.hits.is_empty() {
            p.summary { "No passage matches." }
        } @else {
            p.summary {
                "Passages " (first) "–" (last) " of " (results.total_matches) " matching"
            }
        }
        @for hit in &results.hits { (hit_view(hit, &p.q)) }
        nav.pages {
            @if p.offset > 0 { a.prev rel="prev" href=(href("/", &prev)) { "← Previous" } }
            @if more { a.next rel="next" href=(href("/", &next)) { "Next →" } }
        }
    }
}

/// Horizontal bars as inline SVG, each row a link that adds the filter.
fn bars(title: &str, counts: &[Count], link: impl Fn(&str) -> String) -> Markup {
    let max = counts.iter().map(|c| c.count).max().unwrap_or(1).max(1);
    html! {
        @if !counts.is_empty() {
            section.facet {
                h3 { (title) }
                ul {
                    @for c in counts.iter().take(12) {
                        li {
                            a href=(link(&c.key)) {
                                span.key { (c.key) }
                                svg.bar viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" {
                                    rect width=((c.count * 100).div_ceil(max)) height="10" {}
                                }
                                span.count { (c.count) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The buckets from the first to the last with the empty ones between, so that columns keep
/// time's proportions (keys `YYYY-MM` or `YYYY`); as given when a key does not parse or the span
/// is too long to draw.
fn continuous(dates: &[Count]) -> Vec<(String, usize)> {
    let as_given = || dates.iter().map(|c| (c.key.clone(), c.count)).collect();
    let ordinal = |k: &str| -> Option<i64> {
        match k.split_once('-') {
            Some((y, m)) => {
                let (y, m): (i64, i64) = (y.parse().ok()?, m.parse().ok()?);
                (1..=12).contains(&m).then_some(y * 12 + m - 1)
            }
            None => k.parse().ok(),
        }
    };
    let monthly = dates.first().is_some_and(|c| c.key.contains('-'));
    let Some(keys) = dates
        .iter()
        .map(|c| ordinal(&c.key))
        .collect::<Option<Vec<i64>>>()
    else {
        return as_given();
    };
    let (Some(&lo), Some(&hi)) = (keys.iter().min(), keys.iter().max()) else {
        return as_given();
    };
    if hi - lo > 400 {
        return as_given();
    }
    (lo..=hi)
        .map(|o| {
            let key = if monthly {
                format!("{:04}-{:02}", o.div_euclid(12), o.rem_euclid(12) + 1)
            } else {
                format!("{o:04}")
            };
            let count = keys
                .iter()
                .zip(dates)
                .filter(|(k, _)| **k == o)
                .map(|(_, c)| c.count)
                .sum();
            (key, count)
        })
        .collect()
}

/// The matching articles by month (or year, over a long span) as inline SVG columns, each a
/// link to that period.
fn timeline(f: &Facets, p: &Params) -> Markup {
    let buckets = continuous(&f.dates);
    let max = buckets.iter().map(|b| b.1).max().unwrap_or(1).max(1);
    let width = buckets.len().max(1) * 12;
    html! {
        @if !buckets.is_empty() {
            section.timeline {
                h3 { "Articles by " (f.granularity) }
                svg viewBox=(format!("0 0 {width} 64")) preserveAspectRatio="none" role="img"
                    aria-label=(format!("Matching articles by {}", f.granularity)) {
                    @for (i, (key, count)) in buckets.iter().enumerate() {
                        @if *count > 0 {
                            @let h = (count * 60).div_ceil(max).max(1);
                            a href=(with_dates(p, key, key)) {
                                title { (key) ": " (count) }
                                rect x=(i * 12 + 1) y=(62 - h) width="10" height=(h) {}
                            }
                        }
                    }
                }
                p.range {
                    span { (buckets.first().map(|b| b.0.as_str()).unwrap_or("")) }
                    span { (buckets.last().map(|b| b.0.as_str()).unwrap_or("")) }
                }
                @if f.undated > 0 { p.undated { (f.undated) " undated" } }
            }
        }
    }
}

fn facets_view(f: &Facets, p: &Params) -> Markup {
    html! {
        aside.facets {
            p.count { (f.articles) " articles" }
            (timeline(f, p))
            (bars("Agencies", &f.agencies, |k| with_filter(p, "agency", k)))
            (bars("Countries", &f.countries, |k| with_filter(p, "country", k)))
            (bars("Former states", &f.former_countries, |k| with_filter(p, "country", k)))
            (bars("Languages", &f.languages, |k| with_filter(p, "lang", k)))
        }
    }
}

/// `GET /`: the search form; with a query or filters, the results, facets and timeline.
pub async fn search(
    State(shared): State<Arc<Shared>>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let p = match api::pairs(q).and_then(|pairs| Ok(Params::parse(&pairs, SEARCH_PARAMS)?)) {
        Ok(p) => p,
        Err(e) => return from_error(e),
    };
    let asked = !p.filter_pairs().is_empty();
    let title = if p.q.is_empty() {
        "Search".to_string()
    } else {
        p.q.clone()
    };
    let facet_params = Params {
        limit: p.limit,
        offset: 0,
        ..p.clone()
    };
    let (results, facets) = if asked {
        let r = api::search_page(Arc::clone(&shared), p.clone()).await;
        (Some(r), api::facets_of(shared, facet_params).await)
    } else {
        (None, api::facets_of(shared, facet_params).await)
    };
    let error = match (&results, &facets) {
        (Some(Err(e)), _) | (_, Err(e)) => Some(e.clone()),
        _ => None,
    };
    let status = error.as_ref().map_or(StatusCode::OK, |e| e.status);
    page(
        status,
        &title,
        html! {
            (search_form(&p))
            (active_filters(&p))
            @if let Some(e) = &error { p.error role="alert" { (e.message) } }
            div.layout {
                section.results {
                    @if let Some(Ok(r)) = &results { (results_view(r, &p)) }
                    @if results.is_none() {
                        p.hint { "Type words to find; quotes for a phrase, -word to exclude, \
                                  agency:MSS or country:FR inside the query, OR between words." }
                    }
                }
                @if let Ok(f) = &facets { (facets_view(f, &p)) }
            }
        },
    )
}

fn paragraphs(view: &ArticleView) -> Markup {
    let mut start = 0;
    let mut out = Vec::new();
    for para in &view.paragraphs {
        let end = start + para.len();
        let local: Vec<(usize, usize)> = (view.highlights.iter())
            .filter(|&&(s, e)| s >= start && e <= end)
            .map(|&(s, e)| (s - start, e - start))
            .collect();
        out.push(marked(para, &local));
        start = end + 2;
    }
    html! { @for p in out { p { (p) } } }
}

/// `GET /articles/{id}`: one article, the query's words marked, with its copies.
pub async fn article(
    State(shared): State<Arc<Shared>>,
    id: Result<Path<String>, PathRejection>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let got = async {
        let id = api::segment(id)?;
        let p = Params::parse(&api::pairs(q)?, ARTICLE_PARAMS)?;
        let q = p.q.clone();
        Ok::<_, ApiError>((api::article_of(shared, id, p).await?, q))
    };
    let (view, q) = match got.await {
        Ok(v) => v,
        Err(e) => return from_error(e),
    };
    let title = view.title.clone().unwrap_or_else(|| "(untitled)".into());
    page(
        StatusCode::OK,
        &title,
        html! {
            article.full {
                h1 { (title) }
                dl.meta {
                    @if let Some(site) = &view.site { dt { "Site" } dd { (site) } }
                    @if let Some(url) = &view.url {
                        dt { "URL" }
                        dd {
                            @match safe_href(url) {
                                Some(u) => { a.source href=(u) rel="noreferrer noopener" { (u) } }
                                None => { span.source { (url) } }
                            }
                        }
                    }
                    dt { "Published" }
                    dd {
                        @match view.published {
                            Some(d) if view.published_sure => { time datetime=(d.to_string()) { (d.to_string()) } }
                            Some(d) => { time datetime=(d.to_string()) { "~" (d.to_string()) } }
                            None => { "undated" }
                        }
                        @if let Some(source) = view.published_source { " (from " (source) ")" }
                    }
                    @if let Some(l) = &view.language { dt { "Language" } dd { (l) } }
                    dt { "Article id" } dd { code { (view.article_id) } }
                    dt { "Passages" } dd { (view.passages) }
                }
                (tags(&view.agencies, &view.countries, &view.former_countries))
                @if !q.is_empty() {
                    p.marked-for { "Words of " q { (q) } " are marked." }
                }
                div.text { (paragraphs(&view)) }
                section.copies {
                    h2 { "Copies" }
                    @if view.files.len() > 1 {
                        p { "The same bytes are indexed from " (view.files.len()) " files:" }
                    } @else {
                        p { "Indexed from one file:" }
                    }
                    ul { @for c in &view.files { li { code { (c) } } } }
                    @if !view.copies.is_empty() {
                        h2 { "Copies of this story" }
                        p {
                            (view.copies.len())
                            @if view.copies.len() == 1 { " other article tells" } @else { " other articles tell" }
                            " the same story:"
                        }
                        ul {
                            @for c in &view.copies {
                                li {
                                    a href=(article_href(&c.id, &q)) { (c.source()) }
                                    " — " (c.title)
                                    @if let Some(d) = c.published { " (" (d) ")" }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// `GET /saved`: the saved queries, with links to their results and what is new.
pub async fn saved_list(
    State(shared): State<Arc<Shared>>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    if let Err(e) = api::pairs(q).and_then(|pairs| Ok(Params::parse(&pairs, &[])?)) {
        return from_error(e);
    }
    let file = shared.queries().display().to_string();
    let (saved, state) = match api::saved_all(shared).await {
        Ok(v) => v,
        Err(e) => return from_error(e),
    };
    page(
        StatusCode::OK,
        "Saved queries",
        html! {
            h1 { "Saved queries" }
            @if saved.is_empty() {
                p { "No saved queries in " code { (file) } "; add one with "
                    code { "dossier saved add NAME QUERY" } "." }
            } @else {
                table.saved {
                    thead { tr { th { "Name" } th { "Query" } th { "Last --new run" } th {} } }
                    tbody {
                        @for s in saved.iter() {
                            @let base = format!("/saved/{}", encode_segment(&s.name));
                            tr {
                                td { a href=(base) { (s.name) } }
                                td {
                                    code { (s.command_line()) }
                                    @if let Some(d) = &s.description { br; span.description { (d) } }
                                }
                                td { @match state.mark(&s.name) { Some(m) => { (m.at) } None => { "never" } } }
                                td { a href=(format!("{base}?new=1")) { "What is new" } }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// `GET /saved/{name}`: a saved query's results, or with `new=1` only what its last recorded
/// `--new` run has not reported (nothing is recorded here).
pub async fn saved_run(
    State(shared): State<Arc<Shared>>,
    name: Result<Path<String>, PathRejection>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let got = async {
        let name = api::segment(name)?;
        let p = Params::parse(&api::pairs(q)?, SAVED_PARAMS)?;
        api::saved_run_of(shared, name, p).await
    };
    let run = match got.await {
        Ok(v) => v,
        Err(e) => return from_error(e),
    };
    let q = &run.query;
    let mut search = Params {
        q: q.query.expr.to_string(),
        agency: q.query.agencies.clone(),
        country: q.query.countries.clone(),
        lang: q.query.languages.clone(),
        since: q.query.since.map(|d| d.to_string()),
        until: q.query.until.map(|d| d.to_string()),
        dates: Some(q.query.dates.as_str().to_string()).filter(|d| d != "any"),
        undated: q.query.undated.map(|u| u.as_str().to_string()),
        seen_since: q.query.seen_since.map(|d| d.to_string()),
        ..Params::default()
    };
    search.limit = super::params::DEFAULT_LIMIT;
    let base = format!("/saved/{}", encode_segment(&q.name));
    page(
        StatusCode::OK,
        &q.name,
        html! {
            h1 { "Saved query " q { (q.name) } }
            p { code { (q.command_line()) } }
            @if let Some(d) = &q.description { p.description { (d) } }
            p.modes {
                @if run.new {
                    "New since the last recorded run. " a href=(base) { "All results" }
                } @else {
                    a href=(format!("{base}?new=1")) { "Only what is new" }
                }
                " · " a href=(href("/", &search.filter_pairs())) { "Open as a search" }
            }
            p.summary { (run.results.hits.len()) " passages shown of " (run.results.total_matches)
                @if run.new { " new" } " matching"
                @if run.left_out > 0 { " (" (run.left_out) " more new passages left out)" } }
            @for hit in &run.results.hits { (hit_view(hit, &search.q)) }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_urls_become_links() {
        assert_eq!(
            safe_href("https://example.org/a"),
            Some("https://example.org/a")
        );
        assert_eq!(safe_href(" HTTP://x.test/ "), Some("HTTP://x.test/"));
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "//evil.test/",
            "https://x.test/\u{0}javascript:",
            "http://a b",
        ] {
            assert_eq!(safe_href(bad), None, "{bad}");
        }
    }

    #[test]
    fn marks_escape_the_text_around_and_inside() {
        let text = "<b>spy</b> & <script>alert(1)</script>";
        let s = marked(text, &[(3, 6), (13, 21)]).into_string();
        assert_eq!(
            s,
            "&lt;b&gt;<mark>spy</mark>&lt;/b&gt; &amp; <mark>&lt;script&gt;</mark>alert(1)&lt;/script&gt;"
        );
    }

    #[test]
    fn bad_ranges_are_left_unmarked() {
        let text = "é spy";
        // 1 is inside 'é'; the second range runs backwards; the third overlaps; the last is past
        // the end.
        let s = marked(text, &[(1, 2), (5, 3), (3, 6), (4, 6), (6, 99)]).into_string();
        assert_eq!(s, "é <mark>spy</mark>");
    }

    #[test]
    fn the_timeline_keeps_empty_months() {
        let c = |k: &str, n| Count {
            key: k.into(),
            count: n,
        };
        let got = continuous(&[c("2020-11", 2), c("2021-02", 1)]);
        let keys: Vec<&str> = got.iter().map(|b| b.0.as_str()).collect();
        assert_eq!(keys, ["2020-11", "2020-12", "2021-01", "2021-02"]);
        assert_eq!(got.iter().map(|b| b.1).collect::<Vec<_>>(), [2, 0, 0, 1]);
        let years = continuous(&[c("1999", 1), c("2001", 3)]);
        assert_eq!(years.len(), 3);
        assert_eq!(continuous(&[c("soon", 1)]).len(), 1);
    }

    #[test]
    fn paragraphs_take_their_own_marks() {
        let view = ArticleView {
            paragraphs: vec!["one spy".into(), "two spies".into()],
            text: "one spy\n\ntwo spies".into(),
            highlights: vec![(4, 7), (13, 18)],
            ..ArticleView::default()
        };
        assert_eq!(
            paragraphs(&view).into_string(),
            "<p>one <mark>spy</mark></p><p>two <mark>spies</mark></p>"
        );
    }
}
