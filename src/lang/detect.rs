//! Language detection: the main language of an article, from its text, with the page's declared
//! language only as a hint.
//!
//! Two detectors work in turn, because neither alone is both fast and accurate enough:
//!
//! - `whatlang` reads a bounded sample of the article (title, then the body up to
//!   [`SAMPLE_BYTES`]) in about 0.1 ms. On text of a paragraph or more it is right for the 69
//!   languages it knows, and it says when it is unsure.
//! - `lingua` (75 languages, n-grams of one to five characters) is far more accurate on short
//!   text but costs milliseconds a text. It reads texts shorter than [`SHORT_BYTES`] (a
//!   sentence or two, where `whatlang` is often wrong) and decides what `whatlang` cannot on
//!   longer ones: text `whatlang` is unsure of, languages so close that `whatlang` cannot tell them apart (Indonesian and
//!   Malay; Croatian, Bosnian and Serbian; Bokmål, Nynorsk and Danish), and pages whose declared
//!   language differs from what `whatlang` read, where it weighs the two.
//!
//! The declared language never overrules text that clearly reads otherwise (pages often declare
//! `en` around a French article). It decides when the text is too short to read, and when the
//! detectors hesitate between it and another language. Text that is too short with no
//! declaration, or that no detector can place, is [`UNDETERMINED`]: never a guess shown as sure.
//! A text mixing languages gets the language of most of its sample.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, LazyLock, Mutex};

use lingua::{IsoCode639_1, IsoCode639_3, Language, LanguageDetector, LanguageDetectorBuilder};

use super::spelling;

pub use super::analysis::UNDETERMINED;

/// How much of an article is read: the title and the start of the body up to this many bytes.
/// `whatlang` costs about 0.1 ms on it, and a paragraph is plenty to tell a language.
pub const SAMPLE_BYTES: usize = 1024;

/// How much of the sample `lingua` reads when it has to decide (its cost grows with the length).
const LINGUA_BYTES: usize = 400;

/// Texts shorter than this go to `lingua` alone: `whatlang` is often wrong on a sentence or
/// two, and `lingua`'s cost, which grows with the length, is still small.
pub const SHORT_BYTES: usize = 400;

/// Below this many letters a text is too short to read: the declared language, else
/// [`UNDETERMINED`].
const MIN_LETTERS: usize = 5;

/// `lingua`'s confidence (0 to 1, over the languages it weighs) above which its answer stands
/// against a declared language.
const SURE: f64 = 0.7;

/// A declared language `lingua` finds at least this likely is plausible: it is taken when
/// `lingua` is not [`SURE`] of another.
const PLAUSIBLE: f64 = 0.2;

/// Below this confidence over all 75 languages, `lingua`'s best language is no answer at all.
const FLOOR: f64 = 0.05;

/// Languages that `whatlang` reads as one of them and that only `lingua` tells apart.
const CLOSE: &[&[&str]] = &[&["id", "ms"], &["hr", "bs", "sr"], &["nb", "nn", "da"]];

/// Where an article's language comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Read from the text; the page declared nothing, or another language.
    Detected,
    /// The page's declaration, where the text was too short or too ambiguous to decide.
    Declared,
    /// Read from the text, and the page declares the same.
    Both,
}

impl Source {
    /// `detected`, `declared` or `both`, as `extract --format json` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Detected => "detected",
            Source::Declared => "declared",
            Source::Both => "both",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What [`detect`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detection {
    /// An ISO 639-1 code (`ru`, `zh`), or [`UNDETERMINED`].
    pub code: &'static str,
    /// Where it comes from; `None` exactly when `code` is [`UNDETERMINED`].
    pub source: Option<Source>,
}

impl Detection {
    const UNDETERMINED: Detection = Detection {
        code: UNDETERMINED,
        source: None,
    };
}

/// The main language of an article: its title and paragraphs, `declared` being what the page
/// says (`<html lang>`, `content-language`, `og:locale`, front matter), if anything.
pub fn detect(title: Option<&str>, paragraphs: &[String], declared: Option<&str>) -> Detection {
    detect_text(&sample(title, paragraphs), declared)
}

/// The language of one text (a sentence, a paragraph), `declared` as in [`detect`]. The whole
/// text is read: cut long texts first, as [`detect`] does.
pub fn detect_text(text: &str, declared: Option<&str>) -> Detection {
    let hint = declared.and_then(code_of_tag);
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < MIN_LETTERS {
        return match hint {
            Some(code) => Detection {
                code,
                source: Some(Source::Declared),
            },
            None => Detection::UNDETERMINED,
        };
    }
    if text.len() < SHORT_BYTES {
        return choose(&by_spelling(over_all(text), text), hint, 0);
    }
    let fast = whatlang::detect(text)
        .filter(whatlang::Info::is_reliable)
        .and_then(|info| language_of_iso3(info.lang().code()))
        .filter(|_| !text.chars().any(beyond_whatlang));
    let (ranked, candidates) = match fast {
        Some(found) => {
            let mut candidates = close_to(found);
            if let Some(h) = hint.and_then(language_of_code) {
                if !candidates.contains(&h) {
                    candidates.push(h);
                }
            }
            if candidates.len() == 1 {
                let found = spelling::other_by_spelling(found, text).unwrap_or(found);
                return decided(code(found), hint);
            }
            (weigh(&candidates, text), candidates.len())
        }
        None => (over_all(head(text, LINGUA_BYTES)), 0),
    };
    let ranked = by_spelling(ranked, text);
    choose(&ranked, hint, candidates)
}

/// Decides from `lingua`'s ranked confidences and the hint; `candidates` is how many languages
/// were weighed (0 for all of them).
fn choose(ranked: &[(Language, f64)], hint: Option<&'static str>, candidates: usize) -> Detection {
    let Some(&(best, confidence)) = ranked.first() else {
        return Detection::UNDETERMINED;
    };
    let hint_confidence = hint.map_or(0.0, |h| {
        ranked
            .iter()
            .find(|(l, _)| code(*l) == h)
            .map_or(0.0, |&(_, c)| c)
    });
    match hint {
        // The text clearly reads otherwise: the declaration is wrong.
        Some(h) if code(best) != h && confidence >= SURE => decided(code(best), hint),
        // The detectors hesitate and the declaration is among what they find plausible.
        Some(h) if hint_confidence >= PLAUSIBLE => Detection {
            code: h,
            source: Some(if code(best) == h {
                Source::Both
            } else {
                Source::Declared
            }),
        },
        // Among a few close languages, one of them is the answer even at low confidence.
        _ if candidates > 0 || confidence >= FLOOR => decided(code(best), hint),
        _ => Detection::UNDETERMINED,
    }
}

fn decided(code: &'static str, hint: Option<&'static str>) -> Detection {
    Detection {
        code,
        source: Some(if hint == Some(code) {
            Source::Both
        } else {
            Source::Detected
        }),
    }
}

/// The title and the body up to [`SAMPLE_BYTES`], cut at a character boundary.
pub fn sample(title: Option<&str>, paragraphs: &[String]) -> String {
    let mut out = String::with_capacity(SAMPLE_BYTES + 64);
    for part in title
        .into_iter()
        .chain(paragraphs.iter().map(String::as_str))
    {
        if out.len() >= SAMPLE_BYTES {
            break;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(head(part, SAMPLE_BYTES - out.len().min(SAMPLE_BYTES)));
    }
    out
}

/// The first `max` bytes of `s` at most, cut back to a character boundary.
fn head(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The ISO 639-1 code of a declared language tag (`fr-FR`, `en_US`, `zh-Hant`, `fra`), when it
/// names a language the detectors know; `None` for anything else.
pub fn code_of_tag(tag: &str) -> Option<&'static str> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    let primary = match primary.as_str() {
        // Norwegian without a variant is written Bokmål nine times in ten.
        "no" => "nb",
        // Codes withdrawn from ISO 639-1 that old pages still use.
        "iw" => "he",
        "in" => "id",
        other => other,
    };
    let language = match primary.len() {
        2 => language_of_code(primary)?,
        3 => language_of_iso3(primary)?,
        _ => return None,
    };
    Some(code(language))
}

fn language_of_code(code: &str) -> Option<Language> {
    let iso = IsoCode639_1::from_str(code).ok()?;
    Some(Language::from_iso_code_639_1(&iso))
}

/// `whatlang` names languages by ISO 639-3; two of its codes are the individual language where
/// `lingua` has the macrolanguage.
fn language_of_iso3(code: &str) -> Option<Language> {
    let code = match code {
        "cmn" => "zho",
        "pes" => "fas",
        other => other,
    };
    let iso = IsoCode639_3::from_str(code).ok()?;
    Some(Language::from_iso_code_639_3(&iso))
}

/// The ISO 639-1 code of a language, as a static string.
fn code(language: Language) -> &'static str {
    static CODES: LazyLock<HashMap<Language, &'static str>> = LazyLock::new(|| {
        Language::all()
            .into_iter()
            .map(|l| {
                let code: &'static str = Box::leak(l.iso_code_639_1().to_string().into_boxed_str());
                (l, code)
            })
            .collect()
    });
    CODES[&language]
}

/// `language` and the languages only `lingua` tells it from.
fn close_to(language: Language) -> Vec<Language> {
    let c = code(language);
    match CLOSE.iter().find(|group| group.contains(&c)) {
        Some(group) => group.iter().filter_map(|c| language_of_code(c)).collect(),
        None => vec![language],
    }
}

/// `lingua` over all its languages; it loads a language's model the first time it needs it.
fn full() -> &'static LanguageDetector {
    static FULL: LazyLock<LanguageDetector> =
        LazyLock::new(|| LanguageDetectorBuilder::from_all_languages().build());
    &FULL
}

/// Letters that no language `whatlang` knows writes, while a language only `lingua` knows does:
/// the Cyrillic letters of Kazakh and Mongolian, which `whatlang` reads as Russian. Text holding
/// one goes to `lingua`.
fn beyond_whatlang(c: char) -> bool {
    matches!(
        c,
        'ә' | 'Ә'
            | 'ғ'
            | 'Ғ'
            | 'қ'
            | 'Қ'
            | 'ң'
            | 'Ң'
            | 'ө'
            | 'Ө'
            | 'ұ'
            | 'Ұ'
            | 'ү'
            | 'Ү'
            | 'һ'
            | 'Һ'
    )
}

/// `lingua`'s confidences over all its languages, best first, with one correction.
///
/// `lingua` (1.8) narrows the languages by letters before it weighs n-grams, and its table puts
/// `щ` in Bulgarian, Kazakh, Mongolian and Russian but not in Ukrainian, whose alphabet has it.
/// A Ukrainian sentence with `щ` (`що`, "that", is among its commonest words) and `і` then reads
/// as Kazakh, the one language with both, at full confidence. Kazakh is written with letters
/// Ukrainian lacks (`ы` above all, and `ә ғ қ ң ө ұ ү һ`); text that holds `і` and none of those,
/// nor the Russian `ё э ъ`, is weighed again between the two languages that write `і` without
/// them, Ukrainian and Belarusian.
fn over_all(text: &str) -> Vec<(Language, f64)> {
    let ranked = full().compute_language_confidence_values(text);
    let read_as_kazakh = ranked.first().is_some_and(|(l, _)| *l == Language::Kazakh);
    if read_as_kazakh
        && text.chars().any(|c| matches!(c, 'і' | 'І'))
        && !text.chars().any(|c| {
            beyond_whatlang(c) || matches!(c, 'ы' | 'Ы' | 'ё' | 'Ё' | 'э' | 'Э' | 'ъ' | 'Ъ')
        })
    {
        return weigh(&[Language::Ukrainian, Language::Belarusian], text);
    }
    ranked
}

/// `ranked` with the other language of a close pair first, in the place and with the
/// confidence of the one ranked best, when the text's words are spelled the other's way and
/// never the best's (see [`spelling`]).
fn by_spelling(mut ranked: Vec<(Language, f64)>, text: &str) -> Vec<(Language, f64)> {
    let Some(&(best, confidence)) = ranked.first() else {
        return ranked;
    };
    if let Some(other) = spelling::other_by_spelling(best, text) {
        ranked.retain(|(l, _)| *l != other);
        ranked.insert(0, (other, confidence));
    }
    ranked
}

/// `lingua`'s confidences over a few languages (two or more), best first.
fn weigh(candidates: &[Language], text: &str) -> Vec<(Language, f64)> {
    static DETECTORS: LazyLock<Mutex<HashMap<Vec<Language>, Arc<LanguageDetector>>>> =
        LazyLock::new(Default::default);
    let mut key = candidates.to_vec();
    key.sort();
    let detector =
        {
            let mut map = DETECTORS.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(map.entry(key).or_insert_with_key(|k| {
                Arc::new(LanguageDetectorBuilder::from_languages(k).build())
            }))
        };
    detector.compute_language_confidence_values(head(text, LINGUA_BYTES))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_of(text: &str) -> &'static str {
        detect_text(text, None).code
    }

    #[test]
    fn one_sentence_a_language() {
        let cases = [
            ("en", "The intelligence service recruited two officials at the embassy last spring."),
            ("fr", "Les services de renseignement ont arrêté un diplomate soupçonné d'espionnage à Paris."),
            ("de", "Der Bundesnachrichtendienst hat nach Angaben der Regierung mehrere Agenten enttarnt."),
            ("es", "El servicio de inteligencia detuvo a un funcionario acusado de vender secretos militares."),
            ("it", "I servizi segreti hanno scoperto una rete di spie che lavorava nel porto di Genova."),
            ("pt", "A polícia prendeu um funcionário acusado de entregar documentos a uma potência estrangeira."),
            ("nl", "De inlichtingendienst waarschuwt dat buitenlandse spionnen steeds vaker studenten benaderen."),
            ("pl", "Agencja Bezpieczeństwa Wewnętrznego zatrzymała obywatela podejrzanego o szpiegostwo."),
            ("ru", "Федеральная служба безопасности задержала сотрудника министерства по подозрению в шпионаже."),
            ("uk", "Служба безпеки України затримала агента, який збирав відомості про військові об'єкти."),
            ("ar", "اعتقلت أجهزة الأمن موظفا في السفارة بتهمة التجسس لصالح دولة أجنبية."),
            ("fa", "وزارت اطلاعات اعلام کرد که یک شبکه جاسوسی در تهران کشف شده است."),
            ("he", "שירות הביטחון הכללי עצר חשוד בריגול לטובת מדינה זרה."),
            ("tr", "Milli İstihbarat Teşkilatı, yabancı bir ülke adına casusluk yapan iki kişiyi gözaltına aldı."),
            ("zh", "国家安全部门破获了一起境外间谍机构窃取军事机密的案件。"),
            ("ja", "警察は外国の情報機関のために機密を漏らした疑いで元職員を逮捕した。"),
            ("ko", "국가정보원은 외국 정보기관에 군사 기밀을 넘긴 혐의로 전직 장교를 체포했다."),
        ];
        for (want, text) in cases {
            let got = detect_text(text, None);
            assert_eq!(got.code, want, "{text}");
            assert_eq!(got.source, Some(Source::Detected), "{text}");
        }
    }

    #[test]
    fn ukrainian_with_shcha_is_not_kazakh() {
        // `що` and `і`: the letters that made `lingua` alone say Kazakh.
        for text in [
            "Розвідка повідомила, що агент діяв у місті два роки.",
            "Кажуть, що це відомо всім.",
        ] {
            assert_eq!(code_of(text), "uk", "{text}");
        }
        // Kazakh keeps its own letters and its `ы`.
        assert_eq!(
            code_of("Ұлттық қауіпсіздік комитеті шетелдік барлау агентін ұстады."),
            "kk"
        );
    }

    #[test]
    fn mongolian_is_not_read_as_russian() {
        // Long enough for `whatlang`, which knows no Mongolian and reads its Cyrillic as Russian.
        let text = "Монгол Улсын Тагнуулын ерөнхий газар гадаадын тагнуулын албатай холбоотой \
                    хоёр хүнийг баривчилсан гэж мэдэгдэв. Тэд олон жилийн турш төрийн нууц \
                    мэдээллийг цуглуулж, гадаадад дамжуулж байсан гэж хэрэг бүртгэх \
                    ажиллагааны явцад тогтоогджээ. Шүүх хурал ирэх сард болно.";
        assert!(text.len() >= SHORT_BYTES);
        assert_eq!(code_of(text), "mn");
    }

    #[test]
    fn too_short_is_undetermined_unless_declared() {
        for text in ["", "OK", "12:30 — 4.5%", "AFP"] {
            assert_eq!(detect_text(text, None), Detection::UNDETERMINED, "{text:?}");
        }
        let got = detect_text("AFP", Some("fr-FR"));
        assert_eq!((got.code, got.source), ("fr", Some(Source::Declared)));
        // A declaration no detector knows is no hint.
        assert_eq!(
            detect_text("AFP", Some("x-klingon")),
            Detection::UNDETERMINED
        );
    }

    #[test]
    fn clear_text_overrules_the_declaration() {
        let text = "Le ministère a confirmé que l'agent travaillait pour un service étranger depuis dix ans.";
        assert_eq!(
            detect_text(text, Some("en")),
            Detection {
                code: "fr",
                source: Some(Source::Detected)
            }
        );
        assert_eq!(
            detect_text(text, Some("fr")),
            Detection {
                code: "fr",
                source: Some(Source::Both)
            }
        );
    }

    #[test]
    fn declaration_decides_between_close_languages() {
        // Croatian and Bosnian read this alike (lingua: about 53 % and 46 %).
        let text = "Sud je osudio bivšeg oficira na deset godina zatvora.";
        let got = |declared| {
            let d = detect_text(text, declared);
            (d.code, d.source)
        };
        assert_eq!(got(None), ("hr", Some(Source::Detected)));
        assert_eq!(got(Some("hr")), ("hr", Some(Source::Both)));
        assert_eq!(got(Some("bs")), ("bs", Some(Source::Declared)));
        // A declaration the text makes implausible is no tie-breaker.
        assert_eq!(got(Some("pl")), ("hr", Some(Source::Detected)));
    }

    #[test]
    fn mixed_article_gets_its_main_language() {
        let paragraphs = vec![
            "Officials in Kyiv said the network had recruited informants in three regional \
             administrations and paid them through a charity registered abroad."
                .to_string(),
            "«Ми знали про це давно», — сказав речник служби.".to_string(),
            "The service said the informants passed on the movements of military convoys and \
             the names of officers, and that several had already confessed."
                .to_string(),
        ];
        let got = detect(
            Some("Spy network uncovered in Ukraine"),
            &paragraphs,
            Some("uk"),
        );
        assert_eq!((got.code, got.source), ("en", Some(Source::Detected)));
    }

    #[test]
    fn sample_is_bounded_and_cut_at_a_character() {
        let long = vec!["é".repeat(5000), "never read".to_string()];
        let s = sample(Some("Titre"), &long);
        assert!(s.len() <= SAMPLE_BYTES && s.starts_with("Titre\né"));
        assert!(!s.contains("never"));
    }

    #[test]
    fn declared_tags() {
        assert_eq!(code_of_tag("fr-FR"), Some("fr"));
        assert_eq!(code_of_tag(" en_US "), Some("en"));
        assert_eq!(code_of_tag("zh-Hant-TW"), Some("zh"));
        assert_eq!(code_of_tag("no"), Some("nb"));
        assert_eq!(code_of_tag("iw"), Some("he"));
        assert_eq!(code_of_tag("deu"), Some("de"));
        assert_eq!(code_of_tag(""), None);
        assert_eq!(code_of_tag("tlh"), None);
        assert_eq!(code_of_tag("english"), None);
        assert_eq!(
            code_of("Это короткий, но вполне понятный текст о разведке."),
            "ru"
        );
    }
}
