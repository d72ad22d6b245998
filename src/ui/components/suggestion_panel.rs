use std::rc::Rc;

use yew::prelude::*;

use super::use_labels;
use crate::model::{Document, Span, Tag};
use crate::suggest::{Score, Suggestion, SuggestionSource};
use crate::ui::hooks::{use_window, ListWindow};
use crate::ui::label_class;

/// Pitch of one suggestion row in px (CSS gives every item this height, gap included).
pub const SUGGESTION_ROW_PX: f64 = 58.0;

/// Props of [`SuggestionPanel`].
#[derive(Properties, PartialEq)]
pub struct SuggestionPanelProps {
    /// Suggestions shown.
    pub on: bool,
    /// Turn them on or off.
    pub on_toggle: Callback<bool>,
    /// A pattern file chosen.
    pub on_patterns: Callback<web_sys::File>,
    /// How many patterns are loaded.
    pub patterns: usize,
    /// The open suggestions, in document order.
    pub open: Rc<Vec<Suggestion>>,
    /// Per source, measured against the document's annotations.
    pub stats: Rc<Vec<(SuggestionSource, Score)>>,
    /// The selected suggestion.
    pub selected: Option<(Span, Tag)>,
    /// The document (for quotes).
    pub document: Rc<Document>,
    /// Select a suggestion.
    pub on_choose: Callback<(Span, Tag)>,
    /// Accept the selected one.
    pub on_accept: Callback<()>,
    /// Reject the selected one.
    pub on_reject: Callback<()>,
}

/// The suggestions: on or off (`suggestions-toggle`), **Load patterns…**
/// (`suggestion-patterns`), precision and recall per source (`suggestion-stats`), and the
/// open suggestions (`suggestion-list`, windowed like the annotation list), each selectable,
/// with accept and reject.
#[component]
pub fn SuggestionPanel(props: &SuggestionPanelProps) -> Html {
    let labels = use_labels();
    let selected_index = props.selected.as_ref().and_then(|(span, tag)| {
        props
            .open
            .iter()
            .position(|s| s.span == *span && s.tag == *tag)
    });
    let count = props.open.len();
    let ListWindow {
        wrap,
        onscroll,
        first,
        last,
        style,
    } = use_window(count, SUGGESTION_ROW_PX, selected_index);
    let on_toggle = props.on_toggle.reform(|event: Event| {
        event
            .target_unchecked_into::<web_sys::HtmlInputElement>()
            .checked()
    });
    let on_patterns = {
        let on_patterns = props.on_patterns.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            let file = input.files().and_then(|files| files.get(0));
            input.set_value("");
            if let Some(file) = file {
                on_patterns.emit(file);
            }
        })
    };
    let items = props.open[first..last].iter().enumerate().map(|(offset, s)| {
        let index = first + offset;
        let selected = selected_index == Some(index);
        let quote: String = props
            .document
            .slice(s.span)
            .unwrap_or_default()
            .chars()
            .take(120)
            .collect();
        let choose = {
            let (on_choose, key) = (props.on_choose.clone(), (s.span, s.tag.clone()));
            Callback::from(move |_: MouseEvent| on_choose.emit(key.clone()))
        };
        let act = |callback: &Callback<()>| {
            let (on_choose, callback, key) =
                (props.on_choose.clone(), callback.clone(), (s.span, s.tag.clone()));
            Callback::from(move |event: MouseEvent| {
                event.stop_propagation();
                on_choose.emit(key.clone());
                callback.emit(());
            })
        };
        html! {
            <li key={format!("{}-{}-{}", s.span.start, s.span.end, s.tag)} data-testid="suggestion"
                class={classes!("suggestion", label_class(&labels, &s.tag), selected.then_some("is-selected"))}
                data-id={format!("{}-{}-{}", s.span.start, s.span.end, s.tag)}
                data-start={s.span.start.to_string()} data-end={s.span.end.to_string()}
                data-tag={s.tag.to_string()} data-source={s.source.as_str()}
                role="option" aria-selected={selected.to_string()} onclick={choose}>
                <span class="item-head">
                    <span class="tag-badge"><span class="swatch" aria-hidden="true"></span>{ labels.name_of(&s.tag) }</span>
                    <span class="suggestion-source">{ s.source.as_str() }</span>
                    <span class="suggestion-actions">
                        <button type="button" class="icon-button" data-testid="suggestion-accept"
                                title="Accept (a)" aria-label="Accept" onclick={act(&props.on_accept)}>{ "✓" }</button>
                        <button type="button" class="icon-button" data-testid="suggestion-reject"
                                title="Reject (x)" aria-label="Reject" onclick={act(&props.on_reject)}>{ "×" }</button>
                    </span>
                </span>
                <q class="quote">{ quote }</q>
            </li>
        }
    });
    let stats = props.stats.iter().map(|(source, score)| {
        html! {
            <li data-testid="suggestion-source" data-source={source.as_str()}
                data-precision={format!("{:.4}", score.precision())} data-recall={format!("{:.4}", score.recall())}>
                <strong>{ source.as_str() }</strong>
                { format!(" precision {:.2} · recall {:.2} ({} suggested)", score.precision(), score.recall(), score.suggested) }
            </li>
        }
    });
    html! {
        <section class="panel suggestions" aria-label="Suggestions">
            <div class="panel-head">
                <h2>{ "Suggestions" }</h2>
                <label class="snap-toggle" title="Suggest spans from news cues, your patterns and what you tagged before (n / p, a, x, Shift+A)">
                    <input type="checkbox" data-testid="suggestions-toggle" checked={props.on} onchange={on_toggle} />
                    { "Suggest" }
                </label>
            </div>
            <label class="button file-button" title="A spaCy / Prodigy patterns.jsonl file, kept with the library">
                { if props.patterns == 0 { "Load patterns…".to_owned() } else { format!("Patterns: {} (load…)", props.patterns) } }
                <input type="file" data-testid="suggestion-patterns" accept=".jsonl,.json,application/jsonl,application/json" onchange={on_patterns} />
            </label>
            if props.on {
                <ul class="suggestion-stats" data-testid="suggestion-stats">{ for stats }</ul>
                <div class="annotation-list-wrap suggestion-list-wrap" ref={wrap} {onscroll}>
                    <ol data-testid="suggestion-list" class="suggestion-list" role="listbox" aria-label="Suggestions"
                        data-count={count.to_string()} {style}>
                        { for items }
                    </ol>
                    if count == 0 {
                        <p class="empty-hint">{ "No open suggestion here." }</p>
                    }
                </div>
            }
        </section>
    }
}
