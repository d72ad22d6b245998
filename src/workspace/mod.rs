//! The app's rules in plain Rust: the open document with its store and history, the library,
//! the labels with their undo, the selection; [`Workspace::apply`] takes an [`Action`] and
//! returns the new workspace (the same `Rc` when nothing changed), with what to tell the user as
//! a typed [`Notice`] (the UI turns notices into words). Pure: time and ids arrive inside
//! actions; storage is written by the persistence hook, never here. The UI's `Reducible` is a
//! thin adapter over it (`ui/state.rs`), and tests run it natively.

mod comparison;
mod notice;
mod suggestions;

use std::rc::Rc;

pub use comparison::Comparison;
pub use notice::{Notice, Status, StatusKind};
pub use suggestions::Suggestions;

use crate::format::ImportReport;
use crate::model::{
    Annotation, AnnotationId, AnnotationStore, AttributeValue, Command, DeletedDocument, Document,
    History, LabelEdit, LabelSet, Library, LibraryEntry, RelationId, Span, SpanEdge, StoreError,
    Tag,
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
    /// Set while a relation is being made (after `r`): from which annotation, and the target
    /// `j`/`k` moved to.
    pub linking: Option<Linking>,
    /// Set while annotators' files are compared (Compare…): it stays across a switch to a
    /// document of the same text (the gold one).
    pub comparison: Option<Rc<Comparison>>,
    /// Who annotates in this library (saved with it; written into exports).
    pub annotator: Rc<str>,
    /// Suggestions: on or off, the pattern file, what was computed, the selected one.
    pub suggestions: Suggestions,
}

/// A relation being made: the annotation it starts from and the candidate target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linking {
    /// The annotation the relation starts from (the one selected when linking began).
    pub from: AnnotationId,
    /// The target `Enter` links to, moved with `j`/`k` through the other annotations.
    pub candidate: Option<AnnotationId>,
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
    /// Select an annotation (or none, which also stops a link being made).
    Select(Option<AnnotationId>),
    /// A click on an annotation's highlight or list item: while linking, the relation to it;
    /// otherwise, select it.
    Choose {
        /// The annotation clicked.
        id: AnnotationId,
        /// Id for the relation, if one is made.
        new_relation_id: RelationId,
    },
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
    /// `r`: start a relation from the selected annotation.
    StartLink,
    /// `j`/`k` while linking: move the target candidate through the other annotations in
    /// document order, starting from the one being linked.
    MoveLinkCandidate {
        /// +1 for next, -1 for previous.
        forward: bool,
    },
    /// While linking: make the relation to `target` (a click), or to the candidate (`Enter`),
    /// typed by default from the two labels; the annotation it starts from stays selected.
    LinkTo {
        /// The target; `None` for the candidate.
        target: Option<AnnotationId>,
        /// Id for the new relation.
        new_id: RelationId,
    },
    /// `Esc` while linking: stop without a relation.
    CancelLink,
    /// Give a relation another type.
    RetypeRelation {
        /// Which relation.
        id: RelationId,
        /// The type's id.
        kind: String,
    },
    /// Set a relation's note.
    SetRelationNote {
        /// Which relation.
        id: RelationId,
        /// The new note.
        note: String,
    },
    /// Delete a relation.
    DeleteRelation(RelationId),
    /// Give the library's annotator name (trimmed).
    SetAnnotator(String),
    /// Show suggestions or not.
    SetSuggestionsOn(bool),
    /// Suggestions computed for a document (ignored when another is open now).
    SuggestionsComputed {
        /// The document they were computed for.
        document: String,
        /// Every suggestion, in document order.
        all: Rc<Vec<crate::suggest::Suggestion>>,
    },
    /// A pattern file loaded (already parsed; a file with a bad line never gets here): its
    /// text, stored with the library.
    SetPatterns(Rc<str>),
    /// `n` / `p`: the next or previous open suggestion (from the selected one or the caret).
    StepSuggestion {
        /// Towards the end of the text.
        forward: bool,
        /// The caret's offset, when there is a caret in the article.
        caret: Option<usize>,
    },
    /// A click on a suggestion (its list item or its dashed span).
    ChooseSuggestion(Span, Tag),
    /// `a`: accept the selected suggestion (an ordinary annotation, one undo step).
    AcceptSuggestion {
        /// Id for its annotation.
        new_id: AnnotationId,
        /// Id for the relation to its speaker or quote, if one is made.
        relation_id: RelationId,
        /// Time of the change.
        now: String,
    },
    /// `Shift+A`: accept every open suggestion of the selected one's label, as one step.
    AcceptAllOfLabel {
        /// Fresh ids: two per suggestion (its annotation, a relation).
        new_ids: Vec<AnnotationId>,
        /// Time of the change.
        now: String,
    },
    /// `x`: reject the selected suggestion (not suggested again in this document; an undo
    /// step).
    RejectSuggestion,
    /// Open a comparison of annotators' layers of the current document.
    Compare(Box<Comparison>),
    /// Leave compare mode.
    CloseComparison,
    /// `n` / `p` in compare mode: the next or previous disagreement.
    WalkDisagreement {
        /// Towards the end of the text.
        forward: bool,
    },
    /// Accept agreed: every span all layers share exactly joins the current document (the gold
    /// one), with who had it, as one undo step.
    AcceptAgreed {
        /// Fresh ids, at least one per agreed span.
        new_ids: Vec<AnnotationId>,
        /// Time of the change.
        now: String,
    },
    /// Take one layer's version of the current disagreement into the current document.
    AcceptVersion {
        /// The layer's index.
        layer: usize,
        /// Fresh ids, at least one per span of that version.
        new_ids: Vec<AnnotationId>,
        /// Time of the change.
        now: String,
    },
    /// Settle the current disagreement by taking none of its versions (again: undo that).
    RejectDisagreement,
    /// Set (or clear, with `None`) one attribute of the selected annotation.
    SetAttribute {
        /// The attribute's name.
        name: String,
        /// Its value.
        value: Option<AttributeValue>,
        /// Time of the change.
        now: String,
    },
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
            linking: None,
            comparison: None,
            annotator: loaded.library.annotator.as_str().into(),
            suggestions: {
                let mut suggestions = Suggestions::default();
                suggestions.set_patterns(loaded.library.patterns.as_str().into());
                suggestions
            },
        }
    }

    /// Adds `spans` to the current document as one undo step (nothing when it has them all).
    fn add_merged(
        &mut self,
        spans: &[crate::agree::MergedSpan],
        new_ids: Vec<AnnotationId>,
        now: &str,
    ) -> usize {
        // Ids run out only for a version of more spans than the UI gave ids for: the rest are
        // numbered after this revision, unique within the step.
        let (mut ids, revision, mut extra) = (new_ids.into_iter(), self.revision, 0);
        let mut new_id = || {
            ids.next().unwrap_or_else(|| {
                extra += 1;
                AnnotationId::from(format!("gold-{revision}-{extra}"))
            })
        };
        let commands = Comparison::additions(&self.store, spans, &mut new_id, now);
        let added = commands.len();
        if added > 0 {
            self.commit_or_say(Some(Command::Batch { commands }), None);
        }
        added
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
            annotator: self.annotator.to_string(),
            patterns: self.suggestions.patterns_source.to_string(),
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

    /// Drops the selection of an annotation that no longer exists, and a link whose start
    /// is gone.
    fn forget_missing_selection(&mut self) {
        if self.selected_annotation().is_none() {
            self.selected = None;
        }
        if let Some(linking) = &self.linking {
            if self.store.get(&linking.from).is_none() {
                self.linking = None;
            }
        }
    }

    /// Commits `command` (a relation or attribute edit; `None`: nothing to do), saying why
    /// when the store refuses it.
    fn commit_or_say(&mut self, command: Option<Command>, merge_key: Option<AnnotationId>) {
        if let Some(command) = command {
            if let Err(error) = self.commit(command, merge_key) {
                self.status = Some(Status::refused(error));
            }
        }
    }

    /// The relation from the linking start to `target`, typed by default from the two
    /// labels; says why when none can be made.
    fn link(&mut self, target: AnnotationId, new_id: RelationId) {
        let Some(linking) = self.linking.take() else {
            return;
        };
        let ends = (self.store.get(&linking.from), self.store.get(&target));
        let (Some(from), Some(to)) = ends else {
            return;
        };
        if from.id == to.id {
            self.linking = Some(linking);
            self.status = Some(Status::of(StatusKind::Info, Notice::LinkToAnother));
            return;
        }
        let Some(kind) = self.labels.default_relation_type(&from.tag, &to.tag) else {
            self.status = Some(Status::of(StatusKind::Error, Notice::NoRelationTypes));
            return;
        };
        let kind = kind.to_owned();
        let quote = |a: &Annotation| {
            self.open
                .document
                .slice(a.span)
                .unwrap_or_default()
                .to_owned()
        };
        let notice = Notice::Linked {
            from: quote(from),
            to: quote(to),
            kind: self.labels.relation_name_of(&kind),
        };
        match self.store.relate(new_id, &kind, &from.id, &to.id) {
            Some(command) => match self.commit(command, None) {
                Ok(()) => self.status = Some(Status::of(StatusKind::Info, notice)),
                Err(error) => self.status = Some(Status::refused(error)),
            },
            None => self.status = Some(Status::of(StatusKind::Info, Notice::AlreadyLinked)),
        }
        self.selected = Some(linking.from);
    }
}

impl Workspace {
    /// Takes another tab's committed records (already known to be newer than this tab's).
    fn apply_remote(&mut self, incoming: Incoming) {
        if !self.store.commands_for(&incoming.change).is_empty()
            && Rc::make_mut(&mut self.store).apply_remote(&incoming.change)
        {
            // Not an undo step: relations left pointing at an end deleted in one tab while
            // made in another go (and are saved as gone).
            if let Some(sweep) = self.store.dangling_relation_deletes() {
                let _ = Rc::make_mut(&mut self.store).apply(sweep);
            }
            self.revision += 1;
            self.forget_missing_selection();
        }
        let library_changes = !incoming.entries.is_empty()
            || !incoming.counts.is_empty()
            || !incoming.labels.is_empty()
            || !incoming.relation_types.is_empty()
            || incoming.annotator.is_some()
            || incoming.patterns.is_some();
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
            if *library.annotator != *self.annotator {
                self.annotator = library.annotator.as_str().into();
            }
            if *library.patterns != *self.suggestions.patterns_source {
                self.suggestions
                    .set_patterns(library.patterns.as_str().into());
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
            Action::Select(id)
                if *id == self.selected
                    && self.text_selection.is_none()
                    && (id.is_some() || self.linking.is_none()) =>
            {
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
                if id.is_none() {
                    state.linking = None;
                }
                state.selected = id.filter(|id| state.store.get(id).is_some());
                state.text_selection = None;
            }
            Action::Choose {
                id,
                new_relation_id,
            } => {
                if state.linking.is_some() {
                    state.link(id, new_relation_id);
                } else if state.store.get(&id).is_some() {
                    state.selected = Some(id);
                    state.text_selection = None;
                }
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
                state.linking = None;
            }
            Action::StartLink => {
                if let Some(from) = state.selected.clone() {
                    state.linking = Some(Linking {
                        from,
                        candidate: None,
                    });
                    state.text_selection = None;
                    state.status = Some(Status::of(StatusKind::Info, Notice::ChooseLinkTarget));
                }
            }
            Action::MoveLinkCandidate { forward } => {
                let spans = state.store.spans();
                let candidate = state.linking.as_ref().and_then(|linking| {
                    let at = |id: &AnnotationId| {
                        let annotation = state.store.get(id)?;
                        spans.position(annotation.span, id).ok()
                    };
                    let start = at(&linking.from)?;
                    let current = linking.candidate.as_ref().and_then(at).unwrap_or(start);
                    let step = |i: usize| match forward {
                        true => i.checked_add(1).filter(|i| *i < spans.len()),
                        false => i.checked_sub(1),
                    };
                    let mut next = step(current)?;
                    if next == start {
                        next = step(next)?;
                    }
                    spans.get(next).map(|entry| entry.id.clone())
                });
                if let (Some(candidate), Some(linking)) = (candidate, state.linking.as_mut()) {
                    linking.candidate = Some(candidate);
                }
            }
            Action::LinkTo { target, new_id } => {
                let target = target.or_else(|| state.linking.as_ref()?.candidate.clone());
                match target {
                    Some(target) => state.link(target, new_id),
                    None => {
                        state.status = Some(Status::of(StatusKind::Info, Notice::ChooseLinkTarget))
                    }
                }
            }
            Action::CancelLink => {
                if state.linking.take().is_some() {
                    state.status = None;
                }
            }
            Action::RetypeRelation { id, kind } => {
                let command = state.store.update_relation(&id, |r| r.kind = kind);
                state.commit_or_say(command, None);
            }
            Action::SetRelationNote { id, note } => {
                let command = state.store.update_relation(&id, |r| r.note = note);
                state.commit_or_say(command, Some(id));
            }
            Action::DeleteRelation(id) => {
                let command = state
                    .store
                    .relation(&id)
                    .map(|_| Command::DeleteRelation { id });
                state.commit_or_say(command, None);
            }
            Action::SetAttribute { name, value, now } => {
                let command = state.selected_annotation().and_then(|annotation| {
                    let mut attributes = annotation.attributes.clone();
                    match value {
                        Some(value) => attributes.insert(name, value),
                        None => attributes.remove(&name),
                    };
                    state.store.set_attributes(&annotation.id, attributes, &now)
                });
                state.commit_or_say(command, None);
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
                    let command = state.store.delete(&id);
                    state.commit_or_say(command, None);
                    state.linking = None;
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
                let command = state.store.discard_orphan(&id);
                state.commit_or_say(command, None);
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
                let suggestions = std::mem::take(&mut state.suggestions);
                let comparison = state
                    .comparison
                    .take()
                    .filter(|c| c.text_sha256 == loaded.open.document.sha256());
                state = Workspace::from_loaded(*loaded);
                state.storage_fault = fault;
                state.snap_words = snap_words;
                state.label_undo = label_undo;
                state.comparison = comparison;
                state.suggestions = Suggestions {
                    on: suggestions.on,
                    patterns: suggestions.patterns,
                    patterns_source: suggestions.patterns_source,
                    ..Suggestions::default()
                };
            }
            Action::Compare(comparison) => {
                state.status = Some(Status::of(
                    StatusKind::Info,
                    Notice::Comparing {
                        layers: comparison.layers.len(),
                        disagreements: comparison.disagreements.len(),
                    },
                ));
                state.comparison = Some(Rc::new(*comparison));
            }
            Action::CloseComparison => state.comparison = None,
            Action::SetAnnotator(name) => state.annotator = name.trim().into(),
            Action::SetSuggestionsOn(on) => {
                state.suggestions.on = on;
                if !on {
                    state.suggestions.selected = None;
                }
            }
            Action::SuggestionsComputed { document, all } => {
                if document == state.open.id {
                    state.suggestions.all = all;
                    state.suggestions.document = document;
                }
            }
            Action::SetPatterns(source) => {
                state.suggestions.set_patterns(source);
                let count = state.suggestions.patterns;
                state.status = Some(Status::of(StatusKind::Info, Notice::PatternsLoaded(count)));
            }
            Action::StepSuggestion { forward, caret } => {
                let open = state.suggestions.open(&state.store);
                let next = state.suggestions.step(&open, forward, caret);
                if next.is_some() {
                    state.suggestions.selected = next;
                    state.selected = None;
                    state.text_selection = None;
                }
            }
            Action::ChooseSuggestion(span, tag) => {
                state.suggestions.selected = Some((span, tag));
                state.selected = None;
                state.text_selection = None;
            }
            Action::AcceptSuggestion {
                new_id,
                relation_id,
                now,
            } => {
                // The open list once: the accepted one is found in it, and the next after it.
                let open = state.suggestions.open(&state.store);
                let chosen = state.suggestions.selected.as_ref();
                let found = chosen
                    .and_then(|(span, tag)| open.iter().find(|s| s.span == *span && s.tag == *tag));
                if let Some(accepted) = found.cloned() {
                    let next = state.suggestions.step(&open, true, None);
                    let commands = state.suggestions.accept(
                        &state.store,
                        &state.labels,
                        &accepted,
                        new_id,
                        relation_id,
                        &now,
                    );
                    state.commit_or_say(Some(Command::Batch { commands }), None);
                    state.suggestions.selected = next;
                }
            }
            Action::AcceptAllOfLabel { new_ids, now } => {
                let tag = state
                    .suggestions
                    .selected
                    .as_ref()
                    .map(|(_, tag)| tag.clone());
                if let Some(tag) = tag {
                    // Each accepted against the store as the ones before it leave it, so a quote
                    // and its speaker accepted together are linked.
                    let mut scratch = AnnotationStore::clone(&state.store);
                    let mut ids = new_ids.into_iter();
                    let mut commands = Vec::new();
                    let of_label: Vec<_> = state
                        .suggestions
                        .open(&state.store)
                        .into_iter()
                        .filter(|s| s.tag == tag)
                        .collect();
                    for accepted in &of_label {
                        let (Some(id), Some(relation)) = (ids.next(), ids.next()) else {
                            break;
                        };
                        let accept = state.suggestions.accept(
                            &scratch,
                            &state.labels,
                            accepted,
                            id,
                            relation,
                            &now,
                        );
                        let batch = Command::Batch { commands: accept };
                        if scratch.apply(batch.clone()).is_ok() {
                            commands.push(batch);
                        }
                    }
                    let accepted = commands.len();
                    state.commit_or_say(Some(Command::Batch { commands }), None);
                    state.suggestions.selected = None;
                    state.status = Some(Status::of(
                        StatusKind::Info,
                        Notice::AcceptedAll {
                            accepted,
                            label: state.labels.name_of(&tag),
                        },
                    ));
                }
            }
            Action::RejectSuggestion => {
                if let Some((span, tag)) = state.suggestions.selected.clone() {
                    let open = state.suggestions.open(&state.store);
                    let next = state.suggestions.step(&open, true, None);
                    state.commit_or_say(Some(Command::Reject { span, tag }), None);
                    state.suggestions.selected = next;
                }
            }
            Action::WalkDisagreement { forward } => {
                if let Some(comparison) = state.comparison.as_mut() {
                    let next = comparison.step(forward);
                    Rc::make_mut(comparison).current = next;
                }
            }
            Action::AcceptAgreed { new_ids, now } => {
                if let Some(comparison) = state.comparison.clone() {
                    let added = state.add_merged(&comparison.agreed, new_ids, &now);
                    let already = comparison.agreed.len() - added;
                    state.status = Some(Status::of(
                        StatusKind::Info,
                        Notice::AcceptedAgreed { added, already },
                    ));
                }
            }
            Action::AcceptVersion {
                layer,
                new_ids,
                now,
            } => {
                if let Some(comparison) = state.comparison.clone() {
                    if let Some(index) = comparison.current {
                        let version = comparison.version(index, layer);
                        state.add_merged(&version, new_ids, &now);
                    }
                }
            }
            Action::RejectDisagreement => {
                if let Some(comparison) = state.comparison.as_mut() {
                    if let Some(index) = comparison.current {
                        let rejected = &mut Rc::make_mut(comparison).rejected;
                        if !rejected.remove(&index) {
                            rejected.insert(index);
                        }
                    }
                }
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
