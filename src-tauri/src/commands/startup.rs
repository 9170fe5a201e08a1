//! The start-up probe: how long a launch takes to a painted contact row,
//! measured from inside the app rather than through WebDriver.
//!
//! Only when `HERALD_STARTUP_PROBE=<file>` is set at launch: the page is told
//! (an init script) to open on the contact list, the app records when each
//! start-up step finished, and once the UI reports its first contact row
//! painted, `startup_probe_finish` writes every mark to the file as JSON and
//! quits. Without the variable nothing is recorded and the command is
//! refused, so no page can use it to quit the app.
//!
//! Times are milliseconds after the process started. Linux gives the
//! process's start in clock ticks since boot (`/proc/self/stat`, field 22);
//! `/proc/uptime` gives now in the same clock, both to 10 ms, so the start is
//! known to about ±10 ms. Elsewhere the earliest clock is `main` itself.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tauri::plugin::TauriPlugin;
use tauri::webview::PageLoadEvent;
use tauri::{AppHandle, Runtime};
use ts_rs::TS;

use crate::error::{CommandError, CommandResult, ErrorKind};

/// The variable that turns the probe on; its value is the output file.
pub const PROBE_ENV: &str = "HERALD_STARTUP_PROBE";

/// The probe of this process, if `PROBE_ENV` was set when it started.
static PROBE: OnceLock<Probe> = OnceLock::new();

/// What the UI measured, as epoch milliseconds (`performance.timeOrigin +
/// performance.now()`), so they share the app's clock.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StartupMarks {
    /// When the web process started loading the page (`timeOrigin`).
    pub navigation_start: f64,
    /// When the UI's script began to run.
    pub script_start: f64,
    /// When the first contact row was in the document.
    pub first_row_in_dom: f64,
    /// After the first contact row was painted (a frame after it appeared).
    pub first_row_painted: f64,
    /// The UI's own steps on the way (the workspace info asked and
    /// answered, the contact list's query sent and answered, ...), written
    /// as `ui_<name>`.
    pub steps: Vec<StartupStep>,
}

/// One named moment the UI recorded, as epoch milliseconds.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StartupStep {
    /// snake_case, e.g. `contacts_answered`.
    pub name: String,
    /// When it happened.
    pub at: f64,
}

/// The marks of one launch and where they go.
#[derive(Debug)]
pub struct Probe {
    file: PathBuf,
    /// Epoch milliseconds every mark is measured from.
    origin_ms: f64,
    /// Which clock `origin_ms` comes from, written into the report.
    origin: &'static str,
    marks: Mutex<BTreeMap<String, f64>>,
}

/// The report written to the probe's file.
#[derive(Debug, Serialize)]
struct Report<'a> {
    origin: &'a str,
    origin_epoch_ms: f64,
    /// Milliseconds after `origin`, by step.
    marks_ms: &'a BTreeMap<String, f64>,
}

impl Probe {
    /// A probe writing to `file`, measuring from `origin_ms` (epoch ms).
    pub fn new(file: PathBuf, origin_ms: f64, origin: &'static str) -> Self {
        Probe {
            file,
            origin_ms,
            origin,
            marks: Mutex::new(BTreeMap::new()),
        }
    }

    /// Records `step` at epoch time `at_ms`; the first record of a step wins.
    pub fn mark_at(&self, step: &str, at_ms: f64) {
        let mut marks = self.marks.lock().unwrap_or_else(PoisonError::into_inner);
        marks
            .entry(step.to_owned())
            .or_insert(round(at_ms - self.origin_ms));
    }

    /// Adds the UI's marks and writes the report.
    pub fn finish(&self, ui: StartupMarks) -> std::io::Result<()> {
        self.mark_at("page_navigation_start", ui.navigation_start);
        self.mark_at("page_script_start", ui.script_start);
        self.mark_at("first_row_in_dom", ui.first_row_in_dom);
        self.mark_at("first_row_painted", ui.first_row_painted);
        for step in ui.steps {
            self.mark_at(&format!("ui_{}", step.name), step.at);
        }
        self.mark_at("finish_received", now_ms());
        let marks = self.marks.lock().unwrap_or_else(PoisonError::into_inner);
        let report = Report {
            origin: self.origin,
            origin_epoch_ms: self.origin_ms,
            marks_ms: &marks,
        };
        let json = serde_json::to_vec_pretty(&report).map_err(std::io::Error::other)?;
        std::fs::write(&self.file, json)
    }

    pub fn file(&self) -> &Path {
        &self.file
    }
}

/// Turns the probe on when `PROBE_ENV` is set; call first thing in `main`.
pub fn install_from_env() {
    let Some(file) = std::env::var_os(PROBE_ENV).filter(|v| !v.is_empty()) else {
        return;
    };
    let entered = now_ms();
    let (origin_ms, origin) = match process_start_ms() {
        Some(start) => (start, "process start (/proc/self/stat starttime, ±10 ms)"),
        None => (
            entered,
            "main entered (no process start time on this system)",
        ),
    };
    let probe = Probe::new(PathBuf::from(file), origin_ms, origin);
    probe.mark_at("main_entered", entered);
    let _ = PROBE.set(probe);
}

/// Records `step` now, if the probe is on.
pub fn mark(step: &str) {
    if let Some(probe) = PROBE.get() {
        probe.mark_at(step, now_ms());
    }
}

/// Whether this launch is probed.
pub fn active() -> bool {
    PROBE.get().is_some()
}

/// The plugin a probed launch adds: it tells the page to open on the contact
/// list and to report its first row, and marks the page's load.
pub fn plugin<R: Runtime>() -> TauriPlugin<R> {
    tauri::plugin::Builder::new("herald-startup-probe")
        .js_init_script(
            "window.__HERALD_STARTUP_PROBE__ = true;\
             if (!window.location.hash || window.location.hash === '#/') window.location.hash = '#/contacts';",
        )
        .on_webview_ready(|_| mark("webview_created"))
        .on_page_load(|_, payload| match payload.event() {
            PageLoadEvent::Started => mark("page_load_started"),
            PageLoadEvent::Finished => mark("page_load_finished"),
        })
        .build()
}

/// The UI's first contact row is painted: writes the report and quits.
/// Refused unless `HERALD_STARTUP_PROBE` was set when the app started.
#[tauri::command]
pub async fn startup_probe_finish<R: Runtime>(
    app: AppHandle<R>,
    marks: StartupMarks,
) -> CommandResult<()> {
    let probe = PROBE.get().ok_or_else(refused)?;
    finish_and_exit(probe, marks, || app.exit(0))
}

fn finish_and_exit(probe: &Probe, marks: StartupMarks, exit: impl FnOnce()) -> CommandResult<()> {
    probe.finish(marks).map_err(|e| {
        CommandError::internal(&anyhow::anyhow!(
            "writing the start-up probe to {}: {e}",
            probe.file().display()
        ))
    })?;
    exit();
    Ok(())
}

fn refused() -> CommandError {
    CommandError::of_kind(
        ErrorKind::Conflict,
        format!("the start-up probe is off (set {PROBE_ENV} when launching the app)"),
    )
}

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn round(ms: f64) -> f64 {
    (ms * 10.0).round() / 10.0
}

/// When this process started, in epoch milliseconds: its age from the boot
/// clock, taken from now.
fn process_start_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let uptime = std::fs::read_to_string("/proc/uptime").ok()?;
    let now = now_ms();
    let age = process_age_secs(&stat, &uptime)?;
    Some(now - age * 1000.0)
}

/// Seconds since the process started, from `/proc/self/stat` and
/// `/proc/uptime`. Clock ticks are USER_HZ, 100 on every Linux ABI.
fn process_age_secs(stat: &str, uptime: &str) -> Option<f64> {
    const USER_HZ: f64 = 100.0;
    // The command name (field 2) may hold spaces: fields count from its ')'.
    let after_comm = &stat[stat.rfind(')')? + 1..];
    let start_ticks: f64 = after_comm.split_whitespace().nth(19)?.parse().ok()?;
    let up: f64 = uptime.split_whitespace().next()?.parse().ok()?;
    Some((up - start_ticks / USER_HZ).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks() -> StartupMarks {
        StartupMarks {
            navigation_start: 1_000_300.0,
            script_start: 1_000_450.0,
            first_row_in_dom: 1_000_800.0,
            first_row_painted: 1_000_900.0,
            steps: vec![StartupStep {
                name: "contacts_answered".to_owned(),
                at: 1_000_700.0,
            }],
        }
    }

    #[test]
    fn the_report_holds_every_mark_after_the_origin() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("probe.json");
        let probe = Probe::new(file.clone(), 1_000_000.0, "test origin");
        probe.mark_at("main_entered", 1_000_012.34);
        let mut exited = false;
        finish_and_exit(&probe, marks(), || exited = true).unwrap();
        assert!(exited, "the app quits once the report is written");
        let report: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        assert_eq!(report["origin"], "test origin");
        assert_eq!(report["marks_ms"]["main_entered"], 12.3);
        assert_eq!(report["marks_ms"]["page_navigation_start"], 300.0);
        assert_eq!(report["marks_ms"]["page_script_start"], 450.0);
        assert_eq!(report["marks_ms"]["first_row_in_dom"], 800.0);
        assert_eq!(report["marks_ms"]["first_row_painted"], 900.0);
        assert_eq!(report["marks_ms"]["ui_contacts_answered"], 700.0);
        assert!(report["marks_ms"]["finish_received"].is_number());
    }

    #[test]
    fn a_step_keeps_its_first_time() {
        let probe = Probe::new(PathBuf::from("unused"), 0.0, "test");
        probe.mark_at("first_ipc", 5.0);
        probe.mark_at("first_ipc", 9.0);
        assert_eq!(probe.marks.lock().unwrap()["first_ipc"], 5.0);
    }

    #[test]
    fn an_unwritable_file_is_an_error_and_the_app_stays_open() {
        let dir = tempfile::tempdir().unwrap();
        let probe = Probe::new(dir.path().join("missing/probe.json"), 0.0, "test");
        let mut exited = false;
        let err = finish_and_exit(&probe, marks(), || exited = true).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Internal);
        assert!(!exited);
    }

    #[test]
    fn the_process_age_counts_from_the_field_after_the_command_name() {
        // pid (comm with ") spaces") state, then fields 4..: starttime is the
        // 22nd field, 20 after the state.
        let mut stat = String::from("42 (web ) (x y) S");
        for field in 4..=21 {
            stat.push_str(&format!(" {field}"));
        }
        stat.push_str(" 12345 99 100");
        let age = process_age_secs(&stat, "125.00 300.00\n").unwrap();
        assert!((age - 1.55).abs() < 1e-9, "{age}");
    }

    #[test]
    fn this_process_has_a_start_time_in_the_past() {
        let start = process_start_ms().expect("Linux gives a start time");
        assert!(start <= now_ms());
    }

    #[test]
    fn without_the_variable_a_page_calling_the_command_is_refused() {
        use tauri::ipc::{CallbackFn, InvokeBody};
        use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
        use tauri::webview::InvokeRequest;
        use tauri::{WebviewUrl, WebviewWindowBuilder};

        // Tests never set the probe: this is every normal launch. The app's
        // real command list and capabilities, so the call gets as far as the
        // command itself.
        assert!(!active());
        let app = mock_builder()
            .invoke_handler(crate::invoke_handler())
            .build(tauri::generate_context!())
            .unwrap();
        let webview = WebviewWindowBuilder::new(&app, "main", WebviewUrl::default())
            .build()
            .unwrap();
        let request = InvokeRequest {
            cmd: "startup_probe_finish".into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(serde_json::json!({
                "marks": {
                    "navigationStart": 1.0, "scriptStart": 2.0, "firstRowInDom": 3.0, "firstRowPainted": 4.0,
                    "steps": [{ "name": "contacts_answered", "at": 2.5 }]
                }
            })),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        let err = get_ipc_response(&webview, request).unwrap_err();
        assert_eq!(err["kind"], "conflict", "{err}");
        assert!(
            err["message"].as_str().unwrap().contains(PROBE_ENV),
            "{err}"
        );
    }
}
