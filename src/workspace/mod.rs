//! The app's rules in plain Rust: the open document with its store and history, the library,
//! the labels with their undo, the selection; [`Workspace::apply`] takes an [`Action`] and
//! returns the new workspace (the same `Rc` when nothing changed), with what to tell the user as
//! a typed [`Notice`] (the UI turns notices into words). Pure: time and ids arrive inside
//! actions; storage is written by the persistence hook, never here. The UI's `Reducible` is a
//! thin adapter over it (`ui/state.rs`), and tests run it natively.

mod notice;

use std::rc::Rc;

pub use notice::{Notice, Status, StatusKind};

use crate::format::ImportReport;
use crate::model::{
    Annotation, AnnotationId, AnnotationStore, Command, DeletedDocument, Document, History,
    LabelEdit, LabelSet, Library, LibraryEntry, Span, SpanEdge, StoreError, Tag,
};
use crate::persist::load::{Incoming, LibraryNotice};

/// The document being annotated.
#[derive(Debug, PartialEq)]
pub struct OpenDocument {
    /// Library id: the text's whole SHA-256 in hex (a prefix of it could be shared by two
    /// different texts).
    pub id: String,
    /// File name or title.
    pub name: String,
    /// The text and its paragraphs.
    pub document: Rc<Document>,
}

impl OpenDocument {
    /// Wraps a document under `name`, deriving its id from its text.
    pub fn new(name: String, document: Document) -> Self {
        Self::with_id(document.sha256().to_owned(), name, document)
    }

    /// Wraps a stored document under its library id (one migrated from an old layout without
    /// its text keeps its old id).
    pub fn with_id(id: String, name: String, document: Document) -> Self {
        Self {
            id,
            name,
            document: Rc::new(document),
        }
    }

    /// The name without its extension, used in export file names.
    pub fn stem(&self) -> &str {
        self.name
            .rsplit_once('.')
            .map_or(self.name.as_str(), |(stem, _)| stem)
    }
}

/// How many label edits can be undone.
const LABEL_UNDO_LIMIT: usize = 100;

/// A document with its annotations and history, ready to become current.
#[derive(Clone)]
pub struct LoadedDocument {
    /// The document.
    pub open: Rc<OpenDocument>,
    /// Its annotations.
    pub store: AnnotationStore,
    /// Its undo history.
    pub history: History,
    /// The library with this document in it (and current).
    pub library: Library,
    /// What to tell the user (e.g. a storage fault met while loading).
    pub status: Option<Status>,
}

/// Everything the UI shows.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The current document.
    pub open: Rc<OpenDocument>,
    /// Its annotations; shared, so actions that leave them alone (selection, status) do not
    /// copy them, and the save effect keeps the last saved version for the price of a pointer.
    pub store: Rc<AnnotationStore>,
    /// Its annotations as read from storage when it became current (what its first save
    /// compares against).
    pub stored: Rc<AnnotationStore>,
    /// Its undo and redo stacks.
    pub history: History,
    /// Bumped on every change of `store`: the key of the save effect and of highlight syncs.
    pub revision: u64,
    /// The annotation selected in the sidebar or by a click.
    pub selected: Option<AnnotationId>,
    /// The browser selection inside the article, as a span (what 1/2/3 would tag).
    pub text_selection: Option<Span>,
    /// Every stored document.
    pub library: Rc<Vec<LibraryEntry>>,
    /// The labels of the document set (saved with the library).
    pub labels: Rc<LabelSet>,
    /// The document deleted last, while its deletion can be undone.
    pub deleted: Option<DeletedDocument>,
    /// The label sets before each of this visit's label edits, newest last (labels belong to
    /// the document set, so their undo is apart from a document's history).
    pub label_undo: Vec<Rc<LabelSet>>,
    /// The status region's message.
    pub status: Option<Status>,
    /// Set while changes cannot be saved.
    pub storage_fault: Option<String>,
    /// Whether mouse selections snap to whole words.
    pub snap_words: bool,
}

/// Everything that changes the state.
pub enum Action {
    /// The browser selection in the article changed.
    SetTextSelection(Option<Span>),
    /// 1/2/3 or a tag button: tag the text selection as a new annotation (which becomes
    /// selected), or else retag the selected annotation.
    Tag {
        /// The tag.
        tag: Tag,
        /// Id for a new annotation.
        new_id: AnnotationId,
        /// Time of the change.
        now: String,
    },
    /// "Tag all matches as": a new annotation for each span that does not already carry this
    /// tag exactly there, as one undoable step.
    TagAll {
        /// The tag.
        tag: Tag,
        /// The matches.
        spans: Rc<Vec<Span>>,
        /// Fresh ids, one per span.
        new_ids: Vec<AnnotationId>,
        /// Time of the change.
        now: String,
    },
    /// Select an annotation (or none).
    Select(Option<AnnotationId>),
    /// `j` / `k`: the next or previous annotation in document order; with none selected, the
    /// first after `caret` (or before it, for previous).
    SelectAdjacent {
        /// +1 for next, -1 for previous.
        forward: bool,
        /// The caret's offset, when there is a caret in the article.
        caret: Option<usize>,
    },
    /// Esc: clear both selections.
    ClearSelection,
    /// Set the selected annotation's note.
    SetNote {
        /// The new note.
        note: String,
        /// Time of the change.
        now: String,
    },
    /// Shift+Alt+arrows: move one edge of the selected annotation by a word (by a code point
    /// when snapping is off).
    Resize {
        /// Which edge.
        edge: SpanEdge,
        /// Towards the end of the text.
        forward: bool,
        /// Time of the change.
        now: String,
    },
    /// A resize handle let go: the selected annotation takes `span`.
    ResizeTo {
        /// Its new extent.
        span: Span,
        /// Time of the change.
        now: String,
    },
    /// Delete the selected annotation.
    DeleteSelected,
    /// Place an orphan at the text selection (chosen by hand); it becomes selected.
    PlaceOrphan {
        /// Which orphan.
        id: AnnotationId,
        /// Time of the change.
        now: String,
    },
    /// Discard an orphan.
    DiscardOrphan(AnnotationId),
    /// Undo the last change.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Add the annotations an import placed, as one undoable step.
    Import(ImportReport),
    /// Make a loaded document current.
    LoadDocument(Box<LoadedDocument>),
    /// Show a message.
    ShowStatus(Status),
    /// The last save failed (`Some`) or succeeded again (`None`).
    SetStorageFault(Option<String>),
    /// Turn word snapping on or off.
    SetSnapWords(bool),
    /// Another tab committed records newer than this tab's: its changes of the current
    /// document's annotations (not recorded for undo, which stays this tab's own), of the
    /// library's entries and counts, and of the labels.
    ApplyRemote(Incoming),
    /// Give a document of the library a new name (its exports are named after it).
    RenameDocument {
        /// Which document.
        id: String,
        /// The new name.
        name: String,
    },
    /// Mark a document of the library done or not done.
    SetDocumentDone {
        /// Which document.
        id: String,
        /// Done or not.
        done: bool,
    },
    /// Take a document (not the current one) out of the library; undoable until another is
    /// deleted.
    DeleteDocument(String),
    /// Bring the document deleted last back into the library.
    RestoreDeletedDocument,
    /// Change the document set's labels.
    EditLabels(LabelEdit),
    /// Take back the last change to the labels.
    UndoLabelEdit,
}

impl Workspace {
    /// The state showing `loaded`.
    pub fn from_loaded(loaded: LoadedDocument) -> Self {
        let store = Rc::new(loaded.store);
        Self {
            open: loaded.open,
            stored: store.clone(),
            store,
            history: loaded.history,
            revision: 0,
            selected: None,
            text_selection: None,
            library: Rc::new(loaded.library.documents),
            labels: Rc::new(loaded.library.labels),
            deleted: loaded.library.deleted,
            label_undo: Vec::new(),
            status: loaded.status,
            storage_fault: None,
            snap_words: true,
        }
    }

    /// The library as it stands now: the current document first-class, with its live count.
    pub fn library_snapshot(&self) -> Library {
        let mut documents = self.library.as_ref().clone();
        if let Some(entry) = documents.iter_mut().find(|e| e.id == self.open.id) {
            entry.count = self.store.len();
        }
        Library {
            current: Some(self.open.id.clone()),
            documents,
            labels: self.labels.as_ref().clone(),
            deleted: self.deleted.clone(),
        }
    }

    /// The selected annotation.
    pub fn selected_annotation(&self) -> Option<&Rc<Annotation>> {
        self.selected.as_ref().and_then(|id| self.store.get(id))
    }

    /// Applies a command, records it for undo, bumps the revision. `false` if refused.
    fn commit(
        &mut self,
        command: Command,
        merge_key: Option<AnnotationId>,
    ) -> Result<(), StoreError> {
        let change = Rc::make_mut(&mut self.store).apply(command)?;
        self.history.record(change, merge_key);
        self.revision += 1;
        Ok(())
    }

    /// Gives the selected annotation the extent `span` (one undo step; nothing when unchanged).
    fn resize_selected(&mut self, span: Span, now: &str) {
        let resized = self
            .selected
            .as_ref()
            .and_then(|id| self.store.resize(id, span, now));
        if let Some(command) = resized {
            if let Err(error) = self.commit(command, None) {
                self.status = Some(Status::refused(error));
            }
        }
    }

    /// Drops the selection of an annotation that no longer exists.
    fn forget_missing_selection(&mut self) {
        if self.selected_annotation().is_none() {
            self.selected = None;
        }
    }
}

impl Workspace {
    /// Takes another tab's committed records (already known to be newer than this tab's).
    fn apply_remote(&mut self, incoming: Incoming) {
        if !self.store.commands_for(&incoming.change).is_empty()
            && Rc::make_mut(&mut self.store).apply_remote(&incoming.change)
        {
            self.revision += 1;
            self.forget_missing_selection();
        }
        let library_changes = !incoming.entries.is_empty()
            || !incoming.counts.is_empty()
            || !incoming.labels.is_empty();
        if library_changes {
            let mut library = self.library_snapshot();
            for notice in incoming.apply_to_library(&mut library, &self.open.id) {
                let LibraryNotice::DeletedElsewhere(name) = notice;
                self.status = Some(Status::of(StatusKind::Info, Notice::DeletedElsewhere(name)));
            }
            if let Some(entry) = library.documents.iter().find(|e| e.id == self.open.id) {
                if entry.name != self.open.name {
                    self.open = Rc::new(OpenDocument::with_id(
                        entry.id.clone(),
                        entry.name.clone(),
                        (*self.open.document).clone(),
                    ));
                }
            }
            self.library = Rc::new(library.documents);
            self.deleted = library.deleted;
            if library.labels != *self.labels {
                self.labels = Rc::new(library.labels);
            }
        }
    }
}

impl Workspace {
    /// Applies `action`: the new workspace, or the same `Rc` when nothing changes (so the UI
    /// skips a render).
    pub fn apply(self: Rc<Self>, action: Action) -> Rc<Self> {
        // No-ops return the same Rc, so Yew skips the re-render.
        match &action {
            Action::SetTextSelection(span) if *span == self.text_selection => return self,
            Action::Select(id) if *id == self.selected && self.text_selection.is_none() => {
                return self
            }
            Action::SetStorageFault(fault) if *fault == self.storage_fault => return self,
            Action::SetSnapWords(snap) if *snap == self.snap_words => return self,
            Action::Undo if !self.history.can_undo() => return self,
            Action::UndoLabelEdit if self.label_undo.is_empty() => return self,
            Action::Redo if !self.history.can_redo() => return self,
            _ => {}
        }
        let mut state = Rc::unwrap_or_clone(self);
        match action {
            Action::SetTextSelection(span) => state.text_selection = span,
            Action::Tag { tag, new_id, now } => {
                if let Some(selected) = state.text_selection.take() {
                    // With snapping on, no span begins or ends with spaces or line breaks: also
                    // not one made with the keyboard (Shift+Ctrl+Down takes the blank line after
                    // a paragraph) or with Alt held (which keeps the words as selected).
                    let span = if state.snap_words {
                        state.open.document.trim_spaces(selected)
                    } else {
                        Some(selected)
                    };
                    let Some(span) = span else {
                        state.status = Some(Status::of(StatusKind::Info, Notice::OnlySpaces));
                        return Rc::new(state);
                    };
                    let annotation = Annotation::new(new_id.clone(), span, tag, &now);
                    match state.commit(Command::Create { annotation }, None) {
                        Ok(()) => {
                            state.selected = Some(new_id);
                            state.status = None;
                        }
                        Err(error) => state.status = Some(Status::refused(error)),
                    }
                } else if let Some(id) = state.selected.clone() {
                    if let Some(command) = state.store.retag(&id, tag, &now) {
                        if let Err(error) = state.commit(command, None) {
                            state.status = Some(Status::refused(error));
                        }
                    }
                }
            }
            Action::TagAll {
                tag,
                spans,
                new_ids,
                now,
            } => {
                let already = |span: Span| {
                    state.store.spans().overlapping(span).any(|entry| {
                        entry.span == span
                            && state.store.get(&entry.id).is_some_and(|a| a.tag == tag)
                    })
                };
                let commands: Vec<Command> = spans
                    .iter()
                    .zip(new_ids)
                    .filter(|(span, _)| !already(**span))
                    .map(|(span, id)| Command::Create {
                        annotation: Annotation::new(id, *span, tag.clone(), &now),
                    })
                    .collect();
                let (added, skipped) = (commands.len(), spans.len() - commands.len());
                let outcome = if commands.is_empty() {
                    Ok(())
                } else {
                    state.commit(Command::Batch { commands }, None)
                };
                state.status = Some(match outcome {
                    Ok(()) => Status::of(
                        StatusKind::Info,
                        Notice::TaggedAll {
                            added,
                            label: state.labels.name_of(&tag),
                            already: skipped,
                        },
                    ),
                    Err(error) => Status::refused(error),
                });
            }
            Action::Select(id) => {
                state.selected = id.filter(|id| state.store.get(id).is_some());
                state.text_selection = None;
            }
            Action::SelectAdjacent { forward, caret } => {
                let spans = state.store.spans();
                let current = state
                    .selected_annotation()
                    .and_then(|a| spans.position(a.span, &a.id).ok());
                let index = match (current, forward) {
                    (Some(i), true) => Some(i + 1),
                    (Some(i), false) => i.checked_sub(1),
                    (None, true) => Some(spans.first_starting_at_or_after(caret.unwrap_or(0))),
                    (None, false) => caret
                        .map_or(spans.len(), |c| spans.first_starting_at_or_after(c))
                        .checked_sub(1),
                };
                if let Some(entry) = index.and_then(|i| spans.get(i)) {
                    state.selected = Some(entry.id.clone());
                    state.text_selection = None;
                }
            }
            Action::ClearSelection => {
                state.selected = None;
                state.text_selection = None;
            }
            Action::SetNote { note, now } => {
                if let Some(id) = state.selected.clone() {
                    if let Some(command) = state.store.set_note(&id, &note, &now) {
                        if let Err(error) = state.commit(command, Some(id)) {
                            state.status = Some(Status::refused(error));
                        }
                    }
                }
            }
            Action::Resize { edge, forward, now } => {
                let stepped = state.selected_annotation().and_then(|annotation| {
                    state
                        .open
                        .document
                        .step_edge(annotation.span, edge, forward, state.snap_words)
                });
                if let Some(span) = stepped {
                    state.resize_selected(span, &now);
                }
            }
            Action::ResizeTo { span, now } => state.resize_selected(span, &now),
            Action::DeleteSelected => {
                if let Some(id) = state.selected.take() {
                    if let Err(error) = state.commit(Command::Delete { id }, None) {
                        state.status = Some(Status::refused(error));
                    }
                }
            }
            Action::PlaceOrphan { id, now } => {
                let command = state
                    .text_selection
                    .and_then(|span| state.store.place_orphan(&id, span, &now));
                match command.map(|command| state.commit(command, None)) {
                    Some(Ok(())) => {
                        state.text_selection = None;
                        state.selected = Some(id);
                    }
                    Some(Err(error)) => state.status = Some(Status::refused(error)),
                    None => {
                        state.status =
                            Some(Status::of(StatusKind::Info, Notice::SelectWhereItBelongs))
                    }
                }
            }
            Action::DiscardOrphan(id) => {
                if let Err(error) = state.commit(Command::RemoveOrphan { id }, None) {
                    state.status = Some(Status::refused(error));
                }
            }
            Action::Undo | Action::Redo => {
                let undo = matches!(action, Action::Undo);
                let result = if undo {
                    state.history.undo(Rc::make_mut(&mut state.store))
                } else {
                    state.history.redo(Rc::make_mut(&mut state.store))
                };
                match result {
                    Ok(true) => {
                        state.revision += 1;
                        state.forget_missing_selection();
                    }
                    Ok(false) => {}
                    Err(error) => state.status = Some(Status::refused(error)),
                }
            }
            Action::Import(mut report) => {
                let added_labels = report
                    .labels
                    .take()
                    .map_or(0, |theirs| Rc::make_mut(&mut state.labels).merge(&theirs));
                let commands = report.commands();
                let outcome = if commands.is_empty() {
                    Ok(())
                } else {
                    state.commit(Command::Batch { commands }, None)
                };
                state.status = Some(match outcome {
                    Ok(()) => Status {
                        kind: StatusKind::Info,
                        notice: Notice::Imported {
                            summary: report.summary(),
                            labels_added: added_labels,
                        },
                        import_counts: Some((
                            report.placed.len(),
                            report.reanchored.len(),
                            report.orphaned.len(),
                        )),
                    },
                    Err(error) => Status::of(StatusKind::Error, Notice::ImportRefused(error)),
                });
            }
            Action::LoadDocument(loaded) => {
                let (fault, snap_words) = (state.storage_fault.take(), state.snap_words);
                let label_undo = std::mem::take(&mut state.label_undo);
                state = Workspace::from_loaded(*loaded);
                state.storage_fault = fault;
                state.snap_words = snap_words;
                state.label_undo = label_undo;
            }
            Action::ShowStatus(status) => state.status = Some(status),
            Action::SetStorageFault(fault) => state.storage_fault = fault,
            Action::SetSnapWords(snap) => state.snap_words = snap,
            Action::ApplyRemote(incoming) => state.apply_remote(incoming),
            Action::RenameDocument { id, name } => {
                let name = name.trim().to_owned();
                if !name.is_empty() {
                    let mut documents = state.library.as_ref().clone();
                    if let Some(entry) = documents.iter_mut().find(|e| e.id == id) {
                        entry.name = name.clone();
                    }
                    state.library = Rc::new(documents);
                    if state.open.id == id {
                        state.open = Rc::new(OpenDocument {
                            id: state.open.id.clone(),
                            name,
                            document: state.open.document.clone(),
                        });
                    }
                }
            }
            Action::SetDocumentDone { id, done } => {
                let mut documents = state.library.as_ref().clone();
                if let Some(entry) = documents.iter_mut().find(|e| e.id == id) {
                    entry.done = done;
                }
                state.library = Rc::new(documents);
            }
            Action::EditLabels(edit) => {
                let message = match &edit {
                    LabelEdit::Remove(tag) => Some(Notice::LabelRemoved(state.labels.name_of(tag))),
                    _ => None,
                };
                let before = Rc::clone(&state.labels);
                match Rc::make_mut(&mut state.labels).edit(edit) {
                    Ok(()) => {
                        state.status = message.map(|m| Status::of(StatusKind::Info, m));
                        if *state.labels != *before {
                            state.label_undo.push(before);
                            if state.label_undo.len() > LABEL_UNDO_LIMIT {
                                state.label_undo.remove(0);
                            }
                        }
                    }
                    Err(error) => {
                        state.status = Some(Status::of(
                            StatusKind::Error,
                            Notice::LabelsUnchanged(error),
                        ))
                    }
                }
            }
            Action::UndoLabelEdit => {
                if let Some(previous) = state.label_undo.pop() {
                    state.labels = previous;
                    state.status = Some(Status::of(StatusKind::Info, Notice::LabelEditUndone));
                }
            }
            Action::DeleteDocument(id) => {
                let position = state.library.iter().position(|e| e.id == id);
                if let (Some(position), false) = (position, id == state.open.id) {
                    let mut documents = state.library.as_ref().clone();
                    let entry = documents.remove(position);
                    let notice = Notice::DocumentDeleted(entry.name.clone());
                    state.status = Some(Status::of(StatusKind::Info, notice));
                    state.deleted = Some(DeletedDocument { entry, position });
                    state.library = Rc::new(documents);
                }
            }
            Action::RestoreDeletedDocument => {
                if let Some(DeletedDocument { entry, position }) = state.deleted.take() {
                    let mut documents = state.library.as_ref().clone();
                    let notice = Notice::DocumentRestored(entry.name.clone());
                    state.status = Some(Status::of(StatusKind::Info, notice));
                    if !documents.iter().any(|e| e.id == entry.id) {
                        documents.insert(position.min(documents.len()), entry);
                    }
                    state.library = Rc::new(documents);
                }
            }
        }
        Rc::new(state)
    }
}

#[cfg(test)]
mod tests;
