//! The query language and the filters around it, as plain data that parses and prints back.
//!
//! A query string is a list of clauses that must all match: words, `"exact phrases"`, `a OR b`,
//! `-excluded`, `( groups )`, and `field:value` for `title:`, `agency:`, `country:` and `site:`.
//! `agency:` and `country:` take any alias and store the canonical ID, so `Display` gives the
//! canonical form and `parse(display(q)) == q`. [`Query`] adds the command-line filters.

use std::fmt;
use std::str::FromStr;

use time::{Date, Month};

use crate::error::{Error, Result};
use crate::tag;

/// The longest query string accepted, in bytes. A query is typed or saved by a person; one this
/// long is a pasted document, whose thousands of required words could only match nothing, slowly.
pub const MAX_QUERY_BYTES: usize = 10_000;

/// How deeply parentheses may nest.
pub const MAX_NESTING: usize = 32;

/// The most words `"a phrase"~N` and `NEAR/N` may allow between their words.
pub const MAX_DISTANCE: u32 = 50;

/// The distance of a bare `NEAR`, in words.
pub const DEFAULT_NEAR: u32 = 10;

/// A field a word or phrase is restricted to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// Passage text and title (the default).
    Any,
    /// The article title only.
    Title,
    /// An agency ID (a filter: it does not change the score).
    Agency,
    /// A country code (a filter: it does not change the score).
    Country,
    /// The site name, exact (a filter).
    Site,
}

impl Field {
    /// Whether words in this field are text (passage text or title), not a filter.
    pub fn is_text(self) -> bool {
        matches!(self, Field::Any | Field::Title)
    }

    fn prefix(self) -> &'static str {
        match self {
            Field::Any => "",
            Field::Title => "title:",
            Field::Agency => "agency:",
            Field::Country => "country:",
            Field::Site => "site:",
        }
    }
}

/// One node of a parsed query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// A single word.
    Word(Field, String),
    /// Words that must appear in this order, next to each other. A single quoted word is a
    /// phrase of one: it is searched as written, never respelled.
    Phrase(Field, String),
    /// `"words"~N`: the words in this order with at most N other words among them in all.
    Sloppy(Field, String, u32),
    /// `a NEAR/N b`: two words or phrases, in either order, at most N words apart.
    Near(Field, String, String, u32),
    /// `spy*`: any word that starts with these letters.
    Prefix(Field, String),
    /// `Snowdon~` or `Snowdon~2`: the word and the indexed words within this many edits of it.
    Fuzzy(Field, String, u8),
    /// Any of these.
    Or(Vec<Node>),
    /// All of these (a parenthesised group).
    And(Vec<Node>),
    /// Documents matching this are excluded.
    Not(Box<Node>),
}

/// A parsed query string: clauses that must all match. An empty list matches every passage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expr(pub Vec<Node>);

impl Expr {
    /// The clauses that match text, outside any exclusion: words, phrases, prefixes, fuzzy
    /// words and NEAR pairs on passage text or title, in query order. Filters (`agency:` ...)
    /// and excluded clauses are not among them.
    pub fn positive_leaves(&self) -> Vec<&Node> {
        fn walk<'a>(node: &'a Node, out: &mut Vec<&'a Node>) {
            match node {
                Node::Or(v) | Node::And(v) => v.iter().for_each(|n| walk(n, out)),
                Node::Not(_) => {}
                n if n.is_text() => out.push(n),
                _ => {}
            }
        }
        let mut out = Vec::new();
        self.0.iter().for_each(|n| walk(n, &mut out));
        out
    }
}

/// An agency or a country that a run of a query's words names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedTag {
    /// [`Field::Agency`] or [`Field::Country`].
    pub field: Field,
    /// The canonical agency ID or country code.
    pub id: String,
    /// The words as typed.
    pub words: String,
}

/// The most words a run naming an agency or a country may have.
const MAX_NAME_WORDS: usize = 5;

impl Expr {
    /// The query with each run of its top-level words that names an agency or a country
    /// (`Mossad`, `German foreign intelligence`, `Russian`) read as those words *or* the tag:
    /// an article tagged BND answers `German foreign intelligence` in whatever language and
    /// words it names the service. The longest run wins. One word under four letters counts
    /// only in capitals, as typed (`US`, `CIA`; not `us`). Quoted words are taken as text.
    pub fn with_tags(&self) -> (Expr, Vec<NamedTag>) {
        let nodes = &self.0;
        let mut out = Vec::with_capacity(nodes.len());
        let mut tags = Vec::new();
        let mut i = 0;
        while i < nodes.len() {
            let mut found = None;
            for len in (1..=MAX_NAME_WORDS.min(nodes.len() - i)).rev() {
                let words: Option<Vec<&str>> = nodes[i..i + len]
                    .iter()
                    .map(|n| match n {
                        Node::Word(Field::Any, w) => Some(w.as_str()),
                        _ => None,
                    })
                    .collect();
                let Some(words) = words else {
                    continue;
                };
                let text = words.join(" ");
                let short = text.chars().count() < 4;
                if len == 1 && short && !text.chars().all(|c| c.is_uppercase()) {
                    continue;
                }
                if !tag::may_name(&text) {
                    continue;
                }
                let tag = tag::resolve_agency(&text)
                    .map(|id| (Field::Agency, id))
                    .or_else(|| tag::resolve_country(&text).map(|c| (Field::Country, c)));
                if let Some((field, id)) = tag {
                    found = Some((len, field, id, text));
                    break;
                }
            }
            let Some((len, field, id, words)) = found else {
                out.push(nodes[i].clone());
                i += 1;
                continue;
            };
            let as_words = match &nodes[i..i + len] {
                [one] => one.clone(),
                several => Node::And(several.to_vec()),
            };
            out.push(Node::Or(vec![as_words, Node::Word(field, id.to_string())]));
            if !tags
                .iter()
                .any(|t: &NamedTag| t.id == id && t.field == field)
            {
                tags.push(NamedTag {
                    field,
                    id: id.to_string(),
                    words,
                });
            }
            i += len;
        }
        (Expr(out), tags)
    }
}

impl Node {
    /// Whether the node matches words of passage text or title (not a filter, not a group).
    pub fn is_text(&self) -> bool {
        match self {
            Node::Word(f, _)
            | Node::Phrase(f, _)
            | Node::Sloppy(f, _, _)
            | Node::Near(f, _, _, _)
            | Node::Prefix(f, _)
            | Node::Fuzzy(f, _, _) => f.is_text(),
            Node::Or(_) | Node::And(_) | Node::Not(_) => false,
        }
    }

    /// Whether the node matches text anywhere outside an exclusion: a text node, or a group
    /// holding one.
    pub fn has_text(&self) -> bool {
        match self {
            Node::Or(v) | Node::And(v) => v.iter().any(Node::has_text),
            Node::Not(_) => false,
            n => n.is_text(),
        }
    }
}

impl FromStr for Expr {
    type Err = Error;
    fn from_str(s: &str) -> Result<Expr> {
        Parser::new(s).parse()
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_all(f, &self.0)
    }
}

fn write_all(f: &mut fmt::Formatter<'_>, nodes: &[Node]) -> fmt::Result {
    for (i, n) in nodes.iter().enumerate() {
        if i > 0 {
            f.write_str(" ")?;
        }
        write!(f, "{n}")?;
    }
    Ok(())
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Word(field, w) => {
                let quote = w.contains(|c: char| c.is_whitespace() || matches!(c, '"' | '(' | ')'))
                    || w == "OR"
                    || w.starts_with('-')
                    || field_name(w).is_some();
                if quote {
                    write!(f, "{}\"{}\"", field.prefix(), w)
                } else {
                    write!(f, "{}{}", field.prefix(), w)
                }
            }
            Node::Phrase(field, p) => write!(f, "{}\"{}\"", field.prefix(), p),
            Node::Sloppy(field, p, n) => write!(f, "{}\"{}\"~{n}", field.prefix(), p),
            Node::Near(field, a, b, n) => {
                write!(f, "{}{} NEAR/{n} ", field.prefix(), operand(a))?;
                write!(f, "{}{}", field.prefix(), operand(b))
            }
            Node::Prefix(field, p) => write!(f, "{}{}*", field.prefix(), p),
            Node::Fuzzy(field, w, 1) => write!(f, "{}{}~", field.prefix(), w),
            Node::Fuzzy(field, w, n) => write!(f, "{}{}~{n}", field.prefix(), w),
            Node::Or(alts) => {
                for (i, a) in alts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" OR ")?;
                    }
                    // An And prints its own parentheses; a nested Or needs them.
                    match a {
                        Node::Or(_) => write!(f, "({a})")?,
                        _ => write!(f, "{a}")?,
                    }
                }
                Ok(())
            }
            Node::And(nodes) => {
                f.write_str("(")?;
                write_all(f, nodes)?;
                f.write_str(")")
            }
            Node::Not(n) => match **n {
                Node::Or(_) | Node::Near(..) => write!(f, "-({n})"),
                _ => write!(f, "-{n}"),
            },
        }
    }
}

/// A NEAR operand as typed: a word bare, several words quoted.
fn operand(text: &str) -> String {
    if text.contains(char::is_whitespace) {
        format!("\"{text}\"")
    } else {
        text.to_string()
    }
}

/// The `name` of a word shaped like `name:value` (letters, then a colon), which the parser
/// reads as a field and rejects when it is not one it knows.
fn field_name(word: &str) -> Option<&str> {
    let (name, _) = word.split_once(':')?;
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic())).then_some(name)
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Self {
        Parser {
            src,
            pos: 0,
            depth: 0,
        }
    }

    fn err(&self, pos: usize, msg: impl Into<String>) -> Error {
        Error::Query {
            query: self.src.to_string(),
            pos,
            msg: msg.into(),
        }
    }

    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn skip_ws(&mut self) {
        let trimmed = self.rest().trim_start();
        self.pos = self.src.len() - trimmed.len();
    }

    fn parse(mut self) -> Result<Expr> {
        if self.src.len() > MAX_QUERY_BYTES {
            let mut at = MAX_QUERY_BYTES;
            while !self.src.is_char_boundary(at) {
                at -= 1;
            }
            return Err(self.err(
                at,
                format!(
                    "the query is {} bytes long, more than the {MAX_QUERY_BYTES} allowed",
                    self.src.len()
                ),
            ));
        }
        let nodes = self.parse_seq(false)?;
        Ok(Expr(nodes))
    }

    /// Clauses until the end (or a closing parenthesis when `nested`).
    fn parse_seq(&mut self, nested: bool) -> Result<Vec<Node>> {
        let mut nodes = Vec::new();
        loop {
            self.skip_ws();
            if self.rest().is_empty() {
                if nested {
                    return Err(self.err(self.pos, "missing ')'"));
                }
                return Ok(nodes);
            }
            if self.rest().starts_with(')') {
                if !nested {
                    return Err(self.err(self.pos, "')' without '('"));
                }
                self.pos += 1;
                return Ok(nodes);
            }
            let start = self.pos;
            let first = self.parse_near()?;
            let mut alts = vec![first];
            loop {
                let save = self.pos;
                self.skip_ws();
                if self.rest().starts_with("OR")
                    && self.rest()[2..].starts_with(|c: char| c.is_whitespace() || c == '(')
                {
                    self.pos += 2;
                    self.skip_ws();
                    if self.rest().is_empty() || self.rest().starts_with(')') {
                        return Err(self.err(self.pos, "nothing after OR"));
                    }
                    alts.push(self.parse_near()?);
                } else {
                    self.pos = save;
                    break;
                }
            }
            if alts.len() == 1 {
                nodes.push(alts.pop().expect("one alternative"));
            } else {
                if alts.iter().any(|a| matches!(a, Node::Not(_))) {
                    return Err(self.err(start, "an excluded term cannot be an OR alternative"));
                }
                nodes.push(Node::Or(alts));
            }
        }
    }

    /// A clause, or two words or phrases joined by `NEAR/N` (which binds tighter than OR).
    fn parse_near(&mut self) -> Result<Node> {
        let start = self.pos;
        let first = self.parse_unary()?;
        let save = self.pos;
        self.skip_ws();
        let Some(distance) = self.near_operator()? else {
            self.pos = save;
            return Ok(first);
        };
        self.skip_ws();
        if self.rest().is_empty() || self.rest().starts_with(')') {
            return Err(self.err(self.pos, "nothing after NEAR"));
        }
        let second_at = self.pos;
        let second = self.parse_unary()?;
        let not_operand = |at| self.err(at, "NEAR joins two words or \"phrases\"");
        let (field, a) = near_operand(&first).ok_or_else(|| not_operand(start))?;
        let (other, b) = near_operand(&second).ok_or_else(|| not_operand(second_at))?;
        if field != other {
            return Err(self.err(second_at, "both sides of NEAR must search the same field"));
        }
        let save = self.pos;
        self.skip_ws();
        if self.rest().starts_with("NEAR") && self.near_operator()?.is_some() {
            return Err(self.err(
                save,
                "one NEAR a pair of words: write (a NEAR/5 b) (b NEAR/5 c)",
            ));
        }
        self.pos = save;
        Ok(Node::Near(field, a, b, distance))
    }

    /// `NEAR` or `NEAR/N` at the cursor, consumed, with its distance in words.
    fn near_operator(&mut self) -> Result<Option<u32>> {
        let rest = self.rest();
        let len = rest
            .find(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == '"')
            .unwrap_or(rest.len());
        let word = &rest[..len];
        let distance = if word == "NEAR" {
            DEFAULT_NEAR
        } else if let Some(n) = word.strip_prefix("NEAR/") {
            self.distance(n, self.pos + 5, "NEAR/N")?
        } else {
            return Ok(None);
        };
        self.pos += len;
        Ok(Some(distance))
    }

    /// The N of `NEAR/N` or `"phrase"~N`: a number of words from 0 to [`MAX_DISTANCE`].
    fn distance(&self, digits: &str, pos: usize, what: &str) -> Result<u32> {
        digits
            .parse::<u32>()
            .ok()
            .filter(|n| digits.bytes().all(|b| b.is_ascii_digit()) && *n <= MAX_DISTANCE)
            .ok_or_else(|| {
                self.err(
                    pos,
                    format!(
                        "{what} takes a number of words from 0 to {MAX_DISTANCE}, not '{digits}'"
                    ),
                )
            })
    }

    fn parse_unary(&mut self) -> Result<Node> {
        let start = self.pos;
        if self.rest().starts_with("OR ") || self.rest() == "OR" {
            return Err(self.err(start, "OR needs a term on each side"));
        }
        if let Some(r) = self.rest().strip_prefix('-') {
            if r.is_empty() || r.starts_with(char::is_whitespace) {
                return Err(self.err(start, "nothing to exclude after '-'"));
            }
            self.pos += 1;
            let inner = self.parse_atom()?;
            if matches!(inner, Node::Not(_)) {
                return Err(self.err(start, "double exclusion"));
            }
            return Ok(Node::Not(Box::new(inner)));
        }
        self.parse_atom()
    }

    fn parse_atom(&mut self) -> Result<Node> {
        let start = self.pos;
        if self.rest().starts_with('(') {
            if self.depth == MAX_NESTING {
                return Err(self.err(
                    start,
                    format!("parentheses nest more than {MAX_NESTING} deep"),
                ));
            }
            self.pos += 1;
            self.depth += 1;
            let inner = self.parse_seq(true);
            self.depth -= 1;
            let mut inner = inner?;
            return match inner.len() {
                0 => Err(self.err(start, "empty group '()'")),
                1 => Ok(inner.pop().expect("one node")),
                _ => Ok(Node::And(inner)),
            };
        }
        let field = self.parse_field()?;
        let value_start = self.pos;
        if self.rest().starts_with('"') {
            let body = &self.rest()[1..];
            let Some(end) = body.find('"') else {
                return Err(self.err(value_start, "unclosed quote"));
            };
            let phrase = body[..end].split_whitespace().collect::<Vec<_>>().join(" ");
            self.pos += end + 2;
            if phrase.is_empty() {
                return Err(self.err(value_start, "empty phrase"));
            }
            if let Some(r) = self.rest().strip_prefix('~') {
                let len = r
                    .find(|c: char| c.is_whitespace() || c == ')')
                    .unwrap_or(r.len());
                let slop = self.distance(&r[..len], self.pos + 1, "'~' after a phrase")?;
                self.pos += 1 + len;
                if !matches!(field, Field::Any | Field::Title) {
                    return Err(
                        self.err(value_start, "'~' after a phrase needs words, not a filter")
                    );
                }
                self.searchable(&phrase, value_start)?;
                if slop > 0 && phrase.contains(char::is_whitespace) {
                    return Ok(Node::Sloppy(field, phrase, slop));
                }
            }
            return self.finish(field, phrase, true, value_start);
        }
        let len = self
            .rest()
            .find(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == '"')
            .unwrap_or(self.rest().len());
        if len == 0 {
            return Err(self.err(value_start, "expected a word after the field name"));
        }
        let word = self.rest()[..len].to_string();
        if matches!(field, Field::Any | Field::Title) {
            if let Some(node) = self.prefix_or_fuzzy(field, &word, value_start)? {
                self.pos += len;
                return Ok(node);
            }
            self.no_operator(&word, value_start)?;
        }
        self.pos += len;
        self.finish(field, word, false, value_start)
    }

    /// `word*` and `word~`, `word~1`, `word~2`; `None` for any other word.
    fn prefix_or_fuzzy(&self, field: Field, word: &str, pos: usize) -> Result<Option<Node>> {
        if let Some(stem) = word.strip_suffix('*') {
            self.no_operator(stem, pos)?;
            let runs = stem
                .split(|c: char| !c.is_alphanumeric())
                .filter(|r| !r.is_empty())
                .count();
            if runs > 1 {
                return Err(self.err(
                    pos,
                    format!(
                        "'{word}': '*' ends one word; write the words apart, or as a \"phrase\""
                    ),
                ));
            }
            if stem.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
                return Err(self.err(
                    pos,
                    format!("'{word}': give at least two letters before '*'"),
                ));
            }
            return Ok(Some(Node::Prefix(field, stem.to_string())));
        }
        let Some((stem, edits)) = word.rsplit_once('~') else {
            return Ok(None);
        };
        let edits = match edits {
            "" | "1" => 1,
            "2" => 2,
            _ => {
                return Err(self.err(
                    pos + stem.len(),
                    format!(
                    "'{word}': '~' takes 1 or 2 (letters to change), e.g. Snowdon~ or Snowdon~2"
                ),
                ))
            }
        };
        self.no_operator(stem, pos)?;
        self.searchable(stem, pos)?;
        Ok(Some(Node::Fuzzy(field, stem.to_string(), edits)))
    }

    /// Refuses the operators of other search engines that this query language does not have,
    /// rather than searching for what is left of the word: `spy*` would otherwise search `spy`,
    /// `NEAR/10` the word "near", `+word` the word. The message names the character and its
    /// column and says what to type instead.
    fn no_operator(&self, word: &str, pos: usize) -> Result<()> {
        if word == "AND" {
            return Err(self.err(
                pos,
                "AND is not needed: every word is required already (write 'a b', or 'a OR b')",
            ));
        }
        if !word.chars().any(char::is_alphanumeric) {
            // Nothing to search at all: `searchable` says so.
            return Ok(());
        }
        if word == "NEAR" || word.starts_with("NEAR/") {
            return Err(self.err(
                pos,
                "NEAR needs a word or \"phrase\" on each side: Brennan NEAR/10 Comey",
            ));
        }
        let Some((at, c)) = word.char_indices().find(|&(_, c)| {
            matches!(
                c,
                '*' | '?'
                    | '~'
                    | '^'
                    | '+'
                    | '!'
                    | '['
                    | ']'
                    | '{'
                    | '}'
                    | '\\'
                    | '|'
                    | '<'
                    | '>'
                    | '='
            )
        }) else {
            return Ok(());
        };
        let what = match c {
            '*' => "'*' ends a word only (spy* finds spyware and spying)".to_string(),
            '?' => "one-letter wildcards are not supported: end the word with '*' (ma* finds \
                    mole and mask), or list the spellings with OR"
                .to_string(),
            '~' => "'~' ends a word (Snowdon~ finds Snowden) or follows a \"phrase\"~N".to_string(),
            '+' => "'+' is not needed: every word is required already".to_string(),
            '!' => "'!' is not an operator here: write -word to exclude a word".to_string(),
            c => format!("'{c}' is not part of the query language (put the text in quotes to search it as a phrase)"),
        };
        Err(self.err(pos + at, format!("'{c}' in '{word}': {what}")))
    }

    /// `title:`, `agency:`, `country:`, `site:` prefixes. Any other `letters:` prefix is an
    /// error rather than a word, so a mistyped filter never becomes a search for its text.
    fn parse_field(&mut self) -> Result<Field> {
        for (name, field) in [
            ("title:", Field::Title),
            ("agency:", Field::Agency),
            ("country:", Field::Country),
            ("site:", Field::Site),
        ] {
            let head = self.rest().get(..name.len());
            if head.is_some_and(|h| h.eq_ignore_ascii_case(name)) {
                self.pos += name.len();
                return Ok(field);
            }
        }
        let word_end = self
            .rest()
            .find(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == '"')
            .unwrap_or(self.rest().len());
        if let Some(name) = field_name(&self.rest()[..word_end]) {
            return Err(self.err(
                self.pos,
                format!(
                    "unknown field '{name}:'; the fields are title:, agency:, country: and site: \
                     (put the word in quotes to search for it as text)"
                ),
            ));
        }
        Ok(Field::Any)
    }

    /// Checks that a word or phrase has something to search: a clause that analyses to nothing
    /// would otherwise vanish from the query. (Every run of letters or digits gives a term in
    /// every language's analysis; long words are cut into pieces, never dropped.)
    fn searchable(&self, value: &str, pos: usize) -> Result<()> {
        let raw = value
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .count();
        if raw == 0 {
            return Err(self.err(
                pos,
                format!("'{value}' has no letters or digits to search for"),
            ));
        }
        Ok(())
    }

    fn finish(&self, field: Field, value: String, quoted: bool, pos: usize) -> Result<Node> {
        if matches!(field, Field::Any | Field::Title) {
            self.searchable(&value, pos)?;
        }
        match field {
            Field::Agency => {
                let id = tag::resolve_agency(&value).ok_or_else(|| {
                    self.err(
                        pos,
                        format!("unknown agency '{value}'; see 'dossier agencies'"),
                    )
                })?;
                Ok(Node::Word(Field::Agency, id.to_string()))
            }
            Field::Country => {
                let code = tag::resolve_country(&value).ok_or_else(|| {
                    self.err(
                        pos,
                        format!("unknown country '{value}'; see 'dossier countries'"),
                    )
                })?;
                Ok(Node::Word(Field::Country, code.to_string()))
            }
            Field::Site => Ok(Node::Word(Field::Site, value)),
            _ if quoted => Ok(Node::Phrase(field, value)),
            _ => Ok(Node::Word(field, value)),
        }
    }
}

/// The field and text of a word or phrase that can stand beside NEAR.
fn near_operand(node: &Node) -> Option<(Field, String)> {
    match node {
        Node::Word(f @ (Field::Any | Field::Title), w)
        | Node::Phrase(f @ (Field::Any | Field::Title), w) => Some((*f, w.clone())),
        _ => None,
    }
}

/// A day bound given as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; it keeps what the user wrote so a
/// saved query prints back the same, and resolves to the first or last day it covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateSpec {
    year: i32,
    month: Option<Month>,
    day: Option<u8>,
}

impl DateSpec {
    /// The first day the spec covers (for `--since`).
    pub fn first_day(&self) -> Date {
        let m = self.month.unwrap_or(Month::January);
        Date::from_calendar_date(self.year, m, self.day.unwrap_or(1)).expect("validated on parse")
    }

    /// The last day the spec covers (for `--until`, inclusive).
    pub fn last_day(&self) -> Date {
        match (self.month, self.day) {
            (Some(m), Some(d)) => Date::from_calendar_date(self.year, m, d).expect("validated"),
            (Some(m), None) => Date::from_calendar_date(self.year, m, m.length(self.year))
                .expect("last day of month"),
            _ => Date::from_calendar_date(self.year, Month::December, 31).expect("31 December"),
        }
    }
}

impl FromStr for DateSpec {
    type Err = Error;
    fn from_str(s: &str) -> Result<DateSpec> {
        let bad = |what: String| {
            Error::Argument(format!(
                "bad date '{s}': {what}; use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2017 or 2017-03-01)"
            ))
        };
        let parts: Vec<&str> = s.trim().split('-').collect();
        if parts.len() > 3 {
            return Err(bad("more than three parts".into()));
        }
        let num = |p: &str, name: &str, len: usize| -> Result<u32> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(format!("the {name} '{p}' is not {len} digits")));
            }
            p.parse()
                .map_err(|_| bad(format!("the {name} '{p}' is not a number")))
        };
        let year = num(parts[0], "year", 4)? as i32;
        let month = match parts.get(1) {
            Some(p) => {
                let m = num(p, "month", 2)?;
                Some(
                    Month::try_from(m as u8)
                        .map_err(|_| bad(format!("there is no month {m:02} (01 to 12)")))?,
                )
            }
            None => None,
        };
        let day = match parts.get(2) {
            Some(p) => Some(num(p, "day", 2)? as u8),
            None => None,
        };
        if let (Some(m), Some(d)) = (month, day) {
            if Date::from_calendar_date(year, m, d).is_err() {
                return Err(bad(format!(
                    "{m} {year} has no day {d:02} (it has {})",
                    m.length(year)
                )));
            }
        }
        Ok(DateSpec { year, month, day })
    }
}

impl fmt::Display for DateSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{:02}", m as u8)?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// Which publication dates count in date filters (`--dates`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DatesMode {
    /// Every date, stated or guessed.
    #[default]
    Any,
    /// Only dates the page states ([`crate::extract::DateSource::is_sure`]); an article whose
    /// date is a guess from its URL or text counts as undated.
    Sure,
}

/// What date filters do with articles that have no date (`--undated`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Undated {
    /// Keep them beside the dated articles that pass.
    Include,
    /// Drop them.
    Exclude,
    /// Keep them alone.
    Only,
}

impl DatesMode {
    /// The name used on the command line and in saved queries.
    pub fn as_str(&self) -> &'static str {
        match self {
            DatesMode::Any => "any",
            DatesMode::Sure => "sure",
        }
    }
}

impl FromStr for DatesMode {
    type Err = Error;
    fn from_str(s: &str) -> Result<DatesMode> {
        match s.trim().to_ascii_lowercase().as_str() {
            "any" => Ok(DatesMode::Any),
            "sure" => Ok(DatesMode::Sure),
            _ => Err(Error::Argument(format!(
                "unknown dates '{s}'; use 'any' or 'sure'"
            ))),
        }
    }
}

impl Undated {
    /// The name used on the command line and in saved queries.
    pub fn as_str(&self) -> &'static str {
        match self {
            Undated::Include => "include",
            Undated::Exclude => "exclude",
            Undated::Only => "only",
        }
    }
}

impl FromStr for Undated {
    type Err = Error;
    fn from_str(s: &str) -> Result<Undated> {
        match s.trim().to_ascii_lowercase().as_str() {
            "include" => Ok(Undated::Include),
            "exclude" => Ok(Undated::Exclude),
            "only" => Ok(Undated::Only),
            _ => Err(Error::Argument(format!(
                "unknown undated '{s}'; use 'include', 'exclude' or 'only'"
            ))),
        }
    }
}

/// A search: the parsed expression plus the command-line filters. Filters narrow the results
/// without changing the score of what they keep.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// The parsed query string.
    pub expr: Expr,
    /// Articles naming any of these agencies (canonical IDs); empty means no filter.
    pub agencies: Vec<String>,
    /// Articles naming any of these countries (alpha-2 codes); empty means no filter.
    pub countries: Vec<String>,
    /// Articles in any of these languages (ISO 639-1 codes, or `und`); empty means any. Query
    /// words are then analysed for these languages alone.
    pub languages: Vec<String>,
    /// Published on or after the first day of this spec.
    pub since: Option<DateSpec>,
    /// Published on or before the last day of this spec.
    pub until: Option<DateSpec>,
    /// Which dates count: any, or only those the page states.
    pub dates: DatesMode,
    /// What to do with undated articles; `None` is the default of [`Query::undated_rule`].
    pub undated: Option<Undated>,
    /// First indexed by dossier on or after the first day of this spec.
    pub seen_since: Option<DateSpec>,
}

impl Query {
    /// Parses a query string with no filters.
    pub fn parse(text: &str) -> Result<Query> {
        Ok(Query {
            expr: text.parse()?,
            ..Query::default()
        })
    }

    /// Adds an agency filter from any alias, any case.
    pub fn agency(mut self, name: &str) -> Result<Query> {
        let id = tag::resolve_agency(name).ok_or_else(|| {
            Error::Argument(format!(
                "unknown agency '{name}'; see 'dossier agencies' for the known names"
            ))
        })?;
        if !self.agencies.iter().any(|a| a == id) {
            self.agencies.push(id.to_string());
        }
        Ok(self)
    }

    /// Adds a country filter from a code, a name or a demonym, any case.
    pub fn country(mut self, name: &str) -> Result<Query> {
        let code = tag::resolve_country(name).ok_or_else(|| {
            Error::Argument(format!(
                "unknown country '{name}'; see 'dossier countries' for the known names"
            ))
        })?;
        if !self.countries.iter().any(|c| c == code) {
            self.countries.push(code.to_string());
        }
        Ok(self)
    }

    /// Adds a language filter: an ISO 639-1 code (`fr`, or a tag such as `fr-CA`) or `und`.
    pub fn language(mut self, code: &str) -> Result<Query> {
        let primary = code.split(['-', '_']).next().unwrap_or("").trim();
        let ok =
            (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
        if !ok {
            return Err(Error::Argument(format!(
                "unknown language '{code}'; give an ISO 639-1 code such as 'fr' or 'zh', or 'und'"
            )));
        }
        let primary = primary.to_ascii_lowercase();
        if !self.languages.contains(&primary) {
            self.languages.push(primary);
        }
        Ok(self)
    }

    /// What happens to undated articles: as asked, else kept when no date bound is given and
    /// dropped when one is (a date range asks for dated articles).
    pub fn undated_rule(&self) -> Undated {
        self.undated
            .unwrap_or(if self.since.is_some() || self.until.is_some() {
                Undated::Exclude
            } else {
                Undated::Include
            })
    }

    /// The date range as inclusive days, if any bound is set.
    pub fn date_range(&self) -> (Option<Date>, Option<Date>) {
        (
            self.since.map(|s| s.first_day()),
            self.until.map(|u| u.last_day()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(s: &str) -> String {
        let e: Expr = s.parse().unwrap_or_else(|e| panic!("{s}: {e}"));
        let shown = e.to_string();
        let again: Expr = shown.parse().unwrap();
        assert_eq!(e, again, "{s} -> {shown}");
        shown
    }

    #[test]
    fn words_and_phrases() {
        let e: Expr = "spy \"state security\" recruit".parse().unwrap();
        assert_eq!(
            e.0,
            vec![
                Node::Word(Field::Any, "spy".into()),
                Node::Phrase(Field::Any, "state security".into()),
                Node::Word(Field::Any, "recruit".into()),
            ]
        );
        assert_eq!(
            roundtrip("spy   \"state  security\"  recruit"),
            "spy \"state security\" recruit"
        );
    }

    #[test]
    fn or_binds_tighter_than_and() {
        let e: Expr = "mole defector OR turncoat".parse().unwrap();
        assert_eq!(e.0.len(), 2);
        assert!(matches!(&e.0[1], Node::Or(v) if v.len() == 2));
        assert_eq!(roundtrip("a OR (b c) -d"), "a OR (b c) -d");
    }

    #[test]
    fn exclusion_and_groups() {
        assert_eq!(roundtrip("spy -(brexit OR oil)"), "spy -(brexit OR oil)");
        assert_eq!(roundtrip("-\"comment form\" x"), "-\"comment form\" x");
    }

    #[test]
    fn fields() {
        assert_eq!(
            roundtrip("title:scandal Title:\"spy ring\""),
            "title:scandal title:\"spy ring\""
        );
        assert_eq!(roundtrip("site:example.org"), "site:example.org");
        assert_eq!(
            roundtrip("StB émigrés 国家安全部"),
            "StB émigrés 国家安全部"
        );
    }

    #[test]
    fn bad_queries_say_where() {
        for (q, col) in [
            ("\"open", 1),
            ("a OR", 3),
            ("(a b", 5),
            ("a )", 3),
            ("- a", 1),
            ("title:", 7),
            ("()", 1),
        ] {
            match q.parse::<Expr>() {
                Err(Error::Query { pos, .. }) => assert_eq!(pos + 1, col, "{q}"),
                other => panic!("{q}: {other:?}"),
            }
        }
    }

    #[test]
    fn operators_of_other_engines_are_refused_not_dropped() {
        for (q, col, needle) in [
            ("spy ma?e", 7, "one-letter wildcards"),
            ("sp*y", 3, "ends a word only"),
            ("s*", 1, "two letters"),
            ("al-qa*", 1, "ends one word"),
            ("Snowdon~3", 8, "1 or 2"),
            ("\"recruit officers\"~x", 20, "from 0 to 50"),
            ("\"recruit officers\"~99", 20, "from 0 to 50"),
            ("Brennan NEAR/x Comey", 14, "from 0 to 50"),
            ("a NEAR/5 b NEAR/5 c", 11, "one NEAR a pair"),
            ("NEAR/5 b", 1, "on each side"),
            ("a NEAR/5", 9, "nothing after NEAR"),
            ("a NEAR/5 agency:dgse", 10, "two words"),
            ("mole AND defector", 6, "AND"),
            ("+mole", 1, "required already"),
            ("a=b", 2, "'='"),
        ] {
            let (got, msg) = error_of(q);
            assert_eq!(got, col, "{q}: {msg}");
            assert!(msg.contains(needle), "{q}: {msg}");
        }
        // Quoted, the characters are text; hyphens, dots and apostrophes belong to words.
        for ok in [
            "\"spy*\"",
            "al-Qaeda",
            "U.S.",
            "O'Brien",
            "-brexit",
            "mole OR defector",
        ] {
            assert!(ok.parse::<Expr>().is_ok(), "{ok}");
        }
    }

    #[test]
    fn prefix_fuzzy_slop_and_near() {
        let e: Expr =
            "spy* title:Snowdon~ Skripall~2 \"recruit officers\"~3 Brennan NEAR/10 \"James Comey\""
                .parse()
                .unwrap();
        assert_eq!(
            e.0,
            vec![
                Node::Prefix(Field::Any, "spy".into()),
                Node::Fuzzy(Field::Title, "Snowdon".into(), 1),
                Node::Fuzzy(Field::Any, "Skripall".into(), 2),
                Node::Sloppy(Field::Any, "recruit officers".into(), 3),
                Node::Near(Field::Any, "Brennan".into(), "James Comey".into(), 10),
            ]
        );
        assert_eq!(
            roundtrip("spy* title:Snowdon~ \"a b\"~3 Brennan NEAR/10 \"James Comey\""),
            "spy* title:Snowdon~ \"a b\"~3 Brennan NEAR/10 \"James Comey\""
        );
        assert_eq!(roundtrip("a NEAR b OR c"), "a NEAR/10 b OR c");
        assert_eq!(roundtrip("-(mole NEAR/3 paris)"), "-(mole NEAR/3 paris)");
        // A slop of 0, or one word, is a plain phrase; a quoted word is never respelled.
        assert_eq!(roundtrip("\"a b\"~0 \"spy\"~4"), "\"a b\" \"spy\"");
        assert!(matches!(
            &"\"Hanssen\"".parse::<Expr>().unwrap().0[0],
            Node::Phrase(..)
        ));
    }

    #[test]
    fn runs_of_words_that_name_a_service_or_a_country_read_as_its_tag() {
        let e: Expr = "German foreign intelligence AfD -Trump".parse().unwrap();
        let (tagged, tags) = e.with_tags();
        assert_eq!(tags.len(), 1);
        assert_eq!((tags[0].field, tags[0].id.as_str()), (Field::Agency, "BND"));
        assert_eq!(tags[0].words, "German foreign intelligence");
        assert_eq!(tagged.0.len(), 3);
        assert!(
            matches!(&tagged.0[0], Node::Or(v) if matches!(&v[0], Node::And(w) if w.len() == 3))
        );
        assert_eq!(tagged.0[1..], e.0[3..]);
        // A short word counts in capitals only; quoted words are text.
        assert!("tell us".parse::<Expr>().unwrap().with_tags().1.is_empty());
        assert_eq!("tell US".parse::<Expr>().unwrap().with_tags().1[0].id, "US");
        assert!("\"Mossad\""
            .parse::<Expr>()
            .unwrap()
            .with_tags()
            .1
            .is_empty());
        let (_, tags) = "Iran executes CIA spies"
            .parse::<Expr>()
            .unwrap()
            .with_tags();
        let ids: Vec<&str> = tags.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["IR", "CIA"]);
    }

    fn error_of(q: &str) -> (usize, String) {
        match q.parse::<Expr>() {
            Err(Error::Query { pos, msg, .. }) => (pos + 1, msg),
            other => panic!("{q}: {other:?}"),
        }
    }

    #[test]
    fn unknown_fields_are_errors_not_words() {
        let (col, msg) = error_of("spy auther:smith");
        assert_eq!(col, 5);
        assert!(msg.starts_with("unknown field 'auther:'"), "{msg}");
        let (col, _) = error_of("(date:2024)");
        assert_eq!(col, 2);
        // Quoted, it is text; a colon after digits is not a field.
        assert_eq!(
            roundtrip("\"auther:smith\" 10:30"),
            "\"auther:smith\" 10:30"
        );
    }

    #[test]
    fn clauses_that_analyse_to_nothing_are_errors() {
        let (col, msg) = error_of("spy -!!!");
        assert_eq!(col, 6);
        assert_eq!(msg, "'!!!' has no letters or digits to search for");
        // A long word is searched, in pieces, like the index holds it.
        assert!(format!("title:{}", "x".repeat(400)).parse::<Expr>().is_ok());
    }

    #[test]
    fn size_and_nesting_limits() {
        let huge = "spy ".repeat(25_600);
        let (col, msg) = error_of(&huge);
        assert_eq!(col, MAX_QUERY_BYTES + 1);
        assert_eq!(
            msg,
            "the query is 102400 bytes long, more than the 10000 allowed"
        );
        let deep = format!("{}a{}", "(".repeat(40), ")".repeat(40));
        let (col, msg) = error_of(&deep);
        assert_eq!(col, MAX_NESTING + 1);
        assert_eq!(msg, "parentheses nest more than 32 deep");
        let ok = format!("{}a b{}", "(".repeat(32), ")".repeat(32));
        assert!(ok.parse::<Expr>().is_ok());
    }

    #[test]
    fn bad_dates_say_what_is_wrong() {
        let msg = |s: &str| s.parse::<DateSpec>().unwrap_err().to_string();
        assert_eq!(
            msg("2024-13-45"),
            "bad date '2024-13-45': there is no month 13 (01 to 12); use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2017 or 2017-03-01)"
        );
        assert!(msg("2017-02-30")
            .starts_with("bad date '2017-02-30': February 2017 has no day 30 (it has 28)"));
        assert!(msg("2017-3").starts_with("bad date '2017-3': the month '3' is not 2 digits"));
    }

    #[test]
    fn undated_default_follows_date_bounds() {
        let mut q = Query::default();
        assert_eq!(q.undated_rule(), Undated::Include);
        q.since = Some("2020".parse().unwrap());
        assert_eq!(q.undated_rule(), Undated::Exclude);
        q.undated = Some(Undated::Include);
        assert_eq!(q.undated_rule(), Undated::Include);
        assert_eq!("Only".parse::<Undated>().unwrap(), Undated::Only);
        assert_eq!("sure".parse::<DatesMode>().unwrap().as_str(), "sure");
        assert!("maybe".parse::<DatesMode>().is_err());
        assert!("never".parse::<Undated>().is_err());
    }

    #[test]
    fn date_specs() {
        let d: DateSpec = "2020".parse().unwrap();
        assert_eq!(d.first_day().to_string(), "2020-01-01");
        assert_eq!(d.last_day().to_string(), "2020-12-31");
        let d: DateSpec = "2024-02".parse().unwrap();
        assert_eq!(d.last_day().to_string(), "2024-02-29");
        let d: DateSpec = "2017-03-05".parse().unwrap();
        assert_eq!(d.to_string(), "2017-03-05");
        for bad in [
            "17",
            "2017-3",
            "2017-02-30",
            "2017-13",
            "yesterday",
            "2017-01-01-01",
        ] {
            assert!(bad.parse::<DateSpec>().is_err(), "{bad}");
        }
    }
}
