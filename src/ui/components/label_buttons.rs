use std::rc::Rc;

use yew::prelude::*;

use crate::model::{LabelSet, Tag};
use crate::ui::label_class;

/// The document set's labels, as the app provides them to every component; the default three
/// where no provider is (a component rendered alone, in a test).
#[hook]
pub fn use_labels() -> Rc<LabelSet> {
    use_context::<Rc<LabelSet>>().unwrap_or_default()
}

/// Props of [`LabelButtons`].
#[derive(Properties, PartialEq)]
pub struct LabelButtonsProps {
    /// Tag with the chosen label.
    pub on_tag: Callback<Tag>,
    /// Each button's `data-testid` is this and the label's id (`tag-` -> `tag-claim`).
    #[prop_or_default]
    pub testid_prefix: Option<AttrValue>,
    /// The tag shown pressed (the selected annotation's).
    #[prop_or_default]
    pub pressed: Option<Tag>,
    /// Every button disabled (nothing to tag).
    #[prop_or_default]
    pub disabled: bool,
    /// Show each label's key on its button.
    #[prop_or_default]
    pub show_keys: bool,
    /// A press leaves the text selection alone (a floating toolbar over it).
    #[prop_or_default]
    pub keep_selection: bool,
}

/// One button per active label: swatch, name and, when asked, its key.
#[component]
pub fn LabelButtons(props: &LabelButtonsProps) -> Html {
    let labels = use_labels();
    let buttons = labels.active().map(|label| {
        let (on_tag, chosen) = (props.on_tag.clone(), label.tag.clone());
        let keep_selection = props.keep_selection.then(|| {
            // A button press must not collapse the selection before the click.
            Callback::from(|event: MouseEvent| event.prevent_default())
        });
        // The guideline is the button's tooltip and accessible description.
        let title = match (label.description.is_empty(), label.key) {
            (false, _) => label.description.clone(),
            (true, Some(key)) => format!("{} ({key})", label.name),
            (true, None) => label.name.clone(),
        };
        let description = (!label.description.is_empty()).then(|| label.description.clone());
        let pressed = props
            .pressed
            .as_ref()
            .map(|tag| (*tag == label.tag).to_string());
        html! {
            <button type="button" class={classes!("tag-button", label_class(&labels, &label.tag))}
                    data-testid={props.testid_prefix.as_ref().map(|p| format!("{p}{}", label.tag))}
                    data-tag={label.tag.to_string()} aria-pressed={pressed}
                    disabled={props.disabled} {title} aria-description={description}
                    onmousedown={keep_selection}
                    onclick={Callback::from(move |_| on_tag.emit(chosen.clone()))}>
                <span class="swatch" aria-hidden="true"></span>
                { label.name.clone() }
                if let (true, Some(key)) = (props.show_keys, label.key) {
                    <kbd aria-hidden="true">{ key }</kbd>
                }
            </button>
        }
    });
    html! { <>{ for buttons }</> }
}
