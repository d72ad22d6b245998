use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use yew::prelude::*;

use crate::model::{Document, Span};
use crate::ui::services::dom_range;
use crate::workspace::Comparison;

/// Props of [`ComparisonLanes`].
#[derive(Properties, Clone)]
pub struct ComparisonLanesProps {
    /// The layers compared.
    pub comparison: Rc<Comparison>,
    /// The document they are on.
    pub document: Rc<Document>,
    /// The article element.
    pub article: NodeRef,
}

impl PartialEq for ComparisonLanesProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.comparison, &other.comparison)
            && Rc::ptr_eq(&self.document, &other.document)
            && self.article == other.article
    }
}

/// A line box in px inside the article's scrolling parent.
#[derive(Debug, Clone, Copy, PartialEq)]
struct LineBox {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
}

/// What is drawn: each layer's spans as underlines in the layer's lane (one lane per
/// annotator, stacked under the line), and each disagreement's lines tinted.
#[derive(Debug, Clone, PartialEq, Default)]
struct Drawn {
    /// (layer, line box) per span line.
    lanes: Vec<(usize, LineBox)>,
    /// (is the current one, line box) per disagreement line.
    marks: Vec<(bool, LineBox)>,
}

/// The compared layers drawn side by side under the text, near the view only (like the
/// highlights): one underline lane per annotator, and each disagreement tinted (the current one
/// outlined). An SVG layer of its own, so scrolling re-renders only it.
#[component]
pub fn ComparisonLanes(props: &ComparisonLanesProps) -> Html {
    let drawn = use_state_eq(Drawn::default);
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
    let marks = drawn.marks.iter().map(|(current, line)| {
        html! {
            <rect class={classes!("disagreement-mark", current.then_some("is-current"))}
                  x={format!("{:.1}", line.left)} y={format!("{:.1}", line.top)}
                  width={format!("{:.1}", line.width)} height={format!("{:.1}", line.height)} rx="2" />
        }
    });
    let lanes = drawn.lanes.iter().map(|(layer, line)| {
        html! {
            <rect class={classes!("lane", format!("lane-{}", layer % 4))}
                  x={format!("{:.1}", line.left)} y={format!("{:.1}", line.top + line.height + 1.0 + 3.0 * *layer as f64)}
                  width={format!("{:.1}", line.width)} height="2" />
        }
    });
    html! {
        <svg class="comparison-lanes" aria-hidden="true" data-testid="comparison-lanes"
             data-lanes={drawn.lanes.len().to_string()} data-marks={drawn.marks.len().to_string()}>
            { for marks }{ for lanes }
        </svg>
    }
}

/// The lanes and marks of what lies within a view-height of the screen. O(spans) to pick them,
/// plus one range layout per span drawn.
fn lay_out(props: &ComparisonLanesProps) -> Drawn {
    let Some(article) = props.article.cast::<web_sys::Element>() else {
        return Drawn::default();
    };
    let Some(window) = dom_range::visible_window(&article, &props.document) else {
        return Drawn::default();
    };
    let comparison = &props.comparison;
    let mut drawn = Drawn::default();
    for (layer, spans) in comparison.layers.iter().enumerate() {
        for annotation in spans.annotations.iter().filter(|a| a.span.overlaps(window)) {
            for line in line_boxes(&article, &props.document, annotation.span) {
                drawn.lanes.push((layer, line));
            }
        }
    }
    for (index, disagreement) in comparison.disagreements.iter().enumerate() {
        if disagreement.span.overlaps(window) {
            let current = comparison.current == Some(index);
            for line in line_boxes(&article, &props.document, disagreement.span) {
                drawn.marks.push((current, line));
            }
        }
    }
    drawn
}

/// The boxes of the lines `span` takes, in the scroller's content coordinates.
fn line_boxes(article: &web_sys::Element, document: &Document, span: Span) -> Vec<LineBox> {
    let (Some(range), Some(scroller)) = (
        dom_range::range_for_span(article, document, span),
        article.parent_element(),
    ) else {
        return Vec::new();
    };
    let Some(rects) = range.get_client_rects() else {
        return Vec::new();
    };
    let view = scroller.get_bounding_client_rect();
    let (dx, dy) = (
        f64::from(scroller.scroll_left()) - view.left(),
        f64::from(scroller.scroll_top()) - view.top(),
    );
    (0..rects.length())
        .filter_map(|i| rects.get(i))
        .filter(|rect| rect.width() > 0.0)
        .map(|rect| LineBox {
            left: rect.left() + dx,
            top: rect.top() + dy,
            width: rect.width(),
            height: rect.height(),
        })
        .collect()
}
