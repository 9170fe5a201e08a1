//! The PostgreSQL backend, for several relay instances sharing one store.
//!
//! Each instance runs its own group-commit writer. A batch first takes a
//! transaction-level advisory lock, so batches from different instances
//! commit one at a time: sequence numbers are drawn and become visible in
//! the same order, and a reader's cursor can never pass a smaller number
//! that is still uncommitted elsewhere. Commits are durable under
//! PostgreSQL's default `synchronous_commit = on`.

use std::time::Duration;

use anyhow::Context as _;
use sqlx::postgres::PgPoolOptions;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::row::{bind_event, decode_event, EVENT_COLUMNS, INSERT_COLUMNS};
use super::types::{StoreError, StoredEvent, Write, Written};
use super::writer::{Job, JobOutcome, JobResult};

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
    let now_ms = chrono::Utc::now().timestamp_millis();
    let mut results = Vec::with_capacity(jobs.len());
    for job in jobs {
        results.push(match job {
            Job::Write(write) => self::write(&mut tx, write, now_ms).await?,
            Job::Ack(seq) => ack(&mut tx, *seq).await?,
            Job::Prune { cutoff_ms } => prune(&mut tx, *cutoff_ms).await?,
            Job::Stop => Err(StoreError::Closed),
        });
    }
    tx.commit().await.context("committing a batch")?;
    Ok(results)
}

async fn write(tx: &mut PgConnection, write: &Write, now_ms: i64) -> anyhow::Result<JobResult> {
    if let Some(nonce) = &write.nonce {
        let fresh = sqlx::query(
            "INSERT INTO nonces (provider, nonce, body_sha256, received_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(nonce.provider.as_str())
        .bind(&nonce.value)
        .bind(&nonce.body_sha256[..])
        .bind(now_ms)
        .execute(&mut *tx)
        .await
        .context("recording a nonce")?
        .rows_affected()
            == 1;
        if !fresh {
            let stored: Vec<u8> = sqlx::query_scalar(
                "SELECT body_sha256 FROM nonces WHERE provider = $1 AND nonce = $2",
            )
            .bind(nonce.provider.as_str())
            .bind(&nonce.value)
            .fetch_one(&mut *tx)
            .await
            .context("reading a nonce")?;
            return Ok(if stored == nonce.body_sha256 {
                Ok(JobOutcome::Written(Written::Retry))
            } else {
                Err(StoreError::Replay)
            });
        }
    }
    let sql = format!(
        "INSERT INTO events ({INSERT_COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
         ON CONFLICT DO NOTHING"
    );
    let mut ids = Vec::with_capacity(write.events.len());
    let mut duplicates = 0;
    for event in &write.events {
        let id = Uuid::now_v7();
        let inserted = bind_event!(sqlx::query(&sql), id, now_ms, event)
            .execute(&mut *tx)
            .await
            .context("inserting an event")?
            .rows_affected();
        if inserted == 1 {
            ids.push(id);
        } else {
            duplicates += 1;
        }
    }
    Ok(Ok(JobOutcome::Written(Written::Stored { ids, duplicates })))
}

async fn ack(tx: &mut PgConnection, seq: i64) -> anyhow::Result<JobResult> {
    // The sequence's high-water mark survives pruning.
    let newest: i64 = sqlx::query_scalar(
        "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM events_seq_seq",
    )
    .fetch_one(&mut *tx)
    .await
    .context("reading the newest sequence number")?;
    if seq > newest || seq < 0 {
        return Ok(Err(StoreError::CursorAhead { newest }));
    }
    sqlx::query("UPDATE relay_state SET acked_seq = GREATEST(acked_seq, $1) WHERE id = 1")
        .bind(seq)
        .execute(&mut *tx)
        .await
        .context("recording an ack")?;
    Ok(Ok(JobOutcome::Acked))
}

async fn prune(tx: &mut PgConnection, cutoff_ms: i64) -> anyhow::Result<JobResult> {
    let events = sqlx::query(
        "DELETE FROM events WHERE seq <= (SELECT acked_seq FROM relay_state WHERE id = 1) \
         AND received_ms < $1",
    )
    .bind(cutoff_ms)
    .execute(&mut *tx)
    .await
    .context("pruning events")?
    .rows_affected();
    sqlx::query("DELETE FROM nonces WHERE received_ms < $1")
        .bind(cutoff_ms)
        .execute(&mut *tx)
        .await
        .context("pruning nonces")?;
    Ok(Ok(JobOutcome::Pruned(events)))
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
