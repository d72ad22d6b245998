use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use yew::prelude::*;

use crate::model::{AnnotationStore, Document, Relation, Span, Tag};
use crate::ui::services::overlays::{line_boxes, near_view, LineBox};
use crate::workspace::Comparison;

/// What an overlay over the article draws, laid out by `lay_out` from `key` and the article
/// element: after every render whose key changed, and at most once per frame while the article
/// scrolls. The layout is the overlay component's own state, so scrolling re-renders only the
/// overlay, never the app.
#[hook]
fn use_overlay<K, T>(key: K, article: NodeRef, lay_out: fn(&K, &web_sys::Element) -> T) -> Rc<T>
where
    K: PartialEq + Clone + 'static,
    T: PartialEq + Default + 'static,
{
    let drawn = use_state_eq(|| Rc::new(T::default()));
    let latest = use_mut_ref(|| key.clone());
    *latest.borrow_mut() = key.clone();
    let redraw = {
        let (drawn, latest, article) = (drawn.clone(), latest.clone(), article.clone());
        Rc::new(move || {
            let laid = article
                .cast::<web_sys::Element>()
                .map(|element| lay_out(&latest.borrow(), &element))
                .unwrap_or_default();
            drawn.set(Rc::new(laid));
        })
    };
    {
        let redraw = redraw.clone();
        use_effect_with(key, move |_| redraw());
    }
    use_effect_with((), move |_| {
        let scroller = article
            .cast::<web_sys::Element>()
            .and_then(|a| a.parent_element());
        // The frame handle stays alive until the next one replaces it (dropping it cancels it).
        let frame = Rc::new(RefCell::new(None::<gloo_render::AnimationFrame>));
        let listener = scroller.map(|scroller| {
            EventListener::new(&scroller, "scroll", move |_| {
                if frame.borrow().is_some() {
                    return;
                }
                let (redraw, slot) = (redraw.clone(), frame.clone());
                *frame.borrow_mut() = Some(gloo_render::request_animation_frame(move |_| {
                    slot.borrow_mut().take();
                    redraw();
                }));
            })
        });
        move || drop(listener)
    });
    (*drawn).clone()
}

/// A pointer-compared `Rc`, as overlay keys hold them (comparing contents would cost a pass
/// over every annotation per render).
#[derive(Clone)]
pub struct Shared<T>(pub Rc<T>);

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// One relation as laid out: an arc from the middle of the first line of its `from` span to
/// that of its `to` span, and both ends' first line boxes.
#[derive(Debug, Clone, PartialEq)]
pub struct Connector {
    /// The relation.
    pub relation: Rc<Relation>,
    /// The arc, as an SVG path.
    pub path: String,
    /// Its two ends' first lines.
    pub ends: [LineBox; 2],
}

/// What the connectors are laid out from: the store and the document, equal while the
/// document is the same and the store's relations stamp is (so an annotation added, retagged
/// or deleted that is no relation's end lays nothing out again).
#[derive(Clone)]
struct ConnectorsKey {
    store: Rc<AnnotationStore>,
    document: Rc<Document>,
}

impl PartialEq for ConnectorsKey {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.document, &other.document)
            && self.store.relations_stamp() == other.store.relations_stamp()
    }
}

/// The relations with an end within a view-height of the screen, laid out as arcs: 1,000
/// relations on a book cost what the few in view cost (O(R) to pick them, two range layouts per
/// relation drawn). Laid out again only when a relation or one of its ends changed, or the
/// article scrolled; which ones touch the selected annotation is the component's to show.
#[hook]
pub fn use_connectors(
    store: Rc<AnnotationStore>,
    document: Rc<Document>,
    article: NodeRef,
) -> Rc<Vec<Connector>> {
    let key = ConnectorsKey { store, document };
    use_overlay(
        key,
        article,
        |ConnectorsKey { store, document }, article| {
            if store.relation_count() == 0 {
                return Vec::new();
            }
            let Some(window) = near_view(article, document) else {
                return Vec::new();
            };
            let first_line = |span: Span| line_boxes(article, document, span).into_iter().next();
            store
                .relations()
                .filter_map(|relation| {
                    let from = store.get(&relation.from)?.span;
                    let to = store.get(&relation.to)?.span;
                    if !from.overlaps(window) && !to.overlaps(window) {
                        return None;
                    }
                    let ends = [first_line(from)?, first_line(to)?];
                    Some(Connector {
                        relation: relation.clone(),
                        path: arc(ends[0], ends[1]),
                        ends,
                    })
                })
                .collect()
        },
    )
}

/// An arc over the text from the middle of the top of `from`'s first line to that of `to`'s:
/// higher the farther apart the ends are, so arcs between distant spans clear the lines
/// between them less steeply.
fn arc(from: LineBox, to: LineBox) -> String {
    let (x1, y1) = (from.left + from.width / 2.0, from.top);
    let (x2, y2) = (to.left + to.width / 2.0, to.top);
    let lift = 14.0 + ((x2 - x1).abs() / 8.0).min(40.0);
    let top = y1.min(y2) - lift;
    format!("M{x1:.1},{y1:.1} C{x1:.1},{top:.1} {x2:.1},{top:.1} {x2:.1},{y2:.1}")
}

/// The compared layers as laid out: each layer's span lines, and each disagreement's lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lanes {
    /// (layer, line) per span line.
    pub lanes: Vec<(usize, LineBox)>,
    /// (is the current one, line) per disagreement line.
    pub marks: Vec<(bool, LineBox)>,
}

/// The compare mode's lanes and disagreement marks near the view. O(spans) to pick them, plus
/// one range layout per span drawn.
#[hook]
pub fn use_compare_lanes(
    comparison: Rc<Comparison>,
    document: Rc<Document>,
    article: NodeRef,
) -> Rc<Lanes> {
    let key = (Shared(comparison), Shared(document));
    use_overlay(key, article, |(comparison, document), article| {
        let (comparison, document) = (&comparison.0, &document.0);
        let Some(window) = near_view(article, document) else {
            return Lanes::default();
        };
        let mut drawn = Lanes::default();
        for (layer, spans) in comparison.layers.iter().enumerate() {
            for annotation in spans.annotations.iter().filter(|a| a.span.overlaps(window)) {
                for line in line_boxes(article, document, annotation.span) {
                    drawn.lanes.push((layer, line));
                }
            }
        }
        for (index, disagreement) in comparison.disagreements.iter().enumerate() {
            if disagreement.span.overlaps(window) {
                let current = comparison.current == Some(index);
                for line in line_boxes(article, document, disagreement.span) {
                    drawn.marks.push((current, line));
                }
            }
        }
        drawn
    })
}

/// One open suggestion's lines as laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct SuggestionMark {
    /// Its extent.
    pub span: Span,
    /// Its label.
    pub tag: Tag,
    /// It is the selected suggestion.
    pub selected: bool,
    /// Its lines.
    pub lines: Vec<LineBox>,
}

type MarksKey = (
    Shared<Vec<crate::suggest::Suggestion>>,
    Shared<Document>,
    Option<(Span, Tag)>,
);

/// The open suggestions near the view, laid out as dashed outlines. O(log S) to find them (the
/// list is in document order), plus one range layout per suggestion drawn.
#[hook]
pub fn use_suggestion_marks(
    open: Rc<Vec<crate::suggest::Suggestion>>,
    document: Rc<Document>,
    selected: Option<(Span, Tag)>,
    article: NodeRef,
) -> Rc<Vec<SuggestionMark>> {
    let key: MarksKey = (Shared(open), Shared(document), selected);
    use_overlay(key, article, |(open, document, selected), article| {
        let (open, document) = (&open.0, &document.0);
        let Some(window) = near_view(article, document) else {
            return Vec::new();
        };
        // The window starts at a paragraph and suggestions stay within theirs: none that
        // starts before the window reaches into it.
        let first = open.partition_point(|s| s.span.start < window.start);
        open[first..]
            .iter()
            .take_while(|s| s.span.start < window.end)
            .map(|s| SuggestionMark {
                span: s.span,
                tag: s.tag.clone(),
                selected: selected.as_ref() == Some(&(s.span, s.tag.clone())),
                lines: line_boxes(article, document, s.span),
            })
            .collect()
    })
}
