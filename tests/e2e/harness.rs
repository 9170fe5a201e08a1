//! Starting the app for one test and talking to it.

use std::future::Future;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Map};

mod relay_process;
mod setup;
mod smtpd;

pub use relay_process::{free_port, http, RelayProcess};
pub use smtpd::{header, Smtpd};

/// How long to wait for the UI to reach a state before failing.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// How long starting the app for a session may take.
const SESSION_PATIENCE: Duration = Duration::from_secs(90);

/// One running app on its own workspace.
pub struct App {
    pub client: Client,
    pub dir: tempfile::TempDir,
    name: String,
}

fn env_path(name: &str) -> PathBuf {
    PathBuf::from(std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run the end-to-end suite with scripts/e2e.sh")
    }))
}

impl App {
    /// Launches the app on a new, empty workspace.
    pub async fn launch(test_name: &str) -> App {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("workspace.sqlite3");
        let application = env_path("HERALD_E2E_APP");
        let driver =
            std::env::var("HERALD_E2E_DRIVER").unwrap_or_else(|_| "http://127.0.0.1:4444".into());
        let mut caps = Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert(
            "tauri:options".into(),
            json!({
                "application": application.to_string_lossy(),
                "args": ["--db", db.to_string_lossy()],
            }),
        );
        // WebKitWebDriver can take a moment to come up: retry the session.
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            // A session that never answers (a wedged WebKitWebDriver) fails
            // the test instead of hanging the suite.
            let mut builder = ClientBuilder::new(connector);
            builder.capabilities(caps.clone());
            let attempt = builder.connect(&driver);
            let Ok(connected) = tokio::time::timeout(SESSION_PATIENCE, attempt).await else {
                panic!("the WebDriver session did not start within {SESSION_PATIENCE:?}");
            };
            match connected {
                Ok(client) => break client,
                Err(e) if started.elapsed() < PATIENCE => {
                    eprintln!("waiting for the WebDriver session: {e}");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => panic!("no WebDriver session after {PATIENCE:?}: {e}"),
            }
        };
        App {
            client,
            dir,
            name: test_name.to_owned(),
        }
    }

    /// Runs a test body against a freshly launched app, and always ends the
    /// WebDriver session afterwards (the driver serves one session at a
    /// time, so a session left open by a failed test would fail the next).
    pub async fn with<F, Fut>(test_name: &str, body: F)
    where
        F: FnOnce(Arc<App>) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let app = Arc::new(App::launch(test_name).await);
        let outcome = tokio::spawn(body(app.clone())).await;
        if outcome.is_err() {
            app.screenshot("failed").await;
        }
        app.client.clone().close().await.ok();
        // The next test's app must not meet this one: a second instance
        // hands over to a running one (single-instance) and exits, and its
        // WebDriver session then never starts.
        wait_for_exit(&env_path("HERALD_E2E_APP")).await;
        if let Err(failure) = outcome {
            if failure.is_panic() {
                std::panic::resume_unwind(failure.into_panic());
            }
            panic!("test body did not finish: {failure}");
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("workspace.sqlite3")
    }

    /// Clicks by script: for an input Mantine hides under its track (a
    /// switch), and for a button a notification can sit over (the wizard's
    /// Next after "settings saved"), which a person would simply wait out.
    pub async fn click_by_script(&self, test_id: &str) {
        let el = self.find(test_id).await;
        let arg = serde_json::to_value(&el).expect("an element as a script argument");
        self.client
            .execute("arguments[0].click();", vec![arg])
            .await
            .unwrap_or_else(|e| panic!("clicking {test_id}: {e}"));
    }

    /// Waits for an element with this `data-testid`.
    pub async fn find(&self, test_id: &str) -> Element {
        let selector = format!("[data-testid=\"{test_id}\"]");
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(&selector))
            .await
            .unwrap_or_else(|e| {
                panic!("no element [data-testid={test_id}] within {PATIENCE:?}: {e}")
            })
    }

    /// Every element with this `data-testid`, now. React may replace the
    /// nodes while they are being collected (a table re-rendering): that
    /// is retried rather than reported.
    pub async fn all(&self, test_id: &str) -> Vec<Element> {
        let selector = format!("[data-testid=\"{test_id}\"]");
        let mut attempts = 0;
        loop {
            match self.client.find_all(Locator::Css(&selector)).await {
                Ok(found) => return found,
                Err(e) if attempts < 20 => {
                    attempts += 1;
                    eprintln!("retrying [data-testid={test_id}]: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("finding [data-testid={test_id}]: {e}"),
            }
        }
    }

    /// Waits until `check` holds, polling; panics with `what` otherwise.
    pub async fn until<F, Fut>(&self, what: &str, mut check: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let started = Instant::now();
        while started.elapsed() < PATIENCE {
            if check().await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        self.screenshot("timeout").await;
        panic!("timed out waiting for: {what}");
    }

    /// Opens the select whose input has this `data-testid` and picks the
    /// option whose text starts with `option`.
    pub async fn choose(&self, test_id: &str, option: &str) {
        self.click(test_id).await;
        let xpath = format!("//*[@role='option'][starts-with(normalize-space(.), '{option}')]");
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no option {option:?} in {test_id}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("choosing {option:?} in {test_id}: {e}"));
    }

    /// Runs the `herald` CLI built beside the app on the app's workspace,
    /// and returns what it printed.
    pub fn herald(&self, args: &[&str]) -> String {
        let cli = std::env::var("HERALD_E2E_CLI").expect("HERALD_E2E_CLI (set by scripts/e2e.sh)");
        let out = std::process::Command::new(cli)
            .arg("--db")
            .arg(self.db())
            .args(args)
            .output()
            .expect("running herald");
        assert!(
            out.status.success(),
            "herald {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub async fn click(&self, test_id: &str) {
        self.find(test_id)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("clicking {test_id}: {e}"));
    }

    /// Replaces the text of an input. WebDriver's clear does not reach
    /// React's state for controlled inputs, so the text is selected and
    /// typed over, as a person would.
    pub async fn type_into(&self, test_id: &str, text: &str) {
        let el = self.find(test_id).await;
        el.click()
            .await
            .unwrap_or_else(|e| panic!("focusing {test_id}: {e}"));
        let select_all = format!("{}a", char::from(fantoccini::key::Key::Control));
        el.send_keys(&select_all)
            .await
            .unwrap_or_else(|e| panic!("selecting {test_id}: {e}"));
        el.send_keys(&char::from(fantoccini::key::Key::Backspace).to_string())
            .await
            .unwrap_or_else(|e| panic!("emptying {test_id}: {e}"));
        el.send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("typing into {test_id}: {e}"));
        let value = el.prop("value").await.ok().flatten().unwrap_or_default();
        assert_eq!(
            value, text,
            "[data-testid={test_id}] holds {value:?} after typing"
        );
    }

    /// Scrolls the element to the top of the window (for screenshots of a
    /// part of a long page).
    pub async fn scroll_to(&self, test_id: &str) {
        let el = self.find(test_id).await;
        let arg = serde_json::to_value(&el).expect("an element as a script argument");
        self.client
            .execute("arguments[0].scrollIntoView({block: 'start'});", vec![arg])
            .await
            .unwrap_or_else(|e| panic!("scrolling to {test_id}: {e}"));
    }

    /// Goes to a route of the app (its router uses the URL's hash).
    pub async fn go(&self, route: &str) {
        self.client
            .execute("location.hash = arguments[0];", vec![json!(route)])
            .await
            .unwrap_or_else(|e| panic!("going to {route}: {e}"));
    }

    /// Whether an element with this `data-testid` is on the page now.
    pub async fn exists(&self, test_id: &str) -> bool {
        !self.all(test_id).await.is_empty()
    }

    /// The element's `textContent`: WebKit's WebDriver reports no visible
    /// text for some styled elements (Mantine's badges) that show it.
    pub async fn content(&self, test_id: &str) -> String {
        self.find(test_id)
            .await
            .prop("textContent")
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    pub async fn text(&self, test_id: &str) -> String {
        self.find(test_id).await.text().await.expect("text")
    }

    /// Waits for the element to show some text, and returns it.
    pub async fn nonempty_text(&self, test_id: &str) -> String {
        let started = Instant::now();
        loop {
            let text = self.text(test_id).await;
            if !text.trim().is_empty() {
                return text;
            }
            if started.elapsed() > PATIENCE {
                self.screenshot("timeout").await;
                panic!("[data-testid={test_id}] stayed empty for {PATIENCE:?}");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Saves a PNG of the window under `<screenshot dir>/<test>-<label>.png`.
    pub async fn screenshot(&self, label: &str) {
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        // Let WebKit paint what the DOM already shows: a screenshot taken at
        // once can show the previous frame.
        tokio::time::sleep(Duration::from_millis(400)).await;
        match self.client.screenshot().await {
            Ok(png) => {
                let path = dir.join(format!("{}-{label}.png", self.name));
                std::fs::write(&path, png).expect("writing a screenshot");
            }
            Err(e) => eprintln!("screenshot {label} failed: {e}"),
        }
    }
}

/// The pids whose command is `binary` (by file name: the path a process
/// was started by may differ from ours).
fn running(binary: &Path) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let name = binary
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|cmd| {
                let first = cmd.split(|b| *b == 0).next().unwrap_or_default();
                Path::new(std::ffi::OsStr::from_bytes(first)).file_name() == Some(name.as_os_str())
            })
        })
        .collect()
}

/// Waits for every process of the app to end, stopping stragglers.
async fn wait_for_exit(binary: &Path) {
    let started = Instant::now();
    loop {
        let left = running(binary);
        if left.is_empty() {
            // Let the session bus see its connection go, so the next
            // instance does not try to hand over to it.
            tokio::time::sleep(Duration::from_millis(500)).await;
            return;
        }
        if started.elapsed() > PATIENCE {
            eprintln!("the app did not exit after its session ended; stopping {left:?}");
            for pid in left {
                let _ = std::process::Command::new("kill")
                    .arg(pid.to_string())
                    .status();
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub fn screenshot_dir() -> PathBuf {
    std::env::var("HERALD_E2E_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-screenshots"))
}

/// Opens the workspace the app wrote, for checking what was stored.
pub async fn open_store(db: &Path) -> herald_store::Store {
    herald_store::Store::open(db)
        .await
        .expect("opening the app's workspace")
}
