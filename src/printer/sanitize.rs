//! Scraped text can carry terminal escape sequences and other control characters; printing them
//! raw would let a web page drive the analyst's terminal. Everything passes through here before
//! human output.

use std::borrow::Cow;

/// Replaces control characters (other than newline and tab) with U+FFFD.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if is_unsafe(c) { '\u{FFFD}' } else { c })
            .collect(),
    )
}

/// [`sanitize`] for text that must stay on one line, such as a file name in a message: line
/// breaks and tabs are shown as `\n` and `\t`, other unsafe characters as U+FFFD.
pub fn one_line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) || c == '\n' || c == '\t') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Escapes, in a line of JSON, the characters that JSON allows raw but terminals may act on:
/// DEL, the C1 controls (U+0080 to U+009F, where U+009B starts an escape sequence on some
/// terminals) and the bidirectional overrides. They can only occur inside strings, so writing
/// them as `\uXXXX` keeps the line the same JSON.
pub fn escape_json(line: &str) -> Cow<'_, str> {
    let risky = |c: char| c != '\n' && c != '\t' && is_unsafe(c);
    if !line.chars().any(risky) {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 16);
    for c in line.chars() {
        if risky(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_neutralised() {
        assert_eq!(sanitize("a\x1b[31mred"), "a\u{FFFD}[31mred");
        assert_eq!(sanitize("plain\ttext\n"), "plain\ttext\n");
        assert!(matches!(sanitize("clean"), Cow::Borrowed(_)));
        // OSC 8 link and title setter: the introducers and terminators all go.
        assert_eq!(
            sanitize("\x1b]8;;http://x\x07a\x1b]8;;\x07 \x1b]0;pwned\x1b\\ \u{9b}2J"),
            "\u{FFFD}]8;;http://x\u{FFFD}a\u{FFFD}]8;;\u{FFFD} \u{FFFD}]0;pwned\u{FFFD}\\ \u{FFFD}2J"
        );
    }

    #[test]
    fn one_line_escapes_breaks() {
        assert_eq!(one_line("a\nb\x1b[0m\t.html"), "a\\nb\u{FFFD}[0m\\t.html");
        assert!(matches!(one_line("plain/path.html"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_lines_escape_c1_and_bidi() {
        let line = serde_json::to_string(&"a\x1b[1m\u{9b}2J\u{202e}\u{7f}").unwrap();
        assert_eq!(line, "\"a\\u001b[1m\u{9b}2J\u{202e}\u{7f}\"");
        let escaped = escape_json(&line);
        assert_eq!(escaped, "\"a\\u001b[1m\\u009b2J\\u202e\\u007f\"");
        let back: String = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, "a\x1b[1m\u{9b}2J\u{202e}\u{7f}");
    }
}
