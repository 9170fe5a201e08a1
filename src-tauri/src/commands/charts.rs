//! Charts for the analytics page and the dashboard, drawn by herald-charts
//! from the store's analytics (docs/analytics.md, "Charts"): SVG with hover
//! points for the UI, PNG or SVG files to download.

use base64::Engine;
use chrono::Utc;
use herald_charts::{ChartData, ChartError, Funnel, Growth, Overlay, Size};
use herald_store::analytics;
use herald_store::campaigns;
use herald_store::{from_millis, settings, Store, StoreError};
use tauri::State;

use crate::dto::charts::{ChartFile, ChartFormat, ChartRequest, ChartSpec, ChartView};
use crate::error::{CommandError, CommandResult};
use crate::parse;
use crate::state::AppState;

/// The store names its own arguments (`to`, `ids`); the UI's are inside
/// the spec.
fn in_spec(e: StoreError, rename: &[(&str, &str)]) -> CommandError {
    match e {
        StoreError::Validation { field, message } => {
            let field = rename
                .iter()
                .find(|(from, _)| *from == field)
                .map_or(field, |(_, to)| (*to).to_owned());
            CommandError::validation(field, message)
        }
        other => other.into(),
    }
}

/// Reads what `spec` draws.
async fn load(store: &Store, spec: &ChartSpec) -> CommandResult<ChartData> {
    let zone = settings::time_zone(store).await?;
    Ok(match spec {
        ChartSpec::Engagement {
            campaign_id,
            from,
            to,
        } => {
            let id = parse::campaign_id(campaign_id, "spec.campaignId")?;
            let started = campaigns::get(store, id).await?.started_at.map(from_millis);
            let (default_from, now) = herald_charts::default_range(started, Utc::now());
            let from = match from {
                Some(raw) => parse::instant(raw, "spec.from")?,
                None => default_from,
            };
            let to = match to {
                Some(raw) => parse::instant(raw, "spec.to")?,
                None => now,
            };
            let series = analytics::series(store, id, from, to, zone)
                .await
                .map_err(|e| in_spec(e, &[("to", "spec.to"), ("from", "spec.from")]))?;
            ChartData::Engagement(series)
        }
        ChartSpec::Funnel { campaign_id } => {
            let id = parse::campaign_id(campaign_id, "spec.campaignId")?;
            ChartData::Funnel(Funnel::from_metrics(&analytics::campaign(store, id).await?))
        }
        ChartSpec::Comparison { campaign_ids } => {
            let ids = campaign_ids
                .iter()
                .map(|raw| parse::campaign_id(raw, "spec.campaignIds"))
                .collect::<CommandResult<Vec<_>>>()?;
            let c = analytics::compare(store, &ids, zone)
                .await
                .map_err(|e| in_spec(e, &[("ids", "spec.campaignIds")]))?;
            ChartData::Comparison(Overlay::from_comparison(&c))
        }
        ChartSpec::Growth => {
            let weeks = analytics::dashboard(store, Utc::now(), zone).await?.growth;
            ChartData::Growth(Growth { weeks, zone })
        }
    })
}

fn size(request: &ChartRequest) -> CommandResult<Size> {
    Size::new(request.width, request.height).map_err(chart_error)
}

fn chart_error(e: ChartError) -> CommandError {
    match e {
        ChartError::Size { field, message } => CommandError::validation(field, message),
        ChartError::Draw(_) => CommandError::internal(&anyhow::Error::new(e)),
    }
}

/// Draws on a blocking thread: a large PNG takes a while of CPU.
async fn draw<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ChartError> + Send + 'static,
) -> CommandResult<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| CommandError::internal(&anyhow::Error::new(e).context("drawing a chart")))?
        .map_err(chart_error)
}

/// The chart as SVG with its hover points, in the UI's colour scheme.
#[tauri::command]
pub async fn analytics_chart(
    state: State<'_, AppState>,
    request: ChartRequest,
) -> CommandResult<ChartView> {
    let size = size(&request)?;
    let data = load(&state.store, &request.spec).await?;
    let theme = request.theme.into();
    let chart = draw(move || herald_charts::svg(&data, theme, size)).await?;
    Ok(chart.into())
}

/// The chart as a file to download: PNG at the asked size, or SVG.
#[tauri::command]
pub async fn analytics_chart_export(
    state: State<'_, AppState>,
    request: ChartRequest,
    format: ChartFormat,
) -> CommandResult<ChartFile> {
    let size = size(&request)?;
    let data = load(&state.store, &request.spec).await?;
    let theme = request.theme.into();
    let (bytes, ext, mime) = match format {
        ChartFormat::Png => (
            draw(move || herald_charts::png(&data, theme, size)).await?,
            "png",
            "image/png",
        ),
        ChartFormat::Svg => (
            draw(move || herald_charts::svg_file(&data, theme, size))
                .await?
                .into_bytes(),
            "svg",
            "image/svg+xml",
        ),
    };
    Ok(ChartFile {
        file_name: format!("{}.{ext}", request.spec.kind()),
        mime: mime.to_owned(),
        base64: base64::engine::general_purpose::STANDARD.encode(bytes),
    })
}
