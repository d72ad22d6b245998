//! Time and identity: the two impure inputs the reducer receives as action data.

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
