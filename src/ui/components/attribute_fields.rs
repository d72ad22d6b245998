use yew::prelude::*;

use crate::model::{AttributeDef, AttributeKind, AttributeValue, Attributes};

/// Props of [`AttributeFields`].
#[derive(Properties, PartialEq)]
pub struct AttributeFieldsProps {
    /// The attributes the annotation's label declares.
    pub definitions: Vec<AttributeDef>,
    /// The annotation's values.
    pub values: Attributes,
    /// Set (or clear, with `None`) one attribute.
    pub on_set: Callback<(String, Option<AttributeValue>)>,
}

/// One control per attribute of the selected annotation's label: a `<select>` for a choice
/// (an empty value for none), a checkbox for yes/no, a text field for free text (saved when
/// it is left or Enter is pressed, so a word typed is one undo step, not one per letter).
#[component]
pub fn AttributeFields(props: &AttributeFieldsProps) -> Html {
    if props.definitions.is_empty() {
        return html! {};
    }
    let fields = props.definitions.iter().map(|definition| {
        let name = definition.name.clone();
        let id = format!("attribute-{name}");
        let current = props.values.get(&name);
        let set = {
            let (on_set, definition) = (props.on_set.clone(), definition.clone());
            move |text: String, checked: bool| {
                on_set.emit((
                    definition.name.clone(),
                    definition.value_from_input(&text, checked),
                ))
            }
        };
        let control = match &definition.kind {
            AttributeKind::Choice { values } => {
                let chosen = current.map(AttributeValue::as_text).unwrap_or_default();
                let onchange = Callback::from(move |event: Event| {
                    let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
                    set(select.value(), false);
                });
                html! {
                    <select id={id.clone()} data-testid="attribute" data-name={name.clone()} {onchange}>
                        <option value="" selected={chosen.is_empty()}>{ "—" }</option>
                        { for values.iter().map(|value| html! {
                            <option value={value.clone()} selected={*value == chosen}>{ value.clone() }</option>
                        }) }
                    </select>
                }
            }
            AttributeKind::Flag => {
                let checked = current == Some(&AttributeValue::Flag(true));
                let onchange = Callback::from(move |event: Event| {
                    let input: web_sys::HtmlInputElement = event.target_unchecked_into();
                    set(String::new(), input.checked());
                });
                html! {
                    <input type="checkbox" id={id.clone()} data-testid="attribute" data-name={name.clone()}
                           {checked} {onchange} />
                }
            }
            AttributeKind::Text => {
                let value = current.map(AttributeValue::as_text).unwrap_or_default();
                let onchange = Callback::from(move |event: Event| {
                    let input: web_sys::HtmlInputElement = event.target_unchecked_into();
                    set(input.value(), false);
                });
                html! {
                    <input type="text" id={id.clone()} data-testid="attribute" data-name={name.clone()}
                           {value} {onchange} />
                }
            }
        };
        html! {
            <div class="attribute-field">
                <label for={id}>{ name.clone() }</label>
                { control }
            </div>
        }
    });
    html! {
        <div class="attributes" role="group" aria-label="Attributes">{ for fields }</div>
    }
}
