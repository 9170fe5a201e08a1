//! What the notification rules read from the workspace (herald-send's
//! `notify` decides what is worth telling): campaigns that ended, campaigns
//! with messages in doubt, campaigns' complaint and bounce counts, and the
//! two marks the rules keep between runs.
//!
//! Everything here reads what any process wrote (the app or the CLI), so a
//! campaign the CLI sent while the app was closed is found at the next start.

use anyhow::Context;
use sqlx::Row;
use uuid::Uuid;

use herald_core::CampaignId;

use crate::analytics;
use crate::settings::{get, set};
use crate::{Result, Store};

/// Until when campaigns' ends were looked at (ms since the epoch).
const CHECKED_AT: &str = "notifications.checked_at";
/// Since when relay syncs have failed without a success in between.
const RELAY_DOWN_SINCE: &str = "notifications.relay_down_since";

/// A campaign that ended (`sent` or `failed`), with its ledger's counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndedCampaign {
    pub id: Uuid,
    pub name: String,
    /// "sent" or "failed".
    pub status: String,
    pub finished_at: i64,
    pub last_error: Option<String>,
    pub sent: i64,
    pub failed: i64,
    pub in_doubt: i64,
}

/// Campaigns that became `sent` or `failed` after `since`, oldest first.
pub async fn ended_since(store: &Store, since: i64) -> Result<Vec<EndedCampaign>> {
    // Each count is an index range over one campaign's rows
    // (campaign_recipients_by_status leads with campaign_id and status).
    let rows = sqlx::query(
        "SELECT c.id, c.name, c.status, c.finished_at, c.last_error,
            (SELECT count(*) FROM campaign_recipients r
              WHERE r.campaign_id = c.id AND r.status = 'sent') AS sent,
            (SELECT count(*) FROM campaign_recipients r
              WHERE r.campaign_id = c.id AND r.status = 'failed') AS failed,
            (SELECT count(*) FROM campaign_recipients r
              WHERE r.campaign_id = c.id AND r.status = 'in_doubt') AS in_doubt
         FROM campaigns c
         WHERE c.status IN ('sent', 'failed') AND c.finished_at > ?
         ORDER BY c.finished_at",
    )
    .bind(since)
    .fetch_all(store.pool())
    .await
    .context("listing campaigns that ended")?;
    Ok(rows
        .iter()
        .map(|r| EndedCampaign {
            id: r.get("id"),
            name: r.get("name"),
            status: r.get("status"),
            finished_at: r.get("finished_at"),
            last_error: r.get("last_error"),
            sent: r.get("sent"),
            failed: r.get("failed"),
            in_doubt: r.get("in_doubt"),
        })
        .collect())
}

/// A campaign with messages in doubt, and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InDoubtCampaign {
    pub id: Uuid,
    pub name: String,
    pub in_doubt: i64,
    /// The most in-doubt messages a notification already told about for
    /// this campaign (0: none yet).
    pub told: i64,
}

/// Every campaign with `in_doubt` rows now.
pub async fn in_doubt(store: &Store) -> Result<Vec<InDoubtCampaign>> {
    // `told` reads the counts back from the dedupe keys
    // ('in_doubt:<campaign>:<count>'), so resending some of them (fewer in
    // doubt) tells nothing new, and a second crash (more) does.
    let rows = sqlx::query(
        "SELECT id, name, in_doubt,
            coalesce((SELECT max(CAST(substr(n.dedupe_key, length('in_doubt:' || c.key) + 2) AS INTEGER))
                        FROM notifications n
                       WHERE n.dedupe_key LIKE 'in_doubt:' || c.key || ':%'), 0) AS told
         FROM (SELECT c.id, c.name, lower(hex(c.id)) AS key,
                 (SELECT count(*) FROM campaign_recipients r
                   WHERE r.campaign_id = c.id AND r.status = 'in_doubt') AS in_doubt
               FROM campaigns c) AS c
         WHERE in_doubt > 0",
    )
    .fetch_all(store.pool())
    .await
    .context("counting campaigns' messages in doubt")?;
    Ok(rows
        .iter()
        .map(|r| InDoubtCampaign {
            id: r.get("id"),
            name: r.get("name"),
            in_doubt: r.get("in_doubt"),
            told: r.get("told"),
        })
        .collect())
}

/// A campaign's complaint and bounce counts and what they are rates of:
/// the numbers its analytics report shows, so a warning's rate is the
/// report's rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignRates {
    pub id: Uuid,
    pub name: String,
    pub sent: i64,
    /// Contacts a provider reported delivered (email or SMS); rates are
    /// over these when there are any.
    pub delivered: i64,
    /// Contacts with a hard or a soft bounce.
    pub bounced: i64,
    pub complained: i64,
}

/// The counts of campaigns started after `since` that got any bounce or
/// complaint (late complaints keep coming for weeks after a send), from
/// the analytics rollups.
pub async fn rates_since(store: &Store, since: i64) -> Result<Vec<CampaignRates>> {
    analytics::ensure(store).await?;
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "SELECT c.id FROM campaigns c
         WHERE c.started_at > ?
           AND EXISTS (SELECT 1 FROM campaign_hourly h
                       WHERE h.campaign_id = c.id
                         AND h.metric IN ('bounce_hard', 'bounce_soft', 'complaint'))
         ORDER BY c.started_at",
    )
    .bind(since)
    .fetch_all(store.pool())
    .await
    .context("finding campaigns with bounces or complaints")?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let m = analytics::campaign(store, CampaignId::from_uuid(id)).await?;
        out.push(CampaignRates {
            id,
            name: m.name,
            sent: m.sent,
            delivered: m.delivered,
            bounced: m.bounced_hard + m.bounced_soft,
            complained: m.complained,
        });
    }
    Ok(out)
}

/// Until when campaigns' ends were looked at; `None` before the first look.
pub async fn checked_at(store: &Store) -> Result<Option<i64>> {
    get(store, CHECKED_AT).await
}

pub async fn set_checked_at(store: &Store, at: i64) -> Result<()> {
    set(store, CHECKED_AT, &at).await
}

/// Since when relay syncs have failed (ms), `None` while they work.
pub async fn relay_down_since(store: &Store) -> Result<Option<i64>> {
    get(store, RELAY_DOWN_SINCE).await
}

pub async fn set_relay_down_since(store: &Store, since: Option<i64>) -> Result<()> {
    set(store, RELAY_DOWN_SINCE, &since).await
}
