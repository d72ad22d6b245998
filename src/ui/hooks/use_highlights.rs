use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use yew::prelude::*;

use super::use_latest;

use crate::model::{AnnotationId, Span};
use crate::ui::services::dom_range;
use crate::ui::services::highlights::HighlightLayer;
use crate::ui::state::AppState;

/// Handle to the drawn highlights.
#[derive(Clone)]
pub struct Highlights {
    latest: Rc<RefCell<UseReducerHandle<AppState>>>,
    layer: Rc<RefCell<Option<HighlightLayer>>>,
    article: NodeRef,
}

impl PartialEq for Highlights {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.layer, &other.layer)
    }
}

impl Highlights {
    /// Scrolls an annotation's span to a third of the article's view and flashes it.
    pub fn reveal(&self, id: &AnnotationId) {
        let span = self.latest.borrow().store.get(id).map(|a| a.span);
        if let Some(span) = span {
            self.reveal_span(span);
        }
    }

    /// Scrolls `span` to a third of the article's view and flashes it (a disagreement).
    pub fn reveal_span(&self, span: Span) {
        let state = self.latest.borrow().clone();
        if let Some(range) = self.scroll_to(&state, span) {
            if let Some(layer) = self.layer.borrow().as_ref() {
                layer.flash(&range);
            }
        }
    }

    /// Makes `span` the page's text selection and scrolls it into view (a search match: 1/2/3
    /// then tag it).
    pub fn select_text(&self, span: Span) {
        let state = self.latest.borrow().clone();
        if self.scroll_to(&state, span).is_some() {
            if let Some(article) = self.article.cast::<web_sys::Element>() {
                dom_range::select_span(&article, &state.open.document, span);
            }
        }
    }

    /// Shows `span` as where a dragged resize handle would put the selected annotation; `None`
    /// clears it.
    pub fn preview(&self, span: Option<Span>) {
        let state = self.latest.borrow().clone();
        let range =
            self.article
                .cast::<web_sys::Element>()
                .zip(span)
                .and_then(|(article, span)| {
                    dom_range::range_for_span(&article, &state.open.document, span)
                });
        if let Some(layer) = self.layer.borrow().as_ref() {
            layer.preview(range.as_ref());
        }
    }

    /// Scrolls `span` to a third of the article's view; its range, if it is in the page.
    fn scroll_to(&self, state: &AppState, span: Span) -> Option<web_sys::Range> {
        let article = self.article.cast::<web_sys::Element>()?;
        let range = dom_range::range_for_span(&article, &state.open.document, span)?;
        if let Some(scroller) = article.parent_element() {
            let target = range.get_bounding_client_rect();
            let view = scroller.get_bounding_client_rect();
            let options = web_sys::ScrollToOptions::new();
            options.set_top(
                f64::from(scroller.scroll_top()) + target.top() - view.top() - view.height() / 3.0,
            );
            options.set_behavior(web_sys::ScrollBehavior::Smooth);
            scroller.scroll_to_with_scroll_to_options(&options);
        }
        Some(range)
    }
}

/// Draws the current window of the article: the paragraphs in view and a screen around.
fn redraw(layer: &RefCell<Option<HighlightLayer>>, article: &NodeRef, state: &AppState) {
    let Some(element) = article.cast::<web_sys::Element>() else {
        return;
    };
    let window = dom_range::visible_window(&element, &state.open.document);
    layer
        .borrow_mut()
        .get_or_insert_with(HighlightLayer::register)
        .sync(
            &element,
            &state.open.document,
            &state.store,
            &state.labels,
            state.selected.as_ref(),
            window,
        );
}

/// Keeps the CSS highlights in line with the state after every render that changed the
/// document, the annotations, the selection or the labels, and with the view as the article scrolls
/// (at most once per frame).
#[hook]
pub fn use_highlights(state: &UseReducerHandle<AppState>, article: NodeRef) -> Highlights {
    let layer = use_mut_ref(|| None::<HighlightLayer>);
    let latest = use_latest(state);
    {
        let (layer, article, state) = (layer.clone(), article.clone(), state.clone());
        let key = (
            state.open.id.clone(),
            state.revision,
            state.selected.clone(),
            Rc::as_ptr(&state.labels) as usize,
        );
        use_effect_with(key, move |_| redraw(&layer, &article, &state));
    }
    {
        let (layer, article, latest) = (layer.clone(), article.clone(), latest.clone());
        use_effect_with((), move |_| {
            let scroller = article
                .cast::<web_sys::Element>()
                .and_then(|a| a.parent_element());
            // The frame handle stays alive until the next one replaces it (dropping it cancels it).
            let frame = RefCell::new(None::<gloo_render::AnimationFrame>);
            let scheduled = Rc::new(std::cell::Cell::new(false));
            let listener = scroller.map(|scroller| {
                EventListener::new(&scroller, "scroll", move |_| {
                    if scheduled.replace(true) {
                        return;
                    }
                    let (layer, article, latest, scheduled) = (
                        layer.clone(),
                        article.clone(),
                        latest.clone(),
                        scheduled.clone(),
                    );
                    *frame.borrow_mut() = Some(gloo_render::request_animation_frame(move |_| {
                        scheduled.set(false);
                        redraw(&layer, &article, &latest.borrow());
                    }));
                })
            });
            move || drop(listener)
        });
    }
    Highlights {
        latest,
        layer,
        article,
    }
}
