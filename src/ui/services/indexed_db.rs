//! Document texts too large for local storage live in IndexedDB (database `marginalia`, object
//! store `texts`, keyed by document id). Local storage holds a few megabytes per site; a
//! 1,000,000-word article alone is about 6 MB, while IndexedDB takes hundreds. Bound by hand with
//! web-sys (four requests wrapped in promises) rather than through a crate: the crates for it
//! bring an async runtime along, and this needs only `put`, `get` and `delete` of one string.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransactionMode};

use super::storage::StorageFault;

const DATABASE: &str = "marginalia";
const TEXTS: &str = "texts";

/// The result of `request`, once it succeeds.
async fn settled(request: &IdbRequest) -> Result<JsValue, StorageFault> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let (request_ok, request_err) = (request.clone(), request.clone());
        let on_success = Closure::once_into_js(move || {
            let _ = resolve.call1(
                &JsValue::NULL,
                &request_ok.result().unwrap_or(JsValue::UNDEFINED),
            );
        });
        let on_error = Closure::once_into_js(move || {
            let error = request_err.error().ok().flatten();
            let _ = reject.call1(&JsValue::NULL, &error.map_or(JsValue::NULL, JsValue::from));
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(fault)
}

fn fault(error: JsValue) -> StorageFault {
    let name = error
        .dyn_ref::<web_sys::DomException>()
        .map(web_sys::DomException::name)
        .unwrap_or_default();
    if name == "QuotaExceededError" {
        StorageFault::Full
    } else if error.is_null() || name.is_empty() {
        StorageFault::WriteFailed("IndexedDB refused the request".into())
    } else {
        StorageFault::WriteFailed(format!("IndexedDB: {name}"))
    }
}

/// Opens (creating on first use) the database.
async fn open() -> Result<IdbDatabase, StorageFault> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or(StorageFault::Unavailable)?;
    let request = factory.open_with_u32(DATABASE, 1).map_err(fault)?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let database = event
            .target()
            .and_then(|t| t.dyn_into::<IdbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
        if let Some(database) = database {
            let _ = database.create_object_store(TEXTS);
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let database = settled(&request).await;
    request.set_onupgradeneeded(None);
    drop(upgrade);
    database?.dyn_into().map_err(fault)
}

/// Stores a document's text; resolves once the transaction has committed it.
pub async fn save_text(id: &str, text: &str) -> Result<(), StorageFault> {
    let database = open().await?;
    let transaction = database
        .transaction_with_str_and_mode(TEXTS, IdbTransactionMode::Readwrite)
        .map_err(fault)?;
    let committed = js_sys::Promise::new(&mut |resolve, reject| {
        let on_complete = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let failed = transaction.clone();
        let on_error = Closure::once_into_js(move || {
            let error = failed.error();
            let _ = reject.call1(&JsValue::NULL, &error.map_or(JsValue::NULL, JsValue::from));
        });
        transaction.set_oncomplete(Some(on_complete.unchecked_ref()));
        transaction.set_onerror(Some(on_error.unchecked_ref()));
        transaction.set_onabort(Some(on_error.unchecked_ref()));
    });
    transaction
        .object_store(TEXTS)
        .and_then(|store| store.put_with_key(&JsValue::from_str(text), &JsValue::from_str(id)))
        .map_err(fault)?;
    JsFuture::from(committed).await.map(drop).map_err(fault)
}

/// Deletes a document's text, if it is stored here.
pub async fn delete_text(id: &str) -> Result<(), StorageFault> {
    let database = open().await?;
    let transaction = database
        .transaction_with_str_and_mode(TEXTS, IdbTransactionMode::Readwrite)
        .map_err(fault)?;
    let request = transaction
        .object_store(TEXTS)
        .and_then(|store| store.delete(&JsValue::from_str(id)))
        .map_err(fault)?;
    settled(&request).await.map(drop)
}

/// A document's text, if it is stored here.
pub async fn load_text(id: &str) -> Result<Option<String>, StorageFault> {
    let database = open().await?;
    let transaction = database.transaction_with_str(TEXTS).map_err(fault)?;
    let request = transaction
        .object_store(TEXTS)
        .and_then(|store| store.get(&JsValue::from_str(id)))
        .map_err(fault)?;
    Ok(settled(&request).await?.as_string())
}
