//! Caps how deeply a page's elements nest before the page reaches the HTML parser.
//!
//! A hostile or broken page can open a hundred thousand elements without closing one. The
//! parser copes, but what runs on its tree afterwards does not: selector matching walks every
//! ancestor of every element (quadratic in the depth) and html2text renders nested blocks
//! recursively (a stack overflow). Real pages nest a few dozen levels; browsers stop nesting at
//! a few hundred. So a light scan tracks the open elements the way the parser would, roughly,
//! and removes the start tags (and their end tags) that would open elements deeper than
//! [`MAX_DEPTH`]. Their text stays, one level up. Pages within the cap come back unchanged and
//! borrowed.

use std::borrow::Cow;
use std::collections::HashMap;

/// Elements nested deeper than this lose their tags (text kept). Chromium's parser stops
/// nesting at 512; pages that reach even 100 are rare, so this never touches a real article.
pub const MAX_DEPTH: usize = 256;

/// Elements that never have content, so never add a level.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr", "image",
];

/// Elements whose content the parser reads as raw text up to the matching end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// Elements that a new one of the same group closes implicitly (`<li>a<li>b`).
fn closes_sibling(open: &str, new: &str) -> bool {
    match new {
        "li" => open == "li",
        "dt" | "dd" => matches!(open, "dt" | "dd"),
        "td" | "th" => matches!(open, "td" | "th"),
        "tr" => matches!(open, "tr" | "td" | "th"),
        "option" => open == "option",
        "p" => open == "p",
        _ => {
            // A block start tag closes an open paragraph.
            open == "p" && super::elements::BLOCK_TAGS.contains(&new) && !matches!(new, "br" | "hr")
        }
    }
}

/// One open element: its name, whether its tags were removed, and where its start tag is.
struct Open {
    name: String,
    removed: bool,
    tag: (usize, usize),
}

/// The page with elements beyond [`MAX_DEPTH`] unwrapped, or the page itself when none are.
pub fn cap_depth(html: &str) -> Cow<'_, str> {
    cap_depth_at(html, MAX_DEPTH)
}

/// [`cap_depth`] with the cap as a parameter (tests use small ones).
///
/// A page past the cap is first scanned again with runs of identical wrappers collapsed (an
/// element whose start tag repeats its parent's, with nothing but whitespace between, loses
/// its tags): pages that bury the article under thousands of the same `<div class=..>` keep
/// the structure below them (paragraphs, sidebars, related lists) instead of losing it to the
/// cap. What is still too deep after that is unwrapped.
pub fn cap_depth_at(html: &str, max: usize) -> Cow<'_, str> {
    match scan(html, max, false) {
        Cow::Borrowed(page) => Cow::Borrowed(page),
        Cow::Owned(_) => scan(html, max, true),
    }
}

fn scan(html: &str, max: usize, collapse: bool) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut stack: Vec<Open> = Vec::new();
    // Open elements whose tags are kept: the depth the parser will see.
    let mut kept = 0usize;
    // Open elements by name, so a stray end tag costs nothing and a matching one pops directly.
    let mut open_count: HashMap<String, usize> = HashMap::new();
    let mut foreign = 0usize;
    // Byte ranges of tags to remove.
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(off) = memchr_lt(&bytes[i..]) {
        let start = i + off;
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            i = find(bytes, start + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = find_byte(bytes, start + 2, b'>').map_or(bytes.len(), |e| e + 1);
            continue;
        }
        let (is_end, name_at) = if rest.starts_with(b"</") {
            (true, start + 2)
        } else {
            (false, start + 1)
        };
        if !bytes.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            i = start + 1;
            continue;
        }
        let name_end = bytes[name_at..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
            .map_or(bytes.len(), |p| name_at + p);
        let name = html[name_at..name_end].to_ascii_lowercase();
        let end = tag_end(bytes, name_end);
        let self_closing = end >= 2 && bytes[end - 2] == b'/';
        i = end;
        if is_end {
            if open_count.get(&name).copied().unwrap_or(0) == 0 {
                // The parser ignores an end tag with nothing to close; so do we, unless the
                // stack is past the cap (then the tag goes, to keep the page small).
                if stack.len() > max {
                    cuts.push((start, end));
                }
                continue;
            }
            while let Some(top) = stack.pop() {
                kept -= usize::from(!top.removed);
                *open_count.get_mut(&top.name).expect("counted") -= 1;
                if matches!(top.name.as_str(), "svg" | "math") {
                    foreign -= 1;
                }
                if top.name == name {
                    if top.removed {
                        cuts.push((start, end));
                    }
                    break;
                }
            }
            continue;
        }
        if VOID.contains(&name.as_str()) || (self_closing && foreign > 0) {
            continue;
        }
        while stack
            .last()
            .is_some_and(|top| closes_sibling(&top.name, &name))
        {
            let top = stack.pop().expect("non-empty");
            kept -= usize::from(!top.removed);
            *open_count.get_mut(&top.name).expect("counted") -= 1;
        }
        let repeat = collapse
            && stack.last().is_some_and(|top| {
                html[top.tag.0..top.tag.1] == html[start..end]
                    && html[top.tag.1..start].trim().is_empty()
            });
        let removed = repeat || kept >= max;
        if RAW_TEXT.contains(&name.as_str()) {
            // Raw text runs to the matching end tag; nothing inside is markup.
            i = find_end_tag(bytes, i, &name).unwrap_or(bytes.len());
            if removed {
                // Unwrapped, a script's code would read as page text: the element goes whole.
                let close = tag_end(bytes, (i + 2).min(bytes.len()));
                cuts.push((start, close));
                i = close;
            } else {
                *open_count.entry(name.clone()).or_default() += 1;
                kept += usize::from(!removed);
                stack.push(Open {
                    name,
                    removed,
                    tag: (start, end),
                });
            }
            continue;
        }
        if removed {
            cuts.push((start, end));
        }
        if matches!(name.as_str(), "svg" | "math") {
            foreign += 1;
        }
        *open_count.entry(name.clone()).or_default() += 1;
        kept += usize::from(!removed);
        stack.push(Open {
            name,
            removed,
            tag: (start, end),
        });
    }
    if cuts.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for (s, e) in cuts {
        out.push_str(&html[from..s]);
        // A space keeps the words on either side of a removed block tag apart.
        out.push(' ');
        from = e;
    }
    out.push_str(&html[from..]);
    Cow::Owned(out)
}

fn memchr_lt(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'<')
}

fn find_byte(b: &[u8], from: usize, c: u8) -> Option<usize> {
    b.get(from..)?
        .iter()
        .position(|&x| x == c)
        .map(|p| from + p)
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// The byte after the `>` that ends the tag whose name ends at `from`; quoted attribute values
/// may hold `>`. The end of the page when the tag never closes.
fn tag_end(b: &[u8], from: usize) -> usize {
    let mut quote: Option<u8> = None;
    // The last byte outside a value that was not whitespace: a quote opens a value only after `=`.
    let mut prev = 0u8;
    for (i, &c) in b.iter().enumerate().skip(from) {
        match quote {
            Some(q) if c == q => {
                quote = None;
                prev = c;
            }
            Some(_) => {}
            None if (c == b'"' || c == b'\'') && prev == b'=' => quote = Some(c),
            None if c == b'>' => return i + 1,
            None if !c.is_ascii_whitespace() => prev = c,
            None => {}
        }
    }
    b.len()
}

/// Where `</name` starts (case-insensitive) at or after `from`.
fn find_end_tag(b: &[u8], from: usize, name: &str) -> Option<usize> {
    let n = name.as_bytes();
    let mut i = from;
    while let Some(p) = find(b, i, b"</") {
        let after = &b[p + 2..];
        if after.len() >= n.len()
            && after[..n.len()].eq_ignore_ascii_case(n)
            && after
                .get(n.len())
                .is_none_or(|c| c.is_ascii_whitespace() || matches!(c, b'/' | b'>'))
        {
            return Some(p);
        }
        i = p + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_pages_are_untouched() {
        let page =
            "<html><body><div><p>a<p>b<ul><li>x<li>y</ul></div><br><img src=x></body></html>";
        assert!(matches!(cap_depth_at(page, 6), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_is_unwrapped_text_kept() {
        let page = format!(
            "{}deep text{}",
            "<div><b>".repeat(5),
            "</b></div>".repeat(5)
        );
        let capped = cap_depth_at(&page, 3);
        assert_eq!(
            capped,
            format!(
                "<div><b><div>{}deep text{}</div></b></div>",
                " ".repeat(7),
                " ".repeat(7)
            )
        );
    }

    #[test]
    fn identical_wrappers_collapse_before_the_cap() {
        let wrap = "<div class=\"inner\">\n";
        let page = format!(
            "<body>{}<p>text</p><aside><ul><li><a href=x>related</a></li></ul></aside>{}</body>",
            wrap.repeat(50),
            "</div>".repeat(50)
        );
        let capped = cap_depth_at(&page, 8);
        // One wrapper stays; the structure under it is whole.
        assert_eq!(capped.matches("<div").count(), 1, "{capped}");
        assert!(
            capped.contains("<p>text</p><aside><ul><li><a href=x>related</a></li></ul></aside>")
        );
        // Within the cap nothing collapses.
        let shallow = format!("{}x{}", wrap.repeat(3), "</div>".repeat(3));
        assert!(matches!(cap_depth_at(&shallow, 8), Cow::Borrowed(_)));
    }

    #[test]
    fn unclosed_tags_count_and_siblings_close() {
        // A list of 10 unclosed items is 2 levels deep, not 11.
        let list = format!("<ul>{}</ul>", "<li>item".repeat(10));
        assert!(matches!(cap_depth_at(&list, 2), Cow::Borrowed(_)));
        // Unclosed spans do nest.
        let spans = format!("{}x", "<span><i>".repeat(3));
        assert_eq!(cap_depth_at(&spans, 2), "<span><i>    x");
    }

    #[test]
    fn raw_text_and_comments_are_not_markup() {
        let page = "<div><script>if (a<b) { x = '<div><div><div>'; }</script><!-- <div><div> --><style>p>a{}</style>text</div>";
        assert!(matches!(cap_depth_at(page, 2), Cow::Borrowed(_)));
    }

    #[test]
    fn raw_text_past_the_cap_goes_whole() {
        let page = "<div><div><script>var secret = 1;</script>text</div></div>";
        assert_eq!(cap_depth_at(page, 1), "<div>  text </div>");
    }

    #[test]
    fn quoted_attributes_may_hold_angle_brackets() {
        let page = r#"<div title="a > b"><a href='x>y'>link</a></div>"#;
        assert!(matches!(cap_depth_at(page, 2), Cow::Borrowed(_)));
        assert_eq!(cap_depth_at(page, 1), r#"<div title="a > b"> link </div>"#);
    }

    #[test]
    fn stray_end_tags_cost_nothing() {
        let page = format!("<div>{}ok</div>", "</span>".repeat(1000));
        assert!(matches!(cap_depth_at(&page, 2), Cow::Borrowed(_)));
    }

    #[test]
    fn hundred_thousand_levels() {
        let page = format!(
            "{}core{}",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        let capped = cap_depth(&page);
        assert_eq!(capped.matches("<div>").count(), 1);
        assert_eq!(capped.matches("</div>").count(), 1);
        assert!(capped.contains("core"));
        // Alternating tags do not collapse: the cap holds them.
        let page = format!(
            "{}core{}",
            "<div><span>".repeat(50_000),
            "</span></div>".repeat(50_000)
        );
        let capped = cap_depth(&page);
        assert_eq!(capped.matches("<div>").count(), MAX_DEPTH / 2);
        assert_eq!(capped.matches("<span>").count(), MAX_DEPTH / 2);
        assert!(capped.contains("core"));
    }

    #[test]
    fn real_pages_are_untouched() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("skipping: {} is absent", dir.display());
            return;
        };
        for e in entries {
            let path = e.unwrap().path();
            if path.extension().is_some_and(|x| x == "html") {
                let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
                if let Cow::Owned(o) = cap_depth(&text) {
                    let at = text
                        .bytes()
                        .zip(o.bytes())
                        .take_while(|(a, b)| a == b)
                        .count();
                    panic!(
                        "{}: changed at byte {at}: {:?}",
                        path.display(),
                        &text[at.saturating_sub(200)..at + 100]
                    );
                }
            }
        }
    }
}
