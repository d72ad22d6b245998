//! Web Locks (`navigator.locks`): work that must not run in two tabs at once (the migration,
//! purging a deleted document) runs inside a named exclusive lock, held until its future ends.
//! Where the API is missing, the work runs unlocked (one tab at a time is then the user's).

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

/// Runs `work` while holding the lock `name`, and returns what it returned.
pub async fn with_lock<T: 'static>(name: &str, work: impl Future<Output = T> + 'static) -> T {
    let locks = web_sys::window()
        .map(|w| w.navigator())
        .and_then(|n| js_sys::Reflect::get(&n, &"locks".into()).ok())
        .filter(|l| !l.is_undefined());
    let request = locks
        .as_ref()
        .and_then(|l| js_sys::Reflect::get(l, &"request".into()).ok());
    let (Some(locks), Some(request)) = (
        locks,
        request.and_then(|r| r.dyn_into::<js_sys::Function>().ok()),
    ) else {
        return work.await;
    };
    let output = Rc::new(RefCell::new(None));
    let work = Rc::new(RefCell::new(Some(work)));
    let (slot, pending) = (output.clone(), work.clone());
    // The callback runs once the lock is granted; the lock is held until its promise settles.
    let callback = Closure::once(move |_lock: JsValue| -> js_sys::Promise {
        let work = pending.borrow_mut().take();
        future_to_promise(async move {
            if let Some(work) = work {
                *slot.borrow_mut() = Some(work.await);
            }
            Ok(JsValue::UNDEFINED)
        })
    });
    let promise = request.call2(
        &locks,
        &JsValue::from_str(name),
        callback.as_ref().unchecked_ref(),
    );
    if let Ok(promise) = promise.and_then(|p| p.dyn_into::<js_sys::Promise>()) {
        let _ = JsFuture::from(promise).await;
    }
    drop(callback);
    let result = output.borrow_mut().take();
    match result {
        Some(result) => result,
        // The lock could not be requested: the work runs unlocked rather than not at all.
        None => {
            let work = work.borrow_mut().take().expect("the work did not run");
            work.await
        }
    }
}
