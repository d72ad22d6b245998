//! Reading the library and a document back from a [`RecordStore`], record by record: what
//! cannot be read is copied into the quarantine and reported, and everything else loads.
//! Also turns records announced by another tab into changes of this tab's state.

use std::cell::RefCell;
use std::collections::HashMap;

use super::record::{
    document_prefixes, Decoded, DocumentRecord, LabelRecord, Record, RecordKey, RelationTypeRecord,
};
use super::replica::Replica;
use super::store::{RecordStore, StoreFault, Stored};
use super::Revision;
use crate::model::sync::RemoteChange;
use crate::model::{
    AnnotationStore, Command, DeletedDocument, History, LabelSet, Library, LibraryEntry,
};

/// A stored value that could not be read: kept in the quarantine (and where it was).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// Its key.
    pub key: String,
    /// Why.
    pub reason: String,
}

/// Which records a read returns.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Take {
    /// Every readable one (loading: the tab shows what is stored).
    All,
    /// Only those newer than what the tab holds (another tab's announced change).
    Newer,
}

/// A read's records, decoded, and the values that could not be.
type Sorted = (Vec<(Record, Decoded, Stored)>, Vec<(Stored, String)>);

/// Decodes and registers each stored value with the replica (synchronously: the tab's saves
/// use the replica between awaits). Values of a newer schema are skipped (the replica turns
/// read-only).
fn sort_records(replica: &mut Replica, stored: Vec<Stored>, take: Take) -> Sorted {
    let mut records = Vec::with_capacity(stored.len());
    let mut bad = Vec::new();
    for item in stored {
        let decoded = Record::from_json(&item.raw).and_then(|record| {
            let decoded = record.decode();
            decoded.map(|decoded| (record, decoded))
        });
        match decoded {
            Ok((record, decoded)) => {
                let newer = replica.take_if_newer(&record);
                if record.schema <= super::SCHEMA && (newer || take == Take::All) {
                    records.push((record, decoded, item));
                }
            }
            Err(_) if is_newer_schema(&item.raw) => replica.newer_version_seen = true,
            Err(reason) => bad.push((item, reason)),
        }
    }
    (records, bad)
}

/// [`sort_records`], then the unreadable values quarantined and reported.
async fn read_records<S: RecordStore>(
    db: &S,
    replica: &RefCell<Replica>,
    stored: Vec<Stored>,
    take: Take,
    unreadable: &mut Vec<Unreadable>,
) -> Result<Vec<(Record, Decoded, Stored)>, StoreFault> {
    let (records, bad) = sort_records(&mut replica.borrow_mut(), stored, take);
    if !bad.is_empty() {
        db.quarantine(&bad).await?;
        unreadable.extend(bad.into_iter().map(|(item, reason)| Unreadable {
            key: item.key,
            reason,
        }));
    }
    Ok(records)
}

/// True when a value that this version cannot decode was written by a newer schema.
fn is_newer_schema(raw: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Header {
        schema: u32,
    }
    serde_json::from_str::<Header>(raw).is_ok_and(|h| h.schema > super::SCHEMA)
}

/// The library as stored.
#[derive(Debug, Default)]
pub struct LoadedLibrary {
    /// Documents, labels, and the deletion that can be undone (`current` is a setting, not
    /// stored here).
    pub library: Library,
    /// Documents deleted before the last deletion, to purge: each with its entry as read,
    /// which guards the purge (see [`purge`]).
    pub to_purge: Vec<(String, Stored)>,
    /// What could not be read.
    pub unreadable: Vec<Unreadable>,
}

/// Reads the library: every document entry, its count, the labels.
pub async fn load_library<S: RecordStore>(
    db: &S,
    replica: &RefCell<Replica>,
) -> Result<LoadedLibrary, StoreFault> {
    let mut loaded = LoadedLibrary::default();
    let mut entries: Vec<(String, DocumentRecord, Revision, Stored)> = Vec::new();
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut labels: Vec<LabelRecord> = Vec::new();
    let mut relation_types: Vec<RelationTypeRecord> = Vec::new();
    for prefix in ["doc/", "count/", "label/", "reltype/", ""] {
        // "": the library's single records.
        let stored = match prefix {
            "" => {
                let keys = [RecordKey::Annotator, RecordKey::Patterns].map(|k| k.encode());
                db.read_keys(&keys).await?
            }
            prefix => db.read_prefix(prefix).await?,
        };
        for (record, decoded, item) in
            read_records(db, replica, stored, Take::All, &mut loaded.unreadable).await?
        {
            match decoded {
                Decoded::Document(id, entry) => entries.push((id, entry, record.rev, item)),
                Decoded::Count(id, count) => {
                    counts.insert(id, count);
                }
                Decoded::Label(label) => labels.push(label),
                Decoded::RelationType(kind) => relation_types.push(kind),
                Decoded::Annotator(name) => loaded.library.annotator = name,
                Decoded::Patterns(patterns) => loaded.library.patterns = patterns,
                _ => {}
            }
        }
    }
    labels.sort_by_key(|l| l.order);
    relation_types.sort_by_key(|t| t.order);
    loaded.library.labels = LabelSet::from_stored(
        labels.into_iter().map(|l| l.label),
        relation_types.into_iter().map(|t| t.kind),
    );
    entries.sort_by(|a, b| (a.1.order, &a.0).cmp(&(b.1.order, &b.0)));
    let last_trashed = entries
        .iter()
        .filter(|(_, entry, ..)| entry.trashed)
        .max_by_key(|(_, _, rev, _)| *rev)
        .map(|(id, ..)| id.clone());
    for (position, (id, entry, _, item)) in entries.into_iter().enumerate() {
        let library_entry = LibraryEntry {
            count: counts.get(&id).copied().unwrap_or(0),
            id: id.clone(),
            name: entry.name,
            done: entry.done,
            order: entry.order,
        };
        if !entry.trashed {
            loaded.library.documents.push(library_entry);
        } else if Some(&id) == last_trashed.as_ref() {
            loaded.library.deleted = Some(DeletedDocument {
                entry: library_entry,
                position,
            });
        } else {
            loaded.to_purge.push((id, item));
        }
    }
    Ok(loaded)
}

/// Removes everything stored for document `id`, unless its entry changed since `guard` was
/// read (another tab restored it, or is working on it): then nothing is removed.
pub async fn purge<S: RecordStore>(db: &S, id: &str, guard: &Stored) -> Result<bool, StoreFault> {
    db.remove_if_unchanged(guard, &document_prefixes(id)).await
}

/// A document's stored text, annotations, orphans and undo history.
#[derive(Debug, Default)]
pub struct LoadedDocument {
    /// Its text (`None` when not stored).
    pub text: Option<String>,
    /// Its annotations and orphans.
    pub store: AnnotationStore,
    /// Its undo history.
    pub history: History,
    /// Stored annotations that do not fit the text, and relations whose ends are not in the
    /// document (an end deleted in another tab as the relation was made): kept in storage, not
    /// shown.
    pub misfits: usize,
    /// What could not be read.
    pub unreadable: Vec<Unreadable>,
    /// Its tombstones (deleted annotations and orphans), each as stored: see
    /// [`expired_tombstones`].
    pub tombstones: Vec<(Revision, Stored)>,
}

/// How long a tombstone is kept, in ms: 7 days. A tombstone only matters against a write of the
/// same record with a lower revision that has not landed yet (a commit in flight, a tab asleep
/// with unsaved work); a week is far longer than either, and an edit made after it would win
/// over the tombstone anyway (its revision is higher).
pub const TOMBSTONE_LIFETIME_MS: u64 = 7 * 24 * 60 * 60 * 1000;

/// The tombstones older than [`TOMBSTONE_LIFETIME_MS`] at `now_ms`: no tab can still need them.
pub fn expired_tombstones(tombstones: &[(Revision, Stored)], now_ms: u64) -> Vec<Stored> {
    tombstones
        .iter()
        .filter(|(rev, _)| rev.time.saturating_add(TOMBSTONE_LIFETIME_MS) < now_ms)
        .map(|(_, stored)| stored.clone())
        .collect()
}

/// Removes each expired tombstone, unless it was written again since it was read (one
/// transaction each: a tombstone replaced meanwhile is left). Returns how many went.
pub async fn collect_tombstones<S: RecordStore>(
    db: &S,
    expired: &[Stored],
) -> Result<usize, StoreFault> {
    let mut removed = 0;
    for tombstone in expired {
        if db
            .remove_if_unchanged(tombstone, std::slice::from_ref(&tombstone.key))
            .await?
        {
            removed += 1;
        }
    }
    Ok(removed)
}

/// Reads document `id`. Its annotations are applied one by one, so one that does not fit the
/// text costs only itself (it stays stored, untouched).
pub async fn load_document<S: RecordStore>(
    db: &S,
    replica: &RefCell<Replica>,
    id: &str,
) -> Result<LoadedDocument, StoreFault> {
    let mut loaded = LoadedDocument::default();
    let keys = [
        RecordKey::Text(id.into()).encode(),
        RecordKey::History(id.into()).encode(),
    ];
    let mut stored = db.read_keys(&keys).await?;
    for prefix in [
        format!("ann/{id}/"),
        format!("orphan/{id}/"),
        format!("rel/{id}/"),
        format!("reject/{id}/"),
    ] {
        stored.extend(db.read_prefix(&prefix).await?);
    }
    let records = read_records(db, replica, stored, Take::All, &mut loaded.unreadable).await?;
    let (mut commands, mut relations) = (Vec::new(), Vec::new());
    for (record, decoded, item) in records {
        if record.deleted {
            loaded.tombstones.push((record.rev, item));
            continue;
        }
        match decoded {
            Decoded::Text(_, text) => loaded.text = Some(text),
            Decoded::History(_, history) => loaded.history = history,
            Decoded::Annotation(_, annotation) => commands.push(Command::Create { annotation }),
            Decoded::Orphan(_, orphan) => commands.push(Command::AddOrphan { orphan }),
            Decoded::Relation(_, relation) => {
                relations.push(Command::CreateRelation { relation });
            }
            Decoded::Rejection(_, span, tag, true) => commands.push(Command::Reject { span, tag }),
            _ => {}
        }
    }
    let text_len = loaded.text.as_deref().map_or(0, |t| t.chars().count());
    loaded.store = AnnotationStore::new(text_len);
    // Relations after every annotation and orphan: their ends must be there.
    for command in commands.into_iter().chain(relations) {
        if loaded.store.apply(command).is_err() {
            loaded.misfits += 1;
        }
    }
    Ok(loaded)
}

/// Another tab's records, as changes of this tab's state.
#[derive(Debug, Default)]
pub struct Incoming {
    /// Changes of the current document's annotations and orphans.
    pub change: RemoteChange,
    /// Entries added, renamed, marked done, trashed or restored.
    pub entries: Vec<(String, DocumentRecord)>,
    /// New annotation counts.
    pub counts: Vec<(String, usize)>,
    /// Labels changed or added.
    pub labels: Vec<LabelRecord>,
    /// Relation types changed or added.
    pub relation_types: Vec<RelationTypeRecord>,
    /// The annotator name, when another tab changed it.
    pub annotator: Option<String>,
    /// The pattern file, when another tab loaded one.
    pub patterns: Option<String>,
}

/// Reads the records under `keys` (another tab committed them) and keeps those newer than
/// what this tab holds, as changes for document `current`.
pub async fn read_incoming<S: RecordStore>(
    db: &S,
    replica: &RefCell<Replica>,
    keys: &[String],
    current: &str,
) -> Result<(Incoming, Vec<Unreadable>), StoreFault> {
    let stored = db.read_keys(keys).await?;
    let mut unreadable = Vec::new();
    let mut incoming = Incoming::default();
    for (_, decoded, _) in read_records(db, replica, stored, Take::Newer, &mut unreadable).await? {
        let change = &mut incoming.change;
        match decoded {
            Decoded::Annotation(doc, a) if doc == current => change.upserts.push(a),
            Decoded::AnnotationGone(doc, id) if doc == current => change.deletes.push(id),
            Decoded::Orphan(doc, o) if doc == current => change.orphan_upserts.push(o),
            Decoded::OrphanGone(doc, id) if doc == current => change.orphan_deletes.push(id),
            Decoded::Relation(doc, r) if doc == current => change.relation_upserts.push(r),
            Decoded::RelationGone(doc, id) if doc == current => change.relation_deletes.push(id),
            Decoded::Rejection(doc, span, tag, stands) if doc == current => {
                change.rejections.push((span, tag, stands));
            }
            Decoded::RelationType(kind) => incoming.relation_types.push(kind),
            Decoded::Annotator(name) => incoming.annotator = Some(name),
            Decoded::Patterns(patterns) => incoming.patterns = Some(patterns),
            Decoded::Document(id, entry) => incoming.entries.push((id, entry)),
            Decoded::Count(id, count) => incoming.counts.push((id, count)),
            Decoded::Label(label) => incoming.labels.push(label),
            _ => {}
        }
    }
    Ok((incoming, unreadable))
}

/// What taking another tab's library changes tells the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LibraryNotice {
    /// Another tab deleted this document (not the one open here); Undo brings it back.
    DeletedElsewhere(String),
}

impl Incoming {
    /// Another tab deleted document `open`, which this tab has open: the tab keeps it. Returns
    /// the write that restores its entry (to commit at once: its revision outranks the
    /// deletion, so a purge guarded by the trashed entry removes nothing) and its name.
    pub fn keep_open(&mut self, open: &str) -> Option<(super::Write, String)> {
        let (id, record) = self
            .entries
            .iter_mut()
            .find(|(id, e)| id == open && e.trashed)?;
        record.trashed = false;
        let write = super::Write::put(RecordKey::Document(id.clone()), &*record);
        Some((write, record.name.clone()))
    }

    /// Lays the entries, counts and labels of another tab over `library`, whose current
    /// document is `open` (with its live count, which stays). An entry trashed elsewhere
    /// becomes the deletion that can be undone; one restored elsewhere comes back. O(entries
    /// × documents) for the few entries one commit brings.
    pub fn apply_to_library(&self, library: &mut Library, open: &str) -> Vec<LibraryNotice> {
        let mut notices = Vec::new();
        let counts: HashMap<&str, usize> = self
            .counts
            .iter()
            .map(|(id, n)| (id.as_str(), *n))
            .collect();
        for (id, record) in self.entries.iter().cloned() {
            let listed = library
                .documents
                .iter()
                .chain(library.deleted.iter().map(|d| &d.entry));
            let known_count = listed.clone().find(|e| e.id == id).map(|e| e.count);
            let entry = LibraryEntry {
                count: counts
                    .get(id.as_str())
                    .copied()
                    .or(known_count)
                    .unwrap_or(0),
                id: id.clone(),
                name: record.name,
                done: record.done,
                order: record.order,
            };
            library.documents.retain(|e| e.id != id);
            if record.trashed && id != open {
                let position = library
                    .documents
                    .partition_point(|e| (e.order, &e.id) < (entry.order, &entry.id));
                notices.push(LibraryNotice::DeletedElsewhere(entry.name.clone()));
                library.deleted = Some(DeletedDocument { entry, position });
            } else {
                if library.deleted.as_ref().is_some_and(|d| d.entry.id == id) {
                    library.deleted = None;
                }
                library.upsert(entry);
            }
        }
        for entry in library
            .documents
            .iter_mut()
            .chain(library.deleted.iter_mut().map(|d| &mut d.entry))
        {
            if let Some(count) = counts.get(entry.id.as_str()).filter(|_| entry.id != open) {
                entry.count = *count;
            }
        }
        let mut labels = self.labels.clone();
        labels.sort_by_key(|l| l.order);
        for label in labels {
            library.labels.put_stored(label.label);
        }
        if let Some(name) = &self.annotator {
            library.annotator = name.clone();
        }
        if let Some(patterns) = &self.patterns {
            library.patterns = patterns.clone();
        }
        let mut relation_types = self.relation_types.clone();
        relation_types.sort_by_key(|t| t.order);
        for kind in relation_types {
            library.labels.put_stored_relation_type(kind.kind);
        }
        notices
    }
}
