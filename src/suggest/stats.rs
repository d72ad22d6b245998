//! How well each source does: precision and recall of its suggestions against reference
//! annotations (in the app, the document's own), shown per source so users see which helps.
//!
//! A suggestion is **correct** when it is matched, one to one, with a reference of the same
//! tag:
//! - a `quote` matches when both spans are equal once quotation marks, other punctuation and
//!   whitespace are trimmed from both ends (so `“Yes,”` and `Yes` match: where a quote's
//!   boundary goes around its marks is a convention, not a disagreement);
//! - any other tag matches a reference it overlaps, each reference and each suggestion used at
//!   most once, as many pairs as possible (where a condition's clause ends is a matter of
//!   judgement).
//!
//! Precision is correct / suggested; recall is matched references / all references, whatever
//! their tag (how much of the annotating the source would have done). Both are 0 when their
//! denominator is.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use super::tokens::is_punctuation;
use super::{Suggestion, SuggestionSource};
use crate::model::{Annotation, Document, Span, Tag};

/// One source's (or one tag's) figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    /// Suggestions made.
    pub suggested: usize,
    /// Reference annotations.
    pub references: usize,
    /// Matched pairs: correct suggestions, and found references.
    pub matched: usize,
}

impl Score {
    /// matched / suggested (0 when nothing was suggested).
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.suggested)
    }

    /// matched / references (0 when there is no reference).
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.references)
    }

    /// The harmonic mean of precision and recall (0 when both are).
    pub fn f1(&self) -> f64 {
        ratio(2 * self.matched, self.suggested + self.references)
    }
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

/// The figures of `suggested` against `references` (see the module doc). O((s + r) log(s + r)).
pub fn score(document: &Document, suggested: &[(Span, Tag)], references: &[(Span, Tag)]) -> Score {
    let suggested = ByTag::new(suggested.iter().map(|(span, tag)| (*span, tag.clone())));
    suggested.score(
        document,
        &references_by_tag(references),
        &mut Trims::default(),
    )
}

/// Each source that made suggestions, in priority order, with its figures against
/// `annotations` (see the module doc). Give it the suggestions before rejections and
/// annotations are filtered out.
pub fn by_source<'a>(
    document: &Document,
    suggestions: &[Suggestion],
    annotations: impl IntoIterator<Item = &'a Annotation>,
) -> Vec<(SuggestionSource, Score)> {
    Scorer::new(suggestions).by_source(document, annotations)
}

/// The suggestions of a document, grouped by source and tag and sorted once (O(s log s)), so
/// that their figures against annotations that change at every edit cost
/// O(r log s + k + r log r) for r annotations and k suggestions touching one: with millions of
/// suggestions on a book, the suggestions touching no annotation (nearly all) are never looked
/// at again.
pub struct Scorer {
    sources: Vec<(SuggestionSource, ByTag)>,
    /// Quote spans as trimmed so far (suggestions', and annotations'): each is read once.
    trims: RefCell<Trims>,
}

/// Spans with quotation marks, punctuation and whitespace trimmed (see [`trimmed`]), by span.
type Trims = FxHashMap<Span, Option<Span>>;

impl Scorer {
    /// Groups `suggestions` (all of them, before rejections and annotations are taken out).
    pub fn new(suggestions: &[Suggestion]) -> Self {
        let sources = SuggestionSource::ALL
            .into_iter()
            .map(|source| {
                let own = suggestions
                    .iter()
                    .filter(|s| s.source == source)
                    .map(|s| (s.span, s.tag.clone()));
                (source, ByTag::new(own))
            })
            .filter(|(_, own)| own.count > 0)
            .collect();
        Self {
            sources,
            trims: RefCell::default(),
        }
    }

    /// Each source that made suggestions, in priority order, with its figures against
    /// `annotations` (see the module doc), in `document`: the one the suggestions were made
    /// for.
    pub fn by_source<'a>(
        &self,
        document: &Document,
        annotations: impl IntoIterator<Item = &'a Annotation>,
    ) -> Vec<(SuggestionSource, Score)> {
        let references: Vec<(Span, Tag)> = annotations
            .into_iter()
            .map(|a| (a.span, a.tag.clone()))
            .collect();
        let references = references_by_tag(&references);
        self.sources
            .iter()
            .map(|(source, own)| {
                let score = own.score(document, &references, &mut self.trims.borrow_mut());
                (*source, score)
            })
            .collect()
    }
}

/// References grouped by tag, and how many there are in all.
struct References<'a> {
    by_tag: BTreeMap<&'a Tag, Vec<Span>>,
    count: usize,
}

fn references_by_tag(references: &[(Span, Tag)]) -> References<'_> {
    let mut by_tag: BTreeMap<&Tag, Vec<Span>> = BTreeMap::new();
    for (span, tag) in references {
        by_tag.entry(tag).or_default().push(*span);
    }
    References {
        by_tag,
        count: references.len(),
    }
}

/// Suggested spans by tag, each tag's sorted by start.
struct ByTag {
    by_tag: BTreeMap<Tag, SortedSpans>,
    count: usize,
}

impl ByTag {
    fn new(suggested: impl Iterator<Item = (Span, Tag)>) -> Self {
        let mut by_tag: BTreeMap<Tag, Vec<Span>> = BTreeMap::new();
        let mut count = 0;
        for (span, tag) in suggested {
            by_tag.entry(tag).or_default().push(span);
            count += 1;
        }
        let by_tag = by_tag
            .into_iter()
            .map(|(tag, spans)| (tag, SortedSpans::new(spans)))
            .collect();
        Self { by_tag, count }
    }

    /// The figures of these suggestions against `references`. Only suggestions that touch a
    /// reference of their tag can match one (a trimmed quote lies inside its span), so only
    /// those are matched, and only they and the references they touch are trimmed (trimming
    /// reads the text from the start of the paragraph).
    fn score(&self, document: &Document, references: &References, trims: &mut Trims) -> Score {
        let matched = self
            .by_tag
            .iter()
            .map(|(tag, suggested)| {
                let Some(references) = references.by_tag.get(tag) else {
                    return 0;
                };
                let touched = suggested.touching_any(references);
                if *tag == Tag::Quote {
                    let mut trim = |spans: Vec<Span>| -> Vec<Span> {
                        spans
                            .into_iter()
                            .filter_map(|s| *trims.entry(s).or_insert_with(|| trimmed(document, s)))
                            .collect()
                    };
                    let touching = references
                        .iter()
                        .copied()
                        .filter(|r| suggested.touching(*r).next().is_some())
                        .collect();
                    let (touched, touching) = (trim(touched), trim(touching));
                    exact_matches(touched, touching)
                } else {
                    overlap_matches(touched, references.clone())
                }
            })
            .sum();
        Score {
            suggested: self.count,
            references: references.count,
            matched,
        }
    }
}

/// Spans indexed to find those touching a span by binary search: grouped by length in
/// classes of powers of two, each class sorted by start, so a search looks back only as far
/// as its class's longest span (a single bound would be the longest of all, and with millions
/// of suggestions one long one would make every search scan thousands).
struct SortedSpans {
    spans: Vec<Span>,
    classes: Vec<LengthClass>,
}

/// The spans of one length class, by start: starts, ends and indices into `spans` side by
/// side, so a search reads contiguous starts.
#[derive(Default)]
struct LengthClass {
    max_len: usize,
    starts: Vec<usize>,
    ends: Vec<usize>,
    indices: Vec<usize>,
}

impl SortedSpans {
    fn new(spans: Vec<Span>) -> Self {
        let mut by_class: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (index, span) in spans.iter().enumerate() {
            let len = span.end - span.start;
            by_class
                .entry(usize::BITS - len.leading_zeros())
                .or_default()
                .push(index);
        }
        let classes = by_class
            .into_values()
            .map(|mut indices| {
                indices.sort_unstable_by_key(|&i| spans[i].start);
                LengthClass {
                    max_len: indices
                        .iter()
                        .map(|&i| spans[i].end - spans[i].start)
                        .max()
                        .unwrap_or(0),
                    starts: indices.iter().map(|&i| spans[i].start).collect(),
                    ends: indices.iter().map(|&i| spans[i].end).collect(),
                    indices,
                }
            })
            .collect();
        Self { spans, classes }
    }

    /// The indices of the spans that touch `span` (overlap it, or meet it end to start).
    /// O(c log s + the spans of each class c starting within its longest length before it).
    fn touching(&self, span: Span) -> impl Iterator<Item = usize> + '_ {
        self.classes.iter().flat_map(move |class| {
            let from = class
                .starts
                .partition_point(|&start| start < span.start.saturating_sub(class.max_len));
            let to = class.starts.partition_point(|&start| start <= span.end);
            (from..to)
                .filter(move |&at| class.ends[at] >= span.start)
                .map(move |at| class.indices[at])
        })
    }

    /// The spans that touch at least one of `others`, each once (repeats of a span kept).
    /// O(o c log s + k log k).
    fn touching_any(&self, others: &[Span]) -> Vec<Span> {
        let mut indices: Vec<usize> = others.iter().flat_map(|o| self.touching(*o)).collect();
        indices.sort_unstable();
        indices.dedup();
        indices.into_iter().map(|i| self.spans[i]).collect()
    }
}

/// `span` without quotation marks, punctuation and whitespace at either end; `None` when
/// nothing is left.
fn trimmed(document: &Document, span: Span) -> Option<Span> {
    let text = document.slice(span)?;
    let strip = |c: &char| c.is_whitespace() || is_punctuation(*c);
    let lead = text.chars().take_while(strip).count();
    let trail = text.chars().rev().take_while(strip).count();
    Span::new(span.start + lead, span.end.checked_sub(trail)?)
}

/// How many spans the two lists share, counting repeats (a multiset intersection).
fn exact_matches(mut a: Vec<Span>, mut b: Vec<Span>) -> usize {
    a.sort_unstable();
    b.sort_unstable();
    let (mut i, mut j, mut matched) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                matched += 1;
                i += 1;
                j += 1;
            }
        }
    }
    matched
}

/// The most one-to-one pairs of overlapping spans. Suggestions in order of their end each take
/// the unmatched overlapping reference that ends first: a reference that ends earlier overlaps
/// fewer of the later suggestions, so taking it never costs a pair (the usual exchange
/// argument for intervals). O((s + r) log r).
fn overlap_matches(mut suggested: Vec<Span>, mut references: Vec<Span>) -> usize {
    suggested.sort_unstable_by_key(|s| (s.end, s.start));
    references.sort_unstable_by_key(|r| r.start);
    // (end, index) of the references that start before the current suggestion ends.
    let mut started: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut next = 0;
    let mut matched = 0;
    for suggestion in suggested {
        while next < references.len() && references[next].start < suggestion.end {
            started.insert((references[next].end, next));
            next += 1;
        }
        if let Some(&first) = started.range((suggestion.start + 1, 0)..).next() {
            started.remove(&first);
            matched += 1;
        }
    }
    matched
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize) -> Span {
        Span::new(start, end).unwrap()
    }

    #[test]
    fn quotes_match_once_marks_and_punctuation_are_trimmed() {
        let document = Document::from_raw("He said: “Yes, now.” Then “no”.");
        let suggested = [(span(9, 20), Tag::Quote), (span(26, 30), Tag::Quote)];
        let references = [(span(10, 18), Tag::Quote), (span(27, 28), Tag::Quote)];
        let score = score(&document, &suggested, &references);
        assert_eq!(score.matched, 1);
        assert_eq!(
            (score.precision(), score.recall(), score.f1()),
            (0.5, 0.5, 0.5)
        );
    }

    #[test]
    fn other_tags_match_by_overlap_one_to_one_and_as_many_as_can_be() {
        let document = Document::from_raw(&"x".repeat(40));
        // A greedy match of the long suggestion to the first reference would leave the
        // second suggestion without a partner.
        let suggested = [(span(0, 30), Tag::Condition), (span(2, 4), Tag::Condition)];
        let references = [(span(3, 5), Tag::Condition), (span(20, 25), Tag::Condition)];
        assert_eq!(score(&document, &suggested, &references).matched, 2);
        let one_reference = [(span(3, 5), Tag::Condition)];
        assert_eq!(score(&document, &suggested, &one_reference).matched, 1);
    }

    #[test]
    fn tags_must_agree_and_empty_lists_score_zero() {
        let document = Document::from_raw(&"x".repeat(10));
        let suggested = [(span(0, 5), Tag::Condition)];
        let references = [(span(0, 5), Tag::Claim)];
        assert_eq!(score(&document, &suggested, &references).matched, 0);
        let none = score(&document, &[], &[]);
        assert_eq!(
            (none.precision(), none.recall(), none.f1()),
            (0.0, 0.0, 0.0)
        );
    }

    #[test]
    fn figures_per_source_count_every_reference() {
        let document = Document::from_raw("“Yes,” Reyes said, if asked.");
        let suggestions = [
            Suggestion {
                span: span(1, 5),
                tag: Tag::Quote,
                source: SuggestionSource::Cues,
                speaker: None,
            },
            Suggestion {
                span: span(7, 12),
                tag: Tag::from("source"),
                source: SuggestionSource::Memory,
                speaker: None,
            },
        ];
        let annotations = [
            Annotation::new("q".into(), span(0, 6), Tag::Quote, "t"),
            Annotation::new("c".into(), span(19, 27), Tag::Condition, "t"),
        ];
        let figures = by_source(&document, &suggestions, &annotations);
        assert_eq!(
            figures,
            [
                (
                    SuggestionSource::Memory,
                    Score {
                        suggested: 1,
                        references: 2,
                        matched: 0
                    }
                ),
                (
                    SuggestionSource::Cues,
                    Score {
                        suggested: 1,
                        references: 2,
                        matched: 1
                    }
                ),
            ]
        );
    }
}
