//! The harness: settings, a store per test, signed tokens, and a one-call
//! way to send a request through the router.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use bytes::Bytes;
use herald_core::token::{sign, Claims, SigningKey, TokenKind};
use herald_core::Channel;
use herald_relay::config::{FileConfig, Options, Secret, Settings};
use herald_relay::store::{Store, StoredEvent};
use herald_relay::webhooks::{ReqwestFetcher, Webhooks};
use herald_relay::AppState;
use http_body_util::BodyExt as _;
use tempfile::TempDir;
use tower::ServiceExt as _;
use uuid::Uuid;

pub const KEY: &str = "3:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
pub const API_TOKEN: &str = "test-api-token-0123456789abcdef0123";
pub const WORKSPACE: &str = "Acme <Garden> & \"Co\"";

pub fn key() -> SigningKey {
    SigningKey::parse(KEY).unwrap()
}

/// Settings as an operator would write them, on `database_url`.
pub fn settings(database_url: &str) -> Settings {
    let options = Options {
        public_url: Some("https://relay.example.com".into()),
        api_token: Some(Secret::new(API_TOKEN)),
        signing_key: Some(Secret::new(KEY)),
        workspace_name: Some(WORKSPACE.into()),
        database_url: Some(Secret::new(database_url)),
        bind: Some("127.0.0.1:0".into()),
        ..Options::default()
    };
    Settings::resolve(options, FileConfig::default()).unwrap()
}

/// A relay in-process on its own SQLite file.
pub struct TestRelay {
    pub app: Router,
    pub store: Store,
    _dir: TempDir,
}

impl TestRelay {
    pub async fn new() -> Self {
        Self::with(|_| {}).await
    }

    pub async fn with(change: impl FnOnce(&mut Settings)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("relay.sqlite3");
        let mut settings = settings(db.to_str().unwrap());
        change(&mut settings);
        let store = Store::open(settings.database_url.expose(), settings.store.clone())
            .await
            .unwrap();
        let webhooks = Webhooks::new(
            settings.webhooks.clone(),
            Arc::new(ReqwestFetcher::new().unwrap()),
        )
        .unwrap();
        let app = herald_relay::app(AppState::new(settings, store.clone(), webhooks));
        TestRelay {
            app,
            store,
            _dir: dir,
        }
    }

    /// Sends `request` as if from `peer` 203.0.113.7.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        self.send_from("203.0.113.7:40000".parse().unwrap(), request)
            .await
    }

    pub async fn send_from(&self, peer: SocketAddr, mut request: Request<Body>) -> Reply {
        request.extensions_mut().insert(ConnectInfo(peer));
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(
            Request::get(uri)
                .header("user-agent", BROWSER)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn post_form(&self, uri: &str, body: &str) -> Reply {
        self.send(
            Request::post(uri)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("user-agent", BROWSER)
                .body(Body::from(body.to_owned()))
                .unwrap(),
        )
        .await
    }

    /// Every stored event, in order.
    pub async fn events(&self) -> Vec<StoredEvent> {
        self.store.events(0, 100_000).await.unwrap()
    }
}

pub const BROWSER: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15";

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

pub fn claims(kind: TokenKind, recipient: Uuid, url: Option<&str>) -> Claims {
    Claims {
        kind,
        campaign: Uuid::parse_str("0193a1b2-c3d4-7e5f-8a6b-1c2d3e4f5a6b").unwrap(),
        recipient,
        channel: Channel::Email,
        url: url.map(str::to_owned),
    }
}

pub fn open_token(recipient: Uuid) -> String {
    sign(&key(), &claims(TokenKind::Open, recipient, None)).unwrap()
}

pub fn click_token(recipient: Uuid, url: &str) -> String {
    sign(&key(), &claims(TokenKind::Click, recipient, Some(url))).unwrap()
}

pub fn unsubscribe_token(recipient: Uuid) -> String {
    sign(&key(), &claims(TokenKind::Unsubscribe, recipient, None)).unwrap()
}

/// A generic webhook body and its `X-Herald-Signature`, signed with the
/// workspace key as `crate::webhooks::generic` documents.
pub fn generic_webhook(id: &str, address: &str) -> (String, String) {
    use hmac::{Hmac, Mac};
    let body = serde_json::json!({ "id": id, "kind": "delivered", "address": address }).to_string();
    let t = chrono::Utc::now().timestamp();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key().secret_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    let signature = format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()));
    (body, signature)
}

pub fn generic_request(body: &str, signature: &str) -> Request<Body> {
    Request::post("/webhooks/generic")
        .header("content-type", "application/json")
        .header("x-herald-signature", signature)
        .body(Body::from(body.to_owned()))
        .unwrap()
}
