//! The one-time move of a local-storage library (schema 1 and 2, as Marginalia wrote it before
//! schema 3) into records. Pure: it reads a map of the old keys (and the texts the old layout
//! kept in IndexedDB) and returns the records to commit; the caller commits them in one
//! transaction, reads them back, compares, and only then removes the old keys.
//!
//! Old layout: `marginalia:library` (entries with 16-hex-digit ids, labels, the deleted one);
//! per document `marginalia:doc:<id>:text`, `…:manifest` with `…:chunk:<0-63>` (schema 2) or
//! one `…:annotations` (schema 1), `…:orphans`, `…:history`, and `…:journal` (a save cut off,
//! completed here first). Documents are re-keyed by their text's whole SHA-256.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::record::{DocumentRecord, LabelRecord, Meta, Record, RecordKey};
use super::replica::{Replica, Write};
use crate::model::{Annotation, AnnotationId, Document, History, LabelSet, Orphan};

/// The old key of the library index.
pub const LEGACY_LIBRARY_KEY: &str = "marginalia:library";
/// Every old key starts so (settings excepted: `marginalia:setting:` stays in local storage).
pub const LEGACY_PREFIX: &str = "marginalia:";

#[derive(Deserialize)]
struct LegacyEntry {
    id: String,
    name: String,
    #[serde(default)]
    done: bool,
}

#[derive(Deserialize)]
struct LegacyDeleted {
    entry: LegacyEntry,
}

#[derive(Deserialize)]
struct LegacyLibrary {
    #[serde(default)]
    schema: u32,
    current: Option<String>,
    #[serde(default)]
    documents: Vec<LegacyEntry>,
    #[serde(default)]
    labels: Option<serde_json::Value>,
    #[serde(default)]
    deleted: Option<LegacyDeleted>,
}

#[derive(Deserialize)]
struct LegacyAnnotations {
    annotations: Vec<Annotation>,
    #[serde(default)]
    orphans: Vec<Orphan>,
    #[serde(default)]
    history: Option<History>,
}

/// What the migration produced.
#[derive(Debug, Default)]
pub struct Migration {
    /// The records to commit (the schema marker last).
    pub records: Vec<Record>,
    /// The current document's new id, if the old library had one.
    pub current: Option<String>,
    /// Old ids mapped to new ones (for the old-version bridge, see [`legacy_document`]).
    pub renamed: HashMap<String, String>,
    /// Old keys whose values could not be read: copied to the quarantine, never dropped.
    pub unreadable: Vec<(String, String)>,
    /// The old layout's schema.
    pub from_schema: u32,
}

/// The old document id a local-storage key belongs to, if it is one of a document's keys.
pub fn legacy_document(key: &str) -> Option<&str> {
    key.strip_prefix("marginalia:doc:")?.split(':').next()
}

/// The old ids of every document the old library lists (its deleted one too).
pub fn legacy_document_ids(legacy: &BTreeMap<String, String>) -> Vec<String> {
    let Some(Ok(library)) = legacy
        .get(LEGACY_LIBRARY_KEY)
        .map(|raw| serde_json::from_str::<LegacyLibrary>(raw))
    else {
        return Vec::new();
    };
    let deleted = library.deleted.map(|d| d.entry.id);
    library
        .documents
        .into_iter()
        .map(|e| e.id)
        .chain(deleted)
        .collect()
}

/// Migrates the old keys in `legacy` (local storage's `marginalia:` keys) and `old_texts` (the
/// old IndexedDB's texts by old id). `now_ms` stamps the records and orders the entries.
pub fn migrate(
    legacy: &BTreeMap<String, String>,
    old_texts: &HashMap<String, String>,
    replica: &mut Replica,
    now_ms: u64,
) -> Migration {
    let mut migration = Migration::default();
    let mut legacy = legacy.clone();
    // A save cut off by a crash is completed first, as the old version would have.
    let journals: Vec<String> = legacy
        .keys()
        .filter(|k| k.ends_with(":journal"))
        .cloned()
        .collect();
    for key in journals {
        let raw = legacy.remove(&key).unwrap_or_default();
        match serde_json::from_str::<Vec<(String, String)>>(&raw) {
            Ok(writes) => legacy.extend(writes),
            Err(e) => migration.unreadable.push((key, e.to_string())),
        }
    }
    let library = match legacy
        .get(LEGACY_LIBRARY_KEY)
        .map(|raw| serde_json::from_str::<LegacyLibrary>(raw))
    {
        None => return migration,
        Some(Err(e)) => {
            migration
                .unreadable
                .push((LEGACY_LIBRARY_KEY.into(), e.to_string()));
            return migration;
        }
        Some(Ok(library)) => library,
    };
    migration.from_schema = library.schema.max(1);
    let mut writes = Vec::new();
    // Labels one by one: one the old version could not read either is quarantined alone.
    let mut labels = Vec::new();
    for (index, value) in library
        .labels
        .iter()
        .flat_map(|v| v.as_array().cloned().unwrap_or_default())
        .enumerate()
    {
        match serde_json::from_value(value) {
            Ok(label) => labels.push(label),
            Err(e) => migration.unreadable.push((
                format!("{LEGACY_LIBRARY_KEY} labels[{index}]"),
                e.to_string(),
            )),
        }
    }
    for (order, label) in LabelSet::from_stored(labels, []).all().iter().enumerate() {
        let tag = label.tag.to_string();
        writes.push(Write::put(
            RecordKey::Label(tag),
            &LabelRecord {
                label: label.clone(),
                order,
            },
        ));
    }
    let deleted = library.deleted.map(|d| d.entry);
    let entries = library
        .documents
        .into_iter()
        .map(|e| (e, false))
        .chain(deleted.map(|e| (e, true)));
    for (position, (entry, trashed)) in entries.enumerate() {
        let old = entry.id.clone();
        let text = legacy
            .get(&format!("marginalia:doc:{old}:text"))
            .or_else(|| old_texts.get(&old));
        // Without its text a document keeps its old id: its annotations are kept all the same.
        let id = text.map_or_else(
            || old.clone(),
            |text| Document::from_raw(text).sha256().to_owned(),
        );
        if let Some(text) = text {
            writes.push(Write::put(RecordKey::Text(id.clone()), text));
        }
        let (annotations, orphans, history) =
            legacy_annotations(&legacy, &old, &mut migration.unreadable);
        writes.push(Write::put(RecordKey::Count(id.clone()), &annotations.len()));
        for annotation in &annotations {
            writes.push(Write::put(
                RecordKey::Annotation(id.clone(), annotation.id.clone()),
                annotation,
            ));
        }
        for orphan in &orphans {
            writes.push(Write::put(
                RecordKey::Orphan(id.clone(), orphan.annotation.id.clone()),
                orphan,
            ));
        }
        if let Some(history) = history {
            writes.push(Write::put(RecordKey::History(id.clone()), &history));
        }
        let record = DocumentRecord {
            name: entry.name,
            done: entry.done,
            trashed,
            order: position as u64,
        };
        writes.push(Write::put(RecordKey::Document(id.clone()), &record));
        if library.current.as_deref() == Some(old.as_str()) {
            migration.current = Some(id.clone());
        }
        migration.renamed.insert(old, id);
    }
    let renamed = migration
        .renamed
        .iter()
        .map(|(o, n)| (o.clone(), n.clone()))
        .collect();
    let meta = Meta {
        migrated_from: Some(migration.from_schema),
        renamed,
    };
    writes.push(Write::put(RecordKey::Meta, &meta));
    migration.records = replica.stamp(writes, now_ms);
    migration
}

/// A document's annotations, orphans and history in the old layout (chunks, or one key).
pub fn legacy_annotations(
    legacy: &BTreeMap<String, String>,
    old: &str,
    unreadable: &mut Vec<(String, String)>,
) -> (Vec<Annotation>, Vec<Orphan>, Option<History>) {
    fn read(
        legacy: &BTreeMap<String, String>,
        unreadable: &mut Vec<(String, String)>,
        key: String,
    ) -> Option<serde_json::Value> {
        let raw = legacy.get(&key)?;
        serde_json::from_str(raw)
            .map_err(|e| unreadable.push((key, e.to_string())))
            .ok()
    }
    if let Some(single) = read(
        legacy,
        unreadable,
        format!("marginalia:doc:{old}:annotations"),
    ) {
        if let Ok(single) = serde_json::from_value::<LegacyAnnotations>(single) {
            return (single.annotations, single.orphans, single.history);
        }
    }
    let mut annotations: Vec<Annotation> = Vec::new();
    let prefix = format!("marginalia:doc:{old}:chunk:");
    let chunk_keys: Vec<String> = legacy
        .keys()
        .filter(|k| k.starts_with(&prefix))
        .cloned()
        .collect();
    for key in chunk_keys {
        // Item by item: one unreadable annotation costs only itself.
        for (index, value) in read(legacy, unreadable, key.clone())
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
            .into_iter()
            .enumerate()
        {
            match serde_json::from_value(value) {
                Ok(annotation) => annotations.push(annotation),
                Err(e) => unreadable.push((format!("{key}[{index}]"), e.to_string())),
            }
        }
    }
    let orphans = read(legacy, unreadable, format!("marginalia:doc:{old}:orphans"))
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    let history = read(legacy, unreadable, format!("marginalia:doc:{old}:history"))
        .and_then(|v| serde_json::from_value(v).ok());
    (annotations, orphans, history)
}

/// What an old-version tab changed by writing one of its chunk keys after the migration (the
/// `storage` event's old and new values): writes for the migrated document `id`. An
/// annotation missing from the new value is deleted only if the old value had it.
pub fn legacy_chunk_writes(id: &str, old: Option<&str>, new: Option<&str>) -> Vec<Write> {
    let parse = |raw: Option<&str>| -> Vec<Annotation> {
        raw.and_then(|raw| serde_json::from_str(raw).ok())
            .unwrap_or_default()
    };
    let (old, new) = (parse(old), parse(new));
    let before: HashMap<&AnnotationId, &Annotation> = old.iter().map(|a| (&a.id, a)).collect();
    let mut writes: Vec<Write> = new
        .iter()
        .filter(|a| before.get(&a.id) != Some(a))
        .map(|a| Write::put(RecordKey::Annotation(id.into(), a.id.clone()), a))
        .collect();
    let after: std::collections::HashSet<&AnnotationId> = new.iter().map(|a| &a.id).collect();
    writes.extend(
        old.iter()
            .filter(|a| !after.contains(&a.id))
            .map(|a| Write::Delete(RecordKey::Annotation(id.into(), a.id.clone()))),
    );
    writes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Span, Tag};
    use crate::persist::record::Decoded;

    fn annotation(id: &str, start: usize) -> Annotation {
        Annotation::new(
            id.into(),
            Span::new(start, start + 2).unwrap(),
            Tag::Quote,
            "t",
        )
    }

    #[test]
    fn a_schema_2_library_becomes_records_under_whole_hashes() {
        let text = "Berlin said it would decide once conditions were clear.";
        let mut legacy = BTreeMap::new();
        legacy.insert(LEGACY_LIBRARY_KEY.into(), r#"{"schema":2,"current":"0123456789abcdef","documents":[{"id":"0123456789abcdef","name":"a.txt","count":2}],"labels":[{"tag":"claim","name":"Claim","colour":"blue","key":1},{"tag":"x","name":"X","colour":"nope"}]}"#.into());
        legacy.insert("marginalia:doc:0123456789abcdef:text".into(), text.into());
        legacy.insert(
            "marginalia:doc:0123456789abcdef:chunk:3".into(),
            serde_json::to_string(&[annotation("a", 0)]).unwrap(),
        );
        legacy.insert(
            "marginalia:doc:0123456789abcdef:chunk:9".into(),
            "[garbage".into(),
        );
        // A journal left by a crash adds the second annotation.
        let journal = vec![(
            "marginalia:doc:0123456789abcdef:chunk:7".to_string(),
            serde_json::to_string(&[annotation("b", 4)]).unwrap(),
        )];
        legacy.insert(
            "marginalia:doc:0123456789abcdef:journal".into(),
            serde_json::to_string(&journal).unwrap(),
        );
        let migration = migrate(&legacy, &HashMap::new(), &mut Replica::new(1), 1_000);
        let id = Document::from_raw(text).sha256().to_owned();
        assert_eq!(migration.current.as_deref(), Some(id.as_str()));
        let annotations: Vec<String> = migration
            .records
            .iter()
            .filter_map(|r| match r.decode().unwrap() {
                Decoded::Annotation(doc, a) if doc == id => Some(a.id.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(annotations, ["a", "b"]);
        let bad: Vec<&str> = migration
            .unreadable
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert!(
            bad.contains(&"marginalia:doc:0123456789abcdef:chunk:9"),
            "{bad:?}"
        );
        assert!(bad.iter().any(|k| k.contains("labels[1]")), "{bad:?}");
        assert_eq!(migration.records.last().unwrap().key, "meta");
    }

    #[test]
    fn an_old_tab_writing_a_chunk_becomes_writes_without_deletion_by_absence() {
        let old = serde_json::to_string(&[annotation("a", 0)]).unwrap();
        let new = serde_json::to_string(&[annotation("a", 0), annotation("b", 4)]).unwrap();
        let writes = legacy_chunk_writes("d", Some(&old), Some(&new));
        assert_eq!(writes.len(), 1);
        assert_eq!(
            writes[0].key(),
            &RecordKey::Annotation("d".into(), "b".into())
        );
        let deleted = legacy_chunk_writes("d", Some(&new), Some(&old));
        assert!(matches!(&deleted[0], Write::Delete(_)));
    }
}
