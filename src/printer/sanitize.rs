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
    }
}
