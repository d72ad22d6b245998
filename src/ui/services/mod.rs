//! The only code that touches the browser's storage, files, Selection and highlight registry.
//! Called from `ui/app.rs` and the hooks, never from components.

pub mod clock;
pub mod crash;
pub mod dom_range;
pub mod files;
pub mod frames;
pub mod highlights;
pub mod html_text;
pub mod legacy_texts;
pub mod overlays;
pub mod record_db;
pub mod service_worker;
pub mod session;
pub mod storage;
pub mod tab_channel;
pub mod task_worker;
pub mod web_locks;
