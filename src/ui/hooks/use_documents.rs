use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::use_latest;

use crate::format::{self, corpus, stored_zip, ImportContext};
use crate::model::{markdown, text_file, AnnotationStore, Command, Document};
use crate::sample::{SAMPLE_NAME, SAMPLE_TEXT};
use crate::ui::services::storage::{self, Library, LibraryEntry, StorageFault};
use crate::ui::services::{clock, files, html_text, indexed_db};
use crate::ui::state::{Action, AppState, LoadedDocument, OpenDocument, Status};

/// The document verbs.
#[derive(Clone, PartialEq)]
pub struct Documents {
    /// Open a `.txt` file as the current document.
    pub open_file: Callback<web_sys::File>,
    /// Open pasted text (name, text) as the current document.
    pub open_pasted: Callback<(String, String)>,
    /// Make a stored document current.
    pub switch_to: Callback<String>,
    /// Delete a document from the library (another becomes current if it was); undoable.
    pub delete: Callback<String>,
}

/// The state on start: the current document of the library with its annotations, or the
/// sample article on a first visit. Storage faults are reported, never fatal. Async because a
/// large document's text is in IndexedDB.
pub async fn load_startup() -> LoadedDocument {
    let mut faults = Vec::new();
    let library = storage::load_library().unwrap_or_else(|fault| {
        faults.push(fault);
        Library::default()
    });
    let current = library
        .current
        .as_ref()
        .and_then(|id| library.documents.iter().find(|e| &e.id == id))
        .cloned();
    let mut stored = None;
    if let Some(entry) = current {
        match read_text(&entry.id).await {
            Ok(Some(text)) => stored = Some((entry.name, text)),
            Ok(None) => {}
            Err(fault) => faults.push(fault),
        }
    }
    let first_visit = stored.is_none();
    let (name, text) = stored.unwrap_or_else(|| (SAMPLE_NAME.to_owned(), SAMPLE_TEXT.to_owned()));
    let mut loaded = open_text(library, name, &text, first_visit).await;
    faults.extend(
        loaded
            .status
            .take()
            .map(|s| StorageFault::WriteFailed(s.text)),
    );
    loaded.status = faults.first().map(|fault| {
        Status::error(format!(
            "Storage problem: {fault}. Marginalia started anyway."
        ))
    });
    loaded
}

/// The text to annotate in a file's content: Markdown and HTML as the plain text a reader sees
/// (by the file's extension), anything else as it is.
fn readable_text(name: &str, text: &str) -> Result<String, String> {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let readable = match extension.as_deref() {
        Some("md" | "markdown") => markdown::markdown_to_text(text),
        Some("html" | "htm" | "xhtml") => html_text::visible_text(text)?,
        _ => return Ok(text.to_owned()),
    };
    if readable.trim().is_empty() {
        Err("it has no readable text".into())
    } else {
        Ok(readable)
    }
}

/// A stored document's text: from local storage, else from IndexedDB (large texts).
pub(crate) async fn read_text(id: &str) -> Result<Option<String>, StorageFault> {
    match storage::load_text(id)? {
        Some(text) => Ok(Some(text)),
        None => indexed_db::load_text(id).await,
    }
}

/// Stores a document's text: in local storage when it fits, else in IndexedDB.
async fn store_text(id: &str, text: &str) -> Result<(), StorageFault> {
    match storage::save_text(id, text) {
        Err(StorageFault::Full) => indexed_db::save_text(id, text).await,
        other => other,
    }
}

/// Makes `text` (named `name`) the current library document, with what is stored for it.
/// `save` stores the text (a file just opened); otherwise it came from storage.
async fn open_text(mut library: Library, name: String, text: &str, save: bool) -> LoadedDocument {
    let mut open = OpenDocument::new(name, Document::from_raw(text));
    if save {
        open.text_not_saved = store_text(&open.id, open.document.text()).await.err();
    }
    let open = Rc::new(open);
    if !library.documents.iter().any(|e| e.id == open.id) {
        library.documents.push(LibraryEntry {
            id: open.id.clone(),
            name: open.name.clone(),
            count: 0,
            done: false,
        });
    }
    let stored = storage::load_annotations(&open.id, open.document.char_len());
    let status = stored.faults.first().map(|fault| {
        Status::error(format!(
            "Storage problem: {fault}. What could be read is shown."
        ))
    });
    let (store, history) = (stored.store, stored.history);
    library.current = Some(open.id.clone());
    // Opened again after it was deleted: it is back, and must not be purged.
    if library
        .deleted
        .as_ref()
        .is_some_and(|d| d.entry.id == open.id)
    {
        library.deleted = None;
    }
    LoadedDocument {
        open,
        store,
        history,
        library,
        status,
    }
}

/// True for a file that carries documents with their annotations: a zip (an export of every
/// document, a brat corpus), JSON (a marginalia file) or JSON lines (spaCy, doccano).
fn carries_documents(name: &str, bytes: &[u8]) -> bool {
    let name = name.to_ascii_lowercase();
    bytes.starts_with(stored_zip::MAGIC) || name.ends_with(".json") || name.ends_with(".jsonl")
}

/// Adds the documents a shared file carries (see [`corpus::shared_documents`]) to the library
/// with their annotations (and labels, from marginalia files), and makes the first one new to the library current. All or
/// nothing: a file that cannot be read, or text that cannot be stored, leaves the library as
/// it was. Documents already in the library are left as they are (their file can be imported
/// onto them).
async fn open_shared(latest: &Rc<RefCell<UseReducerHandle<AppState>>>, name: String, bytes: &[u8]) {
    let refuse = |reason: String| {
        latest
            .borrow()
            .dispatch(Action::ShowStatus(Status::error(format!(
                "{name} was not opened: {reason}. The current document is unchanged."
            ))))
    };
    let shared = match corpus::shared_documents(&name, bytes) {
        Ok(shared) => shared,
        Err(error) => return refuse(error.to_string()),
    };
    let mut library = latest.borrow().library_snapshot();
    let now = clock::now_rfc3339();
    let mut new: Vec<(String, String, Document, AnnotationStore)> = Vec::new();
    let mut already = Vec::new();
    // Ids in the library or already taken from this file: O(1) a document (a JSONL corpus
    // may bring thousands).
    let mut known: std::collections::HashSet<String> =
        library.documents.iter().map(|e| e.id.clone()).collect();
    for shared in shared {
        let document = Document::from_raw(&shared.text);
        let id = document.sha256()[..16].to_owned();
        if !known.insert(id.clone()) {
            already.push(shared.name);
            continue;
        }
        let context = ImportContext {
            id_in_use: &|_| false,
            new_id: &mut clock::new_annotation_id,
            now: &now,
        };
        let report = match shared.import(&document, context) {
            Ok(report) => report,
            Err(error) => return refuse(format!("{}: {error}", shared.name)),
        };
        let mut store = AnnotationStore::new(document.char_len());
        if let Err(error) = store.apply(Command::Batch {
            commands: report.commands(),
        }) {
            return refuse(format!("{}: {error}", shared.name));
        }
        if let Some(labels) = &report.labels {
            library.labels.merge(labels);
        }
        new.push((id, shared.name, document, store));
    }
    for (index, (id, name, document, store)) in new.iter().enumerate() {
        let stored = store_text(id, document.text())
            .await
            .and_then(|()| storage::save_annotations(id, None, store));
        if let Err(fault) = stored {
            // Nothing is left behind of the documents stored before this one (or of this one).
            for (id, ..) in &new[..=index] {
                let _ = storage::remove_document(id);
                let _ = indexed_db::delete_text(id).await;
            }
            return refuse(format!("{name} could not be stored ({fault})"));
        }
    }
    let annotations: usize = new.iter().map(|(.., store)| store.len()).sum();
    let opened = new.len();
    let mut entries = new.iter().map(|(id, name, _, store)| LibraryEntry {
        id: id.clone(),
        name: name.clone(),
        count: store.len(),
        done: false,
    });
    let Some(first) = entries.next() else {
        return latest.borrow().dispatch(Action::ShowStatus(Status::info(format!(
            "Every document in {name} is already in the library ({}); import {name} onto one to add its annotations.",
            already.join(", ")
        ))));
    };
    library.documents.push(first.clone());
    library.documents.extend(entries);
    let mut loaded = open_text(library, first.name.clone(), new[0].2.text(), false).await;
    let mut text = format!(
        "Opened {} from {name}, with {}.",
        format::plural(opened, "document"),
        format::plural(annotations, "annotation")
    );
    if !already.is_empty() {
        text.push_str(&format!(
            " Already in the library, left as they are: {}.",
            already.join(", ")
        ));
    }
    loaded.status.get_or_insert(Status::info(text));
    latest.borrow().dispatch(Action::LoadDocument(loaded));
}

/// Opens `bytes` (a file's content or pasted text) named `name` as the current document (or,
/// for a marginalia file or a zip of them, the documents it carries), or says in the status
/// why not (the current document stays).
async fn open_bytes(
    latest: &Rc<RefCell<UseReducerHandle<AppState>>>,
    name: String,
    bytes: Result<Vec<u8>, String>,
) {
    if let Ok(bytes) = &bytes {
        if carries_documents(&name, bytes) {
            return open_shared(latest, name, bytes).await;
        }
    }
    let text = bytes.and_then(|bytes| {
        text_file::decode_text_file(&bytes)
            .map_err(|e| e.to_string())
            .and_then(|text| readable_text(&name, text))
    });
    let state = latest.borrow().clone();
    match text {
        Ok(text) => {
            let mut loaded = open_text(state.library_snapshot(), name.clone(), &text, true).await;
            loaded
                .status
                .get_or_insert_with(|| Status::info(format!("Opened {name}.")));
            state.dispatch(Action::LoadDocument(loaded));
        }
        Err(reason) => state.dispatch(Action::ShowStatus(Status::error(format!(
            "{name} was not opened: {reason}. The current document is unchanged."
        )))),
    }
}

/// Makes the stored document `id` current; false (and the status says why) when its text
/// cannot be read.
async fn switch_document(latest: &Rc<RefCell<UseReducerHandle<AppState>>>, id: &str) -> bool {
    let library = latest.borrow().library_snapshot();
    let Some(entry) = library.documents.iter().find(|e| e.id == id).cloned() else {
        return false;
    };
    let loaded = match read_text(id).await {
        Ok(Some(text)) => Ok(open_text(library, entry.name, &text, false).await),
        Ok(None) => Err(format!(
            "The text of {} is no longer in the browser's storage.",
            entry.name
        )),
        Err(fault) => Err(fault.to_string()),
    };
    // The latest state: the user may have worked on while the text was read.
    let state = latest.borrow().clone();
    match loaded {
        Ok(loaded) => {
            state.dispatch(Action::LoadDocument(loaded));
            true
        }
        Err(error) => {
            state.dispatch(Action::ShowStatus(Status::error(error)));
            false
        }
    }
}

/// Verbs that open, switch and delete documents; the current one's work is already saved by then.
#[hook]
pub fn use_documents(state: &UseReducerHandle<AppState>) -> Documents {
    let latest = use_latest(state);
    (*use_memo((), move |_| {
        let open_file = {
            let latest = latest.clone();
            Callback::from(move |file: web_sys::File| {
                let latest = latest.clone();
                let name = file.name();
                let refuse = {
                    let name = name.clone();
                    move |reason: String| {
                        Action::ShowStatus(Status::error(format!(
                            "{name} was not opened: {reason}. The current document is unchanged."
                        )))
                    }
                };
                // Size first: an enormous file is refused before a byte of it is read.
                let size = file.size() as u64;
                if let Err(error) = text_file::check_document_size(size) {
                    latest.borrow().dispatch(refuse(error.to_string()));
                    return;
                }
                latest
                    .borrow()
                    .dispatch(Action::ShowStatus(Status::info(format!(
                        "Opening {name} ({} MB)…",
                        text_file::megabytes(size)
                    ))));
                wasm_bindgen_futures::spawn_local(async move {
                    let bytes = files::read_bytes(file).await.map_err(|e| e.to_string());
                    open_bytes(&latest, name, bytes).await;
                });
            })
        };
        let open_pasted = {
            let latest = latest.clone();
            Callback::from(move |(name, text): (String, String)| {
                let latest = latest.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    open_bytes(&latest, name, Ok(text.into_bytes())).await;
                });
            })
        };
        let switch_to = {
            let latest = latest.clone();
            Callback::from(move |id: String| {
                let latest = latest.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if id != latest.borrow().open.id {
                        switch_document(&latest, &id).await;
                    }
                });
            })
        };
        let delete = Callback::from(move |id: String| {
            let latest = latest.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let state = latest.borrow().clone();
                if id == state.open.id {
                    // Another document becomes current first: the one after it, else before.
                    let documents = &state.library;
                    let at = documents.iter().position(|e| e.id == id).unwrap_or(0);
                    let next = documents
                        .get(at + 1)
                        .or_else(|| at.checked_sub(1).and_then(|i| documents.get(i)));
                    let Some(next) = next.map(|e| e.id.clone()) else {
                        return;
                    };
                    if !switch_document(&latest, &next).await {
                        return;
                    }
                }
                latest.borrow().dispatch(Action::DeleteDocument(id));
            });
        });
        Documents {
            open_file,
            open_pasted,
            switch_to,
            delete,
        }
    }))
    .clone()
}
