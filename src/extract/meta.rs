//! Page metadata: title, canonical URL, site name, copyright holder, language, and the raw
//! material the date finder needs (`<meta>` pairs and JSON-LD objects).

use std::sync::LazyLock;

use scraper::{Html, Selector};
use serde_json::Value;

use super::normalize_ws;
use super::title::SiteNames;

/// What the page says about itself in its head and structured data.
#[derive(Debug, Default)]
pub struct Meta {
    /// The article's title: the `<h1>` when the head's title holds it, else the head's title.
    pub title: Option<String>,
    /// The head's title as written (og:title, JSON-LD headline or `<title>`).
    pub head_title: Option<String>,
    /// Other names the page gives its site: the holder of its copyright line (`© 2012 SpyNet
    /// News`), the title of its feeds (`SpyNet News » Feed`), the text or logo of its links to
    /// its home page.
    pub site_names: Vec<String>,
    pub url: Option<String>,
    pub site: Option<String>,
    pub language: Option<String>,
    /// JSON-LD `articleBody`, used to check the extracted body.
    pub article_body: Option<String>,
    /// Every JSON-LD object of the page (nested ones included), outermost first.
    pub json_ld: Vec<Value>,
    /// `<meta>` tags as (lowercase name/property/itemprop/http-equiv, content).
    pub metas: Vec<(String, String)>,
}

impl Meta {
    /// The content of the first `<meta>` whose key is one of `keys` (in the order of `keys`).
    pub fn meta(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|k| {
            self.metas
                .iter()
                .find(|(name, v)| name == k && !v.trim().is_empty())
                .map(|(_, v)| v.trim())
        })
    }
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

static META: LazyLock<Selector> = LazyLock::new(|| sel("meta"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| sel("title"));
static H1: LazyLock<Selector> = LazyLock::new(|| sel("h1"));
static CANONICAL: LazyLock<Selector> = LazyLock::new(|| sel("link[rel~=canonical]"));
static HTML_TAG: LazyLock<Selector> = LazyLock::new(|| sel("html"));
static FEED: LazyLock<Selector> = LazyLock::new(|| {
    sel(
        r#"link[rel~=alternate][type="application/rss+xml"], link[rel~=alternate][type="application/atom+xml"]"#,
    )
});
static LINK: LazyLock<Selector> = LazyLock::new(|| sel("a[href]"));
static IMG: LazyLock<Selector> = LazyLock::new(|| sel("img[alt]"));
static JSON_LD: LazyLock<Selector> = LazyLock::new(|| sel(r#"script[type="application/ld+json"]"#));

/// Reads the metadata of a parsed page.
pub fn read(html: &Html) -> Meta {
    let mut m = Meta::default();
    for el in html.select(&META) {
        let v = el.value();
        let Some(content) = v.attr("content") else {
            continue;
        };
        for key in ["name", "property", "itemprop", "http-equiv"] {
            if let Some(k) = v.attr(key) {
                m.metas
                    .push((k.trim().to_ascii_lowercase(), content.to_string()));
            }
        }
    }
    for script in html.select(&JSON_LD) {
        let raw: String = script.text().collect();
        if let Some(v) = parse_json_ld(&raw) {
            collect_objects(&v, &mut m.json_ld, 0);
        }
    }
    m.language = html
        .select(&HTML_TAG)
        .next()
        .and_then(|h| {
            h.value()
                .attr("lang")
                .or_else(|| h.value().attr("xml:lang"))
        })
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .or_else(|| {
            m.meta(&["content-language", "og:locale", "language", "dc.language"])
                .map(|l| l.split(',').next().unwrap_or(l).trim().replace('_', "-"))
        });
    m.site = m
        .meta(&["og:site_name", "application-name", "twitter:site"])
        .map(normalize_ws)
        .or_else(|| ld_string(&m.json_ld, &["publisher"], "name"))
        .filter(|s| !s.is_empty());
    m.url = html
        .select(&CANONICAL)
        .filter_map(|l| l.value().attr("href"))
        .map(str::trim)
        .find(|h| h.starts_with("http"))
        .map(str::to_string)
        .or_else(|| m.meta(&["og:url", "twitter:url"]).map(str::to_string))
        .or_else(|| ld_article(&m.json_ld).and_then(|o| o.get("url")?.as_str().map(String::from)));
    m.article_body =
        ld_article(&m.json_ld).and_then(|o| o.get("articleBody")?.as_str().map(String::from));
    let h1: Option<String> = html
        .select(&H1)
        .map(|h| normalize_ws(&h.text().collect::<String>()))
        .find(|t| !t.is_empty());
    let page_title = html
        .select(&TITLE)
        .next()
        .map(|t| normalize_ws(&t.text().collect::<String>()))
        .filter(|t| !t.is_empty());
    let og = m
        .meta(&["og:title", "twitter:title"])
        .map(normalize_ws)
        .or_else(|| {
            ld_article(&m.json_ld).and_then(|o| o.get("headline")?.as_str().map(normalize_ws))
        });
    m.site_names = copyright_holders(html);
    for name in feed_names(html)
        .into_iter()
        .chain(home_names(html, m.url.as_deref()))
    {
        if !m.site_names.contains(&name) {
            m.site_names.push(name);
        }
    }
    m.head_title = og.or(page_title).map(|t| html_unescape(&t));
    m.title = choose_title(h1, m.head_title.as_deref(), &m.site_names());
    m
}

impl Meta {
    /// What the page says its site is called: its site name, URL host, copyright holders,
    /// feeds and home links.
    pub fn site_names(&self) -> SiteNames {
        let mut names = SiteNames::default();
        self.add_site_names(&mut names);
        names
    }

    /// Adds what the page says its site is called to `names`.
    pub fn add_site_names(&self, names: &mut SiteNames) {
        if let Some(site) = &self.site {
            names.name(site);
        }
        if let Some(url) = &self.url {
            names.url(url);
        }
        for n in &self.site_names {
            names.name(n);
        }
    }
}

/// Picks the article title: the `<h1>` when the head's title holds it (and it is not the site's
/// name, as a logo in an `<h1>` is), else the head's title, og:title first. The site's name is
/// cut later, whichever it is ([`super::title::clean`]).
fn choose_title(h1: Option<String>, head: Option<&str>, site: &SiteNames) -> Option<String> {
    let head = head?;
    if let Some(h1) = h1 {
        let lh = h1.to_lowercase();
        if lh.len() >= 8 && head.to_lowercase().contains(&lh) && !site.names_site(&h1) {
            return Some(h1);
        }
    }
    Some(head.to_string())
}

/// The site names in the titles of the page's feeds: "Bibliothek 2.0 und mehr" of
/// `<link rel="alternate" type="application/rss+xml" title="Bibliothek 2.0 und mehr » Feed">`.
fn feed_names(html: &Html) -> Vec<String> {
    let mut out = Vec::new();
    for link in html.select(&FEED).take(4) {
        let Some(title) = link.value().attr("title").map(normalize_ws) else {
            continue;
        };
        let name = [" » ", " | ", " - ", " – "]
            .iter()
            .find_map(|sep| title.split_once(sep).map(|(a, _)| a.to_string()))
            .unwrap_or_else(|| {
                let words: Vec<&str> = title.split(' ').collect();
                let keep = words.len()
                    - words
                        .iter()
                        .rev()
                        .take_while(|w| {
                            matches!(
                                w.to_lowercase().as_str(),
                                "feed" | "rss" | "atom" | "comments"
                            )
                        })
                        .count();
                words[..keep].join(" ")
            });
        let name = name.trim().to_string();
        if name.chars().count() >= 3 && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The text and logo `alt` of the page's links to its home page (`href="/"`, or the root of its
/// URL's host).
fn home_names(html: &Html, url: Option<&str>) -> Vec<String> {
    let root = url.and_then(|u| {
        let (scheme, rest) = u.split_once("://")?;
        let host = rest.split(['/', '?', '#']).next()?;
        Some(format!("{scheme}://{host}"))
    });
    let is_home = |href: &str| {
        let h = href.trim().trim_end_matches('/');
        h.is_empty()
            || root.as_deref().is_some_and(|r| {
                let r = r
                    .trim_start_matches("https://")
                    .trim_start_matches("http://");
                let h = h
                    .trim_start_matches("https://")
                    .trim_start_matches("http://");
                h.trim_start_matches("www.") == r.trim_start_matches("www.")
            })
    };
    let mut out = Vec::new();
    for a in html.select(&LINK) {
        if !a.value().attr("href").is_some_and(is_home) {
            continue;
        }
        let text = normalize_ws(&a.text().collect::<String>());
        let alts = a
            .select(&IMG)
            .filter_map(|i| i.value().attr("alt"))
            .map(normalize_ws);
        for name in std::iter::once(text).chain(alts) {
            let n = name.chars().count();
            if (3..=60).contains(&n) && !out.contains(&name) {
                out.push(name);
            }
        }
        if out.len() >= 6 {
            break;
        }
    }
    out
}

/// The names copyright lines give: `Copyright © 1996-2012 SpyNet News. All rights reserved.`
/// gives "SpyNet News". At most three, from the text outside scripts and styles.
fn copyright_holders(html: &Html) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for node in html.tree.nodes() {
        let Some(text) = node.value().as_text() else {
            continue;
        };
        let in_code = node
            .parent()
            .and_then(|p| p.value().as_element())
            .is_some_and(|e| matches!(e.name(), "script" | "style" | "noscript"));
        if in_code || !(text.contains('©') || text.to_lowercase().contains("copyright")) {
            continue;
        }
        if let Some(h) = holder(text).filter(|h| !out.contains(h)) {
            out.push(h);
            if out.len() == 3 {
                break;
            }
        }
    }
    out
}

/// The holder a copyright line names, if it names one.
fn holder(line: &str) -> Option<String> {
    let lower = line.to_lowercase();
    let at = lower.find('©').or_else(|| lower.find("copyright"))?;
    let rest = &line[at..];
    let rest = rest.trim_start_matches(|c: char| {
        c == '©'
            || c.is_ascii_digit()
            || c.is_whitespace()
            || matches!(c, '-' | '–' | ',' | '(' | ')')
    });
    let rest = strip_prefix_ci(rest, "copyright").unwrap_or(rest);
    let rest = rest.trim_start_matches(|c: char| {
        c == '©' || c.is_ascii_digit() || c.is_whitespace() || matches!(c, '-' | '–' | ',' | ':')
    });
    let rest = strip_prefix_ci(rest, "(c)").unwrap_or(rest);
    let rest =
        rest.trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace() || c == '-');
    let end = rest
        .find(['.', ',', '|', ';', '\n', '(', '·'])
        .unwrap_or(rest.len());
    let mut name = normalize_ws(&rest[..end]);
    for tail in [
        " all rights reserved",
        " alle rechte vorbehalten",
        " tous droits réservés",
    ] {
        if let Some(i) = name.to_lowercase().find(tail) {
            name.truncate(i);
        }
    }
    let name = name.trim().to_string();
    let n = name.chars().count();
    ((3..=60).contains(&n) && name.chars().any(char::is_alphabetic)).then_some(name)
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    s.get(..prefix.len())
        .filter(|p| p.eq_ignore_ascii_case(prefix))
        .map(|_| &s[prefix.len()..])
}

fn html_unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#039;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// Parses a JSON-LD script body, tolerating HTML comment and CDATA wrappers.
fn parse_json_ld(raw: &str) -> Option<Value> {
    let mut s = raw.trim();
    for (open, close) in [
        ("<!--", "-->"),
        ("<![CDATA[", "]]>"),
        ("//<![CDATA[", "//]]>"),
    ] {
        if let Some(inner) = s.strip_prefix(open) {
            s = inner.trim_end().strip_suffix(close).unwrap_or(inner).trim();
        }
    }
    let s = s.trim_end_matches(';');
    serde_json::from_str(s).ok().or_else(|| {
        // Raw newlines inside strings are common and invalid JSON: read them as spaces.
        let cleaned: String = s
            .chars()
            .map(|c| {
                if c == '\n' || c == '\r' || c == '\t' {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        serde_json::from_str(&cleaned).ok()
    })
}

/// Flattens arrays, `@graph` and nested objects into `out`, outermost first.
fn collect_objects(v: &Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 6 {
        return;
    }
    match v {
        Value::Array(items) => {
            for it in items {
                collect_objects(it, out, depth + 1);
            }
        }
        Value::Object(map) => {
            let mut shallow = map.clone();
            shallow.remove("@graph");
            out.push(Value::Object(shallow));
            for (k, child) in map {
                if k == "@graph" || k == "mainEntity" || k == "hasPart" || k == "itemListElement" {
                    collect_objects(child, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// Whether a JSON-LD object's `@type` names an article-like thing.
pub fn is_article_type(o: &Value) -> bool {
    let check = |t: &str| {
        let t = t.to_ascii_lowercase();
        t.contains("article")
            || t.contains("posting")
            || t == "report"
            || t == "webpage"
            || t == "itempage"
            || t == "creativework"
            || t == "liveblogposting"
            || t == "videoobject"
            || t == "review"
            || t == "blog"
    };
    match o.get("@type") {
        Some(Value::String(t)) => check(t),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).any(check),
        _ => false,
    }
}

/// The first article-like JSON-LD object, preferring real articles over web pages.
pub fn ld_article(objs: &[Value]) -> Option<&Value> {
    let strong = |o: &&Value| {
        is_article_type(o)
            && !matches!(
                o.get("@type").and_then(Value::as_str),
                Some("WebPage" | "ItemPage" | "CreativeWork")
            )
    };
    objs.iter()
        .find(strong)
        .or_else(|| objs.iter().find(|o| is_article_type(o)))
}

fn ld_string(objs: &[Value], path: &[&str], field: &str) -> Option<String> {
    let art = ld_article(objs)?;
    let mut v = art;
    for p in path {
        v = v.get(*p)?;
        if let Value::Array(a) = v {
            v = a.first()?;
        }
    }
    v.get(field)?.as_str().map(normalize_ws)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copyright_lines() {
        assert_eq!(
            holder("Copyright © 1996-2012 SpyNet News. All rights reserved.").as_deref(),
            Some("SpyNet News")
        );
        assert_eq!(
            holder("Copyright © Intelligence Monitor Online. Reproduction prohibited.").as_deref(),
            Some("Intelligence Monitor Online")
        );
        assert_eq!(
            holder("© 2020 The Daily | Privacy").as_deref(),
            Some("The Daily")
        );
        assert_eq!(holder("(c) 2020").as_deref(), None);
        assert_eq!(holder("© 2020").as_deref(), None);
    }

    #[test]
    fn feeds_and_home_links_name_the_site() {
        let html = Html::parse_document(
            r#"<html><head><title>Alles neu | Bibliothek 2.0</title>
<link rel="alternate" type="application/rss+xml" title="Bibliothek 2.0 &raquo; Feed" href="/feed">
<link rel="canonical" href="https://www.entermedia.co.kr/news/1"></head>
<body><a href="/"><img src="logo.png" alt="Entermedia"></a>
<a href="https://entermedia.co.kr/">Startseite</a><a href="/news">News</a></body></html>"#,
        );
        let m = read(&html);
        assert_eq!(m.site_names, ["Bibliothek 2.0", "Entermedia", "Startseite"]);
    }

    #[test]
    fn a_logo_in_h1_is_not_the_title() {
        let html = Html::parse_document(
            r#"<html><head><title>Cloak &amp; Dagger Online: Mole found in Bonn</title></head>
<body><h1>Cloak &amp; Dagger Online</h1><p>© 1999 Cloak &amp; Dagger Online</p></body></html>"#,
        );
        let m = read(&html);
        assert_eq!(m.site_names, ["Cloak & Dagger Online"]);
        assert_eq!(
            m.title.as_deref(),
            Some("Cloak & Dagger Online: Mole found in Bonn")
        );
    }

    #[test]
    fn reads_head_and_json_ld() {
        let html = Html::parse_document(
            r#"<html lang="fr"><head><title>Le titre - Le Site</title>
<link rel="canonical" href="https://site.example/a">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle","headline":"Le titre","datePublished":"2020-01-02","publisher":{"@type":"Organization","name":"Le Site"},"articleBody":"Corps"}]}</script>
</head><body><h1>Le titre</h1></body></html>"#,
        );
        let m = read(&html);
        assert_eq!(m.title.as_deref(), Some("Le titre"));
        assert_eq!(m.site.as_deref(), Some("Le Site"));
        assert_eq!(m.language.as_deref(), Some("fr"));
        assert_eq!(m.url.as_deref(), Some("https://site.example/a"));
        assert_eq!(m.article_body.as_deref(), Some("Corps"));
        assert!(ld_article(&m.json_ld).is_some());
    }
}
