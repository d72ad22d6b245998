//! Component tests in headless Chromium (wasm-bindgen-test): each mounts into a fresh element
//! and asserts on the `data-testid` hooks, with `yew::scheduler::flush()` instead of sleeps.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use marginalia::model::{
    Annotation, AnnotationId, AnnotationStore, Command, Document, Relation, Span, Tag,
};
use marginalia::ui::app::{App, AppProps};
use marginalia::ui::components::{AnnotationList, AnnotationListProps, Article, ArticleProps};
use marginalia::ui::services::dom_range;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::{Callback, NodeRef};

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_root() -> web_sys::Element {
    let document = gloo_utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

fn query(root: &web_sys::Element, css: &str) -> web_sys::Element {
    root.query_selector(css)
        .unwrap()
        .unwrap_or_else(|| panic!("{css} not found"))
}

/// Empties the app's storage: local storage, and the records and quarantine in IndexedDB (the
/// tests share one page, so one database).
async fn reset_storage() -> web_sys::Storage {
    let storage = gloo_utils::window().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    let database = records_database().await;
    let transaction = database
        .transaction(&["records", "quarantine"], idb::TransactionMode::ReadWrite)
        .unwrap();
    for name in ["records", "quarantine"] {
        transaction.object_store(name).unwrap().clear().unwrap();
    }
    transaction.await.unwrap();
    storage
}

/// The app's IndexedDB database (created as the app creates it, if it is not yet).
async fn records_database() -> idb::Database {
    use marginalia::ui::services::record_db::RecordDb;
    RecordDb::open().await.unwrap();
    let factory = idb::Factory::new().unwrap();
    factory
        .open("marginalia-records", Some(1))
        .unwrap()
        .await
        .unwrap()
}

/// Every (key, value) stored in IndexedDB store `name` whose key starts with `prefix`, once
/// `ready` holds for them (a save commits after the render that made it), or as they are
/// after about two seconds.
async fn stored_values(
    name: &str,
    prefix: &str,
    ready: impl Fn(&[(String, String)]) -> bool,
) -> Vec<(String, String)> {
    let database = records_database().await;
    let mut found = Vec::new();
    for _ in 0..120 {
        let transaction = database
            .transaction(&[name], idb::TransactionMode::ReadOnly)
            .unwrap();
        let store = transaction.object_store(name).unwrap();
        let keys = store.get_all_keys(None, None).unwrap().await.unwrap();
        let values = store.get_all(None, None).unwrap().await.unwrap();
        found = keys
            .into_iter()
            .zip(values)
            .map(|(k, v)| {
                let key = k.as_string().unwrap_or_default();
                let value = v
                    .as_string()
                    .unwrap_or_else(|| format!("{:?}", js_sys::JSON::stringify(&v).ok()));
                (key, value)
            })
            .filter(|(k, v)| k.starts_with(prefix) || (name == "quarantine" && v.contains(prefix)))
            .collect();
        if ready(&found) {
            break;
        }
        next_frame().await;
    }
    found
}

/// Empties the app's storage and stores a library in the old local-storage layout whose
/// current (and only) document is `text`, named `name`, under layout `schema`; returns the
/// storage and the document's old id. With `text_in_local_storage`, the text is stored there
/// too.
async fn stored_library(
    name: &str,
    text: &str,
    schema: u32,
    text_in_local_storage: bool,
) -> (web_sys::Storage, String) {
    let storage = reset_storage().await;
    let id = Document::from_raw(text).sha256()[..16].to_owned();
    storage
        .set_item(
            "marginalia:library",
            &format!(r#"{{"schema":{schema},"current":"{id}","documents":[{{"id":"{id}","name":"{name}","count":1}}]}}"#),
        )
        .unwrap();
    if text_in_local_storage {
        storage
            .set_item(&format!("marginalia:doc:{id}:text"), text)
            .unwrap();
    }
    (storage, id)
}

/// Mounts the whole app on what is stored, as a page load does.
async fn mount_app() -> web_sys::Element {
    let root = fresh_root();
    yew::Renderer::<App>::with_root_and_props(root.clone(), AppProps::load().await).render();
    yew::scheduler::flush().await;
    root
}

const TEXT: &str =
    "Title 🌊\n\nZoë said: “we would only decide\nonce conditions were clear.”\n\n\nLast 𝔸 line.";

async fn mount_article(document: Rc<Document>) -> (web_sys::Element, NodeRef) {
    let root = fresh_root();
    let node_ref = NodeRef::default();
    let props = ArticleProps {
        document,
        name: "test".into(),
        node_ref: node_ref.clone(),
    };
    yew::Renderer::<Article>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    (root, node_ref)
}

#[wasm_bindgen_test]
async fn article_paragraphs_hold_exactly_their_text_and_offsets() {
    let document = Rc::new(Document::from_raw(TEXT));
    let (root, _) = mount_article(document.clone()).await;
    let paragraphs = root
        .query_selector_all("[data-testid=article] [data-offset]")
        .unwrap();
    assert_eq!(paragraphs.length() as usize, document.paragraphs().len());
    for (index, paragraph) in document.paragraphs().iter().enumerate() {
        let element: web_sys::Element = paragraphs.item(index as u32).unwrap().unchecked_into();
        assert_eq!(
            element.get_attribute("data-offset").unwrap(),
            paragraph.start.to_string()
        );
        assert_eq!(
            element.text_content().unwrap(),
            document.paragraph_text(paragraph)
        );
        assert_eq!(
            element.child_nodes().length(),
            1,
            "one text node per paragraph"
        );
    }
    // Nothing but the document's paragraphs is text inside the article.
    let article = query(&root, "[data-testid=article]");
    let joined: Vec<String> = document
        .paragraphs()
        .iter()
        .map(|p| document.paragraph_text(p).to_owned())
        .collect();
    assert_eq!(article.text_content().unwrap(), joined.concat());
}

#[wasm_bindgen_test]
async fn selections_convert_to_code_points_across_astral_characters() {
    let document = Rc::new(Document::from_raw(TEXT));
    let (root, node_ref) = mount_article(document.clone()).await;
    let article: web_sys::Element = node_ref.cast().unwrap();
    let paragraphs = root
        .query_selector_all("[data-testid=article] [data-offset]")
        .unwrap();
    let last_text = paragraphs.item(2).unwrap().first_child().unwrap();
    // "Last 𝔸 line." : UTF-16 7..12 is " line" (𝔸 takes two units, one code point).
    let range = gloo_utils::document().create_range().unwrap();
    range.set_start(&last_text, 7).unwrap();
    range.set_end(&last_text, 12).unwrap();
    let selection = gloo_utils::window().get_selection().unwrap().unwrap();
    selection.remove_all_ranges().unwrap();
    selection.add_range(&range).unwrap();
    let span = dom_range::selection_span(&article, &document).unwrap();
    assert_eq!(document.slice(span), Some(" line"));

    // A selection across paragraphs, and back to a DOM range with the same text.
    let title_text = paragraphs.item(0).unwrap().first_child().unwrap();
    let second_text = paragraphs.item(1).unwrap().first_child().unwrap();
    range.set_start(&title_text, 6).unwrap(); // the emoji
    range.set_end(&second_text, 3).unwrap(); // "Zoë"
    selection.remove_all_ranges().unwrap();
    selection.add_range(&range).unwrap();
    let span = dom_range::selection_span(&article, &document).unwrap();
    assert_eq!(document.slice(span), Some("🌊\n\nZoë"));
    let rebuilt = dom_range::range_for_span(&article, &document, span).unwrap();
    assert_eq!(
        String::from(rebuilt.to_string()),
        "🌊Zoë",
        "the DOM has no text between paragraphs"
    );
    selection.remove_all_ranges().unwrap();
}

#[wasm_bindgen_test]
async fn annotation_list_reports_count_order_and_selection() {
    let document = Rc::new(Document::from_raw(TEXT));
    let annotation = |id: &str, start, end, tag| {
        Rc::new(Annotation::new(
            AnnotationId::from(id),
            Span::new(start, end).unwrap(),
            tag,
            "t",
        ))
    };
    let annotations = Rc::new(vec![
        annotation("a", 0, 5, Tag::Claim),
        annotation("b", 9, 12, Tag::Quote),
        annotation("c", 9, 11, Tag::Condition),
    ]);
    let mut store = AnnotationStore::new(document.char_len());
    for annotation in annotations.iter() {
        let annotation = Annotation::clone(annotation);
        store.apply(Command::Create { annotation }).unwrap();
    }
    let relation = Relation::new("r".into(), "attributed-to", "b".into(), "a".into());
    store.apply(Command::CreateRelation { relation }).unwrap();
    let root = fresh_root();
    let props = AnnotationListProps {
        document,
        total: annotations.len(),
        annotations,
        store: Rc::new(store),
        link_target: Some(AnnotationId::from("c")),
        selected: Some(AnnotationId::from("b")),
        on_reveal: Callback::noop(),
    };
    yew::Renderer::<AnnotationList>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    let list = query(&root, "[data-testid=annotation-list]");
    assert_eq!(list.get_attribute("data-count").unwrap(), "3");
    let items = root.query_selector_all("[data-testid=annotation]").unwrap();
    let item = |i: u32| -> web_sys::Element { items.item(i).unwrap().unchecked_into() };
    assert_eq!(item(1).get_attribute("data-tag").unwrap(), "quote");
    assert_eq!(item(1).get_attribute("data-start").unwrap(), "9");
    assert_eq!(item(1).get_attribute("aria-selected").unwrap(), "true");
    assert_eq!(item(0).get_attribute("aria-selected").unwrap(), "false");
    assert!(item(1).text_content().unwrap().contains("Zoë"));
    // Each item names its relations; the list counts them; the link target is marked.
    assert_eq!(list.get_attribute("data-relations").unwrap(), "1");
    assert!(
        item(1).text_content().unwrap().contains("→"),
        "outgoing from b"
    );
    assert!(
        item(0).text_content().unwrap().contains("← "),
        "incoming to a"
    );
    assert!(item(0).text_content().unwrap().contains("Attributed to"));
    assert_eq!(item(2).get_attribute("data-link-target").unwrap(), "true");
    assert_eq!(item(1).get_attribute("data-link-target"), None);
}

#[wasm_bindgen_test]
async fn app_tags_the_selection_saves_it_and_undoes_it() {
    reset_storage().await;
    let root = mount_app().await;
    let first = query(&root, "[data-testid=article] [data-offset]:nth-child(2)");
    let range = gloo_utils::document().create_range().unwrap();
    range.set_start(&first.first_child().unwrap(), 0).unwrap();
    range.set_end(&first.first_child().unwrap(), 9).unwrap();
    let selection = gloo_utils::window().get_selection().unwrap().unwrap();
    selection.remove_all_ranges().unwrap();
    selection.add_range(&range).unwrap();
    gloo_utils::document()
        .dispatch_event(&web_sys::Event::new("mouseup").unwrap())
        .unwrap();
    yew::scheduler::flush().await;
    let tag: web_sys::HtmlElement = query(&root, "[data-testid=tag-condition]").unchecked_into();
    tag.click();
    yew::scheduler::flush().await;

    let list = query(&root, "[data-testid=annotation-list]");
    assert_eq!(list.get_attribute("data-count").unwrap(), "1");
    let item = query(&root, "[data-testid=annotation]");
    let offset: usize = first.get_attribute("data-offset").unwrap().parse().unwrap();
    assert_eq!(
        item.get_attribute("data-start").unwrap(),
        offset.to_string()
    );
    // "PORT ALDE" was selected; snapping (on by default) grew it to the whole word "PORT ALDER".
    assert_eq!(
        item.get_attribute("data-end").unwrap(),
        (offset + 10).to_string()
    );
    assert_eq!(item.get_attribute("data-tag").unwrap(), "condition");

    let has_condition =
        |found: &[(String, String)]| found.iter().any(|(_, v)| v.contains("\"condition\""));
    let saved = stored_values("records", "ann/", has_condition).await;
    assert!(
        has_condition(&saved),
        "the new annotation is a record in IndexedDB: {saved:?}"
    );

    let undo: web_sys::HtmlElement = query(&root, "[data-testid=undo]").unchecked_into();
    undo.click();
    yew::scheduler::flush().await;
    assert_eq!(list.get_attribute("data-count").unwrap(), "0");
}

#[wasm_bindgen_test]
async fn an_unreadable_old_library_is_quarantined_and_reported() {
    let storage = reset_storage().await;
    storage.set_item("marginalia:library", "{not json").unwrap();
    let root = mount_app().await;
    let status = query(&root, "[data-testid=status]");
    assert_eq!(status.get_attribute("role").unwrap(), "alert");
    let text = status.text_content().unwrap();
    assert!(text.contains("kept aside"), "{text}");
    let kept = stored_values("quarantine", "{not json", |found| !found.is_empty()).await;
    assert_eq!(
        kept.len(),
        1,
        "the unreadable value is in the quarantine: {kept:?}"
    );
    // The app started on the sample article.
    assert!(root
        .query_selector("[data-testid=article] [data-offset]")
        .unwrap()
        .is_some());
}

#[wasm_bindgen_test]
async fn a_document_saved_in_the_schema_1_layout_is_migrated_into_records() {
    let text = "Legacy text with one claim.";
    let (storage, id) = stored_library("legacy.txt", text, 1, true).await;
    storage
        .set_item(
            &format!("marginalia:doc:{id}:annotations"),
            r#"{"schema":1,"annotations":[{"id":"a1","start":21,"end":26,"tag":"claim","created":"t","modified":"t"}]}"#,
        )
        .unwrap();
    let root = mount_app().await;
    let item = query(&root, "[data-testid=annotation]");
    assert_eq!(item.get_attribute("data-start").unwrap(), "21");
    assert!(item.text_content().unwrap().contains("claim"));
    // Under the text's whole SHA-256, read back and compared; then the old keys are gone.
    let new_id = Document::from_raw(text).sha256().to_owned();
    let records = stored_values("records", &format!("ann/{new_id}/"), |f| !f.is_empty()).await;
    assert_eq!(records.len(), 1, "{records:?}");
    assert!(records[0].1.contains("\"a1\""));
    assert!(storage.get_item("marginalia:library").unwrap().is_none());
    assert!(storage
        .get_item(&format!("marginalia:doc:{id}:annotations"))
        .unwrap()
        .is_none());
}

#[wasm_bindgen_test]
fn the_crash_notice_is_an_alert_that_shows_the_message_as_text() {
    marginalia::ui::services::crash::show_notice("<b>index out of bounds</b>");
    let notice = gloo_utils::document()
        .query_selector("[data-testid=crash-notice]")
        .unwrap()
        .expect("the notice is in the page");
    assert_eq!(notice.get_attribute("role").as_deref(), Some("alert"));
    let text = notice.text_content().unwrap();
    assert!(text.contains("<b>index out of bounds</b>"), "{text}");
    assert!(text.contains("reload"), "{text}");
    assert!(
        notice.query_selector("b").unwrap().is_none(),
        "never read as markup"
    );
    notice.remove();
}

/// A document whose text the old layout kept in IndexedDB only (too large for local storage)
/// is migrated with it, and is the current one after a reload.
#[wasm_bindgen_test]
async fn a_text_kept_in_the_old_indexeddb_is_migrated_and_restored_on_start() {
    use idb::DatabaseEvent;
    let text = "Large enough for IndexedDB 🌊\n\nSecond paragraph.";
    let (_, id) = stored_library("big.txt", text, 2, false).await;
    let mut request = idb::Factory::new()
        .unwrap()
        .open("marginalia", Some(1))
        .unwrap();
    request.on_upgrade_needed(|event| {
        let database = event.database().unwrap();
        database
            .create_object_store("texts", idb::ObjectStoreParams::new())
            .unwrap();
    });
    let old = request.await.unwrap();
    let transaction = old
        .transaction(&["texts"], idb::TransactionMode::ReadWrite)
        .unwrap();
    let store = transaction.object_store("texts").unwrap();
    store
        .put(&text.into(), Some(&id.clone().into()))
        .unwrap()
        .await
        .unwrap();
    transaction.await.unwrap();
    old.close();
    let root = mount_app().await;
    let article = query(&root, "[data-testid=article]");
    assert_eq!(
        article.get_attribute("aria-label").as_deref(),
        Some("big.txt")
    );
    assert!(article
        .text_content()
        .unwrap()
        .starts_with("Large enough for IndexedDB 🌊"));
    assert!(root
        .query_selector("[data-testid=storage-warning]")
        .unwrap()
        .is_none());
}

/// A save of the old layout cut off after its journal was written (a crash, a closed tab) is
/// completed by the migration: the records hold the new state, not a mix.
#[wasm_bindgen_test]
async fn a_save_cut_off_after_its_journal_is_completed_on_start() {
    let (storage, id) = stored_library("cut.txt", "One two three four five six.", 2, true).await;
    storage
        .set_item(
            &format!("marginalia:doc:{id}:manifest"),
            r#"{"schema":2,"chunks":64}"#,
        )
        .unwrap();
    // The old state: one annotation in chunk 0 and one orphan. The journal holds the new one
    // (the orphan placed as an annotation in chunk 1), and only chunk 0 was rewritten.
    let annotation = |id: &str, start: usize| {
        format!(
            r#"{{"id":"{id}","start":{start},"end":{},"tag":"claim","created":"t","modified":"t"}}"#,
            start + 3
        )
    };
    storage
        .set_item(
            &format!("marginalia:doc:{id}:chunk:0"),
            &format!("[{}]", annotation("a", 0)),
        )
        .unwrap();
    storage
        .set_item(
            &format!("marginalia:doc:{id}:orphans"),
            &format!(
                r#"[{{"annotation":{},"quote":"six"}}]"#,
                annotation("b", 90)
            ),
        )
        .unwrap();
    let journal = serde_json::json!([
        [
            format!("marginalia:doc:{id}:chunk:1"),
            format!("[{}]", annotation("b", 24))
        ],
        [format!("marginalia:doc:{id}:orphans"), "[]"],
    ]);
    storage
        .set_item(
            &format!("marginalia:doc:{id}:journal"),
            &journal.to_string(),
        )
        .unwrap();
    let root = mount_app().await;
    assert_eq!(
        query(&root, "[data-testid=annotation-list]")
            .get_attribute("data-count")
            .as_deref(),
        Some("2")
    );
    assert_eq!(
        query(&root, "[data-testid=orphan-list]")
            .get_attribute("data-count")
            .as_deref(),
        Some("0")
    );
    assert!(storage
        .get_item(&format!("marginalia:doc:{id}:journal"))
        .unwrap()
        .is_none());
}

/// Resolves at the next animation frame.
async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        gloo_utils::window()
            .request_animation_frame(&resolve)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// A long document is put in the page a few blocks per frame, with a progress bar, so opening
/// it never holds the tab for long; then every paragraph is there.
#[wasm_bindgen_test]
async fn a_long_document_arrives_in_frames_with_progress() {
    let text = (0..6000)
        .map(|i| format!("Paragraph {i} of a long report."))
        .collect::<Vec<_>>()
        .join("\n\n");
    let document = Rc::new(Document::from_raw(&text));
    let (root, _) = mount_article(document.clone()).await;
    let paragraphs = || {
        root.query_selector_all("[data-testid=article] [data-offset]")
            .unwrap()
            .length() as usize
    };
    let first = paragraphs();
    assert!(first > 0 && first < 6000, "{first} paragraphs at first");
    let progress = query(&root, "[role=progressbar]");
    assert!(
        progress
            .get_attribute("aria-valuenow")
            .unwrap()
            .parse::<u32>()
            .unwrap()
            < 100
    );
    assert_eq!(
        query(&root, "[data-testid=article]")
            .get_attribute("aria-busy")
            .as_deref(),
        Some("true")
    );
    for _ in 0..200 {
        if paragraphs() == 6000 {
            break;
        }
        next_frame().await;
        yew::scheduler::flush().await;
    }
    assert_eq!(paragraphs(), 6000);
    assert!(root.query_selector("[role=progressbar]").unwrap().is_none());
    assert!(query(&root, "[data-testid=article]")
        .get_attribute("aria-busy")
        .is_none());
}

/// An HTML document is read for what a reader sees: blocks as paragraphs, hidden things and
/// scripts left out, and nothing of it runs.
#[wasm_bindgen_test]
fn an_html_document_gives_its_visible_text_and_runs_nothing() {
    use marginalia::ui::services::html_text;
    let html = r#"<!doctype html><html><head><title>Not shown</title>
        <script>window.__ran = 1</script><style>p { color: red }</style></head>
        <body><h1>Harbour   city <em>weighs</em> barrier</h1>
        <p>“We are no longer talking,” said <a href="x">Mayor Renée</a>.<br>New line.</p>
        <p hidden>hidden paragraph</p><div style="display: none">also hidden</div>
        <ul><li>first</li><li>second <img src="x" onerror="window.__ran = 2"></li></ul>
        <pre>  keep   spaces</pre></body></html>"#;
    let text = html_text::visible_text(html).unwrap();
    assert_eq!(
        text,
        "Harbour city weighs barrier\n\n“We are no longer talking,” said Mayor Renée.\nNew line.\n\nfirst\n\nsecond\n\nkeep   spaces"
    );
    let ran = js_sys::Reflect::get(&gloo_utils::window(), &"__ran".into()).unwrap();
    assert!(ran.is_undefined());
}

/// The label editor inside a provider of `labels`, as the app mounts it.
#[derive(yew::Properties, PartialEq)]
struct EditorHostProps {
    labels: Rc<marginalia::model::LabelSet>,
    counts: std::collections::HashMap<Tag, usize>,
    on_edit: Callback<marginalia::model::LabelEdit>,
}

#[yew::component]
fn EditorHost(props: &EditorHostProps) -> yew::Html {
    use marginalia::ui::components::LabelEditor;
    yew::html! {
        <yew::ContextProvider<Rc<marginalia::model::LabelSet>> context={props.labels.clone()}>
            <LabelEditor counts={props.counts.clone()} on_edit={props.on_edit.clone()}
                on_close={Callback::noop()} can_undo=false on_undo={Callback::noop()} />
        </yew::ContextProvider<Rc<marginalia::model::LabelSet>>>
    }
}

#[wasm_bindgen_test]
async fn the_label_editor_lists_labels_and_tags_without_one_and_asks_for_each_edit() {
    use marginalia::model::{LabelEdit, LabelSet};
    let mut labels = LabelSet::default();
    let source = labels.add("Named source").unwrap();
    labels.remove(&Tag::Condition).unwrap();
    let edits = Rc::new(std::cell::RefCell::new(Vec::new()));
    let root = fresh_root();
    let props = EditorHostProps {
        labels: Rc::new(labels),
        counts: [(Tag::from("person"), 2), (Tag::Claim, 1)]
            .into_iter()
            .collect(),
        on_edit: {
            let edits = edits.clone();
            Callback::from(move |edit| edits.borrow_mut().push(edit))
        },
    };
    yew::Renderer::<EditorHost>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;

    let attribute = |css: &str, name: &str| -> Vec<String> {
        let nodes = root.query_selector_all(css).unwrap();
        (0..nodes.length())
            .map(|i| {
                let element: web_sys::Element = nodes.get(i).unwrap().unchecked_into();
                element.get_attribute(name).unwrap_or_default()
            })
            .collect()
    };
    assert_eq!(
        attribute("[data-testid=label]", "data-tag"),
        ["claim", "quote", "source", "named-source"]
    );
    assert_eq!(
        attribute("[data-testid=label]", "class"),
        [
            "label-row label-blue",
            "label-row label-orange",
            "label-row label-green",
            "label-row label-vermilion"
        ]
    );
    // Each label's guideline, and the relation types with theirs.
    assert_eq!(
        root.query_selector_all("[data-testid=label-description]")
            .unwrap()
            .length(),
        4
    );
    assert_eq!(
        attribute("[data-testid=relation-type-row]", "data-type"),
        ["attributed-to", "qualifies"]
    );
    // A removed label (Restore) and a tag only an import used (Make a label), with counts.
    assert_eq!(
        attribute("[data-testid=label-removed]", "data-tag"),
        ["condition", "person"]
    );
    assert_eq!(
        attribute("[data-testid=label-removed]", "data-count"),
        ["0", "2"]
    );
    let restore: Vec<String> = attribute("[data-testid=label-restore]", "aria-label");
    assert_eq!(restore, ["Restore: Condition", "Make a label: Person"]);

    // Each control asks for its edit; a name that would be refused is not sent: it goes back
    // to the label's own and the dialog says why.
    let key: web_sys::HtmlSelectElement = query(
        &root,
        "[data-testid=label][data-tag=named-source] [data-testid=label-key]",
    )
    .unchecked_into();
    key.set_value("7");
    key.dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    let name: web_sys::HtmlInputElement = query(
        &root,
        "[data-testid=label][data-tag=quote] [data-testid=label-name]",
    )
    .unchecked_into();
    name.set_value("  ");
    name.dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    assert_eq!(name.value(), "Quote");
    yew::scheduler::flush().await;
    assert_eq!(
        query(&root, "[data-testid=label-error]")
            .text_content()
            .unwrap(),
        "Not changed: a label needs a name."
    );
    query(
        &root,
        "[data-testid=label-removed][data-tag=person] [data-testid=label-restore]",
    )
    .unchecked_into::<web_sys::HtmlElement>()
    .click();
    yew::scheduler::flush().await;
    assert_eq!(
        *edits.borrow(),
        [
            LabelEdit::Rekey(source, Some(7)),
            LabelEdit::Restore(Tag::from("person")),
        ]
    );
}
