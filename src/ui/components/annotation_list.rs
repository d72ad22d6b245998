use std::rc::Rc;

use yew::prelude::*;

use super::use_labels;
use crate::model::{Annotation, AnnotationId, AnnotationStore, Document};
use crate::ui::hooks::{use_window, ListWindow};
use crate::ui::label_class;

/// Longest quote shown in a list item, in code points (the full text is in its `title`).
const QUOTE_PREVIEW_CHARS: usize = 180;

/// Props of [`AnnotationList`].
#[derive(Properties)]
pub struct AnnotationListProps {
    /// The document (for quotes).
    pub document: Rc<Document>,
    /// The annotations shown, in document order (all, or those a filter lets through).
    pub annotations: Rc<Vec<Rc<Annotation>>>,
    /// Every annotation and relation (each item names its relations).
    pub store: Rc<AnnotationStore>,
    /// The target candidate while a relation is being made (`j`/`k`).
    pub link_target: Option<AnnotationId>,
    /// How many annotations the document has (`data-count`, whatever the filter).
    pub total: usize,
    /// The selected one.
    pub selected: Option<AnnotationId>,
    /// An item was clicked.
    pub on_reveal: Callback<AnnotationId>,
}

/// Shared data compared by pointer: comparing the store's contents would cost a pass over
/// every annotation per render of the app, and a new pointer is what a change makes.
impl PartialEq for AnnotationListProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.document, &other.document)
            && Rc::ptr_eq(&self.annotations, &other.annotations)
            && Rc::ptr_eq(&self.store, &other.store)
            && self.link_target == other.link_target
            && self.total == other.total
            && self.selected == other.selected
            && self.on_reveal == other.on_reveal
    }
}

/// Pitch of one list row in px (CSS gives every item this height, gap included), so the list
/// can be windowed: only the rows in view (plus a margin) are in the DOM, whatever the count.
pub const ROW_PX: f64 = 82.0;

/// The annotations in document order, one keyed, memoised item each, windowed: the list keeps
/// the full height (every item reachable by scrolling) but renders only the rows in view, so
/// 10,000 annotations cost what 30 do. The selected item is kept in view. `data-count` is the
/// document's total; `data-shown` the items a filter lets through (the same without one).
#[component]
pub fn AnnotationList(props: &AnnotationListProps) -> Html {
    let labels = use_labels();
    let selected_index = props
        .selected
        .as_ref()
        .and_then(|id| props.annotations.iter().position(|a| &a.id == id));
    let count = props.annotations.len();
    let ListWindow {
        wrap,
        onscroll,
        first,
        last,
        style,
    } = use_window(count, ROW_PX, selected_index);
    let items = props.annotations[first..last]
        .iter()
        .enumerate()
        .map(|(offset, annotation)| {
            html! {
                <AnnotationItem key={annotation.id.as_str()}
                    document={props.document.clone()}
                    annotation={annotation.clone()}
                    relations={relations_summary(&props.store, &props.document, &labels, &annotation.id)}
                    position={first + offset + 1} {count}
                    selected={selected_index == Some(first + offset)}
                    link_target={props.link_target.as_ref() == Some(&annotation.id)}
                    on_reveal={props.on_reveal.clone()} />
            }
        });
    let keys: Vec<String> = labels
        .active()
        .filter_map(|l| l.key.map(|key| format!("{key} for {}", l.name)))
        .collect();
    let empty_hint = if keys.is_empty() {
        "Select text in the article, then use the toolbar that appears.".to_owned()
    } else {
        format!(
            "Select text in the article, then press {} — or use the toolbar that appears.",
            keys.join(", ")
        )
    };
    html! {
        <div class="annotation-list-wrap" ref={wrap} {onscroll}>
            <ol data-testid="annotation-list" class="annotation-list" role="listbox"
                aria-label="Annotations" data-count={props.total.to_string()}
                data-relations={props.store.relation_count().to_string()}
                data-shown={count.to_string()} {style}>
                { for items }
            </ol>
            if props.total == 0 {
                <p class="empty-hint">{ empty_hint }</p>
            } else if props.annotations.is_empty() {
                <p class="empty-hint">{ "No annotation matches the filter." }</p>
            }
        </div>
    }
}

/// Longest quote of a relation's other end named in a list item, in code points.
const RELATED_PREVIEW_CHARS: usize = 30;

/// An annotation's relations in words, outgoing first ("→ Macron · Attributed to; ← “once
/// conditions…” · Qualifies"); empty when it has none. O(its relations).
fn relations_summary(
    store: &AnnotationStore,
    document: &Document,
    labels: &crate::model::LabelSet,
    id: &AnnotationId,
) -> AttrValue {
    let mut relations = store.relations_of(id);
    relations.retain(|r| store.relation_ends_exist(r));
    if relations.is_empty() {
        return AttrValue::Static("");
    }
    relations.sort_by_key(|r| r.from != *id);
    let quote_of = |end: &AnnotationId| {
        let quote = store
            .get(end)
            .and_then(|a| document.slice(a.span))
            .or_else(|| store.orphan(end).and_then(|o| o.quote.as_deref()))
            .unwrap_or_default();
        match quote.char_indices().nth(RELATED_PREVIEW_CHARS) {
            Some((at, _)) => format!("{}…", &quote[..at]),
            None => quote.to_owned(),
        }
    };
    let words: Vec<String> = relations
        .iter()
        .map(|r| {
            let (arrow, other) = if r.from == *id {
                ("→", &r.to)
            } else {
                ("←", &r.from)
            };
            format!(
                "{arrow} {} · {}",
                quote_of(other),
                labels.relation_name_of(&r.kind)
            )
        })
        .collect();
    AttrValue::from(words.join("; "))
}

/// Props of [`AnnotationItem`]: shared pointers, so an unchanged item skips rendering.
#[derive(Properties, Clone)]
pub struct AnnotationItemProps {
    /// The document (for the quote).
    pub document: Rc<Document>,
    /// The annotation.
    pub annotation: Rc<Annotation>,
    /// Its 1-based place in the whole list (`aria-posinset`).
    pub position: usize,
    /// How many annotations the list has (`aria-setsize`).
    pub count: usize,
    /// Whether it is the selected one.
    pub selected: bool,
    /// Its relations in words ("→ Macron · Attributed to"), empty when none.
    #[prop_or_default]
    pub relations: AttrValue,
    /// Whether it is the target candidate of a relation being made.
    #[prop_or_default]
    pub link_target: bool,
    /// Clicked.
    pub on_reveal: Callback<AnnotationId>,
}

impl PartialEq for AnnotationItemProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.document, &other.document)
            && Rc::ptr_eq(&self.annotation, &other.annotation)
            && self.selected == other.selected
            && self.relations == other.relations
            && self.link_target == other.link_target
            && self.position == other.position
            && self.count == other.count
            && self.on_reveal == other.on_reveal
    }
}

/// One annotation: tag, quote and note.
#[component]
pub fn AnnotationItem(props: &AnnotationItemProps) -> Html {
    let labels = use_labels();
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
            class={classes!("annotation", label_class(&labels, &annotation.tag), props.selected.then_some("is-selected"),
                (!props.relations.is_empty()).then_some("has-relations"))}
            data-id={annotation.id.to_string()} data-tag={annotation.tag.to_string()}
            data-start={annotation.span.start.to_string()} data-end={annotation.span.end.to_string()}
            aria-selected={if props.selected { "true" } else { "false" }}
            data-link-target={props.link_target.then_some("true")}
            aria-posinset={props.position.to_string()} aria-setsize={props.count.to_string()}
            {onclick}>
            <span class="item-head">
                <span class="tag-badge"><span class="swatch" aria-hidden="true"></span>{ labels.name_of(&annotation.tag) }</span>
                if !annotation.note.is_empty() {
                    <span class="note-preview">{ annotation.note.clone() }</span>
                }
            </span>
            <q class="quote" title={quote.to_owned()}>{ preview }</q>
            if !props.relations.is_empty() {
                <span class="item-relations">{ props.relations.clone() }</span>
            }
        </li>
    }
}
