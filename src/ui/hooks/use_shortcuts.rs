use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::use_latest;

use crate::model::SpanEdge;
use crate::ui::hooks::Actions;
use crate::ui::services::dom_range;
use crate::ui::state::{Action, AppState};

/// The keys of ui-contract.md: a label's digit (1/2/3 by default, custom labels the next)
/// tags or retags, Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y, Delete, Esc, j/k, Enter (focus the note),
/// `r` (start a relation; then j/k move the target, Enter links, Esc cancels),
/// `?` (the shortcut sheet, `help`); and Shift+Alt+arrows, which resize the selected
/// annotation; Ctrl+F opens the search bar (`search`). None fires while focus is in a
/// text field.
#[hook]
pub fn use_shortcuts(
    state: &UseReducerHandle<AppState>,
    actions: &Actions,
    article: NodeRef,
    help: UseStateHandle<bool>,
    search: UseStateHandle<bool>,
) {
    let latest_help = use_latest(&help);
    let latest_search = use_latest(&search);
    let latest = use_latest(state);
    let actions = actions.clone();
    use_effect_with((), move |_| {
        let options = EventListenerOptions::enable_prevent_default();
        let listener = EventListener::new_with_options(
            &gloo_utils::document(),
            "keydown",
            options,
            move |event| {
                let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                if in_text_field(event) || event.is_composing() {
                    return;
                }
                let state = latest.borrow().clone();
                let command = event.ctrl_key() || event.meta_key();
                let key = event.key();
                // The label whose digit this is (1/2/3 by default), when there is something to tag.
                let label_tag = key
                    .parse::<u8>()
                    .ok()
                    .and_then(|digit| state.labels.tag_for_key(digit))
                    .filter(|_| state.text_selection.is_some() || state.selected.is_some())
                    .cloned();
                // Compare mode with a disagreement walked to and nothing selected: digit N takes
                // layer N's version.
                let comparing_at = state
                    .comparison
                    .as_ref()
                    .and_then(|c| c.current.map(|_| c.layers.len()));
                let layer_key = comparing_at
                    .filter(|_| state.text_selection.is_none() && state.selected.is_none())
                    .and_then(|layers| {
                        key.parse::<usize>()
                            .ok()
                            .filter(|n| (1..=layers).contains(n))
                            .map(|n| n - 1)
                    });
                // Suggestions take n / p / a / x while they are shown (not while comparing).
                let suggesting = state.suggestions.on && state.comparison.is_none();
                let handled = match key.as_str() {
                    "z" | "Z" if command && event.shift_key() => {
                        actions.redo.emit(());
                        true
                    }
                    "z" | "Z" if command => {
                        actions.undo.emit(());
                        true
                    }
                    "y" | "Y" if command => {
                        actions.redo.emit(());
                        true
                    }
                    "f" | "F" if command => {
                        latest_search.borrow().set(true);
                        true
                    }
                    "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown"
                        if event.alt_key()
                            && event.shift_key()
                            && !command
                            && state.selected.is_some() =>
                    {
                        // Left/Right move the end, Up/Down the start (up = earlier in the text).
                        let (edge, forward) = match key.as_str() {
                            "ArrowLeft" => (SpanEdge::End, false),
                            "ArrowRight" => (SpanEdge::End, true),
                            "ArrowUp" => (SpanEdge::Start, false),
                            _ => (SpanEdge::Start, true),
                        };
                        actions.resize.emit((edge, forward));
                        true
                    }
                    _ if command || event.alt_key() => false,
                    "n" | "p" if state.comparison.is_some() => {
                        state.dispatch(Action::WalkDisagreement {
                            forward: key == "n",
                        });
                        true
                    }
                    "x" if comparing_at.is_some() => {
                        state.dispatch(Action::RejectDisagreement);
                        true
                    }
                    "n" | "p" if suggesting => {
                        let caret = article
                            .cast::<web_sys::Element>()
                            .and_then(|a| dom_range::caret_offset(&a, &state.open.document));
                        dom_range::clear_selection();
                        state.dispatch(Action::StepSuggestion {
                            forward: key == "n",
                            caret,
                        });
                        true
                    }
                    "a" if suggesting && state.suggestions.selected.is_some() => {
                        actions.accept_suggestion.emit(());
                        true
                    }
                    "A" if suggesting && state.suggestions.selected.is_some() => {
                        actions
                            .accept_all_suggestions
                            .emit(state.suggestions.all.len());
                        true
                    }
                    "x" if suggesting && state.suggestions.selected.is_some() => {
                        actions.reject_suggestion.emit(());
                        true
                    }
                    _ if layer_key.is_some() => {
                        layer_key
                            .into_iter()
                            .for_each(|layer| actions.accept_version.emit(layer));
                        true
                    }
                    _ if label_tag.is_some() => {
                        label_tag.into_iter().for_each(|tag| actions.tag.emit(tag));
                        true
                    }
                    "Escape" if state.linking.is_some() => {
                        state.dispatch(Action::CancelLink);
                        true
                    }
                    "j" | "k" if state.linking.is_some() => {
                        state.dispatch(Action::MoveLinkCandidate {
                            forward: key == "j",
                        });
                        true
                    }
                    "Enter" if state.linking.is_some() => {
                        actions.link_to_candidate.emit(());
                        true
                    }
                    "r" if state.selected.is_some() => {
                        actions.start_link.emit(());
                        true
                    }
                    _ if state.linking.is_some() => false,
                    "Delete" | "Backspace" if state.selected.is_some() => {
                        actions.delete_selected.emit(());
                        true
                    }
                    "Escape" => {
                        latest_help.borrow().set(false);
                        actions.clear_selection.emit(());
                        true
                    }
                    "?" => {
                        latest_help.borrow().set(true);
                        true
                    }
                    "j" | "k" => {
                        let caret = article
                            .cast::<web_sys::Element>()
                            .and_then(|a| dom_range::caret_offset(&a, &state.open.document));
                        dom_range::clear_selection();
                        state.dispatch(Action::SelectAdjacent {
                            forward: key == "j",
                            caret,
                        });
                        true
                    }
                    "Enter" if state.selected.is_some() => {
                        if let Some(note) = gloo_utils::document()
                            .query_selector("[data-testid=note]")
                            .ok()
                            .flatten()
                            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                        {
                            let _ = note.focus();
                        }
                        true
                    }
                    _ => false,
                };
                if handled {
                    event.prevent_default();
                }
            },
        );
        move || drop(listener)
    });
}

/// True when the event comes from a text field (ui-contract): a text-entry input (not a
/// checkbox, radio button or button), a textarea, a select or a contenteditable element.
fn in_text_field(event: &KeyboardEvent) -> bool {
    let Some(element) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    match element.tag_name().as_str() {
        "INPUT" => {
            let kind = element.get_attribute("type").unwrap_or_default();
            !matches!(
                kind.to_ascii_lowercase().as_str(),
                "checkbox" | "radio" | "button" | "submit" | "reset" | "file"
            )
        }
        "TEXTAREA" | "SELECT" => true,
        _ => element.is_content_editable(),
    }
}
