//! A campaign's web version, the reader's side: `/v/{token}` shows it with
//! their own unsubscribe link filled in, refuses other tokens, says when
//! there is none, and records nothing about the view.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use herald_core::token::{KeyRing, SigningKey, TokenKind};
use herald_core::Channel;
use tokio::io::AsyncWriteExt as _;
use tokio::net::TcpStream;
use uuid::Uuid;

use crate::helpers::*;
use crate::socket::read_response;
use crate::store::fresh_postgres;
use crate::web_view::{token, unsubscribe_token_in, upload, upload_body, view_token, MARKER};

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
