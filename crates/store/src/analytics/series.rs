//! Opens and clicks over time: the hourly rollup read back in hours (ranges
//! up to 7 days) or in the workspace zone's days (longer ranges), with every
//! bucket present, empty ones as zeros.
//!
//! Hours are UTC hours shown in the zone (in a zone offset by a half hour,
//! an hour bucket starts at :30 local). A day is the zone's calendar day:
//! 23 or 25 hours on a daylight-saving change; an event counts in the day
//! its UTC hour starts in.

use std::collections::BTreeMap;

use anyhow::Context;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use herald_core::CampaignId;
use serde::Serialize;

use super::{ensure, hour_of, HOUR_MS};
use crate::{from_millis, to_millis, Result, Store, StoreError};

/// The longest range hourly buckets are used for.
pub const HOURLY_UP_TO: Duration = Duration::days(7);
/// The longest range a series may cover (daily buckets).
pub const MAX_RANGE: Duration = Duration::days(3_660);

/// A series' bucket size, shown with the chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    Hour,
    Day,
}

/// One bucket: human opens and clicks (events, not contacts) that fell in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Point {
    pub start: DateTime<Utc>,
    /// `start` in the zone, RFC 3339 with its offset (the chart's label).
    pub local: String,
    pub opens: i64,
    pub clicks: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Series {
    pub bucket: Bucket,
    /// The zone's IANA name.
    pub zone: String,
    pub points: Vec<Point>,
}

/// Human opens and clicks per UTC hour of campaign `id`, from `from_ms`
/// (inclusive, hour-aligned) to `to_ms` (exclusive).
pub(super) async fn hourly(
    store: &Store,
    id: CampaignId,
    from_ms: i64,
    to_ms: i64,
) -> Result<BTreeMap<i64, (i64, i64)>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT metric, hour_start_ms, total FROM campaign_hourly
         WHERE campaign_id = ?1 AND metric IN ('open_human', 'click_human')
           AND hour_start_ms >= ?2 AND hour_start_ms < ?3",
    )
    .bind(id.as_uuid())
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(store.pool())
    .await
    .context("reading a campaign's hourly rollup")?;
    let mut by_hour = BTreeMap::new();
    for (metric, hour, total) in rows {
        let slot: &mut (i64, i64) = by_hour.entry(hour).or_default();
        if metric == "open_human" {
            slot.0 += total;
        } else {
            slot.1 += total;
        }
    }
    Ok(by_hour)
}

/// The first instant of `date` in `zone` (the earliest, should midnight
/// happen twice; the first hour that exists, should it be skipped).
pub(super) fn day_start(zone: Tz, date: NaiveDate) -> DateTime<Utc> {
    (0..24)
        .find_map(|h| {
            zone.from_local_datetime(&date.and_hms_opt(h, 0, 0)?)
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| date.and_time(chrono::NaiveTime::MIN).and_utc())
}

fn point(zone: Tz, start: DateTime<Utc>, (opens, clicks): (i64, i64)) -> Point {
    Point {
        start,
        local: start.with_timezone(&zone).to_rfc3339(),
        opens,
        clicks,
    }
}

/// Campaign `id`'s human opens and clicks from `from` to `to` (exclusive),
/// bucketed by hour up to 7 days and by day in `zone` beyond.
pub async fn series(
    store: &Store,
    id: CampaignId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    zone: Tz,
) -> Result<Series> {
    if to <= from {
        return Err(StoreError::Validation {
            field: "to".into(),
            message: "must be after from".into(),
        });
    }
    if to - from > MAX_RANGE {
        return Err(StoreError::Validation {
            field: "to".into(),
            message: "a series covers at most 3,660 days".into(),
        });
    }
    ensure(store).await?;
    let hourly_range = to - from <= HOURLY_UP_TO;
    let (bucket, first_ms, starts) = if hourly_range {
        let first = hour_of(to_millis(from));
        let starts: Vec<DateTime<Utc>> = (first..to_millis(to))
            .step_by(HOUR_MS as usize)
            .map(from_millis)
            .collect();
        (Bucket::Hour, first, starts)
    } else {
        let first_day = from.with_timezone(&zone).date_naive();
        let last_day = (to - Duration::milliseconds(1))
            .with_timezone(&zone)
            .date_naive();
        let starts: Vec<DateTime<Utc>> = first_day
            .iter_days()
            .take_while(|d| *d <= last_day)
            .map(|d| day_start(zone, d))
            .collect();
        (Bucket::Day, to_millis(starts[0]), starts)
    };
    let by_hour = hourly(store, id, first_ms, to_millis(to)).await?;
    let mut sums = vec![(0_i64, 0_i64); starts.len()];
    for (hour, (opens, clicks)) in by_hour {
        // The last bucket starting at or before the hour.
        let i = starts.partition_point(|s| to_millis(*s) <= hour);
        if let Some(slot) = i.checked_sub(1).and_then(|i| sums.get_mut(i)) {
            slot.0 += opens;
            slot.1 += clicks;
        }
    }
    let points = starts
        .into_iter()
        .zip(sums)
        .map(|(start, sum)| point(zone, start, sum))
        .collect();
    Ok(Series {
        bucket,
        zone: zone.name().to_owned(),
        points,
    })
}
