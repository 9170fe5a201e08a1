//! SendGrid: ECDSA P-256 over the timestamp and the raw body.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use herald_relay::event::{EventKind, Provider};
use herald_relay::webhooks::{ConfigError, Route, WebhookConfig, Webhooks};
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
use rsa::RsaPrivateKey;
use serde_json::json;

use crate::helpers::{at, call, call_at, fixture, fixture_text, refused, webhooks, FakeFetcher};

const URL: &str = "https://relay.example.com/webhooks/sendgrid";
const SIGNATURE_HEADER: &str = "X-Twilio-Email-Event-Webhook-Signature";
const TIMESTAMP_HEADER: &str = "X-Twilio-Email-Event-Webhook-Timestamp";
// Known answer: `openssl dgst -sha256 -sign sendgrid-signing-key.pem` over
// "1796126370" followed by sendgrid-events.json (sign_fixtures.py).
const TIMESTAMP: &str = "1796126370";
const SIGNATURE: &str = "MEUCIQD1d1mcH4zCnoe6/wabjU5Seu+8xab95eK2Q6IwtL+HjAIgfX8fSoEvkSv3UOzr8DFgOUnjO/0zBcUF2WSoAZ//nRs=";

// SendGrid's own example, from its libraries' tests of the Event Webhook.
const DOC_KEY: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==";
const DOC_OTHER_KEY: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA==";
const DOC_PAYLOAD: &str =
    r#"{"category":"example_payload","event":"test_event","message_id":"message_id"}"#;
const DOC_SIGNATURE: &str = "MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=";
const DOC_TIMESTAMP: &str = "1588788367";

fn sendgrid(key: &str) -> Webhooks {
    webhooks(WebhookConfig {
        sendgrid_public_key: Some(key.into()),
        ..WebhookConfig::default()
    })
}

#[tokio::test]
async fn sendgrids_documented_example_signature_verifies() {
    // The example body is one event, not the array SendGrid posts, so once
    // verified it is refused as malformed (400), not as forged (401).
    let headers = [
        (SIGNATURE_HEADER, DOC_SIGNATURE),
        (TIMESTAMP_HEADER, DOC_TIMESTAMP),
    ];
    let when = at(1_588_788_367);
    let result = call_at(
        &sendgrid(DOC_KEY),
        Route::Sendgrid,
        URL,
        &headers,
        DOC_PAYLOAD.as_bytes(),
        when,
    )
    .await;
    assert_eq!(refused(result), 400);

    let result = call_at(
        &sendgrid(DOC_OTHER_KEY),
        Route::Sendgrid,
        URL,
        &headers,
        DOC_PAYLOAD.as_bytes(),
        when,
    )
    .await;
    assert_eq!(refused(result), 401, "the other key");
    let other_time = [
        (SIGNATURE_HEADER, DOC_SIGNATURE),
        (TIMESTAMP_HEADER, "1388788367"),
    ];
    let result = call_at(
        &sendgrid(DOC_KEY),
        Route::Sendgrid,
        URL,
        &other_time,
        DOC_PAYLOAD.as_bytes(),
        when,
    )
    .await;
    assert_eq!(refused(result), 401, "another timestamp");
}

#[tokio::test]
async fn a_signed_batch_becomes_the_events_herald_tracks() {
    let key = fixture_text("sendgrid-public-key.txt");
    let headers = [(SIGNATURE_HEADER, SIGNATURE), (TIMESTAMP_HEADER, TIMESTAMP)];
    let accepted = call(
        &sendgrid(&key),
        Route::Sendgrid,
        URL,
        &headers,
        &fixture("sendgrid-events.json"),
    )
    .await
    .unwrap();
    let got: Vec<_> = accepted
        .events
        .iter()
        .map(|event| {
            (
                event.kind,
                event.address.clone().unwrap(),
                event.detail.clone(),
            )
        })
        .collect();
    let none = json!({});
    assert_eq!(
        got,
        vec![
            (EventKind::Delivered, "ada@example.com".into(), none.clone()),
            (
                EventKind::Bounce,
                "grace@example.com".into(),
                json!({"bounce_type": "hard", "reason": "550 5.1.1 The email account that you tried to reach does not exist."})
            ),
            (
                EventKind::Bounce,
                "linus@example.com".into(),
                json!({"bounce_type": "soft", "reason": "421 4.7.0 Try again later"})
            ),
            (
                EventKind::Bounce,
                "barbara@example.com".into(),
                json!({"bounce_type": "hard", "reason": "Bounced Address"})
            ),
            (
                EventKind::Complaint,
                "margaret@example.com".into(),
                none.clone()
            ),
            (EventKind::Unsubscribe, "alan@example.com".into(), none),
        ]
    );
    let first = &accepted.events[0];
    assert_eq!(first.provider, Some(Provider::Sendgrid));
    assert_eq!(
        first.provider_event_id.as_deref(),
        Some("ZGVsaXZlcmVkLTAtMjQ")
    );
    assert_eq!(
        first.provider_message_id.as_deref(),
        Some("Ugt9kyT3QWS3MeBtjcklPA")
    );
    assert_eq!(first.at, at(1_796_126_300));
}

#[tokio::test]
async fn tampered_stale_and_unsigned_batches_are_refused() {
    let key = fixture_text("sendgrid-public-key.txt");
    let body = fixture("sendgrid-events.json");
    let headers = [(SIGNATURE_HEADER, SIGNATURE), (TIMESTAMP_HEADER, TIMESTAMP)];
    let tampered = String::from_utf8(body.clone())
        .unwrap()
        .replace("\"bounce\"", "\"delivered\"");
    let result = call(
        &sendgrid(&key),
        Route::Sendgrid,
        URL,
        &headers,
        tampered.as_bytes(),
    )
    .await;
    assert_eq!(refused(result), 401, "tampered");

    let stale = at(1_796_126_370 + 301);
    let result = call_at(
        &sendgrid(&key),
        Route::Sendgrid,
        URL,
        &headers,
        &body,
        stale,
    )
    .await;
    assert_eq!(refused(result), 403, "stale");

    let result = call(
        &sendgrid(&key),
        Route::Sendgrid,
        URL,
        &[(TIMESTAMP_HEADER, TIMESTAMP)],
        &body,
    )
    .await;
    assert_eq!(refused(result), 401, "unsigned");
    let moved = [
        (SIGNATURE_HEADER, SIGNATURE),
        (TIMESTAMP_HEADER, "1796126371"),
    ];
    let result = call(&sendgrid(&key), Route::Sendgrid, URL, &moved, &body).await;
    assert_eq!(refused(result), 401, "timestamp changed");
}

#[test]
fn the_key_may_be_pem_and_must_be_a_p256_key() {
    let config = |key: &str| WebhookConfig {
        sendgrid_public_key: Some(key.into()),
        ..WebhookConfig::default()
    };
    let new = |key: &str| Webhooks::new(config(key), FakeFetcher::serving(&[]));
    let base64 = fixture_text("sendgrid-public-key.txt");
    let wrapped: Vec<String> = base64
        .trim()
        .as_bytes()
        .chunks(64)
        .map(|line| String::from_utf8(line.to_vec()).unwrap())
        .collect();
    let pem = format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        wrapped.join("\n")
    );
    assert!(new(&pem).is_ok());
    assert!(new(&format!(
        "-----BEGIN PUBLIC KEY-----{}-----END PUBLIC KEY-----",
        base64.trim()
    ))
    .is_ok());

    // An RSA key (the SNS fixture's) is a public key, but not a P-256 one.
    let rsa = RsaPrivateKey::from_pkcs8_pem(&fixture_text("sns-signing-key.pem")).unwrap();
    let rsa_spki = STANDARD.encode(rsa.to_public_key().to_public_key_der().unwrap().as_bytes());
    for not_a_key in ["bm90IGEga2V5", "not base64!", rsa_spki.as_str()] {
        assert_eq!(
            new(not_a_key).unwrap_err(),
            ConfigError::SendgridKey,
            "{not_a_key}"
        );
    }
}
