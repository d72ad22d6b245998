//! Comparing annotators: the layers opened with Compare…, their agreement and disagreements,
//! and adjudication into a gold layer (the current document's own annotations, once Accept
//! agreed has made "NAME (gold)" current). Computed once when the files are opened; what is
//! resolved is derived from the gold annotations, so undo in the gold document undoes an
//! accept too.

use std::collections::BTreeSet;
use std::rc::Rc;

use crate::agree::{
    self, AgreementFigures, AgreementReport, Disagreement, LabelledSpan, Layer, MergedSpan,
};
use crate::model::{AnnotationId, AnnotationStore, Command, Document};

/// Layers opened for one text, with what was measured on them (in the app, by the worker:
/// [`crate::tasks`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Comparison {
    /// The text's SHA-256 (the comparison holds for the document and its gold copy).
    pub text_sha256: String,
    /// The name of the document the layers were opened on (the gold one is "NAME (gold)").
    pub source_name: String,
    /// One per file, named by its annotator (else its file name), names kept apart. Shared:
    /// they never change once opened, and the stored record is written again only when they
    /// (or the rejections) are new, not when `n` / `p` moves `current`.
    pub layers: Rc<Vec<Layer>>,
    /// Agreement figures (two layers or more).
    pub report: Option<AgreementFigures>,
    /// Every disagreement, in document order.
    pub disagreements: Vec<Disagreement>,
    /// Spans every layer shares exactly, with who had them.
    pub agreed: Vec<MergedSpan>,
    /// The disagreement `n` / `p` moved to.
    pub current: Option<usize>,
    /// Disagreements settled by taking none of their versions.
    pub rejected: BTreeSet<usize>,
}

impl Comparison {
    /// Measures `layers` on `document` (named `name`). O(units + spans log spans).
    pub fn new(document: &Document, name: &str, mut layers: Vec<Layer>) -> Self {
        agree::name_layers_apart(&mut layers);
        Self {
            text_sha256: document.sha256().to_owned(),
            source_name: name.to_owned(),
            report: AgreementReport::new(document, &layers)
                .ok()
                .map(AgreementFigures::from),
            disagreements: agree::disagreements(&layers),
            agreed: agree::agreed(&layers),
            layers: Rc::new(layers),
            current: None,
            rejected: BTreeSet::new(),
        }
    }

    /// The layers in annotation files (`(file name, bytes)`, any format we read) for
    /// `document`: each file's annotations as placed on it (an annotation a file places
    /// nowhere is left out, and counted), named by the file's annotator, else its file name
    /// without extensions. Refused whole, naming the file, when one cannot be read.
    pub fn read_layers(
        document: &Document,
        files: &[(String, Vec<u8>)],
        new_id: &mut dyn FnMut() -> AnnotationId,
        now: &str,
    ) -> Result<(Vec<Layer>, usize), String> {
        let mut layers = Vec::with_capacity(files.len());
        let mut not_placed = 0;
        for (name, bytes) in files {
            let context = crate::format::ImportContext {
                id_in_use: &|_| false,
                new_id: &mut *new_id,
                now,
            };
            let report = crate::format::import(document, bytes, context)
                .map_err(|error| format!("{name}: {error}"))?;
            not_placed += report.orphaned.len();
            let annotator = crate::format::annotator::annotator_of(bytes)
                .filter(|a| !a.trim().is_empty())
                .unwrap_or_else(|| name.split('.').next().unwrap_or(name).to_owned());
            layers.push(Layer::from_import(annotator, &report));
        }
        Ok((layers, not_placed))
    }

    /// What is stored of it (see [`crate::persist::record::StoredComparison`]).
    pub fn stored(&self) -> crate::persist::record::StoredComparison {
        crate::persist::record::StoredComparison {
            source_name: self.source_name.clone(),
            layers: self.layers.as_ref().clone(),
            rejected: self.rejected.iter().copied().collect(),
        }
    }

    /// The comparison `stored` on `document`, measured again.
    pub fn restore(document: &Document, stored: crate::persist::record::StoredComparison) -> Self {
        let mut comparison = Self::new(document, &stored.source_name, stored.layers);
        comparison.rejected = stored
            .rejected
            .into_iter()
            .filter(|i| *i < comparison.disagreements.len())
            .collect();
        comparison
    }

    /// The name of the gold document: `NAME (gold)`, NAME being the source's name without its
    /// extension.
    pub fn gold_name(&self) -> String {
        format!("{} (gold)", crate::format::stem(&self.source_name))
    }

    /// For each disagreement, whether the gold annotations settle it: one layer's version is
    /// there in full (extent and label), or it was rejected. O(D × versions × log n).
    pub fn resolved(&self, gold: &AnnotationStore) -> Vec<bool> {
        self.disagreements
            .iter()
            .enumerate()
            .map(|(index, disagreement)| {
                self.rejected.contains(&index)
                    || disagreement
                        .by_layer
                        .iter()
                        .filter(|version| !version.is_empty())
                        .any(|version| version.iter().all(|s| holds(gold, s)))
            })
            .collect()
    }

    /// The next (or previous) disagreement after the current one, wrapping around.
    pub fn step(&self, forward: bool) -> Option<usize> {
        let count = self.disagreements.len();
        if count == 0 {
            return None;
        }
        Some(match (self.current, forward) {
            (None, true) => 0,
            (None, false) => count - 1,
            (Some(i), true) => (i + 1) % count,
            (Some(i), false) => (i + count - 1) % count,
        })
    }

    /// The commands that add `spans` (with who had them) to `gold`, skipping those it already
    /// holds; each new annotation takes an id from `new_id`.
    pub fn additions(
        gold: &AnnotationStore,
        spans: &[MergedSpan],
        new_id: &mut dyn FnMut() -> AnnotationId,
        now: &str,
    ) -> Vec<Command> {
        spans
            .iter()
            .filter(|merged| !holds(gold, &LabelledSpan::new(merged.span, merged.tag.clone())))
            .map(|merged| Command::Create {
                annotation: merged.to_annotation(new_id(), now),
            })
            .collect()
    }

    /// Layer `layer`'s version of disagreement `index`, as spans with their provenance (the
    /// layers that have each of them exactly).
    pub fn version(&self, index: usize, layer: usize) -> Vec<MergedSpan> {
        let Some(version) = self
            .disagreements
            .get(index)
            .and_then(|d| d.by_layer.get(layer))
        else {
            return Vec::new();
        };
        let disagreement = &self.disagreements[index];
        version
            .iter()
            .map(|span| MergedSpan {
                span: span.span,
                tag: span.tag.clone(),
                annotators: disagreement
                    .by_layer
                    .iter()
                    .zip(self.layers.iter())
                    .filter(|(spans, _)| spans.contains(span))
                    .map(|(_, layer)| layer.annotator.clone())
                    .collect(),
            })
            .collect()
    }
}

/// True when `gold` has an annotation of exactly this extent and label. O(log n + k).
fn holds(gold: &AnnotationStore, span: &LabelledSpan) -> bool {
    gold.spans().overlapping(span.span).any(|entry| {
        entry.span == span.span && gold.get(&entry.id).is_some_and(|a| a.tag == span.tag)
    })
}
