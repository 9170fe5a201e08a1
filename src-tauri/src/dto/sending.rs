//! Sending a campaign and the email settings (docs/campaigns.md, "IPC
//! contract"). Instants here are ms since the epoch, as in the campaign
//! types.

use herald_send::email::campaign::DkimSetting;
use herald_send::email::smtp::{Preset, Security, SmtpSettings, SmtpSettingsInput};
use herald_store::ledger::{self, Audience};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::campaigns::{CampaignCounts, CampaignStatus, Exclusions};
use super::sms::SmsCount;

/// A campaign's audience before it is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AudienceSummary {
    pub segment_count: i64,
    pub will_receive: i64,
    pub excluded: Exclusions,
    /// Whether opens and clicks will be tracked (a relay is set up).
    pub tracking_on: bool,
    /// Why tracking is off, or what the unsubscribe link goes to without a relay.
    pub tracking_note: Option<String>,
}

impl AudienceSummary {
    pub fn new(audience: Audience, tracking_on: bool, tracking_note: Option<String>) -> Self {
        AudienceSummary {
            segment_count: audience.segment_count,
            will_receive: audience.will_receive,
            excluded: audience.excluded.into(),
            tracking_on,
            tracking_note,
        }
    }
}

/// A campaign rendered for one contact, for the review step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CampaignPreview {
    pub subject: String,
    /// The personalised HTML, links as written (nothing signed).
    pub html: String,
    pub text: String,
    pub contact_id: Option<String>,
    pub contact_label: Option<String>,
    /// Spam-risk hints, worded for the person writing the campaign.
    pub hints: Vec<String>,
    /// An SMS campaign's message as the contact receives it.
    pub sms: Option<SmsPreview>,
}

/// An SMS as one contact receives it: personalised, the opt-out line
/// appended, and what it costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SmsPreview {
    pub body: String,
    pub count: SmsCount,
}

/// The longest message of an SMS campaign over its audience: what the
/// composer warns about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SmsWorstCase {
    pub count: SmsCount,
    /// The contact whose message is longest; null when nobody would
    /// receive it (the count is then the template's own).
    pub contact_id: Option<String>,
    pub contact_label: Option<String>,
    /// Recipients looked at (at most the first 50,000).
    pub recipients: u32,
}

/// Where a campaign's send is.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CampaignProgress {
    pub id: String,
    pub status: CampaignStatus,
    pub counts: CampaignCounts,
    /// Messages per second over the last seconds of this run (0 when idle).
    pub rate_per_second: f64,
    /// Seconds until the queue is empty at that rate.
    pub eta_seconds: Option<i64>,
    pub last_error: Option<String>,
}

/// A recipient's status in the send ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RecipientStatus {
    Queued,
    Sending,
    Sent,
    Failed,
    InDoubt,
    Suppressed,
}

impl From<ledger::RecipientStatus> for RecipientStatus {
    fn from(s: ledger::RecipientStatus) -> Self {
        match s {
            ledger::RecipientStatus::Queued => RecipientStatus::Queued,
            ledger::RecipientStatus::Sending => RecipientStatus::Sending,
            ledger::RecipientStatus::Sent => RecipientStatus::Sent,
            ledger::RecipientStatus::Failed => RecipientStatus::Failed,
            ledger::RecipientStatus::InDoubt => RecipientStatus::InDoubt,
            ledger::RecipientStatus::Suppressed => RecipientStatus::Suppressed,
        }
    }
}

impl From<RecipientStatus> for ledger::RecipientStatus {
    fn from(s: RecipientStatus) -> Self {
        match s {
            RecipientStatus::Queued => ledger::RecipientStatus::Queued,
            RecipientStatus::Sending => ledger::RecipientStatus::Sending,
            RecipientStatus::Sent => ledger::RecipientStatus::Sent,
            RecipientStatus::Failed => ledger::RecipientStatus::Failed,
            RecipientStatus::InDoubt => ledger::RecipientStatus::InDoubt,
            RecipientStatus::Suppressed => ledger::RecipientStatus::Suppressed,
        }
    }
}

/// A page request of a campaign's recipients.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecipientQuery {
    pub status: Option<RecipientStatus>,
    pub search: Option<String>,
    pub offset: u32,
    pub limit: u32,
}

/// One row of a campaign's recipient table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecipientRow {
    pub contact_id: String,
    pub address: String,
    pub name: Option<String>,
    pub status: RecipientStatus,
    pub attempts: i64,
    pub error: Option<String>,
    pub sent_at: Option<i64>,
    pub opened_at: Option<i64>,
    pub clicked_at: Option<i64>,
    /// SMS: what the carrier reported; null before any report and for
    /// email.
    pub delivery_status: Option<DeliveryStatus>,
    /// SMS: the provider's error code and its meaning.
    pub delivery_error: Option<String>,
}

/// What the carrier reported for an SMS (the provider's status callbacks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Queued,
    Sent,
    Delivered,
    Undelivered,
    Failed,
}

impl DeliveryStatus {
    fn parse(raw: &str) -> Option<DeliveryStatus> {
        Some(match raw {
            "queued" => DeliveryStatus::Queued,
            "sent" => DeliveryStatus::Sent,
            "delivered" => DeliveryStatus::Delivered,
            "undelivered" => DeliveryStatus::Undelivered,
            "failed" => DeliveryStatus::Failed,
            _ => return None,
        })
    }
}

impl From<ledger::RecipientRow> for RecipientRow {
    fn from(r: ledger::RecipientRow) -> Self {
        RecipientRow {
            contact_id: r.contact_id.to_string(),
            address: r.address,
            name: r.name,
            status: r.status.into(),
            attempts: r.attempts,
            error: r.error,
            sent_at: r.sent_at,
            opened_at: r.opened_at,
            clicked_at: r.clicked_at,
            delivery_status: r.delivery_status.as_deref().and_then(DeliveryStatus::parse),
            delivery_error: r.delivery_error,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecipientPage {
    pub rows: Vec<RecipientRow>,
    pub total: i64,
}

/// How the SMTP connection is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// STARTTLS on a plain connection (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a server on this computer.
    None,
}

impl From<Security> for SmtpSecurity {
    fn from(s: Security) -> Self {
        match s {
            Security::StartTls => SmtpSecurity::Starttls,
            Security::ImplicitTls => SmtpSecurity::Tls,
            Security::None => SmtpSecurity::None,
        }
    }
}

impl From<SmtpSecurity> for Security {
    fn from(s: SmtpSecurity) -> Self {
        match s {
            SmtpSecurity::Starttls => Security::StartTls,
            SmtpSecurity::Tls => Security::ImplicitTls,
            SmtpSecurity::None => Security::None,
        }
    }
}

/// Settings → Email, as the form sends it.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EmailSettingsInput {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    /// `None`: keep the stored password. An empty string is refused.
    pub password: Option<String>,
    pub from_name: String,
    pub from_address: String,
    pub reply_to: Option<String>,
    pub messages_per_second: f64,
    pub connections: u8,
    /// The address that unsubscribes whoever writes to it (the mailto part
    /// of List-Unsubscribe; required when no relay is set up).
    pub unsubscribe_mailto: Option<String>,
    /// DKIM signing: the domain (d=) and selector (s=); empty domain: no
    /// DKIM. Absent: unchanged.
    #[serde(default)]
    #[ts(optional)]
    pub dkim_domain: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub dkim_selector: Option<String>,
    /// The private key in PEM (RSA or Ed25519), stored in the keychain only.
    /// Absent or null: keep the stored key.
    #[serde(default)]
    #[ts(optional)]
    pub dkim_private_key: Option<String>,
}

impl EmailSettingsInput {
    /// The SMTP part, as herald-send stores it.
    pub fn smtp(&self, timeout_seconds: u32) -> SmtpSettingsInput {
        SmtpSettingsInput {
            host: self.host.trim().to_owned(),
            port: self.port,
            security: self.security.into(),
            username: self.username.clone().unwrap_or_default().trim().to_owned(),
            from_name: self.from_name.trim().to_owned(),
            from_address: self.from_address.trim().to_owned(),
            reply_to: self.reply_to.clone().unwrap_or_default().trim().to_owned(),
            messages_per_second: self.messages_per_second,
            connections: self.connections,
            timeout_seconds,
        }
    }
}

/// Settings → Email, as the form shows it (never the password).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EmailSettingsView {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub from_name: String,
    pub from_address: String,
    pub reply_to: Option<String>,
    pub messages_per_second: f64,
    pub connections: u8,
    pub unsubscribe_mailto: Option<String>,
    /// DKIM's domain and selector when messages are signed.
    pub dkim_domain: Option<String>,
    pub dkim_selector: Option<String>,
    /// A password is in the keychain.
    pub password_stored: bool,
    /// Settings have been saved (a campaign can be sent).
    pub configured: bool,
}

impl EmailSettingsView {
    pub fn new(
        saved: Option<&SmtpSettings>,
        mailto: Option<String>,
        dkim: Option<DkimSetting>,
        password_stored: bool,
    ) -> EmailSettingsView {
        let input = saved.map(SmtpSettings::to_input).unwrap_or_default();
        let optional = |s: String| Some(s).filter(|s| !s.is_empty());
        EmailSettingsView {
            host: input.host,
            port: input.port,
            security: input.security.into(),
            username: optional(input.username),
            from_name: input.from_name,
            from_address: input.from_address,
            reply_to: optional(input.reply_to),
            messages_per_second: input.messages_per_second,
            connections: input.connections,
            unsubscribe_mailto: mailto,
            dkim_domain: dkim.as_ref().map(|d| d.domain.clone()),
            dkim_selector: dkim.map(|d| d.selector),
            password_stored,
            configured: saved.is_some(),
        }
    }
}

/// What "Test connection" found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SmtpTestReport {
    pub ok: bool,
    /// The server's own words: its greeting name on success, its exact
    /// reply on failure.
    pub reply: String,
    pub tls: bool,
    pub authenticated: bool,
}

/// A provider's SMTP settings, to fill the form with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SmtpPreset {
    pub id: String,
    pub name: String,
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub note: String,
}

impl SmtpPreset {
    pub fn all() -> Vec<SmtpPreset> {
        Preset::ALL
            .iter()
            .map(|p| {
                let filled = p.apply(SmtpSettingsInput::default(), "us-east-1");
                let (id, note) = preset_id_and_note(*p);
                SmtpPreset {
                    id: id.to_owned(),
                    name: p.label().to_owned(),
                    host: filled.host,
                    port: filled.port,
                    security: filled.security.into(),
                    username: Some(filled.username).filter(|u| !u.is_empty()),
                    note: note.to_owned(),
                }
            })
            .collect()
    }
}

/// A preset's id for the form, and what the person must know to fill in
/// the rest.
fn preset_id_and_note(p: Preset) -> (&'static str, &'static str) {
    match p {
        Preset::AmazonSes => (
            "amazon_ses",
            "Use your region's host (email-smtp.<region>.amazonaws.com) and the SES SMTP \
             credentials, which are not your IAM access keys.",
        ),
        Preset::Postmark => (
            "postmark",
            "Your server API token is both the username and the password. Send campaigns \
             through a broadcast message stream.",
        ),
        Preset::SendGrid => (
            "sendgrid",
            "The username is the word apikey; the password is an API key with the Mail Send \
             permission.",
        ),
        Preset::Mailgun => (
            "mailgun",
            "Use the domain's SMTP credentials (not the API key); EU domains use \
             smtp.eu.mailgun.org.",
        ),
        Preset::Gmail => (
            "gmail",
            "Use an app password. Google limits how many messages an account may send per day.",
        ),
    }
}

/// The default timeout for SMTP replies, seconds.
pub fn default_timeout() -> u32 {
    SmtpSettingsInput::default().timeout_seconds
}
