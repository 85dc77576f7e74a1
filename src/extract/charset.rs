//! Bytes to text: a byte-order mark wins, then the charset the page declares in its first
//! bytes (`<meta charset>` or an http-equiv Content-Type), then detection with chardetng.
//!
//! A declaration is trusted except when the bytes contradict it: pages saved by hand often keep
//! the template's declaration over a re-encoded body. A page declared UTF-8 whose bytes are not
//! goes to detection; a page declared in a single-byte legacy charset whose bytes are valid UTF-8 with
//! non-ASCII characters is UTF-8 (such bytes are all but impossible in real legacy text). A page
//! that is UTF-8 but for a few broken sequences (a truncated copy, a bad splice) stays UTF-8 with
//! U+FFFD for the broken bytes, rather than turning every accent into mojibake.

use encoding_rs::{Encoding, UTF_8};

use super::Kind;

/// How far into the file a charset declaration is looked for (HTML says 1024 bytes; real pages
/// put long scripts and comments first, so look further).
const SNIFF_LEN: usize = 8192;

/// Decodes `bytes` to text and returns it with the name of the encoding used.
///
/// Order: BOM, then (for HTML) `<meta charset>` / http-equiv Content-Type in the first bytes,
/// then valid UTF-8, then detection with chardetng. Malformed sequences become U+FFFD.
pub fn decode(bytes: &[u8], kind: Kind) -> (String, &'static str) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), enc.name());
    }
    let declared = if kind == Kind::Html {
        declared_charset(&bytes[..bytes.len().min(SNIFF_LEN)])
    } else {
        None
    };
    let utf8_ok = std::str::from_utf8(bytes).is_ok();
    let enc = match declared {
        Some(enc) if enc == UTF_8 && !utf8_ok => detect_or_mostly_utf8(bytes),
        Some(enc) if enc.is_single_byte() && utf8_ok && !bytes.is_ascii() => UTF_8,
        Some(enc) => enc,
        None if utf8_ok => UTF_8,
        None => detect_or_mostly_utf8(bytes),
    };
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text.into_owned(), enc.name())
}

/// UTF-8 when valid multi-byte characters outnumber broken sequences two to one, else
/// detection. Legacy text read as UTF-8 is nearly all broken sequences (each accented letter is
/// one) and almost never a valid multi-byte one.
fn detect_or_mostly_utf8(bytes: &[u8]) -> &'static Encoding {
    let (mut valid, mut broken) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        broken += usize::from(!chunk.invalid().is_empty());
    }
    if valid >= 2 * broken {
        UTF_8
    } else {
        detect(bytes)
    }
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Allow)
}

/// Finds `charset=NAME` inside a `<meta ...>` tag of the first bytes. UTF-16 declarations are
/// ignored as the HTML standard says (the bytes were read as ASCII-compatible to find them).
fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let start = from + pos;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(cpos) = find(tag, b"charset") {
            let rest = &tag[cpos + 7..];
            let rest = trim_start(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = trim_start(rest);
                let rest = rest
                    .strip_prefix(b"\"")
                    .or_else(|| rest.strip_prefix(b"'"))
                    .unwrap_or(rest);
                let name_len = rest
                    .iter()
                    .position(|&b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
                    .unwrap_or(rest.len());
                if let Some(enc) = Encoding::for_label(&rest[..name_len]) {
                    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                        return Some(UTF_8);
                    }
                    // x-user-defined is what the standard maps to windows-1252 for HTML.
                    if enc == encoding_rs::X_USER_DEFINED {
                        return Some(encoding_rs::WINDOWS_1252);
                    }
                    return Some(enc);
                }
            }
        }
        from = end.max(start + 5);
        if from >= lower.len() {
            break;
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &s[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(charset_tag: &str, body: &str, enc: &'static Encoding) -> Vec<u8> {
        let html = format!(
            "<html><head>{charset_tag}<title>t</title></head><body><p>{body}</p></body></html>"
        );
        let (bytes, _, unmappable) = enc.encode(&html);
        assert!(!unmappable, "test text must be encodable in {}", enc.name());
        bytes.into_owned()
    }

    fn decoded(bytes: &[u8]) -> (String, &'static str) {
        decode(bytes, Kind::Html)
    }

    #[test]
    fn wrong_legacy_declaration_over_utf8_bytes() {
        let bytes = "<meta charset=\"iso-8859-1\"><p>Le ministère a confirmé l’arrestation</p>";
        let (text, name) = decoded(bytes.as_bytes());
        assert_eq!(name, "UTF-8");
        assert!(text.contains("ministère a confirmé l’arrestation"));
    }

    #[test]
    fn a_few_broken_bytes_keep_a_page_utf8() {
        let mut bytes = "<meta charset=utf-8><p>Le ministère a confirmé l’arrestation "
            .as_bytes()
            .to_vec();
        bytes.extend_from_slice(b"\xff\xfe\xc3");
        bytes.extend_from_slice("de l’espion présumé à Genève</p>".as_bytes());
        let (text, name) = decoded(&bytes);
        assert_eq!(name, "UTF-8");
        assert!(
            text.contains("confirmé l’arrestation \u{FFFD}\u{FFFD}\u{FFFD}de l’espion présumé"),
            "{text}"
        );
    }

    #[test]
    fn bom_wins_over_declaration() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("<meta charset=\"windows-1252\"><p>café</p>".as_bytes());
        let (text, name) = decoded(&bytes);
        assert_eq!(name, "UTF-8");
        assert!(text.contains("café"));
    }

    #[test]
    fn utf16_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "<p>Défense</p>".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let (text, name) = decoded(&bytes);
        assert_eq!(name, "UTF-16LE");
        assert!(text.contains("Défense"));
    }

    #[test]
    fn meta_charset_windows_1252() {
        let body = "Le ministère a confirmé l’arrestation — «espion» présumé";
        let bytes = page(
            r#"<meta charset="windows-1252">"#,
            body,
            encoding_rs::WINDOWS_1252,
        );
        let (text, name) = decoded(&bytes);
        assert_eq!(name, "windows-1252");
        assert!(text.contains(body));
    }

    #[test]
    fn http_equiv_iso_8859_2() {
        let body = "Służba Kontrwywiadu Wojskowego zatrzymała oficera, łącznika obcego wywiadu";
        let bytes = page(
            r#"<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-2">"#,
            body,
            encoding_rs::ISO_8859_2,
        );
        let (text, name) = decoded(&bytes);
        assert_eq!(name, "ISO-8859-2");
        assert!(text.contains(body));
    }

    #[test]
    fn iso_8859_1_label_reads_as_windows_1252() {
        let body = "Los servicios de inteligencia españoles investigan";
        let bytes = page(
            r#"<meta http-equiv=content-type content='text/html;charset=iso-8859-1'>"#,
            body,
            encoding_rs::WINDOWS_1252,
        );
        let (text, name) = decoded(&bytes);
        assert_eq!(name, "windows-1252");
        assert!(text.contains(body));
    }

    #[test]
    fn declared_koi8_r() {
        let body = "Федеральная служба безопасности задержала сотрудника";
        let bytes = page(r#"<meta charset=koi8-r>"#, body, encoding_rs::KOI8_R);
        let (text, name) = decoded(&bytes);
        assert_eq!(name, "KOI8-R");
        assert!(text.contains(body));
    }

    #[test]
    fn detected_koi8_r_without_declaration() {
        let body = "Федеральная служба безопасности России сообщила в понедельник, что задержала \
                    сотрудника оборонного предприятия по подозрению в государственной измене. \
                    По данным следствия, он передавал сведения иностранной разведке.";
        let bytes = page("", body, encoding_rs::KOI8_R);
        let (text, name) = decoded(&bytes);
        // KOI8-U only adds Ukrainian letters: Russian text decodes the same under both.
        assert!(matches!(name, "KOI8-R" | "KOI8-U"), "{name}");
        assert!(text.contains(body));
    }

    #[test]
    fn detected_windows_1252_without_declaration() {
        let body = "Le ministère des Armées a indiqué que l'officier, arrêté à Paris, était \
                    soupçonné d'avoir transmis des documents à un service étranger.";
        let bytes = page("", body, encoding_rs::WINDOWS_1252);
        let (text, name) = decoded(&bytes);
        assert_eq!(name, "windows-1252");
        assert!(text.contains(body));
    }

    #[test]
    fn declared_and_detected_gbk() {
        let body = "国家安全部表示，一名前雇员因向境外间谍情报机关提供国家秘密被判处死刑。";
        let bytes = page(r#"<meta charset="gbk">"#, body, encoding_rs::GBK);
        let (text, name) = decoded(&bytes);
        assert_eq!(name, "GBK");
        assert!(text.contains(body));
        let bytes = page("", body, encoding_rs::GBK);
        let (text, name) = decoded(&bytes);
        assert_eq!(name, "GBK");
        assert!(text.contains(body));
    }

    #[test]
    fn declared_and_detected_shift_jis() {
        let body = "公安調査庁は、外国の情報機関による工作活動について警戒を強めていると発表した。";
        let bytes = page(
            r#"<meta charset="Shift_JIS">"#,
            body,
            encoding_rs::SHIFT_JIS,
        );
        let (text, name) = decoded(&bytes);
        assert_eq!(name, "Shift_JIS");
        assert!(text.contains(body));
        let bytes = page("", body, encoding_rs::SHIFT_JIS);
        let (text, name) = decoded(&bytes);
        assert_eq!(name, "Shift_JIS");
        assert!(text.contains(body));
    }

    #[test]
    fn wrong_utf8_declaration_falls_back_to_detection() {
        let body =
            "Le général a été rappelé après l'enquête des services de renseignement français.";
        let bytes = page(r#"<meta charset="utf-8">"#, body, encoding_rs::WINDOWS_1252);
        let (text, name) = decoded(&bytes);
        assert_eq!(name, "windows-1252");
        assert!(text.contains(body));
    }

    #[test]
    fn plain_utf8_text() {
        let (text, name) = decode("Überwachung".as_bytes(), Kind::Text);
        assert_eq!((text.as_str(), name), ("Überwachung", "UTF-8"));
    }
}
