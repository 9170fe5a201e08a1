//! The workspace as a whole: what it is, and demo data for a first look.

use herald_core::Currency;
use herald_store::{contacts, settings};
use tauri::State;

use crate::blocking::on_blocking_thread;
use crate::dto::workspace::{SettingOptions, WorkspaceSettingsInput};
use crate::dto::{DemoSummary, WorkspaceInfo};
use crate::error::{CommandError, CommandResult};
use crate::parse;
use crate::state::AppState;

/// Every demo workspace gets the same contacts, so screenshots and tests are
/// repeatable (`herald init --demo N` with its default seed gives the same).
const DEMO_SEED: u64 = 1;
/// More than enough to try every screen; the import handles real volumes.
const MAX_DEMO_CONTACTS: u32 = 100_000;

async fn info(state: &AppState) -> CommandResult<WorkspaceInfo> {
    let store = &state.store;
    let saved = settings::load(store).await?;
    Ok(WorkspaceInfo {
        path: state.workspace.display().to_string(),
        name: saved.name,
        contacts: contacts::count(store).await?,
        default_region: saved.default_region.map(|r| r.as_str().to_owned()),
        default_currency: saved.default_currency.code().to_owned(),
        time_zone: saved.time_zone.name().to_owned(),
    })
}

#[tauri::command]
pub async fn workspace_info(state: State<'_, AppState>) -> CommandResult<WorkspaceInfo> {
    info(&state).await
}

/// Saves the workspace settings together: every value is checked first,
/// and nothing is written unless all of them are valid.
#[tauri::command]
pub async fn workspace_update_settings(
    state: State<'_, AppState>,
    input: WorkspaceSettingsInput,
) -> CommandResult<WorkspaceInfo> {
    let name = input.name.trim();
    if name.is_empty() {
        return Err(CommandError::validation(
            "name",
            "the workspace needs a name",
        ));
    }
    if name.chars().count() > 80 {
        return Err(CommandError::validation(
            "name",
            "a workspace name is at most 80 characters",
        ));
    }
    let default_region = parse::country(&input.default_region).map_err(|e| CommandError {
        field: Some("defaultRegion".to_owned()),
        ..e
    })?;
    let default_currency = Currency::parse(&input.default_currency)
        .map_err(|e| CommandError::validation("defaultCurrency", e.to_string()))?;
    let time_zone = settings::parse_time_zone(&input.time_zone).map_err(|e| match e {
        herald_store::StoreError::Validation { message, .. } => {
            CommandError::validation("timeZone", message)
        }
        other => other.into(),
    })?;
    settings::save(
        &state.store,
        &settings::WorkspaceSettings {
            name: name.to_owned(),
            default_region,
            default_currency,
            time_zone,
        },
    )
    .await?;
    info(&state).await
}

/// The currencies and time zones the settings form offers.
#[tauri::command]
pub fn workspace_setting_options() -> SettingOptions {
    let mut currencies: Vec<String> = Currency::all().map(|c| c.code().to_owned()).collect();
    currencies.sort();
    currencies.dedup();
    let mut time_zones: Vec<String> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name().to_owned())
        .collect();
    time_zones.sort();
    SettingOptions {
        currencies,
        time_zones,
    }
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
