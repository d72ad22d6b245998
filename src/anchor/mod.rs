//! Selectors that describe where a span is, and the fallback chain that places them again on a
//! document whose text may differ from the one they were made on.
//!
//! The chain, each step a pure function, stops at the first that succeeds:
//! 1. **Position, checked against the quote**: the recorded offsets, if the text there still
//!    equals the quote (or there is no quote to check against). -> [`Placement::Exact`]
//! 2. **Exact quote with context**: every occurrence of the quote, scored by how many code
//!    points of the recorded prefix and suffix agree with the text around it; the best score
//!    wins, ties broken by distance to the recorded position. A tie that nothing breaks is
//!    ambiguous and becomes an orphan rather than a guess. -> [`Placement::Moved`]
//! 3. Otherwise -> [`Placement::Orphan`]: kept and reported, never put in a wrong place.

use crate::model::{Document, Span};

/// Code points of context recorded on each side of a quote (as the W3C TextQuoteSelector
/// exports of Hypothesis and Recogito do).
pub const CONTEXT_CHARS: usize = 32;

/// The quoted text of a span, with the text just before and after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextQuote {
    /// The span's text.
    pub exact: String,
    /// Up to [`CONTEXT_CHARS`] code points before it.
    pub prefix: String,
    /// Up to [`CONTEXT_CHARS`] code points after it.
    pub suffix: String,
}

/// Everything recorded about where a span was.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selectors {
    /// Code-point offsets in the text the span was made on.
    pub position: Option<Span>,
    /// Its quote and context.
    pub quote: Option<TextQuote>,
}

/// Where a span landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// At its recorded offsets, with its quote there.
    Exact(Span),
    /// Elsewhere: found by its quote.
    Moved(Span),
    /// Nowhere with confidence.
    Orphan,
}

/// The selectors of `span` in `document`: its position and its quote with context.
pub fn describe(document: &Document, span: Span) -> Selectors {
    Selectors {
        position: Some(span),
        quote: document.slice(span).map(|exact| TextQuote {
            exact: exact.to_owned(),
            prefix: document.prefix_before(span.start, CONTEXT_CHARS).to_owned(),
            suffix: document.suffix_after(span.end, CONTEXT_CHARS).to_owned(),
        }),
    }
}

/// Places `selectors` on `document` by the chain in the module doc.
///
/// O(n) in the text for step 2 (one scan for the quote); step 1 is O(log P + L).
pub fn anchor(document: &Document, selectors: &Selectors) -> Placement {
    if let Some(position) = selectors.position {
        let text_there = document.slice(position);
        let fits = match (&selectors.quote, text_there) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(quote), Some(there)) => quote.exact == there,
        };
        if fits {
            return Placement::Exact(position);
        }
    }
    match &selectors.quote {
        Some(quote) => match_quote(document, quote, selectors.position)
            .map_or(Placement::Orphan, Placement::Moved),
        None => Placement::Orphan,
    }
}

/// Places many selectors on one document; the same results as [`anchor`] on each.
pub fn anchor_all(document: &Document, selectors: &[Selectors]) -> Vec<Placement> {
    selectors.iter().map(|s| anchor(document, s)).collect()
}

/// Finds the occurrence of `quote.exact` whose surroundings best agree with its prefix and
/// suffix; `hint` (the recorded position) breaks ties by distance. `None` when the quote does
/// not occur or two occurrences tie with nothing to choose between them.
///
/// Score = common code points of the recorded prefix with the text before the occurrence
/// (compared backwards from the occurrence) + common code points of the recorded suffix with
/// the text after it (compared forwards). Each side counts at most [`CONTEXT_CHARS`].
pub fn match_quote(document: &Document, quote: &TextQuote, hint: Option<Span>) -> Option<Span> {
    if quote.exact.is_empty() {
        return None;
    }
    let text = document.text();
    let exact_len = quote.exact.chars().count();
    let mut best: Option<(usize, usize, Span)> = None; // (score, distance, span)
    let mut tied = false;
    let mut from = 0;
    while let Some(found) = text[from..].find(&quote.exact) {
        let byte_start = from + found;
        let start = document.byte_to_char(byte_start);
        let span = Span {
            start,
            end: start + exact_len,
        };
        let before = document.prefix_before(span.start, CONTEXT_CHARS);
        let after = document.suffix_after(span.end, CONTEXT_CHARS);
        let score =
            common_suffix_chars(&quote.prefix, before) + common_prefix_chars(&quote.suffix, after);
        let distance = hint.map_or(0, |h| h.start.abs_diff(span.start));
        match best {
            Some((best_score, best_distance, _))
                if (score, std::cmp::Reverse(distance))
                    < (best_score, std::cmp::Reverse(best_distance)) => {}
            Some((best_score, best_distance, _))
                if score == best_score && distance == best_distance =>
            {
                tied = true;
            }
            _ => {
                best = Some((score, distance, span));
                tied = false;
            }
        }
        // Next search starts one character later, so overlapping occurrences are found too.
        from = byte_start + text[byte_start..].chars().next().map_or(1, char::len_utf8);
    }
    if tied {
        None
    } else {
        best.map(|(_, _, span)| span)
    }
}

fn common_prefix_chars(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

fn common_suffix_chars(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::from_raw(text)
    }

    #[test]
    fn position_that_still_holds_the_quote_is_exact() {
        let document = doc("The mayor said “no”.");
        let span = Span::new(4, 9).unwrap();
        assert_eq!(
            anchor(&document, &describe(&document, span)),
            Placement::Exact(span)
        );
    }

    #[test]
    fn inserted_text_before_moves_the_span() {
        let original = doc("Rain fell. The mayor said no.");
        let edited = doc("A new opening line.\n\nRain fell. The mayor said no.");
        let span = Span::new(15, 20).unwrap(); // "mayor"
        let placed = anchor(&edited, &describe(&original, span));
        let Placement::Moved(moved) = placed else {
            panic!("expected a move, got {placed:?}")
        };
        assert_eq!(edited.slice(moved), Some("mayor"));
    }

    #[test]
    fn context_chooses_between_repeated_quotes() {
        let original = doc("the cat sat. the dog sat.");
        let span = Span::new(21, 24).unwrap(); // second "sat"
        let edited = doc("Intro. the cat sat. the dog sat.");
        let Placement::Moved(moved) = anchor(&edited, &describe(&original, span)) else {
            panic!("not placed")
        };
        assert_eq!(moved.start, 28);
    }

    #[test]
    fn an_unbreakable_tie_is_an_orphan_not_a_guess() {
        let document = doc("echo echo");
        let selectors = Selectors {
            position: None,
            quote: Some(TextQuote {
                exact: "echo".into(),
                prefix: String::new(),
                suffix: String::new(),
            }),
        };
        assert_eq!(anchor(&document, &selectors), Placement::Orphan);
    }

    #[test]
    fn a_quote_that_is_gone_is_an_orphan() {
        let original = doc("He would only decide once conditions were clear.");
        let edited = doc("He decided.");
        let span = Span::new(3, 20).unwrap();
        assert_eq!(
            anchor(&edited, &describe(&original, span)),
            Placement::Orphan
        );
    }
}
