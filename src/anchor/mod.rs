//! Selectors that describe where a span is, and the fallback chain that places them again on a
//! document whose text may differ from the one they were made on (an edited or re-scraped
//! article).
//!
//! Offsets in and out are code points. Inside, the search works on UTF-8 byte offsets of the
//! document text and converts at the edges ([`Document::char_to_byte`] and back, once per
//! placed annotation); every edit distance counts code points.
//!
//! # The chain
//! Each step is a pure function of the document and the selectors; the first that succeeds
//! places the span. m is the quote's length in code points, k = ⌊m/4⌋ the most errors an
//! approximate match may have ([`match_quote::max_errors`]).
//! 1. **Position, checked against the quote and its context**: the recorded offsets, if the
//!    text there equals the quote (or no quote was recorded) and the context there confirms
//!    it: the recorded prefix and suffix intact around it, or enough [evidence](#evidence).
//!    Without the context check, a short quote ("a", "the") would be confirmed by
//!    coincidence after text was inserted before it. -> [`Placement::Exact`].
//! 2. **Exact quote.**
//!    - 2a, *with all its context*: every occurrence of prefix + quote + suffix agrees
//!      perfectly, so the one nearest the recorded start wins; two equally near: orphan. With
//!      no usable context recorded (under 8 code points each side), every occurrence of the
//!      bare quote, ranked by [cost](#cost) then distance. -> [`Placement::Moved`]
//!    - 2b, *with part of its context*: the exact occurrences of the quote inside the
//!      [seeded regions](#seeded-regions-and-speed), ranked by their [cost](#cost) (here only
//!      context errors and word cuts), ties broken by distance to the recorded start; two
//!      separate places still tied: orphan. Placed if the winner has enough
//!      [evidence](#evidence). -> [`Placement::Moved`]
//! 3. **Approximate quote**: matches with at most k errors inside the seeded regions, found
//!    by bit-parallel Myers search (our own, `myers.rs`: it counts code points and handles
//!    patterns longer than a word; the crates that exist count bytes or pull in large trees),
//!    ranked by [cost](#cost) on quote and context together, ties as in 2b. The winner's
//!    boundaries are refined: where its own edge is damaged (a word replaced at the edge of
//!    the quote), the edge moves to where the recorded context resumes, so the span is the
//!    matched text in the new document, never the old length. Placed if it has enough
//!    [evidence](#evidence). -> [`Placement::Moved`]
//! 4. Otherwise -> [`Placement::Orphan`]: kept and reported, never put in a wrong place.
//!
//! A span found by steps 2-3 at the recorded offsets, with the quote there, is reported as
//! [`Placement::Exact`] (step 1 doubted it only because its context changed).
//!
//! ## Cost
//! `cost = 2 × quote errors + prefix errors + suffix errors + 2 × word cuts`, lowest wins.
//! *Prefix errors* are the edit distance between the recorded prefix and the best-matching
//! text that ends exactly at the candidate's start (where it begins is free), *suffix errors*
//! the same after its end; a side that is gone costs its length. A *word cut* is a boundary
//! between two letters where the recorded quote's boundary was not. Position only breaks ties.
//!
//! Hypothesis's `match-quote.ts` ranks by
//! `50 × quote similarity + 20 × prefix + 20 × suffix + 2 × position`, each similarity
//! `1 − errors / length`, and places the best match with up to half the quote wrong. Per code point that also makes the quote weigh about twice its
//! context (50 vs 20 + 20 for a quote as long as a 32-character context), but normalising by
//! length makes the boundary depend on the quote's length: for a quote longer than 80 code
//! points, a comma inserted just after it costs less inside it than outside. Raw errors keep an
//! insertion next to an intact edge outside the quote (one context error) rather than inside
//! (two), whatever the length. And unlike Hypothesis we refuse weak matches (below).
//!
//! ## Evidence
//! A candidate of steps 1 (when its context changed), 2b and 3 is placed only with evidence
//! that it is the annotated text: `evidence(quote) + evidence(prefix) + evidence(suffix) ≥ 32`
//! ([`match_quote::EVIDENCE_NEEDED`], one whole side of context), where a recorded string of
//! n code points with e errors gives `max(0, n − 4e)` ([`match_quote::evidence`]). So one
//! intact side suffices (a paragraph inserted just before the quote destroys the prefix), both
//! sides with an eighth wrong suffice, a long quote suffices alone, but a short quote with
//! unrelated context (its paragraph was deleted and the word occurs elsewhere) does not, nor
//! does a side with a quarter wrong, which is what a random place near one surviving piece of
//! context looks like. Selectors with no usable context (under 8 code points each side, as
//! some W3C files have) are placed on an exact quote, or on an approximate one of at least 16
//! code points with at most an eighth wrong.
//!
//! ## Seeded regions, and speed
//! Steps 2b and 3 look only where the selectors say the quote may be: around the recorded
//! position, and around each place implied by a *seed*: the quote itself (if at least 12 code
//! points) or one of the consecutive 12-code-point pieces of prefix + quote + suffix, found
//! exactly, and at most 64 times ([`match_quote::SEED_CAP`]; a commoner piece says nothing).
//! A typical revision (words changed, punctuation, whitespace, paragraphs added or removed
//! elsewhere) leaves most pieces intact, so the right place is seeded, and a text whose every
//! piece is gone would not have the evidence anyway. This replaces both a window around an
//! extrapolated position (the running offset delta of earlier placements) and a full-text
//! fallback: the regions depend only on the document and the selectors, never on other
//! annotations, so [`anchor_all`] gives exactly the placements of [`anchor`], in any order.
//!
//! Occurrences are found by a scan in [`anchor`] (O(n) per lookup, nothing built) and through a
//! sampled 8-gram index in [`anchor_all`], built once, on the first annotation that leaves
//! step 1 (O(n), about 2 bytes per text byte); a lookup then costs O(|needle| + b), b the
//! entries of the needle's rarest buckets (a handful for text that occurs once). Per
//! annotation, with P paragraphs of at most L code points:
//! - step 1: O(log P + L + m) (plus O(64) Myers steps if its context changed);
//! - step 2a: one lookup of m + 64 code points, O(log P + L) to convert the result;
//! - steps 2b and 3: (m + 64) / 12 + 1 lookups, then O(R · ⌈m/64⌉) Myers steps over the R
//!   code points of the regions (about m + 200 per seed hit), O(m) per kept end to find its
//!   starts, and O(64) per scored candidate.
//!
//! 10,000 annotations on an edited 1,000,000-word (5.8 MB) article take about 0.2 to 0.35 s
//! natively (release profile, `cargo bench --bench anchoring`), of which 0.06 to 0.1 s builds
//! the index; on the unchanged article (step 1 only) about 15 ms.

mod index;
pub mod match_quote;
mod myers;

use index::{GramIndex, Occurrences, Scan};

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

/// Places `selectors` on `document` by the chain in the module doc. Occurrences are found by
/// scanning the text: O(n) per lookup, a few lookups for an annotation that moved; use
/// [`anchor_all`] for many annotations.
pub fn anchor(document: &Document, selectors: &Selectors) -> Placement {
    at_position(document, selectors).unwrap_or_else(|| {
        let scan = Scan {
            text: document.text(),
        };
        by_quote(document, &scan, selectors)
    })
}

/// Places many selectors on one document; exactly the results of [`anchor`] on each, in
/// order. Builds the 4-gram index once, on the first annotation that is not at its recorded
/// position (an unchanged document costs only step 1 per annotation).
pub fn anchor_all(document: &Document, selectors: &[Selectors]) -> Vec<Placement> {
    let mut searcher: Option<Searcher<'_>> = None;
    selectors
        .iter()
        .map(|s| {
            at_position(document, s).unwrap_or_else(|| {
                let search = searcher.get_or_insert_with(|| Searcher::new(document.text()));
                by_quote(document, search.occurrences(), s)
            })
        })
        .collect()
}

/// Finds `quote` on `document` by steps 2 and 3 of the chain (not the position check), `hint`
/// being the recorded position; `None` for an orphan.
pub fn match_quote(document: &Document, quote: &TextQuote, hint: Option<Span>) -> Option<Span> {
    let scan = Scan {
        text: document.text(),
    };
    match_quote::locate(document, &scan, quote, hint.map(|h| h.start))
}

/// Step 1: the recorded position, if the quote (when there is one) is still there and its
/// context confirms it (see [`match_quote::context_holds`]). One code-point conversion:
/// O(log P + L), plus O(m) to compare the quote.
fn at_position(document: &Document, selectors: &Selectors) -> Option<Placement> {
    let position = selectors.position?;
    if position.start >= position.end || position.end > document.char_len() {
        return None;
    }
    let Some(quote) = &selectors.quote else {
        return Some(Placement::Exact(position));
    };
    let text = document.text();
    let start = document.char_to_byte(position.start);
    let end = start + quote.exact.len();
    let fits = text[start..].starts_with(&quote.exact)
        && quote.exact.chars().count() == position.len()
        && match_quote::context_holds(text, quote, start, end);
    fits.then_some(Placement::Exact(position))
}

/// Steps 2 and 3, finding occurrences with `search`.
fn by_quote(document: &Document, search: &dyn Occurrences, selectors: &Selectors) -> Placement {
    let Some(quote) = &selectors.quote else {
        return Placement::Orphan;
    };
    match match_quote::locate(document, search, quote, selectors.position.map(|p| p.start)) {
        // Step 1 doubted the recorded position (its context changed), but the rest of the
        // chain found nothing better: the quote is still there.
        Some(span)
            if Some(span) == selectors.position && document.slice(span) == Some(&quote.exact) =>
        {
            Placement::Exact(span)
        }
        Some(span) => Placement::Moved(span),
        None => Placement::Orphan,
    }
}

/// How [`anchor_all`] finds occurrences: the index, or a scan for a text too long for it.
enum Searcher<'t> {
    Scan(Scan<'t>),
    Index(GramIndex<'t>),
}

impl<'t> Searcher<'t> {
    fn new(text: &'t str) -> Self {
        GramIndex::new(text).map_or(Searcher::Scan(Scan { text }), Searcher::Index)
    }

    fn occurrences(&self) -> &dyn Occurrences {
        match self {
            Searcher::Scan(scan) => scan,
            Searcher::Index(index) => index,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    fn doc(text: &str) -> Document {
        Document::from_raw(text)
    }

    #[test]
    fn a_one_letter_quote_in_a_huge_paragraph_is_placed_by_context_or_orphaned_at_once() {
        // 4 MB of one paragraph in which "a" occurs two million times.
        let text = format!("{}UNIQUE context a here", "a ".repeat(2_000_000));
        let document = doc(&text);
        let at = text.chars().count() - " here".len() - 1;
        let quote_only = Selectors {
            position: None,
            quote: Some(TextQuote {
                exact: "a".into(),
                prefix: String::new(),
                suffix: String::new(),
            }),
        };
        assert_eq!(anchor(&document, &quote_only), Placement::Orphan);
        assert_eq!(anchor_all(&document, &[quote_only]), [Placement::Orphan]);
        let with_context = Selectors {
            position: Some(Span::new(3, 4).unwrap()),
            quote: Some(TextQuote {
                exact: "a".into(),
                prefix: "UNIQUE context ".into(),
                suffix: " here".into(),
            }),
        };
        assert_eq!(
            anchor(&document, &with_context),
            Placement::Moved(Span::new(at, at + 1).unwrap())
        );
    }

    #[test]
    fn a_short_quote_at_its_old_offsets_by_coincidence_is_not_exact() {
        // "a" at offset 10 before; after the insertion another "a" sits at offset 10.
        let original = doc("Rain fell a lot on the quay. The mayor said no.");
        let span = Span::new(10, 11).unwrap();
        let edited = doc("Sun. Then a storm came. Rain fell a lot on the quay. The mayor said no.");
        assert_eq!(edited.slice(span), Some("a"));
        assert_eq!(
            anchor(&edited, &describe(&original, span)),
            Placement::Moved(Span::new(34, 35).unwrap())
        );
    }

    #[test]
    fn a_long_quote_at_its_offsets_is_exact_even_if_its_context_changed() {
        let original = doc("Old intro. The barrier would cost 412 million euros. Old end.");
        let span = Span::new(11, 52).unwrap();
        let edited = doc("New intro. The barrier would cost 412 million euros. New end!");
        assert_eq!(
            anchor(&edited, &describe(&original, span)),
            Placement::Exact(span)
        );
    }

    #[test]
    fn a_position_without_a_quote_is_taken_if_it_fits() {
        let document = doc("short");
        let fits = Selectors {
            position: Span::new(0, 5),
            quote: None,
        };
        let past_the_end = Selectors {
            position: Span::new(2, 9),
            quote: None,
        };
        assert_eq!(
            anchor(&document, &fits),
            Placement::Exact(Span::new(0, 5).unwrap())
        );
        assert_eq!(anchor(&document, &past_the_end), Placement::Orphan);
    }

    #[test]
    fn approximate_match_covers_the_new_text_not_the_old_length() {
        let original = doc("Intro. The council will vote next month on the barrier. End.");
        let span = Span::new(7, 55).unwrap(); // the whole middle sentence
        let edited =
            doc("Intro, longer now. The council will vote next autumn on the barrier. End.");
        let Placement::Moved(moved) = anchor(&edited, &describe(&original, span)) else {
            panic!("not placed")
        };
        assert_eq!(
            edited.slice(moved),
            Some("The council will vote next autumn on the barrier.")
        );
    }

    /// A small random article: words from a tiny vocabulary, so quotes repeat.
    fn article() -> impl Strategy<Value = Vec<&'static str>> {
        prop::collection::vec(
            prop::sample::select(vec![
                "the", "barrier", "said", "Renée", "🌊", "quay", "vote", "a", "of", "council",
                "storm.", "\n\n",
            ]),
            5..120,
        )
    }

    proptest! {
        /// The batch equals the one-at-a-time chain on edited articles, and an exact
        /// placement always holds the quote.
        #[test]
        fn anchor_all_equals_anchor(
            words in article(),
            spans in prop::collection::vec((0usize..120, 1usize..8), 1..12),
            edits in prop::collection::vec((0usize..120, 0usize..3, article()), 0..4),
        ) {
            let original = doc(&words.join(" "));
            let mut edited_words = words.clone();
            for (at, removed, inserted) in &edits {
                let at = (*at).min(edited_words.len());
                let removed = (*removed).min(edited_words.len() - at);
                edited_words.splice(at..at + removed, inserted.iter().take(5).copied());
            }
            let edited = doc(&edited_words.join(" "));
            let selectors: Vec<Selectors> = spans
                .iter()
                .filter_map(|&(start, len)| {
                    let end = (start + len).min(original.char_len());
                    Span::new(start.min(end), end).map(|s| describe(&original, s))
                })
                .collect();
            let batch = anchor_all(&edited, &selectors);
            for (placement, selectors) in batch.iter().zip(&selectors) {
                prop_assert_eq!(*placement, anchor(&edited, selectors));
                if let Placement::Exact(span) = placement {
                    prop_assert_eq!(
                        edited.slice(*span),
                        selectors.quote.as_ref().map(|q| q.exact.as_str())
                    );
                }
            }
        }
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
