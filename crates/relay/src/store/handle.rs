//! The store handle the HTTP layer holds: opening either backend, writing
//! through the group-commit writer, reading pages of events.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tokio::sync::{mpsc, oneshot, Mutex};
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::types::{StoreError, StoredEvent, Write, Written};
use super::web_view::{self, WebView};
use super::writer::{self, Job, JobOutcome};
use super::{postgres, sqlite};

/// Group-commit tuning; the defaults suit one relay on a small machine.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// The most jobs committed in one transaction.
    pub max_batch: usize,
    /// How long the writer waits for more jobs once the queue is empty
    /// before committing a batch smaller than `max_batch`. Zero: commit at
    /// once; requests that arrive meanwhile form the next batch, so
    /// batches grow by themselves with the load (docs/relay.md).
    pub max_wait: Duration,
    /// How many jobs may queue before handlers wait for room.
    pub queue: usize,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            max_batch: 1024,
            max_wait: Duration::ZERO,
            queue: 65_536,
        }
    }
}

/// The pool: every read, and the rare web-view writes (`web_view`).
pub(super) enum Reader {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

/// A cheap-to-clone handle on the event store.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    jobs: mpsc::Sender<writer::Envelope>,
    reader: Reader,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.inner.reader {
            Reader::Sqlite(_) => "sqlite",
            Reader::Postgres(_) => "postgres",
        };
        f.debug_struct("Store").field("backend", &kind).finish()
    }
}

impl Store {
    /// Opens (creating if needed) and migrates the store at `url`:
    /// `postgres://...` / `postgresql://...` for PostgreSQL, `sqlite:...` or
    /// a plain file path for SQLite.
    pub async fn open(url: &str, options: StoreOptions) -> Result<Store, StoreError> {
        Self::try_open(url, options)
            .await
            .map_err(|e| StoreError::internal(&e))
    }

    async fn try_open(url: &str, options: StoreOptions) -> anyhow::Result<Store> {
        let (jobs, queue) = mpsc::channel(options.queue.max(1));
        let (task, reader) = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = postgres::connect(url).await?;
            let task = tokio::spawn(writer::run_postgres(pool.clone(), queue, options));
            (task, Reader::Postgres(pool))
        } else {
            let (conn, pool) = sqlite::connect(url).await?;
            let waiting = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .context("starting the SQLite writer")?;
            let task = tokio::task::spawn_blocking(move || {
                writer::run_sqlite(conn, queue, &options, &waiting);
            });
            (task, Reader::Sqlite(pool))
        };
        Ok(Store {
            inner: Arc::new(Inner {
                jobs,
                reader,
                task: Mutex::new(Some(task)),
            }),
        })
    }

    async fn submit(&self, job: Job) -> Result<JobOutcome, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.inner
            .jobs
            .send(writer::Envelope { job, reply })
            .await
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Stores one request's events (and its nonce) durably; returns once
    /// the transaction holding them has committed.
    pub async fn write(&self, write: Write) -> Result<Written, StoreError> {
        match self.submit(Job::Write(write)).await? {
            JobOutcome::Written(written) => Ok(written),
            _ => Err(StoreError::Internal("writer answered out of kind".into())),
        }
    }

    /// Records that the desktop has applied every event up to `seq`.
    /// Acks never move backwards; one past the newest event is refused.
    pub async fn ack(&self, seq: i64) -> Result<(), StoreError> {
        self.submit(Job::Ack(seq)).await.map(drop)
    }

    /// Deletes acknowledged events and nonces received before `cutoff_ms`
    /// (Unix milliseconds); returns how many events went.
    pub async fn prune(&self, cutoff_ms: i64) -> Result<u64, StoreError> {
        match self.submit(Job::Prune { cutoff_ms }).await? {
            JobOutcome::Pruned(n) => Ok(n),
            _ => Err(StoreError::Internal("writer answered out of kind".into())),
        }
    }

    /// Up to `limit` events after `after`, in sequence order.
    pub async fn events(&self, after: i64, limit: u32) -> Result<Vec<StoredEvent>, StoreError> {
        let result = match &self.inner.reader {
            Reader::Sqlite(pool) => sqlite::events(pool, after, limit).await,
            Reader::Postgres(pool) => postgres::events(pool, after, limit).await,
        };
        result
            .context("reading events")
            .map_err(|e| StoreError::internal(&e))
    }

    /// The newest acknowledged sequence number.
    pub async fn acked(&self) -> Result<i64, StoreError> {
        let result = match &self.inner.reader {
            Reader::Sqlite(pool) => sqlite::acked(pool).await,
            Reader::Postgres(pool) => postgres::acked(pool).await,
        };
        result
            .context("reading the ack cursor")
            .map_err(|e| StoreError::internal(&e))
    }

    /// Stores `campaign`'s web version, replacing any earlier upload;
    /// returns once it is committed. Not through the group-commit writer
    /// (see [`web_view`](super::web_view) for why that is fine).
    pub async fn put_web_view(
        &self,
        campaign: Uuid,
        subject: &str,
        html: &str,
    ) -> Result<(), StoreError> {
        let result = match &self.inner.reader {
            Reader::Sqlite(pool) => web_view::put_sqlite(pool, campaign, subject, html).await,
            Reader::Postgres(pool) => web_view::put_postgres(pool, campaign, subject, html).await,
        };
        result
            .context("storing a web view")
            .map_err(|e| StoreError::internal(&e))
    }

    /// `campaign`'s web version, if one was uploaded.
    pub async fn web_view(&self, campaign: Uuid) -> Result<Option<WebView>, StoreError> {
        let result = match &self.inner.reader {
            Reader::Sqlite(pool) => web_view::get_sqlite(pool, campaign).await,
            Reader::Postgres(pool) => web_view::get_postgres(pool, campaign).await,
        };
        result
            .context("reading a web view")
            .map_err(|e| StoreError::internal(&e))
    }

    /// Removes `campaign`'s web version; `false` when there was none.
    pub async fn delete_web_view(&self, campaign: Uuid) -> Result<bool, StoreError> {
        let result = match &self.inner.reader {
            Reader::Sqlite(pool) => web_view::delete_sqlite(pool, campaign).await,
            Reader::Postgres(pool) => web_view::delete_postgres(pool, campaign).await,
        };
        result
            .context("deleting a web view")
            .map_err(|e| StoreError::internal(&e))
    }

    /// Finishes every queued job, then stops the writer. Writes after this
    /// fail with [`StoreError::Closed`].
    pub async fn shutdown(&self) {
        let _ = self.inner.jobs.send(writer::Envelope::stop()).await;
        if let Some(task) = self.inner.task.lock().await.take() {
            let _ = task.await;
        }
        match &self.inner.reader {
            Reader::Sqlite(pool) => pool.close().await,
            Reader::Postgres(pool) => pool.close().await,
        }
    }
}
