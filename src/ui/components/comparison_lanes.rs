use std::rc::Rc;

use yew::prelude::*;

use crate::model::Document;
use crate::ui::hooks::use_compare_lanes;
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

/// The compared layers drawn side by side under the text, near the view only (like the
/// highlights): one underline lane per annotator, and each disagreement tinted (the current one
/// outlined). An SVG layer of its own, so scrolling re-renders only it.
#[component]
pub fn ComparisonLanes(props: &ComparisonLanesProps) -> Html {
    let drawn = use_compare_lanes(
        props.comparison.clone(),
        props.document.clone(),
        props.article.clone(),
    );
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
