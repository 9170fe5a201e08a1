//! The bell and Settings → Notifications (docs/notifications.md).

use herald_store::notifications;
use herald_store::now_millis;
use herald_store::StoreError;
use tauri::State;

use crate::dto::notifications::{NotificationList, NotificationSettingsView};
use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// The bell shows this many unless asked for another number.
const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 500;

/// The newest notifications (at most `limit`, 50 by default) and how
/// many are unread in all.
#[tauri::command]
pub async fn notifications_list(
    state: State<'_, AppState>,
    limit: Option<u32>,
) -> CommandResult<NotificationList> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(CommandError::validation(
            "limit",
            format!("the limit must be between 1 and {MAX_LIMIT}"),
        ));
    }
    let (items, unread) = notifications::list(&state.store, limit).await?;
    Ok(NotificationList {
        items: items.into_iter().map(Into::into).collect(),
        unread,
    })
}

/// Marks one notification read.
#[tauri::command]
pub async fn notifications_mark_read(state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    notifications::mark_read(&state.store, id, now_millis()).await?;
    Ok(())
}

/// Marks every notification read.
#[tauri::command]
pub async fn notifications_mark_all_read(state: State<'_, AppState>) -> CommandResult<()> {
    notifications::mark_all_read(&state.store, now_millis()).await?;
    Ok(())
}

/// The choice per kind of event and the warning lines.
#[tauri::command]
pub async fn notification_settings_get(
    state: State<'_, AppState>,
) -> CommandResult<NotificationSettingsView> {
    Ok(notifications::load_settings(&state.store).await?.into())
}

/// Saves the whole settings section; answers what is now stored.
#[tauri::command]
pub async fn notification_settings_save(
    state: State<'_, AppState>,
    input: NotificationSettingsView,
) -> CommandResult<NotificationSettingsView> {
    notifications::save_settings(&state.store, &(&input).into())
        .await
        .map_err(form_field)?;
    Ok(notifications::load_settings(&state.store).await?.into())
}

/// The store names the thresholds as it keeps them (fractions); the form's
/// fields are percentages.
fn form_field(e: StoreError) -> CommandError {
    match e {
        StoreError::Validation { field, message } => {
            let field = match field.as_str() {
                "complaintRate" => "complaintRatePercent".to_owned(),
                "bounceRate" => "bounceRatePercent".to_owned(),
                _ => field,
            };
            CommandError::validation(field, message)
        }
        other => other.into(),
    }
}
