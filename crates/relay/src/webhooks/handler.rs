//! [`Webhooks`]: the configured providers, and the one entry point that
//! routes a request to its provider's checks.

use std::fmt;
use std::sync::Arc;

use super::error::{ConfigError, WebhookError};
use super::fetch::HttpsFetcher;
use super::request::{Accepted, WebhookRequest};
use super::sns_cert::CertCache;
use super::{generic, mailgun, postmark, sendgrid, ses, twilio, vonage, vonage_sms};
use crate::event::Provider;

/// The providers' secrets. A provider left unset (or, for SES, with no
/// topic) is not configured: its route answers 404 and accepts nothing.
#[derive(Clone, Default)]
pub struct WebhookConfig {
    /// The Twilio account's auth token.
    pub twilio_auth_token: Option<String>,
    /// The Vonage account's signature secret (for signed webhooks): the
    /// Messages API's JWTs and the SMS API's `sig` (SHA-256 HMAC).
    pub vonage_signature_secret: Option<String>,
    /// The SNS topics whose messages are heard (full ARNs).
    pub ses_topic_arns: Vec<String>,
    /// The username and password written into Postmark's webhook URL.
    pub postmark_basic: Option<(String, String)>,
    /// The Event Webhook verification key, as SendGrid shows it (base64 DER)
    /// or in PEM.
    pub sendgrid_public_key: Option<String>,
    /// Mailgun's HTTP webhook signing key.
    pub mailgun_signing_key: Option<String>,
    /// The secrets of the relay's current and previous workspace signing
    /// keys (`herald_core::token::SigningKey`), for the generic webhook.
    pub generic_keys: Vec<[u8; 32]>,
}

impl fmt::Debug for WebhookConfig {
    /// Which providers are configured; never a secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookConfig")
            .field("twilio", &self.twilio_auth_token.is_some())
            .field("vonage", &self.vonage_signature_secret.is_some())
            .field("ses_topic_arns", &self.ses_topic_arns)
            .field("postmark", &self.postmark_basic.is_some())
            .field("sendgrid", &self.sendgrid_public_key.is_some())
            .field("mailgun", &self.mailgun_signing_key.is_some())
            .field("generic_keys", &self.generic_keys.len())
            .finish()
    }
}

/// A webhook route of the relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    TwilioStatus,
    TwilioInbound,
    VonageStatus,
    VonageInbound,
    /// The SMS API's delivery receipts (not the Messages API's statuses).
    VonageSmsReceipt,
    /// The SMS API's inbound texts.
    VonageSmsInbound,
    Ses,
    Postmark,
    Sendgrid,
    Mailgun,
    Generic,
}

impl Route {
    pub fn provider(self) -> Provider {
        match self {
            Route::TwilioStatus | Route::TwilioInbound => Provider::Twilio,
            Route::VonageStatus
            | Route::VonageInbound
            | Route::VonageSmsReceipt
            | Route::VonageSmsInbound => Provider::Vonage,
            Route::Ses => Provider::Ses,
            Route::Postmark => Provider::Postmark,
            Route::Sendgrid => Provider::Sendgrid,
            Route::Mailgun => Provider::Mailgun,
            Route::Generic => Provider::Generic,
        }
    }
}

/// Verifies and reads provider webhooks. Cheap to share (`Arc`); the only
/// state it keeps is the SNS certificate cache.
pub struct Webhooks {
    config: WebhookConfig,
    sendgrid_key: Option<p256::ecdsa::VerifyingKey>,
    certs: CertCache,
    fetcher: Arc<dyn HttpsFetcher>,
}

impl fmt::Debug for Webhooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhooks")
            .field("config", &self.config)
            .field("fetcher", &self.fetcher)
            .finish_non_exhaustive()
    }
}

impl Webhooks {
    /// Checks the configuration once, at start-up: an empty secret or a
    /// SendGrid key that is not a P-256 public key is refused here rather
    /// than on every webhook.
    pub fn new(config: WebhookConfig, fetcher: Arc<dyn HttpsFetcher>) -> Result<Self, ConfigError> {
        let secrets = [
            ("Twilio", config.twilio_auth_token.as_deref()),
            ("Vonage", config.vonage_signature_secret.as_deref()),
            ("Mailgun", config.mailgun_signing_key.as_deref()),
            ("SendGrid", config.sendgrid_public_key.as_deref()),
            (
                "Postmark",
                config
                    .postmark_basic
                    .as_ref()
                    .map(|(user, _)| user.as_str()),
            ),
            (
                "Postmark",
                config
                    .postmark_basic
                    .as_ref()
                    .map(|(_, password)| password.as_str()),
            ),
        ];
        if let Some((name, _)) = secrets
            .iter()
            .find(|(_, secret)| secret.is_some_and(|secret| secret.trim().is_empty()))
        {
            return Err(ConfigError::EmptySecret(name));
        }
        if config
            .ses_topic_arns
            .iter()
            .any(|topic| topic.trim().is_empty())
        {
            return Err(ConfigError::EmptySecret("SES topic"));
        }
        let sendgrid_key = config
            .sendgrid_public_key
            .as_deref()
            .map(sendgrid::parse_key)
            .transpose()?;
        Ok(Webhooks {
            config,
            sendgrid_key,
            certs: CertCache::default(),
            fetcher,
        })
    }

    /// Verifies `req` as a call to `route` and reads its events. An error
    /// means nothing was produced; [`WebhookError::status`] is the answer.
    pub async fn handle(
        &self,
        route: Route,
        req: WebhookRequest<'_>,
    ) -> Result<Accepted, WebhookError> {
        let not_configured = || WebhookError::NotConfigured(route.provider());
        let config = &self.config;
        match route {
            Route::TwilioStatus | Route::TwilioInbound => {
                let token = config
                    .twilio_auth_token
                    .as_deref()
                    .ok_or_else(not_configured)?;
                if route == Route::TwilioStatus {
                    twilio::status(token, &req)
                } else {
                    twilio::inbound(token, &req)
                }
            }
            Route::VonageStatus | Route::VonageInbound => {
                let secret = config
                    .vonage_signature_secret
                    .as_deref()
                    .ok_or_else(not_configured)?;
                if route == Route::VonageStatus {
                    vonage::status(secret, &req)
                } else {
                    vonage::inbound(secret, &req)
                }
            }
            Route::VonageSmsReceipt | Route::VonageSmsInbound => {
                let secret = config
                    .vonage_signature_secret
                    .as_deref()
                    .ok_or_else(not_configured)?;
                if route == Route::VonageSmsReceipt {
                    vonage_sms::receipt(secret, &req)
                } else {
                    vonage_sms::inbound(secret, &req)
                }
            }
            Route::Ses => {
                if config.ses_topic_arns.is_empty() {
                    return Err(not_configured());
                }
                ses::handle(&config.ses_topic_arns, &self.certs, &*self.fetcher, &req).await
            }
            Route::Postmark => {
                let (user, password) = config.postmark_basic.as_ref().ok_or_else(not_configured)?;
                postmark::handle((user, password), &req)
            }
            Route::Sendgrid => {
                let key = self.sendgrid_key.as_ref().ok_or_else(not_configured)?;
                sendgrid::handle(key, &req)
            }
            Route::Mailgun => {
                let key = config
                    .mailgun_signing_key
                    .as_deref()
                    .ok_or_else(not_configured)?;
                mailgun::handle(key, &req)
            }
            Route::Generic => {
                if config.generic_keys.is_empty() {
                    return Err(not_configured());
                }
                generic::handle(&config.generic_keys, &req)
            }
        }
    }
}
