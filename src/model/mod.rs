//! The document, its annotations, and the reducer that edits them. No browser types here.

mod annotation;
mod attribute;
mod document;
mod history;
mod labels;
mod library;
pub mod limits;
pub mod markdown;
mod rejections;
mod relation;
mod search;
mod span;
mod store;
pub mod sync;
pub mod text_file;
mod words;

pub use annotation::{Annotation, AnnotationId, Orphan, Tag};
pub use attribute::{AttributeDef, AttributeKind, AttributeValue, Attributes};
pub use document::{normalize_text, Document, Paragraph};
pub use history::{History, HISTORY_LIMIT};
pub use labels::{Label, LabelColour, LabelEdit, LabelError, LabelSet, LABEL_KEYS, SOURCE};
pub use library::{DeletedDocument, Library, LibraryEntry};
pub use rejections::Rejections;
pub use relation::{Relation, RelationId, RelationType, ATTRIBUTED_TO, QUALIFIES};
pub use search::MAX_MATCHES;
pub use span::{Span, SpanEntry, SpanSet};
pub use store::{AnnotationStore, Change, Command, StoreError};
pub use words::{is_word, SpanEdge};
