use yew::prelude::*;

use super::use_labels;
use super::Dialog;

/// Props of [`ShortcutSheet`].
#[derive(Properties, PartialEq)]
pub struct ShortcutSheetProps {
    /// Close the sheet.
    pub on_close: Callback<()>,
}

/// The keys, one row each (`?` opens it, Esc or Close closes it).
/// The row for the label keys comes first, made from the document set's labels.
const SHORTCUTS: [(&str, &str); 17] = [
    (
        "j  k",
        "Select the next / previous annotation (from the caret when none is selected)",
    ),
    (
        "Shift+Alt+←  Shift+Alt+→",
        "Move the end of the selected annotation back / on by a word (a character with snapping off)",
    ),
    (
        "Shift+Alt+↑  Shift+Alt+↓",
        "Move its start back / on by a word",
    ),
    ("Enter", "Write a note on the selected annotation"),
    (
        "r",
        "Link the selected annotation to another: click it, or move with j / k and press Enter; Esc cancels",
    ),
    (
        "Ctrl+F",
        "Search the document; Enter / Shift+Enter select the next / previous match, Esc closes",
    ),
    ("Delete", "Delete the selected annotation"),
    (
        "n  p",
        "With suggestions on: select the next / previous suggestion; comparing: the next / previous disagreement",
    ),
    (
        "a  Shift+A",
        "Accept the selected suggestion / every open suggestion of its label",
    ),
    (
        "x",
        "Reject the selected suggestion; comparing: reject every version of the disagreement",
    ),
    (
        "1 … 9 (comparing)",
        "Take that annotator's version of the disagreement into the gold document",
    ),
    ("Esc", "Clear the selection (and close this sheet)"),
    ("Ctrl+Z", "Undo"),
    ("Ctrl+Shift+Z  Ctrl+Y", "Redo"),
    (
        "Alt while selecting",
        "Do not snap this selection to whole words",
    ),
    ("?", "Show this sheet"),
    (
        "Tab",
        "Move between the article, the toolbar and the sidebar as usual",
    ),
];

/// The shortcut sheet: a modal dialog listing every key.
#[component]
pub fn ShortcutSheet(props: &ShortcutSheetProps) -> Html {
    let labels = use_labels();

    let keyed: Vec<_> = labels.active().filter(|l| l.key.is_some()).collect();
    let label_keys = keyed
        .iter()
        .map(|l| l.key.unwrap_or_default().to_string())
        .collect::<Vec<_>>();
    let names = keyed.iter().map(|l| l.name.clone()).collect::<Vec<_>>();
    let label_row = (!keyed.is_empty()).then(|| html! {
        <tr>
            <th scope="row">{ for label_keys.iter().map(|key| html! { <kbd>{ key }</kbd> }) }</th>
            <td>{ format!("Tag the selected text as {}; or retag the selected annotation", names.join(" / ")) }</td>
        </tr>
    });
    let close = props.on_close.reform(|_: MouseEvent| ());
    let close_button = use_node_ref();
    {
        let close_button = close_button.clone();
        use_effect_with((), move |_| {
            if let Some(button) = close_button.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        });
    }
    html! {
        <Dialog title="Keyboard shortcuts" testid="shortcuts" on_close={props.on_close.clone()}>
                <table>
                    { for label_row }
                    { for SHORTCUTS.iter().map(|(keys, what)| html! {
                        <tr>
                            <th scope="row">{ for keys.split("  ").map(|key| html! { <kbd>{ key }</kbd> }) }</th>
                            <td>{ *what }</td>
                        </tr>
                    }) }
                </table>
                <p class="hint">{ "Shortcuts do nothing while you type in a text field." }</p>
                <h3>{ "Guidelines" }</h3>
                <dl class="guidelines">
                    { for labels.active().filter(|l| !l.description.is_empty()).map(|l| html! {
                        <>
                            <dt>{ l.name.clone() }</dt>
                            <dd>{ l.description.clone() }</dd>
                        </>
                    }) }
                    { for labels.active_relation_types().filter(|t| !t.description.is_empty()).map(|t| html! {
                        <>
                            <dt>{ format!("{} (relation)", t.name) }</dt>
                            <dd>{ t.description.clone() }</dd>
                        </>
                    }) }
                </dl>
                <button type="button" ref={close_button} onclick={close}>{ "Close" }</button>
        </Dialog>
    }
}
