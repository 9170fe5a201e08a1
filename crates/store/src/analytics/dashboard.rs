//! The dashboard: the last campaigns with their key rates, the one sending
//! now, the last 30 days against the 30 before, and the audience's growth
//! per week; all from the rollups, the ledger's indexes and the consent
//! ledger (docs/analytics.md, "Dashboard").

use anyhow::Context;
use chrono::{DateTime, Datelike, Duration, Utc};
use chrono_tz::Tz;
use herald_core::CampaignId;
use serde::Serialize;
use uuid::Uuid;

use super::metrics::{metric_counts, RateBasis};
use super::series::day_start;
use super::{ensure, Metric};
use crate::{from_millis, to_millis, Result, Store};

/// How many campaigns the summary lists, and how many weeks of growth.
const RECENT: i64 = 5;
const WEEKS: usize = 12;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecentCampaign {
    pub id: CampaignId,
    pub name: String,
    pub channel: String,
    pub status: String,
    pub started_at: Option<DateTime<Utc>>,
    pub sent: i64,
    pub basis: RateBasis,
    /// Unique human opens (pixel opens; the report adds clickers) and
    /// clicks over the basis; `None` with nothing sent or delivered.
    pub open_rate: Option<f64>,
    pub click_rate: Option<f64>,
    /// Contacts the provider reported delivered over messages sent: the
    /// headline of a text, which has no opens and no tracked links.
    pub delivered_rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SendingCampaign {
    pub id: CampaignId,
    pub name: String,
    pub channel: String,
    pub recipients: i64,
    pub sent: i64,
    pub failed: i64,
    pub in_doubt: i64,
}

/// A 30-day window's totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Messages sent by the campaigns that started in the window.
    pub sent: i64,
    /// Contacts' first human open (click, unsubscribe) of a campaign that
    /// fell in the window, added over campaigns.
    pub unique_opens: i64,
    pub unique_clicks: i64,
    /// Email unsubscribes and SMS opt-outs.
    pub unsubscribes: i64,
}

/// One week (Monday 00:00 in the workspace zone) of email consent changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrowthWeek {
    pub week_start: DateTime<Utc>,
    /// Consent granted (subscribed).
    pub subscribed: i64,
    /// Consent withdrawn: unsubscribes, complaints, hard bounces.
    pub unsubscribed: i64,
    pub net: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    /// No contacts and no campaigns: the app shows its first-run state.
    pub empty: bool,
    pub recent: Vec<RecentCampaign>,
    pub sending: Option<SendingCampaign>,
    pub last_30_days: Totals,
    pub previous_30_days: Totals,
    /// Oldest first; the last one is the current week.
    pub growth: Vec<GrowthWeek>,
}

async fn sent_of(store: &Store, id: Uuid) -> Result<i64> {
    let n = sqlx::query_scalar(
        "SELECT count(*) FROM campaign_recipients WHERE campaign_id = ? AND status = 'sent'",
    )
    .bind(id)
    .fetch_one(store.pool())
    .await
    .context("counting a campaign's sent messages")?;
    Ok(n)
}

async fn recent(store: &Store) -> Result<Vec<RecentCampaign>> {
    type Row = (Uuid, String, String, String, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, name, channel, status, started_at FROM campaigns
         WHERE started_at IS NOT NULL ORDER BY started_at DESC LIMIT ?",
    )
    .bind(RECENT)
    .fetch_all(store.pool())
    .await
    .context("reading the last campaigns")?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, name, channel, status, started_at) in rows {
        let sent = sent_of(store, id).await?;
        let m = metric_counts(store, id).await?;
        let unique = |metric| m.get(&metric).map_or(0, |c| c.unique);
        let delivered = unique(Metric::Delivered) + unique(Metric::SmsDelivered);
        let (basis, base) = if delivered > 0 {
            (RateBasis::Delivered, delivered)
        } else {
            (RateBasis::Sent, sent)
        };
        let rate = |n: i64| (base > 0).then(|| n as f64 / base as f64);
        out.push(RecentCampaign {
            id: CampaignId::from_uuid(id),
            name,
            channel,
            status,
            started_at: started_at.map(from_millis),
            sent,
            basis,
            open_rate: rate(unique(Metric::OpenHuman)),
            click_rate: rate(unique(Metric::ClickHuman)),
            delivered_rate: (sent > 0).then(|| delivered as f64 / sent as f64),
        });
    }
    Ok(out)
}

async fn sending(store: &Store) -> Result<Option<SendingCampaign>> {
    let row: Option<(Uuid, String, String)> = sqlx::query_as(
        "SELECT id, name, channel FROM campaigns WHERE status = 'sending'
         ORDER BY started_at DESC LIMIT 1",
    )
    .fetch_optional(store.pool())
    .await
    .context("finding the campaign sending now")?;
    let Some((id, name, channel)) = row else {
        return Ok(None);
    };
    let (recipients, sent, failed, in_doubt): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), coalesce(sum(status = 'sent'), 0), coalesce(sum(status = 'failed'), 0),
                coalesce(sum(status = 'in_doubt'), 0)
         FROM campaign_recipients WHERE campaign_id = ?",
    )
    .bind(id)
    .fetch_one(store.pool())
    .await
    .context("counting the sending campaign's progress")?;
    Ok(Some(SendingCampaign {
        id: CampaignId::from_uuid(id),
        name,
        channel,
        recipients,
        sent,
        failed,
        in_doubt,
    }))
}

async fn totals(store: &Store, from: i64, to: i64) -> Result<Totals> {
    let sent: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM campaign_recipients
         WHERE campaign_id IN (SELECT id FROM campaigns WHERE started_at >= ?1 AND started_at < ?2)
           AND status = 'sent'",
    )
    .bind(from)
    .bind(to)
    .fetch_one(store.pool())
    .await
    .context("counting messages sent in a window")?;
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT metric, sum(uniques) FROM campaign_hourly
         WHERE metric IN ('open_human', 'click_human', 'unsubscribe', 'sms_opt_out')
           AND hour_start_ms >= ? AND hour_start_ms < ?
         GROUP BY metric",
    )
    .bind(from)
    .bind(to)
    .fetch_all(store.pool())
    .await
    .context("adding up a window's engagement")?;
    let mut t = Totals {
        sent,
        ..Totals::default()
    };
    for (metric, n) in rows {
        match metric.as_str() {
            "open_human" => t.unique_opens += n,
            "click_human" => t.unique_clicks += n,
            _ => t.unsubscribes += n,
        }
    }
    Ok(t)
}

async fn growth(store: &Store, now: DateTime<Utc>, zone: Tz) -> Result<Vec<GrowthWeek>> {
    let today = now.with_timezone(&zone).date_naive();
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let starts: Vec<DateTime<Utc>> = (0..WEEKS as i64)
        .rev()
        .map(|w| day_start(zone, monday - Duration::weeks(w)))
        .collect();
    // The week index: how many week starts the instant is at or after,
    // minus one (the covering index (channel, at, action) answers it).
    let index = starts
        .iter()
        .map(|s| format!("(at >= {})", to_millis(*s)))
        .collect::<Vec<_>>()
        .join(" + ");
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT {index} - 1 AS week, coalesce(sum(action = 'granted'), 0),
                coalesce(sum(action = 'withdrawn'), 0)
         FROM consent_events WHERE channel = 'email' AND at >= ? AND at <= ?
         GROUP BY week"
    ))
    .bind(to_millis(starts[0]))
    .bind(to_millis(now))
    .fetch_all(store.pool())
    .await
    .context("counting consent changes per week")?;
    let mut weeks: Vec<GrowthWeek> = starts
        .into_iter()
        .map(|week_start| GrowthWeek {
            week_start,
            subscribed: 0,
            unsubscribed: 0,
            net: 0,
        })
        .collect();
    for (week, granted, withdrawn) in rows {
        if let Some(w) = usize::try_from(week).ok().and_then(|i| weeks.get_mut(i)) {
            w.subscribed = granted;
            w.unsubscribed = withdrawn;
            w.net = granted - withdrawn;
        }
    }
    Ok(weeks)
}

/// The dashboard as of `now`, its weeks in `zone`.
pub async fn dashboard(store: &Store, now: DateTime<Utc>, zone: Tz) -> Result<Dashboard> {
    ensure(store).await?;
    let empty: bool = sqlx::query_scalar(
        "SELECT NOT EXISTS (SELECT 1 FROM contacts) AND NOT EXISTS (SELECT 1 FROM campaigns)",
    )
    .fetch_one(store.pool())
    .await
    .context("checking for an empty workspace")?;
    let day = Duration::days(30);
    let now_ms = to_millis(now);
    Ok(Dashboard {
        empty,
        recent: recent(store).await?,
        sending: sending(store).await?,
        last_30_days: totals(store, to_millis(now - day), now_ms + 1).await?,
        previous_30_days: totals(store, to_millis(now - day - day), to_millis(now - day)).await?,
        growth: growth(store, now, zone).await?,
    })
}
