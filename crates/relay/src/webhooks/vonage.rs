//! Vonage (Messages API): SMS status webhooks and inbound messages.
//!
//! Vonage signs each callback with `Authorization: Bearer <JWT>`, HS256
//! under the account's signature secret. The JWT is checked here by hand (a
//! few lines, easy to audit): the header's `alg` must be exactly `HS256`
//! (never `none` or anything chosen by the caller), the HMAC-SHA256 over
//! `<header>.<claims>` must match, `iat` must be within five minutes of the
//! relay's clock, an `exp` must not have passed, and `payload_hash` must be
//! the hex SHA-256 of the raw body, which binds the body to the signature.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::error::WebhookError;
use super::request::{Accepted, WebhookRequest};
use super::verify::{ct_eq, e164, hmac_sha256, is_fresh, parse_time, provider_event};
use crate::event::{EventKind, Provider};

const PROVIDER: Provider = Provider::Vonage;

/// A message status webhook: one `sms_status`, or none for a state the
/// contract does not track.
pub(super) fn status(secret: &str, req: &WebhookRequest<'_>) -> Result<Accepted, WebhookError> {
    verify(secret, req)?;
    let status: Status = parse_body(req.body)?;
    let Some(contract) = contract_status(&status.status) else {
        return Ok(Accepted::events(Vec::new()));
    };
    let mut detail = serde_json::Map::new();
    detail.insert("status".into(), contract.into());
    if let Some(error) = status.error {
        // `title` is Vonage's error code (a number in the documented
        // examples, text in some); `detail` says what it means.
        let code = match error.title {
            Some(serde_json::Value::String(text)) => Some(text),
            Some(serde_json::Value::Number(number)) => Some(number.to_string()),
            _ => None,
        };
        if let Some(code) = code {
            detail.insert("error_code".into(), code.into());
        }
        if let Some(message) = error.detail.filter(|message| !message.is_empty()) {
            detail.insert("error_message".into(), message.into());
        }
    }
    let mut event = provider_event(
        PROVIDER,
        EventKind::SmsStatus,
        parse_time(status.timestamp.as_deref()).unwrap_or(req.now),
        format!("{}:{contract}", status.message_uuid),
        Some(status.message_uuid),
        e164(&status.to),
    );
    event.detail = detail.into();
    Ok(Accepted::events(vec![event]))
}

/// An inbound message webhook: one `sms_inbound`.
pub(super) fn inbound(secret: &str, req: &WebhookRequest<'_>) -> Result<Accepted, WebhookError> {
    verify(secret, req)?;
    let inbound: Inbound = parse_body(req.body)?;
    let mut event = provider_event(
        PROVIDER,
        EventKind::SmsInbound,
        parse_time(inbound.timestamp.as_deref()).unwrap_or(req.now),
        inbound.message_uuid.clone(),
        Some(inbound.message_uuid),
        e164(&inbound.from),
    );
    event.detail = serde_json::json!({
        "to": e164(&inbound.to),
        "body": inbound.text.unwrap_or_default(),
    });
    Ok(Accepted::events(vec![event]))
}

#[derive(Deserialize)]
struct JwtHeader {
    alg: String,
}

#[derive(Deserialize)]
struct Claims {
    iat: f64,
    exp: Option<f64>,
    payload_hash: String,
}

/// Checks the bearer JWT against `secret` and the raw body.
fn verify(secret: &str, req: &WebhookRequest<'_>) -> Result<(), WebhookError> {
    // Vonage documents that, on a rare internal error, its callback service
    // may send a callback unsigned, and that answering 5xx makes it retry
    // (signing each attempt afresh, so a retry also passes the `iat`
    // window). So an unsigned callback gets 503: the event is delayed, not
    // lost, and nothing unsigned is ever accepted. A forger gains nothing
    // from the different status: it still stores nothing.
    let Some(authorization) = req.headers.get(http::header::AUTHORIZATION) else {
        return Err(WebhookError::Unsigned(PROVIDER));
    };
    let token = authorization
        .to_str()
        .ok()
        .and_then(|value| {
            let (scheme, token) = value.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
        .ok_or(unauthenticated("Authorization is not a bearer token"))?;

    let mut parts = token.split('.');
    let (Some(header), Some(claims), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(unauthenticated("the bearer token is not a JWT"));
    };
    let jwt_header: JwtHeader = decode_segment(header)?;
    if jwt_header.alg != "HS256" {
        return Err(unauthenticated("the JWT is not signed with HS256"));
    }
    let given = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| unauthenticated("the JWT signature is not base64url"))?;
    let expected = hmac_sha256(
        secret.as_bytes(),
        &[header.as_bytes(), b".", claims.as_bytes()],
    );
    if !ct_eq(&expected, &given) {
        return Err(unauthenticated("the JWT signature does not match"));
    }

    let claims: Claims = decode_segment(claims)?;
    if !claims.iat.is_finite() || !is_fresh(claims.iat as i64, req.now) {
        return Err(forbidden("the JWT was issued outside the 5-minute window"));
    }
    if claims
        .exp
        .is_some_and(|exp| (req.now.timestamp() as f64) >= exp)
    {
        return Err(forbidden("the JWT has expired"));
    }
    let claimed = hex::decode(claims.payload_hash.trim())
        .map_err(|_| unauthenticated("payload_hash is not hex"))?;
    if !ct_eq(&Sha256::digest(req.body), &claimed) {
        return Err(unauthenticated("payload_hash does not match the body"));
    }
    Ok(())
}

fn decode_segment<T: DeserializeOwned>(segment: &str) -> Result<T, WebhookError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(segment)
        .map_err(|_| unauthenticated("a JWT segment is not base64url"))?;
    serde_json::from_slice(&bytes)
        .map_err(|_| unauthenticated("a JWT segment is not the expected JSON"))
}

#[derive(Deserialize)]
struct Status {
    message_uuid: String,
    to: String,
    status: String,
    timestamp: Option<String>,
    error: Option<StatusError>,
}

#[derive(Deserialize)]
struct StatusError {
    title: Option<serde_json::Value>,
    detail: Option<String>,
}

#[derive(Deserialize)]
struct Inbound {
    message_uuid: String,
    from: String,
    to: String,
    text: Option<String>,
    timestamp: Option<String>,
}

/// The contract's status for Vonage's (docs/relay.md, `sms_status`).
fn contract_status(vonage: &str) -> Option<&'static str> {
    Some(match vonage {
        "submitted" => "sent",
        "delivered" | "read" => "delivered",
        "rejected" => "failed",
        "undeliverable" => "undelivered",
        _ => return None,
    })
}

fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, WebhookError> {
    serde_json::from_slice(body).map_err(|_| WebhookError::Malformed {
        provider: PROVIDER,
        reason: "the body is not a Messages API webhook",
    })
}

fn unauthenticated(reason: &'static str) -> WebhookError {
    WebhookError::Unauthenticated {
        provider: PROVIDER,
        reason,
    }
}

fn forbidden(reason: &'static str) -> WebhookError {
    WebhookError::Forbidden {
        provider: PROVIDER,
        reason,
    }
}
