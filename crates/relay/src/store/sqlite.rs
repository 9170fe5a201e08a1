//! The SQLite backend: one file in WAL mode with `synchronous = FULL`, so a
//! committed transaction survives a crash of the process or the machine.
//!
//! sqlx creates and migrates the file and reads it (a small pool). The one
//! connection that writes is SQLite's own (rusqlite over the same
//! libsqlite3), owned by the group-commit writer's thread: a batch's
//! statements run on that thread with no hand-off to a driver's worker and
//! no copy of the bound values (docs/benchmarks.md, Relay).

use std::collections::HashSet;
use std::future::Future;
use std::path::Path;
use std::pin::pin;
use std::str::FromStr as _;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use anyhow::Context as _;
use chrono::SecondsFormat;
use rusqlite::{OpenFlags, Statement};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions as _, Connection as _, SqlitePool};
use uuid::Uuid;

use super::batch::{self, Batch, Pending};
use super::row::{decode_event, EVENT_COLUMNS, INSERT_COLUMNS};
use super::types::{Nonce, StoredEvent};
use super::writer::{Job, JobResult};
use crate::event::NewEvent;

/// How long a statement waits for another connection's lock (the readers,
/// a web-view upload, a second process) before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Creates and migrates the store at `url` (a path or a `sqlite:` URL);
/// returns the writer's connection and the readers' pool.
pub(super) async fn connect(url: &str) -> anyhow::Result<(rusqlite::Connection, SqlitePool)> {
    if url.contains(":memory:") || url.contains("mode=memory") {
        anyhow::bail!(
            "database_url: an in-memory SQLite store would lose every event when the relay \
             stops; give a file path"
        );
    }
    let options = if url.starts_with("sqlite:") {
        SqliteConnectOptions::from_str(url).context("database_url: not a valid sqlite: URL")?
    } else {
        SqliteConnectOptions::new().filename(url)
    };
    let options = options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(BUSY_TIMEOUT);
    let mut migrating = options
        .clone()
        .connect()
        .await
        .with_context(|| format!("opening the SQLite store {url}"))?;
    sqlx::migrate!("./migrations/sqlite")
        .run(&mut migrating)
        .await
        .context("migrating the SQLite store")?;
    migrating
        .close()
        .await
        .context("closing the migrating connection")?;
    let readers = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options.clone())
        .await
        .context("opening the SQLite readers")?;
    let path = options.get_filename().to_owned();
    let writer = tokio::task::spawn_blocking(move || open_writer(&path))
        .await
        .context("opening the SQLite writer")??;
    Ok((writer, readers))
}

/// The writer's connection: read-write on the migrated file, WAL,
/// `synchronous = FULL`.
fn open_writer(path: &Path) -> anyhow::Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("opening the SQLite store {} to write", path.display()))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    anyhow::ensure!(
        mode.eq_ignore_ascii_case("wal"),
        "the SQLite store stays in journal mode {mode:?}, not WAL"
    );
    conn.pragma_update(None, "synchronous", "FULL")?;
    // One prepared INSERT per batch size up to MAX_ROWS, plus the rest.
    conn.set_prepared_statement_cache_capacity(MAX_ROWS + 16);
    Ok(conn)
}

/// Runs `jobs` in one transaction and commits it: one result per job, or
/// the error that rolled the whole batch back.
pub(super) fn commit(
    conn: &mut rusqlite::Connection,
    jobs: &[&Job],
) -> anyhow::Result<Vec<JobResult>> {
    conn.execute_batch("BEGIN IMMEDIATE")
        .context("beginning a batch")?;
    let now_ms = chrono::Utc::now().timestamp_millis();
    let result = at_once(batch::run(&mut Writing(conn), jobs, now_ms)).and_then(|results| {
        conn.execute_batch("COMMIT").context("committing a batch")?;
        Ok(results)
    });
    if result.is_err() && !conn.is_autocommit() {
        // Nothing of the batch stays; a failed rollback leaves the
        // transaction to SQLite's own recovery.
        let _ = conn.execute_batch("ROLLBACK");
    }
    result
}

/// The result of a future that never waits: [`Writing`]'s steps are
/// synchronous calls into SQLite, so the batch's future completes on its
/// first poll.
fn at_once<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => unreachable!("a SQLite batch step waited"),
    }
}

/// The writer's connection inside a batch's transaction.
struct Writing<'c>(&'c mut rusqlite::Connection);

/// `INSERT INTO events` of `rows` rows of [`INSERT_COLUMNS`].
fn insert_sql(rows: usize) -> String {
    // ON CONFLICT without a target: the unique (provider, provider_event_id)
    // index makes a provider's retry a no-op.
    let values = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; rows].join(", ");
    format!("INSERT INTO events ({INSERT_COLUMNS}) VALUES {values} ON CONFLICT DO NOTHING")
}

/// The most rows one INSERT carries (16 values each, far below SQLite's
/// 32766 bound variables). Each size up to it is its own prepared
/// statement, which the writer's connection keeps (see [`open_writer`]).
const MAX_ROWS: usize = 128;
/// Values per row: [`INSERT_COLUMNS`].
const COLUMNS: usize = 16;

/// Binds one event's [`INSERT_COLUMNS`] from parameter `first` on, the
/// way sqlx encodes them (the readers decode them with sqlx): ids as
/// 16-byte blobs, times as RFC 3339 text, `detail` as JSON text.
fn bind_event(
    statement: &mut Statement<'_>,
    first: usize,
    id: &Uuid,
    received_ms: i64,
    e: &NewEvent,
) -> anyhow::Result<()> {
    statement.raw_bind_parameter(first, id.as_bytes().as_slice())?;
    statement.raw_bind_parameter(first + 1, received_ms)?;
    statement.raw_bind_parameter(first + 2, e.kind.as_str())?;
    statement.raw_bind_parameter(
        first + 3,
        e.at.to_rfc3339_opts(SecondsFormat::AutoSi, false),
    )?;
    statement.raw_bind_parameter(first + 4, uuid_blob(&e.campaign_id))?;
    statement.raw_bind_parameter(first + 5, uuid_blob(&e.recipient_id))?;
    statement.raw_bind_parameter(first + 6, e.channel.map(|c| c.as_str()))?;
    statement.raw_bind_parameter(first + 7, e.machine)?;
    statement.raw_bind_parameter(first + 8, e.url.as_deref())?;
    statement.raw_bind_parameter(first + 9, e.ip.as_deref())?;
    statement.raw_bind_parameter(first + 10, e.user_agent.as_deref())?;
    statement.raw_bind_parameter(first + 11, e.provider.map(|p| p.as_str()))?;
    statement.raw_bind_parameter(first + 12, e.provider_event_id.as_deref())?;
    statement.raw_bind_parameter(first + 13, e.provider_message_id.as_deref())?;
    statement.raw_bind_parameter(first + 14, e.address.as_deref())?;
    statement.raw_bind_parameter(
        first + 15,
        serde_json::to_string(&e.detail).context("encoding an event's detail")?,
    )?;
    Ok(())
}

/// An optional id as sqlx stores it: a 16-byte blob or NULL.
fn uuid_blob(id: &Option<Uuid>) -> Option<&[u8]> {
    id.as_ref().map(|id| id.as_bytes().as_slice())
}

impl Writing<'_> {
    /// Which of these new ids are in the store.
    fn present_ids(&self, queued: &[(usize, Uuid, &NewEvent)]) -> anyhow::Result<HashSet<Uuid>> {
        let marks = vec!["?"; queued.len()].join(", ");
        let mut statement = self
            .0
            .prepare(&format!("SELECT id FROM events WHERE id IN ({marks})"))?;
        let ids = statement.query_map(
            rusqlite::params_from_iter(queued.iter().map(|(_, id, _)| id.as_bytes().as_slice())),
            |row| row.get::<_, Vec<u8>>(0),
        )?;
        ids.map(|id| Ok(Uuid::from_slice(&id?)?)).collect()
    }
}

impl Batch for Writing<'_> {
    async fn nonce(&mut self, nonce: &Nonce, now_ms: i64) -> anyhow::Result<bool> {
        let inserted = self
            .0
            .prepare_cached(
                "INSERT INTO nonces (provider, nonce, body_sha256, received_ms) \
                 VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            )?
            .execute(rusqlite::params![
                nonce.provider.as_str(),
                nonce.value,
                nonce.body_sha256.as_slice(),
                now_ms
            ])
            .context("recording a nonce")?;
        Ok(inserted == 1)
    }

    async fn nonce_body(&mut self, nonce: &Nonce) -> anyhow::Result<Vec<u8>> {
        self.0
            .prepare_cached("SELECT body_sha256 FROM nonces WHERE provider = ? AND nonce = ?")?
            .query_row(
                rusqlite::params![nonce.provider.as_str(), nonce.value],
                |row| row.get(0),
            )
            .context("reading a nonce")
    }

    /// Inserts the batch's queued events, [`MAX_ROWS`] to a statement.
    async fn flush(&mut self, pending: &mut Pending<'_>, now_ms: i64) -> anyhow::Result<()> {
        let queued = pending.take();
        for chunk in queued.chunks(MAX_ROWS) {
            let inserted = {
                let mut statement = self.0.prepare_cached(&insert_sql(chunk.len()))?;
                for (row, (_, id, event)) in chunk.iter().enumerate() {
                    bind_event(&mut statement, 1 + row * COLUMNS, id, now_ms, event)?;
                }
                statement.raw_execute().context("inserting events")?
            };
            if inserted == chunk.len() {
                pending.inserted(chunk, |_| true);
            } else {
                // Some were a provider's retry (rare): the new ids that made it
                // in are the inserted ones.
                let present = self.present_ids(chunk)?;
                pending.inserted(chunk, |id| present.contains(id));
            }
        }
        Ok(())
    }

    async fn newest_seq(&mut self) -> anyhow::Result<i64> {
        // sqlite_sequence survives pruning.
        self.0
            .query_row(
                "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)",
                [],
                |row| row.get(0),
            )
            .context("reading the newest sequence number")
    }

    async fn record_ack(&mut self, seq: i64) -> anyhow::Result<()> {
        self.0
            .execute(
                "UPDATE relay_state SET acked_seq = MAX(acked_seq, ?) WHERE id = 1",
                [seq],
            )
            .context("recording an ack")?;
        Ok(())
    }

    async fn prune(&mut self, cutoff_ms: i64) -> anyhow::Result<u64> {
        let events = self
            .0
            .execute(
                "DELETE FROM events WHERE seq <= (SELECT acked_seq FROM relay_state WHERE id = 1) \
                 AND received_ms < ?",
                [cutoff_ms],
            )
            .context("pruning events")?;
        self.0
            .execute("DELETE FROM nonces WHERE received_ms < ?", [cutoff_ms])
            .context("pruning nonces")?;
        Ok(events as u64)
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
