//! One tab's side of the records: the revision of every record it shows, so that a record
//! read back or announced by another tab is applied only when it is newer than what the tab
//! holds, and the writes of this tab's changes, stamped with revisions above all it has seen.

use std::collections::HashMap;

use serde::Serialize;

use super::record::{Record, RecordKey, SCHEMA};
use super::{Clock, Revision};

/// A change to one record, before it gets a revision.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    /// The record takes this value.
    Put(RecordKey, serde_json::Value),
    /// The record becomes a tombstone.
    Delete(RecordKey),
}

impl Write {
    /// A put of `value` (a model value, which always serialises).
    pub fn put(key: RecordKey, value: &impl Serialize) -> Self {
        Self::Put(
            key,
            serde_json::to_value(value).expect("model values serialise"),
        )
    }

    /// The key written.
    pub fn key(&self) -> &RecordKey {
        match self {
            Self::Put(key, _) | Self::Delete(key) => key,
        }
    }
}

/// What a tab knows of one record: its revision and a hash of its value (0 for a tombstone).
type Known = (Revision, u64);

/// A hash of a record's value as stored (its JSON; a tombstone hashes to 0).
fn value_hash(value: Option<&serde_json::Value>) -> u64 {
    use std::hash::{Hash, Hasher};
    let Some(value) = value else { return 0 };
    let mut hasher = rustc_hash::FxHasher::default();
    value.to_string().hash(&mut hasher);
    hasher.finish() | 1
}

/// The revisions (and value hashes) a tab knows, and its clock.
#[derive(Debug, Clone)]
pub struct Replica {
    clock: Clock,
    known: HashMap<String, Known>,
    /// Set once a record of a newer schema was met: the tab must not write any more.
    pub newer_version_seen: bool,
}

impl Replica {
    /// The replica of tab `tab` (a random id), knowing nothing yet.
    pub fn new(tab: u64) -> Self {
        Self {
            clock: Clock::new(tab),
            known: HashMap::new(),
            newer_version_seen: false,
        }
    }

    /// This tab's id.
    pub fn tab(&self) -> u64 {
        self.clock.tab()
    }

    /// Records for `writes`, each with a fresh revision (`now_ms`: wall time), now known here.
    /// A write of the value the tab already knows for its key (another tab's change it just
    /// took, or its own write repeated) gives no record: a save never echoes what is stored.
    pub fn stamp(&mut self, writes: Vec<Write>, now_ms: u64) -> Vec<Record> {
        let mut records = Vec::with_capacity(writes.len());
        for write in writes {
            let key = write.key().encode();
            let hash = match &write {
                Write::Put(_, value) => value_hash(Some(value)),
                Write::Delete(_) => 0,
            };
            if self
                .known
                .get(&key)
                .is_some_and(|(_, known)| *known == hash)
            {
                continue;
            }
            let record = self.record(write, now_ms);
            self.known.insert(key, (record.rev, hash));
            records.push(record);
        }
        records
    }

    /// A record for `write` with a fresh revision, not taken as known (so this tab applies it
    /// like another tab's when it reads it back: a change bridged from an old version's tab).
    pub fn record(&mut self, write: Write, now_ms: u64) -> Record {
        let rev = self.clock.tick(now_ms);
        match write {
            Write::Put(key, value) => Record {
                key: key.encode(),
                rev,
                schema: SCHEMA,
                deleted: false,
                value,
            },
            Write::Delete(key) => Record::tombstone(&key, rev),
        }
    }

    /// Forgets what the tab knows of `keys` (their write failed: the next save writes them).
    pub fn forget<'a>(&mut self, keys: impl IntoIterator<Item = &'a String>) {
        for key in keys {
            self.known.remove(key);
        }
    }

    /// True (and the record is now known) when `record` is newer than what the tab holds
    /// under its key; a record of a newer schema is never taken, and marks the tab read-only.
    pub fn take_if_newer(&mut self, record: &Record) -> bool {
        self.clock.observe(record.rev);
        if record.schema > SCHEMA {
            self.newer_version_seen = true;
            return false;
        }
        match self.known.get(&record.key) {
            Some((known, _)) if *known >= record.rev => false,
            _ => {
                let value = (!record.deleted).then_some(&record.value);
                self.known
                    .insert(record.key.clone(), (record.rev, value_hash(value)));
                true
            }
        }
    }

    /// Forgets the revisions of document `doc`'s records (another document became current);
    /// its library entry and count stay known.
    pub fn forget_document(&mut self, doc: &str) {
        self.known.retain(|key, _| {
            !matches!(
                RecordKey::decode(key),
                Some(RecordKey::Annotation(d, _) | RecordKey::Orphan(d, _) | RecordKey::History(d) | RecordKey::Text(d))
                    if d == doc
            )
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_taken_once_and_an_older_one_never() {
        let mut replica = Replica::new(1);
        let key = RecordKey::Count("d".into());
        let mine = replica
            .stamp(vec![Write::put(key.clone(), &3usize)], 100)
            .remove(0);
        assert!(!replica.take_if_newer(&mine));
        // The same value again is no write at all.
        assert!(replica
            .stamp(vec![Write::put(key.clone(), &3usize)], 100)
            .is_empty());
        let theirs = Record::put(&key, Revision { time: 200, tab: 2 }, &4usize);
        assert!(replica.take_if_newer(&theirs));
        assert!(!replica.take_if_newer(&theirs));
        // Having taken their value, saving it again (the state now holds it) writes nothing.
        assert!(replica
            .stamp(vec![Write::put(key.clone(), &4usize)], 100)
            .is_empty());
        // The next write of this tab is above what it took.
        let next = replica.stamp(vec![Write::put(key, &5usize)], 100).remove(0);
        assert!(next.rev > theirs.rev);
    }

    #[test]
    fn a_newer_schema_makes_the_tab_read_only() {
        let mut replica = Replica::new(1);
        let mut record = Record::put(
            &RecordKey::Count("d".into()),
            Revision { time: 1, tab: 2 },
            &1usize,
        );
        record.schema = SCHEMA + 1;
        assert!(!replica.take_if_newer(&record));
        assert!(replica.newer_version_seen);
    }
}
