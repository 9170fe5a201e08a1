//! The one trait every SMS provider implements, what a send returns, and
//! the factory that builds the provider the settings choose.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use herald_core::PhoneNumber;

use super::settings::{ProviderKind, ProviderSecrets, SettingsError, SmsSettings};
use super::{twilio, vonage};
use crate::engine::Delivery;

/// One text to one recipient.
#[derive(Clone, PartialEq, Eq)]
pub struct SmsMessage {
    pub to: PhoneNumber,
    pub body: String,
    /// Our id for the message, sent as `client_ref` where the API has one
    /// (Vonage); it comes back in delivery reports.
    pub client_ref: String,
}

impl std::fmt::Debug for SmsMessage {
    /// Without the body: it holds the contact's personal data.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsMessage")
            .field("to", &self.to)
            .field("body_chars", &self.body.chars().count())
            .field("client_ref", &self.client_ref)
            .finish()
    }
}

/// The provider took the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// Twilio's `SM…` SID or Vonage's message id: delivery reports carry it.
    pub provider_message_id: String,
}

/// Why a message was not (or perhaps not) taken, by what can be done about it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SmsError {
    /// 429, 5xx, a connection refused before the request was written: the
    /// message was not taken, so it is safe to try again later.
    #[error("{reason}")]
    Transient {
        reason: String,
        /// The provider's `Retry-After`, when it gave one.
        retry_after: Option<Duration>,
        /// The provider said we send too fast (the engine slows down).
        rate_limited: bool,
    },
    /// This recipient cannot get this message: an invalid or landline
    /// number, a recipient who replied STOP, an unroutable destination, an
    /// unverified number on a trial account. In plain words, with the
    /// provider's error code.
    #[error("{reason}{}", code.as_deref().map(|c| format!(" (error {c})")).unwrap_or_default())]
    Permanent {
        reason: String,
        code: Option<String>,
    },
    /// The request was sent and the answer never came (a timeout, a broken
    /// connection): the text may have gone out. Never retried automatically.
    #[error("{reason}")]
    InDoubt { reason: String },
    /// Nothing can be sent: credentials refused, the account suspended or
    /// out of credit, the sender not allowed. The campaign stops.
    #[error("{reason}")]
    Fatal { reason: String },
}

impl SmsError {
    pub(crate) fn permanent(reason: impl Into<String>, code: Option<String>) -> SmsError {
        SmsError::Permanent {
            reason: reason.into(),
            code,
        }
    }

    pub(crate) fn fatal(reason: impl Into<String>) -> SmsError {
        SmsError::Fatal {
            reason: reason.into(),
        }
    }

    pub(crate) fn transient(reason: impl Into<String>) -> SmsError {
        SmsError::Transient {
            reason: reason.into(),
            retry_after: None,
            rate_limited: false,
        }
    }

    pub(crate) fn rate_limited(
        reason: impl Into<String>,
        retry_after: Option<Duration>,
    ) -> SmsError {
        SmsError::Transient {
            reason: reason.into(),
            retry_after,
            rate_limited: true,
        }
    }

    pub(crate) fn in_doubt(reason: impl Into<String>) -> SmsError {
        SmsError::InDoubt {
            reason: reason.into(),
        }
    }
}

impl From<SmsError> for Delivery {
    fn from(error: SmsError) -> Delivery {
        let reason = error.to_string();
        match error {
            SmsError::Transient {
                retry_after,
                rate_limited: true,
                ..
            } => Delivery::Throttled {
                reason,
                retry_after,
            },
            SmsError::Transient { retry_after, .. } => Delivery::Transient {
                reason,
                retry_after,
            },
            SmsError::Permanent { .. } => Delivery::Permanent { reason },
            SmsError::InDoubt { .. } => Delivery::Unknown { reason },
            SmsError::Fatal { .. } => Delivery::Fatal { reason },
        }
    }
}

/// What [`SmsProvider::verify`] learnt about the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountCheck {
    pub provider: ProviderKind,
    /// The account's name, when the provider tells it.
    pub account_name: Option<String>,
    /// One sentence for the settings page, e.g. "The Twilio account
    /// \"Shop\" is active (trial)".
    pub detail: String,
}

/// Sends texts through one provider account. Called from several workers
/// at once; the implementation keeps its connections alive between sends.
#[async_trait]
pub trait SmsProvider: Send + Sync + std::fmt::Debug {
    /// Sends one message: the provider's id for it, or why it was not taken.
    async fn send(&self, message: &SmsMessage) -> Result<Accepted, SmsError>;

    /// Checks the credentials without sending anything (Twilio: the Account
    /// resource; Vonage: the account balance).
    async fn verify(&self) -> Result<AccountCheck, SmsError>;

    /// The sender shown to the user and stored in the ledger: the from
    /// number, the Messaging Service SID or the alphanumeric sender id.
    fn sender(&self) -> &str;
}

/// The provider the settings choose. `status_callback` is the relay's
/// public base URL (no trailing slash): delivery reports are asked to go to
/// its webhook routes; `None` asks for none.
pub fn provider(
    settings: &SmsSettings,
    secrets: &ProviderSecrets,
    status_callback: Option<&str>,
) -> Result<Arc<dyn SmsProvider>, SettingsError> {
    let relay = status_callback
        .map(|url| url.trim().trim_end_matches('/'))
        .filter(|url| !url.is_empty());
    match (settings.twilio(), settings.vonage()) {
        (Some(twilio), _) => {
            let token = secrets.twilio_auth_token.clone().ok_or_else(|| {
                super::settings::not_ready(crate::secrets::SecretName::TwilioAuthToken)
            })?;
            let client = twilio::Twilio::new(twilio, token, settings.timeout(), relay)?;
            Ok(Arc::new(client))
        }
        (None, Some(vonage)) => {
            let client = vonage::Vonage::new(vonage, secrets, settings.timeout(), relay)?;
            Ok(Arc::new(client))
        }
        // `SmsSettings::parse` always checks one provider's part.
        (None, None) => Err(SettingsError::NotReady {
            field: "provider",
            problem: "no SMS provider is chosen".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_becomes_the_engine_outcome_of_its_kind() {
        let wait = Some(Duration::from_secs(7));
        assert_eq!(
            Delivery::from(SmsError::rate_limited("slow down", wait)),
            Delivery::Throttled {
                reason: "slow down".into(),
                retry_after: wait
            }
        );
        assert_eq!(
            Delivery::from(SmsError::Transient {
                reason: "bad gateway".into(),
                retry_after: None,
                rate_limited: false
            }),
            Delivery::Transient {
                reason: "bad gateway".into(),
                retry_after: None
            }
        );
        assert_eq!(
            Delivery::from(SmsError::permanent(
                "the recipient replied STOP",
                Some("21610".into())
            )),
            Delivery::Permanent {
                reason: "the recipient replied STOP (error 21610)".into()
            }
        );
        assert_eq!(
            Delivery::from(SmsError::in_doubt("no answer")),
            Delivery::Unknown {
                reason: "no answer".into()
            }
        );
        assert_eq!(
            Delivery::from(SmsError::fatal("suspended")),
            Delivery::Fatal {
                reason: "suspended".into()
            }
        );
    }

    #[test]
    fn a_message_debug_hides_the_body() {
        let message = SmsMessage {
            to: PhoneNumber::parse("+14155552671", None).unwrap(),
            body: "Dear Ada, your code is 1234".into(),
            client_ref: "m1".into(),
        };
        let shown = format!("{message:?}");
        assert!(!shown.contains("Ada"), "{shown}");
        assert!(shown.contains("+14155552671"), "{shown}");
    }
}
