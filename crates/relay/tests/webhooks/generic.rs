//! The generic webhook: `X-Herald-Signature` under the workspace key.

use herald_relay::event::{EventKind, Provider};
use herald_relay::webhooks::{Route, WebhookConfig, Webhooks};
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use crate::helpers::{at, call, call_at, fixture, refused, time, webhooks, NOW};

const URL: &str = "https://relay.example.com/webhooks/generic";
// Known answer: hex HMAC-SHA256 under the secret bytes 0, 1, ..., 31 of
// "1796126395." followed by generic-bounce.json, by Python's hmac
// (sign_fixtures.py).
const SIGNATURE: &str =
    "t=1796126395,v1=17315b20d3e66470d39c5dc65cc300aeaad5e1d8cce72d2b4040095c64350425";

fn secret() -> [u8; 32] {
    std::array::from_fn(|i| i as u8)
}

fn generic(keys: Vec<[u8; 32]>) -> Webhooks {
    webhooks(WebhookConfig {
        generic_keys: keys,
        ..WebhookConfig::default()
    })
}

fn sign(key: &[u8; 32], t: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

#[tokio::test]
async fn a_signed_bounce_becomes_a_bounce_with_its_id_as_nonce() {
    let body = fixture("generic-bounce.json");
    let accepted = call(
        &generic(vec![secret()]),
        Route::Generic,
        URL,
        &[("X-Herald-Signature", SIGNATURE)],
        &body,
    )
    .await
    .unwrap();
    assert_eq!(
        accepted.nonce,
        Some((Provider::Generic, "evt_01JDQ3Z8K4".to_owned()))
    );
    let [event] = accepted.events.as_slice() else {
        panic!("one event expected: {:?}", accepted.events);
    };
    assert_eq!(event.kind, EventKind::Bounce);
    assert_eq!(event.provider, Some(Provider::Generic));
    assert_eq!(event.channel, None);
    assert_eq!(event.provider_event_id.as_deref(), Some("evt_01JDQ3Z8K4"));
    assert_eq!(
        event.provider_message_id.as_deref(),
        Some("msg-20261201-0001")
    );
    assert_eq!(event.address.as_deref(), Some("ada@example.com"));
    assert_eq!(event.at, time("2026-12-01T11:59:00Z"));
    assert_eq!(
        event.detail,
        json!({"bounce_type": "soft", "reason": "452 4.2.2 Mailbox full"})
    );
}

#[tokio::test]
async fn the_previous_key_still_verifies_during_a_rotation() {
    let body = fixture("generic-bounce.json");
    let current = [7u8; 32];
    let accepted = call(
        &generic(vec![current, secret()]),
        Route::Generic,
        URL,
        &[("X-Herald-Signature", SIGNATURE)],
        &body,
    )
    .await;
    assert!(accepted.is_ok(), "{accepted:?}");
}

#[tokio::test]
async fn forged_stale_and_unsigned_events_are_refused() {
    let body = fixture("generic-bounce.json");
    let webhooks = generic(vec![secret()]);
    let tampered = String::from_utf8(body.clone())
        .unwrap()
        .replace("soft", "hard");
    let cases: Vec<(&str, String, Vec<u8>)> = vec![
        ("wrong key", sign(&[9; 32], NOW, &body), body.clone()),
        ("tampered body", SIGNATURE.to_owned(), tampered.into_bytes()),
        (
            "timestamp changed",
            SIGNATURE.replace("1796126395", "1796126396"),
            body.clone(),
        ),
        ("no v1", "t=1796126395".to_owned(), body.clone()),
        (
            "no t",
            "v1=17315b20d3e66470d39c5dc65cc300aeaad5e1d8cce72d2b4040095c64350425".to_owned(),
            body.clone(),
        ),
    ];
    for (case, header, body) in cases {
        let result = call(
            &webhooks,
            Route::Generic,
            URL,
            &[("X-Herald-Signature", &header)],
            &body,
        )
        .await;
        assert_eq!(refused(result), 401, "{case}");
    }
    let result = call(&webhooks, Route::Generic, URL, &[], &body).await;
    assert_eq!(refused(result), 401, "unsigned");

    let stale = at(1_796_126_395 + 301);
    let result = call_at(
        &webhooks,
        Route::Generic,
        URL,
        &[("X-Herald-Signature", SIGNATURE)],
        &body,
        stale,
    )
    .await;
    assert_eq!(refused(result), 403, "stale");
}

#[tokio::test]
async fn a_verified_body_outside_the_format_is_a_400() {
    let webhooks = generic(vec![secret()]);
    for body in [
        json!({"id": "e1", "kind": "opened", "address": "ada@example.com"}),
        json!({"id": "e1", "kind": "bounce", "address": "ada@example.com"}),
        json!({"id": "", "kind": "delivered", "address": "ada@example.com"}),
        json!({"id": "e1", "kind": "delivered", "address": "ada@example.com", "at": "yesterday"}),
        json!({"kind": "delivered", "address": "ada@example.com"}),
    ] {
        let body = body.to_string();
        let header = sign(&secret(), NOW, body.as_bytes());
        let result = call(
            &webhooks,
            Route::Generic,
            URL,
            &[("X-Herald-Signature", &header)],
            body.as_bytes(),
        )
        .await;
        assert_eq!(refused(result), 400, "{body}");
    }
}

#[tokio::test]
async fn generic_without_keys_is_not_configured() {
    let body = fixture("generic-bounce.json");
    let result = call(
        &generic(Vec::new()),
        Route::Generic,
        URL,
        &[("X-Herald-Signature", SIGNATURE)],
        &body,
    )
    .await;
    assert_eq!(refused(result), 404);
}
