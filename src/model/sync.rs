//! Applying another tab's committed changes to this tab's store: what it created, changed or
//! deleted, annotations, orphans and relations alike, as ordinary commands (not recorded for
//! undo, which stays each tab's own).

use super::{
    Annotation, AnnotationId, AnnotationStore, Command, Orphan, Relation, RelationId, Span, Tag,
};

/// What another tab changed in the current document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoteChange {
    /// Annotations it created or changed, as they are now.
    pub upserts: Vec<Annotation>,
    /// Annotations it deleted.
    pub deletes: Vec<AnnotationId>,
    /// Orphans it added (an import) or changed.
    pub orphan_upserts: Vec<Orphan>,
    /// Orphans it placed or discarded.
    pub orphan_deletes: Vec<AnnotationId>,
    /// Relations it made or changed.
    pub relation_upserts: Vec<Relation>,
    /// Relations it deleted.
    pub relation_deletes: Vec<RelationId>,
    /// Suggestions it rejected (`true`) or took the rejection of back.
    pub rejections: Vec<(Span, Tag, bool)>,
}

impl AnnotationStore {
    /// The deletion of every relation whose end is gone, or `None` when there is none: after
    /// another tab deleted an annotation this tab had just linked (or linked one this tab had
    /// just deleted), the relation goes too, and this tab's next save writes its tombstone, so
    /// every tab and storage end without it. O(R).
    pub fn dangling_relation_deletes(&self) -> Option<Command> {
        let commands: Vec<Command> = self
            .relations()
            .filter(|r| !self.relation_ends_exist(r))
            .map(|r| Command::DeleteRelation { id: r.id.clone() })
            .collect();
        (!commands.is_empty()).then_some(Command::Batch { commands })
    }

    /// Applies another tab's change, command by command: one that no longer fits here (an
    /// annotation whose orphan this tab placed meanwhile) is skipped, the rest apply. True when
    /// anything changed.
    pub fn apply_remote(&mut self, change: &RemoteChange) -> bool {
        let mut changed = false;
        for command in self.commands_for(change) {
            changed |= self.apply(command).is_ok();
        }
        changed
    }

    /// The commands that apply a remote change to this store: creates, updates and deletes,
    /// skipping what already holds (an annotation equal to the upsert, a delete of an id that
    /// is gone). Each command is valid on its own against the store as it is. Relations come
    /// last, after their ends.
    pub fn commands_for(&self, change: &RemoteChange) -> Vec<Command> {
        let relation_deletes = change
            .relation_deletes
            .iter()
            .filter(|id| self.relation(id).is_some());
        let relation_upserts = change.relation_upserts.iter().filter_map(|relation| {
            match self.relation(&relation.id) {
                Some(current) if **current == *relation => None,
                Some(_) => Some(Command::UpdateRelation {
                    relation: relation.clone(),
                }),
                None => Some(Command::CreateRelation {
                    relation: relation.clone(),
                }),
            }
        });
        let relation_deletes =
            relation_deletes.map(|id| Command::DeleteRelation { id: id.clone() });
        let deletes = change
            .deletes
            .iter()
            .filter(|id| self.get(id).is_some())
            .map(|id| Command::Delete { id: id.clone() });
        let upserts =
            change
                .upserts
                .iter()
                .filter_map(|annotation| match self.get(&annotation.id) {
                    Some(current) if **current == *annotation => None,
                    Some(_) => Some(Command::Update {
                        annotation: annotation.clone(),
                    }),
                    // An orphan the other tab placed becomes this annotation (its removal comes
                    // first in the commands).
                    None if self.orphan(&annotation.id).is_none()
                        || change.orphan_deletes.contains(&annotation.id) =>
                    {
                        Some(Command::Create {
                            annotation: annotation.clone(),
                        })
                    }
                    None => None,
                });
        let orphan_deletes = change
            .orphan_deletes
            .iter()
            .filter(|id| self.orphan(id).is_some())
            .map(|id| Command::RemoveOrphan { id: id.clone() });
        // A changed orphan is taken out and put back as it is now.
        let orphan_upserts = change.orphan_upserts.iter().flat_map(|orphan| {
            let id = &orphan.annotation.id;
            let replace = match self.orphan(id) {
                Some(current) if **current == *orphan => return Vec::new(),
                Some(_) => vec![Command::RemoveOrphan { id: id.clone() }],
                None if self.get(id).is_some() => return Vec::new(),
                None => Vec::new(),
            };
            let add = Command::AddOrphan {
                orphan: orphan.clone(),
            };
            replace.into_iter().chain([add]).collect()
        });
        let rejections = change.rejections.iter().filter_map(|(span, tag, stands)| {
            let (span, tag) = (*span, tag.clone());
            match (*stands, self.rejections().contains(span, &tag)) {
                (true, false) => Some(Command::Reject { span, tag }),
                (false, true) => Some(Command::Unreject { span, tag }),
                _ => None,
            }
        });
        relation_deletes
            .chain(rejections)
            .chain(orphan_deletes)
            .chain(deletes)
            .chain(orphan_upserts)
            .chain(upserts)
            .chain(relation_upserts)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Span, Tag};

    fn annotation(id: &str, start: usize, note: &str) -> Annotation {
        let mut a = Annotation::new(
            id.into(),
            Span::new(start, start + 3).unwrap(),
            Tag::Claim,
            "t",
        );
        a.note = note.into();
        a
    }

    fn apply(store: &mut AnnotationStore, change: &RemoteChange) {
        for command in store.commands_for(change) {
            store.apply(command).unwrap();
        }
    }

    #[test]
    fn a_remote_change_applies_once_and_only_what_differs() {
        let mut store = AnnotationStore::new(100);
        let change = RemoteChange {
            upserts: vec![annotation("a", 1, ""), annotation("b", 5, "")],
            orphan_upserts: vec![Orphan {
                annotation: annotation("o", 0, ""),
                quote: None,
            }],
            ..RemoteChange::default()
        };
        apply(&mut store, &change);
        assert_eq!((store.len(), store.orphans().len()), (2, 1));
        assert!(store.commands_for(&change).is_empty());
        let placed = RemoteChange {
            upserts: vec![annotation("o", 9, "placed")],
            deletes: vec!["a".into()],
            orphan_deletes: vec!["o".into()],
            ..RemoteChange::default()
        };
        apply(&mut store, &placed);
        assert!(store.orphans().is_empty());
        assert_eq!(store.get(&"o".into()).unwrap().note, "placed");
        assert!(store.get(&"a".into()).is_none());
    }

    #[test]
    fn relations_follow_their_ends_and_one_left_dangling_is_swept() {
        let mut store = AnnotationStore::new(100);
        let relation = Relation::new("r".into(), "qualifies", "a".into(), "b".into());
        let change = RemoteChange {
            upserts: vec![annotation("a", 1, ""), annotation("b", 5, "")],
            relation_upserts: vec![relation.clone()],
            ..RemoteChange::default()
        };
        apply(&mut store, &change);
        assert_eq!(store.relation_count(), 1);
        assert!(store.commands_for(&change).is_empty());
        // Made here meanwhile: a second relation to b.
        let mine = Relation::new("m".into(), "qualifies", "a".into(), "b".into());
        store
            .apply(Command::CreateRelation { relation: mine })
            .unwrap();
        let deleted = RemoteChange {
            deletes: vec!["b".into()],
            relation_deletes: vec!["r".into()],
            ..RemoteChange::default()
        };
        apply(&mut store, &deleted);
        assert_eq!(store.relation_count(), 1, "mine, to b, is left dangling");
        store
            .apply(store.dangling_relation_deletes().unwrap())
            .unwrap();
        assert_eq!(store.relation_count(), 0);
        assert!(store.dangling_relation_deletes().is_none());
        assert!(store.get(&"b".into()).is_none());
    }
}
