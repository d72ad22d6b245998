//! Direct quotes: words between quotation marks that a speech verb attributes to someone.
//!
//! **Span**: the words inside the marks, without the marks and the whitespace next to them,
//! but with the punctuation inside (`This is not a perfect bill,`), as annotators usually
//! select a quote; compared with the marks' span, only the marks differ.
//!
//! A quotation is a quote when:
//! 1. **a speech verb is next to it**: in the words after it up to the end of its sentence
//!    (within [`VERB_WINDOW`] words: `“…,” she said`, `“…,” said Smith`, `“…,” Smith told
//!    reporters`), or anywhere before it in its sentence (`Macron told reporters: «…»`, and the
//!    partial quote of `said the plan had been ‘chaotic from start to finish’`). Another
//!    quotation bounds both sides, so a quote split by `he said` (“The plan,” he said, “is
//!    dead.”) gives two quotes, both attributed;
//! 2. or it **opens a sentence in a paragraph where another quote is attributed** (“…,” Reyes
//!    said. “We are not doing it again.”): it continues that speaker's words.
//!
//! A **term** is never a quote: at most [`TERM_WORDS`] words ending in a letter or digit and
//! followed directly by a word other than `and`, `or`, `but` (`the “backstop” plan`, `a “soft
//! landing” as`): quotation marks used to mention a phrase rather than report speech. A short
//! quotation with no speech verb in its sentence (a scare quote) fails rule 1 anyway.
//!
//! The **speaker** is the name or description next to the verb: before it (`Senate Majority
//! Leader Carla Whitfield said`, across an apposition or a relative clause between commas:
//! `A White House official, who spoke on condition of anonymity, told`) or, when the verb comes
//! first, after it (`said deputy governor Piet Lindqvist` gives `Piet Lindqvist`). A name is a
//! run of capitalised words (with particles such as `de` or `van` inside); an organisation
//! opens with `The` and may hold `of`, `for`, `and` (`The Department for Business and Trade`);
//! a description is a determiner and up to four words ending in a speaker noun (`a White House
//! official`, `the ministry`). A pronoun is not a speaker (`she said` gives none). A quote that
//! continues another (rule 2) takes the speaker of the nearest attributed quote of its
//! paragraph, the one before it first.

use super::Prose;
use crate::model::Span;

/// How many words after a quote its speech verb may come (`“…,” Senate Majority Leader Carla
/// Whitfield said` is the sixth).
const VERB_WINDOW: usize = 8;

/// A quotation of at most this many words can be a term (see the module doc).
const TERM_WORDS: usize = 3;

/// Verbs that report speech, lower case; `according` counts when `to` follows. Capitalised
/// forms are not counted (a sentence-initial `Asked if…`), nor forms that are mostly nouns in
/// news (`state`, `note`, `stress`, `reply`, `recall`).
const SPEECH_VERBS: &[&str] = &[
    "say",
    "says",
    "said",
    "saying",
    "tell",
    "tells",
    "told",
    "telling",
    "add",
    "adds",
    "added",
    "adding",
    "emphasize",
    "emphasizes",
    "emphasized",
    "emphasise",
    "emphasises",
    "emphasised",
    "ask",
    "asks",
    "asked",
    "stated",
    "explain",
    "explains",
    "explained",
    "insist",
    "insists",
    "insisted",
    "warn",
    "warns",
    "warned",
    "noted",
    "stresses",
    "stressed",
    "argue",
    "argues",
    "argued",
    "declare",
    "declares",
    "declared",
    "replied",
    "writes",
    "wrote",
    "recalled",
    "acknowledged",
    "admitted",
    "conceded",
    "continued",
    "concluded",
    "announced",
    "remarked",
    "tweeted",
    "according",
];

/// Pronouns: a verb's subject but never a speaker.
const PRONOUNS: &[&str] = &[
    "he", "she", "they", "we", "i", "you", "it", "him", "her", "them", "us", "me", "who",
];

/// Words that open a description of a speaker.
const DETERMINERS: &[&str] = &["a", "an", "the", "one", "another"];

/// Nouns that end a description of a speaker (`a White House official`).
const SPEAKER_NOUNS: &[&str] = &[
    "official",
    "officials",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "spokespeople",
    "minister",
    "ministry",
    "government",
    "department",
    "agency",
    "police",
    "commission",
    "council",
    "committee",
    "court",
    "company",
    "firm",
    "bank",
    "lawyer",
    "lawyers",
    "attorney",
    "aide",
    "aides",
    "adviser",
    "advisor",
    "source",
    "sources",
    "analyst",
    "analysts",
    "economist",
    "economists",
    "expert",
    "experts",
    "leader",
    "president",
    "chairman",
    "chairwoman",
    "chair",
    "director",
    "executive",
    "authorities",
    "prosecutor",
    "prosecutors",
    "judge",
    "union",
    "group",
    "party",
    "administration",
    "military",
    "army",
    "regulator",
    "diplomat",
    "diplomats",
    "negotiator",
    "witness",
    "resident",
    "residents",
    "statement",
    "office",
];

/// Lower-case particles inside a name (`Charles de Gaulle`, `Ursula von der Leyen`).
const NAME_PARTICLES: &[&str] = &[
    "de", "da", "del", "della", "di", "du", "la", "le", "van", "von", "der", "den", "bin", "al",
    "el", "ibn",
];

/// Lower-case words inside an organisation's name after `The`.
const ORGANISATION_LINKS: &[&str] = &["of", "for", "and", "on", "the"];

/// Capitalised words that open sentences and clauses but never a name.
const NOT_NAMES: &[&str] = &[
    "a",
    "an",
    "and",
    "but",
    "or",
    "so",
    "yet",
    "then",
    "later",
    "also",
    "still",
    "however",
    "meanwhile",
    "in",
    "on",
    "at",
    "when",
    "after",
    "before",
    "asked",
    "as",
    "if",
    "this",
    "that",
    "these",
    "those",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "while",
    "though",
];

/// Words that open a relative clause or an apposition skipped between a speaker and its verb.
const ASIDE_OPENERS: &[&str] = &["who", "which", "whose", "whom", "where", "a", "an", "the"];

/// Conjunctions that may follow a partial quote (`‘more than once’ and were tired`).
const CONJUNCTIONS: &[&str] = &["and", "or", "but", "nor"];

/// Lower-case words that may come between a verb and the name after it (`said deputy governor
/// Piet Lindqvist`): at most three, none of these.
const NOT_TITLES: &[&str] = &[
    "in", "on", "at", "to", "for", "of", "that", "with", "by", "from", "after", "before", "as",
    "when", "while", "but", "and", "or", "during", "about", "a", "an", "the",
];

/// A quote found in a paragraph: its span and its speaker's, paragraph-relative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Quote {
    pub span: Span,
    pub speaker: Option<Span>,
}

/// What was learnt about one quotation before rule 2 is applied.
#[derive(Debug, Clone, Copy)]
struct Quotation {
    span: Span,
    /// Rule 1 holds: a speech verb is next to it.
    attributed: bool,
    /// It opens its sentence (rule 2 may make it a quote).
    opens_sentence: bool,
    /// A short term in quotation marks, never a quote.
    term: bool,
    /// The speaker next to its verb, when rule 1 holds and one is named.
    speaker: Option<Span>,
}

/// The quotes of a paragraph, in order (see the module doc).
pub(super) fn find(prose: &Prose) -> Vec<Quote> {
    let quotations: Vec<Quotation> = (0..prose.marks.len())
        .filter_map(|index| prose.quotation(index))
        .collect();
    let attributed: Vec<usize> = (0..quotations.len())
        .filter(|&i| quotations[i].attributed)
        .collect();
    quotations
        .iter()
        .enumerate()
        .filter(|(_, q)| !q.term && (q.attributed || (q.opens_sentence && !attributed.is_empty())))
        .map(|(i, q)| {
            let speaker = if q.attributed {
                q.speaker
            } else {
                let before = attributed.iter().rev().find(|&&a| a < i);
                let after = attributed.iter().find(|&&a| a > i);
                before.or(after).and_then(|&a| quotations[a].speaker)
            };
            Quote {
                span: q.span,
                speaker,
            }
        })
        .collect()
}

impl Prose {
    /// The facts about the quotation at `index` of [`Prose::marks`]; `None` when it is blank.
    fn quotation(&self, index: usize) -> Option<Quotation> {
        let marks = self.marks[index];
        let span = self.inside(marks)?;
        let sentence_start = self.sentence_start(marks.open);
        let before_from = index
            .checked_sub(1)
            .and_then(|p| self.marks[p].close)
            .map_or(sentence_start, |close| close.max(sentence_start));
        let before = self.first_word_from(before_from)..self.first_word_from(marks.open);
        let (after, term) = match marks.close {
            Some(close) => {
                let next_open = self.marks.get(index + 1).map(|m| m.open);
                let sentence_end = self.sentence_end_after(close).map(|e| e.terminal);
                let until = [next_open, sentence_end]
                    .into_iter()
                    .flatten()
                    .min()
                    .unwrap_or(self.chars.len());
                let first = self.first_word_from(close);
                let last = self.first_word_from(until).max(first);
                (first..last, self.is_term(span, close))
            }
            None => (0..0, false),
        };
        let verb_after = after
            .clone()
            .take(VERB_WINDOW)
            .find(|&w| self.speech_verb(w));
        let verb_before = before.clone().rev().find(|&w| self.speech_verb(w));
        let speaker = match (verb_after, verb_before) {
            (Some(verb), _) if verb > after.start => self.speaker_before(verb, after.start),
            (Some(verb), _) => self.speaker_after(verb, after.end),
            (None, Some(verb)) if verb > before.start => self.speaker_before(verb, before.start),
            (None, Some(verb)) => self.speaker_after(verb, before.end),
            (None, None) => None,
        };
        Some(Quotation {
            span,
            attributed: verb_after.or(verb_before).is_some(),
            opens_sentence: self.first_word_from(sentence_start) == before.end,
            term: term && self.words_in(span) <= TERM_WORDS,
            speaker,
        })
    }

    /// True when the quotation `span`, closed at `close`, ends in a letter or digit and a word
    /// other than a conjunction follows the mark directly (a term, if it is short).
    fn is_term(&self, span: Span, close: usize) -> bool {
        let ends_in_word = self.chars[span.end - 1].is_alphanumeric();
        let next = self.first_word_from(close + 1);
        let followed_by_word = self.words.get(next).is_some_and(|&word| {
            self.between(close + 1, word.start)
                .iter()
                .all(|c| c.is_whitespace())
                && !self.word_in(word, CONJUNCTIONS)
        });
        ends_in_word && followed_by_word
    }

    /// Number of words inside `span`.
    fn words_in(&self, span: Span) -> usize {
        self.first_word_from(span.end) - self.first_word_from(span.start)
    }

    /// True when word `w` is a speech verb written in lower case (`according` only before
    /// `to`).
    fn speech_verb(&self, w: usize) -> bool {
        let word = self.words[w];
        if self.capitalised(word) || !self.word_in(word, SPEECH_VERBS) {
            return false;
        }
        !self.word_is(word, "according")
            || self
                .words
                .get(w + 1)
                .is_some_and(|&next| self.word_is(next, "to"))
    }

    /// The speaker named just before the verb at word `verb`, looking no further back than
    /// word `first`: the name, organisation or description that ends there, or the one before
    /// an aside between commas (`X, who spoke…, told`). `None` for a pronoun or anything else.
    fn speaker_before(&self, verb: usize, first: usize) -> Option<Span> {
        let last = verb.checked_sub(1).filter(|&l| l >= first)?;
        let gap = self.between(self.words[last].end, self.words[verb].start);
        if gap.iter().all(|c| c.is_whitespace()) {
            return self.noun_phrase_ending_at(last, first);
        }
        if !is_comma_gap(gap) {
            return None;
        }
        // `X, said` (an apposition: `The chair…, Dame Helen Marsh, said`) or `X, aside, said`.
        let aside_start = (first..=last)
            .rev()
            .find(|&w| w == first || is_comma_gap(self.gap_before(w)))?;
        if aside_start > first && !self.word_in(self.words[aside_start], ASIDE_OPENERS) {
            if let Some(name) = self.noun_phrase_ending_at(last, aside_start) {
                return Some(name);
            }
        }
        if aside_start == first {
            return self.noun_phrase_ending_at(last, first);
        }
        self.noun_phrase_ending_at(aside_start - 1, first)
    }

    /// The name, organisation or description that ends at word `last` and starts at or after
    /// word `first`, its words separated by spaces only (see the module doc).
    fn noun_phrase_ending_at(&self, last: usize, first: usize) -> Option<Span> {
        let word = self.words[last];
        if self.word_in(word, PRONOUNS) {
            return None;
        }
        // The run of words before `last` with only spaces between them.
        let run_start = (first..last)
            .rev()
            .find(|&w| !self.adjacent(w))
            .map_or(first, |w| w + 1);
        if self.word_in(word, SPEAKER_NOUNS) && !self.capitalised(word) {
            let determiner = (run_start.max(last.saturating_sub(4))..last)
                .rev()
                .find(|&w| self.word_in(self.words[w], DETERMINERS))?;
            return Some(self.span_of(determiner, last));
        }
        if !self.capitalised(word) {
            return None;
        }
        let organisation = (run_start..last).find(|&w| {
            self.word_is(self.words[w], "the")
                && (w + 1..=last).all(|x| {
                    self.capitalised(self.words[x])
                        || self.word_in(self.words[x], ORGANISATION_LINKS)
                })
        });
        if let Some(the) = organisation {
            return Some(self.span_of(the, last));
        }
        let mut start = last;
        while start > run_start {
            let previous = self.words[start - 1];
            let particle = self.word_in(previous, NAME_PARTICLES) && !self.capitalised(previous);
            if !(self.capitalised(previous) || particle) {
                break;
            }
            start -= 1;
        }
        while start < last
            && (self.word_in(self.words[start], NOT_NAMES) || !self.capitalised(self.words[start]))
        {
            start += 1;
        }
        (!self.word_in(self.words[start], NOT_NAMES)).then(|| self.span_of(start, last))
    }

    /// The speaker named just after the verb at word `verb` (`said Denise Okafor`, `said a
    /// spokesman`, `according to the ministry`), before word `end`.
    fn speaker_after(&self, verb: usize, end: usize) -> Option<Span> {
        let mut next = verb + 1;
        if self.word_is(self.words[verb], "according") {
            next += 1;
        }
        let within = |w: usize| w < end && w < self.words.len() && self.adjacent(w - 1);
        if !within(next) || self.word_in(self.words[next], PRONOUNS) {
            return None;
        }
        if self.word_in(self.words[next], DETERMINERS) && !self.capitalised(self.words[next]) {
            let last = (next + 1..next + 6)
                .take_while(|&w| within(w))
                .find(|&w| self.word_in(self.words[w], SPEAKER_NOUNS))?;
            return Some(self.span_of(next, last));
        }
        let titles = (next..next + 3)
            .take_while(|&w| {
                within(w)
                    && !self.capitalised(self.words[w])
                    && !self.word_in(self.words[w], NOT_TITLES)
            })
            .count();
        let first = next + titles;
        if !within(first) || !self.capitalised(self.words[first]) {
            return None;
        }
        let mut last = first;
        while within(last + 1) {
            let word = self.words[last + 1];
            let particle = self.word_in(word, NAME_PARTICLES) && !self.capitalised(word);
            let name_goes_on = within(last + 2) && self.capitalised(self.words[last + 2]);
            if self.capitalised(word) || (particle && name_goes_on) {
                last += 1;
            } else {
                break;
            }
        }
        Some(self.span_of(first, last))
    }

    /// The span from the start of word `first` to the end of word `last`.
    fn span_of(&self, first: usize, last: usize) -> Span {
        Span {
            start: self.words[first].start,
            end: self.words[last].end,
        }
    }
}

/// True when a gap between words is one comma with spaces around it.
fn is_comma_gap(gap: &[char]) -> bool {
    gap.iter().filter(|&&c| c == ',').count() == 1
        && gap.iter().all(|&c| c == ',' || c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::super::Prose;
    use super::find;

    /// Each quote's text and its speaker's, in order.
    fn quotes(text: &str) -> Vec<(String, Option<String>)> {
        let chars: Vec<char> = text.chars().collect();
        let slice = |s: crate::model::Span| chars[s.start..s.end].iter().collect::<String>();
        find(&Prose::new(text))
            .into_iter()
            .map(|q| (slice(q.span), q.speaker.map(slice)))
            .collect()
    }

    fn one(quote: &str, speaker: Option<&str>) -> (String, Option<String>) {
        (quote.to_owned(), speaker.map(str::to_owned))
    }

    #[test]
    fn verb_after_with_the_name_before_or_after_it() {
        assert_eq!(
            quotes("“This is not a perfect bill,” Senate Majority Leader Carla Whitfield said."),
            [one(
                "This is not a perfect bill,",
                Some("Senate Majority Leader Carla Whitfield")
            )]
        );
        assert_eq!(
            quotes("“Every week, we lose drivers,” said Denise Okafor, who heads the local."),
            [one("Every week, we lose drivers,", Some("Denise Okafor"))]
        );
        assert_eq!(
            quotes("\"Should wages rise, we act,\" said deputy governor Piet Lindqvist."),
            [one("Should wages rise, we act,", Some("Piet Lindqvist"))]
        );
    }

    #[test]
    fn verb_before_across_an_aside_and_a_colon() {
        assert_eq!(
            quotes("A White House official, who spoke on condition of anonymity, told reporters: “The president will sign it.”"),
            [one("The president will sign it.", Some("A White House official"))]
        );
        assert_eq!(
            quotes("Macron told reporters in Marseille: «I would rather be unpopular.»"),
            [one("I would rather be unpopular.", Some("Macron"))]
        );
    }

    #[test]
    fn a_pronoun_is_no_speaker_and_a_quote_split_by_he_said_is_two() {
        assert_eq!(
            quotes("\"The plan,\" he said, \"is not dead. It just isn't ready.\""),
            [
                one("The plan,", None),
                one("is not dead. It just isn't ready.", None)
            ]
        );
    }

    #[test]
    fn a_following_sentence_quote_continues_the_speaker() {
        assert_eq!(
            quotes(
                "“We have written blank checks before,” Reyes said. “We are not doing it again.”"
            ),
            [
                one("We have written blank checks before,", Some("Reyes")),
                one("We are not doing it again.", Some("Reyes"))
            ]
        );
        assert!(quotes("“We are not doing it again.” The vote is Tuesday.").is_empty());
    }

    #[test]
    fn british_single_quotes_with_apostrophes_inside() {
        assert_eq!(
            quotes("‘If ministers don’t set a date, firms will,’ said Gareth Price of the Road Haulage Association."),
            [one("If ministers don’t set a date, firms will,", Some("Gareth Price"))]
        );
    }

    #[test]
    fn partial_quotes_take_the_sentence_subject_and_organisations_open_with_the() {
        assert_eq!(
            quotes(
                "The Department for Business and Trade said the plans would come ‘in due course’."
            ),
            [one(
                "in due course",
                Some("The Department for Business and Trade")
            )]
        );
        assert_eq!(
            quotes("The chair, Dame Helen Marsh, said it had been ‘chaotic from start to finish’."),
            [one(
                "chaotic from start to finish",
                Some("Dame Helen Marsh")
            )]
        );
        assert_eq!(
            quotes("The government insisted it would be ‘simpler than anything before’."),
            [one("simpler than anything before", Some("The government"))]
        );
    }

    #[test]
    fn scare_quotes_and_terms_are_not_quotes() {
        assert!(quotes("The so-called ‘backstop’ arrangements remain in force.").is_empty());
        assert!(quotes("Halvorsen dismissed talk of a \"soft landing\" as premature.").is_empty());
        assert!(quotes("Critics say the \"community benefits\" package is thin.").is_empty());
        assert!(quotes("A move critics call a «democratic denial».").is_empty());
    }

    #[test]
    fn every_speech_verb_of_the_brief_attributes() {
        let verbs = [
            "said",
            "says",
            "told reporters",
            "added",
            "emphasized",
            "emphasised",
            "asked",
            "stated",
            "explained",
            "insisted",
            "warned",
            "noted",
        ];
        for verb in verbs {
            let text = format!("“The deal is off,” Carla Whitfield {verb}.");
            assert_eq!(
                quotes(&text),
                [one("The deal is off,", Some("Carla Whitfield"))],
                "{verb}"
            );
        }
        assert!(quotes("“The deal is off,” Carla Whitfield smiled.").is_empty());
    }

    #[test]
    fn according_to_names_its_source() {
        assert_eq!(
            quotes("“The figures are wrong,” according to the ministry."),
            [one("The figures are wrong,", Some("the ministry"))]
        );
    }
}
