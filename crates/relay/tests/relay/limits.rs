//! Body limits, the per-IP rate limit and who may pick their bucket,
//! and webhooks that are never rate limited; webhook idempotency and
//! replay through the store.

use std::net::SocketAddr;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use herald_relay::net::IpNet;
use herald_relay::ratelimit::RateLimit;
use uuid::Uuid;

use crate::helpers::*;

fn limited(burst: u32) -> impl FnOnce(&mut herald_relay::config::Settings) {
    move |s| {
        s.rate_limit = RateLimit {
            per_second: 0.001,
            burst,
        }
    }
}

fn pixel_from(peer: &str, forwarded_for: Option<&str>) -> (SocketAddr, Request<Body>) {
    let mut request = Request::get(format!("/o/{}", open_token(Uuid::now_v7())));
    if let Some(xff) = forwarded_for {
        request = request.header("x-forwarded-for", xff);
    }
    (peer.parse().unwrap(), request.body(Body::empty()).unwrap())
}

#[tokio::test]
async fn public_bodies_over_the_limit_are_refused() {
    let relay = TestRelay::new().await;
    let token = unsubscribe_token(Uuid::now_v7());
    let body = format!("List-Unsubscribe=One-Click&pad={}", "x".repeat(8 * 1024));
    let reply = relay.post_form(&format!("/u/{token}"), &body).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(relay.events().await.is_empty());
}

#[tokio::test]
async fn a_client_over_its_burst_gets_429_and_others_do_not() {
    let relay = TestRelay::with(limited(3)).await;
    for _ in 0..3 {
        let (peer, request) = pixel_from("198.51.100.1:1000", None);
        assert_eq!(relay.send_from(peer, request).await.status, StatusCode::OK);
    }
    let (peer, request) = pixel_from("198.51.100.1:1001", None);
    let reply = relay.send_from(peer, request).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.header("retry-after"), Some("1"));
    let (peer, request) = pixel_from("198.51.100.2:1000", None);
    assert_eq!(relay.send_from(peer, request).await.status, StatusCode::OK);
    assert_eq!(relay.events().await.len(), 4);
}

#[tokio::test]
async fn forwarded_for_cannot_pick_a_fresh_bucket_without_a_trusted_proxy() {
    let relay = TestRelay::with(limited(2)).await;
    let statuses: Vec<StatusCode> = futures_statuses(&relay, "198.51.100.1:1000", 4).await;
    assert_eq!(
        statuses[2..],
        [StatusCode::TOO_MANY_REQUESTS, StatusCode::TOO_MANY_REQUESTS]
    );
}

async fn futures_statuses(relay: &TestRelay, peer: &str, n: usize) -> Vec<StatusCode> {
    let mut statuses = Vec::new();
    for i in 0..n {
        // A different forged X-Forwarded-For each time.
        let (peer, request) = pixel_from(peer, Some(&format!("192.0.2.{i}")));
        statuses.push(relay.send_from(peer, request).await.status);
    }
    statuses
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_bucket() {
    let relay = TestRelay::with(|s| {
        limited(2)(s);
        s.trusted_proxies = vec!["10.0.0.0/8".parse::<IpNet>().unwrap()];
    })
    .await;
    let statuses = futures_statuses(&relay, "10.0.0.5:5000", 4).await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
    let ips: Vec<_> = relay
        .events()
        .await
        .iter()
        .map(|e| e.event.event.ip.clone().unwrap())
        .collect();
    assert_eq!(ips, ["192.0.2.0", "192.0.2.1", "192.0.2.2", "192.0.2.3"]);
}

#[tokio::test]
async fn webhooks_are_never_rate_limited() {
    let relay = TestRelay::with(limited(1)).await;
    for i in 0..5 {
        let (body, signature) = generic_webhook(&format!("evt-{i}"), "ada@example.com");
        let reply = relay.send(generic_request(&body, &signature)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    }
    assert_eq!(relay.events().await.len(), 5);
}

#[tokio::test]
async fn a_webhook_retry_stores_nothing_new_and_a_replay_is_refused() {
    let relay = TestRelay::new().await;
    let (body, signature) = generic_webhook("evt-1", "ada@example.com");
    for _ in 0..2 {
        let reply = relay.send(generic_request(&body, &signature)).await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    assert_eq!(relay.events().await.len(), 1);
    // Same id, different (validly signed) body: a replay.
    let (other, other_signature) = generic_webhook("evt-1", "eve@example.com");
    let reply = relay.send(generic_request(&other, &other_signature)).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // A forged signature writes nothing either.
    let reply = relay.send(generic_request(&other, "t=1,v1=00")).await;
    assert!(reply.status.is_client_error());
    let events = relay.events().await;
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].event.event.address.as_deref(),
        Some("ada@example.com")
    );
}

fn twilio_signature(url: &str, params: &[(&str, &str)]) -> String {
    use base64::Engine as _;
    use hmac::{Hmac, Mac};
    let mut sorted = params.to_vec();
    sorted.sort();
    let mut data = url.to_owned();
    for (k, v) in sorted {
        data.push_str(k);
        data.push_str(v);
    }
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(b"twilio-auth-token").unwrap();
    mac.update(data.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[tokio::test]
async fn webhook_signatures_are_checked_against_the_public_url_not_the_host_header() {
    let relay =
        TestRelay::with(|s| s.webhooks.twilio_auth_token = Some("twilio-auth-token".into())).await;
    let params = [
        ("MessageSid", "SM0001"),
        ("MessageStatus", "delivered"),
        ("To", "+14155550100"),
    ];
    let body = "MessageSid=SM0001&MessageStatus=delivered&To=%2B14155550100";
    let send = |signature: String| {
        Request::post("/webhooks/twilio/status?attempt=1")
            .header("host", "evil.example")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-twilio-signature", signature)
            .body(Body::from(body))
            .unwrap()
    };
    // Signed for the Host header's URL: refused.
    let forged = twilio_signature(
        "https://evil.example/webhooks/twilio/status?attempt=1",
        &params,
    );
    assert_eq!(
        relay.send(send(forged)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert!(relay.events().await.is_empty());
    // Signed for the configured public URL (with the query as received): accepted.
    let genuine = twilio_signature(
        "https://relay.example.com/webhooks/twilio/status?attempt=1",
        &params,
    );
    let reply = relay.send(send(genuine)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let events = relay.events().await;
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].event.event.provider_message_id.as_deref(),
        Some("SM0001")
    );
}
