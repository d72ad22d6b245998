use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::ui::hooks::use_focus_trap;

/// Props of [`Dialog`].
#[derive(Properties, PartialEq)]
pub struct DialogProps {
    /// Its title (the `<h2>` that labels it).
    pub title: AttrValue,
    /// Its `data-testid`.
    pub testid: AttrValue,
    /// A class of its own besides the frame's (`paste-dialog`).
    #[prop_or_default]
    pub class: Classes,
    /// Close it (Esc, a click on the backdrop).
    pub on_close: Callback<()>,
    /// What it holds.
    #[prop_or_default]
    pub children: Html,
}

/// A modal dialog over a dimmed page: labelled by its title, Tab and Shift+Tab kept among its
/// controls, closed by Esc (wherever focus is) or a click outside it.
#[component]
pub fn Dialog(props: &DialogProps) -> Html {
    let dialog = use_node_ref();
    let trap_focus = use_focus_trap(dialog.clone());
    {
        // Esc with focus outside the dialog (on the page's body after a control that had focus
        // went away); Esc inside is handled (and stopped) on the dialog itself.
        let on_close = props.on_close.clone();
        use_effect_with((), move |_| {
            let listener =
                gloo_events::EventListener::new(&gloo_utils::document(), "keydown", move |event| {
                    let event: &KeyboardEvent = event.unchecked_ref();
                    if event.key() == "Escape" {
                        on_close.emit(());
                    }
                });
            move || drop(listener)
        });
    }
    let on_key = {
        let on_close = props.on_close.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                event.stop_propagation();
                on_close.emit(());
            } else {
                trap_focus.emit(event);
            }
        })
    };
    let title_id = format!("{}-title", props.testid);
    html! {
        <div class="shortcuts-backdrop" onclick={props.on_close.reform(|_: MouseEvent| ())}>
            <div class={classes!("shortcuts", props.class.clone())} role="dialog" aria-modal="true"
                 aria-labelledby={title_id.clone()} data-testid={props.testid.clone()} ref={dialog}
                 onkeydown={on_key} onclick={Callback::from(|event: MouseEvent| event.stop_propagation())}>
                <h2 id={title_id}>{ props.title.clone() }</h2>
                { props.children.clone() }
            </div>
        </div>
    }
}
