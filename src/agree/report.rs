//! Every agreement figure for a set of layers on one document: what `marginalia agree` prints
//! (as a table, or as JSON with the units and labels so that anyone can recompute the figures)
//! and what the agreement panel shows.

use std::collections::BTreeMap;

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Deserialize, Serialize, Serializer};

use super::measures::{
    cohen_kappa, f1_exact, f1_overlap, fleiss_kappa, krippendorff_alpha, relation_f1, Code,
};
use super::units::{covered_units, outermost_labels, word_units, OUTSIDE};
use super::{LabelledSpan, Layer};
use crate::model::{Document, Span, Tag};

/// What a unit no span covers is called in the labels.
pub const OUTSIDE_LABEL: &str = "O";

/// Agreement needs two layers or more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("agreement compares two annotators or more; {found} given")]
pub struct NotEnoughLayers {
    /// How many layers were given.
    pub found: usize,
}

/// The figures of one pair of annotators (over all labels, or over one label).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairAgreement {
    /// The first annotator (the earlier layer).
    pub a: String,
    /// The second annotator.
    pub b: String,
    /// Cohen's κ over the units' labels.
    pub kappa: f64,
    /// Span F1, exact matches.
    pub f1_exact: f64,
    /// Span F1, overlapping matches.
    pub f1_overlap: f64,
    /// Relation F1, exact matches of type and both ends; only when some layer has relations
    /// (and left out of the JSON otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relations_f1: Option<f64>,
}

/// The figures of every pair for one label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelAgreement {
    /// Each pair of annotators, as in [`AgreementReport::pairs`].
    pub pairs: Vec<PairAgreement>,
}

/// Agreement between two or more annotators' layers of one document (definitions: [`super`]).
///
/// Serialises to exactly `{"annotators", "units": [{"start", "end"}], "labels": {annotator:
/// [label per unit]}, "pairs": [{"a", "b", "kappa", "f1_exact", "f1_overlap"}], "fleiss_kappa"
/// (null for two annotators), "krippendorff_alpha", "per_label": {label: {"pairs": […]}}}`, the
/// labels of `labels` being label ids and `O`.
#[derive(Debug, Clone, PartialEq)]
pub struct AgreementReport {
    /// The annotators, in layer order (distinct: they key `labels`; see
    /// [`super::name_layers_apart`]).
    pub annotators: Vec<String>,
    /// The units: the document's words.
    pub units: Vec<Span>,
    /// The labels by code: [`OUTSIDE_LABEL`] (code 0), then every label id any layer uses, sorted.
    pub categories: Vec<String>,
    /// For each annotator, the code of each unit's label (an index into `categories`).
    pub unit_labels: Vec<Vec<Code>>,
    /// Each pair of annotators (first with second, first with third, …, second with third, …).
    pub pairs: Vec<PairAgreement>,
    /// Fleiss' κ of all annotators; `None` for two (where it would be Scott's π, not asked for).
    pub fleiss_kappa: Option<f64>,
    /// Krippendorff's α (nominal) of all annotators.
    pub krippendorff_alpha: f64,
    /// The same pairwise figures per label id (units `L` or `O`, spans of that label only).
    pub per_label: BTreeMap<String, LabelAgreement>,
}

impl AgreementReport {
    /// The agreement of `layers` on `document`. O((U + S) log S + L·(U + S log S)) for U units,
    /// S annotations in all and L labels; the pairs' κ and F1 add O(m²·(U + S log S)) for m layers.
    pub fn new(document: &Document, layers: &[Layer]) -> Result<Self, NotEnoughLayers> {
        if layers.len() < 2 {
            return Err(NotEnoughLayers {
                found: layers.len(),
            });
        }
        let annotators: Vec<String> = layers.iter().map(|l| l.annotator.clone()).collect();
        let units = word_units(document);
        let spans: Vec<Vec<LabelledSpan>> = layers.iter().map(Layer::labelled_spans).collect();
        let mut label_ids: Vec<String> = spans
            .iter()
            .flatten()
            .map(|s| s.tag.as_str().to_owned())
            .collect();
        label_ids.sort_unstable();
        label_ids.dedup();
        let code_of = |tag: &Tag| {
            let index = label_ids
                .binary_search_by(|id| id.as_str().cmp(tag.as_str()))
                .expect("every label used is listed");
            OUTSIDE + 1 + index as Code
        };
        let unit_labels: Vec<Vec<Code>> = spans
            .iter()
            .map(|layer| outermost_labels(&units, layer, code_of))
            .collect();
        let labels: Vec<&[Code]> = unit_labels.iter().map(Vec::as_slice).collect();
        let mut pairs = pair_figures(&annotators, &labels, &spans);
        if layers.iter().any(|l| !l.relations.is_empty()) {
            let m = layers.len();
            let ends = (0..m).flat_map(|i| (i + 1..m).map(move |j| (i, j)));
            for (pair, (i, j)) in pairs.iter_mut().zip(ends) {
                pair.relations_f1 = Some(relation_f1(&layers[i].relations, &layers[j].relations));
            }
        }
        let fleiss_kappa = (layers.len() > 2).then(|| fleiss_kappa(&labels));
        let krippendorff_alpha = krippendorff_alpha(&labels);
        let per_label = label_ids
            .iter()
            .map(|id| {
                let of_label: Vec<Vec<LabelledSpan>> = spans
                    .iter()
                    .map(|layer| {
                        layer
                            .iter()
                            .filter(|s| s.tag.as_str() == id)
                            .cloned()
                            .collect()
                    })
                    .collect();
                let covered: Vec<Vec<Code>> = of_label
                    .iter()
                    .map(|layer| covered_units(&units, layer.iter().map(|s| s.span)))
                    .collect();
                let covered: Vec<&[Code]> = covered.iter().map(Vec::as_slice).collect();
                let pairs = pair_figures(&annotators, &covered, &of_label);
                (id.clone(), LabelAgreement { pairs })
            })
            .collect();
        let categories = std::iter::once(OUTSIDE_LABEL.to_owned())
            .chain(label_ids)
            .collect();
        Ok(AgreementReport {
            annotators,
            units,
            categories,
            unit_labels,
            pairs,
            fleiss_kappa,
            krippendorff_alpha,
            per_label,
        })
    }
}

impl PairMeans for AgreementReport {
    fn pairs(&self) -> &[PairAgreement] {
        &self.pairs
    }
}

/// The means over the pairs of annotators, of a report or of its figures.
pub trait PairMeans {
    /// Each pair's figures.
    fn pairs(&self) -> &[PairAgreement];

    /// The mean of the pairs' κ (the panel's `data-kappa`).
    fn mean_kappa(&self) -> f64 {
        mean(self.pairs(), |pair| pair.kappa)
    }

    /// The mean of the pairs' exact span F1 (`data-f1-exact`).
    fn mean_f1_exact(&self) -> f64 {
        mean(self.pairs(), |pair| pair.f1_exact)
    }

    /// The mean of the pairs' overlap span F1 (`data-f1-overlap`).
    fn mean_f1_overlap(&self) -> f64 {
        mean(self.pairs(), |pair| pair.f1_overlap)
    }
}

fn mean(pairs: &[PairAgreement], figure: impl Fn(&PairAgreement) -> f64) -> f64 {
    pairs.iter().map(figure).sum::<f64>() / pairs.len() as f64
}

/// A report's figures without its units and their labels: what the agreement panel shows, and
/// small enough to come back from the worker (a book has a million units).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgreementFigures {
    /// The annotators, in layer order.
    pub annotators: Vec<String>,
    /// How many units (words) were compared.
    pub units: usize,
    /// Each pair of annotators.
    pub pairs: Vec<PairAgreement>,
    /// Fleiss' κ of all annotators (three or more).
    pub fleiss_kappa: Option<f64>,
    /// Krippendorff's α (nominal) of all annotators.
    pub krippendorff_alpha: f64,
    /// The pairwise figures per label id.
    pub per_label: BTreeMap<String, LabelAgreement>,
}

impl From<AgreementReport> for AgreementFigures {
    fn from(report: AgreementReport) -> Self {
        Self {
            annotators: report.annotators,
            units: report.units.len(),
            pairs: report.pairs,
            fleiss_kappa: report.fleiss_kappa,
            krippendorff_alpha: report.krippendorff_alpha,
            per_label: report.per_label,
        }
    }
}

impl PairMeans for AgreementFigures {
    fn pairs(&self) -> &[PairAgreement] {
        &self.pairs
    }
}

/// κ, F1 exact and F1 overlap of every pair: `labels[i]` are annotator i's units' labels,
/// `spans[i]` their spans.
fn pair_figures(
    annotators: &[String],
    labels: &[&[Code]],
    spans: &[Vec<LabelledSpan>],
) -> Vec<PairAgreement> {
    let m = annotators.len();
    (0..m)
        .flat_map(|i| (i + 1..m).map(move |j| (i, j)))
        .map(|(i, j)| PairAgreement {
            a: annotators[i].clone(),
            b: annotators[j].clone(),
            kappa: cohen_kappa(labels[i], labels[j]),
            f1_exact: f1_exact(&spans[i], &spans[j]),
            f1_overlap: f1_overlap(&spans[i], &spans[j]),
            relations_f1: None,
        })
        .collect()
}

impl Serialize for AgreementReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut report = serializer.serialize_struct("AgreementReport", 7)?;
        report.serialize_field("annotators", &self.annotators)?;
        report.serialize_field("units", &self.units)?;
        report.serialize_field("labels", &LabelsByAnnotator(self))?;
        report.serialize_field("pairs", &self.pairs)?;
        report.serialize_field("fleiss_kappa", &self.fleiss_kappa)?;
        report.serialize_field("krippendorff_alpha", &self.krippendorff_alpha)?;
        report.serialize_field("per_label", &self.per_label)?;
        report.end()
    }
}

/// `{annotator: [label per unit]}`, annotators in layer order, labels written out from codes.
struct LabelsByAnnotator<'a>(&'a AgreementReport);

impl Serialize for LabelsByAnnotator<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        let mut map = serializer.serialize_map(Some(report.annotators.len()))?;
        for (annotator, codes) in report.annotators.iter().zip(&report.unit_labels) {
            map.serialize_entry(annotator, &LabelList { report, codes })?;
        }
        map.end()
    }
}

struct LabelList<'a> {
    report: &'a AgreementReport,
    codes: &'a [Code],
}

impl Serialize for LabelList<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let categories = &self.report.categories;
        serializer.collect_seq(self.codes.iter().map(|&c| categories[c as usize].as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agree::test_support::layer;

    #[test]
    fn one_layer_is_not_enough() {
        let document = Document::from_raw("Alpha beta");
        assert_eq!(
            AgreementReport::new(&document, &[layer("a", &[])]),
            Err(NotEnoughLayers { found: 1 })
        );
    }

    #[test]
    fn relations_join_the_pairs_when_some_layer_has_them() {
        let document = Document::from_raw("The mayor said the barrier would cost millions.");
        let relation = |kind: &str| crate::agree::LabelledRelation {
            kind: kind.into(),
            from: (15, 46, "quote".into()),
            to: (0, 9, "person".into()),
        };
        let plain = [
            layer("ann", &[(0, 9, "person")]),
            layer("bob", &[(0, 9, "person")]),
        ];
        let report = AgreementReport::new(&document, &plain).unwrap();
        assert_eq!(report.pairs[0].relations_f1, None);
        let json = serde_json::to_value(&report).unwrap();
        assert!(json["pairs"][0].get("relations_f1").is_none(), "{json}");
        let mut linked = plain.clone();
        linked[0].relations = vec![relation("attributed-to"), relation("qualifies")];
        linked[1].relations = vec![relation("attributed-to")];
        let report = AgreementReport::new(&document, &linked).unwrap();
        // One match of 2 + 1 relations: 2·1/3.
        close(report.pairs[0].relations_f1.unwrap(), 2.0 / 3.0);
        let json = serde_json::to_value(&report).unwrap();
        assert!(json["pairs"][0]["relations_f1"].is_number(), "{json}");
        linked[1].relations.clear();
        linked[0].relations.clear();
        let none = AgreementReport::new(&document, &linked).unwrap();
        assert_eq!(none.pairs[0].relations_f1, None);
    }

    fn close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 1e-12,
            "{actual} is not {expected}"
        );
    }

    /// Every figure of a small fixture, worked out by hand.
    #[test]
    fn a_fixture_computed_by_hand() {
        // Units (8): The 0-3 | mayor 4-9 | said 10-14 | the 15-18 | barrier 19-26 | would 27-32 |
        // cost 33-37 | millions 38-46.
        let document = Document::from_raw("The mayor said the barrier would cost millions.");
        let layers = [
            // ann: person "The mayor", quote "the barrier … millions" with a claim "cost
            // millions" nested in it (the quote is outermost).
            layer(
                "ann",
                &[(0, 9, "person"), (15, 46, "quote"), (33, 46, "claim")],
            ),
            // bob: person "mayor", claim "the barrier … millions".
            layer("bob", &[(4, 9, "person"), (15, 46, "claim")]),
            // cy: person "The mayor", quote "would cost millions".
            layer("cy", &[(0, 9, "person"), (27, 46, "quote")]),
        ];
        let report = AgreementReport::new(&document, &layers).unwrap();
        // Labels per unit (P person, Q quote, C claim):
        //   ann  P P O Q Q Q Q Q      counts P2 O1 Q5
        //   bob  O P O C C C C C      counts O2 P1 C5
        //   cy   P P O O O Q Q Q      counts P2 O3 Q3
        assert_eq!(report.categories, ["O", "claim", "person", "quote"]);
        assert_eq!(
            report.unit_labels,
            [
                [2, 2, 0, 3, 3, 3, 3, 3],
                [0, 2, 0, 1, 1, 1, 1, 1],
                [2, 2, 0, 0, 0, 3, 3, 3]
            ]
        );
        // Cohen's κ = (p_o − p_e) / (1 − p_e), p_e = Σ_c count_a(c)·count_b(c) / 64:
        //   ann/bob: p_o = 2/8 (units 1, 2); p_e = (P 2·1 + O 1·2)/64 = 4/64;
        //            κ = (16 − 4) / (64 − 4) = 0.2
        //   ann/cy:  p_o = 6/8; p_e = (P 2·2 + O 1·3 + Q 5·3)/64 = 22/64; κ = 26/42 = 13/21
        //   bob/cy:  p_o = 2/8; p_e = (O 2·3 + P 1·2)/64 = 8/64; κ = 8/56 = 1/7
        let kappas: Vec<f64> = report.pairs.iter().map(|p| p.kappa).collect();
        close(kappas[0], 0.2);
        close(kappas[1], 13.0 / 21.0);
        close(kappas[2], 1.0 / 7.0);
        close(report.mean_kappa(), (0.2 + 13.0 / 21.0 + 1.0 / 7.0) / 3.0);
        // Fleiss' κ: Σ over units of Σ_c n_uc² = 5+9+9+3+3+5+5+5 = 44 for 24 labels, so
        // P̄ = (44 − 24) / (24·2) = 240/576; totals P5 O6 Q8 C5, so
        // P̄_e = (25+36+64+25)/576 = 150/576; κ = (240 − 150) / (576 − 150) = 90/426 = 15/71.
        close(report.fleiss_kappa.unwrap(), 15.0 / 71.0);
        // Krippendorff's α: each unit of 3 values adds (ordered pairs of different values) / 2 to
        // the off-diagonal coincidences: u0 (P O P) 4/2, u3 and u4 (Q C O) 6/2, u5-u7 (Q C Q) 4/2:
        // Σ_{c≠k} o_ck = 2 + 3 + 3 + 2 + 2 + 2 = 14; n = 24, Σ_{c≠k} n_c·n_k = 576 − 150 = 426;
        // α = 1 − 23·14/426 = 104/426 = 52/213.
        close(report.krippendorff_alpha, 52.0 / 213.0);
        // Span F1: ann/bob share no span exactly; overlapping, person↔person and claim↔claim
        // match: 2·2/(3+2) = 0.8. ann/cy: person exactly, 2·1/5 = 0.4; and the quotes overlap,
        // 2·2/5 = 0.8. bob/cy: person overlaps, 2·1/4 = 0.5.
        let f1: Vec<(f64, f64)> = report
            .pairs
            .iter()
            .map(|p| (p.f1_exact, p.f1_overlap))
            .collect();
        assert_eq!(f1, [(0.0, 0.8), (0.4, 0.8), (0.0, 0.5)]);
        // Per label, claim: ann O O O O O O C C, bob O O O C C C C C, cy all O.
        //   ann/bob: p_o = 5/8, p_e = (C 2·5 + O 6·3)/64 = 28/64, κ = 12/36 = 1/3;
        //   ann/cy and bob/cy: p_e = p_o (cy never says claim), κ = 0.
        let claim = &report.per_label["claim"].pairs;
        close(claim[0].kappa, 1.0 / 3.0);
        close(claim[1].kappa, 0.0);
        close(claim[2].kappa, 0.0);
        assert_eq!((claim[0].f1_exact, claim[0].f1_overlap), (0.0, 1.0));
        let labels: Vec<&str> = report.per_label.keys().map(String::as_str).collect();
        assert_eq!(labels, ["claim", "person", "quote"]);
    }

    #[test]
    fn the_json_has_the_contract_shape() {
        // Units: Alpha 0..5, beta 6..10, gamma 11..16.
        let document = Document::from_raw("Alpha beta gamma.");
        let layers = [
            layer("ann", &[(0, 10, "quote"), (6, 10, "claim")]),
            layer("bob", &[(6, 10, "claim")]),
        ];
        let report = AgreementReport::new(&document, &layers).unwrap();
        let text = serde_json::to_string(&report).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let keys = [
            "annotators",
            "units",
            "labels",
            "pairs",
            "fleiss_kappa",
            "krippendorff_alpha",
            "per_label",
        ];
        assert_eq!(json.as_object().unwrap().len(), keys.len());
        let positions: Vec<usize> = keys
            .iter()
            .map(|key| text.find(&format!("\"{key}\":")).expect(key))
            .collect();
        assert!(positions.is_sorted(), "keys in contract order: {text}");
        assert_eq!(json["annotators"], serde_json::json!(["ann", "bob"]));
        assert_eq!(
            json["units"],
            serde_json::json!([{"start": 0, "end": 5}, {"start": 6, "end": 10}, {"start": 11, "end": 16}])
        );
        assert_eq!(
            json["labels"],
            serde_json::json!({"ann": ["quote", "quote", "O"], "bob": ["O", "claim", "O"]})
        );
        assert_eq!(json["fleiss_kappa"], serde_json::Value::Null);
        assert_eq!(json["pairs"][0]["a"], "ann");
        assert_eq!(json["pairs"][0]["f1_exact"], 2.0 / 3.0);
        // Per label, the claim nested in ann's quote counts.
        assert_eq!(json["per_label"]["claim"]["pairs"][0]["kappa"], 1.0);
        assert_eq!(json["per_label"]["claim"]["pairs"][0]["f1_exact"], 1.0);
        assert_eq!(json["per_label"]["quote"]["pairs"][0]["f1_exact"], 0.0);
    }
}
