//! Local storage: a library index, and per document its text and its annotations with their
//! undo history. Unreadable data is moved aside under a backup key, never deleted.
//!
//! Keys: `marginalia:library`; per document `marginalia:doc:<id>:text`, `…:manifest`,
//! `…:chunk:<0-63>`, `…:orphans`, `…:history` (schema 1 had one `…:annotations` key);
//! `marginalia:setting:<name>`; `marginalia:backup:<time>:<original key>`.

use std::rc::Rc;

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

use crate::model::{Annotation, AnnotationId, AnnotationStore, Command, History, Orphan};

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

/// Saves the library index.
pub fn save_library(library: &Library) -> Result<(), StorageFault> {
    let library = Library {
        schema: SCHEMA,
        ..library.clone()
    };
    write(
        LIBRARY_KEY,
        &serde_json::to_string(&library).expect("serialisable"),
    )
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
    let raw = match read(key) {
        Ok(raw) => raw?,
        Err(fault) => {
            faults.push(fault);
            return None;
        }
    };
    match serde_json::from_str(&raw) {
        Ok(value) => Some(value),
        Err(error) => {
            faults.push(move_aside(key, &raw, error.to_string()));
            None
        }
    }
}

/// A document's annotations, orphans and undo history, checked against its length in code
/// points. Reads the chunked layout (schema 2), or migrates the single-key layout of schema 1
/// (it is rewritten as chunks by the next save). Nothing stored yet gives an empty store.
pub fn load_annotations(id: &str, text_len: usize) -> StoredDocument {
    let mut faults = Vec::new();
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
    let mut store = AnnotationStore::new(text_len);
    let commands = annotations
        .into_iter()
        .map(|annotation| Command::Create { annotation })
        .chain(
            orphans
                .into_iter()
                .map(|orphan| Command::AddOrphan { orphan }),
        )
        .collect();
    if let Err(error) = store.apply(Command::Batch { commands }) {
        // Parts that disagree with each other or with the text: keep what was stored, start empty.
        faults.push(StorageFault::WriteFailed(format!(
            "stored annotations do not fit the text ({error})"
        )));
        store = AnnotationStore::new(text_len);
    }
    StoredDocument {
        store,
        history,
        faults,
    }
}

/// Saves a document's annotations and orphans. With `previous` (what the last call saved for
/// this document) only the chunks whose annotations changed are written: O(n) lookups and
/// pointer comparisons plus O(n/64) serialisation per edit. Without it, everything is written (and a
/// schema-1 key is removed once its data is safe in chunks).
pub fn save_annotations(
    id: &str,
    previous: Option<&AnnotationStore>,
    store: &AnnotationStore,
) -> Result<(), StorageFault> {
    let mut dirty = vec![previous.is_none(); CHUNKS as usize];
    if let Some(previous) = previous {
        for annotation in store.iter() {
            if !previous
                .get(&annotation.id)
                .is_some_and(|old| Rc::ptr_eq(old, annotation))
            {
                dirty[chunk_of(&annotation.id) as usize] = true;
            }
        }
        for annotation in previous.iter() {
            if store.get(&annotation.id).is_none() {
                dirty[chunk_of(&annotation.id) as usize] = true;
            }
        }
    }
    if dirty.iter().any(|d| *d) {
        let mut chunks: Vec<Vec<&Annotation>> = vec![Vec::new(); CHUNKS as usize];
        for annotation in store.iter() {
            let chunk = chunk_of(&annotation.id) as usize;
            if dirty[chunk] {
                chunks[chunk].push(annotation);
            }
        }
        for (chunk, annotations) in chunks
            .iter_mut()
            .enumerate()
            .filter(|(chunk, _)| dirty[*chunk])
        {
            // Document order inside a chunk, so the same annotations always read the same.
            annotations
                .sort_unstable_by_key(|a| (a.span.start, std::cmp::Reverse(a.span.end), &a.id));
            write(
                &chunk_key(id, chunk as u64),
                &serde_json::to_string(annotations).expect("serialisable"),
            )?;
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
        write(
            &orphans_key(id),
            &serde_json::to_string(&orphans).expect("serialisable"),
        )?;
    }
    if previous.is_none() {
        let manifest = Manifest {
            schema: SCHEMA,
            chunks: CHUNKS,
        };
        write(
            &manifest_key(id),
            &serde_json::to_string(&manifest).expect("serialisable"),
        )?;
        if let Ok(storage) = local_storage() {
            let _ = storage.remove_item(&legacy_key(id));
        }
    }
    Ok(())
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
