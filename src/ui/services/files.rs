//! Reading files the user picks or drops, and downloading exports.

use wasm_bindgen::JsCast;

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The browser could not read it.
    #[error("the browser could not read the file ({0})")]
    Unreadable(String),
}

/// Reads a file's bytes as they are (an import file may be a zip).
pub async fn read_bytes(file: web_sys::File) -> Result<Vec<u8>, ReadError> {
    let blob = gloo_file::Blob::from(file);
    gloo_file::futures::read_as_bytes(&blob)
        .await
        .map_err(|e| ReadError::Unreadable(e.to_string()))
}

/// Offers `bytes` as a download named `file_name`.
pub fn download(
    file_name: &str,
    mime_type: &str,
    bytes: &js_sys::Uint8Array,
) -> Result<(), String> {
    let document = gloo_utils::document();
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime_type);
    let parts = js_sys::Array::of1(bytes);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // The click has started the download; the URL can go once the event loop moves on.
    gloo_timers::callback::Timeout::new(1_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
