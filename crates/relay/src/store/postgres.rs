//! The PostgreSQL backend, for several relay instances sharing one store.
//!
//! Each instance runs its own group-commit writer. A batch first takes a
//! transaction-level advisory lock, so batches from different instances
//! commit one at a time: sequence numbers are drawn and become visible in
//! the same order, and a reader's cursor can never pass a smaller number
//! that is still uncommitted elsewhere. Commits are durable under
//! PostgreSQL's default `synchronous_commit = on`.

use std::collections::HashSet;
use std::time::Duration;

use anyhow::Context as _;
use sqlx::postgres::PgPoolOptions;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::event::NewEvent;

use super::batch::{self, Batch, Pending};
use super::row::{decode_event, EVENT_COLUMNS};
use super::types::{Nonce, StoredEvent};
use super::writer::{Job, JobResult};

/// The advisory lock key that serialises writers ("herald" in ASCII).
const WRITER_LOCK: i64 = 0x6865_7261_6c64;

pub(super) async fn connect(url: &str) -> anyhow::Result<PgPool> {
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(10))
        .connect(url)
        .await
        .context("connecting to the PostgreSQL store (database_url)")?;
    sqlx::migrate!("./migrations/postgres")
        .run(&pool)
        .await
        .context("migrating the PostgreSQL store")?;
    Ok(pool)
}

pub(super) async fn commit(pool: &PgPool, jobs: &[&Job]) -> anyhow::Result<Vec<JobResult>> {
    let mut tx = pool.begin().await.context("beginning a batch")?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(WRITER_LOCK)
        .execute(&mut *tx)
        .await
        .context("taking the writer lock")?;
    // Writes' events go in one statement per batch (or per run of writes
    // between acks and prunes): see `flush` below.
    let results = batch::run(&mut *tx, jobs, chrono::Utc::now().timestamp_millis()).await?;
    tx.commit().await.context("committing a batch")?;
    Ok(results)
}

/// One column of the queued events, as the array `UNNEST` takes it.
fn column<'e, T>(
    queued: &[(usize, Uuid, &'e NewEvent)],
    value: impl Fn(&'e NewEvent) -> T,
) -> Vec<T> {
    queued.iter().map(|(_, _, event)| value(event)).collect()
}

/// The batch INSERT of [`flush`]: `$2` is the receive time, every other
/// parameter one array per column, in the columns' order.
const INSERT_UNNEST: &str = "INSERT INTO events (id, received_ms, kind, at, campaign_id, \
     recipient_id, channel, machine, url, ip, user_agent, provider, provider_event_id, \
     provider_message_id, address, detail) \
     SELECT id, $2, kind, at, campaign_id, recipient_id, channel, machine, url, ip, user_agent, \
     provider, provider_event_id, provider_message_id, address, detail \
     FROM UNNEST($1::uuid[], $3::text[], $4::timestamptz[], $5::uuid[], $6::uuid[], $7::text[], \
     $8::bool[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], \
     $15::text[], $16::jsonb[]) WITH ORDINALITY AS e(id, kind, at, campaign_id, recipient_id, \
     channel, machine, url, ip, user_agent, provider, provider_event_id, provider_message_id, \
     address, detail, position) \
     ORDER BY position \
     ON CONFLICT DO NOTHING \
     RETURNING id";

impl Batch for PgConnection {
    async fn nonce(&mut self, nonce: &Nonce, now_ms: i64) -> anyhow::Result<bool> {
        Ok(sqlx::query(
            "INSERT INTO nonces (provider, nonce, body_sha256, received_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(nonce.provider.as_str())
        .bind(&nonce.value)
        .bind(&nonce.body_sha256[..])
        .bind(now_ms)
        .execute(&mut *self)
        .await
        .context("recording a nonce")?
        .rows_affected()
            == 1)
    }

    async fn nonce_body(&mut self, nonce: &Nonce) -> anyhow::Result<Vec<u8>> {
        sqlx::query_scalar("SELECT body_sha256 FROM nonces WHERE provider = $1 AND nonce = $2")
            .bind(nonce.provider.as_str())
            .bind(&nonce.value)
            .fetch_one(&mut *self)
            .await
            .context("reading a nonce")
    }

    /// Inserts the batch's queued events in one statement: each column as an
    /// array, unnested back into rows in queue order (so sequence numbers
    /// follow it). `RETURNING` names the rows inserted; the others were a
    /// provider's retry of a stored event, or of one earlier in the batch.
    async fn flush(&mut self, pending: &mut Pending<'_>, now_ms: i64) -> anyhow::Result<()> {
        let queued = pending.take();
        if queued.is_empty() {
            return Ok(());
        }
        let inserted: HashSet<Uuid> = sqlx::query_scalar(INSERT_UNNEST)
            .bind(queued.iter().map(|(_, id, _)| *id).collect::<Vec<Uuid>>())
            .bind(now_ms)
            .bind(column(&queued, |e| e.kind.as_str()))
            .bind(column(&queued, |e| e.at))
            .bind(column(&queued, |e| e.campaign_id))
            .bind(column(&queued, |e| e.recipient_id))
            .bind(column(&queued, |e| e.channel.map(|c| c.as_str())))
            .bind(column(&queued, |e| e.machine))
            .bind(column(&queued, |e| e.url.as_deref()))
            .bind(column(&queued, |e| e.ip.as_deref()))
            .bind(column(&queued, |e| e.user_agent.as_deref()))
            .bind(column(&queued, |e| e.provider.map(|p| p.as_str())))
            .bind(column(&queued, |e| e.provider_event_id.as_deref()))
            .bind(column(&queued, |e| e.provider_message_id.as_deref()))
            .bind(column(&queued, |e| e.address.as_deref()))
            .bind(column(&queued, |e| sqlx::types::Json(&e.detail)))
            .fetch_all(&mut *self)
            .await
            .context("inserting events")?
            .into_iter()
            .collect();
        pending.inserted(&queued, |id| inserted.contains(id));
        Ok(())
    }

    async fn newest_seq(&mut self) -> anyhow::Result<i64> {
        // The sequence's high-water mark survives pruning.
        sqlx::query_scalar(
            "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM events_seq_seq",
        )
        .fetch_one(&mut *self)
        .await
        .context("reading the newest sequence number")
    }

    async fn record_ack(&mut self, seq: i64) -> anyhow::Result<()> {
        sqlx::query("UPDATE relay_state SET acked_seq = GREATEST(acked_seq, $1) WHERE id = 1")
            .bind(seq)
            .execute(&mut *self)
            .await
            .context("recording an ack")?;
        Ok(())
    }

    async fn prune(&mut self, cutoff_ms: i64) -> anyhow::Result<u64> {
        let events = sqlx::query(
            "DELETE FROM events WHERE seq <= (SELECT acked_seq FROM relay_state WHERE id = 1) \
             AND received_ms < $1",
        )
        .bind(cutoff_ms)
        .execute(&mut *self)
        .await
        .context("pruning events")?
        .rows_affected();
        sqlx::query("DELETE FROM nonces WHERE received_ms < $1")
            .bind(cutoff_ms)
            .execute(&mut *self)
            .await
            .context("pruning nonces")?;
        Ok(events)
    }
}

pub(super) async fn events(
    pool: &PgPool,
    after: i64,
    limit: u32,
) -> anyhow::Result<Vec<StoredEvent>> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2");
    let rows = sqlx::query(&sql)
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
    rows.iter().map(|row| decode_event!(row)).collect()
}

pub(super) async fn acked(pool: &PgPool) -> anyhow::Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT acked_seq FROM relay_state WHERE id = 1")
            .fetch_one(pool)
            .await?,
    )
}
