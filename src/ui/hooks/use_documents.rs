use std::rc::Rc;

use yew::prelude::*;

use super::use_latest;

use crate::model::Document;
use crate::sample::{SAMPLE_NAME, SAMPLE_TEXT};
use crate::ui::services::files;
use crate::ui::services::storage::{self, Library, LibraryEntry, StorageFault};
use crate::ui::state::{Action, AppState, LoadedDocument, OpenDocument, Status};

/// The document verbs.
#[derive(Clone, PartialEq)]
pub struct Documents {
    /// Open a `.txt` file as the current document.
    pub open_file: Callback<web_sys::File>,
    /// Make a stored document current.
    pub switch_to: Callback<String>,
}

/// The state on start: the current document of the library with its annotations, or the
/// sample article on a first visit. Storage faults are reported, never fatal.
pub fn load_startup() -> LoadedDocument {
    let mut faults = Vec::new();
    let library = storage::load_library().unwrap_or_else(|fault| {
        faults.push(fault);
        Library::default()
    });
    let stored = library.current.clone().and_then(|id| {
        let entry = library.documents.iter().find(|e| e.id == id)?.clone();
        match storage::load_text(&id) {
            Ok(Some(text)) => Some((entry, text)),
            Ok(None) => None,
            Err(fault) => {
                faults.push(fault);
                None
            }
        }
    });
    let (name, text) = stored
        .map(|(entry, text)| (entry.name, text))
        .unwrap_or_else(|| (SAMPLE_NAME.to_owned(), SAMPLE_TEXT.to_owned()));
    let mut loaded = open_text(library, name, &text);
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

/// Makes `text` (named `name`) a library document, reusing the stored one with the same text.
fn open_text(mut library: Library, name: String, text: &str) -> LoadedDocument {
    let open = Rc::new(OpenDocument::new(name, Document::from_raw(text)));
    let mut status = None;
    let known = library.documents.iter().any(|e| e.id == open.id);
    if !known {
        if let Err(fault) = storage::save_text(&open.id, open.document.text()) {
            status = Some(Status::error(format!(
                "{fault}: this document is open but not saved."
            )));
        }
        library.documents.push(LibraryEntry {
            id: open.id.clone(),
            name: open.name.clone(),
            count: 0,
        });
    }
    let stored = storage::load_annotations(&open.id, open.document.char_len());
    if let Some(fault) = stored.faults.first() {
        status = Some(Status::error(format!(
            "Storage problem: {fault}. What could be read is shown."
        )));
    }
    let (store, history) = (stored.store, stored.history);
    library.current = Some(open.id.clone());
    LoadedDocument {
        open,
        store,
        history,
        library: library.documents.clone(),
        status,
    }
}

/// Verbs that open and switch documents; the current one's work is already saved by then.
#[hook]
pub fn use_documents(state: &UseReducerHandle<AppState>) -> Documents {
    let latest = use_latest(state);
    (*use_memo((), move |_| {
        let open_file = {
            let latest = latest.clone();
            Callback::from(move |file: web_sys::File| {
                let latest = latest.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let name = file.name();
                    let result = files::read_text(file).await;
                    let state = latest.borrow().clone();
                    match result {
                        Ok(text) if text.trim().is_empty() => {
                            state.dispatch(Action::ShowStatus(Status::error(format!(
                                "{name} is empty: there is nothing to annotate."
                            ))))
                        }
                        Ok(text) => {
                            let mut loaded =
                                open_text(state.library_snapshot(), name.clone(), &text);
                            loaded
                                .status
                                .get_or_insert_with(|| Status::info(format!("Opened {name}.")));
                            state.dispatch(Action::LoadDocument(loaded));
                        }
                        Err(error) => state.dispatch(Action::ShowStatus(Status::error(format!(
                            "Could not open {name}: {error}."
                        )))),
                    }
                });
            })
        };
        let switch_to = Callback::from(move |id: String| {
            let state = latest.borrow().clone();
            if id == state.open.id {
                return;
            }
            let library = state.library_snapshot();
            let Some(entry) = library.documents.iter().find(|e| e.id == id).cloned() else {
                return;
            };
            match storage::load_text(&id) {
                Ok(Some(text)) => {
                    state.dispatch(Action::LoadDocument(open_text(library, entry.name, &text)))
                }
                Ok(None) => state.dispatch(Action::ShowStatus(Status::error(format!(
                    "The text of {} is no longer in the browser's storage.",
                    entry.name
                )))),
                Err(fault) => state.dispatch(Action::ShowStatus(Status::error(fault.to_string()))),
            }
        });
        Documents {
            open_file,
            switch_to,
        }
    }))
    .clone()
}
