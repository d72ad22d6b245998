use wasm_bindgen::JsCast;
use yew::prelude::*;

/// What can take focus inside a dialog.
const FOCUSABLE: &str = "button:not([disabled]), input:not([disabled]), select:not([disabled]), \
                         textarea:not([disabled]), a[href], [tabindex]:not([tabindex='-1'])";

/// Keeps Tab and Shift+Tab inside a modal dialog (`aria-modal`): from its last control Tab goes
/// to its first, and Shift+Tab from the first to the last, as the ARIA dialog pattern asks;
/// the page behind is not reachable until the dialog closes. Returns the `keydown` handler to
/// put on the dialog element `dialog`.
#[hook]
pub fn use_focus_trap(dialog: NodeRef) -> Callback<KeyboardEvent> {
    use_callback((), move |event: KeyboardEvent, _| {
        if event.key() != "Tab" {
            return;
        }
        let Some(dialog) = dialog.cast::<web_sys::Element>() else {
            return;
        };
        let Ok(controls) = dialog.query_selector_all(FOCUSABLE) else {
            return;
        };
        let control = |index: u32| {
            controls
                .get(index)
                .and_then(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        };
        let (Some(first), Some(last)) = (
            control(0),
            controls.length().checked_sub(1).and_then(control),
        ) else {
            return;
        };
        let active = gloo_utils::document().active_element();
        let at = |element: &web_sys::HtmlElement| {
            active
                .as_ref()
                .is_some_and(|a| a.is_same_node(Some(element)))
        };
        let outside = !active.as_ref().is_some_and(|a| dialog.contains(Some(a)));
        let wrap_to = if event.shift_key() {
            (at(&first) || outside).then_some(last)
        } else {
            (at(&last) || outside).then_some(first)
        };
        if let Some(target) = wrap_to {
            event.prevent_default();
            let _ = target.focus();
        }
    })
}
