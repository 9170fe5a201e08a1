//! Postmark: HTTP Basic credentials from the webhook URL.

use herald_relay::event::{EventKind, Provider};
use herald_relay::webhooks::{Route, WebhookConfig, Webhooks};
use serde_json::json;

use crate::helpers::{call, fixture, refused, time, webhooks};

const URL: &str = "https://relay.example.com/webhooks/postmark";
// base64("herald-postmark:s3cret-pa55word"), by Python's base64 module.
const AUTHORIZATION: &str = "Basic aGVyYWxkLXBvc3RtYXJrOnMzY3JldC1wYTU1d29yZA==";

fn postmark() -> Webhooks {
    webhooks(WebhookConfig {
        postmark_basic: Some(("herald-postmark".into(), "s3cret-pa55word".into())),
        ..WebhookConfig::default()
    })
}

async fn one_event(name: &str) -> herald_relay::event::NewEvent {
    let accepted = call(
        &postmark(),
        Route::Postmark,
        URL,
        &[("Authorization", AUTHORIZATION)],
        &fixture(name),
    )
    .await
    .unwrap();
    let [event] = <[_; 1]>::try_from(accepted.events).expect("one event");
    assert_eq!(event.provider, Some(Provider::Postmark));
    event
}

#[tokio::test]
async fn a_hard_bounce_record_becomes_a_hard_bounce_keyed_by_its_id() {
    let event = one_event("postmark-bounce.json").await;
    assert_eq!(event.kind, EventKind::Bounce);
    assert_eq!(event.address.as_deref(), Some("ada@example.com"));
    assert_eq!(
        event.provider_event_id.as_deref(),
        Some("4323372036854775807")
    );
    assert_eq!(
        event.provider_message_id.as_deref(),
        Some("883953f4-6105-42a2-a16a-77a8eac79483")
    );
    assert_eq!(event.at, time("2026-12-01T11:58:54.9070259Z"));
    assert_eq!(
        event.detail,
        json!({
            "bounce_type": "hard",
            "reason": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        })
    );
}

#[tokio::test]
async fn deliveries_complaints_and_suppressions_are_read() {
    let delivery = one_event("postmark-delivery.json").await;
    assert_eq!(delivery.kind, EventKind::Delivered);
    assert_eq!(delivery.address.as_deref(), Some("grace@example.com"));
    assert_eq!(
        delivery.provider_event_id.as_deref(),
        Some("Delivery:00000000-0000-4000-8000-000000000001:grace@example.com")
    );

    let complaint = one_event("postmark-spam-complaint.json").await;
    assert_eq!(complaint.kind, EventKind::Complaint);
    assert_eq!(complaint.address.as_deref(), Some("linus@example.com"));
    assert_eq!(complaint.provider_event_id.as_deref(), Some("42"));

    let unsubscribe = one_event("postmark-subscription-change.json").await;
    assert_eq!(unsubscribe.kind, EventKind::Unsubscribe);
    assert_eq!(unsubscribe.address.as_deref(), Some("margaret@example.com"));
    assert_eq!(unsubscribe.at, time("2026-12-01T11:59:45.416071Z"));
}

#[tokio::test]
async fn bounce_types_map_to_hard_soft_or_nothing() {
    let cases = [
        ("HardBounce", Some((EventKind::Bounce, Some("hard")))),
        ("SoftBounce", Some((EventKind::Bounce, Some("soft")))),
        ("Transient", Some((EventKind::Bounce, Some("soft")))),
        ("SpamComplaint", Some((EventKind::Complaint, None))),
        ("AutoResponder", None),
    ];
    for (bounce_type, expected) in cases {
        let mut record: serde_json::Value =
            serde_json::from_slice(&fixture("postmark-bounce.json")).unwrap();
        record["Type"] = json!(bounce_type);
        let body = record.to_string();
        let accepted = call(
            &postmark(),
            Route::Postmark,
            URL,
            &[("Authorization", AUTHORIZATION)],
            body.as_bytes(),
        )
        .await
        .unwrap();
        let got: Vec<_> = accepted
            .events
            .iter()
            .map(|event| {
                (
                    event.kind,
                    event.detail.get("bounce_type").and_then(|t| t.as_str()),
                )
            })
            .collect();
        assert_eq!(
            got,
            expected.into_iter().collect::<Vec<_>>(),
            "{bounce_type}"
        );
    }
}

#[tokio::test]
async fn wrong_or_missing_credentials_are_refused() {
    let body = fixture("postmark-bounce.json");
    let cases = [
        // base64("herald-postmark:wrong")
        ("wrong password", "Basic aGVyYWxkLXBvc3RtYXJrOndyb25n"),
        // base64("someone:s3cret-pa55word")
        ("wrong user", "Basic c29tZW9uZTpzM2NyZXQtcGE1NXdvcmQ="),
        // base64("herald-postmark:s3cret-pa55word2")
        (
            "longer password",
            "Basic aGVyYWxkLXBvc3RtYXJrOnMzY3JldC1wYTU1d29yZDI=",
        ),
        (
            "bearer",
            "Bearer aGVyYWxkLXBvc3RtYXJrOnMzY3JldC1wYTU1d29yZA==",
        ),
        ("not base64", "Basic %%%"),
    ];
    for (case, authorization) in cases {
        let result = call(
            &postmark(),
            Route::Postmark,
            URL,
            &[("Authorization", authorization)],
            &body,
        )
        .await;
        assert_eq!(refused(result), 401, "{case}");
    }
    let result = call(&postmark(), Route::Postmark, URL, &[], &body).await;
    assert_eq!(refused(result), 401, "no credentials");
    let unconfigured = webhooks(WebhookConfig::default());
    let result = call(
        &unconfigured,
        Route::Postmark,
        URL,
        &[("Authorization", AUTHORIZATION)],
        &body,
    )
    .await;
    assert_eq!(refused(result), 404);
}
