//! doccano sequence-labelling JSON lines (`NAME.doccano.jsonl`): one line per document.
//!
//! ```json
//! {"text": "…the document text…", "label": [[0, 5, "claim"], [7, 12, "quote"]]}
//! ```
//! `start`/`end` are **code points, end exclusive** (doccano counts Python characters), and
//! `text` is the document text unchanged. The label is the tag id as written (`claim`, `quote`,
//! `condition`, or a custom label), in document order.
//!
//! A document with relations is written in doccano's relation format instead, whose spans are
//! entities with an `id` (1, 2, … in document order) that the relations name, `from_id` the
//! span the relation starts from:
//! ```json
//! {"text": "…", "entities": [{"id": 1, "label": "quote", "start_offset": 0, "end_offset": 5},
//!                            {"id": 2, "label": "source", "start_offset": 7, "end_offset": 12}],
//!  "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "attributed-to"}]}
//! ```
//! doccano has room for nothing else: ids, notes, attributes and timestamps are not carried
//! (imported spans and relations get new ids and spans the time of the import; the export's
//! note says how many notes and attributes were left out), and orphans are not exported, nor
//! the relations to them.
//!
//! Import accepts doccano's own exports: `id`, `Comments`, `meta` and any other field are
//! ignored; spans may be triples under `label` (or `labels`), or objects under `entities`
//! (`{"id", "start_offset", "end_offset", "label"}`, the newer shape), and `relations` name
//! entities by their `id` (a relation whose ends are not entities of its line is left out, and
//! the report says how many). Labels equal to a built-in tag in any ASCII case (`Claim`,
//! `CLAIM`) are that tag; others are kept as written. Of several lines, the one whose `text`
//! equals the open document's text is used, else the first, re-anchored by the quote its text
//! holds at the offsets. Every line is checked, so a malformed line anywhere refuses the file.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::spacy::relocate;
use super::{
    at_line, checked_span, import_json_lines, index, invalid, join, json_id, json_offset, json_str,
    placed_relations, selectors_in, source_text, tag_from_label, FormatError, ImportContext,
    ImportReport, Item, Parsed, RelationItem,
};
use crate::model::{AnnotationId, AnnotationStore, Document};

#[derive(Serialize)]
struct LineOut<'a> {
    text: &'a str,
    label: Vec<(usize, usize, &'a str)>,
}

#[derive(Serialize)]
struct RelationLineOut<'a> {
    text: &'a str,
    entities: Vec<EntityOut<'a>>,
    relations: Vec<RelationOut<'a>>,
}

#[derive(Serialize)]
struct EntityOut<'a> {
    id: usize,
    label: &'a str,
    start_offset: usize,
    end_offset: usize,
}

#[derive(Serialize)]
struct RelationOut<'a> {
    id: usize,
    from_id: usize,
    to_id: usize,
    #[serde(rename = "type")]
    kind: &'a str,
}

/// One JSON line (ending in `\n`) with `store`'s spans on `document`, and its relations in
/// doccano's relation format when it has any (see the module doc). O(n) in the text plus the
/// spans and relations.
pub fn export(document: &Document, store: &AnnotationStore) -> String {
    let text = document.text();
    let mut relations = placed_relations(store).peekable();
    let mut out = if relations.peek().is_none() {
        let line = LineOut {
            text,
            label: store
                .in_document_order()
                .map(|a| (a.span.start, a.span.end, a.tag.as_str()))
                .collect(),
        };
        serde_json::to_string(&line)
    } else {
        let entity_ids: HashMap<&AnnotationId, usize> = store
            .in_document_order()
            .enumerate()
            .map(|(i, a)| (&a.id, i + 1))
            .collect();
        let line = RelationLineOut {
            text,
            entities: store
                .in_document_order()
                .map(|a| EntityOut {
                    id: entity_ids[&a.id],
                    label: a.tag.as_str(),
                    start_offset: a.span.start,
                    end_offset: a.span.end,
                })
                .collect(),
            relations: relations
                .enumerate()
                .map(|(i, r)| RelationOut {
                    id: i + 1,
                    from_id: entity_ids[&r.from],
                    to_id: entity_ids[&r.to],
                    kind: &r.kind,
                })
                .collect(),
        };
        serde_json::to_string(&line)
    }
    .expect("plain structs always serialise");
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

/// The labelled spans of one line as items, and its relations.
fn read_labels(
    document: &Document,
    object: &Map<String, Value>,
    text: &str,
    number: usize,
) -> Result<Parsed, FormatError> {
    let at = |path: &str| at_line(number, path);
    let line_text = Document::from_normalized(text.to_owned());
    let source = source_text(document, text);
    let mut items = Vec::new();
    // Each entity's id, with the index of its item.
    let mut entity_ids: HashMap<String, usize> = HashMap::new();
    let item = |path: &str, start: usize, end: usize, label: &str| -> Result<Item, FormatError> {
        let recorded = checked_span(start, end, at(&join(path, "end")))?;
        if label.is_empty() {
            return Err(invalid(at(path), "the label is empty"));
        }
        let quote = line_text.slice(recorded).map(str::to_owned);
        Ok(Item {
            id_at: at(path),
            id: None,
            recorded: Some(recorded),
            selectors: selectors_in(source.as_ref(), recorded, quote),
            tag: tag_from_label(label),
            note: String::new(),
            attributes: Default::default(),
            created: None,
            modified: None,
        })
    };
    let list = |key: &str, what: &str| -> Result<&[Value], FormatError> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(list)) => Ok(list),
            Some(other) => Err(invalid(
                at(key),
                format!(
                    "expected a list of {what}, found {}",
                    super::quoted_json(other)
                ),
            )),
        }
    };
    for key in ["label", "labels"] {
        for (i, triple) in list(key, "labelled spans")?.iter().enumerate() {
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
            items.push(item(&path, start, end, label)?);
        }
    }
    for (i, entity) in list("entities", "labelled spans")?.iter().enumerate() {
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
        if let Some(id) = json_id(entity, "id", &path).map_err(|e| relocate(e, number))? {
            entity_ids.entry(id).or_insert(items.len());
        }
        items.push(item(&path, start, end, label)?);
    }
    let mut relations = Vec::new();
    for (i, relation) in list("relations", "relations")?.iter().enumerate() {
        let path = index("relations", i);
        let Some(relation) = relation.as_object() else {
            return Err(invalid(
                at(&path),
                format!(
                    "expected a relation object, found {}",
                    super::quoted_json(relation)
                ),
            ));
        };
        let field = |key: &str| json_id(relation, key, &path).map_err(|e| relocate(e, number));
        let end = |key: &str| -> Result<Option<usize>, FormatError> {
            Ok(field(key)?.and_then(|id| entity_ids.get(&id).copied()))
        };
        let kind = json_str(relation, "type", &path)
            .map_err(|e| relocate(e, number))?
            .ok_or_else(|| invalid(at(&join(&path, "type")), "missing: a relation needs a type"))?;
        relations.push(RelationItem {
            id_at: at(&join(&path, "id")),
            // doccano's numbers name its own database rows: the relation gets a new id.
            id: None,
            kind: kind.to_owned(),
            from: end("from_id")?,
            to: end("to_id")?,
            note: String::new(),
        });
    }
    Ok(Parsed {
        items,
        relations,
        notes: Vec::new(),
    })
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
    fn relations_switch_the_line_to_doccanos_relation_format_and_come_back() {
        use crate::format::test_support::{relate, relations};
        let document = Document::from_raw("Macron said no.");
        let mut store = store(
            &document,
            &[("q", 7, 14, "quote", ""), ("s", 0, 6, "source", "")],
        );
        relate(&mut store, ("r", "attributed-to", "q", "s", "a note"));
        assert_eq!(
            export(&document, &store),
            "{\"text\":\"Macron said no.\",\
             \"entities\":[{\"id\":1,\"label\":\"source\",\"start_offset\":0,\"end_offset\":6},\
             {\"id\":2,\"label\":\"quote\",\"start_offset\":7,\"end_offset\":14}],\
             \"relations\":[{\"id\":1,\"from_id\":2,\"to_id\":1,\"type\":\"attributed-to\"}]}\n"
        );
        let report = import_bytes(&document, export(&document, &store).as_bytes()).unwrap();
        let ids: Vec<String> = report.placed.iter().map(|a| a.id.to_string()).collect();
        assert_eq!(
            relations(&report),
            [(
                "attributed-to".into(),
                ids[1].clone(),
                ids[0].clone(),
                String::new()
            )]
        );
        // doccano's own relation export: ids of its rows, string or number.
        let line = r#"{"id": 7, "text": "Macron said no.", "entities": [{"id": 31, "label": "PER", "start_offset": 0, "end_offset": 6}, {"id": "32", "label": "QUOTE", "start_offset": 7, "end_offset": 14}], "relations": [{"id": 5, "from_id": 32, "to_id": "31", "type": "said_by"}, {"id": 6, "from_id": 32, "to_id": 99, "type": "x"}]}"#;
        let report = import_bytes(&document, line.as_bytes()).unwrap();
        let ids: Vec<String> = report.placed.iter().map(|a| a.id.to_string()).collect();
        assert_eq!(
            relations(&report),
            [(
                "said_by".into(),
                ids[1].clone(),
                ids[0].clone(),
                String::new()
            )]
        );
        assert_eq!(
            report.notes,
            ["1 relation left out: it is not between two annotations of the file"]
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
