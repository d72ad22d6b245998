use yew::prelude::*;

use crate::model::{AttributeDef, AttributeKind};

/// Props of [`AttributeEditor`].
#[derive(Properties, PartialEq)]
pub struct AttributeEditorProps {
    /// The label's name (for accessible names).
    pub label_name: AttrValue,
    /// Its attributes.
    pub attributes: Vec<AttributeDef>,
    /// Its attributes as they are to become.
    pub on_change: Callback<Vec<AttributeDef>>,
}

/// A label's attributes in the label editor: each with what it takes and a remove button, and
/// a row that adds one (a name; choice with its values, yes/no, or free text).
#[component]
pub fn AttributeEditor(props: &AttributeEditorProps) -> Html {
    let name = use_state(String::new);
    let kind = use_state(|| "choice".to_owned());
    let values = use_state(String::new);
    let chips = props.attributes.iter().enumerate().map(|(index, attribute)| {
        let what = match &attribute.kind {
            AttributeKind::Choice { values } => values.join(" / "),
            AttributeKind::Flag => "yes / no".to_owned(),
            AttributeKind::Text => "free text".to_owned(),
        };
        let on_remove = {
            let (on_change, attributes) = (props.on_change.clone(), props.attributes.clone());
            Callback::from(move |_: MouseEvent| {
                let mut rest = attributes.clone();
                rest.remove(index);
                on_change.emit(rest);
            })
        };
        html! {
            <li class="attribute-chip" data-testid="label-attribute" data-name={attribute.name.clone()}>
                <strong>{ attribute.name.clone() }</strong>{ format!(": {what}") }
                <button type="button" class="icon-button" onclick={on_remove}
                        aria-label={format!("Remove the attribute {} of {}", attribute.name, props.label_name)}>{ "×" }</button>
            </li>
        }
    });
    let definition = {
        let name = name.trim().to_owned();
        let parsed: Vec<String> = values
            .split(',')
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect();
        let kind = match kind.as_str() {
            "flag" => Some(AttributeKind::Flag),
            "text" => Some(AttributeKind::Text),
            _ => (!parsed.is_empty()).then_some(AttributeKind::Choice { values: parsed }),
        };
        let taken = props.attributes.iter().any(|a| a.name == name);
        kind.filter(|_| !name.is_empty() && !taken)
            .map(|kind| AttributeDef { name, kind })
    };
    let on_add = {
        let (on_change, attributes) = (props.on_change.clone(), props.attributes.clone());
        let (name, values, definition) = (name.clone(), values.clone(), definition.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(definition) = definition.clone() {
                let mut attributes = attributes.clone();
                attributes.push(definition);
                on_change.emit(attributes);
                name.set(String::new());
                values.set(String::new());
            }
        })
    };
    let text_input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |event: InputEvent| {
            state.set(
                event
                    .target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    let on_kind = {
        let kind = kind.clone();
        Callback::from(move |event: Event| {
            kind.set(
                event
                    .target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            )
        })
    };
    html! {
        <div class="attribute-editor">
            <ul class="attribute-chips">{ for chips }</ul>
            <div class="attribute-add">
                <input type="text" placeholder="Attribute" value={(*name).clone()} oninput={text_input(&name)}
                       aria-label={format!("New attribute of {}", props.label_name)} />
                <select onchange={on_kind} aria-label="What it takes">
                    <option value="choice" selected={*kind == "choice"}>{ "One of…" }</option>
                    <option value="flag" selected={*kind == "flag"}>{ "Yes / no" }</option>
                    <option value="text" selected={*kind == "text"}>{ "Free text" }</option>
                </select>
                if *kind == "choice" {
                    <input type="text" placeholder="values, comma-separated" value={(*values).clone()}
                           oninput={text_input(&values)} aria-label="Its values, separated by commas" />
                }
                <button type="button" disabled={definition.is_none()} onclick={on_add}>{ "Add" }</button>
            </div>
        </div>
    }
}
