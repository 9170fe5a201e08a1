//! The generic webhook, for any provider Herald has no adapter for.
//!
//! `POST /webhooks/generic`, with the body signed under the relay's
//! workspace signing key (the same 32-byte secret that signs tracking
//! tokens; the current key or, during a rotation, the previous one):
//!
//! ```text
//! X-Herald-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
//! Content-Type: application/json
//!
//! {
//!   "id": "evt_0001",                  // unique per event: idempotency key and replay nonce
//!   "kind": "bounce",                  // delivered | bounce | complaint | unsubscribe
//!   "address": "ada@example.com",      // the email address or E.164 number concerned
//!   "message_id": "<provider's id>",   // optional: the id the provider gave the message
//!   "at": "2026-11-28T21:00:00Z",      // optional, RFC 3339: when it happened (default: now)
//!   "bounce_type": "hard",             // bounce only, required: hard | soft
//!   "reason": "550 5.1.1 user unknown" // optional: in plain words or the server's
//! }
//! ```
//!
//! The header's `t` must be within five minutes of the relay's clock; more
//! than one `v1=` may be given (a sender rotating keys), and one matching is
//! enough. The key id is not in the header: each signature is checked
//! against both keys, in constant time. The event's `id` is its
//! `provider_event_id` (a repeat is stored once) and the replay nonce (the
//! same `id` with a different body is refused). A verified body that does
//! not follow this format gets 400 and says which part is wrong.

use serde::Deserialize;

use super::error::WebhookError;
use super::request::{Accepted, WebhookRequest};
use super::verify::{
    bounce_detail, ct_eq, header, hmac_sha256, is_fresh, parse_time, provider_event,
};
use crate::event::{EventKind, Provider};

const PROVIDER: Provider = Provider::Generic;

pub(super) fn handle(
    keys: &[[u8; 32]],
    req: &WebhookRequest<'_>,
) -> Result<Accepted, WebhookError> {
    verify(keys, req)?;
    let body: Body = serde_json::from_slice(req.body)
        .map_err(|_| malformed("the body is not a generic webhook event (id, kind, address)"))?;
    if body.id.trim().is_empty() {
        return Err(malformed("id is empty"));
    }
    if body.address.trim().is_empty() {
        return Err(malformed("address is empty"));
    }
    let kind = match body.kind.as_str() {
        "delivered" => EventKind::Delivered,
        "bounce" => EventKind::Bounce,
        "complaint" => EventKind::Complaint,
        "unsubscribe" => EventKind::Unsubscribe,
        _ => {
            return Err(malformed(
                "kind is not delivered, bounce, complaint or unsubscribe",
            ))
        }
    };
    let at = match body.at.as_deref() {
        None => req.now,
        Some(at) => parse_time(Some(at)).ok_or(malformed("at is not an RFC 3339 time"))?,
    };
    let mut event = provider_event(
        PROVIDER,
        kind,
        at,
        body.id.clone(),
        body.message_id.filter(|id| !id.is_empty()),
        body.address,
    );
    if kind == EventKind::Bounce {
        let hard = match body.bounce_type.as_deref() {
            Some("hard") => true,
            Some("soft") => false,
            _ => return Err(malformed("a bounce needs bounce_type hard or soft")),
        };
        event.detail = bounce_detail(hard, body.reason.as_deref());
    }
    Ok(Accepted::events(vec![event]).with_nonce(PROVIDER, body.id))
}

#[derive(Deserialize)]
struct Body {
    id: String,
    kind: String,
    address: String,
    message_id: Option<String>,
    at: Option<String>,
    bounce_type: Option<String>,
    reason: Option<String>,
}

/// Checks `X-Herald-Signature` against every key, then the timestamp.
fn verify(keys: &[[u8; 32]], req: &WebhookRequest<'_>) -> Result<(), WebhookError> {
    let unauthenticated = |reason| WebhookError::Unauthenticated {
        provider: PROVIDER,
        reason,
    };
    let value = header(req.headers, "x-herald-signature")
        .ok_or(unauthenticated("missing X-Herald-Signature"))?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in value.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = Some(t),
            Some(("v1", v1)) => signatures.extend(hex::decode(v1).ok()),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(unauthenticated("X-Herald-Signature has no t="))?;
    if signatures.is_empty() {
        return Err(unauthenticated("X-Herald-Signature has no hex v1="));
    }
    // Every key against every signature, without stopping at a match, so
    // the time taken does not say which key matched.
    let mut matched = false;
    for key in keys {
        let expected = hmac_sha256(key, &[timestamp.as_bytes(), b".", req.body]);
        for signature in &signatures {
            matched |= ct_eq(&expected, signature);
        }
    }
    if !matched {
        return Err(unauthenticated("X-Herald-Signature does not match"));
    }
    if !timestamp
        .parse::<i64>()
        .is_ok_and(|timestamp| is_fresh(timestamp, req.now))
    {
        return Err(WebhookError::Forbidden {
            provider: PROVIDER,
            reason: "the timestamp is outside the 5-minute window",
        });
    }
    Ok(())
}

fn malformed(reason: &'static str) -> WebhookError {
    WebhookError::Malformed {
        provider: PROVIDER,
        reason,
    }
}
