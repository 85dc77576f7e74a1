//! Splits an article's paragraphs into passages, the unit that search ranks and prints.
//!
//! A passage follows the article's own paragraphs: short ones (headings, one-line quotes) are
//! merged with what follows until the passage reaches [`MIN_WORDS`]; long ones are cut at sentence
//! ends so that no passage exceeds [`MAX_WORDS`] unless a single sentence does.

/// A passage shorter than this is merged with the next paragraph.
pub const MIN_WORDS: usize = 40;
/// A passage longer than this is split at sentence ends.
pub const MAX_WORDS: usize = 200;

/// Splits paragraphs into passage texts, in order. Paragraphs inside a passage are separated by
/// a blank line so the text keeps the article's shape.
pub fn split(paragraphs: &[String]) -> Vec<String> {
    let mut pieces: Vec<(String, usize)> = Vec::new();
    for para in paragraphs {
        let para = para.trim();
        let words = word_count(para);
        if words == 0 {
            continue;
        }
        if words <= MAX_WORDS {
            pieces.push((para.to_string(), words));
        } else {
            pieces.extend(split_long(para));
        }
    }
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut cur_words = 0;
    for (piece, words) in pieces {
        if !cur.is_empty() && (cur_words >= MIN_WORDS || cur_words + words > MAX_WORDS) {
            out.push(std::mem::take(&mut cur));
            cur_words = 0;
        }
        if !cur.is_empty() {
            cur.push_str("\n\n");
        }
        cur.push_str(&piece);
        cur_words += words;
    }
    if !cur.is_empty() {
        // A short tail joins the previous passage when that keeps it within bounds.
        match out.last_mut() {
            Some(last) if cur_words < MIN_WORDS && word_count(last) + cur_words <= MAX_WORDS => {
                last.push_str("\n\n");
                last.push_str(&cur);
            }
            _ => out.push(cur),
        }
    }
    out
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Cuts one long paragraph into chunks of whole sentences of roughly equal size.
fn split_long(para: &str) -> Vec<(String, usize)> {
    let sentences = sentences(para);
    let total = word_count(para);
    let chunks = total.div_ceil(MAX_WORDS).max(1);
    let target = total.div_ceil(chunks);
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cur_words = 0;
    for s in sentences {
        let w = word_count(s);
        if cur_words > 0 && (cur_words >= target || cur_words + w > MAX_WORDS) {
            out.push((std::mem::take(&mut cur), cur_words));
            cur_words = 0;
        }
        if w > MAX_WORDS {
            // One sentence longer than a passage: cut it by words, the only place we must.
            let words: Vec<&str> = s.split_whitespace().collect();
            for chunk in words.chunks(MAX_WORDS) {
                if cur_words > 0 {
                    out.push((std::mem::take(&mut cur), cur_words));
                }
                cur = chunk.join(" ");
                cur_words = chunk.len();
            }
            continue;
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(s);
        cur_words += w;
    }
    if cur_words > 0 {
        out.push((cur, cur_words));
    }
    out
}

/// Sentence ends: `.`, `!`, `?` (optionally followed by a closing quote or bracket) then
/// whitespace and an upper-case letter, digit or opening quote. Abbreviations such as "U.S." or
/// "Mr." followed by a name can be cut; that costs a slightly uneven split, never lost text.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        if matches!(c, '.' | '!' | '?' | '。' | '！' | '？') {
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j].1, '"' | '\'' | '”' | '’' | ')' | ']') {
                j += 1;
            }
            if j < chars.len() && chars[j].1.is_whitespace() {
                let mut k = j;
                while k < chars.len() && chars[k].1.is_whitespace() {
                    k += 1;
                }
                let next_ok = k < chars.len()
                    && (chars[k].1.is_uppercase()
                        || chars[k].1.is_numeric()
                        || matches!(chars[k].1, '"' | '“' | '‘' | '\'' | '('));
                let prev_is_initial =
                    i >= 2 && chars[i - 1].1.is_uppercase() && !chars[i - 2].1.is_alphanumeric();
                if next_ok && !prev_is_initial {
                    out.push(text[start..chars[j].0].trim());
                    start = chars[k].0;
                    i = k;
                    continue;
                }
            }
        }
        i += 1;
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: usize, tag: &str) -> String {
        let mut s: Vec<String> = (0..n).map(|i| format!("{tag}{i}")).collect();
        if let Some(last) = s.last_mut() {
            last.push('.');
        }
        s.join(" ")
    }

    #[test]
    fn empty_input_gives_no_passage() {
        assert!(split(&[]).is_empty());
        assert!(split(&["   ".to_string()]).is_empty());
    }

    #[test]
    fn short_paragraphs_are_merged() {
        let paras = vec![
            words(10, "a"),
            words(10, "b"),
            words(30, "c"),
            words(50, "d"),
        ];
        let out = split(&paras);
        assert_eq!(out.len(), 2);
        assert!(out[0].contains("a0") && out[0].contains("c29"));
        assert!(out[1].starts_with("d0"));
    }

    #[test]
    fn short_tail_joins_previous() {
        let out = split(&[words(60, "a"), words(5, "b")]);
        assert_eq!(out.len(), 1);
        assert!(out[0].ends_with("b4."));
    }

    #[test]
    fn long_paragraph_is_cut_at_sentences() {
        let sentence = |i: usize| format!("Sentence number {i} has exactly eight words here.");
        let para: Vec<String> = (0..60).map(sentence).collect();
        let out = split(&[para.join(" ")]);
        assert!(out.len() >= 3, "{} passages", out.len());
        for p in &out {
            assert!(word_count(p) <= MAX_WORDS);
            assert!(p.starts_with("Sentence") && p.ends_with("here."), "{p}");
        }
        let total: usize = out.iter().map(|p| word_count(p)).sum();
        assert_eq!(total, 480);
    }

    #[test]
    fn huge_sentence_is_cut_by_words_without_loss() {
        let para = words(1000, "w");
        let out = split(&[para]);
        assert_eq!(out.len(), 5);
        let total: usize = out.iter().map(|p| word_count(p)).sum();
        assert_eq!(total, 1000);
    }

    #[test]
    fn initials_do_not_end_sentences() {
        let s = sentences("He met J. Smith in Paris. Then he left.");
        assert_eq!(s, vec!["He met J. Smith in Paris.", "Then he left."]);
    }
}
