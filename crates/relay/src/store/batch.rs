//! A batch of jobs in one transaction, the same way on either backend:
//! writes' events are queued as the jobs are read, inserted together (a few
//! multi-row statements per batch instead of one round trip per event), and
//! told apart again per job; a nonce is checked in its job's turn, and an
//! ack or prune sees every event queued before it.

use std::future::Future;

use uuid::Uuid;

use super::types::{Nonce, StoreError, Written};
use super::writer::{Job, JobOutcome, JobResult};
use crate::event::NewEvent;

/// What a backend does inside a batch's transaction (its connection, in a
/// transaction the caller began and commits).
pub(super) trait Batch: Send {
    /// Records a nonce; `false` when it was already there.
    fn nonce(
        &mut self,
        nonce: &Nonce,
        now_ms: i64,
    ) -> impl Future<Output = anyhow::Result<bool>> + Send;

    /// The body hash stored with a nonce that is already there.
    fn nonce_body(&mut self, nonce: &Nonce)
        -> impl Future<Output = anyhow::Result<Vec<u8>>> + Send;

    /// Inserts `pending`'s queued events and records what became of them.
    fn flush(
        &mut self,
        pending: &mut Pending<'_>,
        now_ms: i64,
    ) -> impl Future<Output = anyhow::Result<()>> + Send;

    /// The newest sequence number ever handed out (pruning does not lower it).
    fn newest_seq(&mut self) -> impl Future<Output = anyhow::Result<i64>> + Send;

    /// Moves the desktop's cursor to `seq` unless it is already further.
    fn record_ack(&mut self, seq: i64) -> impl Future<Output = anyhow::Result<()>> + Send;

    /// Deletes what is acknowledged and older than `cutoff_ms`; returns how
    /// many events went.
    fn prune(&mut self, cutoff_ms: i64) -> impl Future<Output = anyhow::Result<u64>> + Send;
}

/// Runs `jobs` in order on `tx`; one result per job. An `Err` is a failure
/// of the transaction, which the caller then rolls back.
pub(super) async fn run<B: Batch>(
    tx: &mut B,
    jobs: &[&Job],
    now_ms: i64,
) -> anyhow::Result<Vec<JobResult>> {
    // `None`: the job's events are in `pending`.
    let mut results: Vec<Option<JobResult>> = Vec::with_capacity(jobs.len());
    let mut pending = Pending::default();
    for (index, job) in jobs.iter().enumerate() {
        results.push(match job {
            Job::Write(write) => match &write.nonce {
                // Seen before: the provider retrying (same body), or a replay.
                Some(nonce) if !tx.nonce(nonce, now_ms).await? => {
                    Some(if tx.nonce_body(nonce).await? == nonce.body_sha256 {
                        Ok(JobOutcome::Written(Written::Retry))
                    } else {
                        Err(StoreError::Replay)
                    })
                }
                _ => {
                    pending.add(index, &write.events);
                    None
                }
            },
            Job::Ack(seq) => {
                tx.flush(&mut pending, now_ms).await?;
                let newest = tx.newest_seq().await?;
                Some(if *seq > newest || *seq < 0 {
                    Err(StoreError::CursorAhead { newest })
                } else {
                    tx.record_ack(*seq).await?;
                    Ok(JobOutcome::Acked)
                })
            }
            Job::Prune { cutoff_ms } => {
                tx.flush(&mut pending, now_ms).await?;
                Some(Ok(JobOutcome::Pruned(tx.prune(*cutoff_ms).await?)))
            }
            Job::Stop => Some(Err(StoreError::Closed)),
        });
    }
    tx.flush(&mut pending, now_ms).await?;
    Ok(results
        .into_iter()
        .enumerate()
        .map(|(index, result)| result.unwrap_or_else(|| Ok(pending.written(index))))
        .collect())
}

/// Events of a batch's writes waiting to be inserted, and what became of
/// those already inserted.
#[derive(Default)]
pub(super) struct Pending<'a> {
    /// Not yet inserted: the job's index, the new id, the event.
    queued: Vec<(usize, Uuid, &'a NewEvent)>,
    /// Inserted or skipped as duplicates, in order.
    done: Vec<(usize, Uuid, bool)>,
}

impl<'a> Pending<'a> {
    /// Queues job `job`'s events, each with a new id. Jobs are added in
    /// index order.
    pub(super) fn add(&mut self, job: usize, events: &'a [NewEvent]) {
        self.queued
            .extend(events.iter().map(|event| (job, Uuid::now_v7(), event)));
    }

    /// The queued events, for the backend to insert; report what became of
    /// them with [`Pending::inserted`].
    pub(super) fn take(&mut self) -> Vec<(usize, Uuid, &'a NewEvent)> {
        std::mem::take(&mut self.queued)
    }

    /// Records `events` (from [`Pending::take`], in order) as inserted when
    /// `inserted(id)`, else as duplicates of a stored provider event.
    pub(super) fn inserted(
        &mut self,
        events: &[(usize, Uuid, &NewEvent)],
        inserted: impl Fn(&Uuid) -> bool,
    ) {
        self.done
            .extend(events.iter().map(|(job, id, _)| (*job, *id, inserted(id))));
    }

    /// What job `index`'s write did, once everything is inserted.
    pub(super) fn written(&self, index: usize) -> JobOutcome {
        let mut ids = Vec::new();
        let mut duplicates = 0;
        // Jobs' events are contiguous and in job order.
        let start = self.done.partition_point(|(job, _, _)| *job < index);
        for (_, id, inserted) in self.done[start..]
            .iter()
            .take_while(|(job, _, _)| *job == index)
        {
            if *inserted {
                ids.push(*id);
            } else {
                duplicates += 1;
            }
        }
        JobOutcome::Written(Written::Stored { ids, duplicates })
    }
}
