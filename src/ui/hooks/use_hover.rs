use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::use_latest;

use crate::model::Annotation;
use crate::ui::services::dom_range;
use crate::ui::state::AppState;

/// What the pointer rests on: the annotations covering the character under it, innermost
/// last, and where to show their card (viewport px).
#[derive(Debug, Clone)]
pub struct Hovered {
    /// Outermost first.
    pub annotations: Vec<Rc<Annotation>>,
    /// Left edge of the card.
    pub x: f64,
    /// Top edge of the card (below the pointer).
    pub y: f64,
}

/// The same annotations: the card stays where it appeared while the pointer moves over them
/// (and the app does not re-render on every pointer move).
impl PartialEq for Hovered {
    fn eq(&self, other: &Self) -> bool {
        self.annotations.len() == other.annotations.len()
            && self
                .annotations
                .iter()
                .zip(&other.annotations)
                .all(|(a, b)| Rc::ptr_eq(a, b))
    }
}

/// Follows the pointer over the article (at most once per frame) and returns what it rests on,
/// so a card can show each covering annotation's tag and note; `None` over plain text, while a
/// mouse button is down, or outside the article.
#[hook]
pub fn use_hover(state: &UseReducerHandle<AppState>, article: NodeRef) -> Option<Hovered> {
    let hovered = use_state_eq(|| None::<Hovered>);
    let latest = use_latest(state);
    {
        let hovered = hovered.clone();
        use_effect_with((), move |_| {
            let element = article.cast::<web_sys::Element>();
            let frame = Rc::new(RefCell::new(None::<gloo_render::AnimationFrame>));
            let pending = Rc::new(Cell::new(None::<(f64, f64, bool)>));
            let listeners = element.map(|element| {
                let on_move = {
                    let (element, hovered, latest) = (element.clone(), hovered.clone(), latest);
                    move |event: &Event| {
                        let Some(event) = event.dyn_ref::<web_sys::MouseEvent>() else {
                            return;
                        };
                        let point = (
                            f64::from(event.client_x()),
                            f64::from(event.client_y()),
                            event.buttons() != 0,
                        );
                        if pending.replace(Some(point)).is_some() {
                            return; // a frame is already scheduled; it reads the latest point
                        }
                        let (element, hovered, latest, pending) = (
                            element.clone(),
                            hovered.clone(),
                            latest.clone(),
                            pending.clone(),
                        );
                        *frame.borrow_mut() =
                            Some(gloo_render::request_animation_frame(move |_| {
                                let Some((x, y, pressed)) = pending.take() else {
                                    return;
                                };
                                let state = latest.borrow().clone();
                                let covering = (!pressed)
                                    .then(|| {
                                        dom_range::char_at_point(
                                            &element,
                                            &state.open.document,
                                            x,
                                            y,
                                        )
                                    })
                                    .flatten()
                                    .map(|offset| {
                                        let spans = state.store.spans();
                                        let mut covering: Vec<Rc<Annotation>> = spans
                                            .covering(offset)
                                            .filter_map(|entry| state.store.get(&entry.id).cloned())
                                            .collect();
                                        covering.sort_by_key(|a| std::cmp::Reverse(a.span.len()));
                                        covering
                                    })
                                    .filter(|covering| !covering.is_empty());
                                hovered.set(covering.map(|annotations| Hovered {
                                    annotations,
                                    x: x + 12.0,
                                    y: y + 18.0,
                                }));
                            }));
                    }
                };
                let on_leave = {
                    let hovered = hovered.clone();
                    move |_: &Event| hovered.set(None)
                };
                [
                    EventListener::new(&element, "mousemove", on_move),
                    EventListener::new(&element, "mouseleave", on_leave),
                ]
            });
            move || drop(listeners)
        });
    }
    (*hovered).clone()
}
