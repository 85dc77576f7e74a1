//! Publication dates, from the most trusted source a page carries to the least:
//! JSON-LD `datePublished`, publication `<meta>` tags (article:published_time, Dublin Core,
//! Parse.ly, Sailthru...), `itemprop=datePublished`, `<time datetime>` in the byline, byline
//! text in many languages and formats, the URL path, and finally dates in the page text.
//!
//! Modified/updated dates are never taken, nor dates after today or before 1995 (no news page
//! is older): no date is better than a wrong one.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use time::{Date, Month};

use super::meta::{is_article_type, Meta};

/// Where a publication date was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSource {
    /// JSON-LD `datePublished` / `dateCreated`.
    JsonLd,
    /// A publication `<meta>` tag.
    Meta,
    /// A `<time datetime>` element or an `itemprop=datePublished` element.
    Time,
    /// The visible byline or date line.
    Byline,
    /// The URL path (`/2020/07/13/`).
    Url,
    /// A Markdown file's front matter (`date:`).
    FrontMatter,
    /// A date in the text (plain-text headers, or the page text as a last resort).
    Text,
}

impl DateSource {
    /// Whether a date from this source is one the publisher stated as the publication date: a
    /// machine-readable publication field (JSON-LD, meta tag, `<time>`, front matter) or the
    /// byline by the title. A date read from the URL or picked out of the text is a guess.
    pub fn is_sure(&self) -> bool {
        !matches!(self, DateSource::Url | DateSource::Text)
    }

    /// The source of a short name ([`DateSource::as_str`]).
    pub fn from_name(name: &str) -> Option<DateSource> {
        [
            DateSource::JsonLd,
            DateSource::Meta,
            DateSource::Time,
            DateSource::Byline,
            DateSource::Url,
            DateSource::FrontMatter,
            DateSource::Text,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }

    /// The short name used in output: "json-ld", "meta", "time", "byline", "url",
    /// "front-matter", "text".
    pub fn as_str(&self) -> &'static str {
        match self {
            DateSource::JsonLd => "json-ld",
            DateSource::Meta => "meta",
            DateSource::Time => "time",
            DateSource::Byline => "byline",
            DateSource::Url => "url",
            DateSource::FrontMatter => "front-matter",
            DateSource::Text => "text",
        }
    }
}

impl std::fmt::Display for DateSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `<meta>` keys that carry the publication date, most specific first.
const META_KEYS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "published_time",
    "article:published",
    "article.published",
    "article_date_original",
    "datepublished",
    "date_published",
    "publish-date",
    "publish_date",
    "publishdate",
    "published-date",
    "published_date",
    "publication_date",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date.published",
    "dc.date",
    "dcterms.date",
    "citation_publication_date",
    "citation_date",
    "cxenseparse:recs:publishtime",
    "originalpublicationdate",
    "rnews:datepublished",
    "og:pubdate",
    "bt:pubdate",
    "prism.publicationdate",
    "article:post_date",
];

/// Generic `<meta>` keys: a page's own byline `<time>` is more specific than these.
const GENERIC_META_KEYS: &[&str] = &["date", "created", "displaydate", "dc.created"];

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

static ITEMPROP_PUB: LazyLock<Selector> = LazyLock::new(|| {
    sel(
        "[itemprop=datePublished], [itemprop=dateCreated], [property$=datePublished], \
         [property$=dateCreated]",
    )
});
static TIME: LazyLock<Selector> = LazyLock::new(|| sel("time"));
static BYLINE: LazyLock<Selector> = LazyLock::new(|| {
    sel(
        "[class*=date], [id*=date], [class*=time], [class*=byline], [class*=publish], \
         [id*=publish], [class*=posted], [class*=meta], [class*=Date], [class*=Time], \
         [class*=Byline], [class*=datum], [class*=fecha], [class*=data], [id*=time], \
         [class*=author], [class*=info], [data-testid*=date], abbr[title]",
    )
});
static BODY: LazyLock<Selector> = LazyLock::new(|| sel("body"));
static H1: LazyLock<Selector> = LazyLock::new(|| sel("h1"));

/// How to read ambiguous dates on one page.
#[derive(Clone, Copy)]
struct Ctx {
    /// `04/05/2020` is April 5 (US usage) rather than 4 May.
    month_first: bool,
    /// Hours from UTC of the page's likely local time (from its language), used to turn a
    /// UTC timestamp into the day the publisher printed.
    utc_offset: Option<f32>,
    /// Hours from UTC the page writes in its own timestamps (`-04:00`): the publisher's
    /// clock, daylight time included, which outranks a guess from the language.
    stated_offset: Option<f32>,
}

/// Finds the publication date of a parsed page (`raw` is its decoded source) and where it
/// came from.
pub fn find(html: &Html, raw: &str, meta: &Meta) -> Option<(Date, DateSource)> {
    let lang = meta.language.as_deref().unwrap_or("").to_ascii_lowercase();
    let cx = Ctx {
        month_first: lang == "en-us" || lang == "en",
        utc_offset: utc_offset(&lang),
        stated_offset: stated_offset(raw),
    };
    if let Some(d) = from_json_ld(&meta.json_ld, cx) {
        return Some((d, DateSource::JsonLd));
    }
    if let Some(d) = from_meta(meta, META_KEYS, cx) {
        return Some((d, DateSource::Meta));
    }
    if let Some(d) = from_itemprop(html, cx) {
        return Some((d, DateSource::Time));
    }
    if let Some(d) = from_time(html, cx) {
        return Some((d, DateSource::Time));
    }
    if let Some(d) = from_meta(meta, GENERIC_META_KEYS, cx) {
        return Some((d, DateSource::Meta));
    }
    if let Some(d) = from_json_keys(raw, cx) {
        return Some((d, DateSource::JsonLd));
    }
    if let Some(d) = from_byline(html, cx) {
        return Some((d, DateSource::Byline));
    }
    if let Some(d) = meta.url.as_deref().and_then(from_url) {
        return Some((d, DateSource::Url));
    }
    if meta.url.is_none() {
        if let Some(d) = redirect_target(html).as_deref().and_then(from_url) {
            return Some((d, DateSource::Url));
        }
    }
    from_text(html, cx).map(|d| (d, DateSource::Text))
}

/// Typical offset from UTC (standard time) of the places a language tag points to; `None`
/// where a language spans many time zones (plain "en", "es", "pt").
fn utc_offset(lang: &str) -> Option<f32> {
    let (primary, region) = match lang.split_once(['-', '_']) {
        Some((p, r)) => (p, r),
        None => (lang, ""),
    };
    let by_region = match region {
        "us" | "ca" => Some(-5.0),
        "gb" | "ie" => Some(0.0),
        "au" => Some(10.0),
        "nz" => Some(12.0),
        "in" => Some(5.5),
        "br" => Some(-3.0),
        "mx" => Some(-6.0),
        "ar" | "cl" => Some(-3.0),
        "za" => Some(2.0),
        _ => None,
    };
    if by_region.is_some() {
        return by_region;
    }
    match primary {
        "de" | "fr" | "it" | "nl" | "pl" | "cs" | "sk" | "hu" | "sv" | "da" | "no" | "nb"
        | "nn" | "hr" | "sl" | "sr" | "bs" | "ca" | "lb" | "mk" | "sq" => Some(1.0),
        "el" | "fi" | "ro" | "bg" | "uk" | "lt" | "lv" | "et" | "he" => Some(2.0),
        "ru" | "tr" | "ar" | "be" => Some(3.0),
        "fa" => Some(3.5),
        "hi" => Some(5.5),
        "id" | "th" | "vi" => Some(7.0),
        "zh" => Some(8.0),
        "ja" | "ko" => Some(9.0),
        _ => None,
    }
}

// ASCII digits and word edges (`(?-u)`): with Unicode ones the regex engine leaves its fast
// automaton for a slow one on any page that is not ASCII, and this runs over every page's
// whole markup (it was 17 % of indexing time).
static OFFSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u)\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?([+-])(\d{2}):?(\d{2})\b|\d{2}:\d{2}:\d{2} ([+-])(\d{2})(\d{2})\b",
    )
        .expect("static regex")
});

/// The offset from UTC most of the page's timestamps are written in, when they carry one
/// other than UTC (`2020-05-01T22:54:29-04:00`, `Fri, 01 May 2020 23:00:00 -0400`).
fn stated_offset(raw: &str) -> Option<f32> {
    let mut counts: Vec<(i32, usize)> = Vec::new();
    for c in OFFSET.captures_iter(raw) {
        let at = if c.get(1).is_some() { 1 } else { 4 };
        let (Ok(h), Ok(m)) = (c[at + 1].parse::<i32>(), c[at + 2].parse::<i32>()) else {
            continue;
        };
        if h > 14 || m >= 60 || h == 0 && m == 0 {
            continue;
        }
        let minutes = if &c[at] == "-" {
            -(h * 60 + m)
        } else {
            h * 60 + m
        };
        match counts.iter_mut().find(|(o, _)| *o == minutes) {
            Some((_, n)) => *n += 1,
            None => counts.push((minutes, 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(o, _)| o as f32 / 60.0)
}

fn from_json_ld(objs: &[Value], cx: Ctx) -> Option<Date> {
    let get = |o: &Value, k: &str| {
        o.get(k)
            .and_then(Value::as_str)
            .and_then(|v| parse_value(v, cx))
    };
    objs.iter()
        .filter(|o| is_article_type(o))
        .find_map(|o| get(o, "datePublished"))
        .or_else(|| objs.iter().find_map(|o| get(o, "datePublished")))
        .or_else(|| {
            objs.iter()
                .filter(|o| is_article_type(o))
                .find_map(|o| get(o, "dateCreated"))
        })
}

fn from_meta(meta: &Meta, keys: &[&str], cx: Ctx) -> Option<Date> {
    for key in keys {
        for (k, v) in &meta.metas {
            if k == key {
                if let Some(d) = parse_value(v, cx) {
                    return Some(d);
                }
            }
        }
    }
    // Parse.ly puts a JSON object in one meta tag.
    if let Some(v) = meta.meta(&["parsely-page"]) {
        if let Ok(Value::Object(o)) = serde_json::from_str::<Value>(v) {
            if let Some(d) = o
                .get("pub_date")
                .and_then(Value::as_str)
                .and_then(|v| parse_value(v, cx))
            {
                return Some(d);
            }
        }
    }
    None
}

static JSON_KEYS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)["'](?:datePublished|publishedDate|publishDate|published_at|publishedAt|pubDate|firstPublishedDate|metaFirstPublishedDate|date_published|publish_date|publicationDate|article_date_published|first_published_at|createdDate)["']\s*:\s*["']([^"']{6,40})["']"#,
    )
    .expect("static regex")
});

/// Publication keys in scripts' JSON state (`"publishedDate": "..."`), which single-page
/// sites carry instead of JSON-LD.
fn from_json_keys(raw: &str, cx: Ctx) -> Option<Date> {
    JSON_KEYS
        .captures_iter(raw)
        .find_map(|c| parse_value(&c[1], cx))
}

/// Whether an element or one of its close ancestors is about modification or lives in a
/// comment/related/sidebar area.
fn bad_context(el: ElementRef<'_>) -> bool {
    let mut node = Some(el);
    let mut in_header = false;
    // A sidebar inside the article element describes that article (credits, date).
    let in_article = el
        .ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| a.value().name() == "article");
    let mut depth = 0;
    while let Some(e) = node {
        let v = e.value();
        // Page-wide classes (`has-sidebar`, `comments-open`) say nothing about this element.
        if matches!(v.name(), "main" | "article") {
            return false;
        }
        if matches!(v.name(), "body" | "html") {
            // A date in the site's masthead (outside any article) is today's edition.
            return in_header;
        }
        if v.name() == "header" {
            in_header = true;
        }
        let hints = format!(
            "{} {}",
            v.attr("class").unwrap_or(""),
            v.attr("id").unwrap_or("")
        )
        .to_ascii_lowercase();
        if depth < 2
            && (hints.contains("modif") || hints.contains("updat") || hints.contains("edited"))
        {
            return true;
        }
        // Only close containers count: themes name far wrappers `sidebar-layout` and such.
        if depth <= 5
            && (hints.contains("comment")
                || hints.contains("related")
                || hints.contains("sidebar") && !in_article
                || hints.contains("widget")
                || hints.contains("recommend")
                || matches!(v.name(), "aside" | "footer" | "nav"))
        {
            return true;
        }
        if let Some(ip) = v.attr("itemprop") {
            if ip.eq_ignore_ascii_case("datemodified") {
                return true;
            }
        }
        node = e.parent().and_then(ElementRef::wrap);
        depth += 1;
        if depth > 40 {
            break;
        }
    }
    false
}

/// The element's text with a space between text nodes (`Mai<span>06</span>2018`).
fn spaced_text(el: ElementRef<'_>) -> String {
    let mut s = String::new();
    for t in el.text() {
        s.push_str(t);
        s.push(' ');
        if s.len() > 2000 {
            break;
        }
    }
    super::normalize_ws(&s)
}

fn from_itemprop(html: &Html, cx: Ctx) -> Option<Date> {
    for el in html.select(&ITEMPROP_PUB) {
        let v = el.value();
        let attr = v.attr("content").or(v.attr("datetime")).or(v.attr("value"));
        if let Some(d) = attr.and_then(|a| parse_value(a, cx)) {
            return Some(d);
        }
        if let Some(d) = first_date(&spaced_text(el), cx) {
            return Some(d);
        }
    }
    None
}

fn from_time(html: &Html, cx: Ctx) -> Option<Date> {
    let mut first_plain = None;
    for el in html.select(&TIME) {
        if bad_context(el) {
            continue;
        }
        let v = el.value();
        let class = v.attr("class").unwrap_or("").to_ascii_lowercase();
        let d = v
            .attr("datetime")
            .and_then(|a| parse_value(a, cx))
            .or_else(|| published_in(&spaced_text(el), cx));
        let Some(d) = d else { continue };
        if v.attr("pubdate").is_some()
            || class.contains("publish")
            || class.contains("entry-date")
            || class.contains("posted")
        {
            return Some(d);
        }
        if first_plain.is_none() {
            first_plain = Some(d);
        }
    }
    first_plain
}

fn from_byline(html: &Html, cx: Ctx) -> Option<Date> {
    let body = html.select(&BODY).next()?;
    for el in body.select(&BYLINE) {
        if matches!(el.value().name(), "body" | "html" | "script" | "style") {
            continue;
        }
        if bad_context(el) {
            continue;
        }
        if let Some(t) = el.value().attr("title") {
            if let Some(d) = parse_value(t, cx) {
                return Some(d);
            }
        }
        let text = spaced_text(el);
        if text.is_empty() || text.len() > 250 {
            continue;
        }
        if let Some(d) = published_in(&text, cx) {
            return Some(d);
        }
    }
    None
}

/// The date in a byline text; with both a published and an updated date, the one not
/// introduced by an update word.
fn published_in(text: &str, cx: Ctx) -> Option<Date> {
    let found = dates_in(text, cx.month_first);
    let lower = text.to_lowercase();
    for (pos, d) in &found {
        let mut end = (*pos).min(lower.len());
        while !lower.is_char_boundary(end) {
            end -= 1;
        }
        let before = &lower[..end];
        let window_start = before.char_indices().rev().nth(25).map_or(0, |(i, _)| i);
        let window = &before[window_start..];
        if UPDATE_WORDS.iter().any(|w| window.contains(w)) {
            continue;
        }
        return Some(*d);
    }
    None
}

const UPDATE_WORDS: &[&str] = &[
    "updated",
    "update",
    "modified",
    "aktualisiert",
    "geändert",
    "mis à jour",
    "actualizado",
    "actualización",
    "aggiornato",
    "atualizado",
    "bijgewerkt",
    "обновлено",
    "last edit",
];

static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d{2})[/_-]([01]?\d)[/_-]([0-3]?\d)(?:[/_.-]|$)|/((?:19|20)\d{2})([01]\d)([0-3]\d)(?:[/_.-]|$)")
        .expect("static regex")
});

/// A date in the URL path such as `/2020/07/13/` or `/2020-07-13-title`.
pub fn from_url(url: &str) -> Option<Date> {
    let c = URL_DATE.captures(url)?;
    let (y, m, d) = if c.get(1).is_some() {
        (&c[1], &c[2], &c[3])
    } else {
        (&c[4], &c[5], &c[6])
    };
    ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

static REFRESH: LazyLock<Selector> = LazyLock::new(|| sel("meta[http-equiv]"));
static SCRIPT: LazyLock<Selector> = LazyLock::new(|| sel("script:not([src])"));
static JS_REDIRECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"location(?:\.href\s*=|\s*=|\.replace\(|\.assign\()\s*["'](https?://[^"'\s]+)["']"#,
    )
    .expect("static regex")
});

/// The address a stub page sends the reader on to (`<meta http-equiv=refresh>`, or a script
/// setting `location` to a literal URL), when the page shows next to nothing itself: such a
/// page stands for the article it loads, so that article's URL dates it.
fn redirect_target(html: &Html) -> Option<String> {
    let refresh = html
        .select(&REFRESH)
        .filter(|m| {
            m.value()
                .attr("http-equiv")
                .is_some_and(|h| h.trim().eq_ignore_ascii_case("refresh"))
        })
        .find_map(|m| {
            let content = m.value().attr("content")?;
            let at = content.to_ascii_lowercase().find("url=")?;
            let url = content[at + 4..].trim().trim_matches(['"', '\'']);
            url.starts_with("http").then(|| url.to_string())
        });
    let target = refresh.or_else(|| {
        html.select(&SCRIPT).find_map(|s| {
            let code: String = s.text().collect();
            JS_REDIRECT.captures(&code).map(|c| c[1].to_string())
        })
    })?;
    let shown = visible_text(html)
        .split_whitespace()
        .map(str::len)
        .sum::<usize>();
    (shown <= STUB_TEXT).then_some(target)
}

/// The most visible text, in bytes without spaces, a page that only redirects shows
/// ("You are being redirected...").
const STUB_TEXT: usize = 300;

/// The visible text of the body: scripts, styles and comment/related/sidebar areas left out.
fn visible_text(html: &Html) -> String {
    use ego_tree::iter::Edge;
    let mut out = String::new();
    let mut skip: Option<ego_tree::NodeId> = None;
    // Depth of open <article> elements: a sidebar inside one is about that article.
    let mut articles = 0usize;
    let Some(body) = html.select(&BODY).next() else {
        return out;
    };
    for edge in body.traverse() {
        match edge {
            Edge::Open(n) => {
                if skip.is_some() {
                    continue;
                }
                if let Some(el) = ElementRef::wrap(n) {
                    let name = el.value().name();
                    let hints = format!(
                        "{} {}",
                        el.value().attr("class").unwrap_or(""),
                        el.value().attr("id").unwrap_or("")
                    )
                    .to_ascii_lowercase();
                    if name == "script" {
                        if let Some(shown) = written_by_script(el) {
                            out.push_str(&shown);
                        }
                    }
                    if matches!(
                        name,
                        "script"
                            | "style"
                            | "noscript"
                            | "template"
                            | "nav"
                            | "aside"
                            | "footer"
                            | "select"
                    ) || !matches!(name, "body" | "main" | "article")
                        && (hints.contains("comment")
                            || hints.contains("related")
                            || hints.contains("sidebar") && articles == 0)
                    {
                        skip = Some(n.id());
                    } else {
                        if name == "article" {
                            articles += 1;
                        }
                        if super::elements::BLOCK_TAGS.contains(&name) {
                            out.push('\n');
                        }
                    }
                } else if let Some(t) = n.value().as_text() {
                    // Lines are the page's blocks, not the line breaks of its source.
                    out.extend(t.chars().map(|c| if c == '\n' { ' ' } else { c }));
                }
            }
            Edge::Close(n) => {
                if skip == Some(n.id()) {
                    skip = None;
                } else if skip.is_none() {
                    let name = n.value().as_element().map(|e| e.name());
                    if name == Some("article") {
                        articles = articles.saturating_sub(1);
                    }
                    // A block ends its line too: `<div>August 06, 2019</div><a>Comments</a>`
                    // must not read "2019Comments", where no date ends.
                    if name.is_some_and(|n| super::elements::BLOCK_TAGS.contains(&n)) {
                        out.push('\n');
                    }
                }
            }
        }
        if out.len() > 300_000 {
            break;
        }
    }
    out
}

static WRITE_CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^\s*(?:document\.write(?:ln)?|[A-Za-z_$][\w$]*)\(\s*["']([^"'<>]{6,60})["']\s*\);?\s*$"#,
    )
    .expect("static regex")
});

/// What an inline script in the body prints where it stands, when it is one call with a
/// date literal (`<script>showDate("2020/04/17 01:43")</script>`): old CMSs write their
/// date lines so, and a reader of the page sees that date there.
fn written_by_script(el: ElementRef<'_>) -> Option<String> {
    if el.value().attr("src").is_some() {
        return None;
    }
    let code: String = el.text().collect();
    let literal = WRITE_CALL.captures(&code)?.get(1)?.as_str();
    dates_in(literal, false)
        .first()
        .map(|_| format!(" {literal} "))
}

/// Last resort: a date following a publication word in the page text, else the first date
/// after the title (`<h1>`), else the first date of the visible text.
fn from_text(html: &Html, cx: Ctx) -> Option<Date> {
    let text = visible_text(html);
    let lower = text.to_lowercase();
    if lower.len() == text.len() {
        for word in PUBLISH_WORDS {
            let mut from = 0;
            while let Some(p) = lower[from..].find(word) {
                let start = from + p + word.len();
                let mut end = (start + 60).min(lower.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                // Lowercasing kept the length but may have moved boundaries: read safely.
                if let Some(d) = text.get(start..end).and_then(|t| first_date(t, cx)) {
                    return Some(d);
                }
                from = start;
            }
        }
    }
    if let Some(h1) = html.select(&H1).next() {
        let title = spaced_text(h1);
        if title.len() > 10 {
            let flat = super::normalize_ws(&text);
            if let Some(p) = flat.find(&title) {
                let start = p + title.len();
                let mut end = (start + 400).min(flat.len());
                while !flat.is_char_boundary(end) {
                    end -= 1;
                }
                if let Some(d) = first_date(&flat[start..end], cx) {
                    return Some(d);
                }
            }
        }
    }
    short_line_date(&text, cx)
}

/// The first date standing in a short block of its own (`August 06, 2019`, `Mo, 13.07.2020
/// 10:15`) or opening one, the way pages print a date line. A date inside prose is left alone:
/// it dates what the sentence tells (`On July 31, senators ...`), not the page.
fn short_line_date(text: &str, cx: Ctx) -> Option<Date> {
    text.lines().map(super::normalize_ws).find_map(|l| {
        let short = l.chars().count() <= SHORT_LINE;
        // A paragraph may open with its dateline: `27.1.2022 - Bei der Erinnerung ...`.
        let (pos, d) = dates_in(&l, cx.month_first).into_iter().next()?;
        (short || pos == 0).then_some(d)
    })
}

/// The longest block, in characters, whose date is read as a date line.
const SHORT_LINE: usize = 80;

const PUBLISH_WORDS: &[&str] = &[
    "published",
    "posted",
    "submitted",
    "gespeichert",
    "geschrieben",
    "verfasst",
    "veröffentlicht",
    "veröffentlichung",
    "erschienen",
    "publié",
    "publicado",
    "pubblicato",
    "gepubliceerd",
    "opublikowano",
    "publicerad",
    "udgivet",
    "publisert",
    "опубликовано",
    "datum:",
    "date:",
    "stand:",
    "fecha:",
    "data:",
];

static DATETIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^((?:19|20)\d{2})-?([01]\d)-?([0-3]\d)[T ](\d{2}):?(\d{2})(?::?\d{2})?(?:[.,]\d+)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?",
    )
    .expect("static regex")
});

/// Parses a date from an attribute or JSON value: a timestamp in UTC is moved to the page's
/// local day; else ISO 8601 as written; else any textual date.
fn parse_value(s: &str, cx: Ctx) -> Option<Date> {
    let s = s.trim();
    if let Some(c) = DATETIME.captures(s) {
        let date = ymd(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?;
        let utc = c.get(6).is_some_and(|z| {
            matches!(
                z.as_str(),
                "Z" | "UTC" | "GMT" | "+00:00" | "+0000" | "-00:00"
            )
        });
        let hour: f32 = c[4].parse::<f32>().ok()? + c[5].parse::<f32>().ok()? / 60.0;
        if let (true, Some(off)) = (utc, cx.stated_offset) {
            return local_day(date, hour + off);
        }
        if let (true, Some(off)) = (utc, cx.utc_offset) {
            let summer = matches!(u8::from(date.month()), 4..=9)
                || (date.month() == Month::March && date.day() >= 26)
                || (date.month() == Month::October && date.day() <= 25);
            // Northern-hemisphere daylight time where the offset has it (Europe, North America).
            let dst = if summer && (-9.0..=3.0).contains(&off) && off != 0.0 || summer && off == 0.0
            {
                1.0
            } else {
                0.0
            };
            return local_day(date, hour + off + dst);
        }
        return Some(date);
    }
    parse_attr(s)
}

/// The day of `date` at `hour` local time, which may run into the day before or after.
fn local_day(date: Date, hour: f32) -> Option<Date> {
    if hour >= 24.0 {
        date.next_day().filter(|d| *d <= today())
    } else if hour < 0.0 {
        date.previous_day()
    } else {
        Some(date)
    }
}

/// Today (UTC), read once: dates after it are typos or scheduled events, never publication.
fn today() -> Date {
    static TODAY: LazyLock<Date> = LazyLock::new(|| time::OffsetDateTime::now_utc().date());
    *TODAY
}

/// Parses a date from an attribute value: ISO 8601 first, then any textual date.
pub fn parse_attr(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.len() >= 8 {
        let b = s.as_bytes();
        if b[..4].iter().all(u8::is_ascii_digit) {
            if let Some(d) = ISO
                .captures(s)
                .and_then(|c| ymd(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?))
            {
                return Some(d);
            }
            if b[..8].iter().all(u8::is_ascii_digit) && (s.len() == 8 || !b[8].is_ascii_digit()) {
                return ymd(
                    s[..4].parse().ok()?,
                    s[4..6].parse().ok()?,
                    s[6..8].parse().ok()?,
                );
            }
        }
    }
    first_date_in_text(s)
}

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((?:19|20)\d{2})[-/.]([01]?\d)[-/.]([0-3]?\d)(?:$|[T\s_]|\d{2}:)")
        .expect("static regex")
});

/// The first plausible date in a free text (any supported format and language).
pub fn first_date_in_text(s: &str) -> Option<Date> {
    dates_in(s, false).into_iter().next().map(|(_, d)| d)
}

fn first_date(s: &str, cx: Ctx) -> Option<Date> {
    dates_in(s, cx.month_first)
        .into_iter()
        .next()
        .map(|(_, d)| d)
}

static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \b((?:19|20)\d{2})[-/.]\s?([01]?\d)[-/.]\s?([0-3]?\d)              # 1: Y-M-D
        | \b([0-3]?\d)\.\s?([01]?\d)\.\s?((?:19|20)\d{2})\b               # 4: D.M.Y
        | \b(\d{1,2})[/-](\d{1,2})[/-]((?:19|20)\d{2})\b                  # 7: D/M/Y or M/D/Y
        | ((?:19|20)\d{2})\s?年\s?(\d{1,2})\s?月\s?(\d{1,2})\s?日          # 10: CJK
        | ((?:19|20)\d{2})년\s?(\d{1,2})월\s?(\d{1,2})일                  # 13: Korean
        ",
    )
    .expect("static regex")
});

static TEXTUAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \b(\d{1,2})(?:st|nd|rd|th|er|º)?\.?\s*(?:de\s+|of\s+)?(\p{L}{3,12})\.?,?\s*(?:de\s+|del\s+)?((?:19|20)\d{2})\b
        | \b(\p{L}{3,12})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})\b
        ",
    )
    .expect("static regex")
});

/// All dates found in `s`, with their byte offsets, in text order.
fn dates_in(s: &str, month_first: bool) -> Vec<(usize, Date)> {
    let mut out = Vec::new();
    for c in NUMERIC.captures_iter(s) {
        let pos = c.get(0).map_or(0, |m| m.start());
        let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let d = if c.get(1).is_some() {
            num(1)
                .zip(num(2))
                .zip(num(3))
                .and_then(|((y, m), d)| ymd(y as i32, m, d))
        } else if c.get(4).is_some() {
            num(6)
                .zip(num(5))
                .zip(num(4))
                .and_then(|((y, m), d)| ymd(y as i32, m, d))
        } else if c.get(7).is_some() {
            match (num(7), num(8), num(9)) {
                (Some(a), Some(b), Some(y)) => {
                    let y = y as i32;
                    if a > 12 {
                        ymd(y, b, a)
                    } else if b > 12 || month_first {
                        ymd(y, a, b)
                    } else {
                        ymd(y, b, a)
                    }
                }
                _ => None,
            }
        } else if c.get(10).is_some() {
            num(10)
                .zip(num(11))
                .zip(num(12))
                .and_then(|((y, m), d)| ymd(y as i32, m, d))
        } else {
            num(13)
                .zip(num(14))
                .zip(num(15))
                .and_then(|((y, m), d)| ymd(y as i32, m, d))
        };
        if let Some(d) = d {
            out.push((pos, d));
        }
    }
    for c in TEXTUAL.captures_iter(s) {
        let pos = c.get(0).map_or(0, |m| m.start());
        let d = if let Some(day) = c.get(1) {
            month_number(&c[2]).and_then(|m| ymd(c[3].parse().ok()?, m, day.as_str().parse().ok()?))
        } else {
            month_number(&c[4]).and_then(|m| ymd(c[6].parse().ok()?, m, c[5].parse().ok()?))
        };
        if let Some(d) = d {
            out.push((pos, d));
        }
    }
    out.sort_by_key(|(p, _)| *p);
    out
}

/// The month number of a month name or abbreviation in the supported languages.
fn month_number(name: &str) -> Option<u32> {
    let n = name.to_lowercase();
    let n = n.trim_end_matches('.');
    const MONTHS: &[(&str, u32)] = &[
        // English
        ("january", 1),
        ("february", 2),
        ("march", 3),
        ("april", 4),
        ("may", 5),
        ("june", 6),
        ("july", 7),
        ("august", 8),
        ("september", 9),
        ("october", 10),
        ("november", 11),
        ("december", 12),
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("sept", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
        // German
        ("januar", 1),
        ("jänner", 1),
        ("februar", 2),
        ("märz", 3),
        ("maerz", 3),
        ("mai", 5),
        ("juni", 6),
        ("juli", 7),
        ("oktober", 10),
        ("dezember", 12),
        ("okt", 10),
        ("dez", 12),
        ("mrz", 3),
        // French
        ("janvier", 1),
        ("février", 2),
        ("fevrier", 2),
        ("mars", 3),
        ("avril", 4),
        ("juin", 6),
        ("juillet", 7),
        ("août", 8),
        ("aout", 8),
        ("septembre", 9),
        ("octobre", 10),
        ("novembre", 11),
        ("décembre", 12),
        ("decembre", 12),
        ("janv", 1),
        ("févr", 2),
        ("avr", 4),
        ("juil", 7),
        // Spanish
        ("enero", 1),
        ("febrero", 2),
        ("marzo", 3),
        ("abril", 4),
        ("mayo", 5),
        ("junio", 6),
        ("julio", 7),
        ("agosto", 8),
        ("septiembre", 9),
        ("setiembre", 9),
        ("octubre", 10),
        ("noviembre", 11),
        ("diciembre", 12),
        ("ene", 1),
        ("dic", 12),
        // Italian
        ("gennaio", 1),
        ("febbraio", 2),
        ("aprile", 4),
        ("maggio", 5),
        ("giugno", 6),
        ("luglio", 7),
        ("settembre", 9),
        ("ottobre", 10),
        ("dicembre", 12),
        // Portuguese
        ("janeiro", 1),
        ("fevereiro", 2),
        ("março", 3),
        ("maio", 5),
        ("junho", 6),
        ("julho", 7),
        ("setembro", 9),
        ("outubro", 10),
        ("novembro", 11),
        ("dezembro", 12),
        // Dutch
        ("januari", 1),
        ("februari", 2),
        ("maart", 3),
        ("mei", 5),
        ("augustus", 8),
        // Scandinavian
        ("maj", 5),
        ("juni", 6),
        ("augusti", 8),
        ("oktober", 10),
        // Polish (genitive)
        ("stycznia", 1),
        ("lutego", 2),
        ("marca", 3),
        ("kwietnia", 4),
        ("maja", 5),
        ("czerwca", 6),
        ("lipca", 7),
        ("sierpnia", 8),
        ("września", 9),
        ("października", 10),
        ("listopada", 11),
        ("grudnia", 12),
        // Russian (genitive)
        ("января", 1),
        ("февраля", 2),
        ("марта", 3),
        ("апреля", 4),
        ("мая", 5),
        ("июня", 6),
        ("июля", 7),
        ("августа", 8),
        ("сентября", 9),
        ("октября", 10),
        ("ноября", 11),
        ("декабря", 12),
        // Turkish
        ("ocak", 1),
        ("şubat", 2),
        ("mart", 3),
        ("nisan", 4),
        ("mayıs", 5),
        ("haziran", 6),
        ("temmuz", 7),
        ("ağustos", 8),
        ("eylül", 9),
        ("ekim", 10),
        ("kasım", 11),
        ("aralık", 12),
    ];
    MONTHS.iter().find(|(k, _)| *k == n).map(|(_, m)| *m)
}

/// A date from numbers if it is a real calendar day within the plausible range for a page:
/// not before 1995, not after today.
fn ymd(y: i32, m: u32, d: u32) -> Option<Date> {
    let month = Month::try_from(u8::try_from(m).ok()?).ok()?;
    let date = Date::from_calendar_date(y, month, u8::try_from(d).ok()?).ok()?;
    if y < 1995 || date > today() {
        return None;
    }
    Some(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::meta;

    fn date_of(html: &str) -> Option<(String, &'static str)> {
        let doc = Html::parse_document(html);
        let m = meta::read(&doc);
        find(&doc, html, &m).map(|(d, s)| (d.to_string(), s.as_str()))
    }

    fn some(d: &str, s: &'static str) -> Option<(String, &'static str)> {
        Some((d.to_string(), s))
    }

    #[test]
    fn json_ld_beats_meta_and_ignores_modified() {
        let html = r#"<head><script type="application/ld+json">
{"@type":"NewsArticle","dateModified":"2021-02-02T10:00:00Z","datePublished":"2020-07-13T08:00:00+02:00"}
</script><meta property="article:published_time" content="2019-01-01"></head>"#;
        assert_eq!(date_of(html), some("2020-07-13", "json-ld"));
    }

    #[test]
    fn meta_published_not_modified() {
        let html = r#"<head><meta property="article:modified_time" content="2021-01-01T00:00:00Z">
<meta property="article:published_time" content="2020-07-13T09:30:00Z"></head><body></body>"#;
        assert_eq!(date_of(html), some("2020-07-13", "meta"));
        let html = r#"<head><meta name="sailthru.date" content="2018-03-04 10:00:00"></head>"#;
        assert_eq!(date_of(html), some("2018-03-04", "meta"));
        let html = r#"<head><meta name="DC.date.issued" content="2017-05-06"></head>"#;
        assert_eq!(date_of(html), some("2017-05-06", "meta"));
    }

    #[test]
    fn time_element_skips_updated() {
        let html = r#"<body><article><time class="updated" datetime="2021-01-01">1 Jan</time>
<time class="entry-date published" datetime="2020-07-13T10:00:00">13 July</time></article></body>"#;
        assert_eq!(date_of(html), some("2020-07-13", "time"));
    }

    #[test]
    fn itemprop_date_published() {
        let html =
            r#"<body><span itemprop="datePublished" content="2016-11-02">2 Nov</span></body>"#;
        assert_eq!(date_of(html), some("2016-11-02", "time"));
    }

    #[test]
    fn byline_text_in_languages() {
        let html = r#"<body><div class="article-date">Veröffentlicht am 13. Juli 2020, 10:15 Uhr</div></body>"#;
        assert_eq!(date_of(html), some("2020-07-13", "byline"));
        let html = r#"<body><p class="byline">Par Jean Dupont, publié le 3 mars 2019 à 12h00, mis à jour le 4 mars 2019</p></body>"#;
        assert_eq!(date_of(html), some("2019-03-03", "byline"));
        let html = r#"<body><span class="date">Updated: March 5, 2020 | Published: March 4, 2020</span></body>"#;
        assert_eq!(date_of(html), some("2020-03-04", "byline"));
    }

    #[test]
    fn url_path() {
        let html = r#"<head><link rel="canonical" href="https://x.example/2019/10/19/story-title/"></head><body><p>No date here.</p></body>"#;
        assert_eq!(date_of(html), some("2019-10-19", "url"));
        assert_eq!(
            from_url("https://x.example/news/20180102/story")
                .unwrap()
                .to_string(),
            "2018-01-02"
        );
        assert_eq!(from_url("https://x.example/2019/10/story"), None);
    }

    #[test]
    fn a_redirect_stub_is_dated_by_the_page_it_loads() {
        let js = r#"<html><body><p>Checking your browser before you reach the site...</p>
<script>document.cookie="k=1";location.href="https://news.example/20200428/a-story?try=1";</script>
</body></html>"#;
        assert_eq!(date_of(js), some("2020-04-28", "url"));
        let refresh = r#"<head><meta http-equiv="Refresh" content="0; URL=https://news.example/2019/10/19/story/"></head><body>Moved.</body>"#;
        assert_eq!(date_of(refresh), some("2019-10-19", "url"));
        // A page with its own text only links on: the address is not its own.
        let page = format!(
            "<body><p>{}</p><script>function go(){{location.href=\"https://news.example/2020/04/28/other/\";}}</script></body>",
            "A long article about something else entirely, told at length. ".repeat(10)
        );
        assert_eq!(date_of(&page), None);
    }

    #[test]
    fn utc_timestamps_move_to_the_offset_the_page_writes() {
        let html = r#"<html lang="en"><head>
<meta property="article:published_time" content="2020-05-02T02:54:29.000Z"></head>
<body><script>var show = {"date": "Fri, 01 May 2020 23:00:00 -0400"};</script></body></html>"#;
        assert_eq!(date_of(html), some("2020-05-01", "meta"));
        let iso = r#"<html lang="de"><head>
<meta property="article:published_time" content="2020-05-01T23:30:00Z">
<meta property="article:modified_time" content="2020-05-02T08:00:00-04:00"></head></html>"#;
        assert_eq!(date_of(iso), some("2020-05-01", "meta"));
        // Opening hours are not an offset: the language's clock stays.
        let hours = r#"<html lang="de"><head>
<meta property="article:published_time" content="2020-05-01T23:30:00Z"></head>
<body><p>Geöffnet 10:00-12:00 und 14:00-18:00</p></body></html>"#;
        assert_eq!(date_of(hours), some("2020-05-02", "meta"));
        assert_eq!(stated_offset("opens 10:00-12:00"), None);
        assert_eq!(stated_offset("2020-03-01T10:00:00+05:30"), Some(5.5));
    }

    #[test]
    fn a_date_line_written_by_a_script_is_read() {
        let html = r#"<body><table><tr><td><span id="topic">A short post title</span></td></tr>
<tr><td class="main-text"><script>showDate("2020/04/17 01:43:09")</script> Views 7</td></tr>
<tr><td>The post itself, a few words long.</td></tr></table></body>"#;
        assert_eq!(date_of(html), some("2020-04-17", "text"));
        let html =
            r#"<body><script>document.write("Posted 3 March 2019");</script><p>Text.</p></body>"#;
        assert_eq!(date_of(html), some("2019-03-03", "text"));
        // Script state, or a call with more to it, prints nothing where it stands.
        let state = r#"<body><script>var deal = {"startDate": "2017-07-25"};</script>
<script>track("2017-07-25", "campaign")</script><p>Text.</p></body>"#;
        assert_eq!(date_of(state), None);
    }

    #[test]
    fn text_after_publish_word() {
        let html = r#"<body><p>Some intro text.</p><p>Published 12/24/2018 by staff</p></body>"#;
        assert_eq!(date_of(html).map(|d| d.1), Some("text"));
    }

    #[test]
    fn only_stated_dates_are_sure() {
        let meta = r#"<head><meta property="article:published_time" content="2020-07-13"></head>"#;
        let url = r#"<head><link rel="canonical" href="https://x.example/2019/10/19/story/"></head><body><p>No date.</p></body>"#;
        let text = r#"<body><p>Some intro text.</p><p>Published 12/24/2018 by staff</p></body>"#;
        let sure = |html: &str| {
            let doc = Html::parse_document(html);
            find(&doc, html, &meta::read(&doc)).map(|(_, s)| s.is_sure())
        };
        assert_eq!(sure(meta), Some(true));
        assert_eq!(sure(url), Some(false));
        assert_eq!(sure(text), Some(false));
        for s in ["json-ld", "meta", "time", "byline", "front-matter"] {
            assert!(DateSource::from_name(s).unwrap().is_sure(), "{s}");
        }
        assert_eq!(
            DateSource::from_name("url").map(|s| s.is_sure()),
            Some(false)
        );
    }

    #[test]
    fn a_date_in_prose_is_an_event_not_the_publication() {
        let html = r#"<body><h1>Senators want to tax capital inflows</h1>
<div class="lede">A long introduction that says what the whole piece will argue, at length.</div>
<ul><li><div>August 06, 2019</div></li><a href="x">Comments (79)</a></ul>
<p>On July 31, 2019, two senators submitted a bill on trade, which would task the central bank
with a new goal and create a charge on incoming foreign capital flows.</p></body>"#;
        assert_eq!(date_of(html), some("2019-08-06", "text"));
        let prose = r#"<body><p>Officials said on Monday (30 October 2023) that the story was made up
and that no courier had ever flown abroad to deliver a meal to a customer.</p></body>"#;
        assert_eq!(date_of(prose), None);
        let dateline = r#"<body><p>27.1.2022 - Bei der Erinnerung an die Verfolgten wurde eines
Paares gedacht, das in der Stadt lebte und dort verhaftet wurde, wie die Initiative mitteilte.</p></body>"#;
        assert_eq!(date_of(dateline), some("2022-01-27", "text"));
    }

    #[test]
    fn future_and_ancient_dates_are_rejected() {
        let html = r#"<head><meta property="article:published_time" content="2999-01-01"></head><body></body>"#;
        assert_eq!(date_of(html), None);
        assert_eq!(parse_attr("1970-01-01T00:00:00Z"), None);
    }

    #[test]
    fn formats() {
        let d = |s: &str| first_date_in_text(s).map(|d| d.to_string());
        assert_eq!(d("July 13, 2020"), Some("2020-07-13".into()));
        assert_eq!(d("13th July 2020"), Some("2020-07-13".into()));
        assert_eq!(d("13 de julio de 2020"), Some("2020-07-13".into()));
        assert_eq!(d("13.07.2020"), Some("2020-07-13".into()));
        assert_eq!(d("2020年7月13日"), Some("2020-07-13".into()));
        assert_eq!(d("13 июля 2020"), Some("2020-07-13".into()));
        assert_eq!(d("2020/07/13"), Some("2020-07-13".into()));
        assert_eq!(d("31/12/2019"), Some("2019-12-31".into()));
        assert_eq!(d("nothing"), None);
        assert_eq!(
            parse_attr("20200713"),
            Some(Date::from_calendar_date(2020, Month::July, 13).unwrap())
        );
    }
}
