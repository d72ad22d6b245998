//! CoNLL-style BIO tokens (`NAME.conll`): one token per line, `token<TAB>TAG`, a blank line
//! between sentences.
//!
//! ```text
//! (\t stands for a tab)
//! The\tO
//! council\tB-CLAIM
//! will\tI-CLAIM
//! vote\tI-CLAIM
//! .\tO
//!
//! “\tO
//! ```
//! - **Tokens**: the document text split at whitespace, with every punctuation character
//!   (ASCII punctuation and the Unicode punctuation marks in [`is_punctuation`]) a token of its
//!   own, and split again wherever an exported span starts or ends, so every span is a whole
//!   number of tokens. Everything else (letters, digits, combining accents, emoji, CJK) stays
//!   in its run: `re\u{301}sume\u{301}`, `😀🌊` and `中文字` are one token each.
//! - **Sentences**: a sentence ends after `.`, `!`, `?` or `…` followed by whitespace, after
//!   `。`, `！` or `？`, and at every paragraph break (a blank line in the text); never inside
//!   an exported span.
//! - **Tags**: `B-LABEL` on a span's first token, `I-LABEL` on the rest, `O` outside; LABEL is the
//!   tag in upper case with whitespace as `_` (`CLAIM`, `PLACE_NAME`).
//! - **Lossy**: BIO cannot nest or overlap, and tokens hold no whitespace. Each span is first
//!   trimmed of whitespace at both ends (a span of nothing but whitespace is left out); then, in
//!   document order, a span that overlaps one already kept is left out, so the outermost (and,
//!   of two that cross, the earlier) wins. [`export`] returns both counts, and the download says
//!   them. Ids, notes, attributes, relations and timestamps are not carried (the download says
//!   how many attributes and relations it left out); orphans are not exported.
//!
//! Import rebuilds spans on the open document: each token is looked for at the current
//! position (after whitespace), else further on; tokens must appear in the text in order, and
//! the first that does not is named by its line. A span runs from its `B-` token (or an `I-`
//! that does not continue one) to its last `I-` token; `O`, a different label or a blank line
//! ends it. IOBES / BILOU tags (`E-`, `S-`, `L-`, `U-`), several columns (the token first, the
//! tag last, separated by tabs or spaces) and `-DOCSTART-` lines are accepted. Labels are
//! lower-cased (`CLAIM` -> `claim`).

use std::collections::HashSet;
use std::fmt::Write as _;

use super::{invalid, place_items, tag_from_label, FormatError, ImportContext, ImportReport, Item};
use crate::anchor::{Selectors, TextQuote};
use crate::model::{AnnotationStore, Document, Span, Tag};

/// A CoNLL export and what it left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConllExport {
    /// The file's text.
    pub text: String,
    /// Spans left out because they nest in or overlap a kept one.
    pub overlapping: usize,
    /// Spans left out because they hold nothing but whitespace.
    pub blank: usize,
}

/// The CoNLL label of a tag: upper case, whitespace as `_`.
pub fn label(tag: &Tag) -> String {
    tag.as_str()
        .to_uppercase()
        .chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect()
}

/// Punctuation that is a token of its own: ASCII punctuation, Latin-1 punctuation (`¡ « · » ¿`),
/// General Punctuation (U+2010–U+205E: dashes, curly quotes, `…`), CJK punctuation
/// (U+3001–U+303F) and the full-width forms of ASCII punctuation.
pub fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c, '¡' | '«' | '·' | '»' | '¿' | '§' | '¶')
        || ('\u{2010}'..='\u{205E}').contains(&c)
        || ('\u{3001}'..='\u{303F}').contains(&c)
        || matches!(c, '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}')
}

/// The spans a CoNLL file can hold, in document order: each span trimmed of whitespace, then
/// those that overlap an earlier kept one left out (see the module doc). Returns the kept
/// spans with their tags, how many overlapped and how many were blank. O(n log n).
pub fn kept_spans(
    document: &Document,
    store: &AnnotationStore,
) -> (Vec<(Span, Tag)>, usize, usize) {
    let mut trimmed = Vec::new();
    let mut blank = 0;
    for annotation in store.in_document_order() {
        let text = document.slice(annotation.span).unwrap_or_default();
        let lead = text.chars().take_while(|c| c.is_whitespace()).count();
        let total = text.chars().count();
        if lead == total {
            blank += 1;
            continue;
        }
        let trail = text.chars().rev().take_while(|c| c.is_whitespace()).count();
        let span = Span {
            start: annotation.span.start + lead,
            end: annotation.span.end - trail,
        };
        trimmed.push((span, annotation.tag.clone()));
    }
    // Document order of the trimmed spans: by start, longer first.
    trimmed.sort_by_key(|(span, _)| (span.start, std::cmp::Reverse(span.end)));
    let mut kept: Vec<(Span, Tag)> = Vec::new();
    let mut overlapping = 0;
    for (span, tag) in trimmed {
        if kept.last().is_some_and(|(last, _)| span.start < last.end) {
            overlapping += 1;
        } else {
            kept.push((span, tag));
        }
    }
    (kept, overlapping, blank)
}

/// The tokens of `document` as code-point spans (see the module doc), split at `boundaries`.
pub fn tokens(document: &Document, boundaries: &HashSet<usize>) -> Vec<Span> {
    let chars: Vec<char> = document.text().chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        if !is_punctuation(c) {
            while j < chars.len()
                && !chars[j].is_whitespace()
                && !is_punctuation(chars[j])
                && !boundaries.contains(&j)
            {
                j += 1;
            }
        }
        out.push(Span { start: i, end: j });
        i = j;
    }
    out
}

/// Tokens with their IOB2 tags, sentence by sentence, and what the tags could not hold: what
/// both the CoNLL and the Hugging Face exports write (see the module doc for the tokens, the
/// sentences and which spans are kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaggedSentences {
    /// Each sentence's `(token, tag)` pairs, tags `O`, `B-LABEL` or `I-LABEL`.
    pub sentences: Vec<Vec<(String, String)>>,
    /// Spans left out because they nest in or overlap a kept one.
    pub overlapping: usize,
    /// Spans left out because they hold nothing but whitespace.
    pub blank: usize,
}

/// The tokens of `document` with IOB2 tags for `store`'s spans, split into sentences (see the
/// module doc). O(n + s log s).
pub fn tagged_sentences(document: &Document, store: &AnnotationStore) -> TaggedSentences {
    let (kept, overlapping, blank) = kept_spans(document, store);
    let boundaries: HashSet<usize> = kept.iter().flat_map(|(s, _)| [s.start, s.end]).collect();
    let tokens = tokens(document, &boundaries);
    let chars: Vec<char> = document.text().chars().collect();
    let mut k = 0;
    let mut labels = Vec::with_capacity(tokens.len());
    for token in &tokens {
        while k < kept.len() && kept[k].0.end <= token.start {
            k += 1;
        }
        labels.push(match kept.get(k) {
            Some((span, tag)) if span.start <= token.start => {
                let prefix = if span.start == token.start { "B" } else { "I" };
                format!("{prefix}-{}", label(tag))
            }
            _ => "O".to_owned(),
        });
    }
    let mut sentences = Vec::new();
    let mut sentence = Vec::new();
    for (t, token) in tokens.iter().enumerate() {
        let word: String = chars[token.start..token.end].iter().collect();
        sentence.push((word, std::mem::take(&mut labels[t])));
        let Some(next) = tokens.get(t + 1) else {
            continue;
        };
        let gap = &chars[token.end..next.start];
        let last = chars[token.end - 1];
        let ends_sentence = gap.windows(2).any(|w| w == ['\n', '\n'])
            || (token.len() == 1 && matches!(last, '.' | '!' | '?' | '…') && !gap.is_empty())
            || matches!(last, '。' | '！' | '？');
        if ends_sentence && !labels[t + 1].starts_with("I-") {
            sentences.push(std::mem::take(&mut sentence));
        }
    }
    if !sentence.is_empty() {
        sentences.push(sentence);
    }
    TaggedSentences {
        sentences,
        overlapping,
        blank,
    }
}

/// The CoNLL file of `store`'s spans on `document`, and what it left out. O(n + s log s).
pub fn export(document: &Document, store: &AnnotationStore) -> ConllExport {
    let tagged = tagged_sentences(document, store);
    let mut text = String::new();
    for (i, sentence) in tagged.sentences.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        for (word, tag) in sentence {
            let _ = writeln!(text, "{word}\t{tag}");
        }
    }
    ConllExport {
        text,
        overlapping: tagged.overlapping,
        blank: tagged.blank,
    }
}

/// A parsed tag: `None` for `O`, else whether it begins a span, whether it ends one, and the
/// label.
type BioTag<'a> = Option<(char, &'a str)>;

fn parse_tag(tag: &str) -> Option<BioTag<'_>> {
    if tag == "O" {
        return Some(None);
    }
    let mut chars = tag.chars();
    let prefix = chars.next()?;
    let label = chars.as_str().strip_prefix('-')?;
    ("BIESLU".contains(prefix) && !label.is_empty()).then_some(Some((prefix, label)))
}

/// The columns of a token line: tab-separated when it has a tab, else whitespace-separated.
fn columns(line: &str) -> Vec<&str> {
    if line.contains('\t') {
        line.split('\t').map(str::trim).collect()
    } else {
        line.split_whitespace().collect()
    }
}

/// True when `line` looks like a CoNLL token line: a token and, last, a BIO tag.
pub fn looks_like_token_line(line: &str) -> bool {
    let columns = columns(line);
    columns.len() >= 2
        && !columns[0].is_empty()
        && columns.last().and_then(|t| parse_tag(t)).is_some()
}

/// A span being built: label, start (code points), end, where its first token is.
struct Open<'a> {
    label: &'a str,
    start: usize,
    end: usize,
    at: String,
}

/// One entry of a token-tagged file, in file order: a token with its tag, or a break between
/// sentences (which ends any span).
pub(crate) enum TokenLine<'a> {
    /// A sentence or document break.
    Break,
    /// A token and its tag (`O`, `B-LABEL`, `I-LABEL`, or IOBES / BILOU).
    Token {
        /// Where it is, for messages (`line 4`, `line 2, tokens[3]`).
        at: String,
        /// The token's text.
        token: &'a str,
        /// Its tag as written.
        tag: &'a str,
    },
}

/// Rebuilds the spans of tagged tokens on `document`: each token is looked for at the current
/// position (after whitespace), else further on; the first token that is not in the text, or
/// a tag that is not a tag, is named by its place. Shared by CoNLL and Hugging Face files.
/// O(text + tokens).
pub(crate) fn items_from_tokens<'a>(
    document: &Document,
    lines: impl IntoIterator<Item = TokenLine<'a>>,
) -> Result<Vec<Item>, FormatError> {
    let text = document.text();
    let (mut byte, mut char_at) = (0usize, 0usize);
    let mut items = Vec::new();
    let mut open: Option<Open> = None;
    let close = |open: &mut Option<Open>, items: &mut Vec<Item>| {
        if let Some(done) = open.take() {
            let span = Span {
                start: done.start,
                end: done.end,
            };
            items.push(Item {
                id_at: done.at,
                id: None,
                recorded: Some(span),
                selectors: Selectors {
                    position: Some(span),
                    quote: document.slice(span).map(|exact| TextQuote {
                        exact: exact.to_owned(),
                        prefix: String::new(),
                        suffix: String::new(),
                    }),
                },
                tag: tag_from_label(&done.label.to_lowercase()),
                note: String::new(),
                attributes: Default::default(),
                created: None,
                modified: None,
            });
        }
    };
    for line in lines {
        let TokenLine::Token { at, token, tag } = line else {
            close(&mut open, &mut items);
            continue;
        };
        let Some(tag) = parse_tag(tag) else {
            return Err(invalid(
                at,
                format!(
                    "expected a tag O, B-LABEL or I-LABEL, found \"{}\"",
                    super::quoted(tag)
                ),
            ));
        };
        // Find the token: right after whitespace, else further on.
        let rest = &text[byte..];
        let skipped = rest.len() - rest.trim_start().len();
        let found = if rest[skipped..].starts_with(token) {
            skipped
        } else {
            rest.find(token).ok_or_else(|| {
                invalid(
                    at.clone(),
                    format!(
                        "the token \"{}\" is not in the document after code point {char_at}",
                        super::quoted(token)
                    ),
                )
            })?
        };
        let start = char_at + rest[..found].chars().count();
        let end = start + token.chars().count();
        byte += found + token.len();
        char_at = end;
        match tag {
            None => close(&mut open, &mut items),
            Some((prefix, label)) => {
                let continues = matches!(prefix, 'I' | 'E' | 'L')
                    && open.as_ref().is_some_and(|o| o.label == label);
                if continues {
                    if let Some(o) = open.as_mut() {
                        o.end = end;
                    }
                } else {
                    close(&mut open, &mut items);
                    open = Some(Open {
                        label,
                        start,
                        end,
                        at,
                    });
                }
                if matches!(prefix, 'E' | 'L' | 'S' | 'U') {
                    close(&mut open, &mut items);
                }
            }
        }
    }
    close(&mut open, &mut items);
    Ok(items)
}

/// Reads a CoNLL file and rebuilds its spans on `document` (see the module doc). O(file + n).
pub fn import(
    document: &Document,
    input: &str,
    context: ImportContext<'_>,
) -> Result<ImportReport, FormatError> {
    let mut lines = Vec::new();
    for (number, line) in super::numbered_lines(input) {
        if line.trim().is_empty() || line.starts_with("-DOCSTART-") {
            lines.push(TokenLine::Break);
            continue;
        }
        let columns = columns(line);
        let (Some(&token), Some(&tag)) = (columns.first(), columns.last()) else {
            unreachable!("a non-blank line has a column")
        };
        if columns.len() < 2 || token.is_empty() {
            return Err(invalid(
                format!("line {number}"),
                "expected a token and a tag, separated by a tab",
            ));
        }
        lines.push(TokenLine::Token {
            at: format!("line {number}"),
            token,
            tag,
        });
    }
    let items = items_from_tokens(document, lines)?;
    place_items(document, items.into(), context)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::test_support::{import_bytes, landed, store};

    #[test]
    fn tokens_split_punctuation_and_keep_accents_and_emoji_in_words() {
        let document = Document::from_raw("“Re\u{301}sume\u{301},” she said 😀🌊.\n\n中文字！Next");
        let store = store(&document, &[]);
        let out = export(&document, &store).text;
        assert_eq!(
            out,
            "“\tO\nRe\u{301}sume\u{301}\tO\n,\tO\n”\tO\nshe\tO\nsaid\tO\n😀🌊\tO\n.\tO\n\n中文字\tO\n！\tO\n\nNext\tO\n"
        );
    }

    #[test]
    fn spans_become_bio_tags_and_the_outermost_wins() {
        let document = Document::from_raw("The council will vote. It may not.");
        let store = store(
            &document,
            &[
                ("a", 4, 21, "claim", ""),       // "council will vote"
                ("b", 12, 16, "quote", ""),      // nested "will"
                ("c", 3, 4, "quote", ""),        // " ": blank
                ("d", 23, 34, "place name", ""), // "It may not."
                ("e", 20, 25, "quote", ""),      // crosses a and d
            ],
        );
        let out = export(&document, &store);
        assert_eq!((out.overlapping, out.blank), (2, 1));
        assert_eq!(
            out.text,
            "The\tO\ncouncil\tB-CLAIM\nwill\tI-CLAIM\nvote\tI-CLAIM\n.\tO\n\n\
             It\tB-PLACE_NAME\nmay\tI-PLACE_NAME\nnot\tI-PLACE_NAME\n.\tI-PLACE_NAME\n"
        );
        let report = import_bytes(&document, out.text.as_bytes()).unwrap();
        assert_eq!(
            landed(&report),
            [
                (4, 21, "claim".to_owned()),
                (23, 34, "place_name".to_owned())
            ]
        );
    }

    #[test]
    fn spans_inside_words_split_tokens_and_sentences_never_split_spans() {
        let document = Document::from_raw("unbelievable. Yes\n\nno");
        let store = store(
            &document,
            &[("a", 2, 6, "claim", ""), ("b", 11, 21, "quote", "")],
        );
        let out = export(&document, &store).text;
        assert_eq!(
            out,
            "un\tO\nbeli\tB-CLAIM\nevabl\tO\ne\tB-QUOTE\n.\tI-QUOTE\nYes\tI-QUOTE\nno\tI-QUOTE\n"
        );
        let report = import_bytes(&document, out.as_bytes()).unwrap();
        assert_eq!(
            landed(&report),
            [(2, 6, "claim".to_owned()), (11, 21, "quote".to_owned())]
        );
    }

    #[test]
    fn foreign_conll_with_columns_and_iobes_is_read() {
        let document = Document::from_raw("EU rejects German call.");
        let input = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP S-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\ncall NN I-NP E-MISC\n. . O O\n";
        let report = import_bytes(&document, input.as_bytes()).unwrap();
        assert_eq!(
            landed(&report),
            [(0, 2, "org".to_owned()), (11, 22, "misc".to_owned())]
        );
    }

    #[test]
    fn a_token_that_is_not_in_the_text_names_its_line() {
        let document = Document::from_raw("The council will vote.");
        let error =
            import_bytes(&document, b"The\tO\ncouncil\tB-CLAIM\nwont\tI-CLAIM\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 3: the token \"wont\" is not in the document after code point 11"
        );
        let error = import_bytes(&document, b"The\tO\ncouncil\tX-CLAIM\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 2: expected a tag O, B-LABEL or I-LABEL, found \"X-CLAIM\""
        );
    }
}
