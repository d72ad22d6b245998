//! Built-in cues for news text: direct quotes with their speakers ([`quotes`]) and conditional
//! clauses ([`conditions`]). Claims are never suggested by cues: what makes a sentence a
//! checkable claim is too vague for surface cues.
//!
//! Both work on one paragraph at a time, prepared once as a [`Prose`]: its characters, its
//! words, where its sentences end and where its quotations are. All offsets here are code
//! points from the start of the paragraph until [`suggest`] adds the paragraph's offset.
//! O(n) for a paragraph of n code points (the attribution of a quote looks at the words of
//! its own sentence only).

mod conditions;
mod quotes;

use super::{Suggestion, SuggestionSource};
use crate::model::{Span, Tag};

/// The cues' suggestions in one paragraph's `text`, which starts at code point `offset` of the
/// document: quotes (each with its speaker when one is named), the speakers as `source`, and
/// conditions. O(n).
pub fn suggest(text: &str, offset: usize) -> Vec<Suggestion> {
    let prose = Prose::new(text);
    let at = |span: Span| Span {
        start: offset + span.start,
        end: offset + span.end,
    };
    let mut suggestions = Vec::new();
    for quote in quotes::find(&prose) {
        let speaker = quote.speaker.map(at);
        suggestions.push(Suggestion {
            span: at(quote.span),
            tag: Tag::Quote,
            source: SuggestionSource::Cues,
            speaker,
        });
        if let Some(speaker) = speaker {
            suggestions.push(Suggestion {
                span: speaker,
                tag: super::source_tag(),
                source: SuggestionSource::Cues,
                speaker: None,
            });
        }
    }
    suggestions.extend(conditions::find(&prose).into_iter().map(|span| Suggestion {
        span: at(span),
        tag: Tag::Condition,
        source: SuggestionSource::Cues,
        speaker: None,
    }));
    suggestions
}

/// A word: letters and digits, with `'` `’` `-` `.` kept inside when letters or digits follow
/// (`won’t`, `late-night`, `U.S`, `4.5`). Code points, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Word {
    start: usize,
    end: usize,
}

/// The kinds of quotation marks, each closed only by its own closing mark (so quotes of
/// another kind nested inside are part of the quotation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MarkKind {
    /// “…”
    CurlyDouble,
    /// "…"
    Straight,
    /// «…»
    Guillemet,
    /// ‘…’, where a `’` between letters is an apostrophe.
    CurlySingle,
}

/// One quotation: the index of its opening mark and of its closing mark (`None` when the
/// paragraph ends first: a quote that goes on in the next paragraph).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Marks {
    open: usize,
    close: Option<usize>,
}

/// Where a sentence ends: the index of its final `.` `!` `?` or `…`, and the index after the
/// closing quotation marks and brackets that follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SentenceEnd {
    terminal: usize,
    after: usize,
}

/// A paragraph prepared for the cues.
struct Prose {
    chars: Vec<char>,
    words: Vec<Word>,
    sentence_ends: Vec<SentenceEnd>,
    /// The top-level quotations, in order.
    marks: Vec<Marks>,
}

/// Abbreviations whose dot does not end a sentence even before a capital (`Sen. Reyes`).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt", "st",
    "jr", "sr", "rev", "inc", "ltd", "co", "corp", "no", "vs", "mt", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

impl Prose {
    fn new(text: &str) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let words = words(&chars);
        let mut prose = Self {
            chars,
            words,
            sentence_ends: Vec::new(),
            marks: Vec::new(),
        };
        prose.sentence_ends = prose.find_sentence_ends();
        prose.marks = prose.find_marks();
        prose
    }

    /// The word's text compared with `lower` (ASCII case ignored), without allocating.
    fn word_is(&self, word: Word, lower: &str) -> bool {
        let mut chars = self.chars[word.start..word.end].iter();
        lower
            .chars()
            .all(|l| chars.next().is_some_and(|c| c.to_ascii_lowercase() == l))
            && chars.next().is_none()
    }

    /// True when the word is one of `list` (lower case), ignoring ASCII case.
    fn word_in(&self, word: Word, list: &[&str]) -> bool {
        list.iter().any(|item| self.word_is(word, item))
    }

    /// True when the word starts with a capital.
    fn capitalised(&self, word: Word) -> bool {
        self.chars[word.start].is_uppercase()
    }

    /// The characters between two words (or any two offsets).
    fn between(&self, from: usize, to: usize) -> &[char] {
        &self.chars[from.min(to)..to]
    }

    /// True when only spaces separate the words at indices `a` and `a + 1`.
    fn adjacent(&self, a: usize) -> bool {
        let (left, right) = (self.words[a], self.words[a + 1]);
        self.between(left.end, right.start)
            .iter()
            .all(|c| c.is_whitespace())
    }

    /// The characters between word `w` and the word before it.
    fn gap_before(&self, w: usize) -> &[char] {
        let previous_end = w.checked_sub(1).map_or(0, |p| self.words[p].end);
        self.between(previous_end, self.words[w].start)
    }

    /// Index of the first word that starts at or after `offset`.
    fn first_word_from(&self, offset: usize) -> usize {
        self.words.partition_point(|w| w.start < offset)
    }

    /// Where the sentence holding `offset` starts: just after the last sentence end before it.
    fn sentence_start(&self, offset: usize) -> usize {
        let index = self.sentence_ends.partition_point(|e| e.after <= offset);
        index
            .checked_sub(1)
            .map_or(0, |i| self.sentence_ends[i].after)
    }

    /// The first sentence end that is not over at `offset` (its closing marks reach past it).
    fn sentence_end_after(&self, offset: usize) -> Option<SentenceEnd> {
        let index = self.sentence_ends.partition_point(|e| e.after <= offset);
        self.sentence_ends.get(index).copied()
    }

    /// A `.` `!` `?` or `…` ends a sentence when closing marks, whitespace and then a capital,
    /// a digit or an opening quote follow, or the paragraph ends; a dot after an abbreviation,
    /// an initial or a dotted word (`Sen.`, `J.`, `U.S.`) ends one only at the paragraph's end.
    fn find_sentence_ends(&self) -> Vec<SentenceEnd> {
        let chars = &self.chars;
        let mut ends = Vec::new();
        for (terminal, &c) in chars.iter().enumerate() {
            if !matches!(c, '.' | '!' | '?' | '…') {
                continue;
            }
            let mut after = terminal + 1;
            while after < chars.len() && is_closing(chars[after]) {
                after += 1;
            }
            let next = chars[after..].iter().position(|c| !c.is_whitespace());
            let ends_here = match next {
                None => true,
                Some(0) => false,
                Some(skip) => {
                    let next = chars[after + skip];
                    let opens = next.is_uppercase() || next.is_ascii_digit() || is_opening(next);
                    opens && !(c == '.' && self.abbreviation_before(terminal))
                }
            };
            if ends_here
                && ends
                    .last()
                    .is_none_or(|e: &SentenceEnd| e.after <= terminal)
            {
                ends.push(SentenceEnd { terminal, after });
            }
        }
        ends
    }

    /// True when the word just before the dot at `dot` is an abbreviation, an initial, or a
    /// dotted word.
    fn abbreviation_before(&self, dot: usize) -> bool {
        let index = self.words.partition_point(|w| w.end <= dot);
        let Some(word) = index.checked_sub(1).map(|i| self.words[i]) else {
            return false;
        };
        word.end == dot
            && (self.word_in(word, ABBREVIATIONS)
                || (word.end - word.start == 1 && self.capitalised(word))
                || self.dotted(word))
    }

    /// True when the word is letters with dots inside (`U.S`, `e.g`): an abbreviation.
    fn dotted(&self, word: Word) -> bool {
        let chars = &self.chars[word.start..word.end];
        chars.contains(&'.') && chars.iter().all(|&c| c == '.' || c.is_alphabetic())
    }

    /// The top-level quotations (see [`MarkKind`]).
    fn find_marks(&self) -> Vec<Marks> {
        let chars = &self.chars;
        let mut marks = Vec::new();
        let mut open: Option<(usize, MarkKind)> = None;
        for (i, &c) in chars.iter().enumerate() {
            match open {
                None => {
                    let kind = match c {
                        '“' => MarkKind::CurlyDouble,
                        '"' => MarkKind::Straight,
                        '«' => MarkKind::Guillemet,
                        '‘' => MarkKind::CurlySingle,
                        _ => continue,
                    };
                    open = Some((i, kind));
                }
                Some((start, kind)) => {
                    let closes = match kind {
                        MarkKind::CurlyDouble => c == '”',
                        MarkKind::Straight => c == '"',
                        MarkKind::Guillemet => c == '»',
                        MarkKind::CurlySingle => c == '’' && !self.apostrophe(i),
                    };
                    if closes {
                        marks.push(Marks {
                            open: start,
                            close: Some(i),
                        });
                        open = None;
                    }
                }
            }
        }
        if let Some((start, _)) = open {
            marks.push(Marks {
                open: start,
                close: None,
            });
        }
        marks
    }

    /// True when the `’` at `i` is an apostrophe: between letters (`don’t`), or after an `s`
    /// before a lower-case word when a later `’` can close the quote (`the drivers’ union`).
    fn apostrophe(&self, i: usize) -> bool {
        let chars = &self.chars;
        let before = i.checked_sub(1).map(|b| chars[b]);
        let after = chars.get(i + 1).copied();
        if before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric) {
            return true;
        }
        before == Some('s')
            && after == Some(' ')
            && chars.get(i + 2).is_some_and(|c| c.is_lowercase())
            && chars[i + 1..].contains(&'’')
    }

    /// The span of a quotation's words: inside the marks (to the paragraph's end when it is
    /// not closed), without the whitespace at either end. `None` when blank.
    fn inside(&self, marks: Marks) -> Option<Span> {
        let end = marks.close.unwrap_or(self.chars.len());
        let inner = &self.chars[marks.open + 1..end];
        let lead = inner.iter().take_while(|c| c.is_whitespace()).count();
        let trail = inner.iter().rev().take_while(|c| c.is_whitespace()).count();
        Span::new(marks.open + 1 + lead, end - trail)
    }
}

/// The words of a paragraph (see [`Word`]). O(n).
fn words(chars: &[char]) -> Vec<Word> {
    let mut words = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        loop {
            while i < chars.len() && chars[i].is_alphanumeric() {
                i += 1;
            }
            let joins = i + 1 < chars.len()
                && matches!(chars[i], '\'' | '’' | '-' | '‐' | '.')
                && chars[i + 1].is_alphanumeric();
            if !joins {
                break;
            }
            i += 1;
        }
        words.push(Word { start, end: i });
    }
    words
}

/// Marks that close a quotation or a bracket.
fn is_closing(c: char) -> bool {
    matches!(c, '”' | '’' | '"' | '»' | ')' | ']' | '\'')
}

/// Marks that open a quotation or a bracket.
fn is_opening(c: char) -> bool {
    matches!(c, '“' | '‘' | '"' | '«' | '(' | '[' | '\'')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_at_terminal_marks_but_not_after_abbreviations_or_initials() {
        let prose = Prose::new("Sen. J. Reyes of the U.S. said 4.5. “Yes.” Then no.");
        let terminals: Vec<usize> = prose.sentence_ends.iter().map(|e| e.terminal).collect();
        let text: Vec<char> = "Sen. J. Reyes of the U.S. said 4.5. “Yes.” Then no."
            .chars()
            .collect();
        assert_eq!(terminals.len(), 3);
        assert_eq!(text[terminals[0] - 3..terminals[0]], ['4', '.', '5']);
        assert_eq!(text[prose.sentence_ends[1].after - 1], '”');
    }

    #[test]
    fn quotation_marks_pair_by_kind_and_apostrophes_do_not_close() {
        let prose = Prose::new("‘We don’t,’ she said of the drivers’ union. «Non» and \"x ‘y’ z");
        let spans: Vec<(usize, Option<usize>)> =
            prose.marks.iter().map(|m| (m.open, m.close)).collect();
        assert_eq!(spans, [(0, Some(10)), (44, Some(48)), (54, None)]);
    }

    #[test]
    fn the_inside_of_guillemets_leaves_out_their_spaces() {
        let prose = Prose::new("« Non »");
        assert_eq!(prose.inside(prose.marks[0]), Span::new(2, 5));
    }
}
