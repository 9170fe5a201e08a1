//! The SQLite backend: one file in WAL mode with `synchronous = FULL`, so a
//! committed transaction survives a crash of the process or the machine.
//! One connection writes (the group-commit writer); a small pool reads.

use std::collections::HashSet;
use std::str::FromStr as _;
use std::time::Duration;

use anyhow::Context as _;
use sqlx::sqlite::SqliteArguments;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Arguments as _, ConnectOptions as _, Connection as _, SqliteConnection, SqlitePool};
use uuid::Uuid;

use super::batch::{self, Batch, Pending};
use super::row::{bind_event, decode_event, EVENT_COLUMNS, INSERT_COLUMNS};
use super::types::{Nonce, StoreError, StoredEvent, Written};
use super::writer::{Job, JobOutcome, JobResult};
use crate::event::NewEvent;

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
        .busy_timeout(Duration::from_secs(10))
        // One prepared INSERT per batch size up to MAX_ROWS, in each of the
        // two commit paths, plus the rest.
        .statement_cache_capacity(2 * MAX_ROWS + 64);
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
    if let Some(results) = commit_events_only(conn, jobs).await? {
        return Ok(results);
    }
    let mut tx = conn.begin().await.context("beginning a batch")?;
    let results = batch::run(&mut *tx, jobs, chrono::Utc::now().timestamp_millis()).await?;
    tx.commit().await.context("committing a batch")?;
    Ok(results)
}

/// The usual batch, nothing but nonce-less writes (every token hit, most
/// webhooks) with at most [`MAX_ROWS`] events: `BEGIN`, the INSERT and
/// `COMMIT` go to sqlx's worker thread as ONE multi-statement query, one
/// hand-off per batch instead of three. On a busy machine each hand-off
/// waits for that thread to be scheduled, and the writer is serial, so this
/// is the batch's latency (docs/benchmarks.md, Relay). Same transaction,
/// same fsync before anyone is answered. `None`: any other batch, which the
/// general path handles.
async fn commit_events_only(
    conn: &mut SqliteConnection,
    jobs: &[&Job],
) -> anyhow::Result<Option<Vec<JobResult>>> {
    let mut pending = Pending::default();
    for (index, job) in jobs.iter().enumerate() {
        match job {
            Job::Write(write) if write.nonce.is_none() => pending.add(index, &write.events),
            _ => return Ok(None),
        }
    }
    let rows = pending.queued_len();
    if rows == 0 || rows > MAX_ROWS {
        return Ok(None);
    }
    let queued = pending.take();
    let now_ms = chrono::Utc::now().timestamp_millis();
    // changes(): the INSERT's own count, which the summed result of a
    // multi-statement query cannot give (BEGIN and COMMIT repeat the last
    // statement's count).
    let sql = format!(
        "BEGIN IMMEDIATE; {}; SELECT changes(); COMMIT",
        insert_sql(rows)
    );
    let mut arguments = SqliteArguments::default();
    arguments.reserve(rows * COLUMNS, 0);
    let mut query = sqlx::query_scalar_with::<_, i64, _>(&sql, arguments);
    for (_, id, event) in &queued {
        query = bind_event!(query, *id, now_ms, *event);
    }
    // fetch_all runs every statement to the end (COMMIT included) or stops
    // at the first error.
    let inserted = match query.fetch_all(&mut *conn).await {
        Ok(counts) => counts.first().copied(),
        Err(error) => {
            // Whatever ran is undone; "no transaction is active" is fine.
            let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
            return Err(anyhow::Error::new(error).context("inserting and committing a batch"));
        }
    };
    if inserted.and_then(|n| usize::try_from(n).ok()) == Some(rows) {
        pending.inserted(&queued, |_| true);
    } else {
        // Some were a provider's retry (rare): the new ids that are in the
        // store (committed above) are the inserted ones.
        let present = present_ids(conn, &queued).await?;
        pending.inserted(&queued, |id| present.contains(id));
    }
    Ok(Some(
        (0..jobs.len())
            .map(|index| Ok(pending.written(index)))
            .collect(),
    ))
}

/// `INSERT INTO events` of `rows` rows of [`INSERT_COLUMNS`].
fn insert_sql(rows: usize) -> String {
    // ON CONFLICT without a target: the unique (provider, provider_event_id)
    // index makes a provider's retry a no-op.
    let values = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; rows].join(", ");
    format!("INSERT INTO events ({INSERT_COLUMNS}) VALUES {values} ON CONFLICT DO NOTHING")
}

/// Which of these new ids are in the store.
async fn present_ids(
    conn: &mut SqliteConnection,
    queued: &[(usize, Uuid, &NewEvent)],
) -> anyhow::Result<HashSet<Uuid>> {
    let marks = vec!["?"; queued.len()].join(", ");
    let sql = format!("SELECT id FROM events WHERE id IN ({marks})");
    let mut query = sqlx::query_scalar::<_, Uuid>(&sql);
    for (_, id, _) in queued {
        query = query.bind(*id);
    }
    Ok(query
        .fetch_all(&mut *conn)
        .await
        .context("reading which events were inserted")?
        .into_iter()
        .collect())
}

/// The most rows one INSERT carries (16 values each, far below SQLite's
/// 32766 bound variables). Each size up to it is its own prepared
/// statement, which the writer's connection keeps (see [`connect`]).
const MAX_ROWS: usize = 128;
/// Values per row: [`INSERT_COLUMNS`].
const COLUMNS: usize = 16;

impl Batch for SqliteConnection {
    async fn nonce(&mut self, nonce: &Nonce, now_ms: i64) -> anyhow::Result<bool> {
        Ok(sqlx::query(
            "INSERT INTO nonces (provider, nonce, body_sha256, received_ms) VALUES (?, ?, ?, ?) \
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

    async fn repeated_nonce(&mut self, nonce: &Nonce) -> anyhow::Result<JobResult> {
        let stored: Vec<u8> =
            sqlx::query_scalar("SELECT body_sha256 FROM nonces WHERE provider = ? AND nonce = ?")
                .bind(nonce.provider.as_str())
                .bind(&nonce.value)
                .fetch_one(&mut *self)
                .await
                .context("reading a nonce")?;
        Ok(if stored == nonce.body_sha256 {
            Ok(JobOutcome::Written(Written::Retry))
        } else {
            Err(StoreError::Replay)
        })
    }

    /// Inserts the batch's queued events, [`MAX_ROWS`] to a statement.
    async fn flush(&mut self, pending: &mut Pending<'_>, now_ms: i64) -> anyhow::Result<()> {
        let queued = pending.take();
        for chunk in queued.chunks(MAX_ROWS) {
            let sql = insert_sql(chunk.len());
            let mut arguments = SqliteArguments::default();
            arguments.reserve(chunk.len() * COLUMNS, 0);
            let mut query = sqlx::query_with(&sql, arguments);
            for (_, id, event) in chunk {
                query = bind_event!(query, *id, now_ms, *event);
            }
            let inserted = query
                .execute(&mut *self)
                .await
                .context("inserting events")?
                .rows_affected();
            if usize::try_from(inserted) == Ok(chunk.len()) {
                pending.inserted(chunk, |_| true);
            } else {
                // Some were a provider's retry (rare): the new ids that made it
                // in are the inserted ones.
                let present = present_ids(self, chunk).await?;
                pending.inserted(chunk, |id| present.contains(id));
            }
        }
        Ok(())
    }

    async fn ack(&mut self, seq: i64) -> anyhow::Result<JobResult> {
        // The newest sequence number ever handed out (sqlite_sequence survives
        // pruning), so an ack after a prune is still checked against it.
        let newest: i64 = sqlx::query_scalar(
            "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)",
        )
        .fetch_one(&mut *self)
        .await
        .context("reading the newest sequence number")?;
        if seq > newest || seq < 0 {
            return Ok(Err(StoreError::CursorAhead { newest }));
        }
        sqlx::query("UPDATE relay_state SET acked_seq = MAX(acked_seq, ?) WHERE id = 1")
            .bind(seq)
            .execute(&mut *self)
            .await
            .context("recording an ack")?;
        Ok(Ok(JobOutcome::Acked))
    }

    async fn prune(&mut self, cutoff_ms: i64) -> anyhow::Result<JobResult> {
        let events = sqlx::query(
            "DELETE FROM events WHERE seq <= (SELECT acked_seq FROM relay_state WHERE id = 1) \
             AND received_ms < ?",
        )
        .bind(cutoff_ms)
        .execute(&mut *self)
        .await
        .context("pruning events")?
        .rows_affected();
        sqlx::query("DELETE FROM nonces WHERE received_ms < ?")
            .bind(cutoff_ms)
            .execute(&mut *self)
            .await
            .context("pruning nonces")?;
        Ok(Ok(JobOutcome::Pruned(events)))
    }
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
