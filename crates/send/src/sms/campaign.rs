//! An SMS campaign, assembled from the workspace for the send engine: its
//! body compiled once ([`SmsBody`]), the provider behind the engine's
//! [`Messenger`] port ([`SmsMessenger`]), the recipient's sending hours as
//! the composer's deferral ([`SmsComposer`]), and the run's options — or,
//! before anything is sent, a clear reason why it cannot go out yet.
//!
//! The body is the campaign's text with the opt-out instruction from the
//! SMS settings appended on a line of its own (unless the campaign turned
//! it off, or the text already carries it). Parts are counted per
//! recipient, after personalisation, and recorded with the send.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{TimeZone, Utc};
use herald_core::sending_hours::{recipient_zone, SendingHours};
use herald_core::{sms_segments, CountryCode, EmailAddress, PhoneNumber};
use herald_store::campaigns::Campaign;
use herald_store::ledger::BatchRow;
use herald_store::{campaigns, relay_sync, settings as workspace, Store, StoreError};
use uuid::Uuid;

use super::provider::{self, SmsMessage, SmsProvider};
use super::settings::{self, SettingsError, SmsSettings};
use crate::email::compose::{ComposeError, RecipientData, TextTemplate};
use crate::engine::{Composer, Delivery, Messenger, Outgoing, RunOptions};
use crate::relay::RelayUrl;
use crate::secrets::Secrets;

/// The contact's custom field naming their time zone (an IANA name such
/// as `America/Chicago`), read for sending hours.
pub const TIME_ZONE_FIELD: &str = "time_zone";

/// Why an SMS campaign cannot be sent as it is.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// Something the user must set or fix first; `field` names it.
    #[error("{field}: {message}")]
    NotReady {
        field: &'static str,
        message: String,
    },
    #[error(transparent)]
    Compose(#[from] ComposeError),
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn not_ready(field: &'static str, message: impl Into<String>) -> SetupError {
    SetupError::NotReady {
        field,
        message: message.into(),
    }
}

/// A campaign's SMS body: the template and the opt-out line.
#[derive(Debug)]
pub struct SmsBody {
    campaign_name: String,
    template: TextTemplate,
    opt_out: Option<String>,
}

impl SmsBody {
    /// Compiles `text`; `opt_out` is the line appended to every message
    /// (`None`: the campaign turned it off).
    pub fn new(
        campaign_name: &str,
        text: &str,
        opt_out: Option<&str>,
    ) -> Result<SmsBody, ComposeError> {
        Ok(SmsBody {
            campaign_name: campaign_name.to_owned(),
            template: TextTemplate::compile(text)?,
            opt_out: opt_out
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned),
        })
    }

    /// The body of `campaign` with the workspace's SMS settings.
    pub fn of(campaign: &Campaign, settings: &SmsSettings) -> Result<SmsBody, SetupError> {
        let text = campaign
            .text_body
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| not_ready("textBody", "the message is empty"))?;
        let opt_out = campaign.sms_opt_out.then(|| settings.opt_out_text());
        Ok(SmsBody::new(&campaign.name, text, opt_out)?)
    }

    /// The message one recipient receives.
    pub fn render(&self, recipient: &RecipientData) -> Result<String, ComposeError> {
        let text = self.template.render(recipient, &self.campaign_name)?;
        let text = text.trim_end();
        Ok(match &self.opt_out {
            Some(line) => with_opt_out(text, line),
            None => text.to_owned(),
        })
    }
}

/// `text` with the opt-out instruction `line` on a line of its own, unless
/// the line is blank or the text already says it (in any case). Campaign
/// messages and the settings page's test texts both go through here.
pub fn with_opt_out(text: &str, line: &str) -> String {
    let line = line.trim();
    if line.is_empty() || text.to_lowercase().contains(&line.to_lowercase()) {
        text.to_owned()
    } else {
        format!("{}\n{line}", text.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_opt_out_goes_on_its_own_line_unless_the_body_says_it() {
        let stop = "Reply STOP to opt out";
        assert_eq!(
            with_opt_out("Sale today  ", stop),
            "Sale today\nReply STOP to opt out"
        );
        assert_eq!(
            with_opt_out("Sale today. reply stop to opt out", stop),
            "Sale today. reply stop to opt out"
        );
        assert_eq!(with_opt_out("Sale today", " "), "Sale today");
    }
}

/// What templates see of a ledger row of an SMS campaign (the ledger's
/// address is the phone number; the email, if any, comes with the contact).
pub fn recipient_data(row: &BatchRow) -> RecipientData {
    RecipientData {
        contact_id: row.contact_id,
        email: row
            .email
            .as_deref()
            .and_then(|e| EmailAddress::parse(e).ok()),
        first_name: row.first_name.clone(),
        last_name: row.last_name.clone(),
        phone: row.phone.clone().or_else(|| Some(row.address.clone())),
        company: row.company.clone(),
        country: row.country.clone(),
        custom: row
            .custom
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<BTreeMap<_, _>>(),
    }
}

/// The campaign's body per recipient, as the engine's [`Composer`].
#[derive(Debug)]
pub struct SmsComposer {
    campaign: Uuid,
    body: SmsBody,
    sender: String,
    hours: Option<SendingHours>,
    workspace_zone: chrono_tz::Tz,
}

impl SmsComposer {
    pub fn new(
        campaign: Uuid,
        body: SmsBody,
        sender: &str,
        hours: Option<SendingHours>,
        workspace_zone: chrono_tz::Tz,
    ) -> SmsComposer {
        SmsComposer {
            campaign,
            body,
            sender: sender.to_owned(),
            hours,
            workspace_zone,
        }
    }

    pub fn body(&self) -> &SmsBody {
        &self.body
    }
}

/// The recipient's time zone: their `time_zone` custom field, else their
/// country's (when it has one), else the workspace's.
pub fn zone_of(row: &BatchRow, workspace_zone: chrono_tz::Tz) -> chrono_tz::Tz {
    let explicit = row.custom.get(TIME_ZONE_FIELD).and_then(|v| v.as_str());
    let country = row
        .country
        .as_deref()
        .and_then(|c| CountryCode::parse(c).ok());
    recipient_zone(explicit, country.as_ref(), workspace_zone)
}

impl Composer for SmsComposer {
    fn compose(&self, row: &BatchRow) -> Result<Outgoing, String> {
        let body = self
            .body
            .render(&recipient_data(row))
            .map_err(|e| e.to_string())?;
        let parts = u32::try_from(sms_segments::count(&body).parts).unwrap_or(u32::MAX);
        Ok(Outgoing {
            contact_id: row.contact_id,
            // Sent as the provider's client reference (Vonage): the same on
            // every attempt for this campaign and contact.
            message_id: format!("{}.{}", self.campaign.simple(), row.contact_id.simple()),
            from: self.sender.clone(),
            to: row.address.clone(),
            body: body.into_bytes(),
            parts: Some(parts),
        })
    }

    fn defer_until(&self, row: &BatchRow, now: i64) -> Option<i64> {
        let hours = self.hours.as_ref()?;
        let now = Utc.timestamp_millis_opt(now).single()?;
        hours
            .next_open(now, zone_of(row, self.workspace_zone))
            .map(|at| at.timestamp_millis())
    }
}

/// The provider as the engine's [`Messenger`].
#[derive(Debug)]
pub struct SmsMessenger {
    provider: Arc<dyn SmsProvider>,
}

impl SmsMessenger {
    pub fn new(provider: Arc<dyn SmsProvider>) -> SmsMessenger {
        SmsMessenger { provider }
    }
}

#[async_trait]
impl Messenger for SmsMessenger {
    async fn deliver(&self, message: &Outgoing) -> Delivery {
        let to = match PhoneNumber::parse(&message.to, None) {
            Ok(to) => to,
            Err(e) => {
                return Delivery::Permanent {
                    reason: format!("the number {:?} is not valid: {e}", message.to),
                }
            }
        };
        let body = String::from_utf8_lossy(&message.body).into_owned();
        let sms = SmsMessage {
            to,
            body,
            client_ref: message.message_id.clone(),
        };
        match self.provider.send(&sms).await {
            Ok(accepted) => Delivery::Accepted {
                provider_message_id: Some(accepted.provider_message_id),
            },
            Err(e) => e.into(),
        }
    }
}

/// Everything a send of one SMS campaign needs.
#[derive(Debug)]
pub struct SmsSetup {
    pub composer: Arc<SmsComposer>,
    pub messenger: Arc<SmsMessenger>,
    pub options: RunOptions,
}

/// The SMS settings, or the reason sending SMS is not set up.
pub async fn sms_settings(store: &Store) -> Result<SmsSettings, SetupError> {
    settings::load(store).await?.ok_or_else(|| {
        not_ready(
            "sms",
            "SMS sending is not set up yet: choose a provider in Settings → SMS",
        )
    })
}

/// The provider for the saved settings, its status callbacks pointed at the
/// relay when one is set.
pub async fn provider_for(
    store: &Store,
    secrets: &Arc<dyn Secrets>,
    settings: &SmsSettings,
) -> Result<Arc<dyn SmsProvider>, SetupError> {
    let keys = settings::provider_secrets(Arc::clone(secrets), settings).await?;
    let relay = relay_sync::url(store)
        .await?
        .and_then(|url| RelayUrl::parse(&url).ok());
    let callback = relay.as_ref().map(|r| r.as_str().trim_end_matches('/'));
    Ok(provider::provider(settings, &keys, callback)?)
}

/// Messages in flight at once for a rate: enough to keep the rate with
/// half a second of provider latency. Workers waiting for their turn hold
/// no claimed row, so more of them costs nothing after a crash.
pub fn concurrency_for(rate: f64) -> usize {
    ((rate * 0.5).ceil() as usize).clamp(1, 16)
}

/// Ledger rows per step for a rate: about ten seconds of sending. An
/// opt-out is honoured from the next batch on, so a batch must not last
/// minutes at a long code's 1 message a second; and each batch boundary
/// costs a provider round trip of idle time, so it must not be a batch a
/// second at 100.
pub fn batch_size_for(rate: f64) -> u32 {
    ((rate * 10.0).ceil() as u32).clamp(10, 1_000)
}

/// Assembles the send of SMS campaign `campaign`: body, provider, options.
pub async fn setup(
    store: &Store,
    secrets: &Arc<dyn Secrets>,
    campaign: Uuid,
) -> Result<SmsSetup, SetupError> {
    let c = campaigns::get(store, campaigns::CampaignId::from_uuid(campaign)).await?;
    let settings = sms_settings(store).await?;
    let body = SmsBody::of(&c, &settings)?;
    let provider = provider_for(store, secrets, &settings).await?;
    let rate = c.rate.unwrap_or_else(|| settings.messages_per_second());
    let zone = workspace::time_zone(store).await?;
    let composer = SmsComposer::new(
        campaign,
        body,
        provider.sender(),
        settings.sending_hours().cloned(),
        zone,
    );
    Ok(SmsSetup {
        composer: Arc::new(composer),
        messenger: Arc::new(SmsMessenger::new(provider)),
        options: RunOptions {
            rate: Some(rate),
            concurrency: concurrency_for(rate),
            batch_size: batch_size_for(rate),
            // STOP replies are honoured from the next batch on: pull the
            // relay's events before every batch (about ten seconds apart).
            refresh_every: std::time::Duration::ZERO,
            ..RunOptions::default()
        },
    })
}
