//! Time and identity: the two impure inputs the reducer receives as action data; and timing of
//! the app's own work, for the browser's performance tools.

use crate::model::AnnotationId;

/// The current time as RFC 3339 with milliseconds, UTC ("2026-11-25T16:23:00.000Z").
pub fn now_rfc3339() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// A fresh random annotation id (a UUID v4 from `crypto.randomUUID()`).
pub fn new_annotation_id() -> AnnotationId {
    let crypto = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .expect("crypto.randomUUID is available in every browser Marginalia supports");
    AnnotationId::from(crypto.random_uuid())
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
