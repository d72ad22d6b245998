use std::rc::Rc;

use yew::prelude::*;

use super::use_labels;
use crate::model::{Relation, RelationId};

/// One relation as the detail panel lists it: the relation, which way it goes from the
/// selected annotation, and the other end's quote.
#[derive(Debug, Clone, PartialEq)]
pub struct RelationRow {
    /// The relation.
    pub relation: Rc<Relation>,
    /// True when it starts from the selected annotation.
    pub outgoing: bool,
    /// The quote of its other end.
    pub other: String,
}

/// Props of [`RelationList`].
#[derive(Properties, PartialEq)]
pub struct RelationListProps {
    /// The selected annotation's relations, either direction.
    pub rows: Rc<Vec<RelationRow>>,
    /// Start a relation from the selected annotation (`r`).
    pub on_link_start: Callback<()>,
    /// True while a relation is being made from it.
    pub linking: bool,
    /// Give a relation another type.
    pub on_retype: Callback<(RelationId, String)>,
    /// Delete a relation.
    pub on_delete: Callback<RelationId>,
    /// Go to the other end of a relation.
    pub on_follow: Callback<Rc<Relation>>,
}

/// The selected annotation's relations in both directions, each with its type (changeable)
/// and a delete button, and the button that starts a new one.
#[component]
pub fn RelationList(props: &RelationListProps) -> Html {
    let labels = use_labels();
    let rows = props.rows.iter().map(|row| {
        let relation = &row.relation;
        let id = relation.id.clone();
        let on_change = {
            let (on_retype, id) = (props.on_retype.clone(), id.clone());
            Callback::from(move |event: Event| {
                let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
                on_retype.emit((id.clone(), select.value()));
            })
        };
        let on_delete = {
            let (on_delete, id) = (props.on_delete.clone(), id.clone());
            Callback::from(move |_: MouseEvent| on_delete.emit(id.clone()))
        };
        let on_follow = {
            let (on_follow, relation) = (props.on_follow.clone(), relation.clone());
            Callback::from(move |_: MouseEvent| on_follow.emit(relation.clone()))
        };
        // Every offered type, and this relation's own when it is removed or unknown.
        let known = labels.relation_type(&relation.kind).is_some_and(|t| !t.removed);
        let options = labels
            .active_relation_types()
            .map(|t| (t.id.clone(), t.name.clone()))
            .chain((!known).then(|| (relation.kind.clone(), labels.relation_name_of(&relation.kind))))
            .map(|(value, name)| {
                let selected = value == relation.kind;
                html! { <option {value} {selected}>{ name }</option> }
            });
        let arrow = if row.outgoing { "→" } else { "←" };
        html! {
            <li data-testid="relation" class="relation" data-id={id.to_string()}
                data-type={relation.kind.clone()} data-from={relation.from.to_string()}
                data-to={relation.to.to_string()}>
                <button type="button" class="relation-other link-button" onclick={on_follow}
                        title="Select the other end">
                    <span aria-hidden="true">{ arrow }</span>{ " " }<q>{ row.other.clone() }</q>
                </button>
                <select data-testid="relation-type" aria-label="Relation type" onchange={on_change}>
                    { for options }
                </select>
                <button type="button" class="icon-button danger" data-testid="relation-delete"
                        aria-label="Delete this relation" title="Delete this relation" onclick={on_delete}>{ "×" }</button>
            </li>
        }
    });
    let on_link_start = props.on_link_start.reform(|_: MouseEvent| ());
    html! {
        <div class="relations">
            <div class="relations-head">
                <h3>{ "Relations" }</h3>
                <button type="button" data-testid="link-start" onclick={on_link_start}
                        aria-pressed={props.linking.to_string()}
                        title="Link to another annotation (r), then click it or press j/k and Enter">
                    { if props.linking { "Choose the target…" } else { "Link…" } }
                </button>
            </div>
            <ul data-testid="relation-list" class="relation-list" data-count={props.rows.len().to_string()}>
                { for rows }
            </ul>
        </div>
    }
}
