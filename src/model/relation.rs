//! Relations: directed, typed links between two annotations of a document (a quote
//! `attributed-to` its source, a condition that `qualifies` a claim), and the relation types a
//! label set offers.

use serde::{Deserialize, Serialize};

use super::{AnnotationId, Tag};

/// A relation's identifier: any non-empty string, unique among the document's relations
/// (the same shared-string type as annotation ids; the two never share a namespace).
pub type RelationId = AnnotationId;

/// A directed link from one annotation to another. Its ends are annotation ids, so it follows
/// its annotations through resizes, re-anchoring and orphaning (an orphan keeps its id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    /// Unique among the document's relations.
    pub id: RelationId,
    /// The relation type's id (`attributed-to`); one no type has is kept, as unknown tags are.
    #[serde(rename = "type")]
    pub kind: String,
    /// The annotation it starts from (the quote).
    pub from: AnnotationId,
    /// The annotation it points to (the source).
    pub to: AnnotationId,
    /// Free text; empty when none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl Relation {
    /// A relation without a note.
    pub fn new(id: RelationId, kind: &str, from: AnnotationId, to: AnnotationId) -> Self {
        Self {
            id,
            kind: kind.to_owned(),
            from,
            to,
            note: String::new(),
        }
    }

    /// True when `annotation` is one of its ends.
    pub fn touches(&self, annotation: &AnnotationId) -> bool {
        self.from == *annotation || self.to == *annotation
    }
}

/// A kind of relation, edited like a label: its id stays across renames, and a removed type
/// keeps its relations (shown under its name, offered no more).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationType {
    /// What relations carry (`attributed-to`).
    pub id: String,
    /// As shown to people.
    pub name: String,
    /// The labels it starts from; empty for any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from: Vec<Tag>,
    /// The labels it points to; empty for any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<Tag>,
    /// The guideline: what it means, with an example.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Removed from the set: not offered, but its relations keep their type.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub removed: bool,
}

/// The id of the type that links a quote or claim to who said it.
pub const ATTRIBUTED_TO: &str = "attributed-to";
/// The id of the type that links a condition to what it conditions.
pub const QUALIFIES: &str = "qualifies";

impl RelationType {
    /// True when a relation of this type may go from a `from` span to a `to` span.
    pub fn fits(&self, from: &Tag, to: &Tag) -> bool {
        (self.from.is_empty() || self.from.contains(from))
            && (self.to.is_empty() || self.to.contains(to))
    }

    /// The default types: `attributed-to` and `qualifies`.
    pub fn defaults() -> Vec<RelationType> {
        let source = Tag::from("source");
        vec![
            RelationType {
                id: ATTRIBUTED_TO.into(),
                name: "Attributed to".into(),
                from: vec![Tag::Quote, Tag::Claim],
                to: vec![source],
                description: "Who said or claimed it: from a quote or claim to its source. \
                              Example: “26 countries have committed” → Macron."
                    .into(),
                removed: false,
            },
            RelationType {
                id: QUALIFIES.into(),
                name: "Qualifies".into(),
                from: vec![Tag::Condition],
                to: vec![Tag::Claim, Tag::Quote],
                description: "What a condition conditions: from the condition to the claim or \
                              quote it limits. Example: “once conditions were clear” → Berlin \
                              would decide."
                    .into(),
                removed: false,
            },
        ]
    }
}
