//! Mailgun: HMAC-SHA256 over timestamp and token, the token a nonce.

use herald_relay::event::{EventKind, Provider};
use herald_relay::webhooks::{Route, WebhookConfig, Webhooks};
use serde_json::{json, Value};

use crate::helpers::{at, call, call_at, fixture, refused, time, webhooks, NOW};

const KEY: &str = "key-herald-test-0123456789abcdef";
const URL: &str = "https://relay.example.com/webhooks/mailgun";
const TOKEN: &str = "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0";
// mailgun-failed-permanent.json carries its own known answer: timestamp
// NOW - 20 and the hex HMAC-SHA256 of timestamp + token under KEY, written
// by Python's hmac in sign_fixtures.py.

fn mailgun(key: &str) -> Webhooks {
    webhooks(WebhookConfig {
        mailgun_signing_key: Some(key.into()),
        ..WebhookConfig::default()
    })
}

fn body() -> Value {
    serde_json::from_slice(&fixture("mailgun-failed-permanent.json")).unwrap()
}

#[tokio::test]
async fn a_permanent_failure_becomes_a_hard_bounce_and_hands_back_the_token() {
    let accepted = call(
        &mailgun(KEY),
        Route::Mailgun,
        URL,
        &[],
        &fixture("mailgun-failed-permanent.json"),
    )
    .await
    .unwrap();
    assert_eq!(accepted.nonce, Some((Provider::Mailgun, TOKEN.to_owned())));
    let [event] = accepted.events.as_slice() else {
        panic!("one event expected: {:?}", accepted.events);
    };
    assert_eq!(event.kind, EventKind::Bounce);
    assert_eq!(event.provider, Some(Provider::Mailgun));
    assert_eq!(event.address.as_deref(), Some("ada@example.com"));
    assert_eq!(
        event.provider_event_id.as_deref(),
        Some("G9Bn5sl1TC6nu79C8C0bwg")
    );
    assert_eq!(
        event.provider_message_id.as_deref(),
        Some("20261201115950.1.F7A3C2@mg.example.org")
    );
    assert_eq!(event.at, time("2026-12-01T11:59:50.376Z"));
    assert_eq!(
        event.detail,
        json!({
            "bounce_type": "hard",
            "reason": "550 5.1.1 The email account that you tried to reach does not exist.",
        })
    );
}

#[tokio::test]
async fn a_replayed_token_with_another_event_carries_the_same_nonce_for_the_relay_to_refuse() {
    // The signature does not cover event-data: a captured signature verifies
    // on any event, which is why the token goes back to the relay, which
    // refuses a token it has stored with a different body.
    let mut replayed = body();
    replayed["event-data"]["recipient"] = json!("eve@example.com");
    let accepted = call(
        &mailgun(KEY),
        Route::Mailgun,
        URL,
        &[],
        replayed.to_string().as_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(accepted.nonce, Some((Provider::Mailgun, TOKEN.to_owned())));
}

#[tokio::test]
async fn a_temporary_failure_is_a_soft_bounce_and_unknown_events_produce_nothing() {
    let mut temporary = body();
    temporary["event-data"]["severity"] = json!("temporary");
    let accepted = call(
        &mailgun(KEY),
        Route::Mailgun,
        URL,
        &[],
        temporary.to_string().as_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(accepted.events[0].detail["bounce_type"], "soft");

    let mut opened = body();
    opened["event-data"]["event"] = json!("opened");
    let accepted = call(
        &mailgun(KEY),
        Route::Mailgun,
        URL,
        &[],
        opened.to_string().as_bytes(),
    )
    .await
    .unwrap();
    assert!(accepted.events.is_empty());
}

#[tokio::test]
async fn forged_and_stale_signatures_are_refused() {
    let good = fixture("mailgun-failed-permanent.json");
    let result = call(&mailgun("key-another"), Route::Mailgun, URL, &[], &good).await;
    assert_eq!(refused(result), 401, "wrong key");

    let mut later = body();
    later["signature"]["timestamp"] = json!((NOW + 100).to_string());
    let result = call(
        &mailgun(KEY),
        Route::Mailgun,
        URL,
        &[],
        later.to_string().as_bytes(),
    )
    .await;
    assert_eq!(refused(result), 401, "timestamp changed");

    let mut other_token = body();
    other_token["signature"]["token"] = json!("b".repeat(50));
    let result = call(
        &mailgun(KEY),
        Route::Mailgun,
        URL,
        &[],
        other_token.to_string().as_bytes(),
    )
    .await;
    assert_eq!(refused(result), 401, "token changed");

    let stale = at(NOW - 20 + 301);
    let result = call_at(&mailgun(KEY), Route::Mailgun, URL, &[], &good, stale).await;
    assert_eq!(refused(result), 403, "stale");

    let unsigned = json!({"event-data": body()["event-data"]}).to_string();
    let result = call(&mailgun(KEY), Route::Mailgun, URL, &[], unsigned.as_bytes()).await;
    assert_eq!(refused(result), 400, "no signature block");
}
