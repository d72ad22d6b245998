//! Stored records: one per annotation, orphan, label, document entry, text and undo history,
//! each with the revision that wrote it, the schema version of its writer, and `deleted` as an
//! explicit tombstone. What exists is decided record by record: a missing or unreadable record
//! is never read as a deletion.

use serde::{Deserialize, Serialize};

use super::Revision;
use crate::model::{
    Annotation, AnnotationId, History, Label, LabelColour, Orphan, Relation, RelationType, Span,
    Tag,
};

/// The layout this version writes. 3: records in IndexedDB (1 and 2 were local-storage layouts,
/// migrated by [`super::migrate`]). 4: relations, relation types, attributes and guidelines; a
/// tab of version 3 still open stops writing when it meets these (it would drop the attributes
/// of an annotation it rewrote), and asks for a reload.
pub const SCHEMA: u32 = 4;

/// Where a record lives. Its string form (the IndexedDB key) groups a document's records under
/// one prefix, so they are read and purged as a key range.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKey {
    /// The schema marker: the highest schema that has written this database.
    Meta,
    /// A document's library entry.
    Document(String),
    /// A document's text.
    Text(String),
    /// One annotation of a document.
    Annotation(String, AnnotationId),
    /// One orphan of a document.
    Orphan(String, AnnotationId),
    /// A document's undo history (the last tab to save it wins: undo is each tab's own).
    History(String),
    /// How many annotations a document has (apart from its entry, so counting never rewrites
    /// a name or "done" another tab just changed).
    Count(String),
    /// One label of the set, by its tag.
    Label(String),
    /// One relation of a document.
    Relation(String, AnnotationId),
    /// One relation type of the set, by its id.
    RelationType(String),
    /// The library's annotator name.
    Annotator,
    /// The library's suggestion pattern file.
    Patterns,
    /// A suggestion rejected in a document: its span and tag, as `START-END-TAG`.
    Rejection(String, String),
    /// The comparison open on a text (by the text's SHA-256): its layers, kept until closed.
    Comparison(String),
}

impl RecordKey {
    /// The key as stored.
    pub fn encode(&self) -> String {
        match self {
            Self::Meta => "meta".into(),
            Self::Document(doc) => format!("doc/{doc}"),
            Self::Text(doc) => format!("text/{doc}"),
            Self::Annotation(doc, id) => format!("ann/{doc}/{id}"),
            Self::Orphan(doc, id) => format!("orphan/{doc}/{id}"),
            Self::History(doc) => format!("history/{doc}"),
            Self::Count(doc) => format!("count/{doc}"),
            Self::Label(tag) => format!("label/{tag}"),
            Self::Relation(doc, id) => format!("rel/{doc}/{id}"),
            Self::RelationType(id) => format!("reltype/{id}"),
            Self::Annotator => "annotator".into(),
            Self::Patterns => "patterns".into(),
            Self::Rejection(doc, what) => format!("reject/{doc}/{what}"),
            Self::Comparison(sha) => format!("compare/{sha}"),
        }
    }

    /// A stored key, or `None` for one this version does not know (kept, never touched).
    pub fn decode(key: &str) -> Option<Self> {
        match key {
            "meta" => return Some(Self::Meta),
            "annotator" => return Some(Self::Annotator),
            "patterns" => return Some(Self::Patterns),
            _ => {}
        }
        let (kind, rest) = key.split_once('/')?;
        let in_document = |rest: &str| {
            rest.split_once('/')
                .filter(|(doc, id)| !doc.is_empty() && !id.is_empty())
                .map(|(doc, id)| (doc.to_owned(), AnnotationId::from(id)))
        };
        match kind {
            "doc" => Some(Self::Document(rest.to_owned())),
            "text" => Some(Self::Text(rest.to_owned())),
            "history" => Some(Self::History(rest.to_owned())),
            "count" => Some(Self::Count(rest.to_owned())),
            "label" => Some(Self::Label(rest.to_owned())),
            "reltype" => Some(Self::RelationType(rest.to_owned())),
            "compare" => Some(Self::Comparison(rest.to_owned())),
            "rel" => in_document(rest).map(|(doc, id)| Self::Relation(doc, id)),
            "reject" => in_document(rest).map(|(doc, what)| Self::Rejection(doc, what.to_string())),
            "ann" => in_document(rest).map(|(doc, id)| Self::Annotation(doc, id)),
            "orphan" => in_document(rest).map(|(doc, id)| Self::Orphan(doc, id)),
            _ => None,
        }
    }

    /// The document the record belongs to, if it belongs to one.
    pub fn document(&self) -> Option<&str> {
        match self {
            Self::Document(doc)
            | Self::Text(doc)
            | Self::Annotation(doc, _)
            | Self::Orphan(doc, _)
            | Self::Relation(doc, _)
            | Self::Rejection(doc, _)
            | Self::History(doc)
            | Self::Count(doc) => Some(doc),
            Self::Meta
            | Self::Label(_)
            | Self::RelationType(_)
            | Self::Annotator
            | Self::Patterns
            | Self::Comparison(_) => None,
        }
    }
}

/// Key prefixes of everything stored for document `doc` (its entry, text, annotations,
/// orphans, relations, history, count): what purging it removes.
pub fn document_prefixes(doc: &str) -> [String; 8] {
    [
        format!("reject/{doc}/"),
        format!("rel/{doc}/"),
        format!("count/{doc}"),
        format!("doc/{doc}"),
        format!("text/{doc}"),
        format!("ann/{doc}/"),
        format!("orphan/{doc}/"),
        format!("history/{doc}"),
    ]
}

/// A document's entry in the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRecord {
    /// Its file name or title.
    pub name: String,
    /// Marked done by the annotator.
    #[serde(default)]
    pub done: bool,
    /// Deleted by the user and not yet purged: hidden, and the last one can be restored.
    #[serde(default)]
    pub trashed: bool,
    /// Its place in the library's order (the time it was first added, in ms).
    pub order: u64,
}

/// The schema marker's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// The layout local storage held before (1 or 2) and was migrated from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrated_from: Option<u32>,
    /// Old document ids (16 hex digits) and the ids they were migrated to: what a tab of the
    /// old version, still open, writes under the old ones is brought over under the new.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub renamed: std::collections::BTreeMap<String, String>,
}

/// A label with its place in the set's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelRecord {
    /// The label.
    #[serde(flatten)]
    pub label: Label,
    /// Its index in the set when written.
    pub order: usize,
}

/// A relation type with its place in the set's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationTypeRecord {
    /// The type.
    #[serde(flatten)]
    pub kind: RelationType,
    /// Its index in the set when written.
    pub order: usize,
}

/// A comparison as stored: what it was opened with and what was settled, so it comes back after
/// a reload (its figures are computed again).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredComparison {
    /// The name of the document it was opened on.
    pub source_name: String,
    /// The layers.
    pub layers: Vec<crate::agree::Layer>,
    /// The disagreements rejected, by index.
    #[serde(default)]
    pub rejected: Vec<usize>,
}

/// A record as stored: its revision, its writer's schema, a tombstone flag, and the value as
/// JSON (kept as JSON so a record is decoded only when it is used).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The stored key ([`RecordKey::encode`]).
    pub key: String,
    /// Who wrote it, when.
    pub rev: Revision,
    /// The writer's [`SCHEMA`].
    pub schema: u32,
    /// A tombstone: the thing was deleted at `rev`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
    /// The value (`null` for a tombstone).
    #[serde(default)]
    pub value: serde_json::Value,
}

impl Record {
    /// A record holding `value` under `key`.
    pub fn put(key: &RecordKey, rev: Revision, value: &impl Serialize) -> Self {
        Self {
            key: key.encode(),
            rev,
            schema: SCHEMA,
            deleted: false,
            value: serde_json::to_value(value).expect("model values serialise"),
        }
    }

    /// A tombstone for `key`.
    pub fn tombstone(key: &RecordKey, rev: Revision) -> Self {
        Self {
            key: key.encode(),
            rev,
            schema: SCHEMA,
            deleted: true,
            value: serde_json::Value::Null,
        }
    }

    /// The stored form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("records serialise")
    }

    /// The record in a stored string, or why it cannot be read.
    pub fn from_json(raw: &str) -> Result<Self, String> {
        serde_json::from_str(raw).map_err(|e| e.to_string())
    }

    /// The value decoded as what its key says it is.
    pub fn decode(&self) -> Result<Decoded, String> {
        let key =
            RecordKey::decode(&self.key).ok_or_else(|| format!("unknown key {}", self.key))?;
        let value = self.value.clone();
        let deleted = self.deleted;
        fn typed<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, String> {
            serde_json::from_value(value).map_err(|e| e.to_string())
        }
        Ok(match key {
            RecordKey::Meta => Decoded::Meta(typed(value)?),
            RecordKey::Document(doc) => Decoded::Document(doc, typed(value)?),
            RecordKey::Text(doc) => Decoded::Text(doc, typed(value)?),
            RecordKey::Annotation(doc, id) if deleted => Decoded::AnnotationGone(doc, id),
            RecordKey::Annotation(doc, id) => {
                let annotation: Annotation = typed(value)?;
                if annotation.id != id {
                    return Err(format!("holds annotation {} under {id}", annotation.id));
                }
                Decoded::Annotation(doc, annotation)
            }
            RecordKey::Orphan(doc, id) if deleted => Decoded::OrphanGone(doc, id),
            RecordKey::Orphan(doc, id) => {
                let orphan: Orphan = typed(value)?;
                if orphan.annotation.id != id {
                    return Err(format!("holds orphan {} under {id}", orphan.annotation.id));
                }
                Decoded::Orphan(doc, orphan)
            }
            RecordKey::History(doc) => Decoded::History(doc, typed(value)?),
            RecordKey::Count(doc) => Decoded::Count(doc, typed(value)?),
            RecordKey::Label(_) => Decoded::Label(decode_label(value)?),
            RecordKey::RelationType(_) => Decoded::RelationType(typed(value)?),
            RecordKey::Annotator => Decoded::Annotator(typed(value)?),
            RecordKey::Patterns => Decoded::Patterns(typed(value)?),
            RecordKey::Comparison(sha) if deleted => Decoded::ComparisonClosed(sha),
            RecordKey::Comparison(sha) => Decoded::Comparison(sha, typed(value)?),
            RecordKey::Rejection(doc, what) => {
                let (span, tag) = rejection_of(&what)
                    .ok_or_else(|| format!("a rejection key that is not START-END-TAG: {what}"))?;
                Decoded::Rejection(doc, span, tag, !deleted)
            }
            RecordKey::Relation(doc, id) if deleted => Decoded::RelationGone(doc, id),
            RecordKey::Relation(doc, id) => {
                let relation: Relation = typed(value)?;
                if relation.id != id {
                    return Err(format!("holds relation {} under {id}", relation.id));
                }
                Decoded::Relation(doc, relation)
            }
        })
    }
}

/// A label, also one written by a newer version with a colour this one does not know: it is
/// shown in the first colour of the palette, and its record stays as stored until it is edited.
fn decode_label(value: serde_json::Value) -> Result<LabelRecord, String> {
    match serde_json::from_value::<LabelRecord>(value.clone()) {
        Ok(label) => Ok(label),
        Err(error) => {
            let mut value = value;
            let known = value
                .get("colour")
                .and_then(|c| c.as_str())
                .is_some_and(|c| LabelColour::from_id(c).is_some());
            if known {
                return Err(error.to_string());
            }
            value["colour"] = serde_json::Value::from(LabelColour::ALL[0].as_str());
            serde_json::from_value(value).map_err(|_| error.to_string())
        }
    }
}

/// A record's value, typed by its key.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    /// The schema marker.
    Meta(Meta),
    /// A document's entry.
    Document(String, DocumentRecord),
    /// A document's text.
    Text(String, String),
    /// An annotation.
    Annotation(String, Annotation),
    /// An annotation was deleted.
    AnnotationGone(String, AnnotationId),
    /// An orphan.
    Orphan(String, Orphan),
    /// An orphan was placed or discarded.
    OrphanGone(String, AnnotationId),
    /// A document's undo history.
    History(String, History),
    /// How many annotations a document has.
    Count(String, usize),
    /// A label.
    Label(LabelRecord),
    /// A relation.
    Relation(String, Relation),
    /// A relation was deleted.
    RelationGone(String, AnnotationId),
    /// A relation type.
    RelationType(RelationTypeRecord),
    /// The library's annotator name.
    Annotator(String),
    /// The library's suggestion pattern file.
    Patterns(String),
    /// A comparison open on a text.
    Comparison(String, StoredComparison),
    /// A comparison closed.
    ComparisonClosed(String),
    /// A rejection of a document: its span and tag, and whether it stands (false: taken back).
    Rejection(String, Span, Tag, bool),
}

/// The key of a rejection of `span` and `tag` in document `doc`.
pub fn rejection_key(doc: &str, span: Span, tag: &Tag) -> RecordKey {
    RecordKey::Rejection(doc.to_owned(), format!("{}-{}-{tag}", span.start, span.end))
}

/// The span and tag a rejection key names (`START-END-TAG`; the tag may hold `-`).
fn rejection_of(what: &str) -> Option<(Span, Tag)> {
    let mut parts = what.splitn(3, '-');
    let start = parts.next()?.parse().ok()?;
    let end = parts.next()?.parse().ok()?;
    let tag = parts.next().filter(|t| !t.is_empty())?;
    Some((Span::new(start, end)?, Tag::from(tag)))
}

/// What a transaction does with one incoming record, given the record stored under its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteDecision {
    /// Store it: nothing is stored there, the stored one is older, or it cannot be read (it
    /// is quarantined first).
    Write,
    /// Leave the stored one: it is as new or newer (another tab wrote it later).
    Keep,
    /// The stored one was written by a newer version of Marginalia: this tab must stop writing.
    NewerVersion,
}

/// The merge rule, per record: the higher revision wins; a tombstone is just a record with a
/// revision, so only a newer tombstone deletes. `stored`: the stored string, if any.
pub fn decide(incoming: &Record, stored: Option<&str>) -> WriteDecision {
    /// Only the header is read, so an unknown value does not make the record unreadable.
    #[derive(Deserialize)]
    struct Header {
        rev: Revision,
        schema: u32,
    }
    let Some(stored) = stored else {
        return WriteDecision::Write;
    };
    match serde_json::from_str::<Header>(stored) {
        Ok(header) if header.schema > SCHEMA => WriteDecision::NewerVersion,
        Ok(header) if header.rev >= incoming.rev => WriteDecision::Keep,
        _ => WriteDecision::Write,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Span, Tag};

    fn rev(time: u64) -> Revision {
        Revision { time, tab: 1 }
    }

    #[test]
    fn keys_round_trip_and_ids_may_hold_slashes() {
        for key in [
            RecordKey::Meta,
            RecordKey::Document("ab".into()),
            RecordKey::Annotation("ab".into(), "x/y".into()),
            RecordKey::Orphan("ab".into(), "o".into()),
            RecordKey::Label("named-source".into()),
            RecordKey::Relation("ab".into(), "r/1".into()),
            RecordKey::RelationType("attributed-to".into()),
            RecordKey::Annotator,
            RecordKey::Patterns,
            RecordKey::Comparison("abc".into()),
            rejection_key("ab", Span::new(3, 9).unwrap(), &Tag::from("named-source")),
        ] {
            assert_eq!(RecordKey::decode(&key.encode()), Some(key));
        }
        assert_eq!(RecordKey::decode("future/thing"), None);
    }

    #[test]
    fn only_a_newer_revision_replaces_and_a_newer_schema_stops_the_writer() {
        let annotation = Annotation::new("a".into(), Span::new(0, 1).unwrap(), Tag::Claim, "t");
        let key = RecordKey::Annotation("d".into(), "a".into());
        let stored = Record::put(&key, rev(5), &annotation).to_json();
        assert_eq!(
            decide(&Record::tombstone(&key, rev(4)), Some(&stored)),
            WriteDecision::Keep
        );
        assert_eq!(
            decide(&Record::tombstone(&key, rev(6)), Some(&stored)),
            WriteDecision::Write
        );
        assert_eq!(
            decide(&Record::tombstone(&key, rev(6)), None),
            WriteDecision::Write
        );
        assert_eq!(
            decide(&Record::tombstone(&key, rev(6)), Some("{garbage")),
            WriteDecision::Write
        );
        let newer = stored.replace(
            &format!("\"schema\":{SCHEMA}"),
            &format!("\"schema\":{}", SCHEMA + 1),
        );
        assert_eq!(
            decide(&Record::tombstone(&key, rev(9)), Some(&newer)),
            WriteDecision::NewerVersion
        );
    }

    #[test]
    fn a_label_with_a_colour_from_a_newer_version_still_reads() {
        let raw = r#"{"key":"label/x","rev":{"time":1,"tab":1},"schema":3,
            "value":{"tag":"x","name":"X","colour":"magenta","order":3}}"#;
        let Decoded::Label(label) = Record::from_json(raw).unwrap().decode().unwrap() else {
            panic!("a label")
        };
        assert_eq!((label.label.name.as_str(), label.order), ("X", 3));
    }

    #[test]
    fn an_annotation_under_another_id_is_unreadable() {
        let annotation = Annotation::new("a".into(), Span::new(0, 1).unwrap(), Tag::Claim, "t");
        let mut record = Record::put(
            &RecordKey::Annotation("d".into(), "b".into()),
            rev(1),
            &annotation,
        );
        assert!(record.decode().is_err());
        record.key = RecordKey::Annotation("d".into(), "a".into()).encode();
        assert!(record.decode().is_ok());
    }
}
