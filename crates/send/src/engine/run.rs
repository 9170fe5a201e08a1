//! One campaign's run: the step function and its loop.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use futures_util::stream::{self, StreamExt};
use herald_store::ledger::{self, BatchRow, LedgerWriter, Mark};
use herald_store::{campaign_runs, now_millis, Store, StoreError};
use uuid::Uuid;

use super::{Composer, Delivery, Messenger, RateLimiter, SendLock};

/// What can stop the engine, by what the caller can do about it.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// Another process holds the workspace's send lock.
    #[error(
        "another Herald is sending from this workspace; it must finish or be closed before \
         this one can send"
    )]
    Busy,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Internal(anyhow::Error),
}

/// The engine's settings, with their defaults normalised in one place.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Ledger rows read per step.
    pub batch_size: u32,
    /// Messages in flight at once (the SMTP connections).
    pub concurrency: usize,
    /// Messages per second; `None`: as fast as the channel takes them.
    pub rate: Option<f64>,
    /// Attempts per recipient before a transient failure becomes final.
    pub max_attempts: u32,
    /// The wait before the first retry; it doubles for each further one.
    pub retry_base: Duration,
    /// The longest wait between retries.
    pub retry_max: Duration,
    /// How often, at most, the [`Refresh`] hook runs before a batch.
    pub refresh_every: Duration,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            batch_size: 200,
            concurrency: 4,
            rate: None,
            max_attempts: 5,
            retry_base: Duration::from_secs(30),
            retry_max: Duration::from_secs(30 * 60),
            refresh_every: Duration::from_secs(30),
        }
    }
}

impl RunOptions {
    fn normalised(mut self) -> RunOptions {
        self.batch_size = self.batch_size.clamp(1, 5_000);
        self.concurrency = self.concurrency.clamp(1, 64);
        self.max_attempts = self.max_attempts.max(1);
        self
    }
}

/// Runs before a batch is read, at most every `refresh_every`: the app
/// pulls the relay's events here, so an unsubscribe that arrived
/// mid-campaign suppresses the contact before their turn.
#[async_trait]
pub trait Refresh: Send + Sync {
    async fn refresh(&self);
}

/// Stops a run from outside (pause, cancel, the app quitting): workers take
/// no further recipient; messages in flight finish and are recorded.
#[derive(Debug, Clone, Default)]
pub struct Control(Arc<AtomicBool>);

impl Control {
    pub fn stop(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn stopped(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// What one batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchReport {
    pub sent: u64,
    pub failed: u64,
    /// Transient failures put back in the queue for later.
    pub retried: u64,
    pub in_doubt: u64,
    /// Opted out since the audience was resolved.
    pub suppressed: u64,
    /// Not due yet (outside the recipient's sending hours): back in the
    /// queue until then.
    pub deferred: u64,
}

/// What a step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A batch went out.
    Sent(BatchReport),
    /// Nothing is due: the next retry is due at `until` (ms since the epoch).
    Waiting { until: i64 },
    /// The campaign is not `sending` (paused, cancelled... by a person).
    Stopped { status: String },
    /// Stopped by [`Control`] with the campaign still `sending` (the app is
    /// quitting): it goes on from the ledger next time.
    Interrupted,
    /// Nothing left to send: the campaign is now `sent`.
    Finished,
    /// The channel refused to send anything: the campaign is now `failed`.
    Failed { reason: String },
}

/// How a run ended.
pub type RunEnd = Outcome;

/// One campaign's run, under the workspace's send lock.
pub struct CampaignRun {
    store: Store,
    campaign: Uuid,
    composer: Arc<dyn Composer>,
    messenger: Arc<dyn Messenger>,
    writer: LedgerWriter,
    options: RunOptions,
    limiter: RateLimiter,
    control: Control,
    refresh: Option<Arc<dyn Refresh>>,
    last_refresh: Mutex<Option<tokio::time::Instant>>,
}

impl std::fmt::Debug for CampaignRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CampaignRun")
            .field("campaign", &self.campaign)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// A recipient's message, rendered (or why it could not be).
struct Composed {
    contact: Uuid,
    prior_attempts: i64,
    message: Result<super::Outgoing, String>,
    /// Not before this instant (ms since the epoch): the message was not
    /// rendered.
    defer: Option<i64>,
}

/// A recipient whose message has been handled: its outcome still to be
/// marked, or nothing more to do.
enum Handled {
    Done(One),
    Record { contact: Uuid, mark: Mark, one: One },
}

/// How one recipient went.
enum One {
    Sent,
    Failed,
    Retried,
    InDoubt,
    Deferred,
    /// Not attempted (stopped, or the row had moved on).
    Skipped,
}

impl CampaignRun {
    /// A run of `campaign` (which the caller has started: see
    /// `herald_store::campaign_runs::start`).
    pub fn new(
        lock: &SendLock,
        campaign: Uuid,
        composer: Arc<dyn Composer>,
        messenger: Arc<dyn Messenger>,
        options: RunOptions,
    ) -> CampaignRun {
        let options = options.normalised();
        CampaignRun {
            store: lock.store().clone(),
            campaign,
            composer,
            messenger,
            writer: LedgerWriter::start(lock.store()),
            limiter: RateLimiter::new(options.rate),
            options,
            control: Control::default(),
            refresh: None,
            last_refresh: Mutex::new(None),
        }
    }

    /// Runs `refresh` before batches (at most every `refresh_every`).
    pub fn with_refresh(mut self, refresh: Arc<dyn Refresh>) -> CampaignRun {
        self.refresh = Some(refresh);
        self
    }

    /// The handle that stops this run.
    pub fn control(&self) -> Control {
        self.control.clone()
    }

    pub fn campaign(&self) -> Uuid {
        self.campaign
    }

    async fn maybe_refresh(&self) {
        let Some(refresh) = &self.refresh else {
            return;
        };
        let due = {
            let mut last = self.last_refresh.lock().unwrap_or_else(|e| e.into_inner());
            let now = tokio::time::Instant::now();
            let due = last.is_none_or(|at| now.duration_since(at) >= self.options.refresh_every);
            if due {
                *last = Some(now);
            }
            due
        };
        if due {
            refresh.refresh().await;
        }
    }

    /// Sends one batch, or says why there is nothing to send.
    pub async fn step(&self) -> Result<Outcome, EngineError> {
        let state = campaign_runs::state(&self.store, self.campaign).await?;
        if state.status != "sending" {
            return Ok(Outcome::Stopped {
                status: state.status,
            });
        }
        if self.control.stopped() {
            return Ok(Outcome::Interrupted);
        }
        self.maybe_refresh().await;
        let now = now_millis();
        let batch =
            ledger::next_batch(&self.store, self.campaign, self.options.batch_size, now).await?;
        let mut report = BatchReport {
            suppressed: batch.suppressed,
            ..BatchReport::default()
        };
        if batch.rows.is_empty() {
            if batch.suppressed > 0 {
                return Ok(Outcome::Sent(report));
            }
            let pending = ledger::pending(&self.store, self.campaign).await?;
            if pending.queued == 0 && pending.sending == 0 {
                campaign_runs::finish(&self.store, self.campaign).await?;
                return Ok(Outcome::Finished);
            }
            return Ok(Outcome::Waiting {
                until: pending.next_attempt_at.unwrap_or(now + 1_000),
            });
        }

        let fatal: Mutex<Option<String>> = Mutex::new(None);
        // Three stages. Messages are rendered ahead (`concurrency` at once,
        // on the blocking pool so every core renders; rendering touches no
        // ledger row). `concurrency` messages go out at once, each marked
        // `sending` first, so a crash leaves at most that many in doubt. A
        // message's outcome is marked in the last stage, so its slot goes to
        // the next recipient while the mark waits for the ledger's group
        // commit (riding in the same commit as the next `sending` marks); a
        // crash before it is on disk leaves the row `sending`: in doubt, as
        // for any message whose outcome was not recorded.
        let fatal_ref = &fatal;
        let results: Vec<Result<One, EngineError>> = stream::iter(batch.rows)
            .map(|row| self.compose_one(row))
            .buffer_unordered(self.options.concurrency)
            .map(|composed| self.deliver_one(composed, fatal_ref))
            .buffer_unordered(self.options.concurrency)
            .map(|handled| async move {
                match handled? {
                    Handled::Done(one) => Ok(one),
                    Handled::Record { contact, mark, one } => {
                        self.mark(contact, mark).await?;
                        Ok(one)
                    }
                }
            })
            .buffer_unordered(self.options.batch_size as usize)
            .collect()
            .await;
        for result in results {
            match result? {
                One::Sent => report.sent += 1,
                One::Failed => report.failed += 1,
                One::Retried => report.retried += 1,
                One::InDoubt => report.in_doubt += 1,
                One::Deferred => report.deferred += 1,
                One::Skipped => {}
            }
        }
        let fatal = fatal.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Some(reason) = fatal {
            campaign_runs::fail(&self.store, self.campaign, &reason).await?;
            return Ok(Outcome::Failed { reason });
        }
        Ok(Outcome::Sent(report))
    }

    fn stopping(&self, fatal: &Mutex<Option<String>>) -> bool {
        self.control.stopped() || fatal.lock().unwrap_or_else(|e| e.into_inner()).is_some()
    }

    /// Renders `row`'s message. CPU work: on the blocking pool, so the
    /// messages of a batch render on every core, not all on the task
    /// running the step.
    async fn compose_one(&self, row: BatchRow) -> Composed {
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

    async fn deliver_one(
        &self,
        composed: Composed,
        fatal: &Mutex<Option<String>>,
    ) -> Result<Handled, EngineError> {
        if self.stopping(fatal) {
            return Ok(Handled::Done(One::Skipped));
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
            return Ok(Handled::Record {
                contact,
                mark,
                one: One::Deferred,
            });
        }
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
                    return Ok(Handled::Done(One::Failed));
                }
                return Ok(Handled::Done(One::Skipped));
            }
        };
        // The rate limit's turn comes before the claim: a row is `sending`
        // only while its message is really on its way, so a crash leaves in
        // doubt only the messages that may have gone, not ones still
        // waiting for their turn (at a long code's 1 a second, that wait is
        // seconds per worker). Claims commit in groups, so the request
        // waits for a second gate that spaces them out again.
        self.limiter.wait().await;
        if self.stopping(fatal) {
            return Ok(Handled::Done(One::Skipped));
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
            return Ok(Handled::Done(One::Skipped));
        }
        self.limiter.release().await;
        let parts = message.parts;
        // On its own task, so the connections' I/O (and the SMTP client's
        // work on the body) spreads over the runtime's threads.
        let messenger = Arc::clone(&self.messenger);
        let delivery = tokio::spawn(async move { messenger.deliver(&message).await })
            .await
            .unwrap_or_else(|e| Delivery::Unknown {
                reason: format!("the delivery stopped unexpectedly: {e}"),
            });
        let attempts = u32::try_from(prior_attempts + 1).unwrap_or(u32::MAX);
        let (mark, one) = match delivery {
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
        };
        Ok(Handled::Record { contact, mark, one })
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

    async fn mark(&self, contact: Uuid, mark: Mark) -> Result<bool, EngineError> {
        Ok(self.writer.mark(self.campaign, contact, mark).await?)
    }

    /// Steps until the campaign is sent, stopped or failed, or the run is
    /// interrupted; `on_step` sees every outcome (progress output).
    pub async fn run_with(
        &self,
        mut on_step: impl FnMut(&Outcome) + Send,
    ) -> Result<RunEnd, EngineError> {
        loop {
            let outcome = self.step().await?;
            on_step(&outcome);
            match outcome {
                // A batch in which nothing could be claimed (rows moved on
                // under us) must not turn the loop into a spin.
                Outcome::Sent(report) if report == BatchReport::default() => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Outcome::Sent(_) => {}
                Outcome::Waiting { until } => {
                    // Wake at least every second to notice a pause or stop.
                    let wait = (until - now_millis()).clamp(10, 1_000);
                    tokio::time::sleep(Duration::from_millis(wait as u64)).await;
                }
                end => return Ok(end),
            }
        }
    }

    /// [`CampaignRun::run_with`] without progress output.
    pub async fn run(&self) -> Result<RunEnd, EngineError> {
        self.run_with(|_| {}).await
    }
}
