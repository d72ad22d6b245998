use std::collections::HashMap;

use yew::prelude::*;

use super::use_labels;
use crate::model::Tag;
use crate::ui::label_class;

/// Props of [`TagCounts`].
#[derive(Properties, PartialEq)]
pub struct TagCountsProps {
    /// Annotations per tag.
    pub counts: HashMap<Tag, usize>,
    /// The tag the list is filtered by, if any.
    pub filter: Option<Tag>,
    /// Filter the list by a tag (again on the same tag: no filter).
    pub on_filter: Callback<Option<Tag>>,
}

/// How many annotations carry each tag (each label, then tags without one: removed or from a
/// file); each count is a toggle that filters the list by it.
#[component]
pub fn TagCounts(props: &TagCountsProps) -> Html {
    let labels = use_labels();
    let mut tags: Vec<Tag> = labels.active().map(|l| l.tag.clone()).collect();
    let mut others: Vec<Tag> = props
        .counts
        .keys()
        .filter(|t| !tags.contains(t))
        .cloned()
        .collect();
    others.sort();
    tags.extend(others);
    html! {
        <ul class="tag-counts" aria-label="Annotations per tag">
            { for tags.iter().map(|tag| {
                let count = props.counts.get(tag).copied().unwrap_or(0);
                let pressed = props.filter.as_ref() == Some(tag);
                let name = labels.name_of(tag);
                let on_click = {
                    let (on_filter, tag) = (props.on_filter.clone(), tag.clone());
                    Callback::from(move |_: MouseEvent| on_filter.emit((!pressed).then(|| tag.clone())))
                };
                html! {
                    <li>
                        <button type="button" data-testid="filter-tag"
                            class={classes!("tag-count", label_class(&labels, tag))}
                            data-tag={tag.as_str().to_owned()} aria-pressed={pressed.to_string()}
                            title={format!("Show only {name} annotations")}
                            onclick={on_click}>
                            <span class="swatch" aria-hidden="true"></span>
                            <span class="tag-name">{ name }</span>
                            <span class="count">{ count }</span>
                        </button>
                    </li>
                }
            }) }
        </ul>
    }
}
