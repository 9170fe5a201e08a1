//! Postmark: bounce, spam complaint, delivery and subscription change
//! webhooks.
//!
//! Postmark does not sign its webhooks; it sends the HTTP Basic credentials
//! written into the webhook URL (`https://user:password@relay.../webhooks/postmark`).
//! Both are compared in constant time against the configured pair.
//!
//! Mapping: `Bounce` records of a hard kind (HardBounce, BadEmailAddress,
//! ManuallyDeactivated) are hard bounces, of a temporary kind (SoftBounce,
//! Transient, DnsError, Blocked, SMTPApiError, DMARCPolicy, Unknown) soft
//! ones; a bounce record of type SpamComplaint is a complaint and of type
//! Unsubscribe an unsubscribe; other bounce types (auto-responders, address
//! changes, challenge mails...) say nothing about the address and produce
//! nothing. `SpamComplaint` is a complaint, `Delivery` a delivery.
//! `SubscriptionChange` with `SuppressSending: true` is the suppression
//! Postmark applied: an unsubscribe when the recipient asked for it
//! (`ManualSuppression`), otherwise the hard bounce or complaint that
//! caused it; a reactivation (`false`) produces nothing, since only the
//! contact can resubscribe.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::error::WebhookError;
use super::request::{Accepted, WebhookRequest};
use super::verify::{bounce_detail, ct_eq_secret, header, parse_time, provider_event};
use crate::event::{EventKind, NewEvent, Provider};

const PROVIDER: Provider = Provider::Postmark;

pub(super) fn handle(
    (username, password): (&str, &str),
    req: &WebhookRequest<'_>,
) -> Result<Accepted, WebhookError> {
    verify(username, password, req)?;
    let record: Record = serde_json::from_slice(req.body).map_err(|_| WebhookError::Malformed {
        provider: PROVIDER,
        reason: "the body is not a Postmark webhook record",
    })?;
    Ok(Accepted::events(
        event(&record, req.now).into_iter().collect(),
    ))
}

fn verify(username: &str, password: &str, req: &WebhookRequest<'_>) -> Result<(), WebhookError> {
    let unauthenticated = |reason| WebhookError::Unauthenticated {
        provider: PROVIDER,
        reason,
    };
    let encoded = header(req.headers, "authorization")
        .and_then(|value| {
            let (scheme, credentials) = value.split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("basic")
                .then(|| credentials.trim())
        })
        .ok_or(unauthenticated("missing Basic credentials"))?;
    let decoded = STANDARD
        .decode(encoded)
        .map_err(|_| unauthenticated("the Basic credentials are not base64"))?;
    let (given_user, given_password) = match decoded.iter().position(|byte| *byte == b':') {
        Some(colon) => (&decoded[..colon], &decoded[colon + 1..]),
        None => (&decoded[..], &[][..]),
    };
    // Both compared, always, so the time taken does not say which was wrong.
    let user_ok = ct_eq_secret(given_user, username.as_bytes());
    let password_ok = ct_eq_secret(given_password, password.as_bytes());
    if !(user_ok & password_ok) {
        return Err(unauthenticated("the Basic credentials do not match"));
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Record {
    record_type: String,
    #[serde(rename = "ID")]
    id: Option<serde_json::Value>,
    #[serde(rename = "Type")]
    bounce_type: Option<String>,
    #[serde(rename = "MessageID")]
    message_id: Option<String>,
    email: Option<String>,
    recipient: Option<String>,
    description: Option<String>,
    details: Option<String>,
    bounced_at: Option<String>,
    delivered_at: Option<String>,
    changed_at: Option<String>,
    suppress_sending: Option<bool>,
    suppression_reason: Option<String>,
}

enum Outcome {
    Delivered,
    Bounce { hard: bool },
    Complaint,
    Unsubscribe,
}

/// The event a record makes, if it says something about the address.
fn event(record: &Record, now: DateTime<Utc>) -> Option<NewEvent> {
    let message_id = record.message_id.clone().filter(|id| !id.is_empty());
    let record_id = match &record.id {
        Some(serde_json::Value::Number(number)) => Some(number.to_string()),
        Some(serde_json::Value::String(text)) if !text.is_empty() => Some(text.clone()),
        _ => None,
    };
    let key = |address: &str, at: Option<&str>| {
        let message = message_id.as_deref().unwrap_or("");
        let mut key = format!("{}:{message}:{address}", record.record_type);
        if let Some(at) = at {
            key = format!("{key}:{at}");
        }
        key
    };
    let (outcome, address, at, event_id) = match record.record_type.as_str() {
        "Bounce" | "SpamComplaint" => {
            let outcome = match record.record_type.as_str() {
                "SpamComplaint" => Outcome::Complaint,
                _ => bounce_outcome(record.bounce_type.as_deref()?)?,
            };
            let address = record.email.as_deref()?;
            let event_id = record_id.unwrap_or_else(|| key(address, None));
            (outcome, address, record.bounced_at.as_deref(), event_id)
        }
        "Delivery" => {
            let address = record.recipient.as_deref()?;
            let at = record.delivered_at.as_deref();
            (Outcome::Delivered, address, at, key(address, None))
        }
        "SubscriptionChange" if record.suppress_sending == Some(true) => {
            let outcome = match record.suppression_reason.as_deref() {
                Some("HardBounce") => Outcome::Bounce { hard: true },
                Some("SpamComplaint") => Outcome::Complaint,
                _ => Outcome::Unsubscribe,
            };
            let address = record.recipient.as_deref()?;
            let at = record.changed_at.as_deref();
            // A recipient can be suppressed, reactivated and suppressed
            // again: the time tells those changes apart.
            (outcome, address, at, key(address, at))
        }
        _ => return None,
    };
    let kind = match outcome {
        Outcome::Delivered => EventKind::Delivered,
        Outcome::Bounce { .. } => EventKind::Bounce,
        Outcome::Complaint => EventKind::Complaint,
        Outcome::Unsubscribe => EventKind::Unsubscribe,
    };
    let at = parse_time(at).unwrap_or(now);
    let mut event = provider_event(PROVIDER, kind, at, event_id, message_id, address.to_owned());
    if let Outcome::Bounce { hard } = outcome {
        let details = record
            .details
            .as_deref()
            .filter(|details| !details.is_empty());
        let reason = details
            .or(record.description.as_deref())
            .or(record.suppression_reason.as_deref());
        event.detail = bounce_detail(hard, reason);
    }
    Some(event)
}

/// What a `Bounce` record's `Type` says about the address.
fn bounce_outcome(bounce_type: &str) -> Option<Outcome> {
    Some(match bounce_type {
        "HardBounce" | "BadEmailAddress" | "ManuallyDeactivated" => Outcome::Bounce { hard: true },
        "SoftBounce" | "Transient" | "DnsError" | "Blocked" | "SMTPApiError" | "DMARCPolicy"
        | "Unknown" => Outcome::Bounce { hard: false },
        "SpamComplaint" => Outcome::Complaint,
        "Unsubscribe" => Outcome::Unsubscribe,
        _ => return None,
    })
}
