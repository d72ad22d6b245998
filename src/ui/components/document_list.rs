use yew::prelude::*;

use crate::model::{limits, LibraryEntry};
use std::rc::Rc;

/// Props of [`DocumentList`].
#[derive(Properties, PartialEq)]
pub struct DocumentListProps {
    /// Every stored document.
    pub documents: Rc<Vec<LibraryEntry>>,
    /// The current one's id.
    pub current: AttrValue,
    /// The current one's live annotation count (the library's is as of the last save).
    pub current_count: usize,
    /// Make a document current.
    pub on_switch: Callback<String>,
    /// Mark a document done (or not).
    pub on_done: Callback<(String, bool)>,
    /// Rename a document.
    pub on_rename: Callback<(String, String)>,
    /// Delete a document.
    pub on_delete: Callback<String>,
    /// The name of the document deleted last, while that can be undone.
    pub deleted: Option<AttrValue>,
    /// Bring it back.
    pub on_restore: Callback<()>,
    /// Shown below the list (the storage it uses).
    #[prop_or_default]
    pub children: Html,
}

/// The stored documents with their annotation counts, a "done" mark, rename and delete each,
/// how many of them are done, and Undo for the last deletion; the current one is marked
/// `aria-current`.
#[component]
pub fn DocumentList(props: &DocumentListProps) -> Html {
    // The document whose name is being edited, if any.
    let renaming = use_state_eq(|| None::<String>);
    let rename_input = use_node_ref();
    {
        let rename_input = rename_input.clone();
        use_effect_with((*renaming).clone(), move |renaming| {
            if let (Some(_), Some(input)) =
                (renaming, rename_input.cast::<web_sys::HtmlInputElement>())
            {
                let _ = input.focus();
                input.select();
            }
        });
    }
    // The last document stays: there must always be one to show.
    let can_delete = props.documents.len() > 1;
    let items = props.documents.iter().map(|entry| {
        let current = entry.id == props.current.as_str();
        let count = if current {
            props.current_count
        } else {
            entry.count
        };
        let on_switch = props.on_switch.clone();
        let id = entry.id.clone();
        let on_done = {
            let (on_done, id) = (props.on_done.clone(), entry.id.clone());
            Callback::from(move |event: Event| {
                let input: web_sys::HtmlInputElement = event.target_unchecked_into();
                on_done.emit((id.clone(), input.checked()));
            })
        };
        if renaming.as_deref() == Some(entry.id.as_str()) {
            let on_key = {
                let (renaming, on_rename, id) = (renaming.clone(), props.on_rename.clone(), entry.id.clone());
                Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
                    "Enter" => {
                        let input: web_sys::HtmlInputElement = event.target_unchecked_into();
                        on_rename.emit((id.clone(), input.value()));
                        renaming.set(None);
                    }
                    "Escape" => {
                        event.stop_propagation();
                        renaming.set(None);
                    }
                    _ => {}
                })
            };
            let on_blur = {
                let renaming = renaming.clone();
                Callback::from(move |_: FocusEvent| renaming.set(None))
            };
            return html! {
                <li key={entry.id.clone()}>
                    <input type="text" class="document-rename" data-testid="document-rename" maxlength={limits::MAX_NAME_CHARS.to_string()}
                           value={entry.name.clone()} aria-label={format!("New name for {}", entry.name)}
                           ref={rename_input.clone()} onkeydown={on_key} onblur={on_blur} />
                </li>
            };
        }
        let on_delete = {
            let (on_delete, id) = (props.on_delete.clone(), entry.id.clone());
            Callback::from(move |_: MouseEvent| on_delete.emit(id.clone()))
        };
        let on_rename_start = {
            let (renaming, id) = (renaming.clone(), entry.id.clone());
            Callback::from(move |_: MouseEvent| renaming.set(Some(id.clone())))
        };
        html! {
            <li key={entry.id.clone()} class={classes!(entry.done.then_some("is-done"))}>
                <input type="checkbox" class="document-done" data-testid="document-done"
                       checked={entry.done} onchange={on_done}
                       aria-label={format!("{} is done", entry.name)} title="Done" />
                <button type="button" class="document" data-testid="document"
                        data-name={entry.name.clone()} data-count={count.to_string()}
                        aria-current={current.then_some("true")}
                        onclick={Callback::from(move |_| on_switch.emit(id.clone()))}>
                    <span class="document-name">{ entry.name.clone() }</span>
                    <span class="count" aria-label={format!("{count} annotations")}>{ count }</span>
                </button>
                <button type="button" class="document-rename-button" data-testid="document-rename-start"
                        aria-label={format!("Rename {}", entry.name)} title="Rename"
                        onclick={on_rename_start}>{ "✎" }</button>
                if can_delete {
                    <button type="button" class="document-delete-button" data-testid="document-delete"
                            aria-label={format!("Delete {}", entry.name)} title="Delete (Undo brings it back)"
                            onclick={on_delete}>{ "×" }</button>
                }
            </li>
        }
    });
    html! {
        <nav class="panel documents" aria-label="Documents">
            <h2>{ "Documents" }</h2>
            <ul data-testid="document-list" class="document-list">{ for items }</ul>
            if props.documents.len() > 1 {
                <p class="progress" data-testid="documents-done">
                    { format!("{} of {} done", props.documents.iter().filter(|e| e.done).count(), props.documents.len()) }
                </p>
            }
            if let Some(name) = &props.deleted {
                <p class="deleted-document" data-testid="document-deleted">
                    <span>{ format!("Deleted {name}.") }</span>
                    <button type="button" data-testid="document-undelete"
                            onclick={props.on_restore.reform(|_: MouseEvent| ())}>{ "Undo" }</button>
                </p>
            }
            <p class="hint">{ "Open a .txt, .md or .html file, or drop one on the page." }</p>
            { props.children.clone() }
        </nav>
    }
}
