//! The small trait persistence needs of a database, and an in-memory database for tests. The
//! browser's IndexedDB adapter (`ui::services::record_db`) implements the same trait with one
//! IndexedDB transaction per call.

use std::cell::RefCell;
use std::collections::BTreeMap;

use super::record::{decide, Record, WriteDecision};

/// A stored value as read: its key and its string (not yet known to be readable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// The key.
    pub key: String,
    /// The stored string.
    pub raw: String,
}

/// Why the database did not do what was asked; nothing was changed by a call that failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreFault {
    /// No IndexedDB (disabled, or a private mode without it).
    #[error("the browser's storage is not available ({0})")]
    Unavailable(String),
    /// The quota is used up: the change was refused whole.
    #[error("the browser's storage is full")]
    Full,
    /// A newer version of Marginalia has written this library: this tab stops writing.
    #[error("a newer version of Marginalia has saved this library; reload this tab to use it")]
    NewerVersion,
    /// Another failure, as the browser named it.
    #[error("storage failed: {0}")]
    Failed(String),
}

/// A record database. Every method is one transaction: all of it happens, or none of it.
#[allow(async_fn_in_trait)] // used with concrete types only; the futures never cross threads
pub trait RecordStore {
    /// Writes each record that [`decide`] lets through (a newer revision than the stored
    /// one's), copying an unreadable record it replaces into the quarantine. Returns the
    /// records written. Refused whole when one meets a newer schema or the quota.
    async fn commit(&self, records: &[Record]) -> Result<Vec<Record>, StoreFault>;
    /// Every value whose key starts with `prefix`, in key order.
    async fn read_prefix(&self, prefix: &str) -> Result<Vec<Stored>, StoreFault>;
    /// The values under `keys` (absent keys left out).
    async fn read_keys(&self, keys: &[String]) -> Result<Vec<Stored>, StoreFault>;
    /// Keeps copies of unreadable values in the quarantine, each with the reason; the values
    /// themselves stay where they are.
    async fn quarantine(&self, items: &[(Stored, String)]) -> Result<(), StoreFault>;
    /// Removes every key under `prefixes` (a prefix ending in `/` is a key range, any other one
    /// exact key), if the value under `guard.key` is still exactly
    /// `guard.raw` (nobody wrote it since it was read). Returns whether it removed.
    async fn remove_if_unchanged(
        &self,
        guard: &Stored,
        prefixes: &[String],
    ) -> Result<bool, StoreFault>;
}

/// An in-memory [`RecordStore`] with the same merge rule; `capacity` (in stored bytes)
/// simulates the quota.
#[derive(Debug, Default)]
pub struct MemoryStore {
    records: RefCell<BTreeMap<String, String>>,
    quarantined: RefCell<Vec<(Stored, String)>>,
    /// When set, a commit that would make the stored bytes exceed it fails with
    /// [`StoreFault::Full`].
    pub capacity: Option<usize>,
}

impl MemoryStore {
    /// Every stored (key, value), in key order.
    pub fn dump(&self) -> BTreeMap<String, String> {
        self.records.borrow().clone()
    }

    /// Replaces a stored value as a broken write or another program would.
    pub fn plant(&self, key: &str, raw: &str) {
        self.records.borrow_mut().insert(key.into(), raw.into());
    }

    /// What was quarantined, in order.
    pub fn quarantined(&self) -> Vec<(Stored, String)> {
        self.quarantined.borrow().clone()
    }

    fn bytes(records: &BTreeMap<String, String>) -> usize {
        records.iter().map(|(k, v)| k.len() + v.len()).sum()
    }
}

impl RecordStore for MemoryStore {
    async fn commit(&self, records: &[Record]) -> Result<Vec<Record>, StoreFault> {
        let mut next = self.records.borrow().clone();
        let mut written = Vec::new();
        let mut quarantine = Vec::new();
        for record in records {
            let stored = next.get(&record.key).cloned();
            match decide(record, stored.as_deref()) {
                WriteDecision::NewerVersion => return Err(StoreFault::NewerVersion),
                WriteDecision::Keep => {}
                WriteDecision::Write => {
                    if let Some(raw) = stored.filter(|raw| Record::from_json(raw).is_err()) {
                        let key = record.key.clone();
                        quarantine.push((Stored { key, raw }, "replaced by a newer write".into()));
                    }
                    next.insert(record.key.clone(), record.to_json());
                    written.push(record.clone());
                }
            }
        }
        if self.capacity.is_some_and(|cap| Self::bytes(&next) > cap) {
            return Err(StoreFault::Full);
        }
        *self.records.borrow_mut() = next;
        self.quarantined.borrow_mut().extend(quarantine);
        Ok(written)
    }

    async fn read_prefix(&self, prefix: &str) -> Result<Vec<Stored>, StoreFault> {
        Ok(self
            .records
            .borrow()
            .range(prefix.to_owned()..)
            .take_while(|(key, _)| key.starts_with(prefix))
            .map(|(key, raw)| Stored {
                key: key.clone(),
                raw: raw.clone(),
            })
            .collect())
    }

    async fn read_keys(&self, keys: &[String]) -> Result<Vec<Stored>, StoreFault> {
        let records = self.records.borrow();
        Ok(keys
            .iter()
            .filter_map(|key| {
                records.get(key).map(|raw| Stored {
                    key: key.clone(),
                    raw: raw.clone(),
                })
            })
            .collect())
    }

    async fn quarantine(&self, items: &[(Stored, String)]) -> Result<(), StoreFault> {
        self.quarantined.borrow_mut().extend_from_slice(items);
        Ok(())
    }

    async fn remove_if_unchanged(
        &self,
        guard: &Stored,
        prefixes: &[String],
    ) -> Result<bool, StoreFault> {
        let mut records = self.records.borrow_mut();
        if records.get(&guard.key) != Some(&guard.raw) {
            return Ok(false);
        }
        records.retain(|key, _| {
            !prefixes.iter().any(|p| match p.ends_with('/') {
                true => key.starts_with(p.as_str()),
                false => key == p,
            })
        });
        Ok(true)
    }
}

/// Runs a future that never waits (the in-memory store's) to its end: for tests and native
/// callers of [`MemoryStore`].
pub fn ready<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut context) {
        std::task::Poll::Ready(output) => output,
        std::task::Poll::Pending => panic!("an in-memory store future waited"),
    }
}
