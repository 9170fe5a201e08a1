//! Herald's desktop app: a thin Tauri shell over `herald-store` and
//! `herald-send`.
//!
//! This file only wires things together: plugins, the shared state, and the
//! command list. Commands live in `commands/` (one module per area, listed in
//! docs/ipc.md), the types they exchange in `dto` (generated into
//! `ui/src/bindings/` by `bindings`), their one error type in `error`.
//!
//! ```text
//! herald-desktop                      # the workspace in the OS app-data folder
//! herald-desktop --db demo.sqlite3    # or HERALD_DB=demo.sqlite3
//! ```

#[cfg(test)]
mod bindings;
mod blocking;
mod commands;
mod dto;
mod error;
#[cfg(test)]
mod ipc_tests;
mod notify;
mod parse;
mod rendering;
mod sending;
mod state;
mod uploads;
mod warmup;

use tauri::ipc::Invoke;
use tauri::{AppHandle, Manager, Runtime};

use crate::commands::startup;
use crate::state::AppState;

/// Runs the app until its window closes.
pub fn run() {
    // First: with HERALD_STARTUP_PROBE set, start-up steps are timed from here.
    startup::install_from_env();
    // Before anything starts a thread or WebKit.
    rendering::choose();
    init_logging();
    let db = state::workspace_from_args(std::env::args_os(), std::env::var_os("HERALD_DB"));
    let mut builder = tauri::Builder::default()
        // First, so a second launch hands over before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            focus_main_window(app);
        }));
    if startup::active() {
        builder = builder.plugin(startup::plugin());
    }
    let handler = invoke_handler();
    let app = builder
        .setup(move |app| {
            startup::mark("setup_started");
            let state = tauri::async_runtime::block_on(AppState::open(app.handle(), db))?;
            startup::mark("state_opened");
            state.sender.start_scheduler();
            notify::install(app.handle(), state.store.clone())?;
            startup::mark("notify_installed");
            app.manage(state);
            start_warmup_later(app.handle().clone());
            startup::mark("setup_done");
            Ok(())
        })
        .invoke_handler(move |invoke| {
            startup::mark("first_ipc");
            handler(invoke)
        })
        .run(tauri::generate_context!());
    if let Err(err) = app {
        tracing::error!("Herald stopped: {err:#}");
        eprintln!("error: {err:#}");
        std::process::exit(1);
    }
}

/// Starts the background work [`warmup::FALLBACK`] after set-up, unless the
/// UI's first screen has started it already.
fn start_warmup_later<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(warmup::FALLBACK).await;
        let state = app.state::<AppState>();
        if state.warmup.start(&state.store) {
            tracing::debug!("background work started without a first screen");
        }
    });
}

/// Every command, as listed in `build.rs` and granted in
/// `src-tauri/capabilities/default.json`.
fn invoke_handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        commands::workspace::workspace_info,
        warmup::app_first_screen_shown,
        commands::workspace::workspace_load_demo,
        commands::workspace::workspace_update_settings,
        commands::workspace::workspace_setting_options,
        commands::contacts::contacts_list,
        commands::contacts::contacts_get,
        commands::contacts::contacts_create,
        commands::contacts::contacts_update,
        commands::contacts::contacts_check_field,
        commands::contacts::contacts_edit_tags,
        commands::contacts::contacts_set_status,
        commands::tags::tags_list,
        commands::interactions::interactions_add,
        commands::projects::projects_add,
        commands::projects::project_statuses_list,
        commands::import::import_upload,
        commands::import::import_preview,
        commands::import::import_run,
        commands::import::import_discard,
        commands::segments::segments_list,
        commands::segments::segments_get,
        commands::segments::segments_create,
        commands::segments::segments_update,
        commands::segments::segments_duplicate,
        commands::segments::segments_delete,
        commands::segments::segments_check,
        commands::segments::segments_preview,
        commands::segments::segments_count,
        commands::segments::segments_custom_fields,
        commands::relay::relay_status,
        commands::relay::relay_set_url,
        commands::relay::relay_generate_keys,
        commands::relay::relay_rotate_keys,
        commands::relay::relay_test_connection,
        commands::relay::relay_sync_now,
        commands::campaigns::campaigns_list,
        commands::campaigns::campaigns_get,
        commands::campaigns::campaigns_create,
        commands::campaigns::campaigns_update,
        commands::campaigns::campaigns_delete,
        commands::campaigns::campaigns_duplicate,
        commands::campaigns::campaign_templates_list,
        commands::campaigns::campaign_templates_get,
        commands::campaigns::campaign_templates_save,
        commands::campaigns::campaign_templates_delete,
        commands::campaigns::campaign_attachments_add,
        commands::campaigns::campaign_attachments_remove,
        commands::sending::campaign_audience,
        commands::sending::campaign_preview,
        commands::sending::campaign_test_send,
        commands::sending::campaign_send_now,
        commands::sending::campaign_schedule,
        commands::sending::campaign_unschedule,
        commands::sending::campaign_pause,
        commands::sending::campaign_resume,
        commands::sending::campaign_cancel,
        commands::sending::campaign_retry_failed,
        commands::sending::campaign_resend_in_doubt,
        commands::sending::campaign_progress,
        commands::sending::campaign_recipients,
        commands::sending::campaign_recipients_export,
        commands::email::email_settings_get,
        commands::email::email_settings_save,
        commands::email::email_settings_test,
        commands::email::email_presets,
        commands::sms_campaign::campaign_sms_worst_case,
        commands::sms::sms_count,
        commands::sms::sms_gsm_equivalents,
        commands::sms::sms_settings_get,
        commands::sms::sms_settings_save,
        commands::sms::sms_verify,
        commands::sms::sms_test_send,
        commands::notifications::notifications_list,
        commands::notifications::notifications_mark_read,
        commands::notifications::notifications_mark_all_read,
        commands::notifications::notification_settings_get,
        commands::notifications::notification_settings_save,
        commands::dashboard::analytics_dashboard,
        commands::analytics::analytics_campaign,
        commands::analytics::analytics_series,
        commands::analytics::analytics_compare,
        commands::analytics::analytics_export,
        commands::charts::analytics_chart,
        commands::charts::analytics_chart_export,
        commands::startup::startup_probe_finish,
    ]
}

/// A second launch brings the running app's window to the front instead of
/// opening the same workspace twice.
fn focus_main_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Logs to stderr; `HERALD_LOG` filters (e.g. `HERALD_LOG=debug`).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("HERALD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,herald_desktop=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
