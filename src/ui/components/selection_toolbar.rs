use yew::prelude::*;

use super::LabelButtons;
use crate::model::Tag;
use crate::ui::hooks::ToolbarAnchor;

/// Props of [`SelectionToolbar`].
#[derive(Properties, PartialEq)]
pub struct SelectionToolbarProps {
    /// Where the selection is; no toolbar without one.
    pub anchor: Option<ToolbarAnchor>,
    /// Tag the selection.
    pub on_tag: Callback<Tag>,
}

/// The small floating toolbar above a text selection: a button per label.
#[component]
pub fn SelectionToolbar(props: &SelectionToolbarProps) -> Html {
    let Some(anchor) = props.anchor else {
        return html! {};
    };
    let style = format!("left: {:.0}px; top: {:.0}px;", anchor.x, anchor.y);
    html! {
        <div class="selection-toolbar" role="toolbar" aria-label="Tag the selection" {style}>
            <LabelButtons on_tag={props.on_tag.clone()} testid_prefix="tag-" show_keys=true keep_selection=true />
        </div>
    }
}
