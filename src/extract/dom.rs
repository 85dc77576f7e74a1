//! A compact copy of the parsed page for content scoring: elements and text in document order,
//! without what never belongs to an article (scripts, styles, navigation, forms of controls,
//! hidden elements, comments), with per-node text and link lengths summed bottom-up.
//!
//! Nodes are stored in pre-order, so every child has a larger index than its parent and one
//! reverse pass over the vector aggregates children into parents.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

use super::elements::BLOCK_TAGS;

/// Elements dropped with everything inside them, whatever the page.
const DROP_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "svg", "math", "canvas", "object",
    "embed", "video", "audio", "head", "link", "meta", "button", "select", "input", "textarea",
    "option", "nav", "aside", "footer", "header", "dialog", "menu", "label", "map", "area",
    "picture", "source", "track", "title",
];

/// One node of the arena: an element or a run of text.
#[derive(Debug)]
pub struct N {
    /// Lowercase tag name for elements, empty for text.
    pub tag: String,
    /// The text of a text node.
    pub text: String,
    /// Lowercase `class` and `id` joined by a space (elements only).
    pub hints: String,
    /// The `itemprop` attribute, lowercase.
    pub itemprop: String,
    /// The `role` attribute, lowercase.
    pub role: String,
    pub parent: usize,
    pub children: Vec<usize>,
    /// Characters of visible text inside (whitespace runs count once).
    pub text_len: usize,
    /// Characters of text inside links.
    pub link_len: usize,
    /// Commas (Latin and CJK) inside.
    pub commas: usize,
    /// Characters of text in paragraph-like blocks (`p`, `pre`, `blockquote`, text-bearing
    /// `div`s) inside: the measure of "article text" a container holds.
    pub para_len: usize,
    /// Number of `p` elements inside.
    pub p_count: usize,
    /// Whether this element is itself a paragraph-like block.
    pub para: bool,
}

impl N {
    pub fn is_text(&self) -> bool {
        self.tag.is_empty()
    }
}

/// The page as a vector of nodes; index 0 is the root.
pub struct Arena {
    pub nodes: Vec<N>,
}

impl Arena {
    /// Copies the parsed page, leaving out what can never be article text.
    pub fn build(html: &Html) -> Arena {
        let mut nodes: Vec<N> = vec![N {
            tag: "#root".into(),
            text: String::new(),
            hints: String::new(),
            itemprop: String::new(),
            role: String::new(),
            parent: 0,
            children: Vec::new(),
            text_len: 0,
            link_len: 0,
            commas: 0,
            para_len: 0,
            p_count: 0,
            para: false,
        }];
        let mut stack: Vec<usize> = vec![0];
        let mut skipping: Option<ego_tree::NodeId> = None;
        for edge in html.tree.root().traverse() {
            match edge {
                Edge::Open(node) => {
                    if skipping.is_some() {
                        continue;
                    }
                    let parent = *stack.last().unwrap_or(&0);
                    match node.value() {
                        Node::Element(el) => {
                            let name = el.name();
                            if DROP_TAGS.contains(&name) || is_hidden(el) {
                                skipping = Some(node.id());
                                continue;
                            }
                            if stack.len() > super::depth::MAX_DEPTH * 2 {
                                // The parser nested deeper than the cap let through (formatting
                                // elements can be re-opened): keep the text one level up, so the
                                // recursive html2text never sees the depth.
                                stack.push(parent);
                                continue;
                            }
                            let mut hints = String::new();
                            if let Some(c) = el.attr("class") {
                                hints.push_str(&c.to_ascii_lowercase());
                            }
                            if let Some(id) = el.attr("id") {
                                hints.push(' ');
                                hints.push_str(&id.to_ascii_lowercase());
                            }
                            let idx = nodes.len();
                            nodes.push(N {
                                tag: name.to_ascii_lowercase(),
                                text: String::new(),
                                hints,
                                itemprop: el.attr("itemprop").unwrap_or("").to_ascii_lowercase(),
                                role: el.attr("role").unwrap_or("").to_ascii_lowercase(),
                                parent,
                                children: Vec::new(),
                                text_len: 0,
                                link_len: 0,
                                commas: 0,
                                para_len: 0,
                                p_count: 0,
                                para: false,
                            });
                            nodes[parent].children.push(idx);
                            stack.push(idx);
                        }
                        Node::Text(t) => {
                            let idx = nodes.len();
                            nodes.push(N {
                                tag: String::new(),
                                text: t.to_string(),
                                hints: String::new(),
                                itemprop: String::new(),
                                role: String::new(),
                                parent,
                                children: Vec::new(),
                                text_len: 0,
                                link_len: 0,
                                commas: 0,
                                para_len: 0,
                                p_count: 0,
                                para: false,
                            });
                            nodes[parent].children.push(idx);
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if let Some(id) = skipping {
                        if id == node.id() {
                            skipping = None;
                        }
                        continue;
                    }
                    if node.value().is_element() {
                        stack.pop();
                    }
                }
            }
        }
        let mut arena = Arena { nodes };
        arena.aggregate();
        arena
    }

    /// Sums text, link, comma and paragraph measures from the leaves up.
    fn aggregate(&mut self) {
        for i in (1..self.nodes.len()).rev() {
            let n = &self.nodes[i];
            let (mut tl, mut ll, mut cm, mut pl, mut pc) =
                (n.text_len, n.link_len, n.commas, n.para_len, n.p_count);
            let mut para = false;
            if n.is_text() {
                tl = visible_len(&n.text);
                cm = n
                    .text
                    .chars()
                    .filter(|c| matches!(c, ',' | '，' | '、' | '،'))
                    .count();
            } else {
                if n.tag == "a" {
                    ll = tl;
                }
                if n.tag == "p" {
                    pc += 1;
                }
                if is_paragraph(self, i) {
                    pl = tl - ll.min(tl);
                    para = true;
                }
            }
            let n = &mut self.nodes[i];
            n.text_len = tl;
            n.link_len = ll;
            n.commas = cm;
            n.para_len = pl;
            n.p_count = pc;
            n.para = para;
            let parent = n.parent;
            let p = &mut self.nodes[parent];
            p.text_len += tl;
            p.link_len += ll;
            p.commas += cm;
            p.para_len += pl;
            p.p_count += pc;
        }
    }

    /// Indices of the node and all its descendants, in document order.
    pub fn descendants(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![i];
        while let Some(j) = stack.pop() {
            out.push(j);
            for &c in self.nodes[j].children.iter().rev() {
                stack.push(c);
            }
        }
        out
    }

    /// Whether `anc` is `i` or one of its ancestors.
    pub fn is_ancestor(&self, anc: usize, mut i: usize) -> bool {
        loop {
            if i == anc {
                return true;
            }
            if i == 0 {
                return false;
            }
            i = self.nodes[i].parent;
        }
    }
}

/// Whether element `i` is a paragraph-like block: a `p`/`pre`/`blockquote`, or a `div`-like
/// container whose own text (not in child blocks) carries a sentence. Its children are already
/// aggregated when this is called.
fn is_paragraph(arena: &Arena, i: usize) -> bool {
    let n = &arena.nodes[i];
    match n.tag.as_str() {
        "p" | "pre" | "blockquote" => !has_block_child(arena, i, &["p"]),
        "div" | "section" | "td" | "article" | "span" | "font" | "li" | "dd" => {
            // Direct text children (not inside child blocks) make it a paragraph.
            let direct: usize = n
                .children
                .iter()
                .map(|&c| {
                    let ch = &arena.nodes[c];
                    if ch.is_text() {
                        ch.text_len
                    } else if BLOCK_TAGS.contains(&ch.tag.as_str()) && ch.tag != "br" {
                        0
                    } else {
                        ch.text_len
                    }
                })
                .sum();
            direct >= 60
        }
        _ => false,
    }
}

fn has_block_child(arena: &Arena, i: usize, tags: &[&str]) -> bool {
    arena.nodes[i]
        .children
        .iter()
        .any(|&c| tags.contains(&arena.nodes[c].tag.as_str()))
}

/// Counts characters with whitespace runs counted once, ignoring leading/trailing space.
pub fn visible_len(s: &str) -> usize {
    let mut n = 0;
    let mut prev_ws = true;
    for c in s.chars() {
        if c.is_whitespace() {
            if !prev_ws {
                n += 1;
            }
            prev_ws = true;
        } else {
            n += 1;
            prev_ws = false;
        }
    }
    n
}

fn is_hidden(el: &scraper::node::Element) -> bool {
    if el.attr("hidden").is_some() {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_scripts_and_navigation_and_sums_lengths() {
        let html = Html::parse_document(
            "<body><nav>Home News</nav><script>var x = 1;</script>\
             <div><p>Hello, <a href='#'>world</a></p><div style='display: none'>secret</div></div></body>",
        );
        let a = Arena::build(&html);
        let texts: Vec<&str> = a
            .nodes
            .iter()
            .filter(|n| n.is_text())
            .map(|n| n.text.as_str())
            .collect();
        assert_eq!(texts, vec!["Hello, ", "world"]);
        let p = a.nodes.iter().position(|n| n.tag == "p").unwrap();
        assert_eq!(a.nodes[p].text_len, 12);
        assert_eq!(a.nodes[p].link_len, 5);
        assert_eq!(a.nodes[p].commas, 1);
        assert_eq!(a.nodes[0].p_count, 1);
    }
}
