//! Interim tagger (replaced by the tagging stage's branch).

/// An agency.
pub struct Agency {
    /// ID.
    pub id: &'static str,
    /// Country.
    pub country: &'static str,
    /// Names.
    pub names: Vec<&'static str>,
    /// Successor.
    pub successor: Option<&'static str>,
}

/// A country.
pub struct Country {
    /// Code.
    pub code: &'static str,
    /// Name.
    pub name: &'static str,
    /// Aliases.
    pub aliases: Vec<&'static str>,
}

/// Tags.
#[derive(Debug, Clone, Default)]
pub struct Tags {
    /// Agencies.
    pub agencies: Vec<&'static str>,
    /// Countries.
    pub countries: Vec<&'static str>,
}

impl Tags {
    /// Union.
    pub fn merge(&mut self, other: &Tags) {
        self.agencies.extend(&other.agencies);
        self.agencies.sort();
        self.agencies.dedup();
        self.countries.extend(&other.countries);
        self.countries.sort();
        self.countries.dedup();
    }
}

const AG: &[(&str, &str, &str)] = &[
    ("DGSE", "FR", "Directorate General of External Security"),
    ("MSS", "CN", "Ministry of State Security"),
    ("CIA", "US", "Central Intelligence Agency"),
];
const CO: &[(&str, &str, &str)] = &[("FR", "France", "French"), ("CN", "China", "Chinese")];

/// Tags a text.
pub fn tag(text: &str) -> Tags {
    let mut t = Tags::default();
    for (id, _, name) in AG {
        if text.contains(id) || text.contains(name) {
            t.agencies.push(id);
        }
    }
    for (code, name, dem) in CO {
        if text.contains(name) || text.contains(dem) {
            t.countries.push(code);
        }
    }
    t
}

/// Resolves an agency.
pub fn resolve_agency(name: &str) -> Option<&'static str> {
    AG.iter()
        .find(|(id, _, n)| id.eq_ignore_ascii_case(name) || n.eq_ignore_ascii_case(name))
        .map(|a| a.0)
}

/// Resolves a country.
pub fn resolve_country(name: &str) -> Option<&'static str> {
    CO.iter()
        .find(|(c, n, d)| {
            c.eq_ignore_ascii_case(name)
                || n.eq_ignore_ascii_case(name)
                || d.eq_ignore_ascii_case(name)
        })
        .map(|a| a.0)
}

/// All agencies.
pub fn agencies() -> &'static [Agency] {
    &[]
}

/// All countries.
pub fn countries() -> &'static [Country] {
    &[]
}

/// Finds agencies.
pub fn find_agencies(_text: &str) -> Vec<&'static Agency> {
    vec![]
}

/// Finds countries.
pub fn find_countries(_text: &str) -> Vec<&'static Country> {
    vec![]
}
