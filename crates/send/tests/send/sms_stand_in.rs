//! What the SMS provider tests share: settings pointed at a wiremock
//! stand-in, the provider built from them, and readers for what Herald sent.

use std::collections::HashMap;
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use herald_core::PhoneNumber;
use herald_send::sms::provider::{self, SmsMessage, SmsProvider};
use herald_send::sms::settings::{
    ProviderKind, ProviderSecrets, SenderKind, SmsSettings, SmsSettingsInput, VonageApi,
};
use wiremock::{MockServer, Request};

pub const ACCOUNT_SID: &str = "AC0123456789abcdef0123456789abcdef";
pub const SERVICE_SID: &str = "MG0123456789abcdef0123456789abcdef";
pub const AUTH_TOKEN: &str = "twilio-auth-token-sms-tests";
pub const FROM: &str = "+14155550100";
pub const TO: &str = "+14155552671";
pub const VONAGE_KEY: &str = "abcd1234";
pub const VONAGE_SECRET: &str = "vonage-api-secret-sms-tests";
pub const VONAGE_FROM: &str = "447911123456";
/// The relay's public URL, as the settings page would pass it.
pub const RELAY: &str = "https://relay.herald.test";

/// Twilio settings sending from [`FROM`] through `server`.
pub fn twilio_input(server: &MockServer) -> SmsSettingsInput {
    SmsSettingsInput {
        provider: ProviderKind::Twilio,
        twilio_account_sid: ACCOUNT_SID.into(),
        twilio_from: FROM.into(),
        twilio_base_url: server.uri(),
        ..SmsSettingsInput::default()
    }
}

/// Vonage settings (key and secret) sending from [`VONAGE_FROM`] through `server`.
pub fn vonage_input(server: &MockServer, api: VonageApi) -> SmsSettingsInput {
    SmsSettingsInput {
        provider: ProviderKind::Vonage,
        vonage_api: api,
        vonage_api_key: VONAGE_KEY.into(),
        vonage_from: VONAGE_FROM.into(),
        sender_kind: SenderKind::LongCode,
        vonage_base_url: server.uri(),
        ..SmsSettingsInput::default()
    }
}

pub fn build(
    input: &SmsSettingsInput,
    secrets: &ProviderSecrets,
    relay: Option<&str>,
) -> Arc<dyn SmsProvider> {
    let settings = SmsSettings::parse(input).expect("test settings are valid");
    provider::provider(&settings, secrets, relay).expect("building the provider")
}

pub fn twilio_secrets() -> ProviderSecrets {
    ProviderSecrets::twilio(herald_send::secrets::Secret::new(AUTH_TOKEN.into()))
}

pub fn vonage_secrets() -> ProviderSecrets {
    ProviderSecrets::vonage(
        herald_send::secrets::Secret::new(VONAGE_SECRET.into()),
        None,
    )
}

pub fn message(body: &str) -> SmsMessage {
    SmsMessage {
        to: PhoneNumber::parse(TO, None).unwrap(),
        body: body.into(),
        client_ref: "herald-msg-1".into(),
    }
}

/// The one request the stand-in received.
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "exactly one request: {requests:?}");
    requests.remove(0)
}

/// A form body's fields (each name once).
pub fn form(request: &Request) -> HashMap<String, String> {
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert_eq!(content_type, "application/x-www-form-urlencoded");
    url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect()
}

/// The user and password of a Basic `Authorization` header.
pub fn basic_credentials(request: &Request) -> (String, String) {
    let header = request
        .headers
        .get("authorization")
        .expect("an Authorization header")
        .to_str()
        .unwrap();
    let encoded = header.strip_prefix("Basic ").expect("Basic auth");
    let decoded = String::from_utf8(STANDARD.decode(encoded).unwrap()).unwrap();
    let (user, password) = decoded.split_once(':').unwrap();
    (user.to_owned(), password.to_owned())
}
