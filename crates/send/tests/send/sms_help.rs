//! Answering SMS HELP / INFO replies after a sync, through a wiremock
//! stand-in for Twilio (and one for Vonage): once per inbound message, with
//! the help text from the SMS settings, to the sender's number; never twice,
//! not even after a crash mid-send. The last test goes the whole way: a
//! signed inbound HELP through the real relay, answered by the app's loop.

use std::sync::Arc;

use chrono::{Duration, Utc};
use herald_core::PhoneNumber;
use herald_send::secrets::{MemorySecrets, Secrets};
use herald_send::sms::help::{answer_pending, HelpReport};
use herald_send::sms::settings::{self, SecretChanges, SmsSettingsInput, VonageApi};
use herald_send::sync_loop::{LoopOptions, SyncLoop};
use herald_store::relay_events::{self, EventKind, RelayEvent};
use herald_store::relay_sync;
use herald_store::sms_help::{self, HelpReply, ReplyStatus};
use serde_json::json;
use uuid::Uuid;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{fresh_keys, Relay, Workspace};
use crate::sms_stand_in::*;

const MESSAGES: &str = "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json";
const HELP_TEXT: &str =
    "Shop: marketing texts, up to 4/month. Help: shop.example/help. Reply STOP to opt out.";
const OTHER: &str = "+14155552672";

/// A workspace whose SMS settings point at a stand-in provider.
struct Help {
    ws: Workspace,
    secrets: Arc<dyn Secrets>,
    provider: MockServer,
}

impl Help {
    /// Twilio sending from [`FROM`].
    async fn twilio() -> Help {
        Help::with(|_, _| {}).await
    }

    /// `tune` may rewrite the settings, pointed at the stand-in `server`.
    async fn with(tune: impl FnOnce(&mut SmsSettingsInput, &MockServer)) -> Help {
        let secrets: Arc<dyn Secrets> = Arc::new(MemorySecrets::default());
        Help::with_secrets(secrets, tune).await
    }

    /// The SMS secrets go into `secrets` (which may hold the relay's keys).
    async fn with_secrets(
        secrets: Arc<dyn Secrets>,
        tune: impl FnOnce(&mut SmsSettingsInput, &MockServer),
    ) -> Help {
        let provider = MockServer::start().await;
        let mut input = SmsSettingsInput {
            help_text: HELP_TEXT.into(),
            messages_per_second: Some(100.0),
            sending_hours: None,
            ..twilio_input(&provider)
        };
        tune(&mut input, &provider);
        let changes = SecretChanges {
            twilio_auth_token: Some(AUTH_TOKEN.into()),
            vonage_api_secret: Some(VONAGE_SECRET.into()),
            ..SecretChanges::default()
        };
        let ws = Workspace::new().await;
        settings::save(&ws.store, Arc::clone(&secrets), &input, changes)
            .await
            .expect("saving SMS settings");
        Help {
            ws,
            secrets,
            provider,
        }
    }

    /// The stand-in takes `expected` texts, each with a new SID.
    async fn twilio_accepts(&self, expected: u64) {
        Mock::given(method("POST"))
            .and(path(MESSAGES))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({
                "sid": "SM0123456789abcdef0123456789abcdef",
                "account_sid": ACCOUNT_SID,
                "status": "queued",
                "error_code": null,
            })))
            .expect(expected)
            .mount(&self.provider)
            .await;
    }

    /// An inbound SMS from `from`, received `hours_ago`, as a sync records it.
    async fn inbound(&self, from: &str, body: &str, hours_ago: i64) -> Uuid {
        let event = RelayEvent {
            provider: Some("twilio".into()),
            address: Some(from.into()),
            detail: json!({ "to": FROM, "body": body }),
            ..RelayEvent::new(
                EventKind::SmsInbound,
                Utc::now() - Duration::hours(hours_ago),
            )
        };
        relay_events::apply_page(&self.ws.store, std::slice::from_ref(&event), "cursor")
            .await
            .expect("recording an inbound SMS");
        event.id
    }

    async fn answer(&self) -> HelpReport {
        answer_pending(&self.ws.store, &self.secrets)
            .await
            .expect("answering HELP replies")
    }

    async fn reply(&self, event: Uuid) -> HelpReply {
        sms_help::get(&self.ws.store, event)
            .await
            .unwrap()
            .expect("an answer row")
    }

    /// (To, Body) of every text the stand-in received.
    async fn texts(&self) -> Vec<(String, String)> {
        let requests = self.provider.received_requests().await.unwrap();
        requests
            .iter()
            .map(|r| {
                let fields = form(r);
                (fields["To"].clone(), fields["Body"].clone())
            })
            .collect()
    }
}

fn report(answered: u64, failed: u64, in_doubt: u64, skipped: u64) -> HelpReport {
    HelpReport {
        answered,
        failed,
        in_doubt,
        skipped,
    }
}

#[tokio::test]
async fn a_help_reply_is_answered_once_with_the_help_text_to_the_sender() {
    let help = Help::twilio().await;
    help.twilio_accepts(1).await;
    let event = help.inbound(TO, "Help", 1).await;

    assert_eq!(help.answer().await, report(1, 0, 0, 0));
    assert_eq!(help.answer().await, HelpReport::default());

    assert_eq!(help.texts().await, vec![(TO.into(), HELP_TEXT.into())]);
    let reply = help.reply(event).await;
    assert_eq!(reply.status, ReplyStatus::Sent);
    assert_eq!(reply.number.as_deref(), Some(TO));
    assert_eq!(
        reply.provider_message_id.as_deref(),
        Some("SM0123456789abcdef0123456789abcdef")
    );
}

#[tokio::test]
async fn info_is_answered_too_and_stop_and_free_text_are_not() {
    let help = Help::twilio().await;
    help.twilio_accepts(1).await;
    help.inbound(TO, "STOP", 1).await;
    help.inbound(TO, "can you help me with my order?", 1).await;
    let info = help.inbound(OTHER, "info.", 1).await;

    assert_eq!(help.answer().await, report(1, 0, 0, 0));

    assert_eq!(help.texts().await, vec![(OTHER.into(), HELP_TEXT.into())]);
    assert_eq!(help.reply(info).await.status, ReplyStatus::Sent);
    assert_eq!(sms_help::list(&help.ws.store).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_help_reply_older_than_three_days_is_skipped_with_its_reason() {
    let help = Help::twilio().await;
    help.twilio_accepts(0).await;
    let old = help.inbound(TO, "HELP", 24 * 3 + 1).await;

    assert_eq!(help.answer().await, report(0, 0, 0, 1));
    assert_eq!(help.answer().await, HelpReport::default());

    let reply = help.reply(old).await;
    assert_eq!(reply.status, ReplyStatus::Skipped);
    assert!(reply.error.unwrap().contains("more than 3 days"));
}

#[tokio::test]
async fn a_provider_refusal_is_recorded_as_failed_with_its_reason_and_not_retried() {
    let help = Help::twilio().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "code": 21610,
            "message": "Attempt to send to unsubscribed recipient",
            "more_info": "https://www.twilio.com/docs/errors/21610",
            "status": 400,
        })))
        .expect(1)
        .mount(&help.provider)
        .await;
    let event = help.inbound(TO, "HELP", 0).await;

    assert_eq!(help.answer().await, report(0, 1, 0, 0));
    assert_eq!(help.answer().await, HelpReport::default());

    let reply = help.reply(event).await;
    assert_eq!(reply.status, ReplyStatus::Failed);
    assert!(reply.error.unwrap().contains("21610"));
}

#[tokio::test]
async fn an_answer_interrupted_by_a_crash_becomes_in_doubt_and_is_not_sent_again() {
    let help = Help::twilio().await;
    help.twilio_accepts(0).await;
    let event = help.inbound(TO, "HELP", 0).await;
    // The marker was committed, then the process died before the provider
    // answered.
    let number = PhoneNumber::parse(TO, None).unwrap();
    assert!(sms_help::claim(&help.ws.store, event, &number)
        .await
        .unwrap());

    assert_eq!(help.answer().await, HelpReport::default());

    let reply = help.reply(event).await;
    assert_eq!(reply.status, ReplyStatus::InDoubt);
    assert!(reply.error.unwrap().contains("may or may not"));
}

#[tokio::test]
async fn without_sms_settings_nothing_is_answered_or_recorded() {
    let ws = Workspace::new().await;
    let secrets: Arc<dyn Secrets> = Arc::new(MemorySecrets::default());
    let event = RelayEvent {
        address: Some(TO.into()),
        detail: json!({ "to": FROM, "body": "HELP" }),
        ..RelayEvent::new(EventKind::SmsInbound, Utc::now())
    };
    relay_events::apply_page(&ws.store, &[event], "cursor")
        .await
        .unwrap();

    let done = answer_pending(&ws.store, &secrets).await.unwrap();

    assert_eq!(done, HelpReport::default());
    assert!(sms_help::list(&ws.store).await.unwrap().is_empty());
}

#[tokio::test]
async fn vonage_answers_help_through_the_messages_api() {
    let help = Help::with(|input, server| {
        *input = SmsSettingsInput {
            help_text: HELP_TEXT.into(),
            messages_per_second: Some(30.0),
            sending_hours: None,
            ..vonage_input(server, VonageApi::Messages)
        }
    })
    .await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({
            "message_uuid": "aaaaaaaa-bbbb-cccc-dddd-0123456789ab"
        })))
        .expect(1)
        .mount(&help.provider)
        .await;
    let event = help.inbound(TO, "HELP", 0).await;

    assert_eq!(help.answer().await, report(1, 0, 0, 0));
    assert_eq!(help.answer().await, HelpReport::default());

    let body: serde_json::Value = only_request(&help.provider).await.body_json().unwrap();
    assert_eq!(body["to"], "14155552671");
    assert_eq!(body["text"], HELP_TEXT);
    let reply = help.reply(event).await;
    assert_eq!(reply.status, ReplyStatus::Sent);
    assert_eq!(
        reply.provider_message_id.as_deref(),
        Some("aaaaaaaa-bbbb-cccc-dddd-0123456789ab")
    );
}

#[tokio::test]
async fn the_app_s_sync_loop_answers_a_help_sent_through_the_relay_once() {
    let (secrets, keys) = fresh_keys();
    let relay = Relay::start(&keys).await;
    let help = Help::with_secrets(Arc::new(secrets), |_, _| {}).await;
    relay_sync::set_url(&help.ws.store, relay.url.as_str())
        .await
        .unwrap();
    help.twilio_accepts(1).await;
    relay.sms_reply(TO, "HELP").await;

    let sync = SyncLoop::start(
        help.ws.store.clone(),
        Arc::clone(&help.secrets),
        LoopOptions {
            interval: std::time::Duration::from_secs(3600),
        },
    );
    // The loop answers after replying; each later sync waits for that
    // answer (one task runs them in turn) and finds nothing new to answer.
    sync.sync_now().await.unwrap();
    sync.sync_now().await.unwrap();
    sync.sync_now().await.unwrap();
    sync.stop().await;
    relay.stop().await;

    assert_eq!(help.texts().await, vec![(TO.into(), HELP_TEXT.into())]);
    let replies = sms_help::list(&help.ws.store).await.unwrap();
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].status, ReplyStatus::Sent);
}
