use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::use_latest;

use crate::ui::services::{clock, dom_range};
use crate::ui::state::{Action, AppState};

/// Where the floating tag toolbar goes: viewport coordinates of the selection's end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ToolbarAnchor {
    /// Centre of the selection's last line, in px from the viewport's left.
    pub x: f64,
    /// Top of the selection's first line, in px from the viewport's top.
    pub y: f64,
}

/// Follows the browser selection in the article (on `selectionchange`, `mouseup` and
/// `keyup`), keeps `text_selection` in the state, selects the annotation under a plain
/// click, and returns where the floating toolbar belongs (hidden while the mouse is down).
#[hook]
pub fn use_text_selection(
    state: &UseReducerHandle<AppState>,
    article: NodeRef,
) -> Option<ToolbarAnchor> {
    let anchor = use_state_eq(|| None::<ToolbarAnchor>);
    let pointer_down = use_mut_ref(|| false);
    // The listeners read the latest state through this cell, so they are installed once.
    let latest = use_latest(state);
    {
        let anchor = anchor.clone();
        use_effect_with((), move |_| {
            let document = gloo_utils::document();
            let update = {
                let latest = latest.clone();
                let article = article.clone();
                let pointer_down = pointer_down.clone();
                move |_: &Event| {
                    let state = latest.borrow().clone();
                    let Some(element) = article.cast::<web_sys::Element>() else {
                        return;
                    };
                    let span = dom_range::selection_span(&element, &state.open.document);
                    state.dispatch(Action::SetTextSelection(span));
                    anchor.set(
                        span.filter(|_| !*pointer_down.borrow())
                            .and_then(|_| selection_anchor()),
                    );
                }
            };
            let press = {
                let pointer_down = pointer_down.clone();
                move |_: &Event| *pointer_down.borrow_mut() = true
            };
            let release = {
                let update = update.clone();
                let latest = latest.clone();
                let article = article.clone();
                move |event: &Event| {
                    *pointer_down.borrow_mut() = false;
                    snap_selection(&latest.borrow(), &article, event);
                    update(event);
                    select_clicked_annotation(&latest.borrow(), &article, event);
                }
            };
            let listeners = [
                EventListener::new(&document, "selectionchange", update.clone()),
                EventListener::new(&document, "keyup", update),
                EventListener::new(&document, "mousedown", press),
                EventListener::new(&document, "mouseup", release),
            ];
            move || drop(listeners)
        });
    }
    *anchor
}

/// With snapping on (and Alt not held), grows the mouse selection in the article to whole words,
/// so the user sees exactly what a tag will cover.
fn snap_selection(state: &UseReducerHandle<AppState>, article: &NodeRef, event: &Event) {
    let alt = event
        .dyn_ref::<web_sys::MouseEvent>()
        .is_some_and(web_sys::MouseEvent::alt_key);
    let Some(element) = article.cast::<web_sys::Element>() else {
        return;
    };
    if !state.snap_words || alt {
        return;
    }
    let document = &state.open.document;
    let Some(span) = dom_range::selection_span(&element, document) else {
        return;
    };
    match document.snap_to_words(span) {
        Some(snapped) if snapped != span => dom_range::select_span(&element, document, snapped),
        _ => {}
    }
}

/// A click without drag on a highlight selects its annotation: the innermost one covering the
/// character at the caret (or just before it, for a click on a character's right half).
fn select_clicked_annotation(state: &UseReducerHandle<AppState>, article: &NodeRef, event: &Event) {
    let Some(element) = article.cast::<web_sys::Element>() else {
        return;
    };
    let inside = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
        .is_some_and(|node| element.contains(Some(&node)));
    if !inside {
        return;
    }
    let Some(caret) = dom_range::caret_offset(&element, &state.open.document) else {
        return;
    };
    let spans = state.store.spans();
    let innermost = |offset: usize| {
        spans
            .covering(offset)
            .min_by_key(|e| e.span.len())
            .map(|e| e.id.clone())
    };
    let hit = innermost(caret).or_else(|| caret.checked_sub(1).and_then(innermost));
    match hit {
        Some(id) => state.dispatch(Action::Choose {
            id,
            new_relation_id: clock::new_annotation_id(),
        }),
        None if state.selected.is_some() || state.linking.is_some() => {
            state.dispatch(Action::Select(None))
        }
        None => {}
    }
}

/// The floating toolbar's anchor from the current selection's client rects.
fn selection_anchor() -> Option<ToolbarAnchor> {
    let selection = web_sys::window()?.get_selection().ok()??;
    let range = selection.get_range_at(0).ok()?;
    let rect = range.get_bounding_client_rect();
    (rect.width() > 0.0 || rect.height() > 0.0).then(|| ToolbarAnchor {
        x: rect.left() + rect.width() / 2.0,
        y: rect.top(),
    })
}
