//! File formats: each an adapter with `export` and `import`, and errors that name where the
//! problem is. Imports never touch the store: they return an [`ImportReport`] that the caller
//! applies as one undoable command.

pub mod marginalia;

use crate::model::{Annotation, AnnotationId, Orphan};

/// The export formats offered, by their `export-format` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Marginalia's own lossless, versioned JSON.
    Marginalia,
}

impl ExportFormat {
    /// Every format, in menu order.
    pub const ALL: [ExportFormat; 1] = [ExportFormat::Marginalia];

    /// The `export-format` value.
    pub fn value(self) -> &'static str {
        match self {
            ExportFormat::Marginalia => "marginalia",
        }
    }

    /// The menu label.
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Marginalia => "Marginalia JSON",
        }
    }

    /// The downloaded file's name for a document named `name` (extension already removed).
    pub fn file_name(self, name: &str) -> String {
        match self {
            ExportFormat::Marginalia => format!("{name}.marginalia.json"),
        }
    }

    /// The MIME type of the download.
    pub fn mime_type(self) -> &'static str {
        match self {
            ExportFormat::Marginalia => "application/json",
        }
    }

    /// The format with this `export-format` value.
    pub fn from_value(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.value() == value)
    }
}

/// What an import found: each annotation is in exactly one list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Found at their recorded offsets with their quote there.
    pub placed: Vec<Annotation>,
    /// Placed elsewhere, by their quote.
    pub reanchored: Vec<Annotation>,
    /// Not placed.
    pub orphaned: Vec<Orphan>,
}

impl ImportReport {
    /// Every annotation that landed in the document.
    pub fn landed(&self) -> impl Iterator<Item = &Annotation> {
        self.placed.iter().chain(&self.reanchored)
    }

    /// A one-line summary for the status region.
    pub fn summary(&self) -> String {
        let mut text = format!(
            "Imported: {} placed exactly, {} re-anchored, {} could not be placed",
            self.placed.len(),
            self.reanchored.len(),
            self.orphaned.len()
        );
        let quotes: Vec<String> = self
            .orphaned
            .iter()
            .take(3)
            .filter_map(|o| o.quote.as_ref().map(|q| format!("“{}”", shorten(q, 40))))
            .collect();
        if !quotes.is_empty() {
            text.push_str(&format!(" ({})", quotes.join(", ")));
        }
        text.push('.');
        text
    }
}

/// Why an import file was refused; the document is unchanged after any of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The file has no content.
    #[error("the file is empty")]
    Empty,
    /// The content is not any format we read.
    #[error("this is not an annotation file Marginalia can read ({0})")]
    NotRecognised(String),
    /// The JSON is malformed or has the wrong shape at `path`.
    #[error("{path}: {message} (line {line}, column {column})")]
    Json {
        /// JSON path of the problem, e.g. `annotations[3].start`.
        path: String,
        /// What is wrong there.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// Written by a newer Marginalia than this one.
    #[error("the file is format version {found}; this Marginalia reads up to version {supported}")]
    NewerVersion {
        /// The file's version.
        found: u64,
        /// The newest we read.
        supported: u64,
    },
    /// Two annotations in the file share an id.
    #[error("{path}: the id {id} is used twice in the file")]
    DuplicateId {
        /// Where the second one is.
        path: String,
        /// The id.
        id: String,
    },
    /// An annotation ends before it starts, or is empty.
    #[error("{path}: end {end} is not after start {start}")]
    EndBeforeStart {
        /// Where.
        path: String,
        /// Its start.
        start: usize,
        /// Its end.
        end: usize,
    },
}

/// What an importer needs besides the file: ids already used and a way to make new ones.
pub struct ImportContext<'a> {
    /// True for ids already used in the document.
    pub id_in_use: &'a dyn Fn(&AnnotationId) -> bool,
    /// Makes a fresh id (a UUID in the app).
    pub new_id: &'a mut dyn FnMut() -> AnnotationId,
    /// RFC 3339 time used where the file has no timestamps.
    pub now: &'a str,
}

/// Reads an annotation file of any supported format, recognised by its content.
pub fn import(
    document: &crate::model::Document,
    input: &str,
    context: ImportContext<'_>,
) -> Result<ImportReport, FormatError> {
    let trimmed = input.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        return Err(FormatError::Empty);
    }
    if !trimmed.starts_with('{') {
        return Err(FormatError::NotRecognised(
            "it does not start with a JSON object".into(),
        ));
    }
    marginalia::import(document, trimmed, context)
}

fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max_chars - 1).collect();
        format!("{cut}…")
    }
}
