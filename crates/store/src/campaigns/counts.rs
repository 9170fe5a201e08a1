//! How a campaign's send ledger stands: one GROUP BY over
//! `campaign_recipients`, for one campaign (progress) or many (the list).

use std::collections::HashMap;

use anyhow::Context;
use sqlx::{QueryBuilder, Sqlite};

use crate::{Result, Store};
use herald_core::CampaignId;

/// The ledger's rows of one campaign, by status and engagement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CampaignCounts {
    /// Every row: who the audience resolved to.
    pub recipients: i64,
    /// Not sent yet: `queued`, plus `sending` rows (claimed by a worker and
    /// not answered yet), which are still on their way.
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
    pub in_doubt: i64,
    pub suppressed: i64,
    /// Rows with an open recorded (`opened_at` set).
    pub opened: i64,
    /// Rows with a click recorded (`clicked_at` set).
    pub clicked: i64,
    /// SMS: rows the carrier reported delivered.
    pub delivered: i64,
    /// SMS: rows the carrier reported undelivered or failed.
    pub undelivered: i64,
}

/// The columns of both queries: the sums use the `campaign_recipients_by_status`
/// index's leading `campaign_id`, so a campaign's counts read only its rows.
const SELECT: &str = "SELECT campaign_id,
        count(*),
        sum(status IN ('queued', 'sending')),
        sum(status = 'sent'),
        sum(status = 'failed'),
        sum(status = 'in_doubt'),
        sum(status = 'suppressed'),
        count(opened_at),
        count(clicked_at),
        sum(delivery_status = 'delivered'),
        sum(delivery_status IN ('undelivered', 'failed'))
    FROM campaign_recipients WHERE campaign_id ";

type Row = (uuid::Uuid, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);

fn from_row(r: Row) -> (CampaignId, CampaignCounts) {
    (
        CampaignId::from_uuid(r.0),
        CampaignCounts {
            recipients: r.1,
            queued: r.2,
            sent: r.3,
            failed: r.4,
            in_doubt: r.5,
            suppressed: r.6,
            opened: r.7,
            clicked: r.8,
            delivered: r.9,
            undelivered: r.10,
        },
    )
}

/// One campaign's counts (all zero before its audience is resolved).
pub async fn counts(store: &Store, id: CampaignId) -> Result<CampaignCounts> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} = ? GROUP BY campaign_id"))
        .bind(id.as_uuid())
        .fetch_optional(store.pool())
        .await
        .context("counting a campaign's recipients")?;
    Ok(row.map(|r| from_row(r).1).unwrap_or_default())
}

/// The counts of many campaigns at once; campaigns without a ledger are
/// missing from the map.
pub async fn counts_of(
    store: &Store,
    ids: &[CampaignId],
) -> Result<HashMap<CampaignId, CampaignCounts>> {
    let mut all = HashMap::with_capacity(ids.len());
    // SQLite's limit on bound values is 32766; lists are far shorter, but a
    // chunk keeps any list within it.
    for chunk in ids.chunks(10_000) {
        let mut q = QueryBuilder::<Sqlite>::new(SELECT);
        q.push("IN (");
        let mut list = q.separated(", ");
        for id in chunk {
            list.push_bind(id.as_uuid());
        }
        q.push(") GROUP BY campaign_id");
        let rows: Vec<Row> = q
            .build_query_as()
            .fetch_all(store.pool())
            .await
            .context("counting campaigns' recipients")?;
        all.extend(rows.into_iter().map(from_row));
    }
    Ok(all)
}
