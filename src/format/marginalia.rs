//! Marginalia's own format: versioned JSON that carries the document text, its SHA-256, and
//! each annotation with code-point offsets, tag, quote, note and timestamps. Lossless.
//!
//! ```json
//! {"format": "marginalia", "version": 1, "name": "…", "text": "…", "sha256": "…",
//!  "annotations": [{"id": "…", "start": 0, "end": 5, "tag": "claim", "quote": "…",
//!                   "note": "…", "created": "…", "modified": "…"}]}
//! ```
//! On import only `format`, `version` and each annotation's `start`, `end` and `tag` are
//! required.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{FormatError, ImportContext, ImportReport};
use crate::anchor::{self, Placement, Selectors, TextQuote};
use crate::model::{Annotation, AnnotationId, AnnotationStore, Document, Orphan, Span, Tag};

/// The `format` value.
pub const FORMAT_NAME: &str = "marginalia";
/// The newest version written and read.
pub const VERSION: u64 = 1;

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u64,
    name: &'a str,
    text: &'a str,
    sha256: &'a str,
    annotations: Vec<AnnotationOut<'a>>,
}

#[derive(Serialize)]
struct AnnotationOut<'a> {
    id: &'a str,
    start: usize,
    end: usize,
    tag: &'a str,
    quote: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    note: &'a str,
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
}

#[derive(Deserialize)]
struct AnnotationIn {
    #[serde(default)]
    id: Option<String>,
    start: usize,
    end: usize,
    tag: String,
    #[serde(default)]
    quote: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    modified: Option<String>,
}

/// The file for `store`'s annotations on `document`, named `name`. O(n) in text + annotations.
pub fn export(document: &Document, name: &str, store: &AnnotationStore) -> String {
    let annotations = store
        .in_document_order()
        .map(|a| AnnotationOut {
            id: a.id.as_str(),
            start: a.span.start,
            end: a.span.end,
            tag: a.tag.as_str(),
            quote: document.slice(a.span).unwrap_or_default(),
            note: &a.note,
            created: &a.created,
            modified: &a.modified,
        })
        .collect();
    let file = FileOut {
        format: FORMAT_NAME,
        version: VERSION,
        name,
        text: document.text(),
        sha256: document.sha256(),
        annotations,
    };
    serde_json::to_string_pretty(&file).expect("plain structs always serialise")
}

/// Reads a marginalia file and places its annotations on `document`.
pub fn import(
    document: &Document,
    input: &str,
    context: ImportContext<'_>,
) -> Result<ImportReport, FormatError> {
    let header: Header = parse(input)?;
    match header.format.as_ref().and_then(|f| f.as_str()) {
        Some(FORMAT_NAME) => {}
        Some(other) => {
            return Err(FormatError::NotRecognised(format!(
                "its \"format\" is \"{other}\""
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
    let file: FileIn = parse(input)?;
    validate(&file)?;

    // The file's own text, when it has one, gives each annotation its context. Its offsets
    // refer to that text exactly as written, so it is not normalised again (a leading U+FEFF
    // in it is a character, not a BOM).
    let source = file
        .text
        .map(Document::from_normalized)
        .filter(|source| source.text() != document.text());
    let mut report = ImportReport::default();
    let mut taken: HashSet<AnnotationId> = HashSet::new();
    for item in file.annotations {
        let recorded = Span {
            start: item.start,
            end: item.end,
        };
        let selectors = match &source {
            Some(source) if source.slice(recorded).is_some() => {
                let mut selectors = anchor::describe(source, recorded);
                if let (Some(quote), Some(exact)) = (&mut selectors.quote, &item.quote) {
                    exact.clone_into(&mut quote.exact);
                }
                selectors
            }
            _ => Selectors {
                position: Some(recorded),
                quote: item.quote.clone().map(|exact| TextQuote {
                    exact,
                    prefix: String::new(),
                    suffix: String::new(),
                }),
            },
        };
        // An id that is missing, or already used in the document, gets a new one.
        let id = item
            .id
            .filter(|id| !id.is_empty())
            .map(AnnotationId::from)
            .filter(|id| !(context.id_in_use)(id) && !taken.contains(id))
            .unwrap_or_else(|| (context.new_id)());
        taken.insert(id.clone());
        let now = context.now;
        let annotation = |span: Span| Annotation {
            id: id.clone(),
            span,
            tag: Tag::from(item.tag.as_str()),
            note: item.note.clone().unwrap_or_default(),
            created: item.created.clone().unwrap_or_else(|| now.to_owned()),
            modified: item.modified.clone().unwrap_or_else(|| now.to_owned()),
        };
        match anchor::anchor(document, &selectors) {
            Placement::Exact(span) => report.placed.push(annotation(span)),
            Placement::Moved(span) => report.reanchored.push(annotation(span)),
            Placement::Orphan => report.orphaned.push(Orphan {
                annotation: annotation(recorded),
                quote: selectors.quote.map(|q| q.exact),
            }),
        }
    }
    Ok(report)
}

/// Refuses files with an id used twice or a span that ends before it starts.
fn validate(file: &FileIn) -> Result<(), FormatError> {
    let mut seen = HashSet::new();
    for (index, item) in file.annotations.iter().enumerate() {
        if item.end <= item.start {
            return Err(FormatError::EndBeforeStart {
                path: format!("annotations[{index}].end"),
                start: item.start,
                end: item.end,
            });
        }
        if let Some(id) = &item.id {
            if !seen.insert(id.as_str()) {
                return Err(FormatError::DuplicateId {
                    path: format!("annotations[{index}].id"),
                    id: id.clone(),
                });
            }
        }
    }
    Ok(())
}

/// Parses JSON into `T`, naming the path, line and column of the first problem.
fn parse<'de, T: Deserialize<'de>>(input: &'de str) -> Result<T, FormatError> {
    let mut deserializer = serde_json::Deserializer::from_str(input);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let message = inner.to_string();
        // serde_json appends " at line L column C"; the path and position are given apart.
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(head, _)| head)
            .to_owned();
        FormatError::Json {
            path: if path == "." {
                "(top level)".into()
            } else {
                path
            },
            message,
            line: inner.line(),
            column: inner.column(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
