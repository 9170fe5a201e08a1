//! Committing ledger marks in groups, durably.
//!
//! Every message needs two ledger writes (`sending` before it goes out, the
//! outcome after), and the `sending` one must be on disk before the first
//! byte goes on the wire. One transaction per mark would cap a campaign at
//! the disk's commit rate; instead one task owns a connection, takes every
//! mark waiting when it wakes, commits them in one transaction with
//! `synchronous = FULL` (the commit returns after the WAL is synced), and
//! only then answers each caller. With N rows claimed at once (the
//! engine's window: its connections times its claim depth), a commit
//! carries up to N marks, `sending` and outcomes together.

use std::time::Duration;

use anyhow::Context;
use sqlx::pool::PoolConnection;
use sqlx::{Connection, Sqlite};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use crate::{now_millis, Result, Store, StoreError};

/// A ledger row's next state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    /// About to go out (from `queued`). `message_id` is the message's own id
    /// (e.g. the email's Message-ID), the same on every attempt.
    Sending { message_id: String },
    /// Accepted by the server or provider (from `sending`), with the id it
    /// gave the message (an SMTP queue id, or its whole reply when it names
    /// none; a provider's message id).
    Sent { provider_message_id: Option<String> },
    /// Refused for good (from `sending`), with the reason.
    Failed { error: String },
    /// Refused for now (from `sending`): back to `queued`, due again at
    /// `next_attempt_at`.
    Retry { error: String, next_attempt_at: i64 },
    /// Maybe delivered, maybe not (from `sending`): never sent again
    /// automatically.
    InDoubt { detail: String },
    /// Not yet (from `queued`, nothing sent, no attempt counted): due again
    /// at `until`, e.g. when the recipient's sending hours open.
    Defer { until: i64, reason: String },
    /// Accepted like [`Mark::Sent`], with how many SMS parts the message
    /// took (what the provider bills).
    SentParts {
        provider_message_id: Option<String>,
        parts: u32,
    },
    /// Claimed but never sent (from `sending`): back to `queued` as before
    /// the claim, its attempt not counted. The engine claims a few messages
    /// ahead of the connections; a clean pause or stop gives those back, so
    /// only a crash leaves claimed rows in doubt.
    GiveBack,
}

impl Mark {
    /// Where the row must be for this mark to apply.
    fn moves_from(&self) -> &'static str {
        match self {
            Mark::Sending { .. } | Mark::Defer { .. } => "queued",
            _ => "sending",
        }
    }
}

struct Job {
    campaign: Uuid,
    contact: Uuid,
    mark: Mark,
    done: oneshot::Sender<Result<bool>>,
}

/// The group-committing ledger writer of one send run. Cheap to clone.
#[derive(Debug, Clone)]
pub struct LedgerWriter {
    jobs: mpsc::Sender<Job>,
}

/// The most marks one transaction carries.
const MAX_GROUP: usize = 512;

impl LedgerWriter {
    /// Starts the writer task on the current tokio runtime. It stops when the
    /// last clone of the writer is dropped.
    pub fn start(store: &Store) -> LedgerWriter {
        let (jobs, rx) = mpsc::channel(4 * MAX_GROUP);
        tokio::spawn(run(store.clone(), rx));
        LedgerWriter { jobs }
    }

    /// Applies `mark` to the row (campaign, contact) and returns once it is
    /// committed to disk: `Ok(true)` when it applied, `Ok(false)` when the row
    /// was not in the state the mark moves from (e.g. no longer `queued`, or
    /// gone with its contact) and nothing changed.
    pub async fn mark(&self, campaign: Uuid, contact: Uuid, mark: Mark) -> Result<bool> {
        let (done, answer) = oneshot::channel();
        self.jobs
            .send(Job {
                campaign,
                contact,
                mark,
                done,
            })
            .await
            .map_err(|_| anyhow::anyhow!("the ledger writer has stopped"))?;
        answer
            .await
            .map_err(|_| anyhow::anyhow!("the ledger writer stopped before answering"))?
    }
}

async fn run(store: Store, mut rx: mpsc::Receiver<Job>) {
    let mut conn: Option<PoolConnection<Sqlite>> = None;
    while let Some(first) = rx.recv().await {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let marks: Vec<(Uuid, Uuid, &Mark)> = group
            .iter()
            .map(|j| (j.campaign, j.contact, &j.mark))
            .collect();
        let outcome = commit_with_retry(&store, &mut conn, &marks).await;
        match outcome {
            Ok(applied) => {
                for (job, applied) in group.into_iter().zip(applied) {
                    let _ = job.done.send(Ok(applied));
                }
            }
            Err(e) => {
                tracing::error!("the send ledger could not be written: {e:#}");
                let message = format!("the send ledger could not be written: {e}");
                for job in group {
                    let _ = job
                        .done
                        .send(Err(StoreError::Internal(anyhow::anyhow!(message.clone()))));
                }
            }
        }
    }
    if let Some(mut c) = conn {
        let _ = sqlx::query("PRAGMA synchronous = NORMAL")
            .execute(&mut *c)
            .await;
    }
}

/// How long the writer keeps trying while another writer (an import) holds
/// the workspace: outcomes in memory are lost if it gives up, and their rows
/// end `in_doubt`.
const RETRY_FOR: Duration = Duration::from_secs(120);

async fn commit_with_retry(
    store: &Store,
    conn: &mut Option<PoolConnection<Sqlite>>,
    marks: &[(Uuid, Uuid, &Mark)],
) -> Result<Vec<bool>> {
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(20);
    loop {
        match commit(store, conn, marks).await {
            Ok(applied) => return Ok(applied),
            Err(e) if started.elapsed() < RETRY_FOR => {
                tracing::warn!("retrying a ledger write: {e:#}");
                // A broken connection is replaced on the next try.
                *conn = None;
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(2));
            }
            Err(e) => return Err(e),
        }
    }
}

async fn commit(
    store: &Store,
    conn: &mut Option<PoolConnection<Sqlite>>,
    marks: &[(Uuid, Uuid, &Mark)],
) -> Result<Vec<bool>> {
    store.refuse_during_long_write()?;
    if conn.is_none() {
        let mut c = store
            .pool()
            .acquire()
            .await
            .context("connecting the ledger writer")?;
        sqlx::query("PRAGMA synchronous = FULL")
            .execute(&mut *c)
            .await
            .context("making ledger commits durable")?;
        *conn = Some(c);
    }
    let c = conn.as_mut().expect("connected above");
    let mut tx = c
        .begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting a ledger write")?;
    let now = now_millis();
    let mut applied = Vec::with_capacity(marks.len());
    for &(campaign, contact, mark) in marks {
        let (set, binds): (&str, Vec<Bind>) = match mark {
            Mark::Sending { message_id } => (
                "status = 'sending', attempts = attempts + 1, sending_at = ?, message_id = ?",
                vec![Bind::Int(now), Bind::Text(message_id.clone())],
            ),
            Mark::Sent {
                provider_message_id,
            } => (
                "status = 'sent', sent_at = ?, provider_message_id = ?, error = NULL",
                vec![Bind::Int(now), Bind::OptText(provider_message_id.clone())],
            ),
            Mark::Failed { error } => (
                "status = 'failed', failed_at = ?, error = ?",
                vec![Bind::Int(now), Bind::Text(error.clone())],
            ),
            Mark::Retry {
                error,
                next_attempt_at,
            } => (
                "status = 'queued', next_attempt_at = ?, error = ?",
                vec![Bind::Int(*next_attempt_at), Bind::Text(error.clone())],
            ),
            Mark::InDoubt { detail } => (
                "status = 'in_doubt', error = ?",
                vec![Bind::Text(detail.clone())],
            ),
            Mark::Defer { until, reason } => (
                "next_attempt_at = ?, error = ?",
                vec![Bind::Int(*until), Bind::Text(reason.clone())],
            ),
            Mark::GiveBack => ("status = 'queued', attempts = MAX(attempts - 1, 0)", vec![]),
            Mark::SentParts {
                provider_message_id,
                parts,
            } => (
                "status = 'sent', sent_at = ?, provider_message_id = ?, error = NULL, parts = ?",
                vec![
                    Bind::Int(now),
                    Bind::OptText(provider_message_id.clone()),
                    Bind::Int(i64::from(*parts)),
                ],
            ),
        };
        let sql = format!(
            "UPDATE campaign_recipients SET {set}
             WHERE campaign_id = ? AND contact_id = ? AND status = '{}'",
            mark.moves_from()
        );
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = match b {
                Bind::Int(v) => q.bind(v),
                Bind::Text(v) => q.bind(v),
                Bind::OptText(v) => q.bind(v),
            };
        }
        let n = q
            .bind(campaign)
            .bind(contact)
            .execute(&mut *tx)
            .await
            .context("writing a ledger mark")?
            .rows_affected();
        applied.push(n == 1);
    }
    tx.commit().await.context("committing ledger marks")?;
    Ok(applied)
}

enum Bind {
    Int(i64),
    Text(String),
    OptText(Option<String>),
}
