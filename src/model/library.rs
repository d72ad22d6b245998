//! The library: every stored document (its entry, not its text), the labels of the set, and
//! the document deleted last while its deletion can be undone.

use serde::{Deserialize, Serialize};

use super::LabelSet;

/// One document in the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryEntry {
    /// The document's id: its text's whole SHA-256 in hex (libraries from before schema 3 were
    /// re-keyed so on migration).
    pub id: String,
    /// Its file name or title.
    pub name: String,
    /// How many annotations it has (kept apart so the list needs no other read).
    pub count: usize,
    /// Marked done by the annotator (the corpus's progress).
    #[serde(default)]
    pub done: bool,
    /// Its place in the list: when it was first added (ms since 1970; ties by id).
    #[serde(default)]
    pub order: u64,
}

/// A document taken out of the library, kept (its text and annotations stay stored) until
/// another one is deleted, so the deletion can be undone, also after a reload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletedDocument {
    /// Its library entry.
    pub entry: LibraryEntry,
    /// Where it was in the list.
    pub position: usize,
}

/// Every stored document, and which one is current.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Library {
    /// The id of the current document.
    pub current: Option<String>,
    /// In their order ([`LibraryEntry::order`]).
    pub documents: Vec<LibraryEntry>,
    /// The labels of the whole set.
    pub labels: LabelSet,
    /// The document deleted last, while it can still be brought back.
    pub deleted: Option<DeletedDocument>,
    /// Who annotates in this library (written into exports that can carry it); empty until
    /// given.
    pub annotator: String,
    /// The pattern file the suggestions use (spaCy / Prodigy `patterns.jsonl`), as loaded;
    /// empty for none.
    pub patterns: String,
}

impl Library {
    /// Puts `entry` in its place by order (replacing the entry of the same id). O(n).
    pub fn upsert(&mut self, entry: LibraryEntry) {
        self.documents.retain(|e| e.id != entry.id);
        let at = self
            .documents
            .partition_point(|e| (e.order, &e.id) < (entry.order, &entry.id));
        self.documents.insert(at, entry);
    }
}
