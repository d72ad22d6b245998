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

/// "Berlin would decide" (claim), "once conditions were clear" (condition), "the minister"
/// (source), and a relation being made from the condition.
fn three_tagged() -> Rc<Workspace> {
    let tagged = |w: Rc<Workspace>, span: Span, tag: Tag, id: &str| {
        w.apply(Action::SetTextSelection(Some(span)))
            .apply(Action::Tag {
                tag,
                new_id: id.into(),
                now: "t".into(),
            })
    };
    let w = tagged(workspace(), Span::new(0, 19).unwrap(), Tag::Claim, "claim");
    let w = tagged(w, Span::new(20, 46).unwrap(), Tag::Condition, "cond");
    tagged(w, Span::new(48, 60).unwrap(), Tag::from("source"), "src")
}

#[test]
fn a_relation_made_by_keyboard_is_typed_from_the_labels_and_undoes_in_one_step() {
    let w = three_tagged()
        .apply(Action::Select(Some("cond".into())))
        .apply(Action::StartLink);
    assert_eq!(w.status.as_ref().unwrap().notice, Notice::ChooseLinkTarget);
    // j from the condition: the source after it; k twice: back past the start to the claim.
    let w = w.apply(Action::MoveLinkCandidate { forward: true });
    assert_eq!(w.linking.as_ref().unwrap().candidate, Some("src".into()));
    let w = w
        .apply(Action::MoveLinkCandidate { forward: false })
        .apply(Action::MoveLinkCandidate { forward: false });
    assert_eq!(w.linking.as_ref().unwrap().candidate, Some("claim".into()));
    let w = w.apply(Action::LinkTo {
        target: None,
        new_id: "r1".into(),
    });
    assert!(w.linking.is_none());
    assert_eq!(w.selected, Some("cond".into()));
    let relation = w.store.relation(&"r1".into()).unwrap();
    assert_eq!(
        (
            relation.kind.as_str(),
            relation.from.as_str(),
            relation.to.as_str()
        ),
        ("qualifies", "cond", "claim")
    );
    let undone = w.apply(Action::Undo);
    assert_eq!(undone.store.relation_count(), 0);
    assert_eq!(undone.store.len(), 3);
}

#[test]
fn retyping_and_deleting_a_relation_are_undo_steps_and_esc_cancels_a_link() {
    let w = three_tagged()
        .apply(Action::Select(Some("claim".into())))
        .apply(Action::StartLink)
        .apply(Action::LinkTo {
            target: Some("src".into()),
            new_id: "r".into(),
        });
    assert_eq!(w.store.relation(&"r".into()).unwrap().kind, "attributed-to");
    let retyped = w.clone().apply(Action::RetypeRelation {
        id: "r".into(),
        kind: "qualifies".into(),
    });
    assert_eq!(
        retyped.store.relation(&"r".into()).unwrap().kind,
        "qualifies"
    );
    let deleted = retyped.apply(Action::DeleteRelation("r".into()));
    assert_eq!(deleted.store.relation_count(), 0);
    let back = deleted.apply(Action::Undo).apply(Action::Undo);
    assert_eq!(
        back.store.relation(&"r".into()).unwrap().kind,
        "attributed-to"
    );
    let cancelled = back.apply(Action::StartLink).apply(Action::CancelLink);
    assert!(cancelled.linking.is_none());
    let to_itself = cancelled.apply(Action::StartLink).apply(Action::LinkTo {
        target: Some("claim".into()),
        new_id: "x".into(),
    });
    assert_eq!(
        to_itself.status.as_ref().unwrap().notice,
        Notice::LinkToAnother
    );
    assert!(to_itself.linking.is_some(), "still linking");
}

#[test]
fn deleting_an_annotation_deletes_its_relations_and_undo_restores_both() {
    let w = three_tagged()
        .apply(Action::Select(Some("claim".into())))
        .apply(Action::StartLink)
        .apply(Action::LinkTo {
            target: Some("src".into()),
            new_id: "r".into(),
        })
        .apply(Action::Select(Some("src".into())))
        .apply(Action::DeleteSelected);
    assert_eq!((w.store.len(), w.store.relation_count()), (2, 0));
    let undone = w.apply(Action::Undo);
    assert_eq!((undone.store.len(), undone.store.relation_count()), (3, 1));
}

#[test]
fn attributes_are_set_and_cleared_on_the_selected_annotation() {
    let w = three_tagged()
        .apply(Action::Select(Some("claim".into())))
        .apply(Action::SetAttribute {
            name: "hedged".into(),
            value: Some(AttributeValue::Flag(true)),
            now: "t2".into(),
        });
    let claim = w.store.get(&"claim".into()).unwrap();
    assert_eq!(claim.attributes["hedged"], AttributeValue::Flag(true));
    assert_eq!(claim.modified, "t2");
    let cleared = w.apply(Action::SetAttribute {
        name: "hedged".into(),
        value: None,
        now: "t3".into(),
    });
    assert!(cleared
        .store
        .get(&"claim".into())
        .unwrap()
        .attributes
        .is_empty());
    assert!(cleared
        .apply(Action::Undo)
        .store
        .get(&"claim".into())
        .unwrap()
        .attributes
        .contains_key("hedged"));
}

#[test]
fn comparing_walks_disagreements_and_adjudication_fills_the_gold_layer() {
    use crate::agree::Layer;
    let w = workspace();
    let a = |id: &str, start, end, tag: Tag| {
        Annotation::new(id.into(), Span::new(start, end).unwrap(), tag, "t")
    };
    // Both have the claim; only ann has the condition; they tag the minister differently.
    let ann = Layer::new(
        "ann",
        vec![
            a("1", 0, 19, Tag::Claim),
            a("2", 20, 46, Tag::Condition),
            a("3", 48, 60, Tag::from("source")),
        ],
    );
    let bob = Layer::new(
        "bob",
        vec![a("1", 0, 19, Tag::Claim), a("3", 48, 60, Tag::Quote)],
    );
    let comparison = Comparison::new(&w.open.document, &w.open.name, vec![ann, bob]);
    assert_eq!(comparison.gold_name(), "a (gold)");
    assert_eq!(comparison.disagreements.len(), 2);
    let w = w.apply(Action::Compare(Box::new(comparison)));
    let ids = |from: usize| {
        (from..from + 5)
            .map(|i| AnnotationId::from(format!("g{i}")))
            .collect()
    };
    let w = w.apply(Action::AcceptAgreed {
        new_ids: ids(0),
        now: "t".into(),
    });
    assert_eq!(w.store.len(), 1, "the shared claim");
    let claim = w.store.in_document_order().next().unwrap().clone();
    assert_eq!(
        claim.attributes[crate::agree::PROVENANCE],
        crate::model::AttributeValue::Text("ann, bob".into())
    );
    let progress = |w: &Workspace| {
        let c = w.comparison.as_ref().unwrap();
        c.resolved(&w.store).iter().filter(|r| **r).count()
    };
    assert_eq!(progress(&w), 0);
    // n: the condition only ann has; take ann's version. n: the minister; reject both.
    let w = w
        .apply(Action::WalkDisagreement { forward: true })
        .apply(Action::AcceptVersion {
            layer: 0,
            new_ids: ids(10),
            now: "t".into(),
        });
    assert_eq!((w.store.len(), progress(&w)), (2, 1));
    let w = w
        .apply(Action::WalkDisagreement { forward: true })
        .apply(Action::RejectDisagreement);
    assert_eq!(progress(&w), 2);
    // Undo takes the accepted condition back out: one disagreement open again.
    let w = w.apply(Action::Undo);
    assert_eq!((w.store.len(), progress(&w)), (1, 1));
    assert_eq!(
        w.comparison.as_ref().unwrap().current,
        Some(1),
        "n wraps: two disagreements"
    );
    // What is stored of it (as JSON, as a record holds it) brings it back, rejections included.
    let comparison = w.comparison.as_ref().unwrap();
    let json = serde_json::to_string(&comparison.stored()).unwrap();
    let restored = Comparison::restore(&w.open.document, serde_json::from_str(&json).unwrap());
    assert_eq!(restored.layers, comparison.layers);
    assert_eq!(restored.rejected, comparison.rejected);
    assert_eq!(restored.disagreements, comparison.disagreements);
}

#[test]
fn suggestions_are_stepped_accepted_rejected_and_a_quote_is_linked_to_its_speaker() {
    use crate::suggest::{Suggester, Suggestion, SuggestionSource};
    const NEWS: &str = "“We are ready,” said Mayor Ana Reyes, if the vote passes.";
    let open = Rc::new(OpenDocument::new("n.txt".into(), Document::from_raw(NEWS)));
    let library = Library {
        current: Some(open.id.clone()),
        ..Library::default()
    };
    let w = Rc::new(Workspace::from_loaded(LoadedDocument {
        store: AnnotationStore::new(open.document.char_len()),
        open: open.clone(),
        history: History::default(),
        library,
        status: None,
    }));
    let all = Suggester::new(Default::default(), Default::default()).suggest(&open.document);
    let listed: Vec<(&str, &str)> = all
        .iter()
        .map(|s| (open.document.slice(s.span).unwrap(), s.tag.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("We are ready,", "quote"),
            ("Mayor Ana Reyes", "source"),
            ("if the vote passes", "condition")
        ]
    );
    assert!(all.iter().all(|s| s.source == SuggestionSource::Cues));
    let w = w
        .apply(Action::SetSuggestionsOn(true))
        .apply(Action::SuggestionsComputed {
            document: open.id.clone(),
            all: Rc::new(all),
        });
    // n: the quote; a: accepted (the source is next); a: the source, linked to the quote.
    let step = |w: Rc<Workspace>| {
        w.apply(Action::StepSuggestion {
            forward: true,
            caret: None,
        })
    };
    let accept = |w: Rc<Workspace>, n: &str| {
        w.apply(Action::AcceptSuggestion {
            new_id: format!("a{n}").as_str().into(),
            relation_id: format!("r{n}").as_str().into(),
            now: "t".into(),
        })
    };
    let w = accept(step(w), "1");
    assert_eq!(w.store.len(), 1);
    let w = accept(w, "2");
    assert_eq!((w.store.len(), w.store.relation_count()), (2, 1));
    let relation = w.store.relations().next().unwrap().clone();
    assert_eq!(
        (
            relation.kind.as_str(),
            relation.from.as_str(),
            relation.to.as_str()
        ),
        ("attributed-to", "a1", "a2")
    );
    // x: the condition is rejected, never suggested again; undo brings it back.
    let w = w.apply(Action::RejectSuggestion);
    let open_now = |w: &Workspace| w.suggestions.open(&w.store).len();
    assert_eq!(open_now(&w), 0);
    let w = w.apply(Action::Undo);
    assert_eq!(open_now(&w), 1);
    // Undoing the accept brings the suggestion back too.
    let w = w.apply(Action::Undo);
    assert_eq!((w.store.len(), open_now(&w)), (1, 2));
    let chosen: Vec<Suggestion> = w.suggestions.open(&w.store);
    let w = w
        .apply(Action::ChooseSuggestion(
            chosen[1].span,
            chosen[1].tag.clone(),
        ))
        .apply(Action::AcceptAllOfLabel {
            new_ids: (0..4).map(|i| format!("all{i}").as_str().into()).collect(),
            now: "t".into(),
        });
    assert_eq!(w.store.len(), 2, "every open condition");
}
