//! Every language the corpus speaks, end to end: an article written for the test in each
//! language is indexed, and the query forms a speaker types (inflected, without accents or
//! diacritics, decomposed, a word inside unspaced text, a part of a compound) find it, with the
//! matched words highlighted and the article's language in the hit.

use crate::util::{parse_lines, Env, Fixture};

fn page(lang: &str, title: &str, paras: &[&str]) -> String {
    let body: String = paras.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <title>{title} | Test</title></head><body>\n\
         <nav><a href=\"/\">Home</a></nav>\n\
         <article><h1>{title}</h1>\n{body}</article>\n\
         <footer>Copyright</footer></body></html>"
    )
}

/// (file stem, language, title, paragraphs): short reports written for these tests.
const ARTICLES: &[(&str, &str, &str, &[&str])] = &[
    ("fr", "fr", "La DGSE et l'affaire des deux officiers", &[
        "Deux officiers de la Direction générale de la sécurité extérieure ont été mis en examen \
         à Paris pour trahison au profit d'un service étranger.",
        "Selon l'enquête, ils auraient transmis des documents classifiés lors de voyages \
         répétés en Asie, sans en informer leur hiérarchie.",
    ]),
    ("de", "de", "Spionageverdacht gegen Mitarbeiter des BND", &[
        "Ein Mitarbeiter des Bundesnachrichtendienstes soll jahrelang geheime Unterlagen an \
         einen ausländischen Dienst weitergegeben haben.",
        "Die Bundesanwaltschaft ließ den Mann in Berlin festnehmen; der Verfassungsschutz \
         prüft weitere Kontakte.",
    ]),
    ("ru", "ru", "ФСБ сообщила о задержании агента", &[
        "Федеральная служба безопасности России объявила о задержании гражданина, который \
         передавал сведения иностранной разведке.",
        "По данным ведомства, задержанный встречался с куратором в Москве несколько раз.",
    ]),
    ("uk", "uk", "СБУ викрила мережу агентів", &[
        "Служба безпеки України повідомила про викриття мережі, яка працювала на розвідку \
         Росії у прикордонних областях.",
        "Затриманим загрожує довічне ув'язнення за державну зраду.",
    ]),
    ("pl", "pl", "ABW zatrzymała szpiega", &[
        "Agencja Bezpieczeństwa Wewnętrznego zatrzymała obywatela, który zbierał informacje \
         dla wywiadu Rosji na terenie Polski.",
        "Prokuratura postawiła mu zarzut udziału w obcym wywiadzie.",
    ]),
    ("es", "es", "El CNI investiga una red de espionaje", &[
        "El Centro Nacional de Inteligencia investiga a varios funcionarios por filtrar \
         información a servicios extranjeros en España.",
        "Las autoridades detuvieron a dos sospechosos en Madrid la semana pasada.",
    ]),
    ("it", "it", "L'AISE e le spie nel porto", &[
        "L'Agenzia informazioni e sicurezza esterna ha segnalato movimenti sospetti di \
         agenti stranieri nei porti italiani.",
        "Gli investigatori hanno sequestrato computer e documenti riservati.",
    ]),
    ("ar", "ar", "جهاز المُوسَاد والشبكة في إيران", &[
        "أعلنت السلطات في إيران أنها فككت شبكة تعمل لصالح جهاز المُوسَاد الإسرائيلي.",
        "وأضافت أن عملاء المــوساد دخلوا البلاد بجوازات سفر مزورة.",
        "وقالت وزارة الاستخبارات إن أعضاء الشبكة جمعوا معلومات عن منشآت عسكرية.",
    ]),
    ("fa", "fa", "وزارت اطلاعات از بازداشت جاسوس خبر داد", &[
        "وزارت اطلاعات ایران اعلام کرد که یک شبکه جاسوسی را در تهران شناسایی کرده است.",
        "به گفته این وزارتخانه اعضای شبکه با یک سرویس خارجی در ارتباط بودند.",
    ]),
    ("zh", "zh", "国家安全部披露一起间谍案", &[
        "中国国家安全部的官员表示，一名前工程师向境外情报机构出售了机密资料。",
        "该案件已移交检察机关，调查仍在继续。",
    ]),
    ("ja", "ja", "公安調査庁が報告書を公表", &[
        "公安調査庁は中国の情報機関による技術窃取の手口について報告書を公表した。",
        "報告書は企業に対して注意を呼びかけている。",
    ]),
];

/// [`ARTICLES`] as pages, indexed once for the tests that only search them.
static ARTICLES_INDEXED: Fixture = Fixture::new(|env| {
    for (stem, lang, title, paras) in ARTICLES {
        env.write(&format!("c/{stem}.html"), page(lang, title, paras));
    }
    env.index(&env.path("c"));
});

fn indexed() -> Env {
    Env::with(&ARTICLES_INDEXED)
}

/// The file stems of the articles a search finds, and the words it highlights (in order, so that
/// the pieces of a segmented word follow each other).
fn found(env: &Env, args: &[&str]) -> (Vec<String>, Vec<String>) {
    let (hits, _) = env.search_json(args);
    let mut stems = Vec::new();
    let mut words = Vec::new();
    for h in hits {
        let stem = std::path::Path::new(&h.path)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if !stems.contains(&stem) {
            stems.push(stem);
        }
        for [s, e] in h.highlights {
            words.push(h.text[s..e].to_string());
        }
    }
    (stems, words)
}

#[test]
fn each_language_is_found_by_the_forms_its_speakers_type() {
    let env = indexed();
    // (query, the article it must find, a word it must highlight there)
    let cases: &[(&str, &str, &str)] = &[
        // Inflections.
        ("Россия", "ru", "России"),
        ("Росія", "uk", "Росії"),
        ("Rosja", "pl", "Rosji"),
        ("officier", "fr", "officiers"),
        ("investigar", "es", "investiga"),
        ("documento", "it", "documenti"),
        // Accents left out, and written decomposed (e + U+0301).
        ("securite exterieure", "fr", "sécurité"),
        ("se\u{301}curite\u{301}", "fr", "sécurité"),
        ("Bezpieczenstwa", "pl", "Bezpieczeństwa"),
        ("Espana", "es", "España"),
        // A part of a compound.
        ("Nachrichtendienst", "de", "Bundesnachrichtendienstes"),
        // Arabic without diacritics or tatweel, with the bare alef; Persian with Arabic letters.
        ("الموساد", "ar", "المُوسَاد"),
        ("الموساد", "ar", "المــوساد"),
        ("ايران", "ar", "إيران"),
        ("ايران", "fa", "ایران"),
        // Words inside unspaced Chinese and Japanese text.
        ("国家安全部", "zh", "国家安全部"),
        ("安全部", "zh", "安全部"),
        ("公安調査庁", "ja", "公安調査庁"),
    ];
    let mut failures = Vec::new();
    for &(query, stem, word) in cases {
        let (stems, words) = found(&env, &[query]);
        if !stems.iter().any(|s| s == stem) {
            failures.push(format!("{query:?} did not find {stem}: {stems:?}"));
        } else if !words.iter().any(|w| w == word) && !words.concat().contains(word) {
            failures.push(format!(
                "{query:?} did not mark {word:?} in {stem}: {words:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hits_carry_their_language_and_lang_filters() {
    let env = indexed();
    let (hits, _) = env.search_json(&["Rosji"]);
    assert!(hits.iter().all(|h| h.language == "pl"), "{hits:?}");
    // The same stem in two languages: the filter keeps one.
    let (all, _) = found(&env, &["Russia OR Россия OR Росія"]);
    assert!(
        all.contains(&"ru".to_string()) && all.contains(&"uk".to_string()),
        "{all:?}"
    );
    let (only, _) = found(&env, &["Russia OR Россия OR Росія", "--lang", "uk"]);
    assert_eq!(only, ["uk"]);
    let out = env.run(&["search", "x", "--lang", "french!"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--lang"));
}

#[test]
fn languages_are_facets_and_status() {
    let env = indexed();
    let out = env.ok(&["facets", "--format", "json"], 0);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let langs: Vec<&str> = v["languages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    for (_, lang, _, _) in ARTICLES {
        assert!(langs.contains(lang), "{lang} missing from {langs:?}");
    }
    let status = env.ok(&["status"], 0);
    assert!(status.contains("languages:"), "{status}");
}

#[test]
fn no_script_makes_indexing_or_search_fail() {
    let env = Env::new();
    let texts = [
        ("th", "หน่วยข่าวกรองของไทยรายงานว่ามีการจารกรรมข้อมูลในกรุงเทพ"),
        ("he", "המוסד הודיע כי חשף רשת ריגול בתל אביב"),
        ("hi", "भारत की खुफिया एजेंसी ने जासूसी नेटवर्क का पर्दाफाश किया"),
        ("ko", "국가정보원은 북한의 해킹 조직을 적발했다고 밝혔다"),
        (
            "und",
            "🕵️ spy 🇷🇺 mixed Су-27 и MiG-29 ﬁle ＡＢＣ １２３ x\u{301}\u{302}\u{303}",
        ),
    ];
    for (i, (lang, text)) in texts.iter().enumerate() {
        let para = format!("{text} {text} {text}");
        env.write(&format!("c/{i}.html"), page(lang, text, &[&para, &para]));
    }
    env.index(&env.path("c"));
    for (_, text) in texts {
        for word in text.split_whitespace() {
            let out = env.run(&["search", "--format", "json", word]);
            let err = String::from_utf8_lossy(&out.stderr);
            // A word of symbols alone (an emoji) is refused by name; anything else searches.
            if out.status.code() == Some(2) {
                assert!(err.contains("has no letters or digits"), "{word:?}: {err}");
                continue;
            }
            assert!(matches!(out.status.code(), Some(0 | 1)), "{word:?}: {err}");
            let (hits, _) = parse_lines(&String::from_utf8(out.stdout).unwrap());
            for h in hits {
                for [s, e] in h.highlights {
                    assert!(h.text.is_char_boundary(s) && h.text.is_char_boundary(e));
                }
            }
        }
    }
    // A Thai word inside unspaced text, a Korean noun with its particle.
    assert!(!found(&env, &["ข่าวกรอง"]).0.is_empty());
    assert!(!found(&env, &["국가정보원"]).0.is_empty());
}
