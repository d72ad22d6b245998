//! The messages between the page and the worker, as plain JS objects whose fields both sides
//! name from here: to the worker `{id, task, files}`; back `{id, outcome, bytes}` or
//! `{id, error}`, and once `{ready: true}`.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

/// The number that pairs a reply with its task.
pub const ID: &str = "id";
/// The task, as JSON.
pub const TASK: &str = "task";
/// The files the task names, as `Uint8Array`s.
pub const FILES: &str = "files";
/// The outcome, as JSON.
pub const OUTCOME: &str = "outcome";
/// The bytes of a file the task made, as a `Uint8Array`.
pub const BYTES: &str = "bytes";
/// Why the task could not be read.
pub const ERROR: &str = "error";
/// Sent once, when the worker listens.
pub const READY: &str = "ready";

/// `object[key]`, or `undefined`.
pub fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// Sets `object[key]`: it cannot fail on a plain object.
pub fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &key.into(), value);
}
