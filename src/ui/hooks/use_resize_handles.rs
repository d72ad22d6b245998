use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::{use_latest, Highlights};

use std::rc::Rc;

use crate::model::{Document, Span, SpanEdge};
use crate::ui::services::dom_range;

/// Where one handle is drawn: px inside the article's scrolling parent (so it scrolls with the
/// text), at the edge of the span's first (start) or last (end) line box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HandleBox {
    /// Distance from the scroller content's left edge.
    pub left: f64,
    /// Distance from the scroller content's top edge.
    pub top: f64,
    /// The line's height.
    pub height: f64,
}

/// The selected annotation's two handles, and the grab that starts a drag.
#[derive(Clone, PartialEq)]
pub struct ResizeHandles {
    /// At the first code point.
    pub start: HandleBox,
    /// After the last code point.
    pub end: HandleBox,
    /// A pointer went down on a handle.
    pub on_grab: Callback<(SpanEdge, PointerEvent)>,
}

/// A drag under way: the span it started from, and where it would leave the span.
struct Drag {
    from: Span,
    to: Span,
    /// `pointermove` and `pointerup` on the document, dropped when the drag ends.
    _listeners: [EventListener; 2],
}

/// The handles' boxes for `span` as the article lays it out now; `None` when it is not in the
/// page.
fn boxes(
    article: &web_sys::Element,
    document: &Document,
    span: Span,
) -> Option<(HandleBox, HandleBox)> {
    let range = dom_range::range_for_span(article, document, span)?;
    let rects = range.get_client_rects()?;
    let (first, last) = (rects.get(0)?, rects.get(rects.length().checked_sub(1)?)?);
    let scroller = article.parent_element()?;
    let view = scroller.get_bounding_client_rect();
    let at = |x: f64, rect: &web_sys::DomRect| HandleBox {
        left: x - view.left() + f64::from(scroller.scroll_left()),
        top: rect.top() - view.top() + f64::from(scroller.scroll_top()),
        height: rect.height(),
    };
    Some((at(first.left(), &first), at(last.right(), &last)))
}

/// Handles at both ends of `span` (the selected annotation's): drag one (mouse, pen or touch) and the
/// annotation's extent follows on release, whole words at a time while snapping is on (Alt
/// held: code points). While dragging, the new extent is previewed and the handle follows the
/// pointer; letting go makes it one undoable resize. The keyboard does the same with
/// Shift+Alt+arrows.
#[hook]
pub fn use_resize_handles(
    span: Option<Span>,
    document: Rc<Document>,
    snap_words: bool,
    article: NodeRef,
    highlights: Highlights,
    resize_to: Callback<Span>,
) -> Option<ResizeHandles> {
    // What a drag reads when it starts and as it goes (the listeners outlive this render).
    let latest = use_latest(&(span, document.clone(), snap_words));
    let drag = use_mut_ref(|| None::<Drag>);
    let placed = use_state_eq(|| None::<(HandleBox, HandleBox)>);
    {
        // Placed when the span or the document changes, and again (once a frame at most) when
        // the article scrolls or the window resizes: blocks above the span that come into view
        // take their real height, and the text moves. A dragged handle sets its own boxes.
        let (placed, article, drag) = (placed.clone(), article.clone(), drag.clone());
        use_effect_with((Rc::as_ptr(&document) as usize, span), move |_| {
            let scroller = article
                .cast::<web_sys::Element>()
                .and_then(|a| a.parent_element());
            let place = Rc::new(move || {
                if drag.borrow().is_some() {
                    return;
                }
                let boxes = span
                    .zip(article.cast::<web_sys::Element>())
                    .and_then(|(span, element)| boxes(&element, &document, span));
                placed.set(boxes);
            });
            place();
            let frame = Rc::new(std::cell::RefCell::new(None::<gloo_render::AnimationFrame>));
            let pending_frame = frame.clone();
            let later = move |_: &Event| {
                let place = place.clone();
                let mut pending = frame.borrow_mut();
                if pending.is_none() {
                    let frame = frame.clone();
                    *pending = Some(gloo_render::request_animation_frame(move |_| {
                        frame.borrow_mut().take();
                        place();
                    }));
                }
            };
            let listeners = span.map(|_| {
                (
                    scroller.map(|s| EventListener::new(&s, "scroll", later.clone())),
                    EventListener::new(&gloo_utils::window(), "resize", later),
                )
            });
            move || {
                drop(listeners);
                // A frame still pending would place the old span's handles: cancel it.
                pending_frame.borrow_mut().take();
            }
        });
    }
    let on_grab = {
        let (drag, placed) = (drag.clone(), placed.clone());
        use_callback((), move |(edge, event): (SpanEdge, PointerEvent), _| {
            let Some(from) = latest.borrow().0 else {
                return;
            };
            // No text selection starts under the handle, and no click follows.
            event.prevent_default();
            let on_move = {
                let (drag, placed, latest, article, highlights) = (
                    drag.clone(),
                    placed.clone(),
                    latest.clone(),
                    article.clone(),
                    highlights.clone(),
                );
                move |event: &Event| {
                    let event: &PointerEvent = event.unchecked_ref();
                    let (_, document, snap_words) = latest.borrow().clone();
                    let Some(element) = article.cast::<web_sys::Element>() else {
                        return;
                    };
                    let by_word = snap_words && !event.alt_key();
                    let moved = dom_range::boundary_at_point(
                        &element,
                        &document,
                        f64::from(event.client_x()),
                        f64::from(event.client_y()),
                    )
                    .and_then(|to| document.drag_edge(from, edge, to, by_word));
                    if let (Some(span), Some(drag)) = (moved, drag.borrow_mut().as_mut()) {
                        drag.to = span;
                        highlights.preview(Some(span));
                        placed.set(boxes(&element, &document, span));
                    }
                }
            };
            let on_up = {
                let (drag, highlights, resize_to) =
                    (drag.clone(), highlights.clone(), resize_to.clone());
                move |_: &Event| {
                    // Taken out first: the listeners it holds are dropped after this call.
                    let finished = drag.borrow_mut().take();
                    highlights.preview(None);
                    if let Some(finished) = finished.filter(|d| d.to != d.from) {
                        resize_to.emit(finished.to);
                    }
                }
            };
            let page = gloo_utils::document();
            *drag.borrow_mut() = Some(Drag {
                from,
                to: from,
                _listeners: [
                    EventListener::new(&page, "pointermove", on_move),
                    EventListener::new(&page, "pointerup", on_up),
                ],
            });
        })
    };
    (*placed).map(|(start, end)| ResizeHandles {
        start,
        end,
        on_grab,
    })
}

/// A handle's grab, bound to its edge.
pub fn grab(handles: &ResizeHandles, edge: SpanEdge) -> Callback<PointerEvent> {
    let on_grab = handles.on_grab.clone();
    Callback::from(move |event| on_grab.emit((edge, event)))
}
