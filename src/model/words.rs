//! Snapping a selection to whole words (Unicode word boundaries, UAX #29).

use unicode_segmentation::UnicodeSegmentation;

use super::{Document, Span};

impl Document {
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
        let text = self.slice(Span { start, end })?;
        let leading = text.chars().take_while(|c| c.is_whitespace()).count();
        let trailing = text.chars().rev().take_while(|c| c.is_whitespace()).count();
        Span::new(start + leading, end.saturating_sub(trailing))
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
                let is_word = segment.chars().any(char::is_alphanumeric);
                return is_word.then_some(Span {
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

    #[test]
    fn only_whitespace_snaps_to_nothing() {
        assert_eq!(snapped("a   b", 1, 4), None);
    }
}
