use std::collections::HashMap;

use yew::prelude::*;

use super::{use_labels, AttributeEditor, Dialog, RelationTypeEditor};
use crate::model::{limits, Label, LabelColour, LabelEdit, Tag, LABEL_KEYS};
use crate::ui::colour_class;

/// Props of [`LabelEditor`].
#[derive(Properties, PartialEq)]
pub struct LabelEditorProps {
    /// The current document's annotations per tag (to name the tags no label has).
    pub counts: HashMap<Tag, usize>,
    /// Change the labels.
    pub on_edit: Callback<LabelEdit>,
    /// Close the dialog.
    pub on_close: Callback<()>,
    /// Whether a label edit can be undone.
    pub can_undo: bool,
    /// Undo the last label edit.
    pub on_undo: Callback<()>,
}

/// The colour names people see, in palette order.
fn colour_name(colour: LabelColour) -> &'static str {
    match colour {
        LabelColour::Blue => "Blue, solid line",
        LabelColour::Orange => "Orange, double line",
        LabelColour::Purple => "Purple, wavy line",
        LabelColour::Green => "Green, dotted line",
        LabelColour::Vermilion => "Vermilion, dashed line",
        LabelColour::Sky => "Sky blue, thick line",
        LabelColour::Yellow => "Yellow, thin double line",
    }
}

/// The value of a `<select>` that fired `event`.
fn select_value(event: &Event) -> String {
    event
        .target_unchecked_into::<web_sys::HtmlSelectElement>()
        .value()
}

/// The document set's labels in a dialog: rename, recolour, re-key or remove each, add new
/// ones, and bring back removed labels (or make labels of tags an imported file used).
#[component]
pub fn LabelEditor(props: &LabelEditorProps) -> Html {
    let labels = use_labels();
    let new_name = use_state(String::new);
    let new_name_input = use_node_ref();
    // Each edit is tried on a copy first (a set is a few labels): one that would be refused is
    // not sent, and the dialog says why where the user is looking.
    let refused = use_state_eq(|| None::<String>);
    // Returns whether the edit was sent.
    let on_edit: Callback<LabelEdit, bool> = {
        let (on_edit, labels, refused) = (props.on_edit.clone(), labels.clone(), refused.clone());
        Callback::from(
            move |edit: LabelEdit| match labels.as_ref().clone().edit(edit.clone()) {
                Ok(()) => {
                    refused.set(None);
                    on_edit.emit(edit);
                    true
                }
                Err(error) => {
                    refused.set(Some(format!("Not changed: {error}.")));
                    false
                }
            },
        )
    };
    {
        let input = new_name_input.clone();
        use_effect_with((), move |_| {
            if let Some(input) = input.cast::<web_sys::HtmlElement>() {
                let _ = input.focus();
            }
        });
    }
    let add = {
        let (on_edit, new_name) = (on_edit.clone(), new_name.clone());
        Callback::from(move |()| {
            // Cleared only when added (a taken name stays to be changed).
            if on_edit.emit(LabelEdit::Add((*new_name).clone())) {
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
            );
        })
    };
    let on_new_key = {
        let add = add.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Enter" {
                event.prevent_default();
                add.emit(());
            }
        })
    };
    // Tags without an active label: removed labels, and tags of this document no label has.
    let mut unlabelled: Vec<(Tag, String)> = labels
        .removed()
        .map(|l| (l.tag.clone(), l.name.clone()))
        .collect();
    let mut unknown: Vec<&Tag> = props
        .counts
        .keys()
        .filter(|tag| labels.get(tag).is_none())
        .collect();
    unknown.sort();
    unlabelled.extend(
        unknown
            .into_iter()
            .map(|tag| (tag.clone(), tag.display_name())),
    );
    let unlabelled_rows: Vec<Html> = unlabelled.into_iter().map(|(tag, name)| {
        let count = props.counts.get(&tag).copied().unwrap_or(0);
        let on_restore = {
            let (on_edit, tag) = (on_edit.clone(), tag.clone());
            Callback::from(move |_: MouseEvent| {
                on_edit.emit(LabelEdit::Restore(tag.clone()));
            })
        };
        let what = if labels.get(&tag).is_some() { "Restore" } else { "Make a label" };
        html! {
            <li class="label-row label-none" data-testid="label-removed" data-tag={tag.to_string()}
                data-count={count.to_string()} key={tag.to_string()}>
                <span class="swatch" aria-hidden="true"></span>
                <span class="label-removed-name">{ name.clone() }</span>
                <span class="count">{ format!("{count} in this document") }</span>
                <button type="button" data-testid="label-restore"
                        aria-label={format!("{what}: {name}")} onclick={on_restore}>{ what }</button>
            </li>
        }
    }).collect();
    html! {
        <Dialog title="Labels" testid="label-editor" class="label-editor" on_close={props.on_close.clone()}>
                <p class="hint">{ "For every document. Annotations and exported files carry each label's id (in grey), which stays when the label is renamed or recoloured; a removed label's annotations keep their tag." }</p>
                <ul class="label-rows">
                    { for labels.active().map(|label| html! {
                        <LabelRow key={label.tag.to_string()} label={label.clone()} on_edit={on_edit.clone()} />
                    }) }
                </ul>
                if let Some(refused) = &*refused {
                    <p class="label-error" role="alert" data-testid="label-error">{ refused.clone() }</p>
                }
                <div class="label-add">
                    <input type="text" data-testid="label-new-name" maxlength={limits::MAX_LABEL_CHARS.to_string()} ref={new_name_input}
                           placeholder="New label name" aria-label="New label name"
                           value={(*new_name).clone()} oninput={on_new_name} onkeydown={on_new_key} />
                    <button type="button" class="primary" data-testid="label-add"
                            disabled={new_name.trim().is_empty()}
                            onclick={add.reform(|_: MouseEvent| ())}>{ "Add label" }</button>
                </div>
                if !unlabelled_rows.is_empty() {
                    <h3>{ "Tags without a label" }</h3>
                    <ul class="label-rows">{ for unlabelled_rows.into_iter() }</ul>
                }
                <RelationTypeEditor on_edit={on_edit.clone()} />
                <div class="dialog-actions">
                    <button type="button" data-testid="label-undo" disabled={!props.can_undo}
                            title="Undo the last change to the labels"
                            onclick={props.on_undo.reform(|_: MouseEvent| ())}>{ "Undo" }</button>
                    <button type="button" data-testid="label-editor-close"
                            onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Done" }</button>
                </div>
        </Dialog>
    }
}

/// Props of [`LabelRow`].
#[derive(Properties, PartialEq)]
struct LabelRowProps {
    label: Label,
    /// Asks for an edit (whether it was sent does not matter here).
    on_edit: Callback<LabelEdit, bool>,
}

/// One label: name (renamed when the field is left or Enter is pressed), colour, key,
/// remove. A component, so its fields keep their state across edits of other labels.
#[component]
fn LabelRow(props: &LabelRowProps) -> Html {
    let (label, on_edit) = (&props.label, &props.on_edit);
    let tag = label.tag.clone();
    let on_rename = {
        let (on_edit, tag, name) = (on_edit.clone(), tag.clone(), label.name.clone());
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            let wanted = input.value();
            if wanted.trim() != name {
                // A refused name (empty, taken) goes back to the label's name; the dialog says why.
                input.set_value(&name);
                on_edit.emit(LabelEdit::Rename(tag.clone(), wanted));
            }
        })
    };
    let on_colour = {
        let (on_edit, tag) = (on_edit.clone(), tag.clone());
        Callback::from(move |event: Event| {
            if let Some(colour) = LabelColour::from_id(&select_value(&event)) {
                on_edit.emit(LabelEdit::Recolour(tag.clone(), colour));
            }
        })
    };
    let on_key = {
        let (on_edit, tag) = (on_edit.clone(), tag.clone());
        Callback::from(move |event: Event| {
            let key = select_value(&event).parse::<u8>().ok();
            on_edit.emit(LabelEdit::Rekey(tag.clone(), key));
        })
    };
    let on_remove = {
        let (on_edit, tag) = (on_edit.clone(), tag.clone());
        Callback::from(move |_: MouseEvent| {
            on_edit.emit(LabelEdit::Remove(tag.clone()));
        })
    };
    let on_describe = {
        let (on_edit, tag) = (on_edit.clone(), tag.clone());
        Callback::from(move |event: Event| {
            let area: web_sys::HtmlTextAreaElement = event.target_unchecked_into();
            on_edit.emit(LabelEdit::Describe(tag.clone(), area.value()));
        })
    };
    let on_attributes = {
        let (on_edit, tag) = (on_edit.clone(), tag.clone());
        Callback::from(move |attributes| {
            on_edit.emit(LabelEdit::SetAttributes(tag.clone(), attributes));
        })
    };
    let name = &label.name;
    html! {
        <li class={classes!("label-row", colour_class(Some(label.colour)))} data-testid="label" data-tag={tag.to_string()}>
            <span class="swatch" aria-hidden="true"></span>
            <input type="text" data-testid="label-name" maxlength={limits::MAX_LABEL_CHARS.to_string()} value={name.clone()}
                   aria-label={format!("Name of the label {name}")} onchange={on_rename} />
            <code class="label-id" title="The id files and data-tag carry; it stays when the label is renamed">{ tag.to_string() }</code>
            <select data-testid="label-colour" aria-label={format!("Colour of {name}")} onchange={on_colour}>
                { for LabelColour::ALL.into_iter().map(|colour| html! {
                    <option value={colour.as_str()} selected={colour == label.colour}>{ colour_name(colour) }</option>
                }) }
            </select>
            <select data-testid="label-key" aria-label={format!("Key of {name}")} onchange={on_key}>
                <option value="" selected={label.key.is_none()}>{ "No key" }</option>
                { for LABEL_KEYS.map(|key| html! {
                    <option value={key.to_string()} selected={label.key == Some(key)}>{ format!("Key {key}") }</option>
                }) }
            </select>
            <button type="button" class="danger" data-testid="label-remove"
                    aria-label={format!("Remove the label {name}")} onclick={on_remove}>{ "Remove" }</button>
            <textarea class="label-description" data-testid="label-description" rows="2"
                      placeholder="Guideline: what it means, with an example" value={label.description.clone()}
                      aria-label={format!("Guideline of {name}")} onchange={on_describe} />
            <AttributeEditor label_name={name.clone()} attributes={label.attributes.clone()} on_change={on_attributes} />
        </li>
    }
}
