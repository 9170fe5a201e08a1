//! The workspace as a whole: what it is, and demo data for a first look.

use herald_store::{contacts, settings};
use tauri::State;

use crate::blocking::on_blocking_thread;
use crate::dto::{DemoSummary, WorkspaceInfo};
use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// Every demo workspace gets the same contacts, so screenshots and tests are
/// repeatable (`herald init --demo N` with its default seed gives the same).
const DEMO_SEED: u64 = 1;
/// More than enough to try every screen; the import handles real volumes.
const MAX_DEMO_CONTACTS: u32 = 100_000;

#[tauri::command]
pub async fn workspace_info(state: State<'_, AppState>) -> CommandResult<WorkspaceInfo> {
    let store = &state.store;
    Ok(WorkspaceInfo {
        path: state.workspace.display().to_string(),
        name: settings::workspace_name(store).await?,
        contacts: contacts::count(store).await?,
        default_region: settings::default_region(store)
            .await?
            .map(|r| r.as_str().to_owned()),
        default_currency: settings::default_currency(store).await?.code().to_owned(),
    })
}

/// Fills an empty workspace with `count` demo contacts and their timelines.
#[tauri::command]
pub async fn workspace_load_demo(
    state: State<'_, AppState>,
    count: u32,
) -> CommandResult<DemoSummary> {
    if !(1..=MAX_DEMO_CONTACTS).contains(&count) {
        return Err(CommandError::validation(
            "count",
            format!("ask for between 1 and {MAX_DEMO_CONTACTS} demo contacts"),
        ));
    }
    let existing = contacts::count(&state.store).await?;
    if existing > 0 {
        return Err(CommandError::conflict(format!(
            "the workspace already has {existing} contacts; demo data only goes into an empty one"
        )));
    }
    let store = state.store.clone();
    let summary =
        on_blocking_thread(
            move || async move { herald_demo::load(&store, DEMO_SEED, count).await },
        )
        .await??;
    tracing::info!(contacts = summary.contacts, "demo data loaded");
    Ok(summary.into())
}
