use yew::prelude::*;

use super::use_latest;

use super::use_documents::read_stored;
use crate::format::{self, ExportFormat, ImportReport};
use crate::model::{text_file, LabelSet};
use crate::tasks::{DocumentParts, ExportedFile, Outcome, Task};
use crate::ui::services::session::Session;
use crate::ui::services::{clock, files, task_worker};
use crate::ui::state::{Action, AppState, Status};

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
    let documents: Vec<(DocumentParts, &str)> = state
        .library
        .iter()
        .zip(&stored)
        .filter_map(|(entry, loaded)| match loaded {
            Some((document, store)) => Some((
                DocumentParts::of(&entry.name, document, store),
                document.text(),
            )),
            None if entry.id == state.open.id => Some((
                DocumentParts::of(&state.open.name, &state.open.document, &state.store),
                state.open.document.text(),
            )),
            None => None,
        })
        .collect();
    let count = documents.len();
    let (documents, texts): (Vec<DocumentParts>, Vec<&[u8]>) = documents
        .into_iter()
        .map(|(parts, text)| (parts, text.as_bytes()))
        .unzip();
    let task = Task::ExportCorpus {
        format,
        documents,
        labels: LabelSet::clone(&state.labels),
        annotator: state.annotator.to_string(),
    };
    let exported = match exported(&task, &texts).await {
        Ok(exported) => exported,
        Err(error) => {
            return Status::error(format!("Export failed: {error}. Nothing was written."))
        }
    };
    let text = format!(
        "Exported {} of {} to {}.{}",
        format::plural(exported.annotations, "annotation"),
        format::plural(count, "document"),
        exported.file_name,
        note(&exported)
    );
    if unreadable.is_empty() {
        Status::info(text)
    } else {
        Status::error(format!(
            "{text} Left out, their text is no longer in the browser's storage: {}.",
            unreadable.join(", ")
        ))
    }
}

/// The file `task` (an export) makes in the worker, downloaded: what it is, or why not.
async fn exported(task: &Task, texts: &[&[u8]]) -> Result<ExportedFile, String> {
    let (file, bytes) = match task_worker::run(task, texts).await? {
        (Outcome::Exported(file), bytes) => (file, bytes.unwrap_or_default()),
        (other, _) => return Err(task_worker::mismatch(&other)),
    };
    if let Some(error) = file.error {
        return Err(error);
    }
    files::download(&file.file_name, &file.mime_type, &bytes).map_err(|e| e.to_string())?;
    Ok(file)
}

/// " " and what the format left out, when it did.
fn note(file: &ExportedFile) -> String {
    file.note
        .as_ref()
        .map(|n| format!(" {n}"))
        .unwrap_or_default()
}

/// Reads an annotation file onto the current document in the worker, ids already in use
/// replaced: what it found, or why it was refused.
async fn import_report(state: &AppState, bytes: Vec<u8>) -> Result<ImportReport, String> {
    let store = &state.store;
    let ids_in_use = store
        .iter()
        .map(|a| a.id.clone())
        .chain(store.orphans().iter().map(|o| o.annotation.id.clone()))
        .chain(store.relations().map(|r| r.id.clone()))
        .collect();
    let task = Task::Import {
        text_sha256: state.open.document.sha256().to_owned(),
        ids_in_use,
        now: clock::now_rfc3339(),
        seed: clock::random_seed(),
    };
    let text = state.open.document.text().as_bytes();
    match task_worker::run(&task, &[text, &bytes]).await? {
        (Outcome::Imported(report), _) => report,
        (other, _) => Err(task_worker::mismatch(&other)),
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
                    let opened_on = latest.borrow().open.document.sha256().to_owned();
                    let bytes = files::read_bytes(file).await;
                    let state = latest.borrow().clone();
                    let outcome = match bytes {
                        Ok(bytes) => import_report(&state, bytes).await,
                        Err(error) => Err(error.to_string()),
                    };
                    // Read off the main thread: the user may have opened another document.
                    let state = latest.borrow().clone();
                    match outcome {
                        Ok(_) if state.open.document.sha256() != opened_on => {
                            state.dispatch(Action::ShowStatus(Status::error(format!(
                                "Import of {name} was not applied: another document was opened while it was read. Import it again."
                            ))))
                        }
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
                    let document = &state.open.document;
                    let opened_on = document.sha256().to_owned();
                    let files: Vec<&[u8]> = std::iter::once(document.text().as_bytes())
                        .chain(read.iter().map(|(_, bytes)| bytes.as_slice()))
                        .collect();
                    let task = Task::Compare {
                        text_sha256: opened_on.clone(),
                        source_name: state.open.name.clone(),
                        names: read.iter().map(|(name, _)| name.clone()).collect(),
                        now: clock::now_rfc3339(),
                        seed: clock::random_seed(),
                    };
                    clock::mark("marginalia:compare:start");
                    let compared = match task_worker::run(&task, &files).await {
                        Ok((Outcome::Compared(compared), _)) => compared,
                        Ok((other, _)) => Err(task_worker::mismatch(&other)),
                        Err(error) => Err(error),
                    };
                    clock::measure_from("compare", "marginalia:compare:start");
                    let state = latest.borrow().clone();
                    let layers = compared.and_then(|compared| {
                        if state.open.document.sha256() != opened_on {
                            return Err("another document was opened while they were read".into());
                        }
                        Ok(compared)
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
            let latest = latest.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let state = latest.borrow().clone();
                let task = Task::Export {
                    format,
                    document: DocumentParts::of(
                        &state.open.name,
                        &state.open.document,
                        &state.store,
                    ),
                    labels: LabelSet::clone(&state.labels),
                    annotator: state.annotator.to_string(),
                };
                let text = state.open.document.text().as_bytes();
                let status = match exported(&task, &[text]).await {
                    Ok(file) => Status::info(format!(
                        "Exported {} annotations to {}.{}",
                        file.annotations,
                        file.file_name,
                        note(&file)
                    )),
                    Err(error) => Status::error(format!("Export failed: {error}")),
                };
                latest.borrow().dispatch(Action::ShowStatus(status));
            });
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
