//! A campaign's web version: the desktop uploads it behind the API token,
//! a reader opens it at `/v/{token}` with their own unsubscribe link filled
//! in, and nothing about the view is recorded.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use herald_core::token::{sign, Claims, KeyRing, SigningKey, TokenKind};
use herald_core::Channel;
use serde_json::Value;
use tokio::io::AsyncWriteExt as _;
use tokio::net::TcpStream;
use uuid::Uuid;

use crate::helpers::*;
use crate::socket::read_response;
use crate::store::{fresh_postgres, on_each_backend};

const MARKER: &str = "%HERALD_UNSUBSCRIBE_URL%";

fn upload_uri(campaign: &str) -> String {
    format!("/api/v1/campaigns/{campaign}/web-view")
}

fn put(campaign: &str, authorization: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut request = Request::put(upload_uri(campaign)).header("content-type", "application/json");
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    request.body(body.into()).unwrap()
}

fn upload_body(html: &str) -> String {
    serde_json::json!({ "subject": "Spring sale", "html": html }).to_string()
}

/// Uploads `html` for `campaign` with the right token; asserts the 204.
async fn upload(relay: &TestRelay, campaign: Uuid, html: &str) {
    let bearer = format!("Bearer {API_TOKEN}");
    let reply = relay
        .send(put(&campaign.to_string(), Some(&bearer), upload_body(html)))
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text());
    assert!(reply.body.is_empty());
}

fn token(key: &SigningKey, kind: TokenKind, campaign: Uuid, recipient: Uuid) -> String {
    let claims = Claims {
        kind,
        campaign,
        recipient,
        channel: Channel::Email,
        url: None,
    };
    sign(key, &claims).unwrap()
}

fn view_token(campaign: Uuid, recipient: Uuid) -> String {
    token(&key(), TokenKind::View, campaign, recipient)
}

fn error_of(reply: &Reply) -> String {
    let body: Value = serde_json::from_slice(&reply.body).unwrap();
    body["error"].as_str().unwrap().to_owned()
}

/// The unsubscribe token in the first `https://relay.example.com/u/...`
/// link of `html`.
fn unsubscribe_token_in(html: &str) -> String {
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
async fn a_reader_gets_the_html_with_their_own_unsubscribe_link_and_nothing_is_recorded() {
    let relay = TestRelay::new().await;
    let (campaign, recipient) = (Uuid::now_v7(), Uuid::now_v7());
    let html = format!(
        "<html><body style=\"color:red\"><p>Hello</p><a href=\"{MARKER}\">Unsubscribe</a> \
         or paste {MARKER}</body></html>"
    );
    upload(&relay, campaign, &html).await;

    let reply = relay
        .get(&format!("/v/{}", view_token(campaign, recipient)))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(reply.header("cache-control"), Some("private, no-store"));
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(
        reply.header("content-security-policy"),
        Some(
            "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; \
             font-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )
    );
    assert!(reply.header("set-cookie").is_none());

    let page = reply.text();
    assert!(!page.contains(MARKER), "{page}");
    assert!(page.starts_with(
        "<html><body style=\"color:red\"><p>Hello</p><a href=\"https://relay.example.com/u/"
    ));
    assert_eq!(page.matches("https://relay.example.com/u/").count(), 2);
    let unsubscribe = unsubscribe_token_in(&page);
    let claims = KeyRing {
        current: key(),
        previous: None,
    }
    .verify(&unsubscribe, TokenKind::Unsubscribe)
    .unwrap();
    assert_eq!(
        (claims.campaign, claims.recipient, claims.channel),
        (campaign, recipient, Channel::Email)
    );
    // The link leads to this recipient's unsubscribe page.
    assert_eq!(
        relay.get(&format!("/u/{unsubscribe}")).await.status,
        StatusCode::OK
    );
    // A view is not an open: no event at all.
    assert!(relay.events().await.is_empty());
}

#[tokio::test]
async fn a_head_request_gets_the_same_headers_without_a_body() {
    let relay = TestRelay::new().await;
    let (campaign, recipient) = (Uuid::now_v7(), Uuid::now_v7());
    upload(&relay, campaign, "<p>Hello</p>").await;
    let uri = format!("/v/{}", view_token(campaign, recipient));
    let get = relay.get(&uri).await;
    let head = relay
        .send(Request::head(&uri).body(Body::empty()).unwrap())
        .await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
    for name in [
        "content-type",
        "cache-control",
        "x-content-type-options",
        "referrer-policy",
        "content-security-policy",
    ] {
        assert_eq!(head.header(name), get.header(name), "{name}");
    }
}

#[tokio::test]
async fn a_second_upload_replaces_the_first() {
    let relay = TestRelay::new().await;
    let (campaign, recipient) = (Uuid::now_v7(), Uuid::now_v7());
    upload(&relay, campaign, "<p>First draft</p>").await;
    upload(&relay, campaign, "<p>Corrected</p>").await;
    let reply = relay
        .get(&format!("/v/{}", view_token(campaign, recipient)))
        .await;
    assert_eq!(reply.text(), "<p>Corrected</p>");
}

#[tokio::test]
async fn a_link_signed_with_the_previous_key_still_shows_and_unsubscribes_under_the_current() {
    let current = SigningKey::new(4, [9; 32]).unwrap();
    let relay = TestRelay::with(|s| {
        s.keys = KeyRing {
            current: current.clone(),
            previous: Some(key()),
        }
    })
    .await;
    let (campaign, recipient) = (Uuid::now_v7(), Uuid::now_v7());
    upload(&relay, campaign, &format!("<a href=\"{MARKER}\">x</a>")).await;
    // view_token signs with key(), now the previous key.
    let reply = relay
        .get(&format!("/v/{}", view_token(campaign, recipient)))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let unsubscribe = unsubscribe_token_in(&reply.text());
    let only_current = KeyRing {
        current,
        previous: None,
    };
    let claims = only_current
        .verify(&unsubscribe, TokenKind::Unsubscribe)
        .unwrap();
    assert_eq!((claims.campaign, claims.recipient), (campaign, recipient));
}

#[tokio::test]
async fn other_kinds_of_token_and_bad_tokens_get_the_plain_not_found_page() {
    let relay = TestRelay::new().await;
    let (campaign, recipient) = (Uuid::now_v7(), Uuid::now_v7());
    upload(&relay, campaign, "<p>Hello</p>").await;
    let click_not_found = relay.get("/c/not-a-token").await;
    assert_eq!(click_not_found.status, StatusCode::NOT_FOUND);
    let mut tampered = view_token(campaign, recipient);
    tampered.replace_range(10..11, if &tampered[10..11] == "A" { "B" } else { "A" });
    for bad in [
        token(&key(), TokenKind::Open, campaign, recipient),
        token(&key(), TokenKind::Unsubscribe, campaign, recipient),
        token(
            &SigningKey::new(3, [1; 32]).unwrap(),
            TokenKind::View,
            campaign,
            recipient,
        ),
        tampered,
        "not-a-token".to_owned(),
    ] {
        let reply = relay.get(&format!("/v/{bad}")).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{bad}");
        assert_eq!(reply.body, click_not_found.body, "{bad}");
    }
    assert!(relay.events().await.is_empty());
}

#[tokio::test]
async fn a_good_link_to_a_campaign_without_a_web_version_says_so() {
    let relay = TestRelay::new().await;
    let reply = relay
        .get(&format!(
            "/v/{}",
            view_token(Uuid::now_v7(), Uuid::now_v7())
        ))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let page = reply.text();
    assert!(
        page.contains("This email's web version is not available."),
        "{page}"
    );
    assert!(
        page.contains("Acme &lt;Garden&gt; &amp; &quot;Co&quot;"),
        "{page}"
    );
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
async fn upload_and_view_over_a_real_socket() {
    let dir = tempfile::tempdir().unwrap();
    let running = herald_relay::start(settings(dir.path().join("relay.sqlite3").to_str().unwrap()))
        .await
        .unwrap();
    let (campaign, recipient) = (Uuid::now_v7(), Uuid::now_v7());
    let body = upload_body(&format!("<p>Hello</p><a href=\"{MARKER}\">x</a>"));
    let mut stream = TcpStream::connect(running.addr()).await.unwrap();
    let request = format!(
        "PUT /api/v1/campaigns/{campaign}/web-view HTTP/1.1\r\nHost: relay\r\n\
         Authorization: Bearer {API_TOKEN}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let response = read_response(&mut stream).await;
    assert!(response.starts_with("HTTP/1.1 204"), "{response}");
    let request = format!(
        "GET /v/{} HTTP/1.1\r\nHost: relay\r\nUser-Agent: test\r\n\r\n",
        view_token(campaign, recipient)
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let response = read_response(&mut stream).await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response
        .to_ascii_lowercase()
        .contains("cache-control: private, no-store"));
    assert!(
        response.contains("<p>Hello</p><a href=\"https://relay.example.com/u/"),
        "{response}"
    );
    assert!(running.store().events(0, 10).await.unwrap().is_empty());
    running.stop().await;
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

#[tokio::test]
async fn a_reader_gets_the_web_version_from_a_postgres_store() {
    let Ok(server) = std::env::var("HERALD_TEST_POSTGRES_URL") else {
        eprintln!("skipping PostgreSQL: HERALD_TEST_POSTGRES_URL not set");
        return;
    };
    let url = fresh_postgres(&server).await;
    let relay = TestRelay::with(|s| s.database_url = herald_relay::config::Secret::new(&url)).await;
    let (campaign, recipient) = (Uuid::now_v7(), Uuid::now_v7());
    upload(&relay, campaign, &format!("<a href=\"{MARKER}\">x</a>")).await;
    let reply = relay
        .get(&format!("/v/{}", view_token(campaign, recipient)))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply
        .text()
        .starts_with("<a href=\"https://relay.example.com/u/"));
}
