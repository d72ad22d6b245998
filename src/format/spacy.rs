//! spaCy / Prodigy-style JSON lines (`NAME.spacy.jsonl`): one line per document.
//!
//! ```json
//! {"text": "…the document text…", "spans": [{"start": 0, "end": 5, "label": "CLAIM", "text": "Hello", "id": "…", "note": "…", "attributes": {"hedged": true}}]}
//! ```
//! `start`/`end` are **code points, end exclusive**, exactly as spaCy's `Doc.char_span(start,
//! end)` and Python's `text[start:end]` count, and `text` is the document text unchanged, so
//! `text[start:end] == span["text"]` for every span. `label` is the tag in upper case (`CLAIM`,
//! `QUOTE`, `CONDITION`, a custom label upper-cased), as spaCy users expect. Beside spaCy's fields
//! each span carries Marginalia's `id`, its `note` and `attributes` (values as in the marginalia
//! file) when it has them, and `tag` (the exact tag) only when lower-casing `label` would not
//! give the tag back (a custom label with capitals), so tags, ids, notes and attributes
//! round-trip (spaCy's span dicts take extra keys, which its readers ignore); timestamps are
//! not carried (imported spans get the time of the import). Spans are in document order;
//! orphans are not exported. Relations are not carried (the export says how many it left
//! out): the [`super::prodigy`] format carries them.
//!
//! Import accepts Prodigy and spaCy files: other fields (`meta`, `tokens`, `_input_hash`,
//! `_task_hash`, `answer`, a span's `token_start`, …) are ignored; spans may be under `spans` (a
//! list, or spaCy's span groups `{"sc": [...]}`) or `ents`. The tag is the span's `tag` when
//! present, else its `label` lower-cased. Of several lines, the one whose `text` equals the open
//! document's text is used, else the first; its spans are placed by their offsets where the
//! quote (the span's `text`, or the line's text there) is still found, else re-anchored by
//! quote and context. Every line is checked, so a malformed line anywhere refuses the file.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{
    at_line, checked_span, import_json_lines, index, invalid, join, json_attributes, json_id,
    json_offset, json_str, selectors_in, source_text, FormatError, ImportContext, ImportReport,
    Item,
};
use crate::model::{AnnotationStore, Attributes, Document, Tag};

#[derive(Serialize)]
struct LineOut<'a> {
    text: &'a str,
    spans: Vec<SpanOut<'a>>,
}

#[derive(Serialize)]
struct SpanOut<'a> {
    start: usize,
    end: usize,
    label: String,
    text: &'a str,
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tag: Option<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    note: &'a str,
    #[serde(skip_serializing_if = "Attributes::is_empty")]
    attributes: &'a Attributes,
}

/// The spaCy label of a tag: its id in upper case.
pub fn label(tag: &Tag) -> String {
    tag.as_str().to_uppercase()
}

/// One JSON line (ending in `\n`) with `store`'s spans on `document`. O(n) in the text plus the
/// spans' quotes.
pub fn export(document: &Document, store: &AnnotationStore) -> String {
    let spans = store
        .in_document_order()
        .map(|a| {
            let label = label(&a.tag);
            let exact = label.to_lowercase() == a.tag.as_str();
            SpanOut {
                start: a.span.start,
                end: a.span.end,
                text: document.slice(a.span).unwrap_or_default(),
                id: a.id.as_str(),
                tag: (!exact).then(|| a.tag.as_str()),
                note: &a.note,
                attributes: &a.attributes,
                label,
            }
        })
        .collect();
    let line = LineOut {
        text: document.text(),
        spans,
    };
    let mut out = serde_json::to_string(&line).expect("plain structs always serialise");
    out.push('\n');
    out
}

/// Reads a spaCy / Prodigy JSON-lines file (see the module doc) and places the spans of its
/// line for `document`. O(file) plus the anchoring.
pub fn import(
    document: &Document,
    input: &str,
    context: ImportContext<'_>,
) -> Result<ImportReport, FormatError> {
    import_json_lines(document, input, context, |object, text, number| {
        read_spans(document, object, text, number).map(Into::into)
    })
}

/// The spans of one line as items, in the order of [`span_objects`] (Prodigy lines read them
/// the same way).
pub(crate) fn read_spans(
    document: &Document,
    object: &Map<String, Value>,
    text: &str,
    number: usize,
) -> Result<Vec<Item>, FormatError> {
    let at = |path: &str| at_line(number, path);
    let spans = span_objects(object, number)?;
    let line_text = Document::from_normalized(text.to_owned());
    let source = source_text(document, text);
    let mut items = Vec::with_capacity(spans.len());
    for (path, span) in spans {
        let Some(span) = span.as_object() else {
            return Err(invalid(
                at(&path),
                format!("expected a span object, found {}", super::quoted_json(span)),
            ));
        };
        let offset = |key: &str| match span.get(key) {
            Some(value) => json_offset(value, || at(&join(&path, key))),
            None => Err(invalid(
                at(&join(&path, key)),
                "missing: a span needs start and end",
            )),
        };
        let (start, end) = (offset("start")?, offset("end")?);
        let recorded = checked_span(start, end, at(&join(&path, "end")))?;
        let field = |key: &str| json_str(span, key, &path).map_err(|e| relocate(e, number));
        let label = field("label")?.filter(|l| !l.is_empty());
        let tag = match (field("tag")?, label) {
            (Some(tag), _) if !tag.is_empty() => Tag::from(tag),
            (_, Some(label)) => Tag::from(label.to_lowercase()),
            _ => {
                return Err(invalid(
                    at(&join(&path, "label")),
                    "missing: a span needs a label",
                ))
            }
        };
        let quote = match field("text")? {
            Some(quote) => Some(quote.to_owned()),
            None => line_text.slice(recorded).map(str::to_owned),
        };
        items.push(Item {
            id_at: at(&join(&path, "id")),
            id: json_id(span, "id", &path).map_err(|e| relocate(e, number))?,
            recorded: Some(recorded),
            selectors: selectors_in(source.as_ref(), recorded, quote),
            tag,
            note: field("note")?.unwrap_or_default().to_owned(),
            attributes: json_attributes(span, "attributes", &path)
                .map_err(|e| relocate(e, number))?,
            created: None,
            modified: None,
        });
    }
    Ok(items)
}

/// The span objects of one line with their paths, in file order: `spans` (a list, or spaCy's
/// span groups `{"sc": [...], "other": [...]}`), else `ents`.
pub(crate) fn span_objects(
    object: &Map<String, Value>,
    number: usize,
) -> Result<Vec<(String, &Value)>, FormatError> {
    let mut spans: Vec<(String, &Value)> = Vec::new();
    match object.get("spans") {
        Some(Value::Object(groups)) => {
            for (key, group) in groups {
                add_list(&mut spans, group, join("spans", key), number)?;
            }
        }
        Some(list) => add_list(&mut spans, list, "spans".into(), number)?,
        None => {
            if let Some(ents) = object.get("ents") {
                add_list(&mut spans, ents, "ents".into(), number)?;
            }
        }
    }
    Ok(spans)
}

/// Adds the spans of the list `value` (at `path` of line `number`) to `spans`.
fn add_list<'v>(
    spans: &mut Vec<(String, &'v Value)>,
    value: &'v Value,
    path: String,
    number: usize,
) -> Result<(), FormatError> {
    match value {
        Value::Array(list) => {
            for (i, span) in list.iter().enumerate() {
                spans.push((index(&path, i), span));
            }
            Ok(())
        }
        Value::Null => Ok(()),
        other => Err(invalid(
            at_line(number, &path),
            format!(
                "expected a list of spans, found {}",
                super::quoted_json(other)
            ),
        )),
    }
}

/// Puts the line number in front of a JSON-path error from a helper.
pub(crate) fn relocate(error: FormatError, number: usize) -> FormatError {
    match error {
        FormatError::Invalid { at, message } => FormatError::Invalid {
            at: at_line(number, &at),
            message,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::test_support::{import_bytes, landed, store};

    #[test]
    fn labels_are_upper_case_and_text_slices_by_code_points() {
        let document = Document::from_raw("e\u{301}t\u{e9} 😀 Rain\r\nfell.");
        let store = store(
            &document,
            &[
                ("a", 0, 4, "claim", ""),
                ("b", 5, 6, "Person", "n"),
                ("c", 7, 14, "quote", ""),
            ],
        );
        let out = export(&document, &store);
        assert!(out.ends_with('\n') && out.lines().count() == 1);
        let line: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(line["text"], "e\u{301}t\u{e9} 😀 Rain\nfell.");
        let spans = line["spans"].as_array().unwrap();
        assert_eq!(spans[0]["label"], "CLAIM");
        assert_eq!(spans[0]["text"], "e\u{301}t\u{e9}");
        assert_eq!(spans[0].get("tag"), None);
        assert_eq!(spans[1]["label"], "PERSON");
        assert_eq!(spans[1]["tag"], "Person");
        assert_eq!(spans[1]["text"], "😀");
        assert_eq!(spans[2]["text"], "Rain\nfe");
    }

    #[test]
    fn prodigy_lines_with_extra_fields_are_read() {
        let document = Document::from_raw("Rain fell on Tuesday.");
        let input = concat!(
            r#"{"text": "Other text.", "spans": [], "_input_hash": 1, "answer": "accept"}"#,
            "\n",
            r#"{"text": "Rain fell on Tuesday.", "meta": {"source": "x"}, "_input_hash": -5, "_task_hash": 7, "tokens": [{"text": "Rain", "start": 0, "end": 4, "id": 0}], "spans": [{"start": 0, "end": 4, "token_start": 0, "token_end": 0, "label": "CLAIM"}, {"start": 13, "end": 20, "label": "date", "text": "Tuesday"}], "answer": "accept"}"#,
            "\n"
        );
        let report = import_bytes(&document, input.as_bytes()).unwrap();
        assert_eq!(
            landed(&report),
            [(0, 4, "claim".to_owned()), (13, 20, "date".to_owned())]
        );
    }

    #[test]
    fn the_first_line_is_reanchored_when_no_line_has_the_open_text() {
        let document = Document::from_raw("A new first line.\n\nRain fell on Tuesday.");
        let input = r#"{"text": "Rain fell on Tuesday.", "ents": [{"start": 13, "end": 20, "label": "DATE"}]}"#;
        let report = import_bytes(&document, input.as_bytes()).unwrap();
        assert_eq!(landed(&report), [(32, 39, "date".to_owned())]);
        assert_eq!(report.reanchored.len(), 1);
    }

    #[test]
    fn errors_name_the_line_and_field() {
        let document = Document::from_raw("Rain fell.");
        let input = "{\"text\": \"Rain fell.\", \"spans\": []}\n{\"text\": \"x\", \"spans\": [{\"start\": -1, \"end\": 2, \"label\": \"A\"}]}\n";
        let error = import_bytes(&document, input.as_bytes()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 2, spans[0].start: expected an offset (a whole number from 0), found -1"
        );
        let input = "{\"text\": \"Rain fell.\", \"spans\": []}\n{\"text\": \"x\", \"spans\": [}\n";
        let error = import_bytes(&document, input.as_bytes()).unwrap_err();
        assert!(
            matches!(error, FormatError::Json { line: 2, .. }),
            "{error:?}"
        );
        let input =
            "{\"text\": \"Rain fell.\", \"spans\": [{\"start\": 3, \"end\": 2, \"label\": \"A\"}]}";
        let error = import_bytes(&document, input.as_bytes()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 1, spans[0].end: end 2 is not after start 3"
        );
    }
}
