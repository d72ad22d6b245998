//! The page's side of [`crate::tasks`]: starts the worker on first use (its module is fetched
//! then, never at load), sends it tasks and awaits their outcomes. The time from starting it
//! to its first word is the user-timing measure `marginalia:worker-ready`. A worker that stops
//! (a crash, its file missing offline) fails every task it held with a message, and the next
//! task starts a new one.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, Event, MessageEvent, Worker};

use super::clock;
use crate::tasks::message::{get, set, BYTES, ERROR, FILES, ID, OUTCOME, READY, TASK};
use crate::tasks::{Outcome, Task};

/// The loader Trunk writes for the worker (index.html, `data-loader-shim`), beside index.html.
const WORKER_SCRIPT: &str = "./marginalia-worker_loader.js";
/// The mark the `marginalia:worker-ready` measure starts from.
const START_MARK: &str = "marginalia:worker-start";

/// Does `task` on `files` (the bytes it names) in the worker: its outcome and the bytes of a file it made (left in
/// JS: a download never copies them into wasm memory), or why the worker could not do it.
pub async fn run(task: &Task, files: &[&[u8]]) -> Result<(Outcome, Option<Uint8Array>), String> {
    let client = Client::current()?;
    JsFuture::from(client.ready.clone())
        .await
        .map_err(|e| reason(&e))?;
    let id = client.next_id.get();
    client.next_id.set(id + 1);
    let reply = Promise::new(&mut |resolve, reject| {
        client.pending.borrow_mut().insert(id, (resolve, reject));
    });
    let message = Object::new();
    let transfer = Array::new();
    set(&message, ID, &id.into());
    let json = serde_json::to_string(task).expect("tasks serialise");
    set(&message, TASK, &json.into());
    // Each file is copied once, straight from wasm memory into its own transferred buffer.
    let buffers: Array = files
        .iter()
        .map(|file| {
            let bytes = Uint8Array::from(*file);
            transfer.push(&bytes.buffer());
            JsValue::from(bytes)
        })
        .collect();
    set(&message, FILES, &buffers);
    client
        .worker
        .post_message_with_transfer(&message, &transfer)
        .map_err(|e| reason(&e))?;
    let reply = JsFuture::from(reply).await.map_err(|e| reason(&e))?;
    if let Some(error) = get(&reply, ERROR).as_string() {
        return Err(format!(
            "this page is older than its worker ({error}); reload the page"
        ));
    }
    let outcome = get(&reply, OUTCOME).as_string().unwrap_or_default();
    let outcome: Outcome = serde_json::from_str(&outcome).map_err(|e| {
        format!("the worker answered what this page cannot read ({e}); reload the page")
    })?;
    let bytes = get(&reply, BYTES).dyn_into::<Uint8Array>().ok();
    Ok((outcome, bytes))
}

/// Why an outcome of another kind than the task's cannot be used (a bug, said plainly).
pub fn mismatch(outcome: &Outcome) -> String {
    format!(
        "the worker gave an outcome of another kind ({}); reload the page",
        outcome.kind()
    )
}

/// A JS error in words.
fn reason(error: &JsValue) -> String {
    error
        .as_string()
        .or_else(|| {
            error
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "the worker stopped".into())
}

/// Settles a task's promise: `(resolve, reject)`.
type Settle = (Function, Function);

/// The running worker and the tasks it holds.
struct Client {
    worker: Worker,
    /// Settles when the worker listens (or fails to start).
    ready: Promise,
    /// Tasks sent and not answered, by id; id 0 is the ready promise.
    pending: RefCell<HashMap<u32, Settle>>,
    next_id: Cell<u32>,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(Event)>,
}

thread_local! {
    static CLIENT: RefCell<Option<Rc<Client>>> = const { RefCell::new(None) };
}

impl Client {
    /// The running worker, started now if there is none.
    fn current() -> Result<Rc<Client>, String> {
        if let Some(client) = CLIENT.with(|c| c.borrow().clone()) {
            return Ok(client);
        }
        clock::mark(START_MARK);
        let worker = Worker::new(WORKER_SCRIPT).map_err(|e| {
            format!(
                "the importers and exporters could not be started ({})",
                reason(&e)
            )
        })?;
        let pending: RefCell<HashMap<u32, Settle>> = RefCell::default();
        let ready = Promise::new(&mut |resolve, reject| {
            pending.borrow_mut().insert(0, (resolve, reject));
        });
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(|event: MessageEvent| {
            Client::settle(&event.data());
        });
        let on_error = Closure::<dyn Fn(Event)>::new(|event: Event| Client::stopped(&event));
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let client = Rc::new(Client {
            worker,
            ready,
            pending,
            next_id: Cell::new(1),
            _on_message: on_message,
            _on_error: on_error,
        });
        CLIENT.with(|c| *c.borrow_mut() = Some(client.clone()));
        Ok(client)
    }

    /// Resolves the promise a reply (or the ready word) answers.
    fn settle(reply: &JsValue) {
        let id = if get(reply, READY).is_truthy() {
            clock::measure_from("marginalia:worker-ready", START_MARK);
            0
        } else {
            get(reply, ID).as_f64().unwrap_or(-1.0) as u32
        };
        let settle = CLIENT.with(|c| {
            c.borrow()
                .as_ref()
                .and_then(|client| client.pending.borrow_mut().remove(&id))
        });
        if let Some((resolve, _)) = settle {
            let _ = resolve.call1(&JsValue::NULL, reply);
        }
    }

    /// The worker stopped: every task it held fails with why, and the next task starts anew.
    fn stopped(event: &Event) {
        let why = match event.dyn_ref::<ErrorEvent>() {
            Some(error) => format!("the worker stopped: {}", error.message()),
            None => "the importers and exporters could not be loaded; check the connection and try again"
                .into(),
        };
        event.prevent_default();
        let Some(client) = CLIENT.with(|c| c.borrow_mut().take()) else {
            return;
        };
        client.worker.terminate();
        let why = JsValue::from(why);
        for (_, (_, reject)) in client.pending.borrow_mut().drain() {
            let _ = reject.call1(&JsValue::NULL, &why);
        }
    }
}
