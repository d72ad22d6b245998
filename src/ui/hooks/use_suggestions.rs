use std::rc::Rc;

use yew::prelude::*;

use super::use_documents::read_stored;
use super::use_latest;
use crate::model::Document;
use crate::suggest::Suggestion;
use crate::tasks::{Outcome, RememberedText, Task};
use crate::ui::services::session::Session;
use crate::ui::services::{clock, dom_range, task_worker};
use crate::ui::state::{Action, AppState, Status};

/// Paragraphs suggested by one task of the worker (about 5 ms of work natively for all three
/// sources, `benches/suggest.rs`): turning suggestions off, or a newer request, abandons the
/// rest within one slice, and an import or export waits at most one slice for the worker.
const SLICE_PARAGRAPHS: usize = 50;

/// Computes the open document's suggestions while they are on (and no comparison is open):
/// when they are turned on, the document changes or a pattern file is loaded. In the worker
/// ([`crate::tasks`]), off the main thread: the paragraphs in view first (shown at once), then
/// the rest in slices; a newer request abandons an older one. Memory is the library's other documents'
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
        state.suggestions.patterns_source.clone(),
    );
    use_effect_with(key, move |(on, _, _)| {
        *generation.borrow_mut() += 1;
        if *on {
            let mine = *generation.borrow();
            wasm_bindgen_futures::spawn_local(async move {
                clock::mark("marginalia:suggestions:start");
                let at_start = latest.borrow().clone();
                let mut remembered = remembered_elsewhere(&at_start, &session).await;
                let state = latest.borrow().clone();
                let document = state.open.document.clone();
                remembered.extend(state.store.in_document_order().filter_map(|a| {
                    Some(RememberedText {
                        text: document.slice(a.span)?.to_owned(),
                        tag: a.tag.clone(),
                        span_here: Some(a.span),
                    })
                }));
                let prepare = Task::PrepareSuggestions {
                    patterns: state.suggestions.patterns_source.to_string(),
                    remembered,
                };
                let id = state.open.id.clone();
                let count = document.paragraphs().len();
                let in_view = article
                    .cast::<web_sys::Element>()
                    .and_then(|a| dom_range::visible_window(&a, &document))
                    .map_or(0..count.min(SLICE_PARAGRAPHS), |window| {
                        paragraphs_of(&document, window)
                    });
                let rest = (0..count)
                    .step_by(SLICE_PARAGRAPHS)
                    .map(|start| start..(start + SLICE_PARAGRAPHS).min(count))
                    .flat_map(|slice| split_around(slice, &in_view));
                let slices = std::iter::once(in_view.clone()).chain(rest);
                let current = || *generation.borrow() == mine;
                let fail = |error: String| {
                    let status = Status::error(format!("Suggestions stopped: {error}."));
                    latest.borrow().dispatch(Action::ShowStatus(status));
                };
                let text = document.text().as_bytes();
                let prepared = match task_worker::run(&prepare, &[text]).await {
                    Ok((Outcome::Prepared(Ok(prepared)), _)) => prepared,
                    Ok((Outcome::Prepared(Err(error)), _)) | Err(error) => return fail(error),
                    Ok((other, _)) => return fail(task_worker::mismatch(&other)),
                };
                let mut found: Vec<(usize, Vec<Suggestion>)> = Vec::new();
                let publish = |found: &mut Vec<(usize, Vec<Suggestion>)>| {
                    found.sort_by_key(|(start, _)| *start);
                    let all = found.iter().flat_map(|(_, s)| s.iter().cloned()).collect();
                    latest.borrow().dispatch(Action::SuggestionsComputed {
                        document: id.clone(),
                        all: Rc::new(all),
                    });
                };
                for slice in slices {
                    if !current() {
                        return;
                    }
                    let task = Task::Suggest {
                        prepared,
                        paragraphs: vec![slice.clone()],
                    };
                    match task_worker::run(&task, &[]).await {
                        Ok((Outcome::Suggested(Ok(suggested)), _)) => {
                            found.push((slice.start, suggested))
                        }
                        Ok((Outcome::Suggested(Err(error)), _)) | Err(error) => return fail(error),
                        Ok((other, _)) => return fail(task_worker::mismatch(&other)),
                    }
                    if slice == in_view && current() {
                        publish(&mut found);
                        clock::measure_from(
                            "marginalia:suggestions-in-view",
                            "marginalia:suggestions:start",
                        );
                    }
                }
                if current() {
                    publish(&mut found);
                    clock::measure_from(
                        "marginalia:suggestions-all",
                        "marginalia:suggestions:start",
                    );
                }
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

/// The text and tag of every annotation of the library's other documents, as stored.
async fn remembered_elsewhere(state: &AppState, session: &Session) -> Vec<RememberedText> {
    let mut remembered = Vec::new();
    for entry in state
        .library
        .iter()
        .filter(|e| e.id != state.open.id && e.count > 0)
    {
        if let Some((document, store)) = read_stored(session, &entry.id).await {
            remembered.extend(store.in_document_order().filter_map(|a| {
                Some(RememberedText {
                    text: document.slice(a.span)?.to_owned(),
                    tag: a.tag.clone(),
                    span_here: None,
                })
            }));
        }
    }
    remembered
}
