//! Relations between spans and span attributes, made by keyboard and by mouse, retyped,
//! deleted and undone, and kept across a reload (the relations issue).

use serde_json::{json, Value};

use super::open_app;
use crate::harness::{Browser, CONTROL};

const ENTER: char = '\u{E007}';
const ESCAPE: char = '\u{E00C}';
const DELETE: char = '\u{E017}';

/// The selected annotation's relations: `[type, from, to]` each.
const RELATIONS: &str = "[...document.querySelectorAll('[data-testid=relation]')].map(r => [r.dataset.type, r.dataset.from, r.dataset.to])";

/// `data-relations` of the annotation list.
const RELATION_COUNT: &str =
    "document.querySelector('[data-testid=annotation-list]').dataset.relations";

/// The id of the list item whose quote starts with `quote`.
async fn id_of(browser: &Browser, quote: &str) -> String {
    let script = format!(
        "[...document.querySelectorAll('[data-testid=annotation]')].find(e => e.querySelector('.quote').textContent.startsWith({quote:?}))?.dataset.id"
    );
    browser.eval(&script).await.as_str().unwrap().to_owned()
}

/// The id of the selected annotation's list item.
async fn selected_id(browser: &Browser) -> Value {
    browser
        .eval("document.querySelector('[data-testid=annotation][aria-selected=true]')?.dataset.id")
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relations_are_made_by_keyboard_and_mouse_retyped_deleted_undone_and_kept() {
    let (_one, browser) = open_app().await;
    let quote = "We are no longer talking about a once-in-a-century storm";
    browser.tag(quote, '2', 1).await;
    browser.tag("Mayor Renée Castellanos", '4', 2).await;
    let (quote_id, source_id) = (
        id_of(&browser, quote).await,
        id_of(&browser, "Mayor Renée").await,
    );
    assert_eq!(selected_id(&browser).await, json!(source_id));

    // Keyboard: k to the quote, r, j to the source (marked as the target), Enter.
    browser.press('k').await;
    assert_eq!(selected_id(&browser).await, json!(quote_id));
    browser.press('r').await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=link-start]').getAttribute('aria-pressed')",
            json!("true"),
        )
        .await;
    browser.press('j').await;
    browser
        .wait_until(
            "document.querySelector('[data-link-target=true]')?.dataset.id",
            json!(source_id),
        )
        .await;
    browser.press(ENTER).await;
    browser.wait_until(RELATION_COUNT, json!("1")).await;
    assert_eq!(
        browser.eval(RELATIONS).await,
        json!([["attributed-to", quote_id, source_id]]),
        "from a quote: attributed-to"
    );
    assert_eq!(
        selected_id(&browser).await,
        json!(quote_id),
        "the start stays selected"
    );
    // The list item names it, and the article draws it.
    let item_text = format!(
        "document.querySelector('[data-testid=annotation][data-id=\"{quote_id}\"] .item-relations')?.textContent"
    );
    browser
        .wait_until(
            &item_text,
            json!("→ Mayor Renée Castellanos · Attributed to"),
        )
        .await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=connectors]')?.dataset.count",
            json!("1"),
        )
        .await;
    browser.screenshot("relation-made").await;

    // Esc cancels a link and keeps the selection.
    browser.press('r').await;
    browser.press(ESCAPE).await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=link-start]').getAttribute('aria-pressed')",
            json!("false"),
        )
        .await;
    assert_eq!(selected_id(&browser).await, json!(quote_id));

    // Mouse: a condition, the link-start button, a click on the quote's list item.
    let condition = "if the national government agreed to cover at least half of the cost";
    browser.tag(condition, '3', 3).await;
    let condition_id = id_of(&browser, "if the national").await;
    browser.click("[data-testid=link-start]").await;
    browser
        .click(&format!("[data-testid=annotation][data-id=\"{quote_id}\"]"))
        .await;
    browser.wait_until(RELATION_COUNT, json!("2")).await;
    assert_eq!(selected_id(&browser).await, json!(condition_id));
    assert_eq!(
        browser.eval(RELATIONS).await,
        json!([["qualifies", condition_id, quote_id]]),
        "from a condition: qualifies"
    );

    // Retype, then undo it; delete, then undo it.
    browser
        .wait_for("[data-testid=relation-type]")
        .await
        .select_by_value("attributed-to")
        .await
        .unwrap();
    browser
        .wait_until(
            "document.querySelector('[data-testid=relation]').dataset.type",
            json!("attributed-to"),
        )
        .await;
    // Focus is in the type's select, where keys type: the Undo button.
    browser.click("[data-testid=undo]").await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=relation]').dataset.type",
            json!("qualifies"),
        )
        .await;
    browser.click("[data-testid=relation-delete]").await;
    browser.wait_until(RELATION_COUNT, json!("1")).await;
    browser.click("[data-testid=undo]").await;
    browser.wait_until(RELATION_COUNT, json!("2")).await;

    // Deleting the quote deletes both its relations in one step; undo brings all back.
    browser
        .click(&format!("[data-testid=annotation][data-id=\"{quote_id}\"]"))
        .await;
    browser
        .wait_until(
            "document.querySelectorAll('[data-testid=relation]').length",
            json!(2),
        )
        .await;
    browser.press(DELETE).await;
    browser.wait_for_count(2).await;
    browser.wait_until(RELATION_COUNT, json!("0")).await;
    browser.press_chord(&[CONTROL], 'z').await;
    browser.wait_for_count(3).await;
    browser.wait_until(RELATION_COUNT, json!("2")).await;

    // An attribute of the quote, set from its detail panel.
    browser
        .click(&format!("[data-testid=annotation][data-id=\"{quote_id}\"]"))
        .await;
    browser
        .wait_for("[data-testid=attribute][data-name=kind]")
        .await
        .select_by_value("direct")
        .await
        .unwrap();
    browser.wait_saved().await;

    // Everything is back after a reload.
    browser.reload().await;
    browser.wait_for_count(3).await;
    browser.wait_until(RELATION_COUNT, json!("2")).await;
    browser
        .click(&format!("[data-testid=annotation][data-id=\"{quote_id}\"]"))
        .await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=relation-list]').dataset.count",
            json!("2"),
        )
        .await;
    assert_eq!(
        browser
            .eval("document.querySelector('[data-testid=attribute][data-name=kind]').value")
            .await,
        json!("direct")
    );
    browser.screenshot("relations-reloaded").await;
    browser.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guidelines_are_the_tag_buttons_descriptions_and_edited_in_the_label_editor() {
    let (_one, browser) = open_app().await;
    // The tag buttons are in the toolbar over a selection.
    let title = "document.querySelector('[data-testid=tag-quote]')?.title";
    browser.drag_select("Port Alder").await;
    browser.wait_for("[data-testid=tag-quote]").await;
    let default = browser.eval(title).await;
    assert!(
        default.as_str().unwrap().starts_with("Words attributed"),
        "{default}"
    );
    assert_eq!(
        browser
            .eval("document.querySelector('[data-testid=tag-quote]').getAttribute('aria-description')")
            .await,
        default
    );
    browser.click("[data-testid=edit-labels]").await;
    let description = browser
        .wait_for("[data-testid=label][data-tag=quote] [data-testid=label-description]")
        .await;
    description.clear().await.unwrap();
    description
        .send_keys("Direct speech only. Example: “We are ready.”")
        .await
        .unwrap();
    browser.click("[data-testid=label-editor-close]").await;
    browser.drag_select("Port Alder").await;
    browser
        .wait_until(title, json!("Direct speech only. Example: “We are ready.”"))
        .await;
    browser.wait_saved().await;
    browser.reload().await;
    browser.drag_select("Port Alder").await;
    browser
        .wait_until(title, json!("Direct speech only. Example: “We are ready.”"))
        .await;
    browser.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relation_made_in_one_tab_shows_in_another_and_its_deletion_too() {
    let (_one, browser) = open_app().await;
    let a = browser.client.window().await.unwrap();
    browser
        .tag(
            "We are no longer talking about a once-in-a-century storm",
            '2',
            1,
        )
        .await;
    browser.tag("Mayor Renée Castellanos", '4', 2).await;
    browser.wait_saved().await;
    let b = browser.client.new_window(true).await.unwrap().handle;
    browser.switch_to(&b).await;
    browser.open_app().await;
    browser.wait_for_count(2).await;

    // A links the quote to its source; B hears of it.
    browser.switch_to(&a).await;
    browser.press('k').await;
    browser.press('r').await;
    browser.press('j').await;
    browser.press(ENTER).await;
    browser.wait_until(RELATION_COUNT, json!("1")).await;
    browser.switch_to(&b).await;
    browser.wait_until(RELATION_COUNT, json!("1")).await;

    // B deletes the source (and so the relation); A hears of both.
    let source = id_of(&browser, "Mayor Renée").await;
    browser
        .click(&format!("[data-testid=annotation][data-id=\"{source}\"]"))
        .await;
    browser.press(DELETE).await;
    browser.wait_until(RELATION_COUNT, json!("0")).await;
    browser.switch_to(&a).await;
    browser.wait_for_count(1).await;
    browser.wait_until(RELATION_COUNT, json!("0")).await;
    browser.reload().await;
    browser.wait_for_count(1).await;
    assert_eq!(browser.eval(RELATION_COUNT).await, json!("0"));
    browser.stop().await;
}
