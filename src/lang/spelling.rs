//! Words that one of two close languages writes and the other does not: the standard spellings
//! and words by which a reader tells Malay from Indonesian, Nynorsk from Bokmål, Croatian from
//! Bosnian and Marathi from Hindi, where the n-gram detectors hesitate on a sentence.
//!
//! The lists hold only words whose other-language counterpart differs in spelling or is another
//! word (`bahawa`/`bahwa`, `ikkje`/`ikke`, `tisuća`/`hiljada`, `आहे`/`है`), and leave out words
//! both languages write with another meaning (Malay `bisa` is venom, Indonesian "can"; Croatian
//! `sedmica` is a seven, Bosnian a week) unless that meaning is rare in running text.

use lingua::Language;

/// Two close languages, each with words it writes and the other does not.
struct Pair {
    a: Language,
    a_words: &'static [&'static str],
    b: Language,
    b_words: &'static [&'static str],
}

const PAIRS: &[Pair] = &[
    Pair {
        a: Language::Malay,
        a_words: &[
            "bahawa",
            "iaitu",
            "kerana",
            "mahu",
            "sahaja",
            "ogos",
            "disember",
            "julai",
            "percuma",
            "kenderaan",
            "universiti",
            "televisyen",
            "maklumat",
            "syarikat",
            "mesyuarat",
            "kakitangan",
            "projek",
            "kualiti",
            "aktiviti",
            "komuniti",
        ],
        b: Language::Indonesian,
        b_words: &[
            "bahwa",
            "yaitu",
            "karena",
            "uang",
            "agustus",
            "desember",
            "juli",
            "maret",
            "kantor",
            "universitas",
            "proyek",
            "kualitas",
            "aktivitas",
            "komunitas",
            "televisi",
            "kendaraan",
            "bisa",
            "nggak",
            "banget",
        ],
    },
    Pair {
        a: Language::Nynorsk,
        a_words: &[
            "ikkje", "kva", "korleis", "kvifor", "kven", "frå", "berre", "mykje", "noko", "nokon",
            "nokre", "eit", "ein", "heile", "sjølv", "vere", "vore", "kjem", "eg", "dei", "òg",
            "fleire", "medan", "difor", "saman", "korkje", "veit", "sjå", "gjere",
        ],
        b: Language::Bokmal,
        b_words: &[
            "ikke", "hva", "hvordan", "hvorfor", "hvem", "fra", "bare", "mye", "noe", "noen", "et",
            "en", "hele", "selv", "være", "vært", "kommer", "jeg", "hun", "flere", "mens",
            "sammen", "hver", "hvor", "vet", "gjøre", "hvis",
        ],
    },
    Pair {
        a: Language::Croatian,
        a_words: &[
            "tisuća",
            "tisuće",
            "tjedan",
            "tjedna",
            "točno",
            "točka",
            "povijest",
            "povijesti",
            "kemija",
            "glazba",
            "glazbe",
            "zrakoplov",
            "sveučilište",
            "sveučilišta",
            "siječnja",
            "veljače",
            "ožujka",
            "travnja",
            "svibnja",
            "lipnja",
            "srpnja",
            "kolovoza",
            "rujna",
            "listopada",
            "studenoga",
            "prosinca",
            "tijekom",
            "europski",
            "europske",
            "milijun",
            "milijuna",
            "tvrtka",
            "tvrtke",
        ],
        b: Language::Bosnian,
        b_words: &[
            "hiljada",
            "hiljade",
            "tačno",
            "tačka",
            "historija",
            "historije",
            "hemija",
            "voz",
            "univerzitet",
            "univerziteta",
            "januar",
            "februar",
            "mart",
            "juni",
            "juli",
            "septembar",
            "oktobar",
            "novembar",
            "decembar",
            "tokom",
            "porodica",
            "porodice",
            "evropski",
            "evropske",
            "evropa",
            "evrope",
            "milion",
            "miliona",
            "preduzeće",
        ],
    },
    Pair {
        a: Language::Marathi,
        a_words: &[
            "आहे",
            "आहेत",
            "आणि",
            "नाही",
            "म्हणून",
            "करण्यात",
            "आली",
            "झाली",
            "त्यांनी",
            "त्याच्या",
            "असे",
        ],
        b: Language::Hindi,
        b_words: &[
            "है",
            "हैं",
            "और",
            "नहीं",
            "में",
            "से",
            "को",
            "था",
            "थी",
            "थे",
            "लिए",
            "किया",
            "गया",
        ],
    },
];

/// The language of the pair `best` belongs to that `text` is written in by its spellings, when
/// `text` holds words only the other language writes and none only `best` writes. `None` when
/// the words do not speak against `best`.
pub(super) fn other_by_spelling(best: Language, text: &str) -> Option<Language> {
    let pair = PAIRS.iter().find(|p| p.a == best || p.b == best)?;
    let (own, other, other_words) = if pair.a == best {
        (pair.a_words, pair.b, pair.b_words)
    } else {
        (pair.b_words, pair.a, pair.a_words)
    };
    let (mut for_own, mut for_other) = (0, 0);
    // Marathi alone of the two writes the letter ळ.
    if pair.a == Language::Marathi && text.contains('ळ') {
        if best == Language::Marathi {
            for_own += 1;
        } else {
            for_other += 1;
        }
    }
    for word in text.split(|c: char| !c.is_alphanumeric() && !is_mark(c)) {
        if word.is_empty() {
            continue;
        }
        let word = word.to_lowercase();
        if own.contains(&word.as_str()) {
            for_own += 1;
        } else if other_words.contains(&word.as_str()) {
            for_other += 1;
        }
    }
    (for_own == 0 && for_other > 0).then_some(other)
}

/// Combining marks, which Devanagari writes inside words (vowel signs, virama).
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0900}'..='\u{0903}' | '\u{093A}'..='\u{094F}' | '\u{0951}'..='\u{0957}' | '\u{0962}'..='\u{0963}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_the_other_language_and_none_of_its_own_switch() {
        let ms = "Beliau berkata bahawa projek itu akan siap pada bulan Ogos.";
        assert_eq!(
            other_by_spelling(Language::Indonesian, ms),
            Some(Language::Malay)
        );
        assert_eq!(other_by_spelling(Language::Malay, ms), None);
        let nn = "Eg veit ikkje kva dei meiner.";
        assert_eq!(
            other_by_spelling(Language::Bokmal, nn),
            Some(Language::Nynorsk)
        );
        let hr = "Tko je bio u vlaku tijekom tjedna?";
        assert_eq!(
            other_by_spelling(Language::Bosnian, hr),
            Some(Language::Croatian)
        );
        let mr = "हा निर्णय महत्त्वाचा आहे आणि तो लवकरच घेतला जाईल.";
        assert_eq!(
            other_by_spelling(Language::Hindi, mr),
            Some(Language::Marathi)
        );
    }

    #[test]
    fn mixed_or_silent_spellings_keep_the_detected_language() {
        // Words of both: the detector's reading stands.
        let both = "Dia berkata bahwa kerana itu tidak boleh.";
        assert_eq!(other_by_spelling(Language::Indonesian, both), None);
        // No word of either list.
        assert_eq!(
            other_by_spelling(Language::Indonesian, "Saya makan nasi goreng."),
            None
        );
        // A language outside the pairs.
        assert_eq!(other_by_spelling(Language::English, "because bahawa"), None);
    }
}
