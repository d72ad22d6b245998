//! Several annotators, one document: how much they agree, where they differ, and one layer made
//! from theirs. Pure Rust on the core's types, shared by the app's compare mode and agreement
//! panel and by the `agree` and `merge` commands, so both give the same figures to the last digit.
//!
//! The definitions (issue 13), each in the module that computes it:
//! - [`units`]: the units are the document's words (UAX #29 segments holding a letter or digit);
//!   each annotator labels each unit with the label of the outermost of their annotations
//!   covering it, or `O`; per label L, `L` or `O`.
//! - [`measures`]: Cohen's κ, Fleiss' κ and Krippendorff's α (nominal) over the units' labels;
//!   span F1 exact and overlap over the annotations; what each gives in its degenerate cases.
//! - [`report`]: every figure for a set of layers, as the CLI's JSON and the panel show them.
//! - [`compare`]: the disagreements between layers, in document order, and the spans all share.
//! - [`merge`](mod@merge): one layer from several, by majority, union or intersection, with
//!   provenance.
//!
//! A layer's annotations are read as a **set** of labelled spans (extent and label): two
//! annotations of one layer with the same extent and label count once everywhere here.

pub mod compare;
pub mod measures;
pub mod merge;
pub mod report;
pub mod units;

pub use compare::{agreed, disagreements, Disagreement, DisagreementKind};
pub use merge::{merge, MergeStrategy, MergedSpan, PROVENANCE};
pub use report::{
    AgreementFigures, AgreementReport, LabelAgreement, NotEnoughLayers, PairAgreement, PairMeans,
};

use std::cmp::Reverse;

use crate::model::{Annotation, Span, Tag};

/// One annotator's annotations of the document (a file opened for comparison).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Layer {
    /// Who made them: the file's annotator, else its file name.
    pub annotator: String,
    /// Their annotations on the document, in any order.
    pub annotations: Vec<Annotation>,
    /// Their relations between those annotations, by what the ends are (ids differ between
    /// files).
    #[serde(default)]
    pub relations: Vec<LabelledRelation>,
}

/// What agreement compares of a relation: its type and its two ends' extents and labels.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct LabelledRelation {
    /// The type's id.
    pub kind: String,
    /// The end it starts from: start, end, label id.
    pub from: (usize, usize, String),
    /// The end it points to.
    pub to: (usize, usize, String),
}

impl Layer {
    /// A layer of `annotations` by `annotator`, without relations.
    pub fn new(annotator: impl Into<String>, annotations: Vec<Annotation>) -> Self {
        Layer {
            annotator: annotator.into(),
            annotations,
            relations: Vec::new(),
        }
    }

    /// The layer an import found: the annotations it placed on the document, and the relations
    /// between them (one to an annotation it could not place is left out, as that annotation
    /// is).
    pub fn from_import(annotator: impl Into<String>, report: &crate::format::ImportReport) -> Self {
        let annotations: Vec<Annotation> = report.landed().cloned().collect();
        let end = |id: &crate::model::AnnotationId| {
            annotations
                .iter()
                .find(|a| a.id == *id)
                .map(|a| (a.span.start, a.span.end, a.tag.as_str().to_owned()))
        };
        let relations = report
            .relations
            .iter()
            .filter_map(|r| {
                Some(LabelledRelation {
                    kind: r.kind.clone(),
                    from: end(&r.from)?,
                    to: end(&r.to)?,
                })
            })
            .collect();
        Layer {
            annotator: annotator.into(),
            annotations,
            relations,
        }
    }

    /// Its distinct labelled spans in document order. O(n log n).
    pub fn labelled_spans(&self) -> Vec<LabelledSpan> {
        let mut spans: Vec<LabelledSpan> = self
            .annotations
            .iter()
            .map(|a| LabelledSpan {
                span: a.span,
                tag: a.tag.clone(),
            })
            .collect();
        spans.sort_by(LabelledSpan::document_order);
        spans.dedup();
        spans
    }
}

/// Makes the layers' annotator names distinct (they key the report's labels and name the
/// provenance of merged spans): a name an earlier layer already has gets ` 2`, ` 3`…
/// (`ann`, `ann 2`). O(m²) for m layers, a handful.
pub fn name_layers_apart(layers: &mut [Layer]) {
    for i in 1..layers.len() {
        let taken = |name: &str, layers: &[Layer]| layers[..i].iter().any(|l| l.annotator == name);
        if taken(&layers[i].annotator, layers) {
            let base = layers[i].annotator.clone();
            let name = (2..)
                .map(|n| format!("{base} {n}"))
                .find(|name| !taken(name, layers))
                .expect("some suffix is free");
            layers[i].annotator = name;
        }
    }
}

/// What agreement compares of an annotation: its extent and its label.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct LabelledSpan {
    /// Code-point offsets into the document text.
    pub span: Span,
    /// The label.
    pub tag: Tag,
}

impl LabelledSpan {
    /// A labelled span.
    pub fn new(span: Span, tag: Tag) -> Self {
        LabelledSpan { span, tag }
    }

    /// Document order: by start, the longer (outer) first, then by label id. Label ids compare as
    /// text (`Tag`'s own order puts the built-in tags first).
    pub fn document_order(&self, other: &Self) -> std::cmp::Ordering {
        (self.span.start, Reverse(self.span.end), self.tag.as_str()).cmp(&(
            other.span.start,
            Reverse(other.span.end),
            other.tag.as_str(),
        ))
    }
}

/// A distinct labelled span of some layers and which layers hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Held {
    /// The extent and label.
    pub labelled: LabelledSpan,
    /// Indices into the layers, ascending.
    pub layers: Vec<usize>,
}

/// Every distinct labelled span of `layers` with the layers that hold it exactly, in document
/// order. O(S log S) for S annotations in all.
pub(crate) fn holders(layers: &[Layer]) -> Vec<Held> {
    let mut all: Vec<(LabelledSpan, usize)> = layers
        .iter()
        .enumerate()
        .flat_map(|(index, layer)| layer.labelled_spans().into_iter().map(move |s| (s, index)))
        .collect();
    all.sort_by(|(a, i), (b, j)| a.document_order(b).then(i.cmp(j)));
    let mut held: Vec<Held> = Vec::new();
    for (labelled, layer) in all {
        match held.last_mut() {
            Some(last) if last.labelled == labelled => last.layers.push(layer),
            _ => held.push(Held {
                labelled,
                layers: vec![layer],
            }),
        }
    }
    held
}

/// Test helpers: layers written as `(start, end, label)` triples.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// A labelled span.
    pub fn labelled(start: usize, end: usize, tag: &str) -> LabelledSpan {
        LabelledSpan::new(Span::new(start, end).expect("non-empty"), Tag::from(tag))
    }

    /// A layer by `annotator` holding these spans.
    pub fn layer(annotator: &str, spans: &[(usize, usize, &str)]) -> Layer {
        let annotations = spans
            .iter()
            .enumerate()
            .map(|(i, &(start, end, tag))| {
                Annotation::new(
                    format!("{annotator}-{i}").into(),
                    Span::new(start, end).expect("non-empty"),
                    Tag::from(tag),
                    "2026-01-01T00:00:00Z",
                )
            })
            .collect();
        Layer::new(annotator, annotations)
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;

    #[test]
    fn a_layer_is_a_set_of_labelled_spans_in_document_order() {
        let layer = layer(
            "a",
            &[
                (5, 9, "quote"),
                (0, 3, "claim"),
                (0, 9, "claim"),
                (0, 3, "claim"),
            ],
        );
        assert_eq!(
            layer.labelled_spans(),
            [
                labelled(0, 9, "claim"),
                labelled(0, 3, "claim"),
                labelled(5, 9, "quote")
            ]
        );
    }

    #[test]
    fn label_ids_order_as_text_not_as_the_built_in_tags() {
        // `Tag`'s derived order puts claim < quote < condition; as text, condition < quote.
        let mut spans = [labelled(0, 3, "quote"), labelled(0, 3, "condition")];
        spans.sort_by(LabelledSpan::document_order);
        assert_eq!(spans[0].tag, Tag::Condition);
    }

    #[test]
    fn annotator_names_are_made_distinct() {
        let mut layers = [
            layer("ann", &[]),
            layer("ann", &[]),
            layer("ann 2", &[]),
            layer("bob", &[]),
        ];
        name_layers_apart(&mut layers);
        let names: Vec<&str> = layers.iter().map(|l| l.annotator.as_str()).collect();
        assert_eq!(names, ["ann", "ann 2", "ann 2 2", "bob"]);
    }

    #[test]
    fn holders_name_every_layer_that_has_a_span_exactly() {
        let layers = [
            layer("a", &[(0, 3, "claim"), (4, 8, "quote")]),
            layer("b", &[(0, 3, "claim"), (4, 8, "claim")]),
        ];
        let held: Vec<(LabelledSpan, Vec<usize>)> = holders(&layers)
            .into_iter()
            .map(|h| (h.labelled, h.layers))
            .collect();
        assert_eq!(
            held,
            [
                (labelled(0, 3, "claim"), vec![0, 1]),
                (labelled(4, 8, "claim"), vec![1]),
                (labelled(4, 8, "quote"), vec![0]),
            ]
        );
    }
}
