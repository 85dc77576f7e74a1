//! Plain text and Markdown files: title from the first line (or `# heading`), paragraphs split
//! on blank lines, a date from a `Date:`/`Published:` header or a date near the top, and light
//! removal of Markdown markup.

use super::date::{self, DateSource};
use super::{normalize_ws, Extracted};

/// How many leading lines may hold the date.
const DATE_LINES: usize = 8;

/// Extracts a text or Markdown file.
pub fn extract_text(text: &str, markdown: bool) -> Extracted {
    let (front, text) = if markdown {
        split_front_matter(text)
    } else {
        (FrontMatter::default(), text)
    };
    let mut blocks: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let t = line.trim();
        if markdown && (t.starts_with("```") || t.starts_with("~~~")) {
            in_fence = !in_fence;
            continue;
        }
        if t.is_empty() && !in_fence {
            if !current.is_empty() {
                blocks.push(current.join("\n"));
                current.clear();
            }
            continue;
        }
        current.push(line);
    }
    if !current.is_empty() {
        blocks.push(current.join("\n"));
    }

    let mut out = Extracted {
        title: front.title,
        published: front.published,
        published_source: front.published.map(|_| DateSource::FrontMatter),
        url: front.url,
        site: front.site,
        declared_language: front.language,
        ..Extracted::default()
    };
    let mut header_lines = 0;
    // Header lines such as "Date: 2020-07-13" and the title come first.
    let mut paragraphs: Vec<String> = Vec::new();
    for (bi, block) in blocks.iter().enumerate() {
        let mut kept_lines: Vec<String> = Vec::new();
        for line in block.lines() {
            let t = line.trim();
            if header_lines < DATE_LINES && bi < 4 {
                header_lines += 1;
                if let Some(d) = header_date(t) {
                    if out.published.is_none() {
                        // A labelled date line at the top is the file's own dateline.
                        out.published = Some(d);
                        out.published_source = Some(DateSource::Byline);
                    }
                    continue;
                }
            }
            let t = if markdown {
                strip_markdown(t)
            } else {
                t.to_string()
            };
            kept_lines.push(t);
        }
        let para = normalize_ws(&kept_lines.join(" "));
        if para.is_empty() {
            continue;
        }
        if paragraphs.is_empty() && out.title.as_deref() == Some(para.as_str()) {
            // The front matter's title repeated as the first heading.
            continue;
        }
        if out.title.is_none() && paragraphs.is_empty() {
            let first = block.lines().next().unwrap_or("").trim();
            if markdown && first.starts_with('#') && block.lines().count() == 1 {
                out.title = Some(para);
                continue;
            }
            if let Some(head) = before_dateline(&kept_lines) {
                // "Title" over "Published 14 August 2018 - Some Letter, issue 112": the
                // dateline names the publication, not the article.
                out.title = Some(head);
                out.title_raw = Some(para);
                continue;
            }
            if looks_like_title(&para) {
                out.title = Some(para);
                continue;
            }
        }
        paragraphs.push(para);
    }
    if out.published.is_none() {
        // The first date of the top lines: a dateline when its line opens with a publication
        // word ("Published 14 August 2018 - ..."), else a guess (it may date an event).
        let found = text
            .lines()
            .take(DATE_LINES)
            .find_map(|l| date::first_date_in_text(l).map(|d| (l, d)));
        if let Some((line, d)) = found {
            let line = line.trim().trim_start_matches(['*', '_']).to_lowercase();
            let dateline = ["published", "posted", "date", "dated", "publication"]
                .iter()
                .any(|w| line.starts_with(w));
            out.published = Some(d);
            out.published_source = Some(if dateline {
                DateSource::Byline
            } else {
                DateSource::Text
            });
        }
    }
    out.paragraphs = paragraphs;
    out
}

/// The title lines of a first block whose later line is a dateline, if it is one.
fn before_dateline(lines: &[String]) -> Option<String> {
    let at = (1..lines.len()).find(|&i| date::first_date_in_text(&lines[i]).is_some())?;
    let head = normalize_ws(&lines[..at].join(" "));
    looks_like_title(&head).then_some(head)
}

fn looks_like_title(p: &str) -> bool {
    let n = p.chars().count();
    (3..=150).contains(&n) && !p.ends_with(['.', ',', ';', ':']) && !p.contains(". ")
}

/// A header line like `Date: 13 July 2020` or `Published: 2020-07-13`.
fn header_date(line: &str) -> Option<time::Date> {
    let (key, value) = line.split_once(':')?;
    let key = key
        .trim()
        .trim_start_matches(['*', '_'])
        .trim_end_matches(['*', '_'])
        .to_lowercase();
    if !matches!(
        key.as_str(),
        "date" | "published" | "publication date" | "posted" | "pubdate" | "published on" | "dated"
    ) {
        return None;
    }
    date::first_date_in_text(value)
}

/// What a Markdown file's front matter says about it.
#[derive(Default)]
struct FrontMatter {
    title: Option<String>,
    published: Option<time::Date>,
    url: Option<String>,
    site: Option<String>,
    language: Option<String>,
}

/// Splits a YAML (`---`) or TOML (`+++`) front-matter block from the top of a Markdown file
/// and reads its flat `key: value` / `key = value` lines; nested structures are ignored.
fn split_front_matter(text: &str) -> (FrontMatter, &str) {
    let mut front = FrontMatter::default();
    let body = text.trim_start_matches('\u{feff}');
    for fence in ["---", "+++"] {
        let Some(rest) = body.strip_prefix(fence) else {
            continue;
        };
        let Some(rest) = rest
            .strip_prefix('\n')
            .or_else(|| rest.strip_prefix("\r\n"))
        else {
            continue;
        };
        let Some(end) = rest.find(&format!("\n{fence}")).map(|e| e + 1).or_else(|| {
            // The closing fence right after the opening one: an empty block.
            rest.starts_with(fence).then_some(0)
        }) else {
            continue;
        };
        for line in rest[..end].lines() {
            let Some((key, value)) = line.split_once(if fence == "---" { ':' } else { '=' }) else {
                continue;
            };
            if key.starts_with([' ', '\t']) {
                continue;
            }
            let value = unquote(value.trim());
            if value.is_empty() {
                continue;
            }
            match key.trim().to_ascii_lowercase().as_str() {
                "title" => front.title = Some(normalize_ws(value)),
                "date" | "published" | "pubdate" | "publishdate" | "date_published" => {
                    front.published = date::first_date_in_text(value).or(front.published);
                }
                "canonical" | "canonical_url" | "url" | "link" | "permalink"
                    if value.starts_with("http") =>
                {
                    front.url = Some(value.to_string());
                }
                "site" | "site_name" | "publication" | "source" => {
                    front.site = Some(normalize_ws(value));
                }
                "lang" | "language" => front.language = Some(value.to_string()),
                _ => {}
            }
        }
        let after = &rest[end..];
        let after = after.strip_prefix(fence).unwrap_or(after);
        return (front, after);
    }
    (front, text)
}

/// A front-matter value without its surrounding quotes.
fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    v
}

/// Removes heading marks, emphasis, inline code marks, images and link targets.
fn strip_markdown(line: &str) -> String {
    let mut t = line.trim_start_matches('#').trim_start();
    for bullet in ["- ", "* ", "+ ", "> "] {
        if let Some(r) = t.strip_prefix(bullet) {
            t = r;
        }
    }
    let mut out = String::with_capacity(t.len());
    let chars: Vec<char> = t.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '!' if chars.get(i + 1) == Some(&'[') => {
                i += 1;
            }
            '[' => {
                // [text](target): keep the text, drop the target.
                if let Some(close) = chars[i..].iter().position(|&x| x == ']') {
                    let close = i + close;
                    if chars.get(close + 1) == Some(&'(') {
                        if let Some(end) = chars[close..].iter().position(|&x| x == ')') {
                            out.extend(&chars[i + 1..close]);
                            i = close + end + 1;
                            continue;
                        }
                    }
                }
                out.push(c);
                i += 1;
            }
            '*' | '`' => i += 1,
            '_' if (i == 0 || !chars[i - 1].is_alphanumeric())
                || (i + 1 == chars.len() || !chars[i + 1].is_alphanumeric()) =>
            {
                i += 1
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_with_title_and_date_header() {
        let e = extract_text(
            "French spy scandal deepens\nDate: 13 July 2020\n\nFirst paragraph of the story.\nIt goes on.\n\nSecond paragraph.\n",
            false,
        );
        assert_eq!(e.title.as_deref(), Some("French spy scandal deepens"));
        assert_eq!(e.published.unwrap().to_string(), "2020-07-13");
        assert_eq!(e.published_source.unwrap().as_str(), "byline");
        assert!(e.published_sure());
        assert_eq!(
            e.paragraphs,
            vec![
                "First paragraph of the story. It goes on.",
                "Second paragraph."
            ]
        );
    }

    #[test]
    fn text_without_title() {
        let e = extract_text("This is a sentence. And another one.\n\nMore.", false);
        assert_eq!(e.title, None);
        assert_eq!(e.paragraphs.len(), 2);
    }

    #[test]
    fn markdown_heading_links_and_front_matter() {
        let e = extract_text(
            "---\nlayout: post\n---\n# The **Title**\n\nPublished: 2019-05-02\n\nSee [the report](http://x.example/r) by *the* `agency`.\n\n- one item\n",
            true,
        );
        assert_eq!(e.title.as_deref(), Some("The Title"));
        assert_eq!(e.published.unwrap().to_string(), "2019-05-02");
        assert_eq!(
            e.paragraphs,
            vec!["See the report by the agency.", "one item"]
        );
    }

    #[test]
    fn front_matter_fields_outrank_the_text() {
        let e = extract_text(
            "---\ntitle: \"Spies: a history\"\ndate: 2021-05-31T08:00:00Z\ncanonical: https://x.example/a\ntags: [a, b]\n  nested: 1999-01-01\n---\n\n# Spies: a history\n\nWritten in 1998, revised 2003.\n",
            true,
        );
        assert_eq!(e.title.as_deref(), Some("Spies: a history"));
        assert_eq!(e.published.unwrap().to_string(), "2021-05-31");
        assert_eq!(e.published_source, Some(DateSource::FrontMatter));
        assert_eq!(e.url.as_deref(), Some("https://x.example/a"));
        assert_eq!(e.paragraphs, vec!["Written in 1998, revised 2003."]);

        let toml = extract_text("+++\ndate = \"2004-02-03\"\n+++\nBody text here.\n", true);
        assert_eq!(toml.published.unwrap().to_string(), "2004-02-03");
        // Plain text keeps a leading fence as text.
        let plain = extract_text("---\ndate: 2004-02-03\n---\n", false);
        assert_eq!(plain.published_source, Some(DateSource::Byline));
    }

    #[test]
    fn a_date_in_the_first_lines_is_a_guess_unless_a_dateline() {
        let e = extract_text(
            "Spies at sea
Published 14 August 2018 - Weekly letter

The navy said so.
",
            false,
        );
        assert_eq!(e.published_source, Some(DateSource::Byline));
        let e = extract_text(
            "Spies at sea

On 14 August 2018 the navy arrested two officers.
",
            false,
        );
        assert_eq!(e.published.unwrap().to_string(), "2018-08-14");
        assert_eq!(e.published_source, Some(DateSource::Text));
        assert!(!e.published_sure());
    }
}
