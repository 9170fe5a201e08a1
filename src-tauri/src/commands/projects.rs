//! Projects (deals) on a contact, and the workspace's list of statuses.

use herald_core::Money;
use herald_store::{project_statuses, projects, settings};
use tauri::State;

use super::contacts::detail;
use crate::dto::ContactDetail;
use crate::error::{CommandError, CommandResult};
use crate::parse;
use crate::state::AppState;

/// Adds a project. `value` is an amount in the workspace's default currency
/// as typed ("5000", "1,250.50"); empty means zero.
#[tauri::command]
pub async fn projects_add(
    state: State<'_, AppState>,
    contact_id: String,
    name: String,
    status: String,
    value: String,
) -> CommandResult<ContactDetail> {
    let contact = parse::contact_id(&contact_id, "contactId")?;
    let currency = settings::default_currency(&state.store).await?;
    let value = match value.trim() {
        "" => Money::zero(currency),
        raw => Money::parse_major(raw, currency)
            .map_err(|e| CommandError::validation("value", e.to_string()))?,
    };
    projects::add(&state.store, contact, &name, &status, value).await?;
    detail(&state.store, contact).await
}

/// The statuses a project can have, in display order.
#[tauri::command]
pub async fn project_statuses_list(state: State<'_, AppState>) -> CommandResult<Vec<String>> {
    Ok(project_statuses::list(&state.store).await?)
}
