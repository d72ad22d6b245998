//! Every problem of an annotation file, not only the first: what `marginalia validate` prints.
//! The importers refuse a file at its first problem (nothing half-imported); a person fixing a
//! file wants the whole list, with the line (line formats) or the JSON path (JSON) of each.
//!
//! Checked in every format: malformed lines and values, offsets that are not whole numbers, an
//! end not after its start, an offset beyond the text (when the text is known: carried by the
//! file or given), a quote that is not the text at its offsets, a label not among those allowed
//! (when a list is given), ids used twice; in token formats, tokens
//! that overlap or do not match the text. When none of these is found, the file is also read by
//! the importer itself ([`super::import`]), so a file this passes is one the app opens.

mod ann;
mod conll;
mod json;
mod lines;
mod spans;

use super::corpus::shared_documents;
use super::{brat, stored_zip, ExportFormat, FormatError, ImportContext};
use crate::model::{AnnotationId, Document};

/// One problem and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The zip entry it is in, for a zip.
    pub entry: Option<String>,
    /// Its 1-based line, in a line format.
    pub line: Option<usize>,
    /// Its JSON path (`$.annotations[2].end`), in JSON or inside a JSON line.
    pub path: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    /// A problem on line `line`.
    pub fn on_line(line: usize, message: impl Into<String>) -> Self {
        Problem {
            entry: None,
            line: Some(line),
            path: None,
            message: message.into(),
        }
    }

    /// A problem at the JSON path `path` (`$` for the top level), on line `line` of a JSON-lines
    /// file if given.
    pub fn at_path(line: Option<usize>, path: &str, message: impl Into<String>) -> Self {
        Problem {
            entry: None,
            line,
            path: Some(path.to_owned()),
            message: message.into(),
        }
    }

    /// A problem of the whole file.
    pub fn of_file(message: impl Into<String>) -> Self {
        Problem {
            entry: None,
            line: None,
            path: None,
            message: message.into(),
        }
    }

    /// `FILE:LINE: message`, `FILE:LINE: $.path: message`, `FILE: $.path: message` or
    /// `FILE: message`; an entry of a zip is written `FILE/ENTRY`.
    pub fn located(&self, file: &str) -> String {
        let mut text = file.to_owned();
        if let Some(entry) = &self.entry {
            text.push('/');
            text.push_str(entry);
        }
        if let Some(line) = self.line {
            text.push_str(&format!(":{line}"));
        }
        text.push_str(": ");
        if let Some(path) = &self.path {
            text.push_str(path);
            text.push_str(": ");
        }
        text.push_str(&self.message);
        text
    }
}

/// What the file is checked against, besides itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Expected<'a> {
    /// The document text, for files that do not carry it (W3C, a bare `.ann`, CoNLL).
    pub text: Option<&'a Document>,
    /// The labels allowed, by id (any ASCII case); empty: any label.
    pub labels: &'a [String],
}

impl Expected<'_> {
    /// A problem message when `label` is not among the labels allowed (any label is, when
    /// none were given). A file's own label list is not a limit: the app keeps and exports
    /// tags that no label has.
    pub(crate) fn unknown_label(&self, label: &str) -> Option<String> {
        let allowed =
            self.labels.is_empty() || self.labels.iter().any(|l| l.eq_ignore_ascii_case(label));
        (!allowed).then(|| {
            format!(
                "unknown label \"{}\" (known: {})",
                spans::shorten(label),
                self.labels.join(", ")
            )
        })
    }
}

/// Every problem of `input`, in file order; empty when it is valid.
pub fn problems(input: &[u8], expected: Expected<'_>) -> Vec<Problem> {
    if input.starts_with(stored_zip::MAGIC) {
        return zip_problems(input, expected);
    }
    let text = match std::str::from_utf8(input) {
        Ok(text) => text.strip_prefix('\u{feff}').unwrap_or(text),
        Err(error) => {
            return vec![Problem::of_file(
                FormatError::NotUtf8 {
                    byte: error.valid_up_to(),
                }
                .to_string(),
            )]
        }
    };
    let found = match super::detect(input) {
        Err(error) => vec![from_format_error(error)],
        Ok(
            ExportFormat::Spacy | ExportFormat::Doccano | ExportFormat::Prodigy | ExportFormat::Hf,
        ) => lines::problems(text, expected),
        Ok(format @ (ExportFormat::Marginalia | ExportFormat::LabelStudio | ExportFormat::W3c)) => {
            json::problems(text, format, expected)
        }
        Ok(ExportFormat::Brat) => ann::problems(text, expected, None),
        Ok(ExportFormat::Conll) => conll::problems(text, expected),
    };
    if !found.is_empty() {
        return found;
    }
    importer_problem(input, expected).into_iter().collect()
}

/// Every problem of line `number` (1-based) of a JSON-lines corpus (spaCy, Prodigy, doccano,
/// Hugging Face), checked on its own: the same as [`problems`] finds on that line, for reading
/// a large corpus a line at a time. A blank line has none.
pub fn json_line_problems(line: &str, number: usize, expected: Expected<'_>) -> Vec<Problem> {
    lines::line_problems(line, number, expected)
}

/// The problems of each document of a zip (a brat corpus, or a zip of marginalia files).
fn zip_problems(input: &[u8], expected: Expected<'_>) -> Vec<Problem> {
    let in_entry = |entry: &str, problems: Vec<Problem>| -> Vec<Problem> {
        problems
            .into_iter()
            .map(|mut problem| {
                problem.entry = Some(entry.to_owned());
                problem
            })
            .collect()
    };
    let mut found = Vec::new();
    if let Ok(pairs) = brat::pairs(input) {
        for pair in pairs {
            let text = pair
                .txt
                .as_ref()
                .map(|(_, text)| Document::from_normalized(text.clone()));
            let expected = Expected {
                text: text.as_ref().or(expected.text),
                ..expected
            };
            found.extend(in_entry(
                &pair.ann_name,
                ann::problems(&pair.ann, expected, text.as_ref()),
            ));
        }
        return found;
    }
    match shared_documents("archive.zip", input) {
        Ok(documents) => {
            for document in documents {
                let problems = match std::str::from_utf8(&document.annotations) {
                    Ok(file) => json::problems(file, ExportFormat::Marginalia, expected),
                    Err(_) => vec![Problem::of_file("not UTF-8 text")],
                };
                found.extend(in_entry(&document.name, problems));
            }
            found
        }
        Err(error) => vec![Problem::of_file(error.to_string())],
    }
}

/// The importer's refusal of a file in which no problem was found otherwise, if it refuses it:
/// read onto the given text, else as the documents it carries, else onto an empty text (where
/// only the file's own shape can fail).
fn importer_problem(input: &[u8], expected: Expected<'_>) -> Option<Problem> {
    let mut n = 0u64;
    let mut new_id = || {
        n += 1;
        AnnotationId::from(format!("v{n}"))
    };
    let mut import_onto = |document: &Document, bytes: &[u8]| {
        super::import(
            document,
            bytes,
            ImportContext {
                id_in_use: &|_| false,
                new_id: &mut new_id,
                now: "",
            },
        )
        .err()
    };
    let error = match expected.text {
        Some(document) => import_onto(document, input),
        None => match shared_documents("file", input) {
            Ok(documents) => documents.iter().find_map(|shared| {
                import_onto(&Document::from_raw(&shared.text), &shared.annotations).map(|error| {
                    FormatError::Invalid {
                        at: shared.name.clone(),
                        message: error.to_string(),
                    }
                })
            }),
            Err(_) => import_onto(&Document::from_raw(""), input),
        },
    }?;
    Some(from_format_error(error))
}

/// A reader's error as a problem: its line and JSON path taken out of its words.
fn from_format_error(error: FormatError) -> Problem {
    let split_at = |at: &str| -> (Option<usize>, Option<String>) {
        let (line, rest) = match at.strip_prefix("line ") {
            Some(rest) => {
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                let rest = rest[digits.len()..].trim_start_matches(", ");
                (digits.parse().ok(), rest)
            }
            None => (None, at),
        };
        let path = (!rest.is_empty()).then(|| spans::json_path(rest));
        (line, path)
    };
    match error {
        FormatError::Json {
            path,
            message,
            line,
            column,
        } => Problem::at_path(
            None,
            &spans::json_path(&path),
            format!("{message} (line {line}, column {column})"),
        ),
        FormatError::Invalid { at, message } => {
            let (line, path) = split_at(&at);
            Problem {
                entry: None,
                line,
                path,
                message,
            }
        }
        other => Problem::of_file(other.to_string()),
    }
}

#[cfg(test)]
mod tests;
