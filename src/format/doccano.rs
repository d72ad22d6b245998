//! doccano sequence-labelling JSON lines (`NAME.doccano.jsonl`): one line per document.
//!
//! ```json
//! {"text": "…the document text…", "label": [[0, 5, "claim"], [7, 12, "quote"]]}
//! ```
//! `start`/`end` are **code points, end exclusive** (doccano counts Python characters), and
//! `text` is the document text unchanged. The label is the tag id as written (`claim`, `quote`,
//! `condition`, or a custom label), in document order. doccano's triples have room for nothing
//! else: ids, notes and timestamps are not carried (imported spans get new ids and the time of
//! the import; the export's note says how many notes were left out), and orphans are not
//! exported.
//!
//! Import accepts doccano's own exports: `id`, `Comments`, `meta` and any other field are
//! ignored; spans may be triples under `label` (or `labels`), or objects under `entities`
//! (`{"id", "start_offset", "end_offset", "label"}`, the newer shape). Labels equal to a
//! built-in tag in any ASCII case (`Claim`, `CLAIM`) are that tag; others are kept as written.
//! Of several lines, the one whose `text` equals the open document's text is used, else the
//! first, re-anchored by the quote its text holds at the offsets. Every line is checked, so a
//! malformed line anywhere refuses the file.

use serde::Serialize;
use serde_json::{Map, Value};

use super::spacy::relocate;
use super::{
    at_line, checked_span, import_json_lines, index, invalid, join, json_offset, json_str,
    selectors_in, source_text, tag_from_label, FormatError, ImportContext, ImportReport, Item,
};
use crate::model::{AnnotationStore, Document};

#[derive(Serialize)]
struct LineOut<'a> {
    text: &'a str,
    label: Vec<(usize, usize, &'a str)>,
}

/// One JSON line (ending in `\n`) with `store`'s spans on `document`. O(n) in the text plus the
/// spans.
pub fn export(document: &Document, store: &AnnotationStore) -> String {
    let line = LineOut {
        text: document.text(),
        label: store
            .in_document_order()
            .map(|a| (a.span.start, a.span.end, a.tag.as_str()))
            .collect(),
    };
    let mut out = serde_json::to_string(&line).expect("plain structs always serialise");
    out.push('\n');
    out
}

/// Reads a doccano JSON-lines file (see the module doc) and places the spans of its line for
/// `document`. O(file) plus the anchoring.
pub fn import(
    document: &Document,
    input: &str,
    context: ImportContext<'_>,
) -> Result<ImportReport, FormatError> {
    import_json_lines(document, input, context, |object, text, number| {
        read_labels(document, object, text, number)
    })
}

/// The labelled spans of one line as items.
fn read_labels(
    document: &Document,
    object: &Map<String, Value>,
    text: &str,
    number: usize,
) -> Result<Vec<Item>, FormatError> {
    let at = |path: &str| at_line(number, path);
    let line_text = Document::from_normalized(text.to_owned());
    let source = source_text(document, text);
    let mut items = Vec::new();
    let mut push = |path: &str, start: usize, end: usize, label: &str| -> Result<(), FormatError> {
        let recorded = checked_span(start, end, at(&join(path, "end")))?;
        if label.is_empty() {
            return Err(invalid(at(path), "the label is empty"));
        }
        let quote = line_text.slice(recorded).map(str::to_owned);
        items.push(Item {
            id_at: at(path),
            id: None,
            recorded: Some(recorded),
            selectors: selectors_in(source.as_ref(), recorded, quote),
            tag: tag_from_label(label),
            note: String::new(),
            attributes: Default::default(),
            created: None,
            modified: None,
        });
        Ok(())
    };
    let list = |key: &str| -> Result<&[Value], FormatError> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(list)) => Ok(list),
            Some(other) => Err(invalid(
                at(key),
                format!(
                    "expected a list of labelled spans, found {}",
                    super::quoted_json(other)
                ),
            )),
        }
    };
    for key in ["label", "labels"] {
        for (i, triple) in list(key)?.iter().enumerate() {
            let path = index(key, i);
            let triple = match triple.as_array() {
                Some(triple) if triple.len() == 3 => triple,
                _ => {
                    return Err(invalid(
                        at(&path),
                        format!(
                            "expected [start, end, label], found {}",
                            super::quoted_json(triple)
                        ),
                    ))
                }
            };
            let start = json_offset(&triple[0], || at(&index(&path, 0)))?;
            let end = json_offset(&triple[1], || at(&index(&path, 1)))?;
            let Some(label) = triple[2].as_str() else {
                return Err(invalid(
                    at(&index(&path, 2)),
                    format!(
                        "expected a label (a string), found {}",
                        super::quoted_json(&triple[2])
                    ),
                ));
            };
            // An end before its start is named at the triple's second element.
            if end <= start {
                return Err(FormatError::EndBeforeStart {
                    path: at(&index(&path, 1)),
                    start,
                    end,
                });
            }
            push(&path, start, end, label)?;
        }
    }
    for (i, entity) in list("entities")?.iter().enumerate() {
        let path = index("entities", i);
        let Some(entity) = entity.as_object() else {
            return Err(invalid(
                at(&path),
                format!(
                    "expected an entity object, found {}",
                    super::quoted_json(entity)
                ),
            ));
        };
        let offset = |key: &str| match entity.get(key) {
            Some(value) => json_offset(value, || at(&join(&path, key))),
            None => Err(invalid(
                at(&join(&path, key)),
                "missing: an entity needs start_offset and end_offset",
            )),
        };
        let (start, end) = (offset("start_offset")?, offset("end_offset")?);
        let label = json_str(entity, "label", &path)
            .map_err(|e| relocate(e, number))?
            .ok_or_else(|| {
                invalid(
                    at(&join(&path, "label")),
                    "missing: an entity needs a label",
                )
            })?;
        if end <= start {
            return Err(FormatError::EndBeforeStart {
                path: at(&join(&path, "end_offset")),
                start,
                end,
            });
        }
        push(&path, start, end, label)?;
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::test_support::{import_bytes, landed, store};

    #[test]
    fn export_is_one_line_of_triples() {
        let document = Document::from_raw("Hello 😀 world");
        let store = store(
            &document,
            &[("a", 0, 5, "claim", ""), ("b", 6, 7, "place name", "")],
        );
        assert_eq!(
            export(&document, &store),
            "{\"text\":\"Hello 😀 world\",\"label\":[[0,5,\"claim\"],[6,7,\"place name\"]]}\n"
        );
    }

    #[test]
    fn doccano_exports_with_extra_fields_and_entities_are_read() {
        let document = Document::from_raw("Rain fell on Tuesday.");
        let input = concat!(
            r#"{"id": 12, "text": "Rain fell on Tuesday.", "Comments": ["ok"], "meta": {}, "label": [[0, 4, "CLAIM"]]}"#,
            "\n",
            r#"{"id": 13, "text": "Rain fell on Tuesday.", "entities": [{"id": 3, "start_offset": 13, "end_offset": 20, "label": "Date"}], "relations": []}"#,
        );
        let report = import_bytes(&document, input.as_bytes()).unwrap();
        // The first line with the open text is used.
        assert_eq!(landed(&report), [(0, 4, "claim".to_owned())]);
        let report = import_bytes(&document, input.lines().nth(1).unwrap().as_bytes()).unwrap();
        assert_eq!(landed(&report), [(13, 20, "Date".to_owned())]);
    }

    #[test]
    fn bad_triples_name_their_line_and_index() {
        let document = Document::from_raw("Rain fell.");
        let error = import_bytes(
            &document,
            br#"{"text": "Rain fell.", "label": ["positive"]}"#,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 1, label[0]: expected [start, end, label], found \"positive\""
        );
        let error = import_bytes(
            &document,
            br#"{"text": "Rain fell.", "label": [[0, 2.5, "a"]]}"#,
        )
        .unwrap_err();
        assert!(
            error.to_string().starts_with("line 1, label[0][1]:"),
            "{error}"
        );
        let error = import_bytes(
            &document,
            br#"{"text": "Rain fell.", "label": [[4, 2, "a"]]}"#,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 1, label[0][1]: end 2 is not after start 4"
        );
    }
}
