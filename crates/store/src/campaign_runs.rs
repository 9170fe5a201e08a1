//! A campaign's run: the status moves the send engine and the user make
//! (start, schedule, pause, resume, cancel, finish, fail), each guarded by
//! the status it moves from, so two callers racing (the scheduler and a
//! click on "Send now") cannot both win.
//!
//! ```text
//! draft -> scheduled -> sending -> sent
//! draft -> sending;  sending <-> paused;  failed -> sending (resume)
//! draft | scheduled | sending | paused | failed -> cancelled
//! ```

use anyhow::Context;
use herald_core::Channel;
use sqlx::Row;
use uuid::Uuid;

use crate::ledger::{self, Audience};
use crate::{now_millis, Result, Store, StoreError};

/// A campaign's status and what its run needs to know.
#[derive(Debug, Clone, PartialEq)]
pub struct RunState {
    pub id: Uuid,
    pub channel: Channel,
    pub status: String,
    pub scheduled_at: Option<i64>,
    /// The campaign's own rate (messages per second), if set.
    pub rate: Option<f64>,
    pub last_error: Option<String>,
}

/// Reads a campaign's run state.
pub async fn state(store: &Store, id: Uuid) -> Result<RunState> {
    let row = sqlx::query(
        "SELECT channel, status, scheduled_at, rate, last_error FROM campaigns WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(store.pool())
    .await
    .context("reading a campaign's status")?
    .ok_or_else(|| StoreError::NotFound(format!("campaign {id}")))?;
    let channel: String = row.get("channel");
    Ok(RunState {
        id,
        channel: crate::campaigns::stored_channel(&channel)?,
        status: row.get("status"),
        scheduled_at: row.get("scheduled_at"),
        rate: row.get("rate"),
        last_error: row.get("last_error"),
    })
}

/// Moves `id` from one of `from` to `to`, setting the extra `assignments`
/// (SQL `column = ?` pairs bound in order), or explains why it cannot.
async fn transition(
    store: &Store,
    id: Uuid,
    from: &[&str],
    to: &str,
    verb: &str,
    assignments: &[(&str, Option<String>)],
    times: &[(&str, Option<i64>)],
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let current: Option<String> = sqlx::query_scalar("SELECT status FROM campaigns WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .context("reading a campaign's status")?;
    let current = current.ok_or_else(|| StoreError::NotFound(format!("campaign {id}")))?;
    if !from.contains(&current.as_str()) {
        return Err(StoreError::Conflict(format!(
            "a {current} campaign cannot be {verb}"
        )));
    }
    let mut sql = String::from("UPDATE campaigns SET status = ?, updated_at = ?");
    for (column, _) in assignments {
        sql.push_str(&format!(", {column} = ?"));
    }
    for (column, _) in times {
        sql.push_str(&format!(", {column} = ?"));
    }
    sql.push_str(" WHERE id = ?");
    let mut q = sqlx::query(&sql).bind(to).bind(now_millis());
    for (_, value) in assignments {
        q = q.bind(value.clone());
    }
    for (_, value) in times {
        q = q.bind(*value);
    }
    q.bind(id)
        .execute(&mut *tx)
        .await
        .with_context(|| format!("moving a campaign to {to}"))?;
    tx.commit()
        .await
        .with_context(|| format!("moving a campaign to {to}"))?;
    Ok(())
}

/// Starts sending `id` now (a draft, or a scheduled campaign that is due):
/// resolves its audience into the ledger and moves it to `sending`.
///
/// `expected` is the number of recipients the person confirmed ("Send to
/// 1,204 people?"). When the audience has changed since, nothing starts and
/// the error says how many it would be now, so they can confirm again.
pub async fn start(store: &Store, id: Uuid, expected: Option<i64>) -> Result<Audience> {
    let run = state(store, id).await?;
    if !["draft", "scheduled"].contains(&run.status.as_str()) {
        return Err(StoreError::Conflict(format!(
            "a {} campaign cannot be started",
            run.status
        )));
    }
    if let Some(expected) = expected {
        let segment: Option<Uuid> =
            sqlx::query_scalar("SELECT segment_id FROM campaigns WHERE id = ?")
                .bind(id)
                .fetch_one(store.pool())
                .await
                .context("reading a campaign's segment")?;
        let segment = segment
            .ok_or_else(|| StoreError::validation("segmentId", "choose a segment to send to"))?;
        let now = ledger::audience(
            store,
            herald_core::SegmentId::from_uuid(segment),
            run.channel,
        )
        .await?;
        if now.will_receive != expected {
            return Err(StoreError::Conflict(format!(
                "the audience changed since you confirmed: {} people would receive it now, \
                 not {expected}. Nothing was sent; review the audience and confirm again",
                now.will_receive
            )));
        }
    }
    let audience = ledger::resolve(store, id).await?;
    transition(
        store,
        id,
        &["draft", "scheduled"],
        "sending",
        "started",
        &[("last_error", None)],
        &[("started_at", Some(now_millis()))],
    )
    .await?;
    Ok(audience)
}

/// Schedules a draft to start at `at` (ms since the epoch, in the future).
pub async fn schedule(store: &Store, id: Uuid, at: i64) -> Result<()> {
    if at <= now_millis() {
        return Err(StoreError::validation(
            "scheduledAt",
            "choose a time in the future",
        ));
    }
    transition(
        store,
        id,
        &["draft", "scheduled"],
        "scheduled",
        "scheduled",
        &[],
        &[("scheduled_at", Some(at))],
    )
    .await
}

/// Takes a scheduled campaign back to draft.
pub async fn unschedule(store: &Store, id: Uuid) -> Result<()> {
    transition(
        store,
        id,
        &["scheduled"],
        "draft",
        "unscheduled",
        &[],
        &[("scheduled_at", None)],
    )
    .await
}

/// Stops claiming recipients; the run can be resumed.
pub async fn pause(store: &Store, id: Uuid) -> Result<()> {
    transition(store, id, &["sending"], "paused", "paused", &[], &[]).await
}

/// Continues a paused (or failed) campaign from its ledger.
pub async fn resume(store: &Store, id: Uuid) -> Result<()> {
    transition(
        store,
        id,
        &["paused", "failed"],
        "sending",
        "resumed",
        &[("last_error", None)],
        &[("finished_at", None)],
    )
    .await
}

/// Stops a campaign for good. Recipients not yet sent stay `queued` in the
/// ledger (they show as "not sent").
pub async fn cancel(store: &Store, id: Uuid) -> Result<()> {
    transition(
        store,
        id,
        &["draft", "scheduled", "sending", "paused", "failed"],
        "cancelled",
        "cancelled",
        &[],
        &[("finished_at", Some(now_millis()))],
    )
    .await
}

/// Marks a campaign whose ledger has nothing left to send as `sent`.
pub async fn finish(store: &Store, id: Uuid) -> Result<()> {
    transition(
        store,
        id,
        &["sending"],
        "sent",
        "finished",
        &[],
        &[("finished_at", Some(now_millis()))],
    )
    .await
}

/// Takes a `sent` campaign back to `sending`, after some of its recipients
/// were queued again ("retry failed", "resend these").
pub async fn reopen(store: &Store, id: Uuid) -> Result<()> {
    transition(
        store,
        id,
        &["sent"],
        "sending",
        "reopened",
        &[],
        &[("finished_at", None)],
    )
    .await
}

/// Stops a campaign that cannot go on (the server refused the login, the
/// content cannot be rendered), keeping the reason.
pub async fn fail(store: &Store, id: Uuid, reason: &str) -> Result<()> {
    transition(
        store,
        id,
        &["sending"],
        "failed",
        "failed",
        &[("last_error", Some(reason.to_owned()))],
        &[("finished_at", Some(now_millis()))],
    )
    .await
}

/// Campaigns in `sending` (to pick up again when the app starts).
pub async fn sending(store: &Store) -> Result<Vec<Uuid>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM campaigns WHERE status = 'sending' ORDER BY started_at")
            .fetch_all(store.pool())
            .await
            .context("listing campaigns being sent")?,
    )
}

/// Scheduled campaigns whose time has come, oldest first, with their
/// scheduled time. A campaign whose start failed less than `retry_after` ms
/// before `now` is left out (the app passes
/// [`start_failures::RETRY_AFTER_MS`](crate::start_failures::RETRY_AFTER_MS);
/// `0` tries them all).
pub async fn due(store: &Store, now: i64, retry_after: i64) -> Result<Vec<(Uuid, i64)>> {
    let rows = sqlx::query(
        "SELECT c.id, c.scheduled_at FROM campaigns c
         LEFT JOIN campaign_start_failures f ON f.campaign_id = c.id
         WHERE c.status = 'scheduled' AND c.scheduled_at <= ?
           AND (f.tried_at IS NULL OR f.tried_at <= ?)
         ORDER BY c.scheduled_at",
    )
    .bind(now)
    .bind(now - retry_after)
    .fetch_all(store.pool())
    .await
    .context("listing due campaigns")?;
    Ok(rows
        .iter()
        .map(|r| (r.get("id"), r.get("scheduled_at")))
        .collect())
}
