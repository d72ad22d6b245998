//! End-to-end tests: the release build in real Chromium, driven as a user would drive it.
#![cfg(not(target_arch = "wasm32"))]

mod compare;
mod faults;
mod harness;
mod offline;
mod relations;
mod suggestions;
mod tabs;

use harness::Browser;
use marginalia::model::Document;
use marginalia::sample::SAMPLE_TEXT;
use serde_json::{json, Value};

/// One browser at a time: the machine has two cores, and each test starts Chromium.
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Takes the one-browser lock, starts Chromium and opens the app on its sample article.
async fn open_app() -> (tokio::sync::MutexGuard<'static, ()>, Browser) {
    let one = ONE_BROWSER.lock().await;
    let browser = Browser::start().await;
    browser.open_app().await;
    (one, browser)
}

/// Code-point offsets of the first occurrence of `needle` in the sample article.
fn sample_span(needle: &str) -> (u64, u64) {
    let document = Document::from_raw(SAMPLE_TEXT);
    let byte = document.text().find(needle).expect("needle in the sample");
    let start = document.byte_to_char(byte) as u64;
    (start, start + needle.chars().count() as u64)
}

/// `data-relations` of the annotation list.
const RELATIONS: &str = "document.querySelector('[data-testid=annotation-list]').dataset.relations";

/// Every annotation's `start:end` in list order, comma-separated.
const EXTENTS: &str =
    "[...document.querySelectorAll('[data-testid=annotation]')].map(e => +e.dataset.start + ':' + e.dataset.end).join()";

async fn annotation_attrs(browser: &Browser) -> Vec<Value> {
    browser
        .eval(
            "[...document.querySelectorAll('[data-testid=annotation]')].map(e => \
             [e.dataset.tag, +e.dataset.start, +e.dataset.end, e.getAttribute('aria-selected')])",
        )
        .await
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn annotate_reload_export_import_and_switch_documents() {
    let (_one, browser) = open_app().await;
    browser.screenshot("01-opened").await;

    // The article's paragraphs carry their code-point offsets and exactly their text.
    let document = Document::from_raw(SAMPLE_TEXT);
    let paragraphs = browser
        .eval("[...document.querySelectorAll('[data-testid=article] [data-offset]')].map(p => [+p.dataset.offset, p.textContent])")
        .await;
    let expected: Vec<Value> = document
        .paragraphs()
        .iter()
        .map(|p| json!([p.start, document.paragraph_text(p)]))
        .collect();
    assert_eq!(paragraphs, Value::Array(expected));

    // Select with a real mouse drag, tag with the key 1.
    let claim = "412 million euros";
    browser.drag_select(claim).await;
    browser.wait_for("[data-testid=tag-claim]").await;
    browser.screenshot("02-selection-toolbar").await;
    browser.press('1').await;
    browser.wait_for_count(1).await;
    let (start, end) = sample_span(claim);
    assert_eq!(
        annotation_attrs(&browser).await,
        vec![json!(["claim", start, end, "true"])]
    );

    // A quote with an accented name inside, tagged with the toolbar button.
    let quote = "said Mayor Renée Castellanos";
    browser.drag_select(quote).await;
    browser.click("[data-testid=tag-quote]").await;
    browser.wait_for_count(2).await;
    let (quote_start, quote_end) = sample_span(quote);

    // A note on the selected annotation (the quote, just created).
    let note = browser.wait_for("[data-testid=note]").await;
    note.send_keys("Check the title").await.unwrap();
    browser
        .wait_until("document.querySelector('[data-testid=annotation][aria-selected=true]').textContent.includes('Check the title')", json!(true))
        .await;
    browser.screenshot("03-annotated").await;

    // Reload: both annotations and the note are back.
    browser.reload().await;
    browser.wait_for("[data-testid=article] p").await;
    assert_eq!(browser.annotation_count().await, 2);
    let attrs = annotation_attrs(&browser).await;
    assert_eq!(attrs[0], json!(["claim", start, end, "false"]));
    assert_eq!(attrs[1], json!(["quote", quote_start, quote_end, "false"]));
    let texts = browser
        .eval("[...document.querySelectorAll('[data-testid=annotation]')].map(e => e.textContent)")
        .await;
    assert!(
        texts[1].as_str().unwrap().contains("Check the title"),
        "{texts}"
    );

    // Export: the marginalia file, named after the document, with code-point offsets and quotes.
    browser.click("[data-testid=export]").await;
    let exported = browser.downloaded("sample-article.marginalia.json").await;
    let file: Value = serde_json::from_str(&exported).unwrap();
    assert_eq!(file["format"], "marginalia");
    assert_eq!(file["version"], 1);
    assert_eq!(file["text"], document.text());
    let items = file["annotations"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        (
            items[0]["start"].as_u64().unwrap(),
            items[0]["quote"].as_str().unwrap()
        ),
        (start, claim)
    );
    assert_eq!(items[1]["note"], "Check the title");
    let export_path = browser
        .downloads
        .path()
        .join("sample-article.marginalia.json");

    // Clear both (select in the list, delete), undo and redo with keys and buttons.
    for _ in 0..2 {
        browser.click("[data-testid=annotation]").await;
        browser.click("[data-testid=delete-annotation]").await;
    }
    browser.wait_for_count(0).await;
    browser.press_ctrl('z').await;
    browser.wait_for_count(1).await;
    browser.click("[data-testid=redo]").await;
    browser.wait_for_count(0).await;

    // Import the exported file: both are back, placed exactly.
    browser
        .choose_file("import-annotations", &export_path)
        .await;
    browser.wait_for_count(2).await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=status]').dataset.placed",
            json!("2"),
        )
        .await;
    assert_eq!(
        browser
            .eval("document.querySelector('[data-testid=status]').getAttribute('role')")
            .await,
        "status"
    );
    let attrs = annotation_attrs(&browser).await;
    assert_eq!(
        (attrs[0][1].clone(), attrs[0][2].clone()),
        (json!(start), json!(end))
    );

    // Open a second document (CRLF line endings, an emoji, combining accents) and annotate it.
    let second = tempfile::Builder::new()
        .prefix("field-notes-")
        .suffix(".txt")
        .tempfile()
        .unwrap();
    std::fs::write(
        second.path(),
        "Field notes 🌊\r\n\r\nThe cafe\u{301} opened at nine, said Zoë.\r\nIt rained.",
    )
    .unwrap();
    let second_name = second
        .path()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    browser.choose_file("open-document", second.path()).await;
    browser.wait_for_documents(2).await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=document][aria-current=true]').dataset.name",
            json!(second_name),
        )
        .await;
    assert_eq!(browser.annotation_count().await, 0);
    let second_paragraphs = browser
        .eval("[...document.querySelectorAll('[data-testid=article] [data-offset]')].map(p => [+p.dataset.offset, p.textContent])")
        .await;
    assert_eq!(
        second_paragraphs,
        json!([
            [0, "Field notes 🌊"],
            [15, "The cafe\u{301} opened at nine, said Zoë.\nIt rained."]
        ])
    );
    browser.tag("opened at nine", '3', 1).await;
    // "The café " is 10 code points (combining accent included) after offset 15.
    assert_eq!(
        annotation_attrs(&browser).await,
        vec![json!(["condition", 25, 39, "true"])]
    );
    browser.screenshot("04-second-document").await;

    // Switch back: the sample and its two annotations; the other document keeps its count.
    browser
        .click("[data-testid=document][data-name='sample-article.txt']")
        .await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=document][aria-current=true]').dataset.name",
            json!("sample-article.txt"),
        )
        .await;
    assert_eq!(browser.annotation_count().await, 2);
    assert_eq!(
        browser.eval(&format!("document.querySelector('[data-testid=document][data-name=\"{second_name}\"]').dataset.count")).await,
        json!("1")
    );

    // And the current document survives a reload.
    browser.reload().await;
    browser.wait_for("[data-testid=article] p").await;
    assert_eq!(
        browser
            .eval(
                "document.querySelector('[data-testid=document][aria-current=true]').dataset.name"
            )
            .await,
        json!("sample-article.txt")
    );
    browser.screenshot("05-back-to-sample").await;
    browser.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_import_is_refused_with_its_path_and_changes_nothing() {
    let (_one, browser) = open_app().await;
    browser.tag("Flooding along the estuary", '2', 1).await;
    // The importers are a second module, fetched on first use: not with the page.
    let worker_files = "performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('marginalia-worker')).length";
    assert_eq!(
        browser.eval(worker_files).await,
        json!(0),
        "loaded before any import"
    );

    let cases = [
        (
            r#"{"format":"marginalia","version":1,"annotations":[{"start":-1,"end":4,"tag":"claim"}]}"#,
            "annotations[0].start",
        ),
        (
            r#"{"format":"marginalia","version":1,"annotations":[{"start":9,"end":4,"tag":"claim"}]}"#,
            "annotations[0].end",
        ),
        (
            r#"{"format":"marginalia","version":7,"annotations":[]}"#,
            "version 7",
        ),
        (
            r#"{"format":"marginalia","version":1,"annotations":[{"start":0,"end":4,"tag":"claim"}"#,
            "line 1",
        ),
        ("", "empty"),
    ];
    for (content, expected) in cases {
        let file = tempfile::Builder::new().suffix(".json").tempfile().unwrap();
        std::fs::write(file.path(), content).unwrap();
        browser.choose_file("import-annotations", file.path()).await;
        // Each refusal names its own problem, so waiting for that text waits for this import.
        browser
            .wait_until(
                &format!("document.querySelector('[data-testid=status]').textContent.includes({expected:?})"),
                json!(true),
            )
            .await;
        let started = browser
            .eval("performance.getEntriesByName('marginalia:worker-ready', 'measure').length")
            .await;
        assert_eq!(started, json!(1), "the worker said it was ready");
        let role = browser
            .eval("document.querySelector('[data-testid=status]').getAttribute('role')")
            .await;
        assert_eq!(role, "alert", "{content}");
        assert_eq!(
            browser.annotation_count().await,
            1,
            "{content} changed the document"
        );
    }
    let fetched = browser.eval(worker_files).await;
    assert_eq!(
        fetched,
        json!(1),
        "the import started the worker (its loader; the rest is the worker's own)"
    );
    browser.screenshot("06-refused-import").await;
    browser.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_made_for_an_earlier_text_reanchors_and_keeps_orphans() {
    let (_one, browser) = open_app().await;

    // The file was made on the sample; the open document is a revision of it: a paragraph
    // inserted before, one sentence removed.
    let removed = "“If Lisbon and Brussels put money on the table, I will vote yes,” he said. ";
    let revised = format!(
        "Editor’s note: updated with the council’s schedule.\n\n{}",
        SAMPLE_TEXT.replace(removed, "")
    );
    let revised_file = tempfile::Builder::new()
        .prefix("revised-")
        .suffix(".txt")
        .tempfile()
        .unwrap();
    std::fs::write(revised_file.path(), &revised).unwrap();
    browser
        .choose_file("open-document", revised_file.path())
        .await;
    browser.wait_for_documents(2).await;

    let item = |needle: &str, tag: &str| {
        let (start, end) = sample_span(needle);
        json!({"start": start, "end": end, "tag": tag, "quote": needle})
    };
    let file = json!({
        "format": "marginalia", "version": 1,
        "text": Document::from_raw(SAMPLE_TEXT).text(),
        "annotations": [
            item("412 million euros", "claim"),
            item("would only support the project if the national government agreed", "condition"),
            item("If Lisbon and Brussels put money on the table", "quote"),
        ],
    });
    let import = tempfile::Builder::new().suffix(".json").tempfile().unwrap();
    std::fs::write(import.path(), file.to_string()).unwrap();
    browser
        .choose_file("import-annotations", import.path())
        .await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=status]').dataset.reanchored",
            json!("2"),
        )
        .await;
    let status = browser
        .eval("['placed','reanchored','orphaned'].map(k => document.querySelector('[data-testid=status]').dataset[k])")
        .await;
    assert_eq!(status, json!(["0", "2", "1"]));
    assert_eq!(browser.annotation_count().await, 2);
    // The re-anchored spans hold their quotes in the revised text.
    let revised_document = Document::from_raw(&revised);
    let spans = browser
        .eval("[...document.querySelectorAll('[data-testid=annotation]')].map(e => [+e.dataset.start, +e.dataset.end])")
        .await;
    let quotes: Vec<&str> = spans
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let span = marginalia::model::Span::new(
                s[0].as_u64().unwrap() as usize,
                s[1].as_u64().unwrap() as usize,
            )
            .unwrap();
            revised_document.slice(span).unwrap()
        })
        .collect();
    assert_eq!(
        quotes,
        [
            "412 million euros",
            "would only support the project if the national government agreed"
        ]
    );

    // The orphan is listed with its quote; place it by hand on a selection.
    browser
        .wait_until(
            "document.querySelector('[data-testid=orphan-list]').dataset.count",
            json!("1"),
        )
        .await;
    let orphan_text = browser
        .eval("document.querySelector('[data-testid=orphan]').textContent")
        .await;
    assert!(
        orphan_text
            .as_str()
            .unwrap()
            .contains("If Lisbon and Brussels"),
        "{orphan_text}"
    );
    browser.screenshot("07-orphan-listed").await;
    browser
        .drag_select("If they do not, this city cannot carry the debt alone")
        .await;
    browser
        .click("[data-testid=orphan] button:not(.danger)")
        .await;
    browser.wait_for_count(3).await;
    assert_eq!(
        browser
            .eval("document.querySelector('[data-testid=orphan-list]').dataset.count")
            .await,
        json!("0")
    );
    // Undo puts it back among the orphans; discarding removes it; both survive a reload.
    browser.press_ctrl('z').await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=orphan-list]').dataset.count",
            json!("1"),
        )
        .await;
    browser.reload().await;
    browser.wait_until("document.querySelector('[data-testid=orphan-list]') && document.querySelector('[data-testid=orphan-list]').dataset.count", json!("1")).await;
    browser.click("[data-testid=orphan] button.danger").await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=orphan-list]').dataset.count",
            json!("0"),
        )
        .await;
    assert_eq!(browser.annotation_count().await, 2);

    // The theme follows the toggle and survives a reload.
    let theme = browser.eval("document.documentElement.dataset.theme").await;
    assert!(theme == json!("light") || theme == json!("dark"), "{theme}");
    browser.click("[data-testid=theme-toggle]").await;
    let toggled = if theme == json!("light") {
        "dark"
    } else {
        "light"
    };
    browser
        .wait_until("document.documentElement.dataset.theme", json!(toggled))
        .await;
    browser.screenshot(&format!("08-theme-{toggled}")).await;
    browser.reload().await;
    browser.wait_for("[data-testid=article] p").await;
    assert_eq!(
        browser.eval("document.documentElement.dataset.theme").await,
        json!(toggled)
    );
    browser.stop().await;
}

/// Deletes every annotation through the UI (select in the list, Delete).
async fn delete_all(browser: &Browser) {
    while browser.annotation_count().await > 0 {
        let before = browser.annotation_count().await;
        browser.click("[data-testid=annotation]").await;
        browser.click("[data-testid=delete-annotation]").await;
        browser.wait_for_count(before - 1).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_format_exports_from_the_ui_and_imports_back_exactly() {
    let (_one, browser) = open_app().await;

    // An outer quote with a nested claim inside it, an emoji (two UTF-16 units, one code
    // point), and a plain claim.
    let spans = [
        ("said Mayor Renée Castellanos", '2'),
        ("Renée", '1'),
        ("🌊", '1'),
        ("would only decide on co-financing once the conditions", '3'),
    ];
    for (index, (needle, key)) in spans.iter().enumerate() {
        browser.drag_select(needle).await;
        browser.press(*key).await;
        browser.wait_for_count(index + 1).await;
    }
    // The quote is attributed to... the condition's annotation is not a source, but any two
    // annotations can be linked: k from the condition to the emoji claim, then k to the
    // quote, r, j, Enter (the nested claim), as one relation every format must keep or count.
    browser
        .click(&format!(
            "[data-testid=annotation][data-start='{}']",
            sample_span("said Mayor Renée Castellanos").0
        ))
        .await;
    browser.press('r').await;
    browser.press('j').await;
    browser.press('\u{E007}').await;
    browser.wait_until(RELATIONS, json!("1")).await;
    let all = annotation_attrs(&browser).await;
    let without_selection = |attrs: Vec<Value>| -> Vec<Value> {
        attrs
            .into_iter()
            .map(|a| json!([a[0], a[1], a[2]]))
            .collect()
    };
    let expected = without_selection(all);
    let document = Document::from_raw(SAMPLE_TEXT);
    let (wave_start, wave_end) = sample_span("🌊");
    assert_eq!(wave_end, wave_start + 1, "one code point");

    for (format, file_name) in [
        ("w3c", "sample-article.w3c.jsonld"),
        ("spacy", "sample-article.spacy.jsonl"),
        ("doccano", "sample-article.doccano.jsonl"),
        ("brat", "sample-article.brat.zip"),
        ("label-studio", "sample-article.label-studio.json"),
        ("prodigy", "sample-article.prodigy.jsonl"),
        ("hf", "sample-article.hf.jsonl"),
        ("conll", "sample-article.conll"),
    ] {
        browser
            .wait_for("[data-testid=export-format]")
            .await
            .select_by_value(format)
            .await
            .unwrap();
        browser.click("[data-testid=export]").await;
        let path = browser.downloads.path().join(file_name);
        let bytes = browser.downloaded_bytes(file_name).await;
        let carries = !matches!(format, "spacy" | "conll" | "hf");
        if !carries {
            let status = browser
                .eval("document.querySelector('[data-testid=status]').textContent")
                .await;
            assert!(
                status.as_str().unwrap().contains("1 relation left out"),
                "{format}: {status}"
            );
        }

        // What the file says, checked against the document by code points.
        match format {
            "spacy" => {
                let line: Value = serde_json::from_slice(&bytes).unwrap();
                assert_eq!(line["text"], document.text());
                for span in line["spans"].as_array().unwrap() {
                    let (start, end) = (
                        span["start"].as_u64().unwrap() as usize,
                        span["end"].as_u64().unwrap() as usize,
                    );
                    let quote: String = document
                        .text()
                        .chars()
                        .skip(start)
                        .take(end - start)
                        .collect();
                    assert_eq!(span["text"], quote.as_str());
                    assert!(
                        ["CLAIM", "QUOTE", "CONDITION"].contains(&span["label"].as_str().unwrap())
                    );
                }
            }
            "doccano" => {
                // With a relation, doccano's relation form: entities with ids, and relations.
                let line: Value = serde_json::from_slice(&bytes).unwrap();
                assert!(line["entities"].as_array().unwrap().iter().any(|e| {
                    (&e["start_offset"], &e["end_offset"], &e["label"])
                        == (&json!(wave_start), &json!(wave_end), &json!("claim"))
                }));
                assert_eq!(line["relations"].as_array().unwrap().len(), 1);
            }
            "w3c" => {
                let collection: Value = serde_json::from_slice(&bytes).unwrap();
                let items = collection["first"]["items"].as_array().unwrap();
                assert_eq!(items.len(), 5, "four annotations and one relation");
                assert_eq!(items[4]["motivation"], "linking");
                assert_eq!(items[0]["motivation"], "tagging");
                assert!(items[0]["id"].as_str().unwrap().starts_with("urn:uuid:"));
            }
            "brat" => {
                let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
                let mut ann = String::new();
                std::io::Read::read_to_string(
                    &mut zip.by_name("sample-article.ann").unwrap(),
                    &mut ann,
                )
                .unwrap();
                assert!(
                    ann.contains(&format!("Claim {wave_start} {wave_end}\t🌊")),
                    "{ann}"
                );
                let mut txt = String::new();
                std::io::Read::read_to_string(
                    &mut zip.by_name("sample-article.txt").unwrap(),
                    &mut txt,
                )
                .unwrap();
                assert_eq!(txt, document.text());
            }
            "conll" => {
                let text = String::from_utf8(bytes.clone()).unwrap();
                assert!(text.contains("🌊\tB-CLAIM"), "the emoji is its own token");
                // The nested claim inside the quote is left out, and the status says so.
                let status = browser
                    .eval("document.querySelector('[data-testid=status]').textContent")
                    .await;
                assert!(
                    status
                        .as_str()
                        .unwrap()
                        .contains("1 nested or overlapping span was left out of the CoNLL file"),
                    "{status}"
                );
            }
            "label-studio" => {
                let tasks: Value = serde_json::from_slice(&bytes).unwrap();
                assert_eq!(tasks[0]["data"]["text"], document.text());
                let results = tasks[0]["annotations"][0]["result"].as_array().unwrap();
                assert_eq!(results.len(), 5, "four regions and one relation");
                assert!(results.iter().any(|r| r["type"] == "relation"));
                assert!(results.iter().any(|r| r["value"]
                    == json!({"start": wave_start, "end": wave_end, "text": "🌊", "labels": ["claim"]})));
            }
            "prodigy" => {
                let line: Value = serde_json::from_slice(&bytes).unwrap();
                let tokens = line["tokens"].as_array().unwrap();
                let rebuilt: String = tokens
                    .iter()
                    .map(|t| {
                        let ws = if t["ws"] == json!(true) { " " } else { "" };
                        format!("{}{ws}", t["text"].as_str().unwrap())
                    })
                    .collect();
                assert_eq!(
                    rebuilt,
                    document.text(),
                    "spaCy's Doc(words, spaces) is the text"
                );
                let wave = line["spans"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|s| s["start"] == json!(wave_start))
                    .unwrap();
                let token = &tokens[wave["token_start"].as_u64().unwrap() as usize];
                assert_eq!(token["text"], "🌊");
                assert_eq!(wave["token_start"], wave["token_end"]);
            }
            "hf" => {
                let text = String::from_utf8(bytes.clone()).unwrap();
                let tagged_wave = text.lines().any(|line| {
                    let line: Value = serde_json::from_str(line).unwrap();
                    let tokens = line["tokens"].as_array().unwrap();
                    let at = tokens.iter().position(|t| t == "🌊");
                    at.is_some_and(|i| line["ner_tags"][i] == "B-CLAIM")
                });
                assert!(tagged_wave, "the emoji is its own token: {text}");
                let status = browser
                    .eval("document.querySelector('[data-testid=status]').textContent")
                    .await;
                assert!(
                    status.as_str().unwrap().contains(
                        "1 nested or overlapping span was left out of the Hugging Face file"
                    ),
                    "{status}"
                );
            }
            _ => unreachable!(),
        }

        // Clear the document, import the file back: the same spans and tags.
        delete_all(&browser).await;
        browser.choose_file("import-annotations", &path).await;
        let expected_here: Vec<Value> = if format == "conll" || format == "hf" {
            expected
                .iter()
                .filter(|a| a[1] != json!(sample_span("Renée").0) || a[0] != "claim")
                .cloned()
                .collect()
        } else {
            expected.clone()
        };
        browser.wait_for_count(expected_here.len()).await;
        assert_eq!(
            without_selection(annotation_attrs(&browser).await),
            expected_here,
            "{format}"
        );
        // The relation comes back from every format that carries relations; the others said
        // they left it out.
        assert_eq!(
            browser.eval(RELATIONS).await,
            json!(if carries { "1" } else { "0" }),
            "{format}"
        );
        assert_eq!(
            browser
                .eval("document.querySelector('[data-testid=status]').dataset.placed")
                .await,
            json!(expected_here.len().to_string()),
            "{format}: every annotation placed at its offsets"
        );
        if !carries {
            // That format left the relation (and CoNLL and Hugging Face the nested claim)
            // out: bring everything back from the W3C file before the next format.
            delete_all(&browser).await;
            let w3c = browser.downloads.path().join("sample-article.w3c.jsonld");
            browser.choose_file("import-annotations", &w3c).await;
            browser.wait_for_count(expected.len()).await;
            browser.wait_until(RELATIONS, json!("1")).await;
        }
    }
    browser.screenshot("09-formats").await;
    browser.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn selections_snap_to_whole_words_unless_turned_off_and_question_mark_shows_the_keys() {
    let (_one, browser) = open_app().await;
    let (start, _) = sample_span("412 million euros");

    // From inside "million" to inside "euros": the tag covers both whole words.
    browser.drag_select_within("412 million euros", 5, 14).await;
    browser.press('1').await;
    browser.wait_for_count(1).await;
    assert_eq!(
        annotation_attrs(&browser).await[0],
        json!(["claim", start + 4, start + 17, "true"])
    );

    // Snapping off: the same drag covers exactly the characters dragged over; remembered.
    browser.click("[data-testid=snap-words]").await;
    browser.reload().await;
    browser.wait_for("[data-testid=article] p").await;
    assert_eq!(
        browser
            .eval("document.querySelector('[data-testid=snap-words]').checked")
            .await,
        json!(false)
    );
    browser.drag_select_within("412 million euros", 5, 14).await;
    browser.press('2').await;
    browser.wait_for_count(2).await;
    let attrs = annotation_attrs(&browser).await;
    assert!(
        attrs.contains(&json!(["quote", start + 5, start + 14, "true"])),
        "{attrs:?}"
    );

    // `?` opens the shortcut sheet; Esc closes it.
    browser.click("[data-testid=undo]").await; // focus out of the article, on a plain button
    browser.press('?').await;
    browser.wait_for("[data-testid=shortcuts]").await;
    browser.screenshot("10-shortcuts").await;
    browser.press('\u{E00C}').await; // Escape
    browser.wait_gone("[data-testid=shortcuts]").await;
    browser.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_keyboard_alone_selects_and_tags_a_span() {
    use harness::{ARROW_DOWN, ARROW_RIGHT, CONTROL, SHIFT, TAB};
    let (_one, browser) = open_app().await;
    // Tab keeps its usual meaning: it goes through the header and reaches the article (no trap).
    let mut tabs = 0;
    while browser
        .eval("document.activeElement.dataset.testid === 'article'")
        .await
        != json!(true)
    {
        browser.press(TAB).await;
        tabs += 1;
        assert!(tabs < 30, "the article never took focus");
    }
    // From a fresh page: the first Tab reaches the skip link, Enter puts the focus in the article.
    browser.reload().await;
    browser.wait_for("[data-testid=article] p").await;
    browser
        // A click a key press makes (Enter on a link) has detail 0; a mouse's has 1 or more.
        .eval("(window.__mouse = 0, ['mousedown','mouseup','click','mousemove'].forEach(t => document.addEventListener(t, e => { if (t !== 'click' || e.detail > 0) window.__mouse++; }, true)), true)")
        .await;
    browser.press(TAB).await;
    assert_eq!(
        browser.eval("document.activeElement.dataset.testid").await,
        "skip-to-article"
    );
    browser.press('\u{E007}').await;
    browser
        .wait_until(
            "document.activeElement.dataset.testid === 'article'",
            json!(true),
        )
        .await;
    // The caret is drawn; Ctrl+Down moves to the next paragraph, Shift+Ctrl+Right extends by word.
    browser.wait_for(".caret").await;
    browser.press_chord(&[CONTROL], ARROW_DOWN).await;
    browser.press_chord(&[SHIFT, CONTROL], ARROW_RIGHT).await;
    browser.press_chord(&[SHIFT, CONTROL], ARROW_RIGHT).await;
    browser.press('1').await;
    browser.wait_for_count(1).await;
    let (start, end) = sample_span("PORT ALDER");
    assert_eq!(
        annotation_attrs(&browser).await[0],
        json!(["claim", start, end, "true"])
    );
    assert_eq!(
        browser.eval("window.__mouse").await,
        json!(0),
        "no mouse event at all"
    );
    eprintln!("keyboard-only: Tab, Enter + 4 keys (or {tabs} Tab presses through the header)");
    browser.screenshot("11-keyboard-only").await;

    // A whole sentence (the first paragraph is one) from a fresh page: Tab, Enter, Ctrl+Down,
    // Shift+Ctrl+Down, 1: five keystrokes.
    browser.reload().await;
    browser.wait_for("[data-testid=article] p").await;
    browser.press(TAB).await;
    browser.press('\u{E007}').await;
    browser
        .wait_until(
            "document.activeElement.dataset.testid === 'article'",
            json!(true),
        )
        .await;
    browser.press_chord(&[CONTROL], ARROW_DOWN).await;
    browser.press_chord(&[SHIFT, CONTROL], ARROW_DOWN).await;
    browser.press('1').await;
    browser.wait_for_count(2).await;
    let document = Document::from_raw(SAMPLE_TEXT);
    let first = &document.paragraphs()[1];
    let sentence = document.paragraph_text(first);
    assert!(
        sentence.ends_with("take six years to complete."),
        "{sentence}"
    );
    let (start, end) = sample_span(sentence);
    assert!(
        annotation_attrs(&browser)
            .await
            .contains(&json!(["claim", start, end, "true"])),
        "the sentence is tagged as a claim: {:?}",
        annotation_attrs(&browser).await
    );
    browser.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shift_alt_arrows_resize_the_selected_annotation_word_by_word() {
    use harness::{ALT, ARROW_DOWN, ARROW_LEFT, ARROW_RIGHT, ARROW_UP, SHIFT};
    let (_one, browser) = open_app().await;
    browser.tag("national government", '1', 1).await;
    let span = || async {
        let attrs = annotation_attrs(&browser).await;
        (attrs[0][1].as_u64().unwrap(), attrs[0][2].as_u64().unwrap())
    };
    // Offsets inside "the national government agreed", found once in the sample.
    let (the, _) = sample_span("the national government agreed");
    let at = |from: usize, text: &str| (the + from as u64, the + (from + text.len()) as u64);
    let steps = [
        (ARROW_RIGHT, at(4, "national government agreed")),
        (ARROW_UP, at(0, "the national government agreed")),
        (ARROW_DOWN, at(4, "national government agreed")),
        (ARROW_LEFT, at(4, "national government")),
        (ARROW_LEFT, at(4, "national")),
    ];
    for (key, (start, end)) in steps {
        browser.press_chord(&[SHIFT, ALT], key).await;
        browser
            .wait_until(EXTENTS, json!(format!("{start}:{end}")))
            .await;
        assert_eq!(span().await, (start, end));
    }
    // A one-word span keeps its last word; undo takes back one step at a time.
    browser.press_chord(&[SHIFT, ALT], ARROW_LEFT).await;
    assert_eq!(span().await, at(4, "national"));
    browser.press_ctrl('z').await;
    let (start, end) = at(4, "national government");
    browser
        .wait_until(EXTENTS, json!(format!("{start}:{end}")))
        .await;
    browser.screenshot("12-resized").await;
    browser.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dragging_a_handle_resizes_the_selected_annotation_by_words_or_characters() {
    let (_one, browser) = open_app().await;
    browser.tag("national government", '1', 1).await;
    let (the, _) = sample_span("the national government agreed to cover");
    let at = |from: usize, text: &str| {
        format!("{}:{}", the + from as u64, the + (from + text.len()) as u64)
    };
    // The new annotation is selected: its handles are at its ends.
    browser.wait_for("[data-testid=resize-end]").await;
    // Let go in the middle of "agreed": the end takes the whole word.
    browser
        .drag_to_text(
            "[data-testid=resize-end]",
            "the national government agreed to cover",
            27,
        )
        .await;
    browser
        .wait_until(EXTENTS, json!(at(4, "national government agreed")))
        .await;
    browser.screenshot("13-handle-dragged").await;
    // The handles follow the text when the layout changes (a narrower window rewraps it).
    let end_handle_on_text = "(() => { \
        const p = [...document.querySelectorAll('[data-testid=article] [data-offset]')].find(p => p.textContent.includes('national government agreed')); \
        const at = p.textContent.indexOf('national government agreed') + 26; \
        const r = document.createRange(); r.setStart(p.firstChild, at - 1); r.setEnd(p.firstChild, at); \
        const text = r.getBoundingClientRect(); \
        const knob = document.querySelector('[data-testid=resize-end]').getBoundingClientRect(); \
        return Math.abs(knob.left + knob.width / 2 - text.right) < 2 && knob.top > text.top; })()";
    browser.wait_until(end_handle_on_text, json!(true)).await;
    browser.client.set_window_size(1000, 900).await.unwrap();
    browser.wait_until(end_handle_on_text, json!(true)).await;
    browser.client.set_window_size(1280, 900).await.unwrap();
    browser.wait_until(end_handle_on_text, json!(true)).await;
    // The start back into "the", with snapping off: exactly where it is let go.
    browser.click("[data-testid=snap-words]").await;
    browser.click("[data-testid=annotation]").await;
    browser.wait_for("[data-testid=resize-start]").await;
    browser
        .drag_to_text(
            "[data-testid=resize-start]",
            "the national government agreed to cover",
            1,
        )
        .await;
    browser
        .wait_until(EXTENTS, json!(at(1, "he national government agreed")))
        .await;
    // Each drag is one undo step.
    browser.click("[data-testid=undo]").await;
    browser
        .wait_until(EXTENTS, json!(at(4, "national government agreed")))
        .await;
    browser.click("[data-testid=undo]").await;
    browser
        .wait_until(EXTENTS, json!(at(4, "national government")))
        .await;
    browser.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_f_finds_every_match_selects_them_and_tags_all_in_one_step() {
    let (_one, browser) = open_app().await;
    let expected: Vec<(u64, u64)> = {
        let document = Document::from_raw(SAMPLE_TEXT);
        document
            .find_all("barrier", false)
            .into_iter()
            .map(|s| (s.start as u64, s.end as u64))
            .collect()
    };
    assert!(expected.len() > 3);
    // A span already tagged as a claim at one of the matches is not tagged twice.
    browser.tag("barrier", '1', 1).await;

    browser.press_ctrl('f').await;
    let search = browser.wait_for("[data-testid=search]").await;
    search.send_keys("BARRIER").await.unwrap();
    browser
        .wait_until(
            "+document.querySelector('[data-testid=search-count]').dataset.count",
            json!(expected.len()),
        )
        .await;
    // Enter selects the first match in the article: the page's own Selection.
    browser.press('\u{E007}').await;
    browser
        .wait_until("getSelection().toString()", json!("barrier"))
        .await;
    browser.screenshot("13-search").await;

    browser.click("[data-testid=search-tag-claim]").await;
    browser.wait_for_count(expected.len()).await;
    let spans: Vec<(u64, u64)> = annotation_attrs(&browser)
        .await
        .iter()
        .map(|a| (a[1].as_u64().unwrap(), a[2].as_u64().unwrap()))
        .collect();
    assert_eq!(spans, expected);
    let status = browser
        .eval("document.querySelector('[data-testid=status]').textContent")
        .await;
    assert!(
        status.as_str().unwrap().contains("(1 already were)"),
        "{status}"
    );
    // One step: undo takes all of them back, and only them.
    browser.click("[data-testid=undo]").await;
    browser.wait_for_count(1).await;
    browser.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sidebar_filters_by_tag_and_by_text_and_keeps_the_total() {
    let (_one, browser) = open_app().await;
    browser.tag("Flooding along the estuary", '1', 1).await;
    browser.tag("Residents appear divided", '2', 2).await;
    browser.tag("The council vote is scheduled", '1', 3).await;
    let shown = || async {
        browser
            .eval(
                "(() => { const l = document.querySelector('[data-testid=annotation-list]'); \
                 return [+l.dataset.count, +l.dataset.shown, \
                 [...l.querySelectorAll('[data-testid=annotation]')].map(e => e.dataset.tag)]; })()",
            )
            .await
    };
    browser
        .click("[data-testid=filter-tag][data-tag=claim]")
        .await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=filter-tag][data-tag=claim]').getAttribute('aria-pressed')",
            json!("true"),
        )
        .await;
    assert_eq!(shown().await, json!([3, 2, ["claim", "claim"]]));
    let filter = browser.wait_for("[data-testid=filter-text]").await;
    filter.send_keys("COUNCIL").await.unwrap();
    browser
        .wait_until(
            "+document.querySelector('[data-testid=annotation-list]').dataset.shown",
            json!(1),
        )
        .await;
    browser.screenshot("14-filtered").await;
    // The same tag again turns the tag filter off; clearing the text shows all.
    browser
        .click("[data-testid=filter-tag][data-tag=claim]")
        .await;
    filter.clear().await.unwrap();
    filter.send_keys(" ").await.unwrap();
    filter.send_keys("\u{E003}").await.unwrap();
    browser
        .wait_until(
            "+document.querySelector('[data-testid=annotation-list]').dataset.shown",
            json!(3),
        )
        .await;
    assert_eq!(shown().await, json!([3, 3, ["claim", "quote", "claim"]]));
    browser.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hovering_annotated_text_shows_each_tag_and_note() {
    use fantoccini::actions::{InputSource, MouseActions, PointerAction};
    let (_one, browser) = open_app().await;
    // A quote with a claim nested inside it.
    browser
        .drag_select("We are no longer talking about a once-in-a-century storm")
        .await;
    browser.press('2').await;
    browser.wait_for_count(1).await;
    browser.tag("once-in-a-century storm", '1', 2).await;
    // Typing a note saves the annotation's record (a burst of keystrokes is one commit or a
    // few), but never a library record (entries, labels, counts stay as they are). First the
    // second tag's own commit (its annotation and the new count, one transaction) lands.
    for _ in 0..100 {
        if browser.stored_keys("ann/").await.len() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    browser
        .eval(
            "(() => { window.__writes = {library: [], annotations: 0, last: ''}; \
             const put = IDBObjectStore.prototype.put; \
             IDBObjectStore.prototype.put = function (value, key) { \
               if (typeof key === 'string' && key.startsWith('ann/')) { window.__writes.annotations++; window.__writes.last = value; } \
               else if (typeof key === 'string' && /^(doc|label|count)\\//.test(key)) window.__writes.library.push(key); \
               return put.call(this, value, key); }; return true; })()",
        )
        .await;
    browser
        .wait_for("[data-testid=note]")
        .await
        .send_keys("check the record")
        .await
        .unwrap();
    browser
        .wait_until(
            "window.__writes.last.includes('\"note\":\"check the record\"')",
            json!(true),
        )
        .await;
    assert_eq!(browser.eval("window.__writes.library").await, json!([]));
    let point = browser
        .eval(
            "(() => { for (const p of document.querySelectorAll('[data-testid=article] [data-offset]')) { \
               const at = p.textContent.indexOf('century'); if (at < 0) continue; \
               const r = document.createRange(); r.setStart(p.firstChild, at + 2); r.setEnd(p.firstChild, at + 3); \
               const b = r.getBoundingClientRect(); return [b.left + b.width / 2, b.top + b.height / 2]; } })()",
        )
        .await;
    let (x, y) = (point[0].as_f64().unwrap(), point[1].as_f64().unwrap());
    let hover = MouseActions::new("mouse".into())
        .then(PointerAction::MoveTo {
            duration: None,
            x: x - 30.0,
            y,
        })
        .then(PointerAction::MoveTo {
            duration: Some(std::time::Duration::from_millis(100)),
            x,
            y,
        });
    browser.client.perform_actions(hover).await.unwrap();
    browser
        .wait_until(
            "[...document.querySelectorAll('[data-testid=hover-card] li')].map(li => [li.querySelector('.hover-tag').textContent, li.querySelector('.hover-note')?.textContent ?? ''])",
            json!([["Quote", ""], ["Claim", "check the record"]]),
        )
        .await;
    // Each label's guideline is in the card too.
    assert_eq!(
        browser
            .eval("document.querySelector('[data-testid=hover-card] .hover-guideline').textContent.startsWith('Words attributed')")
            .await,
        json!(true)
    );
    browser.screenshot("15-hover").await;
    let away = MouseActions::new("mouse".into()).then(PointerAction::MoveTo {
        duration: None,
        x: 5.0,
        y: 5.0,
    });
    browser.client.perform_actions(away).await.unwrap();
    browser.wait_gone("[data-testid=hover-card]").await;
    browser.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pasted_text_opens_as_a_document_and_stays_in_the_library() {
    let (_one, browser) = open_app().await;
    browser.click("[data-testid=paste-document]").await;
    let area = browser.wait_for("[data-testid=paste-text]").await;
    area.send_keys("A pasted report 🌊.\n\nIt has two paragraphs.")
        .await
        .unwrap();
    let name = browser.wait_for("[data-testid=paste-name]").await;
    name.clear().await.unwrap();
    name.send_keys("wire-story.txt").await.unwrap();
    browser.click("[data-testid=paste-open]").await;
    browser
        .wait_until(
            "[...document.querySelectorAll('[data-testid=article] [data-offset]')].map(p => p.dataset.offset + ':' + p.textContent).join('|')",
            json!("0:A pasted report 🌊.|20:It has two paragraphs."),
        )
        .await;
    assert_eq!(
        browser
            .eval("document.querySelector('[data-testid=paste-dialog]') === null")
            .await,
        true
    );
    browser.tag("two paragraphs", '1', 1).await;
    browser.reload().await;
    browser.wait_for("[data-testid=article] p").await;
    browser.wait_for_count(1).await;
    assert_eq!(
        browser
            .eval(
                "document.querySelector('[data-testid=document][aria-current=true]').dataset.name"
            )
            .await,
        "wire-story.txt"
    );
    browser.stop().await;
}

/// axe-core (npm, pinned in package.json) on the app with an annotation selected, and on the
/// label editor, in both themes: no serious or critical violation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_core_finds_no_serious_violation_in_either_theme() {
    let axe = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js"),
    )
    .expect("axe-core is installed by scripts/setup.sh");
    let (_one, browser) = open_app().await;
    browser.tag("said Mayor Renée Castellanos", '2', 1).await;
    // Run in the page through WebDriver (not an inline script, which the page's policy refuses).
    browser
        .client
        .execute(&format!("{axe}\nwindow.axe = axe; return true;"), vec![])
        .await
        .unwrap();
    // The label editor too, with every part of it shown: an added label and a removed one.
    browser.click("[data-testid=edit-labels]").await;
    let new_name = browser.wait_for("[data-testid=label-new-name]").await;
    new_name.send_keys("Named source\u{E007}").await.unwrap();
    browser
        .click("[data-testid=label][data-tag=condition] [data-testid=label-remove]")
        .await;
    browser.wait_for("[data-testid=label-removed]").await;
    browser.click("[data-testid=label-editor-close]").await;
    let run_axe = || async {
        let violations = browser
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1]; \
                 window.axe.run(document).then(r => done([r.passes.length, r.violations \
                   .filter(v => v.impact === 'serious' || v.impact === 'critical') \
                   .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))]));",
                vec![],
            )
            .await
            .unwrap();
        assert!(
            violations[0].as_u64().unwrap() > 10,
            "axe ran its checks: {violations}"
        );
        violations[1].clone()
    };
    for theme in ["light", "dark"] {
        if browser.eval("document.documentElement.dataset.theme").await != theme {
            browser.click("[data-testid=theme-toggle]").await;
            browser
                .wait_until("document.documentElement.dataset.theme", json!(theme))
                .await;
        }
        assert_eq!(run_axe().await, json!([]), "{theme} theme");
        browser.screenshot(&format!("16-axe-{theme}")).await;
        browser.click("[data-testid=edit-labels]").await;
        browser.wait_for("[data-testid=label-editor]").await;
        assert_eq!(run_axe().await, json!([]), "{theme} theme, label editor");
        browser.screenshot(&format!("16-axe-{theme}-labels")).await;
        browser.click("[data-testid=label-editor-close]").await;
    }
    browser.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_are_marked_done_and_the_progress_survives_a_reload() {
    let (_one, browser) = open_app().await;
    let file = tempfile::Builder::new().suffix(".txt").tempfile().unwrap();
    std::fs::write(file.path(), "A second article.\n\nWith two paragraphs.").unwrap();
    browser.choose_file("open-document", file.path()).await;
    browser.wait_for_documents(2).await;
    browser.click("[data-testid=document-done]").await;
    let progress = "document.querySelector('[data-testid=documents-done]').textContent";
    browser.wait_until(progress, json!("1 of 2 done")).await;
    browser.reload().await;
    browser.wait_for("[data-testid=article] p").await;
    browser.wait_until(progress, json!("1 of 2 done")).await;
    assert_eq!(
        browser
            .eval(
                "[...document.querySelectorAll('[data-testid=document-done]')].map(c => c.checked)"
            )
            .await,
        json!([true, false])
    );
    browser.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renamed_document_exports_under_its_new_name() {
    let (_one, browser) = open_app().await;
    browser.tag("Flooding along the estuary", '1', 1).await;
    browser.click("[data-testid=document-rename-start]").await;
    // The field opens with the old name selected: typing replaces it.
    let input = browser.wait_for("[data-testid=document-rename]").await;
    input
        .send_keys("port-alder-barrier.txt\u{E007}")
        .await
        .unwrap();
    browser
        .wait_until(
            "document.querySelector('[data-testid=document]').dataset.name",
            json!("port-alder-barrier.txt"),
        )
        .await;
    browser.click("[data-testid=export]").await;
    let exported = browser
        .downloaded("port-alder-barrier.marginalia.json")
        .await;
    let file: Value = serde_json::from_str(&exported).unwrap();
    assert_eq!(file["name"], "port-alder-barrier.txt");
    browser.reload().await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=document]')?.dataset.name ?? ''",
            json!("port-alder-barrier.txt"),
        )
        .await;
    browser.stop().await;
}

/// The attribute `attribute` of the label editor's row for `tag`.
fn label_row(tag: &str, attribute: &str) -> String {
    format!("document.querySelector('[data-testid=label][data-tag=\"{tag}\"]')?.{attribute}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn labels_are_added_renamed_recoloured_rekeyed_removed_and_kept_across_a_reload() {
    let (_one, browser) = open_app().await;
    browser.click("[data-testid=edit-labels]").await;
    // A modal dialog: Tab and Shift+Tab go round its controls, never to the page behind.
    {
        use harness::{SHIFT, TAB};
        let inside =
            "document.querySelector('[data-testid=label-editor]').contains(document.activeElement)";
        let mut seen = std::collections::HashSet::new();
        for _ in 0..24 {
            browser.press(TAB).await;
            assert_eq!(browser.eval(inside).await, json!(true));
            seen.insert(
                browser
                    .eval("document.activeElement.outerHTML")
                    .await
                    .to_string(),
            );
        }
        for _ in 0..24 {
            browser.press_chord(&[SHIFT], TAB).await;
            assert_eq!(browser.eval(inside).await, json!(true));
        }
        assert!(seen.len() > 10, "Tab visits every control: {}", seen.len());
    }
    // Typing a name and Enter adds a label on the next free key with a colour of its own.
    let new_name = browser.wait_for("[data-testid=label-new-name]").await;
    new_name.send_keys("Named source\u{E007}").await.unwrap();
    browser
        .wait_until(
            &label_row("named-source", "className"),
            json!("label-row label-vermilion"),
        )
        .await;
    assert_eq!(
        browser
            .eval(&label_row(
                "named-source",
                "querySelector('[data-testid=label-key]').value"
            ))
            .await,
        json!("5")
    );
    // A name already used is refused in the dialog, and stays in the field to be changed.
    new_name.send_keys("claim\u{E007}").await.unwrap();
    browser
        .wait_until(
            "document.querySelector('[data-testid=label-error]')?.textContent",
            json!("Not changed: there is already a label named “claim”."),
        )
        .await;
    assert_eq!(
        browser
            .eval("document.querySelector('[data-testid=label-new-name]').value")
            .await,
        json!("claim")
    );
    new_name
        .send_keys("\u{E009}a\u{E000}\u{E003}")
        .await
        .unwrap();
    // Rename claim (its id, and so data-tag, stays), recolour quote, give key 1 to the new label.
    let claim_name = browser
        .wait_for("[data-testid=label][data-tag=claim] [data-testid=label-name]")
        .await;
    claim_name
        .send_keys("\u{E009}a\u{E000}Assertion\u{E004}")
        .await
        .unwrap();
    browser
        .wait_for("[data-testid=label][data-tag=quote] [data-testid=label-colour]")
        .await
        .select_by_value("vermilion")
        .await
        .unwrap();
    browser
        .wait_for("[data-testid=label][data-tag=named-source] [data-testid=label-key]")
        .await
        .select_by_value("1")
        .await
        .unwrap();
    browser
        .wait_until(
            &label_row("claim", "querySelector('[data-testid=label-key]').value"),
            json!("5"),
        )
        .await;
    browser.screenshot("labels-editor").await;
    browser.click("[data-testid=label-editor-close]").await;

    // The keys follow: 1 is the new label now, 5 is claim (shown as Assertion).
    browser.tag("Flooding along the estuary", '1', 1).await;
    browser.tag("would only decide", '5', 2).await;
    let tags = "[...document.querySelectorAll('[data-testid=annotation]')].map(e => [e.dataset.tag, e.querySelector('.tag-badge').textContent])";
    let before = browser.eval(tags).await;
    let mut expected = vec![
        json!(["named-source", "Named source"]),
        json!(["claim", "Assertion"]),
    ];
    if sample_span("would only decide").0 < sample_span("Flooding along the estuary").0 {
        expected.reverse();
    }
    assert_eq!(before, Value::Array(expected.clone()));
    // The new label's span is drawn in its colour.
    let drawn_in = |colour: &str| {
        format!(
            "['0','1','2'].reduce((n, d) => n + CSS.highlights.get('mg-{colour}-' + d).size, 0)"
        )
    };
    browser.wait_until(&drawn_in("vermilion"), json!(1)).await;

    // Removing a label keeps its annotation (grey, under the label's name) and frees its key.
    browser.click("[data-testid=edit-labels]").await;
    browser
        .click("[data-testid=label][data-tag=named-source] [data-testid=label-remove]")
        .await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=label-removed][data-tag=named-source]')?.dataset.count",
            json!("1"),
        )
        .await;
    browser.click("[data-testid=label-editor-close]").await;
    browser.wait_for_count(2).await;
    assert_eq!(browser.eval(tags).await, Value::Array(expected.clone()));
    browser.wait_until(&drawn_in("none"), json!(1)).await;
    browser.drag_select("Port Alder").await;
    browser.press('1').await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        browser.annotation_count().await,
        2,
        "key 1 has no label now"
    );

    // Everything is back after a reload, and restoring gives the label its annotation back.
    browser.reload().await;
    browser.wait_for_count(2).await;
    assert_eq!(browser.eval(tags).await, Value::Array(expected));
    browser.click("[data-testid=edit-labels]").await;
    assert_eq!(
        browser
            .eval(&label_row(
                "claim",
                "querySelector('[data-testid=label-name]').value"
            ))
            .await,
        json!("Assertion")
    );
    assert_eq!(
        browser.eval(&label_row("quote", "className")).await,
        json!("label-row label-vermilion")
    );
    browser
        .click("[data-testid=label-removed][data-tag=named-source] [data-testid=label-restore]")
        .await;
    browser
        .wait_until(
            &label_row(
                "named-source",
                "querySelector('[data-testid=label-key]').value",
            ),
            json!("1"),
        )
        .await;
    // Undo takes back a label edit: removed again, then back with its key and colour.
    browser
        .click("[data-testid=label][data-tag=claim] [data-testid=label-remove]")
        .await;
    browser
        .wait_for("[data-testid=label-removed][data-tag=claim]")
        .await;
    browser.click("[data-testid=label-undo]").await;
    browser
        .wait_until(
            &label_row("claim", "querySelector('[data-testid=label-key]').value"),
            json!("5"),
        )
        .await;
    assert_eq!(
        browser
            .eval("document.querySelector('[data-testid=label-removed][data-tag=claim]') === null")
            .await,
        json!(true)
    );
    browser.press('\u{E00C}').await; // Escape closes the dialog
    browser.wait_gone("[data-testid=label-editor]").await;
    assert_eq!(
        browser.eval("document.activeElement.dataset.testid").await,
        json!("edit-labels"),
        "focus returns to the button that opened the dialog"
    );

    // The labels travel with the marginalia export.
    browser.click("[data-testid=export]").await;
    let file: Value =
        serde_json::from_str(&browser.downloaded("sample-article.marginalia.json").await).unwrap();
    let labels: Vec<Value> = file["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| json!([l["tag"], l["name"], l["colour"], l["key"]]))
        .collect();
    assert_eq!(
        labels,
        vec![
            json!(["claim", "Assertion", "blue", 5]),
            json!(["quote", "Quote", "vermilion", 2]),
            json!(["condition", "Condition", "purple", 3]),
            json!(["source", "Source", "green", 4]),
            json!(["named-source", "Named source", "vermilion", 1]),
        ]
    );
    browser.stop().await;
}

/// Opens a `.txt` document with `text` (named after `stem`) and waits until the library lists
/// `count` documents.
async fn open_text_document(browser: &Browser, stem: &str, text: &str, count: usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{stem}.txt"));
    std::fs::write(&path, text).unwrap();
    browser.choose_file("open-document", &path).await;
    browser.wait_for_documents(count).await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=document][aria-current=true]').dataset.name",
            json!(format!("{stem}.txt")),
        )
        .await;
}

/// The names of the entries of a zip.
fn zip_names(bytes: &[u8]) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().to_owned())
        .collect()
}

/// The second document of the corpus tests.
const SECOND: &str = "A second article.\n\nThe minister would only decide later.";

/// Tags a claim in the sample, opens [`SECOND`] and tags a condition there (it is current).
async fn two_tagged_documents(browser: &Browser) {
    browser.tag("Flooding along the estuary", '1', 1).await;
    open_text_document(browser, "second", SECOND, 2).await;
    browser.tag("would only decide", '3', 1).await;
}

/// Empties the browser's storage and reloads: someone else's browser, with the sample only.
/// (The database is deleted once this page lets go of it, before the reloaded page opens it.)
async fn forget_everything(browser: &Browser) {
    browser
        .eval("(localStorage.clear(), indexedDB.deleteDatabase('marginalia-records'), true)")
        .await;
    browser.reload().await;
    browser.wait_for("[data-testid=article] p").await;
}

/// Chooses `format` and clicks **All**.
async fn export_all(browser: &Browser, format: &str) {
    browser
        .wait_for("[data-testid=export-format]")
        .await
        .select_by_value(format)
        .await
        .unwrap();
    browser.click("[data-testid=export-all]").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_documents_export_at_once_and_a_deleted_document_comes_back_with_undo() {
    let (_one, browser) = open_app().await;
    two_tagged_documents(&browser).await;
    let second = SECOND;

    // Every document at once: a JSON line per document for spaCy, a zip of files otherwise.
    export_all(&browser, "spacy").await;
    let jsonl = browser.downloaded("marginalia-documents.spacy.jsonl").await;
    let lines: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["text"], Document::from_raw(SAMPLE_TEXT).text());
    assert_eq!(lines[1]["text"], second);
    let (start, end) = sample_span("Flooding along the estuary");
    assert_eq!(
        (&lines[0]["spans"][0]["start"], &lines[0]["spans"][0]["end"]),
        (&json!(start), &json!(end))
    );
    assert_eq!(lines[1]["spans"][0]["label"], "CONDITION");
    assert_eq!(lines[1]["spans"][0]["text"], "would only decide");
    browser
        .wait_until(
            "document.querySelector('[data-testid=status]').textContent",
            json!("Exported 2 annotations of 2 documents to marginalia-documents.spacy.jsonl."),
        )
        .await;
    export_all(&browser, "marginalia").await;
    let archive = browser
        .downloaded_bytes("marginalia-documents.marginalia.zip")
        .await;
    assert_eq!(
        zip_names(&archive),
        ["sample-article.marginalia.json", "second.marginalia.json"]
    );
    export_all(&browser, "brat").await;
    let archive = browser
        .downloaded_bytes("marginalia-documents.brat.zip")
        .await;
    assert_eq!(
        zip_names(&archive),
        [
            "sample-article.txt",
            "sample-article.ann",
            "second.txt",
            "second.ann",
            "annotation.conf"
        ]
    );

    // Deleting the current document makes the other current; Undo survives a reload.
    browser
        .click("[data-testid=document][aria-current=true] ~ [data-testid=document-delete]")
        .await;
    browser
        .wait_until(
            "[...document.querySelectorAll('[data-testid=document]')].map(d => d.dataset.name)",
            json!(["sample-article.txt"]),
        )
        .await;
    browser.wait_for_count(1).await;
    browser.reload().await;
    browser.wait_for("[data-testid=document-undelete]").await;
    browser.click("[data-testid=document-undelete]").await;
    browser
        .wait_until(
            "[...document.querySelectorAll('[data-testid=document]')].map(d => [d.dataset.name, d.dataset.count])",
            json!([["sample-article.txt", "1"], ["second.txt", "1"]]),
        )
        .await;
    browser
        .click("[data-testid=document][data-name='second.txt']")
        .await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=annotation]')?.dataset.tag",
            json!("condition"),
        )
        .await;

    // A document deleted before the last deletion is gone for good, every record of it.
    let second_id = Document::from_raw(second).sha256().to_owned();
    let kept = browser.stored_keys(&second_id).await;
    for kind in ["doc/", "text/", "ann/", "count/"] {
        assert!(
            kept.iter().any(|k| k.starts_with(kind)),
            "{kind} in {kept:?}"
        );
    }
    open_text_document(&browser, "third", "A third text.", 3).await;
    browser
        .click("[data-testid=document][data-name='second.txt'] ~ [data-testid=document-delete]")
        .await;
    browser.wait_for("[data-testid=document-undelete]").await;
    browser
        .click("[data-testid=document][data-name='third.txt'] ~ [data-testid=document-delete]")
        .await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=document-deleted]').textContent",
            json!("Deleted third.txt.Undo"),
        )
        .await;
    for _ in 0..100 {
        if browser.stored_keys(&second_id).await.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(browser.stored_keys(&second_id).await, Vec::<String>::new());
    browser.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_of_every_document_opens_in_a_fresh_browser_with_its_annotations() {
    let (_one, browser) = open_app().await;
    two_tagged_documents(&browser).await;
    let second = SECOND;
    export_all(&browser, "marginalia").await;
    let archive = browser
        .downloaded_bytes("marginalia-documents.marginalia.zip")
        .await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.zip");
    std::fs::write(&path, &archive).unwrap();

    // Someone else's browser: nothing stored but the sample article.
    forget_everything(&browser).await;
    browser.wait_for_count(0).await;
    browser.choose_file("open-document", &path).await;
    browser
        .wait_until(
            "[...document.querySelectorAll('[data-testid=document]')].map(d => [d.dataset.name, d.dataset.count])",
            json!([["sample-article.txt", "0"], ["second.txt", "1"]]),
        )
        .await;
    // The new document is current, with its annotation where it was made.
    browser.wait_for_count(1).await;
    let second_start = {
        let document = Document::from_raw(second);
        let byte = document.text().find("would only decide").unwrap();
        document.byte_to_char(byte) as u64
    };
    assert_eq!(
        annotation_attrs(&browser).await[0],
        json!(["condition", second_start, second_start + 17, "false"])
    );
    browser
        .wait_until(
            "document.querySelector('[data-testid=status]').textContent",
            json!("Opened 1 document from shared.zip, with 1 annotation. Already in the library, left as they are: sample-article.txt."),
        )
        .await;
    // The sample was already here: importing the same zip onto it takes its own file.
    browser
        .click("[data-testid=document][data-name='sample-article.txt']")
        .await;
    browser.wait_for_count(0).await;
    browser.choose_file("import-annotations", &path).await;
    browser.wait_for_count(1).await;
    let (start, end) = sample_span("Flooding along the estuary");
    assert_eq!(
        annotation_attrs(&browser).await[0],
        json!(["claim", start, end, "false"])
    );

    // A brat zip, spaCy, doccano or Prodigy lines and Label Studio tasks (every document's,
    // or another tool's corpus) open as documents too, one per .ann, line or task.
    let second_span = json!(["condition", second_start, second_start + 17, "false"]);
    for (format, file, name) in [
        ("brat", "marginalia-documents.brat.zip", "second.txt"),
        (
            "spacy",
            "marginalia-documents.spacy.jsonl",
            "marginalia-documents-2.txt",
        ),
        (
            "doccano",
            "marginalia-documents.doccano.jsonl",
            "marginalia-documents-2.txt",
        ),
        (
            "prodigy",
            "marginalia-documents.prodigy.jsonl",
            "marginalia-documents-2.txt",
        ),
        // Label Studio tasks carry each document's name.
        (
            "label-studio",
            "marginalia-documents.label-studio.json",
            "second.txt",
        ),
    ] {
        export_all(&browser, format).await;
        let bytes = browser.downloaded_bytes(file).await;
        let path = dir.path().join(file);
        std::fs::write(&path, &bytes).unwrap();
        forget_everything(&browser).await;
        browser.choose_file("open-document", &path).await;
        browser
            .wait_until(
                "document.querySelector('[data-testid=document][aria-current=true]').dataset.name",
                json!(name),
            )
            .await;
        browser.wait_for_count(1).await;
        assert_eq!(annotation_attrs(&browser).await[0], second_span, "{format}");
        // Back to a library holding both documents with their annotations, for the next export.
        forget_everything(&browser).await;
        browser
            .choose_file("open-document", &dir.path().join("shared.zip"))
            .await;
        browser.wait_for_count(1).await;
        browser
            .click("[data-testid=document][data-name='sample-article.txt']")
            .await;
        browser.wait_for_count(0).await;
        browser
            .choose_file("import-annotations", &dir.path().join("shared.zip"))
            .await;
        browser.wait_for_count(1).await;
    }
    browser.stop().await;
}
