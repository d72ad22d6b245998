//! One JSON value: a marginalia file, Label Studio tasks (an array of objects with `data`), or
//! W3C Web Annotation in any of the shapes the importer reads. Problems are
//! `FILE: $.path: message`.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::spans::{item, json_path, key, quote_in_utf16, shorten, shown, Found};
use super::{Expected, Problem};
use crate::format::marginalia::{FORMAT_NAME, VERSION};
use crate::format::w3c::{id_from_iri, link_targets};
use crate::format::{parse_json, ExportFormat, FormatError};
use crate::model::Document;

/// Every problem of a JSON file in `format` (as [`crate::format::detect`] recognised it).
pub fn problems(text: &str, format: ExportFormat, expected: Expected<'_>) -> Vec<Problem> {
    let value: Value = match parse_json(text, 0) {
        Ok(value) => value,
        Err(FormatError::Json {
            path,
            message,
            line,
            column,
        }) => {
            return vec![Problem::at_path(
                None,
                &json_path(&path),
                format!("{message} (line {line}, column {column})"),
            )]
        }
        Err(other) => return vec![Problem::of_file(other.to_string())],
    };
    let mut found = Found::new(None);
    match (format, &value) {
        (ExportFormat::Marginalia, Value::Object(object)) => {
            check_marginalia(object, &mut found, expected)
        }
        (ExportFormat::LabelStudio, Value::Array(tasks)) => {
            check_label_studio(tasks, &mut found, expected)
        }
        (ExportFormat::LabelStudio, task @ Value::Object(_)) => {
            check_label_studio(std::slice::from_ref(task), &mut found, expected)
        }
        (_, other) => check_w3c(other, &mut found, expected),
    }
    found.problems
}

/// A marginalia file: its header, labels and annotations (ids once each, offsets and quotes
/// on its `text` or the given one, tags among the labels given, attributes), and relations
/// (ids once each, a type, ends that are annotations of the file). Orphans' offsets refer to an
/// older text, so only their shape is checked.
fn check_marginalia(object: &Map<String, Value>, found: &mut Found, expected: Expected<'_>) {
    match object.get("format") {
        Some(Value::String(format)) if format == FORMAT_NAME => {}
        Some(other) => found.add(
            "$.format",
            format!("expected \"{FORMAT_NAME}\", found {}", shown(other)),
        ),
        None => found.add(
            "$.format",
            format!("missing: a Marginalia file says \"format\": \"{FORMAT_NAME}\""),
        ),
    }
    match object.get("version").map(Value::as_u64) {
        Some(Some(version)) if version <= VERSION => {}
        Some(Some(version)) => found.add(
            "$.version",
            format!("version {version} is newer than this Marginalia reads ({VERSION})"),
        ),
        Some(None) => found.add("$.version", "expected a version number"),
        None => found.add("$.version", "missing: the format version"),
    }
    let carried = found
        .string(object.get("text"), "$.text")
        .map(|text| Document::from_normalized(text.to_owned()));
    if let (Some(text), Some(sha256)) = (&carried, object.get("sha256").and_then(Value::as_str)) {
        if Document::from_raw(text.text()).sha256() != sha256 {
            found.add("$.sha256", "not the SHA-256 of the file's text");
        }
    }
    let text = carried.as_ref().or(expected.text);
    for (i, label) in found
        .list(object.get("labels"), "$.labels", "labels")
        .iter()
        .enumerate()
    {
        if label.get("tag").and_then(Value::as_str).is_none() {
            found.add(
                &key(&item("$.labels", i), "tag"),
                "missing: a label needs its tag",
            );
        }
    }
    let mut ids: HashMap<&str, String> = HashMap::new();
    let annotations = match object.get("annotations") {
        None => {
            found.add("$.annotations", "missing: the list of annotations");
            &[][..]
        }
        other => found.list(other, "$.annotations", "annotations"),
    };
    for (i, annotation) in annotations.iter().enumerate() {
        let path = item("$.annotations", i);
        let Some(annotation) = annotation.as_object() else {
            found.add(
                &path,
                format!("expected an annotation object, found {}", shown(annotation)),
            );
            continue;
        };
        let id_path = key(&path, "id");
        if let Some(id) = found.string(annotation.get("id"), &id_path) {
            if let Some(first) = ids.get(id) {
                found.add(
                    &id_path,
                    format!("the id {} is used twice (first at {first})", shorten(id)),
                );
            } else {
                ids.insert(id, id_path.clone());
            }
        }
        let orphan = annotation
            .get("orphan")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let start = found.offset(annotation.get("start"), &key(&path, "start"));
        let end = found.offset(annotation.get("end"), &key(&path, "end"));
        let quote_path = key(&path, "quote");
        let quote = found.string(annotation.get("quote"), &quote_path);
        let on = if orphan { None } else { text };
        found.span(
            (start, end),
            &key(&path, "end"),
            on,
            quote.map(|q| (quote_path.as_str(), q)),
        );
        match annotation.get("tag") {
            None => found.add(&key(&path, "tag"), "missing: an annotation needs a tag"),
            tag => found.label(tag, &key(&path, "tag"), &expected),
        }
        found.string(annotation.get("note"), &key(&path, "note"));
        found.attributes(annotation.get("attributes"), &key(&path, "attributes"));
    }
    let mut relation_ids: HashMap<&str, String> = HashMap::new();
    for (i, relation) in found
        .list(object.get("relations"), "$.relations", "relations")
        .iter()
        .enumerate()
    {
        let path = item("$.relations", i);
        let Some(relation) = relation.as_object() else {
            found.add(
                &path,
                format!("expected a relation object, found {}", shown(relation)),
            );
            continue;
        };
        let id_path = key(&path, "id");
        if let Some(id) = found.string(relation.get("id"), &id_path) {
            if let Some(first) = relation_ids.get(id) {
                found.add(
                    &id_path,
                    format!("the id {} is used twice (first at {first})", shorten(id)),
                );
            } else {
                relation_ids.insert(id, id_path.clone());
            }
        }
        let type_path = key(&path, "type");
        match found.string(relation.get("type"), &type_path) {
            None if relation.get("type").is_none() => {
                found.add(&type_path, "missing: a relation needs a type")
            }
            Some("") => found.add(&type_path, "the type is empty"),
            _ => {}
        }
        for end in ["from", "to"] {
            found.relation_end(relation.get(end), &key(&path, end), |id| {
                ids.contains_key(id)
            });
        }
        found.string(relation.get("note"), &key(&path, "note"));
    }
}

/// Label Studio tasks: each task's `data.text`, and the `labels` results of its
/// `annotations` and `predictions` (offsets, `text`, `labels`); relation results name regions
/// of the same annotation. Label Studio may count offsets in UTF-16 units (text with emoji):
/// a quote that matches there is accepted, as the importer accepts it.
fn check_label_studio(tasks: &[Value], found: &mut Found, expected: Expected<'_>) {
    for (t, task) in tasks.iter().enumerate() {
        let task_path = item("$", t);
        let text = match task.get("data").and_then(|d| d.get("text")) {
            Some(Value::String(text)) => Some(Document::from_normalized(text.clone())),
            _ => {
                found.add(
                    &key(&task_path, "data.text"),
                    "missing: a task needs its text",
                );
                None
            }
        };
        for field in ["annotations", "predictions"] {
            let list_path = key(&task_path, field);
            for (a, annotation) in found
                .list(task.get(field), &list_path, field)
                .iter()
                .enumerate()
            {
                let annotation_path = item(&list_path, a);
                let results_path = key(&annotation_path, "result");
                let results = found.list(annotation.get("result"), &results_path, "results");
                let regions: Vec<&str> = results
                    .iter()
                    .filter(|r| r.get("type").and_then(Value::as_str) != Some("relation"))
                    .filter_map(|r| r.get("id").and_then(Value::as_str))
                    .collect();
                for (r, result) in results.iter().enumerate() {
                    let path = item(&results_path, r);
                    check_label_studio_result(
                        result,
                        &path,
                        &regions,
                        found,
                        text.as_ref(),
                        expected,
                    );
                }
            }
        }
    }
}

/// One result of a Label Studio annotation.
fn check_label_studio_result(
    result: &Value,
    path: &str,
    regions: &[&str],
    found: &mut Found,
    text: Option<&Document>,
    expected: Expected<'_>,
) {
    match result.get("type").and_then(Value::as_str) {
        Some("relation") => {
            for end in ["from_id", "to_id"] {
                match result.get(end).and_then(Value::as_str) {
                    Some(id) if regions.contains(&id) => {}
                    Some(id) => found.add(
                        &key(path, end),
                        format!("names no region of this annotation ({})", shorten(id)),
                    ),
                    None => found.add(
                        &key(path, end),
                        "missing: a relation needs from_id and to_id",
                    ),
                }
            }
        }
        Some("labels") | None => {
            let Some(value) = result.get("value") else {
                return found.add(
                    &key(path, "value"),
                    "missing: a labels result needs its value",
                );
            };
            let value_path = key(path, "value");
            let start = found.offset(value.get("start"), &key(&value_path, "start"));
            let end = found.offset(value.get("end"), &key(&value_path, "end"));
            let quote = found.string(value.get("text"), &key(&value_path, "text"));
            let counted_in_utf16 = |text: &Document| match (start, end, quote) {
                (Some(start), Some(end), Some(quote)) => quote_in_utf16(text, start, end, quote),
                _ => false,
            };
            let text_for_quote = text.filter(|text| !counted_in_utf16(text));
            let quote_path = key(&value_path, "text");
            found.span(
                (start, end),
                &key(&value_path, "end"),
                text_for_quote,
                quote.map(|q| (quote_path.as_str(), q)),
            );
            let labels_path = key(&value_path, "labels");
            let labels = found.list(value.get("labels"), &labels_path, "labels");
            if labels.is_empty() {
                found.add(&labels_path, "missing: a region needs a label");
            }
            for (l, label) in labels.iter().enumerate() {
                found.label(Some(label), &item(&labels_path, l), &expected);
            }
        }
        Some(_) => {} // choices, textarea (notes), ratings: not spans
    }
}

/// W3C Web Annotation: a collection, a page, an array, one annotation, or a Hypothesis export.
/// Each annotation's text selectors: positions whole numbers inside the given text, the quote
/// equal to the text at the position (in code points, or in UTF-16 units as Hypothesis and
/// Recogito count), tags allowed, attributes; each relation (a linking annotation) targets
/// annotations of the file.
fn check_w3c(value: &Value, found: &mut Found, expected: Expected<'_>) {
    let annotations = w3c_annotations(value);
    let ids: HashSet<String> = annotations
        .iter()
        .filter_map(|(_, a)| a.as_object())
        .filter(|a| link_targets(a).is_none())
        .filter_map(|a| a.get("id").or_else(|| a.get("@id")).and_then(Value::as_str))
        .map(id_from_iri)
        .collect();
    for (path, annotation) in annotations {
        let Some(annotation) = annotation.as_object() else {
            found.add(
                &path,
                format!("expected an annotation object, found {}", shown(annotation)),
            );
            continue;
        };
        if let Some(targets) = link_targets(annotation) {
            for (i, target) in targets.into_iter().enumerate() {
                let end = Value::String(id_from_iri(target));
                let at = item(&key(&path, "target"), i);
                found.relation_end(Some(&end), &at, |id| ids.contains(id));
            }
            continue;
        }
        found.attributes(annotation.get("attributes"), &key(&path, "attributes"));
        let targets: Vec<(String, &Value)> = match annotation.get("target") {
            Some(Value::Array(list)) => list
                .iter()
                .enumerate()
                .map(|(i, t)| (item(&key(&path, "target"), i), t))
                .collect(),
            Some(target) => vec![(key(&path, "target"), target)],
            None => Vec::new(),
        };
        for (target_path, target) in targets {
            let selectors: Vec<(String, &Value)> = match target.get("selector") {
                Some(Value::Array(list)) => list
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (item(&key(&target_path, "selector"), i), s))
                    .collect(),
                Some(selector) => vec![(key(&target_path, "selector"), selector)],
                None => Vec::new(),
            };
            let kind = |s: &Value| s.get("type").and_then(Value::as_str).map(str::to_owned);
            let quote = selectors
                .iter()
                .find(|(_, s)| kind(s).as_deref() == Some("TextQuoteSelector"))
                .map(|(p, s)| (key(p, "exact"), s.get("exact")));
            let quote = match quote {
                Some((path, value)) => found.string(value, &path).map(|q| (path, q)),
                None => None,
            };
            for (selector_path, selector) in &selectors {
                if kind(selector).as_deref() != Some("TextPositionSelector") {
                    continue;
                }
                let start = found.offset(selector.get("start"), &key(selector_path, "start"));
                let end = found.offset(selector.get("end"), &key(selector_path, "end"));
                let in_utf16 = expected
                    .text
                    .is_some_and(|text| match (start, end, &quote) {
                        (Some(s), Some(e), Some((_, q))) => quote_in_utf16(text, s, e, q),
                        _ => false,
                    });
                let text = expected.text.filter(|_| !in_utf16);
                found.span(
                    (start, end),
                    &key(selector_path, "end"),
                    text,
                    quote.as_ref().map(|(p, q)| (p.as_str(), *q)),
                );
            }
        }
        let bodies: Vec<(String, &Value)> = match annotation.get("body") {
            Some(Value::Array(list)) => list
                .iter()
                .enumerate()
                .map(|(i, b)| (item(&key(&path, "body"), i), b))
                .collect(),
            Some(body) => vec![(key(&path, "body"), body)],
            None => Vec::new(),
        };
        for (body_path, body) in bodies {
            let purpose = body.get("purpose").and_then(Value::as_str);
            if matches!(purpose, Some("tagging" | "classifying" | "identifying")) {
                found.label(body.get("value"), &key(&body_path, "value"), &expected);
            }
        }
    }
}

/// The annotations of a W3C file with their paths, in the shapes the importer reads.
fn w3c_annotations(value: &Value) -> Vec<(String, &Value)> {
    fn listed<'v>(list: &'v [Value], base: &str) -> Vec<(String, &'v Value)> {
        list.iter()
            .enumerate()
            .map(|(i, a)| (item(base, i), a))
            .collect()
    }
    match value {
        Value::Array(list) => listed(list, "$"),
        Value::Object(object) => {
            if let Some(Value::Array(items)) = object.get("items") {
                return listed(items, "$.items");
            }
            if let Some(Value::Array(items)) = object.get("first").and_then(|f| f.get("items")) {
                return listed(items, "$.first.items");
            }
            for field in ["annotations", "rows"] {
                if let Some(Value::Array(list)) = object.get(field) {
                    return listed(list, &key("$", field));
                }
            }
            vec![("$".to_owned(), value)]
        }
        other => vec![("$".to_owned(), other)],
    }
}
