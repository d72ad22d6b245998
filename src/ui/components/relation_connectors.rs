use std::rc::Rc;

use yew::prelude::*;

use crate::model::{AnnotationId, AnnotationStore, Document, RelationId};
use crate::ui::hooks::use_connectors;

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

/// The relations near the view, drawn over the article as arcs between their two spans (an
/// SVG layer of its own, so drawing them re-renders only it); a relation is highlighted with
/// both ends outlined while hovered or while either end is the selected annotation.
#[component]
pub fn RelationConnectors(props: &RelationConnectorsProps) -> Html {
    let drawn = use_connectors(
        props.store.clone(),
        props.document.clone(),
        props.article.clone(),
    );
    let hovered = use_state_eq(|| None::<RelationId>);
    if drawn.is_empty() {
        return html! {};
    }
    let connectors = drawn.iter().map(|connector| {
        let relation = &connector.relation;
        let active = props.selected.as_ref().is_some_and(|id| relation.touches(id))
            || hovered.as_ref() == Some(&relation.id);
        let onmouseenter = {
            let (hovered, id) = (hovered.clone(), relation.id.clone());
            Callback::from(move |_: MouseEvent| hovered.set(Some(id.clone())))
        };
        let onmouseleave = {
            let hovered = hovered.clone();
            Callback::from(move |_: MouseEvent| hovered.set(None))
        };
        html! {
            <g class={classes!("connector", active.then_some("is-active"))}
               data-relation={relation.id.to_string()} data-type={relation.kind.clone()}>
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
