//! Copies of one story: a reprint with its own headline, lead, furniture and a cut end is grouped
//! with the original; a report of the same event written apart is not; groups follow edits and
//! deletions; search folds a story to one hit unless asked for every copy; `--new` does not report
//! a new copy of a story it reported.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::util::{prose, Env};

/// The facts both reports of the event share: names, place, day.
const EVENT: &str = "Colonel Anatoly Varga of the SVR was expelled from Vilnius on 14 March 2021.";

/// The story as the wire wrote it: the event, then seven paragraphs of its own prose.
fn story_paragraphs() -> Vec<String> {
    let mut paras = vec![EVENT.to_string()];
    paras.extend((0..7).map(|i| prose(100 + i, 60)));
    paras
}

fn page(title: &str, site: &str, paras: &[String]) -> String {
    let body: String = paras.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<html><head><title>{title}</title>\
         <meta property=\"og:site_name\" content=\"{site}\"></head>\
         <body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>\
         <article><h1>{title}</h1>\n{body}</article>\
         <footer>© {site}. All rights reserved.</footer></body></html>"
    )
}

fn original(env: &Env) {
    env.write(
        "c/wire/expelled.html",
        page(
            "Russian spy expelled from Lithuania",
            "Wire",
            &story_paragraphs(),
        ),
    );
}

/// The reprint: a new headline, a local lead, the last paragraph cut, other furniture.
fn reprint(env: &Env, rel: &str, site: &str) {
    let mut paras = vec![format!(
        "{site} has learned more about the case. {}",
        prose(7, 25)
    )];
    let story = story_paragraphs();
    paras.extend_from_slice(&story[..story.len() - 1]);
    env.write(rel, page("Lithuania sends SVR colonel home", site, &paras));
}

/// The same event written apart: the same names, place and day, other words.
fn separate(env: &Env) {
    let mut paras = vec![EVENT.to_string()];
    paras.extend((0..6).map(|i| prose(900 + i, 60)));
    env.write(
        "c/daily/varga.html",
        page(
            "Vilnius expels Russian intelligence officer",
            "Daily",
            &paras,
        ),
    );
}

/// Export lines by file name.
fn exported(env: &Env) -> BTreeMap<String, Value> {
    env.ok(&["export"], 0)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|v| {
            let name = v["path"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string();
            (name, v)
        })
        .collect()
}

fn group_of(lines: &BTreeMap<String, Value>, name: &str) -> Option<String> {
    lines[name]["group"].as_str().map(str::to_string)
}

#[test]
fn a_reprint_is_a_copy_and_a_report_written_apart_is_not() {
    let env = Env::new();
    original(&env);
    reprint(&env, "c/gazette/reprint.html", "Gazette");
    separate(&env);
    env.index(&env.path("c"));

    let lines = exported(&env);
    assert_eq!(lines.len(), 3);
    let group = group_of(&lines, "expelled.html").expect("the original has copies");
    assert_eq!(
        group_of(&lines, "reprint.html").as_deref(),
        Some(group.as_str())
    );
    assert_eq!(
        group_of(&lines, "varga.html"),
        None,
        "written apart: not a copy"
    );

    // One hit a story by default, naming the copy; every copy on request.
    let (hits, _) = env.search_json(&["Varga", "--per-article", "1"]);
    assert_eq!(hits.len(), 2, "{hits:?}");
    let story = hits
        .iter()
        .find(|h| h.group.is_some())
        .expect("the story's hit");
    assert_eq!(story.group.as_deref(), Some(group.as_str()));
    assert_eq!(story.copies.len(), 1);
    let (all, _) = env.search_json(&["Varga", "--per-article", "1", "--copies", "all"]);
    assert_eq!(all.len(), 3, "{all:?}");
    assert!(all.iter().all(|h| h.group.is_none() || h.copies.len() == 1));

    let human = env.ok(&["search", "Varga", "--per-article", "1"], 0);
    assert!(human.contains("+1 copy: "), "{human}");

    // show names the copy; status counts the group.
    let shown = env.ok(&["show", "c/wire/expelled.html", "--format", "json"], 0);
    let shown: Value = serde_json::from_str(shown.trim()).unwrap();
    assert_eq!(shown["group"].as_str(), Some(group.as_str()));
    assert_eq!(
        shown["copies"][0]["title"],
        "Lithuania sends SVR colonel home"
    );
    let human = env.ok(&["show", "c/wire/expelled.html", "--no-pager"], 0);
    assert!(
        human.contains(&format!(
            "1 other article tells the same story (group {group})"
        )),
        "{human}"
    );
    let status: Value =
        serde_json::from_str(env.ok(&["status", "--format", "json"], 0).trim()).unwrap();
    assert_eq!(
        (status["groups"].as_u64(), status["copies"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn groups_follow_edits_and_deletions_and_keep_their_id() {
    let env = Env::new();
    original(&env);
    reprint(&env, "c/gazette/reprint.html", "Gazette");
    separate(&env);
    env.index(&env.path("c"));
    let group = group_of(&exported(&env), "expelled.html").unwrap();

    // A third copy joins the group under the same id.
    reprint(&env, "c/herald/again.html", "Herald");
    env.index(&env.path("c"));
    let lines = exported(&env);
    for name in ["expelled.html", "reprint.html", "again.html"] {
        assert_eq!(
            group_of(&lines, name).as_deref(),
            Some(group.as_str()),
            "{name}"
        );
    }

    // A copy rewritten into another story leaves the group.
    env.write(
        "c/gazette/reprint.html",
        page("Something else", "Gazette", &[prose(5000, 200)]),
    );
    env.index(&env.path("c"));
    let lines = exported(&env);
    assert_eq!(group_of(&lines, "reprint.html"), None);
    assert_eq!(
        group_of(&lines, "again.html").as_deref(),
        Some(group.as_str())
    );

    // Deleting the original leaves the last copy alone.
    std::fs::remove_file(env.path("c/wire/expelled.html")).unwrap();
    env.index(&env.path("c"));
    let lines = exported(&env);
    assert!(!lines.contains_key("expelled.html"));
    assert_eq!(group_of(&lines, "again.html"), None);
    let status: Value =
        serde_json::from_str(env.ok(&["status", "--format", "json"], 0).trim()).unwrap();
    assert_eq!(status["groups"].as_u64(), Some(0));

    // Rebuilding from nothing gives the groups an incremental run gave.
    reprint(&env, "c/gazette/reprint.html", "Gazette");
    env.index(&env.path("c"));
    let incremental: Vec<Option<String>> = exported(&env)
        .values()
        .map(|v| v["group"].as_str().map(str::to_string))
        .collect();
    env.ok(
        &[
            "index",
            "--rebuild",
            "--quiet",
            env.path("c").to_str().unwrap(),
        ],
        0,
    );
    let rebuilt: Vec<Option<String>> = exported(&env)
        .values()
        .map(|v| v["group"].as_str().map(str::to_string))
        .collect();
    assert_eq!(incremental.iter().filter(|g| g.is_some()).count(), 2);
    assert_eq!(
        incremental.iter().map(Option::is_some).collect::<Vec<_>>(),
        rebuilt.iter().map(Option::is_some).collect::<Vec<_>>()
    );
}

#[test]
fn a_new_copy_of_a_reported_story_is_not_new() {
    let env = Env::new();
    original(&env);
    env.index(&env.path("c"));
    env.ok(&["saved", "add", "varga", "Varga"], 0);
    let first = env.ok(&["saved", "run", "varga", "--new", "--format", "json"], 0);
    assert!(first.contains("\"type\":\"hit\""), "{first}");

    // The reprint lands: the story was reported already.
    reprint(&env, "c/gazette/reprint.html", "Gazette");
    env.index(&env.path("c"));
    let second = env.ok(&["saved", "run", "varga", "--new", "--format", "json"], 1);
    assert!(!second.contains("\"type\":\"hit\""), "{second}");

    // A report written apart is news.
    separate(&env);
    env.index(&env.path("c"));
    let third = env.ok(&["saved", "run", "varga", "--new", "--format", "json"], 0);
    assert!(third.contains("varga.html"), "{third}");
    assert!(!third.contains("reprint.html"), "{third}");
}
