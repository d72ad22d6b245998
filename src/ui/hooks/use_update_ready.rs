use web_sys::ServiceWorker;
use yew::prelude::*;

use crate::ui::services::service_worker;

/// Registers the service worker; while a newer version of the app waits, returns the verb that
/// reloads into it (the `update-ready` banner's Reload).
#[hook]
pub fn use_update_ready() -> Option<Callback<()>> {
    let waiting = use_state_eq(|| None::<ServiceWorker>);
    {
        let waiting = waiting.clone();
        use_effect_with((), move |_| {
            let watch = service_worker::watch_updates(move |worker| waiting.set(Some(worker)));
            move || drop(watch)
        });
    }
    let reload = use_callback((*waiting).clone(), |(), waiting| {
        if let Some(worker) = waiting {
            service_worker::reload_into(worker);
        }
    });
    waiting.is_some().then_some(reload)
}
