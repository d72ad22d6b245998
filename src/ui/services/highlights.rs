//! Draws annotations with the CSS Custom Highlight API: one `Highlight` per tag and nesting
//! depth, one `Range` per annotation. The article's DOM is never touched: its text nodes hold
//! exactly the document text, and adding one annotation costs one `Range` and one
//! `Highlight.add`, whatever the document's size.

use std::collections::HashMap;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Element, Range};

use super::dom_range;
use crate::model::{Annotation, AnnotationId, AnnotationStore, Document};
use crate::ui::tag_class;

#[wasm_bindgen]
extern "C" {
    /// `Highlight` (CSS Custom Highlight API); bound here because web-sys has it only behind
    /// `--cfg=web_sys_unstable_apis`, which would have to be set for every build.
    #[wasm_bindgen(js_name = Highlight)]
    type CssHighlight;

    #[wasm_bindgen(constructor, js_class = "Highlight")]
    fn new() -> CssHighlight;

    #[wasm_bindgen(method, js_class = "Highlight")]
    fn add(this: &CssHighlight, range: &Range);

    #[wasm_bindgen(method, js_class = "Highlight", js_name = delete)]
    fn remove(this: &CssHighlight, range: &Range) -> bool;

    #[wasm_bindgen(method, js_class = "Highlight")]
    fn clear(this: &CssHighlight);

    #[wasm_bindgen(method, setter, js_class = "Highlight")]
    fn set_priority(this: &CssHighlight, priority: i32);

    /// `CSS.highlights`, the page's highlight registry.
    type HighlightRegistry;

    #[wasm_bindgen(thread_local_v2, js_namespace = CSS, js_name = highlights)]
    static REGISTRY: HighlightRegistry;

    #[wasm_bindgen(method)]
    fn set(this: &HighlightRegistry, name: &str, highlight: &CssHighlight) -> HighlightRegistry;
}

/// Nesting depths drawn apart; deeper spans share the last layer.
const DEPTH_LAYERS: usize = 3;
const TAG_CLASSES: [&str; 4] = ["claim", "quote", "condition", "other"];

struct Painted {
    annotation: Rc<Annotation>,
    range: Range,
    layer: usize,
}

/// What is drawn now, so each sync only touches what changed.
pub struct HighlightLayer {
    /// Index `tag * DEPTH_LAYERS + depth`, registered as `mg-<tag>-<depth>`.
    layers: Vec<CssHighlight>,
    selected: CssHighlight,
    flash: CssHighlight,
    document: Option<Rc<Document>>,
    painted: HashMap<AnnotationId, Painted>,
}

impl HighlightLayer {
    /// Registers the highlights (`mg-claim-0` … `mg-other-2`, `mg-selected`, `mg-flash`) in
    /// the page's registry, replacing any registered before.
    pub fn register() -> Self {
        let layers = (0..TAG_CLASSES.len() * DEPTH_LAYERS)
            .map(|index| {
                let highlight = CssHighlight::new();
                let depth = index % DEPTH_LAYERS;
                highlight.set_priority(depth as i32);
                let name = format!("mg-{}-{depth}", TAG_CLASSES[index / DEPTH_LAYERS]);
                REGISTRY.with(|registry| registry.set(&name, &highlight));
                highlight
            })
            .collect();
        let named = |name: &str, priority: i32| {
            let highlight = CssHighlight::new();
            highlight.set_priority(priority);
            REGISTRY.with(|registry| registry.set(name, &highlight));
            highlight
        };
        Self {
            layers,
            selected: named("mg-selected", 10),
            flash: named("mg-flash", 11),
            document: None,
            painted: HashMap::new(),
        }
    }

    /// Brings the drawing in line with `store`: O(n) pointer comparisons plus O(n log n) for
    /// depths, and DOM work only for annotations that changed.
    pub fn sync(
        &mut self,
        article: &Element,
        document: &Rc<Document>,
        store: &AnnotationStore,
        selected: Option<&AnnotationId>,
    ) {
        let same_document = self
            .document
            .as_ref()
            .is_some_and(|d| Rc::ptr_eq(d, document));
        if !same_document {
            self.layers.iter().for_each(|h| h.clear());
            self.painted.clear();
            self.document = Some(document.clone());
        }
        self.painted.retain(|id, painted| {
            let keep = store
                .get(id)
                .is_some_and(|current| Rc::ptr_eq(current, &painted.annotation));
            if !keep {
                self.layers[painted.layer].remove(&painted.range);
            }
            keep
        });
        let depths = store.spans().depths();
        for (entry, depth) in store.spans().iter().zip(depths) {
            let annotation = &store.get(&entry.id).expect("span set and map agree");
            let tag_index = TAG_CLASSES
                .iter()
                .position(|c| *c == tag_class(&annotation.tag))
                .unwrap_or(3);
            let layer = tag_index * DEPTH_LAYERS + depth.min(DEPTH_LAYERS - 1);
            match self.painted.get_mut(&entry.id) {
                Some(painted) if painted.layer == layer => {}
                Some(painted) => {
                    self.layers[painted.layer].remove(&painted.range);
                    self.layers[layer].add(&painted.range);
                    painted.layer = layer;
                }
                None => {
                    if let Some(range) = dom_range::range_for_span(article, document, entry.span) {
                        self.layers[layer].add(&range);
                        self.painted.insert(
                            entry.id.clone(),
                            Painted {
                                annotation: Rc::clone(annotation),
                                range,
                                layer,
                            },
                        );
                    }
                }
            }
        }
        self.selected.clear();
        if let Some(painted) = selected.and_then(|id| self.painted.get(id)) {
            self.selected.add(&painted.range);
        }
    }

    /// The drawn range of an annotation (to scroll to it).
    pub fn range_of(&self, id: &AnnotationId) -> Option<&Range> {
        self.painted.get(id).map(|p| &p.range)
    }

    /// Flashes an annotation's span for a moment.
    pub fn flash(&self, id: &AnnotationId) {
        let Some(painted) = self.painted.get(id) else {
            return;
        };
        self.flash.clear();
        self.flash.add(&painted.range);
        let flash = self.flash.clone();
        gloo_timers::callback::Timeout::new(900, move || flash.clear()).forget();
    }
}

impl Clone for CssHighlight {
    fn clone(&self) -> Self {
        JsValue::clone(self).unchecked_into()
    }
}
