//! `herald campaigns`: campaigns headless — list, show, send (or continue),
//! run what is due (for cron on a machine that stays on), pause, cancel,
//! and the deliberate resends.

mod due;

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{anyhow, bail, Context};
use herald_send::engine::{CampaignRun, Outcome, SendLock};
use herald_send::secrets::{Keychain, Secrets};
use herald_store::campaigns::{self, CampaignId, CampaignQuery, CampaignStatus, CampaignSummary};
use herald_store::{campaign_runs, ledger, now_millis, start_failures, Store};
use serde::Serialize;
use uuid::Uuid;

use crate::cli::{CampaignRef, CampaignsCommand, CampaignsListArgs, CampaignsSendArgs};

/// Pulls the relay's events before a batch.
struct SyncBeforeBatch {
    store: Store,
    client: herald_send::relay::RelayClient,
}

#[async_trait::async_trait]
impl herald_send::engine::Refresh for SyncBeforeBatch {
    async fn refresh(&self) {
        if let Err(e) = herald_send::sync::sync_once(&self.store, &self.client).await {
            // Not fatal: suppression still holds for what the workspace knows.
            eprintln!("note: the relay sync before this batch failed: {e}");
        }
    }
}

/// A scheduled campaign whose time passed longer ago than this while no
/// Herald was running is not started by `run-due`: someone confirms first.
const OVERDUE_MS: i64 = 60 * 60 * 1000;

pub async fn run(store: &Store, command: CampaignsCommand) -> anyhow::Result<ExitCode> {
    match command {
        CampaignsCommand::List(args) => list(store, args).await,
        CampaignsCommand::Show(args) => show(store, args).await,
        CampaignsCommand::Send(args) => send(store, args).await,
        CampaignsCommand::RunDue => run_due(store).await,
        CampaignsCommand::Pause(c) => {
            let id = find(store, &c).await?;
            campaign_runs::pause(store, id).await?;
            println!(
                "Paused. `herald campaigns send {}` continues it.",
                c.campaign
            );
            Ok(ExitCode::SUCCESS)
        }
        CampaignsCommand::Cancel(c) => {
            let id = find(store, &c).await?;
            campaign_runs::cancel(store, id).await?;
            println!("Cancelled: nobody else will receive it.");
            Ok(ExitCode::SUCCESS)
        }
        CampaignsCommand::RetryFailed(c) => {
            let id = find(store, &c).await?;
            let n = ledger::retry_failed(store, id).await?;
            println!("{n} failed recipients are queued again; `herald campaigns send` sends them.");
            Ok(ExitCode::SUCCESS)
        }
        CampaignsCommand::ResendInDoubt(c) => {
            let id = find(store, &c).await?;
            let (rows, _) = ledger::recipients(
                store,
                id,
                &ledger::RecipientQuery {
                    status: Some(ledger::RecipientStatus::InDoubt),
                    search: None,
                    offset: 0,
                    limit: 500,
                },
            )
            .await?;
            let contacts: Vec<Uuid> = rows.iter().map(|r| r.contact_id).collect();
            let n = ledger::resend_in_doubt(store, id, &contacts).await?;
            println!(
                "{n} in-doubt recipients are queued again (some may get the message twice); \
                 `herald campaigns send` sends them."
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A campaign by id or by exact name (case-insensitive).
async fn find(store: &Store, reference: &CampaignRef) -> anyhow::Result<Uuid> {
    find_raw(store, &reference.campaign).await
}

async fn find_raw(store: &Store, reference: &str) -> anyhow::Result<Uuid> {
    if let Ok(id) = CampaignId::parse(reference) {
        return Ok(id.as_uuid());
    }
    let all = campaigns::list(store, &CampaignQuery::default()).await?;
    let matches: Vec<&CampaignSummary> = all
        .iter()
        .filter(|c| c.name.eq_ignore_ascii_case(reference))
        .collect();
    match matches.as_slice() {
        [one] => Ok(one.id.as_uuid()),
        [] => bail!("no campaign is called {reference:?}; `herald campaigns list` shows them"),
        _ => bail!("several campaigns are called {reference:?}; use the id"),
    }
}

#[derive(Serialize)]
struct Row {
    id: String,
    name: String,
    status: String,
    recipients: i64,
    sent: i64,
    failed: i64,
    in_doubt: i64,
}

fn row(c: &CampaignSummary) -> Row {
    Row {
        id: c.id.as_uuid().to_string(),
        name: c.name.clone(),
        status: c.status.as_str().to_owned(),
        recipients: c.counts.recipients,
        sent: c.counts.sent,
        failed: c.counts.failed,
        in_doubt: c.counts.in_doubt,
    }
}

async fn list(store: &Store, args: CampaignsListArgs) -> anyhow::Result<ExitCode> {
    let query = match &args.search {
        Some(s) => CampaignQuery::search(s),
        None => CampaignQuery::default(),
    };
    let all = campaigns::list(store, &query).await?;
    let rows: Vec<Row> = all.iter().map(row).collect();
    if args.json {
        super::print_json(&rows)?;
    } else if rows.is_empty() {
        println!("No campaigns.");
    } else {
        for r in rows {
            println!(
                "{}  {:<10} {:>6} sent {:>4} failed {:>4} in doubt  {}",
                r.id, r.status, r.sent, r.failed, r.in_doubt, r.name
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn show(store: &Store, reference: CampaignRef) -> anyhow::Result<ExitCode> {
    let id = find(store, &reference).await?;
    let counts = campaigns::counts(store, CampaignId::from_uuid(id)).await?;
    let state = campaign_runs::state(store, id).await?;
    #[derive(Serialize)]
    struct Shown {
        id: String,
        status: String,
        recipients: i64,
        queued: i64,
        sent: i64,
        failed: i64,
        in_doubt: i64,
        suppressed: i64,
        opened: i64,
        clicked: i64,
        last_error: Option<String>,
        /// Scheduled and due, but it could not start: why (run-due and the
        /// app keep it).
        could_not_start: Option<String>,
    }
    let could_not_start = match state.status.as_str() {
        "scheduled" => start_failures::get(store, id).await?.map(|f| f.message),
        _ => None,
    };
    let shown = Shown {
        id: id.to_string(),
        status: state.status,
        recipients: counts.recipients,
        queued: counts.queued,
        sent: counts.sent,
        failed: counts.failed,
        in_doubt: counts.in_doubt,
        suppressed: counts.suppressed,
        opened: counts.opened,
        clicked: counts.clicked,
        last_error: state.last_error,
        could_not_start,
    };
    super::print_json(&shown)?;
    Ok(ExitCode::SUCCESS)
}

fn keychain_secrets(keychain: Keychain) -> Arc<dyn Secrets> {
    Arc::new(keychain)
}

/// Asks "Send to N people now?" on the terminal; `false` unless answered yes.
fn confirm(question: &str) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        bail!("{question} Pass --yes to confirm when not at a terminal");
    }
    print!("{question} [y/N] ");
    std::io::stdout()
        .flush()
        .context("writing to the terminal")?;
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .context("reading the answer")?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}

async fn send(store: &Store, args: CampaignsSendArgs) -> anyhow::Result<ExitCode> {
    let id = find_raw(store, &args.campaign).await?;
    let secrets = keychain_secrets(Keychain::for_workspace(store).await?);
    let lock = SendLock::acquire(store).await?;
    if lock.recovered() > 0 {
        eprintln!(
            "{} messages were being sent when Herald last stopped; they are marked in doubt \
             and will not be sent again unless you ask (`herald campaigns resend-in-doubt`).",
            lock.recovered()
        );
    }
    let state = campaign_runs::state(store, id).await?;
    match CampaignStatus::parse(&state.status).map_err(|e| anyhow!("{e}"))? {
        CampaignStatus::Draft | CampaignStatus::Scheduled => {
            // Checked before the question and before anything is resolved,
            // without publishing anything: a "no" leaves nothing behind.
            due::check_without_publishing(store, &secrets, id).await?;
            let campaign = campaigns::get(store, CampaignId::from_uuid(id)).await?;
            let segment = campaign
                .segment_id
                .ok_or_else(|| anyhow!("the campaign has no segment to send to"))?;
            let audience = ledger::audience(store, segment, campaign.channel).await?;
            if !args.yes
                && !confirm(&format!(
                    "Send \"{}\" to {} people now?",
                    campaign.name, audience.will_receive
                ))?
            {
                println!("Nothing was sent.");
                return Ok(ExitCode::FAILURE);
            }
            // Confirmed: the full check, which publishes the web version
            // when the content links to it.
            herald_send::campaign::check(store, &secrets, id).await?;
            campaign_runs::start(store, id, Some(audience.will_receive)).await?;
        }
        CampaignStatus::Paused | CampaignStatus::Failed => {
            campaign_runs::resume(store, id).await?;
        }
        CampaignStatus::Sending => {}
        other => bail!(
            "a {} campaign cannot be sent again; duplicate it",
            other.as_str()
        ),
    }
    let end = deliver(store, &lock, &secrets, id, args.quiet).await?;
    Ok(report_end(&end))
}

/// Runs the campaign to its end, stopping cleanly on Ctrl-C.
async fn deliver(
    store: &Store,
    lock: &SendLock,
    secrets: &Arc<dyn Secrets>,
    id: Uuid,
    quiet: bool,
) -> anyhow::Result<Outcome> {
    let setup = herald_send::campaign::setup(store, secrets, id).await?;
    if setup.channel == herald_core::Channel::Email && !setup.tracking {
        eprintln!("Opens and clicks are not tracked: no relay is set up (Settings → Relay).");
    }
    let mut run = CampaignRun::new(lock, id, setup.composer, setup.messenger, setup.options);
    // With a relay, its events (unsubscribes, STOP replies) are pulled
    // before each batch, as the app does, so an opt-out that arrives during
    // the send is honoured from the next batch on.
    if let Ok(client) = herald_send::sync::connect(store, Arc::clone(secrets)).await {
        run = run.with_refresh(Arc::new(SyncBeforeBatch {
            store: store.clone(),
            client,
        }));
    }
    let control = run.control();
    let stop = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\nStopping after the messages in flight…");
            control.stop();
        }
    });
    let mut sent = 0u64;
    let mut waiting_until = None;
    let end = run
        .run_with(|outcome| match outcome {
            Outcome::Sent(r) => {
                sent += r.sent;
                if !quiet {
                    eprintln!(
                        "sent {sent} (this batch: {} sent, {} failed, {} retried, {} in doubt, {} suppressed, {} deferred)",
                        r.sent, r.failed, r.retried, r.in_doubt, r.suppressed, r.deferred
                    );
                }
            }
            // A long wait (sending hours, a provider's Retry-After) is said
            // once, so a quiet terminal is not mistaken for a hang.
            Outcome::Waiting { until } if *until - now_millis() > 60_000 => {
                if !quiet && waiting_until != Some(*until) {
                    let at = chrono::DateTime::from_timestamp_millis(*until)
                        .map(|t| t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string())
                        .unwrap_or_default();
                    eprintln!("waiting until {at} (sending hours or the provider's retry time)…");
                }
                waiting_until = Some(*until);
            }
            _ => {}
        })
        .await?;
    stop.abort();
    Ok(end)
}

fn report_end(end: &Outcome) -> ExitCode {
    match end {
        Outcome::Finished => {
            println!("Sent.");
            ExitCode::SUCCESS
        }
        Outcome::Stopped { status } => {
            println!("Stopped: the campaign is {status}.");
            ExitCode::SUCCESS
        }
        Outcome::Interrupted => {
            println!("Interrupted; `herald campaigns send` continues from where it stopped.");
            ExitCode::from(130)
        }
        Outcome::Failed { reason } => {
            eprintln!("error: the campaign failed: {reason}");
            ExitCode::FAILURE
        }
        Outcome::Sent(_) | Outcome::Waiting { .. } => ExitCode::SUCCESS,
    }
}

/// Starts the scheduled campaigns whose time has come and continues those
/// left `sending`, one after another. A due campaign that cannot start is
/// named with why, keeps the reason (the app shows it) and makes the exit
/// code non-zero; it is tried again at the next run.
async fn run_due(store: &Store) -> anyhow::Result<ExitCode> {
    let secrets = keychain_secrets(Keychain::for_workspace(store).await?);
    let lock = SendLock::acquire(store).await?;
    let now = now_millis();
    let mut code = ExitCode::SUCCESS;
    // Every due campaign, also one that failed minutes ago: cron decides
    // how often this runs.
    for (id, at) in campaign_runs::due(store, now, 0).await? {
        if now - at > OVERDUE_MS {
            println!(
                "{id}: its time passed more than an hour ago; not started. Send it from the app \
                 or with `herald campaigns send {id}` if it should still go out."
            );
            continue;
        }
        let name = campaigns::get(store, CampaignId::from_uuid(id)).await?.name;
        match due::start_or_record(store, &secrets, id, now).await? {
            Ok(()) => println!("{id}: started."),
            Err(failed) => {
                eprintln!("error: {id} \"{name}\" could not start: {}", failed.message);
                code = ExitCode::FAILURE;
            }
        }
    }
    for id in campaign_runs::sending(store).await? {
        let end = deliver(store, &lock, &secrets, id, true).await?;
        println!("{id}: {end:?}");
        if matches!(end, Outcome::Failed { .. }) {
            code = ExitCode::FAILURE;
        }
    }
    Ok(code)
}
