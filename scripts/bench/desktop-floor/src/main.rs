//! An empty Tauri window: the platform's share of the desktop app's memory.
//!
//! `--page FILE` is accepted and ignored, and so is `--db`, so that the
//! desktop benchmarks' scripts can start this binary exactly as they start
//! Herald's.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(err) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("herald-desktop-floor: {err}");
        std::process::exit(1);
    }
}
