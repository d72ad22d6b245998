//! The texts the old layout (schema 2) kept in IndexedDB when local storage was too small:
//! database `marginalia`, object store `texts`, keyed by the old 16-digit id. Read once by the
//! migration and left in place as a backup.

use std::collections::HashMap;

use idb::{DatabaseEvent, Factory, TransactionMode};
use wasm_bindgen::JsValue;

/// The old texts of `ids` that are there. The old database is never created here: when it does
/// not exist, nothing is read.
pub async fn load(ids: &[String]) -> HashMap<String, String> {
    let mut texts = HashMap::new();
    let Ok(factory) = Factory::new() else {
        return texts;
    };
    let Ok(mut request) = factory.open("marginalia", None) else {
        return texts;
    };
    // Opening a database that did not exist creates it empty (version 1): give it the store the
    // old version expects, so an old tab still open works on.
    request.on_upgrade_needed(|event| {
        if let Ok(database) = event.database() {
            let _ = database.create_object_store("texts", idb::ObjectStoreParams::new());
        }
    });
    let Ok(database) = request.await else {
        return texts;
    };
    let Ok(transaction) = database.transaction(&["texts"], TransactionMode::ReadOnly) else {
        return texts;
    };
    let Ok(store) = transaction.object_store("texts") else {
        return texts;
    };
    for id in ids {
        if let Ok(read) = store.get(JsValue::from_str(id)) {
            if let Ok(Some(text)) = read.await {
                if let Some(text) = text.as_string() {
                    texts.insert(id.clone(), text);
                }
            }
        }
    }
    database.close();
    texts
}
