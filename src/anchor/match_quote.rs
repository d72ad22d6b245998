//! Steps 2 and 3 of the chain: the quote, found exactly or approximately, scored together with
//! its context. Everything here works in UTF-8 byte offsets of the document text; code points
//! appear only at the edges ([`Document::byte_to_char`]) and as the unit of every edit distance.
//! See the module doc of [`super`] for the chain, the scoring and the complexity.

use std::cell::OnceCell;

use super::index::{scan, Occurrences};
use super::myers::{best_anchored, Columns, Pattern};
use super::TextQuote;
use crate::model::{Document, Span};

/// Code points per seed: the pieces of prefix + quote + suffix looked up exactly to find where
/// the quote may be (a typical revision leaves most 12-character pieces intact).
pub const SEED_CHARS: usize = 12;
/// A seed found more often than this says nothing about where the quote is, and is ignored.
pub const SEED_CAP: usize = 64;
/// The most exact occurrences step 2a weighs. Beyond it (a one-letter quote in a 16 MB
/// paragraph has millions) nothing but the recorded position could choose between them, and
/// step 1 already found the position wrong: the annotation is an orphan. This bounds the work
/// per annotation to finding this many occurrences, whatever the text.
pub const MAX_CANDIDATES: usize = 1_000;
/// With fewer code points of context than this on both sides, the selectors count as having
/// no context (the quote alone decides).
pub const MIN_SIDE_CHARS: usize = 8;
/// The evidence a candidate needs to be placed: as much as one whole side of context
/// ([`super::CONTEXT_CHARS`]) agreeing exactly, or an exact quote of that length.
pub const EVIDENCE_NEEDED: usize = 32;

/// The evidence that a recorded string of `chars` code points gives when the text has it with
/// `errors` edits: its length less four per error, never below zero. Four, because an error
/// costs the agreement of the characters around it too: a side with a quarter of its
/// characters wrong proves nothing (it is what a random place seeded by one surviving piece
/// looks like), one with an eighth wrong proves half as much as an intact one.
pub fn evidence(chars: usize, errors: usize) -> usize {
    chars.saturating_sub(4 * errors)
}

/// Quote errors weigh this much more than context errors in a candidate's cost.
pub const QUOTE_ERROR_WEIGHT: usize = 2;
/// The cost of a candidate boundary that cuts a word where the recorded quote's did not (a
/// quote that ended with a whole word should end with a whole word).
pub const WORD_CUT_COST: usize = 2;

/// The most edits (in code points) an approximate match of a quote of `quote_chars` may have:
/// a quarter of its length, so one changed word in a sentence passes and a different sentence
/// does not. Quotes under four code points are only ever matched exactly.
pub fn max_errors(quote_chars: usize) -> usize {
    quote_chars / 4
}

/// A quote with its context, measured and compiled once per annotation.
struct Query<'a> {
    exact: &'a str,
    prefix: &'a str,
    suffix: &'a str,
    quote_chars: usize,
    prefix_chars: usize,
    suffix_chars: usize,
    /// The recorded start, in code points.
    hint: Option<usize>,
    /// The prefix reversed (it is matched backwards from a candidate's start) and the suffix,
    /// compiled on first use (step 2a needs neither).
    prefix_reversed: OnceCell<Pattern>,
    suffix_pattern: OnceCell<Pattern>,
    /// Whether the recorded quote began or ended inside a word.
    starts_mid_word: bool,
    ends_mid_word: bool,
}

/// One place the quote could be, with its errors: `quote` = edit distance between the quote
/// and the text there, `prefix`/`suffix` = edit distance between the recorded context and the
/// text just before/after it (see [`Query::prefix_errors`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Candidate {
    start: usize,
    end: usize,
    quote: usize,
    prefix: usize,
    suffix: usize,
    /// How many of its two boundaries cut a word where the recorded ones did not.
    cuts: usize,
}

impl Candidate {
    fn cost(&self) -> usize {
        QUOTE_ERROR_WEIGHT * self.quote + self.prefix + self.suffix + WORD_CUT_COST * self.cuts
    }

    fn overlaps(&self, other: &Candidate) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Whether the context around a recorded position that still holds the quote (byte range
/// `start..end`) confirms it: recorded prefix and suffix intact there, or
/// [supported](Query::supported) as a candidate of step 2b would be. Without this, a short
/// quote ("a", "the") found at its old offsets after text was inserted before it would be
/// taken for the annotation by coincidence.
pub(crate) fn context_holds(text: &str, quote: &TextQuote, start: usize, end: usize) -> bool {
    if text[..start].ends_with(&quote.prefix) && text[end..].starts_with(&quote.suffix) {
        return true;
    }
    let query = Query::new(quote, None);
    query.supported(&query.score(text, start, end, 0))
}

/// Places `quote` on `document` by steps 2 and 3 of the chain. `None`: an orphan.
pub(crate) fn locate(
    document: &Document,
    search: &dyn Occurrences,
    quote: &TextQuote,
    hint: Option<usize>,
) -> Option<Span> {
    if quote.exact.is_empty() {
        return None;
    }
    let query = Query::new(quote, hint);
    let text = document.text();

    // 2a. The quote with all its context, or the bare quote when none was recorded: every
    // occurrence agrees perfectly, so the nearest to the recorded position wins.
    let whole = format!("{}{}{}", query.prefix, query.exact, query.suffix);
    let hits = search.find_all(&whole, MAX_CANDIDATES)?;
    if !hits.is_empty() {
        let candidates: Vec<Candidate> = hits
            .iter()
            .map(|&at| {
                let start = at + query.prefix.len();
                Candidate {
                    start,
                    end: start + query.exact.len(),
                    quote: 0,
                    prefix: 0,
                    suffix: 0,
                    cuts: 0,
                }
            })
            .collect();
        return match choose(document, &query, candidates) {
            Choice::Best(best) => Some(query.span(document, best)),
            Choice::Tie | Choice::Nothing => None,
        };
    }

    // Without usable context, every exact occurrence of the bare quote is a candidate, ranked
    // by what little context there is, then by distance.
    if query.no_context() {
        let hits = search.find_all(query.exact, MAX_CANDIDATES)?;
        let candidates = hits
            .iter()
            .map(|&at| query.score(text, at, at + query.exact.len(), 0))
            .collect();
        match choose(document, &query, candidates) {
            Choice::Best(best) => return Some(query.span(document, best)),
            Choice::Tie => return None,
            Choice::Nothing => {}
        }
    }

    let regions = regions(document, search, &query);

    // 2b. Exact occurrences of the quote near a seed, ranked by context errors.
    let mut exact = Vec::new();
    for &(from, to) in &regions {
        for at in scan(&text[from..to], query.exact, usize::MAX).unwrap_or_default() {
            exact.push(query.score(text, from + at, from + at + query.exact.len(), 0));
        }
    }
    match choose(document, &query, exact) {
        Choice::Best(best) if query.supported(&best) => return Some(query.span(document, best)),
        Choice::Tie => return None,
        _ => {}
    }

    // 3. Approximate matches near a seed, ranked by quote and context errors together.
    let candidates = approximate(text, &query, &regions);
    match choose(document, &query, candidates) {
        Choice::Best(best) => {
            let best = query.refine(text, best, &Pattern::new(query.exact.chars()));
            query.supported(&best).then(|| query.span(document, best))
        }
        _ => None,
    }
}

impl<'a> Query<'a> {
    fn new(quote: &'a TextQuote, hint: Option<usize>) -> Self {
        Self {
            exact: &quote.exact,
            prefix: &quote.prefix,
            suffix: &quote.suffix,
            quote_chars: quote.exact.chars().count(),
            prefix_chars: quote.prefix.chars().count(),
            suffix_chars: quote.suffix.chars().count(),
            hint,
            prefix_reversed: OnceCell::new(),
            suffix_pattern: OnceCell::new(),
            starts_mid_word: word_char(quote.prefix.chars().next_back())
                && word_char(quote.exact.chars().next()),
            ends_mid_word: word_char(quote.exact.chars().next_back())
                && word_char(quote.suffix.chars().next()),
        }
    }

    /// Errors of the recorded prefix against the text that ends at byte `start`: the edit
    /// distance between the prefix and the best-matching text ending exactly there (so the
    /// prefix must touch the quote; where it begins is free). O(|prefix|) with one word.
    fn prefix_errors(&self, text: &str, start: usize) -> usize {
        let pattern = self
            .prefix_reversed
            .get_or_init(|| Pattern::new(self.prefix.chars().rev()));
        best_anchored(pattern, text[..start].chars().rev(), 2 * self.prefix_chars)
    }

    /// Errors of the recorded suffix against the text that starts at byte `end`.
    fn suffix_errors(&self, text: &str, end: usize) -> usize {
        let pattern = self
            .suffix_pattern
            .get_or_init(|| Pattern::new(self.suffix.chars()));
        best_anchored(pattern, text[end..].chars(), 2 * self.suffix_chars)
    }

    fn score(&self, text: &str, start: usize, end: usize, quote: usize) -> Candidate {
        let cut_start = !self.starts_mid_word && cuts_word(text, start);
        let cut_end = !self.ends_mid_word && cuts_word(text, end);
        Candidate {
            start,
            end,
            quote,
            prefix: self.prefix_errors(text, start),
            suffix: self.suffix_errors(text, end),
            cuts: usize::from(cut_start) + usize::from(cut_end),
        }
    }

    /// Whether too little context was recorded to count as evidence (fewer than
    /// [`MIN_SIDE_CHARS`] code points on each side).
    fn no_context(&self) -> bool {
        self.prefix_chars < MIN_SIDE_CHARS && self.suffix_chars < MIN_SIDE_CHARS
    }

    /// Whether a candidate has enough evidence to be placed rather than orphaned (see
    /// [`evidence`]): at least [`EVIDENCE_NEEDED`]; or, when no usable context was recorded
    /// (under [`MIN_SIDE_CHARS`] on each side), an exact quote, or one of at least 16 code
    /// points with at most an eighth wrong.
    fn supported(&self, candidate: &Candidate) -> bool {
        if self.no_context() {
            return candidate.quote == 0
                || (self.quote_chars >= 16 && candidate.quote * 8 <= self.quote_chars);
        }
        evidence(self.quote_chars, candidate.quote)
            + evidence(self.prefix_chars, candidate.prefix)
            + evidence(self.suffix_chars, candidate.suffix)
            >= EVIDENCE_NEEDED
    }

    /// Moves the boundaries of an approximate match to where its context resumes, when the
    /// match's own edge is damaged: if the last 3 code points of the matched text differ from
    /// the quote's, the end moves to the nearest place (within errors + 8 code points) where
    /// the first 8 code points of the recorded suffix start; the same for the start and the
    /// prefix's last 8. So a word replaced at the quote's edge by a longer or shorter one is
    /// covered whole, as an editor's change would be, while an insertion next to an intact
    /// edge (a comma after the last word) stays outside. Kept only if the quote still matches
    /// within [`max_errors`].
    fn refine(&self, text: &str, candidate: Candidate, forward: &Pattern) -> Candidate {
        let limit = max_errors(self.quote_chars);
        let reach = limit + BOUNDARY_CHARS;
        let edge = |s: &str, from_end: bool| -> String {
            if from_end {
                let skip = s.chars().count().saturating_sub(3);
                s.chars().skip(skip).collect()
            } else {
                s.chars().take(3).collect()
            }
        };
        let nearest =
            |places: Vec<usize>, to: usize| places.into_iter().min_by_key(|&p| p.abs_diff(to));
        let (mut start, mut end) = (candidate.start, candidate.end);
        if edge(&text[start..end], true) != edge(self.exact, true) {
            let head: String = self.suffix.chars().take(BOUNDARY_CHARS).collect();
            if let Some(resumed) = nearest(resumes(text, end, reach, &head, false), end) {
                end = resumed;
            }
        }
        if start < end && edge(&text[start..end], false) != edge(self.exact, false) {
            let skip = self.prefix_chars.saturating_sub(BOUNDARY_CHARS);
            let tail: String = self.prefix.chars().skip(skip).collect();
            if let Some(resumed) = nearest(resumes(text, start, reach, &tail, true), start) {
                start = resumed;
            }
        }
        if (start, end) == (candidate.start, candidate.end) || start >= end {
            return candidate;
        }
        let mut columns = Columns::anchored(forward);
        let quote = text[start..end]
            .chars()
            .fold(columns.score(), |_, c| columns.step(c));
        if quote > limit {
            return candidate;
        }
        self.score(text, start, end, quote)
    }

    fn span(&self, document: &Document, candidate: Candidate) -> Span {
        let start = document.byte_to_char(candidate.start);
        let end = if candidate.quote == 0 {
            start + self.quote_chars
        } else {
            document.byte_to_char(candidate.end)
        };
        Span { start, end }
    }
}

enum Choice {
    Best(Candidate),
    Tie,
    Nothing,
}

/// The candidate with the lowest cost; among equal costs the nearest to the recorded start
/// (code points); among those, if they overlap (the same place with other boundaries), the one
/// with fewer quote errors, then the length nearest the quote's, then the earliest. Two
/// separate places left tied are a [`Choice::Tie`]: nothing says which one was meant.
fn choose(document: &Document, query: &Query<'_>, mut candidates: Vec<Candidate>) -> Choice {
    let Some(lowest) = candidates.iter().map(Candidate::cost).min() else {
        return Choice::Nothing;
    };
    candidates.retain(|c| c.cost() == lowest);
    candidates.sort_by_key(|c| (c.start, c.end));
    candidates.dedup();
    if candidates.len() > 1 {
        if let Some(hint) = query.hint {
            let distance = |c: &Candidate| document.byte_to_char(c.start).abs_diff(hint);
            let nearest = candidates.iter().map(distance).min().unwrap_or(0);
            candidates.retain(|c| distance(c) == nearest);
        }
    }
    let first = candidates[0];
    if candidates.iter().any(|c| !c.overlaps(&first)) {
        return Choice::Tie;
    }
    let length_gap = |c: &Candidate| {
        let chars = document.byte_to_char(c.end) - document.byte_to_char(c.start);
        chars.abs_diff(query.quote_chars)
    };
    candidates
        .into_iter()
        .min_by_key(|c| (c.quote, length_gap(c), c.start))
        .map_or(Choice::Nothing, Choice::Best)
}

/// Byte ranges of the text where the quote may be: around the recorded position, and around
/// every place a seed implies. The seeds are the quote itself (if at least [`SEED_CHARS`] code
/// points) and the consecutive [`SEED_CHARS`]-code-point pieces of prefix + quote + suffix
/// (see [`pieces`]); each occurrence of a seed that
/// occurs at most [`SEED_CAP`] times implies a quote start (its offset in the document minus its
/// offset in the recorded text). Each range reaches a quarter of the quote plus 96 bytes beyond
/// the implied quote on each side, for edits between the seed and the quote. Sorted, merged,
/// on character boundaries. O(s · b) index work for s seeds of bucket size b.
fn regions(
    document: &Document,
    search: &dyn Occurrences,
    query: &Query<'_>,
) -> Vec<(usize, usize)> {
    let text = document.text();
    let quote_offset = query.prefix.len();
    let mut starts = Vec::new();
    if let Some(hint) = query.hint.filter(|&h| h <= document.char_len()) {
        starts.push(document.char_to_byte(hint));
    }
    if query.quote_chars >= SEED_CHARS {
        if let Some(hits) = search.find_all(query.exact, SEED_CAP) {
            starts.extend(hits);
        }
    }
    let whole = format!("{}{}{}", query.prefix, query.exact, query.suffix);
    for (offset, piece) in pieces(&whole) {
        if let Some(hits) = search.find_all(piece, SEED_CAP) {
            starts.extend(
                hits.into_iter()
                    .map(|at| (at + quote_offset).saturating_sub(offset)),
            );
        }
    }
    starts.sort_unstable();
    starts.dedup();
    let slack = query.exact.len() / 4 + 96;
    let mut regions: Vec<(usize, usize)> = Vec::new();
    for start in starts {
        let from = floor_boundary(text, start.saturating_sub(slack));
        let to = ceil_boundary(text, start + query.exact.len() + slack);
        match regions.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => regions.push((from, to)),
        }
    }
    regions
}

/// `text` cut into consecutive pieces of [`SEED_CHARS`] code points (a shorter last piece
/// joins the one before, so every piece but a lone one is long enough for the index), with
/// their byte offsets.
fn pieces(text: &str) -> Vec<(usize, &str)> {
    let cuts: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .step_by(SEED_CHARS)
        .chain(std::iter::once(text.len()))
        .collect();
    let mut pieces: Vec<(usize, &str)> = Vec::new();
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        if from == to {
            continue;
        }
        let short = text[from..to].chars().count() < SEED_CHARS;
        match pieces.last_mut() {
            Some(last) if short => *last = (last.0, &text[last.0..to]),
            _ => pieces.push((from, &text[from..to])),
        }
    }
    pieces
}

/// Approximate matches of the quote (at most [`max_errors`]) that end inside `regions`.
///
/// Per region: one bit-parallel search pass gives, for every end, the fewest errors of a match
/// ending there. In each run of matching ends ("cluster") the ends with at most 2 errors more
/// than the run's best are kept (at most 16); for each, a backward anchored pass over quote
/// length + errors code points gives every start, and the starts with at most 2 errors more
/// than the best are kept (at most 8). Keeping near-best boundaries lets the context decide
/// them: an insertion just outside the quote costs a context error, just inside it a quote
/// error. The winner's boundaries are then [refined](Query::refine).
/// O(R · ⌈m/64⌉ + c · (m + k) · ⌈m/64⌉) for R bytes of regions and c kept ends.
fn approximate(text: &str, query: &Query<'_>, regions: &[(usize, usize)]) -> Vec<Candidate> {
    let limit = max_errors(query.quote_chars);
    if limit == 0 {
        return Vec::new();
    }
    let forward = Pattern::new(query.exact.chars());
    let backward = Pattern::new(query.exact.chars().rev());
    let mut candidates = Vec::new();
    for &(from, to) in regions {
        // (end byte, errors) of every matching end, split into clusters of adjacent ends.
        let mut clusters: Vec<Vec<(usize, usize)>> = Vec::new();
        let mut columns = Columns::search(&forward);
        let mut previous_end = usize::MAX;
        for (i, c) in text[from..to].char_indices() {
            let errors = columns.step(c);
            if errors <= limit {
                let end = from + i + c.len_utf8();
                match clusters.last_mut() {
                    Some(cluster) if previous_end == from + i => cluster.push((end, errors)),
                    _ => clusters.push(vec![(end, errors)]),
                }
                previous_end = end;
            }
        }
        for mut cluster in clusters {
            cluster.sort_by_key(|&(end, e)| (e, end));
            let best = cluster[0].1;
            for &(end, _) in cluster.iter().filter(|&&(_, e)| e <= best + 2).take(16) {
                let mut starts = starts_for(text, end, &backward, limit);
                let best_errors = starts.iter().map(|s| s.1).min().unwrap_or(0);
                starts.retain(|s| s.1 <= best_errors + 2);
                starts.sort_by_key(|&(start, errors)| (errors, std::cmp::Reverse(start)));
                starts.truncate(8);
                for (start, errors) in starts {
                    candidates.push(query.score(text, start, end, errors));
                }
            }
        }
    }
    candidates
}

/// Code points of context whose reappearance marks a quote boundary.
const BOUNDARY_CHARS: usize = 8;

/// Where `needle` (a context head or tail) occurs within `reach` code points of byte `at`:
/// its starts (a quote end), or with `ends` its ends (a quote start). Needles under 3 code
/// points say too little and give nothing.
fn resumes(text: &str, at: usize, reach: usize, needle: &str, ends: bool) -> Vec<usize> {
    if needle.chars().count() < 3 {
        return Vec::new();
    }
    let before = text[..at]
        .char_indices()
        .rev()
        .take(reach)
        .last()
        .map_or(at, |(i, _)| i);
    let after = text[at..]
        .char_indices()
        .nth(reach)
        .map_or(text.len(), |(i, _)| at + i);
    scan(&text[before..after], needle, usize::MAX)
        .unwrap_or_default()
        .into_iter()
        .map(|i| before + i + if ends { needle.len() } else { 0 })
        .collect()
}

/// Every start of a match of the quote that ends at byte `end`, with its errors (at most
/// `limit`), from one backward anchored pass over quote length + `limit` code points.
fn starts_for(text: &str, end: usize, backward: &Pattern, limit: usize) -> Vec<(usize, usize)> {
    let mut columns = Columns::anchored(backward);
    text[..end]
        .char_indices()
        .rev()
        .take(backward.len() + limit)
        .filter_map(|(i, c)| {
            let errors = columns.step(c);
            (errors <= limit).then_some((i, errors))
        })
        .collect()
}

fn word_char(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

/// Whether byte offset `at` falls between two letters or digits.
fn cuts_word(text: &str, at: usize) -> bool {
    word_char(text[..at].chars().next_back()) && word_char(text[at..].chars().next())
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::super::index::Scan;
    use super::*;

    fn quote(exact: &str, prefix: &str, suffix: &str) -> TextQuote {
        TextQuote {
            exact: exact.into(),
            prefix: prefix.into(),
            suffix: suffix.into(),
        }
    }

    fn locate_in(text: &str, q: &TextQuote, hint: Option<usize>) -> Option<String> {
        let document = Document::from_raw(text);
        let scan = Scan {
            text: document.text(),
        };
        locate(&document, &scan, q, hint).map(|span| document.slice(span).unwrap().to_owned())
    }

    #[test]
    fn pieces_cover_the_text_without_a_short_tail() {
        let text = "abcdefghijklmnopqrstuvwxyzé";
        let pieces = pieces(text);
        assert_eq!(pieces.iter().map(|p| p.1).collect::<String>(), text);
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[1].0, 12);
        assert_eq!(super::pieces("abcdefghijklmnopqrs").len(), 1);
    }

    #[test]
    fn full_context_beats_a_closer_bare_quote() {
        let text = "the gate opened. Later the gate opened again and again.";
        let q = quote("gate", "Later the ", " opened again");
        let document = Document::from_raw(text);
        let scan = Scan {
            text: document.text(),
        };
        let span = locate(&document, &scan, &q, Some(4)).unwrap();
        assert_eq!(span, Span::new(27, 31).unwrap());
    }

    #[test]
    fn context_with_an_edit_still_chooses_between_repeats() {
        // Prefix changed by one word: no full-context hit, but the exact quote whose context
        // mostly agrees wins over the one whose context does not.
        let text = "The gate is shut. Officials said the gate stays open in summer.";
        let q = quote("gate", "Officials stated the ", " stays open in summer.");
        assert_eq!(locate_in(text, &q, None).as_deref(), Some("gate"));
    }

    #[test]
    fn a_changed_word_inside_the_quote_is_found_with_its_new_text() {
        let text = "Intro.\n\nThe barrier would cost 420 million euros and take six years.";
        let q = quote(
            "cost 412 million euros and take",
            "The barrier would ",
            " six years.",
        );
        assert_eq!(
            locate_in(text, &q, Some(0)).as_deref(),
            Some("cost 420 million euros and take")
        );
    }

    #[test]
    fn an_insertion_just_outside_the_quote_stays_outside() {
        let text = "He said the debt was too large, and left.";
        let q = quote("the debt was too large", "He said ", " and left.");
        assert_eq!(
            locate_in(text, &q, None).as_deref(),
            Some("the debt was too large")
        );
    }

    #[test]
    fn a_replaced_first_character_stays_inside() {
        let text = "She said: \"We are talking about the ordinary winter.\" Then left.";
        let q = quote(
            "“We are talking about the ordinary winter.”",
            "She said: ",
            " Then left.",
        );
        assert_eq!(
            locate_in(text, &q, None).as_deref(),
            Some("\"We are talking about the ordinary winter.\"")
        );
    }

    #[test]
    fn a_short_quote_whose_context_is_gone_is_an_orphan() {
        let text = "The barrier is costly. Nobody likes the barrier at all, it seems.";
        let q = quote(
            "barrier",
            "Fishing cooperatives fear that the ",
            " will hurt young fish",
        );
        assert_eq!(locate_in(text, &q, Some(4)), None);
    }

    #[test]
    fn a_quote_without_context_is_placed_only_when_unambiguous() {
        let q = quote("tide barrier", "", "");
        assert_eq!(
            locate_in("a movable tide barrier", &q, None).as_deref(),
            Some("tide barrier")
        );
        assert_eq!(locate_in("tide barrier, tide barrier", &q, None), None);
        assert_eq!(
            locate_in("tide barrier, tide barrier", &q, Some(14)).as_deref(),
            Some("tide barrier")
        );
    }
}
