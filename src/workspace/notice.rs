//! What the workspace tells the user, as data: the UI turns each notice into words
//! (`ui::words`), so the rules never build a sentence.

use crate::model::{LabelError, StoreError};

/// How a status message is announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    /// `role="status"`: polite.
    Info,
    /// `role="alert"`: bad input or a fault.
    Error,
}

/// One thing to tell the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A change the store refused (an id in use, a span outside the text).
    ChangeRefused(StoreError),
    /// Only spaces were selected: nothing was tagged.
    OnlySpaces,
    /// "Tag all matches": how many were tagged with which label, and how many already were.
    TaggedAll {
        /// New annotations.
        added: usize,
        /// The label's name.
        label: String,
        /// Matches that already carried it.
        already: usize,
    },
    /// Placing an orphan needs a text selection first.
    SelectWhereItBelongs,
    /// An import landed; `labels_added` labels came with it.
    Imported {
        /// The import's own summary (placed, re-anchored, not placed).
        summary: String,
        /// Labels the file brought that the set did not have.
        labels_added: usize,
    },
    /// An import was refused whole.
    ImportRefused(StoreError),
    /// A label was removed; its annotations keep their tag.
    LabelRemoved(String),
    /// A label edit was refused.
    LabelsUnchanged(LabelError),
    /// The last label edit was undone.
    LabelEditUndone,
    /// A document was deleted here (undoable).
    DocumentDeleted(String),
    /// The deleted document is back.
    DocumentRestored(String),
    /// Another tab deleted a document (not the one open here); Undo brings it back.
    DeletedElsewhere(String),
    /// Linking started: choose the target.
    ChooseLinkTarget,
    /// A relation cannot go from an annotation to itself.
    LinkToAnother,
    /// No relation type is offered (all removed).
    NoRelationTypes,
    /// That relation exists already.
    AlreadyLinked,
    /// A relation was made.
    Linked {
        /// The quote it starts from.
        from: String,
        /// The quote it points to.
        to: String,
        /// Its type's name.
        kind: String,
    },
    /// A pattern file was loaded: how many patterns.
    PatternsLoaded(usize),
    /// Shift+A accepted every open suggestion of a label.
    AcceptedAll {
        /// How many.
        accepted: usize,
        /// The label's name.
        label: String,
    },
    /// Compare mode opened.
    Comparing {
        /// How many layers.
        layers: usize,
        /// How many disagreements.
        disagreements: usize,
    },
    /// Accept agreed added spans to the gold document.
    AcceptedAgreed {
        /// Spans added.
        added: usize,
        /// Agreed spans it had already.
        already: usize,
    },
    /// Words the UI composed itself (a file it could not read, a count it measured).
    Said(String),
}

/// The message in the status region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// Polite or alert.
    pub kind: StatusKind,
    /// What to say.
    pub notice: Notice,
    /// After an import: placed, re-anchored and orphaned counts.
    pub import_counts: Option<(usize, usize, usize)>,
}

impl Status {
    /// A polite message in the UI's own words.
    pub fn info(text: impl Into<String>) -> Self {
        Self::of(StatusKind::Info, Notice::Said(text.into()))
    }

    /// An alert in the UI's own words.
    pub fn error(text: impl Into<String>) -> Self {
        Self::of(StatusKind::Error, Notice::Said(text.into()))
    }

    /// An alert for a change the store refused.
    pub fn refused(error: StoreError) -> Self {
        Self::of(StatusKind::Error, Notice::ChangeRefused(error))
    }

    /// A notice announced as `kind`.
    pub fn of(kind: StatusKind, notice: Notice) -> Self {
        Self {
            kind,
            notice,
            import_counts: None,
        }
    }
}
