//! Where layers differ, for the compare mode's marks and its walk from one disagreement to the
//! next, and what they all share, for **Accept agreed**.
//!
//! A labelled span is **agreed** when every layer has it exactly (extent and label). Every other
//! labelled span of some layer is part of one **disagreement**: two such spans belong to the same
//! one when they have the same extent (whatever their labels), or the same label and a code point
//! in common; and so on transitively. A disagreement is of one [`DisagreementKind`].

use super::merge::{merge, MergeStrategy, MergedSpan};
use super::{holders, LabelledSpan, Layer};
use crate::model::Span;

/// How the layers differ at one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum DisagreementKind {
    /// One span, which only some layers have.
    OnlySome,
    /// One extent, labelled differently by different layers (or left out by some).
    OtherLabel,
    /// Spans of different extents that overlap.
    OverlappingExtents,
}

/// One place where the layers differ.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Disagreement {
    /// From the first start to the last end of the spans involved.
    pub span: Span,
    /// How they differ.
    pub kind: DisagreementKind,
    /// For each layer, in the order given: its spans in this disagreement, in document order
    /// (empty: that layer has nothing here).
    pub by_layer: Vec<Vec<LabelledSpan>>,
}

/// The disagreements between `layers`, in document order (by start, the longer first). None
/// with fewer than two layers. O(S log S) for S annotations in all.
pub fn disagreements(layers: &[Layer]) -> Vec<Disagreement> {
    if layers.len() < 2 {
        return Vec::new();
    }
    let differing: Vec<_> = holders(layers)
        .into_iter()
        .filter(|held| held.layers.len() < layers.len())
        .collect();
    let mut groups = Groups::new(differing.len());
    // `differing` is in document order: equal extents are neighbours.
    for i in 1..differing.len() {
        if differing[i].labelled.span == differing[i - 1].labelled.span {
            groups.join(i, i - 1);
        }
    }
    // Per label, by start: a span overlapping the run so far joins it.
    let mut by_label: Vec<usize> = (0..differing.len()).collect();
    by_label.sort_by_key(|&i| {
        (
            differing[i].labelled.tag.as_str(),
            differing[i].labelled.span.start,
        )
    });
    let mut run: Option<(usize, usize)> = None; // (a member, the run's end)
    for &i in &by_label {
        let labelled = &differing[i].labelled;
        run = match run {
            Some((member, end))
                if differing[member].labelled.tag == labelled.tag && labelled.span.start < end =>
            {
                groups.join(i, member);
                Some((member, end.max(labelled.span.end)))
            }
            _ => Some((i, labelled.span.end)),
        };
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); differing.len()];
    for i in 0..differing.len() {
        members[groups.root(i)].push(i);
    }
    let mut found: Vec<Disagreement> = members
        .into_iter()
        .filter(|group| !group.is_empty())
        .map(|group| {
            let spans = || group.iter().map(|&i| &differing[i].labelled);
            let first = spans().next().expect("a group has a member").clone();
            let kind = if spans().any(|s| s.span != first.span) {
                DisagreementKind::OverlappingExtents
            } else if spans().any(|s| s.tag != first.tag) {
                DisagreementKind::OtherLabel
            } else {
                DisagreementKind::OnlySome
            };
            let mut by_layer = vec![Vec::new(); layers.len()];
            for &i in &group {
                for &layer in &differing[i].layers {
                    by_layer[layer].push(differing[i].labelled.clone());
                }
            }
            Disagreement {
                span: Span {
                    start: spans()
                        .map(|s| s.span.start)
                        .min()
                        .unwrap_or(first.span.start),
                    end: spans().map(|s| s.span.end).max().unwrap_or(first.span.end),
                },
                kind,
                by_layer,
            }
        })
        .collect();
    found.sort_by_key(|d| (d.span.start, std::cmp::Reverse(d.span.end)));
    found
}

/// The spans every layer has exactly, with their provenance (every annotator), in document
/// order: what **Accept agreed** adds to the gold layer. [`merge`] by intersection.
pub fn agreed(layers: &[Layer]) -> Vec<MergedSpan> {
    merge(layers, MergeStrategy::Intersection)
}

/// Disjoint sets of indices (union by size, path halving): near O(1) per operation.
struct Groups {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl Groups {
    fn new(n: usize) -> Self {
        Groups {
            parent: (0..n).collect(),
            size: vec![1; n],
        }
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        if a == b {
            return;
        }
        let (big, small) = if self.size[a] >= self.size[b] {
            (a, b)
        } else {
            (b, a)
        };
        self.parent[small] = big;
        self.size[big] += self.size[small];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agree::test_support::{labelled, layer};

    #[test]
    fn each_kind_of_disagreement_is_found_in_document_order() {
        let layers = [
            layer(
                "ann",
                &[
                    (0, 5, "claim"),
                    (10, 15, "claim"),
                    (20, 30, "quote"),
                    (40, 45, "claim"),
                ],
            ),
            layer(
                "bob",
                &[(0, 5, "claim"), (10, 15, "quote"), (22, 30, "quote")],
            ),
        ];
        let found = disagreements(&layers);
        let summary: Vec<(usize, usize, DisagreementKind)> = found
            .iter()
            .map(|d| (d.span.start, d.span.end, d.kind))
            .collect();
        assert_eq!(
            summary,
            [
                (10, 15, DisagreementKind::OtherLabel),
                (20, 30, DisagreementKind::OverlappingExtents),
                (40, 45, DisagreementKind::OnlySome),
            ]
        );
        assert_eq!(
            found[0].by_layer,
            [
                vec![labelled(10, 15, "claim")],
                vec![labelled(10, 15, "quote")]
            ]
        );
        assert_eq!(
            found[1].by_layer,
            [
                vec![labelled(20, 30, "quote")],
                vec![labelled(22, 30, "quote")]
            ]
        );
        assert_eq!(found[2].by_layer, [vec![labelled(40, 45, "claim")], vec![]]);
    }

    #[test]
    fn spans_of_other_labels_that_only_overlap_are_separate_disagreements() {
        // A quote only ann has, and inside it a claim only bob has: two places to decide.
        let layers = [
            layer("ann", &[(0, 20, "quote")]),
            layer("bob", &[(5, 10, "claim")]),
        ];
        let kinds: Vec<DisagreementKind> = disagreements(&layers).iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [DisagreementKind::OnlySome, DisagreementKind::OnlySome]
        );
    }

    #[test]
    fn overlaps_chain_and_a_shared_span_is_no_disagreement() {
        let layers = [
            layer(
                "ann",
                &[(0, 6, "claim"), (4, 12, "claim"), (20, 25, "quote")],
            ),
            layer("bob", &[(2, 8, "claim"), (20, 25, "quote")]),
            layer("cy", &[(10, 14, "claim"), (20, 25, "quote")]),
        ];
        let found = disagreements(&layers);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span, Span::new(0, 14).unwrap());
        assert_eq!(found[0].by_layer[1], [labelled(2, 8, "claim")]);
        let shared = agreed(&layers);
        assert_eq!(shared.len(), 1);
        assert_eq!(shared[0].annotators, ["ann", "bob", "cy"]);
    }

    #[test]
    fn one_layer_has_nothing_to_disagree_with() {
        assert!(disagreements(&[layer("ann", &[(0, 5, "claim")])]).is_empty());
    }
}
