//! Suggestions: spans the user accepts or rejects by key, computed in the tab from three
//! sources, none of which needs a server:
//! - [`patterns`]: the user's spaCy / Prodigy pattern file;
//! - [`memory`]: texts the user already tagged, found again;
//! - the built-in cues for news text (`cues`): quotes with their speakers, and conditions.
//!
//! There is one suggestion per distinct span and tag; when several sources give it, the first
//! of patterns, memory and cues keeps it (a cue's speaker is kept whichever source wins).
//! Offsets are code points, as everywhere.
//!
//! How the UI uses this, without freezing the page on a long document:
//! 1. build one [`Suggester`] from the loaded [`PatternSet`] and the library's [`Memory`];
//! 2. call [`Suggester::suggest_paragraphs`] for the paragraphs in view, then for the rest in
//!    slices between frames. Every source works within a paragraph, so slices are
//!    independent: disjoint ranges never give the same entry, and slices put together in
//!    paragraph order are in document order. (`benches/suggest.rs`: 30 paragraphs take about
//!    2 ms natively with all three sources, 200 paragraphs at most about 20 ms, the
//!    1,000,000-word article under a second; so slices of about 50 paragraphs fit a frame);
//! 3. show what [`retain_open`] keeps: not rejected, not already an annotation
//!    (accepting a suggestion makes it one; undoing that brings the suggestion back);
//! 4. measure each source with [`stats::by_source`] on the whole list *before* step 3, so
//!    accepting and rejecting do not move the figures.

mod cues;
pub mod memory;
pub mod patterns;
pub mod stats;
mod tokens;

use std::ops::Range;

pub use memory::{Memory, Remembered};
pub use patterns::{PatternError, PatternProblem, PatternSet};
pub use stats::Score;

use crate::model::{AnnotationStore, Document, Span, Tag};

/// Where a suggestion comes from. The order is the priority when two give the same one.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum SuggestionSource {
    /// The user's pattern file.
    Patterns,
    /// Texts already tagged in the library.
    Memory,
    /// The built-in cues for news text.
    Cues,
}

impl SuggestionSource {
    /// Every source, in priority order.
    pub const ALL: [SuggestionSource; 3] = [
        SuggestionSource::Patterns,
        SuggestionSource::Memory,
        SuggestionSource::Cues,
    ];

    /// The name in `data-source`.
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionSource::Patterns => "patterns",
            SuggestionSource::Memory => "memory",
            SuggestionSource::Cues => "cues",
        }
    }
}

/// A span the user may accept as an annotation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Suggestion {
    /// Code-point offsets into the document text.
    pub span: Span,
    /// The tag it would have.
    pub tag: Tag,
    /// The source that gave it.
    pub source: SuggestionSource,
    /// For a quote: the span of its named speaker, itself suggested as [`source_tag`], so the
    /// UI can offer an `attributed-to` relation from the quote to it. `None` otherwise.
    pub speaker: Option<Span>,
}

/// The tag of a quote's speaker (the `source` label).
pub fn source_tag() -> Tag {
    Tag::from("source")
}

/// The three sources, ready to suggest on any document.
#[derive(Debug, Clone, Default)]
pub struct Suggester {
    patterns: PatternSet,
    memory: Memory,
}

impl Suggester {
    /// A suggester from a pattern file (empty for none) and the remembered texts.
    pub fn new(patterns: PatternSet, memory: Memory) -> Self {
        Self { patterns, memory }
    }

    /// The suggestions in the paragraphs `paragraphs` (indices into
    /// [`Document::paragraphs`], clamped to them), in document order, one per span and tag.
    /// Nothing is filtered: see [`retain_open`]. O(n) in the paragraphs' text,
    /// plus the matches.
    pub fn suggest_paragraphs(
        &self,
        document: &Document,
        paragraphs: Range<usize>,
    ) -> Vec<Suggestion> {
        let all = document.paragraphs();
        let range = paragraphs.start.min(all.len())..paragraphs.end.min(all.len());
        let mut suggestions = Vec::new();
        for paragraph in &all[range] {
            let text = document.paragraph_text(paragraph);
            let mut found = self.patterns.suggest(text, paragraph.start);
            found.extend(self.memory.suggest(text, paragraph.start));
            found.extend(cues::suggest(text, paragraph.start));
            suggestions.extend(one_per_span_and_tag(found));
        }
        suggestions
    }

    /// The suggestions in the whole document (all paragraphs at once).
    pub fn suggest(&self, document: &Document) -> Vec<Suggestion> {
        self.suggest_paragraphs(document, 0..document.paragraphs().len())
    }
}

/// `found` in document order (by start, longer first, then tag), one per span and tag: the
/// one from the source first in priority, with a speaker from any of them.
fn one_per_span_and_tag(mut found: Vec<Suggestion>) -> Vec<Suggestion> {
    found.sort_by(|a, b| {
        (
            a.span.start,
            std::cmp::Reverse(a.span.end),
            &a.tag,
            a.source,
        )
            .cmp(&(
                b.span.start,
                std::cmp::Reverse(b.span.end),
                &b.tag,
                b.source,
            ))
    });
    let mut kept: Vec<Suggestion> = Vec::with_capacity(found.len());
    for suggestion in found {
        match kept.last_mut() {
            Some(last) if last.span == suggestion.span && last.tag == suggestion.tag => {
                last.speaker = last.speaker.or(suggestion.speaker);
            }
            _ => kept.push(suggestion),
        }
    }
    kept
}

/// Keeps the suggestions still open in `store`'s document: not rejected there, and not
/// already an annotation with the same span and tag. O(s (log r + log a + w)) for s
/// suggestions, r rejections and a annotations (w as for [`crate::model::SpanSet::overlapping`]).
pub fn retain_open(suggestions: &mut Vec<Suggestion>, store: &AnnotationStore) {
    suggestions.retain(|s| {
        let annotated = store
            .spans()
            .overlapping(s.span)
            .filter(|entry| entry.span == s.span)
            .any(|entry| store.get(&entry.id).is_some_and(|a| a.tag == s.tag));
        !annotated && !store.rejections().contains(s.span, &s.tag)
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Annotation, Command};

    const TEXT: &str =
        "“We have written blank checks before,” Reyes said.\n\nReyes left, unless he stayed.";

    fn span(start: usize, end: usize) -> Span {
        Span::new(start, end).unwrap()
    }

    fn suggester() -> Suggester {
        let patterns = PatternSet::parse(r#"{"label": "SOURCE", "pattern": "Reyes"}"#).unwrap();
        let memory = Memory::remember([
            Remembered {
                text: "unless he stayed",
                tag: Tag::Condition,
                span_here: None,
            },
            Remembered {
                text: "We have written blank checks before,",
                tag: Tag::Quote,
                span_here: None,
            },
        ]);
        Suggester::new(patterns, memory)
    }

    fn listed(suggestions: &[Suggestion]) -> Vec<(usize, usize, &str, &str)> {
        suggestions
            .iter()
            .map(|s| (s.span.start, s.span.end, s.tag.as_str(), s.source.as_str()))
            .collect()
    }

    #[test]
    fn one_entry_per_span_and_tag_the_first_source_keeps_it_with_the_cue_speaker() {
        let document = Document::from_raw(TEXT);
        let all = suggester().suggest(&document);
        assert_eq!(
            listed(&all),
            [
                (1, 37, "quote", "memory"),
                (39, 44, "source", "patterns"),
                (52, 57, "source", "patterns"),
                (64, 80, "condition", "memory"),
            ]
        );
        // Memory keeps the quote; the cue's speaker stays with it.
        assert_eq!(all[0].speaker, Some(span(39, 44)));
        assert_eq!(document.slice(span(64, 80)), Some("unless he stayed"));
    }

    #[test]
    fn slices_of_paragraphs_put_together_give_the_whole() {
        let document = Document::from_raw(TEXT);
        let suggester = suggester();
        let mut sliced = suggester.suggest_paragraphs(&document, 1..2);
        sliced.splice(0..0, suggester.suggest_paragraphs(&document, 0..1));
        assert_eq!(sliced, suggester.suggest(&document));
        assert!(suggester.suggest_paragraphs(&document, 5..9).is_empty());
    }

    #[test]
    fn rejected_and_already_annotated_suggestions_are_not_open() {
        let document = Document::from_raw(TEXT);
        let mut all = suggester().suggest(&document);
        let mut store = AnnotationStore::new(document.char_len());
        store
            .apply(Command::Create {
                annotation: Annotation::new("a".into(), span(1, 37), Tag::Quote, "t"),
            })
            .unwrap();
        let reject = Command::Reject {
            span: span(52, 57),
            tag: source_tag(),
        };
        let undo = store.apply(reject.clone()).unwrap().inverse;
        assert!(store.apply(reject).is_err(), "rejected once");
        retain_open(&mut all, &store);
        assert_eq!(
            listed(&all),
            [
                (39, 44, "source", "patterns"),
                (64, 80, "condition", "memory")
            ]
        );
        store.apply(undo).unwrap();
        assert!(store.rejections().is_empty());
    }
}
