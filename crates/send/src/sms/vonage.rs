//! Vonage, through either of its two APIs:
//!
//! - the Messages API (`POST /v1/messages` on api.nexmo.com): JSON
//!   `{message_type: "text", channel: "sms", to, from, text, client_ref,
//!   webhook_url}`, Basic auth with the API key and secret, or a JWT signed
//!   by an application's private key; `202 {message_uuid}`. Errors are RFC
//!   7807 problems (`{type, title, detail}`).
//! - the SMS API (`POST /sms/json` on rest.nexmo.com): a form with
//!   `api_key`, `api_secret`, `from`, `to`, `text`, `type=unicode` for text
//!   outside GSM-7, `callback`, `client-ref`; `200 {message-count,
//!   messages: [{status, message-id, error-text}]}`, where each part of a
//!   long text has its own status and `"0"` alone means taken.
//!
//! Numbers go without their `+`, as both APIs want them. Delivery reports
//! go to the relay's `/webhooks/vonage/status` (Messages API) or
//! `/webhooks/vonage/dlr` (SMS API). [`SmsProvider::verify`]
//! reads the account balance (`GET /account/get-balance` with the key and
//! secret), which sends nothing and costs nothing.

pub(crate) mod jwt;
mod messages_api;
mod sms_api;

use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;
use url::Url;

use super::http;
use super::provider::{Accepted, AccountCheck, SmsError, SmsMessage, SmsProvider};
use super::settings::{
    invalid, ProviderKind, ProviderSecrets, SettingsError, VonageApi, VonageSettings, VONAGE_API,
    VONAGE_REST,
};
use crate::secrets::{Secret, SecretName};

const VONAGE: &str = "Vonage";

/// A client for one Vonage API key (and application, for JWTs).
#[derive(Debug)]
pub struct Vonage {
    http: reqwest::Client,
    api: VonageApi,
    /// `/v1/messages` or `/sms/json`.
    send_url: Url,
    balance_url: Url,
    api_key: String,
    api_secret: Secret,
    /// Set when the Messages API is called with an application's JWT.
    jwt: Option<jwt::JwtSigner>,
    /// As the APIs take it (no `+`).
    from: String,
    sender: String,
    status_webhook: Option<String>,
}

impl Vonage {
    /// `relay`: the relay's public base URL, for delivery reports.
    pub fn new(
        settings: &VonageSettings,
        secrets: &ProviderSecrets,
        timeout: Duration,
        relay: Option<&str>,
    ) -> Result<Vonage, SettingsError> {
        let api_secret = secrets
            .vonage_api_secret
            .clone()
            .ok_or_else(|| super::settings::not_ready(SecretName::VonageApiSecret))?;
        let jwt = match settings.application_id() {
            Some(application_id) => {
                let pem = secrets
                    .vonage_private_key
                    .as_ref()
                    .ok_or_else(|| super::settings::not_ready(SecretName::VonagePrivateKey))?;
                let key = jwt::private_key(pem.expose())
                    .map_err(|problem| invalid("vonage_private_key", problem))?;
                Some(jwt::JwtSigner::new(application_id, key))
            }
            None => None,
        };
        let fixed = |url: &str| Url::parse(url).expect("a valid constant");
        // A configured base URL is one stand-in serving every path.
        let (api_base, rest_base) = match settings.base_url() {
            Some(base) => (base.clone(), base.clone()),
            None => (fixed(VONAGE_API), fixed(VONAGE_REST)),
        };
        let send_url = match settings.api() {
            VonageApi::Messages => http::endpoint(&api_base, "/v1/messages"),
            VonageApi::Sms => http::endpoint(&rest_base, "/sms/json"),
        };
        Ok(Vonage {
            http: http::client(timeout)?,
            api: settings.api(),
            send_url,
            balance_url: http::endpoint(&rest_base, "/account/get-balance"),
            api_key: settings.api_key().to_owned(),
            api_secret,
            jwt,
            from: settings.from().wire().to_owned(),
            sender: settings.from().as_str().to_owned(),
            // Each API's reports arrive in its own shape, at its own route.
            status_webhook: relay.map(|relay| match settings.api() {
                VonageApi::Messages => format!("{relay}/webhooks/vonage/status"),
                VonageApi::Sms => format!("{relay}/webhooks/vonage/dlr"),
            }),
        })
    }
}

/// Vonage's balance answer.
#[derive(Deserialize)]
struct Balance {
    value: f64,
    #[serde(rename = "autoReload", default)]
    auto_reload: bool,
}

#[async_trait]
impl SmsProvider for Vonage {
    async fn send(&self, message: &SmsMessage) -> Result<Accepted, SmsError> {
        let accepted = match self.api {
            VonageApi::Messages => messages_api::send(self, message).await?,
            VonageApi::Sms => sms_api::send(self, message).await?,
        };
        tracing::debug!(id = %accepted.provider_message_id, "Vonage took an SMS");
        Ok(accepted)
    }

    async fn verify(&self) -> Result<AccountCheck, SmsError> {
        let request = self
            .http
            .get(self.balance_url.clone())
            .basic_auth(&self.api_key, Some(self.api_secret.expose()));
        let answer = http::exchange(VONAGE, request).await?;
        if matches!(answer.status.as_u16(), 401 | 403) {
            return Err(SmsError::fatal(format!(
                "Vonage refused the API key {} and its secret (HTTP {}); check them in \
                 Settings → SMS",
                self.api_key, answer.status
            )));
        }
        if let Some(error) = http::by_status(VONAGE, &answer) {
            return Err(error);
        }
        if !answer.status.is_success() {
            return Err(SmsError::transient(format!(
                "Vonage answered the balance check with HTTP {}",
                answer.status
            )));
        }
        let balance: Balance = answer.body.and_then(|body| {
            serde_json::from_slice(&body).map_err(|e| {
                SmsError::transient(format!("Vonage's balance answer is unreadable ({e})"))
            })
        })?;
        let reload = if balance.auto_reload {
            ", auto-reload on"
        } else {
            ""
        };
        let signing = match &self.jwt {
            Some(_) => "; texts are signed with the application's private key",
            None => "",
        };
        Ok(AccountCheck {
            provider: ProviderKind::Vonage,
            account_name: None,
            detail: format!(
                "Vonage accepted the API key {} (balance {:.2}{reload}){signing}; it sends as {}",
                self.api_key, balance.value, self.sender
            ),
        })
    }

    fn sender(&self) -> &str {
        &self.sender
    }
}
