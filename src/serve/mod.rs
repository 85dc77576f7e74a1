//! `dossier serve`: a web page and a JSON API over the same library the command line uses.
//!
//! Handlers parse their parameters into the same [`Query`](crate::query::Query) the CLI builds
//! ([`params`]), call the same [`Searcher`], and write the same JSON as `--format json`
//! ([`crate::printer::json`]): one serializer, two callers. [`api`] answers `/api/…` in JSON,
//! [`pages`] renders HTML on the server (no script; the stylesheet is compiled in).
//!
//! The server only reads: it opens the index as `search` does, takes no lock, and sees each new
//! commit of a `dossier index` running beside it (the reader is reloaded per request, and a
//! rebuild's new generation is opened when it appears). Off the loopback interface it requires
//! a bearer token on every request. Every response carries a strict Content-Security-Policy;
//! request sizes and handling time are bounded.

pub mod api;
pub mod pages;
pub mod params;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::error::{Error, Result};
use crate::search::Searcher;

/// Where `dossier serve` listens unless told otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8765";

/// The longest request target (path and query string) taken, in bytes.
pub const MAX_URI: usize = 8 * 1024;

/// The largest request body taken: every route is a GET, so none is needed.
pub const MAX_BODY: usize = 16 * 1024;

/// How long one request may take before it is answered 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// The Content-Security-Policy of every response: nothing but this server's own stylesheet,
/// images inline as SVG, forms posting back here; no script at all, no frames.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
                       form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// What the server needs to know, resolved by the binary.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The index folder.
    pub index: PathBuf,
    /// The saved-queries file shown under `/saved`.
    pub queries: PathBuf,
    /// The address to listen on.
    pub listen: SocketAddr,
    /// The bearer token every request must carry; required off the loopback interface.
    pub token: Option<String>,
    /// Passages per article at most in a search, as `--per-article` (from the configuration).
    pub per_article: usize,
}

impl ServeOptions {
    /// Refuses options that would expose the index: a non-loopback address without a token, or
    /// an empty token.
    pub fn check(&self) -> Result<()> {
        if let Some(t) = &self.token {
            if t.trim().is_empty() {
                return Err(Error::Argument(
                    "the token is empty; give --token a secret of 16 characters or more".into(),
                ));
            }
        }
        if !self.listen.ip().is_loopback() && self.token.is_none() {
            return Err(Error::Argument(format!(
                "refusing to listen on {} without a token: anyone who can reach that address \
                 could read the index; add --token TOKEN (or --token-file FILE), or listen on \
                 127.0.0.1",
                self.listen
            )));
        }
        Ok(())
    }
}

/// What every handler shares: where things are, the token, and the open index.
pub struct Shared {
    index: PathBuf,
    queries: PathBuf,
    token: Option<String>,
    per_article: usize,
    open: Mutex<Option<Opened>>,
}

struct Opened {
    dir: PathBuf,
    searcher: Arc<Searcher>,
}

impl Shared {
    /// State for a server of the index at `index`, with saved queries from `queries`.
    pub fn new(index: &Path, queries: &Path, token: Option<String>) -> Arc<Shared> {
        Arc::new(Shared {
            index: index.to_path_buf(),
            queries: queries.to_path_buf(),
            token,
            per_article: crate::search::SearchOptions::default().per_article,
            open: Mutex::new(None),
        })
    }

    /// State for a server run with these options.
    pub fn from_options(opts: &ServeOptions) -> Arc<Shared> {
        Arc::new(Shared {
            index: opts.index.clone(),
            queries: opts.queries.clone(),
            token: opts.token.clone(),
            per_article: opts.per_article,
            open: Mutex::new(None),
        })
    }

    /// Passages per article at most in a search.
    pub fn per_article(&self) -> usize {
        self.per_article
    }

    /// The index folder.
    pub fn index(&self) -> &Path {
        &self.index
    }

    /// The saved-queries file.
    pub fn queries(&self) -> &Path {
        &self.queries
    }

    /// A searcher on the index's current generation, its reader brought to the last commit,
    /// for facet counts and article look-ups ([`Searcher::search`] reloads by itself).
    pub fn fresh_searcher(&self) -> Result<Arc<Searcher>> {
        let s = self.searcher()?;
        s.reload()?;
        Ok(s)
    }

    /// A searcher on the index's current generation. A rebuild switches generations: the new
    /// one is opened then, and requests under way keep theirs.
    pub fn searcher(&self) -> Result<Arc<Searcher>> {
        let dir = crate::index::data_dir(&self.index)?;
        {
            let open = self.open.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(o) = open.as_ref().filter(|o| o.dir == dir) {
                return Ok(Arc::clone(&o.searcher));
            }
        }
        let searcher = Arc::new(Searcher::open(&self.index)?);
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        *open = Some(Opened {
            dir,
            searcher: Arc::clone(&searcher),
        });
        Ok(searcher)
    }
}

/// The API's routes, paths spelled as in `docs/openapi.json` (a test holds the two together).
pub fn api_routes() -> Vec<(&'static str, MethodRouter<Arc<Shared>>)> {
    vec![
        ("/api/search", get(api::search)),
        ("/api/facets", get(api::facets)),
        ("/api/articles/{id}", get(api::article)),
        ("/api/saved", get(api::saved_list)),
        ("/api/saved/{name}", get(api::saved_run)),
        ("/api/status", get(api::status)),
    ]
}

/// The application: API and pages behind the token check, the security headers and the limits.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(pages::search))
        .route("/articles/{id}", get(pages::article))
        .route("/saved", get(pages::saved_list))
        .route("/saved/{name}", get(pages::saved_run))
        .route("/assets/style.css", get(pages::stylesheet))
        .merge(
            api_routes()
                .into_iter()
                .fold(Router::new(), |r, (path, handler)| r.route(path, handler)),
        )
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), guard))
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn(security_headers))
        .with_state(shared)
}

/// Unknown paths: JSON under `/api/`, a page elsewhere. Nothing is ever read from disk by path.
async fn not_found(req: Request) -> Response {
    let path = req.uri().path();
    if is_api(path) {
        api::ApiError::new(
            StatusCode::NOT_FOUND,
            "no such API route; see docs/openapi.json",
        )
        .into_response()
    } else {
        pages::error_page(StatusCode::NOT_FOUND, "no such page")
    }
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Refuses oversized targets, other methods than GET and HEAD, and requests without the token.
async fn guard(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let api = is_api(req.uri().path());
    let refuse = |status: StatusCode, msg: &str| -> Response {
        if api {
            api::ApiError::new(status, msg).into_response()
        } else {
            pages::error_page(status, msg)
        }
    };
    let target = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if target > MAX_URI {
        return refuse(
            StatusCode::URI_TOO_LONG,
            &format!("the request target is {target} bytes; at most {MAX_URI} are taken"),
        );
    }
    if let Some(token) = &shared.token {
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if !given.is_some_and(|g| same_secret(g.trim().as_bytes(), token.as_bytes())) {
            let mut resp = refuse(
                StatusCode::UNAUTHORIZED,
                "this server needs its token: send 'Authorization: Bearer TOKEN'",
            );
            resp.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return resp;
        }
    }
    let method = req.method();
    if method != axum::http::Method::GET && method != axum::http::Method::HEAD {
        let mut resp = refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            "this server only reads: use GET",
        );
        resp.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return resp;
    }
    next.run(req).await
}

/// Compares two secrets in time that depends on their lengths only, not on where they differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Headers every response carries, errors included.
async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    resp
}

/// Serves until interrupted (Ctrl-C or SIGTERM). `ready` is told the bound address once the
/// socket listens, so callers asking for port 0 learn the port.
pub fn run(opts: &ServeOptions, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    opts.check()?;
    // Fail now, not on the first request, when there is no index to serve.
    Searcher::open(&opts.index)?;
    crate::tag::prepare_lookups();
    let shared = Shared::from_options(opts);
    // Searches run on the blocking pool, one a core: more at once would only share the cores
    // and make every answer late, while the pool's queue serves waiting requests in turn.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(cores)
        .thread_name("dossier-serve")
        .build()
        .map_err(|e| Error::Argument(format!("cannot start the server's threads: {e}")))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(opts.listen)
            .await
            .map_err(|e| {
                Error::Argument(format!(
                    "cannot listen on {}: {e}; pick another address with --listen",
                    opts.listen
                ))
            })?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::Argument(format!("cannot read the address listened on: {e}")))?;
        ready(addr);
        axum::serve(listener, router(shared))
            .with_graceful_shutdown(shutdown())
            .await
            .map_err(|e| Error::Argument(format!("the server stopped: {e}")))
    })
}

async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        _ = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(listen: &str, token: Option<&str>) -> ServeOptions {
        ServeOptions {
            index: PathBuf::from("idx"),
            queries: PathBuf::from("q.toml"),
            listen: listen.parse().unwrap(),
            token: token.map(str::to_string),
            per_article: 2,
        }
    }

    #[test]
    fn a_public_address_needs_a_token() {
        assert!(opts("127.0.0.1:8765", None).check().is_ok());
        assert!(opts("[::1]:8765", None).check().is_ok());
        let e = opts("0.0.0.0:8765", None).check().unwrap_err().to_string();
        assert!(e.contains("without a token"), "{e}");
        assert!(opts("0.0.0.0:8765", Some("s3cret-s3cret")).check().is_ok());
        assert!(opts("127.0.0.1:1", Some("  ")).check().is_err());
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abc", b"abd"));
        assert!(!same_secret(b"abc", b"abcd"));
        assert!(!same_secret(b"", b"a"));
    }
}
