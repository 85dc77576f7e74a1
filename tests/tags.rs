//! Scores agency and country tagging against the labelled set in `tests/data/tags/` (its
//! README gives the labelling rules): 62 English news articles and 469 sentences in 25
//! languages from `../shared/data`, labelled by reading. Micro-averaged F1 over (text, ID)
//! pairs, per language; each figure must reach its floor.
//!
//! The floors are the aims where dossier reaches them and the measured figure, rounded
//! down, where it does not yet (each such floor says so); run with `--nocapture` to see every
//! figure and the pairs missed or added.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use dossier::extract;
use dossier::lang::detect;
use dossier::tag::{tag_document_in, Tags};

/// The aims: English agencies and countries; countries and (where sentences name
/// services) agencies in each other language.
const ENGLISH_AGENCIES: f64 = 0.97;
const ENGLISH_COUNTRIES: f64 = 0.97;
const OTHER_COUNTRIES: f64 = 0.95;
const OTHER_AGENCIES: f64 = 0.90;

/// Languages whose countries fall short of [`OTHER_COUNTRIES`] today, with the floor that
/// holds what they reach (measured, rounded down). Below the aim: the gaps are demonyms,
/// adjectives and compounds no source lists ("süddeutsch", "belarussisch", "Japanners",
/// "amerických", the Irish "na Breataine"), bodies and things that hold a country's name or
/// adjective in ways no rule tells from the country ("Société française", "Librairie de
/// France", "Polskiego Związku Piłki Nożnej", "billard français") and names in a mis-decoded
/// encoding ("Ýspanya"). "other" pools eleven languages
/// with one sentence each: three countries are labelled there, and the two it misses are a Czech
/// adjective and an Irish genitive.
const COUNTRY_FLOORS: &[(&str, f64)] = &[
    ("de", 0.89),
    ("fa", 0.93),
    ("fr", 0.87),
    ("it", 0.91),
    ("other", 0.50),
    ("pl", 0.92),
    ("tr", 0.94),
];

/// Groups whose agencies fall short of [`OTHER_AGENCIES`], with the floor they reach: Arabic
/// has one service, Israel's military intelligence named only as "المخابرات العسكرية" beside
/// its chief.
const AGENCY_FLOORS: &[(&str, f64)] = &[("ar", 0.0)];

/// A language is scored on its own with at least this many sentences; the rest are pooled as
/// "other".
const MIN_SENTENCES: usize = 20;

/// The shared evaluation folder, or `None` with a `skipping:` line on a user's clone.
fn shared() -> Option<PathBuf> {
    crate::util::shared("")
}

fn labels_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tags")
}

/// One labelled text: its rows' cells, and its text's tags.
struct Labelled {
    group: String,
    name: String,
    agencies: BTreeSet<String>,
    countries: BTreeSet<String>,
    tags: Tags,
}

fn set(cell: &str) -> BTreeSet<String> {
    cell.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != "-")
        .map(String::from)
        .collect()
}

/// The rows of a label table: cells split at tabs, comments and blank lines left out.
fn rows(file: &str) -> Vec<Vec<String>> {
    let text = fs::read_to_string(labels_dir().join(file)).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(String::from).collect())
        .collect()
}

/// The tags of one document, tagged as the indexer tags it: in the language detection gives
/// its text.
fn tag_texts(texts: &[String]) -> Tags {
    let (title, paragraphs) = texts.split_first().expect("a document has a text");
    let language = detect::detect(Some(title), paragraphs, None).code;
    let mut tags = Tags::default();
    for t in tag_document_in(texts, Some(language)) {
        tags.merge(&t);
    }
    tags
}

/// The articles, as `dossier index` sees them: title (from the manifest) and paragraphs.
fn articles(shared: &Path) -> Vec<Labelled> {
    let dir = shared.join("data/intel-news");
    let manifest = fs::read_to_string(dir.join("manifest.jsonl")).unwrap();
    let titles: BTreeMap<String, String> = manifest
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|v| {
            let file = v["file"].as_str().unwrap_or_default();
            let name = file.rsplit('/').next().unwrap_or_default().to_string();
            (name, v["title"].as_str().unwrap_or_default().to_string())
        })
        .collect();
    rows("intel-news.tsv")
        .into_iter()
        .map(|r| {
            let path = dir.join("articles").join(&r[0]);
            let bytes = fs::read(&path).unwrap();
            let kind = extract::kind_of(&path).unwrap();
            let page = extract::extract(&bytes, kind).unwrap();
            let texts: Vec<String> = titles
                .get(&r[0])
                .cloned()
                .into_iter()
                .chain(page.paragraphs)
                .collect();
            Labelled {
                group: "en".into(),
                name: r[0].clone(),
                agencies: set(&r[1]),
                countries: set(&r[2]),
                tags: tag_texts(&texts),
            }
        })
        .collect()
}

fn sentences(shared: &Path) -> Vec<Labelled> {
    let dir = shared.join("data/language-id");
    let mut files: BTreeMap<String, Vec<String>> = BTreeMap::new();
    rows("sentences.tsv")
        .into_iter()
        .map(|r| {
            let lines = files.entry(r[0].clone()).or_insert_with(|| {
                let text = fs::read_to_string(dir.join(format!("{}.txt", r[0]))).unwrap();
                text.lines().map(String::from).collect()
            });
            let n: usize = r[1].parse().unwrap();
            let text = lines[n - 1].clone();
            Labelled {
                group: r[0].clone(),
                name: format!("{}.txt:{n}", r[0]),
                agencies: set(&r[2]),
                countries: set(&r[3]),
                tags: tag_texts(&[text]),
            }
        })
        .collect()
}

#[derive(Default, Clone, Copy)]
struct Score {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Score {
    fn add(&mut self, truth: &BTreeSet<String>, got: &BTreeSet<String>) {
        self.tp += truth.intersection(got).count();
        self.fp += got.difference(truth).count();
        self.fn_ += truth.difference(got).count();
    }

    /// F1; a group with nothing to find and nothing found scores 1.
    fn f1(&self) -> f64 {
        let denom = 2 * self.tp + self.fp + self.fn_;
        if denom == 0 {
            1.0
        } else {
            2.0 * self.tp as f64 / denom as f64
        }
    }

    fn truth(&self) -> usize {
        self.tp + self.fn_
    }
}

fn got_sets(tags: &Tags) -> (BTreeSet<String>, BTreeSet<String>) {
    let agencies = tags.agencies.iter().map(|s| s.to_string()).collect();
    let countries = tags
        .countries
        .iter()
        .chain(&tags.former)
        .map(|s| s.to_string())
        .collect();
    (agencies, countries)
}

/// Per group, the agency and country scores; prints every miss and false tag.
fn score(items: &[Labelled]) -> BTreeMap<String, (Score, Score)> {
    let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for it in items {
        *sizes.entry(&it.group).or_default() += 1;
    }
    let mut out: BTreeMap<String, (Score, Score)> = BTreeMap::new();
    for it in items {
        let group = if it.group == "en" || sizes[it.group.as_str()] >= MIN_SENTENCES {
            it.group.clone()
        } else {
            "other".to_string()
        };
        let (agencies, countries) = got_sets(&it.tags);
        let entry = out.entry(group).or_default();
        entry.0.add(&it.agencies, &agencies);
        entry.1.add(&it.countries, &countries);
        for (kind, truth, got) in [
            ("agency", &it.agencies, &agencies),
            ("country", &it.countries, &countries),
        ] {
            let missed: Vec<_> = truth.difference(got).collect();
            let added: Vec<_> = got.difference(truth).collect();
            if !missed.is_empty() || !added.is_empty() {
                eprintln!("{} {kind}: missed {missed:?} added {added:?}", it.name);
            }
        }
    }
    out
}

#[test]
fn tags_match_the_labelled_set() {
    let Some(shared) = shared() else { return };
    let mut items = articles(&shared);
    items.extend(sentences(&shared));
    let scores = score(&items);
    let mut failures = Vec::new();
    for (group, (agencies, countries)) in &scores {
        eprintln!(
            "{group:>5}: agencies F1 {:.3} ({} labelled), countries F1 {:.3} ({} labelled)",
            agencies.f1(),
            agencies.truth(),
            countries.f1(),
            countries.truth()
        );
        let (agency_floor, country_floor) = if group == "en" {
            (ENGLISH_AGENCIES, ENGLISH_COUNTRIES)
        } else {
            let floor = COUNTRY_FLOORS
                .iter()
                .find(|(g, _)| g == group)
                .map_or(OTHER_COUNTRIES, |&(_, f)| f);
            let agency_floor = AGENCY_FLOORS
                .iter()
                .find(|(g, _)| g == group)
                .map_or(OTHER_AGENCIES, |&(_, f)| f);
            (agency_floor, floor)
        };
        if agencies.truth() > 0 && agencies.f1() < agency_floor {
            failures.push(format!(
                "{group} agencies F1 {:.3} < {agency_floor}",
                agencies.f1()
            ));
        }
        if countries.f1() < country_floor {
            failures.push(format!(
                "{group} countries F1 {:.3} < {country_floor}",
                countries.f1()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn label_tables_name_known_ids() {
    for (file, agency_col, country_col) in [("intel-news.tsv", 1, 2), ("sentences.tsv", 2, 3)] {
        for r in rows(file) {
            for id in set(&r[agency_col]) {
                assert!(
                    dossier::tag::agency(&id).is_some(),
                    "{file}: unknown agency {id}"
                );
            }
            for code in set(&r[country_col]) {
                assert!(
                    dossier::tag::country(&code).is_some(),
                    "{file}: unknown country {code}"
                );
            }
        }
    }
}
