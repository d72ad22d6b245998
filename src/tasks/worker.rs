//! The worker's side of the tasks ([`super::message`]): answers each task with its outcome, or
//! with an error when the task cannot be read (a page of another version of the app sent it).
//! Says it is ready once it listens, since messages posted before that would be lost.

use js_sys::{Array, Object, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::message::{get, set, BYTES, ERROR, FILES, ID, OUTCOME, READY, TASK};
use super::{run, Task};

/// Listens for tasks until the worker is closed.
pub fn serve() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let (reply, transfer) = answer(&event.data());
        // Posting to the page fails only when the page is gone: nobody is left to tell.
        let _ = replies.post_message_with_transfer(&reply, &transfer);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let ready = Object::new();
    set(&ready, READY, &JsValue::TRUE);
    let _ = scope.post_message(&ready);
}

/// The reply to one message, and the buffers it transfers.
fn answer(message: &JsValue) -> (Object, Array) {
    let reply = Object::new();
    let transfer = Array::new();
    set(&reply, ID, &get(message, ID));
    let task = get(message, TASK).as_string().unwrap_or_default();
    let files: Vec<Vec<u8>> = Array::from(&get(message, FILES))
        .iter()
        .map(|file| Uint8Array::new(&file).to_vec())
        .collect();
    match serde_json::from_str::<Task>(&task) {
        Ok(task) => {
            let (outcome, bytes) = run(task, files);
            let outcome = serde_json::to_string(&outcome).expect("outcomes serialise");
            set(&reply, OUTCOME, &outcome.into());
            if let Some(bytes) = bytes {
                let bytes = Uint8Array::from(bytes.as_slice());
                transfer.push(&bytes.buffer());
                set(&reply, BYTES, &bytes);
            }
        }
        Err(error) => set(&reply, ERROR, &error.to_string().into()),
    }
    (reply, transfer)
}
