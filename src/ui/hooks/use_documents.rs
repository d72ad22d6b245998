use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::use_latest;

use crate::format::{self, stored_zip};
use crate::model::{text_file, AnnotationStore, Document, History, Library, LibraryEntry};
use crate::persist::{changes, load, migrate, Record, RecordKey, RecordStore, Stored, Write};
use crate::sample::{SAMPLE_NAME, SAMPLE_TEXT};
use crate::tasks::{Outcome, SharedOpened, Task};
use crate::ui::services::record_db::RecordDb;
use crate::ui::services::session::Session;
use crate::ui::services::{clock, files, html_text, legacy_texts, storage, task_worker, web_locks};
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
    /// Accept agreed: the gold document of the comparison ("NAME (gold)", made when new)
    /// becomes current and takes every span the layers share.
    pub accept_agreed: Callback<()>,
}

/// What the app starts with: the storage session, the document to show, and the library as
/// stored (what the first save compares against).
pub struct Startup {
    /// This tab's storage session.
    pub session: Session,
    /// The document to show first, with its annotations.
    pub loaded: LoadedDocument,
    /// The library as read from storage.
    pub stored: Library,
}

/// The state on start: storage opened (and an old local-storage library migrated, once, under
/// a Web Lock), the current document of the library with its annotations, or the sample
/// article on a first visit. Storage faults are reported, never fatal.
pub async fn load_startup() -> Startup {
    let mut problems: Vec<String> = Vec::new();
    let db = match RecordDb::open().await {
        Ok(db) => Some(db),
        Err(fault) => {
            problems.push(format!("{fault}; nothing will be saved"));
            None
        }
    };
    let session = Session::new(db);
    let mut migrated_current = None;
    if session.db.is_some() {
        let migrating = session.clone();
        let migrated = web_locks::with_lock("marginalia-migrate", async move {
            migrate_legacy(&migrating).await
        })
        .await;
        match migrated {
            Ok((current, unreadable)) => {
                migrated_current = current;
                problems.extend(unreadable);
            }
            Err(problem) => problems.push(problem),
        }
    }
    let mut stored = Library::default();
    if let Ok(db) = session.db() {
        let read = load::load_library(db, &session.replica).await;
        match read {
            Ok(loaded) => {
                problems.extend(unreadable_problem(&loaded.unreadable));
                purge_in_background(&session, loaded.to_purge);
                stored = loaded.library;
            }
            Err(fault) => problems.push(fault.to_string()),
        }
    }
    let current = migrated_current
        .or_else(|| storage::load_setting("current"))
        .filter(|id| stored.documents.iter().any(|e| &e.id == id))
        .or_else(|| stored.documents.first().map(|e| e.id.clone()));
    let mut loaded = None;
    if let Some(id) = current {
        match load_stored(&session, stored.clone(), &id).await {
            Ok(document) => loaded = Some(document),
            Err(problem) => problems.push(problem),
        }
    }
    let loaded = match loaded {
        Some(loaded) => loaded,
        None => {
            let sample = open_new(
                &session,
                stored.clone(),
                SAMPLE_NAME.to_owned(),
                SAMPLE_TEXT.to_owned(),
            )
            .await;
            sample.unwrap_or_else(|problem| {
                problems.push(problem);
                let open = Rc::new(OpenDocument::new(
                    SAMPLE_NAME.to_owned(),
                    Document::from_raw(SAMPLE_TEXT),
                ));
                let text_len = open.document.char_len();
                loaded_document(
                    open,
                    AnnotationStore::new(text_len),
                    History::default(),
                    stored.clone(),
                )
            })
        }
    };
    let mut loaded = loaded;
    if let Some(problem) = problems.first() {
        loaded.status = Some(Status::error(format!(
            "Storage problem: {problem}. Marginalia started anyway."
        )));
    }
    Startup {
        session,
        loaded,
        stored,
    }
}

/// Says that stored values could not be read (they are kept in the quarantine).
fn unreadable_problem(unreadable: &[load::Unreadable]) -> Option<String> {
    let first = unreadable.first()?;
    let what = match RecordKey::decode(&first.key) {
        Some(RecordKey::Annotation(..)) => "an annotation",
        Some(RecordKey::Orphan(..)) => "an annotation not placed",
        Some(RecordKey::Label(_)) => "a label",
        Some(RecordKey::Relation(..)) => "a relation",
        Some(RecordKey::RelationType(_)) => "a relation type",
        Some(RecordKey::Annotator) => "the annotator name",
        Some(RecordKey::Patterns) => "the suggestion patterns",
        Some(RecordKey::Rejection(..)) => "a rejected suggestion",
        Some(RecordKey::Comparison(_)) => "a comparison of annotators",
        Some(RecordKey::Document(_)) => "a document's entry",
        Some(RecordKey::Text(_)) => "a document's text",
        Some(RecordKey::History(_)) => "an undo history",
        Some(RecordKey::Count(_)) => "an annotation count",
        Some(RecordKey::Meta) => "the schema marker",
        None => "a value of an earlier version",
    };
    Some(format!(
        "{} could not be read and {} kept aside in the browser's storage (the first, {what}: {}); everything else loaded",
        format::plural(unreadable.len(), "stored record"),
        if unreadable.len() == 1 { "is" } else { "are" },
        format::quoted(&first.reason)
    ))
}

/// Purges documents whose deletion can no longer be undone, one Web Lock at a time; a document
/// another tab restored or works on meanwhile is left (see [`load::purge`]).
fn purge_in_background(session: &Session, to_purge: Vec<(String, Stored)>) {
    if to_purge.is_empty() {
        return;
    }
    let session = session.clone();
    wasm_bindgen_futures::spawn_local(async move {
        for (id, guard) in to_purge {
            let session = session.clone();
            web_locks::with_lock("marginalia-purge", async move {
                if let Ok(db) = session.db() {
                    let _ = load::purge(db, &id, &guard).await;
                }
            })
            .await;
        }
    });
}

/// Removes tombstones no tab can still need (see [`load::TOMBSTONE_LIFETIME_MS`]), under a Web
/// Lock so two tabs do not do it at once.
fn collect_in_background(session: &Session, expired: Vec<Stored>) {
    if expired.is_empty() {
        return;
    }
    let session = session.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let collecting = session.clone();
        web_locks::with_lock("marginalia-tombstones", async move {
            if let Ok(db) = collecting.db() {
                let _ = load::collect_tombstones(db, &expired).await;
            }
        })
        .await;
    });
}

/// Moves an old local-storage library into the records, once (callers hold the migration's
/// Web Lock): commits every record in one transaction, reads them back and compares, and only
/// then removes the old keys. Old keys found after a migration (a tab of the old version was
/// still open) are brought over without overwriting anything: only records not stored yet are
/// written. Returns the current document's new id, and what could not be read (kept in the
/// quarantine).
async fn migrate_legacy(session: &Session) -> Result<(Option<String>, Option<String>), String> {
    let legacy = storage::legacy_keys();
    if !legacy.contains_key(migrate::LEGACY_LIBRARY_KEY) {
        return Ok((None, None));
    }
    let db = session.db().map_err(|f| f.to_string())?;
    let old_ids: Vec<String> = migrate::legacy_document_ids(&legacy)
        .into_iter()
        .filter(|id| !legacy.contains_key(&format!("marginalia:doc:{id}:text")))
        .collect();
    let old_texts = legacy_texts::load(&old_ids).await;
    let migration = migrate::migrate(
        &legacy,
        &old_texts,
        &mut session.replica.borrow_mut(),
        clock::now_ms(),
    );
    if !migration.unreadable.is_empty() {
        let items: Vec<(Stored, String)> = migration
            .unreadable
            .iter()
            .map(|(key, reason)| {
                let raw = legacy
                    .get(key.split(' ').next().unwrap_or(key))
                    .cloned()
                    .unwrap_or_default();
                (
                    Stored {
                        key: key.clone(),
                        raw,
                    },
                    reason.clone(),
                )
            })
            .collect();
        db.quarantine(&items).await.map_err(|f| f.to_string())?;
    }
    let keys: Vec<String> = migration.records.iter().map(|r| r.key.clone()).collect();
    let present: std::collections::HashSet<String> = db
        .read_keys(&keys)
        .await
        .map_err(|f| f.to_string())?
        .into_iter()
        .map(|s| s.key)
        .collect();
    let records: Vec<Record> = migration
        .records
        .into_iter()
        .filter(|r| !present.contains(&r.key))
        .collect();
    session
        .commit_records(records.clone())
        .await
        .map_err(|fault| format!("the library kept in local storage could not be moved to IndexedDB ({fault}); it stays where it was"))?;
    // Read back and compared before anything old is removed.
    let written: Vec<String> = records.iter().map(|r| r.key.clone()).collect();
    let back: std::collections::HashMap<String, String> = db
        .read_keys(&written)
        .await
        .map_err(|f| f.to_string())?
        .into_iter()
        .map(|s| (s.key, s.raw))
        .collect();
    let verified = records.iter().all(|record| {
        back.get(&record.key)
            .and_then(|raw| Record::from_json(raw).ok())
            .is_some_and(|stored| stored == *record || stored.rev > record.rev)
    });
    if !verified {
        return Err("the library moved to IndexedDB did not read back as written; the local-storage copy is kept".into());
    }
    storage::remove_legacy_keys(legacy.keys());
    let unreadable: Vec<load::Unreadable> = migration
        .unreadable
        .into_iter()
        .map(|(key, reason)| load::Unreadable { key, reason })
        .collect();
    Ok((migration.current, unreadable_problem(&unreadable)))
}

/// A loaded document ready to become current.
fn loaded_document(
    open: Rc<OpenDocument>,
    store: AnnotationStore,
    history: History,
    mut library: Library,
) -> LoadedDocument {
    library.current = Some(open.id.clone());
    // Opened again after it was deleted: it is back, and must not be purged.
    if let Some(deleted) = library.deleted.take() {
        if deleted.entry.id == open.id {
            library.upsert(deleted.entry);
        } else {
            library.deleted = Some(deleted);
        }
    }
    if !library.documents.iter().any(|e| e.id == open.id) {
        library.upsert(LibraryEntry {
            id: open.id.clone(),
            name: open.name.clone(),
            count: store.len(),
            done: false,
            order: clock::now_ms(),
        });
    }
    storage::save_setting("current", &open.id);
    LoadedDocument {
        open,
        store,
        history,
        library,
        status: None,
    }
}

/// The stored document `id` of `library`, read from storage; or why it cannot be shown.
async fn load_stored(
    session: &Session,
    library: Library,
    id: &str,
) -> Result<LoadedDocument, String> {
    let entry = library
        .documents
        .iter()
        .chain(library.deleted.iter().map(|d| &d.entry))
        .find(|e| e.id == id)
        .cloned()
        .ok_or_else(|| "that document is not in the library".to_owned())?;
    let db = session.db().map_err(|f| f.to_string())?;
    let stored = load::load_document(db, &session.replica, id)
        .await
        .map_err(|f| f.to_string())?;
    collect_in_background(
        session,
        load::expired_tombstones(&stored.tombstones, clock::now_ms()),
    );
    let Some(text) = stored.text else {
        return Err(format!(
            "the text of {} is no longer in the browser's storage",
            entry.name
        ));
    };
    let open = Rc::new(OpenDocument::with_id(
        id.to_owned(),
        entry.name,
        Document::from_raw(&text),
    ));
    let mut loaded = loaded_document(open, stored.store, stored.history, library);
    let mut problems: Vec<String> = unreadable_problem(&stored.unreadable).into_iter().collect();
    if stored.misfits > 0 {
        problems.push(format!(
            "{} stored annotations do not fit the text and are not shown; they are kept in storage",
            stored.misfits
        ));
    }
    loaded.status = problems.first().map(|p| {
        Status::error(format!(
            "Storage problem: {p}. What could be read is shown."
        ))
    });
    Ok(loaded)
}

/// `text`, named `name`, as the current document: its text stored first (one transaction;
/// refused whole when it does not fit), then shown with what is stored for it. A text already
/// in the library opens as stored.
async fn open_new(
    session: &Session,
    library: Library,
    name: String,
    text: String,
) -> Result<LoadedDocument, String> {
    let open = OpenDocument::new(name, Document::from_raw_owned(text));
    let known = library
        .documents
        .iter()
        .chain(library.deleted.iter().map(|d| &d.entry))
        .any(|e| e.id == open.id);
    if known {
        return load_stored(session, library, &open.id).await;
    }
    let write = Write::put(RecordKey::Text(open.id.clone()), &open.document.text());
    session
        .commit(vec![write])
        .await
        .map_err(|fault| format!("its text could not be stored ({fault})"))?;
    let text_len = open.document.char_len();
    Ok(loaded_document(
        Rc::new(open),
        AnnotationStore::new(text_len),
        History::default(),
        library,
    ))
}

/// The text to annotate in a file's content: Markdown (read in the worker) and HTML (by the
/// browser's parser) as the plain text a reader sees, by the file's extension; anything else
/// as it is.
async fn readable_text(name: &str, text: String) -> Result<String, String> {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let readable = match extension.as_deref() {
        Some("md" | "markdown") => {
            let task = Task::MarkdownText { markdown: text };
            match task_worker::run(&task, &[]).await? {
                (Outcome::Text(text), _) => text,
                (other, _) => return Err(task_worker::mismatch(&other)),
            }
        }
        Some("html" | "htm" | "xhtml") => html_text::visible_text(&text)?,
        _ => return Ok(text),
    };
    if readable.trim().is_empty() {
        Err("it has no readable text".into())
    } else {
        Ok(readable)
    }
}

/// True for a file that carries documents with their annotations: a zip (an export of every
/// document, a brat corpus), JSON (a marginalia file) or JSON lines (spaCy, doccano).
fn carries_documents(name: &str, bytes: &[u8]) -> bool {
    let name = name.to_ascii_lowercase();
    bytes.starts_with(stored_zip::MAGIC) || name.ends_with(".json") || name.ends_with(".jsonl")
}

/// Adds the documents a shared file carries (see [`corpus::shared_documents`]) to the library
/// with their annotations (and labels, from marginalia files), and makes the first one new to
/// the library current. All or nothing: every text, entry, annotation and label is one
/// transaction, so a file that cannot be read, or that does not fit in the quota, leaves the
/// library as it was. Documents already in the library are left as they are (their file can be
/// imported onto them).
async fn open_shared(latest: &Latest, session: &Session, name: String, bytes: Vec<u8>) {
    let refuse = |reason: String| {
        latest
            .borrow()
            .dispatch(Action::ShowStatus(Status::error(format!(
                "{name} was not opened: {reason}. The current document is unchanged."
            ))))
    };
    let task = Task::OpenShared {
        name: name.clone(),
        now: clock::now_rfc3339(),
        seed: clock::random_seed(),
    };
    let shared = match task_worker::run(&task, &[&bytes]).await {
        Ok((Outcome::Shared(Ok(shared)), _)) => shared,
        Ok((Outcome::Shared(Err(error)), _)) | Err(error) => return refuse(error),
        Ok((other, _)) => return refuse(task_worker::mismatch(&other)),
    };
    let before = latest.borrow().library_snapshot();
    let mut library = before.clone();
    let mut new: Vec<(String, String, Document, AnnotationStore)> = Vec::new();
    let mut already = Vec::new();
    // Ids in the library or already taken from this file: O(1) a document (a JSONL corpus
    // may bring thousands).
    let mut known: std::collections::HashSet<String> = library
        .documents
        .iter()
        .chain(library.deleted.iter().map(|d| &d.entry))
        .map(|e| e.id.clone())
        .collect();
    for SharedOpened { name, text, report } in shared {
        let document = Document::from_normalized(text);
        let id = document.sha256().to_owned();
        if !known.insert(id.clone()) {
            already.push(name);
            continue;
        }
        let store = match report.store_on(&document) {
            Ok(store) => store,
            Err(error) => return refuse(format!("{name}: {error}")),
        };
        if let Some(labels) = &report.labels {
            library.labels.merge(labels);
        }
        new.push((id, name, document, store));
    }
    let order = clock::now_ms();
    for (index, (id, name, _, store)) in new.iter().enumerate() {
        library.upsert(LibraryEntry {
            id: id.clone(),
            name: name.clone(),
            count: store.len(),
            done: false,
            order: order + index as u64,
        });
    }
    let mut writes = changes::library_writes(Some(&before), &library);
    for (id, _, document, store) in &new {
        writes.push(Write::put(RecordKey::Text(id.clone()), &document.text()));
        writes.extend(changes::document_writes(id, None, store));
    }
    if let Err(fault) = session.commit(writes).await {
        return refuse(format!(
            "it could not be stored ({fault}); nothing of it was kept"
        ));
    }
    let annotations: usize = new.iter().map(|(.., store)| store.len()).sum();
    let opened = new.len();
    let Some((id, first_name, document, store)) = new.into_iter().next() else {
        return latest.borrow().dispatch(Action::ShowStatus(Status::info(format!(
            "Every document in {name} is already in the library ({}); import {name} onto one to add its annotations.",
            already.join(", ")
        ))));
    };
    let open = Rc::new(OpenDocument::with_id(id, first_name, document));
    let mut loaded = loaded_document(open, store, History::default(), library);
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
    loaded.status = Some(Status::info(text));
    latest
        .borrow()
        .dispatch(Action::LoadDocument(Box::new(loaded)));
}

/// Opens `bytes` (a file's content or pasted text) named `name` as the current document (or,
/// for a marginalia file or a zip of them, the documents it carries), or says in the status
/// why not (the current document stays).
async fn open_bytes(
    latest: &Latest,
    session: &Session,
    name: String,
    bytes: Result<Vec<u8>, String>,
) {
    let bytes = match bytes {
        Ok(bytes) if carries_documents(&name, &bytes) => {
            return open_shared(latest, session, name, bytes).await;
        }
        bytes => bytes,
    };
    let text =
        match bytes.and_then(|b| text_file::decode_text_file_owned(b).map_err(|e| e.to_string())) {
            Ok(text) => readable_text(&name, text).await,
            Err(reason) => Err(reason),
        };
    let opened = match text {
        Ok(text) => {
            let library = latest.borrow().library_snapshot();
            open_new(session, library, name.clone(), text).await
        }
        Err(reason) => Err(reason),
    };
    let state = latest.borrow().clone();
    match opened {
        Ok(mut loaded) => {
            loaded
                .status
                .get_or_insert_with(|| Status::info(format!("Opened {name}.")));
            state.dispatch(Action::LoadDocument(Box::new(loaded)));
        }
        Err(reason) => state.dispatch(Action::ShowStatus(Status::error(format!(
            "{name} was not opened: {reason}. The current document is unchanged."
        )))),
    }
}

/// Makes the stored document `id` current; false (and the status says why) when its text
/// cannot be read.
async fn switch_document(latest: &Latest, session: &Session, id: &str) -> bool {
    let library = latest.borrow().library_snapshot();
    let loaded = load_stored(session, library, id).await;
    // The latest state: the user may have worked on while the text was read.
    let state = latest.borrow().clone();
    match loaded {
        Ok(loaded) => {
            session.replica.borrow_mut().forget_document(&state.open.id);
            state.dispatch(Action::LoadDocument(Box::new(loaded)));
            true
        }
        Err(error) => {
            state.dispatch(Action::ShowStatus(Status::error(format!("{error}."))));
            false
        }
    }
}

/// Makes the comparison's gold document current: the one in the library, or a new one of the
/// same text named "NAME (gold)" (its text stored first). Its id is the text's SHA-256 with
/// `-gold`, so one text has one gold document. False (and said) when it cannot be.
async fn open_gold(latest: &Latest, session: &Session) -> bool {
    let state = latest.borrow().clone();
    let Some(comparison) = state.comparison.clone() else {
        return false;
    };
    let gold_id = format!("{}-gold", comparison.text_sha256);
    if state.open.id == gold_id {
        return true;
    }
    let library = state.library_snapshot();
    let known = library
        .documents
        .iter()
        .chain(library.deleted.iter().map(|d| &d.entry))
        .any(|e| e.id == gold_id);
    let loaded = if known {
        load_stored(session, library, &gold_id).await
    } else {
        let document = (*state.open.document).clone();
        let write = Write::put(RecordKey::Text(gold_id.clone()), &document.text());
        match session.commit(vec![write]).await {
            Ok(_) => {
                let text_len = document.char_len();
                let open = OpenDocument::with_id(gold_id, comparison.gold_name(), document);
                Ok(loaded_document(
                    Rc::new(open),
                    AnnotationStore::new(text_len),
                    History::default(),
                    library,
                ))
            }
            Err(fault) => Err(format!("its text could not be stored ({fault})")),
        }
    };
    match loaded {
        Ok(loaded) => {
            session.replica.borrow_mut().forget_document(&state.open.id);
            latest
                .borrow()
                .dispatch(Action::LoadDocument(Box::new(loaded)));
            true
        }
        Err(error) => {
            latest
                .borrow()
                .dispatch(Action::ShowStatus(Status::error(format!(
                    "The gold document was not opened: {error}."
                ))));
            false
        }
    }
}

/// The latest state, for async work that outlives a render.
type Latest = Rc<RefCell<UseReducerHandle<AppState>>>;

/// Verbs that open, switch and delete documents; the current one's work is already saved by then.
#[hook]
pub fn use_documents(state: &UseReducerHandle<AppState>, session: &Session) -> Documents {
    let latest = use_latest(state);
    let session = session.clone();
    (*use_memo((), move |_| {
        let open_file = {
            let (latest, session) = (latest.clone(), session.clone());
            Callback::from(move |file: web_sys::File| {
                let (latest, session) = (latest.clone(), session.clone());
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
                    open_bytes(&latest, &session, name, bytes).await;
                });
            })
        };
        let open_pasted = {
            let (latest, session) = (latest.clone(), session.clone());
            Callback::from(move |(name, text): (String, String)| {
                let (latest, session) = (latest.clone(), session.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    open_bytes(&latest, &session, name, Ok(text.into_bytes())).await;
                });
            })
        };
        let switch_to = {
            let (latest, session) = (latest.clone(), session.clone());
            Callback::from(move |id: String| {
                let (latest, session) = (latest.clone(), session.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    if id != latest.borrow().open.id {
                        switch_document(&latest, &session, &id).await;
                    }
                });
            })
        };
        let delete = {
            let (latest, session) = (latest.clone(), session.clone());
            Callback::from(move |id: String| {
                let (latest, session) = (latest.clone(), session.clone());
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
                        if !switch_document(&latest, &session, &next).await {
                            return;
                        }
                    }
                    latest.borrow().dispatch(Action::DeleteDocument(id));
                });
            })
        };
        let accept_agreed = {
            let (latest, session) = (latest.clone(), session.clone());
            Callback::from(move |()| {
                let (latest, session) = (latest.clone(), session.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    if open_gold(&latest, &session).await {
                        let state = latest.borrow().clone();
                        let count = state.comparison.as_ref().map_or(0, |c| c.agreed.len());
                        state.dispatch(Action::AcceptAgreed {
                            new_ids: (0..count).map(|_| clock::new_annotation_id()).collect(),
                            now: clock::now_rfc3339(),
                        });
                    }
                });
            })
        };
        Documents {
            open_file,
            open_pasted,
            switch_to,
            delete,
            accept_agreed,
        }
    }))
    .clone()
}

/// A stored document's text and annotations, read for an export (with a replica of its own,
/// so what it reads does not count as shown in this tab).
pub(crate) async fn read_stored(
    session: &Session,
    id: &str,
) -> Option<(Document, AnnotationStore)> {
    let db = session.db().ok()?;
    let scratch = std::cell::RefCell::new(crate::persist::Replica::new(0));
    let stored = load::load_document(db, &scratch, id).await.ok()?;
    Some((Document::from_raw(&stored.text?), stored.store))
}
