use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::ui::services::dom_range;

/// Where to draw the caret, in px inside the article's scrolling parent (so it scrolls with the
/// text).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CaretBox {
    /// Distance from the scroller content's left edge.
    pub left: f64,
    /// Distance from the scroller content's top edge.
    pub top: f64,
    /// The line's height.
    pub height: f64,
}

/// Keyboard selection in the article without a mouse: while the article has focus, the arrow
/// keys move the page's own Selection (`Selection.modify`, so assistive technology and tests see
/// it) by character, Ctrl by word (left/right) or paragraph (up/down), Home/End by line, and
/// Shift extends. Returns where to draw the caret (the article is not editable, so the browser
/// draws none); `None` when the article is not focused or the selection is not collapsed.
#[hook]
pub fn use_keyboard_caret(article: NodeRef) -> Option<CaretBox> {
    let caret = use_state_eq(|| None::<CaretBox>);
    {
        let caret = caret.clone();
        use_effect_with((), move |_| {
            let element: Option<web_sys::HtmlElement> = article.cast();
            let listeners = element.map(|element| {
                let update = {
                    let (element, caret) = (element.clone(), caret.clone());
                    move |_: &Event| caret.set(caret_box(&element))
                };
                let on_focus = {
                    let element = element.clone();
                    move |event: &Event| {
                        place_caret_in_view(&element);
                        update(event);
                    }
                };
                let on_key = {
                    let element = element.clone();
                    move |event: &Event| {
                        let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                            return;
                        };
                        if move_selection(&element, event) {
                            event.prevent_default();
                        }
                    }
                };
                let options = EventListenerOptions::enable_prevent_default();
                [
                    EventListener::new(&element, "focus", on_focus),
                    EventListener::new(&element, "blur", {
                        let caret = caret.clone();
                        move |_| caret.set(None)
                    }),
                    EventListener::new_with_options(&element, "keydown", options, on_key),
                    EventListener::new(&gloo_utils::document(), "selectionchange", {
                        let (element, caret) = (element.clone(), caret.clone());
                        move |_| caret.set(caret_box(&element))
                    }),
                ]
            });
            move || drop(listeners)
        });
    }
    *caret
}

/// Applies one caret key to the Selection; `false` for keys it does not handle.
fn move_selection(article: &web_sys::HtmlElement, event: &KeyboardEvent) -> bool {
    let word_or_paragraph = event.ctrl_key() || event.meta_key();
    let (direction, granularity) = match (event.key().as_str(), word_or_paragraph) {
        ("ArrowLeft", false) => ("backward", "character"),
        ("ArrowRight", false) => ("forward", "character"),
        ("ArrowLeft", true) => ("backward", "word"),
        ("ArrowRight", true) => ("forward", "word"),
        ("ArrowUp", false) => ("backward", "line"),
        ("ArrowDown", false) => ("forward", "line"),
        ("ArrowUp", true) => ("backward", "paragraph"),
        ("ArrowDown", true) => ("forward", "paragraph"),
        ("Home", _) => ("backward", "lineboundary"),
        ("End", _) => ("forward", "lineboundary"),
        _ => return false,
    };
    if event.alt_key() {
        return false;
    }
    let Some(selection) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) else {
        return false;
    };
    if !selection_inside(article, &selection) {
        place_caret_in_view(article);
    }
    let alter = if event.shift_key() { "extend" } else { "move" };
    let _ = selection.modify(alter, direction, granularity);
    scroll_focus_into_view(article, &selection);
    true
}

fn selection_inside(article: &web_sys::HtmlElement, selection: &web_sys::Selection) -> bool {
    selection.range_count() > 0
        && selection
            .focus_node()
            .is_some_and(|node| article.contains(Some(&node)))
}

/// On focus without a selection in the article, the caret goes to the start of the first
/// paragraph in view (not the document's start, which may be far above).
fn place_caret_in_view(article: &web_sys::HtmlElement) {
    let Some(selection) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) else {
        return;
    };
    if selection_inside(article, &selection) {
        return;
    }
    if let Some(text) = dom_range::first_paragraph_in_view(article).and_then(|p| p.first_child()) {
        let _ = selection.collapse_with_offset(Some(&text), 0);
    }
}

/// Keeps the moving end of the selection on screen.
fn scroll_focus_into_view(article: &web_sys::HtmlElement, selection: &web_sys::Selection) {
    let (Some(node), Some(scroller)) = (selection.focus_node(), article.parent_element()) else {
        return;
    };
    let Ok(range) = gloo_utils::document().create_range() else {
        return;
    };
    if range.set_start(&node, selection.focus_offset()).is_err() {
        return;
    }
    let rect = range.get_bounding_client_rect();
    let view = scroller.get_bounding_client_rect();
    let margin = 40.0;
    if rect.top() < view.top() + margin {
        scroller.set_scroll_top(scroller.scroll_top() - (view.top() + margin - rect.top()) as i32);
    } else if rect.bottom() > view.bottom() - margin {
        scroller.set_scroll_top(
            scroller.scroll_top() + (rect.bottom() - view.bottom() + margin) as i32,
        );
    }
}

/// The caret's box while the article has focus and the selection is a collapsed caret in it.
fn caret_box(article: &web_sys::HtmlElement) -> Option<CaretBox> {
    let document = gloo_utils::document();
    let focused = document
        .active_element()
        .is_some_and(|active| active.is_same_node(Some(article)));
    let selection = web_sys::window()?.get_selection().ok()??;
    if !focused || !selection.is_collapsed() || !selection_inside(article, &selection) {
        return None;
    }
    let range = selection.get_range_at(0).ok()?;
    let rects = range.get_client_rects()?;
    let rect = rects
        .get(0)
        .unwrap_or_else(|| range.get_bounding_client_rect());
    let scroller = article.parent_element()?;
    let view = scroller.get_bounding_client_rect();
    Some(CaretBox {
        left: rect.left() - view.left() + f64::from(scroller.scroll_left()),
        top: rect.top() - view.top() + f64::from(scroller.scroll_top()),
        height: rect.height().max(18.0),
    })
}
