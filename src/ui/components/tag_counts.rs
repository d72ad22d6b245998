use std::collections::HashMap;

use yew::prelude::*;

use crate::model::Tag;

/// Props of [`TagCounts`].
#[derive(Properties, PartialEq)]
pub struct TagCountsProps {
    /// Annotations per tag.
    pub counts: HashMap<Tag, usize>,
}

/// How many annotations carry each tag.
#[component]
pub fn TagCounts(props: &TagCountsProps) -> Html {
    let mut tags: Vec<Tag> = Tag::BUILT_IN.to_vec();
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
                html! {
                    <li class={classes!("tag-count", format!("tag-{}", crate::ui::tag_class(tag)))}
                        data-tag={tag.as_str().to_owned()}>
                        <span class="swatch" aria-hidden="true"></span>
                        <span class="tag-name">{ tag.display_name() }</span>
                        <span class="count">{ count }</span>
                    </li>
                }
            }) }
        </ul>
    }
}
