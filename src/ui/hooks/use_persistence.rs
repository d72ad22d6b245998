use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::use_latest;

use crate::model::{AnnotationStore, History, Library};
use crate::persist::{changes, load, migrate, RecordKey, RecordStore, StoreFault, Write};
use crate::ui::services::session::Session;
use crate::ui::services::storage::{self, Usage};
use crate::ui::services::tab_channel::TabChannel;
use crate::ui::services::{clock, frames, web_locks};
use crate::ui::state::{Action, AppState, Status};

/// How long the undo history waits after the last edit before it is saved, in ms.
const HISTORY_SAVE_DELAY_MS: u32 = 800;
/// How long the storage estimate waits after a save before it is read again, in ms.
const USAGE_DELAY_MS: u32 = 1_500;

/// What the tab had in one render: enough to compute what changed since the last commit.
struct Snapshot {
    /// The current document's id.
    id: String,
    /// Its annotations and orphans.
    store: Rc<AnnotationStore>,
    /// Its annotations as read from storage (what a first save of it compares against).
    stored: Rc<AnnotationStore>,
    /// The library, when it changed since the snapshot before (its entries, labels or the
    /// deletion that can be undone): a keystroke in a note leaves it out, so a save costs the
    /// change, not the corpus.
    library: Option<Library>,
}

/// The saving side: what storage holds as far as this tab knows (the last commit's snapshot),
/// and the snapshots waiting to be committed. One commit runs at a time; the snapshots taken
/// meanwhile are coalesced (the newest of a document replaces the one before it), so a burst
/// of keystrokes is one commit, and a switch to another document never skips the last change
/// of the one before.
#[derive(Default)]
struct Saver {
    committed_doc: Option<(String, Rc<AnnotationStore>)>,
    committed_library: Option<Library>,
    /// The snapshot being committed (it becomes the committed one).
    in_flight: Option<Snapshot>,
    queue: VecDeque<Snapshot>,
    running: bool,
    asked_to_persist: bool,
}

impl Saver {
    fn enqueue(&mut self, mut snapshot: Snapshot) {
        match self.queue.back_mut() {
            Some(last) if last.id == snapshot.id => {
                // A library change waiting in the one replaced is not dropped with it.
                snapshot.library = snapshot.library.or(last.library.take());
                *last = snapshot;
            }
            _ => self.queue.push_back(snapshot),
        }
    }

    /// Another tab's change of document `current`, taken into everything this saver compares
    /// against or is about to commit: so a deletion of what it brought is a tombstone, and a
    /// snapshot taken before it arrived does not undo it.
    fn take_remote(&mut self, incoming: &load::Incoming, current: &str) {
        if let Some((id, committed)) = self.committed_doc.as_mut() {
            if id == current {
                Rc::make_mut(committed).apply_remote(&incoming.change);
            }
        }
        if let Some(library) = self.committed_library.as_mut() {
            incoming.apply_to_library(library, current);
        }
        for snapshot in self.in_flight.iter_mut().chain(self.queue.iter_mut()) {
            if snapshot.id == current {
                Rc::make_mut(&mut snapshot.store).apply_remote(&incoming.change);
            }
            if let Some(library) = snapshot.library.as_mut() {
                incoming.apply_to_library(library, current);
            }
        }
    }

    /// The writes that bring storage from the last commit to `snapshot`.
    fn writes(&self, snapshot: &Snapshot) -> Vec<Write> {
        let before = match &self.committed_doc {
            Some((id, store)) if *id == snapshot.id => store,
            _ => &snapshot.stored,
        };
        let mut writes = changes::document_writes(&snapshot.id, Some(before), &snapshot.store);
        if let Some(library) = &snapshot.library {
            writes.extend(changes::library_writes(
                self.committed_library.as_ref(),
                library,
            ));
        }
        writes
    }
}

/// Why changes are not being saved, for the banner ("Changes are not being saved: …").
fn fault_message(fault: &StoreFault) -> String {
    match fault {
        StoreFault::Full => "the browser's storage is full (the last change was refused whole; what was stored before is unchanged)".into(),
        StoreFault::NewerVersion => "a newer version of Marginalia has saved this library, so this tab no longer saves; reload it to use the new version (nothing stored is lost)".into(),
        other => other.to_string(),
    }
}

/// The alert for a change refused for lack of space.
const FULL_ALERT: &str = "The browser's storage is full: the last change was not saved, nothing of it was stored and what was stored before is unchanged. Export a copy, or free space by deleting documents.";

/// Commits the queued snapshots one by one (see [`Saver`]).
async fn run_saves(
    saver: Rc<RefCell<Saver>>,
    session: Session,
    latest: Latest,
    usage: UseStateHandle<Option<Usage>>,
) {
    loop {
        // The change is drawn first; its save (a book's import writes thousands of records)
        // follows, and snapshots taken meanwhile join the queue as one.
        frames::after_next_paint().await;
        let Some(snapshot) = saver.borrow_mut().queue.pop_front() else {
            saver.borrow_mut().running = false;
            mark_saved(true);
            return;
        };
        // The main thread's share of a save: what changed, and its records.
        let records = clock::measured("marginalia:save", || {
            let writes = saver.borrow().writes(&snapshot);
            session.stamp(writes)
        });
        saver.borrow_mut().in_flight = Some(snapshot);
        let wrote = records.as_ref().is_ok_and(|r| !r.is_empty());
        let result = match records {
            Ok(records) => session.commit_records(records).await,
            Err(fault) => Err(fault),
        };
        let dispatch = |action| latest.borrow().dispatch(action);
        match result {
            Ok(()) => {
                let mut state = saver.borrow_mut();
                let snapshot = state
                    .in_flight
                    .take()
                    .expect("the snapshot being committed");
                let superseded = state
                    .committed_library
                    .as_ref()
                    .and_then(|before| before.deleted.as_ref())
                    .map(|d| d.entry.id.clone())
                    .filter(|id| {
                        snapshot.library.as_ref().is_some_and(|library| {
                            library.deleted.as_ref().is_none_or(|d| d.entry.id != *id)
                                && !library.documents.iter().any(|e| e.id == *id)
                        })
                    });
                if let Some(id) = superseded {
                    wasm_bindgen_futures::spawn_local(purge_superseded(session.clone(), id));
                }
                state.committed_doc = Some((snapshot.id, snapshot.store));
                if snapshot.library.is_some() {
                    state.committed_library = snapshot.library;
                }
                let ask = wrote && !state.asked_to_persist;
                state.asked_to_persist |= wrote;
                drop(state);
                dispatch(Action::SetStorageFault(None));
                if ask {
                    wasm_bindgen_futures::spawn_local(async {
                        storage::ask_to_persist().await;
                    });
                }
                if wrote {
                    refresh_usage(usage.clone(), USAGE_DELAY_MS);
                }
            }
            Err(fault) => {
                saver.borrow_mut().in_flight = None;
                dispatch(Action::SetStorageFault(Some(fault_message(&fault))));
                if fault == StoreFault::Full {
                    dispatch(Action::ShowStatus(Status::error(FULL_ALERT)));
                    refresh_usage(usage.clone(), 0);
                }
            }
        }
    }
}

/// Says on the page's root element whether every change is stored (`data-saved`): what a
/// test, or a user about to close the tab, can wait for. Set directly, not rendered: it changes
/// twice a save and nothing on screen depends on it.
fn mark_saved(saved: bool) {
    if let Some(root) = gloo_utils::document().document_element() {
        let _ = root.set_attribute("data-saved", if saved { "true" } else { "false" });
    }
}

/// Reads the storage estimate after `delay_ms` (saves come in bursts).
fn refresh_usage(usage: UseStateHandle<Option<Usage>>, delay_ms: u32) {
    Timeout::new(delay_ms, move || {
        wasm_bindgen_futures::spawn_local(async move {
            if let Some(now) = storage::usage().await {
                usage.set(Some(now));
            }
        });
    })
    .forget();
}

/// The latest state, for async work that outlives a render.
type Latest = Rc<RefCell<UseReducerHandle<AppState>>>;

/// Another tab committed `keys`: applies the records newer than this tab's. A document open
/// here that the other tab deleted is kept: its entry is restored at once (so no purge can
/// take it), and the user is told.
async fn take_announcement(
    latest: Latest,
    session: Session,
    saver: Rc<RefCell<Saver>>,
    keys: Vec<String>,
) {
    let Ok(db) = session.db() else { return };
    let current = latest.borrow().open.id.clone();
    let read = load::read_incoming(db, &session.replica, &keys, &current).await;
    let Ok((mut incoming, _unreadable)) = read else {
        return;
    };
    let kept = incoming.keep_open(&current);
    if let Some((write, _)) = &kept {
        let _ = session.commit(vec![write.clone()]).await;
    }
    // What storage holds as far as this tab knows now includes the other tab's change, so
    // deleting what it brought is a tombstone like any deletion.
    saver.borrow_mut().take_remote(&incoming, &current);
    let newer_version = session.replica.borrow().newer_version_seen;
    let state = latest.borrow().clone();
    state.dispatch(Action::ApplyRemote(incoming));
    if let Some((_, name)) = kept {
        state.dispatch(Action::ShowStatus(Status::info(format!(
            "{name} was deleted in another tab while it is open here: it is kept, with all its annotations."
        ))));
    }
    if newer_version {
        state.dispatch(Action::SetStorageFault(Some(fault_message(
            &StoreFault::NewerVersion,
        ))));
    }
}

/// A tab of the old version (local storage) wrote `key` after the library was migrated: its
/// change is brought into the records without overwriting anything newer, and applied here.
async fn bridge_legacy_write(
    latest: Latest,
    session: Session,
    saver: Rc<RefCell<Saver>>,
    key: String,
    old: Option<String>,
    new: Option<String>,
) {
    let Ok(db) = session.db() else { return };
    let Some(old_id) = migrate::legacy_document(&key).map(str::to_owned) else {
        return;
    };
    if !key.contains(":chunk:") && !key.ends_with(":annotations") {
        return;
    }
    let meta = db
        .read_keys(&[RecordKey::Meta.encode()])
        .await
        .ok()
        .and_then(|found| found.into_iter().next());
    let renamed = meta
        .and_then(|m| crate::persist::Record::from_json(&m.raw).ok())
        .and_then(|r| serde_json::from_value::<crate::persist::record::Meta>(r.value).ok())
        .and_then(|meta| meta.renamed.get(&old_id).cloned());
    let Some(id) = renamed else { return };
    let writes = if key.ends_with(":annotations") {
        // Schema 1: the whole document under one key.
        let list = |raw: Option<&str>| {
            raw.and_then(|r| serde_json::from_str::<serde_json::Value>(r).ok())
                .and_then(|v| v.get("annotations").map(|a| a.to_string()))
        };
        migrate::legacy_chunk_writes(
            &id,
            list(old.as_deref()).as_deref(),
            list(new.as_deref()).as_deref(),
        )
    } else {
        migrate::legacy_chunk_writes(&id, old.as_deref(), new.as_deref())
    };
    let records: Vec<_> = {
        let mut replica = session.replica.borrow_mut();
        writes
            .into_iter()
            .map(|w| replica.record(w, clock::now_ms()))
            .collect()
    };
    let keys: Vec<String> = records.iter().map(|r| r.key.clone()).collect();
    if session.commit_records(records).await.is_ok() {
        take_announcement(latest, session, saver, keys).await;
    }
}

/// Keeps storage in line with the tab and the tab with storage:
/// - after every change, commits the records that changed since the last commit (one
///   IndexedDB transaction; see [`Saver`]); the undo history once edits settle, when another
///   document becomes current, and when the page is hidden;
/// - applies other tabs' announced commits (BroadcastChannel), and keeps a document open here
///   that another tab deleted;
/// - brings over what a tab of the old version still writes to local storage;
/// - asks for persistent storage on the first save, and returns the storage estimate.
#[hook]
pub fn use_persistence(
    state: &UseReducerHandle<AppState>,
    session: &Session,
    stored: &Library,
) -> Option<Usage> {
    let latest = use_latest(state);
    let usage = use_state(|| None::<Usage>);
    let saver = {
        let stored = stored.clone();
        use_mut_ref(move || Saver {
            committed_library: Some(stored),
            ..Saver::default()
        })
    };
    let pending_history = use_mut_ref(|| None::<(String, History)>);
    // What the library was made of at the last snapshot: its entries and labels (shared, so a
    // change replaces them) and the deletion that can be undone.
    let last_library = use_mut_ref(|| None::<(usize, usize, usize, usize, Option<String>)>);
    let history_timer = use_mut_ref(|| None::<Timeout>);

    {
        let (state, session, saver, latest, usage) = (
            state.clone(),
            session.clone(),
            saver.clone(),
            latest.clone(),
            usage.clone(),
        );
        let (pending_history, history_timer) = (pending_history.clone(), history_timer.clone());
        let last_library = last_library.clone();
        let library = Rc::as_ptr(&state.library) as usize;
        let labels = Rc::as_ptr(&state.labels) as usize;
        let annotator = Rc::as_ptr(&state.annotator) as *const u8 as usize;
        let patterns = Rc::as_ptr(&state.suggestions.patterns_source) as *const u8 as usize;
        let deleted = state.deleted.as_ref().map(|d| d.entry.id.clone());
        use_effect_with(
            (
                state.open.id.clone(),
                state.revision,
                library,
                labels,
                annotator,
                patterns,
                deleted,
            ),
            move |(_, _, library, labels, annotator, patterns, deleted)| {
                let library_now = (*library, *labels, *annotator, *patterns, deleted.clone());
                let library_changed =
                    last_library.replace(Some(library_now.clone())) != Some(library_now);
                saver.borrow_mut().enqueue(Snapshot {
                    id: state.open.id.clone(),
                    store: state.store.clone(),
                    stored: state.stored.clone(),
                    library: library_changed.then(|| state.library_snapshot()),
                });
                // Unsaved from now: the save itself waits for the change to be drawn.
                mark_saved(false);
                let start = !std::mem::replace(&mut saver.borrow_mut().running, true);
                if start {
                    wasm_bindgen_futures::spawn_local(run_saves(
                        saver,
                        session.clone(),
                        latest.clone(),
                        usage,
                    ));
                }
                // The history of the document left behind is saved now; this one's once edits settle.
                let left_behind = pending_history
                    .borrow()
                    .as_ref()
                    .is_some_and(|(id, _)| *id != state.open.id);
                if left_behind {
                    flush_history(&pending_history, &session);
                }
                *pending_history.borrow_mut() =
                    Some((state.open.id.clone(), state.history.clone()));
                let (pending, session) = (pending_history.clone(), session.clone());
                *history_timer.borrow_mut() =
                    Some(Timeout::new(HISTORY_SAVE_DELAY_MS, move || {
                        flush_history(&pending, &session);
                    }));
            },
        );
    }
    {
        let (session, latest, pending_history, usage) = (
            session.clone(),
            latest.clone(),
            pending_history.clone(),
            usage.clone(),
        );
        let saver = saver.clone();
        use_effect_with((), move |_| {
            refresh_usage(usage, 0);
            let channel = {
                let (session, latest, saver) = (session.clone(), latest.clone(), saver.clone());
                TabChannel::open(move |announcement| {
                    wasm_bindgen_futures::spawn_local(take_announcement(
                        latest.clone(),
                        session.clone(),
                        saver.clone(),
                        announcement.keys,
                    ));
                })
            };
            *session.channel.borrow_mut() = Some(channel);
            let window = gloo_utils::window();
            let hide = {
                let session = session.clone();
                EventListener::new(&window, "pagehide", move |_| {
                    flush_history(&pending_history, &session)
                })
            };
            let legacy = EventListener::new(&window, "storage", move |event| {
                let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() else {
                    return;
                };
                let Some(key) = event
                    .key()
                    .filter(|k| k.starts_with(migrate::LEGACY_PREFIX))
                else {
                    return;
                };
                wasm_bindgen_futures::spawn_local(bridge_legacy_write(
                    latest.clone(),
                    session.clone(),
                    saver.clone(),
                    key,
                    event.old_value(),
                    event.new_value(),
                ));
            });
            move || {
                drop(hide);
                drop(legacy);
            }
        });
    }
    *usage
}

/// Saves the history waiting to be saved, if any (its own transaction: the history is this
/// tab's, and a failure to save it loses no annotation).
fn flush_history(pending: &RefCell<Option<(String, History)>>, session: &Session) {
    if let Some((id, history)) = pending.borrow_mut().take() {
        let session = session.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let _ = session
                .commit(vec![changes::history_write(&id, &history)])
                .await;
        });
    }
}

/// Purges the document whose deletion can no longer be undone, under the purge lock, unless
/// another tab restored it or works on it meanwhile (its entry changed since it was trashed).
pub async fn purge_superseded(session: Session, id: String) {
    let Ok(db) = session.db() else { return };
    let Ok(found) = db
        .read_keys(&[RecordKey::Document(id.clone()).encode()])
        .await
    else {
        return;
    };
    let Some(guard) = found.into_iter().next() else {
        return;
    };
    let trashed = crate::persist::Record::from_json(&guard.raw)
        .ok()
        .and_then(|r| {
            serde_json::from_value::<crate::persist::record::DocumentRecord>(r.value).ok()
        })
        .is_some_and(|entry| entry.trashed);
    if trashed {
        let session = session.clone();
        web_locks::with_lock("marginalia-purge", async move {
            if let Ok(db) = session.db() {
                let _ = load::purge(db, &id, &guard).await;
            }
        })
        .await;
    }
}
