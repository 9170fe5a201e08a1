//! Mailgun: JSON event webhooks.
//!
//! The body carries its own signature: `signature.signature` is the hex
//! HMAC-SHA256, keyed with the webhook signing key, of `signature.timestamp`
//! followed by `signature.token`. That covers the timestamp and a random
//! token but not the event, so the token is handed back as the nonce: the
//! relay refuses a token it has seen with a different body, and a timestamp
//! more than five minutes from the relay's clock is refused here.
//!
//! `delivered` is a delivery; `failed` a bounce, hard when its severity is
//! `permanent` and soft when `temporary`; `complained` a complaint;
//! `unsubscribed` an unsubscribe. Opens, clicks, acceptance and storage
//! produce nothing. The message id is the `Message-Id` header Mailgun
//! reports, without angle brackets.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::error::WebhookError;
use super::request::{Accepted, WebhookRequest};
use super::verify::{bounce_detail, ct_eq, hmac_sha256, is_fresh, provider_event};
use crate::event::{EventKind, NewEvent, Provider};

const PROVIDER: Provider = Provider::Mailgun;

#[derive(Deserialize)]
struct Body {
    signature: Signature,
    #[serde(rename = "event-data")]
    event_data: serde_json::Value,
}

#[derive(Deserialize)]
struct Signature {
    timestamp: String,
    token: String,
    signature: String,
}

pub(super) fn handle(
    signing_key: &str,
    req: &WebhookRequest<'_>,
) -> Result<Accepted, WebhookError> {
    // The signature is inside the body, so the envelope is read first; the
    // event itself is read only once the signature matched.
    let body: Body = serde_json::from_slice(req.body).map_err(|_| {
        malformed("the body is not a Mailgun webhook with a signature and event-data")
    })?;
    let Signature {
        timestamp,
        token,
        signature,
    } = body.signature;
    let given = hex::decode(signature.trim()).map_err(|_| WebhookError::Unauthenticated {
        provider: PROVIDER,
        reason: "the signature is not hex",
    })?;
    let expected = hmac_sha256(
        signing_key.as_bytes(),
        &[timestamp.as_bytes(), token.as_bytes()],
    );
    if !ct_eq(&expected, &given) {
        return Err(WebhookError::Unauthenticated {
            provider: PROVIDER,
            reason: "the signature does not match",
        });
    }
    if !timestamp
        .trim()
        .parse::<i64>()
        .is_ok_and(|timestamp| is_fresh(timestamp, req.now))
    {
        return Err(WebhookError::Forbidden {
            provider: PROVIDER,
            reason: "the timestamp is outside the 5-minute window",
        });
    }

    let event: EventData = serde_json::from_value(body.event_data)
        .map_err(|_| malformed("event-data is not a Mailgun event"))?;
    Ok(
        Accepted::events(convert(&event, req.now).into_iter().collect())
            .with_nonce(PROVIDER, token),
    )
}

#[derive(Deserialize)]
struct EventData {
    id: String,
    event: String,
    timestamp: Option<f64>,
    recipient: Option<String>,
    severity: Option<String>,
    reason: Option<String>,
    message: Option<Message>,
    #[serde(rename = "delivery-status")]
    delivery_status: Option<DeliveryStatus>,
}

#[derive(Deserialize)]
struct Message {
    headers: Option<Headers>,
}

#[derive(Deserialize)]
struct Headers {
    #[serde(rename = "message-id")]
    message_id: Option<String>,
}

#[derive(Deserialize)]
struct DeliveryStatus {
    description: Option<String>,
    message: Option<String>,
}

fn convert(event: &EventData, now: DateTime<Utc>) -> Option<NewEvent> {
    let kind = match event.event.as_str() {
        "delivered" => EventKind::Delivered,
        "failed" => EventKind::Bounce,
        "complained" => EventKind::Complaint,
        "unsubscribed" => EventKind::Unsubscribe,
        _ => return None,
    };
    let address = event.recipient.clone()?;
    let at = event
        .timestamp
        .filter(|seconds| seconds.is_finite())
        .and_then(|seconds| {
            let millis = (seconds * 1000.0).round() as i64;
            DateTime::from_timestamp_millis(millis)
        })
        .unwrap_or(now);
    let message_id = event
        .message
        .as_ref()
        .and_then(|message| message.headers.as_ref())
        .and_then(|headers| headers.message_id.as_deref())
        .map(|id| {
            id.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned()
        });
    let mut converted = provider_event(PROVIDER, kind, at, event.id.clone(), message_id, address);
    if kind == EventKind::Bounce {
        let hard = event.severity.as_deref() != Some("temporary");
        converted.detail = bounce_detail(hard, reason(event));
    }
    Some(converted)
}

/// The most specific reason Mailgun gave: the receiving server's words,
/// then Mailgun's own.
fn reason(event: &EventData) -> Option<&str> {
    let status = event.delivery_status.as_ref();
    [
        status.and_then(|status| status.message.as_deref()),
        status.and_then(|status| status.description.as_deref()),
        event.reason.as_deref(),
    ]
    .into_iter()
    .flatten()
    .find(|reason| !reason.trim().is_empty())
}

fn malformed(reason: &'static str) -> WebhookError {
    WebhookError::Malformed {
        provider: PROVIDER,
        reason,
    }
}
