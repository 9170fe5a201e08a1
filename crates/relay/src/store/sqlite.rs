//! The SQLite backend: one file in WAL mode with `synchronous = FULL`, so a
//! committed transaction survives a crash of the process or the machine.
//! One connection writes (the group-commit writer); a small pool reads.

use std::str::FromStr as _;
use std::time::Duration;

use anyhow::Context as _;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions as _, Connection as _, SqliteConnection, SqlitePool};
use uuid::Uuid;

use super::row::{bind_event, decode_event, EVENT_COLUMNS, INSERT_COLUMNS};
use super::types::{StoreError, StoredEvent, Write, Written};
use super::writer::{Job, JobOutcome, JobResult};

pub(super) async fn connect(url: &str) -> anyhow::Result<(SqliteConnection, SqlitePool)> {
    let options = if url.starts_with("sqlite:") {
        SqliteConnectOptions::from_str(url).context("database_url: not a valid sqlite: URL")?
    } else {
        SqliteConnectOptions::new().filename(url)
    };
    let options = options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(Duration::from_secs(10));
    let mut writer = options
        .connect()
        .await
        .with_context(|| format!("opening the SQLite store {url}"))?;
    sqlx::migrate!("./migrations/sqlite")
        .run(&mut writer)
        .await
        .context("migrating the SQLite store")?;
    let readers = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await
        .context("opening the SQLite readers")?;
    Ok((writer, readers))
}

pub(super) async fn commit(
    conn: &mut SqliteConnection,
    jobs: &[&Job],
) -> anyhow::Result<Vec<JobResult>> {
    let mut tx = conn.begin().await.context("beginning a batch")?;
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

async fn write(tx: &mut SqliteConnection, write: &Write, now_ms: i64) -> anyhow::Result<JobResult> {
    if let Some(nonce) = &write.nonce {
        let fresh = sqlx::query(
            "INSERT INTO nonces (provider, nonce, body_sha256, received_ms) VALUES (?, ?, ?, ?) \
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
                "SELECT body_sha256 FROM nonces WHERE provider = ? AND nonce = ?",
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
    // ON CONFLICT without a target: the unique (provider, provider_event_id)
    // index makes a provider's retry a no-op.
    let sql = format!(
        "INSERT INTO events ({INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
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

async fn ack(tx: &mut SqliteConnection, seq: i64) -> anyhow::Result<JobResult> {
    // The newest sequence number ever handed out (sqlite_sequence survives
    // pruning), so an ack after a prune is still checked against it.
    let newest: i64 = sqlx::query_scalar(
        "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)",
    )
    .fetch_one(&mut *tx)
    .await
    .context("reading the newest sequence number")?;
    if seq > newest || seq < 0 {
        return Ok(Err(StoreError::CursorAhead { newest }));
    }
    sqlx::query("UPDATE relay_state SET acked_seq = MAX(acked_seq, ?) WHERE id = 1")
        .bind(seq)
        .execute(&mut *tx)
        .await
        .context("recording an ack")?;
    Ok(Ok(JobOutcome::Acked))
}

async fn prune(tx: &mut SqliteConnection, cutoff_ms: i64) -> anyhow::Result<JobResult> {
    let events = sqlx::query(
        "DELETE FROM events WHERE seq <= (SELECT acked_seq FROM relay_state WHERE id = 1) \
         AND received_ms < ?",
    )
    .bind(cutoff_ms)
    .execute(&mut *tx)
    .await
    .context("pruning events")?
    .rows_affected();
    sqlx::query("DELETE FROM nonces WHERE received_ms < ?")
        .bind(cutoff_ms)
        .execute(&mut *tx)
        .await
        .context("pruning nonces")?;
    Ok(Ok(JobOutcome::Pruned(events)))
}

pub(super) async fn events(
    pool: &SqlitePool,
    after: i64,
    limit: u32,
) -> anyhow::Result<Vec<StoredEvent>> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?");
    let rows = sqlx::query(&sql)
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
    rows.iter().map(|row| decode_event!(row)).collect()
}

pub(super) async fn acked(pool: &SqlitePool) -> anyhow::Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT acked_seq FROM relay_state WHERE id = 1")
            .fetch_one(pool)
            .await?,
    )
}
