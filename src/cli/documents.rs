//! The documents an input file carries, each with its annotations placed on its text, as the
//! app's Open… and Import… read them:
//! - with `--text`, the file is imported onto that text (the app's Import…: any format, the
//!   annotations re-anchored where the text differs);
//! - a JSON-lines corpus (spaCy, doccano, Prodigy) is read a line at a time, a document per line;
//! - any other file that carries its documents' text (a marginalia file, a zip of them, a brat
//!   zip) is read whole;
//! - a file that does not carry its text (W3C, a bare brat `.ann`, CoNLL) needs `--text`.

use std::io::BufRead;
use std::path::Path;

use marginalia::format::corpus::{shared_documents, SharedDocument};
use marginalia::format::stream::{opens_line_corpus, LineDocument, LineDocuments, LineError};
use marginalia::format::{
    self, stored_zip, ExportFormat, FormatError, ImportContext, ImportReport,
};
use marginalia::model::{AnnotationStore, Document, LabelSet};

use crate::clock::now_rfc3339;
use crate::error::CliError;
use crate::ids::IdMaker;
use crate::input::{read_document, InputPath};

/// One document with its annotations, and what placing them found.
pub struct LoadedDocument {
    /// Its file name (`corpus-3.txt` for the third line of `corpus.doccano.jsonl`).
    pub name: String,
    /// Its text.
    pub document: Document,
    /// Its annotations and orphans.
    pub store: AnnotationStore,
    /// The labels its file carried (marginalia files).
    pub labels: Option<LabelSet>,
    /// Annotations found at their recorded offsets.
    pub placed: usize,
    /// Annotations placed elsewhere by their quote.
    pub reanchored: usize,
    /// Annotations that could not be placed (kept as orphans).
    pub orphaned: usize,
}

/// The documents of one input, produced as they are read.
pub struct Documents {
    file: String,
    now: String,
    source: Source,
}

enum Source {
    /// A JSON-lines corpus, read as it is consumed.
    Lines(LineDocuments<Box<dyn BufRead>>),
    /// Documents already read.
    Read(std::vec::IntoIter<LoadedDocument>),
}

impl Documents {
    /// The documents of `input`; with `text`, the one document that is `text` with the file's
    /// annotations imported onto it.
    pub fn open(input: &InputPath, text: Option<&Path>) -> Result<Self, CliError> {
        let file = input.display();
        let now = now_rfc3339();
        let invalid = |source: FormatError| CliError::Invalid {
            file: file.clone(),
            source,
        };
        if let Some(text) = text {
            let (name, document) = read_document(text)?;
            let bytes = input.read_all()?;
            let mut ids = IdMaker::new(&document);
            let report = import(&document, &bytes, &mut ids, &now).map_err(invalid)?;
            let loaded = loaded(name, document, report).map_err(invalid)?;
            return Ok(Documents::read(file, now, vec![loaded]));
        }
        let opened = input.open_peeking()?;
        if opened.first_line.as_deref().is_some_and(opens_line_corpus) {
            let lines = LineDocuments::new(&input.file_name(), opened.reader);
            return Ok(Documents {
                file,
                now,
                source: Source::Lines(lines),
            });
        }
        let bytes = input.read_rest(opened.reader)?;
        let shared = match shared_documents(&input.file_name(), &bytes) {
            Ok(shared) => shared,
            Err(error) => return Err(why_not_documents(&file, &bytes, error)),
        };
        let documents = shared
            .into_iter()
            .map(|shared| load_shared(&shared, &now).map_err(&invalid))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Documents::read(file, now, documents))
    }

    fn read(file: String, now: String, documents: Vec<LoadedDocument>) -> Self {
        Documents {
            file,
            now,
            source: Source::Read(documents.into_iter()),
        }
    }

    /// True when documents are read as they are consumed (a JSON-lines corpus).
    pub fn is_streamed(&self) -> bool {
        matches!(self.source, Source::Lines(_))
    }

    /// Bytes of the input read so far, when it is read as it is consumed.
    pub fn bytes_read(&self) -> Option<u64> {
        match &self.source {
            Source::Lines(lines) => Some(lines.bytes_read()),
            Source::Read(_) => None,
        }
    }
}

impl Iterator for Documents {
    type Item = Result<LoadedDocument, CliError>;

    fn next(&mut self) -> Option<Self::Item> {
        let file = &self.file;
        match &mut self.source {
            Source::Read(documents) => documents.next().map(Ok),
            Source::Lines(lines) => lines.next().map(|line| match line {
                Ok(line) => load_line(&line, &self.now).map_err(|source| CliError::Invalid {
                    file: file.clone(),
                    source,
                }),
                Err(LineError::Format(source)) => Err(CliError::Invalid {
                    file: file.clone(),
                    source,
                }),
                Err(LineError::Io(source)) => Err(CliError::Read {
                    path: file.clone(),
                    source,
                }),
            }),
        }
    }
}

/// Why a file that is not a corpus gives no documents: its format does not carry the text
/// (W3C, a bare brat `.ann`, CoNLL: the user must give it, a usage error), or it cannot be read
/// (the reader's own words).
pub fn why_not_documents(file: &str, bytes: &[u8], error: FormatError) -> CliError {
    let without_text = match format::detect(bytes) {
        Ok(ExportFormat::W3c | ExportFormat::Conll) => true,
        Ok(ExportFormat::Brat) => !bytes.starts_with(stored_zip::MAGIC),
        _ => false,
    };
    if without_text {
        CliError::Usage(format!(
            "{file} does not carry its document's text (W3C, a bare brat .ann, CoNLL): \
             give the text with --text FILE"
        ))
    } else {
        CliError::Invalid {
            file: file.to_owned(),
            source: error,
        }
    }
}

/// Imports the annotation file `bytes` onto `document` (the app's Import…).
pub fn import(
    document: &Document,
    bytes: &[u8],
    ids: &mut IdMaker,
    now: &str,
) -> Result<ImportReport, FormatError> {
    let mut new_id = || ids.next_id();
    format::import(
        document,
        bytes,
        ImportContext {
            id_in_use: &|_| false,
            new_id: &mut new_id,
            now,
        },
    )
}

/// A document a whole file carries, placed on its own text.
fn load_shared(shared: &SharedDocument, now: &str) -> Result<LoadedDocument, FormatError> {
    let document = Document::from_raw(&shared.text);
    let mut ids = IdMaker::new(&document);
    let mut new_id = || ids.next_id();
    let context = ImportContext {
        id_in_use: &|_| false,
        new_id: &mut new_id,
        now,
    };
    let report = shared
        .import(&document, context)
        .map_err(|error| FormatError::Invalid {
            at: shared.name.clone(),
            message: error.to_string(),
        })?;
    loaded(shared.name.clone(), document, report)
}

/// A document of a corpus line, placed on its own text.
fn load_line(line: &LineDocument, now: &str) -> Result<LoadedDocument, FormatError> {
    let document = Document::from_raw(&line.shared.text);
    let mut ids = IdMaker::new(&document);
    let mut new_id = || ids.next_id();
    let context = ImportContext {
        id_in_use: &|_| false,
        new_id: &mut new_id,
        now,
    };
    let report = line.import(&document, context)?;
    loaded(line.shared.name.clone(), document, report)
}

/// The document with the import's annotations and orphans in its store.
pub fn loaded(
    name: String,
    document: Document,
    report: ImportReport,
) -> Result<LoadedDocument, FormatError> {
    let store = report
        .store_on(&document)
        .map_err(|error| FormatError::Invalid {
            at: name.clone(),
            message: error.to_string(),
        })?;
    Ok(LoadedDocument {
        name,
        document,
        store,
        placed: report.placed.len(),
        reanchored: report.reanchored.len(),
        orphaned: report.orphaned.len(),
        labels: report.labels,
    })
}
