//! The send ledger (`campaign_recipients`): who a campaign goes to, and
//! where each of them is on the way.
//!
//! A row moves `queued -> sending -> sent | failed | in_doubt`, or to
//! `suppressed` when the contact opted out before their turn came. The
//! engine in herald-send drives it:
//!
//! 1. [`resolve`] snapshots the campaign's segment into the ledger in one
//!    transaction, leaving out who must not receive it (counted).
//! 2. [`next_batch`] reads the next due `queued` rows with what the
//!    composer needs, and suppresses (in the same transaction) the rows
//!    whose contact opted out since.
//! 3. For each row, a [`Mark::Sending`] is committed *before* any byte goes
//!    on the wire, then the outcome ([`Mark::Sent`], [`Mark::Failed`],
//!    [`Mark::Retry`], [`Mark::InDoubt`]). [`LedgerWriter`] commits marks in
//!    groups, with `synchronous = FULL`, so a mark is on disk when its
//!    commit returns, even across a power loss.
//! 4. After a crash, [`recover_in_doubt`] turns every `sending` row into
//!    `in_doubt`: it may or may not have been delivered, so it is never sent
//!    again unless a person asks ([`resend_in_doubt`]).
//!
//! ```no_run
//! # async fn demo(store: herald_store::Store, id: uuid::Uuid) -> herald_store::Result<()> {
//! use herald_store::ledger;
//! let audience = ledger::resolve(&store, id).await?;
//! println!("{} will receive it", audience.will_receive);
//! let batch = ledger::next_batch(&store, id, 100, herald_store::now_millis()).await?;
//! println!("{} to send now", batch.rows.len());
//! # Ok(()) }
//! ```

pub mod journal;
mod members;
mod recipients;
mod writer;

use anyhow::Context;
use herald_core::Channel;
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use uuid::Uuid;

use herald_core::SegmentId;

use crate::segments;
use crate::{now_millis, settings, Result, Store, StoreError};

pub use members::sendable_members;
pub use recipients::{
    export_csv, for_contact, recipients, ContactCampaign, RecipientQuery, RecipientRow,
};
pub use writer::{LedgerWriter, Mark, Queued, WriterTiming};

/// Where a recipient is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientStatus {
    Queued,
    Sending,
    Sent,
    Failed,
    InDoubt,
    Suppressed,
}

impl RecipientStatus {
    pub const ALL: [RecipientStatus; 6] = [
        RecipientStatus::Queued,
        RecipientStatus::Sending,
        RecipientStatus::Sent,
        RecipientStatus::Failed,
        RecipientStatus::InDoubt,
        RecipientStatus::Suppressed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecipientStatus::Queued => "queued",
            RecipientStatus::Sending => "sending",
            RecipientStatus::Sent => "sent",
            RecipientStatus::Failed => "failed",
            RecipientStatus::InDoubt => "in_doubt",
            RecipientStatus::Suppressed => "suppressed",
        }
    }

    pub fn parse(raw: &str) -> Option<RecipientStatus> {
        RecipientStatus::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// Who a segment holds but a campaign leaves out, by reason. A contact
/// counts once, under the first reason that applies in this order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exclusions {
    /// No address for the channel (an SMS-only contact in an email campaign).
    pub no_address: i64,
    pub unsubscribed: i64,
    pub bounced: i64,
    pub complained: i64,
    /// No recorded consent, when the workspace requires it.
    pub no_consent: i64,
    /// An address another contact of the audience already has.
    pub duplicate: i64,
}

impl Exclusions {
    pub fn total(&self) -> i64 {
        self.no_address
            + self.unsubscribed
            + self.bounced
            + self.complained
            + self.no_consent
            + self.duplicate
    }
}

/// A segment seen as a campaign's audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Audience {
    pub segment_count: i64,
    pub will_receive: i64,
    pub excluded: Exclusions,
}

/// The setting that makes campaigns leave out contacts without recorded
/// consent for the channel (off by default: a list imported from another
/// tool is taken as consented, as other campaign tools do).
const REQUIRE_CONSENT: &str = "campaigns.require_consent";

/// Whether campaigns leave out contacts with no recorded consent.
pub async fn require_consent(store: &Store) -> Result<bool> {
    Ok(settings::get::<bool>(store, REQUIRE_CONSENT)
        .await?
        .unwrap_or(false))
}

/// Sets whether campaigns leave out contacts with no recorded consent.
pub async fn set_require_consent(store: &Store, on: bool) -> Result<()> {
    settings::set(store, REQUIRE_CONSENT, &on).await
}

/// The channel's columns in `contacts`.
struct ChannelColumns {
    address: &'static str,
    status: &'static str,
    consent_at: &'static str,
}

fn columns(channel: Channel) -> ChannelColumns {
    match channel {
        Channel::Email => ChannelColumns {
            address: "email",
            status: "email_status",
            consent_at: "email_consent_at",
        },
        Channel::Sms => ChannelColumns {
            address: "phone",
            status: "sms_status",
            consent_at: "sms_consent_at",
        },
    }
}

/// The SQL condition "this contact may receive this channel", on `contacts`
/// (its columns prefixed with `prefix`, e.g. `c.`): an address, subscribed,
/// and consent when required.
fn sendable_condition(channel: Channel, consent: bool, prefix: &str) -> String {
    let c = columns(channel);
    let mut sql = format!(
        "{prefix}{} IS NOT NULL AND {prefix}{} = 'subscribed'",
        c.address, c.status
    );
    if consent {
        sql.push_str(&format!(" AND {prefix}{} IS NOT NULL", c.consent_at));
    }
    sql
}

/// Counts a segment as an audience for `channel`, without writing.
pub async fn audience(store: &Store, segment: SegmentId, channel: Channel) -> Result<Audience> {
    let segment = segments::get(store, segment).await?;
    let (_, compiled) = segments::prepare(store, &segment.filter).await?;
    let consent = require_consent(store).await?;
    let c = columns(channel);
    // One pass over the segment. Each contact lands in the first bucket that
    // applies; `sendable` is what the ledger would get. Addresses are unique
    // per contact in this schema (UNIQUE columns), so `duplicate` is 0 here;
    // it stays in the contract for sources that are not (issue 7's numbers
    // are unique too).
    let mut q = QueryBuilder::<Sqlite>::new(format!(
        "SELECT COUNT(*) AS total,
                COALESCE(SUM({a} IS NULL), 0) AS no_address,
                COALESCE(SUM({a} IS NOT NULL AND {s} IN ('unsubscribed', 'opted_out')), 0) AS unsubscribed,
                COALESCE(SUM({a} IS NOT NULL AND {s} IN ('bounced', 'invalid')), 0) AS bounced,
                COALESCE(SUM({a} IS NOT NULL AND {s} = 'complained'), 0) AS complained,
                COALESCE(SUM({a} IS NOT NULL AND {s} = 'subscribed' AND {consent_missing}), 0) AS no_consent
         FROM contacts WHERE ",
        a = c.address,
        s = c.status,
        consent_missing = if consent {
            format!("{} IS NULL", c.consent_at)
        } else {
            "0".to_owned()
        },
    ));
    compiled.push_to(&mut q);
    let row = q
        .build()
        .fetch_one(store.pool())
        .await
        .context("counting a campaign's audience")?;
    let excluded = Exclusions {
        no_address: row.get("no_address"),
        unsubscribed: row.get("unsubscribed"),
        bounced: row.get("bounced"),
        complained: row.get("complained"),
        no_consent: row.get("no_consent"),
        duplicate: 0,
    };
    let total: i64 = row.get("total");
    Ok(Audience {
        segment_count: total,
        will_receive: total - excluded.total(),
        excluded,
    })
}

/// The campaign columns resolving needs.
struct CampaignForResolve {
    channel: Channel,
    segment_id: Option<Uuid>,
    resolved_at: Option<i64>,
    exclusions: Option<String>,
}

async fn campaign_for_resolve(
    conn: &mut SqliteConnection,
    campaign: Uuid,
) -> Result<CampaignForResolve> {
    let row = sqlx::query(
        "SELECT channel, segment_id, resolved_at, exclusions FROM campaigns WHERE id = ?",
    )
    .bind(campaign)
    .fetch_optional(&mut *conn)
    .await
    .context("reading a campaign")?
    .ok_or_else(|| StoreError::NotFound(format!("campaign {campaign}")))?;
    let channel: String = row.get("channel");
    Ok(CampaignForResolve {
        channel: crate::campaigns::stored_channel(&channel)?,
        segment_id: row.get("segment_id"),
        resolved_at: row.get("resolved_at"),
        exclusions: row.get("exclusions"),
    })
}

/// Snapshots the campaign's segment into its ledger, in one transaction,
/// and records the exclusions on the campaign. Once resolved, a campaign's
/// audience is fixed: calling this again changes nothing and returns the
/// recorded figures (a resumed campaign never picks up contacts added since).
pub async fn resolve(store: &Store, campaign: Uuid) -> Result<Audience> {
    let mut tx = store.begin_write().await?;
    let current = campaign_for_resolve(&mut tx, campaign).await?;
    if current.resolved_at.is_some() {
        let excluded: Exclusions = current
            .exclusions
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .context("reading a campaign's exclusions")?
            .unwrap_or_default();
        let queued: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = ?")
                .bind(campaign)
                .fetch_one(&mut *tx)
                .await
                .context("counting a campaign's recipients")?;
        return Ok(Audience {
            segment_count: queued + excluded.total(),
            will_receive: queued,
            excluded,
        });
    }
    let segment_id = current
        .segment_id
        .ok_or_else(|| StoreError::validation("segmentId", "choose a segment to send to"))?;
    tx.commit().await.context("reading a campaign")?;

    // Counting reads the segment through the pool; the ledger insert below
    // runs in the write transaction, so a contact written between the two
    // can make the counts differ by that contact. The ledger is the truth.
    let counted = audience(store, SegmentId::from_uuid(segment_id), current.channel).await?;
    let segment = segments::get(store, SegmentId::from_uuid(segment_id)).await?;
    let (_, compiled) = segments::prepare(store, &segment.filter).await?;
    let consent = require_consent(store).await?;

    let mut tx = store.begin_write().await?;
    let again = campaign_for_resolve(&mut tx, campaign).await?;
    if again.resolved_at.is_some() {
        // Another caller resolved it meanwhile: theirs stands.
        drop(tx);
        return Box::pin(resolve(store, campaign)).await;
    }
    let c = columns(current.channel);
    let now = now_millis();
    let mut q = QueryBuilder::<Sqlite>::new(
        "INSERT INTO campaign_recipients (campaign_id, contact_id, address, queued_at)
         SELECT ",
    );
    q.push_bind(campaign);
    q.push(format!(", id, {}, ", c.address));
    q.push_bind(now);
    q.push(format!(
        " FROM contacts WHERE {} AND (",
        sendable_condition(current.channel, consent, "")
    ));
    compiled.push_to(&mut q);
    q.push(") ORDER BY id");
    let inserted = q
        .build()
        .execute(&mut *tx)
        .await
        .context("resolving a campaign's audience into its ledger")?
        .rows_affected();
    let inserted = i64::try_from(inserted).unwrap_or(i64::MAX);
    let excluded = counted.excluded;
    sqlx::query(
        "UPDATE campaigns SET resolved_at = ?, exclusions = ?, updated_at = ? WHERE id = ?",
    )
    .bind(now)
    .bind(serde_json::to_string(&excluded).context("serialising exclusions")?)
    .bind(now)
    .bind(campaign)
    .execute(&mut *tx)
    .await
    .context("recording a campaign's exclusions")?;
    tx.commit().await.context("resolving a campaign")?;
    Ok(Audience {
        segment_count: inserted + excluded.total(),
        will_receive: inserted,
        excluded,
    })
}

/// One recipient to send to now, with what personalisation needs.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchRow {
    pub contact_id: Uuid,
    /// The address the ledger holds (as it was at resolve time).
    pub address: String,
    /// Attempts made before this one.
    pub attempts: i64,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    /// The contact's custom fields (a JSON object).
    pub custom: serde_json::Map<String, serde_json::Value>,
}

/// The next rows to send, and how many were suppressed on the way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    pub rows: Vec<BatchRow>,
    /// Rows whose contact opted out (or went away) since resolve.
    pub suppressed: u64,
}

/// A row of `contact_id, address, attempts` and the contact's columns as
/// the composer takes it.
fn batch_row(row: &sqlx::sqlite::SqliteRow) -> Result<BatchRow> {
    let custom: Option<String> = row.get("custom");
    let custom = custom
        .as_deref()
        .map(serde_json::from_str::<serde_json::Map<String, serde_json::Value>>)
        .transpose()
        .context("reading a contact's custom fields")?
        .unwrap_or_default();
    Ok(BatchRow {
        contact_id: row.get("contact_id"),
        address: row.get("address"),
        attempts: row.get("attempts"),
        first_name: row.get("first_name"),
        last_name: row.get("last_name"),
        email: row.get("email"),
        phone: row.get("phone"),
        company: row.get("company"),
        city: row.get("city"),
        region: row.get("region"),
        country: row.get("country"),
        custom,
    })
}

/// Reads up to `limit` due `queued` rows of `campaign` (in contact id
/// order), and in the same write transaction suppresses the rows among them
/// whose contact may no longer receive the channel. The rows are not marked:
/// the caller marks each one `sending` right before it goes out.
pub async fn next_batch(store: &Store, campaign: Uuid, limit: u32, now: i64) -> Result<Batch> {
    let mut tx = store.begin_write().await?;
    // Rows claimed or sent a moment ago may still be in the journal.
    journal::fold(&mut tx).await?;
    let channel = campaign_for_resolve(&mut tx, campaign).await?.channel;
    let consent = require_consent(store).await?;
    // The LEFT JOIN keeps rows of erased contacts out of reach: the ledger
    // row goes with the contact (ON DELETE CASCADE), but a row read here
    // whose contact is gone is suppressed, not sent.
    let rows = sqlx::query(&format!(
        "SELECT r.contact_id, r.address, r.attempts,
                c.id IS NOT NULL AND ({sendable}) AS sendable,
                c.first_name, c.last_name, c.email, c.phone, c.company, c.city, c.region,
                c.country, c.custom
         FROM campaign_recipients r LEFT JOIN contacts c ON c.id = r.contact_id
         WHERE r.campaign_id = ? AND r.status = 'queued' AND r.next_attempt_at <= ?
         ORDER BY r.next_attempt_at, r.contact_id
         LIMIT ?",
        sendable = sendable_condition(channel, consent, "c."),
    ))
    .bind(campaign)
    .bind(now)
    .bind(i64::from(limit))
    .fetch_all(&mut *tx)
    .await
    .context("reading the next recipients to send to")?;
    let mut batch = Batch::default();
    let mut suppress = Vec::new();
    for row in rows {
        let contact_id: Uuid = row.get("contact_id");
        let sendable: bool = row.get("sendable");
        if !sendable {
            suppress.push(contact_id);
            continue;
        }
        batch.rows.push(batch_row(&row)?);
    }
    for contact in &suppress {
        sqlx::query(
            "UPDATE campaign_recipients SET status = 'suppressed', failed_at = ?,
                 error = 'opted out before this message was sent'
             WHERE campaign_id = ? AND contact_id = ? AND status = 'queued'",
        )
        .bind(now)
        .bind(campaign)
        .bind(contact)
        .execute(&mut *tx)
        .await
        .context("suppressing a recipient")?;
    }
    batch.suppressed = suppress.len() as u64;
    tx.commit().await.context("reading the next batch")?;
    Ok(batch)
}

/// What is left of a campaign's ledger to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pending {
    /// `queued` rows, due now or later.
    pub queued: i64,
    /// The earliest retry instant among them, when none is due now.
    pub next_attempt_at: Option<i64>,
    /// Rows marked `sending` (in flight, or left by a crash).
    pub sending: i64,
}

/// How much of `campaign` is left to send.
pub async fn pending(store: &Store, campaign: Uuid) -> Result<Pending> {
    let row = sqlx::query(
        "SELECT COALESCE(SUM(status = 'queued'), 0) AS queued,
                MIN(CASE WHEN status = 'queued' THEN next_attempt_at END) AS next_at,
                COALESCE(SUM(status = 'sending'), 0) AS sending
         FROM campaign_recipients WHERE campaign_id = ? AND status IN ('queued', 'sending')",
    )
    .bind(campaign)
    .fetch_one(store.pool())
    .await
    .context("counting what is left to send")?;
    Ok(Pending {
        queued: row.get("queued"),
        next_attempt_at: row.get("next_at"),
        sending: row.get("sending"),
    })
}

/// Turns every `sending` row of the workspace into `in_doubt`. Called by
/// whoever takes the workspace's send lock: with the lock free, no process
/// is sending, so a `sending` row was left by one that died mid-message.
/// Returns how many rows it moved.
pub async fn recover_in_doubt(store: &Store) -> Result<u64> {
    let mut tx = store.begin_write().await?;
    // The dead process's last claims and acceptances first.
    journal::fold(&mut tx).await?;
    let moved = sqlx::query(
        "UPDATE campaign_recipients SET status = 'in_doubt',
             error = 'Herald stopped while this message was being sent: it may or may not have been delivered'
         WHERE status = 'sending'",
    )
    .execute(&mut *tx)
    .await
    .context("marking interrupted sends in doubt")?
    .rows_affected();
    tx.commit()
        .await
        .context("marking interrupted sends in doubt")?;
    Ok(moved)
}

/// Puts a campaign's `failed` rows back in the queue ("retry failed").
pub async fn retry_failed(store: &Store, campaign: Uuid) -> Result<u64> {
    requeue(store, campaign, "failed", None).await
}

/// Puts the given `in_doubt` rows back in the queue: a person decided to
/// send to them again, knowing some may get the message twice.
pub async fn resend_in_doubt(store: &Store, campaign: Uuid, contacts: &[Uuid]) -> Result<u64> {
    requeue(store, campaign, "in_doubt", Some(contacts)).await
}

async fn requeue(store: &Store, campaign: Uuid, from: &str, only: Option<&[Uuid]>) -> Result<u64> {
    let mut tx = store.begin_write().await?;
    let sql = "UPDATE campaign_recipients SET status = 'queued', next_attempt_at = 0, error = NULL
               WHERE campaign_id = ? AND status = ?";
    let moved = match only {
        None => sqlx::query(sql)
            .bind(campaign)
            .bind(from)
            .execute(&mut *tx)
            .await
            .context("requeueing recipients")?
            .rows_affected(),
        Some(contacts) => {
            let mut n = 0;
            for contact in contacts {
                n += sqlx::query(&format!("{sql} AND contact_id = ?"))
                    .bind(campaign)
                    .bind(from)
                    .bind(contact)
                    .execute(&mut *tx)
                    .await
                    .context("requeueing a recipient")?
                    .rows_affected();
            }
            n
        }
    };
    tx.commit().await.context("requeueing recipients")?;
    Ok(moved)
}
