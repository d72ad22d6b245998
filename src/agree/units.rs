//! The units agreement is measured on, and the label each annotator gives each unit.
//!
//! - **Units** are the document's words: its Unicode word segments (UAX #29, as the
//!   `unicode-segmentation` crate splits them, in the same Rust core in the app and the CLI, never
//!   the browser's `Intl.Segmenter`, which splits "U.S." differently) that hold a letter or a digit
//!   ([`is_word`]), as code-point spans.
//! - A span **covers** a unit when they share at least one code point.
//! - Each annotator gives each unit the label of the **outermost** of their spans covering it:
//!   the longest; of equally long ones the earliest start; then the label id that sorts first
//!   (as text). A unit no span covers is `O`.
//! - **Per label** L, a unit is `L` when any of the annotator's L spans covers it, else `O`, so a
//!   condition nested in a quote still counts for `condition`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use unicode_segmentation::UnicodeSegmentation;

use super::measures::Code;
use super::LabelledSpan;
use crate::model::{is_word, Document, Span, Tag};

/// The code of `O`, a unit that no span covers.
pub const OUTSIDE: Code = 0;
/// The code of a unit that a span of the label in question covers (the per-label view).
pub const INSIDE: Code = 1;

/// The document's words in order, as code-point spans (disjoint, ascending). O(n) in the text.
pub fn word_units(document: &Document) -> Vec<Span> {
    let mut units = Vec::new();
    let mut end = 0;
    // Segments are contiguous: each starts where the one before ended.
    for segment in document.text().split_word_bounds() {
        let start = end;
        end += segment.chars().count();
        if is_word(segment) {
            units.push(Span { start, end });
        }
    }
    units
}

/// The code of each unit's label for one annotator: the label of the outermost of `spans` that
/// covers it (see the module doc), coded by `code_of`, or [`OUTSIDE`]. `units` must be disjoint
/// and ascending ([`word_units`]).
///
/// One sweep over the units with a max-heap of the spans begun so far, keyed by outermost-ness;
/// a span that ended before the current unit can cover no later one, so it is dropped when it
/// reaches the top. O((U + S) log S) for U units and S spans.
pub fn outermost_labels(
    units: &[Span],
    spans: &[LabelledSpan],
    code_of: impl Fn(&Tag) -> Code,
) -> Vec<Code> {
    let mut by_start: Vec<&LabelledSpan> = spans.iter().collect();
    by_start.sort_by_key(|s| s.span.start);
    let mut next = by_start.into_iter().peekable();
    // Longest first, then earliest start, then the label id that sorts first.
    let mut begun = BinaryHeap::new();
    units
        .iter()
        .map(|unit| {
            while let Some(s) = next.next_if(|s| s.span.start < unit.end) {
                begun.push((
                    s.span.len(),
                    Reverse(s.span.start),
                    Reverse(s.tag.as_str()),
                    s.span.end,
                    code_of(&s.tag),
                ));
            }
            while begun
                .peek()
                .is_some_and(|&(_, _, _, end, _)| end <= unit.start)
            {
                begun.pop();
            }
            begun.peek().map_or(OUTSIDE, |&(.., code)| code)
        })
        .collect()
}

/// [`INSIDE`] for each unit that one of `spans` covers, else [`OUTSIDE`]: the units' labels for
/// one label, given that label's spans. `units` as for [`outermost_labels`]. A difference array
/// over the units: O(S log U + U).
pub fn covered_units(units: &[Span], spans: impl IntoIterator<Item = Span>) -> Vec<Code> {
    let mut starts_minus_ends = vec![0i64; units.len() + 1];
    for span in spans {
        let first = units.partition_point(|u| u.end <= span.start);
        let last = units.partition_point(|u| u.start < span.end);
        if first < last {
            starts_minus_ends[first] += 1;
            starts_minus_ends[last] -= 1;
        }
    }
    let mut open = 0;
    starts_minus_ends[..units.len()]
        .iter()
        .map(|delta| {
            open += delta;
            if open > 0 {
                INSIDE
            } else {
                OUTSIDE
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agree::test_support::labelled;

    fn words(text: &str) -> Vec<String> {
        let document = Document::from_raw(text);
        word_units(&document)
            .into_iter()
            .map(|unit| document.slice(unit).unwrap().to_owned())
            .collect()
    }

    #[test]
    fn units_are_the_uax29_words_with_a_letter_or_digit() {
        assert_eq!(
            words("The U.S. can't pay 1,640 € — “now”.\n\nRenée 🌊 co-financing"),
            [
                "The",
                "U.S",
                "can't",
                "pay",
                "1,640",
                "now",
                "Renée",
                "co",
                "financing"
            ]
        );
        assert!(words("— … 🌊").is_empty());
    }

    #[test]
    fn units_are_code_point_spans() {
        let document = Document::from_raw("😀 Zoë said");
        let units = word_units(&document);
        assert_eq!(units, [Span::new(2, 5).unwrap(), Span::new(6, 10).unwrap()]);
    }

    /// Codes: O = 0, then label ids as text: claim 1, condition 2, quote 3.
    fn code(tag: &Tag) -> Code {
        match tag.as_str() {
            "claim" => 1,
            "condition" => 2,
            "quote" => 3,
            other => panic!("{other}"),
        }
    }

    /// Units of one code point each at 0, 2, 4, …
    fn units(n: usize) -> Vec<Span> {
        (0..n)
            .map(|i| Span::new(2 * i, 2 * i + 1).unwrap())
            .collect()
    }

    #[test]
    fn the_outermost_span_labels_a_unit() {
        let spans = [
            labelled(0, 11, "quote"),    // units 0-5
            labelled(4, 7, "condition"), // units 2-3, inside the quote
            labelled(12, 15, "claim"),   // units 6-7
            labelled(14, 19, "quote"),   // units 7-9: longer than the claim at unit 7
        ];
        assert_eq!(
            outermost_labels(&units(11), &spans, code),
            [3, 3, 3, 3, 3, 3, 1, 3, 3, 3, 0]
        );
    }

    #[test]
    fn ties_go_to_the_earliest_start_then_the_label_id_that_sorts_first() {
        let spans = [
            labelled(2, 5, "quote"), // units 1-2
            labelled(0, 3, "claim"), // units 0-1: as long, earlier at unit 1
            labelled(6, 7, "quote"), // unit 3, twice: condition sorts first
            labelled(6, 7, "condition"),
        ];
        assert_eq!(outermost_labels(&units(4), &spans, code), [1, 1, 3, 2]);
    }

    #[test]
    fn sharing_one_code_point_covers_a_unit() {
        let units = [Span::new(0, 5).unwrap(), Span::new(6, 11).unwrap()];
        let spans = [labelled(4, 7, "claim")];
        assert_eq!(outermost_labels(&units, &spans, code), [1, 1]);
        assert_eq!(covered_units(&units, [Span::new(5, 6).unwrap()]), [0, 0]);
        assert_eq!(covered_units(&units, [Span::new(4, 7).unwrap()]), [1, 1]);
    }

    #[test]
    fn per_label_a_nested_span_counts_and_overlaps_do_not_double() {
        let spans = [
            Span::new(0, 5).unwrap(),
            Span::new(2, 7).unwrap(),
            Span::new(12, 13).unwrap(),
        ];
        assert_eq!(covered_units(&units(8), spans), [1, 1, 1, 1, 0, 0, 1, 0]);
        assert_eq!(covered_units(&[], spans), Vec::<Code>::new());
    }
}
