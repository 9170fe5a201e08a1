//! One campaign's numbers: the send ledger's counts (sent, failed, in
//! doubt...), its exclusions, and the rollups' events, with rates on the
//! basis the provider allows (docs/analytics.md, "Rates").

use std::collections::{BTreeMap, HashMap};

use anyhow::Context;
use chrono::{DateTime, Utc};
use herald_core::CampaignId;
use serde::Serialize;
use uuid::Uuid;

use super::{ensure, Metric};
use crate::campaigns::counts;
use crate::{from_millis, Result, Store, StoreError};

/// Events of one metric: how many, and how many contacts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Count {
    pub unique: i64,
    pub total: i64,
}

/// What the rates are divided by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RateBasis {
    /// The provider reported deliveries for this campaign.
    Delivered,
    /// No delivery reports: messages sent.
    Sent,
}

/// Shares of the basis (0.0 to 1.0); `None` when the basis is zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Rates {
    /// Unique human opens (the headline).
    pub open: Option<f64>,
    /// Unique human clicks.
    pub click: Option<f64>,
    /// Unique human clicks over unique human opens (not over the basis).
    pub click_to_open: Option<f64>,
    /// Hard and soft bounces.
    pub bounce: Option<f64>,
    pub complaint: Option<f64>,
    pub unsubscribe: Option<f64>,
}

/// Carrier reports and opt-outs of an SMS campaign (contacts, once each).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SmsMetrics {
    pub delivered: i64,
    pub undelivered: i64,
    pub failed: i64,
    pub opt_outs: i64,
}

/// Every number of a campaign's report. Counts of contacts unless named
/// `total`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignMetrics {
    pub id: CampaignId,
    pub name: String,
    /// `email` or `sms`.
    pub channel: String,
    pub status: String,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Ledger rows: who the audience resolved to.
    pub recipients: i64,
    /// Left out when the audience was resolved, by reason.
    pub excluded: BTreeMap<String, i64>,
    pub excluded_total: i64,
    /// Queued or on their way.
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
    pub in_doubt: i64,
    /// Opted out (or bounced) after the audience was resolved.
    pub suppressed: i64,
    /// Contacts the provider reported delivered (email or SMS).
    pub delivered: i64,
    pub bounced_hard: i64,
    pub bounced_soft: i64,
    pub complained: i64,
    pub unsubscribed: i64,
    /// The headline: contacts with a human open or a human click (a click
    /// proves the message was opened even when the pixel was blocked; the
    /// ledger's `opened_at` rule).
    pub opened: i64,
    /// Human open events as recorded (a click adds none).
    pub opens_human: Count,
    pub opens_machine: Count,
    pub clicks_human: Count,
    pub clicks_scanner: Count,
    pub sms: SmsMetrics,
    pub basis: RateBasis,
    /// The basis's count: `delivered` or `sent`.
    pub basis_count: i64,
    pub rates: Rates,
}

/// A tracked link by its human clicks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopLink {
    pub url: String,
    pub unique: i64,
    pub total: i64,
}

struct CampaignRow {
    name: String,
    channel: String,
    status: String,
    started_at: Option<i64>,
    finished_at: Option<i64>,
    exclusions: Option<String>,
}

async fn campaign_row(store: &Store, id: CampaignId) -> Result<CampaignRow> {
    type Row = (
        String,
        String,
        String,
        Option<i64>,
        Option<i64>,
        Option<String>,
    );
    let row: Option<Row> = sqlx::query_as(
        "SELECT name, channel, status, started_at, finished_at, exclusions
         FROM campaigns WHERE id = ?",
    )
    .bind(id.as_uuid())
    .fetch_optional(store.pool())
    .await
    .context("reading a campaign")?;
    let (name, channel, status, started_at, finished_at, exclusions) =
        row.ok_or_else(|| StoreError::NotFound(format!("campaign {}", id.as_uuid())))?;
    Ok(CampaignRow {
        name,
        channel,
        status,
        started_at,
        finished_at,
        exclusions,
    })
}

/// Each metric's unique and total count of one campaign, from the hourly
/// rollup (its `uniques` add up to the unique set's size).
pub(super) async fn metric_counts(store: &Store, id: Uuid) -> Result<HashMap<Metric, Count>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT metric, sum(uniques), sum(total) FROM campaign_hourly
         WHERE campaign_id = ? GROUP BY metric",
    )
    .bind(id)
    .fetch_all(store.pool())
    .await
    .context("reading a campaign's rollups")?;
    Ok(rows
        .into_iter()
        .filter_map(|(m, unique, total)| Metric::parse(&m).map(|m| (m, Count { unique, total })))
        .collect())
}

/// Contacts with a human open or a human click: the human openers plus the
/// human clickers who have no human open.
async fn opened(store: &Store, id: Uuid, openers: i64) -> Result<i64> {
    let clickers_only: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM campaign_uniques c
         WHERE c.campaign_id = ?1 AND c.metric = 'click_human'
           AND NOT EXISTS (SELECT 1 FROM campaign_uniques o
                           WHERE o.campaign_id = ?1 AND o.metric = 'open_human'
                             AND o.contact_id = c.contact_id)",
    )
    .bind(id)
    .fetch_one(store.pool())
    .await
    .context("counting a campaign's clickers without an open")?;
    Ok(openers + clickers_only)
}

fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Every number of campaign `id`'s report.
pub async fn campaign(store: &Store, id: CampaignId) -> Result<CampaignMetrics> {
    ensure(store).await?;
    let row = campaign_row(store, id).await?;
    let ledger = counts(store, id).await?;
    let m = metric_counts(store, id.as_uuid()).await?;
    let get = |metric: Metric| m.get(&metric).copied().unwrap_or_default();
    let excluded: BTreeMap<String, i64> = match row.exclusions.as_deref() {
        Some(json) => serde_json::from_str::<BTreeMap<String, serde_json::Value>>(json)
            .context("reading a campaign's exclusions")?
            .into_iter()
            .filter_map(|(reason, n)| n.as_i64().map(|n| (reason, n)))
            .collect(),
        None => BTreeMap::new(),
    };
    let opens_human = get(Metric::OpenHuman);
    let clicks_human = get(Metric::ClickHuman);
    let opened = opened(store, id.as_uuid(), opens_human.unique).await?;
    let sms = SmsMetrics {
        delivered: get(Metric::SmsDelivered).unique,
        undelivered: get(Metric::SmsUndelivered).unique,
        failed: get(Metric::SmsFailed).unique,
        opt_outs: get(Metric::SmsOptOut).unique,
    };
    let delivered = get(Metric::Delivered).unique + sms.delivered;
    let (basis, basis_count) = if delivered > 0 {
        (RateBasis::Delivered, delivered)
    } else {
        (RateBasis::Sent, ledger.sent)
    };
    let bounced_hard = get(Metric::BounceHard).unique;
    let bounced_soft = get(Metric::BounceSoft).unique;
    let complained = get(Metric::Complaint).unique;
    let unsubscribed = get(Metric::Unsubscribe).unique;
    let rates = Rates {
        open: share(opened, basis_count),
        click: share(clicks_human.unique, basis_count),
        click_to_open: share(clicks_human.unique, opened),
        bounce: share(bounced_hard + bounced_soft, basis_count),
        complaint: share(complained, basis_count),
        unsubscribe: share(unsubscribed + sms.opt_outs, basis_count),
    };
    Ok(CampaignMetrics {
        id,
        name: row.name,
        channel: row.channel,
        status: row.status,
        started_at: row.started_at.map(from_millis),
        finished_at: row.finished_at.map(from_millis),
        recipients: ledger.recipients,
        excluded_total: excluded.values().sum(),
        excluded,
        queued: ledger.queued,
        sent: ledger.sent,
        failed: ledger.failed,
        in_doubt: ledger.in_doubt,
        suppressed: ledger.suppressed,
        delivered,
        bounced_hard,
        bounced_soft,
        complained,
        unsubscribed,
        opened,
        opens_human,
        opens_machine: get(Metric::OpenMachine),
        clicks_human,
        clicks_scanner: get(Metric::ClickScanner),
        sms,
        basis,
        basis_count,
        rates,
    })
}

/// Campaign `id`'s tracked links by unique human clicks, most first (then
/// by total, then by address), at most `limit`.
pub async fn top_links(store: &Store, id: CampaignId, limit: u32) -> Result<Vec<TopLink>> {
    ensure(store).await?;
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT url, uniques, total FROM campaign_link_clicks WHERE campaign_id = ?
         ORDER BY uniques DESC, total DESC, url LIMIT ?",
    )
    .bind(id.as_uuid())
    .bind(i64::from(limit))
    .fetch_all(store.pool())
    .await
    .context("reading a campaign's top links")?;
    Ok(rows
        .into_iter()
        .map(|(url, unique, total)| TopLink { url, unique, total })
        .collect())
}
