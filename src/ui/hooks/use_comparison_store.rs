use std::rc::Rc;

use yew::prelude::*;

use super::use_latest;
use crate::persist::record::{Decoded, Record, RecordKey};
use crate::persist::store::RecordStore;
use crate::persist::Write;
use crate::tasks::{Outcome, Task};
use crate::ui::services::session::Session;
use crate::ui::services::task_worker;
use crate::ui::state::{Action, AppState, Status};

/// Keeps the open comparison in storage (a record per text, `compare/SHA`), so adjudication
/// goes on after a reload: written when it opens and as disagreements are rejected, brought
/// back when a document of that text becomes current, removed when it is closed (not when the
/// user only moves to a document of another text).
#[hook]
pub fn use_comparison_store(state: &UseReducerHandle<AppState>, session: &Session) {
    let latest = use_latest(state);
    // The text the comparison shown last was on, while one is shown.
    let shown_on = use_mut_ref(|| None::<String>);
    {
        let (session, shown_on) = (session.clone(), shown_on.clone());
        let comparison = state.comparison.clone();
        let text = state.open.document.sha256().to_owned();
        // What is stored: the layers (one `Rc` per opening) and the rejections; `n` / `p`
        // change neither, so they write nothing.
        let key = comparison
            .as_ref()
            .map(|c| (Rc::as_ptr(&c.layers) as usize, c.rejected.clone()));
        use_effect_with(key, move |_| {
            let write = match (&comparison, shown_on.borrow().as_ref()) {
                (Some(comparison), _) => Some(Write::put(
                    RecordKey::Comparison(comparison.text_sha256.clone()),
                    &comparison.stored(),
                )),
                // Closed on the text it was open on (not left behind by a switch).
                (None, Some(was)) if *was == text => {
                    Some(Write::Delete(RecordKey::Comparison(was.clone())))
                }
                (None, _) => None,
            };
            *shown_on.borrow_mut() = comparison.as_ref().map(|c| c.text_sha256.clone());
            if let Some(write) = write {
                wasm_bindgen_futures::spawn_local(async move {
                    // A comparison that cannot be stored still works for this visit.
                    let _ = session.commit(vec![write]).await;
                });
            }
        });
    }
    {
        let session = session.clone();
        use_effect_with(state.open.id.clone(), move |_| {
            let state = latest.borrow().clone();
            if state.comparison.is_some() {
                return;
            }
            let text = state.open.document.sha256().to_owned();
            wasm_bindgen_futures::spawn_local(async move {
                let Ok(db) = session.db() else {
                    return;
                };
                let key = RecordKey::Comparison(text.clone()).encode();
                let Ok(stored) = db.read_keys(&[key]).await else {
                    return;
                };
                let decoded = stored
                    .first()
                    .and_then(|item| Record::from_json(&item.raw).ok())
                    .and_then(|record| record.decode().ok());
                if let Some(Decoded::Comparison(_, stored)) = decoded {
                    let document = latest.borrow().open.document.clone();
                    if document.sha256() != text {
                        return;
                    }
                    let task = Task::RestoreComparison {
                        text_sha256: text.clone(),
                        stored,
                    };
                    let Ok((Outcome::Compared(Ok((comparison, _))), _)) =
                        task_worker::run(&task, &[document.text().as_bytes()]).await
                    else {
                        // Kept in storage: the next load tries again.
                        return;
                    };
                    let state = latest.borrow().clone();
                    if state.comparison.is_none() && state.open.document.sha256() == text {
                        state.dispatch(Action::Compare(Box::new(comparison)));
                        state.dispatch(Action::ShowStatus(Status::info(
                            "The comparison open on this text is back (Close in the panel ends it).",
                        )));
                    }
                }
            });
        });
    }
}
