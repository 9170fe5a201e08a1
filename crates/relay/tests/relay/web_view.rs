//! A campaign's web version, the desktop's side: uploading it behind the
//! API token, replacing and deleting it, and the store on each backend.
//! The helpers here are shared with `web_view_page`.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use herald_core::token::{sign, Claims, SigningKey, TokenKind};
use herald_core::Channel;
use serde_json::Value;
use uuid::Uuid;

use crate::helpers::*;
use crate::store::on_each_backend;

pub const MARKER: &str = "%HERALD_UNSUBSCRIBE_URL%";

pub fn upload_uri(campaign: &str) -> String {
    format!("/api/v1/campaigns/{campaign}/web-view")
}

pub fn put(campaign: &str, authorization: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut request = Request::put(upload_uri(campaign)).header("content-type", "application/json");
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    request.body(body.into()).unwrap()
}

pub fn upload_body(html: &str) -> String {
    serde_json::json!({ "subject": "Spring sale", "html": html }).to_string()
}

/// Uploads `html` for `campaign` with the right token; asserts the 204.
pub async fn upload(relay: &TestRelay, campaign: Uuid, html: &str) {
    let bearer = format!("Bearer {API_TOKEN}");
    let reply = relay
        .send(put(&campaign.to_string(), Some(&bearer), upload_body(html)))
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text());
    assert!(reply.body.is_empty());
}

pub fn token(key: &SigningKey, kind: TokenKind, campaign: Uuid, recipient: Uuid) -> String {
    let claims = Claims {
        kind,
        campaign,
        recipient,
        channel: Channel::Email,
        url: None,
    };
    sign(key, &claims).unwrap()
}

pub fn view_token(campaign: Uuid, recipient: Uuid) -> String {
    token(&key(), TokenKind::View, campaign, recipient)
}

pub fn error_of(reply: &Reply) -> String {
    let body: Value = serde_json::from_slice(&reply.body).unwrap();
    body["error"].as_str().unwrap().to_owned()
}

/// The unsubscribe token in the first `https://relay.example.com/u/...`
/// link of `html`.
pub fn unsubscribe_token_in(html: &str) -> String {
    let start = html
        .find("https://relay.example.com/u/")
        .expect("no /u/ link")
        + 28;
    html[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

#[tokio::test]
async fn an_upload_without_the_api_token_is_refused_and_stores_nothing() {
    let relay = TestRelay::new().await;
    let campaign = Uuid::now_v7();
    let wrong = format!("Bearer {API_TOKEN}x");
    for authorization in [None, Some("Bearer nope"), Some(wrong.as_str())] {
        let request = put(
            &campaign.to_string(),
            authorization,
            upload_body("<p>Hi</p>"),
        );
        let reply = relay.send(request).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{authorization:?}");
        assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
        assert_eq!(error_of(&reply), "unauthorized");
    }
    assert_eq!(relay.store.web_view(campaign).await.unwrap(), None);
}

#[tokio::test]
async fn an_upload_names_a_campaign_id_that_is_not_a_uuid() {
    let relay = TestRelay::new().await;
    let bearer = format!("Bearer {API_TOKEN}");
    let reply = relay
        .send(put("campaign-7", Some(&bearer), upload_body("<p>Hi</p>")))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_of(&reply), "campaign_id: not a UUID");
}

#[tokio::test]
async fn an_upload_with_empty_html_or_another_shape_is_refused_and_stores_nothing() {
    let relay = TestRelay::new().await;
    let campaign = Uuid::now_v7();
    let bearer = format!("Bearer {API_TOKEN}");
    let reply = relay
        .send(put(&campaign.to_string(), Some(&bearer), upload_body("")))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_of(&reply), "html: must not be empty");
    let reply = relay
        .send(put(&campaign.to_string(), Some(&bearer), "{\"html\": 7}"))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(error_of(&reply).starts_with("body: "), "{}", reply.text());
    assert_eq!(relay.store.web_view(campaign).await.unwrap(), None);
}

#[tokio::test]
async fn an_upload_may_be_nearly_2_mib_but_not_more() {
    let relay = TestRelay::new().await;
    let campaign = Uuid::now_v7();
    let bearer = format!("Bearer {API_TOKEN}");
    // Far over the other API routes' 16 KiB and the webhooks' 1 MiB.
    let big = format!("<p>{}</p>", "x".repeat(2 * 1024 * 1024 - 100));
    let body = upload_body(&big);
    assert!(body.len() <= 2 * 1024 * 1024);
    upload(&relay, campaign, &big).await;
    assert_eq!(
        relay.store.web_view(campaign).await.unwrap().unwrap().html,
        big
    );

    let other = Uuid::now_v7();
    let too_big = upload_body(&"y".repeat(2 * 1024 * 1024));
    // With a Content-Length (refused before reading) and without one
    // (refused while reading).
    let declared = Request::put(upload_uri(&other.to_string()))
        .header("authorization", &bearer)
        .header("content-length", too_big.len())
        .body(Body::from(too_big.clone()))
        .unwrap();
    assert_eq!(
        relay.send(declared).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let undeclared = put(&other.to_string(), Some(&bearer), too_big);
    assert_eq!(
        relay.send(undeclared).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert_eq!(relay.store.web_view(other).await.unwrap(), None);
}

#[tokio::test]
async fn the_desktop_can_delete_a_web_version() {
    let relay = TestRelay::new().await;
    let (campaign, recipient) = (Uuid::now_v7(), Uuid::now_v7());
    upload(&relay, campaign, "<p>Hello</p>").await;
    let delete = |authorization: Option<String>| {
        let mut request = Request::delete(upload_uri(&campaign.to_string()));
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        request.body(Body::empty()).unwrap()
    };
    let bearer = format!("Bearer {API_TOKEN}");
    assert_eq!(
        relay.send(delete(None)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert!(relay.store.web_view(campaign).await.unwrap().is_some());
    assert_eq!(
        relay.send(delete(Some(bearer.clone()))).await.status,
        StatusCode::NO_CONTENT
    );
    let reply = relay
        .get(&format!("/v/{}", view_token(campaign, recipient)))
        .await;
    assert!(reply.text().contains("web version is not available"));
    assert_eq!(
        relay.send(delete(Some(bearer))).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn web_versions_are_stored_replaced_and_deleted_on_each_backend() {
    on_each_backend(|url| async move {
        let store = herald_relay::store::Store::open(&url, Default::default())
            .await
            .unwrap();
        let (campaign, other) = (Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(store.web_view(campaign).await.unwrap(), None);
        let before = chrono::Utc::now() - chrono::Duration::seconds(1);
        store
            .put_web_view(campaign, "Hi", "<p>one</p>")
            .await
            .unwrap();
        store
            .put_web_view(other, "Other", "<p>other</p>")
            .await
            .unwrap();
        store
            .put_web_view(campaign, "Hi again", "<p>two ✓</p>")
            .await
            .unwrap();
        let view = store.web_view(campaign).await.unwrap().unwrap();
        assert_eq!(
            (view.campaign_id, view.subject.as_str(), view.html.as_str()),
            (campaign, "Hi again", "<p>two ✓</p>")
        );
        assert!(view.updated_at >= before);
        assert!(store.delete_web_view(campaign).await.unwrap());
        assert!(!store.delete_web_view(campaign).await.unwrap());
        assert_eq!(store.web_view(campaign).await.unwrap(), None);
        // Pruning every acknowledged event leaves web versions alone.
        store.prune(i64::MAX).await.unwrap();
        assert!(store.web_view(other).await.unwrap().is_some());
        store.shutdown().await;
    })
    .await;
}
