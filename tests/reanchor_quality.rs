#![cfg(not(target_arch = "wasm32"))]
//! Re-anchoring quality on typical revisions of the sample article: no annotation may land on
//! wrong text, and at least as many as recorded below must land on the right text. "Right
//! text" is defined in `reanchor_cases/mod.rs`: where the edit script moved the annotation's
//! text, and nowhere (an orphan) when the script deleted it.
//!
//! Run with `cargo test --test reanchor_quality -- --nocapture` to see the table.

mod reanchor_cases;

use marginalia::anchor::{anchor, anchor_all, describe, Placement};
use marginalia::model::{Document, Span};
use marginalia::sample::SAMPLE_TEXT;
use reanchor_cases::{map_span, revisions, spans, verdict, Verdict, CASES};

/// Fewest annotations placed on the right text (or rightly orphaned) per revision; the
/// current counts, so that any regression fails.
const MINIMUM_RIGHT: &[(&str, usize)] = &[
    ("paragraphs inserted", 44),
    ("paragraph removed", 44),
    ("words changed in quotes", 44),
    ("whitespace (2 spaces, re-wrapped)", 44),
    ("punctuation (quotes, commas)", 44),
    ("all combined", 44),
];

#[derive(Default, Debug)]
struct Counts {
    exact: usize,
    reanchored: usize,
    orphaned_rightly: usize,
    unplaced: usize,
    wrong: usize,
}

impl Counts {
    fn right(&self) -> usize {
        self.exact + self.reanchored + self.orphaned_rightly
    }
}

fn placed(placement: Placement) -> Option<((usize, usize), bool)> {
    match placement {
        Placement::Exact(span) => Some(((span.start, span.end), false)),
        Placement::Moved(span) => Some(((span.start, span.end), true)),
        Placement::Orphan => None,
    }
}

#[test]
fn no_annotation_lands_on_wrong_text() {
    let original = Document::from_raw(SAMPLE_TEXT);
    let annotated = spans(original.text());
    assert_eq!(annotated.len(), CASES.len());
    assert!(CASES.len() >= 40);
    let selectors: Vec<_> = annotated
        .iter()
        .map(|&(start, end)| describe(&original, Span::new(start, end).unwrap()))
        .collect();

    println!(
        "\n{:<36} {:>5} {:>10} {:>9} {:>8} {:>5} {:>6}",
        "revision", "exact", "re-anchor", "orphaned", "unplaced", "wrong", "right"
    );
    let mut failures = Vec::new();
    for revision in revisions(original.text()) {
        let edited = Document::from_normalized(revision.text.clone());
        let placements = anchor_all(&edited, &selectors);
        let mut counts = Counts::default();
        for (i, (&span, placement)) in annotated.iter().zip(&placements).enumerate() {
            // The batch must equal the one-at-a-time chain.
            assert_eq!(
                *placement,
                anchor(&edited, &selectors[i]),
                "{}",
                CASES[i].label
            );
            let expected = map_span(span, &revision.edits);
            if let Some((start, end)) = expected {
                let there = edited.slice(Span::new(start, end).unwrap()).unwrap();
                assert!(!there.is_empty(), "{}", CASES[i].label);
            }
            match verdict(placed(*placement), expected) {
                Verdict::Exact => counts.exact += 1,
                Verdict::Reanchored => counts.reanchored += 1,
                Verdict::RightlyOrphaned => counts.orphaned_rightly += 1,
                Verdict::Unplaced => {
                    counts.unplaced += 1;
                    println!("    unplaced: {} ({:?})", CASES[i].label, CASES[i].quote);
                }
                Verdict::Wrong => {
                    counts.wrong += 1;
                    let got = match placement {
                        Placement::Exact(s) | Placement::Moved(s) => {
                            edited.slice(*s).unwrap_or("?").to_owned()
                        }
                        Placement::Orphan => String::new(),
                    };
                    let want = expected.map(|(s, e)| {
                        edited
                            .slice(Span::new(s, e).unwrap())
                            .unwrap_or("?")
                            .to_owned()
                    });
                    failures.push(format!(
                        "{}: {} placed on {got:?}, right text {want:?}",
                        revision.name, CASES[i].label
                    ));
                }
            }
        }
        println!(
            "{:<36} {:>5} {:>10} {:>9} {:>8} {:>5} {:>6}",
            revision.name,
            counts.exact,
            counts.reanchored,
            counts.orphaned_rightly,
            counts.unplaced,
            counts.wrong,
            counts.right()
        );
        let minimum = MINIMUM_RIGHT
            .iter()
            .find(|(name, _)| *name == revision.name)
            .map_or(CASES.len(), |m| m.1);
        if counts.right() < minimum {
            failures.push(format!(
                "{}: {} right, fewer than the {minimum} recorded",
                revision.name,
                counts.right()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_unchanged_article_places_every_annotation_exactly() {
    let document = Document::from_raw(SAMPLE_TEXT);
    let selectors: Vec<_> = spans(document.text())
        .into_iter()
        .map(|(start, end)| describe(&document, Span::new(start, end).unwrap()))
        .collect();
    for (placement, selectors) in anchor_all(&document, &selectors).iter().zip(&selectors) {
        assert_eq!(*placement, Placement::Exact(selectors.position.unwrap()));
    }
}

#[test]
fn edit_scripts_map_spans_onto_the_same_text() {
    // Sanity of the oracle: an edit outside every span leaves each annotated text unchanged,
    // so the mapped span holds the very same quote.
    let original = Document::from_raw(SAMPLE_TEXT);
    let annotated = spans(original.text());
    let revision = &revisions(original.text())[0];
    let edited = Document::from_normalized(revision.text.clone());
    for (case, &span) in CASES.iter().zip(&annotated) {
        let (start, end) = map_span(span, &revision.edits).unwrap();
        assert_eq!(
            edited.slice(Span::new(start, end).unwrap()),
            Some(case.quote),
            "{}",
            case.label
        );
    }
}
