//! Vonage's SMS API through the router and the store: receipts and inbound
//! texts by GET and POST, a retried receipt stored once, and an unsigned
//! one stored never.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use herald_relay::event::{EventKind, Provider};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::helpers::*;

const SECRET: &str = "vonage-signature-secret";

async fn relay() -> TestRelay {
    TestRelay::with(|s| s.webhooks.vonage_signature_secret = Some(SECRET.into())).await
}

/// `params` with a `timestamp` of now and their `sig` (SHA-256 HMAC over
/// `&name=value`, sorted, `&` and `=` in values as `_`), as a form.
fn signed(params: &[(&str, &str)]) -> String {
    let timestamp = chrono::Utc::now().timestamp().to_string();
    let mut all: Vec<(&str, &str)> = params.to_vec();
    all.push(("timestamp", &timestamp));
    all.sort();
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    for (name, value) in &all {
        mac.update(format!("&{name}={}", value.replace(['&', '='], "_")).as_bytes());
    }
    let sig = hex::encode(mac.finalize().into_bytes());
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(all)
        .append_pair("sig", &sig)
        .finish()
}

fn delivered() -> String {
    signed(&[
        ("msisdn", "447700900000"),
        ("to", "Herald"),
        ("messageId", "0A0000000123ABCD"),
        ("status", "delivered"),
        ("err-code", "0"),
        ("nonce", "0b9f1c6e-0000-4000-8000-000000000002"),
    ])
}

#[tokio::test]
async fn a_receipt_by_get_is_stored_once_however_often_vonage_sends_it() {
    let relay = relay().await;
    let uri = format!("/webhooks/vonage/dlr?{}", delivered());
    for _ in 0..2 {
        let reply = relay.get(&uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    }
    let events = relay.events().await;
    assert_eq!(events.len(), 1, "{events:?}");
    let event = &events[0].event.event;
    assert_eq!(event.kind, EventKind::SmsStatus);
    assert_eq!(event.provider, Some(Provider::Vonage));
    assert_eq!(
        event.provider_message_id.as_deref(),
        Some("0A0000000123ABCD")
    );
    assert_eq!(event.address.as_deref(), Some("+447700900000"));
    assert_eq!(event.detail["status"], "delivered");
}

#[tokio::test]
async fn a_receipt_as_posted_json_is_stored() {
    let relay = relay().await;
    let params: serde_json::Map<String, serde_json::Value> =
        form_urlencoded::parse(delivered().as_bytes())
            .map(|(name, value)| (name.into_owned(), value.into_owned().into()))
            .collect();
    let request = Request::post("/webhooks/vonage/dlr")
        .header("content-type", "application/json")
        .body(Body::from(serde_json::Value::Object(params).to_string()))
        .unwrap();
    let reply = relay.send(request).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(relay.events().await.len(), 1);
}

#[tokio::test]
async fn an_inbound_stop_posted_as_a_form_is_stored_as_sms_inbound() {
    let relay = relay().await;
    let body = signed(&[
        ("msisdn", "447700900000"),
        ("to", "447700900001"),
        ("messageId", "0B0000000456CDEF"),
        ("text", "STOP"),
        ("type", "text"),
        ("keyword", "STOP"),
    ]);
    let reply = relay.post_form("/webhooks/vonage/inbound-sms", &body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let events = relay.events().await;
    let [stored] = events.as_slice() else {
        panic!("one event expected: {events:?}");
    };
    let event = &stored.event.event;
    assert_eq!(event.kind, EventKind::SmsInbound);
    assert_eq!(event.address.as_deref(), Some("+447700900000"));
    assert_eq!(event.detail["body"], "STOP");
    assert_eq!(event.detail["to"], "+447700900001");
}

#[tokio::test]
async fn an_unsigned_receipt_is_refused_and_stores_nothing() {
    let relay = relay().await;
    let unsigned = "msisdn=447700900000&to=Herald&messageId=0A0000000123ABCD&status=delivered";
    let reply = relay.get(&format!("/webhooks/vonage/dlr?{unsigned}")).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let reply = relay.post_form("/webhooks/vonage/dlr", unsigned).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(relay.events().await.is_empty());
}

#[tokio::test]
async fn the_sms_api_routes_take_only_get_and_post() {
    let relay = relay().await;
    let request = Request::put(format!("/webhooks/vonage/dlr?{}", delivered()))
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        relay.send(request).await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
    assert!(relay.events().await.is_empty());
}
