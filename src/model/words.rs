//! Snapping a selection to whole words (Unicode word boundaries, UAX #29).

use unicode_segmentation::UnicodeSegmentation;

use super::{Document, Span};

/// Which end of a span a resize moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanEdge {
    /// The first code point.
    Start,
    /// One past the last code point.
    End,
}

/// True when a UAX #29 word segment is a word: it holds a letter or a digit (spaces and
/// punctuation are segments too). The one definition of a word, shared by snapping a selection
/// and by the units of agreement ([`crate::agree::units`]).
pub fn is_word(segment: &str) -> bool {
    segment.chars().any(char::is_alphanumeric)
}

impl Document {
    /// `span` with one edge moved one step `forward` (towards the end of the text) or back: to
    /// the next word boundary of that kind (a word's start for [`SpanEdge::Start`], a word's end
    /// for [`SpanEdge::End`], words as in [`Document::snap_to_words`], across paragraphs) or, when
    /// `by_word` is false, by one code point. `None` when the span would become empty or no
    /// boundary is left that way. O(L) for the paragraphs searched.
    pub fn step_edge(
        &self,
        span: Span,
        edge: SpanEdge,
        forward: bool,
        by_word: bool,
    ) -> Option<Span> {
        let from = match edge {
            SpanEdge::Start => span.start,
            SpanEdge::End => span.end,
        };
        let to = if by_word {
            self.word_boundary(from, edge, forward)?
        } else if forward {
            Some(from + 1).filter(|to| *to <= self.char_len())?
        } else {
            from.checked_sub(1)?
        };
        let moved = match edge {
            SpanEdge::Start => Span::new(to, span.end),
            SpanEdge::End => Span::new(span.start, to),
        };
        moved.filter(|moved| !moved.is_empty())
    }

    /// `span` with one edge dragged to the boundary `to` (a handle let go there): with
    /// `by_word`, an edge that lands inside a word takes the whole word (as a selection snaps),
    /// and whitespace at the moved edge is trimmed. The other edge stays; `None` when the span
    /// would be empty or turned inside out. O(L) for the paragraph at `to`.
    pub fn drag_edge(&self, span: Span, edge: SpanEdge, to: usize, by_word: bool) -> Option<Span> {
        let to = to.min(self.char_len());
        let moved = match edge {
            SpanEdge::Start => {
                let start = if by_word {
                    self.word_around(to).map_or(to, |word| word.start)
                } else {
                    to
                };
                let text = self.slice(Span::new(start, span.end)?)?;
                let trimmed = text.chars().take_while(|c| c.is_whitespace()).count();
                Span::new(start + if by_word { trimmed } else { 0 }, span.end)
            }
            SpanEdge::End => {
                let end = if by_word {
                    to.checked_sub(1)
                        .and_then(|last| self.word_around(last))
                        .map_or(to, |word| word.end)
                } else {
                    to
                };
                let text = self.slice(Span::new(span.start, end)?)?;
                let trimmed = text.chars().rev().take_while(|c| c.is_whitespace()).count();
                Span::new(span.start, end - if by_word { trimmed } else { 0 })
            }
        };
        moved.filter(|moved| !moved.is_empty())
    }

    /// The nearest word start (or end) strictly after (or before) `offset`.
    fn word_boundary(&self, offset: usize, edge: SpanEdge, forward: bool) -> Option<usize> {
        let paragraphs = self.paragraphs();
        let here = paragraphs.partition_point(|p| p.end < offset);
        let boundary = |word: &Span| match edge {
            SpanEdge::Start => word.start,
            SpanEdge::End => word.end,
        };
        if forward {
            (here..paragraphs.len()).find_map(|index| {
                self.words_of(index)
                    .iter()
                    .map(boundary)
                    .find(|at| *at > offset)
            })
        } else {
            (0..=here.min(paragraphs.len().checked_sub(1)?))
                .rev()
                .find_map(|index| {
                    self.words_of(index)
                        .iter()
                        .map(boundary)
                        .rev()
                        .find(|at| *at < offset)
                })
        }
    }

    /// The word segments of paragraph `index` (those holding a letter or digit), in order.
    fn words_of(&self, index: usize) -> Vec<Span> {
        let paragraph = &self.paragraphs()[index];
        let mut start = paragraph.start;
        let mut words = Vec::new();
        for segment in self.paragraph_text(paragraph).split_word_bounds() {
            let end = start + segment.chars().count();
            if is_word(segment) {
                words.push(Span { start, end });
            }
            start = end;
        }
        words
    }

    /// `span` grown to whole words and trimmed of whitespace at both ends: a start inside a word
    /// moves to that word's start, an end inside a word to its end. A word is a UAX #29 segment
    /// holding a letter or digit (so "can't", "co-financing" parts and "1,640" snap as a user
    /// expects). `None` when only whitespace is left. O(L) for the paragraphs at the two ends.
    pub fn snap_to_words(&self, span: Span) -> Option<Span> {
        let start = self
            .word_around(span.start)
            .map_or(span.start, |word| word.start);
        let end = self
            .word_around(span.end.saturating_sub(1))
            .map_or(span.end, |word| word.end);
        self.trim_spaces(Span { start, end })
    }

    /// `span` without the whitespace (spaces, line breaks) at its ends; `None` when nothing
    /// else is in it. O(length of the span).
    pub fn trim_spaces(&self, span: Span) -> Option<Span> {
        let text = self.slice(span)?;
        let leading = text.chars().take_while(|c| c.is_whitespace()).count();
        let trailing = text.chars().rev().take_while(|c| c.is_whitespace()).count();
        Span::new(span.start + leading, span.end.saturating_sub(trailing)).filter(|s| !s.is_empty())
    }

    /// The word segment that holds the code point at `char_offset`, if that code point is part
    /// of a word.
    fn word_around(&self, char_offset: usize) -> Option<Span> {
        let paragraph = &self.paragraphs()[self.paragraph_index_at(char_offset)?];
        if char_offset < paragraph.start {
            return None; // in the gap between paragraphs
        }
        let mut segment_start = paragraph.start;
        for segment in self.paragraph_text(paragraph).split_word_bounds() {
            let segment_end = segment_start + segment.chars().count();
            if char_offset < segment_end {
                return is_word(segment).then_some(Span {
                    start: segment_start,
                    end: segment_end,
                });
            }
            segment_start = segment_end;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapped(text: &str, start: usize, end: usize) -> Option<String> {
        let document = Document::from_raw(text);
        let span = document.snap_to_words(Span::new(start, end)?)?;
        document.slice(span).map(str::to_owned)
    }

    #[test]
    fn trimming_drops_spaces_and_line_breaks_at_the_ends_only() {
        let document = Document::from_raw("One paragraph.\n\nThe next one.");
        let trimmed = |start, end| document.trim_spaces(Span::new(start, end).unwrap());
        assert_eq!(
            trimmed(0, 16),
            Span::new(0, 14),
            "the blank line after a paragraph"
        );
        assert_eq!(trimmed(3, 8), Span::new(4, 8));
        assert_eq!(trimmed(14, 16), None, "only line breaks");
    }

    #[test]
    fn a_dragged_edge_takes_whole_words_and_never_turns_the_span_inside_out() {
        let document = Document::from_raw("The council will vote next month.");
        let span = Span::new(4, 11).unwrap(); // "council"
        let quote = |span: Option<Span>| span.and_then(|s| document.slice(s)).map(str::to_owned);
        // Let go inside "vote": the end takes the whole word; by code point it stays there.
        assert_eq!(
            quote(document.drag_edge(span, SpanEdge::End, 19, true)),
            Some("council will vote".into())
        );
        assert_eq!(
            quote(document.drag_edge(span, SpanEdge::End, 19, false)),
            Some("council will vo".into())
        );
        // Let go in the space after "will": the space is trimmed.
        assert_eq!(
            quote(document.drag_edge(span, SpanEdge::End, 17, true)),
            Some("council will".into())
        );
        // The start dragged back into "The".
        assert_eq!(
            quote(document.drag_edge(span, SpanEdge::Start, 1, true)),
            Some("The council".into())
        );
        // Past the other edge: refused.
        assert_eq!(document.drag_edge(span, SpanEdge::End, 3, true), None);
        assert_eq!(document.drag_edge(span, SpanEdge::Start, 11, false), None);
        assert_eq!(
            quote(document.drag_edge(span, SpanEdge::End, 999, false)),
            Some("council will vote next month.".into())
        );
    }

    #[test]
    fn a_selection_inside_words_grows_to_whole_words() {
        // "cost 412 million euros": from "ill" of million to "ur" of euros.
        assert_eq!(
            snapped("cost 412 million euros and", 10, 19).as_deref(),
            Some("million euros")
        );
    }

    #[test]
    fn whitespace_at_the_ends_is_trimmed_and_boundaries_stay() {
        assert_eq!(snapped("the  mayor said", 3, 11).as_deref(), Some("mayor"));
        assert_eq!(snapped("the mayor said", 4, 9).as_deref(), Some("mayor"));
    }

    #[test]
    fn accents_combining_marks_and_apostrophes_stay_inside_words() {
        assert_eq!(
            snapped("Mayor Renée Castellanos", 8, 9).as_deref(),
            Some("Renée")
        );
        assert_eq!(
            snapped("the cafe\u{301} opened", 5, 6).as_deref(),
            Some("cafe\u{301}")
        );
        assert_eq!(snapped("we can't go", 4, 5).as_deref(), Some("can't"));
    }

    #[test]
    fn punctuation_and_emoji_are_not_grown_into() {
        assert_eq!(snapped("comment: 🌊.", 9, 10).as_deref(), Some("🌊"));
        assert_eq!(snapped("“If Lisbon", 1, 3).as_deref(), Some("If"));
    }

    fn stepped(
        text: &str,
        quote: &str,
        edge: SpanEdge,
        forward: bool,
        by_word: bool,
    ) -> Option<String> {
        let document = Document::from_raw(text);
        let byte = document.text().find(quote)?;
        let start = document.byte_to_char(byte);
        let span = Span::new(start, start + quote.chars().count())?;
        let moved = document.step_edge(span, edge, forward, by_word)?;
        document.slice(moved).map(str::to_owned)
    }

    #[test]
    fn an_edge_steps_word_by_word_in_both_directions() {
        let text = "the mayor said “we would only decide once conditions were clear”.";
        assert_eq!(
            stepped(text, "would only", SpanEdge::End, true, true).as_deref(),
            Some("would only decide")
        );
        assert_eq!(
            stepped(text, "would only", SpanEdge::End, false, true).as_deref(),
            Some("would")
        );
        assert_eq!(
            stepped(text, "would only", SpanEdge::Start, false, true).as_deref(),
            Some("we would only")
        );
        assert_eq!(
            stepped(text, "would only", SpanEdge::Start, true, true).as_deref(),
            Some("only")
        );
        // Never empty: the last word cannot lose its end.
        assert_eq!(stepped(text, "would", SpanEdge::End, false, true), None);
        assert_eq!(stepped(text, "would", SpanEdge::Start, true, true), None);
        // By code point, with snapping off.
        assert_eq!(
            stepped(text, "would", SpanEdge::End, true, false).as_deref(),
            Some("would ")
        );
        assert_eq!(
            stepped(text, "would", SpanEdge::Start, true, false).as_deref(),
            Some("ould")
        );
    }

    #[test]
    fn an_edge_steps_across_paragraphs_and_stops_at_the_text_ends() {
        let text = "First paragraph ends.\n\nSecond one 🌊 starts.";
        assert_eq!(
            stepped(text, "ends", SpanEdge::End, true, true).as_deref(),
            Some("ends.\n\nSecond")
        );
        assert_eq!(stepped(text, "starts", SpanEdge::End, true, true), None);
        assert_eq!(stepped(text, "First", SpanEdge::Start, false, true), None);
        assert_eq!(stepped(text, "First", SpanEdge::Start, false, false), None);
        assert_eq!(stepped(text, "starts.", SpanEdge::End, true, false), None);
    }

    #[test]
    fn only_whitespace_snaps_to_nothing() {
        assert_eq!(snapped("a   b", 1, 4), None);
    }
}
