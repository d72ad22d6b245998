use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::use_latest;

use crate::model::sync;
use crate::ui::services::storage::{self, Library};
use crate::ui::state::{Action, AppState};

/// Keeps this tab in line with other tabs of the same site, through the `storage` event (fired
/// in every other tab when one writes local storage): a chunk of the current document's
/// annotations written elsewhere is applied as what changed between its old and new value;
/// annotations of this tab that the other wrote over without deleting them (it had not seen
/// them yet) are written again; documents another tab opened join the library list, and one it
/// deleted leaves it.
#[hook]
pub fn use_tab_sync(state: &UseReducerHandle<AppState>) {
    let latest = use_latest(state);
    use_effect_with((), move |_| {
        let listener = EventListener::new(&gloo_utils::window(), "storage", move |event| {
            let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() else {
                return;
            };
            let Some(key) = event.key() else {
                return; // storage.clear() elsewhere: what this tab holds is kept, and saved again
            };
            let state = latest.borrow().clone();
            let id = &state.open.id;
            if let Some(chunk) = storage::chunk_of_key(id, &key) {
                let old = storage::parse_chunk(event.old_value().as_deref());
                let new = storage::parse_chunk(event.new_value().as_deref());
                let change = sync::remote_change(&old, &new);
                let lost: Vec<_> = {
                    let ours = storage::in_chunk(&state.store, chunk).map(|a| &**a);
                    sync::lost_in_race(ours, &change, &new)
                        .into_iter()
                        .cloned()
                        .collect()
                };
                if !lost.is_empty() {
                    let lost: Vec<_> = lost.iter().collect();
                    if let Err(fault) = storage::rewrite_chunk(id, chunk, &lost) {
                        state.dispatch(Action::SetStorageFault(Some(fault.to_string())));
                    }
                }
                if !change.is_empty() {
                    state.dispatch(Action::ApplyRemote(change));
                }
            } else if storage::is_library_key(&key) {
                let theirs = event
                    .new_value()
                    .and_then(|raw| serde_json::from_str::<Library>(&raw).ok());
                if let Some(theirs) = theirs {
                    state.dispatch(Action::MergeLibrary(theirs));
                }
            }
        });
        move || drop(listener)
    });
}
