use yew::prelude::*;

use super::use_labels;
use crate::ui::hooks::Hovered;
use crate::ui::label_class;

/// Props of [`HoverCard`].
#[derive(Properties, PartialEq)]
pub struct HoverCardProps {
    /// What the pointer rests on.
    pub hovered: Hovered,
}

/// A small card by the pointer naming each annotation under it (outermost first) with its tag
/// and note, so nested and overlapping spans can be told apart without clicking.
#[component]
pub fn HoverCard(props: &HoverCardProps) -> Html {
    let labels = use_labels();
    let style = format!(
        "left: {:.0}px; top: {:.0}px;",
        props.hovered.x, props.hovered.y
    );
    let items = props.hovered.annotations.iter().map(|annotation| {
        html! {
            <li class={classes!("hover-item", label_class(&labels, &annotation.tag))}>
                <span class="swatch" aria-hidden="true"></span>
                <span class="hover-tag">{ labels.name_of(&annotation.tag) }</span>
                if !annotation.note.is_empty() {
                    <span class="hover-note">{ annotation.note.clone() }</span>
                }
                if let Some(label) = labels.get(&annotation.tag).filter(|l| !l.description.is_empty()) {
                    <span class="hover-guideline">{ label.description.clone() }</span>
                }
            </li>
        }
    });
    html! {
        <ul class="hover-card" role="tooltip" data-testid="hover-card" {style}>
            { for items }
        </ul>
    }
}
