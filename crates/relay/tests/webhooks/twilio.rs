//! Twilio: `X-Twilio-Signature` over the configured URL and the sorted
//! POST parameters.

use herald_relay::event::{EventKind, Provider};
use herald_relay::webhooks::{Reply, Route, WebhookConfig, WebhookError, Webhooks};
use serde_json::json;

use crate::helpers::{call, fixture, refused, webhooks};

const TOKEN: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const STATUS_URL: &str = "https://relay.example.com/webhooks/twilio/status";
const INBOUND_URL: &str = "https://relay.example.com/webhooks/twilio/inbound";
// Known answers: base64(HMAC-SHA1(TOKEN, url + sorted name+value pairs)),
// computed with Python's hmac by tests/fixtures/webhooks/sign_fixtures.py.
const STATUS_SIGNATURE: &str = "2gkrmWMgLL0hL4+uAOZ7oiY1lbo=";
const INBOUND_SIGNATURE: &str = "V2xnEd5xVU3OsWu1i0nlEaJbA6c=";

fn twilio(token: &str) -> Webhooks {
    webhooks(WebhookConfig {
        twilio_auth_token: Some(token.into()),
        ..WebhookConfig::default()
    })
}

#[tokio::test]
async fn twilios_documented_example_signature_verifies() {
    // Twilio's security documentation: auth token 12345, this URL and these
    // parameters sign to RSOYDt4T1cUTdK1PDd93/VVr8B8=. It is a voice call,
    // so once verified it is refused as a malformed SMS callback (400), not
    // as forged (401).
    let body = b"Digits=1234&To=%2B18005551212&From=%2B14158675309&Caller=%2B14158675309&CallSid=CA1234567890ABCDE";
    let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    let headers = [("X-Twilio-Signature", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")];
    let result = call(&twilio("12345"), Route::TwilioStatus, url, &headers, body).await;
    assert_eq!(refused(result), 400);

    let forged = [("X-Twilio-Signature", "RSOYDt4T1cUTdK1PDd93/VVr8B9=")];
    let result = call(&twilio("12345"), Route::TwilioStatus, url, &forged, body).await;
    assert_eq!(refused(result), 401);
}

#[tokio::test]
async fn a_status_callback_becomes_an_sms_status_with_the_error_in_plain_words() {
    let body = fixture("twilio-status-undelivered.form");
    let headers = [("X-Twilio-Signature", STATUS_SIGNATURE)];
    let accepted = call(
        &twilio(TOKEN),
        Route::TwilioStatus,
        STATUS_URL,
        &headers,
        &body,
    )
    .await
    .unwrap();

    assert_eq!(accepted.reply, Reply::Empty);
    assert_eq!(accepted.nonce, None);
    let [event] = accepted.events.as_slice() else {
        panic!("one event expected: {:?}", accepted.events);
    };
    assert_eq!(event.kind, EventKind::SmsStatus);
    assert_eq!(event.provider, Some(Provider::Twilio));
    assert_eq!(event.channel, Some(herald_core::Channel::Sms));
    assert_eq!(
        event.provider_message_id.as_deref(),
        Some("SM1f0e8ae6ade43cb3c0ce4525424e404f")
    );
    assert_eq!(
        event.provider_event_id.as_deref(),
        Some("SM1f0e8ae6ade43cb3c0ce4525424e404f:undelivered")
    );
    assert_eq!(event.address.as_deref(), Some("+15558675310"));
    assert_eq!(
        event.detail,
        json!({
            "status": "undelivered",
            "error_code": "30003",
            "error_message": "The phone is unreachable: switched off or out of coverage.",
        })
    );
}

#[tokio::test]
async fn an_inbound_message_becomes_sms_inbound_answered_with_empty_twiml() {
    let body = fixture("twilio-inbound.form");
    let headers = [("X-Twilio-Signature", INBOUND_SIGNATURE)];
    let accepted = call(
        &twilio(TOKEN),
        Route::TwilioInbound,
        INBOUND_URL,
        &headers,
        &body,
    )
    .await
    .unwrap();

    assert_eq!(accepted.reply, Reply::Xml("<Response/>"));
    let [event] = accepted.events.as_slice() else {
        panic!("one event expected: {:?}", accepted.events);
    };
    assert_eq!(event.kind, EventKind::SmsInbound);
    assert_eq!(event.address.as_deref(), Some("+15558675310"));
    assert_eq!(
        event.provider_event_id.as_deref(),
        Some("SM7c3b5e4e1f2a4d6c8b9a0f1e2d3c4b5a")
    );
    assert_eq!(
        event.detail,
        json!({ "to": "+15017122661", "body": "Stop please" })
    );
}

#[tokio::test]
async fn parameters_in_another_order_verify_since_twilio_signs_them_sorted() {
    let body = fixture("twilio-status-undelivered.form");
    let mut pairs: Vec<&[u8]> = body.split(|byte| *byte == b'&').collect();
    pairs.reverse();
    let reordered = pairs.join(&b'&');
    let headers = [("X-Twilio-Signature", STATUS_SIGNATURE)];
    let accepted = call(
        &twilio(TOKEN),
        Route::TwilioStatus,
        STATUS_URL,
        &headers,
        &reordered,
    )
    .await
    .unwrap();
    assert_eq!(accepted.events.len(), 1);
}

#[tokio::test]
async fn forged_status_callbacks_are_refused() {
    let body = fixture("twilio-status-undelivered.form");
    let good = [("X-Twilio-Signature", STATUS_SIGNATURE)];
    let with_extra = [body.as_slice(), b"&Extra=1"].concat();
    let delivered = String::from_utf8(body.clone())
        .unwrap()
        .replace("MessageStatus=undelivered", "MessageStatus=delivered");
    type Headers<'a> = &'a [(&'a str, &'a str)];
    let cases: Vec<(&str, &str, Vec<u8>, Headers)> = vec![
        ("wrong auth token", STATUS_URL, body.clone(), &good),
        ("extra parameter", STATUS_URL, with_extra, &good),
        ("changed value", STATUS_URL, delivered.into_bytes(), &good),
        (
            "http URL",
            "http://relay.example.com/webhooks/twilio/status",
            body.clone(),
            &good,
        ),
        ("other path", INBOUND_URL, body.clone(), &good),
        (
            "extra query",
            "https://relay.example.com/webhooks/twilio/status?x=1",
            body.clone(),
            &good,
        ),
        ("no signature", STATUS_URL, body.clone(), &[]),
        (
            "not base64",
            STATUS_URL,
            body.clone(),
            &[("X-Twilio-Signature", "not base64!")],
        ),
    ];
    for (case, url, body, headers) in cases {
        let token = if case == "wrong auth token" {
            "0".repeat(32)
        } else {
            TOKEN.to_owned()
        };
        let result = call(&twilio(&token), Route::TwilioStatus, url, headers, &body).await;
        assert_eq!(refused(result), 401, "{case}");
    }
}

#[tokio::test]
async fn twilio_without_an_auth_token_is_not_configured() {
    let body = fixture("twilio-status-undelivered.form");
    let headers = [("X-Twilio-Signature", STATUS_SIGNATURE)];
    let result = call(
        &webhooks(WebhookConfig::default()),
        Route::TwilioStatus,
        STATUS_URL,
        &headers,
        &body,
    )
    .await;
    assert_eq!(result, Err(WebhookError::NotConfigured(Provider::Twilio)));
    assert_eq!(result.unwrap_err().status().as_u16(), 404);
}

#[tokio::test]
async fn a_refusal_names_what_failed_without_the_secret_or_signature() {
    let body = fixture("twilio-status-undelivered.form");
    let headers = [("X-Twilio-Signature", STATUS_SIGNATURE)];
    let error = call(
        &twilio("another-token"),
        Route::TwilioStatus,
        STATUS_URL,
        &headers,
        &body,
    )
    .await
    .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("X-Twilio-Signature does not match"),
        "{message}"
    );
    assert!(!message.contains("another-token") && !message.contains(STATUS_SIGNATURE));
}
