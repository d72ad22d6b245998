use yew::prelude::*;

use super::use_latest;

use super::use_documents::read_stored;
use crate::format::corpus::{export_corpus_by, CorpusDocument};
use crate::format::{self, ExportFormat, ImportContext};
use crate::model::text_file;
use crate::ui::services::session::Session;
use crate::ui::services::{clock, files};
use crate::ui::state::{Action, AppState, Status};
use crate::workspace::Comparison;

/// Import and export verbs.
#[derive(Clone, PartialEq)]
pub struct Transfer {
    /// Import an annotation file into the current document.
    pub import_file: Callback<web_sys::File>,
    /// Download the current document's annotations in a format.
    pub export: Callback<ExportFormat>,
    /// Download every document's annotations in a format, as one file.
    pub export_all: Callback<ExportFormat>,
    /// Open annotators' files of the current document as layers to compare.
    pub compare_files: Callback<Vec<web_sys::File>>,
}

/// Exports every document of the library in `format` as one download (the current one as it
/// is now, the others as stored); says what it wrote, and which documents it could not read.
async fn export_library(state: &AppState, session: &Session, format: ExportFormat) -> Status {
    // In library order: each stored document's text and annotations (none for the current
    // one, which is exported as it is now, or for one whose text is gone).
    let mut stored = Vec::with_capacity(state.library.len());
    let mut unreadable = Vec::new();
    for entry in state.library.iter() {
        let loaded = if entry.id == state.open.id {
            None
        } else if let Some(stored) = read_stored(session, &entry.id).await {
            Some(stored)
        } else {
            unreadable.push(entry.name.clone());
            None
        };
        stored.push(loaded);
    }
    let documents: Vec<CorpusDocument<'_>> = state
        .library
        .iter()
        .zip(&stored)
        .filter_map(|(entry, loaded)| match loaded {
            Some((document, store)) => Some(CorpusDocument {
                name: &entry.name,
                document,
                store,
            }),
            None if entry.id == state.open.id => Some(CorpusDocument {
                name: &state.open.name,
                document: &state.open.document,
                store: &state.store,
            }),
            None => None,
        })
        .collect();
    let exported = export_corpus_by(format, &documents, &state.labels, &state.annotator);
    let file_name = &exported.file_name;
    if let Err(error) = files::download(file_name, exported.mime_type, &exported.bytes) {
        return Status::error(format!("Export failed: {error}"));
    }
    let annotations: usize = documents.iter().map(|d| d.store.len()).sum();
    let mut text = format!(
        "Exported {} of {} to {file_name}.",
        format::plural(annotations, "annotation"),
        format::plural(documents.len(), "document")
    );
    if let Some(note) = &exported.note {
        text.push(' ');
        text.push_str(note);
    }
    if unreadable.is_empty() {
        Status::info(text)
    } else {
        Status::error(format!(
            "{text} Left out, their text is no longer in the browser's storage: {}.",
            unreadable.join(", ")
        ))
    }
}

/// Builds the import/export verbs.
#[hook]
pub fn use_transfer(state: &UseReducerHandle<AppState>, session: &Session) -> Transfer {
    let latest = use_latest(state);
    let session = session.clone();
    (*use_memo((), move |_| {
        let import_file = {
            let latest = latest.clone();
            Callback::from(move |file: web_sys::File| {
                let latest = latest.clone();
                let size = file.size() as u64;
                if size > text_file::MAX_IMPORT_BYTES {
                    latest.borrow().dispatch(Action::ShowStatus(Status::error(format!(
                        "Import of {} refused: it is {} MB; files up to {} MB can be imported. Nothing was changed.",
                        file.name(),
                        text_file::megabytes(size),
                        text_file::megabytes(text_file::MAX_IMPORT_BYTES)
                    ))));
                    return;
                }
                wasm_bindgen_futures::spawn_local(async move {
                    let name = file.name();
                    let bytes = files::read_bytes(file).await;
                    let state = latest.borrow().clone();
                    let outcome = bytes.map_err(|e| e.to_string()).and_then(|bytes| {
                        let now = clock::now_rfc3339();
                        let store = &state.store;
                        let context = ImportContext {
                            id_in_use: &|id| store.id_in_use(id) || store.relation(id).is_some(),
                            new_id: &mut clock::new_annotation_id,
                            now: &now,
                        };
                        format::import(&state.open.document, &bytes, context)
                            .map_err(|e| e.to_string())
                    });
                    match outcome {
                        Ok(report) => state.dispatch(Action::Import(report)),
                        Err(error) => state.dispatch(Action::ShowStatus(Status::error(format!(
                            "Import of {name} refused: {error}. Nothing was changed."
                        )))),
                    }
                });
            })
        };
        let compare_files = {
            let latest = latest.clone();
            Callback::from(move |chosen: Vec<web_sys::File>| {
                let latest = latest.clone();
                let total: u64 = chosen.iter().map(|f| f.size() as u64).sum();
                if total > text_file::MAX_IMPORT_BYTES * 4 {
                    latest.borrow().dispatch(Action::ShowStatus(Status::error(format!(
                        "Compare refused: the files are {} MB together; up to {} MB can be compared.",
                        text_file::megabytes(total),
                        text_file::megabytes(text_file::MAX_IMPORT_BYTES * 4)
                    ))));
                    return;
                }
                wasm_bindgen_futures::spawn_local(async move {
                    let mut read = Vec::with_capacity(chosen.len());
                    for file in chosen {
                        let name = file.name();
                        match files::read_bytes(file).await {
                            Ok(bytes) => read.push((name, bytes)),
                            Err(error) => {
                                let error = format!("Compare refused: {name}: {error}.");
                                latest.borrow().dispatch(Action::ShowStatus(Status::error(error)));
                                return;
                            }
                        }
                    }
                    let state = latest.borrow().clone();
                    let now = clock::now_rfc3339();
                    let document = &state.open.document;
                    let layers = clock::measured("compare", || {
                        Comparison::read_layers(document, &read, &mut clock::new_annotation_id, &now)
                            .map(|(layers, not_placed)| {
                                (Comparison::new(document, &state.open.name, layers), not_placed)
                            })
                    });
                    match layers {
                        Ok((comparison, not_placed)) => {
                            state.dispatch(Action::Compare(Box::new(comparison)));
                            if not_placed > 0 {
                                state.dispatch(Action::ShowStatus(Status::info(format!(
                                    "{} of the files could not be placed on this text and {} left out of the comparison.",
                                    format::plural(not_placed, "annotation"),
                                    if not_placed == 1 { "is" } else { "are" }
                                ))));
                            }
                        }
                        Err(error) => state.dispatch(Action::ShowStatus(Status::error(format!(
                            "Compare refused: {error}. Nothing was changed."
                        )))),
                    }
                });
            })
        };
        let export_all = {
            let latest = latest.clone();
            Callback::from(move |format: ExportFormat| {
                let (latest, session) = (latest.clone(), session.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let state = latest.borrow().clone();
                    let status = export_library(&state, &session, format).await;
                    latest.borrow().dispatch(Action::ShowStatus(status));
                });
            })
        };
        let export = Callback::from(move |format: ExportFormat| {
            let state = latest.borrow().clone();
            let exported =
                format::export_by(
                format,
                &state.open.document,
                &state.open.name,
                &state.store,
                &state.labels,
                &state.annotator,
            );
            let file_name = &exported.file_name;
            let status = match files::download(file_name, exported.mime_type, &exported.bytes) {
                Ok(()) => {
                    let mut text =
                        format!("Exported {} annotations to {file_name}.", state.store.len());
                    if let Some(note) = &exported.note {
                        text.push(' ');
                        text.push_str(note);
                    }
                    Status::info(text)
                }
                Err(error) => Status::error(format!("Export failed: {error}")),
            };
            state.dispatch(Action::ShowStatus(status));
        });
        Transfer {
            import_file,
            export,
            export_all,
            compare_files,
        }
    }))
    .clone()
}
