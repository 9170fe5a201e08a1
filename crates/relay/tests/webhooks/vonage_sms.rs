//! Vonage (SMS API): `sig`, an HMAC-SHA256 under the signature secret over
//! the sorted parameters, with a five-minute `timestamp`; receipts and
//! inbound texts as a POST form, POST JSON or GET query.

use herald_relay::event::{EventKind, Provider};
use herald_relay::webhooks::{Route, WebhookConfig, WebhookError, Webhooks};
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use crate::helpers::{at, call, call_at, fixture, fixture_text, refused, time, webhooks, NOW};

const SECRET: &str = "herald-test-vonage-signature-secret";
const DLR_URL: &str = "https://relay.example.com/webhooks/vonage/dlr";
const INBOUND_URL: &str = "https://relay.example.com/webhooks/vonage/inbound-sms";
const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");
const JSON: (&str, &str) = ("Content-Type", "application/json");

fn vonage(secret: &str) -> Webhooks {
    webhooks(WebhookConfig {
        vonage_signature_secret: Some(secret.into()),
        ..WebhookConfig::default()
    })
}

/// `params` with their `sig`, as a form, signed as the relay documents.
/// The known answers below were computed outside this code
/// (tests/fixtures/webhooks/sign_fixtures.py).
fn signed_form(secret: &str, params: &[(&str, &str)]) -> String {
    let mut sorted = params.to_vec();
    sorted.sort();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    for (name, value) in sorted {
        mac.update(format!("&{name}={}", value.replace(['&', '='], "_")).as_bytes());
    }
    let sig = hex::encode(mac.finalize().into_bytes());
    form(params.iter().copied().chain([("sig", sig.as_str())]))
}

fn form<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish()
}

fn receipt_params<'a>(
    status: &'a str,
    err_code: &'a str,
    timestamp: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("msisdn", "447700900000"),
        ("to", "Herald"),
        ("messageId", "0A0000000123ABCD"),
        ("status", status),
        ("err-code", err_code),
        ("message-timestamp", "2026-12-01 11:59:50"),
        ("timestamp", timestamp),
        ("nonce", "0b9f1c6e-0000-4000-8000-000000000001"),
    ]
}

#[tokio::test]
async fn vonages_own_library_test_vector_verifies() {
    // The Vonage Python library signs {a: 1, b: 2, timestamp: 1461605396}
    // with the secret "secret" to this SHA-256 HMAC. Once verified, it is
    // refused as a receipt without a messageId (400), not as forged (401).
    let sig = "a321e824b9b816be7c3f28859a31749a098713d39f613c80d455bbaffae1cd24";
    let then = at(1_461_605_396);
    for sig in [sig.to_owned(), sig.to_uppercase()] {
        let url = format!("{DLR_URL}?a=1&b=2&timestamp=1461605396&sig={sig}");
        let result = call_at(
            &vonage("secret"),
            Route::VonageSmsReceipt,
            &url,
            &[],
            b"",
            then,
        )
        .await;
        assert_eq!(refused(result), 400, "{sig}");
    }
    let forged = format!("{DLR_URL}?a=1&b=3&timestamp=1461605396&sig={sig}");
    let result = call_at(
        &vonage("secret"),
        Route::VonageSmsReceipt,
        &forged,
        &[],
        b"",
        then,
    )
    .await;
    assert_eq!(refused(result), 401);
}

#[tokio::test]
async fn a_failed_receipt_becomes_a_failed_sms_status_with_the_error_in_plain_words() {
    let body = fixture("vonage-sms-dlr-failed.form");
    let accepted = call(
        &vonage(SECRET),
        Route::VonageSmsReceipt,
        DLR_URL,
        &[FORM],
        &body,
    )
    .await
    .unwrap();
    assert_eq!(accepted.nonce, None);
    let [event] = accepted.events.as_slice() else {
        panic!("one event expected: {:?}", accepted.events);
    };
    assert_eq!(event.kind, EventKind::SmsStatus);
    assert_eq!(event.provider, Some(Provider::Vonage));
    assert_eq!(event.channel, Some(herald_core::Channel::Sms));
    assert_eq!(event.at, time("2026-12-01T11:59:50Z"));
    assert_eq!(event.address.as_deref(), Some("+447700900000"));
    assert_eq!(
        event.provider_message_id.as_deref(),
        Some("0A0000000123ABCD")
    );
    assert_eq!(
        event.provider_event_id.as_deref(),
        Some("0A0000000123ABCD:failed")
    );
    assert_eq!(
        event.detail,
        json!({
            "status": "failed",
            "error_code": "6",
            "error_message": "The carrier rejected the message as spam.",
        })
    );
}

#[tokio::test]
async fn the_same_receipt_as_a_get_query_verifies_and_reads_the_same() {
    let body = fixture_text("vonage-sms-dlr-failed.form");
    let posted = call(
        &vonage(SECRET),
        Route::VonageSmsReceipt,
        DLR_URL,
        &[FORM],
        body.as_bytes(),
    )
    .await
    .unwrap();
    let url = format!("{DLR_URL}?{body}");
    let got = call(&vonage(SECRET), Route::VonageSmsReceipt, &url, &[], b"")
        .await
        .unwrap();
    assert_eq!(got.events, posted.events);
}

#[tokio::test]
async fn an_inbound_stop_as_json_becomes_sms_inbound_with_e164_numbers() {
    let body = fixture("vonage-sms-inbound-stop.json");
    let accepted = call(
        &vonage(SECRET),
        Route::VonageSmsInbound,
        INBOUND_URL,
        &[JSON],
        &body,
    )
    .await
    .unwrap();
    let [event] = accepted.events.as_slice() else {
        panic!("one event expected: {:?}", accepted.events);
    };
    assert_eq!(event.kind, EventKind::SmsInbound);
    assert_eq!(event.address.as_deref(), Some("+447700900000"));
    assert_eq!(event.provider_event_id.as_deref(), Some("0B0000000456CDEF"));
    assert_eq!(event.at, time("2026-12-01T11:59:55Z"));
    assert_eq!(
        event.detail,
        json!({ "to": "+447700900001", "body": "STOP" })
    );
}

#[tokio::test]
async fn ampersands_and_equals_signs_in_a_value_are_signed_as_underscores() {
    // Known answer from sign_fixtures.py.
    let sig = "b2b0d5578f99577618c7723434db083d9beaf0cc370733e06f6694e57cbd6834";
    let timestamp = NOW.to_string();
    let body = form([
        ("msisdn", "447700900000"),
        ("to", "447700900001"),
        ("messageId", "0B0000000456CDF0"),
        ("text", "Stop & remove me=now"),
        ("type", "text"),
        ("timestamp", &timestamp),
        ("sig", sig),
    ]);
    let accepted = call(
        &vonage(SECRET),
        Route::VonageSmsInbound,
        INBOUND_URL,
        &[FORM],
        body.as_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(accepted.events[0].detail["body"], "Stop & remove me=now");
}

#[tokio::test]
async fn statuses_map_onto_the_contracts() {
    let cases = [
        ("delivered", "0", Some(json!({ "status": "delivered" }))),
        ("accepted", "0", Some(json!({ "status": "sent" }))),
        ("buffered", "0", Some(json!({ "status": "sent" }))),
        (
            "expired",
            "0",
            Some(json!({
                "status": "failed",
                "error_message": "The message expired before the carrier could deliver it.",
            })),
        ),
        (
            "rejected",
            "14",
            Some(json!({
                "status": "failed",
                "error_code": "14",
                "error_message": "The recipient's carrier blocked the number.",
            })),
        ),
        (
            "failed",
            "42",
            Some(json!({ "status": "failed", "error_code": "42" })),
        ),
        ("unknown", "0", None),
    ];
    let timestamp = NOW.to_string();
    for (status, err_code, detail) in cases {
        let body = signed_form(SECRET, &receipt_params(status, err_code, &timestamp));
        let accepted = call(
            &vonage(SECRET),
            Route::VonageSmsReceipt,
            DLR_URL,
            &[FORM],
            body.as_bytes(),
        )
        .await
        .unwrap();
        let details: Vec<_> = accepted.events.iter().map(|e| e.detail.clone()).collect();
        assert_eq!(details, detail.into_iter().collect::<Vec<_>>(), "{status}");
    }
}

#[tokio::test]
async fn a_replayed_receipt_maps_to_the_same_provider_event_id() {
    let body = fixture("vonage-sms-dlr-failed.form");
    let mut ids = Vec::new();
    for _ in 0..2 {
        let accepted = call(
            &vonage(SECRET),
            Route::VonageSmsReceipt,
            DLR_URL,
            &[FORM],
            &body,
        )
        .await
        .unwrap();
        ids.push(accepted.events[0].provider_event_id.clone());
    }
    assert_eq!(ids[0], ids[1]);
    assert_eq!(ids[0].as_deref(), Some("0A0000000123ABCD:failed"));
}

#[tokio::test]
async fn forged_receipts_are_refused() {
    let body = fixture_text("vonage-sms-dlr-failed.form");
    let unsigned = body.split("&sig=").next().unwrap().to_owned();
    let timestamp = NOW.to_string();
    let md5_length = format!("{unsigned}&sig={}", "ab".repeat(16));
    let sha512_length = format!("{unsigned}&sig={}", "ab".repeat(64));
    let cases = [
        ("no sig", SECRET, unsigned.clone()),
        ("empty sig", SECRET, format!("{unsigned}&sig=")),
        ("wrong secret", "another-secret", body.clone()),
        (
            "changed value",
            SECRET,
            body.replace("err-code=6", "err-code=0"),
        ),
        ("extra parameter", SECRET, format!("{body}&extra=1")),
        (
            "repeated parameter",
            SECRET,
            format!("status=delivered&{body}"),
        ),
        ("sig not hex", SECRET, format!("{unsigned}&sig=not-hex")),
        ("an MD5 signature", SECRET, md5_length),
        ("a SHA-512 signature", SECRET, sha512_length),
        (
            "no timestamp",
            SECRET,
            signed_form(
                SECRET,
                &receipt_params("delivered", "0", &timestamp)
                    .into_iter()
                    .filter(|(name, _)| *name != "timestamp")
                    .collect::<Vec<_>>(),
            ),
        ),
    ];
    for (case, secret, body) in cases {
        let result = call(
            &vonage(secret),
            Route::VonageSmsReceipt,
            DLR_URL,
            &[FORM],
            body.as_bytes(),
        )
        .await;
        assert_eq!(refused(result), 401, "{case}");
    }
}

#[tokio::test]
async fn a_signature_made_with_another_method_says_which_setting_to_change() {
    let body = fixture_text("vonage-sms-dlr-failed.form");
    let unsigned = body.split("&sig=").next().unwrap();
    let md5 = format!("{unsigned}&sig={}", "ab".repeat(16));
    let error = call(
        &vonage(SECRET),
        Route::VonageSmsReceipt,
        DLR_URL,
        &[FORM],
        md5.as_bytes(),
    )
    .await
    .unwrap_err();
    let message = error.to_string();
    assert!(message.contains("SHA-256 HMAC"), "{message}");
    assert!(!message.contains(SECRET));
}

#[tokio::test]
async fn timestamps_older_than_vonages_24_hour_retries_or_ahead_of_the_clock_are_refused() {
    // A retry keeps the timestamp of the first attempt, so an hour-old one
    // is Vonage retrying after an outage, not a replay to refuse.
    const DAY: i64 = 24 * 60 * 60;
    for (case, timestamp, expected) in [
        ("a retry an hour later", NOW - 3600, 200),
        ("a retry exactly 24 hours later", NOW - DAY, 200),
        ("24 hours and 1 s old", NOW - DAY - 1, 403),
        ("5 min ahead", NOW + 300, 200),
        ("5 min 1 s ahead", NOW + 301, 403),
    ] {
        let timestamp = timestamp.to_string();
        let body = signed_form(SECRET, &receipt_params("delivered", "0", &timestamp));
        let result = call(
            &vonage(SECRET),
            Route::VonageSmsReceipt,
            DLR_URL,
            &[FORM],
            body.as_bytes(),
        )
        .await;
        let status = result.map_or_else(|error| error.status().as_u16(), |_| 200);
        assert_eq!(status, expected, "{case}");
    }
}

#[tokio::test]
async fn nested_json_is_refused_as_malformed() {
    let body = json!({ "messageId": "0A", "msisdn": "447700900000", "status": { "x": 1 } });
    let result = call(
        &vonage(SECRET),
        Route::VonageSmsReceipt,
        DLR_URL,
        &[JSON],
        body.to_string().as_bytes(),
    )
    .await;
    assert_eq!(refused(result), 400);
}

#[tokio::test]
async fn the_sms_api_routes_without_a_signature_secret_are_not_configured() {
    let body = fixture("vonage-sms-dlr-failed.form");
    for route in [Route::VonageSmsReceipt, Route::VonageSmsInbound] {
        let result = call(
            &webhooks(WebhookConfig::default()),
            route,
            DLR_URL,
            &[FORM],
            &body,
        )
        .await;
        assert_eq!(result, Err(WebhookError::NotConfigured(Provider::Vonage)));
    }
}
