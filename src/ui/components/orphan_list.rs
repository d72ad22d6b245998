use std::rc::Rc;

use yew::prelude::*;

use super::use_labels;
use crate::model::{AnnotationId, Orphan};
use crate::ui::label_class;

/// Props of [`OrphanList`].
#[derive(Properties, PartialEq)]
pub struct OrphanListProps {
    /// The orphans, by recorded start.
    pub orphans: Rc<[Rc<Orphan>]>,
    /// Whether there is a text selection to place one at.
    pub can_place: bool,
    /// Place an orphan at the text selection.
    pub on_place: Callback<AnnotationId>,
    /// Discard an orphan.
    pub on_discard: Callback<AnnotationId>,
}

/// Imported annotations that could not be placed: each with its quote, placed by hand (select
/// the text, then Place) or discarded. Hidden when there are none.
#[component]
pub fn OrphanList(props: &OrphanListProps) -> Html {
    let labels = use_labels();
    if props.orphans.is_empty() {
        return html! { <div data-testid="orphan-list" data-count="0" hidden=true></div> };
    }
    let items = props.orphans.iter().map(|orphan| {
        let annotation = &orphan.annotation;
        let id = annotation.id.clone();
        let (on_place, on_discard) = (props.on_place.clone(), props.on_discard.clone());
        let place_id = id.clone();
        html! {
            <li key={id.as_str()} data-testid="orphan" data-id={id.to_string()}
                class={classes!("orphan", label_class(&labels, &annotation.tag))}>
                <span class="tag-badge"><span class="swatch" aria-hidden="true"></span>{ labels.name_of(&annotation.tag) }</span>
                <q class="quote">{ orphan.quote.clone().unwrap_or_else(|| format!("(no quote; was at {}–{})", annotation.span.start, annotation.span.end)) }</q>
                <span class="orphan-actions">
                    <button type="button" disabled={!props.can_place}
                            title="Select the text where it belongs, then place it there"
                            onmousedown={Callback::from(|event: MouseEvent| event.prevent_default())}
                            onclick={Callback::from(move |_| on_place.emit(place_id.clone()))}>{ "Place at selection" }</button>
                    <button type="button" class="danger" onclick={Callback::from(move |_| on_discard.emit(id.clone()))}>{ "Discard" }</button>
                </span>
            </li>
        }
    });
    html! {
        <section class="panel orphans" aria-label="Annotations that could not be placed">
            <h2>{ format!("Not placed ({})", props.orphans.len()) }</h2>
            <p class="hint">{ "These imported annotations did not match this text with confidence. Select where one belongs and choose Place, or discard it." }</p>
            <ul data-testid="orphan-list" class="orphan-list" data-count={props.orphans.len().to_string()}>
                { for items }
            </ul>
        </section>
    }
}
