//! Work the app hands to its second module, a Web Worker loaded on first use (README, "What
//! loads when"): reading and writing annotation files, opening shared files and Markdown,
//! comparing annotators' files (agreement), and suggestions with their pattern files. The first
//! paint needs none of it, so the app's own module links none of it; a user who never uses them
//! never downloads it, and a long import or a book's suggestions run off the main thread.
//!
//! A [`Task`] and its [`Outcome`] cross between the two modules as JSON, with the files' bytes
//! beside them (transferred, not copied). [`run`] is plain Rust, so the native tests run every
//! task as the worker does.

#[cfg(target_arch = "wasm32")]
pub mod message;
#[cfg(target_arch = "wasm32")]
pub mod worker;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::ops::Range;

use crate::format::corpus::{self, CorpusDocument};
use crate::format::{self, ExportFormat, ImportContext, ImportReport};
use crate::model::{
    markdown, AnnotationId, AnnotationStore, Document, LabelSet, Span, StoreError, Tag,
};
use crate::persist::record::StoredComparison;
use crate::suggest::{Memory, PatternSet, Remembered, Suggester, Suggestion};
use crate::workspace::Comparison;

/// One piece of work. Files travel beside it as bytes, in the order the task names them; a
/// document's text is one of them (UTF-8), so it crosses without a JSON copy of a book in the
/// page's wasm memory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Task {
    /// [`format::import`] of an annotation file onto a document; file ids in `ids_in_use` get
    /// new ids. Files: the document's text, then the annotation file.
    Import {
        /// The document's SHA-256 (its id), so the worker does not hash it again.
        text_sha256: String,
        /// Ids already used in the document (annotations, orphans, relations).
        ids_in_use: Vec<AnnotationId>,
        /// RFC 3339 time used where the file has none.
        now: String,
        /// Random bytes the new ids are made from ([`IdSource`]).
        seed: [u8; 16],
    },
    /// [`format::export_by`] of one document. Files: its text.
    Export {
        /// The format.
        format: ExportFormat,
        /// The document, its name and annotations.
        document: DocumentParts,
        /// The labels and relation types.
        labels: LabelSet,
        /// Who made the annotations (empty for nobody named).
        annotator: String,
    },
    /// [`corpus::export_corpus_by`] of the documents, in library order. Files: their texts, in
    /// the same order.
    ExportCorpus {
        /// The format.
        format: ExportFormat,
        /// The documents.
        documents: Vec<DocumentParts>,
        /// The labels and relation types.
        labels: LabelSet,
        /// Who made the annotations.
        annotator: String,
    },
    /// The documents a file (named `name`) carries, each with its annotations placed on its
    /// text ([`corpus::shared_documents`]). Files: that file.
    OpenShared {
        /// The file's name.
        name: String,
        /// RFC 3339 time used where the file has none.
        now: String,
        /// Random bytes the new ids are made from.
        seed: [u8; 16],
    },
    /// The plain text a reader sees of a Markdown document.
    MarkdownText {
        /// The Markdown.
        markdown: String,
    },
    /// Annotators' files (named `names`) compared on a document named `source_name`, as
    /// Compare… opens them ([`Comparison::read_layers`], [`Comparison::new`]). Files: the
    /// document's text, then the annotators' files.
    Compare {
        /// The document's SHA-256.
        text_sha256: String,
        /// The document's name.
        source_name: String,
        /// The annotators' files' names.
        names: Vec<String>,
        /// RFC 3339 time used where a file has none.
        now: String,
        /// Random bytes the new ids are made from.
        seed: [u8; 16],
    },
    /// Reads a document and builds its suggester ([`Suggester`]), kept in the worker for the
    /// [`Task::Suggest`] tasks that follow (one input at a time): a book's suggestions come in
    /// slices, and the text and memory cross once. Files: the document's text.
    PrepareSuggestions {
        /// The pattern file (empty for none), as [`PatternSet::parse`] accepted it.
        patterns: String,
        /// The library's tagged texts, for suggestions from memory.
        remembered: Vec<RememberedText>,
    },
    /// The suggestions in some paragraphs of the prepared document, in document order.
    Suggest {
        /// What [`Task::PrepareSuggestions`] answered.
        prepared: u64,
        /// The paragraphs (indices into the document's paragraphs), in document order.
        paragraphs: Vec<Range<usize>>,
    },
    /// A stored comparison measured again ([`Comparison::restore`]). Files: the document's text.
    RestoreComparison {
        /// The document's SHA-256.
        text_sha256: String,
        /// The comparison as stored.
        stored: StoredComparison,
    },
    /// How many patterns a pattern file holds, or the line that is wrong.
    ParsePatterns {
        /// The file's text.
        source: String,
    },
}

/// A tagged text remembered for suggestions ([`Remembered`], owned to travel).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RememberedText {
    /// The annotation's text.
    pub text: String,
    /// Its tag.
    pub tag: Tag,
    /// Its span, when it is in the document suggestions are made for.
    pub span_here: Option<Span>,
}

/// What a task gave. Errors are in words, for the status line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    /// An import's report, or why the file was refused.
    Imported(Result<ImportReport, String>),
    /// An export: the file's bytes travel beside it.
    Exported(ExportedFile),
    /// The documents of a shared file, or why it was refused.
    Shared(Result<Vec<SharedOpened>, String>),
    /// A Markdown document's text.
    Text(String),
    /// The comparison and how many annotations could not be placed, or why a file was refused.
    Compared(Result<(Comparison, usize), String>),
    /// The key of the prepared suggester, or why the pattern file could not be read.
    Prepared(Result<u64, String>),
    /// Suggestions, or why there are none (the worker was restarted since it prepared).
    Suggested(Result<Vec<Suggestion>, String>),
    /// The number of patterns, or the wrong line in words.
    Patterns(Result<usize, String>),
}

impl Outcome {
    /// The outcome's kind, for a message (never its payload: a book's suggestions are millions).
    pub fn kind(&self) -> &'static str {
        match self {
            Outcome::Imported(_) => "Imported",
            Outcome::Exported(_) => "Exported",
            Outcome::Shared(_) => "Shared",
            Outcome::Text(_) => "Text",
            Outcome::Compared(_) => "Compared",
            Outcome::Prepared(_) => "Prepared",
            Outcome::Suggested(_) => "Suggested",
            Outcome::Patterns(_) => "Patterns",
        }
    }
}

/// A document as a task carries it: its name and annotations (its text is a file beside).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentParts {
    /// Its file name.
    pub name: String,
    /// Its text's SHA-256.
    pub text_sha256: String,
    /// Its annotations, orphans and relations (as an import would add them).
    pub annotations: ImportReport,
}

impl DocumentParts {
    /// `store`, of `document` named `name`. Relations whose ends are gone are left out, as
    /// every export leaves them out. O(n).
    pub fn of(name: &str, document: &Document, store: &AnnotationStore) -> Self {
        Self {
            name: name.to_owned(),
            text_sha256: document.sha256().to_owned(),
            annotations: ImportReport {
                placed: store.in_document_order().map(|a| (**a).clone()).collect(),
                orphaned: store.orphans().iter().map(|o| (**o).clone()).collect(),
                relations: store
                    .relations()
                    .filter(|r| store.relation_ends_exist(r))
                    .map(|r| (**r).clone())
                    .collect(),
                ..ImportReport::default()
            },
        }
    }

    /// The document (of `text`) and its store again.
    fn rebuilt(&self, text: String) -> Result<(Document, AnnotationStore), StoreError> {
        let document = Document::from_normalized_with_sha256(text, self.text_sha256.clone());
        let store = self.annotations.store_on(&document)?;
        Ok((document, store))
    }
}

/// An export's file, but its bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedFile {
    /// The download's name.
    pub file_name: String,
    /// Its MIME type.
    pub mime_type: String,
    /// What the format could not carry, in words.
    pub note: Option<String>,
    /// How many annotations it holds.
    pub annotations: usize,
    /// Why it could not be made (a store that does not rebuild: a bug, said plainly).
    pub error: Option<String>,
}

/// A document a shared file carries, with its annotations placed on its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedOpened {
    /// Its file name or title.
    pub name: String,
    /// Its text.
    pub text: String,
    /// Its annotations as placed on the text.
    pub report: ImportReport,
}

/// Fresh annotation ids in the worker, which has no `crypto` of the page's: UUID v4 text made
/// from SHA-256 of a random seed (sent by the page) and a counter. As unpredictable as the
/// seed, and never repeated within one task.
pub struct IdSource {
    seed: [u8; 16],
    count: u64,
}

impl IdSource {
    /// Ids made from `seed` (16 random bytes).
    pub fn new(seed: [u8; 16]) -> Self {
        Self { seed, count: 0 }
    }

    /// The next id.
    pub fn next_id(&mut self) -> AnnotationId {
        self.count += 1;
        let digest = Sha256::new()
            .chain_update(self.seed)
            .chain_update(self.count.to_le_bytes())
            .finalize();
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        AnnotationId::uuid(bytes, 4)
    }
}

/// A document's text sent as a file: UTF-8 from the page's own `&str` (a page of another
/// version that sent something else gets its bytes read leniently, never a panic).
fn text_of(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Does `task` on `files` (the bytes it names): the outcome, and the bytes of a file it made.
pub fn run(task: Task, files: Vec<Vec<u8>>) -> (Outcome, Option<Vec<u8>>) {
    let mut files = files.into_iter();
    let mut next = || files.next().unwrap_or_default();
    match task {
        Task::Import {
            text_sha256,
            ids_in_use,
            now,
            seed,
        } => {
            let document = Document::from_normalized_with_sha256(text_of(next()), text_sha256);
            let in_use: rustc_hash::FxHashSet<AnnotationId> = ids_in_use.into_iter().collect();
            let mut ids = IdSource::new(seed);
            let context = ImportContext {
                id_in_use: &|id| in_use.contains(id),
                new_id: &mut || ids.next_id(),
                now: &now,
            };
            let report = format::import(&document, &next(), context).map_err(|e| e.to_string());
            (Outcome::Imported(report), None)
        }
        Task::Export {
            format,
            document,
            labels,
            annotator,
        } => match document.rebuilt(text_of(next())) {
            Ok((text, store)) => {
                let exported =
                    format::export_by(format, &text, &document.name, &store, &labels, &annotator);
                exported_file(exported, store.len())
            }
            Err(error) => failed_export(&document.name, error),
        },
        Task::ExportCorpus {
            format,
            documents,
            labels,
            annotator,
        } => {
            let mut rebuilt = Vec::with_capacity(documents.len());
            for parts in &documents {
                match parts.rebuilt(text_of(next())) {
                    Ok(pair) => rebuilt.push(pair),
                    Err(error) => return failed_export(&parts.name, error),
                }
            }
            let corpus: Vec<CorpusDocument<'_>> = documents
                .iter()
                .zip(&rebuilt)
                .map(|(parts, (document, store))| CorpusDocument {
                    name: &parts.name,
                    document,
                    store,
                })
                .collect();
            let annotations = rebuilt.iter().map(|(_, store)| store.len()).sum();
            let exported = corpus::export_corpus_by(format, &corpus, &labels, &annotator);
            exported_file(exported, annotations)
        }
        Task::OpenShared { name, now, seed } => (
            Outcome::Shared(open_shared(&name, &next(), &now, seed)),
            None,
        ),
        Task::MarkdownText { markdown } => {
            (Outcome::Text(markdown::markdown_to_text(&markdown)), None)
        }
        Task::Compare {
            text_sha256,
            source_name,
            names,
            now,
            seed,
        } => {
            let document = Document::from_normalized_with_sha256(text_of(next()), text_sha256);
            let named: Vec<(String, Vec<u8>)> = names.into_iter().map(|n| (n, next())).collect();
            let mut ids = IdSource::new(seed);
            let compared = Comparison::read_layers(&document, &named, &mut || ids.next_id(), &now)
                .map(|(layers, not_placed)| {
                    (Comparison::new(&document, &source_name, layers), not_placed)
                });
            (Outcome::Compared(compared), None)
        }
        Task::RestoreComparison {
            text_sha256,
            stored,
        } => {
            let document = Document::from_normalized_with_sha256(text_of(next()), text_sha256);
            let comparison = Comparison::restore(&document, stored);
            (Outcome::Compared(Ok((comparison, 0))), None)
        }
        Task::PrepareSuggestions {
            patterns,
            remembered,
        } => (
            Outcome::Prepared(prepare_suggestions(text_of(next()), &patterns, &remembered)),
            None,
        ),
        Task::Suggest {
            prepared,
            paragraphs,
        } => (Outcome::Suggested(suggest(prepared, &paragraphs)), None),
        Task::ParsePatterns { source } => {
            let count = PatternSet::parse(&source)
                .map(|set| set.len())
                .map_err(|e| e.to_string());
            (Outcome::Patterns(count), None)
        }
    }
}

/// The document and suggester of the last [`Task::PrepareSuggestions`], by a hash of what made
/// them (preparing the same input again costs nothing).
struct Prepared {
    key: u64,
    document: Document,
    suggester: Suggester,
}

thread_local! {
    static PREPARED: RefCell<Option<Prepared>> = const { RefCell::new(None) };
}

/// [`Task::PrepareSuggestions`]. O(text + remembered).
fn prepare_suggestions(
    text: String,
    patterns: &str,
    remembered: &[RememberedText],
) -> Result<u64, String> {
    let mut hasher = rustc_hash::FxHasher::default();
    (&text, patterns, remembered).hash(&mut hasher);
    let key = hasher.finish();
    PREPARED.with(|prepared| {
        let mut prepared = prepared.borrow_mut();
        if prepared.as_ref().is_none_or(|p| p.key != key) {
            let patterns = PatternSet::parse(patterns).map_err(|e| e.to_string())?;
            let memory = Memory::remember(remembered.iter().map(|r| Remembered {
                text: &r.text,
                tag: r.tag.clone(),
                span_here: r.span_here,
            }));
            *prepared = Some(Prepared {
                key,
                document: Document::from_normalized(text),
                suggester: Suggester::new(patterns, memory),
            });
        }
        Ok(key)
    })
}

/// [`Task::Suggest`]. O(the paragraphs' text + matches).
fn suggest(key: u64, paragraphs: &[Range<usize>]) -> Result<Vec<Suggestion>, String> {
    PREPARED.with(|prepared| match &*prepared.borrow() {
        Some(prepared) if prepared.key == key => Ok(paragraphs
            .iter()
            .flat_map(|range| {
                prepared
                    .suggester
                    .suggest_paragraphs(&prepared.document, range.clone())
            })
            .collect()),
        _ => Err(
            "the suggestions were interrupted (their worker was restarted); turn them off and on"
                .into(),
        ),
    })
}

/// The outcome of an export, its bytes beside it.
fn exported_file(exported: format::Exported, annotations: usize) -> (Outcome, Option<Vec<u8>>) {
    let file = ExportedFile {
        file_name: exported.file_name,
        mime_type: exported.mime_type.to_owned(),
        note: exported.note,
        annotations,
        error: None,
    };
    (Outcome::Exported(file), Some(exported.bytes))
}

/// An export refused because a document's annotations did not rebuild into a store.
fn failed_export(name: &str, error: StoreError) -> (Outcome, Option<Vec<u8>>) {
    let file = ExportedFile {
        file_name: String::new(),
        mime_type: String::new(),
        note: None,
        annotations: 0,
        error: Some(format!("{}: {error}", format::quoted(name))),
    };
    (Outcome::Exported(file), None)
}

/// The documents a shared file carries with their annotations placed on their own texts.
fn open_shared(
    name: &str,
    bytes: &[u8],
    now: &str,
    seed: [u8; 16],
) -> Result<Vec<SharedOpened>, String> {
    let shared = corpus::shared_documents(name, bytes).map_err(|e| e.to_string())?;
    let mut ids = IdSource::new(seed);
    shared
        .into_iter()
        .map(|shared| {
            let document = Document::from_raw(&shared.text);
            let context = ImportContext {
                id_in_use: &|_| false,
                new_id: &mut || ids.next_id(),
                now,
            };
            let report = shared
                .import(&document, context)
                .map_err(|error| format!("{}: {error}", shared.name))?;
            Ok(SharedOpened {
                name: shared.name,
                text: document.text().to_owned(),
                report,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
