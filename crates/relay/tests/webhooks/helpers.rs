//! The tests' clock, fixtures, a fake HTTPS fetcher, and a way to call a
//! route.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use herald_relay::webhooks::{
    Accepted, FetchError, HttpsFetcher, Route, WebhookConfig, WebhookError, WebhookRequest,
    Webhooks,
};
use http::{HeaderMap, HeaderName, HeaderValue};

/// 2026-12-01T12:00:00Z: the clock the fixtures were signed for.
pub const NOW: i64 = 1_796_126_400;

pub fn now() -> DateTime<Utc> {
    at(NOW)
}

pub fn at(unix_seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(unix_seconds, 0).unwrap()
}

pub fn time(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .with_timezone(&Utc)
}

pub fn fixture(name: &str) -> Vec<u8> {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests/fixtures/webhooks", name]
        .iter()
        .collect();
    std::fs::read(&path).unwrap_or_else(|error| panic!("reading {}: {error}", path.display()))
}

pub fn fixture_text(name: &str) -> String {
    String::from_utf8(fixture(name)).unwrap()
}

/// Serves fixed bodies by URL and remembers every URL asked for.
#[derive(Debug, Default)]
pub struct FakeFetcher {
    served: HashMap<String, Vec<u8>>,
    calls: Mutex<Vec<String>>,
}

impl FakeFetcher {
    pub fn serving(pages: &[(&str, Vec<u8>)]) -> Arc<Self> {
        Arc::new(FakeFetcher {
            served: pages
                .iter()
                .map(|(url, body)| (url.to_string(), body.clone()))
                .collect(),
            calls: Mutex::default(),
        })
    }

    pub fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }
}

#[async_trait]
impl HttpsFetcher for FakeFetcher {
    async fn get(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        self.calls.lock().unwrap().push(url.to_owned());
        self.served
            .get(url)
            .cloned()
            .ok_or_else(|| FetchError("answered 404 Not Found".into()))
    }
}

/// Webhooks over `config` whose fetcher serves nothing.
pub fn webhooks(config: WebhookConfig) -> Webhooks {
    Webhooks::new(config, FakeFetcher::serving(&[])).unwrap()
}

pub fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    pairs
        .iter()
        .map(|(name, value)| {
            (
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            )
        })
        .collect()
}

/// Calls `route` at the tests' clock.
pub async fn call(
    webhooks: &Webhooks,
    route: Route,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Accepted, WebhookError> {
    call_at(webhooks, route, url, headers, body, now()).await
}

pub async fn call_at(
    webhooks: &Webhooks,
    route: Route,
    url: &str,
    header_pairs: &[(&str, &str)],
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<Accepted, WebhookError> {
    let headers = headers(header_pairs);
    let request = WebhookRequest {
        url,
        headers: &headers,
        body,
        now,
    };
    webhooks.handle(route, request).await
}

/// The status of a refusal, failing the test on an acceptance.
pub fn refused(result: Result<Accepted, WebhookError>) -> u16 {
    match result {
        Ok(accepted) => panic!("accepted: {accepted:?}"),
        Err(error) => error.status().as_u16(),
    }
}
