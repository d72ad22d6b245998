//! Conditions: clauses opened by `if`, `unless`, `once`, `provided (that)`, `as long as` /
//! `so long as`, `in case`, `on condition that` (and so `only if`, `even if`, `if and when`).
//!
//! **Span**: from the cue (with the `only` or `even` just before an `if`) to the clause's end:
//! the next `,` `;` `:` or dash, or the end of the sentence, or the closing mark of a quotation
//! that holds the cue, whichever comes first. So the clause-initial `If X, Y` gives `If X` and
//! `Y unless X.` gives `unless X`. A comma between digits (`2,000`) ends nothing; quotation
//! marks inside the clause do not end it (`once inflation was "sustainably" back`).
//!
//! Not conditions, and so left out:
//! - `as if` (a comparison);
//! - `if` after a verb of asking or knowing (`asked if`, `wondered if`, `unclear if`, `declined
//!   to say if`, also with a pronoun between: `asked him if`), and `and if` / `or if` after a
//!   `whether` in the same sentence: an embedded question, not a condition;
//! - the hedges `if any`, `if anything`, `if ever` before punctuation, and `if at all`;
//! - `once` as an adverb: `more than once`, `at once`, `all at once`, `once again`, `once more`,
//!   `once upon`, `once or twice`, `once in a while`, `once a month`, `once every`, `once`
//!   before punctuation, and `once` after a pronoun or a form of `be` / `have` (`it was once a
//!   port`, `he once said`);
//! - `provided` / `providing` as a verb: a condition only before `that`, or after a comma or
//!   at a sentence's start before a subject (`…, provided the labour market cools`);
//! - `for as long as` (a duration) and `as long as` before a number (a length);
//! - `in case of` (a phrase, not a clause).
//!
//! `Even if` is a condition (a concessive one). `Should X, Y` (inversion) is not cued: it
//! needs more than a word to tell from the modal.

use super::{Prose, Word};
use crate::model::Span;

/// Verbs and adjectives after which `if` means "whether".
const WHETHER_WORDS: &[&str] = &[
    "ask",
    "asks",
    "asked",
    "asking",
    "wonder",
    "wonders",
    "wondered",
    "wondering",
    "know",
    "knows",
    "knew",
    "see",
    "sees",
    "saw",
    "check",
    "checks",
    "checked",
    "decide",
    "decides",
    "decided",
    "determine",
    "determined",
    "unclear",
    "clear",
    "sure",
    "doubt",
    "doubtful",
];

/// Verbs after which `if` means "whether" when a negation or `to` comes before them
/// (`declined to say if`, `would not tell if`), and not otherwise (`he said if the talks fail`).
const WHETHER_WHEN_NEGATED: &[&str] = &["say", "says", "said", "tell", "told"];

/// Object pronouns that may stand between a verb and its `if` (`asked him if`).
const OBJECT_PRONOUNS: &[&str] = &["me", "you", "him", "her", "us", "them", "it"];

/// Words before `once` that make it an adverb.
const ONCE_ADVERB_AFTER: &[&str] = &[
    "than", "at", "for", "all", "was", "is", "were", "are", "be", "been", "had", "has", "have",
    "he", "she", "it", "they", "we", "i", "you", "who", "which",
];

/// Words after `once` that make it an adverb.
const ONCE_ADVERB_BEFORE: &[&str] = &[
    "again", "more", "upon", "before", "and", "or", "in", "every", "per",
];

/// Time words: `once a month`.
const TIME_WORDS: &[&str] = &[
    "day",
    "week",
    "month",
    "year",
    "decade",
    "century",
    "while",
    "time",
    "fortnight",
    "quarter",
    "season",
    "generation",
    "lifetime",
];

/// Words that start a subject (a clause after a bare `provided`).
const SUBJECT_STARTERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "it", "he", "she", "they", "we", "i",
    "you", "its", "his", "her", "their", "our", "my", "your", "all", "no", "there", "any", "every",
    "each", "some",
];

/// The conditions of a paragraph, in order (see the module doc). O(n).
pub(super) fn find(prose: &Prose) -> Vec<Span> {
    (0..prose.words.len())
        .filter_map(|w| {
            let (first, last) = prose.condition_cue(w)?;
            let start = prose.words[first].start;
            let end = prose.clause_end(start, prose.words[last].end);
            Span::new(start, end)
        })
        .collect()
}

impl Prose {
    /// When word `w` opens a condition: the condition's first word and the cue's last word.
    fn condition_cue(&self, w: usize) -> Option<(usize, usize)> {
        let word = self.words[w];
        let previous = w.checked_sub(1).filter(|&p| self.adjacent(p));
        let previous_is =
            |list: &[&str]| previous.is_some_and(|p| self.word_in(self.words[p], list));
        let next_are = |words: &[&str]| {
            words.iter().enumerate().all(|(k, expected)| {
                let at = w + 1 + k;
                at < self.words.len()
                    && self.adjacent(at - 1)
                    && self.word_is(self.words[at], expected)
            })
        };
        if self.word_is(word, "if") {
            if previous_is(&["as"]) || self.hedge_after_if(w) || self.embedded_question(w) {
                return None;
            }
            let first = if previous_is(&["even", "only"]) {
                w - 1
            } else {
                w
            };
            return Some((first, w));
        }
        if self.word_is(word, "unless") {
            return Some((w, w));
        }
        if self.word_is(word, "once") {
            return (!self.once_is_adverb(w)).then_some((w, w));
        }
        if self.word_in(word, &["provided", "providing"]) {
            let next = self.next_adjacent(w)?;
            let clause_opens =
                is_clause_gap(self.gap_before(w)) || self.sentence_start(word.start) == word.start;
            let conjunction = self.word_is(self.words[next], "that")
                || (clause_opens && self.word_in(self.words[next], SUBJECT_STARTERS));
            return conjunction.then_some((w, w));
        }
        if self.word_in(word, &["as", "so"]) && next_are(&["long", "as"]) {
            let duration = self.word_is(word, "as") && previous_is(&["for"]);
            let length = self
                .next_adjacent(w + 2)
                .is_some_and(|n| self.number(self.words[n]));
            return (!duration && !length).then_some((w, w + 2));
        }
        if self.word_is(word, "in") && next_are(&["case"]) {
            let phrase = self
                .next_adjacent(w + 1)
                .is_some_and(|n| self.word_is(self.words[n], "of"));
            return (!phrase).then_some((w, w + 1));
        }
        if self.word_is(word, "on") && next_are(&["condition", "that"]) {
            return Some((w, w + 2));
        }
        None
    }

    /// The next word when only spaces separate it from word `w`.
    fn next_adjacent(&self, w: usize) -> Option<usize> {
        (w + 1 < self.words.len() && self.adjacent(w)).then_some(w + 1)
    }

    /// `if any`, `if anything`, `if ever` before punctuation, or `if at all`.
    fn hedge_after_if(&self, w: usize) -> bool {
        let Some(next) = self.next_adjacent(w) else {
            return false;
        };
        let word = self.words[next];
        let at_all = self.word_is(word, "at")
            && self
                .next_adjacent(next)
                .is_some_and(|n| self.word_is(self.words[n], "all"));
        let alone =
            self.word_in(word, &["any", "anything", "ever"]) && self.next_adjacent(next).is_none();
        at_all || alone
    }

    /// True when the `if` at word `w` opens an embedded question (see the module doc).
    fn embedded_question(&self, w: usize) -> bool {
        let Some(mut verb) = w.checked_sub(1) else {
            return false;
        };
        if self.word_in(self.words[verb], OBJECT_PRONOUNS) && verb > 0 {
            verb -= 1;
        }
        let word = self.words[verb];
        if self.word_in(word, WHETHER_WORDS) {
            return true;
        }
        if self.word_in(word, WHETHER_WHEN_NEGATED) && verb > 0 {
            let before = self.words[verb - 1];
            let tail = &self.chars[before.start.max(before.end.saturating_sub(3))..before.end];
            let contracted = matches!(tail, ['n' | 'N', '\'' | '’', 't' | 'T']);
            return self.word_in(before, &["to", "not"]) || contracted;
        }
        let sentence = self.first_word_from(self.sentence_start(self.words[w].start));
        self.word_in(word, &["and", "or"])
            && (sentence..verb).any(|x| self.word_is(self.words[x], "whether"))
    }

    /// True when the `once` at word `w` is an adverb (see the module doc).
    fn once_is_adverb(&self, w: usize) -> bool {
        let after_adverb_word = w
            .checked_sub(1)
            .is_some_and(|p| self.adjacent(p) && self.word_in(self.words[p], ONCE_ADVERB_AFTER));
        let Some(next) = self.next_adjacent(w) else {
            return true;
        };
        let next_word = self.words[next];
        let time = self.word_in(next_word, &["a", "an"])
            && self
                .next_adjacent(next)
                .is_some_and(|t| self.word_in(self.words[t], TIME_WORDS));
        after_adverb_word || time || self.word_in(next_word, ONCE_ADVERB_BEFORE)
    }

    /// True when the word is a number in digits or a small number word.
    fn number(&self, word: Word) -> bool {
        self.chars[word.start].is_ascii_digit()
            || self.word_in(
                word,
                &[
                    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                ],
            )
    }

    /// Where the clause that starts at `start` ends, scanning from `from` (see the module doc):
    /// the offset of its last character plus one, before trailing spaces.
    fn clause_end(&self, start: usize, from: usize) -> usize {
        let sentence_end = self
            .sentence_end_after(from)
            .map_or(self.chars.len(), |e| e.terminal);
        let quote_close = self
            .marks
            .iter()
            .find(|m| m.open < start && m.close.is_some_and(|c| c > start))
            .and_then(|m| m.close)
            .unwrap_or(self.chars.len());
        let limit = sentence_end.min(quote_close).max(from);
        let chars = &self.chars;
        let stop = (from..limit)
            .find(|&i| match chars[i] {
                ',' => {
                    !(i > 0
                        && chars[i - 1].is_ascii_digit()
                        && chars.get(i + 1).is_some_and(char::is_ascii_digit))
                }
                ';' | ':' | '—' | '–' => true,
                '-' => chars[i - 1] == ' ' && chars.get(i + 1) == Some(&' '),
                _ => false,
            })
            .unwrap_or(limit);
        stop - chars[from..stop]
            .iter()
            .rev()
            .take_while(|c| c.is_whitespace())
            .count()
    }
}

/// True when a gap between words holds a comma (or another clause break).
fn is_clause_gap(gap: &[char]) -> bool {
    gap.iter().any(|c| matches!(c, ',' | ';' | ':' | '—' | '–'))
}

#[cfg(test)]
mod tests {
    use super::super::Prose;
    use super::find;

    fn conditions(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        find(&Prose::new(text))
            .into_iter()
            .map(|s| chars[s.start..s.end].iter().collect())
            .collect()
    }

    #[test]
    fn a_clause_initial_condition_ends_at_its_comma_a_final_one_at_the_sentence_end() {
        assert_eq!(
            conditions("If Congress waits until spring, there won’t be anyone left. It could collapse if the House rejects it."),
            ["If Congress waits until spring", "if the House rejects it"]
        );
    }

    #[test]
    fn every_cue() {
        let cases = [
            (
                "They lose it unless they apply for an extension.",
                "unless they apply for an extension",
            ),
            (
                "Once the money arrives, routes return.",
                "Once the money arrives",
            ),
            (
                "It would only begin once the IT systems had been tested.",
                "once the IT systems had been tested",
            ),
            (
                "Grants flow, provided that states match the money.",
                "provided that states match the money",
            ),
            (
                "The first cut could come, provided the labour market cools.",
                "provided the labour market cools",
            ),
            (
                "He will sign it as long as the grants reach rural counties.",
                "as long as the grants reach rural counties",
            ),
            (
                "They are fine so long as nobody asks.",
                "so long as nobody asks",
            ),
            (
                "They kept rations in case the queues returned.",
                "in case the queues returned",
            ),
            (
                "She offered it on condition that lawmakers back the text.",
                "on condition that lawmakers back the text",
            ),
            (
                "He would vote only if it included audits; not otherwise.",
                "only if it included audits",
            ),
            (
                "It will be rescheduled if and when the developer submits a study.",
                "if and when the developer submits a study",
            ),
            (
                "Even if the council approves the plan, nothing happens before 2027.",
                "Even if the council approves the plan",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(conditions(text), [expected], "{text}");
        }
    }

    #[test]
    fn a_condition_inside_a_quote_ends_at_its_closing_mark_and_numbers_keep_their_commas() {
        assert_eq!(
            conditions("“We will take this to court if we have to” she said."),
            ["if we have to"]
        );
        assert_eq!(
            conditions("Fines apply if they earn over 2,000 euros a month — or more."),
            ["if they earn over 2,000 euros a month"]
        );
    }

    #[test]
    fn what_is_not_a_condition() {
        let cases = [
            "He described the meeting as if it were a done deal.",
            "Asked if she had the votes, she smiled.",
            "He declined to say if a narrower version would survive.",
            "She didn’t say if the talks would resume.",
            "They asked him if he would run.",
            "He asked whether it would be used, and if any studies had been done.",
            "Few, if any, lawmakers objected.",
            "It happened more than once and at once.",
            "The stadium would be used once a month.",
            "The port was once a thriving hub.",
            "It is once again delayed.",
            "The money provided by states ran out.",
            "The talks could go on for as long as two years.",
            "Staff left in case of fire.",
            "He spoke on condition of anonymity.",
        ];
        for text in cases {
            assert!(
                conditions(text).is_empty(),
                "{text}: {:?}",
                conditions(text)
            );
        }
    }

    #[test]
    fn said_if_is_still_a_condition() {
        assert_eq!(
            conditions("Reyes said if the House rejects it, the deal is dead."),
            ["if the House rejects it"]
        );
    }
}
