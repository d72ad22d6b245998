//! One annotation: a tagged span with a note and timestamps.

use std::fmt;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::{Attributes, Span};

/// An annotation's identifier: any non-empty string, unique within a document.
/// Cheap to clone (a shared string).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AnnotationId(Rc<str>);

impl AnnotationId {
    /// The identifier as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A UUID in its usual text form from 16 bytes, with the RFC 9562 variant and `version`
    /// (4 for random bytes, 8 for bytes derived from a hash) set in them.
    pub fn uuid(mut bytes: [u8; 16], version: u8) -> Self {
        bytes[6] = (bytes[6] & 0x0f) | (version << 4);
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Self::from(format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        ))
    }
}

impl std::borrow::Borrow<str> for AnnotationId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for AnnotationId {
    fn from(value: &str) -> Self {
        Self(value.into())
    }
}

impl From<String> for AnnotationId {
    fn from(value: String) -> Self {
        Self(value.into())
    }
}

impl fmt::Display for AnnotationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a span is. The three built-in tags, or any other label id (a custom label, or one
/// from an imported file that this document's labels do not know: kept, never lost).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Tag {
    /// A statement about the world that could be checked.
    Claim,
    /// Words attributed to a named person.
    Quote,
    /// A conditional statement ("would only decide once conditions were clear").
    Condition,
    /// Any other label id.
    Other(Rc<str>),
}

impl Tag {
    /// The built-in tags, in key order (keys 1, 2, 3).
    pub const BUILT_IN: [Tag; 3] = [Tag::Claim, Tag::Quote, Tag::Condition];

    /// The label id, as written in files and in `data-tag`.
    pub fn as_str(&self) -> &str {
        match self {
            Tag::Claim => "claim",
            Tag::Quote => "quote",
            Tag::Condition => "condition",
            Tag::Other(name) => name,
        }
    }

    /// The label as shown to people ("Claim").
    pub fn display_name(&self) -> String {
        let id = self.as_str();
        let mut chars = id.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_uppercase().chain(chars).collect()
        })
    }
}

impl From<&str> for Tag {
    fn from(value: &str) -> Self {
        match value {
            "claim" => Tag::Claim,
            "quote" => Tag::Quote,
            "condition" => Tag::Condition,
            other => Tag::Other(other.into()),
        }
    }
}

impl From<String> for Tag {
    fn from(value: String) -> Self {
        Tag::from(value.as_str())
    }
}

impl From<Tag> for String {
    fn from(tag: Tag) -> Self {
        tag.as_str().to_owned()
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A tagged span of the document. The quoted text is not stored: it is always
/// `document.slice(span)`, derived, so it can never disagree with the offsets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    /// Unique within its document.
    pub id: AnnotationId,
    /// Code-point offsets into the document text.
    #[serde(flatten)]
    pub span: Span,
    /// What the span is.
    pub tag: Tag,
    /// Free text the annotator wrote; empty when none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Its attribute values by name (those its label declares; others a file brought are
    /// kept).
    #[serde(default, skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
    /// RFC 3339 time of creation.
    pub created: String,
    /// RFC 3339 time of the last change.
    pub modified: String,
}

impl Annotation {
    /// A new annotation created at `now` (RFC 3339).
    pub fn new(id: AnnotationId, span: Span, tag: Tag, now: &str) -> Self {
        Self {
            id,
            span,
            tag,
            note: String::new(),
            attributes: Attributes::new(),
            created: now.to_owned(),
            modified: now.to_owned(),
        }
    }
}

impl Annotation {
    /// True when the annotation passes the sidebar's filter: it carries `tag` (any tag when
    /// `None`), and its quote or note contains `text` whatever the case (any when empty).
    /// `text` must already be lowercase. O(quote + note).
    pub fn passes_filter(&self, document: &super::Document, tag: Option<&Tag>, text: &str) -> bool {
        tag.is_none_or(|tag| *tag == self.tag)
            && (text.is_empty()
                || document
                    .slice(self.span)
                    .is_some_and(|quote| quote.to_lowercase().contains(text))
                || self.note.to_lowercase().contains(text))
    }
}

/// An imported annotation that could not be placed in this document's text: kept (stored,
/// listed, exported) until it is placed by hand or discarded, never dropped silently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Orphan {
    /// The annotation as recorded in its file; its span refers to the file's text.
    pub annotation: Annotation,
    /// The quoted text, when the file had it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;

    #[test]
    fn a_uuid_carries_its_version_and_variant() {
        let id = AnnotationId::uuid([0xff; 16], 4);
        assert_eq!(id.as_str(), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(&AnnotationId::uuid([0; 16], 8).as_str()[14..15], "8");
    }

    #[test]
    fn the_filter_matches_tag_quote_and_note_whatever_the_case() {
        let document = Document::from_raw("Mayor Renée Castellanos said no.");
        let mut annotation =
            Annotation::new("a".into(), Span::new(6, 11).unwrap(), Tag::Quote, "t");
        annotation.note = "Check the SPELLING".into();
        assert!(annotation.passes_filter(&document, None, ""));
        assert!(annotation.passes_filter(&document, Some(&Tag::Quote), "renée"));
        assert!(annotation.passes_filter(&document, None, "spelling"));
        assert!(!annotation.passes_filter(&document, Some(&Tag::Claim), ""));
        assert!(!annotation.passes_filter(&document, None, "castellanos"));
    }
}
