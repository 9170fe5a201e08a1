//! Reading the ledger: a campaign's recipient table, its CSV export, and
//! the campaigns on a contact's timeline.

use anyhow::Context;
use sqlx::{QueryBuilder, Row, Sqlite};
use uuid::Uuid;

use super::RecipientStatus;
use crate::export::neutralise;
use crate::{Result, Store};

/// A page request of a campaign's recipients.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecipientQuery {
    pub status: Option<RecipientStatus>,
    /// Matches the address or the contact's name (case-insensitive).
    pub search: Option<String>,
    pub offset: u32,
    pub limit: u32,
}

/// One recipient as the campaign's detail shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientRow {
    pub contact_id: Uuid,
    pub address: String,
    pub name: Option<String>,
    pub status: RecipientStatus,
    pub attempts: i64,
    pub error: Option<String>,
    pub sent_at: Option<i64>,
    pub opened_at: Option<i64>,
    pub clicked_at: Option<i64>,
    /// SMS: what the carrier reported (queued, sent, delivered,
    /// undelivered, failed), and the provider's error for a failure.
    pub delivery_status: Option<String>,
    pub delivery_error: Option<String>,
}

fn push_filters<'a>(q: &mut QueryBuilder<'a, Sqlite>, campaign: Uuid, query: &'a RecipientQuery) {
    q.push(" WHERE r.campaign_id = ");
    q.push_bind(campaign);
    if let Some(status) = query.status {
        q.push(" AND r.status = ");
        q.push_bind(status.as_str());
    }
    if let Some(search) = query
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let pattern = format!(
            "%{}%",
            search
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        q.push(" AND (r.address LIKE ");
        q.push_bind(pattern.clone());
        q.push(" ESCAPE '\\' OR lower(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')) LIKE ");
        q.push_bind(pattern);
        q.push(" ESCAPE '\\')");
    }
}

fn row_to_recipient(row: &sqlx::sqlite::SqliteRow) -> RecipientRow {
    let first: Option<String> = row.get("first_name");
    let last: Option<String> = row.get("last_name");
    let name = match (first, last) {
        (Some(f), Some(l)) => Some(format!("{f} {l}")),
        (Some(f), None) => Some(f),
        (None, Some(l)) => Some(l),
        (None, None) => None,
    };
    let status: String = row.get("status");
    RecipientRow {
        contact_id: row.get("contact_id"),
        address: row.get("address"),
        name,
        status: RecipientStatus::parse(&status).unwrap_or(RecipientStatus::Queued),
        attempts: row.get("attempts"),
        error: row.get("error"),
        sent_at: row.get("sent_at"),
        opened_at: row.get("opened_at"),
        clicked_at: row.get("clicked_at"),
        delivery_status: row.get("delivery_status"),
        delivery_error: row.get("delivery_error"),
    }
}

const SELECT: &str = "SELECT r.contact_id, r.address, r.status, r.attempts, r.error, r.sent_at,
        r.opened_at, r.clicked_at, r.delivery_status, r.delivery_error, c.first_name, c.last_name
 FROM campaign_recipients r LEFT JOIN contacts c ON c.id = r.contact_id";

/// One page of a campaign's recipients (in address order) and how many
/// match in all.
pub async fn recipients(
    store: &Store,
    campaign: Uuid,
    query: &RecipientQuery,
) -> Result<(Vec<RecipientRow>, i64)> {
    let mut count = QueryBuilder::<Sqlite>::new(
        "SELECT COUNT(*) FROM campaign_recipients r LEFT JOIN contacts c ON c.id = r.contact_id",
    );
    push_filters(&mut count, campaign, query);
    let total: i64 = count
        .build_query_scalar()
        .fetch_one(store.pool())
        .await
        .context("counting a campaign's recipients")?;
    let mut q = QueryBuilder::<Sqlite>::new(SELECT);
    push_filters(&mut q, campaign, query);
    q.push(" ORDER BY r.address LIMIT ");
    q.push_bind(i64::from(query.limit.clamp(1, 500)));
    q.push(" OFFSET ");
    q.push_bind(i64::from(query.offset));
    let rows = q
        .build()
        .fetch_all(store.pool())
        .await
        .context("listing a campaign's recipients")?;
    Ok((rows.iter().map(row_to_recipient).collect(), total))
}

/// A campaign's recipients as CSV (all of them, or those in `status`):
/// address, name, status, attempts, error and the times in RFC 3339 UTC.
pub async fn export_csv(
    store: &Store,
    campaign: Uuid,
    status: Option<RecipientStatus>,
) -> Result<String> {
    let query = RecipientQuery {
        status,
        ..RecipientQuery::default()
    };
    let mut q = QueryBuilder::<Sqlite>::new(SELECT);
    push_filters(&mut q, campaign, &query);
    q.push(" ORDER BY r.address");
    let rows = q
        .build()
        .fetch_all(store.pool())
        .await
        .context("exporting a campaign's recipients")?;
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "address",
        "name",
        "status",
        "attempts",
        "error",
        "sent_at",
        "opened_at",
        "clicked_at",
        "delivery_status",
        "delivery_error",
    ])
    .context("writing CSV")?;
    let time = |t: Option<i64>| {
        t.and_then(chrono::DateTime::from_timestamp_millis)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default()
    };
    for row in rows.iter().map(row_to_recipient) {
        out.write_record([
            neutralise(&row.address).into_owned(),
            neutralise(row.name.as_deref().unwrap_or("")).into_owned(),
            row.status.as_str().to_owned(),
            row.attempts.to_string(),
            neutralise(row.error.as_deref().unwrap_or("")).into_owned(),
            time(row.sent_at),
            time(row.opened_at),
            time(row.clicked_at),
            row.delivery_status.clone().unwrap_or_default(),
            neutralise(row.delivery_error.as_deref().unwrap_or("")).into_owned(),
        ])
        .context("writing CSV")?;
    }
    let bytes = out.into_inner().context("writing CSV")?;
    Ok(String::from_utf8(bytes).context("CSV is UTF-8")?)
}

/// A campaign on a contact's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactCampaign {
    pub campaign_id: Uuid,
    pub campaign_name: String,
    pub channel: String,
    pub status: RecipientStatus,
    pub sent_at: Option<i64>,
    pub delivered_at: Option<i64>,
    pub opened_at: Option<i64>,
    pub clicked_at: Option<i64>,
    pub bounced_at: Option<i64>,
    pub complained_at: Option<i64>,
    pub unsubscribed_at: Option<i64>,
}

/// The campaigns sent (or being sent) to a contact, newest first.
pub async fn for_contact(store: &Store, contact: Uuid) -> Result<Vec<ContactCampaign>> {
    let rows = sqlx::query(
        "SELECT r.campaign_id, k.name, k.channel, r.status, r.sent_at, r.delivered_at,
                r.opened_at, r.clicked_at, r.bounced_at, r.complained_at, r.unsubscribed_at
         FROM campaign_recipients r JOIN campaigns k ON k.id = r.campaign_id
         WHERE r.contact_id = ?
         ORDER BY coalesce(r.sent_at, r.queued_at) DESC",
    )
    .bind(contact)
    .fetch_all(store.pool())
    .await
    .context("reading a contact's campaigns")?;
    Ok(rows
        .iter()
        .map(|row| {
            let status: String = row.get("status");
            ContactCampaign {
                campaign_id: row.get("campaign_id"),
                campaign_name: row.get("name"),
                channel: row.get("channel"),
                status: RecipientStatus::parse(&status).unwrap_or(RecipientStatus::Queued),
                sent_at: row.get("sent_at"),
                delivered_at: row.get("delivered_at"),
                opened_at: row.get("opened_at"),
                clicked_at: row.get("clicked_at"),
                bounced_at: row.get("bounced_at"),
                complained_at: row.get("complained_at"),
                unsubscribed_at: row.get("unsubscribed_at"),
            }
        })
        .collect())
}
