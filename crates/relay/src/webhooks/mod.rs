//! Provider webhooks: each request is verified on its raw body before
//! anything is parsed or stored, then turned into events.
//!
//! The relay's HTTP layer hands every webhook route to [`Webhooks::handle`]
//! with the public URL it was configured with (never the `Host` header), the
//! headers, the raw body and the time. What comes back is either the events
//! to store (with an optional replay nonce and the reply body) or an error
//! whose [`WebhookError::status`] is the answer; an error produces nothing.
//!
//! ```no_run
//! # async fn example(headers: http::HeaderMap, body: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use herald_relay::webhooks::{ReqwestFetcher, Route, WebhookConfig, WebhookRequest, Webhooks};
//!
//! let config = WebhookConfig {
//!     mailgun_signing_key: Some("key-from-the-mailgun-dashboard".into()),
//!     ..WebhookConfig::default()
//! };
//! let webhooks = Webhooks::new(config, Arc::new(ReqwestFetcher::new()?))?;
//! let request = WebhookRequest {
//!     url: "https://relay.example.com/webhooks/mailgun",
//!     headers: &headers,
//!     body,
//!     now: chrono::Utc::now(),
//! };
//! match webhooks.handle(Route::Mailgun, request).await {
//!     Ok(accepted) => { /* store accepted.events, refuse a reused accepted.nonce */ }
//!     Err(refused) => { /* answer refused.status(), store nothing */ }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! One file per provider says how that provider signs and what its payloads
//! become; `verify` holds the primitives they share.

mod error;
mod fetch;
mod generic;
mod handler;
mod mailgun;
mod postmark;
mod request;
mod sendgrid;
mod ses;
mod sns_cert;
mod twilio;
mod verify;
mod vonage;
mod vonage_sms;

pub use error::{ConfigError, WebhookError};
pub use fetch::{FetchError, HttpsFetcher, ReqwestFetcher};
pub use handler::{Route, WebhookConfig, Webhooks};
pub use request::{Accepted, Reply, WebhookRequest};
