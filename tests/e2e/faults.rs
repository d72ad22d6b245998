//! Hostile input, storage faults, two tabs and script injection, each driven as a user meets
//! it: a clear message, and nothing that was there is lost.

use std::time::Duration;

use serde_json::{json, Value};

use super::{open_app, sample_span};
use crate::harness::{base_url, Browser};

/// The disk a quota test's profile is on, in MB: Chromium gives the site a share of it.
const SMALL_DISK_MB: u32 = 48;

/// The status region's text and role.
async fn status(browser: &Browser) -> (String, String) {
    let value = browser
        .eval(
            "(() => { const s = document.querySelector('[data-testid=status]'); \
             return [s.textContent, s.getAttribute('role')]; })()",
        )
        .await;
    (
        value[0].as_str().unwrap_or_default().to_owned(),
        value[1].as_str().unwrap_or_default().to_owned(),
    )
}

/// Waits (up to 20 s) until the status region says something containing `expected`.
async fn wait_for_status(browser: &Browser, expected: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let (text, _) = status(browser).await;
        if text.contains(expected) {
            return;
        }
        if std::time::Instant::now() >= deadline {
            let page = browser
                .eval("document.querySelector('.app').outerHTML.slice(0, 3000)")
                .await;
            panic!("the status never said {expected:?}; it says {text:?}; the page: {page}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Tags two spans of the sample, so there is work to lose.
async fn annotate_two(browser: &Browser) {
    browser.tag("Flooding along the estuary", '1', 1).await;
    browser.tag("Residents appear divided", '2', 2).await;
}

async fn current_document(browser: &Browser) -> Value {
    browser
        .eval("document.querySelector('[data-testid=article]').getAttribute('aria-label')")
        .await
}

fn temp_file(suffix: &str, bytes: &[u8]) -> tempfile::NamedTempFile {
    let file = tempfile::Builder::new().suffix(suffix).tempfile().unwrap();
    std::fs::write(file.path(), bytes).unwrap();
    file
}

/// A file of `bytes` zeros that takes no disk space (the browser reads only its size).
fn sparse_file(suffix: &str, bytes: u64) -> tempfile::NamedTempFile {
    let file = tempfile::Builder::new().suffix(suffix).tempfile().unwrap();
    file.as_file().set_len(bytes).unwrap();
    file
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_imports_and_documents_are_refused_by_name_and_lose_nothing() {
    let (_one, browser) = open_app().await;
    annotate_two(&browser).await;
    let (start, end) = sample_span("Flooding");
    let export = format!(
        r#"{{"format":"marginalia","version":1,"annotations":[{{"id":"x1","start":{start},"end":{end},"tag":"claim"}},{{"id":"x2","start":{start},"end":{end},"tag":"quote"}}]}}"#
    );
    let truncated = &export[..export.len() / 2];
    let imports: Vec<(&str, Vec<u8>, &str)> = vec![
        ("not UTF-8", b"\xff\xfe{\"format\"".to_vec(), "not UTF-8 text"),
        ("not JSON", b"Dear editor, please find attached".to_vec(), "not an annotation file"),
        (
            "wrong shape",
            br#"{"format":"marginalia","version":1,"annotations":{"start":1}}"#.to_vec(),
            "annotations: invalid type: map",
        ),
        (
            "not a whole number",
            br#"{"format":"marginalia","version":1,"annotations":[{"start":1.5,"end":4,"tag":"claim"}]}"#.to_vec(),
            "annotations[0].start: invalid type: floating point",
        ),
        (
            "out of range",
            br#"{"format":"marginalia","version":1,"annotations":[{"start":1,"end":99999999,"tag":"claim"}]}"#.to_vec(),
            "1 could not be placed",
        ),
        (
            "one id twice",
            export.replace("\"x2\"", "\"x1\"").into_bytes(),
            "annotations[1].id: the id x1 is used twice",
        ),
        ("truncated", truncated.as_bytes().to_vec(), "EOF while parsing"),
    ];
    for (what, bytes, expected) in &imports {
        let file = temp_file(".json", bytes);
        browser.choose_file("import-annotations", file.path()).await;
        wait_for_status(&browser, expected).await;
        let (text, role) = status(&browser).await;
        if *what != "out of range" {
            assert_eq!(role, "alert", "{what}: {text}");
        }
        assert_eq!(
            browser.annotation_count().await,
            2,
            "{what} changed the document: {text}"
        );
    }
    // The out-of-range annotation was kept as an orphan, not dropped and not placed.
    browser
        .click("[data-testid=orphan] button:last-of-type")
        .await;

    // 50 MB: refused by its size before it is read.
    let huge = sparse_file(".json", 50 * 1024 * 1024);
    browser.choose_file("import-annotations", huge.path()).await;
    wait_for_status(&browser, "50.0 MB").await;
    assert_eq!(status(&browser).await.1, "alert");

    // Documents: binary, blank and 100 MB files are refused; the open document stays.
    let png = temp_file(".txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10");
    let blank = temp_file(".txt", b"  \n\n \t\n");
    let enormous = sparse_file(".txt", 100 * 1024 * 1024);
    for (file, expected) in [(&png, "binary"), (&blank, "empty"), (&enormous, "100.0 MB")] {
        browser.choose_file("open-document", file.path()).await;
        wait_for_status(&browser, expected).await;
        assert_eq!(status(&browser).await.1, "alert", "{expected}");
        assert_eq!(current_document(&browser).await, "sample-article.txt");
        assert_eq!(browser.annotation_count().await, 2);
    }
    browser.screenshot("20-hostile-input-refused").await;

    browser.reload().await;
    browser.wait_for("[data-testid=article] p").await;
    browser.wait_for_count(2).await;
    browser.stop().await;
}

/// Schedules, in the page, a tag of `needle` with `key` at the epoch time `at_ms`: the page's
/// own Selection and key event, so two tabs can act at the same instant.
fn tag_at(needle: &str, key: char, at_ms: u64) -> String {
    format!(
        "setTimeout(() => {{ for (const p of document.querySelectorAll('[data-testid=article] [data-offset]')) {{ \
           const at = p.textContent.indexOf({needle:?}); if (at < 0) continue; \
           const range = document.createRange(); range.setStart(p.firstChild, at); \
           range.setEnd(p.firstChild, at + {len}); \
           getSelection().removeAllRanges(); getSelection().addRange(range); \
           document.dispatchEvent(new MouseEvent('mouseup', {{ bubbles: true }})); \
           setTimeout(() => document.body.dispatchEvent(new KeyboardEvent('keydown', {{ key: '{key}', bubbles: true }})), 0); \
           return; }} }}, Math.max(0, {at_ms} - Date.now()))",
        len = needle.encode_utf16().count()
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tabs_on_one_document_keep_both_tabs_annotations() {
    let (_one, browser) = open_app().await;
    let first = browser.client.window().await.unwrap();
    let second = browser.client.new_window(true).await.unwrap().handle;
    browser.switch_to(&second).await;
    browser.client.goto(base_url()).await.unwrap();
    browser.wait_for("[data-testid=article] p").await;

    // A tag in each tab: each tab shows both.
    browser.tag("Flooding along the estuary", '1', 1).await;
    browser.switch_to(&first).await;
    browser.wait_for_count(1).await;
    browser.tag("Residents appear divided", '2', 2).await;
    browser.switch_to(&second).await;
    browser.wait_for_count(2).await;

    // Both tabs tag at the same instant: all four survive, in both tabs and after reloads.
    let at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
        + 1_500;
    browser
        .eval(&tag_at("The council vote is scheduled", '3', at))
        .await;
    browser.switch_to(&first).await;
    browser
        .eval(&tag_at("Others worry about what the project", '1', at))
        .await;
    browser.wait_for_count(4).await;
    browser.switch_to(&second).await;
    browser.wait_for_count(4).await;
    browser.reload().await;
    browser.wait_for("[data-testid=article] p").await;
    browser.wait_for_count(4).await;
    browser.switch_to(&first).await;
    browser.reload().await;
    browser.wait_for("[data-testid=article] p").await;
    browser.wait_for_count(4).await;

    // A delete in one tab is a delete in the other.
    browser.click("[data-testid=annotation]").await;
    browser.click("[data-testid=delete-annotation]").await;
    browser.wait_for_count(3).await;
    browser.switch_to(&second).await;
    browser.wait_for_count(3).await;

    // A document opened in one tab joins the other tab's list.
    let other = temp_file(
        ".txt",
        "A second article.\n\nWith two paragraphs.".as_bytes(),
    );
    browser.choose_file("open-document", other.path()).await;
    browser.wait_for_documents(2).await;
    browser.switch_to(&first).await;
    browser.wait_for_documents(2).await;
    browser.screenshot("21-two-tabs").await;

    // A label added in one tab is offered in the other; a document deleted in one leaves the
    // other's list.
    browser.click("[data-testid=edit-labels]").await;
    browser
        .wait_for("[data-testid=label-new-name]")
        .await
        .send_keys("Source\u{E007}")
        .await
        .unwrap();
    browser
        .wait_for("[data-testid=label][data-tag=source]")
        .await;
    browser.click("[data-testid=label-editor-close]").await;
    browser.switch_to(&second).await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=filter-tag][data-tag=source]') !== null",
            json!(true),
        )
        .await;
    browser
        .click("[data-testid=document][aria-current=true] ~ [data-testid=document-delete]")
        .await;
    browser.wait_for_documents(1).await;
    browser.switch_to(&first).await;
    browser.wait_for_documents(1).await;
    browser.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_or_disabled_storage_warns_keeps_work_and_recovers() {
    let _one = super::ONE_BROWSER.lock().await;
    let browser = Browser::start_with_small_disk(SMALL_DISK_MB).await;
    browser.open_app().await;
    browser.tag("Flooding along the estuary", '1', 1).await;

    // The disk fills up (another site's data, a download): the next span is refused whole,
    // and said so.
    let (_, refusal) = browser.fill_storage().await;
    assert_eq!(refusal, "QuotaExceededError");
    browser.tag("Residents appear divided", '2', 2).await;
    browser.wait_for("[data-testid=storage-warning]").await;
    let warning = browser
        .eval("document.querySelector('[data-testid=storage-warning]').textContent")
        .await;
    assert!(warning.as_str().unwrap().contains("full"), "{warning}");
    browser.screenshot("22-storage-full").await;
    // The work is in the tab, and the export offered by the banner carries it.
    browser.click("[data-testid=storage-export]").await;
    let exported = browser.downloaded("sample-article.marginalia.json").await;
    let file: Value = serde_json::from_str(&exported).unwrap();
    assert_eq!(file["annotations"].as_array().unwrap().len(), 2);

    // The usage below the document list is read again after a refused save: the junk counts.
    let used = browser
        .eval("+document.querySelector('[data-testid=storage-usage]').dataset.used")
        .await;
    assert!(used.as_f64().unwrap() > 1e6, "{used}");
    // Room again: the next change saves everything and the banner goes.
    browser.free_storage().await;
    // (With the mouse: after a download, Chromium's download bubble may hold the key focus.)
    browser.drag_select("The council vote is scheduled").await;
    browser.click("[data-testid=tag-condition]").await;
    browser.wait_for_count(3).await;
    browser.wait_gone("[data-testid=storage-warning]").await;
    browser.reload().await;
    browser.wait_for("[data-testid=article] p").await;
    browser.wait_for_count(3).await;

    // Storage that refuses every write (a broken profile): warned, work kept.
    browser
        .eval(
            "(IDBObjectStore.prototype.put = function () { \
               throw new DOMException('The operation is insecure.', 'SecurityError'); }, true)",
        )
        .await;
    browser.click("[data-testid=annotation]").await;
    browser.click("[data-testid=delete-annotation]").await;
    browser.wait_for_count(2).await;
    browser.wait_for("[data-testid=storage-warning]").await;
    let warning = browser
        .eval("document.querySelector('[data-testid=storage-warning]').textContent")
        .await;
    assert!(
        warning.as_str().unwrap().contains("not being saved"),
        "{warning}"
    );
    browser.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markup_in_documents_and_imports_is_text_and_inline_script_is_blocked() {
    let (_one, browser) = open_app().await;
    let hostile = "<img src=x onerror=\"window.__xss='img'\"> said the headline\n\n\
                   <script>window.__xss='script'</script> and <b>bold</b> claims.";
    let file = temp_file(".txt", hostile.as_bytes());
    browser.choose_file("open-document", file.path()).await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=article]').getAttribute('aria-label').endsWith('.txt') \
             && document.querySelector('[data-testid=article]').textContent.includes('<script>')",
            json!(true),
        )
        .await;
    let paragraphs = browser
        .eval("[...document.querySelectorAll('[data-testid=article] [data-offset]')].map(p => p.textContent)")
        .await;
    assert_eq!(
        paragraphs,
        json!([
            "<img src=x onerror=\"window.__xss='img'\"> said the headline",
            "<script>window.__xss='script'</script> and <b>bold</b> claims."
        ])
    );
    // A note and a label with markup, imported: shown as text.
    let import = r#"{"format":"marginalia","version":1,"annotations":[{"start":0,"end":4,"tag":"<img src=y onerror=window.__xss='tag'>","note":"<img src=z onerror=window.__xss='note'>"}]}"#;
    let import = temp_file(".json", import.as_bytes());
    browser
        .choose_file("import-annotations", import.path())
        .await;
    browser.wait_for_count(1).await;
    browser.click("[data-testid=annotation]").await;
    let note = browser
        .eval("document.querySelector('[data-testid=note]').value")
        .await;
    assert_eq!(note, "<img src=z onerror=window.__xss='note'>");
    let item = browser
        .eval("document.querySelector('[data-testid=annotation]').textContent")
        .await;
    assert!(item.as_str().unwrap().contains("<img src=y"), "{item}");
    assert_eq!(
        browser
            .eval("document.querySelectorAll('[data-testid=article] img, .sidebar img, script:not([type]), [onerror]').length")
            .await,
        0
    );
    // The page's policy refuses an inline script, even one added by a page script.
    browser
        .eval(
            "(() => { const s = document.createElement('script'); \
             s.textContent = \"window.__xss = 'inline'\"; document.body.append(s); })()",
        )
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(browser.eval("window.__xss === undefined").await, true);
    let policy = browser
        .eval("document.querySelector('meta[http-equiv=Content-Security-Policy]').content")
        .await;
    let policy = policy.as_str().unwrap();
    assert!(
        policy.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
        "{policy}"
    );
    assert!(
        !policy.contains("unsafe-inline'; style-src 'self'")
            && !policy.contains("script-src 'self' 'unsafe-inline'")
    );
    browser.screenshot("23-markup-as-text").await;
    browser.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_8_mb_document_is_stored_in_indexeddb_and_restored() {
    let (_one, browser) = open_app().await;
    // About 8 MB of text: more than local storage holds for a whole site.
    let mut text = String::from("A very long report opens here.\n\n");
    let paragraph = "The committee met again on Tuesday and the minister said the budget would only be decided once the conditions were clear. ";
    while text.len() < 8 * 1024 * 1024 {
        text.push_str(&paragraph.repeat(6));
        text.push_str("\n\n");
    }
    let file = temp_file(".txt", text.as_bytes());
    browser.choose_file("open-document", file.path()).await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=article] [data-offset]').textContent",
            json!("A very long report opens here."),
        )
        .await;
    browser.tag("very long report", '1', 1).await;
    assert_eq!(
        browser
            .eval("document.querySelector('[data-testid=storage-warning]') === null")
            .await,
        true,
        "the text is in IndexedDB, so nothing is unsaved"
    );
    let id = marginalia::model::Document::from_raw(&text)
        .sha256()
        .to_owned();
    assert_eq!(browser.stored_keys(&format!("text/{id}")).await.len(), 1);
    browser.reload().await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=article] [data-offset]')?.textContent ?? ''",
            json!("A very long report opens here."),
        )
        .await;
    browser.wait_for_count(1).await;
    let attrs = browser
        .eval("[...document.querySelectorAll('[data-testid=annotation]')].map(e => [e.dataset.start, e.dataset.end])")
        .await;
    assert_eq!(attrs, json!([["2", "18"]]));
    browser.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_and_markdown_documents_open_as_their_readable_text_and_run_nothing() {
    let (_one, browser) = open_app().await;
    let html = temp_file(
        ".html",
        b"<html><head><script>window.__xss='head'</script></head><body>\
          <h1>Council <b>weighs</b> barrier</h1><p>It would cost 412 million euros.\
          <img src=x onerror=\"window.__xss='img'\"></p><script>window.__xss='body'</script></body></html>",
    );
    browser.choose_file("open-document", html.path()).await;
    browser
        .wait_until(
            "[...document.querySelectorAll('[data-testid=article] [data-offset]')].map(p => p.textContent).join('|')",
            json!("Council weighs barrier|It would cost 412 million euros."),
        )
        .await;
    let markdown = temp_file(
        ".md",
        "# A *Markdown* report\n\nThe [council](https://example.org) will **vote**.\n\n- one\n- two\n".as_bytes(),
    );
    browser.choose_file("open-document", markdown.path()).await;
    browser
        .wait_until(
            "[...document.querySelectorAll('[data-testid=article] [data-offset]')].map(p => p.textContent).join('|')",
            json!("A Markdown report|The council will vote.|one|two"),
        )
        .await;
    assert_eq!(browser.eval("window.__xss === undefined").await, true);
    assert_eq!(
        browser
            .eval("document.querySelectorAll('[data-testid=document]').length")
            .await,
        3
    );
    browser.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_opened_into_full_storage_leave_nothing_behind() {
    use marginalia::format::corpus::{export_corpus, CorpusDocument};
    use marginalia::format::ExportFormat;
    use marginalia::model::{Annotation, AnnotationStore, Command, Document, LabelSet, Span, Tag};
    // A zip of two documents, each with an annotation, as "export all" writes it.
    let texts = ["First shared text.", "Second shared text."];
    let documents: Vec<(Document, AnnotationStore)> = texts
        .iter()
        .map(|text| {
            let document = Document::from_raw(text);
            let mut store = AnnotationStore::new(document.char_len());
            let annotation = Annotation::new("a".into(), Span::new(0, 5).unwrap(), Tag::Claim, "t");
            store.apply(Command::Create { annotation }).unwrap();
            (document, store)
        })
        .collect();
    let names = ["first.txt", "second.txt"];
    let corpus: Vec<CorpusDocument<'_>> = documents
        .iter()
        .zip(names)
        .map(|((document, store), name)| CorpusDocument {
            name,
            document,
            store,
        })
        .collect();
    let zip = export_corpus(ExportFormat::Marginalia, &corpus, &LabelSet::default());
    let file = temp_file(".zip", &zip.bytes);

    let _one = super::ONE_BROWSER.lock().await;
    let browser = Browser::start_with_small_disk(SMALL_DISK_MB).await;
    browser.open_app().await;
    let (_, refusal) = browser.fill_storage().await;
    assert_eq!(refusal, "QuotaExceededError");
    browser.choose_file("open-document", file.path()).await;
    wait_for_status(&browser, "could not be stored").await;
    assert_eq!(status(&browser).await.1, "alert");
    // The library is as it was, and nothing of either document is stored: one transaction.
    assert_eq!(
        browser
            .eval("document.querySelectorAll('[data-testid=document]').length")
            .await,
        json!(1)
    );
    for text in texts {
        let id = Document::from_raw(text).sha256().to_owned();
        assert_eq!(browser.stored_keys(&id).await, Vec::<String>::new());
    }
    // Room again: the same file opens whole.
    browser.free_storage().await;
    browser.choose_file("open-document", file.path()).await;
    browser.wait_for_documents(3).await;

    browser.stop().await;
}
