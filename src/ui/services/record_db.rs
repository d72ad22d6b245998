//! The IndexedDB adapter of [`RecordStore`]: database `marginalia-records`, object store
//! `records` (the record's JSON under its key) and `quarantine` (unreadable values with why).
//! Each call is one IndexedDB transaction, so a change of many records is all or nothing by
//! construction (a quota error aborts it whole). Built on the `idb` crate: thin, futures-based
//! bindings over web-sys that keep a transaction alive across awaits on its own requests, which
//! the read-compare-write of [`decide`] needs.

use std::rc::Rc;

use idb::{
    Database, DatabaseEvent, Factory, KeyRange, ObjectStoreParams, Query, TransactionMode,
    TransactionResult,
};
use wasm_bindgen::JsValue;
use web_sys::IdbTransaction;

use crate::persist::record::{decide, WriteDecision};
use crate::persist::{Record, RecordStore, StoreFault, Stored};

const DATABASE: &str = "marginalia-records";
const RECORDS: &str = "records";
const QUARANTINE: &str = "quarantine";

/// An open database (cheap to clone: one connection shared).
#[derive(Clone)]
pub struct RecordDb {
    database: Rc<Database>,
}

impl PartialEq for RecordDb {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.database, &other.database)
    }
}

fn failed(error: idb::Error) -> StoreFault {
    StoreFault::Failed(error.to_string())
}

/// The fault an aborted transaction reports: the quota, or what the browser said.
fn aborted(transaction: &IdbTransaction) -> StoreFault {
    match transaction.error().map(|e| e.name()) {
        Some(name) if name == "QuotaExceededError" => StoreFault::Full,
        Some(name) => StoreFault::Failed(name),
        None => StoreFault::Failed("the transaction was aborted".into()),
    }
}

/// The keys from `prefix` up to the last key that starts with it.
fn prefix_range(prefix: &str) -> Result<Query, StoreFault> {
    let upper = format!("{prefix}\u{10FFFF}");
    KeyRange::bound(
        &JsValue::from_str(prefix),
        &JsValue::from_str(&upper),
        Some(false),
        Some(false),
    )
    .map(Query::from)
    .map_err(failed)
}

impl RecordDb {
    /// Opens (and on first use creates) the database.
    pub async fn open() -> Result<Self, StoreFault> {
        let factory = Factory::new().map_err(|e| StoreFault::Unavailable(e.to_string()))?;
        let mut request = factory
            .open(DATABASE, Some(1))
            .map_err(|e| StoreFault::Unavailable(e.to_string()))?;
        request.on_upgrade_needed(|event| {
            if let Ok(database) = event.database() {
                let _ = database.create_object_store(RECORDS, ObjectStoreParams::new());
                let mut quarantine = ObjectStoreParams::new();
                quarantine.auto_increment(true);
                let _ = database.create_object_store(QUARANTINE, quarantine);
            }
        });
        let database = request
            .await
            .map_err(|e| StoreFault::Unavailable(e.to_string()))?;
        Ok(Self {
            database: Rc::new(database),
        })
    }

    async fn read(&self, query: Query) -> Result<Vec<Stored>, StoreFault> {
        let transaction = self
            .database
            .transaction(&[RECORDS], TransactionMode::ReadOnly)
            .map_err(failed)?;
        let store = transaction.object_store(RECORDS).map_err(failed)?;
        let keys = store
            .get_all_keys(Some(query.clone()), None)
            .map_err(failed)?;
        let values = store.get_all(Some(query), None).map_err(failed)?;
        let (keys, values) = (keys.await.map_err(failed)?, values.await.map_err(failed)?);
        Ok(keys
            .into_iter()
            .zip(values)
            .filter_map(|(key, value)| {
                Some(Stored {
                    key: key.as_string()?,
                    raw: value.as_string().unwrap_or_default(),
                })
            })
            .collect())
    }
}

/// Runs `work` inside `transaction`, aborting the transaction when it fails: a request
/// refused half-way (a put that throws) must not let the puts before it commit.
async fn all_or_nothing<T>(
    transaction: &IdbTransaction,
    work: impl std::future::Future<Output = Result<T, StoreFault>>,
) -> Result<T, StoreFault> {
    let result = work.await;
    if result.is_err() {
        let _ = transaction.abort();
    }
    result
}

/// Within a transaction: each record whose revision is newer than the stored one's is
/// written (an unreadable stored value is first copied into the quarantine). Returns them.
async fn write_newer(
    store: &idb::ObjectStore,
    quarantine: &idb::ObjectStore,
    records: &[Record],
) -> Result<Vec<Record>, StoreFault> {
    // Every read is issued at once; the decisions and writes follow in request order,
    // within the same transaction.
    let mut reads = Vec::with_capacity(records.len());
    for record in records {
        reads.push(store.get(JsValue::from_str(&record.key)).map_err(failed)?);
    }
    let mut written = Vec::new();
    for (record, read) in records.iter().zip(reads) {
        let stored = read.await.map_err(failed)?.and_then(|v| v.as_string());
        match decide(record, stored.as_deref()) {
            WriteDecision::Keep => {}
            WriteDecision::NewerVersion => return Err(StoreFault::NewerVersion),
            WriteDecision::Write => {
                if let Some(stored) = stored.filter(|s| Record::from_json(s).is_err()) {
                    let kept = js_sys::Array::of3(
                        &JsValue::from_str(&record.key),
                        &JsValue::from_str(&stored),
                        &JsValue::from_str("replaced by a newer write"),
                    );
                    quarantine.add(&kept, None).map_err(failed)?;
                }
                let key = JsValue::from_str(&record.key);
                store
                    .put(&JsValue::from_str(&record.to_json()), Some(&key))
                    .map_err(failed)?;
                written.push(record.clone());
            }
        }
    }
    Ok(written)
}

impl RecordStore for RecordDb {
    async fn commit(&self, records: &[Record]) -> Result<Vec<Record>, StoreFault> {
        let transaction = self
            .database
            .transaction(&[RECORDS, QUARANTINE], TransactionMode::ReadWrite)
            .map_err(failed)?;
        let store = transaction.object_store(RECORDS).map_err(failed)?;
        let quarantine = transaction.object_store(QUARANTINE).map_err(failed)?;
        let raw: IdbTransaction = store.transaction().into();
        let written = all_or_nothing(&raw, write_newer(&store, &quarantine, records)).await?;
        match transaction.await {
            Ok(TransactionResult::Committed) => Ok(written),
            Ok(TransactionResult::Aborted) | Err(_) => Err(aborted(&raw)),
        }
    }

    async fn read_prefix(&self, prefix: &str) -> Result<Vec<Stored>, StoreFault> {
        self.read(prefix_range(prefix)?).await
    }

    async fn read_keys(&self, keys: &[String]) -> Result<Vec<Stored>, StoreFault> {
        let transaction = self
            .database
            .transaction(&[RECORDS], TransactionMode::ReadOnly)
            .map_err(failed)?;
        let store = transaction.object_store(RECORDS).map_err(failed)?;
        let mut reads = Vec::with_capacity(keys.len());
        for key in keys {
            reads.push(store.get(JsValue::from_str(key)).map_err(failed)?);
        }
        let mut found = Vec::new();
        for (key, read) in keys.iter().zip(reads) {
            if let Some(raw) = read.await.map_err(failed)?.and_then(|v| v.as_string()) {
                found.push(Stored {
                    key: key.clone(),
                    raw,
                });
            }
        }
        Ok(found)
    }

    async fn quarantine(&self, items: &[(Stored, String)]) -> Result<(), StoreFault> {
        let transaction = self
            .database
            .transaction(&[QUARANTINE], TransactionMode::ReadWrite)
            .map_err(failed)?;
        let store = transaction.object_store(QUARANTINE).map_err(failed)?;
        let raw: IdbTransaction = store.transaction().into();
        for (item, reason) in items {
            let kept = js_sys::Array::of3(
                &JsValue::from_str(&item.key),
                &JsValue::from_str(&item.raw),
                &JsValue::from_str(reason),
            );
            store.add(&kept, None).map_err(failed)?;
        }
        match transaction.await {
            Ok(TransactionResult::Committed) => Ok(()),
            _ => Err(aborted(&raw)),
        }
    }

    async fn remove_if_unchanged(
        &self,
        guard: &Stored,
        prefixes: &[String],
    ) -> Result<bool, StoreFault> {
        let transaction = self
            .database
            .transaction(&[RECORDS], TransactionMode::ReadWrite)
            .map_err(failed)?;
        let store = transaction.object_store(RECORDS).map_err(failed)?;
        let raw: IdbTransaction = store.transaction().into();
        let removed = all_or_nothing(&raw, async {
            let now = store
                .get(JsValue::from_str(&guard.key))
                .map_err(failed)?
                .await
                .map_err(failed)?
                .and_then(|v| v.as_string());
            if now.as_deref() != Some(guard.raw.as_str()) {
                return Ok(false);
            }
            for prefix in prefixes {
                // A prefix ending in `/` is a range; any other is one exact key.
                let query = if prefix.ends_with('/') {
                    prefix_range(prefix)?
                } else {
                    Query::from(JsValue::from_str(prefix))
                };
                store.delete(query).map_err(failed)?;
            }
            Ok(true)
        })
        .await?;
        if !removed {
            let _ = raw.abort();
            return Ok(false);
        }
        match transaction.await {
            Ok(TransactionResult::Committed) => Ok(true),
            _ => Err(aborted(&raw)),
        }
    }
}
