//! The annotation store and its reducer: `apply(Command) -> Change`, where every change carries
//! the command that undoes it.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::{
    Annotation, AnnotationId, Attributes, Orphan, Rejections, Relation, RelationId, Span, SpanSet,
    Tag,
};

/// An edit of the store. Every user action (create, retag, note, delete, import, undo itself)
/// is one command, so every action can be undone the same way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Command {
    /// Adds an annotation whose id is not yet used.
    Create {
        /// The new annotation.
        annotation: Annotation,
    },
    /// Replaces the annotation with the same id (retag, note, resize).
    Update {
        /// The annotation as it is to become.
        annotation: Annotation,
    },
    /// Removes an annotation.
    Delete {
        /// Which one.
        id: AnnotationId,
    },
    /// Keeps an imported annotation that could not be placed.
    AddOrphan {
        /// The orphan; its id must not be used by an annotation or another orphan.
        orphan: Orphan,
    },
    /// Removes an orphan (discarded, or placed by hand together with a `Create`).
    RemoveOrphan {
        /// Which one.
        id: AnnotationId,
    },
    /// Adds a relation between two annotations (or orphans) of the document.
    CreateRelation {
        /// The new relation; its id must not be used by another relation.
        relation: Relation,
    },
    /// Replaces the relation with the same id (retype, note).
    UpdateRelation {
        /// The relation as it is to become.
        relation: Relation,
    },
    /// Removes a relation.
    DeleteRelation {
        /// Which one.
        id: RelationId,
    },
    /// Rejects a suggestion: its span and tag are not suggested again in this document.
    Reject {
        /// Its extent.
        span: Span,
        /// Its label.
        tag: Tag,
    },
    /// Takes a rejection back.
    Unreject {
        /// Its extent.
        span: Span,
        /// Its label.
        tag: Tag,
    },
    /// Several commands applied as one step: all of them, or none if one fails.
    Batch {
        /// In the order they apply.
        commands: Vec<Command>,
    },
}

/// What applying a command did, as the command that reverts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Applying this restores the store as it was before.
    pub inverse: Command,
}

/// Why a command was refused; the store is unchanged after any of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// A create used an id that is already in the document.
    #[error("annotation id {0} is already used")]
    DuplicateId(AnnotationId),
    /// An update, delete or orphan removal named an id that is not in the document.
    #[error("no annotation has the id {0}")]
    UnknownId(AnnotationId),
    /// A relation's end is neither an annotation nor an orphan of the document, or both ends
    /// are the same annotation.
    #[error("relation {id} cannot link {from} to {to}")]
    BadRelationEnd {
        /// The relation.
        id: RelationId,
        /// Its start.
        from: AnnotationId,
        /// Its target.
        to: AnnotationId,
    },
    /// A rejection that is already there, or a rejection taken back that is not.
    #[error("the suggestion {tag} at {start}..{end} is {state}")]
    Rejection {
        /// Its start.
        start: usize,
        /// Its end.
        end: usize,
        /// Its label.
        tag: Tag,
        /// "already rejected" or "not rejected".
        state: &'static str,
    },
    /// A span reaches past the end of the document text.
    #[error("span {start}..{end} of annotation {id} is outside the document ({len} code points)")]
    OutOfBounds {
        /// The annotation.
        id: AnnotationId,
        /// Its start.
        start: usize,
        /// Its end.
        end: usize,
        /// The document's length in code points.
        len: usize,
    },
}

/// The annotations of one document: by id, and as a [`SpanSet`] in document order.
///
/// Annotations are shared (`Rc`), so cloning the store (as the UI's reducer does per change) is
/// O(n) reference-count increments and an unchanged annotation stays pointer-equal, which is
/// what lets the UI re-render only what changed.
#[derive(Debug, Clone, Default)]
pub struct AnnotationStore {
    text_len: usize,
    /// FxHash: ids are hashed several times per edit (lookups while saving and drawing), and a
    /// local document needs no protection from crafted collisions; about 4x faster than SipHash.
    by_id: FxHashMap<AnnotationId, Rc<Annotation>>,
    spans: SpanSet,
    /// Sorted by recorded start, then id: the same order whatever the history.
    orphans: Vec<Rc<Orphan>>,
    /// Each orphan's recorded start, by id: finds an orphan by binary search in `orphans`
    /// (O(log n)), so adding or checking thousands of orphans is not quadratic.
    orphan_starts: FxHashMap<AnnotationId, usize>,
    /// Relations by id: sorted, so files list them in a stable order. A relation whose end is
    /// gone (deleted without [`AnnotationStore::delete`], or in another tab) is kept but is
    /// neither shown nor exported: [`AnnotationStore::relation_ends_exist`].
    relations: BTreeMap<RelationId, Rc<Relation>>,
    /// The relations each annotation (or orphan) is an end of, either direction: what the
    /// detail panel lists and what deleting an annotation deletes, in O(its relations).
    relations_by_end: FxHashMap<AnnotationId, Vec<RelationId>>,
    /// Suggestions rejected in this document.
    rejections: Rejections,
    /// How many annotations carry each tag (tags with none are absent), kept with every
    /// change so the counts cost O(tags) to read, not a pass over the annotations.
    tag_counts: HashMap<Tag, usize>,
    /// Changed by every change to a relation or to an annotation that is an end of one: what
    /// drawing the relations depends on ([`Self::relations_stamp`]).
    relations_stamp: u64,
}

/// The source of relation stamps: one counter for every store, so two stores never share a
/// stamp unless one is a copy of the other with the same relations.
static NEXT_RELATIONS_STAMP: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl PartialEq for AnnotationStore {
    fn eq(&self, other: &Self) -> bool {
        self.text_len == other.text_len
            && self.spans == other.spans
            && self.orphans == other.orphans
            && self.relations == other.relations
            && self.rejections == other.rejections
            && self.by_id.len() == other.by_id.len()
            && self
                .by_id
                .iter()
                .all(|(id, a)| other.by_id.get(id).is_some_and(|b| a == b))
    }
}

impl AnnotationStore {
    /// An empty store for a document of `text_len` code points.
    pub fn new(text_len: usize) -> Self {
        Self {
            text_len,
            ..Self::default()
        }
    }

    /// Number of annotations.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// True when there is no annotation.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// True when an annotation or an orphan has this id.
    pub fn id_in_use(&self, id: &AnnotationId) -> bool {
        self.by_id.contains_key(id) || self.orphan_index(id).is_some()
    }

    /// The orphans, by recorded start.
    pub fn orphans(&self) -> &[Rc<Orphan>] {
        &self.orphans
    }

    /// The orphan with this id.
    pub fn orphan(&self, id: &AnnotationId) -> Option<&Rc<Orphan>> {
        self.orphan_index(id).map(|index| &self.orphans[index])
    }

    /// Where orphan `id` is in `orphans`: O(log n).
    fn orphan_index(&self, id: &AnnotationId) -> Option<usize> {
        let start = *self.orphan_starts.get(id)?;
        let index = self
            .orphans
            .partition_point(|o| (o.annotation.span.start, &o.annotation.id) < (start, id));
        (self.orphans.get(index)?.annotation.id == *id).then_some(index)
    }

    /// The annotation with this id.
    pub fn get(&self, id: &AnnotationId) -> Option<&Rc<Annotation>> {
        self.by_id.get(id)
    }

    /// The spans in document order (with their ids).
    pub fn spans(&self) -> &SpanSet {
        &self.spans
    }

    /// The annotations in document order. O(n).
    pub fn in_document_order(&self) -> impl DoubleEndedIterator<Item = &Rc<Annotation>> {
        self.spans.iter().map(|entry| &self.by_id[&entry.id])
    }

    /// The annotations in no particular order: O(n) without a lookup per item, for work that
    /// does not need document order (comparing two versions of the store).
    pub fn iter(&self) -> impl Iterator<Item = &Rc<Annotation>> {
        self.by_id.values()
    }

    /// The relations, by id.
    pub fn relations(&self) -> impl Iterator<Item = &Rc<Relation>> {
        self.relations.values()
    }

    /// The suggestions rejected in this document.
    pub fn rejections(&self) -> &Rejections {
        &self.rejections
    }

    /// Number of relations.
    pub fn relation_count(&self) -> usize {
        self.relations.len()
    }

    /// The relation with this id.
    pub fn relation(&self, id: &RelationId) -> Option<&Rc<Relation>> {
        self.relations.get(id)
    }

    /// The relations `annotation` is an end of, either direction, by id. O(its relations).
    pub fn relations_of(&self, annotation: &AnnotationId) -> Vec<&Rc<Relation>> {
        let mut found: Vec<&Rc<Relation>> = self
            .relations_by_end
            .get(annotation)
            .into_iter()
            .flatten()
            .filter_map(|id| self.relations.get(id))
            .collect();
        found.sort_by(|a, b| a.id.cmp(&b.id));
        found
    }

    /// True when both ends of `relation` are in the document (as annotations or orphans).
    pub fn relation_ends_exist(&self, relation: &Relation) -> bool {
        self.id_in_use(&relation.from) && self.id_in_use(&relation.to)
    }

    /// How many annotations carry each tag. O(tags).
    pub fn count_by_tag(&self) -> HashMap<Tag, usize> {
        self.tag_counts.clone()
    }

    /// The spans of the annotations that differ between `before` and this store: added,
    /// removed or changed (both spans of one that moved). O(n) lookups.
    pub fn spans_changed_since(&self, before: &AnnotationStore) -> Vec<Span> {
        let mut changed = Vec::new();
        for (id, annotation) in &self.by_id {
            match before.by_id.get(id) {
                Some(old) if Rc::ptr_eq(old, annotation) => {}
                Some(old) => changed.extend([old.span, annotation.span]),
                None => changed.push(annotation.span),
            }
        }
        let removed = before
            .by_id
            .iter()
            .filter(|(id, _)| !self.by_id.contains_key(*id));
        changed.extend(removed.map(|(_, old)| old.span));
        changed
    }

    /// Equal in two stores when their relations and the annotations at their ends are the
    /// same (one is a copy of the other, changed elsewhere since): a drawing of the relations
    /// keyed on it is redone only when it can differ. O(1).
    pub fn relations_stamp(&self) -> u64 {
        self.relations_stamp
    }

    /// True when `command` may change how the relations are drawn: it changes a relation, or
    /// an annotation with one (a batch answers for each of its commands).
    fn changes_relations(&self, command: &Command) -> bool {
        let has_relations = |id: &AnnotationId| self.relations_by_end.contains_key(id);
        match command {
            Command::Create { annotation } | Command::Update { annotation } => {
                has_relations(&annotation.id)
            }
            Command::Delete { id } => has_relations(id),
            Command::CreateRelation { .. }
            | Command::UpdateRelation { .. }
            | Command::DeleteRelation { .. } => true,
            Command::AddOrphan { .. }
            | Command::RemoveOrphan { .. }
            | Command::Reject { .. }
            | Command::Unreject { .. }
            | Command::Batch { .. } => false,
        }
    }

    /// Adds `by` to the count of `tag`, dropping it at zero.
    fn count_tag(&mut self, tag: &Tag, by: isize) {
        let count = self.tag_counts.entry(tag.clone()).or_insert(0);
        *count = count.saturating_add_signed(by);
        if *count == 0 {
            self.tag_counts.remove(tag);
        }
    }

    /// Applies a command; on error nothing changed.
    pub fn apply(&mut self, command: Command) -> Result<Change, StoreError> {
        let changes_relations = self.changes_relations(&command);
        let change = self.apply_command(command)?;
        if changes_relations {
            self.relations_stamp =
                NEXT_RELATIONS_STAMP.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(change)
    }

    /// [`Self::apply`] without the relations stamp.
    fn apply_command(&mut self, command: Command) -> Result<Change, StoreError> {
        match command {
            Command::Create { annotation } => {
                if self.id_in_use(&annotation.id) {
                    return Err(StoreError::DuplicateId(annotation.id));
                }
                self.check_bounds(&annotation)?;
                let id = annotation.id.clone();
                self.count_tag(&annotation.tag, 1);
                self.spans.insert(annotation.span, id.clone());
                self.by_id.insert(id.clone(), Rc::new(annotation));
                Ok(Change {
                    inverse: Command::Delete { id },
                })
            }
            Command::Update { annotation } => {
                self.check_bounds(&annotation)?;
                let Some(slot) = self.by_id.get_mut(&annotation.id) else {
                    return Err(StoreError::UnknownId(annotation.id));
                };
                if slot.span != annotation.span {
                    self.spans.remove(slot.span, &annotation.id);
                    self.spans.insert(annotation.span, annotation.id.clone());
                }
                let (new_tag, old) = (
                    annotation.tag.clone(),
                    std::mem::replace(slot, Rc::new(annotation)),
                );
                self.count_tag(&old.tag, -1);
                self.count_tag(&new_tag, 1);
                Ok(Change {
                    inverse: Command::Update {
                        annotation: Rc::unwrap_or_clone(old),
                    },
                })
            }
            Command::Delete { id } => {
                let Some(old) = self.by_id.remove(&id) else {
                    return Err(StoreError::UnknownId(id));
                };
                self.spans.remove(old.span, &id);
                self.count_tag(&old.tag, -1);
                Ok(Change {
                    inverse: Command::Create {
                        annotation: Rc::unwrap_or_clone(old),
                    },
                })
            }
            Command::AddOrphan { orphan } => {
                if self.id_in_use(&orphan.annotation.id) {
                    return Err(StoreError::DuplicateId(orphan.annotation.id));
                }
                let id = orphan.annotation.id.clone();
                let key = |o: &Orphan| (o.annotation.span.start, o.annotation.id.clone());
                let index = self.orphans.partition_point(|o| key(o) < key(&orphan));
                self.orphan_starts
                    .insert(id.clone(), orphan.annotation.span.start);
                self.orphans.insert(index, Rc::new(orphan));
                Ok(Change {
                    inverse: Command::RemoveOrphan { id },
                })
            }
            Command::RemoveOrphan { id } => {
                let Some(index) = self.orphan_index(&id) else {
                    return Err(StoreError::UnknownId(id));
                };
                let orphan = Rc::unwrap_or_clone(self.orphans.remove(index));
                self.orphan_starts.remove(&id);
                Ok(Change {
                    inverse: Command::AddOrphan { orphan },
                })
            }
            Command::CreateRelation { relation } => {
                if self.relations.contains_key(&relation.id) {
                    return Err(StoreError::DuplicateId(relation.id));
                }
                // Ends are checked where a relation is made ([`Self::relate`]), not here: an
                // end may go while its relation stays (a plain delete, another tab's), and
                // the inverse of deleting such a relation must still apply.
                if relation.from == relation.to {
                    return Err(StoreError::BadRelationEnd {
                        id: relation.id,
                        from: relation.from,
                        to: relation.to,
                    });
                }
                let id = relation.id.clone();
                for end in [&relation.from, &relation.to] {
                    self.relations_by_end
                        .entry(end.clone())
                        .or_default()
                        .push(id.clone());
                }
                self.relations.insert(id.clone(), Rc::new(relation));
                Ok(Change {
                    inverse: Command::DeleteRelation { id },
                })
            }
            Command::UpdateRelation { relation } => {
                let Some(old) = self.relations.get(&relation.id) else {
                    return Err(StoreError::UnknownId(relation.id));
                };
                if (&old.from, &old.to) != (&relation.from, &relation.to) {
                    // Ends never change in place: a relation to elsewhere is another relation.
                    return Err(StoreError::BadRelationEnd {
                        id: relation.id,
                        from: relation.from,
                        to: relation.to,
                    });
                }
                let old = self
                    .relations
                    .insert(relation.id.clone(), Rc::new(relation))
                    .expect("checked above");
                Ok(Change {
                    inverse: Command::UpdateRelation {
                        relation: Rc::unwrap_or_clone(old),
                    },
                })
            }
            Command::DeleteRelation { id } => {
                let Some(old) = self.relations.remove(&id) else {
                    return Err(StoreError::UnknownId(id));
                };
                for end in [&old.from, &old.to] {
                    if let Some(ids) = self.relations_by_end.get_mut(end) {
                        ids.retain(|r| *r != id);
                        if ids.is_empty() {
                            self.relations_by_end.remove(end);
                        }
                    }
                }
                Ok(Change {
                    inverse: Command::CreateRelation {
                        relation: Rc::unwrap_or_clone(old),
                    },
                })
            }
            Command::Reject { span, tag } => {
                if !self.rejections.reject(span, tag.clone()) {
                    return Err(rejection_error(span, tag, "already rejected"));
                }
                Ok(Change {
                    inverse: Command::Unreject { span, tag },
                })
            }
            Command::Unreject { span, tag } => {
                if !self.rejections.restore(span, &tag) {
                    return Err(rejection_error(span, tag, "not rejected"));
                }
                Ok(Change {
                    inverse: Command::Reject { span, tag },
                })
            }
            Command::Batch { commands } => {
                let mut inverses = Vec::with_capacity(commands.len());
                for command in commands {
                    match self.apply(command) {
                        Ok(change) => inverses.push(change.inverse),
                        Err(error) => {
                            for inverse in inverses.into_iter().rev() {
                                // Inverses of changes that just applied always apply.
                                let _ = self.apply(inverse);
                            }
                            return Err(error);
                        }
                    }
                }
                inverses.reverse();
                Ok(Change {
                    inverse: Command::Batch { commands: inverses },
                })
            }
        }
    }

    /// The `Update` that applies `edit` to annotation `id` and stamps it `now`, or `None` when
    /// the annotation is missing or `edit` changes nothing. Retag, resize and note share it.
    fn update(
        &self,
        id: &AnnotationId,
        now: &str,
        edit: impl FnOnce(&mut Annotation),
    ) -> Option<Command> {
        let current = self.by_id.get(id)?;
        let mut annotation = Annotation::clone(current);
        edit(&mut annotation);
        (annotation != **current).then(|| {
            annotation.modified = now.to_owned();
            Command::Update { annotation }
        })
    }

    /// The command that gives annotation `id` the tag `tag`, or `None` when it has it already
    /// or does not exist.
    pub fn retag(&self, id: &AnnotationId, tag: Tag, now: &str) -> Option<Command> {
        self.update(id, now, |a| a.tag = tag)
    }

    /// The command that gives annotation `id` the span `span` (a resize), or `None` when
    /// unchanged or missing.
    pub fn resize(&self, id: &AnnotationId, span: Span, now: &str) -> Option<Command> {
        self.update(id, now, |a| a.span = span)
    }

    /// The command that sets the note of annotation `id`, or `None` when unchanged or missing.
    pub fn set_note(&self, id: &AnnotationId, note: &str, now: &str) -> Option<Command> {
        self.update(id, now, |a| a.note = note.to_owned())
    }

    /// The command that places orphan `id` at `span` (chosen by hand) as an annotation.
    pub fn place_orphan(&self, id: &AnnotationId, span: Span, now: &str) -> Option<Command> {
        let orphan = self.orphan(id)?;
        Some(Command::Batch {
            commands: vec![
                Command::RemoveOrphan { id: id.clone() },
                Command::Create {
                    annotation: Annotation {
                        span,
                        modified: now.to_owned(),
                        ..orphan.annotation.clone()
                    },
                },
            ],
        })
    }

    /// The command that deletes annotation `id` with every relation it is an end of, as one
    /// step (undone together), or `None` when it does not exist.
    pub fn delete(&self, id: &AnnotationId) -> Option<Command> {
        self.by_id.get(id)?;
        Some(self.with_relations_removed(id, Command::Delete { id: id.clone() }))
    }

    /// The command that discards orphan `id` with every relation it is an end of.
    pub fn discard_orphan(&self, id: &AnnotationId) -> Option<Command> {
        self.orphan(id)?;
        Some(self.with_relations_removed(id, Command::RemoveOrphan { id: id.clone() }))
    }

    /// `command`, preceded by the deletion of every relation `id` is an end of.
    fn with_relations_removed(&self, id: &AnnotationId, command: Command) -> Command {
        let relations = self.relations_of(id);
        if relations.is_empty() {
            return command;
        }
        let mut commands: Vec<Command> = relations
            .into_iter()
            .map(|r| Command::DeleteRelation { id: r.id.clone() })
            .collect();
        commands.push(command);
        Command::Batch { commands }
    }

    /// The command that links `from` to `to` with a relation of type `kind`, or `None` when an
    /// end is missing, the ends are one annotation, or the same link of that type exists.
    pub fn relate(
        &self,
        id: RelationId,
        kind: &str,
        from: &AnnotationId,
        to: &AnnotationId,
    ) -> Option<Command> {
        let relation = Relation::new(id, kind, from.clone(), to.clone());
        let exists = self
            .relations_of(from)
            .iter()
            .any(|r| r.from == *from && r.to == *to && r.kind == kind);
        (!exists && self.check_ends(&relation).is_ok())
            .then_some(Command::CreateRelation { relation })
    }

    /// The command that applies `edit` to relation `id`, or `None` when it is missing or
    /// `edit` changes nothing. Retype and note share it.
    pub fn update_relation(
        &self,
        id: &RelationId,
        edit: impl FnOnce(&mut Relation),
    ) -> Option<Command> {
        let current = self.relations.get(id)?;
        let mut relation = Relation::clone(current);
        edit(&mut relation);
        (relation != **current).then_some(Command::UpdateRelation { relation })
    }

    /// The command that sets the attribute values of annotation `id`, or `None` when
    /// unchanged or missing.
    pub fn set_attributes(
        &self,
        id: &AnnotationId,
        attributes: Attributes,
        now: &str,
    ) -> Option<Command> {
        self.update(id, now, |a| a.attributes = attributes)
    }

    fn check_ends(&self, relation: &Relation) -> Result<(), StoreError> {
        if relation.from != relation.to && self.relation_ends_exist(relation) {
            Ok(())
        } else {
            Err(StoreError::BadRelationEnd {
                id: relation.id.clone(),
                from: relation.from.clone(),
                to: relation.to.clone(),
            })
        }
    }

    fn check_bounds(&self, annotation: &Annotation) -> Result<(), StoreError> {
        let Span { start, end } = annotation.span;
        if start < end && end <= self.text_len {
            Ok(())
        } else {
            Err(StoreError::OutOfBounds {
                id: annotation.id.clone(),
                start,
                end,
                len: self.text_len,
            })
        }
    }
}

/// The error of a rejection command that changes nothing.
fn rejection_error(span: Span, tag: Tag, state: &'static str) -> StoreError {
    StoreError::Rejection {
        start: span.start,
        end: span.end,
        tag,
        state,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn annotation(id: &str, start: usize, end: usize) -> Annotation {
        Annotation::new(id.into(), Span::new(start, end).unwrap(), Tag::Claim, "t0")
    }

    #[test]
    fn thousands_of_orphans_are_found_by_id_in_any_order_of_adding() {
        let mut store = AnnotationStore::new(10);
        // Recorded starts repeat (ten orphans per start), added in reverse order.
        for i in (0..20_000).rev() {
            let orphan = Orphan {
                annotation: annotation(&format!("o{i}"), i / 10, i / 10 + 3),
                quote: None,
            };
            store.apply(Command::AddOrphan { orphan }).unwrap();
        }
        let keys: Vec<(usize, &str)> = store
            .orphans()
            .iter()
            .map(|o| (o.annotation.span.start, o.annotation.id.as_str()))
            .collect();
        assert!(
            keys.windows(2).all(|w| w[0] < w[1]),
            "sorted by start, then id"
        );
        for i in [0, 9, 10, 12_345, 19_999] {
            let id = AnnotationId::from(format!("o{i}"));
            assert!(store.id_in_use(&id));
            assert_eq!(store.orphan(&id).unwrap().annotation.id, id);
        }
        assert!(!store.id_in_use(&AnnotationId::from("o20000")));
        let orphan = Orphan {
            annotation: annotation("o5", 0, 1),
            quote: None,
        };
        assert!(matches!(
            store.apply(Command::AddOrphan { orphan }),
            Err(StoreError::DuplicateId(_))
        ));
        for i in 0..20_000 {
            let id = AnnotationId::from(format!("o{i}"));
            store.apply(Command::RemoveOrphan { id }).unwrap();
        }
        assert!(store.orphans().is_empty());
        assert!(!store.id_in_use(&AnnotationId::from("o5")));
    }

    #[test]
    fn create_then_inverse_restores_the_empty_store() {
        let mut store = AnnotationStore::new(100);
        let change = store
            .apply(Command::Create {
                annotation: annotation("a", 1, 5),
            })
            .unwrap();
        assert_eq!(store.len(), 1);
        store.apply(change.inverse).unwrap();
        assert_eq!(store, AnnotationStore::new(100));
    }

    #[test]
    fn a_failing_batch_changes_nothing() {
        let mut store = AnnotationStore::new(10);
        let before = store.clone();
        let result = store.apply(Command::Batch {
            commands: vec![
                Command::Create {
                    annotation: annotation("a", 0, 5),
                },
                Command::Create {
                    annotation: annotation("b", 5, 11),
                },
            ],
        });
        assert!(matches!(result, Err(StoreError::OutOfBounds { .. })));
        assert_eq!(store, before);
    }

    #[test]
    fn an_orphan_placed_by_hand_becomes_an_annotation_and_undoes_back() {
        let mut store = AnnotationStore::new(20);
        let orphan = Orphan {
            annotation: annotation("o", 40, 45),
            quote: Some("gone!".into()),
        };
        store.apply(Command::AddOrphan { orphan }).unwrap();
        let before = store.clone();
        let id = AnnotationId::from("o");
        let change = store
            .apply(
                store
                    .place_orphan(&id, Span::new(3, 8).unwrap(), "t1")
                    .unwrap(),
            )
            .unwrap();
        assert!(store.orphans().is_empty());
        assert_eq!(store.get(&id).unwrap().span, Span::new(3, 8).unwrap());
        store.apply(change.inverse).unwrap();
        assert_eq!(store, before);
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let mut store = AnnotationStore::new(10);
        store
            .apply(Command::Create {
                annotation: annotation("a", 0, 5),
            })
            .unwrap();
        let error = store
            .apply(Command::Create {
                annotation: annotation("a", 2, 3),
            })
            .unwrap_err();
        assert_eq!(error, StoreError::DuplicateId("a".into()));
    }

    #[test]
    fn retag_keeps_created_and_updates_modified() {
        let mut store = AnnotationStore::new(10);
        store
            .apply(Command::Create {
                annotation: annotation("a", 0, 5),
            })
            .unwrap();
        let id = AnnotationId::from("a");
        assert!(store.retag(&id, Tag::Claim, "t1").is_none());
        let command = store.retag(&id, Tag::Quote, "t1").unwrap();
        store.apply(command).unwrap();
        let a = store.get(&id).unwrap();
        assert_eq!(
            (a.tag.clone(), a.created.as_str(), a.modified.as_str()),
            (Tag::Quote, "t0", "t1")
        );
    }

    #[test]
    fn tag_counts_follow_creates_retags_deletes_and_undos() {
        let recount = |store: &AnnotationStore| {
            let mut counts = HashMap::new();
            for annotation in store.iter() {
                *counts.entry(annotation.tag.clone()).or_insert(0) += 1;
            }
            counts
        };
        let mut store = AnnotationStore::new(100);
        let mut undo = Vec::new();
        for (i, id) in ["a", "b", "c"].into_iter().enumerate() {
            let annotation = annotation(id, i * 10, i * 10 + 5);
            undo.push(store.apply(Command::Create { annotation }).unwrap().inverse);
        }
        let retag = store.retag(&"b".into(), Tag::Quote, "t1").unwrap();
        undo.push(store.apply(retag).unwrap().inverse);
        let delete = store.delete(&"a".into()).unwrap();
        undo.push(store.apply(delete).unwrap().inverse);
        assert_eq!(store.count_by_tag(), recount(&store));
        assert_eq!(store.count_by_tag().get(&Tag::Claim), Some(&1));
        while let Some(inverse) = undo.pop() {
            store.apply(inverse).unwrap();
            assert_eq!(store.count_by_tag(), recount(&store));
        }
        assert!(store.count_by_tag().is_empty(), "a tag with none is absent");
    }

    #[test]
    fn the_relations_stamp_changes_with_relations_and_their_ends_only() {
        let mut store = AnnotationStore::new(100);
        for (i, id) in ["a", "b", "c"].into_iter().enumerate() {
            let annotation = annotation(id, i * 10, i * 10 + 5);
            store.apply(Command::Create { annotation }).unwrap();
        }
        let before = store.relations_stamp();
        let relate = store
            .relate("r1".into(), "supports", &"a".into(), &"b".into())
            .unwrap();
        store.apply(relate).unwrap();
        let related = store.relations_stamp();
        assert_ne!(related, before);
        let unrelated = annotation("d", 50, 55);
        store
            .apply(Command::Create {
                annotation: unrelated,
            })
            .unwrap();
        let retag_c = store.retag(&"c".into(), Tag::Quote, "t1").unwrap();
        store.apply(retag_c).unwrap();
        assert_eq!(store.relations_stamp(), related, "no relation was touched");
        let retag_end = store.retag(&"a".into(), Tag::Quote, "t1").unwrap();
        store.apply(retag_end).unwrap();
        assert_ne!(store.relations_stamp(), related, "an end changed");
        let copy = store.clone();
        assert_eq!(copy.relations_stamp(), store.relations_stamp());
        let mut other = AnnotationStore::new(100);
        other
            .apply(Command::Create {
                annotation: annotation("a", 0, 5),
            })
            .unwrap();
        other
            .apply(Command::Create {
                annotation: annotation("b", 10, 15),
            })
            .unwrap();
        let relate = other
            .relate("r1".into(), "supports", &"a".into(), &"b".into())
            .unwrap();
        other.apply(relate).unwrap();
        assert_ne!(
            other.relations_stamp(),
            related,
            "stamps are unique across stores"
        );
    }

    #[test]
    fn the_spans_changed_since_another_version_are_those_added_removed_or_changed() {
        let mut before = AnnotationStore::new(100);
        for (i, id) in ["a", "b", "c"].into_iter().enumerate() {
            let annotation = annotation(id, i * 10, i * 10 + 5);
            before.apply(Command::Create { annotation }).unwrap();
        }
        let mut after = before.clone();
        assert!(after.spans_changed_since(&before).is_empty());
        after
            .apply(after.retag(&"a".into(), Tag::Quote, "t1").unwrap())
            .unwrap();
        after.apply(after.delete(&"b".into()).unwrap()).unwrap();
        let created = annotation("d", 50, 55);
        after
            .apply(Command::Create {
                annotation: created,
            })
            .unwrap();
        let mut changed = after.spans_changed_since(&before);
        changed.sort_unstable();
        let span = |start, end| Span::new(start, end).unwrap();
        assert_eq!(
            changed,
            [span(0, 5), span(0, 5), span(10, 15), span(50, 55)]
        );
    }
}
