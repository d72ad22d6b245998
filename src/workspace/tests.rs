//! The workspace's rules, run natively: what a user's action does, and what it says.

use std::rc::Rc;

use super::*;
use crate::model::Span;
use crate::persist::record::DocumentRecord;

const TEXT: &str = "Berlin would decide once conditions were clear, the minister said.";

fn workspace() -> Rc<Workspace> {
    let open = Rc::new(OpenDocument::new("a.txt".into(), Document::from_raw(TEXT)));
    let entry = |id: &str, name: &str, order| LibraryEntry {
        id: id.into(),
        name: name.into(),
        count: 0,
        done: false,
        order,
    };
    let library = Library {
        current: Some(open.id.clone()),
        documents: vec![entry(&open.id, "a.txt", 1), entry("other", "b.txt", 2)],
        ..Library::default()
    };
    Rc::new(Workspace::from_loaded(LoadedDocument {
        store: AnnotationStore::new(open.document.char_len()),
        open,
        history: History::default(),
        library,
        status: None,
    }))
}

fn tag(workspace: Rc<Workspace>, span: Span, id: &str) -> Rc<Workspace> {
    workspace
        .apply(Action::SetTextSelection(Some(span)))
        .apply(Action::Tag {
            tag: Tag::Condition,
            new_id: id.into(),
            now: "t".into(),
        })
}

#[test]
fn tagging_a_selection_makes_one_selected_annotation_that_undo_takes_back() {
    let tagged = tag(workspace(), Span::new(14, 46).unwrap(), "c1");
    assert_eq!(tagged.store.len(), 1);
    assert_eq!(tagged.selected, Some("c1".into()));
    assert_eq!(tagged.revision, 1);
    let undone = tagged.apply(Action::Undo);
    assert!(undone.store.is_empty());
}

#[test]
fn a_selection_of_spaces_tags_nothing_and_says_so() {
    let after = tag(workspace(), Span::new(6, 7).unwrap(), "s");
    assert!(after.store.is_empty());
    assert_eq!(
        after.status.as_ref().map(|s| &s.notice),
        Some(&Notice::OnlySpaces)
    );
}

#[test]
fn a_no_op_returns_the_same_workspace() {
    let before = workspace();
    let after = before.clone().apply(Action::Undo);
    assert!(Rc::ptr_eq(&before, &after));
}

#[test]
fn deleting_and_restoring_a_document_is_announced_by_name() {
    let deleted = workspace().apply(Action::DeleteDocument("other".into()));
    assert_eq!(deleted.library.len(), 1);
    assert_eq!(
        deleted.status.as_ref().map(|s| &s.notice),
        Some(&Notice::DocumentDeleted("b.txt".into()))
    );
    let back = deleted.apply(Action::RestoreDeletedDocument);
    assert_eq!(back.library.len(), 2);
    assert_eq!(
        back.status.as_ref().map(|s| &s.notice),
        Some(&Notice::DocumentRestored("b.txt".into()))
    );
}

#[test]
fn another_tabs_deletion_becomes_the_one_to_undo_and_a_rename_shows() {
    let workspace = workspace();
    let open_id = workspace.open.id.clone();
    let record = |name: &str, trashed| DocumentRecord {
        name: name.into(),
        done: false,
        trashed,
        order: 2,
    };
    let incoming = Incoming {
        entries: vec![
            ("other".into(), record("b.txt", true)),
            (open_id, record("renamed.txt", false)),
        ],
        ..Incoming::default()
    };
    let after = workspace.apply(Action::ApplyRemote(incoming));
    assert_eq!(after.open.name, "renamed.txt");
    assert_eq!(
        after.deleted.as_ref().map(|d| d.entry.name.as_str()),
        Some("b.txt")
    );
    assert_eq!(
        after.status.as_ref().map(|s| &s.notice),
        Some(&Notice::DeletedElsewhere("b.txt".into()))
    );
}

#[test]
fn a_refused_label_edit_says_why_and_changes_nothing() {
    let before = workspace();
    let after = before.clone().apply(Action::EditLabels(LabelEdit::Rename(
        Tag::Claim,
        "Quote".into(),
    )));
    assert_eq!(after.labels, before.labels);
    assert!(matches!(
        after.status.as_ref().map(|s| &s.notice),
        Some(Notice::LabelsUnchanged(_))
    ));
}
