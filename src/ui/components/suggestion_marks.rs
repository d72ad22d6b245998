use std::rc::Rc;

use yew::prelude::*;

use super::use_labels;
use crate::model::{Document, Span, Tag};
use crate::suggest::Suggestion;
use crate::ui::hooks::use_suggestion_marks;
use crate::ui::label_class;

/// Props of [`SuggestionMarks`].
#[derive(Properties, Clone)]
pub struct SuggestionMarksProps {
    /// The open suggestions, in document order.
    pub open: Rc<Vec<Suggestion>>,
    /// The document.
    pub document: Rc<Document>,
    /// The selected suggestion.
    pub selected: Option<(Span, Tag)>,
    /// The article element.
    pub article: NodeRef,
    /// A dashed span clicked.
    pub on_choose: Callback<(Span, Tag)>,
    /// Accept the selected one.
    pub on_accept: Callback<()>,
    /// Reject the selected one.
    pub on_reject: Callback<()>,
}

impl PartialEq for SuggestionMarksProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.open, &other.open)
            && Rc::ptr_eq(&self.document, &other.document)
            && self.selected == other.selected
            && self.article == other.article
    }
}

/// The open suggestions near the view, outlined with dashes in their label's colour (apart
/// from annotations, which are drawn as highlights); a click on one selects it, and the selected
/// one has a small card to accept or reject it.
#[component]
pub fn SuggestionMarks(props: &SuggestionMarksProps) -> Html {
    let labels = use_labels();
    let marks = use_suggestion_marks(
        props.open.clone(),
        props.document.clone(),
        props.selected.clone(),
        props.article.clone(),
    );
    let outlines = marks.iter().flat_map(|mark| {
        let choose = {
            let (on_choose, key) = (props.on_choose.clone(), (mark.span, mark.tag.clone()));
            Callback::from(move |_: MouseEvent| on_choose.emit(key.clone()))
        };
        let class = classes!(
            "suggestion-mark",
            label_class(&labels, &mark.tag),
            mark.selected.then_some("is-selected")
        );
        mark.lines
            .iter()
            .map(|line| {
                html! {
                    <div class={class.clone()} onclick={choose.clone()}
                         style={format!("left: {:.1}px; top: {:.1}px; width: {:.1}px; height: {:.1}px;", line.left - 1.0, line.top, line.width + 2.0, line.height)}>
                    </div>
                }
            })
            .collect::<Vec<_>>()
    });
    let card = marks
        .iter()
        .find(|m| m.selected)
        .and_then(|m| m.lines.last().map(|line| (m, *line)))
        .map(|(mark, line)| {
            html! {
                <div class="suggestion-card" data-testid="suggestion-card" role="group" aria-label="Suggestion"
                     style={format!("left: {:.1}px; top: {:.1}px;", line.left + line.width, line.top + line.height + 4.0)}>
                    <span class="tag-badge">{ labels.name_of(&mark.tag) }</span>
                    <button type="button" onclick={props.on_accept.reform(|_: MouseEvent| ())} title="Accept (a)">{ "Accept" }</button>
                    <button type="button" onclick={props.on_reject.reform(|_: MouseEvent| ())} title="Reject (x)">{ "Reject" }</button>
                </div>
            }
        });
    html! {
        <div class="suggestion-marks" data-testid="suggestion-marks" data-count={marks.len().to_string()}>
            { for outlines }
            { for card }
        </div>
    }
}
