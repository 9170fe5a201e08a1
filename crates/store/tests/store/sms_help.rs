//! Answers to SMS HELP / INFO replies: which inbound messages wait for one,
//! and the row written before the send that keeps a sender from being
//! answered twice.

use chrono::{Duration, Utc};
use herald_core::PhoneNumber;
use herald_store::relay_events::{self, EventKind, RelayEvent};
use herald_store::sms_help::{self, Outcome, ReplyStatus, MAX_AGE_MS};
use herald_store::{now_millis, Store};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::*;

const SENDER: &str = "+14155552671";

fn number() -> PhoneNumber {
    PhoneNumber::parse(SENDER, None).unwrap()
}

/// An inbound SMS from `from`, received `hours_ago`.
fn inbound(from: &str, body: &str, hours_ago: i64) -> RelayEvent {
    RelayEvent {
        provider: Some("twilio".into()),
        address: Some(from.into()),
        detail: json!({ "to": "+14155550100", "body": body }),
        ..RelayEvent::new(
            EventKind::SmsInbound,
            Utc::now() - Duration::hours(hours_ago),
        )
    }
}

async fn record(store: &Store, events: &[RelayEvent]) {
    relay_events::apply_page(store, events, "cursor")
        .await
        .expect("applying relay events");
}

async fn pending_ids(store: &Store) -> Vec<Uuid> {
    sms_help::pending(store, now_millis(), MAX_AGE_MS)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.event_id)
        .collect()
}

async fn status(store: &Store, event: Uuid) -> ReplyStatus {
    sms_help::get(store, event)
        .await
        .unwrap()
        .expect("an answer row")
        .status
}

#[tokio::test]
async fn help_and_info_wait_for_an_answer_and_stop_start_and_free_text_do_not() {
    let (_dir, store) = fresh_store().await;
    let help = inbound(SENDER, " Help? ", 1);
    let info = inbound("+14155552672", "INFO", 0);
    let others = [
        inbound(SENDER, "STOP", 1),
        inbound(SENDER, "start", 1),
        inbound(SENDER, "can you help me with my order?", 1),
        inbound(SENDER, &"help ".repeat(60), 1),
        RelayEvent::new(EventKind::Open, Utc::now()),
    ];
    record(&store, &others).await;
    record(&store, &[info.clone(), help.clone()]).await;

    let pending = sms_help::pending(&store, now_millis(), MAX_AGE_MS)
        .await
        .unwrap();

    assert_eq!(
        pending.iter().map(|r| r.event_id).collect::<Vec<_>>(),
        vec![help.id, info.id],
        "oldest first, HELP and INFO only"
    );
    assert_eq!(pending[0].number, Some(number()));
    assert!(pending.iter().all(|r| !r.too_old));
}

#[tokio::test]
async fn a_request_older_than_the_limit_comes_back_too_old() {
    let (_dir, store) = fresh_store().await;
    let old = inbound(SENDER, "HELP", 24 * 3 + 1);
    let fresh = inbound(SENDER, "HELP", 24 * 3 - 1);
    record(&store, &[old.clone(), fresh.clone()]).await;

    let pending = sms_help::pending(&store, now_millis(), MAX_AGE_MS)
        .await
        .unwrap();

    let too_old: Vec<(Uuid, bool)> = pending.iter().map(|r| (r.event_id, r.too_old)).collect();
    assert_eq!(too_old, vec![(old.id, true), (fresh.id, false)]);
}

#[tokio::test]
async fn a_sender_number_that_does_not_parse_comes_back_as_none() {
    let (_dir, store) = fresh_store().await;
    record(&store, &[inbound("not a number", "HELP", 0)]).await;

    let pending = sms_help::pending(&store, now_millis(), MAX_AGE_MS)
        .await
        .unwrap();

    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].number, None);
}

#[tokio::test]
async fn a_claimed_request_is_no_longer_pending_and_cannot_be_claimed_again() {
    let (_dir, store) = fresh_store().await;
    let help = inbound(SENDER, "HELP", 0);
    record(&store, std::slice::from_ref(&help)).await;

    assert!(sms_help::claim(&store, help.id, &number()).await.unwrap());
    assert!(!sms_help::claim(&store, help.id, &number()).await.unwrap());

    assert_eq!(pending_ids(&store).await, Vec::<Uuid>::new());
    let row = sms_help::get(&store, help.id).await.unwrap().unwrap();
    assert_eq!(row.status, ReplyStatus::Sending);
    assert_eq!(row.number.as_deref(), Some(SENDER));
}

#[tokio::test]
async fn finishing_records_the_provider_id_or_the_reason() {
    let (_dir, store) = fresh_store().await;
    let sent = inbound(SENDER, "HELP", 0);
    let failed = inbound(SENDER, "INFO", 0);
    record(&store, &[sent.clone(), failed.clone()]).await;
    for event in [&sent, &failed] {
        assert!(sms_help::claim(&store, event.id, &number()).await.unwrap());
    }

    let accepted = Outcome::Sent {
        provider_message_id: "SM123".into(),
    };
    sms_help::finish(&store, sent.id, &accepted).await.unwrap();
    let refused = Outcome::Failed {
        reason: "the recipient replied STOP (error 21610)".into(),
    };
    sms_help::finish(&store, failed.id, &refused).await.unwrap();

    let sent = sms_help::get(&store, sent.id).await.unwrap().unwrap();
    assert_eq!(sent.status, ReplyStatus::Sent);
    assert_eq!(sent.provider_message_id.as_deref(), Some("SM123"));
    let failed = sms_help::get(&store, failed.id).await.unwrap().unwrap();
    assert_eq!(failed.status, ReplyStatus::Failed);
    assert_eq!(
        failed.error.as_deref(),
        Some("the recipient replied STOP (error 21610)")
    );
}

#[tokio::test]
async fn finishing_an_answer_that_was_never_claimed_is_refused() {
    let (_dir, store) = fresh_store().await;
    let help = inbound(SENDER, "HELP", 0);
    record(&store, std::slice::from_ref(&help)).await;
    let outcome = Outcome::Sent {
        provider_message_id: "SM1".into(),
    };

    let err = sms_help::finish(&store, help.id, &outcome)
        .await
        .unwrap_err();

    assert!(
        matches!(err, herald_store::StoreError::NotFound(_)),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_interrupted_answer_becomes_in_doubt_and_is_not_pending_again() {
    let (_dir, store) = fresh_store().await;
    let help = inbound(SENDER, "HELP", 0);
    let done = inbound(SENDER, "INFO", 0);
    record(&store, &[help.clone(), done.clone()]).await;
    sms_help::claim(&store, help.id, &number()).await.unwrap();
    sms_help::skip(&store, done.id, None, "nothing to say")
        .await
        .unwrap();

    assert_eq!(sms_help::recover_in_doubt(&store).await.unwrap(), 1);

    let row = sms_help::get(&store, help.id).await.unwrap().unwrap();
    assert_eq!(row.status, ReplyStatus::InDoubt);
    assert!(row.error.unwrap().contains("may or may not"));
    assert_eq!(status(&store, done.id).await, ReplyStatus::Skipped);
    assert_eq!(pending_ids(&store).await, Vec::<Uuid>::new());
    assert!(!sms_help::claim(&store, help.id, &number()).await.unwrap());
}

#[tokio::test]
async fn a_skipped_request_keeps_its_reason_and_is_not_pending_again() {
    let (_dir, store) = fresh_store().await;
    let help = inbound(SENDER, "HELP", 100);
    record(&store, std::slice::from_ref(&help)).await;

    assert!(
        sms_help::skip(&store, help.id, Some(&number()), "older than 3 days")
            .await
            .unwrap()
    );
    assert!(!sms_help::skip(&store, help.id, None, "again")
        .await
        .unwrap());

    let rows = sms_help::list(&store).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, ReplyStatus::Skipped);
    assert_eq!(rows[0].error.as_deref(), Some("older than 3 days"));
    assert_eq!(pending_ids(&store).await, Vec::<Uuid>::new());
}

#[tokio::test]
async fn an_answer_row_needs_its_relay_event() {
    let (_dir, store) = fresh_store().await;

    let err = sms_help::claim(&store, Uuid::now_v7(), &number())
        .await
        .unwrap_err();

    assert!(format!("{err:?}").contains("FOREIGN KEY"), "{err:?}");
}
