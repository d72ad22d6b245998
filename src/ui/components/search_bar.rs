use std::rc::Rc;

use yew::prelude::*;

use super::LabelButtons;
use crate::model::{Document, Span, Tag, MAX_MATCHES};

/// Props of [`SearchBar`].
#[derive(Properties, Clone)]
pub struct SearchBarProps {
    /// The document searched.
    pub document: Rc<Document>,
    /// Select a match in the article (and scroll to it).
    pub on_select: Callback<Span>,
    /// Tag every match.
    pub on_tag_all: Callback<(Tag, Rc<Vec<Span>>)>,
    /// Close the bar.
    pub on_close: Callback<()>,
}

impl PartialEq for SearchBarProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.document, &other.document)
            && self.on_select == other.on_select
            && self.on_tag_all == other.on_tag_all
            && self.on_close == other.on_close
    }
}

/// How long typing must pause before the text is searched, in ms.
const SEARCH_PAUSE_MS: u32 = 150;

/// Search in the document text (Ctrl+F): the count of matches, Enter / Shift+Enter to select
/// the next / previous one in the article (then 1/2/3 tag it as usual, after Esc), and "tag all
/// matches as" buttons, one undoable step.
#[component]
pub fn SearchBar(props: &SearchBarProps) -> Html {
    // What is typed, and what was searched: the text is scanned once typing pauses (a whole
    // book is a few tens of ms per scan), not on every keystroke.
    let query = use_state(String::new);
    let searched = use_state(String::new);
    let pause = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
    let match_case = use_state_eq(|| false);
    let current = use_state_eq(|| None::<usize>);
    let input = use_node_ref();
    let matches = {
        let (document, query, match_case) =
            (props.document.clone(), (*searched).clone(), *match_case);
        use_memo(
            (
                Rc::as_ptr(&props.document) as usize,
                query.clone(),
                match_case,
            ),
            move |_| Rc::new(document.find_all(&query, match_case)),
        )
    };
    {
        let input = input.clone();
        use_effect_with((), move |_| {
            if let Some(input) = input.cast::<web_sys::HtmlElement>() {
                let _ = input.focus();
            }
        });
    }
    let step = {
        let (matches, current, on_select) =
            (matches.clone(), current.clone(), props.on_select.clone());
        Callback::from(move |forward: bool| {
            let count = matches.len();
            if count == 0 {
                return;
            }
            let next = match (*current, forward) {
                (None, true) => 0,
                (None, false) => count - 1,
                (Some(i), true) => (i + 1) % count,
                (Some(i), false) => (i + count - 1) % count,
            };
            current.set(Some(next));
            on_select.emit(matches[next]);
        })
    };
    let on_input = {
        let (query, searched, current) = (query.clone(), searched.clone(), current.clone());
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            let typed = input.value();
            query.set(typed.clone());
            current.set(None);
            let searched = searched.clone();
            *pause.borrow_mut() = Some(gloo_timers::callback::Timeout::new(
                SEARCH_PAUSE_MS,
                move || searched.set(typed),
            ));
        })
    };
    let on_key = {
        let (step, on_close) = (step.clone(), props.on_close.clone());
        let (query, searched) = (query.clone(), searched.clone());
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
            // Enter before the pause is over searches at once; the next Enter steps.
            "Enter" if *query != *searched => {
                event.prevent_default();
                searched.set((*query).clone());
            }
            "Enter" => {
                event.prevent_default();
                step.emit(!event.shift_key());
            }
            "Escape" => {
                event.prevent_default();
                event.stop_propagation();
                on_close.emit(());
            }
            _ => {}
        })
    };
    let on_case = {
        let (match_case, current) = (match_case.clone(), current.clone());
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            match_case.set(input.checked());
            current.set(None);
        })
    };
    let count = matches.len();
    let summary = match (count, *current) {
        (0, _) if searched.is_empty() => String::new(),
        (0, _) => "No matches".to_owned(),
        (n, Some(i)) => format!("{} of {n}", i + 1),
        (n, None) if n == MAX_MATCHES => format!("{n} matches (the first {MAX_MATCHES})"),
        (1, None) => "1 match".to_owned(),
        (n, None) => format!("{n} matches"),
    };
    let on_tag_all = {
        let (on_tag_all, matches) = (props.on_tag_all.clone(), matches.clone());
        Callback::from(move |tag: Tag| on_tag_all.emit((tag, Rc::clone(&matches))))
    };
    html! {
        <div class="search-bar" role="search" aria-label="Search the document">
            <input type="search" data-testid="search" ref={input} placeholder="Find in the document"
                   aria-label="Find in the document" value={(*query).clone()}
                   oninput={on_input} onkeydown={on_key} />
            <label class="match-case">
                <input type="checkbox" data-testid="search-match-case" checked={*match_case} onchange={on_case} />
                { "Match case" }
            </label>
            <span class="search-count" data-testid="search-count" data-count={count.to_string()}
                  aria-live="polite">{ summary }</span>
            <button type="button" aria-label="Previous match" title="Previous match (Shift+Enter)"
                    disabled={count == 0} onclick={step.reform(|_: MouseEvent| false)}>{ "↑" }</button>
            <button type="button" aria-label="Next match" title="Next match (Enter)"
                    disabled={count == 0} onclick={step.reform(|_: MouseEvent| true)}>{ "↓" }</button>
            <span class="tag-all" role="group" aria-label="Tag all matches as">
                <span class="tag-all-label">{ "Tag all as" }</span>
                <LabelButtons on_tag={on_tag_all} testid_prefix="search-tag-" disabled={count == 0} />
            </span>
            <button type="button" class="close" aria-label="Close search (Esc)"
                    onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "×" }</button>
        </div>
    }
}
