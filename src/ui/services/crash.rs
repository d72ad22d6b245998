//! What the user sees when the app hits a bug (a Rust panic). The release build aborts on a
//! panic, so the notice is written straight into the page by the panic hook, without Yew.
//! Every change was saved when it was made, so nothing saved is touched: the notice says so.

use std::fmt::Write as _;

/// Installs the panic hook: the notice in the page, and the panic in the console.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let mut message = info.to_string();
        if message.is_empty() {
            let _ = write!(message, "unknown error");
        }
        web_sys::console::error_1(&format!("Marginalia panicked: {message}").into());
        show_notice(&message);
    }));
}

/// Puts the crash notice (`data-testid="crash-notice"`, `role="alert"`) at the top of the page,
/// as text (the message is never read as markup).
pub fn show_notice(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(notice) = document.create_element("div") else {
        return;
    };
    notice.set_class_name("crash-notice");
    let _ = notice.set_attribute("data-testid", "crash-notice");
    let _ = notice.set_attribute("role", "alert");
    notice.set_text_content(Some(&format!(
        "Marginalia stopped because of a bug ({message}). Everything up to your last change is \
         saved in this browser and nothing stored was touched: reload the page to go on."
    )));
    if let Some(body) = document.body() {
        let _ = body.prepend_with_node_1(&notice);
    }
}
