//! A batch's events on their way into either backend: queued as the jobs
//! are read, inserted together (a few multi-row statements per batch, not
//! one per event), and then told apart again per job.

use uuid::Uuid;

use super::types::Written;
use super::writer::JobOutcome;
use crate::event::NewEvent;

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

    /// How many events wait to be inserted.
    pub(super) fn queued_len(&self) -> usize {
        self.queued.len()
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
