//! Why a webhook was refused, and the HTTP status each refusal answers.
//!
//! Messages name the provider and the check that failed; they never carry a
//! secret, a signature or any part of the body, so they are safe to log and
//! to send back.

use http::StatusCode;

use crate::event::Provider;

/// A refused webhook. Nothing was produced; the relay answers [`status`].
///
/// [`status`]: WebhookError::status
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WebhookError {
    /// The relay has no secret for this provider, so it cannot verify
    /// anything from it (and never accepts unsigned calls).
    #[error("{} webhooks are not configured", .0.as_str())]
    NotConfigured(Provider),
    /// A Vonage callback without a signature: answered with a 5xx so that
    /// Vonage keeps retrying while signing is switched back on.
    #[error("unsigned {} callback: enable signed webhooks", .0.as_str())]
    Unsigned(Provider),
    /// A missing, malformed or non-matching signature or credential.
    #[error("{} webhook not authenticated: {reason}", .provider.as_str())]
    Unauthenticated {
        provider: Provider,
        reason: &'static str,
    },
    /// Signed, but refused: stale, from a topic not on the allow-list, or
    /// naming a certificate or confirmation URL outside the pinned hosts.
    #[error("{} webhook refused: {reason}", .provider.as_str())]
    Forbidden {
        provider: Provider,
        reason: &'static str,
    },
    /// The body (or the signed part of it) is not what the provider sends.
    #[error("{} webhook is malformed: {reason}", .provider.as_str())]
    Malformed {
        provider: Provider,
        reason: &'static str,
    },
    /// A step that needed the provider failed (fetching an SNS signing
    /// certificate, confirming a subscription): a 5xx, so the provider
    /// retries.
    #[error("{} webhook could not be completed: {reason}", .provider.as_str())]
    Upstream { provider: Provider, reason: String },
}

impl WebhookError {
    /// The HTTP status the relay answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            WebhookError::NotConfigured(_) => StatusCode::NOT_FOUND,
            WebhookError::Unsigned(_) | WebhookError::Upstream { .. } => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            WebhookError::Unauthenticated { .. } => StatusCode::UNAUTHORIZED,
            WebhookError::Forbidden { .. } => StatusCode::FORBIDDEN,
            WebhookError::Malformed { .. } => StatusCode::BAD_REQUEST,
        }
    }

    /// The provider whose webhook was refused.
    pub fn provider(&self) -> Provider {
        match self {
            WebhookError::NotConfigured(provider) | WebhookError::Unsigned(provider) => *provider,
            WebhookError::Unauthenticated { provider, .. }
            | WebhookError::Forbidden { provider, .. }
            | WebhookError::Malformed { provider, .. }
            | WebhookError::Upstream { provider, .. } => *provider,
        }
    }
}

/// A webhook setting the relay cannot start with.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    /// A configured secret is the empty string (an unset variable, most
    /// likely): verifying against it would accept anyone who knows that.
    #[error("the {0} webhook secret is empty")]
    EmptySecret(&'static str),
    /// The SendGrid verification key is neither base64 DER nor PEM of a
    /// P-256 public key.
    #[error("the SendGrid verification key is not a P-256 public key (base64 DER or PEM)")]
    SendgridKey,
}
