//! The unsubscribe page, RFC 8058 one-click, and resubscribing.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use herald_relay::event::EventKind;
use uuid::Uuid;

use crate::helpers::*;

fn kinds(events: &[herald_relay::store::StoredEvent]) -> Vec<EventKind> {
    events.iter().map(|e| e.event.event.kind).collect()
}

#[tokio::test]
async fn the_page_asks_and_changes_nothing() {
    let relay = TestRelay::new().await;
    let token = unsubscribe_token(Uuid::now_v7());
    let reply = relay.get(&format!("/u/{token}")).await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.text();
    assert!(
        html.contains("Acme &lt;Garden&gt; &amp; &quot;Co&quot;"),
        "{html}"
    );
    assert!(!html.contains("<Garden>"));
    assert!(html.contains("emails"));
    assert!(html.contains(&format!("action=\"/u/{token}\"")));
    assert!(html.contains("method=\"post\""));
    // Self-contained: no scripts, no external resources, no cookies.
    for forbidden in ["<script", "src=", "http://", "https://", "<link"] {
        assert!(!html.contains(forbidden), "{forbidden} in {html}");
    }
    assert!(reply.header("set-cookie").is_none());
    assert!(reply
        .header("content-security-policy")
        .unwrap()
        .contains("default-src 'none'"));
    assert!(relay.events().await.is_empty());
}

#[tokio::test]
async fn one_click_post_unsubscribes_and_confirms_without_redirect() {
    let relay = TestRelay::new().await;
    let recipient = Uuid::now_v7();
    let token = unsubscribe_token(recipient);
    let reply = relay
        .post_form(&format!("/u/{token}"), "List-Unsubscribe=One-Click")
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.header("location").is_none());
    assert!(reply.header("set-cookie").is_none());
    assert!(reply.text().contains("unsubscribed"));
    assert!(reply
        .text()
        .contains(&format!("action=\"/u/{token}/resubscribe\"")));
    let events = relay.events().await;
    assert_eq!(kinds(&events), vec![EventKind::Unsubscribe]);
    assert_eq!(events[0].event.event.recipient_id, Some(recipient));
}

#[tokio::test]
async fn the_button_unsubscribes_and_repeating_it_is_harmless() {
    let relay = TestRelay::new().await;
    let token = unsubscribe_token(Uuid::now_v7());
    for _ in 0..2 {
        let reply = relay.post_form(&format!("/u/{token}"), "confirm=yes").await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(reply.text().contains("unsubscribed"));
    }
    // Each request is recorded; applying an unsubscribe twice changes nothing.
    assert_eq!(
        kinds(&relay.events().await),
        vec![EventKind::Unsubscribe, EventKind::Unsubscribe]
    );
}

#[tokio::test]
async fn a_multipart_one_click_post_is_understood() {
    let relay = TestRelay::new().await;
    let body = "--b\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--b--\r\n";
    let request = Request::post(format!("/u/{}", unsubscribe_token(Uuid::now_v7())))
        .header("content-type", "multipart/form-data; boundary=b")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(relay.send(request).await.status, StatusCode::OK);
    assert_eq!(kinds(&relay.events().await), vec![EventKind::Unsubscribe]);
}

#[tokio::test]
async fn resubscribing_records_a_resubscribe() {
    let relay = TestRelay::new().await;
    let token = unsubscribe_token(Uuid::now_v7());
    relay
        .post_form(&format!("/u/{token}"), "List-Unsubscribe=One-Click")
        .await;
    let reply = relay
        .post_form(&format!("/u/{token}/resubscribe"), "confirm=yes")
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.text().contains("subscribed again"));
    assert_eq!(
        kinds(&relay.events().await),
        vec![EventKind::Unsubscribe, EventKind::Resubscribe]
    );
}

#[tokio::test]
async fn bad_tokens_and_bodies_record_nothing() {
    let relay = TestRelay::new().await;
    let open = open_token(Uuid::now_v7());
    assert_eq!(
        relay.get(&format!("/u/{open}")).await.status,
        StatusCode::NOT_FOUND
    );
    let reply = relay
        .post_form(&format!("/u/{open}"), "List-Unsubscribe=One-Click")
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        relay.post_form("/u/garbage", "confirm=yes").await.status,
        StatusCode::NOT_FOUND
    );
    let token = unsubscribe_token(Uuid::now_v7());
    let reply = relay
        .post_form(&format!("/u/{token}"), "anything=else")
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let reply = relay
        .post_form(&format!("/u/{token}/resubscribe"), "")
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(relay.events().await.is_empty());
}

#[tokio::test]
async fn an_sms_token_says_text_messages() {
    let relay = TestRelay::new().await;
    let mut claims = claims(
        herald_core::token::TokenKind::Unsubscribe,
        Uuid::now_v7(),
        None,
    );
    claims.channel = herald_core::Channel::Sms;
    let token = herald_core::token::sign(&key(), &claims).unwrap();
    let reply = relay.get(&format!("/u/{token}")).await;
    assert!(reply.text().contains("text messages"));
}
