//! Label Studio JSON (`NAME.label-studio.json`): an array of tasks, as Label Studio imports
//! tasks with annotations and exports them ("JSON" export).
//!
//! ```json
//! [{"id": 1, "data": {"text": "…the document text…", "name": "sample-article.txt"},
//!   "annotations": [{"id": 1, "result": [
//!     {"id": "…annotation id…", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
//!      "value": {"start": 262, "end": 279, "text": "412 million euros", "labels": ["claim"]}},
//!     {"id": "…the same id…", "from_name": "note", "to_name": "text", "type": "textarea", "origin": "manual",
//!      "value": {"start": 262, "end": 279, "text": ["check the figure"]}}]}]}]
//! ```
//! - **Regions** are `labels` results on the `<Text name="text">` tag; `value.labels` holds the
//!   tag id (`claim`, a custom label's id), which is what the [`labeling_config`] calls each
//!   `<Label>`, so Label Studio shows our labels with their colours.
//! - **Notes** are per-region `textarea` results (`from_name` `note`, the region's `id`), which
//!   is how Label Studio stores a `<TextArea perRegion="true">`: the note appears in the
//!   region's panel.
//! - **Attributes** are per-region results too, `from_name` the attribute's name: a choice
//!   (as the region's label declares it) or a flag is a `choices` result (`["indirect"]`, a flag
//!   `["true"]`), free text a `textarea` result. So a choice whose value is `true` or `false`
//!   reads back as a flag, and an attribute named `note` as the note.
//! - **Relations** are `relation` results between two regions, as Label Studio writes them:
//!   `{"from_id": "…", "to_id": "…", "type": "relation", "direction": "right", "labels":
//!   ["attributed-to"]}`. Label Studio's relations hold no text, so a relation's note is left
//!   out (the export says how many).
//! - **Offsets.** `start`/`end` count **code points**. Older Label Studio frontends measured
//!   them in JavaScript UTF-16 code units, so a region after an emoji was off by one per emoji
//!   (HumanSignal/label-studio#1347, 2021: `💩This is an annotation.` gave 13..23 for
//!   `annotation`, where Python counts 12..22); in 1.9 (#4988, 2023) the exported offsets were
//!   code points but the editor still drew them shifted. The editor's offsets work (feature
//!   flag `FF_LSDV_4620_3`) counts code points both ways: its own tests "Should calculate
//!   offsets by code points in text", with the flag on and off, expect `test` at 21..25 in
//!   `🐱 Warning: This is a test text` and draw it there again on reload. So code points are
//!   what current Label Studio places on the right words, and what its Python SDK and
//!   converters slice with. On import both units are accepted: a region whose `value.text` is
//!   the text at its offsets read as code points is taken as written; one that is the text
//!   there only when they are read as UTF-16 code units (an older Label Studio's file) is
//!   converted, and the report counts them. Exact matches are tried before loose ones
//!   (whitespace and Label Studio's escaped `\n` ignored, as it rewrites `value.text`,
//!   #3078); where both readings give the same text, code points win.
//! - **Left out**: timestamps, orphans (and the relations to them), relations' notes.
//!
//! Import reads an array of tasks, one task, or a task list under `tasks`; each task's
//! `annotations` (older files: `completions`) and `predictions`. A region with several labels
//! becomes one annotation per label. Per-region `choices` (of one choice) and `textarea`
//! results other than the note are the region's attributes, by their `from_name`. A `relation`
//! result becomes one relation per label (`untagged` without one), from `from_id` to `to_id`;
//! `direction` `left` swaps them, and `bi` keeps them as written (the report says how many
//! two-way relations were read as one-way). Per-task `textarea`s and results of other kinds
//! (per-task choices, ratings) are counted in the report as left out. Of several tasks, the one
//! whose `data.text` is the open text is read (else the first); **Open…** makes a document of
//! each ([`tasks`]).

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::{Map, Value};

use super::{
    checked_span, index, invalid, items_by_id, join, json_offset, place_items, placed_relations,
    quoted_json, selectors_in, source_text, tag_from_label, FormatError, ImportContext,
    ImportReport, Item, Parsed, RelationItem,
};
use crate::model::{
    AnnotationStore, AttributeKind, AttributeValue, Attributes, Document, LabelSet, Span,
};

/// `from_name` of the region labels in our files and [`labeling_config`].
pub const LABELS_NAME: &str = "label";
/// `from_name` of the per-region note.
pub const NOTE_NAME: &str = "note";
/// `to_name`: the `<Text>` tag, whose value is `$text`.
pub const TEXT_NAME: &str = "text";

#[derive(Serialize)]
struct TaskOut<'a> {
    id: usize,
    data: DataOut<'a>,
    annotations: [AnnotationOut<'a>; 1],
}

#[derive(Serialize)]
struct DataOut<'a> {
    text: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct AnnotationOut<'a> {
    id: usize,
    /// Who made it: the library's annotator name, left out when none.
    #[serde(skip_serializing_if = "str::is_empty")]
    completed_by: &'a str,
    result: Vec<ResultItemOut<'a>>,
}

/// A result: of a region, or a relation between two.
#[derive(Serialize)]
#[serde(untagged)]
enum ResultItemOut<'a> {
    Region(ResultOut<'a>),
    Relation(RelationOut<'a>),
}

#[derive(Serialize)]
struct RelationOut<'a> {
    from_id: &'a str,
    to_id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    direction: &'static str,
    labels: [&'a str; 1],
}

#[derive(Serialize)]
struct ResultOut<'a> {
    id: &'a str,
    from_name: &'a str,
    to_name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    origin: &'static str,
    value: ValueOut<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ValueOut<'a> {
    Labels {
        start: usize,
        end: usize,
        text: &'a str,
        labels: [&'a str; 1],
    },
    Text {
        start: usize,
        end: usize,
        text: [&'a str; 1],
    },
    Choices {
        start: usize,
        end: usize,
        choices: [&'a str; 1],
    },
}

/// One task (task id `task_id`) for `document`, named `name`, with `store`'s regions, their
/// notes and attributes (a choice as `labels` declare it), and the relations between them:
/// what [`export`] wraps in an array, and what **All** writes one of per document.
fn task<'a>(
    document: &'a Document,
    name: &'a str,
    store: &'a AnnotationStore,
    labels: &LabelSet,
    task_id: usize,
    annotator: &'a str,
) -> TaskOut<'a> {
    let mut result = Vec::with_capacity(store.len() + store.relation_count());
    for a in store.in_document_order() {
        let (start, end) = (a.span.start, a.span.end);
        let mut region = |from_name: &'a str, kind: &'static str, value: ValueOut<'a>| {
            result.push(ResultItemOut::Region(ResultOut {
                id: a.id.as_str(),
                from_name,
                to_name: TEXT_NAME,
                kind,
                origin: "manual",
                value,
            }))
        };
        region(
            LABELS_NAME,
            "labels",
            ValueOut::Labels {
                start,
                end,
                text: document.slice(a.span).unwrap_or_default(),
                labels: [a.tag.as_str()],
            },
        );
        if !a.note.is_empty() {
            region(
                NOTE_NAME,
                "textarea",
                ValueOut::Text {
                    start,
                    end,
                    text: [&a.note],
                },
            );
        }
        for (name, value) in &a.attributes {
            let is_choice = || {
                labels
                    .get(&a.tag)
                    .and_then(|l| l.attribute(name))
                    .is_some_and(|def| matches!(def.kind, AttributeKind::Choice { .. }))
            };
            let (kind, value) = match value {
                AttributeValue::Flag(flag) => (
                    "choices",
                    ValueOut::Choices {
                        start,
                        end,
                        choices: [if *flag { "true" } else { "false" }],
                    },
                ),
                AttributeValue::Text(text) if is_choice() => (
                    "choices",
                    ValueOut::Choices {
                        start,
                        end,
                        choices: [text],
                    },
                ),
                AttributeValue::Text(text) => (
                    "textarea",
                    ValueOut::Text {
                        start,
                        end,
                        text: [text],
                    },
                ),
            };
            region(name, kind, value);
        }
    }
    result.extend(placed_relations(store).map(|r| {
        ResultItemOut::Relation(RelationOut {
            from_id: r.from.as_str(),
            to_id: r.to.as_str(),
            kind: "relation",
            direction: "right",
            labels: [&r.kind],
        })
    }));
    TaskOut {
        id: task_id,
        data: DataOut {
            text: document.text(),
            name,
        },
        annotations: [AnnotationOut {
            id: task_id,
            completed_by: annotator,
            result,
        }],
    }
}

/// A Label Studio file of one task: `document` (named `name`) with `store`'s regions and
/// relations. O(n).
pub fn export(
    document: &Document,
    name: &str,
    store: &AnnotationStore,
    labels: &LabelSet,
    annotator: &str,
) -> String {
    export_tasks(&[(document, name, store)], labels, annotator)
}

/// A Label Studio file of one task per document, ids 1, 2, … in order. O(total size).
pub fn export_tasks(
    documents: &[(&Document, &str, &AnnotationStore)],
    labels: &LabelSet,
    annotator: &str,
) -> String {
    let tasks: Vec<TaskOut<'_>> = documents
        .iter()
        .enumerate()
        .map(|(i, (document, name, store))| task(document, name, store, labels, i + 1, annotator))
        .collect();
    let mut out = serde_json::to_string_pretty(&tasks).expect("plain structs always serialise");
    out.push('\n');
    out
}

/// The labeling config (Label Studio's XML) that shows `labels` (active and removed, so every
/// tag in a file has its label) on the task text, with a per-region note field, a per-region
/// field for each attribute of a label or used in `stores` (a choice or flag as `<Choices>`,
/// free text as a `<TextArea>`, shown only on the label that has it when one label does) and
/// the relation types, and the types `stores`' relations use, as `<Relations>`: paste it into
/// a project's Settings → Labeling Interface → Code before importing our files.
pub fn labeling_config(labels: &LabelSet, stores: &[&AnnotationStore]) -> String {
    let mut xml = String::from("<View>\n");
    xml.push_str(&format!(
        "  <Labels name=\"{LABELS_NAME}\" toName=\"{TEXT_NAME}\">\n"
    ));
    for label in labels.all() {
        xml.push_str(&format!(
            "    <Label value=\"{}\" hint=\"{}\" background=\"{}\"/>\n",
            xml_attribute(label.tag.as_str()),
            xml_attribute(&label.name),
            label.colour.hex()
        ));
    }
    xml.push_str("  </Labels>\n");
    xml.push_str(&format!(
        "  <Text name=\"{TEXT_NAME}\" value=\"$text\" granularity=\"symbol\"/>\n"
    ));
    xml.push_str(&format!(
        "  <TextArea name=\"{NOTE_NAME}\" toName=\"{TEXT_NAME}\" perRegion=\"true\" editable=\"true\" placeholder=\"Note\"/>\n"
    ));
    for control in attribute_controls(labels, stores) {
        let name = xml_attribute(&control.name);
        let only_on = match control.tags.as_slice() {
            [tag] => format!(
                " whenTagName=\"{LABELS_NAME}\" whenLabelValue=\"{}\"",
                xml_attribute(tag)
            ),
            _ => String::new(),
        };
        let open = format!("name=\"{name}\" toName=\"{TEXT_NAME}\" perRegion=\"true\"{only_on}");
        match control.choices {
            None => xml.push_str(&format!("  <TextArea {open} editable=\"true\"/>\n")),
            Some(choices) => {
                xml.push_str(&format!("  <Choices {open}>\n"));
                for choice in choices {
                    xml.push_str(&format!(
                        "    <Choice value=\"{}\"/>\n",
                        xml_attribute(&choice)
                    ));
                }
                xml.push_str("  </Choices>\n");
            }
        }
    }
    let mut kinds: Vec<&str> = labels
        .relation_types()
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    for store in stores {
        for relation in placed_relations(store) {
            if !kinds.contains(&relation.kind.as_str()) {
                kinds.push(&relation.kind);
            }
        }
    }
    if !kinds.is_empty() {
        xml.push_str("  <Relations>\n");
        for kind in kinds {
            xml.push_str(&format!(
                "    <Relation value=\"{}\"/>\n",
                xml_attribute(kind)
            ));
        }
        xml.push_str("  </Relations>\n");
    }
    xml.push_str("</View>\n");
    xml
}

/// A per-region control of the labeling config for one attribute name.
struct AttributeControl {
    name: String,
    /// The tags whose regions have it.
    tags: Vec<String>,
    /// Its choices (a flag's is `true`), or `None` for free text.
    choices: Option<Vec<String>>,
}

/// The attributes of `labels` and those `stores` use, each name once, as the results
/// [`export`] writes them: a choice or a flag as choices, free text as a text area.
fn attribute_controls(labels: &LabelSet, stores: &[&AnnotationStore]) -> Vec<AttributeControl> {
    let mut controls: Vec<AttributeControl> = Vec::new();
    let mut add = |name: &str, tag: &str, choices: Option<Vec<String>>| {
        let control = match controls.iter_mut().position(|c| c.name == name) {
            Some(index) => &mut controls[index],
            None => {
                controls.push(AttributeControl {
                    name: name.to_owned(),
                    tags: Vec::new(),
                    choices: choices.as_ref().map(|_| Vec::new()),
                });
                controls.last_mut().expect("just pushed")
            }
        };
        if !control.tags.iter().any(|t| t == tag) {
            control.tags.push(tag.to_owned());
        }
        if let (Some(known), Some(choices)) = (&mut control.choices, choices) {
            for choice in choices {
                if !known.contains(&choice) {
                    known.push(choice);
                }
            }
        }
    };
    for label in labels.all() {
        for attribute in &label.attributes {
            let choices = match &attribute.kind {
                AttributeKind::Choice { values } => Some(values.clone()),
                AttributeKind::Flag => Some(vec!["true".to_owned()]),
                AttributeKind::Text => None,
            };
            add(&attribute.name, label.tag.as_str(), choices);
        }
    }
    for store in stores {
        for annotation in store.in_document_order() {
            for (name, value) in &annotation.attributes {
                let declared = labels
                    .get(&annotation.tag)
                    .and_then(|l| l.attribute(name))
                    .map(|def| &def.kind);
                let choices = match (value, declared) {
                    (AttributeValue::Flag(flag), _) => Some(vec![flag.to_string()]),
                    (AttributeValue::Text(text), Some(AttributeKind::Choice { .. })) => {
                        Some(vec![text.clone()])
                    }
                    (AttributeValue::Text(_), _) => None,
                };
                add(name, annotation.tag.as_str(), choices);
            }
        }
    }
    controls
}

/// `text` escaped for an XML attribute in double quotes.
fn xml_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// True when `value` is Label Studio JSON: an array of tasks, one task (`data` beside
/// `annotations`, `predictions` or `completions`), or tasks under `tasks`.
pub fn looks_like_label_studio(value: &Value) -> bool {
    let is_task = |v: &Value| {
        v.as_object().is_some_and(|o| {
            o.get("data").is_some_and(Value::is_object)
                && ["annotations", "predictions", "completions"]
                    .iter()
                    .any(|k| o.contains_key(*k))
        })
    };
    match value {
        Value::Array(items) => items.first().is_some_and(is_task),
        Value::Object(o) => {
            is_task(value)
                || o.get("tasks")
                    .and_then(Value::as_array)
                    .is_some_and(|t| t.first().is_some_and(is_task))
        }
        _ => false,
    }
}

/// One task as read: its text, name, path in the file, and the task itself.
#[derive(Debug, Clone)]
pub struct Task<'v> {
    /// `data.text` (else the only string in `data`).
    pub text: String,
    /// `data.name`, when the task has one (ours do).
    pub name: Option<String>,
    /// Its JSON path (`[2]`).
    pub path: String,
    /// The task object.
    pub object: &'v Map<String, Value>,
}

/// The tasks of a Label Studio file, each with its text; refused, naming the task, when one
/// has no text. O(file).
pub fn tasks(value: &Value) -> Result<Vec<Task<'_>>, FormatError> {
    let (list, base): (Vec<&Value>, &str) = match value {
        Value::Array(items) => (items.iter().collect(), ""),
        Value::Object(o) => match o.get("tasks") {
            Some(Value::Array(items)) => (items.iter().collect(), "tasks"),
            _ => (vec![value], ""),
        },
        _ => (Vec::new(), ""),
    };
    let mut out = Vec::with_capacity(list.len());
    for (i, task) in list.into_iter().enumerate() {
        let path = if base.is_empty() && matches!(value, Value::Object(_)) {
            String::from("(top level)")
        } else {
            index(base, i)
        };
        let Some(object) = task.as_object() else {
            return Err(invalid(
                path,
                format!(
                    "expected a task (a JSON object), found {}",
                    quoted_json(task)
                ),
            ));
        };
        let data = object.get("data").and_then(Value::as_object);
        let text = data.and_then(|d| match d.get("text") {
            Some(Value::String(text)) => Some(text.clone()),
            _ => {
                let mut strings = d.values().filter_map(Value::as_str);
                match (strings.next(), strings.next()) {
                    (Some(only), None) => Some(only.to_owned()),
                    _ => None,
                }
            }
        });
        let Some(text) = text else {
            return Err(invalid(
                join(&path, "data.text"),
                "expected the task's text (a string)",
            ));
        };
        let name = data
            .and_then(|d| d.get("name"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        out.push(Task {
            text,
            name,
            path,
            object,
        });
    }
    if out.is_empty() {
        return Err(FormatError::Empty);
    }
    Ok(out)
}

/// What a task's results hold besides regions and relations, counted for the report.
#[derive(Default)]
struct LeftOut {
    two_way: usize,
    task_notes: usize,
    other: usize,
    utf16: usize,
}

impl LeftOut {
    /// The counts in words.
    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        let mut note = |n: usize, what: &str, said: &str| {
            if n > 0 {
                notes.push(format!("{} {said}", super::plural(n, what)));
            }
        };
        note(
            self.utf16,
            "region",
            "counted in UTF-16 code units (an older Label Studio) converted to code points",
        );
        note(
            self.two_way,
            "two-way relation",
            "read as one-way, from its from_id to its to_id",
        );
        note(
            self.task_notes,
            "text field",
            "not attached to a region left out",
        );
        note(
            self.other,
            "result",
            "of other kinds (choices, ratings, …) left out",
        );
        notes
    }
}

/// Reads a Label Studio file onto `document` (see the module doc). O(file) plus anchoring.
pub fn import_value(
    document: &Document,
    value: &Value,
    context: ImportContext<'_>,
) -> Result<ImportReport, FormatError> {
    let tasks = tasks(value)?;
    // Every task is read, so a malformed one anywhere refuses the file.
    let mut read = Vec::with_capacity(tasks.len());
    for task in &tasks {
        read.push(read_task(document, task)?);
    }
    let chosen = tasks
        .iter()
        .position(|t| t.text == document.text())
        .unwrap_or(0);
    place_items(document, read.swap_remove(chosen), context)
}

/// A relation result before its regions are known as items.
struct Link {
    path: String,
    from: Option<String>,
    to: Option<String>,
    labels: Vec<String>,
}

/// A region's offsets and label(s) before placing.
struct Region {
    path: String,
    id: Option<String>,
    span: Span,
    quote: Option<String>,
    labels: Vec<String>,
}

/// The regions of one task as items, with their notes and attributes, the relations between
/// them, and what was left out.
fn read_task(document: &Document, task: &Task<'_>) -> Result<Parsed, FormatError> {
    let source = source_text(document, &task.text);
    let task_text = Document::from_normalized(task.text.clone());
    let utf16 = Utf16Index::new(&task.text);
    let mut left_out = LeftOut::default();
    let mut regions: Vec<Region> = Vec::new();
    let mut notes: HashMap<String, String> = HashMap::new();
    let mut attributes: HashMap<String, Attributes> = HashMap::new();
    let mut links: Vec<Link> = Vec::new();
    for list in ["annotations", "completions", "predictions"] {
        let Some(entries) = task.object.get(list) else {
            continue;
        };
        let list_path = join(&task.path, list);
        let Value::Array(entries) = entries else {
            return Err(invalid(list_path, "expected a list"));
        };
        for (a, entry) in entries.iter().enumerate() {
            let entry_path = index(&list_path, a);
            let results = match entry.get("result") {
                Some(Value::Array(results)) => results,
                None | Some(Value::Null) => continue,
                Some(other) => {
                    return Err(invalid(
                        join(&entry_path, "result"),
                        format!("expected a list of results, found {}", quoted_json(other)),
                    ))
                }
            };
            for (r, result) in results.iter().enumerate() {
                let path = index(&join(&entry_path, "result"), r);
                let Some(result) = result.as_object() else {
                    return Err(invalid(path, "expected a result (a JSON object)"));
                };
                let kind = result
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let id = super::json_id(result, "id", &path)?;
                let value = result.get("value").and_then(Value::as_object);
                // A per-region result: of a region (its id), at its offsets.
                let region_id = id
                    .clone()
                    .filter(|_| value.is_some_and(|v| v.contains_key("start")));
                let from_name = result.get("from_name").and_then(Value::as_str);
                match (kind, value) {
                    ("relation", _) => {
                        let end = |key: &str| super::json_id(result, key, &path);
                        let (from, to) = (end("from_id")?, end("to_id")?);
                        let (from, to) = match result.get("direction").and_then(Value::as_str) {
                            Some("left") => (to, from),
                            Some("bi") => {
                                left_out.two_way += 1;
                                (from, to)
                            }
                            _ => (from, to),
                        };
                        links.push(Link {
                            labels: strings(result.get("labels")),
                            path,
                            from,
                            to,
                        });
                    }
                    ("textarea", Some(value)) => {
                        let text = match value.get("text") {
                            Some(Value::Array(lines)) => lines
                                .iter()
                                .filter_map(Value::as_str)
                                .collect::<Vec<_>>()
                                .join("\n"),
                            Some(Value::String(text)) => text.clone(),
                            _ => String::new(),
                        };
                        match (region_id, from_name) {
                            (Some(region), None) | (Some(region), Some(NOTE_NAME)) => {
                                notes.insert(region, text);
                            }
                            (Some(region), Some(name)) => {
                                attributes
                                    .entry(region)
                                    .or_default()
                                    .insert(name.to_owned(), AttributeValue::Text(text));
                            }
                            (None, _) => left_out.task_notes += 1,
                        }
                    }
                    ("choices", Some(value)) => {
                        let choices = strings(value.get("choices"));
                        match (region_id, from_name, choices.as_slice()) {
                            (Some(region), Some(name), [choice]) => {
                                let value = match choice.as_str() {
                                    "true" => AttributeValue::Flag(true),
                                    "false" => AttributeValue::Flag(false),
                                    _ => AttributeValue::Text(choice.clone()),
                                };
                                attributes
                                    .entry(region)
                                    .or_default()
                                    .insert(name.to_owned(), value);
                            }
                            _ => left_out.other += 1,
                        }
                    }
                    // Text regions (`labels`) have offsets into the text; regions of other
                    // tags (HyperText's XPaths, Paragraphs' indices as strings) do not, and
                    // are counted as left out.
                    (_, Some(value))
                        if kind == "labels"
                            || (kind.ends_with("labels")
                                && value.get("start").is_some_and(Value::is_number)) =>
                    {
                        let value_path = join(&path, "value");
                        let offset = |key: &str| match value.get(key) {
                            Some(v) => json_offset(v, || join(&value_path, key)),
                            None => Err(invalid(
                                join(&value_path, key),
                                "missing: a region needs start and end",
                            )),
                        };
                        let (start, end) = (offset("start")?, offset("end")?);
                        let written = checked_span(start, end, join(&value_path, "end"))?;
                        let quote = value.get("text").and_then(Value::as_str);
                        let span = match quote {
                            Some(quote) => {
                                let (span, converted) =
                                    read_offsets(&task_text, &utf16, written, quote);
                                left_out.utf16 += usize::from(converted);
                                span
                            }
                            None => written,
                        };
                        let labels = strings(value.get(kind));
                        if labels.is_empty() {
                            return Err(invalid(
                                join(&value_path, kind),
                                "expected the region's labels (a list of strings)",
                            ));
                        }
                        regions.push(Region {
                            path,
                            id,
                            span,
                            quote: task_text
                                .slice(span)
                                .map(str::to_owned)
                                .or_else(|| quote.map(str::to_owned)),
                            labels,
                        });
                    }
                    _ => left_out.other += 1,
                }
            }
        }
    }
    // A region id seen again (an annotation and a prediction of the same region, a region
    // with several labels) keeps the id once; the rest get new ids.
    let mut ids_seen = HashSet::new();
    let mut items = Vec::with_capacity(regions.len());
    for region in regions {
        let id = region.id.as_ref();
        let note = id.and_then(|id| notes.get(id)).cloned().unwrap_or_default();
        let region_attributes = id
            .and_then(|id| attributes.get(id))
            .cloned()
            .unwrap_or_default();
        for label in &region.labels {
            let id = region.id.clone().filter(|id| ids_seen.insert(id.clone()));
            items.push(Item {
                id_at: join(&region.path, "id"),
                id,
                recorded: Some(region.span),
                selectors: selectors_in(source.as_ref(), region.span, region.quote.clone()),
                tag: tag_from_label(label),
                note: note.clone(),
                attributes: region_attributes.clone(),
                created: None,
                modified: None,
            });
        }
    }
    let by_id = items_by_id(&items);
    let end = |id: &Option<String>| id.as_deref().and_then(|id| by_id.get(id)).copied();
    let mut relations = Vec::with_capacity(links.len());
    for link in links {
        let kinds = if link.labels.is_empty() {
            vec![super::UNTAGGED.to_owned()]
        } else {
            link.labels
        };
        for kind in kinds {
            relations.push(RelationItem {
                id_at: link.path.clone(),
                id: None,
                kind,
                from: end(&link.from),
                to: end(&link.to),
                note: String::new(),
            });
        }
    }
    Ok(Parsed {
        items,
        relations,
        notes: left_out.notes(),
    })
}

/// The strings of a JSON list (`labels`, `choices`); none when it is not a list.
fn strings(list: Option<&Value>) -> Vec<String> {
    match list {
        Some(Value::Array(values)) => values
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// The span `written` (code points, or UTF-16 code units from an older Label Studio) really
/// is, decided by which reading gives `quote` (its `value.text`): exactly first, then loosely
/// ([`loosely_equal`]); code points when neither does. The flag is true for a conversion.
fn read_offsets(text: &Document, utf16: &Utf16Index, written: Span, quote: &str) -> (Span, bool) {
    let converted = utf16.to_chars(written);
    let as_written = text.slice(written);
    let as_converted = converted.and_then(|span| text.slice(span));
    if as_written == Some(quote) {
        (written, false)
    } else if let (Some(span), Some(quote_there)) = (converted, as_converted) {
        if quote_there == quote
            || (!loosely_equal(as_written, quote) && loosely_equal(Some(quote_there), quote))
        {
            (span, true)
        } else {
            (written, false)
        }
    } else {
        (written, false)
    }
}

/// Equal but for whitespace and Label Studio's escaped line breaks (`\n` written as two
/// characters): Label Studio rewrites `value.text` that way (its issue #3078).
fn loosely_equal(text: Option<&str>, quote: &str) -> bool {
    let Some(text) = text else {
        return false;
    };
    let squeeze = |s: &str| -> String {
        s.replace("\\n", "")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    squeeze(text) == squeeze(quote)
}

/// UTF-16 code unit offsets of a text to code points: a sorted list of where astral
/// characters (two code units each) are. O(n) to build, O(log a) per conversion.
struct Utf16Index {
    /// The code point offset of each astral character, in order.
    astral: Vec<usize>,
    char_len: usize,
}

impl Utf16Index {
    fn new(text: &str) -> Self {
        let mut astral = Vec::new();
        let mut char_len = 0;
        for (i, c) in text.chars().enumerate() {
            if c.len_utf16() == 2 {
                astral.push(i);
            }
            char_len = i + 1;
        }
        Self { astral, char_len }
    }

    /// The code point offset at UTF-16 offset `utf16`, if it is not inside a surrogate pair.
    fn to_char(&self, utf16: usize) -> Option<usize> {
        // Code point c is at UTF-16 offset c + (astral characters before c).
        let (mut low, mut high) = (0, self.astral.len());
        while low < high {
            let mid = (low + high) / 2;
            if self.astral[mid] + mid < utf16 {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        let char_offset = utf16 - low;
        let inside_pair = low > 0 && self.astral[low - 1] + (low - 1) + 1 == utf16;
        (!inside_pair && char_offset <= self.char_len).then_some(char_offset)
    }

    /// A span written in UTF-16 code units, in code points; `None` when there is no astral
    /// character (both units agree) or an end falls inside a pair.
    fn to_chars(&self, span: Span) -> Option<Span> {
        if self.astral.is_empty() {
            return None;
        }
        Span::new(self.to_char(span.start)?, self.to_char(span.end)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::test_support::{import_bytes, landed, store};

    #[test]
    fn regions_are_code_points_with_their_text_and_notes_are_per_region_textareas() {
        let document = Document::from_raw("🐱 Warning: This is a test text");
        let store = store(&document, &[("r1", 21, 25, "claim", "a note")]);
        let out = export(&document, "cat.txt", &store, &LabelSet::default(), "");
        let tasks: Value = serde_json::from_str(&out).unwrap();
        let result = &tasks[0]["annotations"][0]["result"];
        assert_eq!(tasks[0]["data"]["text"], document.text());
        assert_eq!(result[0]["type"], "labels");
        assert_eq!(
            result[0]["value"],
            serde_json::json!({"start": 21, "end": 25, "text": "test", "labels": ["claim"]})
        );
        assert_eq!(result[1]["type"], "textarea");
        assert_eq!(result[1]["id"], "r1");
        assert_eq!(result[1]["value"]["text"], serde_json::json!(["a note"]));
        let report = import_bytes(&document, out.as_bytes()).unwrap();
        assert_eq!(landed(&report), [(21, 25, "claim".to_owned())]);
        assert_eq!(report.placed[0].note, "a note");
        assert_eq!(report.placed[0].id.as_str(), "r1");
        assert!(report.notes.is_empty());
    }

    #[test]
    fn relations_and_attributes_are_results_of_the_same_annotation() {
        use crate::format::test_support::{quote_and_source, relate, set_attribute};
        use crate::model::AttributeValue;
        let (document, mut store) = quote_and_source();
        set_attribute(&mut store, "q", "hedged", AttributeValue::Flag(true));
        set_attribute(
            &mut store,
            "s",
            "role",
            AttributeValue::Text("president".into()),
        );
        relate(&mut store, ("r", "attributed-to", "q", "s", ""));
        let out = export(&document, "d.txt", &store, &LabelSet::default(), "");
        let tasks: Value = serde_json::from_str(&out).unwrap();
        let result = tasks[0]["annotations"][0]["result"].as_array().unwrap();
        let shape = |r: &Value| {
            (
                r["from_name"].clone(),
                r["type"].clone(),
                r["value"].clone(),
            )
        };
        // After each region's labels: free text as a text area; a flag, and a choice the
        // label declares, as choices; then the relation.
        assert_eq!(
            result.iter().map(shape).collect::<Vec<_>>()[1..5],
            [
                (
                    "role".into(),
                    "textarea".into(),
                    serde_json::json!({"start": 0, "end": 6, "text": ["president"]})
                ),
                (
                    "label".into(),
                    "labels".into(),
                    serde_json::json!({"start": 7, "end": 14, "text": "said no", "labels": ["quote"]})
                ),
                (
                    "hedged".into(),
                    "choices".into(),
                    serde_json::json!({"start": 7, "end": 14, "choices": ["true"]})
                ),
                (
                    "kind".into(),
                    "choices".into(),
                    serde_json::json!({"start": 7, "end": 14, "choices": ["indirect"]})
                ),
            ]
        );
        assert_eq!(result[4]["id"], "q");
        assert_eq!(
            result[5],
            serde_json::json!({"from_id": "q", "to_id": "s", "type": "relation",
                               "direction": "right", "labels": ["attributed-to"]})
        );
        let report = import_bytes(&document, out.as_bytes()).unwrap();
        assert_eq!(report.store_on(&document).unwrap().relation_count(), 1);
        let expected: Vec<_> = store
            .in_document_order()
            .map(|a| a.attributes.clone())
            .collect();
        let got: Vec<_> = report.placed.iter().map(|a| a.attributes.clone()).collect();
        assert_eq!(got, expected);

        // `left` runs from to_id to from_id; `bi` is kept as written, and said so.
        let input = r#"[{"data": {"text": "Macron said no."}, "annotations": [{"result": [
            {"id": "a", "type": "labels", "value": {"start": 0, "end": 6, "labels": ["source"]}},
            {"id": "b", "type": "labels", "value": {"start": 7, "end": 14, "labels": ["quote"]}},
            {"from_id": "a", "to_id": "b", "type": "relation", "direction": "left", "labels": ["attributed-to", "cites"]},
            {"from_id": "a", "to_id": "b", "type": "relation", "direction": "bi", "labels": []}]}]}]"#;
        let report = import_bytes(&document, input.as_bytes()).unwrap();
        let relations: Vec<(&str, &str, &str)> = report
            .relations
            .iter()
            .map(|r| (r.kind.as_str(), r.from.as_str(), r.to.as_str()))
            .collect();
        assert_eq!(
            relations,
            [
                ("attributed-to", "b", "a"),
                ("cites", "b", "a"),
                ("untagged", "a", "b")
            ]
        );
        assert_eq!(
            report.notes,
            ["1 two-way relation read as one-way, from its from_id to its to_id"]
        );
    }

    #[test]
    fn utf16_offsets_of_an_older_label_studio_are_recognised_by_their_text() {
        // HumanSignal/label-studio#1347: "annotation" written at 13..23 (UTF-16).
        let document = Document::from_raw("💩This is an annotation.");
        let input = r#"[{"id": 1, "data": {"text": "💩This is an annotation."}, "annotations": [{"result": [
            {"id": "a", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 13, "end": 23, "text": "annotation", "labels": ["Annotation"]}},
            {"id": "b", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 12, "end": 22, "text": "annotation", "labels": ["Annotation"]}},
            {"id": "r", "from_name": "rel", "to_name": "rel", "type": "relation", "from_id": "a", "to_id": "b", "direction": "right", "labels": []},
            {"id": "c", "from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}
        ]}], "predictions": [{"result": [{"id": "a", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 0, "end": 1, "labels": ["Emoji", "Thing"]}}]}]}]"#;
        let report = import_bytes(&document, input.as_bytes()).unwrap();
        assert_eq!(
            landed(&report),
            [
                (12, 22, "Annotation".to_owned()),
                (12, 22, "Annotation".to_owned()),
                (0, 1, "Emoji".to_owned()),
                (0, 1, "Thing".to_owned())
            ]
        );
        let ids: Vec<&str> = report.landed().map(|a| a.id.as_str()).collect();
        assert_eq!(&ids[..2], ["a", "b"]);
        assert!(ids[2].starts_with("new-") && ids[3].starts_with("new-"));
        assert_eq!(
            report.notes,
            [
                "1 region counted in UTF-16 code units (an older Label Studio) converted to code points",
                "1 result of other kinds (choices, ratings, …) left out"
            ]
        );
        // The relation without a label links the two regions, untagged.
        let relation = &report.relations[0];
        assert_eq!(
            (
                relation.kind.as_str(),
                relation.from.as_str(),
                relation.to.as_str()
            ),
            ("untagged", "a", "b")
        );
    }

    #[test]
    fn value_text_is_compared_loosely_as_label_studio_rewrites_it() {
        let document = Document::from_raw("🐱 Warning:\n🐱 This is a test text");
        let input = r#"{"data": {"text": "🐱 Warning:\n🐱 This is a test text"}, "annotations": [{"result": [
            {"id": "m", "type": "labels", "value": {"start": 2, "end": 27, "text": "Warning:\\n🐱 This is a test", "labels": ["quote"]}}]}]}"#;
        let report = import_bytes(&document, input.as_bytes()).unwrap();
        assert_eq!(landed(&report), [(2, 27, "quote".to_owned())]);
        assert!(report.notes.is_empty(), "{:?}", report.notes);
    }

    #[test]
    fn the_task_with_the_open_text_is_read_and_errors_name_the_task() {
        let document = Document::from_raw("Second text.");
        let store_one = store(&Document::from_raw("First."), &[("x", 0, 5, "claim", "")]);
        let store_two = store(&document, &[("y", 0, 6, "quote", "")]);
        let first = Document::from_raw("First.");
        let out = export_tasks(
            &[
                (&first, "one.txt", &store_one),
                (&document, "two.txt", &store_two),
            ],
            &LabelSet::default(),
            "ana",
        );
        let report = import_bytes(&document, out.as_bytes()).unwrap();
        assert_eq!(landed(&report), [(0, 6, "quote".to_owned())]);
        let bad = r#"[{"data": {"text": "a"}, "annotations": [{"result": [{"type": "labels", "value": {"start": "x", "end": 2, "labels": ["a"]}}]}]}]"#;
        let error = import_bytes(&document, bad.as_bytes())
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "[0].annotations[0].result[0].value.start: expected an offset (a whole number from 0), found \"x\""
        );
    }

    #[test]
    fn regions_of_other_tags_are_left_out_and_text_regions_must_have_offsets() {
        let document = Document::from_raw("Rain fell.");
        let input = r#"[{"data": {"text": "Rain fell."}, "annotations": [{"result": [
            {"id": "h", "type": "hypertextlabels", "value": {"start": "/p[1]/text()[1]", "end": "/p[1]/text()[1]", "startOffset": 0, "endOffset": 4, "hypertextlabels": ["X"]}},
            {"id": "t", "type": "textarea", "value": {"text": ["about the whole task"]}},
            {"id": "k", "type": "labels", "value": {"start": 5, "end": 9, "text": "fell", "labels": ["CLAIM"]}}
        ]}]}]"#;
        let report = import_bytes(&document, input.as_bytes()).unwrap();
        assert_eq!(landed(&report), [(5, 9, "claim".to_owned())]);
        assert_eq!(
            report.notes,
            [
                "1 text field not attached to a region left out",
                "1 result of other kinds (choices, ratings, …) left out"
            ]
        );
        let error = import_bytes(
            &document,
            br#"[{"data": {"text": "a"}, "annotations": [{"result": [{"type": "labels", "value": {"labels": ["a"]}}]}]}]"#,
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            error,
            "[0].annotations[0].result[0].value.start: missing: a region needs start and end"
        );
    }

    #[test]
    fn the_labeling_config_names_every_label_with_its_colour() {
        let config = labeling_config(&LabelSet::default(), &[]);
        assert!(
            config.contains(r##"<Label value="claim" hint="Claim" background="#0072B2"/>"##),
            "{config}"
        );
        assert!(config.contains(r#"<Text name="text" value="$text""#));
        assert!(config.contains(r#"<TextArea name="note" toName="text" perRegion="true""#));
        assert!(
            config.contains(
                "  <Choices name=\"kind\" toName=\"text\" perRegion=\"true\" whenTagName=\"label\" whenLabelValue=\"quote\">\n\
                 \x20   <Choice value=\"direct\"/>\n"
            ),
            "{config}"
        );
        assert!(
            config.contains(
                "  <Relations>\n    <Relation value=\"attributed-to\"/>\n    <Relation value=\"qualifies\"/>\n  </Relations>\n"
            ),
            "{config}"
        );
        assert_eq!(
            xml_attribute(r#"a "b" <c> & d"#),
            "a &quot;b&quot; &lt;c&gt; &amp; d"
        );
    }

    #[test]
    fn utf16_offsets_convert_around_astral_characters() {
        let index = Utf16Index::new("a😀b😀c");
        // code points: a0 😀1 b2 😀3 c4; UTF-16: a0 😀1-2 b3 😀4-5 c6
        assert_eq!(index.to_char(0), Some(0));
        assert_eq!(index.to_char(1), Some(1));
        assert_eq!(index.to_char(2), None);
        assert_eq!(index.to_char(3), Some(2));
        assert_eq!(index.to_char(4), Some(3));
        assert_eq!(index.to_char(6), Some(4));
        assert_eq!(index.to_char(7), Some(5));
        assert_eq!(index.to_char(8), None);
    }
}
