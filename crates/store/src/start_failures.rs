//! Why a scheduled campaign could not start: kept on the campaign (table
//! `campaign_start_failures`, migration 0011) by whichever scheduler tried
//! (the app's or `herald campaigns run-due`), so the campaign page, the list
//! and the bell can say why a campaign is still "Scheduled" after its time.
//!
//! A failure is forgotten by the database itself when the campaign starts,
//! is unscheduled, cancelled, rescheduled or edited (a trigger on
//! `campaigns`), so no writer has to remember to clear it. [`clear`] is for
//! the rest (a fix made outside the campaign, such as the settings, is
//! picked up by the next attempt, which records again or starts).
//!
//! ```no_run
//! # async fn demo(store: herald_store::Store, id: uuid::Uuid) -> herald_store::Result<()> {
//! use herald_store::start_failures::{self, RETRY_AFTER_MS};
//! let now = herald_store::now_millis();
//! start_failures::record(&store, id, "validation", "Set up SMTP first", now).await?;
//! // The scheduler leaves it alone for a while:
//! assert!(herald_store::campaign_runs::due(&store, now + 1, RETRY_AFTER_MS).await?.is_empty());
//! # Ok(()) }
//! ```

use std::collections::HashMap;

use anyhow::Context;
use sqlx::Row;
use uuid::Uuid;

use crate::{Result, Store};

/// How long a scheduler waits after a failed start before it tries again
/// (5 minutes): soon enough that a fix (the SMTP settings, the relay) is
/// picked up without a click, rare enough not to hammer a relay or a
/// keychain that refuses. "Start now" does not wait.
pub const RETRY_AFTER_MS: i64 = 5 * 60 * 1000;

/// Why a campaign did not start, as the person would have seen it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartFailure {
    pub campaign_id: Uuid,
    /// The error's kind, as a manual start reports it ("validation",
    /// "relay", "keychain", ...).
    pub kind: String,
    pub message: String,
    /// When this failure (same kind and message) was first met (ms).
    pub failed_at: i64,
    /// The latest attempt (ms).
    pub tried_at: i64,
}

/// A failure of a campaign still scheduled, with the campaign's name (what
/// the notification rule reads).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledFailure {
    pub name: String,
    pub failure: StartFailure,
}

/// Records that starting `campaign` failed at `now` with `kind` and
/// `message`. The same failure again only moves `tried_at`; a different one
/// replaces it with `failed_at = now`.
pub async fn record(
    store: &Store,
    campaign: Uuid,
    kind: &str,
    message: &str,
    now: i64,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    // failed_at names the failure (its notification's key): kept while the
    // reason is the same, so a retry every few minutes tells nothing new.
    sqlx::query(
        "INSERT INTO campaign_start_failures (campaign_id, kind, message, failed_at, tried_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (campaign_id) DO UPDATE SET
             failed_at = CASE WHEN kind = excluded.kind AND message = excluded.message
                              THEN failed_at ELSE excluded.failed_at END,
             kind = excluded.kind,
             message = excluded.message,
             tried_at = excluded.tried_at",
    )
    .bind(campaign)
    .bind(kind)
    .bind(message)
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await
    .context("recording why a campaign did not start")?;
    tx.commit()
        .await
        .context("recording why a campaign did not start")?;
    Ok(())
}

/// Forgets `campaign`'s failure (none: no change).
pub async fn clear(store: &Store, campaign: Uuid) -> Result<()> {
    let mut tx = store.begin_write().await?;
    sqlx::query("DELETE FROM campaign_start_failures WHERE campaign_id = ?")
        .bind(campaign)
        .execute(&mut *tx)
        .await
        .context("clearing why a campaign did not start")?;
    tx.commit()
        .await
        .context("clearing why a campaign did not start")?;
    Ok(())
}

fn from_row(row: &sqlx::sqlite::SqliteRow) -> StartFailure {
    StartFailure {
        campaign_id: row.get("campaign_id"),
        kind: row.get("kind"),
        message: row.get("message"),
        failed_at: row.get("failed_at"),
        tried_at: row.get("tried_at"),
    }
}

/// `campaign`'s recorded failure, if any.
pub async fn get(store: &Store, campaign: Uuid) -> Result<Option<StartFailure>> {
    let row = sqlx::query(
        "SELECT campaign_id, kind, message, failed_at, tried_at
         FROM campaign_start_failures WHERE campaign_id = ?",
    )
    .bind(campaign)
    .fetch_optional(store.pool())
    .await
    .context("reading why a campaign did not start")?;
    Ok(row.as_ref().map(from_row))
}

/// Every recorded failure by campaign (the list marks its rows; there are
/// only ever a few).
pub async fn all(store: &Store) -> Result<HashMap<Uuid, StartFailure>> {
    let rows = sqlx::query(
        "SELECT campaign_id, kind, message, failed_at, tried_at FROM campaign_start_failures",
    )
    .fetch_all(store.pool())
    .await
    .context("listing campaigns that did not start")?;
    Ok(rows
        .iter()
        .map(from_row)
        .map(|f| (f.campaign_id, f))
        .collect())
}

/// The failures of campaigns still `scheduled`, oldest first.
pub async fn scheduled(store: &Store) -> Result<Vec<ScheduledFailure>> {
    let rows = sqlx::query(
        "SELECT f.campaign_id, f.kind, f.message, f.failed_at, f.tried_at, c.name
         FROM campaign_start_failures f JOIN campaigns c ON c.id = f.campaign_id
         WHERE c.status = 'scheduled'
         ORDER BY f.failed_at",
    )
    .fetch_all(store.pool())
    .await
    .context("listing scheduled campaigns that did not start")?;
    Ok(rows
        .iter()
        .map(|row| ScheduledFailure {
            name: row.get("name"),
            failure: from_row(row),
        })
        .collect())
}
