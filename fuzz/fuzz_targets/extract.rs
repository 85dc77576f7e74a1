//! Any bytes, read as each kind of file: extraction returns an article or a skip reason, never
//! panics, and what it keeps is whitespace-normalised text.
#![no_main]

use dossier::extract::{extract, Kind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for kind in [Kind::Html, Kind::Text, Kind::Markdown] {
        if let Ok(e) = extract(data, kind) {
            assert!(!e.paragraphs.is_empty());
            for p in &e.paragraphs {
                assert!(!p.is_empty() && p.trim() == p, "{p:?}");
            }
        }
    }
});
