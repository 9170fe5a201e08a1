//! One campaign's run: the step function and its loop.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use futures_util::stream::{self, StreamExt};
use herald_store::ledger::{self, LedgerWriter, Mark};
use herald_store::{campaign_runs, now_millis, Store, StoreError};
use uuid::Uuid;

use tokio::sync::Semaphore;

use super::recipient::One;
use super::{Composer, Messenger, RateLimiter, SendLock};

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
    /// Rows claimed per message in flight: up to `concurrency ×
    /// claim_depth` rows are `sending` at once, so the next messages'
    /// claims commit while the current ones are on the wire. It is also
    /// the most rows a crash can leave in doubt (see docs/email.md).
    pub claim_depth: usize,
}

/// The default [`RunOptions::claim_depth`]: one claim per connection, so a
/// crash leaves at most one recipient in doubt per connection, as issue 6
/// promises. Deeper claims measured faster (docs/benchmarks.md, `herald
/// bench send`) but would widen that bound: a product decision not taken
/// (docs/email.md).
pub const CLAIM_DEPTH: usize = 1;

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
            claim_depth: CLAIM_DEPTH,
        }
    }
}

impl RunOptions {
    fn normalised(mut self) -> RunOptions {
        self.batch_size = self.batch_size.clamp(1, 5_000);
        self.concurrency = self.concurrency.clamp(1, 64);
        self.max_attempts = self.max_attempts.max(1);
        self.claim_depth = self.claim_depth.clamp(1, 16);
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
/// no further recipient; messages on the wire finish and are recorded, and
/// rows claimed ahead of the connections go back to the queue unsent.
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
    pub(super) composer: Arc<dyn Composer>,
    pub(super) messenger: Arc<dyn Messenger>,
    writer: LedgerWriter,
    pub(super) options: RunOptions,
    pub(super) limiter: RateLimiter,
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
        // Messages are rendered ahead (one per core at once, on the
        // blocking pool; rendering touches no ledger row). Then each
        // recipient is claimed, sent and recorded by its own task. A task
        // holds one of `window()` slots (`slots`) from before its claim
        // until its outcome is queued for the ledger: at most
        // `window()` rows are `sending` at any instant, so a crash leaves at
        // most that many in doubt. The outcome's commit is awaited after
        // the slot is handed on: the next claim is queued behind the
        // outcome and cannot commit before it (`LedgerWriter::enqueue`), so
        // a connection waits for one commit per message, not two. Only
        // `concurrency` of the claimed are on the wire (`wire`).
        let wire = Semaphore::new(self.options.concurrency);
        let slots = Semaphore::new(self.window());
        let (fatal_ref, wire_ref, slots_ref) = (&fatal, &wire, &slots);
        let results: Vec<Result<One, EngineError>> = stream::iter(batch.rows)
            .map(|row| self.compose_one(row))
            .buffer_unordered(self.renders())
            .map(|composed| self.send_one(composed, slots_ref, wire_ref, fatal_ref))
            // Slots bound the claims; the tasks past their slot only wait
            // for a commit.
            .buffer_unordered(2 * self.window())
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

    /// Messages rendered at once: one per core, at most one per connection.
    /// More render threads than cores only queue for the CPU in front of
    /// the latency-bound work, the ledger's commits and the connections'
    /// I/O, every message waits for (16 render threads against 2 measured
    /// 17-23% slower: docs/benchmarks.md, "The ledger's group commit").
    fn renders(&self) -> usize {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        cores.min(self.options.concurrency).max(1)
    }

    /// The most rows claimed at once: `concurrency × claim_depth`.
    pub fn window(&self) -> usize {
        self.options.concurrency * self.options.claim_depth
    }

    pub(super) fn stopping(&self, fatal: &Mutex<Option<String>>) -> bool {
        self.control.stopped() || fatal.lock().unwrap_or_else(|e| e.into_inner()).is_some()
    }

    pub(super) async fn mark(&self, contact: Uuid, mark: Mark) -> Result<bool, EngineError> {
        Ok(self.writer.mark(self.campaign, contact, mark).await?)
    }

    /// Queues `mark` without waiting for its commit.
    pub(super) async fn enqueue(
        &self,
        contact: Uuid,
        mark: Mark,
    ) -> Result<ledger::Queued, EngineError> {
        Ok(self.writer.enqueue(self.campaign, contact, mark).await?)
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
                end => {
                    // Whoever reads the ledger next finds every mark of
                    // this run in the rows. The marks are on disk either
                    // way: a fold that fails now is done by the next reader
                    // that acts on them, so it does not change how the run
                    // ended.
                    if let Err(e) = self.writer.settle().await {
                        tracing::warn!("the send ledger's journal is not folded yet: {e:#}");
                    }
                    return Ok(end);
                }
            }
        }
    }

    /// [`CampaignRun::run_with`] without progress output.
    pub async fn run(&self) -> Result<RunEnd, EngineError> {
        self.run_with(|_| {}).await
    }
}
