//! Answers to SMS replies asking for HELP or INFO (`sms_help_replies`).
//!
//! An inbound SMS reaches the workspace as an `sms_inbound` relay event.
//! When its body is HELP or INFO ([`herald_core::sms_keywords`]), the app
//! answers it once with the help text from the SMS settings. This module
//! keeps the record that makes "once" hold: [`claim`] commits a `sending`
//! row BEFORE the answer goes to the provider, and a row that exists is
//! never sent again. A crash between the row and the provider's answer
//! leaves `sending`; [`recover_in_doubt`] turns it `in_doubt` (maybe
//! answered, maybe not), never back into a pending request.
//!
//! ```no_run
//! # async fn demo(store: herald_store::Store) -> herald_store::Result<()> {
//! use herald_store::{now_millis, sms_help};
//!
//! sms_help::recover_in_doubt(&store).await?;
//! for request in sms_help::pending(&store, now_millis(), sms_help::MAX_AGE_MS).await? {
//!     let Some(number) = request.number.as_ref().filter(|_| !request.too_old) else {
//!         sms_help::skip(&store, request.event_id, None, "too old or no number").await?;
//!         continue;
//!     };
//!     if sms_help::claim(&store, request.event_id, number).await? {
//!         // ... hand the help text to the provider ...
//!         let outcome = sms_help::Outcome::Sent { provider_message_id: "SM1".into() };
//!         sms_help::finish(&store, request.event_id, &outcome).await?;
//!     }
//! }
//! # Ok(()) }
//! ```

use anyhow::Context;
use chrono::{DateTime, Utc};
use herald_core::sms_keywords::{self, SmsKeyword};
use herald_core::PhoneNumber;
use uuid::Uuid;

use crate::{from_millis, now_millis, Result, Store, StoreError};

/// Requests older than this are recorded as skipped, not answered: three
/// days. A help text arriving days after the question (the laptop was
/// closed over a long weekend) confuses more than it helps.
pub const MAX_AGE_MS: i64 = 3 * 24 * 60 * 60 * 1000;

/// An inbound SMS asking for help that has no answer row yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpRequest {
    /// The `sms_inbound` relay event.
    pub event_id: Uuid,
    /// The sender, when the event named a valid E.164 number.
    pub number: Option<PhoneNumber>,
    /// When the relay received the message.
    pub at: DateTime<Utc>,
    /// Older than the `max_age_ms` given to [`pending`]: to be skipped.
    pub too_old: bool,
}

/// Where an answer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyStatus {
    Sending,
    Sent,
    Failed,
    InDoubt,
    Skipped,
}

impl ReplyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReplyStatus::Sending => "sending",
            ReplyStatus::Sent => "sent",
            ReplyStatus::Failed => "failed",
            ReplyStatus::InDoubt => "in_doubt",
            ReplyStatus::Skipped => "skipped",
        }
    }

    fn parse(status: &str) -> Result<ReplyStatus> {
        Ok(match status {
            "sending" => ReplyStatus::Sending,
            "sent" => ReplyStatus::Sent,
            "failed" => ReplyStatus::Failed,
            "in_doubt" => ReplyStatus::InDoubt,
            "skipped" => ReplyStatus::Skipped,
            other => {
                return Err(StoreError::Internal(anyhow::anyhow!(
                    "sms_help_replies.status: unknown value {other:?}"
                )))
            }
        })
    }
}

/// One answer row, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpReply {
    pub event_id: Uuid,
    pub number: Option<String>,
    pub status: ReplyStatus,
    pub provider_message_id: Option<String>,
    /// Why it failed, is in doubt, or was skipped.
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// How the provider took an answer handed to it after [`claim`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent {
        provider_message_id: String,
    },
    /// Refused: recorded and not retried.
    Failed {
        reason: String,
    },
    /// Sent, and no answer came back: it may have gone out.
    InDoubt {
        reason: String,
    },
}

/// The `sms_inbound` events asking for HELP or INFO that have no answer
/// row, oldest first. Those received more than `max_age_ms` before `now`
/// (ms since the epoch) come back with `too_old` set, so the caller records
/// them as skipped rather than leaving them pending for ever.
pub async fn pending(store: &Store, now: i64, max_age_ms: i64) -> Result<Vec<HelpRequest>> {
    // Every inbound SMS without an answer row is read, as SQL cannot tell
    // HELP from the rest the way `classify` does; only HELP ones ever get a
    // row, so STOPs and free text are read again on each run. Inbound
    // replies are few next to everything else, and `classify` never
    // matches a body longer than 200 characters, so those stay in SQLite.
    let rows: Vec<(Uuid, Option<String>, i64, Option<String>)> = sqlx::query_as(
        "SELECT e.id, e.address, e.at, json_extract(e.detail, '$.body')
         FROM relay_events e
         WHERE e.kind = 'sms_inbound'
           AND length(json_extract(e.detail, '$.body')) <= 200
           AND NOT EXISTS (SELECT 1 FROM sms_help_replies r WHERE r.event_id = e.id)
         ORDER BY e.at, e.id",
    )
    .fetch_all(store.pool())
    .await
    .context("reading SMS replies that ask for help")?;
    let cutoff = now.saturating_sub(max_age_ms);
    Ok(rows
        .into_iter()
        .filter(|(_, _, _, body)| {
            sms_keywords::classify(body.as_deref().unwrap_or("")) == Some(SmsKeyword::Help)
        })
        .map(|(event_id, address, at, _)| HelpRequest {
            event_id,
            number: address.and_then(|a| PhoneNumber::parse(&a, None).ok()),
            at: from_millis(at),
            too_old: at < cutoff,
        })
        .collect())
}

/// Records that the answer to `event_id` is about to go to `number`, in its
/// own committed transaction. False when the event already has a row
/// (answered, skipped, or being answered by another process): do not send.
pub async fn claim(store: &Store, event_id: Uuid, number: &PhoneNumber) -> Result<bool> {
    insert(store, event_id, Some(number), ReplyStatus::Sending, None).await
}

/// Records that `event_id` will not be answered, and why. False when it
/// already had a row.
pub async fn skip(
    store: &Store,
    event_id: Uuid,
    number: Option<&PhoneNumber>,
    reason: &str,
) -> Result<bool> {
    insert(store, event_id, number, ReplyStatus::Skipped, Some(reason)).await
}

async fn insert(
    store: &Store,
    event_id: Uuid,
    number: Option<&PhoneNumber>,
    status: ReplyStatus,
    error: Option<&str>,
) -> Result<bool> {
    let now = now_millis();
    let mut tx = store.begin_write().await?;
    let done = sqlx::query(
        "INSERT INTO sms_help_replies (event_id, number, status, error, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(event_id)
    .bind(number.map(PhoneNumber::as_str))
    .bind(status.as_str())
    .bind(error)
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await
    .context("recording an answer to an SMS HELP reply")?;
    tx.commit()
        .await
        .context("recording an answer to an SMS HELP reply")?;
    Ok(done.rows_affected() == 1)
}

/// Records what the provider did with a claimed answer. A row another run
/// turned `in_doubt` meanwhile takes the outcome too: this process knows
/// better.
pub async fn finish(store: &Store, event_id: Uuid, outcome: &Outcome) -> Result<()> {
    let (status, provider_id, error) = match outcome {
        Outcome::Sent {
            provider_message_id,
        } => (ReplyStatus::Sent, Some(provider_message_id.as_str()), None),
        Outcome::Failed { reason } => (ReplyStatus::Failed, None, Some(reason.as_str())),
        Outcome::InDoubt { reason } => (ReplyStatus::InDoubt, None, Some(reason.as_str())),
    };
    let mut tx = store.begin_write().await?;
    let done = sqlx::query(
        "UPDATE sms_help_replies
         SET status = ?, provider_message_id = ?, error = ?, updated_at = ?
         WHERE event_id = ? AND status IN ('sending', 'in_doubt')",
    )
    .bind(status.as_str())
    .bind(provider_id)
    .bind(error)
    .bind(now_millis())
    .bind(event_id)
    .execute(&mut *tx)
    .await
    .context("recording how an SMS HELP answer went")?;
    tx.commit()
        .await
        .context("recording how an SMS HELP answer went")?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound(format!(
            "an SMS HELP answer being sent for event {event_id}"
        )));
    }
    Ok(())
}

/// Turns every `sending` answer into `in_doubt`: its process stopped (or
/// is still waiting for the provider, and [`finish`] will still record
/// what it learns). Called before answering. Returns how many moved.
pub async fn recover_in_doubt(store: &Store) -> Result<u64> {
    // Runs after every sync: a read first, so the usual case (nothing
    // interrupted) takes no write lock.
    let interrupted: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sms_help_replies WHERE status = 'sending')",
    )
    .fetch_one(store.pool())
    .await
    .context("looking for interrupted HELP answers")?;
    if !interrupted {
        return Ok(0);
    }
    let mut tx = store.begin_write().await?;
    let moved = sqlx::query(
        "UPDATE sms_help_replies SET status = 'in_doubt', updated_at = ?,
             error = 'Herald stopped while this answer was being sent: it may or may not have gone out'
         WHERE status = 'sending'",
    )
    .bind(now_millis())
    .execute(&mut *tx)
    .await
    .context("marking interrupted HELP answers in doubt")?
    .rows_affected();
    tx.commit()
        .await
        .context("marking interrupted HELP answers in doubt")?;
    Ok(moved)
}

/// The answer row of one event, if it has one.
pub async fn get(store: &Store, event_id: Uuid) -> Result<Option<HelpReply>> {
    let row: Option<ReplyRow> = sqlx::query_as(
        "SELECT event_id, number, status, provider_message_id, error, created_at, updated_at
         FROM sms_help_replies WHERE event_id = ?",
    )
    .bind(event_id)
    .fetch_optional(store.pool())
    .await
    .context("reading an SMS HELP answer")?;
    row.map(ReplyRow::into_reply).transpose()
}

/// Every answer row, oldest first.
pub async fn list(store: &Store) -> Result<Vec<HelpReply>> {
    let rows: Vec<ReplyRow> = sqlx::query_as(
        "SELECT event_id, number, status, provider_message_id, error, created_at, updated_at
         FROM sms_help_replies ORDER BY created_at, event_id",
    )
    .fetch_all(store.pool())
    .await
    .context("listing SMS HELP answers")?;
    rows.into_iter().map(ReplyRow::into_reply).collect()
}

#[derive(sqlx::FromRow)]
struct ReplyRow {
    event_id: Uuid,
    number: Option<String>,
    status: String,
    provider_message_id: Option<String>,
    error: Option<String>,
    created_at: i64,
    updated_at: i64,
}

impl ReplyRow {
    fn into_reply(self) -> Result<HelpReply> {
        Ok(HelpReply {
            event_id: self.event_id,
            number: self.number,
            status: ReplyStatus::parse(&self.status)?,
            provider_message_id: self.provider_message_id,
            error: self.error,
            created_at: from_millis(self.created_at),
            updated_at: from_millis(self.updated_at),
        })
    }
}
