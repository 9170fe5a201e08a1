//! A campaign's report, its opens and clicks over time, a comparison and
//! the CSV export, for the analytics page (docs/analytics.md, "In the
//! app"). Series and exports are in the workspace's time zone.

use std::str::FromStr;

use chrono::Utc;
use herald_store::analytics::{self, ExportPart};
use herald_store::campaigns::{self, CampaignId};
use herald_store::{from_millis, relay_sync, settings};
use tauri::State;

use crate::commands::sending::campaign_id;
use crate::dto::analytics::{CampaignReport, ComparisonView, SeriesView, TopLinkView};
use crate::dto::instant;
use crate::error::{CommandError, CommandResult};
use crate::parse;
use crate::state::AppState;

/// How many links the report lists.
const TOP_LINKS: u32 = 10;

/// Campaign `id`'s every number, its ten top links, and whether a relay
/// is there to report opens and clicks.
#[tauri::command]
pub async fn analytics_campaign(
    state: State<'_, AppState>,
    id: String,
) -> CommandResult<CampaignReport> {
    let id = CampaignId::from_uuid(campaign_id(&id)?);
    let store = &state.store;
    let metrics = analytics::campaign(store, id).await?;
    let links = analytics::top_links(store, id, TOP_LINKS).await?;
    let relay = relay_sync::load(store).await?;
    Ok(CampaignReport {
        metrics: metrics.into(),
        top_links: links.into_iter().map(TopLinkView::from).collect(),
        relay_configured: relay.url.is_some(),
        last_sync_at: relay.last_sync_at.map(instant),
    })
}

/// Campaign `id`'s human opens and clicks from `from` (null: its start)
/// to `to` (null: now), hourly up to 7 days and daily beyond.
#[tauri::command]
pub async fn analytics_series(
    state: State<'_, AppState>,
    id: String,
    from: Option<String>,
    to: Option<String>,
) -> CommandResult<SeriesView> {
    let id = CampaignId::from_uuid(campaign_id(&id)?);
    let store = &state.store;
    let from = match from.as_deref() {
        Some(raw) => parse::instant(raw, "from")?,
        None => {
            let started = campaigns::get(store, id).await?.started_at;
            started.map(from_millis).ok_or_else(|| {
                CommandError::validation(
                    "from",
                    "the campaign has not been sent yet: give the start of the range",
                )
            })?
        }
    };
    let to = match to.as_deref() {
        Some(raw) => parse::instant(raw, "to")?,
        None => Utc::now(),
    };
    let zone = settings::time_zone(store).await?;
    Ok(analytics::series(store, id, from, to, zone).await?.into())
}

/// Two to five campaigns side by side, with their hourly opens and clicks
/// aligned on hours since each one's send.
#[tauri::command]
pub async fn analytics_compare(
    state: State<'_, AppState>,
    ids: Vec<String>,
) -> CommandResult<ComparisonView> {
    let ids = ids
        .iter()
        .map(|raw| parse::campaign_id(raw, "ids"))
        .collect::<CommandResult<Vec<_>>>()?;
    let store = &state.store;
    let zone = settings::time_zone(store).await?;
    Ok(analytics::compare(store, &ids, zone).await?.into())
}

/// One part of campaign `id`'s report as CSV text (`metrics`, `series` or
/// `roster`); the UI saves it.
#[tauri::command]
pub async fn analytics_export(
    state: State<'_, AppState>,
    id: String,
    part: String,
) -> CommandResult<String> {
    let id = CampaignId::from_uuid(campaign_id(&id)?);
    let part = ExportPart::from_str(part.trim())?;
    let store = &state.store;
    let zone = settings::time_zone(store).await?;
    Ok(analytics::export_csv(store, id, Some(part), zone).await?)
}
