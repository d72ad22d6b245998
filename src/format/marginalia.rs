//! Marginalia's own format: versioned JSON that carries the document text, its SHA-256, and
//! each annotation with code-point offsets, tag, quote, note and timestamps. Lossless: it is also
//! the one format that keeps orphans (imported annotations that could not be placed).
//!
//! ```json
//! {"format": "marginalia", "version": 1, "name": "…", "text": "…", "sha256": "…",
//!  "annotations": [{"id": "a1", "start": 0, "end": 5, "tag": "quote", "quote": "…",
//!                   "note": "…", "attributes": {"kind": "indirect"},
//!                   "created": "…", "modified": "…"},
//!                  {"id": "a2", "orphan": true, "start": 7, "end": 12, "tag": "source",
//!                   "quote": "…", "created": "…", "modified": "…"}],
//!  "relations": [{"id": "r1", "type": "attributed-to", "from": "a1", "to": "a2", "note": "…"}],
//!  "labels": [{"tag": "claim", "name": "Claim", "colour": "blue", "key": 1}, …],
//!  "relation_types": [{"id": "attributed-to", "name": "Attributed to", …}, …]}
//! ```
//! Offsets are code points, end exclusive. On import only `format`, `version` and each
//! annotation's `start`, `end` and `tag` are required; `labels` (the document set's labels,
//! removed ones with `"removed": true`) and `relation_types` are optional, and the labels and
//! types the importing set lacks are added to it. An annotation's `attributes` (values `true`
//! or text) and a relation's `note` are left out when empty. A relation links two annotations
//! of the file by their ids (either may be an orphan), `from` first; one whose `from` or `to`
//! is no annotation of the file is left out, and the report says how many. A relation of the
//! wrong shape refuses the file, naming its path (`relations[2].from`), as an annotation does.
//!
//! Annotations are written in document order, then the orphans (`"orphan": true`) in the
//! store's order. An orphan's `start`/`end` are the offsets it had in the file it came from, not
//! in `text`, so on import an orphan is anchored by its quote alone (its recorded offsets
//! count only where its quote is still there); one without a quote stays an orphan.

use serde::{Deserialize, Serialize};

use super::{
    items_by_id, live_relations, parse_json, place_items, selectors_in, source_text, FormatError,
    ImportContext, ImportReport, Item, Parsed, RelationItem,
};
use crate::anchor::{Selectors, TextQuote};
use crate::model::{
    limits, AnnotationStore, Attributes, Document, Label, LabelSet, Relation, RelationType, Tag,
};

/// The `format` value.
pub const FORMAT_NAME: &str = "marginalia";
/// The newest version written and read.
pub const VERSION: u64 = 1;

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u64,
    /// Who made the annotations (the library's annotator name); left out when none.
    #[serde(skip_serializing_if = "str::is_empty")]
    annotator: &'a str,
    name: &'a str,
    text: &'a str,
    sha256: &'a str,
    annotations: Vec<AnnotationOut<'a>>,
    relations: Vec<&'a Relation>,
    labels: &'a [Label],
    relation_types: &'a [RelationType],
}

#[derive(Serialize)]
struct AnnotationOut<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    orphan: bool,
    start: usize,
    end: usize,
    tag: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    quote: Option<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    note: &'a str,
    #[serde(skip_serializing_if = "Attributes::is_empty")]
    attributes: &'a Attributes,
    created: &'a str,
    modified: &'a str,
}

/// Just enough to decide whether and how to read the rest.
#[derive(Deserialize)]
struct Header {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct FileIn {
    #[allow(dead_code)] // checked through `Header`; listed so the shape is complete
    format: String,
    #[allow(dead_code)]
    version: u64,
    #[serde(default)]
    text: Option<String>,
    annotations: Vec<AnnotationIn>,
    #[serde(default)]
    relations: Vec<RelationIn>,
    #[serde(default)]
    labels: Option<Vec<Label>>,
    #[serde(default)]
    relation_types: Vec<RelationType>,
}

#[derive(Deserialize)]
struct AnnotationIn {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    orphan: bool,
    start: usize,
    end: usize,
    tag: String,
    #[serde(default)]
    quote: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    attributes: Attributes,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    modified: Option<String>,
}

#[derive(Deserialize)]
struct RelationIn {
    #[serde(default)]
    id: Option<String>,
    #[serde(rename = "type")]
    kind: String,
    from: String,
    to: String,
    #[serde(default)]
    note: Option<String>,
}

/// The file for `store`'s annotations and orphans on `document`, named `name`, with the
/// document set's `labels`. O(n) in text + annotations.
pub fn export(
    document: &Document,
    name: &str,
    store: &AnnotationStore,
    labels: &LabelSet,
    annotator: &str,
) -> String {
    let placed = store.in_document_order().map(|a| AnnotationOut {
        id: a.id.as_str(),
        orphan: false,
        start: a.span.start,
        end: a.span.end,
        tag: a.tag.as_str(),
        quote: Some(document.slice(a.span).unwrap_or_default()),
        note: &a.note,
        attributes: &a.attributes,
        created: &a.created,
        modified: &a.modified,
    });
    let orphans = store.orphans().iter().map(|o| AnnotationOut {
        id: o.annotation.id.as_str(),
        orphan: true,
        start: o.annotation.span.start,
        end: o.annotation.span.end,
        tag: o.annotation.tag.as_str(),
        quote: o.quote.as_deref(),
        note: &o.annotation.note,
        attributes: &o.annotation.attributes,
        created: &o.annotation.created,
        modified: &o.annotation.modified,
    });
    let file = FileOut {
        format: FORMAT_NAME,
        version: VERSION,
        annotator,
        name,
        text: document.text(),
        sha256: document.sha256(),
        annotations: placed.chain(orphans).collect(),
        relations: live_relations(store).collect(),
        labels: labels.all(),
        relation_types: labels.relation_types(),
    };
    serde_json::to_string_pretty(&file).expect("plain structs always serialise")
}

/// Reads a marginalia file and places its annotations on `document`.
pub fn import(
    document: &Document,
    input: &str,
    context: ImportContext<'_>,
) -> Result<ImportReport, FormatError> {
    let header: Header = parse_json(input, 0)?;
    match header.format.as_ref().and_then(|f| f.as_str()) {
        Some(FORMAT_NAME) => {}
        Some(other) => {
            return Err(FormatError::NotRecognised(format!(
                "its \"format\" is \"{}\"",
                super::quoted(other)
            )))
        }
        None => {
            return Err(FormatError::NotRecognised(
                "it has no \"format\": \"marginalia\" field".into(),
            ))
        }
    }
    match header.version.as_ref().map(|v| v.as_u64()) {
        Some(Some(found)) if found > VERSION => {
            return Err(FormatError::NewerVersion {
                found,
                supported: VERSION,
            })
        }
        Some(Some(_)) => {}
        _ => {
            return Err(FormatError::Json {
                path: "version".into(),
                message: "expected a whole number".into(),
                line: 1,
                column: 1,
            })
        }
    }
    let file: FileIn = parse_json(input, 0)?;

    // The file's own text, when it has one, gives each annotation its context.
    let source = file
        .text
        .as_deref()
        .and_then(|text| source_text(document, text));
    let mut items = Vec::with_capacity(file.annotations.len());
    for (index, item) in file.annotations.into_iter().enumerate() {
        let recorded =
            super::checked_span(item.start, item.end, format!("annotations[{index}].end"))?;
        let selectors = if item.orphan {
            // Its offsets refer to the text it was made on, not to `text`: no context from it.
            Selectors {
                position: item.quote.is_some().then_some(recorded),
                quote: item.quote.map(|exact| TextQuote {
                    exact,
                    prefix: String::new(),
                    suffix: String::new(),
                }),
            }
        } else {
            selectors_in(source.as_ref(), recorded, item.quote)
        };
        items.push(Item {
            id_at: format!("annotations[{index}].id"),
            id: item.id,
            recorded: Some(recorded),
            selectors,
            tag: Tag::from(item.tag),
            note: item.note.unwrap_or_default(),
            attributes: item.attributes,
            created: item.created,
            modified: item.modified,
        });
    }
    let by_id = items_by_id(&items);
    let end = |id: &str| by_id.get(id).copied();
    let relations = file
        .relations
        .into_iter()
        .enumerate()
        .map(|(index, relation)| RelationItem {
            id_at: format!("relations[{index}].id"),
            from: end(&relation.from),
            to: end(&relation.to),
            id: relation.id,
            kind: relation.kind,
            note: relation.note.unwrap_or_default(),
        })
        .collect();
    let parsed = Parsed {
        items,
        relations,
        notes: Vec::new(),
    };
    let mut report = place_items(document, parsed, context)?;
    if let Some(labels) = &file.labels {
        for (i, label) in labels.iter().enumerate() {
            let at = || format!("labels[{i}]");
            super::check_length(&label.name, limits::MAX_LABEL_CHARS, "label", at)?;
            super::check_length(label.tag.as_str(), limits::MAX_LABEL_CHARS, "label", at)?;
        }
    }
    for (i, kind) in file.relation_types.iter().enumerate() {
        let at = || format!("relation_types[{i}]");
        super::check_length(&kind.name, limits::MAX_LABEL_CHARS, "label", at)?;
        super::check_length(&kind.id, limits::MAX_LABEL_CHARS, "label", at)?;
    }
    report.labels = file
        .labels
        .map(|labels| LabelSet::from_parts(labels, file.relation_types));
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AnnotationId, LabelSet, Span};

    fn context<'a>(
        in_use: &'a dyn Fn(&AnnotationId) -> bool,
        new_id: &'a mut dyn FnMut() -> AnnotationId,
    ) -> ImportContext<'a> {
        ImportContext {
            id_in_use: in_use,
            new_id,
            now: "2026-11-25T00:00:00Z",
        }
    }

    fn import_str(document: &Document, input: &str) -> Result<ImportReport, FormatError> {
        let mut n = 0;
        let mut new_id = || {
            n += 1;
            AnnotationId::from(format!("new-{n}"))
        };
        import(document, input, context(&|_| false, &mut new_id))
    }

    #[test]
    fn orphans_are_exported_and_anchored_again_on_import() {
        use crate::model::{Annotation, Command, Orphan};
        let document = Document::from_raw("Alpha beta gamma");
        let mut store = crate::format::test_support::store(&document, &[("a", 0, 5, "claim", "")]);
        for (id, quote) in [
            ("gone", Some("delta")),
            ("here", Some("gamma")),
            ("bare", None),
        ] {
            let annotation =
                Annotation::new(id.into(), Span::new(40, 45).unwrap(), Tag::Quote, "t0");
            let orphan = Orphan {
                annotation,
                quote: quote.map(str::to_owned),
            };
            store.apply(Command::AddOrphan { orphan }).unwrap();
        }
        let file = export(&document, "d.txt", &store, &LabelSet::default(), "");
        let json: serde_json::Value = serde_json::from_str(&file).unwrap();
        let items = json["annotations"].as_array().unwrap();
        assert_eq!(items.len(), 4);
        assert_eq!(items[1]["orphan"], true);
        assert_eq!(items[0].get("orphan"), None);

        let report = import_str(&document, &file).unwrap();
        assert_eq!(report.placed.len(), 1);
        // "gamma" is in the text now: placed by its quote.
        assert_eq!(report.reanchored.len(), 1);
        assert_eq!(report.reanchored[0].id.as_str(), "here");
        assert_eq!(report.reanchored[0].span, Span::new(11, 16).unwrap());
        // The others stay orphans, exactly as they were kept.
        let expected: Vec<Orphan> = ["bare", "gone"]
            .iter()
            .map(|id| Orphan::clone(store.orphan(&AnnotationId::from(*id)).unwrap()))
            .collect();
        let mut orphans = report.orphaned.clone();
        orphans.sort_by(|a, b| a.annotation.id.cmp(&b.annotation.id));
        assert_eq!(orphans, expected);
    }

    #[test]
    fn labels_travel_with_the_file_and_a_file_without_them_has_none() {
        let document = Document::from_raw("Alpha beta gamma");
        let store = crate::format::test_support::store(&document, &[("a", 0, 5, "speaker", "")]);
        let mut labels = LabelSet::default();
        let source = labels.add("Speaker").unwrap();
        labels.add_relation_type("Cites").unwrap();
        labels.remove(&Tag::Condition).unwrap();
        let file = export(&document, "d.txt", &store, &labels, "");
        let report = import_str(&document, &file).unwrap();
        assert_eq!(report.labels.as_ref(), Some(&labels));
        assert_eq!(report.placed[0].tag, source);
        let bare = r#"{"format":"marginalia","version":1,"annotations":[]}"#;
        assert_eq!(import_str(&document, bare).unwrap().labels, None);
        let bad = r#"{"format":"marginalia","version":1,"annotations":[],"labels":[{"tag":"x","name":"X","colour":"pink"}]}"#;
        let error = import_str(&document, bad).unwrap_err().to_string();
        assert!(error.contains("labels[0].colour"), "{error}");
    }

    #[test]
    fn relations_and_attributes_have_their_file_shapes_and_come_back() {
        use crate::format::test_support::{quote_and_source, relate, relations};
        let (document, mut store) = quote_and_source();
        relate(&mut store, ("r1", "attributed-to", "q", "s", ""));
        relate(&mut store, ("r2", "qualifies", "s", "q", "why"));
        let file = export(&document, "d.txt", &store, &LabelSet::default(), "");
        let json: serde_json::Value = serde_json::from_str(&file).unwrap();
        assert_eq!(
            json["relations"],
            serde_json::json!([
                {"id": "r1", "type": "attributed-to", "from": "q", "to": "s"},
                {"id": "r2", "type": "qualifies", "from": "s", "to": "q", "note": "why"}
            ])
        );
        assert_eq!(json["annotations"][0].get("attributes"), None);
        assert_eq!(
            json["annotations"][1]["attributes"],
            serde_json::json!({"kind": "indirect"})
        );
        let report = import_str(&document, &file).unwrap();
        assert_eq!(report.store_on(&document).unwrap(), store);

        // A relation to an annotation the file does not have is left out, and said so.
        let dangling = r#"{"format":"marginalia","version":1,"annotations":[{"id":"a","start":0,"end":6,"tag":"source"}],
            "relations":[{"type":"attributed-to","from":"a","to":"elsewhere"}]}"#;
        let report = import_str(&document, dangling).unwrap();
        assert_eq!(relations(&report), []);
        assert_eq!(
            report.notes,
            ["1 relation left out: it is not between two annotations of the file"]
        );
        // A relation of the wrong shape refuses the file, naming where.
        let bad = r#"{"format":"marginalia","version":1,"annotations":[],"relations":[{"type":"x","from":"a","to":7}]}"#;
        let error = import_str(&document, bad).unwrap_err();
        let FormatError::Json { path, .. } = &error else {
            panic!("{error:?}")
        };
        assert_eq!(path, "relations[0].to");
        let bad = r#"{"format":"marginalia","version":1,"annotations":[{"start":0,"end":6,"tag":"x","attributes":{"n":1}}]}"#;
        let error = import_str(&document, bad).unwrap_err();
        assert!(
            error.to_string().starts_with("annotations[0].attributes.n"),
            "{error}"
        );
    }

    #[test]
    fn minimal_file_is_read() {
        let document = Document::from_raw("Hello world");
        let report = import_str(
            &document,
            r#"{"format":"marginalia","version":1,"annotations":[{"start":0,"end":5,"tag":"claim"}]}"#,
        )
        .unwrap();
        assert_eq!(report.placed.len(), 1);
        assert_eq!(report.placed[0].id.as_str(), "new-1");
    }

    #[test]
    fn negative_offset_names_its_path() {
        let document = Document::from_raw("Hello world");
        let error = import_str(
            &document,
            r#"{"format":"marginalia","version":1,"annotations":[{"start":-1,"end":5,"tag":"claim"}]}"#,
        )
        .unwrap_err();
        let FormatError::Json { path, .. } = &error else {
            panic!("{error:?}")
        };
        assert_eq!(path, "annotations[0].start");
    }

    #[test]
    fn newer_version_is_refused() {
        let document = Document::from_raw("Hello");
        let error = import_str(
            &document,
            r#"{"format":"marginalia","version":2,"annotations":[]}"#,
        )
        .unwrap_err();
        assert_eq!(
            error,
            FormatError::NewerVersion {
                found: 2,
                supported: 1
            }
        );
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let document = Document::from_raw("Hello world");
        let error = import_str(
            &document,
            r#"{"format":"marginalia","version":1,"annotations":[
                {"id":"a","start":0,"end":5,"tag":"claim"},{"id":"a","start":6,"end":11,"tag":"quote"}]}"#,
        )
        .unwrap_err();
        assert!(
            matches!(error, FormatError::DuplicateId { ref path, .. } if path == "annotations[1].id")
        );
    }

    #[test]
    fn end_before_start_is_refused() {
        let document = Document::from_raw("Hello world");
        let error = import_str(
            &document,
            r#"{"format":"marginalia","version":1,"annotations":[{"start":5,"end":2,"tag":"claim"}]}"#,
        )
        .unwrap_err();
        assert!(matches!(error, FormatError::EndBeforeStart { .. }));
    }

    #[test]
    fn a_quote_that_does_not_match_is_reanchored_or_orphaned() {
        let document = Document::from_raw("Alpha beta gamma beta");
        let report = import_str(
            &document,
            r#"{"format":"marginalia","version":1,"annotations":[
                {"start":0,"end":5,"tag":"claim","quote":"gamma"},
                {"start":0,"end":5,"tag":"claim","quote":"delta"}]}"#,
        )
        .unwrap();
        assert_eq!(report.reanchored.len(), 1);
        assert_eq!(report.reanchored[0].span, Span::new(11, 16).unwrap());
        assert_eq!(report.orphaned.len(), 1);
    }
}
