//! Two to five campaigns side by side: each one's metrics, and their human
//! opens and clicks per hour aligned on "hours since send" (each campaign's
//! `started_at`, else its first rolled-up hour), so campaigns sent weeks
//! apart overlay.

use anyhow::Context;
use chrono_tz::Tz;
use herald_core::CampaignId;
use serde::Serialize;

use super::metrics::{campaign, CampaignMetrics};
use super::series::hourly;
use super::{hour_of, HOUR_MS};
use crate::{to_millis, Result, Store, StoreError};

/// How many hours after the send an aligned series covers at most (30 days).
pub const MAX_HOURS: i64 = 720;

/// One campaign's hours since send: `points[h]` = (human opens, human
/// clicks) in hour `h` after its start.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlignedSeries {
    pub id: CampaignId,
    /// The hour that is hour 0 (RFC 3339 in the workspace zone); `None` for
    /// a campaign with no start and no events.
    pub start_local: Option<String>,
    pub points: Vec<(i64, i64, i64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub metrics: Vec<CampaignMetrics>,
    /// Every series has the same number of points (the longest one's,
    /// at most [`MAX_HOURS`]), padded with zeros.
    pub series: Vec<AlignedSeries>,
}

/// Campaigns `ids` (2 to 5, distinct) side by side.
pub async fn compare(store: &Store, ids: &[CampaignId], zone: Tz) -> Result<Comparison> {
    if !(2..=5).contains(&ids.len()) {
        return Err(StoreError::Validation {
            field: "ids".into(),
            message: format!("compare takes 2 to 5 campaigns, not {}", ids.len()),
        });
    }
    if let Some(dup) = ids
        .iter()
        .enumerate()
        .find(|(i, id)| ids[..*i].contains(id))
    {
        return Err(StoreError::Validation {
            field: "ids".into(),
            message: format!("campaign {} is named twice", dup.1),
        });
    }
    let mut metrics = Vec::with_capacity(ids.len());
    let mut series = Vec::with_capacity(ids.len());
    let mut len = 0_usize;
    for &id in ids {
        let m = campaign(store, id).await?;
        let first_hour: Option<i64> = match m.started_at {
            Some(at) => Some(hour_of(to_millis(at))),
            None => sqlx::query_scalar(
                "SELECT min(hour_start_ms) FROM campaign_hourly WHERE campaign_id = ?",
            )
            .bind(id.as_uuid())
            .fetch_one(store.pool())
            .await
            .context("finding a campaign's first hour")?,
        };
        let mut points = Vec::new();
        if let Some(start) = first_hour {
            let by_hour = hourly(store, id, start, start + MAX_HOURS * HOUR_MS).await?;
            if let Some(last) = by_hour.keys().next_back() {
                points = vec![(0, 0); ((last - start) / HOUR_MS + 1) as usize];
            }
            for (hour, sums) in by_hour {
                points[((hour - start) / HOUR_MS) as usize] = sums;
            }
        }
        len = len.max(points.len());
        series.push(AlignedSeries {
            id,
            start_local: first_hour
                .map(|h| crate::from_millis(h).with_timezone(&zone).to_rfc3339()),
            points: points
                .into_iter()
                .enumerate()
                .map(|(h, (o, c))| (h as i64, o, c))
                .collect(),
        });
        metrics.push(m);
    }
    for s in &mut series {
        let have = s.points.len();
        s.points.extend((have..len).map(|h| (h as i64, 0, 0)));
    }
    Ok(Comparison { metrics, series })
}
