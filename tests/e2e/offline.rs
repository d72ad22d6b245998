//! Offline and installable: after one visit the service worker serves the app with no server at
//! all, and a newer version is announced (`update-ready`) and taken only on the user's Reload.

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};

use super::{sample_span, EXTENTS, ONE_BROWSER};
use crate::harness::{dist_dir, Browser, StaticServer};

/// The attribute the newer build in this test carries on `<html>`, to tell the versions apart.
const NEXT_BUILD: &str = "document.documentElement.dataset.testBuild ?? null";

/// Copies the release build to `to`, marks its index.html as the next version, and writes its
/// service worker as the build does (`scripts/precache.mjs` over the source `sw.js`), so the
/// worker's precache version changes with the page.
fn next_build(to: &Path) {
    copy_dir(&dist_dir(), to);
    let index = to.join("index.html");
    let html = std::fs::read_to_string(&index).unwrap();
    let marked = html.replacen(
        "<html lang=\"en\">",
        "<html lang=\"en\" data-test-build=\"next\">",
        1,
    );
    assert_ne!(marked, html, "index.html has no <html lang=\"en\">");
    std::fs::write(&index, marked).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join("sw.js"), to.join("sw.js")).unwrap();
    let hook = Command::new("node")
        .arg(root.join("scripts/precache.mjs"))
        .env("TRUNK_STAGING_DIR", to)
        .output()
        .expect("run node (scripts/setup.sh installs it)");
    assert!(hook.status.success(), "precache.mjs: {hook:?}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_one_visit_the_app_works_with_no_server_and_a_new_version_waits_for_reload() {
    let _one = ONE_BROWSER.lock().await;
    // This test's own server: it stops it, and restarts it on the same origin with a new build.
    let mut server = StaticServer::start(&dist_dir());
    let browser = Browser::start().await;
    browser.open_app_at(&server.url()).await;
    browser
        .wait_until("navigator.serviceWorker.controller !== null", json!(true))
        .await;
    // Chromium would offer to install it: manifest, icons and a worker that answers fetches.
    let installability = browser
        .devtools("Page.getInstallabilityErrors", json!({}))
        .await;
    assert_eq!(installability["installabilityErrors"], json!([]));

    let claim = "412 million euros";
    browser.tag(claim, '1', 1).await;
    let (start, end) = sample_span(claim);
    browser.wait_saved().await;

    // No server at all: a request the worker does not answer is refused.
    server.stop();
    let probe = browser
        .eval("fetch('not-precached').then(() => 'answered', () => 'refused')")
        .await;
    assert_eq!(probe, "refused");
    browser.reload().await;
    assert_eq!(browser.eval(EXTENTS).await, json!(format!("{start}:{end}")));
    assert_eq!(
        browser
            .eval(
                "document.querySelector('[data-testid=document][aria-current=true]').dataset.name"
            )
            .await,
        json!("sample-article.txt")
    );
    browser
        .screenshot("offline-01-reloaded-with-no-server")
        .await;

    // A new version on the server, found by an update check (as at a visit, or when the tab
    // comes back into view): announced, and not swapped in under the user's work.
    let next = tempfile::tempdir().unwrap();
    next_build(next.path());
    server.restart(next.path());
    browser
        .eval("navigator.serviceWorker.getRegistration().then(r => r.update()).then(() => true)")
        .await;
    let banner = browser.wait_for("[data-testid=update-ready]").await;
    assert_eq!(
        banner.attr("role").await.unwrap().as_deref(),
        Some("status")
    );
    assert_eq!(
        browser
            .eval("navigator.serviceWorker.getRegistration().then(r => r.waiting?.state ?? null)")
            .await,
        "installed",
        "the new version must wait for the user"
    );
    assert_eq!(browser.eval(NEXT_BUILD).await, Value::Null);
    assert_eq!(browser.eval(EXTENTS).await, json!(format!("{start}:{end}")));
    browser.screenshot("offline-02-update-ready").await;

    // Reload: the page comes back in the new version, the work with it.
    browser.click("[data-testid=update-ready] button").await;
    browser.wait_until(NEXT_BUILD, json!("next")).await;
    browser.wait_for("[data-testid=article] p").await;
    browser.wait_for_count(1).await;
    assert_eq!(browser.eval(EXTENTS).await, json!(format!("{start}:{end}")));
    browser.wait_gone("[data-testid=update-ready]").await;
    browser.stop().await;
}
