//! The app's sender: runs campaigns in the background while the app is open,
//! starts scheduled ones when they are due, and picks up campaigns left
//! `sending` when the app last closed.
//!
//! The workspace's send lock is taken at the first send and kept for the
//! app's life (taking it turns messages interrupted by a crash into
//! `in_doubt`). While the CLI holds it, the app says so instead of sending.
//!
//! A campaign whose scheduled time passed more than an hour ago (the app was
//! closed) is not started here: the campaign page asks the person to
//! confirm (docs/campaigns.md, "Scheduling").
//!
//! A due campaign that cannot start (no SMTP settings, the relay refused its
//! web version, a locked keychain...) stays scheduled with the reason kept on
//! it (`herald_store::start_failures`): its page and the list show it, the
//! notification rules tell it once, and the scheduler tries again only after
//! [`RETRY_AFTER_MS`], not at every tick. "Start now" never waits.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use herald_send::campaign;
use herald_send::email::campaign as email;
use herald_send::engine::{CampaignRun, Control, EngineError, Outcome, Refresh, SendLock};
use herald_send::secrets::Secrets;
use herald_send::sms::campaign as sms_campaign;
use herald_send::sync_loop::SyncLoop;
use herald_store::start_failures::{self, RETRY_AFTER_MS};
use herald_store::{campaign_runs, now_millis, Store};
use uuid::Uuid;

use crate::error::{CommandError, CommandResult};

/// A scheduled campaign later than this is left for a person to confirm.
pub const OVERDUE_MS: i64 = 60 * 60 * 1000;
/// How often the scheduler looks for due campaigns.
const SCHEDULER_TICK: Duration = Duration::from_secs(15);
/// The window the progress rate is measured over.
const RATE_WINDOW: Duration = Duration::from_secs(10);

/// A campaign running now.
struct Running {
    control: Control,
    /// (when, sent count) samples for the rate.
    samples: VecDeque<(Instant, i64)>,
}

/// The app's sender; shared by the commands and its own scheduler task.
pub struct Sender {
    store: Store,
    secrets: Arc<dyn Secrets>,
    refresh: Option<Arc<dyn Refresh>>,
    lock: tokio::sync::Mutex<Option<Arc<SendLock>>>,
    running: Mutex<HashMap<Uuid, Running>>,
}

impl std::fmt::Debug for Sender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sender").finish_non_exhaustive()
    }
}

/// Pulls the relay's events before a batch (through the app's sync loop,
/// so two syncs never run at once).
pub struct SyncBeforeBatch(pub Arc<SyncLoop>);

#[async_trait]
impl Refresh for SyncBeforeBatch {
    async fn refresh(&self) {
        if let Err(e) = self.0.sync_now().await {
            // Not fatal: suppression still holds for what the workspace knows.
            tracing::info!("relay sync before a batch: {e}");
        }
    }
}

impl Sender {
    pub fn new(
        store: Store,
        secrets: Arc<dyn Secrets>,
        refresh: Option<Arc<dyn Refresh>>,
    ) -> Arc<Sender> {
        Arc::new(Sender {
            store,
            secrets,
            refresh,
            lock: tokio::sync::Mutex::new(None),
            running: Mutex::new(HashMap::new()),
        })
    }

    fn running(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Running>> {
        self.running.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The workspace's send lock, taken on first use.
    async fn lock(&self) -> CommandResult<Arc<SendLock>> {
        let mut slot = self.lock.lock().await;
        if let Some(lock) = slot.as_ref() {
            return Ok(Arc::clone(lock));
        }
        let lock = Arc::new(SendLock::acquire(&self.store).await.map_err(engine_error)?);
        *slot = Some(Arc::clone(&lock));
        Ok(lock)
    }

    /// Whether `campaign` is being sent by this app right now.
    pub fn is_running(&self, campaign: Uuid) -> bool {
        self.running().contains_key(&campaign)
    }

    /// Sends a campaign that is `sending` in the background, unless it
    /// already runs. Errors that stop it before the first message (the
    /// settings, the send lock) are returned; later ones end up on the
    /// campaign (`failed` with its reason).
    pub async fn launch(self: &Arc<Self>, campaign: Uuid) -> CommandResult<()> {
        if self.is_running(campaign) {
            return Ok(());
        }
        let lock = self.lock().await?;
        let setup = campaign::setup(&self.store, &self.secrets, campaign)
            .await
            .map_err(send_setup_error)?;
        let mut run = CampaignRun::new(
            &lock,
            campaign,
            setup.composer,
            setup.messenger,
            setup.options,
        );
        if let Some(refresh) = &self.refresh {
            run = run.with_refresh(Arc::clone(refresh));
        }
        {
            let mut running = self.running();
            if running.contains_key(&campaign) {
                return Ok(());
            }
            running.insert(
                campaign,
                Running {
                    control: run.control(),
                    samples: VecDeque::new(),
                },
            );
        }
        let me = Arc::clone(self);
        tauri::async_runtime::spawn(async move {
            let end = run.run().await;
            me.running().remove(&campaign);
            match end {
                Ok(Outcome::Failed { reason }) => {
                    tracing::warn!(%campaign, "campaign failed: {reason}");
                }
                Ok(end) => tracing::info!(%campaign, ?end, "campaign run ended"),
                Err(e) => {
                    tracing::error!(%campaign, "campaign run stopped: {e:#}");
                    let _ = campaign_runs::fail(&me.store, campaign, &e.to_string()).await;
                }
            }
            drop(lock);
        });
        Ok(())
    }

    /// Stops taking recipients of `campaign` (after a pause or cancel).
    pub fn stop(&self, campaign: Uuid) {
        if let Some(r) = self.running().get(&campaign) {
            r.control.stop();
        }
    }

    /// Messages per second over the last seconds, given the sent count now.
    pub fn rate(&self, campaign: Uuid, sent: i64) -> f64 {
        let mut running = self.running();
        let Some(r) = running.get_mut(&campaign) else {
            return 0.0;
        };
        let now = Instant::now();
        r.samples.push_back((now, sent));
        while r
            .samples
            .front()
            .is_some_and(|(at, _)| now.duration_since(*at) > RATE_WINDOW)
        {
            r.samples.pop_front();
        }
        match r.samples.front() {
            Some((at, first)) if now.duration_since(*at) >= Duration::from_millis(500) => {
                (sent - first) as f64 / now.duration_since(*at).as_secs_f64()
            }
            _ => 0.0,
        }
    }

    /// Starts the scheduler: campaigns left `sending` go on at once, due
    /// scheduled ones start, every [`SCHEDULER_TICK`].
    pub fn start_scheduler(self: &Arc<Self>) {
        let me = Arc::clone(self);
        tauri::async_runtime::spawn(async move {
            match campaign_runs::sending(&me.store).await {
                Ok(ids) => {
                    for id in ids {
                        if let Err(e) = me.launch(id).await {
                            tracing::warn!(%id, "could not continue a campaign: {}", e.message);
                        }
                    }
                }
                Err(e) => tracing::warn!("listing campaigns being sent: {e:#}"),
            }
            loop {
                me.start_due(now_millis()).await;
                tokio::time::sleep(SCHEDULER_TICK).await;
            }
        });
    }

    /// One scheduler step at `now`: starts the due campaigns (those less
    /// than an hour late, and not failed within [`RETRY_AFTER_MS`]). Each
    /// one that cannot start keeps why on the campaign, and is returned.
    pub(crate) async fn start_due(self: &Arc<Self>, now: i64) -> Vec<(Uuid, CommandError)> {
        let due = match campaign_runs::due(&self.store, now, RETRY_AFTER_MS).await {
            Ok(due) => due,
            Err(e) => {
                tracing::warn!("listing due campaigns: {e:#}");
                return Vec::new();
            }
        };
        let mut failed = Vec::new();
        for (id, at) in due {
            if now - at > OVERDUE_MS {
                continue;
            }
            if let Err(e) = self.start_now(id, None).await {
                tracing::warn!(%id, "a scheduled campaign did not start: {}", e.message);
                // The kind as the UI would get it for a manual start.
                let kind = serde_json::to_value(e.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_else(|| "internal".to_owned());
                if let Err(store) =
                    start_failures::record(&self.store, id, &kind, &e.message, now).await
                {
                    tracing::warn!(%id, "recording why a campaign did not start: {store:#}");
                }
                failed.push((id, e));
            }
        }
        failed
    }

    /// Starts a draft or scheduled campaign now: checks it can be sent,
    /// resolves its audience (refused when it no longer matches
    /// `expected`), and sends it in the background.
    pub async fn start_now(
        self: &Arc<Self>,
        campaign: Uuid,
        expected: Option<i64>,
    ) -> CommandResult<()> {
        // Everything that would stop the first message is checked before the
        // audience is resolved: settings, content, the send lock.
        campaign::check(&self.store, &self.secrets, campaign)
            .await
            .map_err(send_setup_error)?;
        self.lock().await?;
        campaign_runs::start(&self.store, campaign, expected).await?;
        if let Err(e) = self.launch(campaign).await {
            let _ = campaign_runs::fail(&self.store, campaign, &e.message).await;
            return Err(e);
        }
        Ok(())
    }
}

/// The engine's errors as the UI shows them.
pub fn engine_error(e: EngineError) -> CommandError {
    match e {
        EngineError::Busy => CommandError::conflict(e.to_string()),
        EngineError::Store(e) => e.into(),
        EngineError::Internal(e) => CommandError::internal(&e),
    }
}

/// Why a campaign of either channel cannot be sent, as the UI shows it.
pub fn send_setup_error(e: campaign::SetupError) -> CommandError {
    match e {
        campaign::SetupError::Email(e) => setup_error(e),
        campaign::SetupError::Sms(e) => sms_setup_error(e),
        campaign::SetupError::Store(e) => e.into(),
    }
}

/// Why an SMS campaign cannot be sent, as the UI shows it.
pub fn sms_setup_error(e: sms_campaign::SetupError) -> CommandError {
    match e {
        sms_campaign::SetupError::NotReady { field, message } => {
            CommandError::validation(field, message)
        }
        sms_campaign::SetupError::Compose(e) => CommandError::validation("textBody", e.to_string()),
        sms_campaign::SetupError::Settings(e) => CommandError::validation("sms", e.to_string()),
        sms_campaign::SetupError::Store(e) => e.into(),
    }
}

/// Why a campaign cannot be sent, as the UI shows it.
pub fn setup_error(e: email::SetupError) -> CommandError {
    match e {
        email::SetupError::NotReady { field, message } => CommandError::validation(field, message),
        email::SetupError::Compose(e) => CommandError::validation("html", e.to_string()),
        email::SetupError::Keychain(e) => e.into(),
        email::SetupError::Store(e) => e.into(),
        email::SetupError::Settings(e) => CommandError::validation("smtp", e.to_string()),
        e @ email::SetupError::Publish(_) => {
            CommandError::of_kind(crate::error::ErrorKind::Relay, e.to_string())
        }
    }
}
