//! Storage that never loses work: an old local-storage library upgraded (with a tab of the old
//! version still writing), and two real tabs of one browser through the cases that lost work
//! before IndexedDB records (see the storage issue's eight scenarios).

use serde_json::{json, Value};

use super::{open_app, open_text_document, ONE_BROWSER, SECOND};
use crate::harness::{base_url, Browser};
use marginalia::model::Document;

/// The schema-2 local storage of `tests/fixtures/schema2-local-storage.json`.
fn old_local_storage() -> serde_json::Map<String, Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/schema2-local-storage.json"
    );
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    fixture["local_storage"].as_object().unwrap().clone()
}

/// A page of the app's origin that does not run the app (the static server's 404 page): where
/// a test writes storage as another program, or an old version of the app, would.
fn bare_page() -> String {
    format!("{}/not-the-app", base_url())
}

/// The names and counts in the document list, in order.
const DOCUMENTS: &str =
    "[...document.querySelectorAll('[data-testid=document]')].map(d => [d.dataset.name, d.dataset.count])";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_library_upgrades_once_and_an_old_tab_still_open_loses_nothing() {
    let _one = ONE_BROWSER.lock().await;
    let browser = Browser::start().await;
    let stored = old_local_storage();
    browser.client.goto(&bare_page()).await.unwrap();
    browser
        .client
        .execute(
            "for (const [key, value] of Object.entries(arguments[0])) localStorage.setItem(key, value); return true;",
            vec![Value::Object(stored.clone())],
        )
        .await
        .unwrap();

    // The app moves it into IndexedDB once, reads it back, and only then drops the old keys.
    browser.open_app().await;
    browser
        .wait_until(
            DOCUMENTS,
            json!([["council.txt", "2"], ["minister.txt", "1"]]),
        )
        .await;
    browser.wait_for_count(2).await;
    let shown = browser
        .eval(
            "[document.querySelector('[data-testid=orphan-list]').dataset.count, \
              document.querySelector('[data-testid=document-deleted]')?.textContent, \
              document.querySelector('[data-testid=undo]').disabled, \
              document.querySelector('[data-testid=document-done]:checked') !== null, \
              document.querySelector('[data-testid=filter-tag][data-tag=named-source]') !== null]",
        )
        .await;
    assert_eq!(
        shown,
        json!(["1", "Deleted old.txt.Undo", false, true, true])
    );
    let left = browser
        .eval("Object.keys(localStorage).filter(k => k.startsWith('marginalia:') && !k.startsWith('marginalia:setting:'))")
        .await;
    assert_eq!(left, json!([]));
    // The note and the schema-1 document came along.
    let council = Document::from_raw(
        stored["marginalia:doc:ad9b14e0eec61b17:text"]
            .as_str()
            .unwrap(),
    );
    let council_id = council.sha256().to_owned();
    assert_eq!(
        browser
            .stored_keys(&format!("ann/{council_id}/"))
            .await
            .len(),
        2
    );
    browser
        .click("[data-testid=document][data-name='minister.txt']")
        .await;
    browser.wait_for_count(1).await;
    browser
        .click("[data-testid=document][data-name='council.txt']")
        .await;
    browser.wait_for_count(2).await;

    // A tab of the old version, still open, writes a chunk with one more annotation: it is
    // brought over under the migrated id, and is there after a reload.
    let app = browser.client.window().await.unwrap();
    let old_tab = browser.client.new_window(true).await.unwrap().handle;
    browser.switch_to(&old_tab).await;
    browser.client.goto(&bare_page()).await.unwrap();
    let chunk = stored["marginalia:doc:ad9b14e0eec61b17:chunk:5"]
        .as_str()
        .unwrap();
    let mut annotations: Vec<Value> = serde_json::from_str(chunk).unwrap();
    annotations.push(
        json!({"id": "old-tab-1", "start": 0, "end": 3, "tag": "claim",
        "created": "2026-12-01T09:00:00.000Z", "modified": "2026-12-01T09:00:00.000Z"}),
    );
    browser
        .client
        .execute(
            "localStorage.setItem('marginalia:doc:ad9b14e0eec61b17:chunk:5', arguments[0]); return true;",
            vec![json!(serde_json::to_string(&annotations).unwrap())],
        )
        .await
        .unwrap();
    browser.switch_to(&app).await;
    browser.wait_for_count(3).await;
    browser.reload().await;
    browser.wait_for("[data-testid=article] p").await;
    browser.wait_for_count(3).await;
    browser
        .wait_until(
            DOCUMENTS,
            json!([["council.txt", "3"], ["minister.txt", "1"]]),
        )
        .await;
    browser.screenshot("30-upgraded").await;
    browser.stop().await;
}

/// Waits until the list of annotations not placed holds `count`.
async fn wait_for_orphans(browser: &Browser, count: usize) {
    browser
        .wait_until(
            "document.querySelector('[data-testid=orphan-list]')?.dataset.count",
            json!(count.to_string()),
        )
        .await;
}

/// An import file of one annotation whose quote is not in the document: it stays an orphan.
fn orphan_file(quote: &str) -> tempfile::NamedTempFile {
    let text = format!("Elsewhere: {quote}.");
    let file = json!({
        "format": "marginalia", "version": 1, "text": text,
        "annotations": [{"start": 11, "end": 11 + quote.chars().count(), "tag": "claim", "quote": quote}],
    });
    let import = tempfile::Builder::new().suffix(".json").tempfile().unwrap();
    std::fs::write(import.path(), file.to_string()).unwrap();
    import
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tabs_lose_nothing_through_deletion_renames_imports_and_bad_records() {
    let (_one, browser) = open_app().await;
    let a = browser.client.window().await.unwrap();
    open_text_document(&browser, "second", SECOND, 2).await;
    let second_id = Document::from_raw(SECOND).sha256().to_owned();
    // Tab B opens on the current document, the second one.
    let b = browser.client.new_window(true).await.unwrap().handle;
    browser.switch_to(&b).await;
    browser.open_app().await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=document][aria-current=true]').dataset.name",
            json!("second.txt"),
        )
        .await;

    // 1. A deletes the document B works on: B keeps it (and says so), A's list gets it back,
    // and the next deletion in A purges nothing of it.
    browser.switch_to(&a).await;
    browser
        .click("[data-testid=document][data-name='sample-article.txt']")
        .await;
    browser
        .wait_for("[data-testid=document][aria-current=true][data-name='sample-article.txt']")
        .await;
    browser
        .click("[data-testid=document][data-name='second.txt'] ~ [data-testid=document-delete]")
        .await;
    browser.switch_to(&b).await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=status]').textContent.includes('deleted in another tab while it is open here')",
            json!(true),
        )
        .await;
    browser.tag("would only decide", '3', 1).await;
    browser.wait_saved().await;
    browser.switch_to(&a).await;
    browser.wait_for_documents(2).await;
    open_text_document(&browser, "third", "A third text to delete.", 3).await;
    browser
        .click("[data-testid=document][data-name='sample-article.txt']")
        .await;
    browser
        .click("[data-testid=document][data-name='third.txt'] ~ [data-testid=document-delete]")
        .await;
    browser.wait_for_documents(2).await;
    browser.reload().await;
    browser.wait_for("[data-testid=article] p").await;
    browser
        .wait_until(
            DOCUMENTS,
            json!([["sample-article.txt", "0"], ["second.txt", "1"]]),
        )
        .await;

    // 6. A renames the second document, marks it done and renames a label; B, which tags on,
    // does not put any of it back, and shows it.
    browser
        .click(
            "[data-testid=document][data-name='second.txt'] ~ [data-testid=document-rename-start]",
        )
        .await;
    browser
        .wait_for("[data-testid=document-rename]")
        .await
        .send_keys("renamed.txt\u{E007}")
        .await
        .unwrap();
    browser
        .wait_for("[data-testid=document][data-name='renamed.txt']")
        .await;
    browser
        .click(
            "li:has([data-testid=document][data-name='renamed.txt']) [data-testid=document-done]",
        )
        .await;
    browser.click("[data-testid=edit-labels]").await;
    browser
        .wait_for("[data-testid=label][data-tag=claim] [data-testid=label-name]")
        .await
        .send_keys("\u{E009}a\u{E000}Assertion\u{E004}")
        .await
        .unwrap();
    browser.click("[data-testid=label-editor-close]").await;
    browser.switch_to(&b).await;
    browser
        .wait_for("[data-testid=document][data-name='renamed.txt']")
        .await;
    browser.tag("A second article", '1', 2).await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=filter-tag][data-tag=claim]').textContent.includes('Assertion')",
            json!(true),
        )
        .await;
    for tab in [&a, &b] {
        browser.switch_to(tab).await;
        browser.reload().await;
        browser.wait_for("[data-testid=article] p").await;
        browser
            .wait_until(
                "[document.querySelector('[data-testid=document][data-name=\"renamed.txt\"]')?.dataset.count, \
                  document.querySelector('li:has([data-name=\"renamed.txt\"]) [data-testid=document-done]')?.checked, \
                  document.querySelector('[data-testid=filter-tag][data-tag=claim]')?.textContent.includes('Assertion')]",
                json!(["2", true, true]),
            )
            .await;
    }

    // 3. Each tab imports a file that leaves an orphan: both orphans are kept.
    browser.switch_to(&a).await;
    browser
        .click("[data-testid=document][data-name='renamed.txt']")
        .await;
    browser.wait_for_count(2).await;
    let (first, second) = (
        orphan_file("the first missing quote"),
        orphan_file("another missing quote"),
    );
    browser
        .choose_file("import-annotations", first.path())
        .await;
    wait_for_orphans(&browser, 1).await;
    // (B's reload opened the document A had open last: the current document is the
    // browser's, not the tab's.)
    browser.switch_to(&b).await;
    browser
        .click("[data-testid=document][data-name='renamed.txt']")
        .await;
    wait_for_orphans(&browser, 1).await;
    browser
        .choose_file("import-annotations", second.path())
        .await;
    wait_for_orphans(&browser, 2).await;
    browser.switch_to(&a).await;
    wait_for_orphans(&browser, 2).await;
    browser.reload().await;
    browser.wait_for("[data-testid=article] p").await;
    wait_for_orphans(&browser, 2).await;

    // 2 and 7. A record that cannot be read, and a label of a colour from a newer version, are
    // planted in storage: the unreadable one is kept aside and reported, never taken as a
    // deletion; the label shows; everything else loads, and B's next annotation is saved.
    let keys = browser.stored_keys(&format!("ann/{second_id}/")).await;
    assert_eq!(keys.len(), 2, "{keys:?}");
    browser
        .client
        .execute_async(
            "const [key, done] = arguments; const open = indexedDB.open('marginalia-records'); \
             open.onsuccess = () => { const t = open.result.transaction('records', 'readwrite'); \
               const store = t.objectStore('records'); store.put('{broken', key); \
               store.put(JSON.stringify({key: 'label/ultra', rev: {time: 1, tab: 1}, schema: 3, \
                 value: {tag: 'ultra', name: 'Ultra', colour: 'ultraviolet', order: 9}}), 'label/ultra'); \
               t.oncomplete = () => { open.result.close(); done(true); }; };",
            vec![json!(keys[0])],
        )
        .await
        .unwrap();
    // (With the mouse: after choosing a file, the key focus may stay with the file input.)
    browser.switch_to(&b).await;
    browser.drag_select("The minister").await;
    browser.click("[data-testid=tag-quote]").await;
    browser.wait_for_count(3).await;
    browser.switch_to(&a).await;
    browser.reload().await;
    browser.wait_for("[data-testid=article] p").await;
    browser.wait_for_count(2).await;
    let status = browser
        .eval("document.querySelector('[data-testid=status]').textContent")
        .await;
    assert!(status.as_str().unwrap().contains("kept aside"), "{status}");
    assert!(
        browser.stored_keys(&keys[0]).await.len() == 1,
        "the unreadable record is still there"
    );
    browser
        .wait_for("[data-testid=filter-tag][data-tag=ultra]")
        .await;
    browser.wait_for_documents(2).await;

    // 8. The storage used and the quota are shown below the document list.
    let usage = browser
        .eval(
            "(u => [+u.dataset.used > 0, +u.dataset.quota > 0, ['true', 'false'].includes(u.dataset.persisted), u.dataset.warning])\
             (document.querySelector('[data-testid=storage-usage]'))",
        )
        .await;
    assert_eq!(usage, json!([true, true, true, "false"]));
    browser.screenshot("31-two-tabs-after-all").await;
    browser.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_note_being_typed_is_not_overwritten_by_another_tabs_edit() {
    let (_one, browser) = open_app().await;
    browser.tag("Flooding along the estuary", '1', 1).await;
    browser.click("[data-testid=annotation]").await;
    let note = browser.wait_for("[data-testid=note]").await;
    note.click().await.unwrap();
    note.send_keys("mine").await.unwrap();
    browser.wait_saved().await;
    // Another tab stores its own note for the same annotation and announces it (written here
    // as that tab would, through IndexedDB and the channel, with a later revision).
    let key = browser.stored_keys("ann/").await.remove(0);
    browser
        .client
        .execute_async(
            "const [key, done] = arguments; const open = indexedDB.open('marginalia-records'); \
             open.onsuccess = () => { const db = open.result; const t = db.transaction('records', 'readwrite'); \
               const store = t.objectStore('records'); const read = store.get(key); \
               read.onsuccess = () => { const record = JSON.parse(read.result); \
                 record.value.note = 'theirs'; record.rev = { time: record.rev.time + 60000, tab: 7 }; \
                 store.put(JSON.stringify(record), key); }; \
               t.oncomplete = () => { db.close(); \
                 new BroadcastChannel('marginalia-records').postMessage(JSON.stringify({ tab: 7, keys: [key] })); \
                 done(true); }; };",
            vec![json!(key)],
        )
        .await
        .unwrap();
    // The other tab's note reaches the list, but the field being typed in keeps what is typed.
    browser
        .wait_until(
            "document.querySelector('[data-testid=annotation]').textContent.includes('theirs')",
            json!(true),
        )
        .await;
    assert_eq!(
        browser
            .eval("document.querySelector('[data-testid=note]').value")
            .await,
        json!("mine")
    );
    // The next keystroke saves what the field holds, which wins (its revision is later).
    browser
        .wait_for("[data-testid=note]")
        .await
        .send_keys("!")
        .await
        .unwrap();
    browser.wait_saved().await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=annotation]').textContent.includes('mine!')",
            json!(true),
        )
        .await;
    browser.reload().await;
    browser.wait_for("[data-testid=article] p").await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=annotation]')?.textContent.includes('mine!') ?? false",
            json!(true),
        )
        .await;
    browser.stop().await;
}
