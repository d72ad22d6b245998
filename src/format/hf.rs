//! Hugging Face token classification (`NAME.hf.jsonl`): one JSON line per sentence, as the
//! `datasets` library loads with `load_dataset("json", data_files=…)` and as token
//! classification models train on.
//!
//! ```json
//! {"id": "sample-article-0", "tokens": ["The", "council", "will", "vote"], "ner_tags": ["O", "B-CLAIM", "I-CLAIM", "I-CLAIM"]}
//! ```
//! - **Tokens and sentences** are CoNLL's (see [`super::conll`]): whitespace-separated, every
//!   punctuation mark a token of its own, split again where a span starts or ends; sentences
//!   end after `.`, `!`, `?`, at paragraph breaks, never inside a span.
//! - **Tags** are IOB2 strings (`B-QUOTE`, `I-QUOTE`, `O`), not class numbers: a file of
//!   strings needs no `ClassLabel` names beside it, and `seqeval` reads them as they are.
//! - **`id`** is `NAME-N`, N counting the document's sentences from 0, so the sentences of
//!   several documents in one file (**All**) stay apart.
//! - **Lossy**, as CoNLL: nested and overlapping spans (the outermost wins; of two that cross,
//!   the earlier), spans of only whitespace, whitespace itself (the text is not carried), ids,
//!   notes, attributes, relations, timestamps and orphans. The export says what it left out.
//!
//! Import rebuilds spans on the open document by finding the tokens in its text in order (the
//! file does not carry the text), exactly as CoNLL import does; a sentence break ends a span.
//! Of a file with several documents' sentences (ids `NAME-N`), the document whose tokens are
//! the open text's is read (else the first). `ner_tags` must be strings: class numbers need the
//! dataset's label names, which the file does not have, and are refused with a message.

use serde::Serialize;
use serde_json::Value;

use super::conll::{self, TokenLine};
use super::{
    at_line, invalid, numbered_lines, parse_json, place_items, quoted_json, FormatError,
    ImportContext, ImportReport,
};
use crate::model::{AnnotationStore, Document};

/// A Hugging Face export and what its tags could not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HfExport {
    /// The JSON lines, each ending in `\n`.
    pub text: String,
    /// Spans left out because they nest in or overlap a kept one.
    pub overlapping: usize,
    /// Spans left out because they hold nothing but whitespace.
    pub blank: usize,
}

#[derive(Serialize)]
struct SentenceOut<'a> {
    id: String,
    tokens: Vec<&'a str>,
    ner_tags: Vec<&'a str>,
}

/// One JSON line per sentence of `document` (whose name without extension is `stem`), tagged
/// with `store`'s spans. O(n + s log s).
pub fn export(document: &Document, stem: &str, store: &AnnotationStore) -> HfExport {
    let tagged = conll::tagged_sentences(document, store);
    let mut text = String::new();
    for (n, sentence) in tagged.sentences.iter().enumerate() {
        let line = SentenceOut {
            id: format!("{stem}-{n}"),
            tokens: sentence.iter().map(|(token, _)| token.as_str()).collect(),
            ner_tags: sentence.iter().map(|(_, tag)| tag.as_str()).collect(),
        };
        text.push_str(&serde_json::to_string(&line).expect("plain structs always serialise"));
        text.push('\n');
    }
    HfExport {
        text,
        overlapping: tagged.overlapping,
        blank: tagged.blank,
    }
}

/// One sentence as read: its line, id, tokens and tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Its 1-based line in the file.
    pub line: usize,
    /// Its `id` (empty when it has none).
    pub id: String,
    /// Its tokens.
    pub tokens: Vec<String>,
    /// Their tags, one per token.
    pub tags: Vec<String>,
}

impl Sentence {
    /// The document an id of ours names: `NAME` of `NAME-N`; empty for an id without a
    /// `-N` (a foreign file's `"0"`, `"1"`, …: all one document).
    pub fn document_key(&self) -> &str {
        match self.id.rsplit_once('-') {
            Some((name, n)) if n.bytes().all(|b| b.is_ascii_digit()) && !n.is_empty() => name,
            _ => "",
        }
    }
}

/// True for a JSON object that is a token-classification line (`tokens` and `ner_tags`, no
/// `text`).
pub fn is_hf_line(object: &serde_json::Map<String, Value>) -> bool {
    object.contains_key("tokens") && object.contains_key("ner_tags") && !object.contains_key("text")
}

/// Every sentence of a file, checked: a malformed line anywhere refuses it, naming the line.
/// O(file).
pub fn sentences(input: &str) -> Result<Vec<Sentence>, FormatError> {
    let mut out = Vec::new();
    for (number, line) in numbered_lines(input) {
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = parse_json(line, number - 1)?;
        let Value::Object(object) = value else {
            return Err(invalid(at_line(number, ""), "expected a JSON object"));
        };
        let strings = |key: &str| -> Result<Vec<String>, FormatError> {
            let Some(Value::Array(list)) = object.get(key) else {
                return Err(invalid(
                    at_line(number, key),
                    "expected a list of strings (tokens and ner_tags)",
                ));
            };
            list.iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Value::String(s) => Ok(s.clone()),
                    Value::Number(_) if key == "ner_tags" => Err(invalid(
                        at_line(number, &format!("ner_tags[{i}]")),
                        "tags are class numbers; Marginalia reads tag strings (B-QUOTE, I-QUOTE, O): \
                         write them with the dataset's names (features[\"ner_tags\"].feature.int2str)",
                    )),
                    other => Err(invalid(
                        at_line(number, &format!("{key}[{i}]")),
                        format!("expected a string, found {}", quoted_json(other)),
                    )),
                })
                .collect()
        };
        let tokens = strings("tokens")?;
        let tags = strings("ner_tags")?;
        if tokens.len() != tags.len() {
            return Err(invalid(
                at_line(number, "ner_tags"),
                format!(
                    "{} tokens but {} tags; each token needs one tag",
                    tokens.len(),
                    tags.len()
                ),
            ));
        }
        let id = match object.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        out.push(Sentence {
            line: number,
            id,
            tokens,
            tags,
        });
    }
    Ok(out)
}

/// The sentences grouped by document ([`Sentence::document_key`]), in file order.
pub fn documents(sentences: Vec<Sentence>) -> Vec<Vec<Sentence>> {
    let mut groups: Vec<Vec<Sentence>> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for sentence in sentences {
        let key = sentence.document_key().to_owned();
        let at = *index.entry(key).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[at].push(sentence);
    }
    groups
}

/// A text the sentences' tokens can be found in: tokens joined by single spaces, sentences
/// by line breaks (what Open… gives a token file, which carries no text of its own).
pub fn joined_text(sentences: &[Sentence]) -> String {
    sentences
        .iter()
        .map(|s| s.tokens.join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads a token-classification file onto `document` (see the module doc). O(file + text).
pub fn import(
    document: &Document,
    input: &str,
    context: ImportContext<'_>,
) -> Result<ImportReport, FormatError> {
    let groups = documents(sentences(input)?);
    let visible: String = document
        .text()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let same_tokens = |group: &&Vec<Sentence>| {
        let mut rest = visible.as_str();
        group.iter().flat_map(|s| &s.tokens).all(|token| {
            let token: String = token.chars().filter(|c| !c.is_whitespace()).collect();
            match rest.strip_prefix(token.as_str()) {
                Some(after) => {
                    rest = after;
                    true
                }
                None => false,
            }
        }) && rest.is_empty()
    };
    let Some(group) = groups.iter().find(same_tokens).or(groups.first()) else {
        return Err(FormatError::Empty);
    };
    let lines =
        group.iter().flat_map(|sentence| {
            std::iter::once(TokenLine::Break).chain(
                sentence.tokens.iter().zip(&sentence.tags).enumerate().map(
                    move |(i, (token, tag))| TokenLine::Token {
                        at: at_line(sentence.line, &format!("tokens[{i}]")),
                        token,
                        tag,
                    },
                ),
            )
        });
    let items = conll::items_from_tokens(document, lines)?;
    place_items(document, items.into(), context)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::test_support::{import_bytes, landed, store};

    #[test]
    fn one_line_per_sentence_with_iob2_strings_and_the_outermost_span() {
        let document = Document::from_raw("The council will vote. It may not.\n\nRain 😀 fell.");
        let store = store(
            &document,
            &[
                ("a", 4, 21, "claim", "n"),
                ("b", 12, 16, "quote", ""),
                ("c", 36, 42, "quote", ""),
            ],
        );
        let out = export(&document, "doc", &store);
        assert_eq!((out.overlapping, out.blank), (1, 0));
        let lines: Vec<Value> = out
            .text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3, "{}", out.text);
        assert_eq!(lines[0]["id"], "doc-0");
        assert_eq!(
            lines[0]["tokens"],
            serde_json::json!(["The", "council", "will", "vote", "."])
        );
        assert_eq!(
            lines[0]["ner_tags"],
            serde_json::json!(["O", "B-CLAIM", "I-CLAIM", "I-CLAIM", "O"])
        );
        assert_eq!(
            lines[2]["ner_tags"],
            serde_json::json!(["B-QUOTE", "I-QUOTE", "O", "O"])
        );
        let report = import_bytes(&document, out.text.as_bytes()).unwrap();
        assert_eq!(
            landed(&report),
            [(4, 21, "claim".to_owned()), (36, 42, "quote".to_owned())]
        );
    }

    #[test]
    fn of_several_documents_the_one_with_the_open_texts_tokens_is_read() {
        let input = concat!(
            r#"{"id": "a-0", "tokens": ["Other", "words"], "ner_tags": ["B-X", "O"]}"#,
            "\n",
            r#"{"id": "b-0", "tokens": ["Rain", "fell"], "ner_tags": ["O", "B-DATE"]}"#,
            "\n"
        );
        let document = Document::from_raw("Rain fell");
        let report = import_bytes(&document, input.as_bytes()).unwrap();
        assert_eq!(landed(&report), [(5, 9, "date".to_owned())]);
    }

    #[test]
    fn class_numbers_and_mismatched_lengths_are_refused_by_line() {
        let document = Document::from_raw("Rain fell");
        let error = import_bytes(
            &document,
            br#"{"id": "0", "tokens": ["Rain", "fell"], "ner_tags": [0, 3]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.starts_with("line 1, ner_tags[0]: tags are class numbers"),
            "{error}"
        );
        let error = import_bytes(
            &document,
            br#"{"id": "0", "tokens": ["Rain", "fell"], "ner_tags": ["O"]}"#,
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            error,
            "line 1, ner_tags: 2 tokens but 1 tags; each token needs one tag"
        );
        let error = import_bytes(
            &document,
            br#"{"id": "0", "tokens": ["Rain", "snow"], "ner_tags": ["O", "B-X"]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(error.starts_with("line 1, tokens[1]: the token"), "{error}");
    }

    #[test]
    fn ids_of_ours_group_sentences_by_document() {
        let sentence = |id: &str| Sentence {
            line: 1,
            id: id.into(),
            tokens: vec![],
            tags: vec![],
        };
        assert_eq!(
            sentence("sample-article-12").document_key(),
            "sample-article"
        );
        assert_eq!(sentence("7").document_key(), "");
        assert_eq!(sentence("a-b").document_key(), "");
    }
}
