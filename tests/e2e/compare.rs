//! Several annotators' files of one document: compared in the browser, measured with the same
//! core as the CLI, and adjudicated into a gold document exported like any other (the
//! agreement issue).

use serde_json::{json, Value};

use super::{open_app, sample_span};
use crate::harness::Browser;
use marginalia::agree::{AgreementReport, Layer, PairMeans};
use marginalia::format::{self, ImportContext};
use marginalia::model::{AnnotationId, Document};
use marginalia::sample::SAMPLE_TEXT;

/// An annotator's marginalia file of the sample: `(quote, tag)` spans.
fn annotator_file(annotator: &str, spans: &[(&str, &str)]) -> String {
    let annotations: Vec<Value> = spans
        .iter()
        .map(|(quote, tag)| {
            let (start, end) = sample_span(quote);
            json!({"start": start, "end": end, "tag": tag})
        })
        .collect();
    json!({"format": "marginalia", "version": 1, "annotator": annotator,
           "text": Document::from_raw(SAMPLE_TEXT).text(), "annotations": annotations})
    .to_string()
}

const QUOTE: &str = "We are no longer talking about a once-in-a-century storm";
const MAYOR: &str = "Mayor Renée Castellanos";
const CONDITION: &str = "if the national government agreed to cover at least half of the cost";
const CLAIM: &str = "Flooding along the estuary has grown more frequent over the past two decades";

/// The three annotators of the test: all share the quote; ann and bob the claim; they differ on
/// the mayor (source, quote, nothing) and the condition (only ann).
fn files() -> Vec<(String, String)> {
    vec![
        (
            "ann.marginalia.json".into(),
            annotator_file(
                "ann",
                &[
                    (QUOTE, "quote"),
                    (MAYOR, "source"),
                    (CONDITION, "condition"),
                    (CLAIM, "claim"),
                ],
            ),
        ),
        (
            "bob.marginalia.json".into(),
            annotator_file(
                "bob",
                &[(QUOTE, "quote"), (MAYOR, "quote"), (CLAIM, "claim")],
            ),
        ),
        (
            "cy.marginalia.json".into(),
            annotator_file("cy", &[(QUOTE, "quote")]),
        ),
    ]
}

/// The agreement the core computes on the files, as the panel must show it.
fn expected_report() -> AgreementReport {
    let document = Document::from_raw(SAMPLE_TEXT);
    let layers: Vec<Layer> = files()
        .iter()
        .map(|(name, content)| {
            let mut n = 0;
            let mut new_id = || {
                n += 1;
                AnnotationId::from(format!("{name}{n}"))
            };
            let context = ImportContext {
                id_in_use: &|_| false,
                new_id: &mut new_id,
                now: "t",
            };
            let report = format::import(&document, content.as_bytes(), context).unwrap();
            Layer::new(
                name.split('.').next().unwrap(),
                report.landed().cloned().collect(),
            )
        })
        .collect();
    AgreementReport::new(&document, &layers).unwrap()
}

/// True when the one comparison record stored is a tombstone (the comparison was closed).
async fn comparison_closed(browser: &Browser) -> bool {
    let deleted = browser
        .client
        .execute_async(
            "const done = arguments[0]; const open = indexedDB.open('marginalia-records'); \
             open.onsuccess = () => { const db = open.result; \
               const all = db.transaction('records').objectStore('records').getAll(); \
               all.onsuccess = () => { db.close(); \
                 done(all.result.map(r => JSON.parse(r)).filter(r => r.key.startsWith('compare/')).map(r => !!r.deleted)); }; };",
            vec![],
        )
        .await
        .unwrap();
    deleted == json!([true])
}

async fn data(browser: &Browser, name: &str) -> Value {
    browser
        .eval(&format!(
            "document.querySelector('[data-testid=agreement]')?.dataset.{name}"
        ))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_annotators_are_compared_measured_and_adjudicated_into_a_gold_document() {
    let (_one, browser) = open_app().await;
    let folder = tempfile::tempdir().unwrap();
    let paths: Vec<String> = files()
        .into_iter()
        .map(|(name, content)| {
            let path = folder.path().join(name);
            std::fs::write(&path, content).unwrap();
            path.to_str().unwrap().to_owned()
        })
        .collect();
    browser
        .wait_for("[data-testid=compare-files]")
        .await
        .send_keys(&paths.join("\n"))
        .await
        .unwrap();
    browser
        .wait_until(
            "document.querySelector('[data-testid=agreement]')?.dataset.annotators",
            json!("3"),
        )
        .await;
    // The panel's figures are the core's, to the sixth decimal.
    let report = expected_report();
    for (name, value) in [
        ("kappa", report.mean_kappa()),
        ("alpha", report.krippendorff_alpha),
        ("f1Exact", report.mean_f1_exact()),
        ("f1Overlap", report.mean_f1_overlap()),
    ] {
        assert_eq!(
            data(&browser, name).await,
            json!(format!("{value:.6}")),
            "{name}"
        );
    }
    let layers = browser
        .eval("[...document.querySelectorAll('[data-testid=layer]')].map(l => l.dataset.annotator)")
        .await;
    assert_eq!(layers, json!(["ann", "bob", "cy"]));
    browser
        .wait_until(
            "+document.querySelector('[data-testid=comparison-lanes]')?.dataset.lanes > 0",
            json!(true),
        )
        .await;
    browser.screenshot("compare").await;

    // Accept agreed: the gold document, current, with the quote all three share.
    browser.click("[data-testid=accept-agreed]").await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=document][aria-current=true]')?.dataset.name",
            json!("sample-article (gold)"),
        )
        .await;
    browser.wait_for_count(1).await;
    let total = data(&browser, "total").await;
    assert_eq!(data(&browser, "resolved").await, json!("0"));

    // n walks to the first disagreement (the claim ann and bob share, cy lacks): 1 takes
    // ann's version. n: the mayor: 2 takes bob's (a quote). n: the condition: x rejects it.
    browser.press('n').await;
    browser.wait_for("[data-testid=disagreement]").await;
    browser.press('1').await;
    browser.wait_for_count(2).await;
    browser.press('n').await;
    browser.press('2').await;
    browser.wait_for_count(3).await;
    browser.press('n').await;
    browser.press('x').await;
    browser
        .wait_until(
            "document.querySelector('[data-testid=agreement]').dataset.resolved",
            total.clone(),
        )
        .await;
    let progress = browser
        .eval("document.querySelector('[data-testid=adjudication-progress]').textContent")
        .await;
    assert_eq!(
        progress,
        json!(format!("Resolved {0} / {0}", total.as_str().unwrap()))
    );

    // The gold document exports like any other, each span with who had it.
    browser.wait_saved().await;
    browser.click("[data-testid=export]").await;
    let file: Value = serde_json::from_str(
        &browser
            .downloaded("sample-article (gold).marginalia.json")
            .await,
    )
    .unwrap();
    let mut spans: Vec<(String, String)> = file["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["tag"].as_str().unwrap().to_owned(),
                a["attributes"]["annotators"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect();
    spans.sort();
    assert_eq!(
        spans,
        vec![
            ("claim".to_owned(), "ann, bob".to_owned()),
            ("quote".to_owned(), "ann, bob, cy".to_owned()),
            ("quote".to_owned(), "bob".to_owned()),
        ]
    );
    assert_eq!(file.get("annotator"), None, "no annotator named yet");

    // The library's annotator name is written into the exports that can carry it.
    let name = browser.wait_for("[data-testid=annotator-name]").await;
    name.send_keys("Dee\u{E007}").await.unwrap();
    name.send_keys("\u{E004}").await.unwrap();
    browser.wait_saved().await;
    browser
        .wait_for("[data-testid=export-format]")
        .await
        .select_by_value("w3c")
        .await
        .unwrap();
    browser.click("[data-testid=export]").await;
    let w3c: Value =
        serde_json::from_str(&browser.downloaded("sample-article (gold).w3c.jsonld").await)
            .unwrap();
    assert_eq!(w3c["creator"]["name"], json!("Dee"));
    browser.reload().await;
    browser.wait_for_count(3).await;
    assert_eq!(
        browser
            .eval("document.querySelector('[data-testid=annotator-name]').value")
            .await,
        json!("Dee")
    );
    // The comparison is kept across the reload, with its progress; Close ends it for good.
    browser
        .wait_until(
            "document.querySelector('[data-testid=agreement]')?.dataset.resolved",
            total.clone(),
        )
        .await;
    assert_eq!(data(&browser, "annotators").await, json!("3"));
    browser.click("[data-testid=close-comparison]").await;
    browser.wait_gone("[data-testid=agreement]").await;
    // Closed is stored: the comparison's record is a tombstone before the reload.
    for _ in 0..50 {
        if comparison_closed(&browser).await {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        comparison_closed(&browser).await,
        "the comparison's record is closed"
    );
    browser.reload().await;
    browser.wait_for_count(3).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        browser
            .eval("document.querySelector('[data-testid=agreement]') === null")
            .await,
        json!(true)
    );
    assert_eq!(
        browser
            .eval(
                "document.querySelector('[data-testid=document][aria-current=true]').dataset.name"
            )
            .await,
        json!("sample-article (gold)")
    );
    browser.stop().await;
}
