//! Suggestions accepted and rejected by keyboard and mouse, undone, measured per source, from a
//! pattern file too, and kept across a reload (the suggestions issue).

use serde_json::{json, Value};

use super::open_app;
use crate::harness::{Browser, SHIFT};

/// `data-count` of the suggestion list.
const COUNT: &str = "+document.querySelector('[data-testid=suggestion-list]')?.dataset.count";

/// The selected suggestion's `[start, end, tag]`.
const SELECTED: &str = "(e => e && [+e.dataset.start, +e.dataset.end, e.dataset.tag])(document.querySelector('[data-testid=suggestion][aria-selected=true]'))";

async fn count(browser: &Browser) -> u64 {
    browser.eval(COUNT).await.as_u64().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suggestions_are_accepted_rejected_undone_and_kept_across_a_reload() {
    let (_one, browser) = open_app().await;
    // Off by default.
    assert_eq!(browser.eval(COUNT).await, json!(null));
    browser.click("[data-testid=suggestions-toggle]").await;
    browser
        .wait_until(&format!("{COUNT} > 5"), json!(true))
        .await;
    let sources = browser
        .eval("[...new Set([...document.querySelectorAll('[data-testid=suggestion]')].map(s => s.dataset.source))]")
        .await;
    assert_eq!(sources, json!(["cues"]));
    let tags = browser
        .eval("[...new Set([...document.querySelectorAll('[data-testid=suggestion]')].map(s => s.dataset.tag))].sort()")
        .await;
    assert_eq!(tags, json!(["condition", "quote", "source"]));
    let before = count(&browser).await;

    // n selects the first (in document order); a accepts it: one more annotation, one fewer
    // suggestion; Ctrl+Z brings it back.
    browser.press('n').await;
    browser
        .wait_until(&format!("{SELECTED} !== null"), json!(true))
        .await;
    let first: Value = browser.eval(SELECTED).await;
    browser.screenshot("suggestion-selected").await;
    browser.press('a').await;
    browser.wait_for_count(1).await;
    browser.wait_until(COUNT, json!(before - 1)).await;
    let annotation = browser
        .eval("(e => [+e.dataset.start, +e.dataset.end, e.dataset.tag])(document.querySelector('[data-testid=annotation]'))")
        .await;
    assert_eq!(annotation, first);
    browser.press_ctrl('z').await;
    browser.wait_for_count(0).await;
    browser.wait_until(COUNT, json!(before)).await;

    // x rejects the selected one; undo brings it back; x again, and it stays rejected.
    browser.press('n').await;
    browser
        .wait_until(&format!("{SELECTED} !== null"), json!(true))
        .await;
    let rejected = browser.eval(SELECTED).await;
    browser.press('x').await;
    browser.wait_until(COUNT, json!(before - 1)).await;
    browser.press_ctrl('z').await;
    browser.wait_until(COUNT, json!(before)).await;
    browser
        .click(&format!(
            "[data-testid=suggestion][data-start='{}'][data-tag='{}']",
            rejected[0],
            rejected[2].as_str().unwrap()
        ))
        .await;
    browser.press('x').await;
    browser.wait_until(COUNT, json!(before - 1)).await;

    // The mouse: a suggestion's ✓ in the list accepts it.
    browser
        .click("[data-testid=suggestion] [data-testid=suggestion-accept]")
        .await;
    browser.wait_for_count(1).await;
    browser.wait_until(COUNT, json!(before - 2)).await;

    // Shift+A accepts every open suggestion of the selected one's label.
    browser
        .click("[data-testid=suggestion][data-tag=condition]")
        .await;
    let conditions = browser
        .eval("document.querySelectorAll('[data-testid=suggestion][data-tag=condition]').length")
        .await
        .as_u64()
        .unwrap();
    browser.press_chord(&[SHIFT], 'A').await;
    browser
        .wait_until(
            "document.querySelectorAll('[data-testid=suggestion][data-tag=condition]').length",
            json!(0),
        )
        .await;
    assert_eq!(browser.annotation_count().await as u64, 1 + conditions);

    // Each source's precision and recall against the annotations.
    let stats = browser
        .eval("[...document.querySelectorAll('[data-testid=suggestion-source]')].map(s => [s.dataset.source, +s.dataset.precision > 0, s.dataset.recall])")
        .await;
    assert_eq!(stats[0][0], json!("cues"));
    assert_eq!(stats[0][1], json!(true));

    // A pattern file with a bad line is refused whole, naming the line; a good one suggests.
    let folder = tempfile::tempdir().unwrap();
    let bad = folder.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"label\": \"ORG\", \"pattern\": \"Port Alder\"}\n{\"label\": \"ORG\", \"pattern\": [{\"POS\": \"NOUN\"}]}\n",
    )
    .unwrap();
    browser.choose_file("suggestion-patterns", &bad).await;
    browser
        .wait_until(
            "(s => s.getAttribute('role') === 'alert' && s.textContent.includes('line 2'))(document.querySelector('[data-testid=status]'))",
            json!(true),
        )
        .await;
    let good = folder.path().join("patterns.jsonl");
    std::fs::write(
        &good,
        "{\"label\": \"ORG\", \"pattern\": \"Port Alder\"}\n{\"label\": \"GPE\", \"pattern\": [{\"LOWER\": \"quay\"}, {\"LOWER\": \"street\"}]}\n",
    )
    .unwrap();
    browser.choose_file("suggestion-patterns", &good).await;
    browser
        .wait_until(
            "document.querySelectorAll('[data-testid=suggestion][data-source=patterns]').length > 2",
            json!(true),
        )
        .await;

    // After a reload: still on, the patterns and the rejection kept.
    browser.wait_saved().await;
    let open_now = count(&browser).await;
    browser.reload().await;
    browser.wait_until(COUNT, json!(open_now)).await;
    assert!(
        browser
            .eval("document.querySelector('[data-testid=suggestions-toggle]').checked")
            .await
            == json!(true),
        "still on"
    );
    browser.stop().await;
}
