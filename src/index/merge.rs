//! The merge policy: Tantivy's log policy, with every merge capped in size.
//!
//! Merging segments takes memory in proportion to the segment it writes, so uncapped merges made
//! the peak memory of a run grow with the corpus. Capping them keeps the peak the same at 20,000
//! pages as at 100,000, at the price of a few more segments in a large index.

use std::collections::HashMap;

use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy};
use tantivy::SegmentMeta;

/// Merges as the log policy proposes, cut so that no merge writes more than `max_docs`.
#[derive(Debug)]
pub(crate) struct CappedMerges {
    log: LogMergePolicy,
    max_docs: u32,
}

impl CappedMerges {
    /// A policy whose merges write at most `max_docs` documents; segments of half that or more
    /// are final.
    pub fn new(max_docs: u32) -> CappedMerges {
        let mut log = LogMergePolicy::default();
        log.set_max_docs_before_merge(max_docs as usize / 2);
        CappedMerges { log, max_docs }
    }
}

impl MergePolicy for CappedMerges {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let docs: HashMap<_, _> = segments.iter().map(|s| (s.id(), s.num_docs())).collect();
        self.log
            .compute_merge_candidates(segments)
            .into_iter()
            .flat_map(|c| {
                let sized =
                    c.0.into_iter()
                        .map(|id| (id, docs.get(&id).copied().unwrap_or(0)));
                cap_groups(sized, self.max_docs)
            })
            .map(MergeCandidate)
            .collect()
    }
}

/// Cuts a merge into consecutive groups of at most `max` documents, dropping groups of one
/// segment (nothing to merge).
fn cap_groups<T>(items: impl IntoIterator<Item = (T, u32)>, max: u32) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    let mut group = Vec::new();
    let mut total = 0u32;
    for (item, n) in items {
        if !group.is_empty() && total.saturating_add(n) > max {
            if group.len() > 1 {
                out.push(std::mem::take(&mut group));
            }
            group.clear();
            total = 0;
        }
        group.push(item);
        total = total.saturating_add(n);
    }
    if group.len() > 1 {
        out.push(group);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cap_groups;

    #[test]
    fn merges_are_cut_at_the_cap() {
        let sizes = [
            ("a", 40),
            ("b", 40),
            ("c", 40),
            ("d", 10),
            ("e", 90),
            ("f", 5),
        ];
        assert_eq!(
            cap_groups(sizes, 100),
            [vec!["a", "b"], vec!["c", "d"], vec!["e", "f"]]
        );
        // A lone segment is no merge.
        assert!(cap_groups([("a", 60), ("b", 60)], 100).is_empty());
        assert_eq!(cap_groups([("a", 1), ("b", 2)], 100), [vec!["a", "b"]]);
        assert!(cap_groups(Vec::<(u8, u32)>::new(), 100).is_empty());
    }
}
