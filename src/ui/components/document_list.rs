use yew::prelude::*;

use crate::ui::services::storage::LibraryEntry;
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
}

/// The stored documents; the current one is marked `aria-current`.
#[component]
pub fn DocumentList(props: &DocumentListProps) -> Html {
    let items = props.documents.iter().map(|entry| {
        let current = entry.id == props.current.as_str();
        let count = if current {
            props.current_count
        } else {
            entry.count
        };
        let on_switch = props.on_switch.clone();
        let id = entry.id.clone();
        html! {
            <li key={entry.id.clone()}>
                <button type="button" class="document" data-testid="document"
                        data-name={entry.name.clone()} data-count={count.to_string()}
                        aria-current={current.then_some("true")}
                        onclick={Callback::from(move |_| on_switch.emit(id.clone()))}>
                    <span class="document-name">{ entry.name.clone() }</span>
                    <span class="count" aria-label={format!("{count} annotations")}>{ count }</span>
                </button>
            </li>
        }
    });
    html! {
        <nav class="panel documents" aria-label="Documents">
            <h2>{ "Documents" }</h2>
            <ul data-testid="document-list" class="document-list">{ for items }</ul>
            <p class="hint">{ "Open a .txt, .md or .html file, or drop one on the page." }</p>
        </nav>
    }
}
