//! Finding a phrase in the document text, for "search, then tag all matches".

use super::{Document, Span};

/// At most this many matches are returned (a search for "e" in a book would be millions).
pub const MAX_MATCHES: usize = 10_000;

impl Document {
    /// The spans (code points) where `needle` occurs, in document order and not overlapping,
    /// inside paragraphs (a match never spans the blank line between two). Unless `match_case`,
    /// letters match whatever their case (`Renée` finds `RENÉE`), compared code point by code
    /// point through their lowercase forms. At most [`MAX_MATCHES`]. O(n·m) in the worst case
    /// for n code points of text and a needle of m, O(n) in practice (a mismatch ends early).
    pub fn find_all(&self, needle: &str, match_case: bool) -> Vec<Span> {
        let needle: Vec<char> = needle.chars().collect();
        if needle.is_empty() {
            return Vec::new();
        }
        let same =
            |a: char, b: char| a == b || (!match_case && a.to_lowercase().eq(b.to_lowercase()));
        let mut found = Vec::new();
        for paragraph in self.paragraphs() {
            let text: Vec<char> = self.paragraph_text(paragraph).chars().collect();
            let mut at = 0;
            while at + needle.len() <= text.len() {
                if text[at..at + needle.len()]
                    .iter()
                    .zip(&needle)
                    .all(|(a, b)| same(*a, *b))
                {
                    let start = paragraph.start + at;
                    found.push(Span {
                        start,
                        end: start + needle.len(),
                    });
                    if found.len() == MAX_MATCHES {
                        return found;
                    }
                    at += needle.len();
                } else {
                    at += 1;
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, needle: &str, match_case: bool) -> Vec<String> {
        let document = Document::from_raw(text);
        document
            .find_all(needle, match_case)
            .into_iter()
            .map(|span| document.slice(span).unwrap().to_owned())
            .collect()
    }

    #[test]
    fn matches_ignore_case_unless_asked_and_count_code_points() {
        let text = "Renée met RENÉE 🌊 and renée.\n\nA second renée.";
        assert_eq!(
            found(text, "renée", false),
            ["Renée", "RENÉE", "renée", "renée"]
        );
        assert_eq!(found(text, "renée", true), ["renée", "renée"]);
        let document = Document::from_raw(text);
        // After the emoji, offsets are code points (Python's), not UTF-16 units.
        let spans = document.find_all("and", true);
        assert_eq!(spans[0].start, text.chars().position(|c| c == 'a').unwrap());
    }

    #[test]
    fn matches_do_not_overlap_or_cross_paragraphs_and_are_capped() {
        assert_eq!(found("aaaa", "aa", true), ["aa", "aa"]);
        assert!(found("one two\n\nthree", "two\n\nthree", true).is_empty());
        assert_eq!(
            found("line one\nline two", "one\nline", true),
            ["one\nline"]
        );
        assert!(found("anything", "", false).is_empty());
        let many = "e ".repeat(MAX_MATCHES + 5);
        assert_eq!(
            Document::from_raw(&many).find_all("e", true).len(),
            MAX_MATCHES
        );
    }
}
