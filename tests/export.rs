//! `dossier export`: the OpenSearch bulk lines follow the bulk format and fit the mapping
//! `export --mapping opensearch` prints; a JSON export written back as files and indexed again
//! gives the same articles.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::util::{Env, CORPUS};

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn bulk_lines_are_action_document_pairs_that_fit_the_mapping() {
    let env = Env::with(&CORPUS);
    let mapping: Value = serde_json::from_str(&env.ok(&["export", "--mapping", "opensearch"], 0))
        .expect("the mapping is one JSON document");
    let properties = mapping["mappings"]["properties"].as_object().unwrap();
    assert_eq!(mapping["mappings"]["dynamic"], "strict");

    let lines = json_lines(&env.ok(&["export", "--format", "opensearch"], 0));
    let status: Value =
        serde_json::from_str(env.ok(&["status", "--format", "json"], 0).trim()).unwrap();
    assert_eq!(lines.len() as u64, 2 * status["articles"].as_u64().unwrap());
    let mut ids = BTreeSet::new();
    let mut languages = BTreeSet::new();
    for pair in lines.chunks(2) {
        let [action, doc] = pair else { unreachable!() };
        // The action: exactly {"index":{"_index":"dossier","_id":ID}}.
        let index = action.as_object().unwrap();
        assert_eq!(index.len(), 1, "{action}");
        let meta = index["index"].as_object().unwrap();
        assert_eq!(meta.len(), 2, "{action}");
        assert_eq!(meta["_index"], "dossier");
        let id = meta["_id"].as_str().unwrap();
        assert!(
            id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
            "{id}"
        );
        assert!(ids.insert(id.to_string()), "one action per article: {id}");
        // The document: its id, every field mapped, values of the mapped types.
        let doc = doc.as_object().unwrap();
        assert_eq!(doc["id"], id);
        for (key, value) in doc {
            let Some(field) = properties.get(key) else {
                panic!("{key} is not in the mapping")
            };
            match field["type"].as_str().unwrap() {
                "keyword" => assert!(
                    value.is_null()
                        || value.is_string()
                        || value
                            .as_array()
                            .is_some_and(|a| a.iter().all(Value::is_string)),
                    "{key}: {value}"
                ),
                "text" => assert!(value.is_string(), "{key}: {value}"),
                "boolean" => assert!(value.is_boolean(), "{key}: {value}"),
                "date" => assert!(
                    value.is_null()
                        || value.as_str().is_some_and(|d| {
                            d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-'
                        }),
                    "{key}: {value}"
                ),
                other => panic!("unexpected type {other}"),
            }
        }
        assert!(!doc["text"].as_str().unwrap().is_empty());
        let lang = doc["language"].as_str().unwrap();
        languages.insert(lang.to_string());
        // Text in a language with an analyzer is also given to that analyzer's field.
        if let Some(field) = properties.get(&format!("text_{lang}")) {
            assert!(field["analyzer"].is_string());
            assert_eq!(doc[&format!("text_{lang}")], doc["text"]);
        }
    }
    assert!(
        languages.len() >= 8,
        "the bundled corpus is multilingual: {languages:?}"
    );
}

/// The facts an article keeps through export and back, by title.
fn facts(lines: &[Value]) -> BTreeMap<String, Vec<Value>> {
    lines
        .iter()
        .map(|v| {
            assert_eq!(v["type"], "article");
            let keep = [
                "published",
                "url",
                "language",
                "agencies",
                "countries",
                "text",
            ];
            (
                v["title"].as_str().unwrap().to_string(),
                keep.iter().map(|k| v[*k].clone()).collect(),
            )
        })
        .collect()
}

#[test]
fn a_json_export_indexed_again_gives_the_same_articles() {
    let env = Env::with(&CORPUS);
    let exported = json_lines(&env.ok(&["export"], 0));
    assert!(exported.len() > 50);

    // Each exported article back as a Markdown file with front matter.
    for (i, a) in exported.iter().enumerate() {
        let mut front = format!("---\ntitle: {}\n", a["title"].as_str().unwrap());
        for (key, field) in [("date", "published"), ("url", "url"), ("lang", "language")] {
            if let Some(v) = a[field].as_str() {
                front.push_str(&format!("{key}: {v}\n"));
            }
        }
        front.push_str("---\n\n");
        env.write(
            &format!("again/{i:03}.md"),
            front + a["text"].as_str().unwrap() + "\n",
        );
    }
    let again = env.path("again-index");
    let out = env
        .cmd_at(&again, &["index", env.path("again").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = env.cmd_at(&again, &["export"]).output().unwrap();
    let reexported = json_lines(&String::from_utf8(out.stdout).unwrap());

    let (before, after) = (facts(&exported), facts(&reexported));
    assert_eq!(before.len(), after.len());
    for (title, was) in &before {
        assert_eq!(Some(was), after.get(title), "{title}");
    }
}
