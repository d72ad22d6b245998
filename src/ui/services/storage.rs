//! Local storage: a library index, and per document its text and its annotations with their
//! undo history. Unreadable data is moved aside under a backup key, never deleted.
//!
//! Keys: `marginalia:library`; per document `marginalia:doc:<id>:text`, `…:manifest`,
//! `…:chunk:<0-63>`, `…:orphans`, `…:history` (schema 1 had one `…:annotations` key);
//! `…:journal` (only while a save of several keys is under way); `marginalia:setting:<name>`;
//! `marginalia:backup:<time>:<original key>`.

use std::rc::Rc;

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

use crate::model::{
    sync, Annotation, AnnotationId, AnnotationStore, Command, History, LabelSet, Orphan,
};

/// Version of the stored layout; older layouts are migrated forward when read. 2: annotations
/// in chunks, orphans and history under keys of their own; 1: one key per document.
const SCHEMA: u32 = 2;
const LIBRARY_KEY: &str = "marginalia:library";

/// One document in the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryEntry {
    /// The document's id: the start of its text's SHA-256.
    pub id: String,
    /// Its file name or title.
    pub name: String,
    /// How many annotations it has (kept here so the list needs no other read).
    pub count: usize,
    /// Marked done by the annotator (the corpus's progress).
    #[serde(default)]
    pub done: bool,
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Library {
    /// Layout version.
    #[serde(default)]
    pub schema: u32,
    /// The id of the current document.
    pub current: Option<String>,
    /// In the order they were opened.
    pub documents: Vec<LibraryEntry>,
    /// The labels of the whole set (the three built-in ones in a library saved before labels
    /// could be edited).
    #[serde(default)]
    pub labels: LabelSet,
    /// The document deleted last, while it can still be brought back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<DeletedDocument>,
}

/// Schema 1: a document's annotations, orphans and history under one key.
#[derive(Deserialize)]
struct LegacyAnnotations {
    annotations: Vec<Annotation>,
    #[serde(default)]
    orphans: Vec<Orphan>,
    #[serde(default)]
    history: History,
}

/// A problem with the browser's storage.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageFault {
    /// No local storage (disabled, private mode, blocked cookies).
    #[error("the browser's storage is not available")]
    Unavailable,
    /// The quota is used up.
    #[error("the browser's storage is full")]
    Full,
    /// A write failed for another reason.
    #[error("saving failed: {0}")]
    WriteFailed(String),
    /// Stored data could not be read; it was moved to `backup_key`.
    #[error(
        "stored data under {key} could not be read ({reason}); it was kept under {backup_key}"
    )]
    Unreadable {
        /// Where it was.
        key: String,
        /// Why it could not be read.
        reason: String,
        /// Where it is now.
        backup_key: String,
    },
}

fn local_storage() -> Result<web_sys::Storage, StorageFault> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or(StorageFault::Unavailable)
}

fn read(key: &str) -> Result<Option<String>, StorageFault> {
    local_storage()?
        .get_item(key)
        .map_err(|_| StorageFault::Unavailable)
}

fn write(key: &str, value: &str) -> Result<(), StorageFault> {
    local_storage()?.set_item(key, value).map_err(|error| {
        let name = error
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.name()))
            .unwrap_or_default();
        if name == "QuotaExceededError" {
            StorageFault::Full
        } else {
            StorageFault::WriteFailed(format!("{error:?}"))
        }
    })
}

/// Moves unreadable data aside and says where it went.
fn move_aside(key: &str, raw: &str, reason: String) -> StorageFault {
    let backup_key = format!("marginalia:backup:{}:{key}", js_sys::Date::now() as u64);
    let kept = write(&backup_key, raw).is_ok();
    if kept {
        if let Ok(storage) = local_storage() {
            let _ = storage.remove_item(key);
        }
    }
    StorageFault::Unreadable {
        key: key.to_owned(),
        reason,
        backup_key: if kept {
            backup_key
        } else {
            format!("{key} (left in place: no room for a copy)")
        },
    }
}

/// The library, or an empty one when nothing is stored yet.
pub fn load_library() -> Result<Library, StorageFault> {
    let Some(raw) = read(LIBRARY_KEY)? else {
        return Ok(Library::default());
    };
    serde_json::from_str(&raw).map_err(|e| move_aside(LIBRARY_KEY, &raw, e.to_string()))
}

/// Saves the library index, keeping the documents and labels another tab added to the stored
/// one.
pub fn save_library(library: &Library) -> Result<(), StorageFault> {
    let mut library = Library {
        schema: SCHEMA,
        ..library.clone()
    };
    if let Some(stored) =
        read(LIBRARY_KEY)?.and_then(|raw| serde_json::from_str::<Library>(&raw).ok())
    {
        let deleted = library.deleted.as_ref().map(|d| d.entry.id.clone());
        let theirs = stored
            .documents
            .into_iter()
            .filter(|e| Some(&e.id) != deleted.as_ref())
            .collect();
        merge_documents(&mut library.documents, theirs);
        // Labels another tab added are kept too (ours win where both have one).
        library.labels.merge(&stored.labels);
    }
    write(
        LIBRARY_KEY,
        &serde_json::to_string(&library).expect("serialisable"),
    )
}

/// Adds to `ours` the entries of `theirs` it does not have (ours win for the rest).
pub fn merge_documents(ours: &mut Vec<LibraryEntry>, theirs: Vec<LibraryEntry>) {
    for entry in theirs {
        if !ours.iter().any(|e| e.id == entry.id) {
            ours.push(entry);
        }
    }
}

/// Removes every stored key of document `id` (text, annotations, orphans, history, journal):
/// once a deleted document can no longer be brought back. O(keys in local storage).
pub fn remove_document(id: &str) -> Result<(), StorageFault> {
    let storage = local_storage()?;
    let prefix = format!("marginalia:doc:{id}:");
    let keys: Vec<String> = (0..storage.length().unwrap_or(0))
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|key| key.starts_with(&prefix))
        .collect();
    keys.iter()
        .try_for_each(|key| storage.remove_item(key))
        .map_err(|_| StorageFault::Unavailable)
}

fn text_key(id: &str) -> String {
    format!("marginalia:doc:{id}:text")
}

fn legacy_key(id: &str) -> String {
    format!("marginalia:doc:{id}:annotations")
}

/// A document's text, if stored.
pub fn load_text(id: &str) -> Result<Option<String>, StorageFault> {
    read(&text_key(id))
}

/// Stores a document's text (once, when it is opened).
pub fn save_text(id: &str, text: &str) -> Result<(), StorageFault> {
    write(&text_key(id), text)
}

/// What was stored for a document, as far as it could be read.
pub struct StoredDocument {
    /// Its annotations and orphans.
    pub store: AnnotationStore,
    /// Its undo history.
    pub history: History,
    /// Stored parts that could not be read (each moved to a backup key); the rest loaded.
    pub faults: Vec<StorageFault>,
}

/// Annotations are kept in this many chunks per document, by a hash of their id, so a change
/// rewrites one chunk (about n/64 annotations), not the whole document's.
const CHUNKS: u64 = 64;

fn manifest_key(id: &str) -> String {
    format!("marginalia:doc:{id}:manifest")
}

fn chunk_key(id: &str, chunk: u64) -> String {
    format!("marginalia:doc:{id}:chunk:{chunk}")
}

fn orphans_key(id: &str) -> String {
    format!("marginalia:doc:{id}:orphans")
}

fn history_key(id: &str) -> String {
    format!("marginalia:doc:{id}:history")
}

/// The chunk of an annotation id: FNV-1a of its bytes (stable across sessions, unlike std's
/// hasher), modulo [`CHUNKS`].
fn chunk_of(id: &AnnotationId) -> u64 {
    let hash = id
        .as_str()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
    hash % CHUNKS
}

#[derive(Serialize, Deserialize)]
struct Manifest {
    schema: u32,
    chunks: u64,
}

/// Reads one stored JSON value; an unreadable one is moved aside and reported, and counts as
/// absent.
fn read_json<T: serde::de::DeserializeOwned>(
    key: &str,
    faults: &mut Vec<StorageFault>,
) -> Option<T> {
    read_raw_json(key, faults).1
}

/// [`read_json`], with the stored text as it was (`None` when absent or moved aside), so a
/// save can tell that it would write the same bytes.
fn read_raw_json<T: serde::de::DeserializeOwned>(
    key: &str,
    faults: &mut Vec<StorageFault>,
) -> (Option<String>, Option<T>) {
    let raw = match read(key) {
        Ok(Some(raw)) => raw,
        Ok(None) => return (None, None),
        Err(fault) => {
            faults.push(fault);
            return (None, None);
        }
    };
    match serde_json::from_str(&raw) {
        Ok(value) => (Some(raw), Some(value)),
        Err(error) => {
            faults.push(move_aside(key, &raw, error.to_string()));
            (None, None)
        }
    }
}

/// A document's annotations, orphans and undo history, checked against its length in code
/// points. Reads the chunked layout (schema 2), or migrates the single-key layout of schema 1
/// (it is rewritten as chunks by the next save). Nothing stored yet gives an empty store.
pub fn load_annotations(id: &str, text_len: usize) -> StoredDocument {
    let mut faults = Vec::new();
    replay_journal(id, &mut faults);
    let (annotations, orphans, history) = match read_json::<Manifest>(
        &manifest_key(id),
        &mut faults,
    ) {
        Some(manifest) if manifest.schema > SCHEMA => {
            faults.push(StorageFault::WriteFailed(format!(
                "this document was saved by a newer Marginalia (layout {}); it is shown without annotations",
                manifest.schema
            )));
            (Vec::new(), Vec::new(), History::default())
        }
        Some(manifest) => {
            let mut annotations: Vec<Annotation> = Vec::new();
            for chunk in 0..manifest.chunks {
                annotations.extend(
                    read_json::<Vec<Annotation>>(&chunk_key(id, chunk), &mut faults)
                        .unwrap_or_default(),
                );
            }
            let orphans =
                read_json::<Vec<Orphan>>(&orphans_key(id), &mut faults).unwrap_or_default();
            let history = read_json::<History>(&history_key(id), &mut faults).unwrap_or_default();
            (annotations, orphans, history)
        }
        None => match read_json::<LegacyAnnotations>(&legacy_key(id), &mut faults) {
            Some(legacy) => (legacy.annotations, legacy.orphans, legacy.history),
            None => (Vec::new(), Vec::new(), History::default()),
        },
    };
    // One by one, so a stored item that does not fit (outside the text, an id used twice)
    // costs only itself; it stays in storage untouched (saves merge, never drop it).
    let mut store = AnnotationStore::new(text_len);
    let mut refused = 0;
    let commands = annotations
        .into_iter()
        .map(|annotation| Command::Create { annotation })
        .chain(
            orphans
                .into_iter()
                .map(|orphan| Command::AddOrphan { orphan }),
        );
    let mut first_error = None;
    for command in commands {
        if let Err(error) = store.apply(command) {
            refused += 1;
            first_error.get_or_insert(error);
        }
    }
    if let Some(error) = first_error {
        faults.push(StorageFault::WriteFailed(format!(
            "{refused} stored annotations do not fit the text and are not shown (the first: {error}); they are kept in storage"
        )));
    }
    StoredDocument {
        store,
        history,
        faults,
    }
}

/// Saves a document's annotations and orphans. With `previous` (what the last call saved for
/// this document) only the chunks whose annotations changed are written: O(n) lookups and
/// pointer comparisons plus O(n/64) serialisation per edit. Without it, every chunk is.
///
/// A chunk is written by laying this tab's changes over what is stored now
/// ([`sync::merge`]), so annotations another tab stored in it are kept. When a save writes
/// more than one key, the new values go first into one journal key (one atomic write), then
/// to their keys, then the journal is removed: a save cut off by a crash or a closed tab is
/// completed from the journal on the next load, so storage holds the old state or the new one,
/// never a mix.
pub fn save_annotations(
    id: &str,
    previous: Option<&AnnotationStore>,
    store: &AnnotationStore,
) -> Result<(), StorageFault> {
    let mut upserts: Vec<Vec<&Annotation>> = vec![Vec::new(); CHUNKS as usize];
    let mut deletes: Vec<Vec<&AnnotationId>> = vec![Vec::new(); CHUNKS as usize];
    let mut dirty = vec![previous.is_none(); CHUNKS as usize];
    for annotation in store.iter() {
        let unchanged = previous.is_some_and(|previous| {
            previous
                .get(&annotation.id)
                .is_some_and(|old| Rc::ptr_eq(old, annotation))
        });
        if !unchanged {
            let chunk = chunk_of(&annotation.id) as usize;
            upserts[chunk].push(annotation);
            dirty[chunk] = true;
        }
    }
    for annotation in previous.iter().flat_map(|previous| previous.iter()) {
        if store.get(&annotation.id).is_none() {
            let chunk = chunk_of(&annotation.id) as usize;
            deletes[chunk].push(&annotation.id);
            dirty[chunk] = true;
        }
    }
    let mut writes: Vec<(String, String)> = Vec::new();
    let mut faults = Vec::new();
    for chunk in (0..CHUNKS as usize).filter(|chunk| dirty[*chunk]) {
        let key = chunk_key(id, chunk as u64);
        let (raw, stored) = read_raw_json::<Vec<Annotation>>(&key, &mut faults);
        let merged = sync::merge(stored.unwrap_or_default(), &upserts[chunk], &deletes[chunk]);
        let value = serde_json::to_string(&merged).expect("serialisable");
        // A chunk that would be written as it is stays untouched: the first save after a load
        // (every chunk dirty) then writes, and journals, only what really differs.
        let unchanged = match &raw {
            Some(raw) => *raw == value,
            None => merged.is_empty(), // an absent chunk reads as empty
        };
        if !unchanged {
            writes.push((key, value));
        }
    }
    let orphans_changed = previous.is_none_or(|previous| {
        previous.orphans().len() != store.orphans().len()
            || previous
                .orphans()
                .iter()
                .zip(store.orphans())
                .any(|(a, b)| !Rc::ptr_eq(a, b))
    });
    if orphans_changed {
        let orphans: Vec<&Orphan> = store.orphans().iter().map(|o| &**o).collect();
        writes.push((
            orphans_key(id),
            serde_json::to_string(&orphans).expect("serialisable"),
        ));
    }
    let first_save = previous.is_none()
        && read_json::<Manifest>(&manifest_key(id), &mut faults)
            .is_none_or(|stored| stored.schema <= SCHEMA);
    if first_save {
        let manifest = Manifest {
            schema: SCHEMA,
            chunks: CHUNKS,
        };
        writes.push((
            manifest_key(id),
            serde_json::to_string(&manifest).expect("serialisable"),
        ));
    }
    write_all(id, &writes)?;
    if first_save {
        if let Ok(storage) = local_storage() {
            let _ = storage.remove_item(&legacy_key(id));
        }
    }
    // A chunk that could not be read was moved to a backup key and written anew from this
    // tab: the save itself succeeded.
    Ok(())
}

fn journal_key(id: &str) -> String {
    format!("marginalia:doc:{id}:journal")
}

/// Writes every (key, value), through the journal when there is more than one.
fn write_all(id: &str, writes: &[(String, String)]) -> Result<(), StorageFault> {
    let journaled = writes.len() > 1
        && write(
            &journal_key(id),
            &serde_json::to_string(writes).expect("serialisable"),
        )
        .is_ok();
    for (key, value) in writes {
        write(key, value)?;
    }
    if journaled {
        local_storage()?
            .remove_item(&journal_key(id))
            .map_err(|_| StorageFault::Unavailable)?;
    }
    Ok(())
}

/// Completes a save that a crash cut off (see [`save_annotations`]).
fn replay_journal(id: &str, faults: &mut Vec<StorageFault>) {
    let key = journal_key(id);
    if let Some(writes) = read_json::<Vec<(String, String)>>(&key, faults) {
        let prefix = format!("marginalia:doc:{id}:");
        let replayed = writes
            .iter()
            .filter(|(target, _)| target.starts_with(&prefix))
            .try_for_each(|(target, value)| write(target, value));
        match replayed {
            Ok(()) => {
                if let Ok(storage) = local_storage() {
                    let _ = storage.remove_item(&key);
                }
            }
            Err(fault) => faults.push(fault),
        }
    }
}

/// The chunk a storage key of document `id` names, if it names one.
pub fn chunk_of_key(id: &str, key: &str) -> Option<u64> {
    key.strip_prefix(&format!("marginalia:doc:{id}:chunk:"))?
        .parse()
        .ok()
        .filter(|chunk| *chunk < CHUNKS)
}

/// The annotations of `store` that belong in `chunk`.
pub fn in_chunk(store: &AnnotationStore, chunk: u64) -> impl Iterator<Item = &Rc<Annotation>> {
    store.iter().filter(move |a| chunk_of(&a.id) == chunk)
}

/// Writes `annotations` into `chunk` again, merged with what is stored there (another tab
/// wrote the chunk from a view that had not seen them).
pub fn rewrite_chunk(
    id: &str,
    chunk: u64,
    annotations: &[&Annotation],
) -> Result<(), StorageFault> {
    let key = chunk_key(id, chunk);
    let stored = read_json::<Vec<Annotation>>(&key, &mut Vec::new()).unwrap_or_default();
    write(
        &key,
        &serde_json::to_string(&sync::merge(stored, annotations, &[])).expect("serialisable"),
    )
}

/// A stored chunk's annotations from a raw value (a storage event's old or new value).
pub fn parse_chunk(raw: Option<&str>) -> Vec<Annotation> {
    raw.and_then(|raw| serde_json::from_str(raw).ok())
        .unwrap_or_default()
}

/// True for the library key (another tab opened a document).
pub fn is_library_key(key: &str) -> bool {
    key == LIBRARY_KEY
}

/// Saves a document's undo history (the app does so once a burst of edits has settled).
pub fn save_history(id: &str, history: &History) -> Result<(), StorageFault> {
    write(
        &history_key(id),
        &serde_json::to_string(history).expect("serialisable"),
    )
}

/// A preference the user set (`theme`, `snap-words`), if any.
pub fn load_setting(name: &str) -> Option<String> {
    read(&format!("marginalia:setting:{name}")).ok().flatten()
}

/// Remembers a preference.
pub fn save_setting(name: &str, value: &str) -> Result<(), StorageFault> {
    write(&format!("marginalia:setting:{name}"), value)
}
