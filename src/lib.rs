//! Marginalia: a span annotator that runs entirely in the browser.
//!
//! **Every offset is a count of Unicode code points into the document text, end exclusive**, as
//! Python's `str` and spaCy count. The browser's UTF-16 indices exist only inside
//! `ui::services::dom_range`; UTF-8 byte offsets only inside [`model::Document`].
//!
//! The pure core ([`model`], [`anchor`], [`format`], [`agree`]) builds and tests on the host; the Yew UI
//! (`ui`) exists only for `wasm32`.

#![warn(missing_docs)]

pub mod agree;
pub mod anchor;
pub mod format;
pub mod model;
pub mod persist;
pub mod sample;
pub mod suggest;
pub mod tasks;
pub mod workspace;

#[cfg(target_arch = "wasm32")]
pub mod ui;
