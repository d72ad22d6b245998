//! Registers the service worker (`sw.js`, which keeps the app working offline: README "Offline
//! and installing") and reports a newer version of the app once it has installed and waits.
//! Browsers look for a new `sw.js` at each visit; the page also asks when it comes back into
//! view. The waiting version takes over only when the user asks ([`reload_into`]), so it never
//! replaces the code the user is working in.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use gloo_events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{
    ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState,
};

/// The worker's script, next to index.html; relative, as the app may be served under a sub-path.
const WORKER_URL: &str = "sw.js";
/// The message `sw.js` answers by taking over.
const SKIP_WAITING: &str = "SKIP_WAITING";
/// The least time between two update checks the page asks for, in ms: coming back to the tab
/// often must not mean a request each time.
const UPDATE_CHECK_INTERVAL_MS: f64 = 60_000.0;

type Listeners = RefCell<Vec<EventListener>>;

/// Watches for a newer version of the app; dropping it stops listening.
pub struct UpdateWatch {
    _listeners: Rc<Listeners>,
}

/// Registers the worker once the page has loaded (so its precaching does not compete with the
/// app's start) and calls `on_waiting` with each newer version that has installed and waits.
/// `None` where there are no service workers (an insecure origin, an old browser): the app
/// then works as before, online.
pub fn watch_updates(on_waiting: impl Fn(ServiceWorker) + 'static) -> Option<UpdateWatch> {
    let container = container()?;
    let listeners = Rc::new(Listeners::default());
    let start = {
        let (listeners, on_waiting) = (Rc::downgrade(&listeners), Rc::new(on_waiting));
        move || spawn_local(register(container, listeners, on_waiting))
    };
    if gloo_utils::document().ready_state() == "complete" {
        start();
    } else {
        let loaded = EventListener::once(&gloo_utils::window(), "load", move |_| start());
        listeners.borrow_mut().push(loaded);
    }
    Some(UpdateWatch {
        _listeners: listeners,
    })
}

/// Lets `waiting` take over, and reloads the page once it controls it.
pub fn reload_into(waiting: &ServiceWorker) {
    match container() {
        Some(container) if waiting.state() == ServiceWorkerState::Installed => {
            // Kept for the rest of the page's life, which the reload ends.
            EventListener::once(&container, "controllerchange", |_| reload()).forget();
            let _ = waiting.post_message(&JsValue::from_str(SKIP_WAITING));
        }
        // It took over already (the user reloaded into it from another tab): just reload.
        _ => reload(),
    }
}

fn reload() {
    let _ = gloo_utils::window().location().reload();
}

/// The page's service worker container, where the browser offers one.
fn container() -> Option<ServiceWorkerContainer> {
    let navigator = gloo_utils::window().navigator();
    js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker"))
        .unwrap_or(false)
        .then(|| navigator.service_worker())
}

async fn register(
    container: ServiceWorkerContainer,
    listeners: Weak<Listeners>,
    on_waiting: Rc<dyn Fn(ServiceWorker)>,
) {
    // A browser (or a test harness) that blocks service workers may resolve the registration
    // with nothing at all: that is "no worker", not an error of the app.
    let registration = match JsFuture::from(container.register(WORKER_URL)).await {
        Ok(registration) => registration.dyn_into::<ServiceWorkerRegistration>().ok(),
        Err(error) => {
            web_sys::console::warn_2(&"Marginalia will not work offline:".into(), &error);
            return;
        }
    };
    let Some(registration) = registration else {
        return;
    };
    let Some(held) = listeners.upgrade() else {
        return;
    };
    // A version that installed during an earlier visit, or is installing now (the browser's
    // own check at this visit may have started before this code ran).
    if let Some(waiting) = registration.waiting() {
        on_waiting(waiting);
    }
    if let Some(installing) = registration.installing() {
        follow(&registration, installing, &listeners, &on_waiting);
    }
    let found = {
        let (registration, listeners, on_waiting) =
            (registration.clone(), listeners.clone(), on_waiting.clone());
        EventListener::new(&registration.clone(), "updatefound", move |_| {
            if let Some(installing) = registration.installing() {
                follow(&registration, installing, &listeners, &on_waiting);
            }
        })
    };
    let check = {
        let last = Cell::new(js_sys::Date::now());
        Rc::new(move || {
            let now = js_sys::Date::now();
            if now - last.get() < UPDATE_CHECK_INTERVAL_MS {
                return;
            }
            last.set(now);
            if let Ok(checked) = registration.update() {
                // Offline, the check fails: nothing to do until the next one.
                spawn_local(async move {
                    let _ = JsFuture::from(checked).await;
                });
            }
        })
    };
    let document = gloo_utils::document();
    let shown = {
        let (check, document) = (check.clone(), document.clone());
        EventListener::new(&document.clone(), "visibilitychange", move |_| {
            if !document.hidden() {
                check();
            }
        })
    };
    let focused = EventListener::new(&gloo_utils::window(), "focus", move |_| check());
    held.borrow_mut().extend([found, shown, focused]);
}

/// Reports `worker` to `on_waiting` if it installs while another version is active (the
/// first version installs and takes over at once: nothing waits then).
fn follow(
    registration: &ServiceWorkerRegistration,
    worker: ServiceWorker,
    listeners: &Weak<Listeners>,
    on_waiting: &Rc<dyn Fn(ServiceWorker)>,
) {
    let Some(held) = listeners.upgrade() else {
        return;
    };
    let (registration, on_waiting) = (registration.clone(), on_waiting.clone());
    let installed = EventListener::new(&worker.clone(), "statechange", move |_| {
        if worker.state() == ServiceWorkerState::Installed && registration.active().is_some() {
            on_waiting(worker.clone());
        }
    });
    held.borrow_mut().push(installed);
}
