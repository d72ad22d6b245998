//! Keeping several copies of a document's annotations in line (two browser tabs on the same
//! document): a stored group of annotations (one storage chunk) is written by laying the
//! writer's own changes over what is stored now, never by replacing it with the writer's view;
//! and a reader applies only what the other writer changed between the old and the new value.
//! Concurrent creations in two tabs therefore all survive. All functions are O(n + m) in the
//! two groups' sizes.

use std::collections::{HashMap, HashSet};

use super::{Annotation, AnnotationId, AnnotationStore, Command};

/// What another writer changed in a group of annotations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoteChange {
    /// Annotations it created or changed, as they are now.
    pub upserts: Vec<Annotation>,
    /// Annotations it deleted.
    pub deletes: Vec<AnnotationId>,
}

impl RemoteChange {
    /// True when the other writer changed nothing.
    pub fn is_empty(&self) -> bool {
        self.upserts.is_empty() && self.deletes.is_empty()
    }
}

/// The group `stored` with this writer's changes laid over it: `deletes` removed, `upserts`
/// added or replacing the stored annotation of the same id; everything else kept as stored.
/// In document order (start, longer first, id).
pub fn merge(
    stored: Vec<Annotation>,
    upserts: &[&Annotation],
    deletes: &[&AnnotationId],
) -> Vec<Annotation> {
    let replaced: HashSet<&AnnotationId> = upserts
        .iter()
        .map(|a| &a.id)
        .chain(deletes.iter().copied())
        .collect();
    let mut merged: Vec<Annotation> = stored
        .into_iter()
        .filter(|a| !replaced.contains(&a.id))
        .chain(upserts.iter().map(|a| (*a).clone()))
        .collect();
    merged.sort_unstable_by(|a, b| {
        (a.span.start, std::cmp::Reverse(a.span.end), &a.id).cmp(&(
            b.span.start,
            std::cmp::Reverse(b.span.end),
            &b.id,
        ))
    });
    merged
}

/// What changed from `old` to `new` (the two values of a storage event).
pub fn remote_change(old: &[Annotation], new: &[Annotation]) -> RemoteChange {
    let before: HashMap<&AnnotationId, &Annotation> = old.iter().map(|a| (&a.id, a)).collect();
    let after: HashSet<&AnnotationId> = new.iter().map(|a| &a.id).collect();
    RemoteChange {
        upserts: new
            .iter()
            .filter(|a| before.get(&a.id) != Some(a))
            .cloned()
            .collect(),
        deletes: old
            .iter()
            .filter(|a| !after.contains(&a.id))
            .map(|a| a.id.clone())
            .collect(),
    }
}

/// Of `ours` (this writer's annotations of the group, after applying the remote change), those
/// missing from `new` although the other writer did not delete them: it wrote from a view that
/// had not yet seen them, so they must be written again.
pub fn lost_in_race<'a>(
    ours: impl IntoIterator<Item = &'a Annotation>,
    change: &RemoteChange,
    new: &[Annotation],
) -> Vec<&'a Annotation> {
    let present: HashSet<&AnnotationId> = new.iter().map(|a| &a.id).collect();
    let deleted: HashSet<&AnnotationId> = change.deletes.iter().collect();
    ours.into_iter()
        .filter(|a| !present.contains(&a.id) && !deleted.contains(&a.id))
        .collect()
}

impl AnnotationStore {
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
                    None if self.orphan(&annotation.id).is_none() => Some(Command::Create {
                        annotation: annotation.clone(),
                    }),
                    None => None,
                });
        deletes.chain(upserts).collect()
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

    /// A store holding `group`.
    fn store_of(group: &[Annotation]) -> AnnotationStore {
        let mut store = AnnotationStore::new(100);
        for annotation in group {
            store
                .apply(Command::Create {
                    annotation: annotation.clone(),
                })
                .unwrap();
        }
        store
    }

    fn ids(group: &[Annotation]) -> Vec<&str> {
        group.iter().map(|a| a.id.as_str()).collect()
    }

    #[test]
    fn a_merge_keeps_what_the_other_tab_stored() {
        let stored = vec![annotation("b1", 10, ""), annotation("b2", 20, "")];
        let ours = annotation("a1", 5, "");
        let changed = annotation("b2", 20, "edited here");
        let merged = merge(stored, &[&ours, &changed], &[]);
        assert_eq!(ids(&merged), ["a1", "b1", "b2"]);
        assert_eq!(merged[2].note, "edited here");
        let merged = merge(merged, &[], &[&"b1".into()]);
        assert_eq!(ids(&merged), ["a1", "b2"]);
    }

    #[test]
    fn a_remote_change_is_the_difference_of_old_and_new() {
        let old = vec![annotation("x", 1, ""), annotation("y", 2, "")];
        let new = vec![annotation("y", 2, "note"), annotation("z", 3, "")];
        let change = remote_change(&old, &new);
        assert_eq!(ids(&change.upserts), ["y", "z"]);
        assert_eq!(change.deletes, vec![AnnotationId::from("x")]);
        assert!(remote_change(&new, &new).is_empty());
    }

    /// Tab A created `a` and wrote; tab B, not having seen that yet, created `b` and wrote its
    /// own view. A sees `b` arrive and `a` missing without a delete: `a` is written again, and
    /// both tabs end with both.
    #[test]
    fn concurrent_creations_in_two_tabs_both_survive() {
        let base = vec![annotation("s", 0, "")];
        let a = annotation("a", 10, "");
        let b = annotation("b", 20, "");
        // A's write, then B's write from the stale base.
        let after_a = merge(base.clone(), &[&a], &[]);
        let after_b = merge(base.clone(), &[&b], &[]);
        // A receives B's event (old: B's view, new: B's write).
        let change = remote_change(&base, &after_b);
        let mut store_a = store_of(&after_a);
        for command in store_a.commands_for(&change) {
            store_a.apply(command).unwrap();
        }
        let ours: Vec<Annotation> = store_a.in_document_order().map(|x| (**x).clone()).collect();
        let lost = lost_in_race(&ours, &change, &after_b);
        assert_eq!(
            lost.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(),
            ["a"]
        );
        let stored = merge(after_b, &lost, &[]);
        assert_eq!(ids(&stored), ["s", "a", "b"]);
        assert_eq!(ids(&ours), ["s", "a", "b"]);
    }

    #[test]
    fn a_remote_delete_is_applied_and_not_undone_by_the_race_check() {
        let old = vec![annotation("a", 1, ""), annotation("b", 2, "")];
        let new = vec![annotation("b", 2, "")];
        let change = remote_change(&old, &new);
        let mut store = store_of(&old);
        let commands = store.commands_for(&change);
        assert_eq!(commands, vec![Command::Delete { id: "a".into() }]);
        for command in commands {
            store.apply(command).unwrap();
        }
        let ours: Vec<Annotation> = store.in_document_order().map(|x| (**x).clone()).collect();
        assert!(lost_in_race(&ours, &change, &new).is_empty());
        // Applying the same change twice does nothing more.
        assert!(store.commands_for(&change).is_empty());
    }
}
