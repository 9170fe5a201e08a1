//! Vonage: a bearer JWT, HS256 under the signature secret, binding the body
//! through `payload_hash`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use herald_relay::event::{EventKind, Provider};
use herald_relay::webhooks::{Route, WebhookConfig, WebhookError, Webhooks};
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::helpers::{call, fixture, refused, time, webhooks, NOW};

const SECRET: &str = "herald-test-vonage-signature-secret";
const URL: &str = "https://relay.example.com/webhooks/vonage/status";
// Known answers: HS256 JWTs with iat = NOW - 10 and payload_hash = hex
// SHA-256 of each fixture, made with Python's hmac/hashlib by
// tests/fixtures/webhooks/sign_fixtures.py.
const STATUS_JWT: &str = "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3OTYxMjYzOTAsImp0aSI6IjVjOGExZTViLTNkM2UtNGUxZS05YTYyLTJhMWY0YzdlOWQwMSIsImlzcyI6IlZvbmFnZSIsInBheWxvYWRfaGFzaCI6IjQ5MmY5NTFhZjdkNjk3ZjBmYzk4ZDEzOWQyZjUzMGY2NjcyYzg2NDhjMGU3YmNhZTEwYTExZjg4ZjYwNWMxMzgiLCJhcGlfa2V5IjoiYWJjZDEyMzQiLCJhcHBsaWNhdGlvbl9pZCI6ImFhYWFhYWFhLWJiYmItY2NjYy1kZGRkLTAxMjM0NTY3ODlhYiJ9.W60N_OKxzABMijdBjMCWlqgVfVRVzdrUXxqT4Ks2_uQ";
const INBOUND_JWT: &str = "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3OTYxMjYzOTAsImp0aSI6IjVjOGExZTViLTNkM2UtNGUxZS05YTYyLTJhMWY0YzdlOWQwMiIsImlzcyI6IlZvbmFnZSIsInBheWxvYWRfaGFzaCI6ImRiMGM0YmJkZjRjZjhiYWI5NWU1MjU3ZjUwNTJhZGNhYzU2MzU3OTM2ZWQ5N2M1OWIyM2Y2YWUxZTM5OTc5NzMiLCJhcGlfa2V5IjoiYWJjZDEyMzQiLCJhcHBsaWNhdGlvbl9pZCI6ImFhYWFhYWFhLWJiYmItY2NjYy1kZGRkLTAxMjM0NTY3ODlhYiJ9.UdJ1sedszXES660bjKnFAjiuUYCNl1-Hi_tolBHcaNc";

fn vonage() -> Webhooks {
    webhooks(WebhookConfig {
        vonage_signature_secret: Some(SECRET.into()),
        ..WebhookConfig::default()
    })
}

/// A JWT with this header and these claims, signed HS256 with `secret`.
fn jwt(secret: &str, header: &serde_json::Value, claims: &serde_json::Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(header.to_string());
    let claims = URL_SAFE_NO_PAD.encode(claims.to_string());
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{header}.{claims}").as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("Bearer {header}.{claims}.{signature}")
}

fn claims(iat: i64, body: &[u8]) -> serde_json::Value {
    json!({
        "iat": iat,
        "jti": "0b9f1c6e-0000-4000-8000-000000000001",
        "iss": "Vonage",
        "payload_hash": hex::encode(Sha256::digest(body)),
    })
}

#[tokio::test]
async fn a_rejected_message_becomes_a_failed_sms_status() {
    let body = fixture("vonage-status-rejected.json");
    let accepted = call(
        &vonage(),
        Route::VonageStatus,
        URL,
        &[("Authorization", STATUS_JWT)],
        &body,
    )
    .await
    .unwrap();
    let [event] = accepted.events.as_slice() else {
        panic!("one event expected: {:?}", accepted.events);
    };
    assert_eq!(event.kind, EventKind::SmsStatus);
    assert_eq!(event.provider, Some(Provider::Vonage));
    assert_eq!(event.at, time("2026-12-01T11:59:50Z"));
    assert_eq!(event.address.as_deref(), Some("+447700900000"));
    assert_eq!(
        event.provider_message_id.as_deref(),
        Some("aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab")
    );
    assert_eq!(
        event.provider_event_id.as_deref(),
        Some("aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab:failed")
    );
    assert_eq!(
        event.detail,
        json!({
            "status": "failed",
            "error_code": "1320",
            "error_message": "Message failed because the number is not a valid mobile number",
        })
    );
}

#[tokio::test]
async fn an_inbound_message_becomes_sms_inbound_with_e164_numbers() {
    let body = fixture("vonage-inbound.json");
    let url = "https://relay.example.com/webhooks/vonage/inbound";
    let accepted = call(
        &vonage(),
        Route::VonageInbound,
        url,
        &[("Authorization", INBOUND_JWT)],
        &body,
    )
    .await
    .unwrap();
    let [event] = accepted.events.as_slice() else {
        panic!("one event expected: {:?}", accepted.events);
    };
    assert_eq!(event.kind, EventKind::SmsInbound);
    assert_eq!(event.address.as_deref(), Some("+447700900000"));
    assert_eq!(
        event.detail,
        json!({ "to": "+447700900001", "body": "STOP" })
    );
}

#[tokio::test]
async fn statuses_map_onto_the_contracts() {
    let cases = [
        ("submitted", Some("sent")),
        ("delivered", Some("delivered")),
        ("undeliverable", Some("undelivered")),
        ("rejected", Some("failed")),
        ("accepted", None),
    ];
    for (vonage_status, contract) in cases {
        let body = json!({
            "message_uuid": "aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab",
            "to": "447700900000",
            "from": "447700900001",
            "timestamp": "2026-12-01T11:59:50Z",
            "status": vonage_status,
            "channel": "sms",
        })
        .to_string();
        let token = jwt(
            SECRET,
            &json!({"alg": "HS256", "typ": "JWT"}),
            &claims(NOW, body.as_bytes()),
        );
        let accepted = call(
            &vonage(),
            Route::VonageStatus,
            URL,
            &[("Authorization", &token)],
            body.as_bytes(),
        )
        .await
        .unwrap();
        let statuses: Vec<_> = accepted
            .events
            .iter()
            .map(|event| event.detail["status"].clone())
            .collect();
        assert_eq!(
            statuses,
            contract.into_iter().map(|s| json!(s)).collect::<Vec<_>>(),
            "{vonage_status}"
        );
    }
}

#[tokio::test]
async fn forged_tokens_are_refused() {
    let body = fixture("vonage-status-rejected.json");
    let hs256 = json!({"alg": "HS256", "typ": "JWT"});
    let fresh = claims(NOW - 10, &body);
    let unsigned_header = URL_SAFE_NO_PAD.encode(json!({"alg": "none", "typ": "JWT"}).to_string());
    let unsigned_claims = URL_SAFE_NO_PAD.encode(fresh.to_string());
    let cases = [
        (
            "alg none, no signature",
            format!("Bearer {unsigned_header}.{unsigned_claims}."),
        ),
        (
            "alg none, signed",
            jwt(SECRET, &json!({"alg": "none"}), &fresh),
        ),
        ("alg HS512", jwt(SECRET, &json!({"alg": "HS512"}), &fresh)),
        ("alg hs256", jwt(SECRET, &json!({"alg": "hs256"}), &fresh)),
        ("wrong secret", jwt("another-secret", &hs256, &fresh)),
        (
            "other body's hash",
            jwt(SECRET, &hs256, &claims(NOW - 10, b"{}")),
        ),
        ("no payload_hash", jwt(SECRET, &hs256, &json!({"iat": NOW}))),
        (
            "two segments",
            format!("Bearer {unsigned_header}.{unsigned_claims}"),
        ),
        ("basic auth", "Basic dXNlcjpwYXNz".to_owned()),
    ];
    for (case, authorization) in cases {
        let result = call(
            &vonage(),
            Route::VonageStatus,
            URL,
            &[("Authorization", &authorization)],
            &body,
        )
        .await;
        assert_eq!(refused(result), 401, "{case}");
    }
}

#[tokio::test]
async fn a_tampered_body_is_refused() {
    let body = String::from_utf8(fixture("vonage-status-rejected.json"))
        .unwrap()
        .replace("rejected", "delivered");
    let result = call(
        &vonage(),
        Route::VonageStatus,
        URL,
        &[("Authorization", STATUS_JWT)],
        body.as_bytes(),
    )
    .await;
    assert_eq!(refused(result), 401);
}

#[tokio::test]
async fn stale_and_expired_tokens_are_refused() {
    let body = fixture("vonage-status-rejected.json");
    let hs256 = json!({"alg": "HS256", "typ": "JWT"});
    let mut expired = claims(NOW - 10, &body);
    expired["exp"] = json!(NOW - 1);
    let cases = [
        (
            "issued 5 min 1 s ago",
            jwt(SECRET, &hs256, &claims(NOW - 301, &body)),
        ),
        (
            "issued 10 min ahead",
            jwt(SECRET, &hs256, &claims(NOW + 600, &body)),
        ),
        ("exp passed", jwt(SECRET, &hs256, &expired)),
    ];
    for (case, authorization) in cases {
        let result = call(
            &vonage(),
            Route::VonageStatus,
            URL,
            &[("Authorization", &authorization)],
            &body,
        )
        .await;
        assert_eq!(refused(result), 403, "{case}");
    }
    let edge = jwt(SECRET, &hs256, &claims(NOW - 300, &body));
    let accepted = call(
        &vonage(),
        Route::VonageStatus,
        URL,
        &[("Authorization", &edge)],
        &body,
    )
    .await;
    assert!(
        accepted.is_ok(),
        "issued exactly 5 minutes ago: {accepted:?}"
    );
}

#[tokio::test]
async fn an_unsigned_callback_gets_a_503_so_vonage_retries() {
    let body = fixture("vonage-status-rejected.json");
    let result = call(&vonage(), Route::VonageStatus, URL, &[], &body).await;
    assert_eq!(result, Err(WebhookError::Unsigned(Provider::Vonage)));
    assert_eq!(refused(result), 503);
}
