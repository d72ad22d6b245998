use std::rc::Rc;

use yew::prelude::*;

use super::use_documents::read_stored;
use super::use_latest;
use crate::model::{Document, Tag};
use crate::suggest::{Memory, Remembered, Suggester, Suggestion};
use crate::ui::services::session::Session;
use crate::ui::services::{clock, dom_range};
use crate::ui::state::{Action, AppState};

/// Paragraphs computed between two yields to the browser: about 5 ms of work natively for all
/// three sources (`benches/suggest.rs`), so a slice never holds a frame.
const SLICE_PARAGRAPHS: usize = 50;

/// Computes the open document's suggestions while they are on (and no comparison is open):
/// when they are turned on, the document changes or a pattern file is loaded. The paragraphs in
/// view first (shown at once), then the rest in slices between frames, so a book never freezes
/// the page; a newer request abandons an older one. Memory is the library's other documents'
/// annotations (read from storage) and this document's, as they are when it starts. The user
/// timings `marginalia:suggestions-in-view` and `marginalia:suggestions-all` measure it.
#[hook]
pub fn use_suggestions(state: &UseReducerHandle<AppState>, session: &Session, article: NodeRef) {
    let latest = use_latest(state);
    let generation = use_mut_ref(|| 0_u64);
    let session = session.clone();
    let key = (
        state.suggestions.on && state.comparison.is_none(),
        state.open.id.clone(),
        Rc::as_ptr(&state.suggestions.patterns) as usize,
    );
    use_effect_with(key, move |(on, _, _)| {
        *generation.borrow_mut() += 1;
        if *on {
            let mine = *generation.borrow();
            wasm_bindgen_futures::spawn_local(async move {
                clock::mark("marginalia:suggestions:start");
                let at_start = latest.borrow().clone();
                let remembered = remembered_elsewhere(&at_start, &session).await;
                let state = latest.borrow().clone();
                let document = state.open.document.clone();
                let mine_here: Vec<(String, Tag, crate::model::Span)> = state
                    .store
                    .in_document_order()
                    .filter_map(|a| {
                        Some((document.slice(a.span)?.to_owned(), a.tag.clone(), a.span))
                    })
                    .collect();
                let memory = Memory::remember(
                    remembered
                        .iter()
                        .map(|(text, tag)| Remembered {
                            text,
                            tag: tag.clone(),
                            span_here: None,
                        })
                        .chain(mine_here.iter().map(|(text, tag, span)| Remembered {
                            text,
                            tag: tag.clone(),
                            span_here: Some(*span),
                        })),
                );
                let suggester = Suggester::new(state.suggestions.patterns.as_ref().clone(), memory);
                let current = || *generation.borrow() == mine;
                let id = state.open.id.clone();
                let count = document.paragraphs().len();
                let in_view = article
                    .cast::<web_sys::Element>()
                    .and_then(|a| dom_range::visible_window(&a, &document))
                    .map_or(0..count.min(SLICE_PARAGRAPHS), |window| {
                        paragraphs_of(&document, window)
                    });
                let mut slices: Vec<(usize, Vec<Suggestion>)> = vec![(
                    in_view.start,
                    suggester.suggest_paragraphs(&document, in_view.clone()),
                )];
                let publish = |slices: &mut Vec<(usize, Vec<Suggestion>)>| {
                    slices.sort_by_key(|(start, _)| *start);
                    let all: Vec<Suggestion> =
                        slices.iter().flat_map(|(_, s)| s.iter().cloned()).collect();
                    latest.borrow().dispatch(Action::SuggestionsComputed {
                        document: id.clone(),
                        all: Rc::new(all),
                    });
                };
                publish(&mut slices);
                clock::measure_from(
                    "marginalia:suggestions-in-view",
                    "marginalia:suggestions:start",
                );
                let rest = (0..count)
                    .step_by(SLICE_PARAGRAPHS)
                    .map(|start| start..(start + SLICE_PARAGRAPHS).min(count))
                    .flat_map(|slice| split_around(slice, &in_view));
                for slice in rest {
                    gloo_timers::future::TimeoutFuture::new(0).await;
                    if !current() {
                        return;
                    }
                    slices.push((slice.start, suggester.suggest_paragraphs(&document, slice)));
                }
                publish(&mut slices);
                clock::measure_from("marginalia:suggestions-all", "marginalia:suggestions:start");
            });
        }
    });
}

/// The paragraphs (indices) that hold the code points of `window`.
fn paragraphs_of(document: &Document, window: crate::model::Span) -> std::ops::Range<usize> {
    let count = document.paragraphs().len();
    let first = document.paragraph_index_at(window.start).unwrap_or(count);
    let last = document
        .paragraph_index_at(window.end.saturating_sub(1))
        .map_or(count, |i| i + 1);
    first..last.max(first)
}

/// The parts of `slice` outside `done` (zero, one or two ranges).
fn split_around(
    slice: std::ops::Range<usize>,
    done: &std::ops::Range<usize>,
) -> Vec<std::ops::Range<usize>> {
    [
        slice.start..slice.end.min(done.start),
        slice.start.max(done.end)..slice.end,
    ]
    .into_iter()
    .filter(|r| !r.is_empty())
    .collect()
}

/// The (text, tag) of every annotation of the library's other documents, as stored.
async fn remembered_elsewhere(state: &AppState, session: &Session) -> Vec<(String, Tag)> {
    let mut remembered = Vec::new();
    for entry in state
        .library
        .iter()
        .filter(|e| e.id != state.open.id && e.count > 0)
    {
        if let Some((document, store)) = read_stored(session, &entry.id).await {
            remembered.extend(
                store
                    .in_document_order()
                    .filter_map(|a| Some((document.slice(a.span)?.to_owned(), a.tag.clone()))),
            );
        }
    }
    remembered
}
