//! Suggestions rejected in a document: a span and tag the user said no to is never suggested
//! there again, by any source. Part of the document's store, so a rejection is an undo step
//! and a stored record like an annotation.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{Span, Tag};

/// The (span, tag) pairs the user rejected in one document: never suggested again there, by
/// any source. Saved with the document (serialised as a list of `[{"start", "end"}, tag]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Rejections(BTreeSet<(Span, Tag)>);

impl Rejections {
    /// Nothing rejected.
    pub fn new() -> Self {
        Self::default()
    }

    /// Rejects a span and tag; false when it already was.
    pub fn reject(&mut self, span: Span, tag: Tag) -> bool {
        self.0.insert((span, tag))
    }

    /// Takes a rejection back (its undo); false when there was none.
    pub fn restore(&mut self, span: Span, tag: &Tag) -> bool {
        self.0.remove(&(span, tag.clone()))
    }

    /// True when the span and tag were rejected.
    pub fn contains(&self, span: Span, tag: &Tag) -> bool {
        self.0.contains(&(span, tag.clone()))
    }

    /// Number of rejections.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when nothing is rejected.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The rejections, in document order of their spans.
    pub fn iter(&self) -> impl Iterator<Item = &(Span, Tag)> {
        self.0.iter()
    }
}

impl FromIterator<(Span, Tag)> for Rejections {
    fn from_iter<I: IntoIterator<Item = (Span, Tag)>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}
