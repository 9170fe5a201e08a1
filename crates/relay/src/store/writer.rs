//! The group-commit writer: one per process owns the write side of the
//! store.
//!
//! Handlers send a job with a reply channel; the writer takes whatever has
//! queued (up to `max_batch`, optionally waiting up to `max_wait` for more),
//! runs the whole batch in ONE transaction, commits, and only then answers
//! every waiter. One fsync covers the batch, and a handler that got its
//! answer knows its events are durable. If the commit fails, every waiter
//! in the batch gets the error and nothing of the batch is stored.
//!
//! SQLite's writer is a thread of its own that calls SQLite directly
//! ([`run_sqlite`]); PostgreSQL's is a task on the runtime ([`run_postgres`]).

use tokio::runtime::Runtime;
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

/// The SQLite writer: runs on a blocking thread (`spawn_blocking`) until
/// the queue closes. Its connection is SQLite's own, called on this thread,
/// so a batch costs no hand-off to another thread and back: the handlers'
/// jobs arrive, the batch commits (fsync included) and the answers go out
/// (docs/benchmarks.md, Relay). `waiting` is a current-thread runtime of
/// the writer's own, which only waits for jobs and `max_wait`'s timer; its
/// timer lives as long as the writer does, whatever becomes of the server's
/// runtime.
pub(super) fn run_sqlite(
    mut conn: rusqlite::Connection,
    mut queue: mpsc::Receiver<Envelope>,
    options: &StoreOptions,
    waiting: &Runtime,
) {
    while let Some(batch) = waiting.block_on(next_batch(&mut queue, options)) {
        if batch.is_empty() {
            continue;
        }
        let jobs: Vec<&Job> = batch.iter().map(|e| &e.job).collect();
        let results = sqlite::commit(&mut conn, &jobs);
        answer(batch, results);
    }
    tracing::debug!("store writer stopped");
}

/// The PostgreSQL writer: a task on the runtime until the queue closes.
pub(super) async fn run_postgres(
    pool: sqlx::PgPool,
    mut queue: mpsc::Receiver<Envelope>,
    options: StoreOptions,
) {
    while let Some(batch) = next_batch(&mut queue, &options).await {
        if batch.is_empty() {
            continue;
        }
        let jobs: Vec<&Job> = batch.iter().map(|e| &e.job).collect();
        let results = postgres::commit(&pool, &jobs).await;
        answer(batch, results);
    }
    tracing::debug!("store writer stopped");
}

/// The next batch: the first job to arrive, then whatever else has queued
/// (up to `max_batch`, waiting up to `max_wait` for more when it is not
/// zero). `None` once the queue is closed and empty. A batch may be empty
/// when all it met was a stop.
async fn next_batch(
    queue: &mut mpsc::Receiver<Envelope>,
    options: &StoreOptions,
) -> Option<Vec<Envelope>> {
    let max_batch = options.max_batch.max(1);
    let first = queue.recv().await?;
    let mut batch = Vec::with_capacity(max_batch.min(1024));
    take(queue, &mut batch, first);
    let deadline = Instant::now() + options.max_wait;
    while batch.len() < max_batch {
        match queue.try_recv() {
            Ok(next) => take(queue, &mut batch, next),
            Err(mpsc::error::TryRecvError::Disconnected) => break,
            Err(mpsc::error::TryRecvError::Empty) if options.max_wait.is_zero() => break,
            Err(mpsc::error::TryRecvError::Empty) => match timeout_at(deadline, queue.recv()).await
            {
                Ok(Some(next)) => take(queue, &mut batch, next),
                Ok(None) | Err(_) => break,
            },
        }
    }
    Some(batch)
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

/// Answers every waiter of a batch: its own result once the batch has
/// committed, the batch's error otherwise.
fn answer(batch: Vec<Envelope>, results: anyhow::Result<Vec<JobResult>>) {
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
