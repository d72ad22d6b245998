//! The root: owns the reducer and the layout; storage is the persistence hook's.

use std::rc::Rc;

use yew::prelude::*;

use crate::format::ExportFormat;
use crate::model::{LabelSet, Tag};

use crate::ui::components::{
    AgreementPanel, AnnotationDetail, AnnotationList, Article, AttributeFields, ComparisonLanes,
    DocumentList, Header, HoverCard, LabelEditor, OrphanList, PasteDialog, RelationConnectors,
    RelationList, RelationRow, SearchBar, SelectionToolbar, ShortcutSheet, SpanHandles,
    StatusRegion, StorageUsage, SuggestionMarks, SuggestionPanel, TagCounts, UpdateReady,
};
use crate::ui::hooks::{
    load_startup, use_actions, use_comparison_store, use_documents, use_highlights, use_hover,
    use_keyboard_caret, use_persistence, use_shortcuts, use_suggestions, use_text_selection,
    use_theme, use_transfer, use_update_ready, Startup,
};
use crate::ui::services::storage;
use crate::ui::state::Action;
use crate::ui::state::AppState;

/// Props of [`App`]: what was stored, read before mounting (see [`load_startup`]).
#[derive(Properties, Clone)]
pub struct AppProps {
    /// The storage session, the document to show first, and the library as stored.
    pub startup: Rc<Startup>,
}

impl PartialEq for AppProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.startup, &other.startup)
    }
}

impl AppProps {
    /// Opens storage and reads what is stored (the current document, or the sample on a first
    /// visit).
    pub async fn load() -> Self {
        Self {
            startup: Rc::new(load_startup().await),
        }
    }
}

/// The open suggestions as last computed: for which suggestions and which version of the store.
struct LastOpen {
    all: Rc<Vec<crate::suggest::Suggestion>>,
    store: Rc<crate::model::AnnotationStore>,
    open: Rc<Vec<crate::suggest::Suggestion>>,
}

/// The whole app.
#[component]
pub fn App(props: &AppProps) -> Html {
    let (theme, toggle_theme) = use_theme();
    let state = use_reducer(|| {
        let mut state = AppState {
            snap_words: storage::load_setting("snap-words").as_deref() != Some("off"),
            ..AppState::from_loaded(props.startup.loaded.clone())
        };
        state.suggestions.on = storage::load_setting("suggestions").as_deref() == Some("on");
        state
    });
    let session = &props.startup.session;
    let article_ref = use_node_ref();
    let actions = use_actions(&state);
    let documents = use_documents(&state, session);
    let transfer = use_transfer(&state, session);
    let highlights = use_highlights(&state, article_ref.clone());
    let toolbar_anchor = use_text_selection(&state, article_ref.clone());
    let caret = use_keyboard_caret(article_ref.clone());
    let hovered = use_hover(&state, article_ref.clone());
    let help = use_state_eq(|| false);
    let search = use_state_eq(|| false);
    let paste = use_state_eq(|| false);
    let editing_labels = use_state_eq(|| false);
    let labels_button = use_node_ref();
    use_shortcuts(
        &state,
        &actions,
        article_ref.clone(),
        help.clone(),
        search.clone(),
    );
    let usage = use_persistence(&state, session, &props.startup.stored);
    use_suggestions(&state, session, article_ref.clone());
    use_comparison_store(&state, session);
    // The open suggestions (none while off or comparing), and each source's figures, measured
    // on every suggestion against the document's annotations.
    let suggestions_shown = state.suggestions.on && state.comparison.is_none();
    // An edit at no suggestion's span (nearly all) keeps the open list's `Rc` (see
    // `Suggestions::open_after`), so the suggestion marks are not laid out again and the
    // panel's rows not compared.
    let last_open = use_mut_ref(|| None::<LastOpen>);
    let open_suggestions = {
        let (all, store) = (state.suggestions.all.clone(), state.store.clone());
        let suggestions = state.suggestions.clone();
        use_memo(
            (
                Rc::as_ptr(&all) as usize,
                Rc::as_ptr(&store) as usize,
                suggestions_shown,
            ),
            move |(_, _, shown)| {
                let mut last_open = last_open.borrow_mut();
                if !*shown {
                    *last_open = None;
                    return Rc::new(Vec::new());
                }
                let open = match last_open.as_ref() {
                    Some(last) if Rc::ptr_eq(&last.all, &all) => {
                        suggestions.open_after(&last.open, &last.store, &store)
                    }
                    _ => Rc::new(suggestions.open(&store)),
                };
                *last_open = Some(LastOpen {
                    all,
                    store,
                    open: open.clone(),
                });
                open
            },
        )
    };
    // The suggestions grouped for scoring once per computation of them, so each edit scores
    // only the annotations against the suggestions they touch.
    let scorer = {
        let all = state.suggestions.all.clone();
        use_memo(
            (Rc::as_ptr(&all) as usize, suggestions_shown),
            move |(_, shown)| shown.then(|| crate::suggest::stats::Scorer::new(&all)),
        )
    };
    let suggestion_stats = {
        let (store, document) = (state.store.clone(), state.open.document.clone());
        let scorer = scorer.clone();
        use_memo(
            (Rc::as_ptr(&scorer) as usize, Rc::as_ptr(&store) as usize),
            move |_| {
                Rc::new(scorer.as_ref().as_ref().map_or_else(Vec::new, |scorer| {
                    scorer.by_source(&document, store.iter().map(|a| &**a))
                }))
            },
        )
    };
    let on_patterns = {
        let state = state.clone();
        Callback::from(move |file: web_sys::File| {
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                let text = crate::ui::services::files::read_bytes(file)
                    .await
                    .map_err(|e| e.to_string())
                    .and_then(|bytes| {
                        String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_owned())
                    });
                let parsed = match text {
                    Ok(source) => {
                        let task = crate::tasks::Task::ParsePatterns {
                            source: source.clone(),
                        };
                        match crate::ui::services::task_worker::run(&task, &[]).await {
                            Ok((crate::tasks::Outcome::Patterns(accepted), _)) => {
                                accepted.map(|_| source)
                            }
                            Ok((other, _)) => {
                                Err(crate::ui::services::task_worker::mismatch(&other))
                            }
                            Err(error) => Err(error),
                        }
                    }
                    Err(error) => Err(error),
                };
                match parsed {
                    Ok(text) => state.dispatch(Action::SetPatterns(text.as_str().into())),
                    Err(error) => {
                        state.dispatch(Action::ShowStatus(crate::ui::state::Status::error(
                            format!("{name} was not loaded: {error}. The patterns are unchanged."),
                        )))
                    }
                }
            });
        })
    };
    let update_ready = use_update_ready();

    let annotations = {
        let state = state.clone();
        use_memo((state.open.id.clone(), state.revision), move |_| {
            Rc::new(state.store.in_document_order().cloned().collect::<Vec<_>>())
        })
    };
    // The sidebar's filter (view state, not saved): a tag, and text in the quote or the note.
    let filter_tag = use_state_eq(|| None::<Tag>);
    let filter_text = use_state_eq(String::new);
    let shown = {
        let (all, document) = (annotations.clone(), state.open.document.clone());
        let (tag, text) = ((*filter_tag).clone(), filter_text.to_lowercase());
        use_memo(
            (
                state.open.id.clone(),
                state.revision,
                tag.clone(),
                text.clone(),
            ),
            move |_| {
                if tag.is_none() && text.is_empty() {
                    (*all).clone()
                } else {
                    Rc::new(
                        all.iter()
                            .filter(|a| a.passes_filter(&document, tag.as_ref(), &text))
                            .cloned()
                            .collect::<Vec<_>>(),
                    )
                }
            },
        )
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

    // Made once: a new callback per render would re-render every list row on every change.
    let on_reveal = {
        let (choose, highlights) = (actions.choose.clone(), highlights.clone());
        (*use_memo((), move |_| {
            Callback::from(move |id: crate::model::AnnotationId| {
                choose.emit(id.clone());
                highlights.reveal(&id);
            })
        }))
        .clone()
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
        let document = &state.open.document;
        let quote = document.slice(annotation.span).unwrap_or_default().to_owned();
        let store = &state.store;
        let rows: Vec<RelationRow> = store
            .relations_of(&annotation.id)
            .into_iter()
            .filter(|relation| store.relation_ends_exist(relation))
            .map(|relation| {
                let outgoing = relation.from == annotation.id;
                let other = if outgoing { &relation.to } else { &relation.from };
                let other = store
                    .get(other)
                    .and_then(|a| document.slice(a.span))
                    .or_else(|| store.orphan(other).and_then(|o| o.quote.as_deref()))
                    .unwrap_or_default()
                    .to_owned();
                RelationRow { relation: relation.clone(), outgoing, other }
            })
            .collect();
        let definitions = state
            .labels
            .get(&annotation.tag)
            .map(|label| label.attributes.clone())
            .unwrap_or_default();
        let retype = {
            let state = state.clone();
            Callback::from(move |(id, kind)| state.dispatch(Action::RetypeRelation { id, kind }))
        };
        let delete_relation = {
            let state = state.clone();
            Callback::from(move |id| state.dispatch(Action::DeleteRelation(id)))
        };
        html! {
            <AnnotationDetail annotation={annotation.clone()} quote={quote}
                on_tag={actions.tag.clone()} on_note={actions.set_note.clone()}
                on_delete={actions.delete_selected.clone()}>
                <AttributeFields {definitions} values={annotation.attributes.clone()}
                    on_set={actions.set_attribute.clone()} />
                <RelationList rows={Rc::new(rows)} linking={state.linking.is_some()}
                    on_link_start={actions.start_link.clone()}
                    on_retype={retype} on_delete={delete_relation}
                    on_follow={{
                        let (on_reveal, id) = (on_reveal.clone(), annotation.id.clone());
                        Callback::from(move |relation: Rc<crate::model::Relation>| {
                            let other = if relation.from == id { &relation.to } else { &relation.from };
                            on_reveal.emit(other.clone());
                        })
                    }} />
            </AnnotationDetail>
        }
    });

    // Compare mode: the disagreement walked to is shown in the article.
    {
        let highlights = highlights.clone();
        let current = state.comparison.as_ref().and_then(|c| {
            c.current
                .and_then(|i| c.disagreements.get(i))
                .map(|d| d.span)
        });
        use_effect_with(current, move |span| {
            if let Some(span) = span {
                highlights.reveal_span(*span);
            }
        });
    }
    let resolved = {
        let (comparison, store) = (state.comparison.clone(), state.store.clone());
        use_memo(
            (
                comparison.as_ref().map(|c| Rc::as_ptr(c) as usize),
                Rc::as_ptr(&store) as usize,
            ),
            move |_| comparison.map(|c| c.resolved(&store)).unwrap_or_default(),
        )
    };
    let agreement = state.comparison.clone().map(|comparison| {
        let dispatch = |action: fn() -> Action| {
            let state = state.clone();
            Callback::from(move |()| state.dispatch(action()))
        };
        let in_gold = state.open.id == format!("{}-gold", comparison.text_sha256);
        html! {
            <AgreementPanel {comparison} resolved={resolved.clone()} {in_gold}
                document={state.open.document.clone()}
                on_accept_agreed={documents.accept_agreed.clone()}
                on_accept_version={actions.accept_version.clone()}
                on_reject={dispatch(|| Action::RejectDisagreement)}
                on_walk={{
                    let state = state.clone();
                    Callback::from(move |forward| state.dispatch(Action::WalkDisagreement { forward }))
                }}
                on_close={dispatch(|| Action::CloseComparison)} />
        }
    });

    html! {
        <ContextProvider<Rc<LabelSet>> context={state.labels.clone()}>
        <div class="app" ondrop={on_drop} ondragover={on_drag_over}>
            // First in the tab order: Tab, Enter and the keyboard is in the article.
            <a class="skip-link" href="#article-text" data-testid="skip-to-article">{ "Skip to the article" }</a>
            <Header document_name={state.open.name.clone()}
                can_undo={state.history.can_undo()} can_redo={state.history.can_redo()}
                on_undo={actions.undo.clone()} on_redo={actions.redo.clone()}
                on_open={documents.open_file.clone()}
                on_paste={{
                    let paste = paste.clone();
                    Callback::from(move |()| paste.set(true))
                }}
                on_import={transfer.import_file.clone()} on_compare={transfer.compare_files.clone()}
                on_export={transfer.export.clone()} on_export_all={transfer.export_all.clone()} {theme} on_toggle_theme={toggle_theme}
                snap_words={state.snap_words} on_snap_words={actions.set_snap_words.clone()} />
            <StatusRegion status={state.status.clone()} storage_fault={state.storage_fault.clone()}
                on_export_copy={transfer.export.reform(|()| ExportFormat::Marginalia)} />
            if let Some(on_reload) = update_ready {
                <UpdateReady {on_reload} />
            }
            <main class="workspace">
                <DocumentList documents={state.library.clone()} current={state.open.id.clone()}
                    current_count={state.store.len()} on_switch={documents.switch_to.clone()}
                    on_delete={documents.delete.clone()}
                    deleted={state.deleted.as_ref().map(|d| AttrValue::from(d.entry.name.clone()))}
                    on_restore={{
                        let state = state.clone();
                        Callback::from(move |()| state.dispatch(Action::RestoreDeletedDocument))
                    }}
                    on_done={{
                        let state = state.clone();
                        Callback::from(move |(id, done)| state.dispatch(Action::SetDocumentDone { id, done }))
                    }}
                    on_rename={{
                        let state = state.clone();
                        Callback::from(move |(id, name)| state.dispatch(Action::RenameDocument { id, name }))
                    }}>
                    <label class="annotator-field">
                        <span>{ "Annotator" }</span>
                        <input type="text" data-testid="annotator-name" value={state.annotator.to_string()}
                               placeholder="Your name, for exports" maxlength="200"
                               title="Written into the files you export (marginalia annotator, W3C creator, Label Studio completed_by)"
                               onchange={{
                                   let state = state.clone();
                                   Callback::from(move |event: Event| {
                                       let input: web_sys::HtmlInputElement = event.target_unchecked_into();
                                       state.dispatch(Action::SetAnnotator(input.value()));
                                   })
                               }} />
                    </label>
                    <StorageUsage {usage} />
                </DocumentList>
                <div class="article-scroll">
                    if *search {
                        <SearchBar document={state.open.document.clone()}
                            on_select={{
                                let highlights = highlights.clone();
                                Callback::from(move |span| highlights.select_text(span))
                            }}
                            on_tag_all={actions.tag_all.clone()}
                            on_close={{
                                let (search, article) = (search.clone(), article_ref.clone());
                                Callback::from(move |()| {
                                    search.set(false);
                                    if let Some(article) = article.cast::<web_sys::HtmlElement>() {
                                        let _ = article.focus();
                                    }
                                })
                            }} />
                    }
                    <Article document={state.open.document.clone()} name={state.open.name.clone()}
                        node_ref={article_ref.clone()} />
                    if let Some(comparison) = state.comparison.clone() {
                        <ComparisonLanes {comparison} document={state.open.document.clone()} article={article_ref.clone()} />
                    }
                    if suggestions_shown {
                        <SuggestionMarks open={(*open_suggestions).clone()} document={state.open.document.clone()}
                            selected={state.suggestions.selected.clone()} article={article_ref.clone()}
                            on_choose={actions.choose_suggestion.clone()} on_accept={actions.accept_suggestion.clone()}
                            on_reject={actions.reject_suggestion.clone()} />
                    }
                    <RelationConnectors store={state.store.clone()} document={state.open.document.clone()}
                        selected={state.selected.clone()} article={article_ref.clone()} />
                    <SpanHandles span={state.selected_annotation().map(|a| a.span)}
                        document={state.open.document.clone()} snap_words={state.snap_words}
                        article={article_ref.clone()} highlights={highlights.clone()}
                        on_resize={actions.resize_to.clone()} />
                    if let Some(caret) = caret {
                        <div class="caret" aria-hidden="true"
                            style={format!("left: {:.1}px; top: {:.1}px; height: {:.1}px;", caret.left, caret.top, caret.height)}>
                        </div>
                    }
                </div>
                <aside class="sidebar" aria-label="Annotations">
                    <div class="panel">
                        <div class="panel-head">
                            <h2>{ "Annotations" }</h2>
                            <button type="button" data-testid="edit-labels" title="Add, rename, recolour or re-key labels"
                                    ref={labels_button.clone()}
                                    onclick={{
                                        let editing_labels = editing_labels.clone();
                                        Callback::from(move |_: MouseEvent| editing_labels.set(true))
                                    }}>{ "Labels…" }</button>
                        </div>
                        <TagCounts counts={(*counts).clone()} filter={(*filter_tag).clone()}
                            on_filter={{
                                let filter_tag = filter_tag.clone();
                                Callback::from(move |tag| filter_tag.set(tag))
                            }} />
                        <input type="search" class="filter-text" data-testid="filter-text"
                            placeholder="Filter by quote or note" aria-label="Filter annotations by quote or note"
                            value={(*filter_text).clone()}
                            oninput={{
                                let filter_text = filter_text.clone();
                                Callback::from(move |event: InputEvent| {
                                    let input: web_sys::HtmlInputElement = event.target_unchecked_into();
                                    filter_text.set(input.value());
                                })
                            }} />
                    </div>
                    { for agreement }
                    if state.comparison.is_none() {
                        <SuggestionPanel on={state.suggestions.on} on_toggle={actions.set_suggestions_on.clone()}
                            {on_patterns} patterns={state.suggestions.patterns}
                            open={(*open_suggestions).clone()} stats={(*suggestion_stats).clone()}
                            selected={state.suggestions.selected.clone()} document={state.open.document.clone()}
                            on_choose={actions.choose_suggestion.clone()} on_accept={actions.accept_suggestion.clone()}
                            on_reject={actions.reject_suggestion.clone()} />
                    }
                    { for detail }
                    <OrphanList orphans={(*orphans).clone()} can_place={state.text_selection.is_some()}
                        on_place={actions.place_orphan.clone()} on_discard={actions.discard_orphan.clone()} />
                    <AnnotationList document={state.open.document.clone()} annotations={(*shown).clone()}
                        total={annotations.len()} store={state.store.clone()}
                        link_target={state.linking.as_ref().and_then(|l| l.candidate.clone())}
                        selected={state.selected.clone()} on_reveal={on_reveal} />
                </aside>
            </main>
            <SelectionToolbar anchor={toolbar_anchor} on_tag={actions.tag.clone()} />
            if let Some(hovered) = hovered {
                <HoverCard {hovered} />
            }
            if *paste {
                <PasteDialog
                    on_open={{
                        let (paste, open_pasted) = (paste.clone(), documents.open_pasted.clone());
                        Callback::from(move |pasted| {
                            paste.set(false);
                            open_pasted.emit(pasted);
                        })
                    }}
                    on_close={{
                        let paste = paste.clone();
                        Callback::from(move |()| paste.set(false))
                    }} />
            }
            if *editing_labels {
                <LabelEditor counts={(*counts).clone()} can_undo={!state.label_undo.is_empty()}
                    on_undo={{
                        let state = state.clone();
                        Callback::from(move |()| state.dispatch(Action::UndoLabelEdit))
                    }}
                    on_edit={{
                        let state = state.clone();
                        Callback::from(move |edit| state.dispatch(Action::EditLabels(edit)))
                    }}
                    on_close={{
                        let editing_labels = editing_labels.clone();
                        Callback::from(move |()| {
                            editing_labels.set(false);
                            // Focus goes back where the dialog was opened from.
                            if let Some(button) = labels_button.cast::<web_sys::HtmlElement>() {
                                let _ = button.focus();
                            }
                        })
                    }} />
            }
            if *help {
                <ShortcutSheet on_close={Callback::from(move |()| help.set(false))} />
            }
        </div>
        </ContextProvider<Rc<LabelSet>>>
    }
}
