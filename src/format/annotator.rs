//! Who made an annotation file, and for which text, as far as the file itself says: what names a
//! layer in the compare mode and in `marginalia agree`, and what tells a W3C file (which does not
//! carry its text) made on another text.
//!
//! | format | annotator | text |
//! | --- | --- | --- |
//! | marginalia | top-level `"annotator"` | carried (`text`) |
//! | W3C | `creator` of the collection, else of the first annotation: a string, or an agent object's `name` (else `nickname`) | `urn:sha256:` of the first annotation's `target.source` |
//! | Label Studio | the first task's first annotation's `completed_by`: a string, a number (a user id, as text), or a user object's `username` (else `email`) | carried (`data.text`) |
//!
//! Other formats, and files that are not one JSON value (JSON lines, zips, brat, CoNLL), name
//! no annotator.

use serde_json::{Map, Value};

use super::label_studio;

/// The annotator a file names (see the module doc), if any. O(file).
pub fn annotator_of(input: &[u8]) -> Option<String> {
    let value = json_value(input)?;
    let object = value.as_object();
    if object.is_some_and(|o| o.get("format").and_then(Value::as_str) == Some("marginalia")) {
        return object.and_then(|o| o.get("annotator")).and_then(name_in);
    }
    if label_studio::looks_like_label_studio(&value) {
        let tasks = label_studio::tasks(&value).ok()?;
        let task = tasks.first()?.object;
        let annotation = ["annotations", "completions"]
            .iter()
            .find_map(|key| task.get(*key)?.as_array()?.first())?;
        return annotation.get("completed_by").and_then(user_name);
    }
    object
        .and_then(|o| o.get("creator"))
        .and_then(agent_name)
        .or_else(|| {
            first_w3c_annotation(&value)?
                .get("creator")
                .and_then(agent_name)
        })
}

/// The lowercase hex SHA-256 of the text a W3C file was made on, from its first annotation's
/// `target.source` when that is a `urn:sha256:` (as our W3C export writes it). O(file).
pub fn text_sha256_of(input: &[u8]) -> Option<String> {
    let value = json_value(input)?;
    let source = match first_w3c_annotation(&value)?.get("target")? {
        Value::String(source) => Some(source.as_str()),
        Value::Object(target) => target.get("source").and_then(Value::as_str),
        Value::Array(targets) => targets.iter().find_map(|t| match t {
            Value::String(source) => Some(source.as_str()),
            other => other.get("source").and_then(Value::as_str),
        }),
        _ => None,
    }?;
    let hex = source.strip_prefix("urn:sha256:")?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| hex.to_lowercase())
}

/// The file as one JSON value (a leading BOM ignored), if it is one.
fn json_value(input: &[u8]) -> Option<Value> {
    let input = input.strip_prefix("\u{feff}".as_bytes()).unwrap_or(input);
    serde_json::from_slice(input).ok()
}

/// The first annotation of a W3C file of any shape the W3C importer reads: a bare array, a page
/// (`items`), a collection (`first.items`), a Hypothesis export (`annotations`) or search result
/// (`rows`), or one annotation.
fn first_w3c_annotation(value: &Value) -> Option<&Map<String, Value>> {
    match value {
        Value::Array(items) => items.first()?.as_object(),
        Value::Object(object) => ["items", "annotations", "rows"]
            .iter()
            .find_map(|key| first_object(object.get(*key)))
            .or_else(|| first_object(object.get("first")?.get("items")))
            .or_else(|| object.contains_key("target").then_some(object)),
        _ => None,
    }
}

/// The first element of a list, when it is an object.
fn first_object(list: Option<&Value>) -> Option<&Map<String, Value>> {
    list?.as_array()?.first()?.as_object()
}

/// A W3C agent's name: a string, an agent object's `name` (else `nickname`), or the first of a
/// list of agents.
fn agent_name(agent: &Value) -> Option<String> {
    match agent {
        Value::Object(agent) => ["name", "nickname"]
            .iter()
            .find_map(|key| agent.get(*key).and_then(name_in)),
        Value::Array(agents) => agents.first().and_then(agent_name),
        other => name_in(other),
    }
}

/// A Label Studio user: a string, a user id, or a user object's `username` (else `email`).
fn user_name(user: &Value) -> Option<String> {
    match user {
        Value::Number(id) => Some(id.to_string()),
        Value::Object(user) => ["username", "email"]
            .iter()
            .find_map(|key| user.get(*key).and_then(name_in)),
        other => name_in(other),
    }
}

/// A name: a string with something other than spaces in it, trimmed.
fn name_in(value: &Value) -> Option<String> {
    let name = value.as_str()?.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn annotator(file: &str) -> Option<String> {
        annotator_of(file.as_bytes())
    }

    #[test]
    fn the_annotator_written_by_an_export_is_read_back() {
        use crate::format::{export_by, ExportFormat};
        use crate::model::{AnnotationStore, Document, LabelSet};
        let document = Document::from_raw("Rain fell.");
        let store = AnnotationStore::new(document.char_len());
        let labels = LabelSet::default();
        for format in ExportFormat::ALL {
            let exported = export_by(format, &document, "d.txt", &store, &labels, "Ana Lima");
            let expected = matches!(
                format,
                ExportFormat::Marginalia | ExportFormat::W3c | ExportFormat::LabelStudio
            )
            .then(|| "Ana Lima".to_owned());
            assert_eq!(annotator_of(&exported.bytes), expected, "{format:?}");
            let nobody = export_by(format, &document, "d.txt", &store, &labels, "");
            assert_eq!(annotator_of(&nobody.bytes), None, "{format:?}");
        }
    }

    #[test]
    fn a_marginalia_file_names_its_annotator_at_the_top() {
        assert_eq!(
            annotator(
                r#"{"format": "marginalia", "version": 1, "annotator": " Ann ", "annotations": []}"#
            ),
            Some("Ann".into())
        );
        assert_eq!(
            annotator(r#"{"format": "marginalia", "version": 1, "annotations": []}"#),
            None
        );
        assert_eq!(
            annotator("\u{feff}{\"format\": \"marginalia\", \"annotator\": \"Bob\"}"),
            Some("Bob".into())
        );
    }

    #[test]
    fn a_w3c_creator_is_read_from_the_collection_or_the_first_annotation() {
        let on_collection = r#"{"type": "AnnotationCollection", "creator": {"type": "Person", "name": "Ann"},
            "first": {"items": [{"type": "Annotation", "creator": "Bob", "target": "x"}]}}"#;
        assert_eq!(annotator(on_collection), Some("Ann".into()));
        let on_annotation = r#"{"type": "AnnotationCollection",
            "first": {"items": [{"type": "Annotation", "creator": {"nickname": "bob"}, "target": "x"}]}}"#;
        assert_eq!(annotator(on_annotation), Some("bob".into()));
        let bare = r#"[{"type": "Annotation", "creator": ["Cy", "Dee"], "target": "x"}]"#;
        assert_eq!(annotator(bare), Some("Cy".into()));
        let page = r#"{"type": "AnnotationPage", "items": [{"creator": "Eve", "target": "x"}]}"#;
        assert_eq!(annotator(page), Some("Eve".into()));
        assert_eq!(
            annotator(r#"{"type": "Annotation", "creator": "Fay", "target": "x"}"#),
            Some("Fay".into())
        );
        assert_eq!(
            annotator(r#"[{"type": "Annotation", "target": "x"}]"#),
            None
        );
    }

    #[test]
    fn label_studio_completed_by_is_a_name_an_id_or_a_user() {
        let task = |by: &str| {
            format!(
                r#"[{{"data": {{"text": "Hello"}}, "annotations": [{{"completed_by": {by}, "result": []}}]}}]"#
            )
        };
        assert_eq!(annotator(&task("7")), Some("7".into()));
        assert_eq!(annotator(&task(r#""ann""#)), Some("ann".into()));
        assert_eq!(
            annotator(&task(r#"{"id": 7, "email": "ann@example.org"}"#)),
            Some("ann@example.org".into())
        );
        assert_eq!(
            annotator(&task(
                r#"{"id": 7, "username": "ann", "email": "ann@example.org"}"#
            )),
            Some("ann".into())
        );
        assert_eq!(annotator(&task("null")), None);
        let older =
            r#"{"data": {"text": "Hello"}, "completions": [{"completed_by": 3, "result": []}]}"#;
        assert_eq!(annotator(older), Some("3".into()));
    }

    #[test]
    fn line_formats_and_other_files_name_no_one() {
        assert_eq!(
            annotator("{\"text\": \"a\", \"spans\": []}\n{\"text\": \"b\", \"spans\": []}\n"),
            None
        );
        assert_eq!(annotator("T1\tClaim 0 5\tHello\n"), None);
        assert_eq!(annotator(""), None);
    }

    #[test]
    fn a_w3c_file_names_the_hash_of_its_text() {
        let hash = "ab".repeat(32);
        let file = format!(
            r#"{{"type": "AnnotationCollection", "first": {{"items": [
                {{"type": "Annotation", "target": {{"source": "urn:sha256:{}", "selector": []}}}}]}}}}"#,
            hash.to_uppercase()
        );
        assert_eq!(text_sha256_of(file.as_bytes()), Some(hash.clone()));
        let listed = format!(r#"[{{"target": [{{"source": "urn:sha256:{hash}"}}]}}]"#);
        assert_eq!(text_sha256_of(listed.as_bytes()), Some(hash));
        assert_eq!(
            text_sha256_of(br#"[{"target": {"source": "https://example.org/page"}}]"#),
            None
        );
        assert_eq!(text_sha256_of(br#"[{"target": "urn:sha256:abc"}]"#), None);
    }
}
