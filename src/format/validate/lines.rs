//! JSON lines, a document (or, for Hugging Face, a sentence) per line: spaCy and Prodigy
//! (`spans`, `ents`, `tokens`, Prodigy's `relations`), doccano (`label` triples, `entities` and
//! their `relations`), Hugging Face token classification (`tokens` and `ner_tags`). Each line is
//! checked on its own, against its own `text`; problems are `FILE:LINE: $.path: message`.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::spans::{item, key, shown, Found};
use super::{from_format_error, Expected, Problem};
use crate::format::{parse_json, FormatError};
use crate::model::{Document, Span};

/// Every problem of a JSON-lines file.
pub fn problems(text: &str, expected: Expected<'_>) -> Vec<Problem> {
    text.split('\n')
        .enumerate()
        .flat_map(|(index, line)| line_problems(line, index + 1, expected))
        .collect()
}

/// Every problem of line `number` (1-based) of a JSON-lines file: a blank line has none.
pub fn line_problems(line: &str, number: usize, expected: Expected<'_>) -> Vec<Problem> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    if line.trim().is_empty() {
        return Vec::new();
    }
    let value: Value = match parse_json(line, number - 1) {
        Ok(value) => value,
        Err(FormatError::Json {
            path,
            message,
            column,
            ..
        }) => {
            let message = format!("not a JSON line: {message} (column {column})");
            let at = super::spans::json_path(&path);
            return vec![if at == "$" {
                Problem::on_line(number, message)
            } else {
                Problem::at_path(Some(number), &at, message)
            }];
        }
        Err(other) => return vec![Problem::on_line(number, other.to_string())],
    };
    let Value::Object(object) = value else {
        return vec![Problem::on_line(number, "expected a JSON object")];
    };
    let mut found = Found::new(Some(number));
    check_line(&object, &mut found, expected);
    if found.problems.is_empty() {
        if let Some(problem) = importer_problem(&object, line, number) {
            found.problems.push(problem);
        }
    }
    found.problems
}

/// The checks of one line's object.
fn check_line(object: &Map<String, Value>, found: &mut Found, expected: Expected<'_>) {
    if object.contains_key("ner_tags") {
        return check_sentence(object, found, expected);
    }
    let text = match object.get("text") {
        Some(Value::String(text)) => Document::from_normalized(text.clone()),
        Some(other) => {
            return found.add(
                "$.text",
                format!(
                    "expected the document text (a string), found {}",
                    shown(other)
                ),
            )
        }
        None => return found.add("$.text", "missing: a line needs the document text"),
    };
    let tokens = check_tokens(object, found, &text);
    let mut spans = Vec::new();
    match object.get("spans") {
        Some(Value::Object(groups)) => {
            for (group, list) in groups {
                let path = key("$.spans", group);
                for (i, span) in found.list(Some(list), &path, "spans").iter().enumerate() {
                    spans.extend(check_span_object(
                        span,
                        &item(&path, i),
                        found,
                        &text,
                        &tokens,
                        expected,
                    ));
                }
            }
        }
        list => {
            for (i, span) in found.list(list, "$.spans", "spans").iter().enumerate() {
                spans.extend(check_span_object(
                    span,
                    &item("$.spans", i),
                    found,
                    &text,
                    &tokens,
                    expected,
                ));
            }
        }
    }
    for (i, span) in found
        .list(object.get("ents"), "$.ents", "spans")
        .iter()
        .enumerate()
    {
        spans.extend(check_span_object(
            span,
            &item("$.ents", i),
            found,
            &text,
            &tokens,
            expected,
        ));
    }
    for field in ["label", "labels"] {
        let base = key("$", field);
        for (i, triple) in found
            .list(object.get(field), &base, "labelled spans")
            .iter()
            .enumerate()
        {
            let path = item(&base, i);
            match triple.as_array().map(Vec::as_slice) {
                Some([start, end, label]) => {
                    let start = found.offset(Some(start), &item(&path, 0));
                    let end = found.offset(Some(end), &item(&path, 1));
                    found.span((start, end), &item(&path, 1), Some(&text), None);
                    found.label(Some(label), &item(&path, 2), &expected);
                }
                _ => found.add(
                    &path,
                    format!("expected [start, end, label], found {}", shown(triple)),
                ),
            }
        }
    }
    let mut entity_ids = HashSet::new();
    for (i, entity) in found
        .list(object.get("entities"), "$.entities", "entities")
        .iter()
        .enumerate()
    {
        let path = item("$.entities", i);
        let Some(entity) = entity.as_object() else {
            found.add(
                &path,
                format!("expected an entity object, found {}", shown(entity)),
            );
            continue;
        };
        match entity.get("id") {
            Some(Value::String(id)) => entity_ids.insert(id.clone()),
            Some(Value::Number(id)) => entity_ids.insert(id.to_string()),
            _ => false,
        };
        let start = found.offset(entity.get("start_offset"), &key(&path, "start_offset"));
        let end = found.offset(entity.get("end_offset"), &key(&path, "end_offset"));
        found.span((start, end), &key(&path, "end_offset"), Some(&text), None);
        found.label(entity.get("label"), &key(&path, "label"), &expected);
    }
    let prodigy = object.contains_key("tokens");
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
        if prodigy {
            check_prodigy_relation(relation, &path, found, &spans);
        } else {
            if relation.get("type").and_then(Value::as_str).is_none() {
                found.add(
                    &key(&path, "type"),
                    "missing: a relation needs a type (a string)",
                );
            }
            for end in ["from_id", "to_id"] {
                found.relation_end(relation.get(end), &key(&path, end), |id| {
                    entity_ids.contains(id)
                });
            }
        }
    }
}

/// A span of a line, as a relation's end names it: offsets and (Prodigy) its last token.
struct LineSpan {
    span: Span,
    token_end: Option<u64>,
}

/// A Prodigy relation: a label, and ends that are spans of the line, by `head_span` and
/// `child_span` (their offsets), else by `head` and `child` (their last tokens).
fn check_prodigy_relation(
    relation: &Map<String, Value>,
    path: &str,
    found: &mut Found,
    spans: &[LineSpan],
) {
    found.string(relation.get("label"), &key(path, "label"));
    for (token, span_key) in [("head", "head_span"), ("child", "child_span")] {
        let offset = |key: &str| {
            relation
                .get(span_key)
                .and_then(|s| s.get(key))
                .and_then(Value::as_u64)
        };
        let named = match (offset("start"), offset("end"), relation.get(token)) {
            (Some(start), Some(end), _) => {
                let at = key(path, span_key);
                let is_span = spans
                    .iter()
                    .any(|s| (s.span.start as u64, s.span.end as u64) == (start, end));
                (at, is_span, format!("{start}..{end}"))
            }
            (_, _, Some(value)) => {
                let at = key(path, token);
                let last = value.as_u64();
                let is_span = last.is_some() && spans.iter().any(|s| s.token_end == last);
                (at, is_span, format!("the token {}", shown(value)))
            }
            _ => {
                found.add(
                    &key(path, span_key),
                    format!("missing: a relation needs its {span_key} or its {token}"),
                );
                continue;
            }
        };
        let (at, is_span, what) = named;
        if !is_span {
            found.add(&at, format!("{what} is the end of no span of this line"));
        }
    }
}

/// A span object of `spans` or `ents`: offsets, quote (`text`), label (`label`, or `tag`),
/// attributes, and its tokens (`token_start`, `token_end`, inclusive) when the line has tokens.
/// The span, when its offsets are well-formed, for the relations that name it.
fn check_span_object(
    span: &Value,
    path: &str,
    found: &mut Found,
    text: &Document,
    tokens: &[Span],
    expected: Expected<'_>,
) -> Option<LineSpan> {
    let Some(span) = span.as_object() else {
        found.add(
            path,
            format!("expected a span object, found {}", shown(span)),
        );
        return None;
    };
    found.attributes(span.get("attributes"), &key(path, "attributes"));
    let start = found.offset(span.get("start"), &key(path, "start"));
    let end = found.offset(span.get("end"), &key(path, "end"));
    let quote_path = key(path, "text");
    let quote = found.string(span.get("text"), &quote_path);
    let placed = found.span(
        (start, end),
        &key(path, "end"),
        Some(text),
        quote.map(|q| (quote_path.as_str(), q)),
    );
    let label = match span.get("tag") {
        Some(tag) if tag.as_str().is_some_and(|t| !t.is_empty()) => ("tag", Some(tag)),
        _ => ("label", span.get("label")),
    };
    found.label(label.1, &key(path, label.0), &expected);
    let placed = placed?;
    let line_span = LineSpan {
        span: placed,
        token_end: span.get("token_end").and_then(Value::as_u64),
    };
    if tokens.is_empty() {
        return Some(line_span);
    }
    for (field, edge) in [("token_start", placed.start), ("token_end", placed.end)] {
        let Some(value) = span.get(field) else {
            continue;
        };
        let field_path = key(path, field);
        let Some(index) = value.as_u64().and_then(|n| usize::try_from(n).ok()) else {
            found.add(
                &field_path,
                format!("expected a token index, found {}", shown(value)),
            );
            continue;
        };
        let Some(token) = tokens.get(index) else {
            found.add(
                &field_path,
                format!(
                    "token {index} does not exist (the line has {} tokens)",
                    tokens.len()
                ),
            );
            continue;
        };
        let token_edge = if field == "token_start" {
            token.start
        } else {
            token.end
        };
        if token_edge != edge {
            let which = if field == "token_start" {
                "starts"
            } else {
                "ends"
            };
            let side = if field == "token_start" {
                "start"
            } else {
                "end"
            };
            found.add(
                &field_path,
                format!("token {index} {which} at {token_edge}, not at the span's {side} {edge}"),
            );
        }
    }
    Some(line_span)
}

/// A line's `tokens` (objects with `start`, `end` and `text`): each inside the text and equal
/// to it, in order, none overlapping the one before. The well-formed ones, in order.
fn check_tokens(object: &Map<String, Value>, found: &mut Found, text: &Document) -> Vec<Span> {
    let mut tokens = Vec::new();
    let mut previous: Option<(usize, Span)> = None;
    for (i, token) in found
        .list(object.get("tokens"), "$.tokens", "tokens")
        .iter()
        .enumerate()
    {
        let path = item("$.tokens", i);
        let Some(token) = token.as_object() else {
            found.add(
                &path,
                format!("expected a token object, found {}", shown(token)),
            );
            continue;
        };
        let start = found.offset(token.get("start"), &key(&path, "start"));
        let end = found.offset(token.get("end"), &key(&path, "end"));
        let quote_path = key(&path, "text");
        let quote = found.string(token.get("text"), &quote_path);
        let Some(span) = found.span(
            (start, end),
            &key(&path, "end"),
            Some(text),
            quote.map(|q| (quote_path.as_str(), q)),
        ) else {
            continue;
        };
        if let Some((before, previous)) = previous {
            if span.start < previous.end {
                found.add(
                    &key(&path, "start"),
                    format!(
                        "token {i} ({}..{}) overlaps or comes before token {before} ({}..{})",
                        span.start, span.end, previous.start, previous.end
                    ),
                );
            }
        }
        previous = Some((i, span));
        tokens.push(span);
    }
    tokens
}

/// A Hugging Face sentence: `tokens` (strings) and `ner_tags` of the same length, each tag `O`,
/// `B-LABEL` or `I-LABEL` (IOB2: an `I-` continues a span of its label) or a class number.
fn check_sentence(object: &Map<String, Value>, found: &mut Found, expected: Expected<'_>) {
    let tokens = found.list(object.get("tokens"), "$.tokens", "tokens");
    if object.get("tokens").is_none() {
        found.add("$.tokens", "missing: a sentence needs its tokens");
    }
    for (i, token) in tokens.iter().enumerate() {
        if !token.is_string() {
            found.add(
                &item("$.tokens", i),
                format!("expected a token (a string), found {}", shown(token)),
            );
        }
    }
    let tags = found.list(object.get("ner_tags"), "$.ner_tags", "tags");
    if tags.len() != tokens.len() {
        found.add(
            "$.ner_tags",
            format!(
                "{} tags for {} tokens: each token needs one tag",
                tags.len(),
                tokens.len()
            ),
        );
    }
    let mut open: Option<&str> = None;
    for (i, tag) in tags.iter().enumerate() {
        let path = item("$.ner_tags", i);
        let tag = match tag {
            Value::String(tag) => tag.as_str(),
            Value::Number(n) if n.is_u64() => {
                open = None;
                continue;
            }
            other => {
                found.add(
                    &path,
                    format!(
                        "expected a tag (O, B-LABEL or I-LABEL), found {}",
                        shown(other)
                    ),
                );
                continue;
            }
        };
        if tag == "O" {
            open = None;
            continue;
        }
        match tag.split_once('-') {
            Some(("B", label)) if !label.is_empty() => {
                if let Some(message) = expected.unknown_label(label) {
                    found.add(&path, message);
                }
                open = Some(label);
            }
            Some(("I", label)) if !label.is_empty() => {
                if open != Some(label) {
                    found.add(
                        &path,
                        format!(
                            "{tag} continues no {label} span (IOB2 opens a span with B-{label})"
                        ),
                    );
                }
                open = Some(label);
            }
            _ => found.add(
                &path,
                format!(
                    "the tag \"{}\" is not O, B-LABEL or I-LABEL",
                    super::spans::shorten(tag)
                ),
            ),
        }
    }
}

/// The importer's refusal of a line that passed every check here, if it refuses it (read onto
/// its own text).
fn importer_problem(object: &Map<String, Value>, line: &str, number: usize) -> Option<Problem> {
    let text = object.get("text")?.as_str()?;
    let document = Document::from_raw(text);
    let mut n = 0u64;
    let mut new_id = || {
        n += 1;
        crate::model::AnnotationId::from(format!("v{n}"))
    };
    let error = crate::format::import(
        &document,
        line.as_bytes(),
        crate::format::ImportContext {
            id_in_use: &|_| false,
            new_id: &mut new_id,
            now: "",
        },
    )
    .err()?;
    let mut problem = from_format_error(error);
    problem.line = Some(number);
    Some(problem)
}
