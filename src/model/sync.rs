//! Applying another tab's committed changes to this tab's store: what it created, changed or
//! deleted, annotations and orphans alike, as ordinary commands (not recorded for undo, which
//! stays each tab's own).

use super::{Annotation, AnnotationId, AnnotationStore, Command, Orphan};

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
}

impl AnnotationStore {
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
    /// is gone). Each command is valid on its own against the store as it is.
    pub fn commands_for(&self, change: &RemoteChange) -> Vec<Command> {
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
        orphan_deletes
            .chain(deletes)
            .chain(orphan_upserts)
            .chain(upserts)
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
}
