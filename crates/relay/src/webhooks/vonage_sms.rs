//! Vonage (SMS API): delivery receipts and inbound texts.
//!
//! A workspace that sends with Vonage's SMS API (not the Messages API) gets
//! its receipts and replies in that API's own shape: flat parameters
//! (`msisdn`, `to`, `messageId`, `status`, `err-code`, `text`, ...) sent as
//! a GET query, a POST form or a POST JSON object, as the account is set.
//!
//! Signed webhooks carry `sig`, `timestamp` (Unix seconds) and `nonce` among
//! the parameters. The relay accepts one signature method only, **SHA-256
//! HMAC** (Dashboard → Settings → signature method), keyed with the
//! account's signature secret (`vonage_signature_secret`, the same secret as
//! the Messages API's JWTs). As Vonage's client libraries compute it, the
//! signed text is every parameter but `sig`, sorted by name (byte order),
//! written `&name=value` with each `&` and `=` inside a value replaced by
//! `_`; `sig` is that HMAC in hex, either case. The older methods (MD5 hash,
//! MD5 and SHA-1 HMAC) are refused by name rather than by a bare mismatch,
//! so an operator knows which setting to change.
//!
//! Unlike the Messages API, an unsigned SMS API callback is answered 401:
//! it means the account does not sign at all, which a retry would not fix.
//!
//! `timestamp` is when Vonage *started* to push the callback, and Vonage
//! retries an unanswered one for 24 hours, so a retry after a relay outage
//! carries an old timestamp. It is therefore accepted up to 24 hours old
//! (and at most five minutes ahead of the relay's clock): a five-minute
//! window would refuse every retry after an outage and lose the STOPs sent
//! meanwhile. A replay inside the window maps to the same
//! `provider_event_id` (`messageId:status` for a receipt, `messageId` for a
//! text) and so to nothing new; older ones are refused.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, Utc};

use super::error::WebhookError;
use super::request::{Accepted, WebhookRequest};
use super::verify::{ct_eq, e164, header, hmac_sha256, provider_event, WINDOW_SECONDS};
use crate::event::{EventKind, Provider};

const PROVIDER: Provider = Provider::Vonage;

/// How old a signed `timestamp` may be: Vonage's retry period.
const RETRY_SECONDS: i64 = 24 * 60 * 60;

/// The parameters of one callback, by name; each name appears once.
type Params = BTreeMap<String, String>;

/// A delivery receipt: one `sms_status`, or none for a status the contract
/// does not track (`unknown`, or anything Vonage adds later).
pub(super) fn receipt(secret: &str, req: &WebhookRequest<'_>) -> Result<Accepted, WebhookError> {
    let params = verified(secret, req)?;
    let message_id = required(&params, "messageId")?;
    let msisdn = required(&params, "msisdn")?;
    let raw_status = required(&params, "status")?;
    let Some(status) = contract_status(raw_status) else {
        return Ok(Accepted::events(Vec::new()));
    };

    let mut detail = serde_json::Map::new();
    detail.insert("status".into(), status.into());
    if status == "failed" {
        // `err-code` is "0" on receipts that report no error.
        let code = optional(&params, "err-code").filter(|code| *code != "0");
        if let Some(code) = code {
            detail.insert("error_code".into(), code.into());
        }
        let message = match code {
            Some(code) => error_meaning(code),
            None if raw_status == "expired" => {
                Some("The message expired before the carrier could deliver it.")
            }
            None => None,
        };
        if let Some(message) = message {
            detail.insert("error_message".into(), message.into());
        }
    }
    let mut event = provider_event(
        PROVIDER,
        EventKind::SmsStatus,
        message_time(&params).unwrap_or(req.now),
        format!("{message_id}:{status}"),
        Some(message_id.to_owned()),
        e164(msisdn),
    );
    event.detail = detail.into();
    Ok(Accepted::events(vec![event]))
}

/// An inbound text: one `sms_inbound`. A binary message has no `text` and
/// arrives with an empty body.
pub(super) fn inbound(secret: &str, req: &WebhookRequest<'_>) -> Result<Accepted, WebhookError> {
    let params = verified(secret, req)?;
    let message_id = required(&params, "messageId")?;
    let msisdn = required(&params, "msisdn")?;
    let to = required(&params, "to")?;
    let body = params.get("text").map_or("", String::as_str);

    let mut event = provider_event(
        PROVIDER,
        EventKind::SmsInbound,
        message_time(&params).unwrap_or(req.now),
        message_id.to_owned(),
        Some(message_id.to_owned()),
        e164(msisdn),
    );
    event.detail = serde_json::json!({ "to": e164(to), "body": body });
    Ok(Accepted::events(vec![event]))
}

/// The callback's parameters, once `sig` and `timestamp` check out.
fn verified(secret: &str, req: &WebhookRequest<'_>) -> Result<Params, WebhookError> {
    let mut params = parameters(req)?;
    let sig = params
        .remove("sig")
        .filter(|sig| !sig.is_empty())
        .ok_or(unauthenticated(
            "missing sig: enable signed webhooks for the SMS API",
        ))?;
    let given = hex::decode(sig.trim()).map_err(|_| unauthenticated("sig is not hex"))?;
    if given.len() != 32 {
        // An MD5 (16 bytes), SHA-1 (20) or SHA-512 (64) signature: the
        // account is set to another method.
        return Err(unauthenticated(
            "sig is not a SHA-256 HMAC: set the signature method to SHA-256 HMAC",
        ));
    }
    let timestamp: i64 = params
        .get("timestamp")
        .and_then(|timestamp| timestamp.trim().parse().ok())
        .ok_or(unauthenticated("missing or non-numeric timestamp"))?;

    let mut signed = String::new();
    for (name, value) in &params {
        signed.push('&');
        signed.push_str(name);
        signed.push('=');
        signed.push_str(&value.replace(['&', '='], "_"));
    }
    if !ct_eq(
        &hmac_sha256(secret.as_bytes(), &[signed.as_bytes()]),
        &given,
    ) {
        return Err(unauthenticated("sig does not match"));
    }
    // Checked once the signature holds, so that only Vonage learns that a
    // callback was stale rather than forged.
    let age = req.now.timestamp().saturating_sub(timestamp);
    if age > RETRY_SECONDS {
        return Err(forbidden("the timestamp is more than 24 hours old"));
    }
    if age < -WINDOW_SECONDS {
        return Err(forbidden("the timestamp is more than 5 minutes ahead"));
    }
    Ok(params)
}

/// The parameters wherever the account's setting puts them: a JSON object
/// or a form in the body of a POST, else the query of a GET.
fn parameters(req: &WebhookRequest<'_>) -> Result<Params, WebhookError> {
    let json = header(req.headers, "content-type").is_some_and(|value| {
        value
            .split(';')
            .next()
            .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
    });
    if json {
        return json_parameters(req.body);
    }
    let encoded = if req.body.is_empty() {
        req.url
            .split_once('?')
            .map_or(&[][..], |(_, query)| query.as_bytes())
    } else {
        req.body
    };
    let mut params = Params::new();
    for (name, value) in form_urlencoded::parse(encoded) {
        insert_once(&mut params, name.into_owned(), value.into_owned())?;
    }
    Ok(params)
}

/// A JSON object of scalars. Vonage sends every value as a string; numbers
/// and booleans are taken as written, and anything nested is refused since
/// there is no telling how it would be signed.
fn json_parameters(body: &[u8]) -> Result<Params, WebhookError> {
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(body).map_err(|_| malformed("the body is not a JSON object"))?;
    let mut params = Params::new();
    for (name, value) in object {
        let value = match value {
            serde_json::Value::String(text) => text,
            serde_json::Value::Number(number) => number.to_string(),
            serde_json::Value::Bool(flag) => flag.to_string(),
            serde_json::Value::Null => continue,
            serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
                return Err(malformed("a JSON value is not a string"));
            }
        };
        insert_once(&mut params, name, value)?;
    }
    Ok(params)
}

/// A repeated name is refused: the signature covers one value per name, and
/// whichever copy were read, the other would ride along unchecked.
fn insert_once(params: &mut Params, name: String, value: String) -> Result<(), WebhookError> {
    if params.insert(name, value).is_some() {
        return Err(unauthenticated("a parameter appears twice"));
    }
    Ok(())
}

/// `message-timestamp` (`2026-12-01 11:59:50`, UTC). One that does not
/// parse dates the event by the relay's clock instead.
fn message_time(params: &Params) -> Option<DateTime<Utc>> {
    let text = optional(params, "message-timestamp")?;
    NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|at| at.and_utc())
}

/// The contract's status for the SMS API's (docs/relay.md, `sms_status`).
fn contract_status(vonage: &str) -> Option<&'static str> {
    Some(match vonage {
        "delivered" => "delivered",
        "accepted" | "buffered" => "sent",
        "expired" | "failed" | "rejected" => "failed",
        _ => return None,
    })
}

/// What the SMS API's delivery receipt error codes mean, in plain words.
fn error_meaning(code: &str) -> Option<&'static str> {
    Some(match code {
        "1" => "The carrier reported an unknown error.",
        "2" => "The phone is unreachable for now: switched off or out of coverage.",
        "3" => "The number is no longer in service.",
        "4" => "The recipient has barred incoming texts.",
        "5" => "The number was moved to another carrier and could not be reached there.",
        "6" => "The carrier rejected the message as spam.",
        "7" => "The phone was busy.",
        "8" => "A network error stopped the message.",
        "9" => "The number is not a valid phone number.",
        "10" => "The carrier refused the message's content.",
        "11" => "No route to the recipient's carrier.",
        "12" => "The destination could not be reached.",
        "13" => "The recipient is too young for this content.",
        "14" => "The recipient's carrier blocked the number.",
        "15" => "The recipient's prepaid account has too little credit.",
        "99" => "Vonage reported a general error.",
        _ => return None,
    })
}

fn required<'a>(params: &'a Params, name: &'static str) -> Result<&'a str, WebhookError> {
    optional(params, name).ok_or(malformed(match name {
        "messageId" => "messageId is missing",
        "msisdn" => "msisdn is missing",
        "status" => "status is missing",
        "to" => "to is missing",
        _ => "a required parameter is missing",
    }))
}

fn optional<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|value| !value.is_empty())
}

fn malformed(reason: &'static str) -> WebhookError {
    WebhookError::Malformed {
        provider: PROVIDER,
        reason,
    }
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
