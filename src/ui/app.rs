//! The root: owns the reducer, the one persistence effect, and the layout.

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::components::{
    AnnotationDetail, AnnotationList, Article, DocumentList, Header, OrphanList, SelectionToolbar,
    ShortcutSheet, StatusRegion, TagCounts,
};
use crate::ui::hooks::{
    load_startup, use_actions, use_documents, use_highlights, use_keyboard_caret, use_shortcuts,
    use_text_selection, use_theme, use_transfer,
};
use crate::ui::services::storage;
use crate::ui::state::{Action, AppState};

/// The whole app.
#[component]
pub fn App() -> Html {
    let (theme, toggle_theme) = use_theme();
    let state = use_reducer(|| AppState {
        snap_words: storage::load_setting("snap-words").as_deref() != Some("off"),
        ..AppState::from_loaded(load_startup())
    });
    let article_ref = use_node_ref();
    let actions = use_actions(&state);
    let documents = use_documents(&state);
    let transfer = use_transfer(&state);
    let highlights = use_highlights(&state, article_ref.clone());
    let toolbar_anchor = use_text_selection(&state, article_ref.clone());
    let caret = use_keyboard_caret(article_ref.clone());
    let help = use_state_eq(|| false);
    use_shortcuts(&state, &actions, article_ref.clone(), help.clone());

    // The one place that writes storage: after every change of the annotations (and when
    // another document becomes current), save them with their history and the library.
    {
        let state = state.clone();
        use_effect_with((state.open.id.clone(), state.revision), move |_| {
            let library = state.library_snapshot();
            let saved = storage::save_annotations(&state.open.id, &state.store, &state.history)
                .and_then(|()| storage::save_library(&library));
            state.dispatch(Action::SetStorageFault(
                saved.err().map(|fault| fault.to_string()),
            ));
        });
    }

    let annotations = {
        let state = state.clone();
        use_memo((state.open.id.clone(), state.revision), move |_| {
            Rc::new(state.store.in_document_order().cloned().collect::<Vec<_>>())
        })
    };
    let orphans = {
        let state = state.clone();
        use_memo((state.open.id.clone(), state.revision), move |_| {
            state.store.orphans().iter().cloned().collect::<Rc<[_]>>()
        })
    };
    let counts = use_memo((state.open.id.clone(), state.revision), {
        let state = state.clone();
        move |_| state.store.count_by_tag()
    });

    let on_reveal = {
        let select = actions.select.clone();
        let highlights = highlights.clone();
        Callback::from(move |id: crate::model::AnnotationId| {
            select.emit(Some(id.clone()));
            highlights.reveal(&id);
        })
    };

    let on_drop = {
        let open_file = documents.open_file.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            if let Some(file) = event
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0))
            {
                open_file.emit(file);
            }
        })
    };
    let on_drag_over = Callback::from(|event: DragEvent| event.prevent_default());

    let detail = state.selected_annotation().map(|annotation| {
        let quote = state
            .open
            .document
            .slice(annotation.span)
            .unwrap_or_default()
            .to_owned();
        html! {
            <AnnotationDetail annotation={annotation.clone()} quote={quote}
                on_tag={actions.tag.clone()} on_note={actions.set_note.clone()}
                on_delete={actions.delete_selected.clone()} />
        }
    });

    html! {
        <div class="app" ondrop={on_drop} ondragover={on_drag_over}>
            <Header document_name={state.open.name.clone()}
                can_undo={state.history.can_undo()} can_redo={state.history.can_redo()}
                on_undo={actions.undo.clone()} on_redo={actions.redo.clone()}
                on_open={documents.open_file.clone()} on_import={transfer.import_file.clone()}
                on_export={transfer.export.clone()} {theme} on_toggle_theme={toggle_theme}
                snap_words={state.snap_words} on_snap_words={actions.set_snap_words.clone()} />
            <StatusRegion status={state.status.clone()} storage_fault={state.storage_fault.clone()} />
            <main class="workspace">
                <DocumentList documents={state.library.clone()} current={state.open.id.clone()}
                    current_count={state.store.len()} on_switch={documents.switch_to.clone()} />
                <div class="article-scroll">
                    <Article document={state.open.document.clone()} name={state.open.name.clone()}
                        node_ref={article_ref} />
                    if let Some(caret) = caret {
                        <div class="caret" aria-hidden="true"
                            style={format!("left: {:.1}px; top: {:.1}px; height: {:.1}px;", caret.left, caret.top, caret.height)}>
                        </div>
                    }
                </div>
                <aside class="sidebar" aria-label="Annotations">
                    <div class="panel">
                        <h2>{ "Annotations" }</h2>
                        <TagCounts counts={(*counts).clone()} />
                    </div>
                    { for detail }
                    <OrphanList orphans={(*orphans).clone()} can_place={state.text_selection.is_some()}
                        on_place={actions.place_orphan.clone()} on_discard={actions.discard_orphan.clone()} />
                    <AnnotationList document={state.open.document.clone()} annotations={(*annotations).clone()}
                        selected={state.selected.clone()} on_reveal={on_reveal} />
                </aside>
            </main>
            <SelectionToolbar anchor={toolbar_anchor} on_tag={actions.tag.clone()} />
            if *help {
                <ShortcutSheet on_close={Callback::from(move |()| help.set(false))} />
            }
        </div>
    }
}
