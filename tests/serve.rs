//! `dossier serve` without a socket: every API route and its errors, the token, the headers,
//! escaping of hostile articles on the pages, the OpenAPI file against the router, and the JSON
//! against the command line's own `--format json`. One test starts the real binary.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::Stdio;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use dossier::serve::{router, Shared};
use serde_json::Value;
use tower::ServiceExt;

use crate::util::Env;

/// A small article: a title, an optional `<head>` addition, and paragraphs.
fn page(title: &str, head: &str, paras: &[&str]) -> String {
    let body: String = paras.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!("<html><head><title>{title}</title>{head}</head><body>\n{body}</body></html>")
}

/// The hostile article's title and text, as the extractor keeps them.
const HOSTILE_TITLE: &str = "Defector <script>alert('title')</script> speaks";

/// An index of a few articles: spies in France and Iran, a copy of one file, and a hostile page.
pub fn corpus(env: &Env) {
    let spy = page(
        "DGSE officer recruited in Paris",
        "<meta name=\"date\" content=\"2021-03-04\">\
         <meta property=\"og:url\" content=\"https://news.example/dgse\">",
        &[
            "The DGSE recruited an officer in Paris after a long approach, French \
           counter-intelligence said. The officer had met his handlers in cafes for months.",
        ],
    );
    env.write("docs/a/dgse.html", &spy);
    env.write("docs/b/dgse-copy.html", &spy);
    env.write(
        "docs/iran.html",
        page(
            "MOIS network in Tehran",
            "<meta name=\"date\" content=\"2021-06-10\">",
            &[
                "Iran's Ministry of Intelligence ran an officer network from Tehran that \
               recruited sources abroad, according to the indictment.",
            ],
        ),
    );
    for n in 0..4 {
        env.write(
            &format!("docs/more/officer{n}.html"),
            page(
                &format!("Officer {n} report"),
                "<meta name=\"date\" content=\"2020-01-15\">",
                &[&format!(
                    "Report {n}: an officer of the SVR was seen in Vienna meeting a source."
                )],
            ),
        );
    }
    env.write(
        "docs/hostile.html",
        format!(
            "<html><head><title>{}</title>\
             <meta property=\"og:url\" content=\"javascript:alert('url')\"></head><body>\
             <p>The officer wrote &lt;img src=x onerror=alert('passage')&gt; and \
             &lt;script&gt;alert('passage')&lt;/script&gt; in his defector report.</p>\
             </body></html>",
            HOSTILE_TITLE.replace('<', "&lt;").replace('>', "&gt;")
        ),
    );
    env.index(&env.path("docs"));
}

fn app(env: &Env, token: Option<&str>) -> axum::Router {
    router(Shared::new(
        &env.index_path(),
        &env.path("queries.toml"),
        token.map(str::to_string),
    ))
}

/// A GET through the router; the status, the headers and the body as text.
async fn get(app: &axum::Router, uri: &str) -> (StatusCode, header::HeaderMap, String) {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, header::HeaderMap, String) {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 24)
        .await
        .unwrap();
    (status, headers, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn get_json(app: &axum::Router, uri: &str, want: StatusCode) -> Value {
    let (status, headers, body) = get(app, uri).await;
    assert_eq!(status, want, "{uri}: {body}");
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "{uri}"
    );
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{uri}: {e}: {body}"))
}

/// The JSON Lines the command line prints for `args`.
fn cli_lines(env: &Env, args: &[&str]) -> Vec<Value> {
    let out = env.run(args);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A hit without its score, which may differ in the last bits between processes.
fn comparable(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("score");
    v
}

#[tokio::test]
async fn search_answers_the_same_hits_as_the_cli() {
    let env = Env::new();
    corpus(&env);
    let app = app(&env, None);
    let api = get_json(
        &app,
        "/api/search?q=officer&country=FR&limit=5",
        StatusCode::OK,
    )
    .await;
    let cli = cli_lines(
        &env,
        &[
            "search",
            "officer",
            "--country",
            "FR",
            "--limit",
            "5",
            "--format",
            "json",
        ],
    );
    let cli_hits: Vec<Value> = (cli.iter())
        .filter(|v| v["type"] == "hit")
        .cloned()
        .map(comparable)
        .collect();
    let api_hits: Vec<Value> = (api["hits"].as_array().unwrap().iter())
        .cloned()
        .map(comparable)
        .collect();
    assert!(!api_hits.is_empty());
    assert_eq!(api_hits, cli_hits);
    let summary = &api["summary"];
    let cli_summary = cli.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["hits"], cli_summary["hits"]);
    assert_eq!(summary["total_matches"], cli_summary["total_matches"]);
    assert_eq!(api["query"], "officer");
    // The highlights are byte offsets of the query's word in the text.
    let hit = &api["hits"][0];
    let text = hit["text"].as_str().unwrap();
    let [s, e] = [0, 1].map(|i| hit["highlights"][0][i].as_u64().unwrap() as usize);
    assert_eq!(text[s..e].to_lowercase(), "officer");
}

#[tokio::test]
async fn search_pages_through_the_ranking() {
    let env = Env::new();
    corpus(&env);
    let app = app(&env, None);
    let all = get_json(&app, "/api/search?q=officer&limit=6", StatusCode::OK).await;
    let all: Vec<Value> = all["hits"].as_array().unwrap().clone();
    assert_eq!(all.len(), 6, "{all:?}");
    let mut paged = Vec::new();
    for offset in [0, 2, 4] {
        let page = get_json(
            &app,
            &format!("/api/search?q=officer&limit=2&offset={offset}"),
            StatusCode::OK,
        )
        .await;
        assert_eq!(page["offset"], offset);
        paged.extend(page["hits"].as_array().unwrap().iter().cloned());
    }
    let key = |v: &Value| (v["rank"].clone(), v["path"].clone(), v["passage"].clone());
    assert_eq!(
        paged.iter().map(key).collect::<Vec<_>>(),
        all.iter().map(key).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn facets_status_and_articles_match_the_cli() {
    let env = Env::new();
    corpus(&env);
    let app = app(&env, None);
    let facets = get_json(&app, "/api/facets?q=officer", StatusCode::OK).await;
    let cli = cli_lines(&env, &["facets", "officer", "--format", "json"]);
    assert_eq!(facets, cli[0]);
    assert_eq!(facets["type"], "facets");

    let status = get_json(&app, "/api/status", StatusCode::OK).await;
    assert_eq!(status["type"], "status");
    let cli = cli_lines(&env, &["status", "--format", "json"]);
    assert_eq!(status["articles"], cli[0]["articles"], "{status}");
    assert_eq!(status["passages"], cli[0]["passages"], "{status}");
    assert!(status["articles"].as_u64().unwrap() >= 7, "{status}");

    // The copy of the DGSE page shares its id; the article lists both files.
    let search = get_json(&app, "/api/search?q=DGSE%20Paris", StatusCode::OK).await;
    let id = search["hits"][0]["article_id"]
        .as_str()
        .unwrap()
        .to_string();
    let article = get_json(
        &app,
        &format!("/api/articles/{}?q=recruited", &id[..8]),
        StatusCode::OK,
    )
    .await;
    let shown = cli_lines(
        &env,
        &["show", &id, "--query", "recruited", "--format", "json"],
    );
    let mut without_files = article.clone();
    let files = without_files
        .as_object_mut()
        .unwrap()
        .remove("files")
        .unwrap();
    assert_eq!(without_files, shown[0]);
    let files: BTreeSet<String> = (files.as_array().unwrap().iter())
        .map(|c| c.as_str().unwrap().rsplit('/').next().unwrap().to_string())
        .collect();
    assert_eq!(
        files,
        BTreeSet::from(["dgse.html".to_string(), "dgse-copy.html".to_string()])
    );
    assert!(!article["highlights"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn errors_are_json_with_the_right_status() {
    let env = Env::new();
    corpus(&env);
    let app = app(&env, None);
    for (uri, status, says) in [
        ("/api/search?q=%22unclosed", 400, "q: "),
        (
            "/api/search?q=spy&contry=FR",
            400,
            "unknown parameter 'contry'",
        ),
        ("/api/search?q=spy&limit=0", 400, "'limit'"),
        ("/api/search?q=spy&offset=99999", 400, "'offset'"),
        (
            "/api/search?q=spy&agency=Nowhere%20Bureau",
            400,
            "agency: unknown agency",
        ),
        ("/api/search?q=spy&since=2020-13", 400, "since: bad date"),
        ("/api/facets?q=spy&since=2021&until=2020", 400, "swap them"),
        ("/api/articles/zzzz", 400, "not an article id"),
        (
            "/api/articles/0123456789abcdef",
            404,
            "no article '0123456789abcdef'",
        ),
        (
            "/api/articles/..%2f..%2fetc%2fpasswd",
            400,
            "not an article id",
        ),
        ("/api/saved/nothing-here", 404, "nothing-here"),
        ("/api/nothing", 404, "no such API route"),
        ("/api/status?verbose=1", 400, "unknown parameter"),
    ] {
        let v = get_json(&app, uri, StatusCode::from_u16(status).unwrap()).await;
        assert_eq!(v["status"], status, "{uri}");
        let msg = v["error"].as_str().unwrap();
        assert!(msg.contains(says), "{uri}: {msg}");
    }
    // A value past the bound is refused before it reaches the query parser.
    let long = "a".repeat(2000);
    get_json(
        &app,
        &format!("/api/search?q={long}"),
        StatusCode::BAD_REQUEST,
    )
    .await;
    // So is a target past the bound, before any handler runs.
    let huge = "a%20".repeat(3000);
    let (status, _, _) = get(&app, &format!("/api/search?q={huge}")).await;
    assert_eq!(status, StatusCode::URI_TOO_LONG);
    // Writing is refused: the server only reads.
    let post = Request::post("/api/search?q=spy")
        .body(Body::from("x"))
        .unwrap();
    let (status, headers, _) = send(&app, post).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(headers[header::ALLOW], "GET, HEAD");
}

#[tokio::test]
async fn no_index_is_a_503_with_the_next_step() {
    let env = Env::new();
    let app = app(&env, None);
    let v = get_json(&app, "/api/search?q=spy", StatusCode::SERVICE_UNAVAILABLE).await;
    assert!(
        v["error"].as_str().unwrap().contains("dossier index"),
        "{v}"
    );
}

#[tokio::test]
async fn the_token_is_checked_on_every_request() {
    let env = Env::new();
    corpus(&env);
    let app = app(&env, Some("correct-horse-battery"));
    for uri in ["/api/status", "/", "/assets/style.css", "/api/nothing"] {
        let (status, headers, _) = get(&app, uri).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{uri}");
        assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer", "{uri}");
    }
    for bad in [
        "Bearer wrong",
        "Bearer correct-horse-batter",
        "correct-horse-battery",
    ] {
        let req = Request::get("/api/status")
            .header(header::AUTHORIZATION, bad)
            .body(Body::empty())
            .unwrap();
        let (status, _, body) = send(&app, req).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{bad}");
        assert!(body.contains("Authorization: Bearer"), "{body}");
    }
    let req = Request::get("/api/status")
        .header(header::AUTHORIZATION, "Bearer correct-horse-battery")
        .body(Body::empty())
        .unwrap();
    let (status, _, _) = send(&app, req).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn saved_queries_run_and_report_what_is_new_without_recording() {
    let env = Env::new();
    corpus(&env);
    env.ok(
        &[
            "saved",
            "add",
            "svr",
            "officer",
            "--agency",
            "SVR",
            "--queries",
            "queries.toml",
        ],
        0,
    );
    let app = app(&env, None);
    let list = get_json(&app, "/api/saved", StatusCode::OK).await;
    assert_eq!(list["queries"][0]["type"], "saved_query");
    assert_eq!(list["queries"][0]["name"], "svr");
    assert_eq!(list["queries"][0]["agencies"], serde_json::json!(["SVR"]));

    let run = get_json(&app, "/api/saved/svr?limit=50", StatusCode::OK).await;
    let hits = run["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 4, "{run}");
    assert!(hits.iter().all(|h| h["query"] == "svr"));
    assert_eq!(run["summary"]["query"], "svr");

    // A recorded --new run reports everything; afterwards nothing is new...
    env.ok(
        &["saved", "run", "svr", "--new", "--queries", "queries.toml"],
        0,
    );
    let state_file = dossier::index::data_dir(&env.index_path())
        .unwrap()
        .join("saved-state.json");
    let state = std::fs::read(&state_file).unwrap();
    let new = get_json(&app, "/api/saved/svr?new=1", StatusCode::OK).await;
    assert_eq!(new["hits"].as_array().unwrap().len(), 0, "{new}");
    assert_eq!(new["new"], true);
    // ... until a new article lands, which the server sees without a restart.
    env.write(
        "docs/more/officer9.html",
        page(
            "Officer 9 report",
            "",
            &["Report 9: an officer of the SVR met a source in Graz."],
        ),
    );
    env.index(&env.path("docs"));
    let new = get_json(&app, "/api/saved/svr?new=true", StatusCode::OK).await;
    let hits = new["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1, "{new}");
    assert!(hits[0]["path"].as_str().unwrap().ends_with("officer9.html"));
    // Asking twice gives the same answer: the server moved no watermark.
    let again = get_json(&app, "/api/saved/svr?new=true", StatusCode::OK).await;
    assert_eq!(again["hits"].as_array().unwrap().len(), 1);
    let now = std::fs::read(&state_file).unwrap();
    assert_eq!(now, state, "the server wrote the run state");
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let env = Env::new();
    corpus(&env);
    let app = app(&env, None);
    for uri in [
        "/",
        "/?q=officer",
        "/api/search?q=officer",
        "/api/nothing",
        "/nothing",
        "/assets/style.css",
        "/saved",
    ] {
        let (_, headers, _) = get(&app, uri).await;
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("default-src 'none'"), "{uri}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{uri}: {csp}");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
        assert_eq!(headers[header::REFERRER_POLICY], "no-referrer", "{uri}");
    }
}

#[tokio::test]
async fn no_file_is_served_by_path() {
    let env = Env::new();
    corpus(&env);
    let app = app(&env, None);
    for uri in [
        "/assets/../Cargo.toml",
        "/assets/%2e%2e/Cargo.toml",
        "/assets/..%2fCargo.toml",
        "/assets/style.css/../../src/lib.rs",
        "/..%2f..%2fetc%2fpasswd",
        "/articles/..%2f..%2fetc%2fpasswd",
        "/docs/hostile.html",
    ] {
        let (status, _, body) = get(&app, uri).await;
        assert!(status.is_client_error(), "{uri}: {status}");
        assert!(
            !body.contains("[package]") && !body.contains("root:"),
            "{uri}"
        );
        assert!(!body.contains("onerror"), "{uri}");
    }
    let (status, headers, css) = get(&app, "/assets/style.css").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/css; charset=utf-8");
    assert!(css.contains("mark {"));
}

/// Every `<tag` in a page, by name: the markup the templates wrote.
fn tags_in(html: &str) -> BTreeSet<String> {
    html.split('<')
        .skip(1)
        .map(|t| {
            t.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '/' || *c == '!')
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .collect()
}

#[tokio::test]
async fn hostile_titles_passages_and_urls_stay_text() {
    let env = Env::new();
    corpus(&env);
    let app = app(&env, None);
    // The article went in as written: the threat is real.
    let api = get_json(&app, "/api/search?q=defector", StatusCode::OK).await;
    let hit = &api["hits"][0];
    assert_eq!(hit["title"], HOSTILE_TITLE);
    assert_eq!(hit["url"], "javascript:alert('url')");
    assert!(hit["text"]
        .as_str()
        .unwrap()
        .contains("<script>alert('passage')</script>"));
    let id = hit["article_id"].as_str().unwrap().to_string();

    let (status, _, results) = get(&app, "/?q=defector").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, article) = get(&app, &format!("/articles/{id}?q=defector")).await;
    assert_eq!(status, StatusCode::OK);
    for html in [&results, &article] {
        let tags = tags_in(html);
        assert!(!tags.contains("script"), "{html}");
        assert!(!tags.contains("img"), "{html}");
        assert!(
            !html.to_ascii_lowercase().contains("href=\"javascript"),
            "{html}"
        );
        // "onerror=" occurs only inside the escaped passage text.
        assert_eq!(
            html.matches("onerror=").count(),
            html.matches("&lt;img src=x onerror=").count(),
            "{html}"
        );
        // The title's matched word may be marked; the rest of it is escaped text.
        assert!(
            html.contains("Defector</mark> &lt;script&gt;alert('title')&lt;/script&gt; speaks")
                || html.contains("Defector &lt;script&gt;alert('title')&lt;/script&gt; speaks"),
            "{html}"
        );
        assert!(
            html.contains("&lt;img src=x onerror=alert('passage')&gt;"),
            "{html}"
        );
        // The URL is shown, as text.
        assert!(html.contains("javascript:alert('url')"), "{html}");
    }
    // The query is echoed escaped too, in the box and in the links.
    let (_, _, echoed) = get(&app, "/?q=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert!(!tags_in(&echoed).contains("script"), "{echoed}");
    assert!(echoed.contains("&quot;&gt;&lt;script&gt;"), "{echoed}");
}

#[tokio::test]
async fn the_search_page_shows_results_facets_and_timeline() {
    let env = Env::new();
    corpus(&env);
    let app = app(&env, None);
    let (status, headers, html) = get(&app, "/?q=officer&limit=2").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    assert!(html.contains("<mark>officer</mark>") || html.contains("<mark>Officer</mark>"));
    assert!(
        html.contains("href=\"/?q=officer&amp;agency=SVR\""),
        "{html}"
    );
    assert!(html.contains("class=\"timeline\""), "{html}");
    assert!(
        html.contains("href=\"/?q=officer&amp;limit=2&amp;offset=2\""),
        "{html}"
    );
    let (_, _, dgse) = get(&app, "/?q=DGSE%20Paris").await;
    assert!(
        dgse.contains("<a class=\"source\" href=\"https://news.example/dgse\""),
        "{dgse}"
    );
    // A filtered page lists the filter with a link that removes it.
    let (_, _, html) = get(&app, "/?q=officer&agency=SVR").await;
    assert!(html.contains("agency: SVR"), "{html}");
    assert!(html.contains("href=\"/?q=officer\""), "{html}");
    // The form keeps the choices of dates, undated articles and copies it was sent.
    let (status, _, html) = get(&app, "/?q=officer&dates=sure&undated=exclude&copies=all").await;
    assert_eq!(status, StatusCode::OK);
    for chosen in [
        "<option value=\"sure\" selected>",
        "<option value=\"exclude\" selected>",
        "<option value=\"all\" selected>",
    ] {
        assert!(html.contains(chosen), "{chosen}: {html}");
    }
    // A bad query is shown on the page with the form, as a 400.
    let (status, _, html) = get(&app, "/?q=%22unclosed").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("role=\"alert\""), "{html}");
    // The saved-queries page and an unknown page.
    let (status, _, html) = get(&app, "/saved").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("No saved queries"), "{html}");
    let (status, _, _) = get(&app, "/articles/0123456789abcdef").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The paths of `docs/openapi.json`, each with its methods.
fn openapi_paths() -> BTreeSet<(String, String)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/openapi.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut out = BTreeSet::new();
    for (p, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            out.insert((p.clone(), method.clone()));
        }
    }
    out
}

#[tokio::test]
async fn the_search_page_marks_titles_and_says_how_it_read_the_words() {
    let env = Env::new();
    corpus(&env);
    let app = app(&env, None);
    let (_, _, html) = get(&app, "/?q=%22Tehran%22").await;
    assert!(
        html.contains("MOIS network in <mark>Tehran</mark>"),
        "{html}"
    );
    // A misspelt word is searched with its respelling, and the page says so.
    let (_, _, html) = get(&app, "/?q=Tehrann").await;
    assert!(
        html.contains("Searched also tehran for “Tehrann”"),
        "{html}"
    );
    assert!(html.contains("<mark>Tehran</mark>"), "{html}");
    // A word no article comes near gets suggestions, each a link to the corrected search.
    let (_, _, html) = get(&app, "/?q=Vienna%20Tehrxxn").await;
    assert!(
        html.contains("No article holds “Tehrxxn”. Did you mean"),
        "{html}"
    );
    assert!(html.contains("href=\"/?q=Vienna%20tehran\""), "{html}");
}

#[tokio::test]
async fn the_openapi_file_describes_the_routes() {
    let described = openapi_paths();
    let served: BTreeSet<(String, String)> = (dossier::serve::api_routes().into_iter())
        .map(|(p, _)| (p.to_string(), "get".to_string()))
        .collect();
    assert_eq!(described, served);
    // And each described route answers from a handler, not from the unknown-route fallback.
    let env = Env::new();
    corpus(&env);
    let app = app(&env, None);
    for (p, _) in &described {
        let uri = p.replace("{id}", "0123456789abcdef").replace("{name}", "x");
        let (_, _, body) = get(&app, &uri).await;
        assert!(!body.contains("no such API route"), "{uri}: {body}");
    }
}

#[test]
fn serve_refuses_a_public_address_without_a_token() {
    let env = Env::new();
    corpus(&env);
    let out = env.run(&["serve", "--listen", "0.0.0.0:0"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("dossier: refusing to listen on 0.0.0.0:0 without a token"),
        "{err}"
    );
    let out = env.run(&["serve", "--listen", "0.0.0.0:0", "--token-file", "absent"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("absent"));
}

/// Starts `dossier serve` on a free port and waits for the line naming the address (the
/// readiness signal), with a deadline.
pub fn start_server(env: &Env, extra: &[&str]) -> (std::process::Child, String) {
    let mut args = vec!["serve", "--listen", "127.0.0.1:0"];
    args.extend_from_slice(extra);
    let mut child = env
        .cmd(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dossier serve");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stderr).lines();
        let first = lines.next().and_then(Result::ok).unwrap_or_default();
        let _ = tx.send(first);
        // Keep draining, so the server never blocks on a full pipe.
        for _ in lines {}
    });
    let line = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("dossier serve did not report its address in time");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    (child, addr)
}

#[test]
fn serve_listens_and_answers_over_tcp() {
    let env = Env::new();
    corpus(&env);
    let (mut child, addr) = start_server(&env, &[]);
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET /api/search?q=officer&limit=1 HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    assert!(resp.contains("\"type\":\"hit\""), "{resp}");
}
