//! The open pixel and the click redirect, including open-redirect attempts.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use herald_relay::event::EventKind;
use uuid::Uuid;

use crate::helpers::*;

const GIF_MAGIC: &[u8] = b"GIF89a";

#[tokio::test]
async fn the_pixel_records_an_open_with_the_user_agent_and_address() {
    let relay = TestRelay::new().await;
    let recipient = Uuid::now_v7();
    let reply = relay.get(&format!("/o/{}", open_token(recipient))).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), Some("image/gif"));
    assert!(reply.header("cache-control").unwrap().contains("no-store"));
    assert!(reply.body.starts_with(GIF_MAGIC));
    let events = relay.events().await;
    assert_eq!(events.len(), 1);
    let open = &events[0].event.event;
    assert_eq!(open.kind, EventKind::Open);
    assert_eq!(open.recipient_id, Some(recipient));
    assert_eq!(open.user_agent.as_deref(), Some(BROWSER));
    assert_eq!(open.ip.as_deref(), Some("203.0.113.7"));
    assert!(!open.machine);
}

#[tokio::test]
async fn a_privacy_proxy_open_is_flagged_as_machine() {
    let relay = TestRelay::new().await;
    let request = Request::get(format!("/o/{}", open_token(Uuid::now_v7())))
        .header("user-agent", "Mozilla/5.0")
        .body(Body::empty())
        .unwrap();
    assert_eq!(relay.send(request).await.status, StatusCode::OK);
    let events = relay.events().await;
    assert!(events[0].event.event.machine);
    assert_eq!(
        events[0].event.event.detail["machine_reason"],
        "apple_mail_privacy"
    );
}

#[tokio::test]
async fn the_pixel_for_a_bad_token_is_the_same_gif_and_records_nothing() {
    let relay = TestRelay::new().await;
    let good = relay
        .get(&format!("/o/{}", open_token(Uuid::now_v7())))
        .await;
    let click = click_token(Uuid::now_v7(), "https://example.com/");
    for bad in ["nonsense", "AAAA", &click, "%ff%fe", &"A".repeat(3000)] {
        let reply = relay.get(&format!("/o/{bad}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{bad}");
        assert_eq!(reply.body, good.body);
        assert_eq!(reply.header("content-type"), Some("image/gif"));
    }
    assert_eq!(relay.events().await.len(), 1);
}

#[tokio::test]
async fn a_click_redirects_to_the_signed_url_and_records_it() {
    let relay = TestRelay::new().await;
    let url = "https://example.com/spring?utm_source=herald&x=%20y";
    let reply = relay
        .get(&format!("/c/{}", click_token(Uuid::now_v7(), url)))
        .await;
    assert_eq!(reply.status, StatusCode::FOUND);
    assert_eq!(reply.header("location"), Some(url));
    assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
    let events = relay.events().await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event.event.kind, EventKind::Click);
    assert_eq!(events[0].event.event.url.as_deref(), Some(url));
    assert!(!events[0].event.event.machine);
}

#[tokio::test]
async fn head_requests_and_scanners_are_flagged_as_machine_clicks() {
    let relay = TestRelay::new().await;
    let token = click_token(Uuid::now_v7(), "https://example.com/");
    let head = Request::head(format!("/c/{token}"))
        .header("user-agent", BROWSER)
        .body(Body::empty())
        .unwrap();
    let reply = relay.send(head).await;
    assert_eq!(reply.status, StatusCode::FOUND);
    assert_eq!(reply.header("location"), Some("https://example.com/"));
    let scanner = Request::get(format!("/c/{token}"))
        .header(
            "user-agent",
            "Mozilla/5.0 (compatible; Barracuda Sentinel/1.0)",
        )
        .body(Body::empty())
        .unwrap();
    assert_eq!(relay.send(scanner).await.status, StatusCode::FOUND);
    let reasons: Vec<_> = relay
        .events()
        .await
        .iter()
        .map(|e| {
            (
                e.event.event.machine,
                e.event.event.detail["machine_reason"].clone(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        vec![(true, "head_request".into()), (true, "scanner".into())]
    );
}

/// A token with its URL replaced, the tag left as it was.
fn with_swapped_url(token: &str, url: &str) -> String {
    let mut bytes = URL_SAFE_NO_PAD.decode(token).unwrap();
    let tag = bytes.split_off(bytes.len() - 16);
    bytes.truncate(36);
    bytes.extend_from_slice(&u16::try_from(url.len()).unwrap().to_be_bytes());
    bytes.extend_from_slice(url.as_bytes());
    bytes.extend_from_slice(&tag);
    URL_SAFE_NO_PAD.encode(bytes)
}

#[tokio::test]
async fn open_redirect_attempts_all_fail_without_a_location() {
    let relay = TestRelay::new().await;
    let genuine = click_token(Uuid::now_v7(), "https://example.com/");
    let other_campaign = click_token(Uuid::now_v7(), "https://partner.example/");
    let attempts = [
        // No token at all, just a URL.
        "/c/https://evil.example".to_owned(),
        "/c/https%3A%2F%2Fevil.example".to_owned(),
        "/c//evil.example".to_owned(),
        "/c/%2F%2Fevil.example".to_owned(),
        "/c/https:%2F%5Cevil.example".to_owned(),
        "/c/%0d%0aLocation:%20https://evil.example".to_owned(),
        format!("/c/{genuine}%0d%0aLocation:%20https://evil.example"),
        format!("/c/{genuine}?url=https://evil.example"),
        // A real token with another URL spliced in.
        format!("/c/{}", with_swapped_url(&genuine, "https://evil.example/")),
        format!("/c/{}", with_swapped_url(&genuine, "//evil.example")),
        format!("/c/{}", with_swapped_url(&genuine, "https:/\\evil.example")),
        // Another campaign's token carrying our URL.
        format!(
            "/c/{}",
            with_swapped_url(&other_campaign, "https://example.com/")
        ),
        // An open or unsubscribe token on the click route.
        format!("/c/{}", open_token(Uuid::now_v7())),
        format!("/c/{}", unsubscribe_token(Uuid::now_v7())),
    ];
    for attempt in &attempts {
        let reply = relay.get(attempt).await;
        if attempt.ends_with("?url=https://evil.example") {
            // The query is ignored: the signed URL is where it goes.
            assert_eq!(
                reply.header("location"),
                Some("https://example.com/"),
                "{attempt}"
            );
            continue;
        }
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{attempt}");
        assert!(reply.header("location").is_none(), "{attempt}");
        assert!(!reply.text().contains("evil"), "{attempt}");
    }
    // Only the genuine token with an ignored query was recorded.
    assert_eq!(relay.events().await.len(), 1);
}
