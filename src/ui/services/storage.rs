//! Local storage, which now holds only small settings (`marginalia:setting:<name>`: theme,
//! snapping, the current document), and the old layouts' keys until they are migrated; and the
//! browser's storage manager (quota, persistence).

use std::collections::BTreeMap;

use wasm_bindgen_futures::JsFuture;

use crate::persist::migrate::LEGACY_PREFIX;

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn setting_key(name: &str) -> String {
    format!("marginalia:setting:{name}")
}

/// A preference the user set (`theme`, `snap-words`, `current`), if any.
pub fn load_setting(name: &str) -> Option<String> {
    local_storage()?.get_item(&setting_key(name)).ok().flatten()
}

/// Remembers a preference; false when local storage refused it (a preference is not work:
/// losing one is not worth an alarm).
pub fn save_setting(name: &str, value: &str) -> bool {
    local_storage().is_some_and(|s| s.set_item(&setting_key(name), value).is_ok())
}

/// Every key of the old layouts (`marginalia:` but not a setting) with its value.
pub fn legacy_keys() -> BTreeMap<String, String> {
    let Some(storage) = local_storage() else {
        return BTreeMap::new();
    };
    (0..storage.length().unwrap_or(0))
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|key| key.starts_with(LEGACY_PREFIX) && !key.starts_with("marginalia:setting:"))
        .filter_map(|key| {
            let value = storage.get_item(&key).ok().flatten()?;
            Some((key, value))
        })
        .collect()
}

/// Removes old-layout keys (once their migrated copy was read back and compared).
pub fn remove_legacy_keys<'a>(keys: impl IntoIterator<Item = &'a String>) {
    if let Some(storage) = local_storage() {
        for key in keys {
            let _ = storage.remove_item(key);
        }
    }
}

/// Space used and the quota, in bytes, and whether the browser keeps the data for good.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Usage {
    /// Bytes used by this site.
    pub used: f64,
    /// Bytes this site may use.
    pub quota: f64,
    /// Granted persistent storage (not evicted under pressure).
    pub persisted: bool,
}

impl Usage {
    /// More than 90% of the quota used.
    pub fn nearly_full(&self) -> bool {
        self.quota > 0.0 && self.used > 0.9 * self.quota
    }
}

fn storage_manager() -> Option<web_sys::StorageManager> {
    web_sys::window().map(|w| w.navigator().storage())
}

async fn promised(
    promise: Result<js_sys::Promise, wasm_bindgen::JsValue>,
) -> Option<wasm_bindgen::JsValue> {
    JsFuture::from(promise.ok()?).await.ok()
}

/// `navigator.storage.estimate()` and `persisted()`.
pub async fn usage() -> Option<Usage> {
    let manager = storage_manager()?;
    let estimate = promised(manager.estimate()).await?;
    let number = |name: &str| {
        js_sys::Reflect::get(&estimate, &name.into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0)
    };
    let persisted = promised(manager.persisted())
        .await
        .and_then(|v| v.as_bool());
    Some(Usage {
        used: number("usage"),
        quota: number("quota"),
        persisted: persisted.unwrap_or(false),
    })
}

/// Asks the browser to keep this site's data (`navigator.storage.persist()`); whether granted.
pub async fn ask_to_persist() -> bool {
    let Some(manager) = storage_manager() else {
        return false;
    };
    promised(manager.persist())
        .await
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}
