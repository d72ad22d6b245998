use yew::prelude::*;

use super::Dialog;
use crate::model::limits;

/// Props of [`PasteDialog`].
#[derive(Properties, PartialEq)]
pub struct PasteDialogProps {
    /// Open the text (name, text) as a document.
    pub on_open: Callback<(String, String)>,
    /// Close without opening.
    pub on_close: Callback<()>,
}

/// A dialog to paste or type a text and open it as a document (the same checks as a file).
#[component]
pub fn PasteDialog(props: &PasteDialogProps) -> Html {
    let name = use_state(|| "Pasted text.txt".to_owned());
    let text = use_state(String::new);
    let area = use_node_ref();
    {
        let area = area.clone();
        use_effect_with((), move |_| {
            if let Some(area) = area.cast::<web_sys::HtmlElement>() {
                let _ = area.focus();
            }
        });
    }
    let on_name = {
        let name = name.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            name.set(input.value());
        })
    };
    let on_text = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = event.target_unchecked_into();
            text.set(area.value());
        })
    };
    let open = {
        let (on_open, name, text) = (props.on_open.clone(), name.clone(), text.clone());
        Callback::from(move |_: MouseEvent| {
            let name = name.trim();
            let name = if name.is_empty() {
                "Pasted text.txt"
            } else {
                name
            };
            on_open.emit((name.to_owned(), (*text).clone()));
        })
    };
    html! {
        <Dialog title="Paste a text" testid="paste-dialog" class="paste-dialog" on_close={props.on_close.clone()}>
                <label class="note-label" for="paste-name">{ "Name" }</label>
                <input id="paste-name" type="text" data-testid="paste-name" maxlength={limits::MAX_NAME_CHARS.to_string()} value={(*name).clone()} oninput={on_name} />
                <label class="note-label" for="paste-text">{ "Text (paragraphs separated by a blank line)" }</label>
                <textarea id="paste-text" data-testid="paste-text" rows="12" ref={area} value={(*text).clone()} oninput={on_text} />
                <div class="dialog-actions">
                    <button type="button" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
                    <button type="button" class="primary" data-testid="paste-open"
                            disabled={text.trim().is_empty()} onclick={open}>{ "Open as a document" }</button>
                </div>
        </Dialog>
    }
}
