//! Titles without the site's name: `Spy arrested | The Daily` becomes `Spy arrested`, and so do
//! `Spy arrested - Reuters` and `The Daily: Spy arrested`.
//!
//! A part of a title is cut only when the page itself says it is the site's name: it matches
//! the page's site name (`og:site_name`, the JSON-LD publisher, front matter), the host of its
//! URL or of the folder it was scraped into (`reuters.com/2020/…`), or the holder of its
//! copyright line (`© 2012 SpyNet News`), or it is a bare domain name. A part that only looks
//! like a site name (short, last, after a dash) stays: "Russia - Ukraine talks" and "Habeck in
//! München - Windkraft in Bayern" are headlines, and nothing tells them from "Spies - The
//! Daily" but what the page says about itself. Only whole parts at either end are cut, never
//! the whole title.

use std::path::Path;

/// Separators between a title and the site's name, tried in this order.
const SEPS: &[&str] = &[
    " | ", " – ", " — ", " - ", " :: ", " : ", " · ", " « ", " » ", " • ", " / ", " ~ ",
];

/// Words a site's name may carry beside the name its host or publisher gives ("BBC News" on
/// bbc.co.uk, "The Telegraph" for "The Daily Telegraph").
const GENERIC: &[&str] = &[
    "the", "news", "online", "com", "net", "org", "daily", "blog", "magazine", "media", "tv",
    "radio", "digital", "website", "site", "www", "home", "homepage", "official", "de", "fr", "uk",
    "ru", "en", "english", "edition", "newsroom", "press",
];

/// Top-level domains a bare domain name in a title ends with ("Spies | Reuters.com").
const TLDS: &[&str] = &[
    "com", "org", "net", "info", "biz", "news", "io", "co", "de", "fr", "uk", "ru", "ua", "it",
    "es", "nl", "pl", "cn", "jp", "in", "au", "ca", "us", "eu", "ch", "at", "be", "se", "no", "dk",
    "fi", "tr", "ir", "il", "br", "mx", "kr", "gov", "edu", "example",
];

/// What a page says its site is called: the names a part of its title is checked against.
#[derive(Debug, Default, Clone)]
pub struct SiteNames {
    /// Site names, each as its words (lowercase, letters and digits).
    names: Vec<Vec<String>>,
    /// Host names without `www.` and the top-level domain, letters and digits only
    /// (`cloakanddagger-online.com` → `cloakanddaggeronline`).
    hosts: Vec<String>,
}

impl SiteNames {
    /// Adds a site or publisher name, or the holder of a copyright line.
    pub fn name(&mut self, name: &str) {
        let w = words(name);
        if !w.is_empty() && !self.names.contains(&w) {
            self.names.push(w);
        }
    }

    /// Adds the host of a URL (`https://www.reuters.com/world/…` → `reuters`).
    pub fn url(&mut self, url: &str) {
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        let host = host.split(':').next().unwrap_or("");
        self.host(host);
    }

    /// Adds every folder of a file's path that is named like a host, as scrapers name them
    /// (`~/scrapes/spynetnews.com/1996/07/page.htm`).
    pub fn path(&mut self, path: &Path) {
        if let Some(parent) = path.parent() {
            for c in parent.components() {
                if let Some(s) = c.as_os_str().to_str().filter(|s| is_domain(s)) {
                    self.host(s);
                }
            }
        }
    }

    fn host(&mut self, host: &str) {
        let host = host.to_lowercase();
        let labels: Vec<&str> = host
            .trim_start_matches("www.")
            .split('.')
            .filter(|l| !l.is_empty())
            .collect();
        if labels.len() < 2 {
            return;
        }
        // The name is the label before the public suffix: "bbc" of bbc.co.uk, "reuters" of
        // reuters.com.
        let mut end = labels.len() - 1;
        if end >= 2 && labels[end].len() == 2 && matches!(labels[end - 1], "co" | "com" | "org") {
            end -= 1;
        }
        let name = compact(labels[end - 1]);
        if name.len() >= 3 && !self.hosts.contains(&name) {
            self.hosts.push(name);
        }
    }

    /// Whether nothing is known of the site.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.hosts.is_empty()
    }

    /// Whether `part` of a title names the site.
    pub fn names_site(&self, part: &str) -> bool {
        let pw = words(part);
        if pw.is_empty() {
            return false;
        }
        if is_domain(part.trim()) {
            return true;
        }
        let pc: String = pw.concat();
        if self.names.iter().any(|n| n.concat() == pc) || self.hosts.contains(&pc) {
            return true;
        }
        let core: Vec<&str> = significant(&pw);
        if core.is_empty() {
            // "Blog", "News": a word any site may use.
            return false;
        }
        let core_c: String = core.concat();
        // The same name but for generic words: "The Telegraph" for "The Daily Telegraph", "BBC
        // News" for the host bbc.co.uk.
        self.names.iter().any(|n| significant(n).concat() == core_c)
            || self
                .hosts
                .iter()
                .any(|h| *h == core_c || with_generic(h, &pw))
    }
}

/// The title without the parts at its ends that name the site (see the module's doc).
pub fn clean(title: &str, site: &SiteNames) -> String {
    let mut t = title.trim().to_string();
    if site.is_empty() && !SEPS.iter().any(|s| t.contains(s)) && !t.contains(": ") {
        return t;
    }
    'strip: loop {
        for sep in SEPS {
            // The longest end part that names the site: "Title – LDT – Blog" loses "LDT – Blog".
            for (i, _) in t.match_indices(sep) {
                let (rest, last) = (&t[..i], &t[i + sep.len()..]);
                if !rest.trim().is_empty() && site.names_site(last) && !site.names_site(rest) {
                    t = rest.trim().to_string();
                    continue 'strip;
                }
            }
            for (i, _) in t.rmatch_indices(sep) {
                let (first, rest) = (&t[..i], &t[i + sep.len()..]);
                if !rest.trim().is_empty() && site.names_site(first) && !site.names_site(rest) {
                    t = rest.trim().to_string();
                    continue 'strip;
                }
            }
        }
        // "Site: Title" and "Site:: Title" (a colon after a headline's own first words, as in
        // "Spies: a history", stays unless those words name the site).
        for sep in [":: ", ": "] {
            if let Some((first, rest)) = t.split_once(sep) {
                if !rest.trim().is_empty() && site.names_site(first) && !site.names_site(rest) {
                    t = rest.trim().to_string();
                    continue 'strip;
                }
            }
        }
        return t;
    }
}

/// Whether `s` is a bare domain name such as `reuters.com` or `www.example.org`.
fn is_domain(s: &str) -> bool {
    let s = s.to_lowercase();
    let labels: Vec<&str> = s.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && TLDS.contains(labels.last().expect("two labels"))
        && labels[labels.len() - 2]
            .chars()
            .any(|c| c.is_ascii_alphabetic())
}

/// The words of `s`, lowercase, letters and digits only; `&` reads as "and".
fn words(s: &str) -> Vec<String> {
    s.replace('&', " and ")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// `s` in lowercase letters and digits alone.
fn compact(s: &str) -> String {
    words(s).concat()
}

/// The words that are not [`GENERIC`].
fn significant(w: &[String]) -> Vec<&str> {
    w.iter()
        .map(String::as_str)
        .filter(|w| !GENERIC.contains(w))
        .collect()
}

/// Whether the host name `h` is the part's words, one generic word left out or added: the
/// host `spynetnews` for "SpyNet", `bbc` for "BBC News".
fn with_generic(h: &str, pw: &[String]) -> bool {
    (0..pw.len()).any(|i| {
        GENERIC.contains(&pw[i].as_str()) && {
            let without: String = pw
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, w)| w.as_str())
                .collect();
            without == h
        }
    }) || GENERIC
        .iter()
        .any(|g| h.strip_suffix(g).is_some_and(|rest| rest == pw.concat()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> SiteNames {
        let mut s = SiteNames::default();
        s.name(name);
        s
    }

    fn at(url: &str) -> SiteNames {
        let mut s = SiteNames::default();
        s.url(url);
        s
    }

    #[test]
    fn cuts_the_site_name_at_either_end() {
        let s = named("The Daily");
        assert_eq!(clean("Spy arrested | The Daily", &s), "Spy arrested");
        assert_eq!(clean("The Daily :: Spy arrested", &s), "Spy arrested");
        assert_eq!(clean("The Daily: Spy arrested", &s), "Spy arrested");
        assert_eq!(
            clean("Spy arrested - World - The Daily", &s),
            "Spy arrested - World"
        );
        let s = at("https://www.ldt.de/blog/a");
        assert_eq!(clean("FALL IN LOVE – LDT – Blog", &s), "FALL IN LOVE");
        assert_eq!(
            clean("Example News: Spies at sea", &named("Example News")),
            "Spies at sea"
        );
    }

    #[test]
    fn names_with_generic_words() {
        assert_eq!(
            clean(
                "Spies at sea - The Telegraph",
                &named("The Daily Telegraph")
            ),
            "Spies at sea"
        );
        assert_eq!(
            clean(
                "Spy ring uncovered - BBC News",
                &at("https://www.bbc.co.uk/news/1")
            ),
            "Spy ring uncovered"
        );
    }

    #[test]
    fn url_and_folder_hosts() {
        assert_eq!(
            clean(
                "Spy arrested - Reuters",
                &at("https://www.reuters.com/world/x")
            ),
            "Spy arrested"
        );
        let mut s = SiteNames::default();
        s.path(Path::new(
            "/scrapes/cloakanddagger-online.com/1995/08/page.htm",
        ));
        assert_eq!(
            clean("Cloak & Dagger Online: Former officer warns", &s),
            "Former officer warns"
        );
        let mut s = SiteNames::default();
        s.path(Path::new("/scrapes/spynetnews.com/a.htm"));
        assert_eq!(clean("SpyNet News: Mole found", &s), "Mole found");
        // The file name is no host.
        let mut s = SiteNames::default();
        s.path(Path::new("/scrapes/reuters.com"));
        assert!(s.is_empty());
    }

    #[test]
    fn bare_domains() {
        let s = SiteNames::default();
        assert_eq!(clean("Spies at sea | Reuters.com", &s), "Spies at sea");
        assert_eq!(
            clean("www.bundespraesident.de: Rede beim Konvent", &s),
            "Rede beim Konvent"
        );
        assert_eq!(clean("Node.js - a history", &s), "Node.js - a history");
    }

    #[test]
    fn keeps_headlines_that_only_look_like_site_names() {
        let none = SiteNames::default();
        assert_eq!(
            clean("Russia - Ukraine talks", &none),
            "Russia - Ukraine talks"
        );
        assert_eq!(
            clean("Habeck in München - Windkraft in Bayern", &none),
            "Habeck in München - Windkraft in Bayern"
        );
        assert_eq!(clean("Spies: a history", &none), "Spies: a history");
        let s = named("Ukraine Today");
        assert_eq!(
            clean("Russia - Ukraine talks", &s),
            "Russia - Ukraine talks"
        );
        assert_eq!(clean("Russia - Ukraine", &s), "Russia - Ukraine");
        let s = at("https://kyivpost.com/a");
        assert_eq!(clean("Kyiv - Post-war plans", &s), "Kyiv - Post-war plans");
    }

    #[test]
    fn never_the_whole_title() {
        let s = named("Home");
        assert_eq!(clean("Home", &s), "Home");
        assert_eq!(clean("Home | Home", &s), "Home | Home");
        let s = named("The Daily");
        assert_eq!(clean("The Daily", &s), "The Daily");
        assert_eq!(clean("  ", &s), "");
    }
}
