//! A contact's timeline.

use herald_core::InteractionKind;
use herald_store::{from_millis, interactions};
use tauri::State;

use super::contacts::detail;
use crate::dto::ContactDetail;
use crate::error::{CommandError, CommandResult};
use crate::parse;
use crate::state::AppState;

/// Logs a call, meeting, note, ... `occurred_at` is RFC 3339 or a date
/// (`2026-01-05`, read as midnight UTC).
#[tauri::command]
pub async fn interactions_add(
    state: State<'_, AppState>,
    contact_id: String,
    kind: String,
    occurred_at: String,
    summary: String,
) -> CommandResult<ContactDetail> {
    let contact = parse::contact_id(&contact_id, "contactId")?;
    let kind = InteractionKind::parse(&kind)
        .map_err(|e| CommandError::validation("kind", e.to_string()))?;
    let at = herald_store::import::parse_instant(occurred_at.trim())
        .map(from_millis)
        .ok_or_else(|| {
            CommandError::validation(
                "occurredAt",
                format!("\"{occurred_at}\" is not a date: write YYYY-MM-DD or RFC 3339"),
            )
        })?;
    interactions::add(&state.store, contact, kind, at, &summary).await?;
    detail(&state.store, contact).await
}
