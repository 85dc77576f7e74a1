//! The seed article the project started from, as a scraped page: every field of
//! `../shared/seed/README.md`, and none of its boilerplate can be found.

use crate::util::{shared, Env};

#[test]
fn seed_page_fields_and_no_boilerplate() {
    let Some(page) = shared("seed/french-spy-scandal.html") else {
        return;
    };
    let env = Env::new();
    std::fs::create_dir_all(env.path("c")).unwrap();
    std::fs::copy(&page, env.path("c/french-spy-scandal.html")).unwrap();
    env.index(&env.path("c"));

    let (hits, _) = env.search_json(&["intelligence", "--per-article", "100", "--limit", "100"]);
    assert!(!hits.is_empty());
    let h = &hits[0];
    assert_eq!(
        h.title,
        "French spy scandal illustrates growing intelligence challenge in China"
    );
    assert_eq!(h.published.as_deref(), Some("2020-07-13"));
    assert_eq!(h.agencies, ["CIA", "DGSE", "MSS", "NSA", "PLA"]);
    // Exactly the seed table's countries. "Chinese intelligence was once largely dependent on
    // Russian guidance" speaks of the Soviet era: the former state, not today's Russia.
    assert_eq!(h.countries, ["CH", "CN", "FR", "US"]);
    assert_eq!(h.former_countries, ["SU"]);
    let (guidance, _) = env.search_json(&["\"Russian guidance\"", "--country", "Soviet Union"]);
    assert_eq!(guidance.len(), 1);
    let (russia, _) = env.search_json(&["intelligence", "--country", "RU"]);
    assert!(russia.is_empty(), "{:?}", russia.first().map(|h| &h.text));

    for boilerplate in [
        "\"Please enter your comment\"",
        "\"Please enter your name here\"",
        "tdLocalCache",
        "Brexit",
        "football",
    ] {
        let (hits, _) = env.search_json(&[boilerplate]);
        assert!(
            hits.is_empty(),
            "'{boilerplate}' is searchable: {:?}",
            hits.first().map(|h| &h.text)
        );
    }
    // Aliases from the seed's own text reach it.
    for agency in [
        "Directorate General of External Security",
        "French foreign intelligence service",
        "Chinese Ministry of State Security",
    ] {
        let (hits, _) = env.search_json(&["spy", "--agency", agency]);
        assert!(!hits.is_empty(), "{agency}");
    }
}
