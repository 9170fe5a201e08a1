//! `sync_once` against the real relay over a loopback socket: hits on the
//! relay's public routes end up as contact statuses and ledger rows, each
//! event once, the cursor and the relay's ack only after the commit.

use herald_core::{Channel, EmailStatus, SmsStatus};
use herald_send::sync::{self, SyncError, SyncOptions};
use herald_store::{consent_events, relay_events, relay_sync};
use uuid::Uuid;

use crate::helpers::*;

#[tokio::test]
async fn an_unsubscribe_on_the_relay_reaches_the_contact_with_its_ip_and_user_agent() {
    let ws = Workspace::new().await;
    let ada = ws.contact(Some("ada@example.com"), None).await;
    let (_secrets, keys) = fresh_keys();
    let relay = Relay::start(&keys).await;
    let campaign = Uuid::now_v7();
    relay.open(campaign, ada.id).await;
    relay.unsubscribe(campaign, ada.id, Channel::Email).await;

    let outcome = sync::sync_once(&ws.store, &relay.client()).await.unwrap();
    assert_eq!(outcome.report.recorded, 2);
    assert_eq!(outcome.report.unsubscribed, 1);
    assert_eq!(ws.get(ada.id).await.email_status, EmailStatus::Unsubscribed);
    let ledger = consent_events::for_contact(&ws.store, ada.id)
        .await
        .unwrap();
    assert_eq!(ledger.len(), 1);
    let row = &ledger[0];
    assert_eq!(
        (row.source.as_str(), row.method.as_str()),
        ("relay", "one_click_unsubscribe")
    );
    assert_eq!(row.ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(row.user_agent.as_deref(), Some(USER_AGENT));

    let state = relay_sync::load(&ws.store).await.unwrap();
    assert_eq!(state.cursor, outcome.cursor);
    assert!(state.last_sync_at.is_some());
    assert_eq!(state.last_error, None);
    let acked = outcome.cursor.unwrap().parse::<i64>().unwrap();
    assert_eq!(relay.acked().await, acked);
    relay.stop().await;
}

#[tokio::test]
async fn a_stop_reply_opts_the_sender_out_and_start_opts_them_back_in() {
    let ws = Workspace::new().await;
    let ada = ws.contact(None, Some("+14155552671")).await;
    let (_secrets, keys) = fresh_keys();
    let relay = Relay::start(&keys).await;
    relay.sms_reply("+14155552671", "STOP").await;

    let outcome = sync::sync_once(&ws.store, &relay.client()).await.unwrap();
    assert_eq!(outcome.report.sms_opted_out, 1);
    assert_eq!(ws.get(ada.id).await.sms_status, SmsStatus::OptedOut);
    let ledger = consent_events::for_contact(&ws.store, ada.id)
        .await
        .unwrap();
    assert_eq!(
        (ledger[0].status.as_str(), ledger[0].method.as_str()),
        ("opted_out", "sms_keyword")
    );

    relay.sms_reply("+14155552671", "start").await;
    let outcome = sync::sync_once(&ws.store, &relay.client()).await.unwrap();
    assert_eq!(outcome.report.sms_opted_in, 1);
    assert_eq!(ws.get(ada.id).await.sms_status, SmsStatus::Subscribed);
    relay.stop().await;
}

#[tokio::test]
async fn events_pulled_again_are_applied_once() {
    let ws = Workspace::new().await;
    let ada = ws.contact(Some("ada@example.com"), None).await;
    let (_secrets, keys) = fresh_keys();
    let relay = Relay::start(&keys).await;
    let campaign = Uuid::now_v7();
    relay.unsubscribe(campaign, ada.id, Channel::Email).await;
    relay.resubscribe(campaign, ada.id).await;
    relay.unsubscribe(campaign, ada.id, Channel::Email).await;
    let first = sync::sync_once(&ws.store, &relay.client()).await.unwrap();
    assert_eq!(first.report.recorded, 3);
    assert_eq!(first.report.status_changes(), 3);

    // Forget the cursor (a new URL does), as if the commit had been lost:
    // the relay hands out the same events again.
    relay_sync::set_url(&ws.store, "https://elsewhere.example")
        .await
        .unwrap();
    relay_sync::set_url(&ws.store, relay.url.as_str())
        .await
        .unwrap();
    assert_eq!(relay_sync::cursor(&ws.store).await.unwrap(), None);
    let again = sync::sync_once(&ws.store, &relay.client()).await.unwrap();
    assert_eq!((again.report.received, again.report.duplicates), (3, 3));
    assert_eq!(again.report.recorded, 0);
    assert_eq!(
        consent_events::for_contact(&ws.store, ada.id)
            .await
            .unwrap()
            .len(),
        3
    );
    assert_eq!(relay_events::count(&ws.store).await.unwrap(), 3);
    assert_eq!(ws.get(ada.id).await.email_status, EmailStatus::Unsubscribed);
    relay.stop().await;
}

#[tokio::test]
async fn a_page_that_fails_to_apply_keeps_the_cursor_and_is_not_acknowledged() {
    let ws = Workspace::new().await;
    let ada = ws.contact(Some("ada@example.com"), None).await;
    let (_secrets, keys) = fresh_keys();
    let relay = Relay::start(&keys).await;
    let campaign = Uuid::now_v7();
    relay.unsubscribe(campaign, ada.id, Channel::Email).await;
    relay.open(campaign, ada.id).await;
    // The second event's insert fails after the unsubscribe was applied in
    // the same transaction.
    sqlx_exec(
        &ws,
        "CREATE TRIGGER fail_opens BEFORE INSERT ON relay_events WHEN NEW.kind = 'open'
         BEGIN SELECT RAISE(ABORT, 'simulated failure'); END",
    )
    .await;

    let err = sync::sync_once(&ws.store, &relay.client())
        .await
        .unwrap_err();
    assert!(matches!(err, SyncError::Store(_)), "{err:?}");
    assert_eq!(ws.get(ada.id).await.email_status, EmailStatus::Subscribed);
    assert_eq!(relay_sync::cursor(&ws.store).await.unwrap(), None);
    assert_eq!(relay.acked().await, 0, "nothing may be acknowledged");
    let state = relay_sync::load(&ws.store).await.unwrap();
    assert!(state.last_error.is_some());

    sqlx_exec(&ws, "DROP TRIGGER fail_opens").await;
    let outcome = sync::sync_once(&ws.store, &relay.client()).await.unwrap();
    assert_eq!(
        (outcome.report.recorded, outcome.report.unsubscribed),
        (2, 1)
    );
    assert_eq!(
        consent_events::for_contact(&ws.store, ada.id)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(relay_sync::load(&ws.store).await.unwrap().last_error, None);
    relay.stop().await;
}

#[tokio::test]
async fn many_events_come_in_pages_each_committed_and_acknowledged() {
    let ws = Workspace::new().await;
    let ada = ws.contact(Some("ada@example.com"), None).await;
    let (_secrets, keys) = fresh_keys();
    let relay = Relay::start(&keys).await;
    let campaign = Uuid::now_v7();
    for _ in 0..5 {
        relay.open(campaign, ada.id).await;
    }
    let options = SyncOptions { page_size: 2 };
    let outcome = sync::sync_with(&ws.store, &relay.client(), options)
        .await
        .unwrap();
    assert_eq!(outcome.pages, 3);
    assert_eq!(outcome.report.by_kind.get("open"), Some(&5));
    assert_eq!(relay_events::count(&ws.store).await.unwrap(), 5);
    assert_eq!(
        relay.acked().await,
        outcome.cursor.unwrap().parse::<i64>().unwrap()
    );

    let nothing_new = sync::sync_with(&ws.store, &relay.client(), options)
        .await
        .unwrap();
    assert_eq!((nothing_new.pages, nothing_new.report.received), (1, 0));
    relay.stop().await;
}

async fn sqlx_exec(ws: &Workspace, sql: &str) {
    sqlx::query(sql)
        .execute(ws.store.pool())
        .await
        .expect("running test SQL");
}
