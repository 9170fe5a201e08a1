//! The desktop's client for its relay: `GET /healthz`, `GET /api/v1/events`,
//! `POST /api/v1/ack` and `PUT /api/v1/campaigns/{id}/web-view`, exactly as
//! the wire contract in docs/relay.md.
//!
//! One `reqwest` client per relay (rustls on ring, connections kept alive
//! between pages, a connect and a whole-request timeout). Errors are sorted
//! by what the user can do ([`RelayError`]); none of their messages
//! contains the API token, which only ever travels in the `Authorization`
//! header.
//!
//! ```no_run
//! # async fn demo() -> Result<(), herald_send::relay::RelayError> {
//! use herald_send::relay::{RelayClient, RelayUrl};
//! use herald_send::secrets::Secret;
//!
//! let url = RelayUrl::parse("https://relay.example.com")?;
//! let client = RelayClient::new(&url, Secret::new("api-token".into()))?;
//! client.health().await?;
//! let page = client.pull(None, 500).await?;
//! println!("{} events, more: {}", page.events.len(), page.has_more);
//! client.ack(&page.next_cursor).await?;
//! # Ok(()) }
//! ```

mod url;

use std::time::Duration;

use herald_store::relay_events::RelayEvent;
use reqwest::StatusCode;
use serde::Deserialize;
use uuid::Uuid;

use crate::email::compose::WebVersion;
use crate::secrets::Secret;

pub use self::url::RelayUrl;

/// The most events the relay hands out per page (docs/relay.md).
pub const MAX_PAGE: u32 = 5000;
/// The page size the sync asks for.
pub const DEFAULT_PAGE: u32 = 500;

/// The largest web version body the relay stores (2 MiB, docs/relay.md).
pub const MAX_WEB_VERSION: usize = 2 * 1024 * 1024;

/// What went wrong talking to the relay, by what the user can do about it.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    /// Not a relay URL Herald will use.
    #[error("relay URL: {0}")]
    InvalidUrl(String),
    /// No answer: DNS, refused connection, TLS, timeout.
    #[error("the relay at {url} cannot be reached: {reason}")]
    Unreachable { url: String, reason: String },
    /// The relay refused the API token.
    #[error(
        "the relay at {url} refused Herald's API token: the token in the relay's \
         configuration is not the one in this computer's keychain (see `herald relay keys`)"
    )]
    Unauthorized { url: String },
    /// An answer that is not what the contract says.
    #[error("the relay at {url} gave an unexpected answer: {detail}")]
    BadResponse { url: String, detail: String },
}

/// The client's timeouts, defaults in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientOptions {
    pub connect_timeout: Duration,
    /// For a whole request, body included.
    pub timeout: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
        }
    }
}

/// One page of `GET /api/v1/events`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EventPage {
    pub events: Vec<RelayEvent>,
    /// Where the next pull starts (and what to acknowledge once applied).
    pub next_cursor: String,
    pub has_more: bool,
}

/// A client for one relay, with its API token.
#[derive(Debug, Clone)]
pub struct RelayClient {
    http: reqwest::Client,
    url: RelayUrl,
    token: Secret,
}

impl RelayClient {
    /// A client with the default timeouts.
    pub fn new(url: &RelayUrl, token: Secret) -> Result<RelayClient, RelayError> {
        RelayClient::with_options(url, token, ClientOptions::default())
    }

    pub fn with_options(
        url: &RelayUrl,
        token: Secret,
        options: ClientOptions,
    ) -> Result<RelayClient, RelayError> {
        // reqwest is built without a default crypto provider; ring is the
        // one the workspace compiles. Installing fails harmlessly when a
        // provider is already installed for the process.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .user_agent(concat!("herald/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .pool_idle_timeout(Duration::from_secs(90))
            // The bearer token must never follow a redirect to another host.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| RelayError::Unreachable {
                url: url.to_string(),
                reason: format!("cannot set up HTTPS: {}", root_cause(&e)),
            })?;
        Ok(RelayClient {
            http,
            url: url.clone(),
            token,
        })
    }

    pub fn url(&self) -> &RelayUrl {
        &self.url
    }

    /// `GET /healthz`: is the relay up? (No token involved.)
    pub async fn health(&self) -> Result<(), RelayError> {
        let response = self
            .send(self.http.get(self.url.endpoint("healthz")))
            .await?;
        match response.status() {
            StatusCode::OK => Ok(()),
            status => Err(self.bad(format!("/healthz answered {status}"))),
        }
    }

    /// `GET /api/v1/events?after=<cursor>&limit=<n>`: the events after
    /// `after` (from the first one when `None`), at most `limit` (1 to 5000).
    pub async fn pull(&self, after: Option<&str>, limit: u32) -> Result<EventPage, RelayError> {
        let mut endpoint = self.url.endpoint("api/v1/events");
        {
            let mut query = endpoint.query_pairs_mut();
            if let Some(after) = after {
                query.append_pair("after", after);
            }
            query.append_pair("limit", &limit.clamp(1, MAX_PAGE).to_string());
        }
        let request = self.http.get(endpoint).bearer_auth(self.token.expose());
        let response = self.authorized(request).await?;
        let body = response.bytes().await.map_err(|e| self.unreachable(&e))?;
        let page: EventPage = serde_json::from_slice(&body)
            .map_err(|e| self.bad(format!("the event page is unreadable ({e})")))?;
        Ok(page)
    }

    /// `POST /api/v1/ack`: everything up to `cursor` is applied, so the
    /// relay may prune it after its retention period.
    pub async fn ack(&self, cursor: &str) -> Result<(), RelayError> {
        let request = self
            .http
            .post(self.url.endpoint("api/v1/ack"))
            .bearer_auth(self.token.expose())
            .json(&serde_json::json!({ "cursor": cursor }));
        self.authorized(request).await.map(drop)
    }

    /// `PUT /api/v1/campaigns/{campaign}/web-view`: stores the campaign's
    /// web version, which the relay then serves at `/v/<token>` (replacing
    /// the unsubscribe marker per reader). Publishing again replaces it.
    /// A refusal names the relay's reply (`{"error": "..."}`).
    pub async fn publish_web_view(
        &self,
        campaign: Uuid,
        version: &WebVersion,
    ) -> Result<(), RelayError> {
        let path = format!("api/v1/campaigns/{campaign}/web-view");
        let request = self
            .http
            .put(self.url.endpoint(&path))
            .bearer_auth(self.token.expose())
            .json(version);
        let response = self.send(request).await?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
            return Err(RelayError::Unauthorized {
                url: self.url.to_string(),
            });
        }
        let body = response.bytes().await.unwrap_or_default();
        let reason = serde_json::from_slice::<ErrorReply>(&body)
            .map(|reply| reply.error)
            .unwrap_or_else(|_| String::from_utf8_lossy(&body).chars().take(200).collect());
        let hint = match status {
            StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => {
                " (this relay has no web versions yet: update it)"
            }
            _ => "",
        };
        Err(self.bad(format!(
            "PUT /{path} answered {status}{}{reason}{hint}",
            if reason.is_empty() { "" } else { ": " }
        )))
    }

    /// Sends a request with the token; 401 and 403 mean the token is wrong,
    /// any other status but a success is the relay's problem.
    async fn authorized(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, RelayError> {
        let response = self.send(request).await?;
        match response.status() {
            status if status.is_success() => Ok(response),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Err(RelayError::Unauthorized {
                url: self.url.to_string(),
            }),
            status => Err(self.bad(format!("HTTP {status}"))),
        }
    }

    async fn send(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, RelayError> {
        request.send().await.map_err(|e| self.unreachable(&e))
    }

    fn unreachable(&self, err: &reqwest::Error) -> RelayError {
        let reason = if err.is_timeout() {
            "it did not answer in time".to_owned()
        } else {
            root_cause(err)
        };
        RelayError::Unreachable {
            url: self.url.to_string(),
            reason,
        }
    }

    fn bad(&self, detail: String) -> RelayError {
        RelayError::BadResponse {
            url: self.url.to_string(),
            detail,
        }
    }
}

/// The relay's error body.
#[derive(Deserialize)]
struct ErrorReply {
    error: String,
}

/// The innermost cause ("Connection refused (os error 111)"): reqwest's
/// outer layers repeat the URL and say little.
fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}
