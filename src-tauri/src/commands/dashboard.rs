//! The dashboard's campaign widgets (docs/analytics.md, "Dashboard"):
//! answered from the analytics rollups as of now, its weeks in the
//! workspace's time zone.

use chrono::Utc;
use herald_store::{analytics, settings};
use tauri::State;

use crate::dto::dashboard::DashboardView;
use crate::error::CommandResult;
use crate::state::AppState;

/// The last campaigns, the one sending now, the last 30 days against the 30
/// before, and 12 weeks of audience growth.
#[tauri::command]
pub async fn analytics_dashboard(state: State<'_, AppState>) -> CommandResult<DashboardView> {
    let zone = settings::time_zone(&state.store).await?;
    let dashboard = analytics::dashboard(&state.store, Utc::now(), zone).await?;
    Ok(DashboardView::try_from(dashboard)?)
}
