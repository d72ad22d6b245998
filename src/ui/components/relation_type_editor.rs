use yew::prelude::*;

use super::use_labels;
use crate::model::{limits, LabelEdit, RelationType, Tag};

/// Props of [`RelationTypeEditor`].
#[derive(Properties, PartialEq)]
pub struct RelationTypeEditorProps {
    /// Asks for an edit; returns whether it was sent (the dialog says why not).
    pub on_edit: Callback<LabelEdit, bool>,
}

/// The relation types in the label editor, edited like labels: name (the id stays), guideline,
/// the labels a relation of the type starts from and points to (none chosen: any), remove and
/// restore, and a row that adds one.
#[component]
pub fn RelationTypeEditor(props: &RelationTypeEditorProps) -> Html {
    let labels = use_labels();
    let new_name = use_state(String::new);
    let rows = labels.active_relation_types().map(|kind| {
        html! { <RelationTypeRow key={kind.id.clone()} kind={kind.clone()} on_edit={props.on_edit.clone()} /> }
    });
    let removed = labels.relation_types().iter().filter(|t| t.removed).map(|kind| {
        let on_restore = {
            let (on_edit, id) = (props.on_edit.clone(), kind.id.clone());
            Callback::from(move |_: MouseEvent| {
                on_edit.emit(LabelEdit::RestoreRelationType(id.clone()));
            })
        };
        html! {
            <li class="label-row label-none" data-testid="relation-type-removed" data-type={kind.id.clone()}>
                <span class="label-removed-name">{ kind.name.clone() }</span>
                <button type="button" onclick={on_restore}
                        aria-label={format!("Restore the relation type {}", kind.name)}>{ "Restore" }</button>
            </li>
        }
    });
    let add = {
        let (on_edit, new_name) = (props.on_edit.clone(), new_name.clone());
        Callback::from(move |_: MouseEvent| {
            if on_edit.emit(LabelEdit::AddRelationType((*new_name).clone())) {
                new_name.set(String::new());
            }
        })
    };
    let on_new_name = {
        let new_name = new_name.clone();
        Callback::from(move |event: InputEvent| {
            new_name.set(
                event
                    .target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    html! {
        <section class="relation-types" aria-label="Relation types">
            <h3>{ "Relation types" }</h3>
            <ul class="label-rows">{ for rows }{ for removed }</ul>
            <div class="label-add">
                <input type="text" data-testid="relation-type-new-name" placeholder="New relation type"
                       aria-label="New relation type name" maxlength={limits::MAX_LABEL_CHARS.to_string()}
                       value={(*new_name).clone()} oninput={on_new_name} />
                <button type="button" data-testid="relation-type-add" disabled={new_name.trim().is_empty()}
                        onclick={add}>{ "Add type" }</button>
            </div>
        </section>
    }
}

/// Props of [`RelationTypeRow`].
#[derive(Properties, PartialEq)]
struct RelationTypeRowProps {
    kind: RelationType,
    on_edit: Callback<LabelEdit, bool>,
}

/// The selected options of a `<select multiple>` that fired `event`, as tags.
fn chosen_tags(event: &Event) -> Vec<Tag> {
    let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
    let options = select.selected_options();
    (0..options.length())
        .filter_map(|i| options.item(i))
        .filter_map(|option| option.get_attribute("value"))
        .map(Tag::from)
        .collect()
}

/// One relation type: a component, so its fields keep their state across other edits.
#[component]
fn RelationTypeRow(props: &RelationTypeRowProps) -> Html {
    let labels = use_labels();
    let kind = &props.kind;
    let id = kind.id.clone();
    let on_rename = {
        let (on_edit, id, name) = (props.on_edit.clone(), id.clone(), kind.name.clone());
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            let wanted = input.value();
            if wanted.trim() != name {
                input.set_value(&name);
                on_edit.emit(LabelEdit::RenameRelationType(id.clone(), wanted));
            }
        })
    };
    let on_describe = {
        let (on_edit, id) = (props.on_edit.clone(), id.clone());
        Callback::from(move |event: Event| {
            let area: web_sys::HtmlTextAreaElement = event.target_unchecked_into();
            on_edit.emit(LabelEdit::DescribeRelationType(id.clone(), area.value()));
        })
    };
    let ends = |from: bool| {
        let (on_edit, id, kind) = (props.on_edit.clone(), id.clone(), kind.clone());
        Callback::from(move |event: Event| {
            let tags = chosen_tags(&event);
            let (from_tags, to_tags) = if from {
                (tags, kind.to.clone())
            } else {
                (kind.from.clone(), tags)
            };
            on_edit.emit(LabelEdit::SetRelationEnds(id.clone(), from_tags, to_tags));
        })
    };
    let options = |chosen: &[Tag]| {
        labels
            .active()
            .map(|label| {
                let selected = chosen.contains(&label.tag);
                html! { <option value={label.tag.to_string()} {selected}>{ label.name.clone() }</option> }
            })
            .collect::<Html>()
    };
    let on_remove = {
        let (on_edit, id) = (props.on_edit.clone(), id.clone());
        Callback::from(move |_: MouseEvent| {
            on_edit.emit(LabelEdit::RemoveRelationType(id.clone()));
        })
    };
    let name = &kind.name;
    html! {
        <li class="label-row relation-type-row" data-testid="relation-type-row" data-type={id.clone()}>
            <input type="text" value={name.clone()} maxlength={limits::MAX_LABEL_CHARS.to_string()}
                   aria-label={format!("Name of the relation type {name}")} onchange={on_rename} />
            <code class="label-id" title="The id relations and files carry">{ id.clone() }</code>
            <label class="relation-ends">{ "from" }
                <select multiple=true size="3" aria-label={format!("Labels {name} starts from (none: any)")}
                        onchange={ends(true)}>{ options(&kind.from) }</select>
            </label>
            <label class="relation-ends">{ "to" }
                <select multiple=true size="3" aria-label={format!("Labels {name} points to (none: any)")}
                        onchange={ends(false)}>{ options(&kind.to) }</select>
            </label>
            <button type="button" class="danger" onclick={on_remove}
                    aria-label={format!("Remove the relation type {name}")}>{ "Remove" }</button>
            <textarea class="label-description" data-testid="relation-type-description" rows="2"
                      placeholder="What it means, with an example" value={kind.description.clone()}
                      aria-label={format!("Guideline of {name}")} onchange={on_describe} />
        </li>
    }
}
