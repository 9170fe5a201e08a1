//! Settings → SMS as it crosses IPC: the form the UI sends (secrets go to
//! the keychain only), the view it shows (never a secret), and their
//! conversions to herald-send's settings (docs/sms.md, "In the app").

use herald_send::sms::settings::{self as sms_settings, ProviderKind, SenderKind, VonageApi};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which company sends the SMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SmsProviderKind {
    Twilio,
    Vonage,
}

/// Which of Vonage's two APIs sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SmsVonageApi {
    /// The Messages API: key + secret, or an application's JWT.
    Messages,
    /// The older SMS API: key + secret.
    Sms,
}

/// What kind of sender the messages come from; it sets the default rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SmsSenderKind {
    LongCode,
    TollFree,
    ShortCode,
    Alphanumeric,
}

/// The daily window SMS may arrive in, in the recipient's time zone
/// ("08:00" to "21:00").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SmsSendingHours {
    pub from: String,
    pub until: String,
}

/// Settings → SMS, as the form sends it. The three secrets go to the
/// keychain only; absent or blank keeps the stored one.
#[derive(Clone, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SmsSettingsInput {
    pub provider: SmsProviderKind,
    pub twilio_account_sid: String,
    /// An E.164 number, or empty when a Messaging Service sends.
    pub twilio_from: String,
    pub twilio_messaging_service_sid: String,
    pub vonage_api: SmsVonageApi,
    pub vonage_api_key: String,
    /// Empty: key + secret authentication; else the application whose
    /// private key signs a JWT.
    pub vonage_application_id: String,
    /// An E.164 number or an alphanumeric sender id (up to 11 characters).
    pub vonage_from: String,
    pub sender_kind: SmsSenderKind,
    /// Messages per second; null: the default for the sender kind.
    pub messages_per_second: Option<f64>,
    /// Null: any time of day.
    pub sending_hours: Option<SmsSendingHours>,
    /// Appended to each campaign message unless the campaign turns it off.
    pub opt_out_text: String,
    /// The answer to HELP and INFO.
    pub help_text: String,
    /// The providers' API addresses (empty: the real API); absent keeps
    /// the stored one. For a stand-in in tests.
    #[serde(default)]
    #[ts(optional)]
    pub twilio_base_url: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub vonage_base_url: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub timeout_seconds: Option<u32>,
    #[serde(default)]
    #[ts(optional)]
    pub twilio_auth_token: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub vonage_api_secret: Option<String>,
    /// PEM.
    #[serde(default)]
    #[ts(optional)]
    pub vonage_private_key: Option<String>,
}

/// Says which secrets were entered, never what they are.
impl std::fmt::Debug for SmsSettingsInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsSettingsInput")
            .field("provider", &self.provider)
            .field("twilio_account_sid", &self.twilio_account_sid)
            .field("twilio_from", &self.twilio_from)
            .field(
                "twilio_messaging_service_sid",
                &self.twilio_messaging_service_sid,
            )
            .field("vonage_api", &self.vonage_api)
            .field("vonage_api_key", &self.vonage_api_key)
            .field("vonage_application_id", &self.vonage_application_id)
            .field("vonage_from", &self.vonage_from)
            .field("sender_kind", &self.sender_kind)
            .field("messages_per_second", &self.messages_per_second)
            .field("sending_hours", &self.sending_hours)
            .field(
                "twilio_auth_token_entered",
                &entered(&self.twilio_auth_token),
            )
            .field(
                "vonage_api_secret_entered",
                &entered(&self.vonage_api_secret),
            )
            .field(
                "vonage_private_key_entered",
                &entered(&self.vonage_private_key),
            )
            .finish_non_exhaustive()
    }
}

/// Whether the form carries a new secret (blank keeps the stored one).
fn entered(secret: &Option<String>) -> bool {
    secret.as_deref().is_some_and(|s| !s.trim().is_empty())
}

/// A provider and sender kind's messages per second when the settings
/// give none.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SmsDefaultRate {
    pub provider: SmsProviderKind,
    pub sender_kind: SmsSenderKind,
    pub messages_per_second: f64,
}

/// Settings → SMS, as the form shows it (never a secret).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SmsSettingsView {
    pub provider: SmsProviderKind,
    pub twilio_account_sid: String,
    pub twilio_from: String,
    pub twilio_messaging_service_sid: String,
    pub vonage_api: SmsVonageApi,
    pub vonage_api_key: String,
    pub vonage_application_id: String,
    pub vonage_from: String,
    pub sender_kind: SmsSenderKind,
    pub messages_per_second: Option<f64>,
    pub sending_hours: Option<SmsSendingHours>,
    pub opt_out_text: String,
    pub help_text: String,
    pub twilio_base_url: String,
    pub vonage_base_url: String,
    pub timeout_seconds: u32,
    pub twilio_auth_token_stored: bool,
    pub vonage_api_secret_stored: bool,
    pub vonage_private_key_stored: bool,
    /// The rate used when `messages_per_second` is null, for the chosen
    /// provider and sender kind.
    pub default_rate: f64,
    /// Every provider and sender kind's default, for the form to show as
    /// the choice changes.
    pub default_rates: Vec<SmsDefaultRate>,
    /// Settings have been saved (SMS campaigns can be sent).
    pub configured: bool,
}

impl From<ProviderKind> for SmsProviderKind {
    fn from(p: ProviderKind) -> Self {
        match p {
            ProviderKind::Twilio => SmsProviderKind::Twilio,
            ProviderKind::Vonage => SmsProviderKind::Vonage,
        }
    }
}

impl From<SmsProviderKind> for ProviderKind {
    fn from(p: SmsProviderKind) -> Self {
        match p {
            SmsProviderKind::Twilio => ProviderKind::Twilio,
            SmsProviderKind::Vonage => ProviderKind::Vonage,
        }
    }
}

impl From<VonageApi> for SmsVonageApi {
    fn from(a: VonageApi) -> Self {
        match a {
            VonageApi::Messages => SmsVonageApi::Messages,
            VonageApi::Sms => SmsVonageApi::Sms,
        }
    }
}

impl From<SmsVonageApi> for VonageApi {
    fn from(a: SmsVonageApi) -> Self {
        match a {
            SmsVonageApi::Messages => VonageApi::Messages,
            SmsVonageApi::Sms => VonageApi::Sms,
        }
    }
}

const SENDER_KINDS: [SenderKind; 4] = [
    SenderKind::LongCode,
    SenderKind::TollFree,
    SenderKind::ShortCode,
    SenderKind::Alphanumeric,
];

impl From<SenderKind> for SmsSenderKind {
    fn from(k: SenderKind) -> Self {
        match k {
            SenderKind::LongCode => SmsSenderKind::LongCode,
            SenderKind::TollFree => SmsSenderKind::TollFree,
            SenderKind::ShortCode => SmsSenderKind::ShortCode,
            SenderKind::Alphanumeric => SmsSenderKind::Alphanumeric,
        }
    }
}

impl From<SmsSenderKind> for SenderKind {
    fn from(k: SmsSenderKind) -> Self {
        match k {
            SmsSenderKind::LongCode => SenderKind::LongCode,
            SmsSenderKind::TollFree => SenderKind::TollFree,
            SmsSenderKind::ShortCode => SenderKind::ShortCode,
            SmsSenderKind::Alphanumeric => SenderKind::Alphanumeric,
        }
    }
}

impl From<sms_settings::SendingHours> for SmsSendingHours {
    fn from(h: sms_settings::SendingHours) -> Self {
        SmsSendingHours {
            from: h.from.format("%H:%M").to_string(),
            until: h.until.format("%H:%M").to_string(),
        }
    }
}

impl SmsSettingsView {
    /// The form for `input` (the saved settings, or the defaults when
    /// `configured` is false) and which secrets the keychain holds.
    pub fn new(
        input: sms_settings::SmsSettingsInput,
        stored: sms_settings::SecretsPresent,
        configured: bool,
    ) -> SmsSettingsView {
        let default_rates = [ProviderKind::Twilio, ProviderKind::Vonage]
            .into_iter()
            .flat_map(|provider| {
                SENDER_KINDS.into_iter().map(move |kind| SmsDefaultRate {
                    provider: provider.into(),
                    sender_kind: kind.into(),
                    messages_per_second: sms_settings::default_rate(provider, kind),
                })
            })
            .collect();
        SmsSettingsView {
            default_rate: sms_settings::default_rate(input.provider, input.sender_kind),
            default_rates,
            provider: input.provider.into(),
            twilio_account_sid: input.twilio_account_sid,
            twilio_from: input.twilio_from,
            twilio_messaging_service_sid: input.twilio_messaging_service_sid,
            vonage_api: input.vonage_api.into(),
            vonage_api_key: input.vonage_api_key,
            vonage_application_id: input.vonage_application_id,
            vonage_from: input.vonage_from,
            sender_kind: input.sender_kind.into(),
            messages_per_second: input.messages_per_second,
            sending_hours: input.sending_hours.map(Into::into),
            opt_out_text: input.opt_out_text,
            help_text: input.help_text,
            twilio_base_url: input.twilio_base_url,
            vonage_base_url: input.vonage_base_url,
            timeout_seconds: input.timeout_seconds,
            twilio_auth_token_stored: stored.twilio_auth_token,
            vonage_api_secret_stored: stored.vonage_api_secret,
            vonage_private_key_stored: stored.vonage_private_key,
            configured,
        }
    }
}

impl SmsSettingsInput {
    /// The settings herald-send checks and stores; what the form leaves
    /// out (API addresses, timeout) is taken from `stored`. The sending
    /// hours are read here, so their errors name `sendingHours.from` or
    /// `sendingHours.until`.
    pub fn settings(
        &self,
        stored: &sms_settings::SmsSettingsInput,
    ) -> Result<sms_settings::SmsSettingsInput, (String, String)> {
        let sending_hours = self
            .sending_hours
            .as_ref()
            .map(|h| {
                sms_settings::SendingHours::parse(&h.from, &h.until).map_err(|e| {
                    let field = match &e {
                        sms_settings::SendingHoursError::NotATime { field, .. } => *field,
                        sms_settings::SendingHoursError::Empty { .. } => "until",
                    };
                    (format!("sendingHours.{field}"), e.to_string())
                })
            })
            .transpose()?;
        let or_stored = |v: &Option<String>, s: &str| v.as_deref().unwrap_or(s).trim().to_owned();
        Ok(sms_settings::SmsSettingsInput {
            provider: self.provider.into(),
            twilio_account_sid: self.twilio_account_sid.trim().to_owned(),
            twilio_from: self.twilio_from.trim().to_owned(),
            twilio_messaging_service_sid: self.twilio_messaging_service_sid.trim().to_owned(),
            vonage_api: self.vonage_api.into(),
            vonage_api_key: self.vonage_api_key.trim().to_owned(),
            vonage_application_id: self.vonage_application_id.trim().to_owned(),
            vonage_from: self.vonage_from.trim().to_owned(),
            sender_kind: self.sender_kind.into(),
            messages_per_second: self.messages_per_second,
            sending_hours,
            opt_out_text: self.opt_out_text.trim().to_owned(),
            help_text: self.help_text.trim().to_owned(),
            twilio_base_url: or_stored(&self.twilio_base_url, &stored.twilio_base_url),
            vonage_base_url: or_stored(&self.vonage_base_url, &stored.vonage_base_url),
            timeout_seconds: self.timeout_seconds.unwrap_or(stored.timeout_seconds),
        })
    }

    /// The secrets the form entered; blank or absent keeps the stored one.
    pub fn secret_changes(&self) -> sms_settings::SecretChanges {
        let new = |s: &Option<String>| s.clone().filter(|_| entered(s));
        sms_settings::SecretChanges {
            twilio_auth_token: new(&self.twilio_auth_token),
            vonage_api_secret: new(&self.vonage_api_secret),
            vonage_private_key: new(&self.vonage_private_key),
        }
    }
}
