//! The app's background sync: [`crate::sync::sync_once`] at start, then
//! every interval, and whenever asked ([`SyncLoop::trigger`] from a button,
//! [`SyncLoop::sync_now`] before a send batch), until stopped.
//!
//! Each run reads the relay URL and API token afresh, so a new URL or
//! rotated keys take effect on the next run. A relay that is not set up yet
//! is not an error here: the loop waits. Syncs never overlap: one task runs
//! them one after the other. After each successful sync the same task
//! answers the SMS HELP / INFO replies it brought ([`crate::sms::help`]).
//!
//! ```no_run
//! # async fn demo(store: herald_store::Store) -> Result<(), herald_send::sync::SyncError> {
//! use std::sync::Arc;
//! use herald_send::secrets::Keychain;
//! use herald_send::sync_loop::{LoopOptions, SyncLoop};
//!
//! let secrets = Arc::new(Keychain::for_workspace(&store).await?);
//! let sync = SyncLoop::start(store, secrets, LoopOptions::default());
//! sync.trigger();                       // "Sync now", without waiting
//! let outcome = sync.sync_now().await?; // before a send batch
//! sync.stop().await;
//! # Ok(()) }
//! ```

use std::sync::Arc;
use std::time::Duration;

use herald_store::Store;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

use crate::secrets::Secrets;
use crate::sms::help::{self, HelpReport};
use crate::sync::{self, SyncError, SyncOutcome};

/// How often the loop syncs on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoopOptions {
    pub interval: Duration,
}

impl Default for LoopOptions {
    fn default() -> Self {
        LoopOptions {
            interval: Duration::from_secs(60),
        }
    }
}

type Reply = oneshot::Sender<Result<SyncOutcome, SyncError>>;

enum Request {
    /// Sync now; answer on the channel when there is one.
    Sync(Option<Reply>),
    Stop,
}

/// A running sync loop. Dropping it without [`SyncLoop::stop`] also ends
/// the loop (after any sync in progress).
#[derive(Debug)]
pub struct SyncLoop {
    requests: mpsc::Sender<Request>,
    task: JoinHandle<()>,
}

impl SyncLoop {
    /// Starts the loop on the current Tokio runtime; the first sync runs at once.
    pub fn start(store: Store, secrets: Arc<dyn Secrets>, options: LoopOptions) -> SyncLoop {
        // Room for a stop and a few waiting callers; `trigger` drops its
        // request when the queue is full, as a sync is coming anyway.
        let (requests, inbox) = mpsc::channel(16);
        let task = tokio::spawn(run(store, secrets, options, inbox));
        SyncLoop { requests, task }
    }

    /// Asks for a sync soon, without waiting for it.
    pub fn trigger(&self) {
        let _ = self.requests.try_send(Request::Sync(None));
    }

    /// Syncs now (after any sync in progress) and returns what it did.
    pub async fn sync_now(&self) -> Result<SyncOutcome, SyncError> {
        let (reply, answer) = oneshot::channel();
        self.requests
            .send(Request::Sync(Some(reply)))
            .await
            .map_err(|_| SyncError::Stopped)?;
        answer.await.map_err(|_| SyncError::Stopped)?
    }

    /// Stops the loop, letting a sync in progress finish.
    pub async fn stop(self) {
        let _ = self.requests.send(Request::Stop).await;
        if let Err(err) = self.task.await {
            tracing::warn!(error = %err, "the relay sync loop ended abnormally");
        }
    }
}

async fn run(
    store: Store,
    secrets: Arc<dyn Secrets>,
    options: LoopOptions,
    mut inbox: mpsc::Receiver<Request>,
) {
    let mut ticks = tokio::time::interval(options.interval);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        let reply = tokio::select! {
            _ = ticks.tick() => None,
            request = inbox.recv() => match request {
                Some(Request::Sync(reply)) => reply,
                Some(Request::Stop) | None => return,
            },
        };
        let result = run_once(&store, &secrets).await;
        match &result {
            Ok(outcome) if outcome.report.recorded > 0 => tracing::info!(
                recorded = outcome.report.recorded,
                status_changes = outcome.report.status_changes(),
                "relay sync applied new events"
            ),
            Ok(_) | Err(SyncError::NotConfigured(_)) => {}
            Err(err) => tracing::warn!(error = %err, "relay sync failed"),
        }
        let synced = result.is_ok();
        if let Some(reply) = reply {
            let _ = reply.send(result);
        }
        if synced {
            // After the reply: a caller waiting before a send batch needs
            // the events applied, not the HELP answers sent.
            answer_help(&store, &secrets).await;
        }
    }
}

/// Answers the HELP / INFO replies the sync brought. A failure leaves them
/// for the next sync and never fails this one.
async fn answer_help(store: &Store, secrets: &Arc<dyn Secrets>) {
    match help::answer_pending(store, secrets).await {
        Ok(report) if report != HelpReport::default() => tracing::info!(
            answered = report.answered,
            failed = report.failed,
            in_doubt = report.in_doubt,
            skipped = report.skipped,
            "answered SMS HELP replies"
        ),
        Ok(_) => {}
        Err(err) => tracing::warn!(error = %err, "answering SMS HELP replies failed"),
    }
}

async fn run_once(store: &Store, secrets: &Arc<dyn Secrets>) -> Result<SyncOutcome, SyncError> {
    match sync::connect(store, Arc::clone(secrets)).await {
        Ok(client) => sync::sync_once(store, &client).await,
        Err(err) => {
            // A keychain or settings failure shows on the settings page like
            // any other; "not set up yet" records nothing.
            let result = Err(err);
            sync::record(store, &result).await;
            result
        }
    }
}
