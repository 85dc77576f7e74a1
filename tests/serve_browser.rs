//! `dossier serve` in a real browser: Debian's Chromium driven through chromedriver (WebDriver),
//! against the binary listening on a free port. Searches, filters by a facet bar, pages, opens an
//! article, and loads a hostile article whose `<script>` must stay text. Writes screenshots of
//! the results page under `target/` for people to look at.
//!
//! Skips, saying so, where Chromium or chromedriver is not installed (CI installs both).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

use crate::serve::{corpus, start_server};
use crate::util::Env;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How long any one wait for the browser or a page may take.
const DEADLINE: Duration = Duration::from_secs(60);

/// Kills a child process when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts chromedriver on a free port and waits for its "started successfully" line.
fn start_chromedriver() -> (Killed, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("started successfully") {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(DEADLINE)
        .expect("chromedriver did not report that it started");
    (Killed(child), port)
}

async fn browser(port: u16, profile: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
                format!("--user-data-dir={}", profile.display()),
                "--window-size=1280,900",
            ],
        }),
    );
    ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session")
}

fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn wait_for(client: &Client, css: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(DEADLINE)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
}

/// Clicks the first element `css` finds.
async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css} to click: {e}"))
        .click()
        .await
        .unwrap();
}

/// Asserts the browser's address holds `part`.
async fn assert_url_has(client: &Client, part: &str) {
    let url = client.current_url().await.unwrap();
    assert!(url.as_str().contains(part), "{url} lacks {part}");
}

async fn texts(client: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in client.find_all(Locator::Css(css)).await.unwrap() {
        out.push(e.text().await.unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_searches_filters_pages_and_reads() {
    for tool in [CHROMIUM, CHROMEDRIVER] {
        if !Path::new(tool).exists() {
            eprintln!(
                "skipping: {tool} is not installed (apt-get install chromium chromium-driver); \
                 .ci/run installs it"
            );
            return;
        }
    }
    let env = Env::new();
    corpus(&env);
    let (server, addr) = start_server(&env, &[]);
    let _server = Killed(server);
    let (_driver, port) = start_chromedriver();
    let client = browser(port, &env.path("chromium-profile")).await;
    let base = format!("http://{addr}");

    // Search from the form.
    client.goto(&format!("{base}/")).await.unwrap();
    let q = wait_for(&client, "input[name=q]").await;
    q.send_keys("officer").await.unwrap();
    click(&client, "form.search button[type=submit]").await;
    wait_for(&client, "article.hit").await;
    assert_url_has(&client, "q=officer").await;
    let titles = texts(&client, "article.hit h2").await;
    assert!(titles.len() >= 5, "{titles:?}");
    let png = client.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join("serve-results.png"), png).unwrap();

    // Filter by a facet bar.
    click(&client, "aside.facets a[href*='agency=SVR']").await;
    wait_for(&client, "p.active a.chip").await;
    assert_url_has(&client, "agency=SVR").await;
    let titles = texts(&client, "article.hit h2").await;
    assert_eq!(titles.len(), 4, "{titles:?}");
    assert!(
        titles.iter().all(|t| t.starts_with("Officer ")),
        "{titles:?}"
    );

    // Page through the results, two at a time.
    client
        .goto(&format!("{base}/?q=officer&limit=2"))
        .await
        .unwrap();
    let first = texts(&client, "article.hit h2").await;
    click(&client, "a.next").await;
    wait_for(&client, "a.prev").await;
    assert_url_has(&client, "offset=2").await;
    let second = texts(&client, "article.hit h2").await;
    assert_eq!(second.len(), 2);
    assert!(
        first.iter().all(|t| !second.contains(t)),
        "{first:?} {second:?}"
    );

    // Open an article from its title.
    let title = second[0].clone();
    click(&client, "a.title").await;
    let h1 = wait_for(&client, "article.full h1").await;
    assert_eq!(h1.text().await.unwrap(), title);
    let marks = texts(&client, "div.text mark").await;
    assert!(
        marks.iter().any(|m| m.eq_ignore_ascii_case("officer")),
        "{marks:?}"
    );

    // A hostile article: its markup shows as text, and nothing of it runs.
    client.goto(&format!("{base}/?q=defector")).await.unwrap();
    let h2 = wait_for(&client, "article.hit h2").await;
    assert!(h2
        .text()
        .await
        .unwrap()
        .contains("<script>alert('title')</script>"));
    let scripts = client
        .execute(
            "return document.scripts.length + document.images.length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(scripts, serde_json::json!(0));
    assert!(
        client.get_alert_text().await.is_err(),
        "an alert opened: the article's script ran"
    );
    click(&client, "a.title").await;
    wait_for(&client, "article.full h1").await;
    assert!(client.get_alert_text().await.is_err());
    let links = client
        .execute(
            "return [...document.links].filter(a => !/^https?:/.test(a.href)).length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(links, serde_json::json!(0), "a link that is not http(s)");

    // The results page at a phone's width, for people to look at.
    client.set_window_size(390, 844).await.unwrap();
    client.goto(&format!("{base}/?q=officer")).await.unwrap();
    wait_for(&client, "article.hit").await;
    let png = client.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join("serve-results-phone.png"), png).unwrap();
    let width = client
        .execute("return document.documentElement.scrollWidth", vec![])
        .await
        .unwrap();
    assert!(
        width.as_u64().unwrap() <= 400,
        "the page scrolls sideways: {width}"
    );
    client.close().await.unwrap();
}
