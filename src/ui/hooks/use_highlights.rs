use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::model::AnnotationId;
use crate::ui::services::highlights::HighlightLayer;
use crate::ui::state::AppState;

/// Handle to the drawn highlights.
#[derive(Clone)]
pub struct Highlights {
    layer: Rc<RefCell<Option<HighlightLayer>>>,
    article: NodeRef,
}

impl PartialEq for Highlights {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.layer, &other.layer)
    }
}

impl Highlights {
    /// Scrolls an annotation's span into the middle of the article's view and flashes it.
    pub fn reveal(&self, id: &AnnotationId) {
        let layer = self.layer.borrow();
        let Some(layer) = layer.as_ref() else { return };
        let (Some(range), Some(article)) =
            (layer.range_of(id), self.article.cast::<web_sys::Element>())
        else {
            return;
        };
        if let Some(scroller) = article.parent_element() {
            let target = range.get_bounding_client_rect();
            let view = scroller.get_bounding_client_rect();
            let offset = target.top() - view.top() - view.height() / 3.0;
            let options = web_sys::ScrollToOptions::new();
            options.set_top(scroller.scroll_top() as f64 + offset);
            options.set_behavior(web_sys::ScrollBehavior::Smooth);
            scroller.scroll_to_with_scroll_to_options(&options);
        }
        layer.flash(id);
    }
}

/// Keeps the CSS highlights in line with the state after every render that changed the
/// document, the annotations or the selection.
#[hook]
pub fn use_highlights(state: &UseReducerHandle<AppState>, article: NodeRef) -> Highlights {
    let layer = use_mut_ref(|| None::<HighlightLayer>);
    {
        let layer = layer.clone();
        let article = article.clone();
        let state = state.clone();
        let key = (
            state.open.id.clone(),
            state.revision,
            state.selected.clone(),
        );
        use_effect_with(key, move |_| {
            if let Some(element) = article.cast::<web_sys::Element>() {
                layer
                    .borrow_mut()
                    .get_or_insert_with(HighlightLayer::register)
                    .sync(
                        &element,
                        &state.open.document,
                        &state.store,
                        state.selected.as_ref(),
                    );
            }
        });
    }
    Highlights { layer, article }
}
