//! Suggestions from memory: the texts the user already tagged (in other documents of the
//! library, or elsewhere in this one), suggested with the same tag wherever they occur again.
//!
//! An occurrence counts when it is the same text, case and all, standing as whole words: the
//! character before it and the one after it are not letters or digits when the text itself
//! starts or ends with one (`Reyes` is found in `Reyes,` and `(Reyes)` but not in `Reyeses`).
//! Texts are trimmed of whitespace; texts without a letter or digit (a dash, a quotation mark)
//! are not remembered, since they would be suggested everywhere.
//!
//! An annotation never suggests itself: an occurrence at the very span a text was tagged at in
//! this document is suggested only when the text was also tagged elsewhere (another span, or
//! another document). Without that rule every annotation would "find" itself, and the
//! precision and recall measured against this document's annotations would say nothing.
//!
//! All texts are searched in one pass over each paragraph (Aho–Corasick, overlapping matches):
//! O(n + m) for a paragraph of n bytes and m matches, after an O(total text length) build.

use aho_corasick::AhoCorasick;

use super::{Suggestion, SuggestionSource};
use crate::model::{Span, Tag};

/// One text the user tagged: an annotation's quoted text and tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remembered<'a> {
    /// The annotation's text (`document.slice(span)`).
    pub text: &'a str,
    /// The annotation's tag.
    pub tag: Tag,
    /// The annotation's span when it belongs to the document suggestions are made for; `None`
    /// for an annotation of another document.
    pub span_here: Option<Span>,
}

/// Where one (text, tag) pair was tagged.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Origins {
    tag: Tag,
    /// Tagged in another document.
    elsewhere: bool,
    /// The spans it was tagged at in this document (after trimming).
    here: Vec<Span>,
}

impl Origins {
    /// True when an occurrence at `span` has a source other than an annotation at `span`.
    fn suggests_at(&self, span: Span) -> bool {
        self.elsewhere || self.here.iter().any(|&here| here != span)
    }
}

/// The remembered texts, ready to search.
#[derive(Debug, Clone, Default)]
pub struct Memory {
    searcher: Option<AhoCorasick>,
    /// Per searched text (the searcher's pattern id): its tags and where each came from.
    origins: Vec<Vec<Origins>>,
}

impl Memory {
    /// Remembers nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Remembers every text in `remembered` (see the module doc for what is left out).
    /// O(total text length).
    pub fn remember<'a>(remembered: impl IntoIterator<Item = Remembered<'a>>) -> Self {
        let mut texts: Vec<&str> = Vec::new();
        let mut origins: Vec<Vec<Origins>> = Vec::new();
        let mut index_of: rustc_hash::FxHashMap<&str, usize> = Default::default();
        for Remembered {
            text,
            tag,
            span_here,
        } in remembered
        {
            let trimmed = text.trim();
            if !trimmed.chars().any(char::is_alphanumeric) {
                continue;
            }
            let index = *index_of.entry(trimmed).or_insert_with(|| {
                texts.push(trimmed);
                origins.push(Vec::new());
                texts.len() - 1
            });
            let tags = &mut origins[index];
            let at = match tags.iter().position(|o| o.tag == tag) {
                Some(at) => at,
                None => {
                    tags.push(Origins {
                        tag,
                        elsewhere: false,
                        here: Vec::new(),
                    });
                    tags.len() - 1
                }
            };
            match span_here {
                Some(span) => {
                    let lead = text.len() - text.trim_start().len();
                    let lead_chars = text[..lead].chars().count();
                    let start = span.start + lead_chars;
                    tags[at].here.push(Span {
                        start,
                        end: start + trimmed.chars().count(),
                    });
                }
                None => tags[at].elsewhere = true,
            }
        }
        let searcher = (!texts.is_empty()).then(|| {
            AhoCorasick::new(&texts).expect("a standard automaton of plain texts always builds")
        });
        Self { searcher, origins }
    }

    /// True when nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.searcher.is_none()
    }

    /// Suggestions in one paragraph's `text`, which starts at code point `offset` of the
    /// document.
    pub fn suggest(&self, text: &str, offset: usize) -> Vec<Suggestion> {
        let Some(searcher) = &self.searcher else {
            return Vec::new();
        };
        let mut found: Vec<(usize, usize, usize)> = searcher
            .find_overlapping_iter(text)
            .filter(|m| stands_alone(text, m.start(), m.end()))
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        if found.is_empty() {
            return Vec::new();
        }
        found.sort_unstable();
        let char_at = char_offsets(text);
        let mut suggestions = Vec::new();
        for (start, end, pattern) in found {
            let span = Span {
                start: offset + char_at[start],
                end: offset + char_at[end],
            };
            for origins in &self.origins[pattern] {
                if origins.suggests_at(span) {
                    suggestions.push(Suggestion {
                        span,
                        tag: origins.tag.clone(),
                        source: SuggestionSource::Memory,
                        speaker: None,
                    });
                }
            }
        }
        suggestions
    }
}

/// True when `text[start..end]` does not begin or end inside a word.
fn stands_alone(text: &str, start: usize, end: usize) -> bool {
    let inner = &text[start..end];
    let word_char = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let open = !(word_char(inner.chars().next()) && word_char(text[..start].chars().next_back()));
    let close = !(word_char(inner.chars().next_back()) && word_char(text[end..].chars().next()));
    open && close
}

/// The code-point offset of every UTF-8 byte offset of `text` that is a character boundary
/// (other entries are unused). O(n).
fn char_offsets(text: &str) -> Vec<usize> {
    let mut offsets = vec![0; text.len() + 1];
    let mut chars = 0;
    for (byte, _) in text.char_indices() {
        offsets[byte] = chars;
        chars += 1;
    }
    offsets[text.len()] = chars;
    offsets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elsewhere(text: &str, tag: &str) -> Remembered<'static> {
        Remembered {
            text: Box::leak(text.to_owned().into_boxed_str()),
            tag: Tag::from(tag),
            span_here: None,
        }
    }

    fn found(memory: &Memory, text: &str) -> Vec<(usize, usize, String)> {
        memory
            .suggest(text, 0)
            .into_iter()
            .map(|s| (s.span.start, s.span.end, s.tag.to_string()))
            .collect()
    }

    #[test]
    fn whole_words_only_case_sensitive_and_code_point_offsets() {
        let memory = Memory::remember([elsewhere("Reyes", "source"), elsewhere("élan", "claim")]);
        assert_eq!(
            found(&memory, "Ça: Reyes, (Reyes) Reyeses reyes élan"),
            [
                (4, 9, "source".into()),
                (12, 17, "source".into()),
                (33, 37, "claim".into())
            ]
        );
    }

    #[test]
    fn overlapping_texts_and_several_tags_are_all_suggested() {
        let memory = Memory::remember([
            elsewhere("Thomas Reyes", "source"),
            elsewhere("Reyes", "source"),
            elsewhere("Reyes", "person"),
        ]);
        assert_eq!(
            found(&memory, "Sen. Thomas Reyes"),
            [
                (5, 17, "source".into()),
                (12, 17, "source".into()),
                (12, 17, "person".into())
            ]
        );
    }

    #[test]
    fn an_annotation_never_suggests_itself() {
        let text = "Reyes said. Reyes left.";
        let here = |span: Span| Remembered {
            text: " Reyes",
            tag: Tag::from("source"),
            span_here: Some(span),
        };
        // Tagged with the space before it (11..17): its own span is the trimmed 12..17.
        let own = Memory::remember([here(Span::new(11, 17).unwrap())]);
        assert_eq!(found(&own, text), [(0, 5, "source".into())]);
        let also_elsewhere = Memory::remember([
            here(Span::new(11, 17).unwrap()),
            elsewhere("Reyes", "source"),
        ]);
        assert_eq!(found(&also_elsewhere, text).len(), 2);
    }

    #[test]
    fn texts_without_letters_or_digits_are_not_remembered() {
        let memory = Memory::remember([elsewhere(" — ", "claim"), elsewhere("  ", "claim")]);
        assert!(memory.is_empty());
        assert!(found(&memory, "a — b").is_empty());
    }
}
