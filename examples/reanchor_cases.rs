//! Writes the re-anchoring cases of `tests/reanchor_quality.rs` as JSON for
//! `benches/reanchor-hypothesis/run.mjs`, which runs Hypothesis's anchoring libraries on the
//! same inputs in Chromium: every revision of the sample article with, per annotation, its
//! TextQuote selector as [`describe`] gives it, its recorded position, the right span after the
//! edit (`null` when its text was deleted) and Marginalia's placement. Spans are given in code
//! points (`start`, `end`) and in UTF-16 code units (`start16`, `end16`, as the browser counts).
//!
//! `cargo run --example reanchor_cases -- target/reanchor-cases.json` (stdout without a path).

#[path = "../tests/reanchor_cases/mod.rs"]
mod reanchor_cases;

use marginalia::anchor::{anchor_all, describe, Placement};
use marginalia::model::{Document, Span};
use marginalia::sample::SAMPLE_TEXT;
use reanchor_cases::{map_span, revisions, spans, CASES};
use serde_json::{json, Value};

/// UTF-16 offset of every code-point offset of `text` (one more entry than code points).
fn utf16_offsets(text: &str) -> Vec<usize> {
    let mut offsets = Vec::with_capacity(text.len() + 1);
    let mut at = 0;
    offsets.push(0);
    for c in text.chars() {
        at += c.len_utf16();
        offsets.push(at);
    }
    offsets
}

fn span_json(span: (usize, usize), utf16: &[usize]) -> Value {
    json!({
        "start": span.0,
        "end": span.1,
        "start16": utf16[span.0],
        "end16": utf16[span.1],
    })
}

fn main() {
    let original = Document::from_raw(SAMPLE_TEXT);
    let original_utf16 = utf16_offsets(original.text());
    let annotated = spans(original.text());
    let selectors: Vec<_> = annotated
        .iter()
        .map(|&(start, end)| describe(&original, Span::new(start, end).expect("non-empty")))
        .collect();

    let mut out = Vec::new();
    for revision in revisions(original.text()) {
        let edited = Document::from_normalized(revision.text.clone());
        let utf16 = utf16_offsets(edited.text());
        let placements = anchor_all(&edited, &selectors);
        let annotations: Vec<Value> = CASES
            .iter()
            .zip(&annotated)
            .zip(selectors.iter().zip(&placements))
            .map(|((case, &span), (selector, placement))| {
                let quote = selector.quote.as_ref().expect("describe gives a quote");
                let marginalia = match placement {
                    Placement::Exact(s) => {
                        let mut v = span_json((s.start, s.end), &utf16);
                        v["kind"] = json!("exact");
                        v
                    }
                    Placement::Moved(s) => {
                        let mut v = span_json((s.start, s.end), &utf16);
                        v["kind"] = json!("moved");
                        v
                    }
                    Placement::Orphan => json!({ "kind": "orphan" }),
                };
                json!({
                    "label": case.label,
                    "exact": quote.exact,
                    "prefix": quote.prefix,
                    "suffix": quote.suffix,
                    "position": span_json(span, &original_utf16),
                    "expected": map_span(span, &revision.edits).map(|s| span_json(s, &utf16)),
                    "marginalia": marginalia,
                })
            })
            .collect();
        out.push(json!({
            "name": revision.name,
            "text": revision.text,
            "annotations": annotations,
        }));
    }
    let document = serde_json::to_string_pretty(&json!({ "revisions": out }))
        .expect("plain values always serialise");
    match std::env::args().nth(1) {
        Some(path) => std::fs::write(&path, document)
            .unwrap_or_else(|error| panic!("cannot write {path}: {error}")),
        None => println!("{document}"),
    }
}
