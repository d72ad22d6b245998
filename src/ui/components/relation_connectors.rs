use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use yew::prelude::*;

use crate::model::{AnnotationId, AnnotationStore, Document, RelationId, Span};
use crate::ui::services::dom_range;

/// Props of [`RelationConnectors`].
#[derive(Properties, Clone)]
pub struct RelationConnectorsProps {
    /// The annotations and their relations.
    pub store: Rc<AnnotationStore>,
    /// The document they are in.
    pub document: Rc<Document>,
    /// The selected annotation: its relations are drawn highlighted.
    pub selected: Option<AnnotationId>,
    /// The article element.
    pub article: NodeRef,
}

impl PartialEq for RelationConnectorsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.store, &other.store)
            && Rc::ptr_eq(&self.document, &other.document)
            && self.selected == other.selected
            && self.article == other.article
    }
}

/// A box in px inside the article's scrolling parent (so it scrolls with the text).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Box {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
}

/// One connector as laid out: an arc from the start of its `from` span to the start of its
/// `to` span, and both ends' boxes (outlined while it is highlighted).
#[derive(Debug, Clone, PartialEq)]
struct Drawn {
    id: RelationId,
    kind: String,
    path: String,
    ends: [Box; 2],
    selected: bool,
}

/// The relations near the view, drawn over the article as arcs between their two spans (an
/// SVG layer of its own, so drawing them re-renders only it); a relation is highlighted with
/// both ends while hovered or while either end is the selected annotation. Like the
/// highlights, only relations with an end within a view-height of the screen are laid out, so
/// 1,000 relations on a book cost what the few in view cost.
#[component]
pub fn RelationConnectors(props: &RelationConnectorsProps) -> Html {
    let drawn = use_state_eq(Vec::<Drawn>::new);
    let hovered = use_state_eq(|| None::<RelationId>);
    let latest = use_mut_ref(|| props.clone());
    *latest.borrow_mut() = props.clone();
    {
        let (drawn, latest) = (drawn.clone(), latest.clone());
        use_effect_with(props.clone(), move |_| drawn.set(lay_out(&latest.borrow())));
    }
    {
        let (drawn, latest) = (drawn.clone(), latest.clone());
        let article = props.article.clone();
        use_effect_with((), move |_| {
            let scroller = article
                .cast::<web_sys::Element>()
                .and_then(|a| a.parent_element());
            // The frame handle stays alive until the next one replaces it.
            let frame = Rc::new(RefCell::new(None::<gloo_render::AnimationFrame>));
            let listener = scroller.map(|scroller| {
                EventListener::new(&scroller, "scroll", move |_| {
                    if frame.borrow().is_some() {
                        return;
                    }
                    let (drawn, latest, slot) = (drawn.clone(), latest.clone(), frame.clone());
                    *frame.borrow_mut() = Some(gloo_render::request_animation_frame(move |_| {
                        slot.borrow_mut().take();
                        drawn.set(lay_out(&latest.borrow()));
                    }));
                })
            });
            move || drop(listener)
        });
    }
    if drawn.is_empty() {
        return html! {};
    }
    let connectors = drawn.iter().map(|connector| {
        let active = connector.selected || hovered.as_ref() == Some(&connector.id);
        let onmouseenter = {
            let (hovered, id) = (hovered.clone(), connector.id.clone());
            Callback::from(move |_: MouseEvent| hovered.set(Some(id.clone())))
        };
        let onmouseleave = {
            let hovered = hovered.clone();
            Callback::from(move |_: MouseEvent| hovered.set(None))
        };
        html! {
            <g class={classes!("connector", active.then_some("is-active"))}
               data-relation={connector.id.to_string()} data-type={connector.kind.clone()}>
                <path class="connector-hit" d={connector.path.clone()}
                      onmouseenter={onmouseenter} onmouseleave={onmouseleave} />
                <path class="connector-line" d={connector.path.clone()} marker-end="url(#connector-arrow)" />
                if active {
                    { for connector.ends.iter().map(|end| html! {
                        <rect class="connector-end" x={format!("{:.1}", end.left - 1.0)} y={format!("{:.1}", end.top - 1.0)}
                              width={format!("{:.1}", end.width + 2.0)} height={format!("{:.1}", end.height + 2.0)} rx="3" />
                    }) }
                }
            </g>
        }
    });
    html! {
        <svg class="connectors" aria-hidden="true" data-testid="connectors" data-count={drawn.len().to_string()}>
            <defs>
                <marker id="connector-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0,0 L8,4 L0,8 z" />
                </marker>
            </defs>
            { for connectors }
        </svg>
    }
}

/// The connectors of the relations with an end near the view. O(R) to pick them, plus two
/// range layouts per relation drawn.
fn lay_out(props: &RelationConnectorsProps) -> Vec<Drawn> {
    let Some(article) = props.article.cast::<web_sys::Element>() else {
        return Vec::new();
    };
    if props.store.relation_count() == 0 {
        return Vec::new();
    }
    let Some(window) = dom_range::visible_window(&article, &props.document) else {
        return Vec::new();
    };
    let span_of = |id: &AnnotationId| props.store.get(id).map(|a| a.span);
    props
        .store
        .relations()
        .filter_map(|relation| {
            let (from, to) = (span_of(&relation.from)?, span_of(&relation.to)?);
            if !from.overlaps(window) && !to.overlaps(window) {
                return None;
            }
            let ends = [
                first_line_box(&article, &props.document, from)?,
                first_line_box(&article, &props.document, to)?,
            ];
            let selected = props
                .selected
                .as_ref()
                .is_some_and(|id| relation.touches(id));
            Some(Drawn {
                id: relation.id.clone(),
                kind: relation.kind.clone(),
                path: arc(ends[0], ends[1]),
                ends,
                selected,
            })
        })
        .collect()
}

/// The box of the first line of `span`, in the scroller's content coordinates.
fn first_line_box(article: &web_sys::Element, document: &Document, span: Span) -> Option<Box> {
    let range = dom_range::range_for_span(article, document, span)?;
    let rect = range.get_client_rects()?.get(0)?;
    let scroller = article.parent_element()?;
    let view = scroller.get_bounding_client_rect();
    Some(Box {
        left: rect.left() - view.left() + f64::from(scroller.scroll_left()),
        top: rect.top() - view.top() + f64::from(scroller.scroll_top()),
        width: rect.width(),
        height: rect.height(),
    })
}

/// An arc over the text from the middle of the top of `from`'s first line to that of `to`'s:
/// higher the farther apart the ends are, so arcs between distant spans clear the lines
/// between them less steeply.
fn arc(from: Box, to: Box) -> String {
    let (x1, y1) = (from.left + from.width / 2.0, from.top);
    let (x2, y2) = (to.left + to.width / 2.0, to.top);
    let lift = 14.0 + ((x2 - x1).abs() / 8.0).min(40.0);
    let top = y1.min(y2) - lift;
    format!("M{x1:.1},{y1:.1} C{x1:.1},{top:.1} {x2:.1},{top:.1} {x2:.1},{y2:.1}")
}
