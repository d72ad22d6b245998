//! Persistence as plain logic: records with revisions and tombstones (one per annotation,
//! orphan, label, document entry, count, text and history), the merge rule between tabs (per
//! record, the higher revision wins; only a newer tombstone deletes; a missing or unreadable
//! record never does), loading with quarantine, migration of the old local-storage layouts,
//! and a small [`RecordStore`] trait with an in-memory implementation. The browser's
//! IndexedDB adapter, the BroadcastChannel and the Web Locks live in `ui::services`.

pub mod changes;
pub mod load;
pub mod migrate;
pub mod record;
pub mod replica;
mod revision;
pub mod store;

pub use record::{Record, RecordKey, SCHEMA};
pub use replica::{Replica, Write};
pub use revision::{Clock, Revision};
pub use store::{MemoryStore, RecordStore, StoreFault, Stored};
