//! What every handler shares: the settings, the store, the rate limiter and
//! the webhook verifiers.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::config::Settings;
use crate::net;
use crate::ratelimit::RateLimiter;
use crate::store::Store;
use crate::webhooks::Webhooks;

/// Cheap to clone; the router hands a clone to each handler.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

#[derive(Debug)]
pub struct Shared {
    pub settings: Settings,
    pub store: Store,
    pub limiter: RateLimiter,
    pub webhooks: Webhooks,
    /// SHA-256 of the API token: requests are compared against the hash in
    /// constant time, so neither the token nor its length leaks by timing.
    api_token_hash: [u8; 32],
}

impl AppState {
    pub fn new(settings: Settings, store: Store, webhooks: Webhooks) -> Self {
        let api_token_hash = Sha256::digest(settings.api_token.expose().as_bytes()).into();
        AppState(Arc::new(Shared {
            limiter: RateLimiter::new(settings.rate_limit),
            settings,
            store,
            webhooks,
            api_token_hash,
        }))
    }

    /// Whether `presented` is the API token (constant time).
    pub fn is_api_token(&self, presented: &str) -> bool {
        let hash: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        hash.ct_eq(&self.0.api_token_hash).into()
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The client's address (see [`net::client_ip`]); `None` in-process.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(net::client_ip(
            &parts.extensions,
            &parts.headers,
            &state.settings.trusted_proxies,
        )))
    }
}
