#![cfg(not(target_arch = "wasm32"))]
//! Property tests of agreement (`marginalia::agree`): every measure is symmetric, 1 for perfect
//! agreement and within its bounds; κ, the units' labels and the overlap matching agree with
//! naive oracles; α is Scott's π within (1 − π)/2N for two annotators over many units; and
//! compare and merge account for every span.

use std::cmp::Reverse;

use marginalia::agree::measures::{
    cohen_kappa, f1_exact, f1_overlap, fleiss_kappa, krippendorff_alpha, Code,
};
use marginalia::agree::units::{covered_units, outermost_labels, INSIDE, OUTSIDE};
use marginalia::agree::{
    agreed, disagreements, merge, Disagreement, LabelledSpan, Layer, MergeStrategy,
};
use marginalia::model::{Annotation, Span, Tag};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Generators and oracles
// ---------------------------------------------------------------------------------------------

/// Labels of `units` units from `k` labels, for `annotators` annotators.
fn unit_labels(
    annotators: usize,
    units: std::ops::Range<usize>,
    k: Code,
) -> impl Strategy<Value = Vec<Vec<Code>>> {
    units.prop_flat_map(move |n| prop::collection::vec(prop::collection::vec(0..k, n), annotators))
}

/// Two annotators' labels of the same units, the second copying the first on about half.
fn correlated_pair(units: std::ops::Range<usize>) -> impl Strategy<Value = (Vec<Code>, Vec<Code>)> {
    units.prop_flat_map(|n| {
        (
            prop::collection::vec(0..4 as Code, n),
            prop::collection::vec((any::<bool>(), 0..4 as Code), n),
        )
            .prop_map(|(a, noise)| {
                let b = a
                    .iter()
                    .zip(noise)
                    .map(|(&x, (copy, other))| if copy { x } else { other })
                    .collect();
                (a, b)
            })
    })
}

const LABELS: [&str; 3] = ["claim", "quote", "condition"];

/// Labelled spans inside `0..60`, nested, crossing and repeated as they come.
fn spans(max: usize) -> impl Strategy<Value = Vec<LabelledSpan>> {
    prop::collection::vec((0..59usize, 1..20usize, 0..LABELS.len()), 0..max).prop_map(|spans| {
        spans
            .into_iter()
            .map(|(start, len, label)| {
                LabelledSpan::new(
                    Span::new(start, (start + len).min(60)).unwrap(),
                    Tag::from(LABELS[label]),
                )
            })
            .collect()
    })
}

/// A layer holding `spans`.
fn layer(annotator: &str, spans: &[LabelledSpan]) -> Layer {
    let annotations = spans
        .iter()
        .enumerate()
        .map(|(i, s)| {
            Annotation::new(
                format!("{i}").into(),
                s.span,
                s.tag.clone(),
                "2026-01-01T00:00:00Z",
            )
        })
        .collect();
    Layer::new(annotator, annotations)
}

/// Cohen's κ straight from its textbook definition, in floating point.
fn kappa_oracle(a: &[Code], b: &[Code]) -> f64 {
    let n = a.len() as f64;
    let observed = a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / n;
    let labels: Vec<Code> = a.iter().chain(b).copied().collect();
    let mut distinct = labels.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let share = |list: &[Code], c: Code| list.iter().filter(|&&x| x == c).count() as f64 / n;
    let expected: f64 = distinct.iter().map(|&c| share(a, c) * share(b, c)).sum();
    (observed - expected) / (1.0 - expected)
}

/// Scott's π: like κ, with the expected agreement from both annotators' labels pooled.
fn scott_pi(a: &[Code], b: &[Code]) -> f64 {
    let n = a.len() as f64;
    let observed = a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / n;
    let mut pooled: Vec<Code> = a.iter().chain(b).copied().collect();
    pooled.sort_unstable();
    let mut expected = 0.0;
    for run in pooled.chunk_by(|x, y| x == y) {
        let share = run.len() as f64 / (2.0 * n);
        expected += share * share;
    }
    (observed - expected) / (1.0 - expected)
}

/// Units of one code point at 0, 2, 4, … below 60.
fn units() -> Vec<Span> {
    (0..30)
        .map(|i| Span::new(2 * i, 2 * i + 1).unwrap())
        .collect()
}

/// Codes by label id as text: O 0, claim 1, condition 2, quote 3.
fn code(tag: &Tag) -> Code {
    match tag.as_str() {
        "claim" => 1,
        "condition" => 2,
        "quote" => 3,
        other => panic!("{other}"),
    }
}

/// The outermost covering span of each unit by scanning every span.
fn outermost_oracle(units: &[Span], spans: &[LabelledSpan]) -> Vec<Code> {
    units
        .iter()
        .map(|unit| {
            spans
                .iter()
                .filter(|s| s.span.overlaps(*unit))
                .min_by_key(|s| (Reverse(s.span.len()), s.span.start, s.tag.as_str()))
                .map_or(OUTSIDE, |s| code(&s.tag))
        })
        .collect()
}

/// The overlap matches by listing every pair, in the documented order.
fn overlap_matches_oracle(a: &[LabelledSpan], b: &[LabelledSpan]) -> usize {
    let mut pairs = Vec::new();
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            if x.tag == y.tag && x.span.overlaps(y.span) {
                let overlap = x.span.end.min(y.span.end) - x.span.start.max(y.span.start);
                pairs.push((
                    Reverse(overlap),
                    x.span.start,
                    y.span.start,
                    x.span.end,
                    y.span.end,
                    i,
                    j,
                ));
            }
        }
    }
    pairs.sort_unstable();
    let (mut a_used, mut b_used) = (vec![false; a.len()], vec![false; b.len()]);
    let mut matches = 0;
    for (.., i, j) in pairs {
        if !a_used[i] && !b_used[j] {
            a_used[i] = true;
            b_used[j] = true;
            matches += 1;
        }
    }
    matches
}

fn f1_from(matches: usize, a: usize, b: usize) -> f64 {
    if a + b == 0 {
        1.0
    } else {
        2.0 * matches as f64 / (a + b) as f64
    }
}

// ---------------------------------------------------------------------------------------------
// Chance-corrected measures over the units' labels
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn kappa_is_symmetric_at_most_one_and_the_textbook_figure(labels in unit_labels(2, 1..80, 4)) {
        let (a, b) = (&labels[0], &labels[1]);
        let kappa = cohen_kappa(a, b);
        prop_assert_eq!(kappa, cohen_kappa(b, a));
        prop_assert!((-1.0..=1.0).contains(&kappa), "{}", kappa);
        let oracle = kappa_oracle(a, b);
        if oracle.is_finite() {
            prop_assert!((kappa - oracle).abs() < 1e-9, "{} against {}", kappa, oracle);
        } else {
            // 0/0: both gave every unit one and the same label.
            prop_assert_eq!(kappa, 1.0);
        }
        prop_assert_eq!(cohen_kappa(a, a), 1.0);
    }

    #[test]
    fn fleiss_and_alpha_are_symmetric_at_most_one_and_one_for_perfect_agreement(
        labels in unit_labels(4, 1..60, 4),
        order in Just(vec![0usize, 1, 2, 3]).prop_shuffle(),
    ) {
        let lists: Vec<&[Code]> = labels.iter().map(Vec::as_slice).collect();
        let shuffled: Vec<&[Code]> = order.iter().map(|&i| lists[i]).collect();
        let (fleiss, alpha) = (fleiss_kappa(&lists), krippendorff_alpha(&lists));
        prop_assert!((fleiss - fleiss_kappa(&shuffled)).abs() < 1e-12);
        prop_assert!((alpha - krippendorff_alpha(&shuffled)).abs() < 1e-12);
        prop_assert!(fleiss <= 1.0 && alpha <= 1.0, "{} {}", fleiss, alpha);
        let same = [lists[0], lists[0], lists[0]];
        prop_assert_eq!(fleiss_kappa(&same), 1.0);
        prop_assert_eq!(krippendorff_alpha(&same), 1.0);
    }

    #[test]
    fn for_two_annotators_alpha_is_scotts_pi_within_one_over_the_values(
        (a, b) in correlated_pair(200..600),
    ) {
        let pi = scott_pi(&a, &b);
        prop_assume!(pi.is_finite());
        let alpha = krippendorff_alpha(&[&a, &b]);
        // α = 1 − (1 − π)·(n − 1)/n for n = 2N pairable values: α − π = (1 − π)/2N.
        let n = 2.0 * a.len() as f64;
        prop_assert!((alpha - pi - (1.0 - pi) / n).abs() < 1e-9, "α {} π {}", alpha, pi);
        prop_assert!((alpha - pi).abs() <= 1.0 / a.len() as f64);
        // Fleiss' κ of two annotators is Scott's π itself.
        prop_assert!((fleiss_kappa(&[&a, &b]) - pi).abs() < 1e-9);
    }
}

// ---------------------------------------------------------------------------------------------
// Units' labels and span F1
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn each_unit_gets_the_label_of_its_outermost_covering_span(spans in spans(12)) {
        let units = units();
        prop_assert_eq!(outermost_labels(&units, &spans, code), outermost_oracle(&units, &spans));
        let covered = covered_units(&units, spans.iter().map(|s| s.span));
        let oracle: Vec<Code> = units
            .iter()
            .map(|u| if spans.iter().any(|s| s.span.overlaps(*u)) { INSIDE } else { OUTSIDE })
            .collect();
        prop_assert_eq!(covered, oracle);
    }

    #[test]
    fn span_f1_is_symmetric_bounded_and_one_against_itself(a in spans(12), b in spans(12)) {
        let (exact, overlap) = (f1_exact(&a, &b), f1_overlap(&a, &b));
        prop_assert_eq!(exact, f1_exact(&b, &a));
        prop_assert_eq!(overlap, f1_overlap(&b, &a));
        prop_assert!((0.0..=1.0).contains(&exact) && (0.0..=1.0).contains(&overlap));
        prop_assert!(overlap >= exact, "overlap {} < exact {}", overlap, exact);
        prop_assert_eq!(f1_exact(&a, &a), 1.0);
        prop_assert_eq!(f1_overlap(&a, &a), 1.0);
        prop_assert_eq!(overlap, f1_from(overlap_matches_oracle(&a, &b), a.len(), b.len()));
    }
}

// ---------------------------------------------------------------------------------------------
// Compare and merge
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn merges_nest_and_compare_accounts_for_every_span(
        a in spans(8), b in spans(8), c in spans(8),
    ) {
        let layers = [layer("a", &a), layer("b", &b), layer("c", &c)];
        let kept = |strategy| -> Vec<LabelledSpan> {
            merge(&layers, strategy)
                .into_iter()
                .map(|m| LabelledSpan::new(m.span, m.tag))
                .collect()
        };
        let (union, majority, all) = (
            kept(MergeStrategy::Union),
            kept(MergeStrategy::Majority),
            kept(MergeStrategy::Intersection),
        );
        prop_assert!(majority.iter().all(|s| union.contains(s)));
        prop_assert!(all.iter().all(|s| majority.contains(s)));
        let mut distinct: Vec<LabelledSpan> =
            layers.iter().flat_map(Layer::labelled_spans).collect();
        distinct.sort_by(LabelledSpan::document_order);
        distinct.dedup();
        prop_assert_eq!(&union, &distinct);
        let shared: Vec<LabelledSpan> =
            agreed(&layers).into_iter().map(|m| LabelledSpan::new(m.span, m.tag)).collect();
        prop_assert_eq!(&shared, &all);
        // Every span not all layers share is in exactly one disagreement, under each layer
        // that has it; disagreements come in document order and span their spans.
        let found = disagreements(&layers);
        for (index, layer) in layers.iter().enumerate() {
            for span in layer.labelled_spans() {
                let places = found.iter().filter(|d| d.by_layer[index].contains(&span)).count();
                prop_assert_eq!(places, usize::from(!all.contains(&span)), "{:?}", span);
            }
        }
        for d in &found {
            for span in d.by_layer.iter().flatten() {
                prop_assert!(d.span.contains(span.span));
            }
        }
        let order = |d: &Disagreement| (d.span.start, Reverse(d.span.end));
        prop_assert!(found.windows(2).all(|w| order(&w[0]) <= order(&w[1])));
    }
}
