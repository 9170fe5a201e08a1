//! Twilio: SMS status callbacks and inbound messages.
//!
//! Twilio signs each request with `X-Twilio-Signature`: base64 of
//! HMAC-SHA1, keyed with the account's auth token, over the full URL it
//! called followed by every POST parameter's name and value, sorted by name
//! (byte order, as Twilio's libraries do; values of a repeated name sorted
//! too), with no separators. The URL is the relay's configured public URL,
//! so a request cannot choose what it is checked against.
//!
//! Twilio's signature has no timestamp: a replayed status callback maps to
//! the same `provider_event_id` (`MessageSid:status`) and so to nothing new.

use std::collections::HashMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::error::WebhookError;
use super::request::{Accepted, Reply, WebhookRequest};
use super::verify::{ct_eq, header, hmac_sha1, provider_event};
use crate::event::{EventKind, Provider};

const PROVIDER: Provider = Provider::Twilio;

/// A status callback: one `sms_status` event, or none for a state the
/// contract does not track.
pub(super) fn status(auth_token: &str, req: &WebhookRequest<'_>) -> Result<Accepted, WebhookError> {
    let params = verify(auth_token, req)?;
    let sid = required(&params, &["MessageSid", "SmsSid"])?;
    let raw_status = required(&params, &["MessageStatus", "SmsStatus"])?;
    let Some(status) = contract_status(raw_status) else {
        return Ok(Accepted::events(Vec::new()));
    };
    let to = required(&params, &["To"])?;

    let mut detail = serde_json::Map::new();
    detail.insert("status".into(), status.into());
    let error_code = optional(&params, "ErrorCode").filter(|code| *code != "0");
    if let Some(code) = error_code {
        detail.insert("error_code".into(), code.into());
        let message = error_meaning(code).or_else(|| optional(&params, "ErrorMessage"));
        if let Some(message) = message {
            detail.insert("error_message".into(), message.into());
        }
    }
    let mut event = provider_event(
        PROVIDER,
        EventKind::SmsStatus,
        req.now,
        format!("{sid}:{status}"),
        Some(sid.to_owned()),
        to.to_owned(),
    );
    event.detail = detail.into();
    Ok(Accepted::events(vec![event]))
}

/// An inbound message: one `sms_inbound` event, answered with empty TwiML
/// so that Twilio sends no automatic reply.
pub(super) fn inbound(
    auth_token: &str,
    req: &WebhookRequest<'_>,
) -> Result<Accepted, WebhookError> {
    let params = verify(auth_token, req)?;
    let sid = required(&params, &["MessageSid", "SmsSid"])?;
    let from = required(&params, &["From"])?;
    let to = required(&params, &["To"])?;
    let body = optional(&params, "Body").unwrap_or("");

    let mut event = provider_event(
        PROVIDER,
        EventKind::SmsInbound,
        req.now,
        sid.to_owned(),
        Some(sid.to_owned()),
        from.to_owned(),
    );
    event.detail = serde_json::json!({ "to": to, "body": body });
    Ok(Accepted::events(vec![event]).with_reply(Reply::Xml("<Response/>")))
}

/// Checks `X-Twilio-Signature` and returns the POST parameters it covers.
fn verify(
    auth_token: &str,
    req: &WebhookRequest<'_>,
) -> Result<HashMap<String, String>, WebhookError> {
    let signature = header(req.headers, "x-twilio-signature")
        .ok_or(unauthenticated("missing X-Twilio-Signature"))?;
    let given = STANDARD
        .decode(signature)
        .map_err(|_| unauthenticated("X-Twilio-Signature is not base64"))?;

    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(req.body).into_owned().collect();
    pairs.sort();
    let mut parts: Vec<&[u8]> = Vec::with_capacity(1 + 2 * pairs.len());
    parts.push(req.url.as_bytes());
    for (name, value) in &pairs {
        parts.push(name.as_bytes());
        parts.push(value.as_bytes());
    }
    if !ct_eq(&hmac_sha1(auth_token.as_bytes(), &parts), &given) {
        return Err(unauthenticated("X-Twilio-Signature does not match"));
    }
    Ok(pairs.into_iter().collect())
}

/// The contract's status for Twilio's (docs/relay.md, `sms_status`).
fn contract_status(twilio: &str) -> Option<&'static str> {
    Some(match twilio {
        "accepted" | "scheduled" | "queued" => "queued",
        "sending" | "sent" => "sent",
        "delivered" | "read" => "delivered",
        "undelivered" => "undelivered",
        "failed" | "canceled" => "failed",
        _ => return None,
    })
}

/// What the common delivery error codes mean, in plain words.
fn error_meaning(code: &str) -> Option<&'static str> {
    Some(match code {
        "30001" => "Too many messages were queued for the sending number.",
        "30002" => "The Twilio account is suspended.",
        "30003" => "The phone is unreachable: switched off or out of coverage.",
        "30004" => "The recipient or their carrier blocked the message.",
        "30005" => "The number does not exist or is no longer in service.",
        "30006" => "The number is a landline or its carrier cannot receive SMS.",
        "30007" => "The carrier filtered the message as spam.",
        "30008" => "The carrier reported an unknown error.",
        "30032" => "The toll-free sending number is not verified.",
        "30034" => "The sending number is not registered for A2P 10DLC.",
        "21211" => "The 'To' number is not a valid phone number.",
        "21408" => "Sending to this region is not enabled on the account.",
        "21610" => "The recipient replied STOP: Twilio will not send to this number.",
        "21614" => "The 'To' number is not a mobile number.",
        _ => return None,
    })
}

fn required<'a>(
    params: &'a HashMap<String, String>,
    names: &[&str],
) -> Result<&'a str, WebhookError> {
    names
        .iter()
        .find_map(|name| optional(params, name))
        .ok_or(WebhookError::Malformed {
            provider: PROVIDER,
            reason: "a required parameter is missing",
        })
}

fn optional<'a>(params: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|value| !value.is_empty())
}

fn unauthenticated(reason: &'static str) -> WebhookError {
    WebhookError::Unauthenticated {
        provider: PROVIDER,
        reason,
    }
}
