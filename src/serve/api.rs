//! The JSON API under `/api/`, described in `docs/openapi.json`.
//!
//! Each object is built by the same serializer as the command line's `--format json` line of
//! the same name ([`crate::printer::json`]): a search answers `hit` objects and a `summary`, an
//! article is an `article` line plus its copies, facets and status are the `facets` and `status`
//! lines. Errors are `{"error": "…", "status": N}` with that HTTP status: 400 for a bad query or
//! parameter, 404 for an unknown article, saved query or route, 401 without the token, 503 when
//! there is no index.
//!
//! The operations here ([`search_page`], [`facets_of`], [`article_of`], …) are shared with the
//! HTML pages, so both show the same results.

use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use super::params::{BadParam, Params};
use super::Shared;
use crate::error::Error;
use crate::facets::Facets;
use crate::printer::json::{ArticleLine, HitLine, SavedQueryLine, SummaryLine, Tagged};
use crate::saved::state::{self, RunOptions, RunState};
use crate::saved::{SavedQueries, SavedQuery};
use crate::search::{Results, SearchOptions};
use crate::show::{ArticleView, Target};

/// Parameters of `/api/search` and the search page.
pub const SEARCH_PARAMS: &[&str] = &[
    "q",
    "agency",
    "country",
    "lang",
    "since",
    "until",
    "dates",
    "undated",
    "seen_since",
    "limit",
    "offset",
    "copies",
    "all_words",
];
/// Parameters of `/api/facets`.
pub const FACET_PARAMS: &[&str] = &[
    "q",
    "agency",
    "country",
    "lang",
    "since",
    "until",
    "dates",
    "undated",
    "seen_since",
];
/// Parameters of an article: the query whose words to mark.
pub const ARTICLE_PARAMS: &[&str] = &["q"];
/// Parameters of a saved query's run.
pub const SAVED_PARAMS: &[&str] = &["new", "limit"];
/// The longest saved-query name taken from a path.
const MAX_NAME: usize = 200;

/// An error answer: a status and a message written for the person reading it.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong and what to do.
    pub message: String,
}

impl ApiError {
    /// An error with this status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    /// A 400 answer.
    pub fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        let status = match &e {
            Error::Query { .. } | Error::Argument(_) => StatusCode::BAD_REQUEST,
            Error::UnknownQuery { .. } => StatusCode::NOT_FOUND,
            Error::NoIndex(_) | Error::Rebuilt(_) => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError::new(status, e.to_string())
    }
}

impl From<BadParam> for ApiError {
    fn from(e: BadParam) -> ApiError {
        ApiError::bad(e.0)
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    status: u16,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: &self.message,
            status: self.status.as_u16(),
        };
        (self.status, Json(body)).into_response()
    }
}

/// The decoded `name=value` pairs of a query string, or a 400.
pub fn pairs(
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Vec<(String, String)>, ApiError> {
    q.map(|Query(p)| p)
        .map_err(|e| ApiError::bad(format!("bad query string: {}", e.body_text())))
}

/// One path segment, decoded, or a 400.
pub fn segment(p: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    p.map(|Path(s)| s)
        .map_err(|e| ApiError::bad(format!("bad path: {}", e.body_text())))
}

/// Runs blocking index work off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| {
        Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the request failed inside the server: {e}"),
        ))
    })
}

/// One page of search results: `limit` passages from rank `offset + 1`, ranked as `search`
/// ranks them (its defaults of passages per article included).
pub async fn search_page(shared: Arc<Shared>, p: Params) -> Result<Results, ApiError> {
    let query = p.query()?;
    blocking(move || {
        let opts = SearchOptions {
            limit: p.offset + p.limit,
            per_article: shared.per_article(),
            after_seq: None,
            all_copies: p.all_copies(),
            relax: !p.all_words,
            ..SearchOptions::default()
        };
        // A rebuild that lands during the search: the next searcher reads the new index.
        let mut tries = 0;
        let mut results = loop {
            match shared.searcher()?.search(&query, &opts) {
                Err(Error::Rebuilt(_)) if tries < 3 => tries += 1,
                other => break other?,
            }
        };
        results.hits.drain(..p.offset.min(results.hits.len()));
        Ok(results)
    })
    .await
}

/// Facet counts of the articles matching the parameters.
pub async fn facets_of(shared: Arc<Shared>, p: Params) -> Result<Facets, ApiError> {
    let query = p.query()?;
    blocking(move || Ok(shared.fresh_searcher()?.facets(&query)?)).await
}

/// An article by id (or unique id prefix), its query's words marked; 404 when the index does
/// not hold it. Only ids are taken: a path would let a request name any file.
pub async fn article_of(
    shared: Arc<Shared>,
    id: String,
    p: Params,
) -> Result<ArticleView, ApiError> {
    if !(4..=32).contains(&id.len()) || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        let shown: String = id.chars().take(40).collect();
        return Err(ApiError::bad(format!(
            "'{shown}' is not an article id: ids are 4 to 32 hexadecimal digits, as search \
             results give them"
        )));
    }
    let query = if p.q.is_empty() {
        None
    } else {
        Some(p.query()?)
    };
    blocking(move || {
        let target = Target::Id(id.to_ascii_lowercase());
        let mut view = shared.fresh_searcher()?.article(&target)?.ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                format!("no article '{id}' in the index; use an id from a search result"),
            )
        })?;
        if let Some(q) = &query {
            view.highlight(q);
        }
        Ok(view)
    })
    .await
}

/// The saved queries with their recorded watermarks.
pub async fn saved_all(shared: Arc<Shared>) -> Result<(SavedQueries, RunState), ApiError> {
    blocking(move || {
        let saved = SavedQueries::load(shared.queries())?;
        let state = RunState::open(shared.index(), shared.queries())?;
        Ok((saved, state))
    })
    .await
}

/// What a saved query's run found.
pub struct SavedRun {
    /// The query.
    pub query: SavedQuery,
    /// Its watermark, as last recorded by `dossier saved run --new`.
    pub state: RunState,
    /// Whether only what is new since that watermark was asked for.
    pub new: bool,
    /// The passages.
    pub results: Results,
    /// New passages left out by the limit.
    pub left_out: usize,
}

/// Runs a saved query. With `new`, only the passages its last recorded `--new` run did not
/// report; the watermark is never moved here, since the server only reads.
pub async fn saved_run_of(
    shared: Arc<Shared>,
    name: String,
    p: Params,
) -> Result<SavedRun, ApiError> {
    if name.len() > MAX_NAME {
        return Err(ApiError::bad(format!(
            "a saved query name has at most {MAX_NAME} bytes"
        )));
    }
    blocking(move || {
        let saved = SavedQueries::load(shared.queries())?;
        let query = saved.get(&name)?.clone();
        let state = RunState::open(shared.index(), shared.queries())?;
        let searcher = shared.searcher()?;
        let from = state.mark(&query.name).map(|m| &m.watermark);
        let opts = RunOptions {
            new: p.new,
            limit: Some(p.limit),
            per_article: None,
        };
        let outcome = state::run(&searcher, &query, from, opts)?;
        Ok(SavedRun {
            query,
            state,
            new: p.new,
            results: outcome.results,
            left_out: outcome.left_out,
        })
    })
    .await
}

#[derive(Serialize)]
struct SearchBody<'a> {
    query: String,
    offset: usize,
    limit: usize,
    hits: Vec<HitLine<'a>>,
    summary: SummaryLine<'a>,
}

/// `GET /api/search`.
pub async fn search(
    State(shared): State<Arc<Shared>>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let p = Params::parse(&pairs(q)?, SEARCH_PARAMS)?;
    let canonical = p.query()?.expr.to_string();
    let (offset, limit) = (p.offset, p.limit);
    let results = search_page(shared, p).await?;
    let body = SearchBody {
        query: canonical,
        offset,
        limit,
        hits: results.hits.iter().map(|h| HitLine::new(h, None)).collect(),
        summary: SummaryLine::new(&results, None),
    };
    Ok(Json(body).into_response())
}

/// `GET /api/facets`.
pub async fn facets(
    State(shared): State<Arc<Shared>>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let p = Params::parse(&pairs(q)?, FACET_PARAMS)?;
    let facets = facets_of(shared, p).await?;
    Ok(Json(Tagged {
        kind: "facets",
        value: &facets,
    })
    .into_response())
}

#[derive(Serialize)]
struct ArticleBody<'a> {
    #[serde(flatten)]
    line: Tagged<'a, ArticleLine<'a>>,
    /// Every file holding the article's bytes.
    files: &'a [String],
}

/// `GET /api/articles/{id}`.
pub async fn article(
    State(shared): State<Arc<Shared>>,
    id: Result<Path<String>, PathRejection>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let id = segment(id)?;
    let p = Params::parse(&pairs(q)?, ARTICLE_PARAMS)?;
    let view = article_of(shared, id, p).await?;
    Ok(Json(ArticleBody {
        line: Tagged {
            kind: "article",
            value: ArticleLine::new(&view),
        },
        files: &view.files,
    })
    .into_response())
}

#[derive(Serialize)]
struct SavedListBody<'a> {
    queries: Vec<Tagged<'a, SavedQueryLine<'a>>>,
}

/// `GET /api/saved`.
pub async fn saved_list(
    State(shared): State<Arc<Shared>>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    Params::parse(&pairs(q)?, &[])?;
    let (saved, state) = saved_all(shared).await?;
    let queries = saved
        .iter()
        .map(|q| Tagged {
            kind: "saved_query",
            value: SavedQueryLine::new(q, &state),
        })
        .collect();
    Ok(Json(SavedListBody { queries }).into_response())
}

#[derive(Serialize)]
struct SavedRunBody<'a> {
    saved_query: Tagged<'a, SavedQueryLine<'a>>,
    new: bool,
    left_out: usize,
    hits: Vec<HitLine<'a>>,
    summary: SummaryLine<'a>,
}

/// `GET /api/saved/{name}`.
pub async fn saved_run(
    State(shared): State<Arc<Shared>>,
    name: Result<Path<String>, PathRejection>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let name = segment(name)?;
    let p = Params::parse(&pairs(q)?, SAVED_PARAMS)?;
    let run = saved_run_of(shared, name, p).await?;
    let label = Some(run.query.name.as_str());
    Ok(Json(SavedRunBody {
        saved_query: Tagged {
            kind: "saved_query",
            value: SavedQueryLine::new(&run.query, &run.state),
        },
        new: run.new,
        left_out: run.left_out,
        hits: (run.results.hits.iter())
            .map(|h| HitLine::new(h, label))
            .collect(),
        summary: SummaryLine::new(&run.results, label),
    })
    .into_response())
}

/// `GET /api/status`.
pub async fn status(
    State(shared): State<Arc<Shared>>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    Params::parse(&pairs(q)?, &[])?;
    let st = blocking(move || Ok(crate::status::status(shared.index(), 5)?)).await?;
    Ok(Json(Tagged {
        kind: "status",
        value: &st,
    })
    .into_response())
}
