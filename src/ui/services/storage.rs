//! Local storage: a library index, and per document its text and its annotations with their
//! undo history. Unreadable data is moved aside under a backup key, never deleted.
//!
//! Keys: `marginalia:library`, `marginalia:doc:<id>:text`, `marginalia:doc:<id>:annotations`,
//! `marginalia:backup:<time>:<original key>`.

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

use crate::model::{Annotation, AnnotationStore, Command, History, Orphan};

/// Version of the stored layout; older layouts are migrated forward when read.
const SCHEMA: u32 = 1;
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

#[derive(Serialize, Deserialize)]
struct StoredAnnotations {
    schema: u32,
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

fn annotations_key(id: &str) -> String {
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

/// A document's annotations, orphans and undo history, checked against its length in code points.
/// Nothing stored yet gives an empty store.
pub fn load_annotations(
    id: &str,
    text_len: usize,
) -> Result<(AnnotationStore, History), StorageFault> {
    let key = annotations_key(id);
    let Some(raw) = read(&key)? else {
        return Ok((AnnotationStore::new(text_len), History::default()));
    };
    let parsed: Result<StoredAnnotations, String> =
        serde_json::from_str(&raw).map_err(|e| e.to_string());
    let restored = parsed.and_then(|stored| {
        if stored.schema > SCHEMA {
            return Err(format!(
                "written by a newer Marginalia (layout {})",
                stored.schema
            ));
        }
        let mut store = AnnotationStore::new(text_len);
        let commands = stored
            .annotations
            .into_iter()
            .map(|annotation| Command::Create { annotation })
            .chain(
                stored
                    .orphans
                    .into_iter()
                    .map(|orphan| Command::AddOrphan { orphan }),
            )
            .collect();
        store
            .apply(Command::Batch { commands })
            .map_err(|e| e.to_string())?;
        Ok((store, stored.history))
    });
    restored.map_err(|reason| move_aside(&key, &raw, reason))
}

/// Saves a document's annotations and history. O(n) serialisation per call.
pub fn save_annotations(
    id: &str,
    store: &AnnotationStore,
    history: &History,
) -> Result<(), StorageFault> {
    #[derive(Serialize)]
    struct Out<'a> {
        schema: u32,
        annotations: Vec<&'a Annotation>,
        orphans: Vec<&'a Orphan>,
        history: &'a History,
    }
    let out = Out {
        schema: SCHEMA,
        annotations: store.in_document_order().map(|a| &**a).collect(),
        orphans: store.orphans().iter().map(|o| &**o).collect(),
        history,
    };
    write(
        &annotations_key(id),
        &serde_json::to_string(&out).expect("serialisable"),
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
