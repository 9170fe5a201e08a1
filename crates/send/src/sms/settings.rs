//! The SMS settings: which provider campaign texts go through, as which
//! sender, how fast, and when. Stored as JSON under the setting
//! [`SETTINGS_KEY`]; the Twilio auth token, the Vonage API secret and the
//! Vonage application's private key only ever in the keychain.
//!
//! [`SmsSettingsInput`] is the form a person fills in (and what is stored);
//! [`SmsSettings`] is the checked value the providers are built from. Only
//! the chosen provider's fields are checked: the other provider's stay as
//! entered, so switching back and forth loses nothing.

mod fields;
mod stored;

use std::time::Duration;

use chrono::NaiveTime;
use herald_core::PhoneNumber;
use serde::{Deserialize, Serialize};
use url::Url;
use uuid::Uuid;

pub(crate) use self::stored::not_ready;
pub use self::stored::{
    load, provider_secrets, save, secrets_present, ProviderSecrets, SecretChanges, SecretsPresent,
};
pub use herald_core::sending_hours::{SendingHours, SendingHoursError};

/// The settings key the input form is stored under.
pub const SETTINGS_KEY: &str = "sms.settings";

pub const DEFAULT_TIMEOUT_SECONDS: u32 = 30;
pub const MAX_TIMEOUT_SECONDS: u32 = 120;
pub const DEFAULT_OPT_OUT_TEXT: &str = "Reply STOP to opt out";
/// The APIs' own addresses, used when the base URL fields are empty.
pub const TWILIO_API: &str = "https://api.twilio.com";
/// Vonage's Messages API (and, in tests, everything else).
pub const VONAGE_API: &str = "https://api.nexmo.com";
/// Vonage's SMS API and account API.
pub const VONAGE_REST: &str = "https://rest.nexmo.com";

/// Which provider sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    Twilio,
    Vonage,
}

impl ProviderKind {
    pub fn name(self) -> &'static str {
        match self {
            ProviderKind::Twilio => "Twilio",
            ProviderKind::Vonage => "Vonage",
        }
    }
}

/// Which of Vonage's two APIs sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VonageApi {
    /// `POST /v1/messages`: JSON, an API key and secret or an application's
    /// JWT, status webhooks the relay verifies.
    Messages,
    /// `POST /sms/json`: the older form API, key and secret only.
    Sms,
}

/// What kind of sender the messages come from; it sets the default rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SenderKind {
    /// An ordinary (10-digit in the US) number: about 1 message a second.
    LongCode,
    TollFree,
    ShortCode,
    /// A name such as "HERALD" (not in the US or Canada; replies impossible).
    Alphanumeric,
}

/// The settings as a person enters them, and as they are stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SmsSettingsInput {
    pub provider: ProviderKind,
    pub twilio_account_sid: String,
    /// An E.164 number, or empty when a Messaging Service sends.
    pub twilio_from: String,
    /// `MG…`, or empty.
    pub twilio_messaging_service_sid: String,
    pub vonage_api: VonageApi,
    pub vonage_api_key: String,
    /// Empty: the Messages API is called with the key and secret; else with
    /// a JWT signed by this application's private key.
    pub vonage_application_id: String,
    /// An E.164 number or an alphanumeric sender id of at most 11 characters.
    pub vonage_from: String,
    pub sender_kind: SenderKind,
    /// `None`: [`default_rate`] for the provider and sender kind.
    pub messages_per_second: Option<f64>,
    /// `None`: any time of day.
    pub sending_hours: Option<SendingHours>,
    /// Appended to each campaign message (unless a campaign opts out of it).
    pub opt_out_text: String,
    /// The answer to a HELP or INFO reply.
    pub help_text: String,
    /// Empty: the real API. Tests point these at a stand-in.
    pub twilio_base_url: String,
    pub vonage_base_url: String,
    pub timeout_seconds: u32,
}

impl Default for SmsSettingsInput {
    fn default() -> Self {
        SmsSettingsInput {
            provider: ProviderKind::Twilio,
            twilio_account_sid: String::new(),
            twilio_from: String::new(),
            twilio_messaging_service_sid: String::new(),
            vonage_api: VonageApi::Messages,
            vonage_api_key: String::new(),
            vonage_application_id: String::new(),
            vonage_from: String::new(),
            sender_kind: SenderKind::LongCode,
            messages_per_second: None,
            sending_hours: Some(default_sending_hours()),
            opt_out_text: DEFAULT_OPT_OUT_TEXT.to_owned(),
            help_text: format!("Marketing messages. {DEFAULT_OPT_OUT_TEXT}."),
            twilio_base_url: String::new(),
            vonage_base_url: String::new(),
            timeout_seconds: DEFAULT_TIMEOUT_SECONDS,
        }
    }
}

impl SmsSettingsInput {
    /// The defaults, with a help text that names the workspace.
    pub fn for_workspace(name: &str) -> SmsSettingsInput {
        let name = name.trim();
        let mut input = SmsSettingsInput::default();
        if !name.is_empty() {
            input.help_text = format!("{name}: marketing messages. {DEFAULT_OPT_OUT_TEXT}.");
        }
        input
    }
}

/// 08:00 to 21:00, the quiet hours most guidance asks for.
pub fn default_sending_hours() -> SendingHours {
    let at = |hour| NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN);
    SendingHours {
        from: at(8),
        until: at(21),
    }
}

/// The rate a sender of this kind gets unless the settings say otherwise.
/// US carriers allow a long code about 1 message a second, a toll-free
/// number 3 and a short code 30; an alphanumeric sender 10 is a safe start.
/// Vonage allows at most 30 requests a second per API key.
pub fn default_rate(provider: ProviderKind, sender_kind: SenderKind) -> f64 {
    let rate: f64 = match sender_kind {
        SenderKind::LongCode => 1.0,
        SenderKind::TollFree => 3.0,
        SenderKind::ShortCode => 30.0,
        SenderKind::Alphanumeric => 10.0,
    };
    rate.min(max_rate(provider))
}

/// The most messages a second the settings accept for a provider: Twilio
/// queues up to 100 a second for a short code; Vonage takes 30 requests a
/// second per API key.
pub fn max_rate(provider: ProviderKind) -> f64 {
    match provider {
        ProviderKind::Twilio => 100.0,
        ProviderKind::Vonage => 30.0,
    }
}

/// The checked Twilio part of the settings.
#[derive(Debug, Clone, PartialEq)]
pub struct TwilioSettings {
    account_sid: String,
    from: Option<PhoneNumber>,
    messaging_service_sid: Option<String>,
    base_url: Url,
}

impl TwilioSettings {
    pub fn account_sid(&self) -> &str {
        &self.account_sid
    }
    pub fn from(&self) -> Option<&PhoneNumber> {
        self.from.as_ref()
    }
    pub fn messaging_service_sid(&self) -> Option<&str> {
        self.messaging_service_sid.as_deref()
    }
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }
}

/// A Vonage sender: a number, or a name shown instead of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VonageSender {
    Number(PhoneNumber),
    Alphanumeric(String),
}

impl VonageSender {
    /// As Vonage's APIs take it: digits without `+`, or the name.
    pub fn wire(&self) -> &str {
        match self {
            VonageSender::Number(number) => number.as_str().trim_start_matches('+'),
            VonageSender::Alphanumeric(name) => name,
        }
    }
    /// As shown to a person and stored in the ledger.
    pub fn as_str(&self) -> &str {
        match self {
            VonageSender::Number(number) => number.as_str(),
            VonageSender::Alphanumeric(name) => name,
        }
    }
}

/// The checked Vonage part of the settings.
#[derive(Debug, Clone, PartialEq)]
pub struct VonageSettings {
    api: VonageApi,
    api_key: String,
    application_id: Option<Uuid>,
    from: VonageSender,
    base_url: Option<Url>,
}

impl VonageSettings {
    pub fn api(&self) -> VonageApi {
        self.api
    }
    pub fn api_key(&self) -> &str {
        &self.api_key
    }
    /// Set only with the Messages API (the SMS API has no applications).
    pub fn application_id(&self) -> Option<Uuid> {
        self.application_id
            .filter(|_| self.api == VonageApi::Messages)
    }
    pub fn from(&self) -> &VonageSender {
        &self.from
    }
    /// `None`: the real APIs ([`VONAGE_API`], [`VONAGE_REST`]); else one
    /// stand-in that serves every path.
    pub fn base_url(&self) -> Option<&Url> {
        self.base_url.as_ref()
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Provider {
    Twilio(TwilioSettings),
    Vonage(VonageSettings),
}

/// Checked SMS settings; made only by [`SmsSettings::parse`].
#[derive(Debug, Clone, PartialEq)]
pub struct SmsSettings {
    /// The form, trimmed: what [`SmsSettings::to_input`] gives back.
    input: SmsSettingsInput,
    provider: Provider,
    messages_per_second: f64,
    timeout: Duration,
}

/// What can go wrong checking, loading or saving the settings, or building
/// a provider from them.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// A field is wrong; the message names it and says what is wrong.
    #[error("{field}: {problem}")]
    Invalid {
        field: &'static str,
        problem: String,
    },
    /// Something the chosen provider needs is missing (a secret that was
    /// never entered); the field says which.
    #[error("{field}: {problem}")]
    NotReady {
        field: &'static str,
        problem: String,
    },
    /// The HTTPS client could not be set up.
    #[error("cannot set up HTTPS for the SMS provider: {0}")]
    Http(String),
    #[error(transparent)]
    Secrets(#[from] crate::secrets::SecretsError),
    #[error(transparent)]
    Store(#[from] herald_store::StoreError),
}

pub(crate) fn invalid(field: &'static str, problem: impl Into<String>) -> SettingsError {
    SettingsError::Invalid {
        field,
        problem: problem.into(),
    }
}

impl SmsSettings {
    /// Checks the form; the error names the first field that is wrong.
    pub fn parse(input: &SmsSettingsInput) -> Result<SmsSettings, SettingsError> {
        let input = fields::trimmed(input);
        let provider = match input.provider {
            ProviderKind::Twilio => Provider::Twilio(fields::twilio(&input)?),
            ProviderKind::Vonage => Provider::Vonage(fields::vonage(&input)?),
        };
        let messages_per_second = fields::rate(&input)?;
        // Stored windows were checked when read; a form's fields are public.
        if let Some(hours) = &input.sending_hours {
            if hours.from >= hours.until {
                return Err(invalid(
                    "sending_hours",
                    format!(
                        "the window must end after it starts, not {} to {}",
                        hours.from.format("%H:%M"),
                        hours.until.format("%H:%M")
                    ),
                ));
            }
        }
        fields::opt_out_text(&input.opt_out_text)?;
        fields::help_text(&input.help_text)?;
        if !(1..=MAX_TIMEOUT_SECONDS).contains(&input.timeout_seconds) {
            return Err(invalid(
                "timeout_seconds",
                format!(
                    "the timeout must be 1 to {MAX_TIMEOUT_SECONDS} seconds, not {}",
                    input.timeout_seconds
                ),
            ));
        }
        Ok(SmsSettings {
            timeout: Duration::from_secs(input.timeout_seconds.into()),
            input,
            provider,
            messages_per_second,
        })
    }

    /// The form these settings came from, to show or edit.
    pub fn to_input(&self) -> SmsSettingsInput {
        self.input.clone()
    }

    pub fn provider_kind(&self) -> ProviderKind {
        self.input.provider
    }
    /// The Twilio settings, when Twilio is the provider.
    pub fn twilio(&self) -> Option<&TwilioSettings> {
        match &self.provider {
            Provider::Twilio(twilio) => Some(twilio),
            Provider::Vonage(_) => None,
        }
    }
    /// The Vonage settings, when Vonage is the provider.
    pub fn vonage(&self) -> Option<&VonageSettings> {
        match &self.provider {
            Provider::Vonage(vonage) => Some(vonage),
            Provider::Twilio(_) => None,
        }
    }
    /// The sender as shown and stored in the ledger: the from number, the
    /// Messaging Service SID, or the alphanumeric id.
    pub fn sender(&self) -> &str {
        match &self.provider {
            // `parse` requires one of the two.
            Provider::Twilio(twilio) => twilio
                .from
                .as_ref()
                .map(PhoneNumber::as_str)
                .or(twilio.messaging_service_sid.as_deref())
                .unwrap_or_default(),
            Provider::Vonage(vonage) => vonage.from.as_str(),
        }
    }
    pub fn sender_kind(&self) -> SenderKind {
        self.input.sender_kind
    }
    /// The most messages a second the engine should hand over: the
    /// setting, or the default for the sender kind.
    pub fn messages_per_second(&self) -> f64 {
        self.messages_per_second
    }
    /// `None`: sends at any time of day.
    pub fn sending_hours(&self) -> Option<&SendingHours> {
        self.input.sending_hours.as_ref()
    }
    pub fn opt_out_text(&self) -> &str {
        &self.input.opt_out_text
    }
    pub fn help_text(&self) -> &str {
        &self.input.help_text
    }
    /// How long one request to the provider may take, answer included.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
}
