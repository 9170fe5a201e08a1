//! Amazon SES through SNS: RSA signatures by a certificate fetched from a
//! pinned SNS URL, the topic allow-list, subscription confirmation.

use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use herald_relay::event::{EventKind, Provider};
use herald_relay::webhooks::{Route, WebhookConfig, Webhooks};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::RsaPrivateKey;
use serde_json::{json, Value};

use crate::helpers::{call, fixture, fixture_text, refused, time, FakeFetcher};

const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:herald-ses-events";
const CERT_URL: &str =
    "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-7506a1e35b36ef5a444dd1a8e7cc3ed8.pem";
const URL: &str = "https://relay.example.com/webhooks/ses";
const MESSAGE_ID: &str = "0100019384a1b2c3-5d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e5f-000000";

// The fixtures ses-*.json were signed with `openssl dgst -sha1|-sha256 -sign`
// under sns-signing-key.pem, whose self-signed certificate is
// sns-signing-cert.pem (tests/fixtures/webhooks/sign_fixtures.py).

fn ses_with(topics: &[&str], fetcher: Arc<FakeFetcher>) -> Webhooks {
    let config = WebhookConfig {
        ses_topic_arns: topics.iter().map(|topic| topic.to_string()).collect(),
        ..WebhookConfig::default()
    };
    Webhooks::new(config, fetcher).unwrap()
}

fn serving_the_certificate() -> Arc<FakeFetcher> {
    FakeFetcher::serving(&[(CERT_URL, fixture("sns-signing-cert.pem"))])
}

/// `envelope` signed again by the fixture key, as SNS would (SHA-1 for
/// SignatureVersion 1), after a test changed a signed field.
fn resign(mut envelope: Value) -> Vec<u8> {
    let key = RsaPrivateKey::from_pkcs8_pem(&fixture_text("sns-signing-key.pem")).unwrap();
    let fields: &[&str] = if envelope["Type"] == "Notification" {
        &[
            "Message",
            "MessageId",
            "Subject",
            "Timestamp",
            "TopicArn",
            "Type",
        ]
    } else {
        &[
            "Message",
            "MessageId",
            "SubscribeURL",
            "Timestamp",
            "Token",
            "TopicArn",
            "Type",
        ]
    };
    let canonical: String = fields
        .iter()
        .filter_map(|field| Some(format!("{field}\n{}\n", envelope.get(*field)?.as_str()?)))
        .collect();
    envelope["SignatureVersion"] = json!("1");
    let signature = SigningKey::<sha1::Sha1>::new(key).sign(canonical.as_bytes());
    envelope["Signature"] = json!(STANDARD.encode(signature.to_bytes()));
    envelope.to_string().into_bytes()
}

fn envelope(name: &str) -> Value {
    serde_json::from_slice(&fixture(name)).unwrap()
}

#[tokio::test]
async fn a_bounce_becomes_one_hard_bounce_per_recipient_and_the_certificate_is_fetched_once() {
    let fetcher = serving_the_certificate();
    let ses = ses_with(&[TOPIC], fetcher.clone());
    let body = fixture("ses-bounce.json");
    let accepted = call(&ses, Route::Ses, URL, &[], &body).await.unwrap();
    call(&ses, Route::Ses, URL, &[], &body).await.unwrap();
    assert_eq!(fetcher.calls(), vec![CERT_URL.to_owned()]);

    assert_eq!(accepted.nonce, None);
    let events = &accepted.events;
    assert_eq!(events.len(), 2);
    for event in events {
        assert_eq!(event.kind, EventKind::Bounce);
        assert_eq!(event.provider, Some(Provider::Ses));
        assert_eq!(event.provider_message_id.as_deref(), Some(MESSAGE_ID));
        assert_eq!(event.at, time("2026-12-01T11:58:30Z"));
    }
    assert_eq!(events[0].address.as_deref(), Some("ada@example.com"));
    assert_eq!(
        events[0].provider_event_id.as_deref(),
        Some("22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324:ada@example.com")
    );
    assert_eq!(
        events[0].detail,
        json!({"bounce_type": "hard", "reason": "smtp; 550 5.1.1 user unknown"})
    );
    // No diagnostic code: the bounce's subtype is the reason.
    assert_eq!(events[1].address.as_deref(), Some("grace@example.com"));
    assert_eq!(
        events[1].detail,
        json!({"bounce_type": "hard", "reason": "General"})
    );
}

#[tokio::test]
async fn signature_version_2_complaints_and_deliveries_are_read() {
    let ses = ses_with(&[TOPIC], serving_the_certificate());
    let complaint = call(&ses, Route::Ses, URL, &[], &fixture("ses-complaint.json"))
        .await
        .unwrap();
    let kinds: Vec<_> = complaint
        .events
        .iter()
        .map(|e| (e.kind, e.address.clone()))
        .collect();
    assert_eq!(
        kinds,
        vec![(EventKind::Complaint, Some("grace@example.com".to_owned()))]
    );

    let delivery = call(&ses, Route::Ses, URL, &[], &fixture("ses-delivery.json"))
        .await
        .unwrap();
    let kinds: Vec<_> = delivery
        .events
        .iter()
        .map(|e| (e.kind, e.address.clone()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (EventKind::Delivered, Some("ada@example.com".to_owned())),
            (EventKind::Delivered, Some("grace@example.com".to_owned())),
        ]
    );
    assert_eq!(delivery.events[0].at, time("2026-12-01T11:58:05Z"));
}

#[tokio::test]
async fn a_subscription_confirmation_is_confirmed_and_produces_nothing() {
    let subscribe = envelope("ses-subscription-confirmation.json")["SubscribeURL"]
        .as_str()
        .unwrap()
        .to_owned();
    let fetcher = FakeFetcher::serving(&[
        (CERT_URL, fixture("sns-signing-cert.pem")),
        (&subscribe, b"<ConfirmSubscriptionResponse/>".to_vec()),
    ]);
    let ses = ses_with(&[TOPIC], fetcher.clone());
    let body = fixture("ses-subscription-confirmation.json");
    let accepted = call(&ses, Route::Ses, URL, &[], &body).await.unwrap();
    assert!(accepted.events.is_empty());
    assert_eq!(fetcher.calls(), vec![CERT_URL.to_owned(), subscribe]);
}

#[tokio::test]
async fn a_topic_off_the_allow_list_is_refused_before_anything_is_fetched() {
    let fetcher = serving_the_certificate();
    let ses = ses_with(
        &["arn:aws:sns:us-east-1:123456789012:other"],
        fetcher.clone(),
    );
    let result = call(&ses, Route::Ses, URL, &[], &fixture("ses-bounce.json")).await;
    assert_eq!(refused(result), 403);

    let mut other_topic = envelope("ses-bounce.json");
    other_topic["TopicArn"] = json!("arn:aws:sns:us-east-1:999999999999:attacker");
    let ses = ses_with(&[TOPIC], fetcher.clone());
    let result = call(&ses, Route::Ses, URL, &[], &resign(other_topic)).await;
    assert_eq!(refused(result), 403);
    assert!(fetcher.calls().is_empty());
}

#[tokio::test]
async fn certificate_urls_off_the_sns_hosts_are_never_fetched() {
    for url in [
        "https://sns.us-east-1.amazonaws.com.evil.example/x.pem",
        "http://sns.us-east-1.amazonaws.com/SimpleNotificationService-7506a1e35b36ef5a444dd1a8e7cc3ed8.pem",
        "https://evil.example/SimpleNotificationService.pem",
        "https://sns.us-east-1.amazonaws.com/x.pem?redirect=https://evil.example",
    ] {
        // The attacker's server would serve a certificate for its own key.
        let fetcher = FakeFetcher::serving(&[(url, fixture("sns-signing-cert.pem"))]);
        let mut forged = envelope("ses-bounce.json");
        forged["SigningCertURL"] = json!(url);
        let result = call(&ses_with(&[TOPIC], fetcher.clone()), Route::Ses, URL, &[], &resign(forged)).await;
        assert_eq!(refused(result), 403, "{url}");
        assert!(fetcher.calls().is_empty(), "{url} was fetched");
    }
}

#[tokio::test]
async fn tampered_messages_are_refused() {
    let ses = ses_with(&[TOPIC], serving_the_certificate());
    let mut tampered = envelope("ses-bounce.json");
    tampered["Message"] = json!(tampered["Message"]
        .as_str()
        .unwrap()
        .replace("ada@example.com", "eve@example.com"));
    let result = call(&ses, Route::Ses, URL, &[], tampered.to_string().as_bytes()).await;
    assert_eq!(refused(result), 401);

    let mut wrong_version = envelope("ses-bounce.json");
    wrong_version["SignatureVersion"] = json!("2");
    let result = call(
        &ses,
        Route::Ses,
        URL,
        &[],
        wrong_version.to_string().as_bytes(),
    )
    .await;
    assert_eq!(refused(result), 401);

    let mut unknown_version = envelope("ses-bounce.json");
    unknown_version["SignatureVersion"] = json!("3");
    let result = call(
        &ses,
        Route::Ses,
        URL,
        &[],
        unknown_version.to_string().as_bytes(),
    )
    .await;
    assert_eq!(refused(result), 401);
}

#[tokio::test]
async fn a_confirmation_url_off_the_sns_hosts_is_not_called() {
    let evil = "https://sns.us-east-1.amazonaws.com.evil.example/?Action=ConfirmSubscription";
    let fetcher = FakeFetcher::serving(&[
        (CERT_URL, fixture("sns-signing-cert.pem")),
        (evil, Vec::new()),
    ]);
    let mut forged = envelope("ses-subscription-confirmation.json");
    forged["SubscribeURL"] = json!(evil);
    let result = call(
        &ses_with(&[TOPIC], fetcher.clone()),
        Route::Ses,
        URL,
        &[],
        &resign(forged),
    )
    .await;
    assert_eq!(refused(result), 403);
    assert_eq!(fetcher.calls(), vec![CERT_URL.to_owned()]);
}

#[tokio::test]
async fn an_unreachable_certificate_gets_a_503_so_sns_retries() {
    let ses = ses_with(&[TOPIC], FakeFetcher::serving(&[]));
    let result = call(&ses, Route::Ses, URL, &[], &fixture("ses-bounce.json")).await;
    assert_eq!(refused(result), 503);
}

#[tokio::test]
async fn ses_without_topics_is_not_configured() {
    let ses = ses_with(&[], serving_the_certificate());
    let result = call(&ses, Route::Ses, URL, &[], &fixture("ses-bounce.json")).await;
    assert_eq!(refused(result), 404);
}
