//! Waiting for the browser to show what changed before doing work that can wait.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Longest wait, for a tab whose frames do not come (hidden, or in the background): saving
/// must never wait on a frame that is not drawn.
const AT_MOST_MS: i32 = 50;

/// Resolves once the next frame has been painted (a task after the frame's callbacks), or after
/// [`AT_MOST_MS`] when no frame comes: a save after a big import then runs after the frame that
/// shows it, instead of holding that frame back with its storage work.
pub async fn after_next_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let window = gloo_utils::window();
        let resolve_later = resolve.clone();
        let after_frame = Closure::once_into_js(move || {
            let _ = gloo_utils::window().set_timeout_with_callback(resolve_later.unchecked_ref());
        });
        let _ = window.request_animation_frame(after_frame.unchecked_ref());
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            resolve.unchecked_ref(),
            AT_MOST_MS,
        );
    });
    let _ = JsFuture::from(promise).await;
}
