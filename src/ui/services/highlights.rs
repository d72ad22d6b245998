//! Draws annotations with the CSS Custom Highlight API: one `Highlight` per label colour and
//! nesting depth, one `Range` per annotation. The article's DOM is never touched: its text nodes hold
//! exactly the document text.
//!
//! Only annotations that overlap a *window* (the paragraphs in view and about a screen on each
//! side, see `dom_range::visible_window`) are registered: Chromium re-processes every range of
//! the registry when one changes (the CSS-highlight floor page takes ~80 ms per add at 10,000
//! ranges), so keeping the registry to what can be seen makes an edit cost O(log n + k) for k
//! visible annotations, whatever the document's size. Scrolling moves the window.

use std::collections::HashMap;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Element, Range};

use super::dom_range;
use crate::model::{
    Annotation, AnnotationId, AnnotationStore, Document, LabelColour, LabelSet, Span,
};

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
/// Colour layers: the palette's, then `none` (a removed or unknown label).
const COLOUR_LAYERS: usize = LabelColour::ALL.len() + 1;

/// The highlight name of a colour layer (`blue`, …, `none`), as in styles/highlights.css.
fn colour_name(index: usize) -> &'static str {
    LabelColour::ALL.get(index).map_or("none", |c| c.as_str())
}

struct Painted {
    annotation: Rc<Annotation>,
    range: Range,
    layer: usize,
}

/// What is drawn now, so each sync only touches what changed.
pub struct HighlightLayer {
    /// Index `colour * DEPTH_LAYERS + depth`, registered as `mg-<colour>-<depth>`.
    layers: Vec<CssHighlight>,
    selected: CssHighlight,
    flash: CssHighlight,
    preview: CssHighlight,
    document: Option<Rc<Document>>,
    painted: HashMap<AnnotationId, Painted>,
}

impl HighlightLayer {
    /// Registers the highlights (`mg-blue-0` … `mg-none-2`, `mg-selected`, `mg-flash`,
    /// `mg-preview`) in
    /// the page's registry, replacing any registered before.
    pub fn register() -> Self {
        let layers = (0..COLOUR_LAYERS * DEPTH_LAYERS)
            .map(|index| {
                let highlight = CssHighlight::new();
                let depth = index % DEPTH_LAYERS;
                highlight.set_priority(depth as i32);
                let name = format!("mg-{}-{depth}", colour_name(index / DEPTH_LAYERS));
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
            preview: named("mg-preview", 12),
            document: None,
            painted: HashMap::new(),
        }
    }

    /// Brings the drawing in line with `store` inside `window` (code points), in the colours
    /// of `labels`: O(log n + k·w) for k annotations in the window (w as in
    /// `SpanSet::depth_of`), and DOM work only for those that changed, came into the window or
    /// changed colour.
    pub fn sync(
        &mut self,
        article: &Element,
        document: &Rc<Document>,
        store: &AnnotationStore,
        labels: &LabelSet,
        selected: Option<&AnnotationId>,
        window: Option<Span>,
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
        let spans = store.spans();
        let wanted: HashMap<&AnnotationId, (&Rc<Annotation>, usize)> = window
            .into_iter()
            .flat_map(|window| spans.overlapping(window))
            .map(|entry| {
                let annotation = store.get(&entry.id).expect("span set and map agree");
                let depth = spans.depth_of(entry).min(DEPTH_LAYERS - 1);
                let colour = labels
                    .colour_of(&annotation.tag)
                    .and_then(|c| LabelColour::ALL.iter().position(|p| *p == c))
                    .unwrap_or(COLOUR_LAYERS - 1);
                (&entry.id, (annotation, colour * DEPTH_LAYERS + depth))
            })
            .collect();
        self.painted.retain(|id, painted| {
            let keep = wanted.get(id).is_some_and(|(annotation, layer)| {
                Rc::ptr_eq(annotation, &painted.annotation) && *layer == painted.layer
            });
            if !keep {
                self.layers[painted.layer].remove(&painted.range);
            }
            keep
        });
        for (id, (annotation, layer)) in wanted {
            if self.painted.contains_key(id) {
                continue;
            }
            if let Some(range) = dom_range::range_for_span(article, document, annotation.span) {
                self.layers[layer].add(&range);
                let annotation = Rc::clone(annotation);
                self.painted.insert(
                    id.clone(),
                    Painted {
                        annotation,
                        range,
                        layer,
                    },
                );
            }
        }
        self.selected.clear();
        if let Some(range) = selected
            .and_then(|id| store.get(id))
            .and_then(|a| dom_range::range_for_span(article, document, a.span))
        {
            self.selected.add(&range);
        }
    }

    /// Shows where a resize handle being dragged would put the annotation (or nothing).
    pub fn preview(&self, range: Option<&Range>) {
        self.preview.clear();
        if let Some(range) = range {
            self.preview.add(range);
        }
    }

    /// Flashes a range (an annotation just revealed) for a moment.
    pub fn flash(&self, range: &Range) {
        self.flash.clear();
        self.flash.add(range);
        let flash = self.flash.clone();
        gloo_timers::callback::Timeout::new(900, move || flash.clear()).forget();
    }
}

impl Clone for CssHighlight {
    fn clone(&self) -> Self {
        JsValue::clone(self).unchecked_into()
    }
}
