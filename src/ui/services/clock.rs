//! Time and identity: the two impure inputs the reducer receives as action data; and timing of
//! the app's own work, for the browser's performance tools.

use crate::model::AnnotationId;

/// The current time as RFC 3339 with milliseconds, UTC ("2026-11-25T16:23:00.000Z").
pub fn now_rfc3339() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// Random bytes from `crypto.getRandomValues` (which, unlike `crypto.randomUUID`, exists also
/// outside secure contexts: the app served over plain HTTP on a LAN address).
fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    let crypto = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .expect("crypto.getRandomValues is available in every browser Marginalia supports");
    crypto
        .get_random_values_with_u8_array(&mut bytes)
        .expect("16 bytes are within getRandomValues' limit");
    bytes
}

/// A fresh random annotation id: a UUID v4 in its usual text form.
pub fn new_annotation_id() -> AnnotationId {
    AnnotationId::uuid(random_bytes(), 4)
}

/// 16 random bytes: the seed of the ids the worker makes ([`crate::tasks::IdSource`]).
pub fn random_seed() -> [u8; 16] {
    random_bytes()
}

/// A random id for this tab (ties between two tabs' revisions are broken by it).
pub fn new_tab_id() -> u64 {
    u64::from_le_bytes(random_bytes())
}

/// Milliseconds since 1970 (the wall clock of revisions).
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Runs `work` and records how long it took as the user-timing measure `name` (seen in the
/// browser's performance panel and read by the browser benchmark). Only the latest measure of
/// each name is kept, so the timeline never grows with the session.
pub fn measured<T>(name: &str, work: impl FnOnce() -> T) -> T {
    let performance = web_sys::window().and_then(|w| w.performance());
    let start_mark = format!("{name}:start");
    if let Some(performance) = &performance {
        let _ = performance.mark(&start_mark);
    }
    let result = work();
    if let Some(performance) = performance {
        performance.clear_measures_with_measure_name(name);
        let _ = performance.measure_with_start_mark(name, &start_mark);
        performance.clear_marks_with_mark_name(&start_mark);
    }
    result
}

/// Marks now as `mark` on the page's performance timeline (see [`measure_from`]).
pub fn mark(mark: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(mark);
    }
}

/// Records the time since `mark` as the user-timing measure `name` (the latest only), for work
/// that spans several tasks (suggestions computed in slices).
pub fn measure_from(name: &str, mark: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        performance.clear_measures_with_measure_name(name);
        let _ = performance.measure_with_start_mark(name, mark);
    }
}
