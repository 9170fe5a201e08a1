//! The engine's claim-ahead window on the real aiosmtpd: rows are claimed
//! ahead of the connections up to `concurrency × claim_depth` and never
//! past it, and a clean stop gives the claimed but unsent rows back.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use herald_send::email::campaign;
use herald_send::engine::{
    CampaignRun, Control, Delivery, Messenger, Outcome, Outgoing, RunOptions, SendLock,
};
use herald_store::{campaign_runs, Store};
use uuid::Uuid;

use crate::engine::{fast, ledger, memory, recipients_of, set_up, Setup};
use crate::smtpd::{Options, Smtpd};

/// The real SMTP messenger, watched: at each delivery it reads how many
/// rows the ledger holds `sending`, and holds the first deliveries until
/// the claims ahead have filled `fill` rows (or a generous guard passed,
/// so a broken engine fails the assertions instead of hanging).
struct Watched {
    inner: Arc<dyn Messenger>,
    store: Store,
    fill: usize,
    most_sending: AtomicUsize,
    deliveries: AtomicUsize,
    /// Stopped once the window is full, when set.
    stop: OnceLock<Control>,
}

/// Rows `sending` as a crash right now would leave them: claimed in the
/// rows or in the ledger's journal, and not accepted in the journal since.
async fn sending(store: &Store) -> usize {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM campaign_recipients r
         WHERE (r.status = 'sending' OR EXISTS (SELECT 1 FROM ledger_journal j
                    WHERE j.campaign_id = r.campaign_id AND j.contact_id = r.contact_id
                      AND j.status = 'sending'))
           AND NOT EXISTS (SELECT 1 FROM ledger_journal j
                    WHERE j.campaign_id = r.campaign_id AND j.contact_id = r.contact_id
                      AND j.status = 'sent')",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    usize::try_from(n).unwrap()
}

#[async_trait]
impl Messenger for Watched {
    async fn deliver(&self, message: &Outgoing) -> Delivery {
        if self.deliveries.fetch_add(1, Ordering::SeqCst) == 0 {
            // A guard against a hang, not a timing assertion.
            let guard = Instant::now() + Duration::from_secs(30);
            while sending(&self.store).await < self.fill && Instant::now() < guard {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            if let Some(control) = self.stop.get() {
                control.stop();
            }
        }
        let now = sending(&self.store).await;
        self.most_sending.fetch_max(now, Ordering::SeqCst);
        self.inner.deliver(message).await
    }
}

async fn watched_run(
    s: &Setup,
    lock: &SendLock,
    concurrency: usize,
    claim_depth: usize,
) -> (CampaignRun, Arc<Watched>) {
    let setup = campaign::setup(&s.ws.store, &s.secrets, s.campaign)
        .await
        .expect("the campaign is ready to send");
    let watched = Arc::new(Watched {
        inner: setup.messenger,
        store: s.ws.store.clone(),
        fill: concurrency * claim_depth,
        most_sending: AtomicUsize::new(0),
        deliveries: AtomicUsize::new(0),
        stop: OnceLock::new(),
    });
    let options = RunOptions {
        concurrency,
        claim_depth,
        batch_size: 100,
        ..fast(setup.options)
    };
    let messenger: Arc<dyn Messenger> = Arc::clone(&watched) as Arc<dyn Messenger>;
    let run = CampaignRun::new(lock, s.campaign, setup.composer, messenger, options);
    (run, watched)
}

fn addresses(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("p{i:02}@x.org")).collect()
}

/// aiosmtpd, a campaign to `n` addresses started, and the send lock; `None`
/// when aiosmtpd is not installed.
async fn started(n: usize) -> Option<(Smtpd, Setup, SendLock, Vec<String>)> {
    let server = Smtpd::start(Options::default()).await?;
    let emails = addresses(n);
    let refs: Vec<&str> = emails.iter().map(String::as_str).collect();
    let s = set_up(&server, &refs, memory()).await;
    let lock = SendLock::acquire(&s.ws.store).await.unwrap();
    campaign_runs::start(&s.ws.store, s.campaign, None)
        .await
        .unwrap();
    Some((server, s, lock, emails))
}

async fn attempts_of_queued(store: &Store, campaign: Uuid) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT attempts FROM campaign_recipients WHERE campaign_id = ? AND status = 'queued'",
    )
    .bind(campaign)
    .fetch_all(store.pool())
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_are_claimed_ahead_of_the_connections_up_to_the_window_and_never_past_it() {
    let Some((server, s, lock, emails)) = started(12).await else {
        return;
    };
    let (run, watched) = watched_run(&s, &lock, 2, 3).await;
    assert_eq!(run.window(), 6);

    assert_eq!(run.run().await.unwrap(), Outcome::Finished);

    assert_eq!(
        watched.most_sending.load(Ordering::SeqCst),
        6,
        "while 2 messages were on the wire, 4 more were claimed, and never more"
    );
    assert_eq!(recipients_of(&server), emails);
    assert!(ledger(&s.ws.store, s.campaign)
        .await
        .iter()
        .all(|(_, status)| status == "sent"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_gives_back_the_rows_claimed_ahead_so_only_a_crash_leaves_them_in_doubt() {
    let Some((server, s, lock, emails)) = started(6).await else {
        return;
    };
    let (run, watched) = watched_run(&s, &lock, 1, 3).await;
    watched.stop.set(run.control()).unwrap();

    // The first message goes out with two more claimed behind it; then
    // the run is stopped (a pause, the app quitting).
    let Outcome::Sent(report) = run.step().await.unwrap() else {
        panic!("expected a batch");
    };
    assert_eq!(report.sent, 1);
    assert_eq!(watched.most_sending.load(Ordering::SeqCst), 3);
    assert_eq!(recipients_of(&server).len(), 1);
    assert_eq!(sending(&s.ws.store).await, 0, "nothing is left `sending`");
    assert_eq!(
        attempts_of_queued(&s.ws.store, s.campaign).await,
        [0, 0, 0, 0, 0],
        "the rows given back count no attempt"
    );
    assert_eq!(run.step().await.unwrap(), Outcome::Interrupted);

    // A later run sends everyone else, each once.
    let (again, _) = watched_run(&s, &lock, 1, 3).await;
    assert_eq!(again.run().await.unwrap(), Outcome::Finished);
    assert_eq!(recipients_of(&server), emails);
}

/// The real composer, counting how many messages render at once.
struct CountingComposer {
    inner: Arc<dyn herald_send::engine::Composer>,
    now: AtomicUsize,
    most: AtomicUsize,
}

impl herald_send::engine::Composer for CountingComposer {
    fn compose(&self, row: &herald_store::ledger::BatchRow) -> Result<Outgoing, String> {
        let at_once = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(at_once, Ordering::SeqCst);
        // Long enough for renders that may overlap to overlap.
        std::thread::sleep(Duration::from_millis(3));
        let message = self.inner.compose(row);
        self.now.fetch_sub(1, Ordering::SeqCst);
        message
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_render_one_per_core_at_most_however_many_connections_send() {
    let Some((server, s, lock, emails)) = started(24).await else {
        return;
    };
    let setup = campaign::setup(&s.ws.store, &s.secrets, s.campaign)
        .await
        .expect("the campaign is ready to send");
    let counting = Arc::new(CountingComposer {
        inner: setup.composer,
        now: AtomicUsize::new(0),
        most: AtomicUsize::new(0),
    });
    let connections = 8;
    let options = RunOptions {
        concurrency: connections,
        batch_size: 100,
        ..fast(setup.options)
    };
    let composer = Arc::clone(&counting) as Arc<dyn herald_send::engine::Composer>;
    let run = CampaignRun::new(&lock, s.campaign, composer, setup.messenger, options);

    assert_eq!(run.run().await.unwrap(), Outcome::Finished);

    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let most = counting.most.load(Ordering::SeqCst);
    assert!(
        (1..=cores.min(connections)).contains(&most),
        "{most} messages rendered at once on {cores} cores"
    );
    assert_eq!(recipients_of(&server), emails);
}
