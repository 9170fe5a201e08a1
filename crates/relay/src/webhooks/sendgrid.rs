//! SendGrid: the signed Event Webhook.
//!
//! SendGrid signs `timestamp + raw body` with ECDSA P-256 over SHA-256 and
//! sends the DER signature in base64 as
//! `X-Twilio-Email-Event-Webhook-Signature`, the timestamp (Unix seconds) as
//! `X-Twilio-Email-Event-Webhook-Timestamp`. The relay checks the signature
//! with the verification key SendGrid shows (base64 DER, or PEM) and refuses
//! timestamps more than five minutes from its clock.
//!
//! The body is an array of events. `delivered` is a delivery; `bounce` is a
//! hard bounce, or a soft one when its `type` is `blocked` (the receiving
//! server refused for now); `dropped` (SendGrid did not send) is a hard
//! bounce only when its reason says the address bounced before or is
//! invalid (`Bounced Address`, `Invalid`), and otherwise nothing, since the
//! other reasons (unsubscribed, spam reporter) already arrived as their own
//! events; `spamreport` is a complaint; `unsubscribe` and
//! `group_unsubscribe` are unsubscribes. Opens, clicks, deferrals and
//! resubscribes produce nothing. An event missing its id or address is
//! skipped rather than making SendGrid retry the whole batch.
//!
//! `provider_message_id` is the `X-Message-Id` SendGrid answered the send
//! with: `sg_message_id` up to `.filter` (older ids) or its first `.`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::pkcs8::DecodePublicKey;
use serde::Deserialize;

use super::error::{ConfigError, WebhookError};
use super::request::{Accepted, WebhookRequest};
use super::verify::{bounce_detail, header, is_fresh, provider_event};
use crate::event::{EventKind, NewEvent, Provider};

const PROVIDER: Provider = Provider::Sendgrid;

/// The configured verification key: base64 of the DER SubjectPublicKeyInfo
/// (what SendGrid's settings page shows) or the same in PEM.
pub(super) fn parse_key(configured: &str) -> Result<VerifyingKey, ConfigError> {
    // PEM is the same base64 between its armour lines; reading it that way
    // also takes a PEM whose lines were joined or re-wrapped by copying.
    let base64: String = configured
        .trim()
        .trim_start_matches("-----BEGIN PUBLIC KEY-----")
        .trim_end_matches("-----END PUBLIC KEY-----")
        .split_whitespace()
        .collect();
    let der = STANDARD
        .decode(base64)
        .map_err(|_| ConfigError::SendgridKey)?;
    VerifyingKey::from_public_key_der(&der).map_err(|_| ConfigError::SendgridKey)
}

pub(super) fn handle(
    key: &VerifyingKey,
    req: &WebhookRequest<'_>,
) -> Result<Accepted, WebhookError> {
    verify(key, req)?;
    let events: Vec<Event> =
        serde_json::from_slice(req.body).map_err(|_| WebhookError::Malformed {
            provider: PROVIDER,
            reason: "the body is not an array of SendGrid events",
        })?;
    Ok(Accepted::events(
        events
            .iter()
            .filter_map(|event| convert(event, req.now))
            .collect(),
    ))
}

/// Checks the signature over the timestamp and the raw body, then the
/// timestamp's freshness.
pub(super) fn verify(key: &VerifyingKey, req: &WebhookRequest<'_>) -> Result<(), WebhookError> {
    let unauthenticated = |reason| WebhookError::Unauthenticated {
        provider: PROVIDER,
        reason,
    };
    let signature = header(req.headers, "x-twilio-email-event-webhook-signature").ok_or(
        unauthenticated("missing X-Twilio-Email-Event-Webhook-Signature"),
    )?;
    let timestamp = header(req.headers, "x-twilio-email-event-webhook-timestamp").ok_or(
        unauthenticated("missing X-Twilio-Email-Event-Webhook-Timestamp"),
    )?;
    let signature = STANDARD
        .decode(signature)
        .ok()
        .and_then(|der| Signature::from_der(&der).ok())
        .ok_or(unauthenticated(
            "the signature is not base64 of a DER ECDSA signature",
        ))?;
    let signed = [timestamp.as_bytes(), req.body].concat();
    key.verify(&signed, &signature)
        .map_err(|_| unauthenticated("the signature does not match"))?;
    let fresh = timestamp
        .parse::<i64>()
        .is_ok_and(|timestamp| is_fresh(timestamp, req.now));
    if !fresh {
        return Err(WebhookError::Forbidden {
            provider: PROVIDER,
            reason: "the timestamp is outside the 5-minute window",
        });
    }
    Ok(())
}

#[derive(Deserialize)]
struct Event {
    event: String,
    email: Option<String>,
    timestamp: Option<i64>,
    sg_event_id: Option<String>,
    sg_message_id: Option<String>,
    reason: Option<String>,
    #[serde(rename = "type")]
    bounce_type: Option<String>,
}

fn convert(event: &Event, now: DateTime<Utc>) -> Option<NewEvent> {
    let (kind, detail) = match event.event.as_str() {
        "delivered" => (EventKind::Delivered, None),
        "bounce" => {
            let hard = event.bounce_type.as_deref() != Some("blocked");
            (
                EventKind::Bounce,
                Some(bounce_detail(hard, event.reason.as_deref())),
            )
        }
        "dropped" if dropped_for_a_bad_address(event.reason.as_deref()) => (
            EventKind::Bounce,
            Some(bounce_detail(true, event.reason.as_deref())),
        ),
        "spamreport" => (EventKind::Complaint, None),
        "unsubscribe" | "group_unsubscribe" => (EventKind::Unsubscribe, None),
        _ => return None,
    };
    let (Some(event_id), Some(address)) = (&event.sg_event_id, &event.email) else {
        tracing::warn!(event = %event.event, "a SendGrid event without sg_event_id or email, skipped");
        return None;
    };
    let at = event
        .timestamp
        .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
        .unwrap_or(now);
    let message_id = event.sg_message_id.as_deref().map(send_message_id);
    let mut converted = provider_event(
        PROVIDER,
        kind,
        at,
        event_id.clone(),
        message_id,
        address.clone(),
    );
    if let Some(detail) = detail {
        converted.detail = detail;
    }
    Some(converted)
}

fn dropped_for_a_bad_address(reason: Option<&str>) -> bool {
    let reason = reason.unwrap_or("").trim();
    reason.eq_ignore_ascii_case("Bounced Address") || reason.eq_ignore_ascii_case("Invalid")
}

/// The `X-Message-Id` of the send an `sg_message_id` belongs to.
fn send_message_id(sg_message_id: &str) -> String {
    let end = sg_message_id
        .find(".filter")
        .or_else(|| sg_message_id.find('.'))
        .unwrap_or(sg_message_id.len());
    sg_message_id[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_are_cut_to_the_send_response_id() {
        assert_eq!(
            send_message_id("14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0"),
            "14c5d75ce93.dfd.64b469"
        );
        assert_eq!(
            send_message_id("Ugt9kyT3QWS3MeBtjcklPA.filterdrecv-5645d9c87f-6r2ch-1-5F2C2A92-55.0"),
            "Ugt9kyT3QWS3MeBtjcklPA"
        );
        assert_eq!(
            send_message_id("Ugt9kyT3QWS3MeBtjcklPA"),
            "Ugt9kyT3QWS3MeBtjcklPA"
        );
    }
}
