//! One recipient's way through a run: rendered ahead, claimed in the
//! ledger, sent on a free connection, and its outcome recorded.
//!
//! The order is what makes "never twice" hold with claims made ahead of the
//! connections: the rate limiter's turn, then the durable `sending` claim,
//! then a connection, then the bytes. A row claimed but not yet on the wire
//! when the run stops goes back to the queue ([`Mark::GiveBack`]), so only
//! a crash leaves claimed rows in doubt.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use herald_store::ledger::{BatchRow, Mark};
use herald_store::now_millis;
use tokio::sync::Semaphore;
use uuid::Uuid;

use super::run::CampaignRun;
use super::{Delivery, EngineError, Outgoing};

/// A recipient's message, rendered (or why it could not be).
pub(super) struct Composed {
    contact: Uuid,
    prior_attempts: i64,
    message: Result<Outgoing, String>,
    /// Not before this instant (ms since the epoch): the message was not
    /// rendered.
    defer: Option<i64>,
}

/// How one recipient went.
pub(super) enum One {
    Sent,
    Failed,
    Retried,
    InDoubt,
    Deferred,
    /// Not attempted (stopped, or the row had moved on): still queued.
    Skipped,
}

impl CampaignRun {
    /// Renders `row`'s message. CPU work: on the blocking pool, so the
    /// messages of a batch render on every core, not all on the task
    /// running the step.
    pub(super) async fn compose_one(&self, row: BatchRow) -> Composed {
        let contact = row.contact_id;
        let prior_attempts = row.attempts;
        if let Some(until) = self.composer.defer_until(&row, now_millis()) {
            return Composed {
                contact,
                prior_attempts,
                message: Err(String::new()),
                defer: Some(until),
            };
        }
        let composer = Arc::clone(&self.composer);
        let message = tokio::task::spawn_blocking(move || composer.compose(&row))
            .await
            .unwrap_or_else(|e| Err(format!("rendering the message failed: {e}")));
        Composed {
            contact,
            prior_attempts,
            message,
            defer: None,
        }
    }

    /// Claims, sends and records one recipient. Each holds one of `slots`
    /// ([`CampaignRun::window`] of them) from before its claim until its
    /// outcome is queued behind any later claim: that bounds the rows
    /// `sending` at any instant. `wire` bounds the messages actually going
    /// out.
    pub(super) async fn send_one(
        &self,
        composed: Composed,
        slots: &Semaphore,
        wire: &Semaphore,
        fatal: &Mutex<Option<String>>,
    ) -> Result<One, EngineError> {
        if self.stopping(fatal) {
            return Ok(One::Skipped);
        }
        let Composed {
            contact,
            prior_attempts,
            message,
            defer,
        } = composed;
        if let Some(until) = defer {
            let mark = Mark::Defer {
                until,
                reason: "waiting for the recipient's sending hours".to_owned(),
            };
            self.mark(contact, mark).await?;
            return Ok(One::Deferred);
        }
        let slot = slots.acquire().await.map_err(|e| {
            EngineError::Internal(anyhow::anyhow!("the claim slots were closed: {e}"))
        })?;
        let message = match message {
            Ok(message) => message,
            Err(reason) => {
                // Through `sending`, as every row that leaves the queue.
                let claimed = self
                    .mark(
                        contact,
                        Mark::Sending {
                            message_id: String::new(),
                        },
                    )
                    .await?;
                if claimed {
                    self.mark(contact, Mark::Failed { error: reason }).await?;
                    return Ok(One::Failed);
                }
                return Ok(One::Skipped);
            }
        };
        // The rate limit's turn comes before the claim: claims keep to the
        // rate, so a crash leaves in doubt only messages about to go, not a
        // queue of ones waiting for their turn (at a long code's 1 a second,
        // that wait is seconds per worker).
        self.limiter.wait().await;
        if self.stopping(fatal) {
            return Ok(One::Skipped);
        }
        // The durable promise: from here until the outcome is recorded, the
        // row says `sending`, so a crash leaves it in doubt, never queued.
        let claimed = self
            .mark(
                contact,
                Mark::Sending {
                    message_id: message.message_id.clone(),
                },
            )
            .await?;
        if !claimed {
            return Ok(One::Skipped);
        }
        // Claimed ahead: wait for a connection. Claims commit in groups, so
        // the second gate spaces the requests out again.
        let on_wire = wire.acquire().await.map_err(|e| {
            EngineError::Internal(anyhow::anyhow!("the send slots were closed: {e}"))
        })?;
        // Checked before the second gate too: a provider's Retry-After can
        // hold it for minutes, and a pause must not wait for that.
        if !self.stopping(fatal) {
            self.limiter.release().await;
        }
        if self.stopping(fatal) {
            // Nothing of it went out: back to the queue, not left in doubt.
            drop(on_wire);
            self.mark(contact, Mark::GiveBack).await?;
            return Ok(One::Skipped);
        }
        let parts = message.parts;
        // On its own task, so the connections' I/O (and the SMTP client's
        // work on the body) spreads over the runtime's threads.
        let messenger = Arc::clone(&self.messenger);
        let delivery = tokio::spawn(async move { messenger.deliver(&message).await })
            .await
            .unwrap_or_else(|e| Delivery::Unknown {
                reason: format!("the delivery stopped unexpectedly: {e}"),
            });
        // The connection goes to the next claimed message, and the slot to
        // the next claim once this outcome is queued ahead of it.
        drop(on_wire);
        let attempts = u32::try_from(prior_attempts + 1).unwrap_or(u32::MAX);
        let (mark, one) = self.outcome(delivery, parts, attempts, fatal);
        let queued = self.enqueue(contact, mark).await;
        drop(slot);
        queued?.committed().await?;
        Ok(one)
    }

    /// The ledger mark for how a delivery ended.
    fn outcome(
        &self,
        delivery: Delivery,
        parts: Option<u32>,
        attempts: u32,
        fatal: &Mutex<Option<String>>,
    ) -> (Mark, One) {
        match delivery {
            Delivery::Accepted {
                provider_message_id,
            } => {
                self.limiter.accepted();
                let mark = match parts {
                    Some(parts) => Mark::SentParts {
                        provider_message_id,
                        parts,
                    },
                    None => Mark::Sent {
                        provider_message_id,
                    },
                };
                (mark, One::Sent)
            }
            Delivery::Permanent { reason } => (Mark::Failed { error: reason }, One::Failed),
            Delivery::Unknown { reason } => (Mark::InDoubt { detail: reason }, One::InDoubt),
            Delivery::Throttled {
                reason,
                retry_after,
            } => {
                self.limiter.throttled(retry_after);
                self.retry_or_fail(attempts, reason, retry_after)
            }
            Delivery::Transient {
                reason,
                retry_after,
            } => self.retry_or_fail(attempts, reason, retry_after),
            Delivery::Fatal { reason } => {
                let mut slot = fatal.lock().unwrap_or_else(|e| e.into_inner());
                slot.get_or_insert_with(|| reason.clone());
                drop(slot);
                // Nothing of it was sent: back in the queue for a resume.
                (
                    Mark::Retry {
                        error: reason,
                        next_attempt_at: 0,
                    },
                    One::Skipped,
                )
            }
        }
    }

    /// A transient failure: back in the queue after `retry_after` (or the
    /// backoff), or failed for good once the attempts are used up.
    fn retry_or_fail(
        &self,
        attempts: u32,
        reason: String,
        retry_after: Option<Duration>,
    ) -> (Mark, One) {
        if attempts >= self.options.max_attempts {
            return (
                Mark::Failed {
                    error: format!("gave up after {attempts} attempts: {reason}"),
                },
                One::Failed,
            );
        }
        let wait = retry_after.unwrap_or_else(|| self.backoff(attempts));
        (
            Mark::Retry {
                error: reason,
                next_attempt_at: now_millis()
                    + i64::try_from(wait.as_millis()).unwrap_or(i64::MAX / 2),
            },
            One::Retried,
        )
    }

    fn backoff(&self, attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempts.saturating_sub(1).min(16));
        self.options
            .retry_base
            .saturating_mul(factor)
            .min(self.options.retry_max)
    }
}
