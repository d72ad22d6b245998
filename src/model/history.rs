//! Undo and redo: two stacks of inverse commands.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::{AnnotationId, AnnotationStore, Change, Command, StoreError};

/// How many steps are kept; older ones are forgotten.
pub const HISTORY_LIMIT: usize = 500;

/// A recorded step: the command that reverts it, and what consecutive steps may merge into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Step {
    /// Shared, so copying the history (the UI's reducer does per action) copies no command.
    revert: Rc<Command>,
    /// Steps with the same key that follow each other are one undo step (typing a note).
    merge_key: Option<AnnotationId>,
}

/// The undo and redo stacks of one document. Serialisable, so it can be stored beside the
/// annotations and survive a reload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

impl History {
    /// Records a change that was just applied; clears the redo stack. A change with the same
    /// `merge_key` as the previous step merges into it (the older inverse already restores the
    /// state before both).
    pub fn record(&mut self, change: Change, merge_key: Option<AnnotationId>) {
        self.redo.clear();
        let merges = merge_key.is_some()
            && self
                .undo
                .last()
                .is_some_and(|last| last.merge_key == merge_key);
        if !merges {
            self.undo.push(Step {
                revert: Rc::new(change.inverse),
                merge_key,
            });
            if self.undo.len() > HISTORY_LIMIT {
                self.undo.remove(0);
            }
        }
    }

    /// True when there is a step to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// True when there is a step to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Reverts the last step on `store`; `Ok(false)` when there is none.
    pub fn undo(&mut self, store: &mut AnnotationStore) -> Result<bool, StoreError> {
        Self::shift(&mut self.undo, &mut self.redo, store)
    }

    /// Re-applies the last undone step on `store`; `Ok(false)` when there is none.
    pub fn redo(&mut self, store: &mut AnnotationStore) -> Result<bool, StoreError> {
        Self::shift(&mut self.redo, &mut self.undo, store)
    }

    /// Pops a step from `from`, applies it, and pushes its inverse onto `to`.
    fn shift(
        from: &mut Vec<Step>,
        to: &mut Vec<Step>,
        store: &mut AnnotationStore,
    ) -> Result<bool, StoreError> {
        let Some(step) = from.pop() else {
            return Ok(false);
        };
        match store.apply(Command::clone(&step.revert)) {
            Ok(change) => {
                to.push(Step {
                    revert: Rc::new(change.inverse),
                    merge_key: None,
                });
                Ok(true)
            }
            Err(error) => {
                from.push(step);
                Err(error)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Annotation, Span, Tag};

    #[test]
    fn note_edits_in_a_row_undo_as_one_step() {
        let mut store = AnnotationStore::new(20);
        let mut history = History::default();
        let id = AnnotationId::from("a");
        let annotation = Annotation::new(id.clone(), Span::new(0, 4).unwrap(), Tag::Claim, "t0");
        let change = store.apply(Command::Create { annotation }).unwrap();
        history.record(change, None);
        for note in ["h", "he", "hey"] {
            let command = store.set_note(&id, note, "t1").unwrap();
            history.record(store.apply(command).unwrap(), Some(id.clone()));
        }
        assert!(history.undo(&mut store).unwrap());
        assert_eq!(store.get(&id).unwrap().note, "");
        assert!(history.redo(&mut store).unwrap());
        assert_eq!(store.get(&id).unwrap().note, "hey");
        assert!(history.undo(&mut store).unwrap());
        assert!(history.undo(&mut store).unwrap());
        assert!(store.is_empty());
        assert!(!history.undo(&mut store).unwrap());
    }
}
