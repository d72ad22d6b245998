//! Prodigy / spaCy tokens (`NAME.prodigy.jsonl`): one JSON line per document, with the tokens
//! spans are made of, as Prodigy's `ner_manual` and `spans_manual` recipes write them.
//!
//! ```json
//! {"text": "Rain fell.\n\nIt", "tokens": [{"text": "Rain", "start": 0, "end": 4, "id": 0, "ws": true}, {"text": "fell", "start": 5, "end": 9, "id": 1, "ws": false}, {"text": ".", "start": 9, "end": 10, "id": 2, "ws": false}, {"text": "\n\n", "start": 10, "end": 12, "id": 3, "ws": false}, {"text": "It", "start": 12, "end": 14, "id": 4, "ws": false}],
//!  "spans": [{"start": 0, "end": 9, "token_start": 0, "token_end": 1, "label": "CLAIM", "id": "a1", "note": "…"},
//!            {"start": 12, "end": 14, "token_start": 4, "token_end": 4, "label": "SOURCE", "id": "a2"}],
//!  "relations": [{"head": 1, "child": 4, "head_span": {"start": 0, "end": 9, "token_start": 0, "token_end": 1, "label": "CLAIM"},
//!                 "child_span": {"start": 12, "end": 14, "token_start": 4, "token_end": 4, "label": "SOURCE"},
//!                 "label": "attributed-to", "id": "r1"}]}
//! ```
//! - **Tokens** cover the whole text: `ws` is true when one space follows the token (spaCy's
//!   `whitespace_`), and any other whitespace (a line break, a second space) is a token of its
//!   own, as spaCy's tokenizer makes `"\n\n"` one. So spaCy's `Doc(vocab, words=[t["text"]…],
//!   spaces=[t["ws"]…])` gives back the text exactly, and `doc[token_start : token_end + 1]` is
//!   each span. Non-whitespace is split as CoNLL splits it ([`super::conll`]: punctuation a token of its own), and
//!   again wherever a span starts or ends, so every span is a whole number of tokens, nested
//!   and overlapping ones too (a span that starts or ends with a space makes that space a
//!   token of its own).
//! - **Spans** carry `start`/`end` in code points (end exclusive), `token_start`/`token_end`
//!   (inclusive, as Prodigy writes them), `label` (the tag in upper case, as
//!   [`super::spacy`]), Marginalia's `id`, the `note` and `attributes` when there are some, and
//!   `tag` when the label does not give the tag back.
//! - **Relations** are written as Prodigy's `rel.manual` writes them: `head` and `child` are the
//!   last tokens of the span the relation starts from and of the one it points to, `head_span`
//!   and `child_span` those spans (offsets, tokens and label), and `label` the relation type as
//!   it is (`attributed-to`); each also carries Marginalia's `id`, and its `note` when it has
//!   one. The key is left out when there are none.
//! - **Left out**: timestamps and orphans (and the relations to them).
//!
//! Import reads any Prodigy or spaCy line that has `tokens` (other fields are ignored), by the
//! spans' `start`/`end` as [`super::spacy`] does. A span whose offsets are not on its line's
//! token boundaries (or whose `token_start`/`token_end` name other tokens) is still placed at
//! its offsets, never moved to the nearest token, and the report says how many there were
//! and where the first is. A relation's ends are the spans of the line at its `head_span` and
//! `child_span` offsets (of its label, when several spans share them), else the spans whose
//! last token is its `head` and `child`; a relation whose ends are not spans of the line is left
//! out, and the report says how many.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::{Map, Value};

use super::{
    at_line, import_json_lines, index, invalid, items_by_id, join, json_id, json_offset, json_str,
    placed_relations, spacy, FormatError, ImportContext, ImportReport, Item, Parsed, RelationItem,
};
use crate::model::{Annotation, AnnotationStore, Attributes, Document, Span, Tag};

/// A token: where it is (code points) and whether one space follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Its extent in the text.
    pub span: Span,
    /// One space follows it, not part of any token (spaCy's `whitespace_`).
    pub ws: bool,
}

/// The tokens of `document` (see the module doc), with a boundary wherever one of `spans`
/// starts or ends. They cover the text: each token starts where the previous one ends, plus
/// one if that one has `ws`. O(n + s).
pub fn tokens(document: &Document, spans: &[Span]) -> Vec<Token> {
    let starts: HashSet<usize> = spans.iter().map(|s| s.start).collect();
    let ends: HashSet<usize> = spans.iter().map(|s| s.end).collect();
    let boundary = |at: usize| starts.contains(&at) || ends.contains(&at);
    let chars: Vec<char> = document.text().chars().collect();
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let mut j = i + 1;
        if chars[i].is_whitespace() {
            while j < chars.len() && chars[j].is_whitespace() && !boundary(j) {
                j += 1;
            }
            out.push(Token {
                span: Span { start: i, end: j },
                ws: false,
            });
            i = j;
            continue;
        }
        if !super::conll::is_punctuation(chars[i]) {
            while j < chars.len()
                && !chars[j].is_whitespace()
                && !super::conll::is_punctuation(chars[j])
                && !boundary(j)
            {
                j += 1;
            }
        }
        // One space after a word is its `ws`, unless a span starts at that space or ends
        // just after it: then the space must be a token for the span to be made of tokens.
        let ws = chars.get(j) == Some(&' ') && !starts.contains(&j) && !ends.contains(&(j + 1));
        out.push(Token {
            span: Span { start: i, end: j },
            ws,
        });
        i = if ws { j + 1 } else { j };
    }
    out
}

#[derive(Serialize)]
struct LineOut<'a> {
    text: &'a str,
    tokens: Vec<TokenOut<'a>>,
    spans: Vec<SpanOut<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    relations: Vec<RelationOut<'a>>,
}

#[derive(Serialize)]
struct TokenOut<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    id: usize,
    ws: bool,
}

#[derive(Serialize)]
struct SpanOut<'a> {
    start: usize,
    end: usize,
    token_start: usize,
    token_end: usize,
    label: String,
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tag: Option<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    note: &'a str,
    #[serde(skip_serializing_if = "Attributes::is_empty")]
    attributes: &'a Attributes,
}

#[derive(Serialize)]
struct RelationOut<'a> {
    head: usize,
    child: usize,
    head_span: EndOut<'a>,
    child_span: EndOut<'a>,
    label: &'a str,
    id: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    note: &'a str,
}

/// A relation's end as Prodigy writes it: the span's offsets, tokens and label, and its `id`
/// (which tells apart spans of the same offsets and label).
#[derive(Serialize)]
struct EndOut<'a> {
    start: usize,
    end: usize,
    token_start: usize,
    token_end: usize,
    label: String,
    id: &'a str,
}
/// One JSON line (ending in `\n`) with the tokens of `document` and `store`'s spans on them.
/// O(n + s log s).
pub fn export<'s>(document: &Document, store: &'s AnnotationStore) -> String {
    let annotations: Vec<_> = store.in_document_order().collect();
    let spans: Vec<Span> = annotations.iter().map(|a| a.span).collect();
    let tokens = tokens(document, &spans);
    let token_at_start: std::collections::HashMap<usize, usize> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| (t.span.start, i))
        .collect();
    let token_at_end: std::collections::HashMap<usize, usize> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| (t.span.end, i))
        .collect();
    let end_of = |a: &'s Annotation| EndOut {
        start: a.span.start,
        end: a.span.end,
        token_start: token_at_start[&a.span.start],
        token_end: token_at_end[&a.span.end],
        label: spacy::label(&a.tag),
        id: a.id.as_str(),
    };
    let spans = annotations
        .iter()
        .map(|a| {
            let label = spacy::label(&a.tag);
            let exact = label.to_lowercase() == a.tag.as_str();
            SpanOut {
                start: a.span.start,
                end: a.span.end,
                token_start: token_at_start[&a.span.start],
                token_end: token_at_end[&a.span.end],
                id: a.id.as_str(),
                tag: (!exact).then(|| a.tag.as_str()),
                note: &a.note,
                attributes: &a.attributes,
                label,
            }
        })
        .collect();
    let relations = placed_relations(store)
        .filter_map(|r| {
            let (from, to) = (store.get(&r.from)?, store.get(&r.to)?);
            let (head_span, child_span) = (end_of(from), end_of(to));
            Some(RelationOut {
                head: head_span.token_end,
                child: child_span.token_end,
                head_span,
                child_span,
                label: &r.kind,
                id: r.id.as_str(),
                note: &r.note,
            })
        })
        .collect();
    let text = document.text();
    let mut byte = 0;
    let mut char_at = 0;
    let tokens = tokens
        .iter()
        .enumerate()
        .map(|(id, token)| {
            // Tokens are in order: walk the text once instead of converting each offset.
            let skip = token.span.start - char_at;
            byte += text[byte..]
                .chars()
                .take(skip)
                .map(char::len_utf8)
                .sum::<usize>();
            let len: usize = text[byte..]
                .chars()
                .take(token.span.len())
                .map(char::len_utf8)
                .sum();
            let out = TokenOut {
                text: &text[byte..byte + len],
                start: token.span.start,
                end: token.span.end,
                id,
                ws: token.ws,
            };
            byte += len;
            char_at = token.span.end;
            out
        })
        .collect();
    let line = LineOut {
        text,
        tokens,
        spans,
        relations,
    };
    let mut out = serde_json::to_string(&line).expect("plain structs always serialise");
    out.push('\n');
    out
}

/// True for a JSON line that carries `tokens` beside its `text` (Prodigy's, or ours).
pub fn is_prodigy_line(object: &Map<String, Value>) -> bool {
    object.contains_key("text") && matches!(object.get("tokens"), Some(Value::Array(_)))
}

/// Reads a Prodigy JSON-lines file (see the module doc) onto `document`. O(file) plus the
/// anchoring.
pub fn import(
    document: &Document,
    input: &str,
    context: ImportContext<'_>,
) -> Result<ImportReport, FormatError> {
    import_json_lines(document, input, context, |object, text, number| {
        let items = spacy::read_spans(document, object, text, number)?;
        let relations = read_relations(object, &items, number)?;
        let notes = token_notes(object, number)?;
        Ok(Parsed {
            items,
            relations,
            notes,
        })
    })
}

/// The relations of one line, their ends found among `items` (the line's spans, in order).
fn read_relations(
    object: &Map<String, Value>,
    items: &[Item],
    number: usize,
) -> Result<Vec<RelationItem>, FormatError> {
    let list = match object.get("relations") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(list)) => list,
        Some(other) => {
            return Err(invalid(
                at_line(number, "relations"),
                format!(
                    "expected a list of relations, found {}",
                    super::quoted_json(other)
                ),
            ))
        }
    };
    let ends = SpanEnds::new(object, items, number)?;
    let mut relations = Vec::with_capacity(list.len());
    for (i, relation) in list.iter().enumerate() {
        let path = index("relations", i);
        let Some(relation) = relation.as_object() else {
            return Err(invalid(
                at_line(number, &path),
                format!(
                    "expected a relation object, found {}",
                    super::quoted_json(relation)
                ),
            ));
        };
        let relocate = |e| spacy::relocate(e, number);
        let label = json_str(relation, "label", &path).map_err(relocate)?;
        relations.push(RelationItem {
            id_at: at_line(number, &join(&path, "id")),
            id: json_id(relation, "id", &path).map_err(relocate)?,
            kind: label.unwrap_or(super::UNTAGGED).to_owned(),
            from: ends.find(relation, "head_span", "head", &path)?,
            to: ends.find(relation, "child_span", "child", &path)?,
            note: json_str(relation, "note", &path)
                .map_err(relocate)?
                .unwrap_or_default()
                .to_owned(),
        });
    }
    Ok(relations)
}

/// Where a relation's ends are among a line's spans: by id (ours), by offsets (and label), and
/// by last token.
struct SpanEnds<'a> {
    number: usize,
    by_id: HashMap<&'a str, usize>,
    by_offsets: HashMap<(usize, usize), Vec<(usize, Tag)>>,
    by_last_token: HashMap<usize, usize>,
}

impl<'a> SpanEnds<'a> {
    fn new(
        object: &Map<String, Value>,
        items: &'a [Item],
        number: usize,
    ) -> Result<Self, FormatError> {
        let mut by_offsets: HashMap<(usize, usize), Vec<(usize, Tag)>> = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(span) = item.recorded {
                by_offsets
                    .entry((span.start, span.end))
                    .or_default()
                    .push((i, item.tag.clone()));
            }
        }
        // `read_spans` made one item of each span object, in this order.
        let mut by_last_token = HashMap::new();
        for (i, (_, span)) in spacy::span_objects(object, number)?.iter().enumerate() {
            if let Some(last) = span.get("token_end").and_then(Value::as_u64) {
                by_last_token.entry(last as usize).or_insert(i);
            }
        }
        Ok(SpanEnds {
            number,
            by_id: items_by_id(items),
            by_offsets,
            by_last_token,
        })
    }

    /// The item of the span `span_key` (`head_span`) of `relation` (by its `id`, else its
    /// offsets and label), else the span whose last token is `token_key` (`head`); `None` when
    /// neither names a span of the line.
    fn find(
        &self,
        relation: &Map<String, Value>,
        span_key: &str,
        token_key: &str,
        path: &str,
    ) -> Result<Option<usize>, FormatError> {
        let at = |key: &str| at_line(self.number, &join(path, key));
        if let Some(span) = relation.get(span_key).and_then(Value::as_object) {
            let by_id = span.get("id").and_then(Value::as_str);
            if let Some(&found) = by_id.and_then(|id| self.by_id.get(id)) {
                return Ok(Some(found));
            }
            let offset = |key: &str| span.get(key).and_then(Value::as_u64).map(|n| n as usize);
            if let (Some(start), Some(end)) = (offset("start"), offset("end")) {
                let tag = span
                    .get("label")
                    .and_then(Value::as_str)
                    .map(|label| Tag::from(label.to_lowercase()));
                if let Some(found) = self.by_offsets.get(&(start, end)) {
                    let same_tag = found.iter().find(|(_, t)| Some(t) == tag.as_ref());
                    return Ok(same_tag.or(found.first()).map(|(i, _)| *i));
                }
            }
        }
        match relation.get(token_key) {
            None | Some(Value::Null) => Ok(None),
            Some(token) => {
                let token = json_offset(token, || at(token_key))?;
                Ok(self.by_last_token.get(&token).copied())
            }
        }
    }
}

/// What a line holds that is not placed as it says: spans off its token boundaries.
fn token_notes(object: &Map<String, Value>, number: usize) -> Result<Vec<String>, FormatError> {
    let Some(Value::Array(tokens)) = object.get("tokens") else {
        return Ok(Vec::new());
    };
    let mut bounds = Vec::with_capacity(tokens.len());
    for (i, token) in tokens.iter().enumerate() {
        let path = index("tokens", i);
        let offset = |key: &str| match token.get(key) {
            Some(value) => json_offset(value, || at_line(number, &join(&path, key))),
            None => Err(invalid(
                at_line(number, &join(&path, key)),
                "missing: a token needs start and end",
            )),
        };
        bounds.push((offset("start")?, offset("end")?));
    }
    let starts: HashSet<usize> = bounds.iter().map(|b| b.0).collect();
    let ends: HashSet<usize> = bounds.iter().map(|b| b.1).collect();
    let mut off_tokens = Vec::new();
    if let Some(Value::Array(spans)) = object.get("spans") {
        for (i, span) in spans.iter().enumerate() {
            let number_at = |key: &str| span.get(key).and_then(Value::as_u64).map(|n| n as usize);
            let (Some(start), Some(end)) = (number_at("start"), number_at("end")) else {
                continue;
            };
            let names_token = |key: &str, want: usize, side: fn(&(usize, usize)) -> usize| {
                number_at(key).is_none_or(|t| bounds.get(t).map(side) == Some(want))
            };
            let fits = starts.contains(&start)
                && ends.contains(&end)
                && names_token("token_start", start, |b| b.0)
                && names_token("token_end", end, |b| b.1);
            if !fits {
                off_tokens.push(at_line(number, &index("spans", i)));
            }
        }
    }
    let mut notes = Vec::new();
    if let Some(first) = off_tokens.first() {
        notes.push(format!(
            "{} not on token boundaries, placed at {} character offsets (first: {first})",
            super::plural(off_tokens.len(), "span"),
            if off_tokens.len() == 1 {
                "its"
            } else {
                "their"
            }
        ));
    }
    Ok(notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::test_support::{import_bytes, landed, store};

    /// spaCy's `Doc(words, spaces).text`: each word, then a space where `ws`.
    fn doc_text(line: &Value) -> String {
        line["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let ws = if t["ws"].as_bool().unwrap() { " " } else { "" };
                format!("{}{ws}", t["text"].as_str().unwrap())
            })
            .collect()
    }

    #[test]
    fn tokens_give_back_the_text_and_whitespace_beyond_one_space_is_a_token() {
        let document = Document::from_raw("  Rain  fell 😀.\n\nIt e\u{301}\tends ");
        let store = store(&document, &[("a", 2, 12, "claim", "")]);
        let line: Value = serde_json::from_str(&export(&document, &store)).unwrap();
        assert_eq!(doc_text(&line), document.text());
        let texts: Vec<&str> = line["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["text"].as_str().unwrap())
            .collect();
        assert_eq!(
            texts,
            ["  ", "Rain", " ", "fell", "😀", ".", "\n\n", "It", "e\u{301}", "\t", "ends"]
        );
        let span = &line["spans"][0];
        assert_eq!(
            (span["token_start"].as_u64(), span["token_end"].as_u64()),
            (Some(1), Some(3))
        );
    }

    #[test]
    fn spans_inside_words_or_on_spaces_split_tokens_so_every_span_fits() {
        let document = Document::from_raw("unbelievable rain fell");
        let store = store(
            &document,
            &[
                ("a", 2, 6, "claim", ""),
                ("b", 12, 17, "quote", ""),
                ("c", 13, 18, "quote", ""),
            ],
        );
        let line: Value = serde_json::from_str(&export(&document, &store)).unwrap();
        assert_eq!(doc_text(&line), document.text());
        let tokens = line["tokens"].as_array().unwrap();
        for span in line["spans"].as_array().unwrap() {
            let (first, last) = (
                span["token_start"].as_u64().unwrap() as usize,
                span["token_end"].as_u64().unwrap() as usize,
            );
            assert_eq!(tokens[first]["start"], span["start"]);
            assert_eq!(tokens[last]["end"], span["end"]);
        }
        let report = import_bytes(&document, export(&document, &store).as_bytes()).unwrap();
        assert_eq!(report.notes, Vec::<String>::new());
        assert_eq!(landed(&report).len(), 3);
    }

    #[test]
    fn relations_are_written_as_rel_manual_writes_them_and_read_back() {
        use crate::format::test_support::{relate, relations};
        let document = Document::from_raw("Macron said no.");
        let mut store = store(
            &document,
            &[("s", 0, 6, "source", ""), ("q", 7, 14, "quote", "")],
        );
        relate(
            &mut store,
            ("r", "attributed-to", "q", "s", "at the summit"),
        );
        let line: Value = serde_json::from_str(&export(&document, &store)).unwrap();
        assert_eq!(
            line["relations"],
            serde_json::json!([{
                "head": 2, "child": 0,
                "head_span": {"start": 7, "end": 14, "token_start": 1, "token_end": 2, "label": "QUOTE", "id": "q"},
                "child_span": {"start": 0, "end": 6, "token_start": 0, "token_end": 0, "label": "SOURCE", "id": "s"},
                "label": "attributed-to", "id": "r", "note": "at the summit"
            }])
        );
        let report = import_bytes(&document, export(&document, &store).as_bytes()).unwrap();
        assert_eq!(report.store_on(&document).unwrap(), {
            let mut expected = crate::model::AnnotationStore::new(document.char_len());
            for a in &report.placed {
                expected
                    .apply(crate::model::Command::Create {
                        annotation: a.clone(),
                    })
                    .unwrap();
            }
            relate(
                &mut expected,
                ("r", "attributed-to", "q", "s", "at the summit"),
            );
            expected
        });

        // Prodigy's own lines name spans by offsets (and label, when two share them).
        let input = r##"{"text": "Macron said no.", "tokens": [{"text": "Macron", "start": 0, "end": 6, "id": 0, "ws": true}, {"text": "said", "start": 7, "end": 11, "id": 1, "ws": true}, {"text": "no", "start": 12, "end": 14, "id": 2, "ws": false}, {"text": ".", "start": 14, "end": 15, "id": 3, "ws": false}],
            "spans": [{"start": 0, "end": 6, "token_start": 0, "token_end": 0, "label": "PERSON"}, {"start": 0, "end": 6, "token_start": 0, "token_end": 0, "label": "SOURCE"}, {"start": 7, "end": 14, "token_start": 1, "token_end": 2, "label": "QUOTE"}],
            "relations": [{"head": 2, "child": 0, "head_span": {"start": 7, "end": 14, "token_start": 1, "token_end": 2, "label": "QUOTE"}, "child_span": {"start": 0, "end": 6, "token_start": 0, "token_end": 0, "label": "SOURCE"}, "color": "#c5bdf4", "label": "SAID_BY"}],
            "answer": "accept"}"##;
        let report = import_bytes(&document, input.replace('\n', " ").as_bytes()).unwrap();
        let ids: Vec<String> = report.placed.iter().map(|a| a.id.to_string()).collect();
        assert_eq!(
            relations(&report),
            [(
                "SAID_BY".into(),
                ids[2].clone(),
                ids[1].clone(),
                String::new()
            )]
        );
    }

    #[test]
    fn spans_off_token_boundaries_are_placed_at_their_offsets_and_reported() {
        let document = Document::from_raw("Rain fell");
        let input = r#"{"text": "Rain fell", "tokens": [{"text": "Rain", "start": 0, "end": 4, "id": 0, "ws": true}, {"text": "fell", "start": 5, "end": 9, "id": 1, "ws": false}], "spans": [{"start": 1, "end": 4, "token_start": 0, "token_end": 0, "label": "X"}, {"start": 5, "end": 9, "token_start": 0, "token_end": 1, "label": "Y"}, {"start": 5, "end": 9, "token_start": 1, "token_end": 1, "label": "Z"}], "relations": [{"head": 0, "child": 1, "label": "R"}]}"#;
        let report = import_bytes(&document, input.as_bytes()).unwrap();
        assert_eq!(
            landed(&report),
            [
                (1, 4, "x".to_owned()),
                (5, 9, "y".to_owned()),
                (5, 9, "z".to_owned())
            ]
        );
        assert_eq!(
            report.notes,
            ["2 spans not on token boundaries, placed at their character offsets (first: line 1, spans[0])"]
        );
        // Without head_span and child_span, the relation's ends are the spans whose last
        // tokens are its head and child (the first of two).
        let ids: Vec<&str> = report.placed.iter().map(|a| a.id.as_str()).collect();
        let relation = &report.relations[0];
        assert_eq!(
            (
                relation.kind.as_str(),
                relation.from.as_str(),
                relation.to.as_str()
            ),
            ("R", ids[0], ids[1])
        );
    }
}
