//! JSON-lines corpora (spaCy, doccano, Prodigy: one document per line) read one document at a
//! time, so a corpus of a million lines is read with the memory of its longest line rather than
//! of the whole file. Each line becomes the same [`SharedDocument`] that
//! [`super::corpus::shared_documents`] makes of it (named `NAME-N.txt`, its line as its
//! annotations), with its line number, so that [`LineDocument::import`] places it on its own
//! text and names the line of the file in its errors.

use std::io::BufRead;

use serde_json::Value;

use super::corpus::SharedDocument;
use super::{parse_json, stem, FormatError, ImportContext, ImportReport};
use crate::model::Document;

/// True when `line` (a file's first line with content) opens a corpus of one document per line:
/// a whole JSON object with a `text` string that is not a Marginalia file (`format`) or a task
/// holding `annotations` (those are one JSON value, read whole).
pub fn opens_line_corpus(line: &str) -> bool {
    match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(object)) => {
            object.get("text").is_some_and(Value::is_string)
                && !object.contains_key("format")
                && !object.contains_key("annotations")
        }
        _ => false,
    }
}

/// Why a line of a corpus could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LineError {
    /// Reading the input failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The line is not a document line (its line number is in the error).
    #[error("{0}")]
    Format(#[from] FormatError),
}

/// One document of a corpus and the line of the file it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineDocument {
    /// Its 1-based line number in the file.
    pub line: usize,
    /// The document and its line.
    pub shared: SharedDocument,
}

impl LineDocument {
    /// Its annotations placed on `document` (its own text), an error naming the line of the
    /// file rather than line 1 of the line alone.
    pub fn import(
        &self,
        document: &Document,
        context: ImportContext<'_>,
    ) -> Result<ImportReport, FormatError> {
        self.shared
            .import(document, context)
            .map_err(|error| on_line(error, self.line))
    }
}

/// An error from reading one line on its own, moved to line `line` of the file.
fn on_line(error: FormatError, line: usize) -> FormatError {
    let moved = |at: String| match at.strip_prefix("line 1") {
        Some(rest) if rest.is_empty() || rest.starts_with(',') => format!("line {line}{rest}"),
        _ => format!("line {line}, {at}"),
    };
    match error {
        FormatError::Json {
            path,
            message,
            line: _,
            column,
        } => FormatError::Json {
            path,
            message,
            line,
            column,
        },
        FormatError::Invalid { at, message } => FormatError::Invalid {
            at: moved(at),
            message,
        },
        FormatError::DuplicateId { path, id } => FormatError::DuplicateId {
            path: moved(path),
            id,
        },
        FormatError::EndBeforeStart { path, start, end } => FormatError::EndBeforeStart {
            path: moved(path),
            start,
            end,
        },
        other => other,
    }
}

/// The documents of a JSON-lines corpus, in file order, read from `reader` as they are needed.
pub struct LineDocuments<R> {
    reader: R,
    base: String,
    line: String,
    number: usize,
    documents: usize,
    bytes_read: u64,
}

impl<R: BufRead> LineDocuments<R> {
    /// Reads the corpus in `reader`, whose file is `file_name` (documents are named after it:
    /// `corpus.doccano.jsonl` gives `corpus-1.txt`, `corpus-2.txt`, …).
    pub fn new(file_name: &str, reader: R) -> Self {
        let mut base = stem(file_name);
        for kind in [".spacy", ".doccano", ".prodigy", ".jsonl"] {
            base = base.strip_suffix(kind).unwrap_or(base);
        }
        LineDocuments {
            reader,
            base: base.to_owned(),
            line: String::new(),
            number: 0,
            documents: 0,
            bytes_read: 0,
        }
    }

    /// How many bytes of the input have been read so far (for a progress bar).
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// The document of the line just read, or `None` for a blank line.
    fn document_of_line(&mut self) -> Result<Option<LineDocument>, FormatError> {
        let line = self.line.trim_end_matches(['\n', '\r']);
        let line = line.strip_prefix('\u{feff}').unwrap_or(line);
        if line.trim().is_empty() {
            return Ok(None);
        }
        let value: Value = parse_json(line, self.number - 1)?;
        let Some(text) = value.get("text").and_then(Value::as_str) else {
            return Err(FormatError::Invalid {
                at: format!("line {}", self.number),
                message: "it has no \"text\", so it cannot be read as a document".into(),
            });
        };
        self.documents += 1;
        Ok(Some(LineDocument {
            line: self.number,
            shared: SharedDocument {
                name: format!("{}-{}.txt", self.base, self.documents),
                text: text.to_owned(),
                annotations: line.as_bytes().to_vec(),
            },
        }))
    }
}

impl<R: BufRead> Iterator for LineDocuments<R> {
    type Item = Result<LineDocument, LineError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.line.clear();
            match self.reader.read_line(&mut self.line) {
                Ok(0) => return None,
                Ok(n) => {
                    self.bytes_read += n as u64;
                    self.number += 1;
                }
                Err(error) => return Some(Err(error.into())),
            }
            match self.document_of_line() {
                Ok(None) => continue,
                Ok(Some(document)) => return Some(Ok(document)),
                Err(error) => return Some(Err(error.into())),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corpus_is_read_a_line_at_a_time_with_the_names_open_gives() {
        let input = "{\"text\": \"Alpha\", \"label\": [[0, 5, \"claim\"]]}\n\n{\"text\": \"Beta\", \"spans\": []}\r\n";
        let documents: Vec<SharedDocument> =
            LineDocuments::new("c.doccano.jsonl", input.as_bytes())
                .map(|line| line.unwrap().shared)
                .collect();
        let names: Vec<&str> = documents.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["c-1.txt", "c-2.txt"]);
        assert_eq!(documents[1].text, "Beta");
        assert_eq!(
            documents[1].annotations,
            b"{\"text\": \"Beta\", \"spans\": []}"
        );
        let shared = super::super::corpus::shared_documents("c.doccano.jsonl", input.as_bytes());
        assert_eq!(shared.unwrap(), documents);
    }

    #[test]
    fn a_bad_line_is_named_by_its_number() {
        let input = "{\"text\": \"Alpha\"}\n{\"spans\": []}\n{oops\n";
        let errors: Vec<String> = LineDocuments::new("c.jsonl", input.as_bytes())
            .filter_map(Result::err)
            .map(|e| e.to_string())
            .collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].starts_with("line 2: it has no \"text\""),
            "{errors:?}"
        );
        assert!(errors[1].contains("line 3"), "{errors:?}");
    }

    #[test]
    fn an_import_error_names_the_line_of_the_file() {
        let input =
            "{\"text\": \"Alpha\"}\n\n{\"text\": \"Beta\", \"label\": [[3, 1, \"claim\"]]}\n";
        let third = LineDocuments::new("c.jsonl", input.as_bytes())
            .nth(1)
            .unwrap()
            .unwrap();
        assert_eq!(third.line, 3);
        let document = Document::from_raw(&third.shared.text);
        let mut new_id = || crate::model::AnnotationId::from("x");
        let context = ImportContext {
            id_in_use: &|_| false,
            new_id: &mut new_id,
            now: "t",
        };
        let error = third.import(&document, context).unwrap_err().to_string();
        assert!(error.starts_with("line 3, label[0][1]: "), "{error}");
    }

    #[test]
    fn each_lines_relations_come_with_its_document() {
        let input = concat!(
            r#"{"text": "Alpha", "label": [[0, 5, "claim"]]}"#,
            "\n",
            r#"{"text": "Macron said no.", "entities": [{"id": 1, "label": "source", "start_offset": 0, "end_offset": 6}, {"id": 2, "label": "quote", "start_offset": 7, "end_offset": 14}], "relations": [{"id": 1, "from_id": 2, "to_id": 1, "type": "attributed-to"}]}"#,
            "\n"
        );
        let second = LineDocuments::new("c.doccano.jsonl", input.as_bytes())
            .nth(1)
            .unwrap()
            .unwrap();
        let document = Document::from_raw(&second.shared.text);
        let mut n = 0;
        let mut new_id = || {
            n += 1;
            crate::model::AnnotationId::from(format!("n{n}"))
        };
        let context = ImportContext {
            id_in_use: &|_| false,
            new_id: &mut new_id,
            now: "t",
        };
        let store = second
            .import(&document, context)
            .unwrap()
            .store_on(&document)
            .unwrap();
        let relation = store.relations().next().unwrap();
        assert_eq!(
            (
                relation.kind.as_str(),
                relation.from.as_str(),
                relation.to.as_str()
            ),
            ("attributed-to", "n2", "n1")
        );
    }

    #[test]
    fn only_objects_with_a_text_and_no_whole_file_keys_open_a_line_corpus() {
        assert!(opens_line_corpus(r#"{"text": "a", "spans": []}"#));
        assert!(!opens_line_corpus(
            r#"{"format": "marginalia", "text": "a"}"#
        ));
        assert!(!opens_line_corpus(r#"{"text": "a", "annotations": []}"#));
        assert!(!opens_line_corpus("{"));
        assert!(!opens_line_corpus(r#"[{"text": "a"}]"#));
        assert!(!opens_line_corpus("T1\tClaim 0 5\tHello"));
    }
}
