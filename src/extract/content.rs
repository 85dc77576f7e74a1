//! Main-content extraction: finds the element that holds the article and renders it to
//! paragraphs.
//!
//! 1. Boilerplate containers are dropped by their class/id/role (comments, share bars,
//!    related links, sidebars, newsletter and cookie boxes, bylines...), unless one holds most
//!    of the page's paragraph text (then the hint is a theme's quirk, not boilerplate).
//! 2. Paragraph-like blocks score their ancestors (readability's scheme: length, commas,
//!    class/id hints, damped by link density); the best ancestor is the article candidate, and
//!    well-scored siblings join it.
//! 3. The page's own article markup (`itemprop=articleBody`, `<article>`, article-body class
//!    names) competes with that candidate on how much paragraph text each holds.
//! 4. Inside the winner, link-heavy blocks, titles and boilerplate phrases are dropped; the kept
//!    markup is re-serialised and html2text renders it; paragraphs are whitespace-normalised.

use super::dom::Arena;
use super::elements::BLOCK_TAGS;
use super::normalize_ws;

/// Line width handed to html2text: wide enough that it never wraps a paragraph.
const WIDTH: usize = 100_000;

/// Extracts the article body of the page as paragraphs.
pub fn extract(arena: &Arena, title: Option<&str>) -> Vec<String> {
    let dropped = soft_drops(arena);
    let eff = Effective::compute(arena, &dropped);
    let chosen = choose(arena, &dropped, &eff);
    if chosen.is_empty() {
        return Vec::new();
    }
    let mut html = String::with_capacity(4096);
    html.push_str("<html><body>");
    for &c in &chosen {
        serialize(arena, &dropped, &eff, c, &mut html);
    }
    html.push_str("</body></html>");
    let text = html2text::config::plain_no_decorate()
        .no_table_borders()
        .string_from_read(html.as_bytes(), WIDTH)
        .unwrap_or_default();
    paragraphs(&text, title)
}

/// When the page's JSON-LD carries an `articleBody` much longer than what was extracted, the
/// scoring missed the article (e.g. text injected by scripts): use the structured body.
pub fn fallback_to_json_ld(paragraphs: &mut Vec<String>, body: &str) {
    let ours: usize = paragraphs
        .iter()
        .map(|p| p.split_whitespace().count())
        .sum();
    let theirs = body.split_whitespace().count();
    if theirs >= 50 && ours * 2 < theirs {
        let mut split: Vec<String> = body
            .split("\n\n")
            .flat_map(|b| {
                if b.contains("\n\n") {
                    vec![b]
                } else {
                    b.split('\n').collect()
                }
            })
            .map(normalize_ws)
            .filter(|p| !p.is_empty())
            .collect();
        if split.is_empty() {
            split.push(normalize_ws(body));
        }
        *paragraphs = split;
    }
}

/// Class/id/role words that mark boilerplate containers (matched inside the hints with `-`
/// and `_` removed).
const NEG_SUBSTR: &[&str] = &[
    "comment",
    "disqus",
    "share",
    "sharing",
    "social",
    "related",
    "recommend",
    "newsletter",
    "subscri",
    "cookie",
    "consent",
    "gdpr",
    "sidebar",
    "breadcrumb",
    "advert",
    "sponsor",
    "outbrain",
    "taboola",
    "popup",
    "modal",
    "navbar",
    "navigation",
    "footer",
    "masthead",
    "toolbar",
    "signup",
    "byline",
    "authorbio",
    "authorinfo",
    "aboutauthor",
    "authorbox",
    "pagination",
    "pager",
    "readmore",
    "morestories",
    "mostread",
    "mostpopular",
    "trending",
    "widget",
    "banner",
    "skiplink",
    "screenreader",
    "visuallyhidden",
    "printonly",
    "tagcloud",
    "taglist",
    "posttags",
    "articletags",
    "storytags",
    "relatedlinks",
    "follow",
    "login",
    "signin",
    "jumplink",
    "tooltip",
    "dateline",
    "postmeta",
    "entrymeta",
    "articlemeta",
    "timestamp",
    "publishdate",
    "pubdate",
    "caption",
    "credit",
    "wpcaption",
    "nocontent",
    "hidden-print",
    "srtext",
    "rating",
    "donate",
    "inlinead",
    "adslot",
    "adunit",
    "adcontainer",
    "adwrapper",
    "dfp",
    "gpt",
    "audioplayer",
    "videoplayer",
    "slideshow",
];

/// Whole class/id tokens that mark boilerplate.
const NEG_TOKENS: &[&str] = &[
    "promo",
    "promos",
    "ad",
    "ads",
    "nav",
    "menu",
    "tags",
    "meta",
    "date",
    "time",
    "author",
    "aside",
    "rail",
    "sr",
    "hide",
    "print",
    "share",
    "social",
    "related",
    "comments",
    "footer",
    "header",
    "submenu",
    "topics",
    "keywords",
    "categories",
    "subtitle",
    "kicker",
    "eyebrow",
];

const NEG_ROLES: &[&str] = &[
    "navigation",
    "complementary",
    "contentinfo",
    "banner",
    "menu",
    "menubar",
    "search",
    "dialog",
    "alertdialog",
    "toolbar",
    "tablist",
    "note",
];

/// Class/id fragments (without `-`/`_`) a page uses on its article body container.
const BODY_MARKS: &[&str] = &[
    "articlebody",
    "articlecontent",
    "articletext",
    "entrycontent",
    "postcontent",
    "postbody",
    "storybody",
    "storycontent",
    "storytext",
    "bodytext",
    "contentbody",
    "entrybody",
    "postentry",
    "newstext",
    "articleinner",
    "blogpostbody",
    "singlecontent",
    "textcontent",
    "articlecopy",
    "articlemain",
    "richtext",
    "postarticle",
    "maintext",
    "itemfulltext",
    "fulltext",
    "newsbody",
    "detailbody",
    "articledetail",
    "contenttext",
];

fn compact(hints: &str) -> String {
    hints.chars().filter(|c| *c != '-' && *c != '_').collect()
}

fn negative_hint(hints: &str) -> bool {
    if hints.is_empty() {
        return false;
    }
    let c = compact(hints);
    // Embedded posts (tweets, Instagram) quoted by the article carry "social" class names.
    if c.contains("embed") || c.contains("tweet") {
        return false;
    }
    if NEG_SUBSTR.iter().any(|w| c.contains(w)) {
        return true;
    }
    hints
        .split(|ch: char| !ch.is_ascii_alphanumeric())
        .any(|t| NEG_TOKENS.contains(&t))
}

fn body_mark(arena: &Arena, i: usize) -> bool {
    let n = &arena.nodes[i];
    if n.itemprop.contains("articlebody") || n.itemprop == "text" && n.p_count > 0 {
        return true;
    }
    if n.hints.is_empty() {
        return false;
    }
    let c = compact(&n.hints);
    BODY_MARKS.iter().any(|w| c.contains(w))
}

/// Class/id weight in readability's manner: +25 for article-like words, -25 for boilerplate.
fn class_weight(hints: &str) -> f32 {
    if hints.is_empty() {
        return 0.0;
    }
    let mut w = 0.0;
    if negative_hint(hints) {
        w -= 25.0;
    }
    let c = compact(hints);
    if [
        "article", "content", "entry", "main", "post", "story", "body", "text", "blog",
    ]
    .iter()
    .any(|p| c.contains(p))
    {
        w += 25.0;
    }
    w
}

/// Marks the elements to leave out: those under a boilerplate container and the containers.
fn soft_drops(arena: &Arena) -> Vec<bool> {
    let nodes = &arena.nodes;
    let total_para = nodes[0].para_len.max(1);
    // Containers of the page's <main> are its layout, whatever their class says
    // (`pagebody--with-sidebar`): a page has one main, and it is never boilerplate.
    let mut holds_main = vec![false; nodes.len()];
    for i in (1..nodes.len()).rev() {
        if holds_main[i] || nodes[i].tag == "main" {
            holds_main[nodes[i].parent] = true;
        }
    }
    let mut dropped = vec![false; nodes.len()];
    for i in 1..nodes.len() {
        if dropped[nodes[i].parent] {
            dropped[i] = true;
            continue;
        }
        let n = &nodes[i];
        if n.is_text() {
            continue;
        }
        let big = n.para_len * 10 >= total_para * 7;
        let tag = n.tag.as_str();
        if tag != "body" && tag != "html" && headed_as_related(arena, i) {
            dropped[i] = true;
            continue;
        }
        let drop = match tag {
            "html" | "body" | "#root" => false,
            "h1" => true,
            "form" => n.para_len * 2 < total_para,
            "figcaption" => true,
            "article" | "main" => false,
            _ => {
                !big && !holds_main[i]
                    && (negative_hint(&n.hints) || NEG_ROLES.contains(&n.role.as_str()))
                    && !body_mark(arena, i)
            }
        };
        dropped[i] = drop;
    }
    dropped
}

/// Headings that introduce links to other articles, in the languages of the pages seen.
const RELATED_HEADINGS: &[&str] = &[
    "related",
    "you may also like",
    "you might also like",
    "more from",
    "more stories",
    "recommended",
    "read more",
    "read next",
    "most popular",
    "our latest",
    "latest stories",
    "latest news",
    "top stories",
    "more news",
    "most read",
    "trending",
    "você pode gostar",
    "leia também",
    "veja também",
    "lesen sie auch",
    "mehr zum thema",
    "das könnte sie auch interessieren",
    "à lire aussi",
    "lire aussi",
    "sur le même sujet",
    "te puede interesar",
    "también te puede interesar",
    "noticias relacionadas",
    "potrebbe interessarti",
    "leggi anche",
    "articoli correlati",
    "читайте также",
];

/// Whether the container's first element is a heading announcing related content ("You may
/// also like...", a `related-posts-title` class): the whole container is then a teaser list.
fn headed_as_related(arena: &Arena, i: usize) -> bool {
    let n = &arena.nodes[i];
    let Some(&first) = n
        .children
        .iter()
        .find(|&&c| !arena.nodes[c].is_text() || !arena.nodes[c].text.trim().is_empty())
    else {
        return false;
    };
    let f = &arena.nodes[first];
    if f.text_len == 0 || f.text_len > 60 || n.text_len < f.text_len * 4 {
        return false;
    }
    if compact(&f.hints).contains("related") {
        return true;
    }
    // Only real headings (by tag or class): a first `div` saying "Trending" may be a
    // site-wide bar above the whole page.
    let heading = matches!(f.tag.as_str(), "h2" | "h3" | "h4" | "h5" | "h6")
        || f.hints.contains("title")
        || f.hints.contains("heading");
    if !heading {
        return false;
    }
    let text: String = arena
        .descendants(first)
        .into_iter()
        .filter(|&d| arena.nodes[d].is_text())
        .map(|d| arena.nodes[d].text.as_str())
        .collect::<String>()
        .to_lowercase();
    let text = text.trim().trim_end_matches(['.', ':', '…']);
    RELATED_HEADINGS.iter().any(|h| text.starts_with(h))
}

/// Text measures recomputed without the dropped elements.
struct Effective {
    text: Vec<usize>,
    link: Vec<usize>,
    para: Vec<usize>,
    commas: Vec<usize>,
}

impl Effective {
    fn compute(arena: &Arena, dropped: &[bool]) -> Effective {
        let len = arena.nodes.len();
        let mut e = Effective {
            text: vec![0; len],
            link: vec![0; len],
            para: vec![0; len],
            commas: vec![0; len],
        };
        for i in (1..len).rev() {
            if dropped[i] {
                continue;
            }
            let n = &arena.nodes[i];
            if n.is_text() {
                e.text[i] = n.text_len;
                e.commas[i] = n.commas;
            } else {
                if n.tag == "a" {
                    e.link[i] = e.text[i];
                }
                if n.para {
                    e.para[i] = e.text[i] - e.link[i].min(e.text[i]);
                }
            }
            let p = n.parent;
            e.text[p] += e.text[i];
            e.link[p] += e.link[i];
            e.para[p] += e.para[i];
            e.commas[p] += e.commas[i];
        }
        e
    }

    fn link_density(&self, i: usize) -> f32 {
        if self.text[i] == 0 {
            0.0
        } else {
            self.link[i] as f32 / self.text[i] as f32
        }
    }
}

fn tag_base(tag: &str) -> f32 {
    match tag {
        "div" | "article" | "section" | "main" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

/// The element(s) whose content is the article, in document order.
fn choose(arena: &Arena, dropped: &[bool], eff: &Effective) -> Vec<usize> {
    let nodes = &arena.nodes;
    let mut score = vec![0f32; nodes.len()];
    let mut scored = vec![false; nodes.len()];
    for i in 1..nodes.len() {
        if dropped[i] || !nodes[i].para {
            continue;
        }
        let len = eff.text[i];
        if len < 25 {
            continue;
        }
        let s = 1.0 + eff.commas[i] as f32 + (len as f32 / 100.0).min(3.0);
        let mut a = nodes[i].parent;
        // A paragraph-like div also scores itself, so that text directly in a div counts.
        if nodes[i].tag != "p" {
            a = i;
        }
        for level in 0..5 {
            if a == 0 {
                break;
            }
            if !scored[a] {
                scored[a] = true;
                score[a] = tag_base(&nodes[a].tag) + class_weight(&nodes[a].hints);
            }
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[a] += s / div;
            a = nodes[a].parent;
        }
    }
    let mut best: Option<usize> = None;
    for i in 1..nodes.len() {
        if scored[i] && !dropped[i] {
            score[i] *= 1.0 - eff.link_density(i);
            if best.is_none_or(|b| score[i] > score[b]) {
                best = Some(i);
            }
        }
    }
    let marked = (1..nodes.len())
        .filter(|&i| !dropped[i] && (body_mark(arena, i) || nodes[i].tag == "article"))
        .max_by_key(|&i| (eff.para[i], std::cmp::Reverse(i)));
    let Some(top) = best else {
        return match marked {
            Some(m) if eff.text[m] > 0 => vec![m],
            _ if eff.text[0] > 0 => vec![0],
            _ => Vec::new(),
        };
    };
    // Readability climbs when the paragraphs are spread over several children of a parent.
    let top = climb(arena, dropped, eff, &score, &scored, top);
    if let Some(m) = marked {
        let (pm, pt) = (eff.para[m] as f32, eff.para[top] as f32);
        let use_marked = if arena.is_ancestor(m, top) {
            true
        } else if arena.is_ancestor(top, m) {
            pm >= 0.6 * pt
        } else {
            pm >= 0.8 * pt
        };
        if use_marked && pm > 0.0 {
            return vec![m];
        }
    }
    with_siblings(arena, dropped, eff, &score, &scored, top)
}

/// Moves up from the top candidate while its parent holds clearly more paragraph text spread
/// over several children (the article split into sibling blocks).
fn climb(
    arena: &Arena,
    dropped: &[bool],
    eff: &Effective,
    _score: &[f32],
    _scored: &[bool],
    mut top: usize,
) -> usize {
    loop {
        let p = arena.nodes[top].parent;
        if p == 0 || dropped[p] || matches!(arena.nodes[p].tag.as_str(), "body" | "html") {
            return top;
        }
        let (pt, pp) = (eff.para[top] as f32, eff.para[p] as f32);
        // The parent adds paragraph text worth a third more while staying low in links.
        if pp > pt * 1.33 && eff.link_density(p) < 0.3 {
            top = p;
        } else {
            return top;
        }
    }
}

/// The top candidate plus siblings that look like more of the article.
fn with_siblings(
    arena: &Arena,
    dropped: &[bool],
    eff: &Effective,
    score: &[f32],
    scored: &[bool],
    top: usize,
) -> Vec<usize> {
    let nodes = &arena.nodes;
    let parent = nodes[top].parent;
    if top == 0 || parent == 0 {
        return vec![top];
    }
    let threshold = (score[top] * 0.2).max(10.0);
    let mut out = Vec::new();
    for &s in &nodes[parent].children {
        if s == top {
            out.push(s);
            continue;
        }
        if dropped[s] || nodes[s].is_text() {
            continue;
        }
        let mut keep = scored[s] && score[s] >= threshold;
        if !keep && nodes[s].tag == "p" {
            let len = eff.text[s];
            let ld = eff.link_density(s);
            keep = (len > 80 && ld < 0.25)
                || (len > 0 && len <= 80 && ld == 0.0 && ends_sentence(arena, s));
        }
        if keep {
            out.push(s);
        }
    }
    out
}

fn ends_sentence(arena: &Arena, i: usize) -> bool {
    let mut last = None;
    for d in arena.descendants(i) {
        let n = &arena.nodes[d];
        if n.is_text() && !n.text.trim().is_empty() {
            last = Some(d);
        }
    }
    last.is_some_and(|d| {
        arena.nodes[d]
            .text
            .trim_end()
            .ends_with(['.', '!', '?', '。', '"', '”'])
    })
}

/// Whether a kept block is link-heavy navigation rather than text.
fn link_block(arena: &Arena, eff: &Effective, i: usize) -> bool {
    let n = &arena.nodes[i];
    let ld = eff.link_density(i);
    match n.tag.as_str() {
        "p" => ld >= 0.9 && eff.text[i] < 200,
        "ul" | "ol" | "dl" => {
            // Navigation lists are links and little else; lists of linked headlines each
            // followed by a sentence (digests) are article text.
            let items = n
                .children
                .iter()
                .filter(|&&c| matches!(arena.nodes[c].tag.as_str(), "li" | "dt" | "dd"))
                .count()
                .max(1);
            let unlinked = eff.text[i] - eff.link[i].min(eff.text[i]);
            ld > 0.75 || ld > 0.4 && unlinked / items < 50
        }
        // An inline wrapper around one link (`<span class="link">`) is part of its sentence;
        // one around several links is a pop-up or a link bar.
        "span" => {
            ld > 0.5
                && arena
                    .descendants(i)
                    .iter()
                    .filter(|&&d| arena.nodes[d].tag == "a")
                    .count()
                    >= 3
        }
        "div" | "section" | "table" | "figure" | "center" => {
            ld > 0.5 && eff.para[i] < 200
                || (eff.text[i] > 0 && ld > 0.33 && n.p_count == 0 && eff.text[i] < 200)
        }
        "li" => ld > 0.7 && eff.text[i] < 150,
        _ => false,
    }
}

/// Writes the kept markup of node `i` as simple HTML: block tags without attributes, text
/// escaped, tables flattened to blocks (layout tables otherwise interleave columns).
fn serialize(arena: &Arena, dropped: &[bool], eff: &Effective, i: usize, out: &mut String) {
    enum Step {
        Open(usize),
        Close(&'static str),
    }
    let mut stack = vec![Step::Open(i)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Close(tag) => {
                out.push_str("</");
                out.push_str(tag);
                out.push('>');
            }
            Step::Open(j) => {
                if dropped[j] {
                    continue;
                }
                let n = &arena.nodes[j];
                if n.is_text() {
                    escape_into(&n.text, out);
                    continue;
                }
                if j != i && link_block(arena, eff, j) {
                    continue;
                }
                let tag = render_tag(&n.tag);
                if tag == "br" {
                    out.push_str("<br>");
                    continue;
                }
                if tag == "hr" {
                    continue;
                }
                if !tag.is_empty() {
                    out.push('<');
                    out.push_str(tag);
                    out.push('>');
                    stack.push(Step::Close(tag));
                } else {
                    // Inline elements still separate words when the page relies on CSS.
                    if matches!(n.tag.as_str(), "img") {
                        out.push(' ');
                    }
                }
                for &c in n.children.iter().rev() {
                    stack.push(Step::Open(c));
                }
            }
        }
    }
}

/// The tag to emit for a page tag: block tags map to a small set html2text lays out simply;
/// inline tags are dropped (their text stays).
fn render_tag(tag: &str) -> &'static str {
    match tag {
        "p" => "p",
        "br" => "br",
        "hr" => "hr",
        "ul" | "ol" | "dl" => "ul",
        "li" | "dt" | "dd" => "li",
        "pre" => "pre",
        "blockquote" => "blockquote",
        "h2" | "h3" | "h4" | "h5" | "h6" => "p",
        t if BLOCK_TAGS.contains(&t) => "div",
        _ => "",
    }
}

fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// Splits html2text's output into normalised paragraphs and drops boilerplate lines.
fn paragraphs(text: &str, title: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, out: &mut Vec<String>| {
        let p = normalize_ws(current);
        current.clear();
        if !p.is_empty() && !is_boilerplate(&p, title) {
            out.push(p);
        }
    };
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() {
            flush(&mut current, &mut out);
            continue;
        }
        let stripped = t.trim_start_matches(['>', ' ']).to_string();
        if let Some(item) = stripped.strip_prefix("* ") {
            flush(&mut current, &mut out);
            current.push_str(item);
            flush(&mut current, &mut out);
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&stripped);
    }
    flush(&mut current, &mut out);
    out
}

/// Short paragraphs that are page furniture in any article: share prompts, ad labels,
/// copyright lines, comment prompts.
fn is_boilerplate(p: &str, title: Option<&str>) -> bool {
    if let Some(rest) = title.and_then(|t| p.strip_prefix(t)) {
        // The headline, alone or run together with its byline ("... By A. Writer
        // Published: 05/28/2001") where both share one block.
        let rest = rest.trim();
        if rest.is_empty()
            || rest.chars().count() < 100
                && (rest.starts_with("By ") || super::date::first_date_in_text(rest).is_some())
        {
            return true;
        }
    }
    let l = p.to_lowercase();
    // Labels that introduce a list of links, whatever the list's length ("Related stories:
    // headline (date) headline (date) ...").
    const LIST_LABELS: &[&str] = &[
        "related stories",
        "related articles",
        "related links",
        "related:",
        "more stories",
        "more from",
        "you may also like",
        "you might also like",
        "recommended for you",
        "see also:",
        "also read:",
        "read more:",
    ];
    if LIST_LABELS.iter().any(|s| l.starts_with(s)) {
        return true;
    }
    // Tag lists ("Tags stock car, interlagos, ...") whatever their length.
    if (p.starts_with("Tags ") || p.starts_with("Tags:") || p.starts_with("TAGS"))
        && !p.ends_with('.')
    {
        return true;
    }
    let chars = p.chars().count();
    if chars > 120 {
        return false;
    }
    // A line that is only a date (and time) is the byline's timestamp.
    if chars < 70 && super::date::first_date_in_text(p).is_some() {
        let words = p.split_whitespace().count();
        let digits = p.chars().filter(char::is_ascii_digit).count();
        if words <= 9 && digits >= 4 && !p.ends_with('.') {
            return true;
        }
    }
    // Link bars written in brackets or between bars: "[ Print this article | E-mail ]".
    let l = l.trim_start_matches(['[', '(', '|', ' ', '\u{2022}']);
    const STARTS: &[&str] = &[
        "advert",
        "tell us what you think",
        "sponsored",
        "share this",
        "share on",
        "share:",
        "follow us",
        "sign up",
        "subscribe",
        "click here",
        "read more",
        "related:",
        "related articles",
        "related stories",
        "more from",
        "you may also like",
        "recommended",
        "all rights reserved",
        "copyright",
        "©",
        "(c) ",
        "please enter your",
        "leave a comment",
        "leave a reply",
        "photo:",
        "image:",
        "credit:",
        "tags:",
        "filed under",
        "skip to",
        "we use cookies",
        "loading",
        "watch:",
        "listen:",
        "read also",
        "see also:",
        "also read",
        "continue reading",
        "next article",
        "previous article",
        "comments",
        "print this",
        "email this",
        "e-mail this",
        "e-mail to a friend",
        "email to a friend",
        "report an error",
        "get the latest",
        "don't miss",
        "trending",
    ];
    if STARTS.iter().any(|s| l.starts_with(s)) {
        return true;
    }
    l.ends_with("all rights reserved.") || l.ends_with("all rights reserved")
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn run(html: &str) -> Vec<String> {
        let doc = Html::parse_document(html);
        let arena = Arena::build(&doc);
        extract(&arena, None)
    }

    const P1: &str = "The agency said on Monday that it had identified the network after a long investigation, officials confirmed.";
    const P2: &str = "Officers searched several addresses in the capital, seizing computers, phones and documents, the statement said.";
    const P3: &str = "The ministry declined to comment further, citing the ongoing proceedings, but promised an update next week.";

    #[test]
    fn keeps_article_drops_boilerplate() {
        let html = format!(
            r##"<body><div class="menu"><a href="/">Home</a><a href="/a">World</a></div>
<div id="main"><div class="post-body"><h1>Title</h1><p>{P1}</p><p>{P2}</p>
<div class="share-buttons"><a href="#">Facebook</a> <a href="#">Twitter</a></div><p>{P3}</p></div>
<div class="related-posts"><h3>Related</h3><ul><li><a href="/x">Brexit talks stall again as deadline nears</a></li></ul></div>
<div id="comments"><p>Please enter your comment! This is a long comment form prompt with, commas, and more text to be long.</p></div></div></body>"##
        );
        let ps = run(&html);
        assert_eq!(ps, vec![P1, P2, P3]);
    }

    #[test]
    fn a_layout_wrapper_named_for_its_sidebar_keeps_the_main_inside() {
        let html = format!(
            r#"<body><div class="pagebody pagebody--wsidebar"><main><article><h1>Title</h1>
<p>{P1}</p><p>{P2}</p></article></main><aside><p>Subscribe</p></aside></div>
<div class="site-info"><p>{P3}</p></div></body>"#
        );
        let out = run(&html);
        assert!(
            out.iter().any(|p| p == P1) && out.iter().any(|p| p == P2),
            "{out:?}"
        );
    }

    #[test]
    fn merges_article_split_over_sibling_blocks() {
        let html = format!(
            r#"<body><div class="wrap"><div class="text-block"><p>{P1}</p><p>{P2}</p></div>
<div class="ad">Advertisement</div><div class="text-block"><p>{P3}</p><p>{P1}</p></div></div>
<div class="sidebar"><p>{P2}</p></div></body>"#
        );
        let ps = run(&html);
        assert_eq!(ps, vec![P1, P2, P3, P1]);
    }

    #[test]
    fn itemprop_article_body_wins() {
        let html = format!(
            r#"<body><div><div itemprop="articleBody"><p>{P1}</p><p>{P2}</p></div>
<div class="teasers"><p>{P3}</p></div></div></body>"#
        );
        assert_eq!(run(&html), vec![P1, P2]);
    }

    #[test]
    fn text_directly_in_divs_with_breaks() {
        let html =
            format!(r#"<body><div class="content">{P1}<br><br>{P2}<br><br>{P3}</div></body>"#);
        assert_eq!(run(&html), vec![P1, P2, P3]);
    }

    #[test]
    fn json_ld_body_replaces_a_short_extraction() {
        let mut ps = vec!["Subscribe now".to_string()];
        let body = format!("{P1}\n\n{P2} {P3} {P1}");
        fallback_to_json_ld(&mut ps, &body);
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[0], P1);
    }

    #[test]
    fn boilerplate_lines() {
        assert!(is_boilerplate("Advertisement", None));
        assert!(is_boilerplate(
            "© 2020 The Daily. All rights reserved.",
            None
        ));
        assert!(!is_boilerplate(P1, None));
        assert!(is_boilerplate(
            "[ Print this article | E-mail to a friend ]",
            None
        ));
        let related = "Related stories: Court Told Handler Met Source in Morocco (08/06/1999) \
            How the Service Built a Network Inside Argentina (08/16/2001) Why the Agency Is \
            Struggling to Recruit (09/06/2001)";
        assert!(is_boilerplate(related, None));
        let title = Some("What We Know About the Campaign");
        assert!(is_boilerplate(
            "What We Know About the Campaign By A. Writer Published: 05/28/2001",
            title
        ));
        assert!(!is_boilerplate(
            "What We Know About the Campaign is the question the committee asked first.",
            title
        ));
    }
}
