//! The send engine end to end: a real workspace, campaigns sent over SMTP
//! to the real aiosmtpd, what the server received and what the ledger says.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use herald_core::Channel;
use herald_send::email::campaign::{self, UNSUBSCRIBE_MAILTO};
use herald_send::email::smtp::{self, PasswordChange};
use herald_send::engine::{CampaignRun, Outcome, Refresh, RunOptions, SendLock};
use herald_send::secrets::{MemorySecrets, Secret, Secrets};
use herald_send::sync;
use herald_store::campaigns::{self, CampaignInput};
use herald_store::segments::{self, SegmentInput};
use herald_store::{campaign_runs, settings, Store};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{fresh_keys, Relay, Workspace};
use crate::smtpd::{Options, Smtpd, PASSWORD};

/// A workspace with `emails` as contacts, the SMTP settings pointing at
/// `server`, and a draft campaign to everyone.
pub(crate) struct Setup {
    pub(crate) ws: Workspace,
    pub(crate) secrets: Arc<dyn Secrets>,
    pub(crate) campaign: Uuid,
}

pub(crate) async fn set_up(server: &Smtpd, emails: &[&str], secrets: Arc<dyn Secrets>) -> Setup {
    let ws = Workspace::new().await;
    for email in emails {
        let c = ws.contact(Some(email), None).await;
        let first = email.split('@').next().unwrap();
        sqlx::query("UPDATE contacts SET first_name = ?, custom = ? WHERE id = ?")
            .bind(first)
            .bind(json!({"plan": "pro"}).to_string())
            .bind(c.id.as_uuid())
            .execute(ws.store.pool())
            .await
            .unwrap();
    }
    smtp::settings::save(
        &ws.store,
        Arc::clone(&secrets),
        &server.input(),
        if server.options.auth {
            PasswordChange::Set(Secret::new(PASSWORD.to_owned()))
        } else {
            PasswordChange::Keep
        },
    )
    .await
    .expect("saving SMTP settings");
    settings::set(&ws.store, UNSUBSCRIBE_MAILTO, &"unsubscribe@herald.test")
        .await
        .unwrap();
    let campaign = draft(&ws.store).await;
    Setup {
        ws,
        secrets,
        campaign,
    }
}

async fn draft(store: &Store) -> Uuid {
    let segment = segments::create(
        store,
        &SegmentInput {
            name: "Everyone".into(),
            description: None,
            filter: json!({"all": []}),
        },
    )
    .await
    .unwrap();
    let mut input = CampaignInput::draft("Spring news");
    input.segment_id = Some(segment.id);
    input.subject = "Hello {{ contact.first_name }}".into();
    input.html = "<p>Hi {{ contact.first_name | default('there') }}, your plan: \
                  {{ contact.custom.plan }}.</p><p><a href=\"https://example.com/spring\">Read</a></p>"
        .into();
    let created = campaigns::create(store, &input).await.expect("a campaign");
    created.id.as_uuid()
}

pub(crate) fn fast(mut options: RunOptions) -> RunOptions {
    options.rate = None;
    options.retry_base = Duration::from_millis(20);
    options.retry_max = Duration::from_millis(50);
    options
}

async fn run_for(
    s: &Setup,
    lock: &SendLock,
    tune: impl FnOnce(RunOptions) -> RunOptions,
) -> CampaignRun {
    let setup = campaign::setup(&s.ws.store, &s.secrets, s.campaign)
        .await
        .expect("the campaign is ready to send");
    CampaignRun::new(
        lock,
        s.campaign,
        setup.composer,
        setup.messenger,
        tune(fast(setup.options)),
    )
}

pub(crate) async fn ledger(store: &Store, campaign: Uuid) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT address, status FROM campaign_recipients WHERE campaign_id = ? ORDER BY address",
    )
    .bind(campaign)
    .fetch_all(store.pool())
    .await
    .unwrap()
}

pub(crate) fn recipients_of(server: &Smtpd) -> Vec<String> {
    let mut to: Vec<String> = server
        .received()
        .into_iter()
        .flat_map(|m| m.rcpt_tos)
        .collect();
    to.sort();
    to
}

pub(crate) fn memory() -> Arc<dyn Secrets> {
    Arc::new(MemorySecrets::default())
}

#[tokio::test]
async fn a_campaign_reaches_every_subscribed_recipient_once_personalised() {
    let Some(server) = Smtpd::start(Options::default()).await else {
        return;
    };
    let s = set_up(&server, &["ann@x.org", "bob@x.org", "cy@x.org"], memory()).await;
    sqlx::query("UPDATE contacts SET email_status = 'unsubscribed' WHERE email = 'cy@x.org'")
        .execute(s.ws.store.pool())
        .await
        .unwrap();
    let lock = SendLock::acquire(&s.ws.store).await.unwrap();
    let audience = campaign_runs::start(&s.ws.store, s.campaign, Some(2))
        .await
        .unwrap();
    assert_eq!(audience.excluded.unsubscribed, 1);

    let end = run_for(&s, &lock, |o| o).await.run().await.unwrap();

    assert_eq!(end, Outcome::Finished);
    assert_eq!(recipients_of(&server), ["ann@x.org", "bob@x.org"]);
    let received = server.received();
    let ann = received
        .iter()
        .find(|m| m.rcpt_tos == ["ann@x.org"])
        .unwrap();
    let raw = String::from_utf8_lossy(&ann.raw);
    assert!(raw.contains("Subject: Hello ann"), "{raw}");
    assert!(
        raw.contains("List-Unsubscribe: <mailto:unsubscribe@herald.test"),
        "{raw}"
    );
    assert!(raw.contains("multipart/alternative"), "{raw}");
    assert!(raw.contains("your plan: pro"), "{raw}");
    assert_eq!(
        ledger(&s.ws.store, s.campaign).await,
        [
            ("ann@x.org".to_owned(), "sent".to_owned()),
            ("bob@x.org".to_owned(), "sent".to_owned())
        ]
    );
    assert_eq!(
        campaign_runs::state(&s.ws.store, s.campaign)
            .await
            .unwrap()
            .status,
        "sent"
    );
}

#[tokio::test]
async fn a_refused_recipient_fails_with_the_servers_reply_and_the_rest_are_sent() {
    let Some(server) =
        Smtpd::start(Options::default().fault("rcpt:bob@x.org=550 5.1.1 no such user")).await
    else {
        return;
    };
    let s = set_up(&server, &["ann@x.org", "bob@x.org"], memory()).await;
    let lock = SendLock::acquire(&s.ws.store).await.unwrap();
    campaign_runs::start(&s.ws.store, s.campaign, None)
        .await
        .unwrap();

    run_for(&s, &lock, |o| o).await.run().await.unwrap();

    assert_eq!(recipients_of(&server), ["ann@x.org"]);
    let error: String = sqlx::query_scalar(
        "SELECT error FROM campaign_recipients WHERE address = 'bob@x.org' AND status = 'failed'",
    )
    .fetch_one(s.ws.store.pool())
    .await
    .unwrap();
    assert!(error.contains("550 5.1.1 no such user"), "{error}");
}

#[tokio::test]
async fn a_transient_refusal_is_retried_and_then_delivered_once() {
    let Some(server) =
        Smtpd::start(Options::default().fault("rcpt:ann@x.org=451 4.7.1 try later#2")).await
    else {
        return;
    };
    let s = set_up(&server, &["ann@x.org"], memory()).await;
    let lock = SendLock::acquire(&s.ws.store).await.unwrap();
    campaign_runs::start(&s.ws.store, s.campaign, None)
        .await
        .unwrap();

    let end = run_for(&s, &lock, |o| o).await.run().await.unwrap();

    assert_eq!(end, Outcome::Finished);
    assert_eq!(recipients_of(&server), ["ann@x.org"]);
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM campaign_recipients")
        .fetch_one(s.ws.store.pool())
        .await
        .unwrap();
    assert_eq!(attempts, 3);
}

#[tokio::test]
async fn a_connection_lost_after_the_body_leaves_the_recipient_in_doubt_never_resent() {
    let Some(server) = Smtpd::start(Options::default().fault("drop:after-data#1")).await else {
        return;
    };
    let s = set_up(&server, &["ann@x.org"], memory()).await;
    let lock = SendLock::acquire(&s.ws.store).await.unwrap();
    campaign_runs::start(&s.ws.store, s.campaign, None)
        .await
        .unwrap();

    let end = run_for(&s, &lock, |o| o).await.run().await.unwrap();

    assert_eq!(end, Outcome::Finished);
    assert_eq!(
        ledger(&s.ws.store, s.campaign).await,
        [("ann@x.org".to_owned(), "in_doubt".to_owned())]
    );
    assert!(recipients_of(&server).is_empty());
}

#[tokio::test]
async fn pause_stops_claiming_and_resume_continues_from_the_ledger() {
    let Some(server) = Smtpd::start(Options::default()).await else {
        return;
    };
    let emails = ["a@x.org", "b@x.org", "c@x.org", "d@x.org", "e@x.org"];
    let s = set_up(&server, &emails, memory()).await;
    let lock = SendLock::acquire(&s.ws.store).await.unwrap();
    campaign_runs::start(&s.ws.store, s.campaign, None)
        .await
        .unwrap();
    let run = run_for(&s, &lock, |o| RunOptions { batch_size: 2, ..o }).await;

    assert!(matches!(run.step().await.unwrap(), Outcome::Sent(r) if r.sent == 2));
    campaign_runs::pause(&s.ws.store, s.campaign).await.unwrap();
    assert_eq!(
        run.step().await.unwrap(),
        Outcome::Stopped {
            status: "paused".into()
        }
    );
    assert_eq!(recipients_of(&server).len(), 2);

    campaign_runs::resume(&s.ws.store, s.campaign)
        .await
        .unwrap();
    assert_eq!(run.run().await.unwrap(), Outcome::Finished);
    assert_eq!(recipients_of(&server), emails);
}

#[tokio::test]
async fn a_refused_login_fails_the_campaign_and_a_resume_after_fixing_it_sends_everyone() {
    let Some(server) = Smtpd::start(Options {
        auth: true,
        ..Options::default()
    })
    .await
    else {
        return;
    };
    let secrets = memory();
    let s = set_up(&server, &["ann@x.org", "bob@x.org"], Arc::clone(&secrets)).await;
    secrets
        .set(
            herald_send::secrets::SecretName::SmtpPassword,
            &Secret::new("wrong".into()),
        )
        .unwrap();
    let lock = SendLock::acquire(&s.ws.store).await.unwrap();
    campaign_runs::start(&s.ws.store, s.campaign, None)
        .await
        .unwrap();

    let end = run_for(&s, &lock, |o| o).await.run().await.unwrap();

    let Outcome::Failed { reason } = end else {
        panic!("expected the campaign to fail, got {end:?}");
    };
    assert!(reason.contains("535"), "{reason}");
    let state = campaign_runs::state(&s.ws.store, s.campaign).await.unwrap();
    assert_eq!(state.status, "failed");
    assert!(recipients_of(&server).is_empty());
    assert!(ledger(&s.ws.store, s.campaign)
        .await
        .iter()
        .all(|(_, status)| status == "queued"));

    secrets
        .set(
            herald_send::secrets::SecretName::SmtpPassword,
            &Secret::new(PASSWORD.into()),
        )
        .unwrap();
    campaign_runs::resume(&s.ws.store, s.campaign)
        .await
        .unwrap();
    let end = run_for(&s, &lock, |o| o).await.run().await.unwrap();
    assert_eq!(end, Outcome::Finished);
    assert_eq!(recipients_of(&server), ["ann@x.org", "bob@x.org"]);
}

/// Pulls the relay's events before a batch, as the app's sync does.
struct SyncRelay {
    store: Store,
    client: herald_send::relay::RelayClient,
}

#[async_trait]
impl Refresh for SyncRelay {
    async fn refresh(&self) {
        sync::sync_once(&self.store, &self.client)
            .await
            .expect("syncing the relay");
    }
}

#[tokio::test]
async fn an_unsubscribe_through_the_relay_mid_campaign_stops_mail_to_that_contact() {
    let Some(server) = Smtpd::start(Options::default()).await else {
        return;
    };
    let (secrets, keys) = fresh_keys();
    let relay = Relay::start(&keys).await;
    let secrets: Arc<dyn Secrets> = Arc::new(secrets);
    let s = set_up(
        &server,
        &["a@x.org", "b@x.org", "c@x.org"],
        Arc::clone(&secrets),
    )
    .await;
    herald_store::relay_sync::set_url(&s.ws.store, relay.url.as_str())
        .await
        .unwrap();
    let lock = SendLock::acquire(&s.ws.store).await.unwrap();
    campaign_runs::start(&s.ws.store, s.campaign, None)
        .await
        .unwrap();
    let run = run_for(&s, &lock, |o| RunOptions {
        batch_size: 1,
        concurrency: 1,
        refresh_every: Duration::ZERO,
        ..o
    })
    .await
    .with_refresh(Arc::new(SyncRelay {
        store: s.ws.store.clone(),
        client: relay.client(),
    }));

    assert!(matches!(run.step().await.unwrap(), Outcome::Sent(r) if r.sent == 1));
    let first = server.received();
    assert_eq!(first[0].rcpt_tos, ["a@x.org"]);
    let raw = String::from_utf8_lossy(&first[0].raw);
    assert!(
        raw.contains(&format!("List-Unsubscribe: <{}/u/", relay.url)),
        "{raw}"
    );
    assert!(
        raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{raw}"
    );
    let c = herald_store::contacts::find_by_email(
        &s.ws.store,
        &herald_core::EmailAddress::parse("c@x.org").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    relay.unsubscribe(s.campaign, c, Channel::Email).await;

    assert_eq!(run.run().await.unwrap(), Outcome::Finished);

    assert_eq!(recipients_of(&server), ["a@x.org", "b@x.org"]);
    assert_eq!(
        ledger(&s.ws.store, s.campaign).await,
        [
            ("a@x.org".to_owned(), "sent".to_owned()),
            ("b@x.org".to_owned(), "sent".to_owned()),
            ("c@x.org".to_owned(), "suppressed".to_owned())
        ]
    );
    relay.stop().await;
}

#[tokio::test]
async fn only_one_process_sends_from_a_workspace_at_a_time() {
    let ws = Workspace::new().await;
    let first = SendLock::acquire(&ws.store).await.unwrap();
    let second = Store::open(&ws.file()).await.unwrap();

    let err = SendLock::acquire(&second).await.unwrap_err();

    assert!(
        matches!(err, herald_send::engine::EngineError::Busy),
        "{err}"
    );
    drop(first);
    SendLock::acquire(&second).await.unwrap();
}
