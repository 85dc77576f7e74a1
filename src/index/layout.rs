//! Where an index's files live inside its folder, and what dossier may do to that folder.
//!
//! ```text
//! INDEX/
//!   dossier-index.json   the marker: this folder is a dossier index; names the current generation
//!   dossier.lock         held by the one `dossier index` run that writes
//!   runs.json            the last completed run and the last failed one (see `status`)
//!   gen-2/               the current generation: Tantivy's files, dossier.json, files.json,
//!                        saved-state.json (watermarks count this generation's commits)
//! ```
//!
//! A rebuild writes `gen-3/` beside `gen-2/` and, once it has committed, replaces the marker by
//! rename: a reader resolves the marker once and opens one generation, so it sees the old index
//! or the new one, whole. Only then is `gen-2/` removed. An index written before generations
//! (Tantivy's files and `dossier.json` directly in the folder) is read in place; its first
//! rebuild moves it into a generation and removes exactly the files it named.
//!
//! dossier writes into a folder only if it is empty or holds the marker (or an index from before
//! the marker), and deletes only the generations it wrote and the files they list.

use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The marker file; its presence says the folder is a dossier index.
pub const MARKER_FILE: &str = "dossier-index.json";
/// Schema and tagging versions of one generation, beside Tantivy's files.
pub(crate) const META_FILE: &str = "dossier.json";
const GEN_PREFIX: &str = "gen-";
/// Files dossier writes at the top of an index folder besides the marker.
const OWN_FILES: &[&str] = &[super::LOCK_FILE, super::runs::RUNS_FILE];

/// What the marker records.
#[derive(Serialize, Deserialize)]
struct Marker {
    /// Always "dossier index": says what the file is to someone who finds it.
    format: String,
    /// The generation folder searches open.
    current: String,
}

const FORMAT: &str = "dossier index";

/// What an index folder holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// Nothing yet: the folder is absent or empty.
    Empty,
    /// A marked index whose current generation is this folder name.
    Generation(String),
    /// An index written before generations: its files are in the folder itself.
    Legacy,
}

/// Reads what the folder `root` holds. A folder with other files in it and no marker is an
/// error: dossier never writes into, or deletes from, a folder it did not make.
pub fn read(root: &Path) -> Result<Layout> {
    let marker = root.join(MARKER_FILE);
    match std::fs::read(&marker) {
        Ok(raw) => {
            let m: Marker = serde_json::from_slice(&raw)
                .ok()
                .filter(|m: &Marker| m.format == FORMAT && is_generation(&m.current))
                .ok_or_else(|| {
                    Error::damaged(
                        root,
                        format_args!("{} is not a dossier marker", MARKER_FILE),
                    )
                })?;
            return Ok(Layout::Generation(m.current));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            return Err(not_an_index(root, "it is a file"))
        }
        Err(e) => return Err(Error::io(marker, e)),
    }
    if root.join(META_FILE).is_file() && root.join("meta.json").is_file() {
        return Ok(Layout::Legacy);
    }
    match std::fs::read_dir(root) {
        Ok(entries) => {
            // A first run that stopped before writing the marker leaves only files of its own.
            let own = |name: &str| OWN_FILES.contains(&name) || is_generation(name);
            let other = entries
                .filter_map(|e| e.ok())
                .any(|e| !own(&e.file_name().to_string_lossy()));
            if other {
                Err(not_an_index(root, "it holds files dossier did not write"))
            } else {
                Ok(Layout::Empty)
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Layout::Empty),
        Err(e) => Err(Error::io(root, e)),
    }
}

fn not_an_index(root: &Path, why: &str) -> Error {
    Error::Argument(format!(
        "'{}' is not a dossier index: {why} and no {MARKER_FILE}; nothing was written or \
         deleted there; point --index at an empty or new folder",
        root.display()
    ))
}

/// The folder holding the Tantivy files searches open, or [`Error::NoIndex`].
pub fn data_dir(root: &Path) -> Result<PathBuf> {
    match read(root) {
        Ok(Layout::Generation(g)) => Ok(root.join(g)),
        Ok(Layout::Legacy) => Ok(root.to_path_buf()),
        Ok(Layout::Empty) => Err(Error::NoIndex(root.to_path_buf())),
        // A folder of other files holds no index: say so as for a missing one.
        Err(Error::Argument(_)) => Err(Error::NoIndex(root.to_path_buf())),
        Err(e) => Err(e),
    }
}

fn is_generation(name: &str) -> bool {
    name.strip_prefix(GEN_PREFIX)
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The generation folders under `root`, by number.
fn generations(root: &Path) -> Result<Vec<(u64, String)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root).map_err(|e| Error::io(root, e))? {
        let entry = entry.map_err(|e| Error::io(root, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_generation(&name) && entry.path().is_dir() {
            let n = name[GEN_PREFIX.len()..].parse().unwrap_or(u64::MAX);
            out.push((n, name));
        }
    }
    out.sort();
    Ok(out)
}

/// A fresh generation folder under `root`, numbered after every one there; created empty.
pub(crate) fn new_generation(root: &Path) -> Result<String> {
    let next = generations(root)?
        .last()
        .map_or(1, |(n, _)| n.saturating_add(1));
    let name = format!("{GEN_PREFIX}{next}");
    let dir = root.join(&name);
    std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
    Ok(name)
}

/// Makes `name` the generation searches open, by replacing the marker whole.
pub(crate) fn switch(root: &Path, name: &str) -> Result<()> {
    let marker = Marker {
        format: FORMAT.to_string(),
        current: name.to_string(),
    };
    let data = serde_json::to_vec_pretty(&marker).expect("marker serializes");
    super::write_atomic(&root.join(MARKER_FILE), &data)
}

/// Removes generation folders other than `keep`: those an earlier rebuild replaced, or one a
/// killed or failed rebuild left half written.
pub(crate) fn remove_other_generations(root: &Path, keep: &str) -> Result<()> {
    for (_, name) in generations(root)? {
        if name != keep {
            remove_dir(&root.join(name))?;
        }
    }
    Ok(())
}

pub(crate) fn remove_dir(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(dir, e)),
    }
}

/// Files of a pre-generation index besides Tantivy's segments, which `.managed.json` lists.
const LEGACY_FILES: &[&str] = &[
    META_FILE,
    "files.json",
    "meta.json",
    ".managed.json",
    ".tantivy-meta.lock",
    ".tantivy-writer.lock",
    "saved-state.json",
    "saved-state.lock",
];

/// Removes the files of an index written before generations, and only those: the ones Tantivy
/// lists as its own and dossier's named files.
pub(crate) fn remove_legacy(root: &Path) -> Result<()> {
    let managed: Vec<String> = std::fs::read(root.join(".managed.json"))
        .ok()
        .and_then(|raw| serde_json::from_slice(&raw).ok())
        .unwrap_or_default();
    let names = managed
        .iter()
        .map(String::as_str)
        .chain(LEGACY_FILES.iter().copied());
    for name in names {
        // Tantivy's list names files in the folder itself; anything else is not ours to touch.
        let mut parts = Path::new(name).components();
        if !matches!(
            (parts.next(), parts.next()),
            (Some(Component::Normal(_)), None)
        ) {
            continue;
        }
        let path = root.join(name);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&path, e)),
        }
    }
    Ok(())
}

/// The path as it will be once created: the nearest existing ancestor resolved (symlinks, `..`)
/// and the rest appended.
pub fn resolved(path: &Path) -> PathBuf {
    let abs = crate::corpus::absolute(path);
    let mut rest = Vec::new();
    let mut cur = abs.as_path();
    loop {
        if let Ok(real) = cur.canonicalize() {
            return rest.iter().rev().fold(real, |p, c| p.join(c));
        }
        match (cur.parent(), cur.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                cur = parent;
            }
            _ => return abs,
        }
    }
}

/// Refuses an index inside a folder to index, or a folder to index inside the index: the first
/// would index its own files, the second would be deleted with the index on `--rebuild`.
pub fn check_apart(index: &Path, roots: &[PathBuf]) -> Result<()> {
    let idx = resolved(index);
    for root in roots {
        let r = resolved(root);
        let clash = if idx.starts_with(&r) {
            "the index is inside the folder to index"
        } else if r.starts_with(&idx) {
            "the folder to index is inside the index"
        } else {
            continue;
        };
        return Err(Error::Argument(format!(
            "index '{}' and folder '{}' overlap: {clash}; put the index elsewhere (--index PATH)",
            index.display(),
            root.display()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_an_index_only_by_its_marker() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("idx");
        assert_eq!(read(&root).unwrap(), Layout::Empty);
        std::fs::create_dir(&root).unwrap();
        assert_eq!(read(&root).unwrap(), Layout::Empty);
        std::fs::write(root.join("notes.txt"), "mine").unwrap();
        let err = read(&root).unwrap_err().to_string();
        assert!(err.contains("is not a dossier index"), "{err}");
        assert!(matches!(data_dir(&root), Err(Error::NoIndex(_))));
        let g = new_generation(&root).unwrap();
        assert_eq!(g, "gen-1");
        switch(&root, &g).unwrap();
        assert_eq!(read(&root).unwrap(), Layout::Generation("gen-1".into()));
        assert_eq!(new_generation(&root).unwrap(), "gen-2");
        remove_other_generations(&root, "gen-2").unwrap();
        assert!(!root.join("gen-1").exists() && root.join("gen-2").exists());
        assert!(root.join("notes.txt").exists());
        std::fs::write(root.join(MARKER_FILE), r#"{"format":"x","current":"../x"}"#).unwrap();
        assert!(matches!(read(&root), Err(Error::Damaged { .. })));
        assert!(matches!(data_dir(&root), Err(Error::Damaged { .. })));
    }

    #[test]
    fn legacy_removal_spares_files_it_does_not_name() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in ["meta.json", "dossier.json", "abc.idx", "keep.txt"] {
            std::fs::write(root.join(f), "x").unwrap();
        }
        std::fs::write(
            root.join(".managed.json"),
            r#"["abc.idx","../escape","meta.json"]"#,
        )
        .unwrap();
        assert_eq!(read(root).unwrap(), Layout::Legacy);
        remove_legacy(root).unwrap();
        let left: Vec<String> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, ["keep.txt"]);
    }

    #[test]
    fn overlapping_index_and_roots_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(corpus.join("sub")).unwrap();
        let inside = corpus.join("idx");
        let err = check_apart(&inside, std::slice::from_ref(&corpus)).unwrap_err();
        assert!(err.to_string().contains("index is inside"), "{err}");
        let err = check_apart(dir.path(), &[corpus.join("sub")]).unwrap_err();
        assert!(
            err.to_string().contains("folder to index is inside"),
            "{err}"
        );
        check_apart(&dir.path().join("idx"), &[corpus]).unwrap();
    }
}
