//! An empty Tauri window: the platform's share of the desktop app's memory
//! and start-up time.
//!
//! Started exactly as the desktop benchmarks start Herald (`--db` and any
//! other argument are ignored). With `HERALD_STARTUP_PROBE=<file>` set, as
//! `scripts/bench/cold_start_probe.sh` does, the page reports when its
//! paragraph was painted, the app writes that to the file in the shape of
//! Herald's probe report (milliseconds after the process started, the same
//! clock as src-tauri/src/commands/startup.rs) and quits.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

/// Where the report goes and when the process started (epoch ms), if probed.
struct Probe {
    file: PathBuf,
    start_ms: f64,
    main_ms: f64,
}

fn main() {
    let main_ms = now_ms();
    let probe = std::env::var_os("HERALD_STARTUP_PROBE")
        .filter(|file| !file.is_empty())
        .map(|file| Probe {
            file: PathBuf::from(file),
            start_ms: process_start_ms().unwrap_or(main_ms),
            main_ms,
        });
    let result = tauri::Builder::default()
        .manage(probe)
        .invoke_handler(tauri::generate_handler![painted])
        .run(tauri::generate_context!());
    if let Err(err) = result {
        eprintln!("herald-desktop-floor: {err}");
        std::process::exit(1);
    }
}

/// The page's paragraph is painted (`navigation` and `painted` in epoch ms,
/// from the page's clock): writes the report and quits. Refused when the
/// launch is not probed.
#[tauri::command]
#[allow(clippy::needless_pass_by_value)] // Tauri hands a command its arguments by value.
fn painted(
    app: tauri::AppHandle,
    probe: tauri::State<'_, Option<Probe>>,
    navigation: f64,
    painted: f64,
) -> Result<(), String> {
    let probe = probe.as_ref().ok_or("the start-up probe is off")?;
    let after = |ms: f64| (ms - probe.start_ms).round();
    let report = format!(
        "{{\"origin\": \"process start (/proc/self/stat starttime, ±10 ms)\", \
         \"origin_epoch_ms\": {}, \"marks_ms\": {{\"main_entered\": {}, \
         \"page_navigation_start\": {}, \"first_row_painted\": {}}}}}",
        probe.start_ms,
        after(probe.main_ms),
        after(navigation),
        after(painted),
    );
    std::fs::write(&probe.file, report).map_err(|e| e.to_string())?;
    app.exit(0);
    Ok(())
}

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// The process's start in epoch ms: its age in clock ticks since boot
/// (`/proc/self/stat`, the 20th field after the command name; USER_HZ is
/// 100) against `/proc/uptime`.
fn process_start_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let uptime = std::fs::read_to_string("/proc/uptime").ok()?;
    let started: f64 = stat[stat.rfind(')')? + 1..]
        .split_whitespace()
        .nth(19)?
        .parse()
        .ok()?;
    let up: f64 = uptime.split_whitespace().next()?.parse().ok()?;
    Some(now_ms() - (up - started / 100.0).max(0.0) * 1000.0)
}
