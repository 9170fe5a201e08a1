//! Twilio's Messages API: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`
//! with form fields `To`, `Body`, `From` and/or `MessagingServiceSid`, and
//! `StatusCallback` (the relay's `/webhooks/twilio/status`, which checks
//! Twilio's signature). HTTP Basic auth with the Account SID and auth
//! token; a `201` answer carries the message's `sid`.
//!
//! [`SmsProvider::verify`] reads the Account resource
//! (`GET /2010-04-01/Accounts/{AccountSid}.json`): its name and status.

mod errors;

use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;
use url::Url;

use super::http;
use super::provider::{Accepted, AccountCheck, SmsError, SmsMessage, SmsProvider};
use super::settings::{ProviderKind, SettingsError, TwilioSettings};
use crate::secrets::Secret;

const TWILIO: &str = "Twilio";

/// A client for one Twilio account.
#[derive(Debug)]
pub struct Twilio {
    http: reqwest::Client,
    messages: Url,
    account: Url,
    account_sid: String,
    auth_token: Secret,
    from: Option<String>,
    messaging_service_sid: Option<String>,
    status_callback: Option<String>,
    sender: String,
}

impl Twilio {
    /// `relay`: the relay's public base URL, for status callbacks.
    pub fn new(
        settings: &TwilioSettings,
        auth_token: Secret,
        timeout: Duration,
        relay: Option<&str>,
    ) -> Result<Twilio, SettingsError> {
        let sid = settings.account_sid();
        let from = settings.from().map(|n| n.as_str().to_owned());
        let messaging_service_sid = settings.messaging_service_sid().map(str::to_owned);
        let sender = from
            .clone()
            .or_else(|| messaging_service_sid.clone())
            .unwrap_or_default();
        Ok(Twilio {
            http: http::client(timeout)?,
            messages: http::endpoint(
                settings.base_url(),
                &format!("/2010-04-01/Accounts/{sid}/Messages.json"),
            ),
            account: http::endpoint(
                settings.base_url(),
                &format!("/2010-04-01/Accounts/{sid}.json"),
            ),
            account_sid: sid.to_owned(),
            auth_token,
            from,
            messaging_service_sid,
            status_callback: relay.map(|relay| format!("{relay}/webhooks/twilio/status")),
            sender,
        })
    }

    fn authed(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        request.basic_auth(&self.account_sid, Some(self.auth_token.expose()))
    }
}

/// The part of Twilio's Message resource Herald reads.
#[derive(Deserialize)]
struct Created {
    sid: String,
}

/// The part of Twilio's Account resource Herald reads.
#[derive(Deserialize)]
struct Account {
    friendly_name: Option<String>,
    status: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[async_trait]
impl SmsProvider for Twilio {
    async fn send(&self, message: &SmsMessage) -> Result<Accepted, SmsError> {
        let mut form = vec![("To", message.to.as_str())];
        if let Some(from) = &self.from {
            form.push(("From", from));
        }
        if let Some(service) = &self.messaging_service_sid {
            form.push(("MessagingServiceSid", service));
        }
        form.push(("Body", &message.body));
        if let Some(callback) = &self.status_callback {
            form.push(("StatusCallback", callback));
        }
        let request = self
            .authed(self.http.post(self.messages.clone()))
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(http::form(&form));
        let answer = http::exchange(TWILIO, request).await?;
        if !answer.status.is_success() {
            return Err(errors::classify(&answer));
        }
        let created = answer.body.and_then(|body| {
            serde_json::from_slice::<Created>(&body).map_err(|_| {
                SmsError::in_doubt(format!(
                    "Twilio took the message (HTTP {}) but its answer holds no message SID",
                    answer.status
                ))
            })
        })?;
        tracing::debug!(sid = %created.sid, "Twilio took an SMS");
        Ok(Accepted {
            provider_message_id: created.sid,
        })
    }

    async fn verify(&self) -> Result<AccountCheck, SmsError> {
        let request = self.authed(self.http.get(self.account.clone()));
        let answer = http::exchange(TWILIO, request).await?;
        if !answer.status.is_success() {
            return Err(errors::classify(&answer));
        }
        let account: Account = answer.body.and_then(|body| {
            serde_json::from_slice(&body).map_err(|e| {
                SmsError::transient(format!("Twilio's account answer is unreadable ({e})"))
            })
        })?;
        let status = account.status.unwrap_or_else(|| "unknown".into());
        let name = account.friendly_name.filter(|n| !n.trim().is_empty());
        let called = name
            .as_deref()
            .map(|n| format!("The Twilio account \"{n}\""))
            .unwrap_or_else(|| "The Twilio account".into());
        if status != "active" {
            return Err(SmsError::fatal(format!(
                "{called} is {status}: it cannot send until it is active again"
            )));
        }
        let trial = account
            .kind
            .filter(|k| k.eq_ignore_ascii_case("trial"))
            .map(|_| " (trial: it may text only numbers verified in the Twilio Console)")
            .unwrap_or_default();
        Ok(AccountCheck {
            provider: ProviderKind::Twilio,
            account_name: name,
            detail: format!("{called} is active{trial}; it sends as {}", self.sender),
        })
    }

    fn sender(&self) -> &str {
        &self.sender
    }
}
