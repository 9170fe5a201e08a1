//! The CSV import wizard: upload in chunks, preview, run (or dry-run) with
//! progress events, discard.

use std::fs::File;
use std::io::BufReader;
use std::time::{Duration, Instant};

use anyhow::Context;
use herald_store::import::{self, ImportOptions};
use tauri::ipc::{InvokeBody, Request};
use tauri::{AppHandle, Emitter, Runtime, State};

use crate::blocking::on_blocking_thread;
use crate::dto::{ImportPreview, ImportProgress, ImportRequest, ImportSummary};
use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// The event `import_run` emits while it works; its payload is `ImportProgress`.
pub const PROGRESS_EVENT: &str = "import-progress";
/// At most this often: enough for a smooth bar, no flood of IPC messages.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);
/// Rows the preview shows.
const PREVIEW_ROWS: usize = 10;

/// Appends the request's raw body (the next slice of the file) to an upload.
/// Headers: `x-upload-id` (empty for the first slice) and `x-file-name`
/// (percent-encoded). Returns the upload id to send with the next slice.
#[tauri::command]
pub async fn import_upload(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> CommandResult<String> {
    let InvokeBody::Raw(chunk) = request.body() else {
        return Err(CommandError::validation(
            "file",
            "send the file's bytes as the raw request body",
        ));
    };
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .unwrap_or_default()
    };
    let id = Some(header("x-upload-id")).filter(|id| !id.is_empty());
    let id = state.uploads.append(id, header("x-file-name"), chunk)?;
    Ok(id.to_string())
}

/// The start of an upload: headers, first rows, detected mapping.
#[tauri::command]
pub async fn import_preview(
    state: State<'_, AppState>,
    upload_id: String,
) -> CommandResult<ImportPreview> {
    let upload = state.uploads.get(&upload_id)?;
    let file = File::open(&upload.path)
        .with_context(|| format!("opening the upload {}", upload.path.display()))?;
    let preview = import::preview(BufReader::new(file), PREVIEW_ROWS)?;
    Ok(ImportPreview::new(
        upload.id.to_string(),
        upload.file_name,
        upload.bytes,
        preview,
    ))
}

/// Imports an upload (or dry-runs it) and reports. After a real import the
/// upload is deleted; a dry run keeps it for the real run that follows.
#[tauri::command]
pub async fn import_run<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: ImportRequest,
) -> CommandResult<ImportSummary> {
    let upload = state.uploads.get(&request.upload_id)?;
    let options = ImportOptions {
        mappings: request
            .mappings
            .iter()
            .map(|m| (m.header.clone(), m.field.clone()))
            .collect(),
        ignore_unknown: request.ignore_unknown,
        tags: request.tags.clone(),
        consent_source: request
            .consent_source
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
        dry_run: request.dry_run,
        ..ImportOptions::default()
    };
    let file = File::open(&upload.path)
        .with_context(|| format!("opening the upload {}", upload.path.display()))?;
    let store = state.store.clone();
    let handle = app.clone();
    let upload_id = upload.id.to_string();
    let total_bytes = upload.bytes;
    let report = on_blocking_thread(move || async move {
        let mut last = Instant::now();
        let mut progress = |bytes: u64, rows: u64| {
            if last.elapsed() >= PROGRESS_EVERY {
                last = Instant::now();
                emit_progress(&app, &upload_id, bytes, total_bytes, rows);
            }
        };
        let reader = BufReader::with_capacity(1 << 20, file);
        let report = import::import_csv(&store, reader, &options, &mut progress).await;
        if let Ok(done) = &report {
            let rows = done.imported
                + done.updated
                + done.unchanged
                + done.skipped
                + done.duplicates.len() as u64;
            emit_progress(&app, &upload_id, total_bytes, total_bytes, rows);
        }
        report
    })
    .await??;
    tracing::info!(
        imported = report.imported,
        updated = report.updated,
        skipped = report.skipped,
        dry_run = report.dry_run,
        "import finished"
    );
    if !request.dry_run {
        state.uploads.discard(&request.upload_id);
        let event = herald_send::notify::import_finished(
            &request.upload_id,
            &upload.file_name,
            report.imported,
            report.updated,
            report.skipped,
        );
        crate::notify::import_finished(&handle, &state.store, event).await;
    }
    Ok(report.into())
}

fn emit_progress<R: Runtime>(
    app: &AppHandle<R>,
    upload_id: &str,
    bytes: u64,
    total_bytes: u64,
    rows: u64,
) {
    let payload = ImportProgress {
        upload_id: upload_id.to_owned(),
        bytes: bytes.min(total_bytes),
        total_bytes,
        rows,
    };
    if let Err(e) = app.emit(PROGRESS_EVENT, payload) {
        tracing::warn!("could not send import progress: {e}");
    }
}

/// Forgets an upload and deletes its file (the wizard was cancelled).
#[tauri::command]
pub async fn import_discard(state: State<'_, AppState>, upload_id: String) -> CommandResult<()> {
    state.uploads.discard(&upload_id);
    Ok(())
}
