//! An event as the relay records it and hands it to the desktop.
//!
//! The JSON form is the wire contract in `docs/relay.md` ("Events the relay
//! hands out"): change both together.

use chrono::{DateTime, Utc};
use herald_core::Channel;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Open,
    Click,
    Unsubscribe,
    Resubscribe,
    Delivered,
    Bounce,
    Complaint,
    SmsStatus,
    SmsInbound,
}

impl EventKind {
    /// Every kind, in declaration order.
    pub const ALL: &'static [EventKind] = &[
        EventKind::Open,
        EventKind::Click,
        EventKind::Unsubscribe,
        EventKind::Resubscribe,
        EventKind::Delivered,
        EventKind::Bounce,
        EventKind::Complaint,
        EventKind::SmsStatus,
        EventKind::SmsInbound,
    ];

    /// The snake_case name of the wire contract (and the store's column).
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Open => "open",
            EventKind::Click => "click",
            EventKind::Unsubscribe => "unsubscribe",
            EventKind::Resubscribe => "resubscribe",
            EventKind::Delivered => "delivered",
            EventKind::Bounce => "bounce",
            EventKind::Complaint => "complaint",
            EventKind::SmsStatus => "sms_status",
            EventKind::SmsInbound => "sms_inbound",
        }
    }

    /// The inverse of [`EventKind::as_str`].
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == raw)
    }
}

/// Who reported it, for webhook events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    Twilio,
    Vonage,
    Ses,
    Postmark,
    Sendgrid,
    Mailgun,
    Generic,
}

impl Provider {
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Twilio => "twilio",
            Provider::Vonage => "vonage",
            Provider::Ses => "ses",
            Provider::Postmark => "postmark",
            Provider::Sendgrid => "sendgrid",
            Provider::Mailgun => "mailgun",
            Provider::Generic => "generic",
        }
    }

    /// The inverse of [`Provider::as_str`].
    pub fn parse(raw: &str) -> Option<Self> {
        [
            Provider::Twilio,
            Provider::Vonage,
            Provider::Ses,
            Provider::Postmark,
            Provider::Sendgrid,
            Provider::Mailgun,
            Provider::Generic,
        ]
        .into_iter()
        .find(|p| p.as_str() == raw)
    }
}

/// An accepted hit, before the store gives it an id and a place in the
/// sequence. Token routes fill `campaign_id`, `recipient_id` and `channel`;
/// webhooks fill `provider`, `provider_event_id` (the idempotency key:
/// the store keeps one event per provider and provider event id),
/// `provider_message_id` and `address`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEvent {
    pub kind: EventKind,
    pub at: DateTime<Utc>,
    pub campaign_id: Option<Uuid>,
    /// The contact id (see the token format in docs/relay.md).
    pub recipient_id: Option<Uuid>,
    pub channel: Option<Channel>,
    /// Opens: a privacy proxy or prefetcher. Clicks: a link scanner.
    pub machine: bool,
    pub url: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub provider: Option<Provider>,
    pub provider_event_id: Option<String>,
    pub provider_message_id: Option<String>,
    pub address: Option<String>,
    /// Kind-specific facts (docs/relay.md): a JSON object, `{}` when none.
    pub detail: serde_json::Value,
}

impl NewEvent {
    /// An event of `kind` at `at` with every optional part empty.
    pub fn new(kind: EventKind, at: DateTime<Utc>) -> Self {
        NewEvent {
            kind,
            at,
            campaign_id: None,
            recipient_id: None,
            channel: None,
            machine: false,
            url: None,
            ip: None,
            user_agent: None,
            provider: None,
            provider_event_id: None,
            provider_message_id: None,
            address: None,
            detail: serde_json::Value::Object(Default::default()),
        }
    }
}

/// A stored event, as `GET /api/v1/events` returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: Uuid,
    #[serde(flatten)]
    pub event: NewEvent,
}
