//! What to write for a change of the tab's state: only the records whose values differ from
//! what was saved last, so a save costs the change, not the document. Annotations and orphans
//! are shared (`Rc`), so "unchanged" is a pointer comparison: O(n) pointer checks, and
//! serialisation only of what changed.

use std::collections::HashMap;
use std::rc::Rc;

use super::record::{rejection_key, DocumentRecord, LabelRecord, RecordKey, RelationTypeRecord};
use super::replica::Write;
use crate::model::{AnnotationStore, History, Library};

/// Writes for document `doc`'s annotations, orphans, relations and rejections going from `before` (what was saved
/// last; `None`: nothing yet) to `after`: a put for each new or changed one, a tombstone for
/// each one gone.
pub fn document_writes(
    doc: &str,
    before: Option<&AnnotationStore>,
    after: &AnnotationStore,
) -> Vec<Write> {
    let mut writes = Vec::new();
    let annotation_key =
        |id: &crate::model::AnnotationId| RecordKey::Annotation(doc.to_owned(), id.clone());
    for annotation in after.iter() {
        let same = before
            .and_then(|b| b.get(&annotation.id))
            .is_some_and(|old| Rc::ptr_eq(old, annotation));
        if !same {
            writes.push(Write::put(annotation_key(&annotation.id), &**annotation));
        }
    }
    if let Some(before) = before {
        for annotation in before.iter().filter(|a| after.get(&a.id).is_none()) {
            writes.push(Write::Delete(annotation_key(&annotation.id)));
        }
    }
    let orphan_key =
        |id: &crate::model::AnnotationId| RecordKey::Orphan(doc.to_owned(), id.clone());
    for orphan in after.orphans() {
        let same = before
            .and_then(|b| b.orphan(&orphan.annotation.id))
            .is_some_and(|old| Rc::ptr_eq(old, orphan));
        if !same {
            writes.push(Write::put(orphan_key(&orphan.annotation.id), &**orphan));
        }
    }
    if let Some(before) = before {
        for orphan in before.orphans() {
            if after.orphan(&orphan.annotation.id).is_none() {
                writes.push(Write::Delete(orphan_key(&orphan.annotation.id)));
            }
        }
    }
    let relation_key =
        |id: &crate::model::RelationId| RecordKey::Relation(doc.to_owned(), id.clone());
    for relation in after.relations() {
        let same = before
            .and_then(|b| b.relation(&relation.id))
            .is_some_and(|old| Rc::ptr_eq(old, relation));
        if !same {
            writes.push(Write::put(relation_key(&relation.id), &**relation));
        }
    }
    if let Some(before) = before {
        for relation in before.relations() {
            if after.relation(&relation.id).is_none() {
                writes.push(Write::Delete(relation_key(&relation.id)));
            }
        }
    }
    let unchanged = |b: &AnnotationStore| b.rejections() == after.rejections();
    if !before.is_some_and(unchanged) {
        let old = before.map(|b| b.rejections().clone()).unwrap_or_default();
        for (span, tag) in after.rejections().iter() {
            if !old.contains(*span, tag) {
                writes.push(Write::put(rejection_key(doc, *span, tag), &(span, tag)));
            }
        }
        for (span, tag) in old.iter() {
            if !after.rejections().contains(*span, tag) {
                writes.push(Write::Delete(rejection_key(doc, *span, tag)));
            }
        }
    }
    if before.is_none_or(|b| b.len() != after.len()) {
        writes.push(Write::put(RecordKey::Count(doc.to_owned()), &after.len()));
    }
    writes
}

/// The write of document `doc`'s undo history.
pub fn history_write(doc: &str, history: &History) -> Write {
    Write::put(RecordKey::History(doc.to_owned()), history)
}

/// The entry records a library implies: its documents, and the deleted one as trashed.
fn entries(library: &Library) -> HashMap<&str, DocumentRecord> {
    let listed = library.documents.iter().map(|e| (e, false));
    let trashed = library.deleted.iter().map(|d| (&d.entry, true));
    listed
        .chain(trashed)
        .map(|(entry, trashed)| {
            let record = DocumentRecord {
                name: entry.name.clone(),
                done: entry.done,
                trashed,
                order: entry.order,
            };
            (entry.id.as_str(), record)
        })
        .collect()
}

/// Writes for the library going from `before` to `after`: entries whose name, done mark,
/// order or trashed state changed; labels and relation types that changed or moved. Counts are not written here:
/// only the tab that has a document open knows its count ([`document_writes`]), and another
/// tab's copy of it may be stale. An entry
/// missing from `after` writes nothing (it was purged, which removes its records). O(documents
/// + labels²) for the labels' small set.
pub fn library_writes(before: Option<&Library>, after: &Library) -> Vec<Write> {
    let mut writes = Vec::new();
    let old = before.map(entries).unwrap_or_default();
    for (id, record) in entries(after) {
        if old.get(id) != Some(&record) {
            writes.push(Write::put(RecordKey::Document(id.to_owned()), &record));
        }
    }
    let old_labels = before.map(|b| b.labels.all()).unwrap_or_default();
    for (order, label) in after.labels.all().iter().enumerate() {
        if old_labels.get(order) != Some(label) {
            let record = LabelRecord {
                label: label.clone(),
                order,
            };
            writes.push(Write::put(RecordKey::Label(label.tag.to_string()), &record));
        }
    }
    if before.is_none_or(|b| b.annotator != after.annotator) && !after.annotator.is_empty() {
        writes.push(Write::put(RecordKey::Annotator, &after.annotator));
    }
    if before.is_none_or(|b| b.patterns != after.patterns) && !after.patterns.is_empty() {
        writes.push(Write::put(RecordKey::Patterns, &after.patterns));
    }
    let old_types = before
        .map(|b| b.labels.relation_types())
        .unwrap_or_default();
    for (order, kind) in after.labels.relation_types().iter().enumerate() {
        if old_types.get(order) != Some(kind) {
            let record = RelationTypeRecord {
                kind: kind.clone(),
                order,
            };
            writes.push(Write::put(
                RecordKey::RelationType(kind.id.clone()),
                &record,
            ));
        }
    }
    writes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Annotation, Command, LabelEdit, LibraryEntry, Span, Tag};

    fn store_with(ids: &[&str]) -> AnnotationStore {
        let mut store = AnnotationStore::new(100);
        for (i, id) in ids.iter().enumerate() {
            let annotation =
                Annotation::new((*id).into(), Span::new(i, i + 1).unwrap(), Tag::Claim, "t");
            store.apply(Command::Create { annotation }).unwrap();
        }
        store
    }

    #[test]
    fn a_save_writes_only_what_changed() {
        let before = store_with(&["a", "b"]);
        let mut after = before.clone();
        after.apply(Command::Delete { id: "a".into() }).unwrap();
        let keys: Vec<String> = document_writes("d", Some(&before), &after)
            .iter()
            .map(|w| w.key().encode())
            .collect();
        assert_eq!(keys, ["ann/d/a", "count/d"]);
        assert!(document_writes("d", Some(&after), &after).is_empty());
        assert_eq!(document_writes("d", None, &after).len(), 2);
    }

    #[test]
    fn renaming_one_document_writes_its_entry_only() {
        let entry = |id: &str| LibraryEntry {
            id: id.into(),
            name: id.into(),
            count: 0,
            done: false,
            order: 1,
        };
        let before = Library {
            documents: vec![entry("x"), entry("y")],
            ..Library::default()
        };
        let mut after = before.clone();
        after.documents[1].name = "renamed".into();
        let writes = library_writes(Some(&before), &after);
        assert_eq!(writes.len(), 1);
        assert_eq!(writes[0].key(), &RecordKey::Document("y".into()));
        let mut relabelled = after.clone();
        relabelled
            .labels
            .edit(LabelEdit::Add("Speaker".into()))
            .unwrap();
        assert_eq!(library_writes(Some(&after), &relabelled).len(), 1);
    }
}
