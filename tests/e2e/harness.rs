//! Runs the release build (dist/) in real Chromium through chromedriver: a loopback static
//! server, one chromedriver and one fresh browser profile per test, and helpers that act as a
//! user would (real mouse drags, real key presses, file inputs).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use fantoccini::actions::{
    InputSource, KeyAction, KeyActions, MouseActions, PointerAction, MOUSE_BUTTON_LEFT,
};
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

/// WebDriver key codes.
pub const CONTROL: char = '\u{E009}';
/// Shift.
pub const SHIFT: char = '\u{E008}';
/// Tab.
pub const TAB: char = '\u{E004}';
/// Alt.
pub const ALT: char = '\u{E00A}';
/// Arrow left.
pub const ARROW_LEFT: char = '\u{E012}';
/// Arrow up.
pub const ARROW_UP: char = '\u{E013}';
/// Arrow right.
pub const ARROW_RIGHT: char = '\u{E014}';
/// Arrow down.
pub const ARROW_DOWN: char = '\u{E015}';

/// Where screenshots go, for a person to look at.
pub fn artifacts_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The release build the tests drive.
pub fn dist_dir() -> PathBuf {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("dist");
    assert!(
        dist.join("index.html").exists(),
        "dist/ is missing: the end-to-end tests drive the release build; run `bash scripts/test.sh` \
         (or `trunk build --release` first)"
    );
    dist
}

/// Serves dist/ on 127.0.0.1 (one server per test process, never stopped); returns its base URL.
pub fn base_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let server = StaticServer::start(&dist_dir());
        let url = server.url();
        // Serves until the process ends.
        std::mem::forget(server);
        url
    })
}

/// A static file server on a loopback port. It can stop, so the app's origin refuses every
/// connection as with no network at all (a browser's offline mode does not cut a service
/// worker's own requests), and start again on the same port (the same origin, so the same
/// service worker and storage) serving another folder, such as a newer build.
///
/// One thread and one connection per request (`Connection: close`): only GETs of static files
/// reach it, and with kept-alive connections (tiny_http, tried first) Chromium's module-script
/// request sometimes never reached the handler, so the page never finished loading.
pub struct StaticServer {
    address: SocketAddr,
    stopping: Arc<AtomicBool>,
    accepting: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Serves `root` on a free loopback port.
    pub fn start(root: &Path) -> Self {
        Self::serve(
            TcpListener::bind("127.0.0.1:0").expect("bind a loopback port"),
            root,
        )
    }

    fn serve(listener: TcpListener, root: &Path) -> Self {
        let address = listener.local_addr().unwrap();
        let stopping = Arc::new(AtomicBool::new(false));
        let accepting = {
            let (stopping, root) = (stopping.clone(), root.to_path_buf());
            std::thread::spawn(move || {
                for stream in listener.incoming().flatten() {
                    if stopping.load(Ordering::SeqCst) {
                        break;
                    }
                    let root = root.clone();
                    std::thread::spawn(move || serve_one(&root, stream));
                }
            })
        };
        Self {
            address,
            stopping,
            accepting: Some(accepting),
        }
    }

    /// The base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Closes the port; from then on every connection to it is refused.
    pub fn stop(&mut self) {
        if let Some(accepting) = self.accepting.take() {
            self.stopping.store(true, Ordering::SeqCst);
            // Wakes the accept loop, which sees the flag and drops the listener.
            let _ = TcpStream::connect(self.address);
            accepting.join().unwrap();
        }
    }

    /// Serves `root` on the same port again.
    pub fn restart(&mut self, root: &Path) {
        self.stop();
        let listener = TcpListener::bind(self.address).expect("bind the same port again");
        *self = Self::serve(listener, root);
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Reads one request head and answers with a file from `root` (404 when missing or outside it).
fn serve_one(root: &Path, mut stream: TcpStream) {
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let target = head.split_whitespace().nth(1).unwrap_or("/");
    let path = target
        .split('?')
        .next()
        .unwrap_or("/")
        .trim_start_matches('/');
    let path = if path.is_empty() { "index.html" } else { path };
    let file = root.join(path);
    let (status, mime, body) = match std::fs::read(&file) {
        Ok(bytes) if !path.contains("..") => {
            let mime = match file.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript",
                Some("wasm") => "application/wasm",
                Some("css") => "text/css",
                Some("webmanifest") => "application/manifest+json",
                Some("png") => "image/png",
                _ => "application/octet-stream",
            };
            ("200 OK", mime, bytes)
        }
        _ => ("404 Not Found", "text/plain", b"not found".to_vec()),
    };
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream
        .write_all(header.as_bytes())
        .and_then(|()| stream.write_all(&body));
}

/// chromedriver's `goog/cdp/execute`: a DevTools Protocol command, for what WebDriver has no
/// command for (such as whether Chromium would offer to install the app).
#[derive(Debug)]
struct DevToolsCommand {
    method: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for DevToolsCommand {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.method, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A Chromium session with its own profile and download folder.
pub struct Browser {
    pub client: Client,
    pub downloads: tempfile::TempDir,
    _profile: tempfile::TempDir,
    driver: Child,
    /// The tmpfs the profile is on, unmounted when the browser stops.
    small_disk: Option<PathBuf>,
}

impl Browser {
    /// Starts chromedriver and a fresh headless Chromium at 1280×900.
    pub async fn start() -> Self {
        Self::start_on(tempfile::tempdir().unwrap(), None).await
    }

    /// Starts Chromium with its profile on a disk of `megabytes` (a tmpfs mounted for it, as
    /// root): its storage quota is a share of that disk, so a test can fill it for real and see
    /// IndexedDB refuse a write with QuotaExceededError.
    pub async fn start_with_small_disk(megabytes: u32) -> Self {
        let profile = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(profile.path())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            mounted,
            "mounting a {megabytes} MB tmpfs for the profile needs root"
        );
        let disk = profile.path().to_path_buf();
        Self::start_on(profile, Some(disk)).await
    }

    async fn start_on(profile: tempfile::TempDir, small_disk: Option<PathBuf>) -> Self {
        let port = free_port();
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("start {chromedriver} (run scripts/setup.sh --browser): {e}")
            });
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let downloads = tempfile::tempdir().unwrap();
        let mut options = json!({
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.path().display()),
            ],
            "prefs": {
                "download.default_directory": downloads.path().to_str().unwrap(),
                "download.prompt_for_download": false,
            },
        });
        if Path::new("/usr/bin/chromium").exists() {
            options["binary"] = json!("/usr/bin/chromium");
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert("goog:chromeOptions".into(), options);
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("open a Chromium session");
        Self {
            client,
            downloads,
            _profile: profile,
            driver,
            small_disk,
        }
    }

    /// Fills this site's storage with junk (random bytes, which no compression shrinks, in a
    /// database of its own) until IndexedDB refuses a write; returns the bytes it holds and
    /// the name of the error the refusal carried.
    pub async fn fill_storage(&self) -> (u64, String) {
        let filled = self
            .client
            .execute_async(
                "const done = arguments[0]; const open = indexedDB.open('junk', 1); \
                 open.onupgradeneeded = () => open.result.createObjectStore('junk'); \
                 const random = (size) => { const bytes = new Uint8Array(size); \
                   for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65536))); \
                   return bytes; }; \
                 open.onsuccess = () => { const db = open.result; let n = 0, bytes = 0, error = ''; \
                   const sizes = [1 << 20, 1 << 16, 1 << 12]; let size = 0; \
                   const next = () => { if (size >= sizes.length || bytes > (512 << 20)) { db.close(); return done([bytes, error]); } \
                     const t = db.transaction('junk', 'readwrite'); \
                     t.objectStore('junk').put(random(sizes[size]), n++); \
                     t.oncomplete = () => { bytes += sizes[size]; next(); }; \
                     t.onabort = () => { error = t.error ? t.error.name : 'abort'; size++; next(); }; }; next(); };",
                vec![],
            )
            .await
            .unwrap();
        (
            filled[0].as_u64().unwrap(),
            filled[1].as_str().unwrap().to_owned(),
        )
    }

    /// Waits until every change the app made is committed to storage (its root's
    /// `data-saved`), so a reload that follows shows it.
    pub async fn wait_saved(&self) {
        self.wait_until("document.documentElement.dataset.saved", json!("true"))
            .await;
    }

    /// Reloads the page as a user would once the last change is saved (`data-saved`: saving
    /// is asynchronous, and a reload in the milliseconds before a commit lands loses that
    /// commit, as closing the tab would), and waits for the article.
    pub async fn reload(&self) {
        self.wait_saved().await;
        self.client.refresh().await.unwrap();
        self.wait_for("[data-testid=article] p").await;
    }

    /// Frees what [`Self::fill_storage`] filled.
    pub async fn free_storage(&self) {
        self.client
            .execute_async(
                "const done = arguments[0]; const request = indexedDB.deleteDatabase('junk'); \
                 request.onsuccess = () => done(true); request.onerror = () => done(false);",
                vec![],
            )
            .await
            .unwrap();
    }

    /// Every key stored in the app's IndexedDB records that contains `needle`.
    pub async fn stored_keys(&self, needle: &str) -> Vec<String> {
        let keys = self
            .client
            .execute_async(
                "const [needle, done] = arguments; const open = indexedDB.open('marginalia-records'); \
                 open.onsuccess = () => { const db = open.result; \
                   const request = db.transaction('records').objectStore('records').getAllKeys(); \
                   request.onsuccess = () => { db.close(); done(request.result.filter(k => k.includes(needle))); }; };",
                vec![json!(needle)],
            )
            .await
            .unwrap();
        serde_json::from_value(keys).unwrap()
    }

    /// Opens the app and waits until the article is on screen.
    pub async fn open_app(&self) {
        self.open_app_at(base_url()).await;
    }

    /// Opens the app served at `url` and waits until the article is on screen.
    pub async fn open_app_at(&self, url: &str) {
        self.client.goto(url).await.unwrap();
        self.wait_for("[data-testid=article] p").await;
    }

    /// Sends a Chrome DevTools Protocol command to the page (through chromedriver) and returns
    /// its result.
    pub async fn devtools(&self, method: &'static str, params: Value) -> Value {
        self.client
            .issue_cmd(DevToolsCommand { method, params })
            .await
            .unwrap_or_else(|e| panic!("{method}: {e}"))
    }

    /// Waits (up to 20 s) for an element.
    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} never appeared: {e}"))
    }

    /// Polls a JavaScript expression until it returns `expected` (up to 20 s).
    pub async fn wait_until(&self, expression: &str, expected: Value) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let value = self.eval(expression).await;
            if value == expected {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{expression} stayed {value}, expected {expected}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Evaluates a JavaScript expression in the page.
    pub async fn eval(&self, expression: &str) -> Value {
        match self
            .client
            .execute(&format!("return ({expression});"), vec![])
            .await
        {
            Ok(value) => value,
            Err(error) => {
                // The app's crash notice, if it crashed, says why.
                let crash = self
                    .client
                    .execute(
                        "return document.querySelector('[data-testid=crash-notice]')?.textContent ?? null;",
                        vec![],
                    )
                    .await;
                panic!("{expression}: {error}; crash notice: {crash:?}")
            }
        }
    }

    /// Waits until the document list shows `count` documents.
    pub async fn wait_for_documents(&self, count: usize) {
        self.wait_until(
            "document.querySelectorAll('[data-testid=document]').length",
            json!(count),
        )
        .await;
    }

    /// Waits until nothing matches `css` (a dialog or card closed).
    pub async fn wait_gone(&self, css: &str) {
        self.wait_until(
            &format!("document.querySelector('{css}') === null"),
            json!(true),
        )
        .await;
    }

    /// Makes another tab (window) the one driven.
    pub async fn switch_to(&self, window: &fantoccini::wd::WindowHandle) {
        self.client.switch_to_window(window.clone()).await.unwrap();
    }

    /// Waits until the annotation list reports `count` annotations.
    pub async fn wait_for_count(&self, count: usize) {
        self.wait_until(
            "+document.querySelector('[data-testid=annotation-list]')?.dataset.count",
            json!(count),
        )
        .await;
    }

    /// The number of annotations the list reports.
    pub async fn annotation_count(&self) -> usize {
        let value = self
            .eval("document.querySelector('[data-testid=annotation-list]')?.dataset.count")
            .await;
        value.as_str().unwrap().parse().unwrap()
    }

    /// Selects `needle` in the article with a real mouse drag, from the left edge of its first
    /// character to the right edge of its last.
    pub async fn drag_select(&self, needle: &str) {
        self.drag_select_within(needle, 0, needle.encode_utf16().count())
            .await;
    }

    /// Drags over part of `needle`: from the left edge of its UTF-16 unit `from` to the right
    /// edge of unit `to - 1` (a drag that starts and ends inside words).
    pub async fn drag_select_within(&self, needle: &str, from: usize, to: usize) {
        let rect = self
            .client
            .execute(
                r#"const [needle, from, to] = arguments;
                   for (const p of document.querySelectorAll('[data-testid=article] [data-offset]')) {
                     const at = p.textContent.indexOf(needle);
                     if (at < 0) continue;
                     p.scrollIntoView({block: 'center'});
                     const range = document.createRange();
                     range.setStart(p.firstChild, at + from);
                     range.setEnd(p.firstChild, at + to);
                     const rects = range.getClientRects();
                     const first = rects[0], last = rects[rects.length - 1];
                     return [first.left + 1, first.top + first.height / 2, last.right - 1, last.top + last.height / 2];
                   }
                   return null;"#,
                vec![json!(needle), json!(from), json!(to)],
            )
            .await
            .unwrap();
        let points: Vec<f64> = serde_json::from_value(rect)
            .unwrap_or_else(|_| panic!("{needle:?} not in the article"));
        self.drag(&points, 150).await;
    }

    /// Drags with a real mouse from the middle of the element `handle` to the viewport point in
    /// `needle` (its first occurrence in the article) just right of the left edge of UTF-16
    /// unit `unit`, in steps, as a hand does.
    pub async fn drag_to_text(&self, handle: &str, needle: &str, unit: usize) {
        // A reveal may still be scrolling smoothly: wait until the handle stays put.
        let top = format!("document.querySelector('{handle}').getBoundingClientRect().top");
        let mut last = self.eval(&top).await;
        for _ in 0..50 {
            tokio::time::sleep(Duration::from_millis(120)).await;
            let now = self.eval(&top).await;
            if now == last {
                break;
            }
            last = now;
        }
        let points = self
            .client
            .execute(
                r#"const [handle, needle, unit] = arguments;
                   for (const p of document.querySelectorAll('[data-testid=article] [data-offset]')) {
                     const at = p.textContent.indexOf(needle);
                     if (at < 0) continue;
                     const range = document.createRange();
                     range.setStart(p.firstChild, at + unit);
                     range.setEnd(p.firstChild, at + unit + 1);
                     const target = range.getClientRects()[0];
                     const from = document.querySelector(handle).getBoundingClientRect();
                     return [from.left + from.width / 2, from.top + from.height / 2,
                             target.left + 1, target.top + target.height / 2];
                   }
                   return null;"#,
                vec![json!(handle), json!(needle), json!(unit)],
            )
            .await
            .unwrap();
        let points: Vec<f64> = serde_json::from_value(points)
            .unwrap_or_else(|_| panic!("{needle:?} not in the article"));
        self.drag(&points, 250).await;
    }

    /// A real mouse drag from viewport point (`points[0]`, `points[1]`) to (`points[2]`,
    /// `points[3]`), moving over `millis` ms.
    async fn drag(&self, points: &[f64], millis: u64) {
        let drag = MouseActions::new("mouse".into())
            .then(PointerAction::MoveTo {
                duration: None,
                x: points[0],
                y: points[1],
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::MoveTo {
                duration: Some(Duration::from_millis(millis)),
                x: points[2],
                y: points[3],
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
        self.client.perform_actions(drag).await.unwrap();
    }

    /// Tags `needle` as a user does (a real drag, then the tag's key) and waits until the list
    /// holds `count` annotations.
    pub async fn tag(&self, needle: &str, key: char, count: usize) {
        self.drag_select(needle).await;
        self.press(key).await;
        self.wait_for_count(count).await;
    }

    /// Presses and releases one key (a real key event, sent to whatever has focus).
    pub async fn press(&self, key: char) {
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client.perform_actions(keys).await.unwrap();
    }

    /// Presses a key with Ctrl held.
    pub async fn press_ctrl(&self, key: char) {
        self.press_chord(&[CONTROL], key).await;
    }

    /// Presses `key` with `modifiers` held (WebDriver key codes such as [`CONTROL`], [`SHIFT`]).
    pub async fn press_chord(&self, modifiers: &[char], key: char) {
        let mut keys = KeyActions::new("keyboard".into());
        for modifier in modifiers {
            keys = keys.then(KeyAction::Down { value: *modifier });
        }
        keys = keys
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        for modifier in modifiers.iter().rev() {
            keys = keys.then(KeyAction::Up { value: *modifier });
        }
        self.client.perform_actions(keys).await.unwrap();
    }

    /// Clicks an element.
    pub async fn click(&self, css: &str) {
        self.wait_for(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Gives a file input a file, as choosing it in the picker does.
    pub async fn choose_file(&self, testid: &str, path: &Path) {
        self.wait_for(&format!("[data-testid={testid}]"))
            .await
            .send_keys(path.to_str().unwrap())
            .await
            .unwrap();
    }

    /// Waits for a finished download named `name` and returns its text.
    pub async fn downloaded(&self, name: &str) -> String {
        String::from_utf8(self.downloaded_bytes(name).await).expect("a text file")
    }

    /// Waits for a finished download named `name` and returns its bytes. Chromium writes to a
    /// `.crdownload` file and renames it when done, so the name appearing means it is complete.
    pub async fn downloaded_bytes(&self, name: &str) -> Vec<u8> {
        let path = self.downloads.path().join(name);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(content) = std::fs::read(&path) {
                if !content.is_empty() {
                    return content;
                }
            }
            let present: Vec<_> = std::fs::read_dir(self.downloads.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            assert!(
                Instant::now() < deadline,
                "{name} was not downloaded; found {present:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a screenshot under target/e2e-artifacts/.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(artifacts_dir().join(format!("{name}.png")), png).unwrap();
    }

    /// Ends the session and chromedriver.
    pub async fn stop(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        if let Some(disk) = self.small_disk.take() {
            let _ = Command::new("umount").arg("--lazy").arg(&disk).status();
        }
    }
}
