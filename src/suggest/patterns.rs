//! Pattern files as spaCy's EntityRuler and Prodigy read them (`patterns.jsonl`), matched on
//! tokens made as spaCy's English tokenizer makes them: split at whitespace, then punctuation
//! split off both ends (`“(` … `),”`), clitics apart (`Labour`, `’s`; `do`, `n't`), hyphens
//! between letters apart (`late`, `-`, `night`), abbreviations and initials whole (`Sen.`,
//! `U.S.`, `J.`); the private `tokens` module has the rules and what they approximate.
//!
//! Each non-blank line is `{"label": "ORG", "pattern": "Apple"}` (a phrase, tokenised like the
//! text and matched on `ORTH`) or `{"label": "GPE", "pattern": [{"LOWER": "san"}, {"LOWER":
//! "francisco"}]}` (one dict per token). A token dict may test `ORTH` / `TEXT` (the same here),
//! `LOWER` (a string, or `{"IN": [...]}`), `IS_DIGIT`, `IS_PUNCT`, `LIKE_NUM` (booleans), all
//! of which must hold (`{}` matches any token), and carry `OP`: `?` (0 or 1), `*` (0 or more),
//! `+` (1 or more) or `!` (one token that fails the tests). Other top-level fields (`id`) are
//! ignored; any other token key is refused, since ignoring it would match what the author
//! meant to exclude. A file with one bad line is refused whole, the error naming the line
//! (1-based) and the problem.
//!
//! A label becomes the tag of the same name in lower case, as the spaCy import reads labels
//! (`ORG` → `org`, `QUOTE` → `quote`).
//!
//! Matches, as the EntityRuler keeps them: for each label, longer matches first, then earlier
//! ones, each kept when it overlaps none kept before. (The EntityRuler also drops overlaps
//! across labels, since a spaCy entity has one label; Marginalia's spans may overlap, so only
//! matches of one label compete.) Matches never cross a paragraph.
//!
//! Cost: patterns are indexed by the literal texts their first token can have (those of every
//! token that can come first, past optional ones), so a token only tries the patterns that can
//! start on it, plus those that can start anywhere (a first token tested only by `IS_DIGIT`,
//! `LIKE_NUM` or `IS_PUNCT`, or `!`); each try is an NFA run over at most 127 pattern tokens
//! held in the bits of a `u128`, stopped as soon as no state is alive. Tokenising, and each
//! token's attributes (read only when a test asks), are O(n). A pattern that can start
//! anywhere and then take any number of tokens (`[{"OP": "*"}, …]`) tries from every token to
//! the paragraph's end: O(n²) in a paragraph's tokens, as in spaCy.

use rustc_hash::FxHashMap;
use serde_json::{Map, Value};

use std::borrow::Cow;
use std::cell::OnceCell;

use super::tokens::{is_punctuation, lower, tokenize, Token};
use super::{Suggestion, SuggestionSource};
use crate::model::{Span, Tag};

/// The most tokens a pattern may have after `+` is expanded (the NFA's states, one per token
/// plus the final one, are the bits of a `u128`).
pub const MAX_PATTERN_TOKENS: usize = 127;

/// A line of a pattern file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct PatternError {
    /// 1-based line of the file.
    pub line: usize,
    /// What is wrong on it.
    pub problem: PatternProblem,
}

/// What is wrong with one line of a pattern file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternProblem {
    /// The line is not JSON, or not a JSON object.
    #[error("not a JSON object ({0})")]
    NotAnObject(String),
    /// `label` is missing, not a string, or empty.
    #[error("`label` must be a non-empty string")]
    Label,
    /// `pattern` is missing or neither a string nor a list of token dicts.
    #[error("`pattern` must be a phrase (a string) or a list of token dicts")]
    Pattern,
    /// The phrase or the token list is empty.
    #[error("the pattern is empty")]
    Empty,
    /// Token `token` (1-based) is not a dict.
    #[error("token {token} is not a dict")]
    NotADict {
        /// 1-based position in the pattern.
        token: usize,
    },
    /// A token key this matcher does not read.
    #[error(
        "token {token}: unsupported key `{key}` (supported: ORTH, TEXT, LOWER, IS_DIGIT, \
         IS_PUNCT, LIKE_NUM, OP)"
    )]
    UnsupportedKey {
        /// 1-based position in the pattern.
        token: usize,
        /// The key as written.
        key: String,
    },
    /// A supported key with a value of the wrong kind.
    #[error("token {token}: `{key}` must be {expected}")]
    Value {
        /// 1-based position in the pattern.
        token: usize,
        /// The key as written.
        key: String,
        /// What it must be.
        expected: &'static str,
    },
    /// An `OP` other than `?`, `*`, `+` and `!`.
    #[error("token {token}: unsupported OP `{op}` (supported: ?, *, +, !)")]
    Op {
        /// 1-based position in the pattern.
        token: usize,
        /// The operator as written.
        op: String,
    },
    /// More tokens than [`MAX_PATTERN_TOKENS`].
    #[error("the pattern has more than {MAX_PATTERN_TOKENS} tokens")]
    TooLong,
}

/// Which form of a token a text test compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextAttr {
    /// `ORTH` or `TEXT`: the token as written.
    Orth,
    /// `LOWER`: the token in lower case.
    Lower,
}

/// One test of a token dict.
#[derive(Debug, Clone, PartialEq)]
enum Test {
    /// The token's form is one of these strings (one for a plain string value).
    Text(TextAttr, Vec<Box<str>>),
    /// `IS_DIGIT`: every character is an ASCII digit (Python's `isdigit` also takes other
    /// scripts' digits).
    IsDigit(bool),
    /// `IS_PUNCT`: every character is punctuation.
    IsPunct(bool),
    /// `LIKE_NUM`: a number in digits (`10,000`, `4.5`, `-3`, `1/2`) or words (`ten`, `third`).
    LikeNum(bool),
}

/// How many tokens one pattern element takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// Exactly one that passes.
    One,
    /// Zero or one (`?`).
    Optional,
    /// Zero or more (`*`; `+` is compiled as one, then zero or more).
    Star,
    /// Exactly one that fails (`!`).
    Not,
}

#[derive(Debug, Clone, PartialEq)]
struct Element {
    tests: Vec<Test>,
    op: Op,
}

#[derive(Debug, Clone, PartialEq)]
struct Pattern {
    /// Index into [`PatternSet::tags`].
    tag: usize,
    elements: Vec<Element>,
    /// Bit `i` is set when element `i` may match no token (`?` or `*`).
    skippable: u128,
}

/// A parsed pattern file, indexed for matching.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PatternSet {
    tags: Vec<Tag>,
    patterns: Vec<Pattern>,
    /// Patterns whose first token must have one of a few `ORTH` values, by value.
    by_orth: FxHashMap<Box<str>, Vec<usize>>,
    /// Patterns whose first token must have one of a few `LOWER` values, by value.
    by_lower: FxHashMap<Box<str>, Vec<usize>>,
    /// Patterns tried on every token (the first token is optional or not a literal).
    unanchored: Vec<usize>,
}

impl PatternSet {
    /// No patterns: matches nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads a `patterns.jsonl` file (see the module doc); refused whole at its first bad line.
    pub fn parse(jsonl: &str) -> Result<Self, PatternError> {
        let mut set = Self::new();
        for (index, line) in jsonl.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let (label, elements) = parse_line(line).map_err(|problem| PatternError {
                line: index + 1,
                problem,
            })?;
            set.add(Tag::from(label.to_lowercase()), elements);
        }
        Ok(set)
    }

    /// The number of patterns in a file [`Self::parse`] accepted, without parsing it again:
    /// one per line that is not blank. O(file).
    pub fn count(jsonl: &str) -> usize {
        jsonl.lines().filter(|line| !line.trim().is_empty()).count()
    }

    /// Number of patterns.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// True when there is no pattern.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    fn add(&mut self, tag: Tag, elements: Vec<Element>) {
        let tag = match self.tags.iter().position(|t| *t == tag) {
            Some(index) => index,
            None => {
                self.tags.push(tag);
                self.tags.len() - 1
            }
        };
        let index = self.patterns.len();
        let skippable = elements
            .iter()
            .enumerate()
            .filter(|(_, e)| matches!(e.op, Op::Optional | Op::Star))
            .fold(0u128, |mask, (i, _)| mask | 1 << i);
        let pattern = Pattern {
            tag,
            elements,
            skippable,
        };
        match pattern.first_texts() {
            Some(anchors) => {
                for (attr, value) in anchors {
                    let index_map = match attr {
                        TextAttr::Orth => &mut self.by_orth,
                        TextAttr::Lower => &mut self.by_lower,
                    };
                    let entry = index_map.entry(value.into()).or_default();
                    if entry.last() != Some(&index) {
                        entry.push(index);
                    }
                }
            }
            None => self.unanchored.push(index),
        }
        self.patterns.push(pattern);
    }

    /// Suggestions in one paragraph's `text`, which starts at code point `offset` of the
    /// document: for each label, the longest non-overlapping matches (see the module doc).
    pub fn suggest(&self, text: &str, offset: usize) -> Vec<Suggestion> {
        if self.patterns.is_empty() {
            return Vec::new();
        }
        let tokens: Vec<Read<'_>> = tokenize(text).into_iter().map(Read::new).collect();
        // (tag, start token, end token), every match of every pattern.
        let mut matches: Vec<(usize, usize, usize)> = Vec::new();
        let mut ends = Vec::new();
        for (start, read) in tokens.iter().enumerate() {
            let anchored = [
                self.by_orth.get(read.token.text),
                (!self.by_lower.is_empty())
                    .then(|| self.by_lower.get(read.lower()))
                    .flatten(),
            ];
            let candidates = anchored
                .into_iter()
                .flatten()
                .flatten()
                .chain(&self.unanchored);
            for &index in candidates {
                let pattern = &self.patterns[index];
                pattern.match_ends(&tokens, start, &mut ends);
                matches.extend(ends.drain(..).map(|end| (pattern.tag, start, end)));
            }
        }
        // Per label, longer first, then earlier; keep those that overlap nothing kept.
        matches.sort_unstable_by_key(|&(tag, start, end)| {
            (tag, std::cmp::Reverse(end - start), start)
        });
        matches.dedup();
        let mut taken_by = vec![usize::MAX; tokens.len()];
        let mut kept = Vec::new();
        for (tag, start, end) in matches {
            if taken_by[start..end].contains(&tag) {
                continue;
            }
            taken_by[start..end].fill(tag);
            kept.push(Suggestion {
                span: Span {
                    start: offset + tokens[start].token.start,
                    end: offset + tokens[end - 1].token.end,
                },
                tag: self.tags[tag].clone(),
                source: SuggestionSource::Patterns,
                speaker: None,
            });
        }
        kept
    }
}

impl Pattern {
    /// The literal texts a match must start with: for every element that can come first
    /// (the first, and those after skippable ones), the values of one of its text tests.
    /// `None` when one of them has no text test, or is `!` (any other token would do).
    fn first_texts(&self) -> Option<Vec<(TextAttr, &str)>> {
        let mut texts = Vec::new();
        for (i, element) in self.elements.iter().enumerate() {
            if element.op == Op::Not {
                return None;
            }
            let (attr, values) = element.tests.iter().find_map(|test| match test {
                Test::Text(attr, values) => Some((*attr, values)),
                _ => None,
            })?;
            texts.extend(values.iter().map(|value| (attr, &**value)));
            if self.skippable & (1 << i) == 0 {
                return Some(texts);
            }
        }
        // Every element is skippable: the pattern may start anywhere.
        None
    }

    /// Every token index one past a non-empty match that starts at `start`, into `ends`
    /// (ascending). Simulates the NFA whose state `i` means "elements before `i` are matched",
    /// one bit per state. O(k·s) for k tokens tried and s states alive.
    fn match_ends(&self, tokens: &[Read<'_>], start: usize, ends: &mut Vec<usize>) {
        let accept = 1u128 << self.elements.len();
        let mut states = self.closure(1);
        for (at, read) in tokens.iter().enumerate().skip(start) {
            if at > start && states & accept != 0 {
                ends.push(at);
            }
            let mut next = 0u128;
            let mut alive = states & !accept;
            while alive != 0 {
                let i = alive.trailing_zeros() as usize;
                alive &= alive - 1;
                let element = &self.elements[i];
                let passes = element.tests.iter().all(|test| test.passes(read));
                next |= match (element.op, passes) {
                    (Op::Star, true) => 1 << i,
                    (Op::One | Op::Optional, true) | (Op::Not, false) => 1 << (i + 1),
                    _ => 0,
                };
            }
            states = self.closure(next);
            if states == 0 {
                return;
            }
        }
        if states & accept != 0 {
            ends.push(tokens.len());
        }
    }

    /// `states` plus every state reachable by skipping optional elements.
    fn closure(&self, mut states: u128) -> u128 {
        loop {
            let more = states | (states & self.skippable) << 1;
            if more == states {
                return states;
            }
            states = more;
        }
    }
}

/// A token and the attributes tests read, each computed on first use (most tokens only ever
/// have their text looked up).
struct Read<'a> {
    token: Token<'a>,
    lower: OnceCell<Cow<'a, str>>,
    flags: OnceCell<Flags>,
    like_num: OnceCell<bool>,
}

/// The cheap boolean attributes of a token.
#[derive(Debug, Clone, Copy)]
struct Flags {
    digit: bool,
    punct: bool,
}

impl<'a> Read<'a> {
    fn new(token: Token<'a>) -> Self {
        Self {
            token,
            lower: OnceCell::new(),
            flags: OnceCell::new(),
            like_num: OnceCell::new(),
        }
    }

    fn lower(&self) -> &str {
        self.lower.get_or_init(|| lower(self.token.text))
    }

    fn flags(&self) -> Flags {
        *self.flags.get_or_init(|| {
            let text = self.token.text;
            let punct = if text.is_ascii() {
                text.bytes().all(|b| is_punctuation(char::from(b)))
            } else {
                text.chars().all(is_punctuation)
            };
            Flags {
                digit: text.bytes().all(|b| b.is_ascii_digit()),
                punct,
            }
        })
    }

    fn like_num(&self) -> bool {
        *self
            .like_num
            .get_or_init(|| like_num(self.token.text, self.lower()))
    }
}

impl Test {
    fn passes(&self, read: &Read<'_>) -> bool {
        match self {
            Test::Text(TextAttr::Orth, values) => values.iter().any(|v| **v == *read.token.text),
            Test::Text(TextAttr::Lower, values) => values.iter().any(|v| **v == *read.lower()),
            Test::IsDigit(want) => read.flags().digit == *want,
            Test::IsPunct(want) => read.flags().punct == *want,
            Test::LikeNum(want) => read.like_num() == *want,
        }
    }
}

/// Number words spaCy's English `like_num` knows (cardinals, and ordinals to tenth), sorted
/// for a binary search.
const NUMBER_WORDS: &[&str] = &[
    "billion",
    "eight",
    "eighteen",
    "eighth",
    "eighty",
    "eleven",
    "fifteen",
    "fifth",
    "fifty",
    "first",
    "five",
    "forty",
    "four",
    "fourteen",
    "fourth",
    "hundred",
    "million",
    "nine",
    "nineteen",
    "ninety",
    "ninth",
    "one",
    "second",
    "seven",
    "seventeen",
    "seventh",
    "seventy",
    "six",
    "sixteen",
    "sixth",
    "sixty",
    "ten",
    "tenth",
    "third",
    "thirteen",
    "thirty",
    "thousand",
    "three",
    "trillion",
    "twelve",
    "twenty",
    "two",
    "zero",
];

/// spaCy's English `like_num`: digits once `,` and `.` are dropped (after a sign), a fraction
/// of digits, or one of [`NUMBER_WORDS`].
fn like_num(text: &str, lower: &str) -> bool {
    if NUMBER_WORDS.binary_search(&lower).is_ok() {
        return true;
    }
    let unsigned = text.trim_start_matches(['+', '-', '±', '~']);
    if !unsigned
        .bytes()
        .next()
        .is_some_and(|b| matches!(b, b'0'..=b'9' | b'.' | b','))
    {
        return false;
    }
    let digits_only = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let numeral = unsigned.bytes().any(|b| b.is_ascii_digit())
        && unsigned
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.');
    let fraction = unsigned
        .split_once('/')
        .is_some_and(|(a, b)| digits_only(a) && digits_only(b));
    numeral || fraction
}

/// The label and the compiled elements of one line.
fn parse_line(line: &str) -> Result<(String, Vec<Element>), PatternProblem> {
    let value: Value =
        serde_json::from_str(line).map_err(|e| PatternProblem::NotAnObject(e.to_string()))?;
    let Value::Object(object) = value else {
        return Err(PatternProblem::NotAnObject(
            "found another JSON value".into(),
        ));
    };
    let label = match object.get("label") {
        Some(Value::String(label)) if !label.trim().is_empty() => label.clone(),
        _ => return Err(PatternProblem::Label),
    };
    let elements = match object.get("pattern") {
        Some(Value::String(phrase)) => tokenize(phrase)
            .into_iter()
            .map(|token| Element {
                tests: vec![Test::Text(TextAttr::Orth, vec![token.text.into()])],
                op: Op::One,
            })
            .collect(),
        Some(Value::Array(tokens)) => {
            let mut elements = Vec::with_capacity(tokens.len());
            for (index, token) in tokens.iter().enumerate() {
                let Value::Object(token) = token else {
                    return Err(PatternProblem::NotADict { token: index + 1 });
                };
                let (tests, op) = parse_token(token, index + 1)?;
                if op == "+" {
                    elements.push(Element {
                        tests: tests.clone(),
                        op: Op::One,
                    });
                    elements.push(Element {
                        tests,
                        op: Op::Star,
                    });
                } else {
                    let op = match op {
                        "" => Op::One,
                        "?" => Op::Optional,
                        "*" => Op::Star,
                        _ => Op::Not,
                    };
                    elements.push(Element { tests, op });
                }
            }
            elements
        }
        _ => return Err(PatternProblem::Pattern),
    };
    if elements.is_empty() {
        return Err(PatternProblem::Empty);
    }
    if elements.len() > MAX_PATTERN_TOKENS {
        return Err(PatternProblem::TooLong);
    }
    Ok((label, elements))
}

/// The tests of one token dict (`token` is its 1-based position) and its `OP` (`""` for none;
/// otherwise one of `? * + !`).
fn parse_token(
    dict: &Map<String, Value>,
    token: usize,
) -> Result<(Vec<Test>, &str), PatternProblem> {
    let value_problem = |key: &str, expected| PatternProblem::Value {
        token,
        key: key.to_owned(),
        expected,
    };
    let mut tests = Vec::new();
    let mut op = "";
    for (key, value) in dict {
        match key.as_str() {
            "ORTH" | "TEXT" | "LOWER" => {
                let attr = if key == "LOWER" {
                    TextAttr::Lower
                } else {
                    TextAttr::Orth
                };
                let values = text_values(value)
                    .ok_or_else(|| value_problem(key, "a string or {\"IN\": [strings]}"))?;
                tests.push(Test::Text(attr, values));
            }
            "IS_DIGIT" | "IS_PUNCT" | "LIKE_NUM" => {
                let want = value
                    .as_bool()
                    .ok_or_else(|| value_problem(key, "true or false"))?;
                tests.push(match key.as_str() {
                    "IS_DIGIT" => Test::IsDigit(want),
                    "IS_PUNCT" => Test::IsPunct(want),
                    _ => Test::LikeNum(want),
                });
            }
            "OP" => {
                op = match value.as_str() {
                    Some(known @ ("?" | "*" | "+" | "!")) => known,
                    Some(other) => {
                        return Err(PatternProblem::Op {
                            token,
                            op: other.to_owned(),
                        })
                    }
                    None => return Err(value_problem(key, "a string")),
                };
            }
            _ => {
                return Err(PatternProblem::UnsupportedKey {
                    token,
                    key: key.clone(),
                })
            }
        }
    }
    Ok((tests, op))
}

/// A text test's values: `"x"` or `{"IN": ["x", "y"]}`.
fn text_values(value: &Value) -> Option<Vec<Box<str>>> {
    match value {
        Value::String(one) => Some(vec![one.as_str().into()]),
        Value::Object(dict) if dict.len() == 1 => dict
            .get("IN")?
            .as_array()?
            .iter()
            .map(|v| v.as_str().map(Into::into))
            .collect(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(patterns: &str, text: &str) -> Vec<(String, String)> {
        let set = PatternSet::parse(patterns).unwrap();
        let chars: Vec<char> = text.chars().collect();
        set.suggest(text, 0)
            .into_iter()
            .map(|s| {
                let quote: String = chars[s.span.start..s.span.end].iter().collect();
                (s.tag.as_str().to_owned(), quote)
            })
            .collect()
    }

    fn refused(patterns: &str) -> PatternError {
        PatternSet::parse(patterns).unwrap_err()
    }

    /// The example of spaCy's EntityRuler documentation, as written there.
    #[test]
    fn reads_the_entity_ruler_docs_example() {
        let patterns = r#"{"label": "ORG", "pattern": "Apple"}
{"label": "GPE", "pattern": [{"LOWER": "san"}, {"LOWER": "francisco"}]}
"#;
        let text = "Apple is opening its first big office in San Francisco.";
        assert_eq!(
            found(patterns, text),
            [
                ("org".into(), "Apple".into()),
                ("gpe".into(), "San Francisco".into())
            ]
        );
    }

    #[test]
    fn phrases_match_whole_tokens_and_ids_are_ignored() {
        let patterns = r#"{"label": "ORG", "pattern": "Apple Inc.", "id": "apple"}"#;
        assert_eq!(
            found(
                patterns,
                "Shares of Apple Inc. rose; Apples and Apple Incorporated did not."
            ),
            [("org".into(), "Apple Inc.".into())]
        );
    }

    #[test]
    fn operators_optional_star_plus_and_not() {
        let patterns = r#"{"label": "MONEY", "pattern": [{"ORTH": "$"}, {"LIKE_NUM": true}, {"LOWER": {"IN": ["million", "billion"]}, "OP": "?"}]}
{"label": "SHOUT", "pattern": [{"LOWER": "no"}, {"LOWER": "no", "OP": "+"}]}
{"label": "TITLE", "pattern": [{"ORTH": "Dr."}, {"IS_PUNCT": true, "OP": "!"}, {"IS_PUNCT": false, "OP": "*"}, {"ORTH": "Jr."}]}
"#;
        assert_eq!(
            found(
                patterns,
                "It cost $14 billion, not $3. No no no! Dr. Martin Luther King Jr. spoke; Dr. , Jr."
            ),
            [
                ("money".into(), "$14 billion".into()),
                ("money".into(), "$3".into()),
                ("shout".into(), "No no no".into()),
                ("title".into(), "Dr. Martin Luther King Jr.".into()),
            ]
        );
    }

    #[test]
    fn longer_matches_win_then_earlier_ones_within_a_label_only() {
        let patterns = r#"{"label": "A", "pattern": "New York"}
{"label": "A", "pattern": "New York City"}
{"label": "A", "pattern": "City Hall"}
{"label": "B", "pattern": "York"}
"#;
        assert_eq!(
            found(patterns, "New York City Hall"),
            [
                ("a".into(), "New York City".into()),
                ("b".into(), "York".into())
            ]
        );
    }

    #[test]
    fn number_words_are_sorted_for_their_binary_search() {
        assert!(NUMBER_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn digits_punctuation_and_number_words() {
        let patterns = r#"{"label": "N", "pattern": [{"IS_DIGIT": true}, {"IS_PUNCT": true}]}
{"label": "W", "pattern": [{"LIKE_NUM": true}, {"LOWER": "people"}]}
"#;
        assert_eq!(
            found(patterns, "In 2024, twenty people and 1,200 people; 4.5!"),
            [
                ("n".into(), "2024,".into()),
                ("w".into(), "twenty people".into()),
                ("w".into(), "1,200 people".into()),
            ]
        );
    }

    #[test]
    fn bad_lines_refuse_the_file_naming_the_line() {
        let good = r#"{"label": "ORG", "pattern": "Apple"}"#;
        let cases = [
            (
                "{\"label\": \"ORG\", \"pattern\": \"Apple\"",
                "not a JSON object",
            ),
            ("[1, 2]", "not a JSON object"),
            (r#"{"pattern": "Apple"}"#, "`label`"),
            (r#"{"label": "ORG", "pattern": 3}"#, "`pattern`"),
            (r#"{"label": "ORG", "pattern": []}"#, "empty"),
            (
                r#"{"label": "ORG", "pattern": ["x"]}"#,
                "token 1 is not a dict",
            ),
            (
                r#"{"label": "ORG", "pattern": [{"ORTH": "a"}, {"POS": "NOUN"}]}"#,
                "token 2: unsupported key `POS`",
            ),
            (
                r#"{"label": "ORG", "pattern": [{"LOWER": {"REGEX": "a"}}]}"#,
                "token 1: `LOWER` must be",
            ),
            (
                r#"{"label": "ORG", "pattern": [{"IS_DIGIT": "yes"}]}"#,
                "true or false",
            ),
            (
                r#"{"label": "ORG", "pattern": [{"ORTH": "a", "OP": "{2}"}]}"#,
                "unsupported OP `{2}`",
            ),
        ];
        for (bad, message) in cases {
            let file = format!("{good}\n\n{bad}\n{good}\n");
            let error = refused(&file);
            assert_eq!(error.line, 3, "{bad}");
            let text = error.to_string();
            assert!(text.starts_with("line 3: "), "{text}");
            assert!(text.contains(message), "{bad}: {text}");
        }
    }

    #[test]
    fn overlong_patterns_are_refused() {
        let tokens = vec![r#"{"ORTH": "a", "OP": "+"}"#; 65].join(", ");
        let error = refused(&format!(r#"{{"label": "L", "pattern": [{tokens}]}}"#));
        assert_eq!(error.problem, PatternProblem::TooLong);
    }

    #[test]
    fn an_all_optional_pattern_never_matches_nothing() {
        let patterns = r#"{"label": "L", "pattern": [{"ORTH": "x", "OP": "*"}]}"#;
        assert_eq!(found(patterns, "a x x b"), [("l".into(), "x x".into())]);
    }
}
