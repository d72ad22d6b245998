use std::rc::Rc;

use yew::prelude::*;

use crate::model::{Annotation, AnnotationId, Document};
use crate::ui::tag_class;

/// Longest quote shown in a list item, in code points (the full text is in its `title`).
const QUOTE_PREVIEW_CHARS: usize = 180;

/// Props of [`AnnotationList`].
#[derive(Properties, PartialEq)]
pub struct AnnotationListProps {
    /// The document (for quotes).
    pub document: Rc<Document>,
    /// The annotations in document order.
    pub annotations: Rc<Vec<Rc<Annotation>>>,
    /// The selected one.
    pub selected: Option<AnnotationId>,
    /// An item was clicked.
    pub on_reveal: Callback<AnnotationId>,
}

/// The annotations in document order, one keyed, memoised item each.
#[component]
pub fn AnnotationList(props: &AnnotationListProps) -> Html {
    let items = props.annotations.iter().map(|annotation| {
        html! {
            <AnnotationItem key={annotation.id.as_str()}
                document={props.document.clone()}
                annotation={annotation.clone()}
                selected={props.selected.as_ref() == Some(&annotation.id)}
                on_reveal={props.on_reveal.clone()} />
        }
    });
    html! {
        <div class="annotation-list-wrap">
            <ol data-testid="annotation-list" class="annotation-list" role="listbox"
                aria-label="Annotations" data-count={props.annotations.len().to_string()}>
                { for items }
            </ol>
            if props.annotations.is_empty() {
                <p class="empty-hint">{ "Select text in the article, then press 1, 2 or 3 — or use the toolbar that appears." }</p>
            }
        </div>
    }
}

/// Props of [`AnnotationItem`]: shared pointers, so an unchanged item skips rendering.
#[derive(Properties, Clone)]
pub struct AnnotationItemProps {
    /// The document (for the quote).
    pub document: Rc<Document>,
    /// The annotation.
    pub annotation: Rc<Annotation>,
    /// Whether it is the selected one.
    pub selected: bool,
    /// Clicked.
    pub on_reveal: Callback<AnnotationId>,
}

impl PartialEq for AnnotationItemProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.document, &other.document)
            && Rc::ptr_eq(&self.annotation, &other.annotation)
            && self.selected == other.selected
            && self.on_reveal == other.on_reveal
    }
}

/// One annotation: tag, quote and note.
#[component]
pub fn AnnotationItem(props: &AnnotationItemProps) -> Html {
    let annotation = &props.annotation;
    let quote = props.document.slice(annotation.span).unwrap_or_default();
    let preview: String = if quote.chars().count() > QUOTE_PREVIEW_CHARS {
        quote
            .chars()
            .take(QUOTE_PREVIEW_CHARS - 1)
            .chain(['…'])
            .collect()
    } else {
        quote.to_owned()
    };
    let onclick = {
        let on_reveal = props.on_reveal.clone();
        let id = annotation.id.clone();
        Callback::from(move |_| on_reveal.emit(id.clone()))
    };
    html! {
        <li data-testid="annotation" role="option" tabindex="-1"
            class={classes!("annotation", format!("tag-{}", tag_class(&annotation.tag)), props.selected.then_some("is-selected"))}
            data-id={annotation.id.to_string()} data-tag={annotation.tag.to_string()}
            data-start={annotation.span.start.to_string()} data-end={annotation.span.end.to_string()}
            aria-selected={if props.selected { "true" } else { "false" }}
            {onclick}>
            <span class="tag-badge"><span class="swatch" aria-hidden="true"></span>{ annotation.tag.display_name() }</span>
            <q class="quote" title={quote.to_owned()}>{ preview }</q>
            if !annotation.note.is_empty() {
                <span class="note-preview">{ annotation.note.clone() }</span>
            }
        </li>
    }
}
