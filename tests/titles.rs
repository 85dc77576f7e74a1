//! Titles without the site's name, whichever part of the page they come from, and the raw
//! title beside them in every JSON output.

use serde_json::Value;

use crate::util::Env;

const BODY: &str = "<p>Two officers of the navy were arrested in the port city in a spy case \
    that has shaken the service, investigators said on Monday.</p>";

/// Pages whose titles name their site four ways, a headline with a dash of its own, and a text
/// file with a dateline under its title.
fn pages() -> Env {
    let env = Env::new();
    env.write(
        "c/reuters.com/2021/spy.html",
        format!("<html><head><title>Navy spy arrested - Reuters</title></head><body>{BODY}</body></html>"),
    );
    env.write(
        "c/daily.html",
        format!(
            r#"<html><head><meta property="og:title" content="The Daily: Port spy case widens">
<meta property="og:site_name" content="The Daily"></head><body>{BODY}</body></html>"#
        ),
    );
    env.write(
        "c/ld.html",
        format!(
            r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle",
"headline":"Spies at sea | Example News","publisher":{{"name":"Example News"}}}}</script>
</head><body>{BODY}</body></html>"#
        ),
    );
    env.write(
        "c/monitor.htm",
        format!(
            "<html><head><title>Spy Monitor :: Mole found in the port</title></head><body>{BODY}\
             <p>Copyright &copy; 1999 Spy Monitor. All rights reserved.</p></body></html>"
        ),
    );
    env.write(
        "c/talks.html",
        format!(
            "<html><head><title>Russia - Ukraine talks</title></head><body>{BODY}</body></html>"
        ),
    );
    env.write(
        "c/letter.txt",
        "Georgia's spy-catchers, ten years on\nPublished 14 August 2018 - Caucasus Security \
         Letter, issue 112\n\nTen years ago this week, tanks rolled through the tunnel, and \
         officials say they have opened more than forty espionage cases since.\n",
    );
    env
}

/// `(file name, title, title_raw)` of every line of `type` in `stdout`, by file name.
fn titles(stdout: &str, kind: &str) -> Vec<(String, String, Option<String>)> {
    let mut out: Vec<_> = stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSON line"))
        .filter(|v| v["type"] == kind)
        .map(|v| {
            let path = v["path"].as_str().unwrap();
            let name = path.rsplit('/').next().unwrap().to_string();
            (
                name,
                v["title"].as_str().unwrap_or("").to_string(),
                v.get("title_raw").and_then(Value::as_str).map(String::from),
            )
        })
        .collect();
    out.sort();
    out
}

fn expected() -> Vec<(String, String, Option<String>)> {
    let t = |n: &str, t: &str, raw: Option<&str>| (n.into(), t.into(), raw.map(String::from));
    vec![
        t(
            "daily.html",
            "Port spy case widens",
            Some("The Daily: Port spy case widens"),
        ),
        t(
            "ld.html",
            "Spies at sea",
            Some("Spies at sea | Example News"),
        ),
        t(
            "letter.txt",
            "Georgia's spy-catchers, ten years on",
            Some(
                "Georgia's spy-catchers, ten years on Published 14 August 2018 - Caucasus \
                 Security Letter, issue 112",
            ),
        ),
        t(
            "monitor.htm",
            "Mole found in the port",
            Some("Spy Monitor :: Mole found in the port"),
        ),
        t(
            "spy.html",
            "Navy spy arrested",
            Some("Navy spy arrested - Reuters"),
        ),
        t("talks.html", "Russia - Ukraine talks", None),
    ]
}

#[test]
fn extract_cuts_site_names_and_keeps_the_raw_title() {
    let env = pages();
    let out = env.ok(&["extract", "c", "--format", "json"], 0);
    assert_eq!(titles(&out, "article"), expected());
}

#[test]
fn search_show_and_export_carry_the_raw_title() {
    let env = pages();
    env.index(&env.path("c"));
    let out = env.ok(&["export", "--format", "json"], 0);
    assert_eq!(titles(&out, "article"), expected());
    let args = [
        "search",
        "navy OR officials",
        "--format",
        "json",
        "--copies",
        "all",
    ];
    let out = env.ok(&args, 0);
    assert_eq!(titles(&out, "hit"), expected());
    let spy = env.path("c/reuters.com/2021/spy.html");
    let out = env.ok(&["show", spy.to_str().unwrap(), "--format", "json"], 0);
    let v: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(v["indexed"], true);
    assert_eq!(v["title"], "Navy spy arrested");
    assert_eq!(v["title_raw"], "Navy spy arrested - Reuters");
}
