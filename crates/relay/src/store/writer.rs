//! The group-commit writer: one task per process owns the write side of
//! the store.
//!
//! Handlers send a job with a reply channel; the writer takes whatever has
//! queued (up to `max_batch`, optionally waiting up to `max_wait` for more),
//! runs the whole batch in ONE transaction, commits, and only then answers
//! every waiter. One fsync covers the batch, and a handler that got its
//! answer knows its events are durable. If the commit fails, every waiter
//! in the batch gets the error and nothing of the batch is stored.

use tokio::sync::{mpsc, oneshot};
use tokio::time::{timeout_at, Instant};

use super::handle::StoreOptions;
use super::types::{StoreError, Write, Written};
use super::{postgres, sqlite};

pub(super) enum Job {
    Write(Write),
    Ack(i64),
    Prune { cutoff_ms: i64 },
    Stop,
}

pub(super) enum JobOutcome {
    Written(Written),
    Acked,
    Pruned(u64),
}

pub(super) type JobResult = Result<JobOutcome, StoreError>;

pub(super) struct Envelope {
    pub job: Job,
    pub reply: oneshot::Sender<JobResult>,
}

impl Envelope {
    pub fn stop() -> Self {
        let (reply, _) = oneshot::channel();
        Envelope {
            job: Job::Stop,
            reply,
        }
    }
}

/// The write side of a backend.
pub(super) enum Writer {
    /// The one connection that writes to the SQLite file.
    Sqlite(Box<sqlx::SqliteConnection>),
    /// A pool shared with the readers; a batch takes one connection.
    Postgres(sqlx::PgPool),
}

pub(super) async fn run(
    mut writer: Writer,
    mut queue: mpsc::Receiver<Envelope>,
    options: StoreOptions,
) {
    let max_batch = options.max_batch.max(1);
    while let Some(first) = queue.recv().await {
        let mut batch = Vec::with_capacity(max_batch.min(1024));
        take(&mut queue, &mut batch, first);
        let deadline = Instant::now() + options.max_wait;
        while batch.len() < max_batch {
            match queue.try_recv() {
                Ok(next) => take(&mut queue, &mut batch, next),
                Err(mpsc::error::TryRecvError::Disconnected) => break,
                Err(mpsc::error::TryRecvError::Empty) if options.max_wait.is_zero() => break,
                Err(mpsc::error::TryRecvError::Empty) => {
                    match timeout_at(deadline, queue.recv()).await {
                        Ok(Some(next)) => take(&mut queue, &mut batch, next),
                        Ok(None) | Err(_) => break,
                    }
                }
            }
        }
        if !batch.is_empty() {
            commit(&mut writer, batch).await;
        }
    }
    tracing::debug!("store writer stopped");
}

/// Adds a job to the batch; a stop closes the queue, so what is already
/// queued is still committed and the loop then ends.
fn take(queue: &mut mpsc::Receiver<Envelope>, batch: &mut Vec<Envelope>, envelope: Envelope) {
    if matches!(envelope.job, Job::Stop) {
        queue.close();
    } else {
        batch.push(envelope);
    }
}

async fn commit(writer: &mut Writer, batch: Vec<Envelope>) {
    let jobs: Vec<&Job> = batch.iter().map(|e| &e.job).collect();
    let results = match writer {
        Writer::Sqlite(conn) => sqlite::commit(conn, &jobs).await,
        Writer::Postgres(pool) => postgres::commit(pool, &jobs).await,
    };
    match results {
        Ok(results) => {
            for (envelope, result) in batch.into_iter().zip(results) {
                let _ = envelope.reply.send(result);
            }
        }
        Err(error) => {
            tracing::error!(
                error = format!("{error:#}"),
                jobs = batch.len(),
                "committing a batch failed"
            );
            let error = StoreError::internal(&error);
            for envelope in batch {
                let _ = envelope.reply.send(Err(error.clone()));
            }
        }
    }
}
