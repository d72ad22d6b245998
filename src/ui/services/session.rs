//! This tab's storage session: the IndexedDB records (none when IndexedDB is unavailable: the
//! tab then works unsaved and says so), the tab's replica of their revisions, and the channel
//! that announces its commits to the other tabs. Every write of the app goes through
//! [`Session::commit`].

use std::cell::RefCell;
use std::rc::Rc;

use super::clock;
use super::record_db::RecordDb;
use super::tab_channel::{Announcement, TabChannel};
use crate::persist::{Record, RecordStore, Replica, StoreFault, Write};

/// Shared by the hooks of one tab (cheap to clone).
#[derive(Clone)]
pub struct Session {
    /// The database, when it could be opened.
    pub db: Option<RecordDb>,
    /// What this tab knows of the stored records.
    pub replica: Rc<RefCell<Replica>>,
    /// The channel to the other tabs, once the app listens on it.
    pub channel: Rc<RefCell<Option<TabChannel>>>,
}

impl PartialEq for Session {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.replica, &other.replica)
    }
}

impl Session {
    /// A session for a new tab over `db`.
    pub fn new(db: Option<RecordDb>) -> Self {
        Self {
            db,
            replica: Rc::new(RefCell::new(Replica::new(clock::new_tab_id()))),
            channel: Rc::new(RefCell::new(None)),
        }
    }

    /// The database, or why there is none.
    pub fn db(&self) -> Result<&RecordDb, StoreFault> {
        self.db
            .as_ref()
            .ok_or_else(|| StoreFault::Unavailable("IndexedDB could not be opened".into()))
    }

    /// Stamps `writes` (those that change what is stored), commits them in one transaction
    /// and announces them. All or nothing: on a failure nothing is stored and the tab forgets
    /// them, so the next save writes them again. A tab that met a newer version writes nothing.
    pub async fn commit(&self, writes: Vec<Write>) -> Result<(), StoreFault> {
        let records = self.stamp(writes)?;
        self.commit_records(records).await
    }

    /// The records of `writes` that change what is stored, each with a fresh revision.
    pub fn stamp(&self, writes: Vec<Write>) -> Result<Vec<Record>, StoreFault> {
        let mut replica = self.replica.borrow_mut();
        if replica.newer_version_seen {
            return Err(StoreFault::NewerVersion);
        }
        Ok(replica.stamp(writes, clock::now_ms()))
    }

    /// Commits records already stamped, and announces them.
    pub async fn commit_records(&self, records: Vec<Record>) -> Result<(), StoreFault> {
        if records.is_empty() {
            return Ok(());
        }
        let result = match self.db() {
            Ok(db) => db.commit(&records).await,
            Err(fault) => Err(fault),
        };
        match result {
            Ok(_) => {
                let keys = records.into_iter().map(|r| r.key).collect();
                self.announce(keys);
                Ok(())
            }
            Err(fault) => {
                let mut replica = self.replica.borrow_mut();
                replica.forget(records.iter().map(|r| &r.key));
                if fault == StoreFault::NewerVersion {
                    replica.newer_version_seen = true;
                }
                Err(fault)
            }
        }
    }

    /// Tells the other tabs that `keys` were committed.
    pub fn announce(&self, keys: Vec<String>) {
        if let Some(channel) = self.channel.borrow().as_ref() {
            let tab = self.replica.borrow().tab();
            channel.announce(&Announcement { tab, keys });
        }
    }
}
