//! The relay client's failures, each sorted into what the user can do and
//! said without the token; and `connect`, which needs a URL and a token.

use std::sync::Arc;

use herald_send::relay::{RelayClient, RelayError};
use herald_send::secrets::{MemorySecrets, Secret, SecretName, Secrets};
use herald_send::sync::{self, SyncError};
use herald_store::relay_sync;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::*;

#[tokio::test]
async fn a_wrong_token_is_unauthorized_and_never_repeated() {
    let ws = Workspace::new().await;
    let (_secrets, keys) = fresh_keys();
    let relay = Relay::start(&keys).await;
    let wrong = "wrong-token-0123456789-0123456789-0123456789";
    let client = RelayClient::new(&relay.url, Secret::new(wrong.into())).unwrap();
    client.health().await.expect("/healthz needs no token");
    let err = sync::sync_once(&ws.store, &client).await.unwrap_err();
    assert!(
        matches!(err, SyncError::Relay(RelayError::Unauthorized { .. })),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("refused Herald's API token"), "{message}");
    assert!(!message.contains(wrong) && !message.contains(keys.api_token.expose()));
    let recorded = relay_sync::load(&ws.store)
        .await
        .unwrap()
        .last_error
        .unwrap();
    assert_eq!(recorded.message, message);
    relay.stop().await;
}

#[tokio::test]
async fn a_relay_that_is_not_there_is_unreachable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let url = herald_send::relay::RelayUrl::parse(&format!("http://{addr}")).unwrap();
    let client = RelayClient::new(&url, Secret::new("token".into())).unwrap();
    let err = client.pull(None, 10).await.unwrap_err();
    let RelayError::Unreachable { reason, .. } = &err else {
        panic!("expected Unreachable, got {err:?}");
    };
    assert!(!reason.is_empty());
    assert!(err.to_string().contains("cannot be reached"), "{err}");
}

#[tokio::test]
async fn the_client_speaks_the_contract_and_rejects_a_garbled_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/events"))
        .and(query_param("after", "41"))
        .and(query_param("limit", "5000"))
        .and(header("authorization", "Bearer s3cret-token"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"events\": [{\"id\": 7}]}"))
        .expect(1)
        .mount(&server)
        .await;
    let url = herald_send::relay::RelayUrl::parse(&server.uri()).unwrap();
    let client = RelayClient::new(&url, Secret::new("s3cret-token".into())).unwrap();
    let err = client.pull(Some("41"), 9999).await.unwrap_err();
    assert!(matches!(err, RelayError::BadResponse { .. }), "{err:?}");
    assert!(!err.to_string().contains("s3cret-token"));
}

#[tokio::test]
async fn a_relay_that_promises_more_but_hands_out_nothing_stops_the_sync() {
    let ws = Workspace::new().await;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/events"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "events": [], "next_cursor": "0", "has_more": true
        })))
        .expect(1)
        .mount(&server)
        .await;
    let url = herald_send::relay::RelayUrl::parse(&server.uri()).unwrap();
    let client = RelayClient::new(&url, Secret::new("t".into())).unwrap();
    let err = sync::sync_once(&ws.store, &client).await.unwrap_err();
    assert!(
        matches!(err, SyncError::Relay(RelayError::BadResponse { .. })),
        "{err:?}"
    );
    assert_eq!(relay_sync::cursor(&ws.store).await.unwrap(), None);
}

#[tokio::test]
async fn connect_needs_a_url_and_a_token_and_then_reaches_the_relay() {
    let ws = Workspace::new().await;
    let (secrets, keys) = fresh_keys();
    let secrets: Arc<MemorySecrets> = Arc::new(secrets);
    let relay = Relay::start(&keys).await;
    let err = sync::connect(&ws.store, secrets.clone()).await.unwrap_err();
    assert!(matches!(err, SyncError::NotConfigured(_)), "{err:?}");

    relay_sync::set_url(&ws.store, relay.url.as_str())
        .await
        .unwrap();
    let client = sync::connect(&ws.store, secrets.clone()).await.unwrap();
    assert!(!sync::test_connection(&ws.store, &client).await.unwrap());
    relay
        .open(uuid::Uuid::now_v7(), herald_core::ContactId::new())
        .await;
    assert!(sync::test_connection(&ws.store, &client).await.unwrap());

    secrets.delete(SecretName::RelayApiToken).unwrap();
    let err = sync::connect(&ws.store, secrets).await.unwrap_err();
    assert!(err.to_string().contains("no API token"), "{err}");
    relay.stop().await;
}
