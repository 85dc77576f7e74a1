//! Page metadata: title without the site-name suffix, canonical URL, site name, language, and
//! the raw material the date finder needs (`<meta>` pairs and JSON-LD objects).

use std::sync::LazyLock;

use scraper::{Html, Selector};
use serde_json::Value;

use super::normalize_ws;

/// What the page says about itself in its head and structured data.
#[derive(Debug, Default)]
pub struct Meta {
    pub title: Option<String>,
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
    m.title = choose_title(h1, og, page_title, m.site.as_deref());
    m
}

/// Picks the article title: the `<h1>` when the head's title agrees with it, else the head's
/// title (og:title first) with the site-name part cut off.
fn choose_title(
    h1: Option<String>,
    og: Option<String>,
    page_title: Option<String>,
    site: Option<&str>,
) -> Option<String> {
    let head = og.or(page_title)?;
    let head = html_unescape(&head);
    if let Some(h1) = h1 {
        let lh = h1.to_lowercase();
        if lh.len() >= 8 && head.to_lowercase().contains(&lh) {
            return Some(h1);
        }
    }
    Some(strip_site_suffix(&head, site))
}

/// Removes " | Site", " - Site" and similar parts that name the site rather than the article.
pub fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    const SEPS: &[&str] = &[
        " | ", " – ", " — ", " - ", " :: ", " · ", " « ", " » ", " • ", " / ",
    ];
    let Some(sep) = SEPS.iter().find(|s| title.contains(**s)) else {
        return title.to_string();
    };
    let parts: Vec<&str> = title.split(sep).map(str::trim).collect();
    let site_l = site.map(|s| s.to_lowercase());
    let is_site = |p: &str| {
        let pl = p.to_lowercase();
        site_l.as_deref().is_some_and(|s| {
            !s.is_empty() && (pl == s || pl.contains(s) || s.contains(&pl) && pl.len() > 2)
        })
    };
    let kept: Vec<&str> = parts.iter().copied().filter(|p| !is_site(p)).collect();
    if kept.len() < parts.len() && !kept.is_empty() {
        return kept.join(sep);
    }
    // No known site name: drop a short last part (the usual place of the site's name).
    let last = parts[parts.len() - 1];
    let rest = parts[..parts.len() - 1].join(sep);
    if parts.len() >= 2 && last.chars().count() <= 30 && rest.chars().count() > last.chars().count()
    {
        return rest;
    }
    let first = parts[0];
    if parts.len() == 2
        && first.chars().count() <= 25
        && last.chars().count() > 2 * first.chars().count()
    {
        return last.to_string();
    }
    title.to_string()
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
    fn title_suffixes() {
        assert_eq!(
            strip_site_suffix("Spy arrested | The Daily", Some("The Daily")),
            "Spy arrested"
        );
        assert_eq!(
            strip_site_suffix("Spy ring uncovered in the port - BBC News", None),
            "Spy ring uncovered in the port"
        );
        assert_eq!(
            strip_site_suffix("No separator here", None),
            "No separator here"
        );
        assert_eq!(
            strip_site_suffix(
                "Daily :: A long title about the intelligence services",
                Some("Daily")
            ),
            "A long title about the intelligence services"
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
