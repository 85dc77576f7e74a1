//! Tests over the tables, the case and context rules, the documented traps, the seed article and
//! a small generated corpus with ground truth.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use super::*;

fn ids(tags: &Tags) -> (Vec<&'static str>, Vec<&'static str>) {
    (tags.agencies.clone(), tags.countries.clone())
}

fn countries_of(text: &str) -> Vec<&'static str> {
    tag(text).countries
}

fn agencies_of(text: &str) -> Vec<&'static str> {
    tag(text).agencies
}

// ------------------------------------------------------------------ tables

#[test]
fn agency_table_is_big_and_consistent() {
    let all = agencies();
    assert!(all.len() >= 120, "only {} agencies", all.len());
    let owners: HashSet<_> = all.iter().map(|a| a.country).collect();
    assert!(
        owners.len() >= 60,
        "agencies from only {} countries",
        owners.len()
    );
    let mut seen = HashSet::new();
    for a in all {
        assert!(seen.insert(a.id), "duplicate agency ID {}", a.id);
        assert!(
            a.id.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'),
            "agency ID {} is not upper-case letters, digits and hyphens",
            a.id
        );
        assert!(
            country(a.country).is_some(),
            "{}: unknown country {}",
            a.id,
            a.country
        );
        assert_eq!(a.name(), a.english[0]);
        if let Some(s) = a.successor {
            assert!(agency(s).is_some(), "{}: unknown successor {s}", a.id);
            assert!(
                a.dissolved.is_some(),
                "{} has a successor but no end year",
                a.id
            );
        }
        for n in &a.names {
            assert_eq!(n.trim(), *n, "{}: alias {n:?} has outer spaces", a.id);
            assert!(
                !n.starts_with("the "),
                "{}: alias {n:?} starts with 'the'",
                a.id
            );
        }
    }
    let historical = all.iter().filter(|a| a.dissolved.is_some()).count();
    assert!(historical >= 10, "only {historical} historical services");
    for id in ["KGB", "STASI", "SDECE"] {
        assert!(
            agency(id).unwrap().dissolved.is_some(),
            "{id} is historical"
        );
    }
}

#[test]
fn country_table_has_every_iso_entry() {
    let all = countries();
    // The 249 entries of ISO 3166-1, and Kosovo under its user-assigned XK.
    assert_eq!(all.len(), 250);
    assert_eq!(resolve_country("Kosovo"), Some("XK"));
    let codes: HashSet<_> = all.iter().map(|c| c.code).collect();
    assert_eq!(codes.len(), 250, "duplicate country codes");
    for c in all {
        assert!(
            c.code.len() == 2 && c.code.chars().all(|ch| ch.is_ascii_uppercase()),
            "bad code {}",
            c.code
        );
        assert!(
            !c.name.is_empty() && !c.formal.is_empty(),
            "{} lacks a name",
            c.code
        );
    }
}

#[test]
fn every_alias_resolves_to_its_id() {
    for a in agencies() {
        assert_eq!(resolve_agency(a.id), Some(a.id));
        assert_eq!(resolve_agency(&a.id.to_lowercase()), Some(a.id));
        for n in a.names.iter().filter(|n| !a.shared.contains(n)) {
            assert_eq!(resolve_agency(n), Some(a.id), "agency alias {n:?}");
            // Case folding is lossy for a few letters (Turkish dotted I): test the rest.
            let upper = n.to_uppercase();
            if upper.to_lowercase() == n.to_lowercase() {
                assert_eq!(resolve_agency(&upper), Some(a.id), "agency alias {n:?}");
            }
        }
    }
    for c in countries().iter().chain(former_states()) {
        assert_eq!(resolve_country(c.code), Some(c.code));
        assert_eq!(resolve_country(&c.code.to_lowercase()), Some(c.code));
        assert_eq!(
            resolve_country(c.name),
            Some(c.code),
            "country name {}",
            c.name
        );
        for n in &c.aliases {
            assert_eq!(resolve_country(n), Some(c.code), "country alias {n:?}");
        }
    }
}

/// The scan starts the automaton only where [`matcher::may_start_form`] allows: every form must
/// start there, or it would never be found.
#[test]
fn every_form_starts_where_the_scan_looks() {
    // Descriptions are matched word by word after analysis (inflect.rs), not by the automaton.
    let agency_forms = agencies()
        .iter()
        .flat_map(|a| a.names.iter().filter(|n| !a.described.contains(n)));
    let country_forms = countries()
        .iter()
        .flat_map(|c| std::iter::once(&c.name).chain(&c.aliases));
    let stops = rules::STOP_AGENCY.iter().chain(rules::STOP_COUNTRY.iter());
    for form in agency_forms.chain(country_forms).chain(stops) {
        assert!(
            matcher::may_start_form(form.as_bytes()[0]),
            "{form:?} starts with a lower-case letter, a digit or punctuation"
        );
    }
}

/// No alias (up to case) belongs to two entities of one kind: the matcher would have to guess.
#[test]
fn no_alias_is_claimed_twice() {
    let mut owner: HashMap<String, &str> = HashMap::new();
    for a in agencies() {
        for n in a.names.iter().filter(|n| !a.shared.contains(n)) {
            let prev = owner.insert(n.to_lowercase(), a.id);
            assert!(
                prev.is_none() || prev == Some(a.id),
                "{n:?}: {prev:?} and {}",
                a.id
            );
        }
    }
    // A shared acronym is owned by exactly one other service.
    for a in agencies() {
        for n in &a.shared {
            let owners: Vec<_> = agencies()
                .iter()
                .filter(|o| o.id != a.id && o.acronyms.contains(n))
                .collect();
            assert_eq!(owners.len(), 1, "{}: shared acronym {n:?}", a.id);
        }
    }
    let mut owner: HashMap<String, &str> = HashMap::new();
    for c in countries().iter().chain(former_states()) {
        for n in std::iter::once(&c.name).chain(&c.aliases) {
            let prev = owner.insert(n.to_lowercase(), c.code);
            assert!(
                prev.is_none() || prev == Some(c.code),
                "{n:?}: {prev:?} and {}",
                c.code
            );
        }
    }
}

/// Every agency alias is found by the tagger in a neutral sentence, as its own agency.
#[test]
fn every_agency_alias_is_tagged_in_running_text() {
    for a in agencies() {
        for n in a.names.iter().filter(|n| !a.shared.contains(n)) {
            // Some acronyms need talk of intelligence around them (rules.rs).
            let text = format!("Reports about {n} were denied by intelligence officials.");
            let tags = tag(&text);
            assert_eq!(tags.agencies, [a.id], "{text:?}");
            let m = &tags
                .mentions
                .iter()
                .find(|m| m.kind == EntityKind::Agency)
                .unwrap();
            assert_eq!(&text[m.start..m.end], *n);
            assert_eq!(m.surface, *n);
        }
    }
}

/// Every country form is found by the tagger in a neutral sentence, as its own country.
#[test]
fn every_country_alias_is_tagged_in_running_text() {
    for c in countries().iter().chain(former_states()) {
        for n in std::iter::once(&c.name).chain(&c.aliases) {
            let text = format!("Reports about {n} were denied on Monday.");
            let tags = tag(&text);
            let (found, other) = match c.former {
                Some(_) => (&tags.former, &tags.countries),
                None => (&tags.countries, &tags.former),
            };
            assert!(found.contains(&c.code), "{text:?} lacks {}", c.code);
            assert!(
                !other.contains(&c.code),
                "{text:?}: {} in the wrong list",
                c.code
            );
        }
    }
}

/// Former states have codes of their own (ISO 3166-3 keeps them reserved, none is a current
/// code) and a current successor.
#[test]
fn former_states_are_apart_from_todays_countries() {
    let codes: Vec<&str> = former_states().iter().map(|c| c.code).collect();
    assert_eq!(codes, ["SU", "YU", "CS", "DD"]);
    for c in former_states() {
        assert!(countries().iter().all(|t| t.code != c.code), "{}", c.code);
        let f = c.former.unwrap();
        let successor = country(f.successor).unwrap();
        assert!(successor.former.is_none(), "{}", c.code);
        assert!((1900..2010).contains(&f.ended), "{}", c.code);
        assert!(is_former(c.code));
    }
    assert!(countries()
        .iter()
        .all(|c| c.former.is_none() && !is_former(c.code)));
    assert_eq!(resolve_country("the Soviet Union"), Some("SU"));
    assert_eq!(resolve_country("ussr"), Some("SU"));
    assert_eq!(resolve_country("West Germany"), Some("DE"));
    assert_eq!(resolve_country("East Germany"), Some("DD"));
    assert_eq!(
        split_former(vec!["RU".into(), "SU".into(), "US".into()]),
        (
            vec!["RU".to_string(), "US".to_string()],
            vec!["SU".to_string()]
        )
    );
}

#[test]
fn soviet_union_is_not_todays_russia() {
    let tags =
        tag("The KGB ran the Soviet Union's networks; Soviet officers and the USSR's allies.");
    assert_eq!(tags.countries, Vec::<&str>::new());
    assert_eq!(tags.former, ["SU"]);
    let tags = tag("Moscow sees the post-Soviet states as its sphere.");
    assert_eq!((tags.countries, tags.former), (vec!["RU"], vec![]));
    let tags = tag("East German and Czechoslovak agents met in Yugoslavia.");
    assert_eq!(tags.former, ["CS", "DD", "YU"]);
    assert!(tags.countries.is_empty());
}

#[test]
fn turkmen_of_iraq_are_a_people() {
    let doc = ["Turkish money flows to Turkmen political groups in northern Iraq."];
    assert_eq!(tag_document(&doc)[0].countries, ["IQ", "TR"]);
    let doc = ["Iraqi and Turkmen security officials met in Baghdad."];
    assert_eq!(tag_document(&doc)[0].countries, ["IQ", "TM"]);
    let doc = ["Syrian police held a man who holds Turkmen citizenship."];
    assert_eq!(tag_document(&doc)[0].countries, ["SY", "TM"]);
    let doc = ["Turkmen gas reaches China; Turkmenistan signed the deal in Ashgabat."];
    assert_eq!(tag_document(&doc)[0].countries, ["CN", "TM"]);
}

/// "Russian" in a clause about how things once were is the Soviet Union; anywhere else, and in
/// a clause that speaks of today, it is Russia.
#[test]
fn russian_of_the_soviet_era() {
    let era = |text: &str| {
        let t = tag(text);
        (t.countries, t.former)
    };
    let su = (vec![], vec!["SU"]);
    let ru = (vec!["RU"], vec![]);
    assert_eq!(
        era("Chinese intelligence was once largely dependent on Russian guidance to function."),
        (vec!["CN"], vec!["SU"])
    );
    assert_eq!(
        era("Its officers were once trained by Russian instructors."),
        su
    );
    assert_eq!(era("Russian hackers were once again blamed."), ru);
    assert_eq!(era("Russian officers were once more expelled."), ru);
    assert_eq!(
        era("Russian guidance was once resented but is now welcome."),
        ru
    );
    assert_eq!(
        era("It was once said, and Russian diplomats agree, that spies talk."),
        ru
    );
    assert_eq!(
        era("The media is more hostile to Russian officials than it was during the Cold War."),
        ru
    );
    // The mention is listed under the former state, with what was written.
    let t = tag("Beijing had once relied on Russian advisers.");
    let m = t.mentions.iter().find(|m| m.surface == "Russian").unwrap();
    assert_eq!(m.id, "SU");
}

#[test]
fn resolve_is_case_and_punctuation_blind() {
    assert_eq!(resolve_agency("dgse"), Some("DGSE"));
    assert_eq!(
        resolve_agency("Directorate General of External Security"),
        Some("DGSE")
    );
    assert_eq!(resolve_agency("French foreign intelligence"), Some("DGSE"));
    assert_eq!(resolve_agency("the Mossad"), Some("MOSSAD"));
    assert_eq!(resolve_agency("China’s spy agency"), Some("MSS"));
    assert_eq!(resolve_agency("nis-kr"), Some("NIS-KR"));
    assert_eq!(
        resolve_agency("  central   intelligence agency "),
        Some("CIA")
    );
    assert_eq!(resolve_agency("no such service"), None);
    assert_eq!(resolve_agency(""), None);
    assert_eq!(resolve_country("fr"), Some("FR"));
    assert_eq!(resolve_country("France"), Some("FR"));
    assert_eq!(resolve_country("french"), Some("FR"));
    assert_eq!(resolve_country("Britain"), Some("GB"));
    assert_eq!(resolve_country("U.S."), Some("US"));
    assert_eq!(resolve_country("the netherlands"), Some("NL"));
    assert_eq!(resolve_country("Ivory Coast"), Some("CI"));
    assert_eq!(resolve_country("Korea"), None, "ambiguous, never guessed");
    assert_eq!(resolve_country("Atlantis"), None);
}

#[test]
fn find_matches_whole_names_then_whole_words() {
    let ids = |found: Vec<&Agency>| found.iter().map(|a| a.id).collect::<Vec<_>>();
    let codes = |found: Vec<&Country>| found.iter().map(|c| c.code).collect::<Vec<_>>();
    assert_eq!(ids(find_agencies("mi6")), ["MI6"]);
    assert_eq!(ids(find_agencies("ABW")), ["ABW"], "not Zimbabwe's CIO");
    assert_eq!(ids(find_agencies("Служба внешней разведки")), ["SVR"]);
    assert_eq!(ids(find_agencies("Службы внешней разведки")), ["SVR"]);
    assert_eq!(
        ids(find_agencies("agencji bezpieczeństwa wewnętrznego")),
        ["ABW"]
    );
    assert_eq!(ids(find_agencies("الموساد")), ["MOSSAD"]);
    // No whole name: names holding the words whole.
    assert!(find_agencies("foreign intelligence").len() > 10);
    assert!(find_agencies("intelligence").len() > 50);
    assert_eq!(find_agencies("").len(), agencies().len());
    assert!(find_agencies("zzzz").is_empty());
    assert!(find_agencies("abw zimbabwe").is_empty());
    assert_eq!(codes(find_countries("russia")), ["RU"], "not Belarus");
    assert_eq!(codes(find_countries("России")), ["RU"]);
    assert_eq!(codes(find_countries("Deutschlands")), ["DE"]);
    assert_eq!(codes(find_countries("中国")), ["CN"]);
    assert_eq!(codes(find_countries("guinea")), ["GN"]);
    assert_eq!(codes(find_countries("gb")), ["GB"]);
    assert!(codes(find_countries("new guinea")).contains(&"PG"));
}

// ------------------------------------------------------------------ matching

#[test]
fn agencies_and_countries_are_matched_separately() {
    let t = tag("Officers of the Chinese Ministry of State Security were expelled.");
    assert_eq!(ids(&t), (vec!["MSS"], vec!["CN"]));
    assert_eq!(
        agencies_of("the Australian Secret Intelligence Service"),
        ["ASIS"]
    );
    assert_eq!(countries_of("Papua New Guinea"), ["PG"]);
    assert_eq!(countries_of("South Sudanese officials"), ["SS"]);
    let t = tag("the Swiss Federal Intelligence Service");
    assert_eq!(ids(&t), (vec!["NDB"], vec!["CH"]));
    let t = tag("Russia's Foreign Intelligence Service");
    assert_eq!(ids(&t), (vec!["SVR"], vec!["RU"]));
    assert_eq!(agencies_of("the Federal Intelligence Service"), ["BND"]);
}

#[test]
fn mentions_keep_offsets_and_surface() {
    let text = "Beijing said China’s spy agency, the MSS, had no role.";
    let t = tag(text);
    for m in &t.mentions {
        assert_eq!(&text[m.start..m.end], m.surface);
    }
    let surfaces: Vec<_> = t
        .mentions
        .iter()
        .map(|m| (m.id, m.surface.as_str()))
        .collect();
    assert_eq!(
        surfaces,
        [
            ("CN", "Beijing"),
            ("MSS", "China’s spy agency"),
            ("CN", "China"),
            ("MSS", "MSS")
        ]
    );
}

#[test]
fn acronyms_match_only_as_written() {
    assert_eq!(agencies_of("India's RAW and R&AW"), ["RAW"]);
    assert!(agencies_of("sifting through the raw data").is_empty());
    assert!(agencies_of("Raw data was shared").is_empty());
    assert_eq!(countries_of("the US and the U.S. and the USA"), ["US"]);
    assert!(countries_of("tell us about it").is_empty());
    assert!(countries_of("Us and them").is_empty());
    assert!(agencies_of("the cia").is_empty());
    assert_eq!(agencies_of("CIA"), ["CIA"]);
    assert!(agencies_of("SOCIAL").is_empty(), "CIA inside a word");
}

#[test]
fn names_need_their_capital_initial() {
    assert!(countries_of("a dinner of roast turkey").is_empty());
    assert!(countries_of("a hanging chad on a punch-card ballot").is_empty());
    assert!(countries_of("he felt like a guinea pig in the program").is_empty());
    assert!(countries_of("the ambassador's fine china was packed").is_empty());
    assert!(countries_of("to polish the final draft").is_empty());
    assert_eq!(countries_of("Turkey and China"), ["CN", "TR"]);
    assert_eq!(countries_of("TURKEY EXPELS DIPLOMATS"), ["TR"]);
    assert_eq!(
        agencies_of("the Chinese Ministry Of State Security"),
        ["MSS"]
    );
    assert_eq!(
        agencies_of("THE CHINESE MINISTRY OF STATE SECURITY"),
        ["MSS"]
    );
    assert!(agencies_of("the ministry of state security").is_empty());
    assert!(countries_of("a woman from Oman").contains(&"OM"));
    assert!(countries_of("because").is_empty());
}

#[test]
fn possessives_and_hyphens() {
    assert_eq!(countries_of("China's growing success"), ["CN"]);
    assert_eq!(countries_of("China’s growing success"), ["CN"]);
    assert_eq!(countries_of("U.S.-China relations"), ["CN", "US"]);
    assert_eq!(countries_of("anti-American protests"), ["US"]);
    assert!(countries_of("Chinesewall").is_empty());
}

#[test]
fn line_breaks_inside_a_form() {
    let text = "exports to South\nAfrica and the\tUnited  Kingdom rose; the Directorate\u{a0}General of\nExternal Security";
    let t = tag(text);
    assert_eq!(ids(&t), (vec!["DGSE"], vec!["GB", "ZA"]));
    for m in &t.mentions {
        assert_eq!(&text[m.start..m.end], m.surface);
    }
    assert_eq!(t.mentions[0].surface, "South\nAfrica");
}

#[test]
fn cjk_forms_need_no_word_boundary() {
    assert_eq!(agencies_of("据国家安全部消息"), ["MSS"]);
    assert_eq!(agencies_of("국정원은 발표했다"), ["NIS-KR"]);
    assert_eq!(agencies_of("ФСБ задержала"), ["FSB"]);
}

#[test]
fn based_compounds_only_locate_a_company() {
    assert!(countries_of("a Peru-based mining firm").is_empty());
    assert!(countries_of("a Russia-headquartered bank").is_empty());
    assert_eq!(countries_of("Peru based its claim on Chile"), ["CL", "PE"]);
}

// ------------------------------------------------------------------ traps

#[test]
fn acronyms_two_services_share() {
    assert_eq!(agencies_of("The NIA said the plot was foiled."), ["NIA"]);
    assert_eq!(resolve_agency("NIA"), Some("NIA"));
    let doc = [
        "India's National Investigation Agency filed charges.",
        "The NIA said the accused had been radicalised online.",
    ];
    let tags = tag_document(&doc);
    assert_eq!(tags[0].agencies, ["NIA-IN"]);
    assert_eq!(tags[1].agencies, ["NIA-IN"]);
    let think_tank = "said a fellow at the Center for Strategic and International Studies (CSIS)";
    assert!(agencies_of(think_tank).is_empty());
    assert_eq!(agencies_of("CSIS, Canada's spy agency, declined"), ["CSIS"]);
    assert_eq!(agencies_of("The CSIS report"), ["CSIS"]);
}

#[test]
fn context_spans_the_document() {
    let doc = [
        "White House adviser Lisa Monaco spoke.",
        "Monaco said the hack was Russian.",
    ];
    let tags = tag_document(&doc);
    assert!(tags[1].countries == ["RU"], "{:?}", tags[1].countries);
    assert_eq!(
        tag(doc[1]).countries,
        ["MC", "RU"],
        "alone, the paragraph cannot know"
    );
    let doc = [
        "The National Security Adviser (NSA) met his counterpart.",
        "The NSA said so.",
    ];
    assert!(tag_document(&doc)[1].agencies.is_empty());
}

#[test]
fn jordan_and_chad_as_first_names() {
    let s = "Jordan Ellis, a spokesperson for the committee, did not respond to requests.";
    assert!(countries_of(s).is_empty());
    assert!(countries_of("Chad Miller, a lawyer for the accused, said so.").is_empty());
    assert_eq!(countries_of("Jordan expelled two diplomats."), ["JO"]);
    assert_eq!(countries_of("Jordan's spy agency said"), ["JO"]);
    assert_eq!(
        countries_of("Jordan Expels Diplomats Over Alleged Spy Plot"),
        ["JO"]
    );
    assert_eq!(
        countries_of("Why Jordan Is Rethinking Its Intelligence Partnership"),
        ["JO"]
    );
    assert_eq!(
        countries_of("the Jordan Valley and the Jordan River"),
        ["JO"]
    );
    assert_eq!(countries_of("Chad, Niger and Mali"), ["ML", "NE", "TD"]);
}

#[test]
fn surnames_that_are_places() {
    let s = "White House adviser Lisa Monaco said so. Monaco's meaning was clear.";
    assert!(countries_of(s).is_empty());
    assert!(countries_of("Mr. Holland and Dr Berlin disagreed.").is_empty());
    assert_eq!(countries_of("Prince Albert of Monaco"), ["MC"]);
    assert_eq!(countries_of("Monaco and Holland"), ["MC", "NL"]);
    assert!(
        countries_of("Paris Martin spoke.").is_empty(),
        "a first name"
    );
    assert_eq!(countries_of("Paris and Berlin"), ["DE", "FR"]);
    let crow = "the Crow Indian Tribe and people of Delaware Indian ancestry";
    assert!(countries_of(crow).is_empty());
    assert!(agencies_of("Group-IB and SRI International").is_empty());
}

#[test]
fn georgia_the_us_state() {
    let s = "The defendant, a retired contractor from Savannah, Georgia, pleaded not guilty \
             in a federal court in Atlanta.";
    assert!(countries_of(s).is_empty());
    assert!(countries_of("He moved to Atlanta, Georgia, in 2001.").is_empty());
    assert!(countries_of("Georgia's governor signed the bill.").is_empty());
    assert!(countries_of("a former Georgia Tech researcher").is_empty());
    assert!(countries_of("The state of Georgia sued.").is_empty());
    assert!(countries_of("Georgia voters went to the polls in Fulton County.").is_empty());
    assert_eq!(
        countries_of("Russia invaded Georgia in 2008."),
        ["GE", "RU"]
    );
    assert_eq!(countries_of("He was born in Tbilisi, Georgia."), ["GE"]);
    assert_eq!(
        countries_of("Russia, Georgia and Ukraine"),
        ["GE", "RU", "UA"]
    );
    assert_eq!(countries_of("Georgia's State Security Service"), ["GE"]);
}

#[test]
fn nsa_the_adviser() {
    assert!(agencies_of("NSA Ajit Doval met his counterpart.").is_empty());
    assert!(agencies_of("India's NSA travelled to Moscow.").is_empty());
    assert!(agencies_of("the NSA-level talks were cancelled").is_empty());
    assert!(agencies_of("He was detained under the NSA for a year.").is_empty());
    let defined = "The National Security Adviser (NSA) briefed the cabinet. The NSA said so.";
    assert!(agencies_of(defined).is_empty());
    assert_eq!(
        agencies_of("NSA Director Paul Nakasone testified."),
        ["NSA"]
    );
    assert_eq!(agencies_of("The NSA intercepted the calls."), ["NSA"]);
    assert_eq!(
        agencies_of("Leaked NSA Files Reveal Bulk Collection"),
        ["NSA"]
    );
    assert_eq!(agencies_of("the U.S. NSA and GCHQ"), ["GCHQ", "NSA"]);
    assert_eq!(
        agencies_of("Spies in France\n\nNSA officers met him."),
        ["NSA"]
    );
}

#[test]
fn turkey_the_bird() {
    assert!(countries_of("Turkey dinner was served at noon.").is_empty());
    assert!(countries_of("They ate Roast Turkey.").is_empty());
    assert_eq!(countries_of("Turkey detained the suspect."), ["TR"]);
    assert_eq!(countries_of("Türkiye's intelligence"), ["TR"]);
}

#[test]
fn geography_that_names_no_country() {
    assert!(countries_of("an island in the Indian Ocean").is_empty());
    assert!(countries_of("across Latin America and South America").is_empty());
    assert!(countries_of("a senator from New Mexico and New Jersey").is_empty());
    assert!(countries_of("the island of New Guinea").is_empty());
    assert_eq!(countries_of("an Indian diplomat"), ["IN"]);
}

#[test]
fn capitals_stand_for_governments() {
    assert_eq!(
        countries_of("Beijing and Moscow denied it; Tehran said nothing."),
        ["CN", "IR", "RU"]
    );
    assert_eq!(countries_of("officials in Washington"), ["US"]);
    assert!(countries_of("a report in the Washington Post").is_empty());
    assert!(countries_of("George Washington crossed the river").is_empty());
    assert!(
        countries_of("Sofia Martin said").is_empty(),
        "Sofia is not a form"
    );
}

#[test]
fn merge_unions_ids() {
    let mut a = tag("The CIA in France.");
    let b = tag("The DGSE and the CIA in China.");
    a.merge(&b);
    assert_eq!(a.agencies, ["CIA", "DGSE"]);
    assert_eq!(a.countries, ["CN", "FR"]);
    assert_eq!(a.mentions.len(), 5);
    assert!(tag("").is_empty());
    assert!(tag("nothing to see here").is_empty());
}

// ------------------------------------------------------------------ shared material

fn shared() -> Option<&'static Path> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if p.is_dir() {
        Some(Box::leak(p.into_boxed_path()))
    } else {
        eprintln!("skipped: ../shared is absent");
        None
    }
}

#[test]
fn seed_article_gives_its_agencies_and_countries() {
    let Some(shared) = shared() else { return };
    let text = std::fs::read_to_string(shared.join("seed/french-spy-scandal.txt")).unwrap();
    // The article proper: the scrape ends with the comment form.
    let article = text.split("Please enter your comment").next().unwrap();
    let t = tag(article);
    assert_eq!(t.agencies, ["CIA", "DGSE", "MSS", "NSA", "PLA"]);
    for code in ["CH", "CN", "FR", "US"] {
        assert!(
            t.countries.contains(&code),
            "{code} missing from {:?}",
            t.countries
        );
    }
    assert!(
        !t.countries.contains(&"IN"),
        "the Indian Ocean is not India"
    );
}

/// Tags a small generated corpus against its ground truth, from the truth's own title and
/// body and from the pages as the indexer reads them.
#[test]
fn generated_corpus_truth() {
    let Some(shared) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("corpus");
    let status = std::process::Command::new("python3")
        .arg(shared.join("tools/gen-corpus"))
        .args(["--docs", "300", "--seed", "11", "--quiet", "--out"])
        .arg(&out)
        .status();
    match status {
        Ok(s) if s.success() => {}
        other => {
            eprintln!("skipped: gen-corpus did not run: {other:?}");
            return;
        }
    }
    let truth = std::fs::read_to_string(dir.path().join("corpus.truth.jsonl")).unwrap();
    let (mut wrong, mut articles) = (Vec::new(), 0);
    for line in truth.lines() {
        let rec: serde_json::Value = serde_json::from_str(line).unwrap();
        if rec["kind"] != "article" {
            continue;
        }
        articles += 1;
        let mut text = rec["title"].as_str().unwrap_or("").to_string();
        for p in rec["body"].as_array().unwrap() {
            text.push_str("\n\n");
            text.push_str(p.as_str().unwrap());
        }
        let t = tag(&text);
        // And as the indexer sees the page: extracted, then tagged.
        let page = out.join(rec["path"].as_str().unwrap());
        let bytes = std::fs::read(&page).unwrap();
        let kind = crate::extract::kind_of(&page).unwrap();
        let indexed = crate::article::Article::from_bytes(page.clone(), &bytes, kind)
            .unwrap_or_else(|skip| panic!("{}: skipped: {skip:?}", page.display()))
            .tags;
        let want = |field: &str| -> BTreeSet<String> {
            rec[field]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| generator_id(v.as_str().unwrap()))
                .collect()
        };
        let got_a: BTreeSet<String> = t.agencies.iter().map(|s| s.to_string()).collect();
        let got_c: BTreeSet<String> = t.countries.iter().map(|s| s.to_string()).collect();
        let page_a: BTreeSet<String> = indexed.agencies.iter().map(|s| s.to_string()).collect();
        let page_c: BTreeSet<String> = indexed.countries.iter().map(|s| s.to_string()).collect();
        for (route, a, c) in [("text", got_a, got_c), ("page", page_a, page_c)] {
            if a != want("agencies") || c != want("countries") {
                wrong.push(format!(
                    "{} ({route}): agencies {a:?} want {:?}; countries {c:?} want {:?}",
                    rec["path"],
                    want("agencies"),
                    want("countries")
                ));
            }
        }
    }
    assert!(articles > 200, "only {articles} articles");
    assert!(
        wrong.is_empty(),
        "{} of {articles} articles differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// The generator spells a few IDs its own way.
pub(crate) fn generator_id(id: &str) -> String {
    match id {
        "PLA_INTEL" => "PLA".to_string(),
        other => other.replace('_', "-"),
    }
}

// ------------------------------------------------------------------ every language

#[test]
fn names_in_other_languages_and_scripts() {
    assert_eq!(
        countries_of("Die Regierung in Deutschland und Frankreich"),
        ["DE", "FR"]
    );
    assert_eq!(
        countries_of("Россия и Китай подписали соглашение"),
        ["CN", "RU"]
    );
    assert_eq!(countries_of("中国和美国的关系"), ["CN", "US"]);
    assert_eq!(countries_of("وقالت إيران إن الصين"), ["CN", "IR"]);
    assert_eq!(
        countries_of("O Irã e a Türkiye assinaram o acordo"),
        ["IR", "TR"]
    );
    assert_eq!(
        countries_of("L'Allemagne a signé avec le Maroc"),
        ["DE", "MA"]
    );
}

#[test]
fn inflected_names_match_through_their_language() {
    assert_eq!(
        countries_of("Ambasador Rosji w Warszawie został wezwany"),
        ["RU"]
    );
    assert_eq!(
        countries_of("Посол России был вызван в министерство"),
        ["RU"]
    );
    assert_eq!(
        countries_of("Die Politik Deutschlands und Russlands war das Thema"),
        ["DE", "RU"]
    );
    assert_eq!(
        countries_of("Die Wirtschaft Chinas wächst weiter und schneller"),
        ["CN"]
    );
    assert_eq!(
        countries_of("Посол України у Польщі заявив про це"),
        ["PL", "UA"]
    );
    assert_eq!(
        agencies_of("Сотрудники Службы внешней разведки и ФСБ задержали агента"),
        ["FSB", "SVR"]
    );
    assert_eq!(
        agencies_of("Funkcjonariusze Agencji Bezpieczeństwa Wewnętrznego zatrzymali szpiega"),
        ["ABW"]
    );
    // Diacritics, tatweel and an attached conjunction.
    assert_eq!(agencies_of("وقال مسؤول إن والموسـاد نفى ذلك"), ["MOSSAD"]);
}

/// The countries of a text in a known language, as `dossier index` tags it.
fn countries_in(lang: &str, text: &str) -> Vec<&'static str> {
    tag_document_in(&[text], Some(lang)).remove(0).countries
}

#[test]
fn adjectives_inflected_beyond_the_stemmer() {
    // Dutch attributive -e; Persian -ی after a name's final alef, and the plural -یان.
    assert_eq!(
        countries_in(
            "nl",
            "De Amerikaanse Senaat en de Nederlandse regering stemden in."
        ),
        ["NL", "US"]
    );
    assert_eq!(
        countries_in("fa", "آهنگساز آمریکایی و نقاش ایتالیایی"),
        ["IT", "US"]
    );
    assert_eq!(
        countries_in("fa", "ایرانیان باستان جایگاه داشته‌اند"),
        ["IR"]
    );
}

#[test]
fn a_language_named_by_its_adjective_is_no_country() {
    for (lang, text) in [
        (
            "fr",
            "Envoyez vos remarques en anglais, ou en français au traducteur.",
        ),
        (
            "fr",
            "Une collection publiée en langue anglaise ou française.",
        ),
        (
            "de",
            "Das Erlernen der deutschen Sprache ist die Grundlage.",
        ),
        ("de", "Das Buch erschien auf Deutsch im Frühjahr."),
        (
            "en",
            "The book was translated from the Russian language last year.",
        ),
        (
            "fa",
            "الیوت کارتر (به انگلیسی: Elliott Carter) آهنگساز بود.",
        ),
    ] {
        assert!(countries_in(lang, text).is_empty(), "{text}");
    }
    // The same adjectives as the state's.
    assert_eq!(
        countries_in("fr", "Le gouvernement français a protesté en Allemagne."),
        ["DE", "FR"]
    );
    assert_eq!(
        countries_in("de", "Die Soldaten standen auf deutschem Boden."),
        ["DE"]
    );
    assert_eq!(
        countries_in("en", "The Russian government denied it."),
        ["RU"]
    );
}

#[test]
fn words_that_look_like_foreign_names_are_not_tagged() {
    // Katakana and Korean names need a word edge.
    assert!(countries_of("スタイルとタイミング").is_empty());
    assert!(countries_of("인도적 지원과 사랑이란").is_empty());
    assert_eq!(countries_of("タイの首都"), ["TH"]);
    assert_eq!(countries_of("미국은 중국의"), ["CN", "US"]);
    // English words that other languages' stemmers would take for names.
    assert!(agencies_of("The Security Council met on Monday to discuss the matter.").is_empty());
    // A common word excluded by the generator: Russian "того" at a sentence start.
    assert!(countries_of("Того же мнения придерживается и он сам.").is_empty());
}

#[test]
fn datelines_and_venues_name_no_country() {
    assert!(countries_of("WARSAW (Reuters) - The talks ended on Monday.").is_empty());
    assert!(countries_of("LONDON — The talks ended on Monday.").is_empty());
    assert!(countries_of("Washington (CNN)A group of former officials wrote").is_empty());
    assert_eq!(
        countries_of("WARSAW (Reuters) - Poland said it would act."),
        ["PL"]
    );
    assert!(countries_of("The two leaders held talks in Helsinki on Monday.").is_empty());
    assert!(countries_of("He was found dead in his car in Moscow.").is_empty());
    assert_eq!(countries_of("Moscow denied any role."), ["RU"]);
    assert_eq!(countries_of("officials in Washington said"), ["US"]);
    assert_eq!(countries_of("U.S.-China relations"), ["CN", "US"]);
}

#[test]
fn ambiguous_acronyms_need_support() {
    assert!(agencies_of("Group-IB, a cybersecurity firm, published the report.").is_empty());
    assert!(
        agencies_of("The Islamic State of Iraq (ISI) claimed the bombing. ISI fighters fled.")
            .is_empty()
    );
    assert!(agencies_of("The BIS report on bank capital came out.").is_empty());
    assert_eq!(agencies_of("The ISI said Pakistan would respond."), ["ISI"]);
    assert_eq!(
        agencies_of("Officials said the FSO, which guards Putin, was not told."),
        [] as [&str; 0],
        "no support: no country, no full name, no talk of intelligence"
    );
    assert_eq!(
        agencies_of("The FSO guards the Kremlin for Russia."),
        ["FSO"]
    );
    assert_eq!(
        agencies_of("The director of national intelligence briefed the senators."),
        ["ODNI"]
    );
    assert_eq!(
        agencies_of("Russian military intelligence ran it."),
        ["GRU"]
    );
    assert_eq!(
        agencies_of("Britain's eavesdropping agency said so."),
        ["GCHQ"]
    );
    assert_eq!(agencies_of("the Cheka and the NKVD"), ["CHEKA", "NKVD"]);
}

#[test]
fn tags_say_which_words_made_them() {
    let tags = tag("Посол России и Kremlin: Россия, России.");
    let matched = tags.matched();
    assert_eq!(matched["RU"], ["России", "Kremlin", "Россия"]);
}

#[test]
fn every_name_a_lookup_resolves_is_one_the_cheap_check_lets_through() {
    use super::tables;
    for a in agencies() {
        for name in std::iter::once(&a.id).chain(a.names.iter()) {
            assert!(tables::may_name(name), "{} {name}", a.id);
        }
    }
    for c in tables::country_aliases() {
        for name in [c.code, c.name].iter().chain(c.aliases.iter()) {
            assert!(tables::may_name(name), "{} {name}", c.code);
        }
    }
    assert!(tables::may_name("the  Mossad"));
    assert!(!tables::may_name("double agent"));
    assert!(!tables::may_name("defector"));
}

#[test]
fn a_name_ending_a_longer_proper_name_is_not_the_country() {
    assert!(countries_in("fr", "Président Directeur Général d'IBM France, le Club").is_empty());
    assert!(countries_in("pl", "przygotowywanego przez Edipresse Polska SA.").is_empty());
    assert!(countries_in("pt", "uma Liga Europa (pelo Atlético Madrid) e").is_empty());
    // Inflected forms, abbreviations, points of the compass and case endings stay the country's.
    assert_eq!(
        countries_in("ru", "Сотрудники ФСБ России задержали"),
        ["RU"]
    );
    assert_eq!(countries_in("ru", "Сотрудники ЦРУ США задержали"), ["US"]);
    assert_eq!(countries_in("it", "tra Nord e Sud Italia, ma"), ["IT"]);
    assert_eq!(
        countries_in("tr", "ve Hükümet Türkiye'yi islamlaştırıyor"),
        ["TR"]
    );
    // English writes titles and adjectives before names with a capital.
    assert_eq!(countries_in("en", "On Tuesday Russia said"), ["RU"]);
    assert_eq!(countries_in("en", "Nazi Germany invaded"), ["DE"]);
}

#[test]
fn a_cjk_name_heading_a_language_or_a_strait_is_not_the_country() {
    assert!(countries_in("ja", "アメコミの日本語版を読む").is_empty());
    assert!(countries_in("zh", "可以看到台湾海峡").is_empty());
    assert_eq!(countries_in("ja", "日本の首相"), ["JP"]);
}

#[test]
fn companies_and_people_named_after_a_country() {
    assert_eq!(
        countries_of("Malaysian Airlines flight MH17 over Ukraine"),
        ["UA"]
    );
    assert!(countries_of("ranking member C.A. Dutch Ruppersberger said").is_empty());
    assert!(countries_of("Rep. Dutch Ruppersberger said").is_empty());
    assert_eq!(countries_of("the Dutch Safety Board said"), ["NL"]);
}

#[test]
fn english_spanish_and_portuguese_are_their_states_adjectives_elsewhere() {
    assert_eq!(
        countries_in("uk", "створена англійськими просвітителями"),
        ["GB"]
    );
    assert_eq!(countries_in("pl", "hiszpański rząd"), ["ES"]);
    assert!(countries_in("fr", "traduit en anglais").is_empty());
}

#[test]
fn an_ambiguous_service_name_needs_support() {
    assert!(agencies_of("Por SAPO Desporto sapodesporto@sapo.pt Luiz").is_empty());
    assert_eq!(agencies_of("Swedish police and SAPO arrested"), ["SAPO"]);
    assert!(agencies_of("clientului Securitatea si raspunsul rapid").is_empty());
}

#[test]
fn names_the_stemmer_cuts_shorter_than_their_inflected_forms() {
    // Russian stems "Вьетнам" to "вьетн" and "Вьетнаме" to "вьетнам", the name as written.
    assert_eq!(countries_in("ru", "Напалм в бедном Вьетнаме"), ["VN"]);
}

#[test]
fn a_name_starting_with_a_hamza_has_no_prefix_to_strip() {
    // "ألبانيا" folds to letters that start like the article; "بانها" ("that it") is no name.
    assert!(countries_in("ar", "ووصف الخلافات بانها مؤامرة").is_empty());
    assert_eq!(countries_in("ar", "وقال إن ألبانيا والمانيا"), ["AL", "DE"]);
}

#[test]
fn a_region_named_after_its_country_is_not_the_country() {
    assert!(countries_in("fr", "Ile-de-France Est (3)").is_empty());
    assert!(countries_in("fr", "la région Île-de-France").is_empty());
}

#[test]
fn once_the_lookups_are_built_they_answer_may_name_as_the_text_scan_does() {
    prepare_lookups();
    for a in agencies() {
        for name in std::iter::once(&a.id).chain(a.names.iter()) {
            assert!(may_name(name), "{} {name}", a.id);
        }
    }
    for c in super::tables::country_aliases() {
        for name in [c.code, c.name].iter().chain(c.aliases.iter()) {
            assert!(may_name(name), "{} {name}", c.code);
        }
    }
    assert!(may_name("the  Mossad"));
    for word in ["double agent", "defector", "intelligence", "officer"] {
        assert!(!may_name(word), "{word}");
    }
}
