//! One layer from several: the spans a strategy keeps, each with the annotators who had it.
//!
//! Spans are compared exactly, extent and label: a span of the same extent with another label is
//! another span (so union keeps both), and identical spans of several layers are kept once.

use super::{holders, Layer};
use crate::model::{Annotation, AnnotationId, AttributeValue, Span, Tag};

/// The attribute that records, on a merged or adjudicated annotation, which annotators had it
/// (`"annotators": "ann, bob"`): exported with the annotation in every format that carries
/// attributes.
pub const PROVENANCE: &str = "annotators";

/// Which spans a merge keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MergeStrategy {
    /// Those more than half of the layers have exactly (2 of 3, 3 of 4).
    Majority,
    /// Those any layer has.
    Union,
    /// Those every layer has.
    Intersection,
}

impl MergeStrategy {
    /// True when a span held by `holders` of `layers` layers is kept.
    fn keeps(self, holders: usize, layers: usize) -> bool {
        match self {
            MergeStrategy::Majority => 2 * holders > layers,
            MergeStrategy::Union => holders > 0,
            MergeStrategy::Intersection => holders == layers,
        }
    }
}

/// A span of the merged layer and its provenance.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MergedSpan {
    /// Code-point offsets into the document text.
    pub span: Span,
    /// The label.
    pub tag: Tag,
    /// The annotators whose layers have it, in layer order.
    pub annotators: Vec<String>,
}

impl MergedSpan {
    /// The annotation of this span, made `now` under `id`, its [`PROVENANCE`] attribute naming
    /// who had it.
    pub fn to_annotation(&self, id: AnnotationId, now: &str) -> Annotation {
        let mut annotation = Annotation::new(id, self.span, self.tag.clone(), now);
        annotation.attributes.insert(
            PROVENANCE.to_owned(),
            AttributeValue::Text(self.annotators.join(", ")),
        );
        annotation
    }
}

/// The spans `strategy` keeps of `layers`, in document order (by start, the longer first, then
/// by label id). O(S log S) for S annotations in all.
pub fn merge(layers: &[Layer], strategy: MergeStrategy) -> Vec<MergedSpan> {
    holders(layers)
        .into_iter()
        .filter(|held| strategy.keeps(held.layers.len(), layers.len()))
        .map(|held| MergedSpan {
            span: held.labelled.span,
            tag: held.labelled.tag,
            annotators: held
                .layers
                .iter()
                .map(|&i| layers[i].annotator.clone())
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agree::test_support::layer;

    fn kept(layers: &[Layer], strategy: MergeStrategy) -> Vec<(usize, usize, String, String)> {
        merge(layers, strategy)
            .into_iter()
            .map(|m| {
                (
                    m.span.start,
                    m.span.end,
                    m.tag.as_str().to_owned(),
                    m.annotators.join(","),
                )
            })
            .collect()
    }

    fn three() -> [Layer; 3] {
        [
            layer(
                "ann",
                &[(0, 5, "claim"), (6, 9, "quote"), (10, 12, "claim")],
            ),
            layer(
                "bob",
                &[(0, 5, "claim"), (6, 9, "claim"), (10, 12, "claim")],
            ),
            layer("cy", &[(0, 5, "claim"), (6, 9, "quote"), (6, 9, "quote")]),
        ]
    }

    fn row(start: usize, end: usize, tag: &str, who: &str) -> (usize, usize, String, String) {
        (start, end, tag.to_owned(), who.to_owned())
    }

    #[test]
    fn majority_keeps_what_more_than_half_share_exactly() {
        assert_eq!(
            kept(&three(), MergeStrategy::Majority),
            [
                row(0, 5, "claim", "ann,bob,cy"),
                row(6, 9, "quote", "ann,cy"),
                row(10, 12, "claim", "ann,bob"),
            ]
        );
        // Half of four is not a majority.
        let four = [
            layer("a", &[(0, 5, "claim")]),
            layer("b", &[(0, 5, "claim")]),
            layer("c", &[]),
            layer("d", &[]),
        ];
        assert!(merge(&four, MergeStrategy::Majority).is_empty());
    }

    #[test]
    fn union_keeps_other_labels_apart_and_identical_spans_once() {
        assert_eq!(
            kept(&three(), MergeStrategy::Union),
            [
                row(0, 5, "claim", "ann,bob,cy"),
                row(6, 9, "claim", "bob"),
                row(6, 9, "quote", "ann,cy"),
                row(10, 12, "claim", "ann,bob"),
            ]
        );
    }

    #[test]
    fn intersection_keeps_what_every_layer_has() {
        assert_eq!(
            kept(&three(), MergeStrategy::Intersection),
            [row(0, 5, "claim", "ann,bob,cy")]
        );
        assert!(merge(&[], MergeStrategy::Union).is_empty());
    }
}
