use yew::prelude::*;

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

/// The small floating toolbar above a text selection: Claim, Quote, Condition.
#[component]
pub fn SelectionToolbar(props: &SelectionToolbarProps) -> Html {
    let Some(anchor) = props.anchor else {
        return html! {};
    };
    let style = format!("left: {:.0}px; top: {:.0}px;", anchor.x, anchor.y);
    let buttons = Tag::BUILT_IN.iter().enumerate().map(|(index, tag)| {
        let on_tag = props.on_tag.clone();
        let chosen = tag.clone();
        // Keep the text selection: a button press must not collapse it before the click.
        let keep_selection = Callback::from(|event: MouseEvent| event.prevent_default());
        html! {
            <button type="button" class={classes!("tag-button", format!("tag-{}", tag.as_str()))}
                    data-testid={format!("tag-{}", tag.as_str())}
                    onmousedown={keep_selection}
                    onclick={Callback::from(move |_| on_tag.emit(chosen.clone()))}
                    title={format!("Tag as {} ({})", tag.display_name(), index + 1)}>
                <span class="swatch" aria-hidden="true"></span>
                { tag.display_name() }
                <kbd aria-hidden="true">{ index + 1 }</kbd>
            </button>
        }
    });
    html! {
        <div class="selection-toolbar" role="toolbar" aria-label="Tag the selection" {style}>
            { for buttons }
        </div>
    }
}
