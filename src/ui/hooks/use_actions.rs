use yew::prelude::*;

use std::rc::Rc;

use crate::model::{AnnotationId, AttributeValue, Span, SpanEdge, Tag};
use crate::ui::services::{clock, dom_range, storage};
use crate::ui::state::{Action, AppState};

/// The annotation verbs, with the time and fresh ids the pure reducer needs filled in.
#[derive(Clone, PartialEq)]
pub struct Actions {
    /// Tag the text selection, or retag the selected annotation.
    pub tag: Callback<Tag>,
    /// Tag every span of a search (one undoable step).
    pub tag_all: Callback<(Tag, Rc<Vec<Span>>)>,
    /// Select an annotation (or none).
    pub select: Callback<Option<AnnotationId>>,
    /// A click on an annotation: the relation to it while linking, else select it.
    pub choose: Callback<AnnotationId>,
    /// `r`: start a relation from the selected annotation.
    pub start_link: Callback<()>,
    /// `Enter` while linking: the relation to the candidate.
    pub link_to_candidate: Callback<()>,
    /// Set (or clear) an attribute of the selected annotation.
    pub set_attribute: Callback<(String, Option<AttributeValue>)>,
    /// Compare mode: take layer N's version of the current disagreement into the gold layer.
    pub accept_version: Callback<usize>,
    /// Accept the selected suggestion.
    pub accept_suggestion: Callback<()>,
    /// Accept every open suggestion of the selected one's label (`count` of them at most).
    pub accept_all_suggestions: Callback<usize>,
    /// Reject the selected suggestion.
    pub reject_suggestion: Callback<()>,
    /// Select a suggestion.
    pub choose_suggestion: Callback<(Span, Tag)>,
    /// Turn suggestions on or off (remembered).
    pub set_suggestions_on: Callback<bool>,
    /// Set the selected annotation's note.
    pub set_note: Callback<String>,
    /// Move one edge of the selected annotation one step (towards the end when `true`).
    pub resize: Callback<(SpanEdge, bool)>,
    /// Give the selected annotation a new extent (a resize handle let go).
    pub resize_to: Callback<Span>,
    /// Delete the selected annotation.
    pub delete_selected: Callback<()>,
    /// Undo.
    pub undo: Callback<()>,
    /// Redo.
    pub redo: Callback<()>,
    /// Clear the text selection and the selected annotation.
    pub clear_selection: Callback<()>,
    /// Place an orphan at the text selection.
    pub place_orphan: Callback<AnnotationId>,
    /// Discard an orphan.
    pub discard_orphan: Callback<AnnotationId>,
    /// Turn word snapping on or off (remembered).
    pub set_snap_words: Callback<bool>,
}

/// Builds the verbs once per state handle.
#[hook]
pub fn use_actions(state: &UseReducerHandle<AppState>) -> Actions {
    let dispatcher = state.dispatcher();
    (*use_memo((), move |_| {
        let d = dispatcher;
        let send = |f: fn(&UseReducerDispatcher<AppState>)| {
            let d = d.clone();
            Callback::from(move |_: ()| f(&d))
        };
        Actions {
            tag: {
                let d = d.clone();
                Callback::from(move |tag| {
                    d.dispatch(Action::Tag {
                        tag,
                        new_id: clock::new_annotation_id(),
                        now: clock::now_rfc3339(),
                    });
                    // The new annotation is selected; the text selection is used up.
                    dom_range::clear_selection();
                })
            },
            tag_all: {
                let d = d.clone();
                Callback::from(move |(tag, spans): (Tag, Rc<Vec<Span>>)| {
                    let new_ids = spans.iter().map(|_| clock::new_annotation_id()).collect();
                    d.dispatch(Action::TagAll {
                        tag,
                        spans,
                        new_ids,
                        now: clock::now_rfc3339(),
                    });
                })
            },
            select: {
                let d = d.clone();
                Callback::from(move |id| {
                    dom_range::clear_selection();
                    d.dispatch(Action::Select(id));
                })
            },
            choose: {
                let d = d.clone();
                Callback::from(move |id| {
                    dom_range::clear_selection();
                    d.dispatch(Action::Choose {
                        id,
                        new_relation_id: clock::new_annotation_id(),
                    });
                })
            },
            start_link: send(|d| d.dispatch(Action::StartLink)),
            link_to_candidate: {
                let d = d.clone();
                Callback::from(move |()| {
                    d.dispatch(Action::LinkTo {
                        target: None,
                        new_id: clock::new_annotation_id(),
                    })
                })
            },
            set_attribute: {
                let d = d.clone();
                Callback::from(move |(name, value)| {
                    d.dispatch(Action::SetAttribute {
                        name,
                        value,
                        now: clock::now_rfc3339(),
                    })
                })
            },
            accept_suggestion: {
                let d = d.clone();
                Callback::from(move |()| {
                    d.dispatch(Action::AcceptSuggestion {
                        new_id: clock::new_annotation_id(),
                        relation_id: clock::new_annotation_id(),
                        now: clock::now_rfc3339(),
                    })
                })
            },
            accept_all_suggestions: {
                let d = d.clone();
                Callback::from(move |count: usize| {
                    d.dispatch(Action::AcceptAllOfLabel {
                        new_ids: (0..2 * count).map(|_| clock::new_annotation_id()).collect(),
                        now: clock::now_rfc3339(),
                    })
                })
            },
            reject_suggestion: send(|d| d.dispatch(Action::RejectSuggestion)),
            choose_suggestion: {
                let d = d.clone();
                Callback::from(move |(span, tag)| {
                    dom_range::clear_selection();
                    d.dispatch(Action::ChooseSuggestion(span, tag));
                })
            },
            set_suggestions_on: {
                let d = d.clone();
                Callback::from(move |on: bool| {
                    // A preference that cannot be saved still applies for this visit.
                    let _ = storage::save_setting("suggestions", if on { "on" } else { "off" });
                    d.dispatch(Action::SetSuggestionsOn(on));
                })
            },
            accept_version: {
                let d = d.clone();
                Callback::from(move |layer| {
                    d.dispatch(Action::AcceptVersion {
                        layer,
                        new_ids: (0..64).map(|_| clock::new_annotation_id()).collect(),
                        now: clock::now_rfc3339(),
                    })
                })
            },
            set_note: {
                let d = d.clone();
                Callback::from(move |note| {
                    d.dispatch(Action::SetNote {
                        note,
                        now: clock::now_rfc3339(),
                    })
                })
            },
            place_orphan: {
                let d = d.clone();
                Callback::from(move |id| {
                    d.dispatch(Action::PlaceOrphan {
                        id,
                        now: clock::now_rfc3339(),
                    });
                    dom_range::clear_selection();
                })
            },
            discard_orphan: {
                let d = d.clone();
                Callback::from(move |id| d.dispatch(Action::DiscardOrphan(id)))
            },
            set_snap_words: {
                let d = d.clone();
                Callback::from(move |snap: bool| {
                    // A preference that cannot be saved still applies for this visit.
                    let _ = storage::save_setting("snap-words", if snap { "on" } else { "off" });
                    d.dispatch(Action::SetSnapWords(snap));
                })
            },
            resize: {
                let d = d.clone();
                Callback::from(move |(edge, forward)| {
                    d.dispatch(Action::Resize {
                        edge,
                        forward,
                        now: clock::now_rfc3339(),
                    })
                })
            },
            resize_to: {
                let d = d.clone();
                Callback::from(move |span| {
                    d.dispatch(Action::ResizeTo {
                        span,
                        now: clock::now_rfc3339(),
                    })
                })
            },
            delete_selected: send(|d| d.dispatch(Action::DeleteSelected)),
            undo: send(|d| d.dispatch(Action::Undo)),
            redo: send(|d| d.dispatch(Action::Redo)),
            clear_selection: send(|d| {
                dom_range::clear_selection();
                d.dispatch(Action::ClearSelection);
            }),
        }
    }))
    .clone()
}
