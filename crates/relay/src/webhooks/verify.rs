//! The primitives the providers' checks share: MACs, constant-time
//! comparison, the freshness window, header access, and the event skeleton.

use chrono::{DateTime, Utc};
use herald_core::Channel;
use hmac::{Hmac, Mac};
use http::HeaderMap;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::event::{EventKind, NewEvent, Provider};

/// How far a signed timestamp may be from the relay's clock, either way:
/// five minutes, as SendGrid and Mailgun recommend.
pub(super) const WINDOW_SECONDS: i64 = 5 * 60;

/// Whether `timestamp` (Unix seconds) is within [`WINDOW_SECONDS`] of `now`.
pub(super) fn is_fresh(timestamp: i64, now: DateTime<Utc>) -> bool {
    now.timestamp()
        .checked_sub(timestamp)
        .is_some_and(|age| age.abs() <= WINDOW_SECONDS)
}

/// Equality that takes the same time wherever the inputs differ. Inputs of
/// different lengths are unequal (their lengths are not secret here: every
/// caller compares digests or MACs of a fixed size).
pub(super) fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// Equality of two secrets of any length, in constant time and without
/// revealing the expected length: both sides are hashed first.
pub(super) fn ct_eq_secret(given: &[u8], expected: &[u8]) -> bool {
    ct_eq(&Sha256::digest(given), &Sha256::digest(expected))
}

/// HMAC-SHA256 of the concatenation of `parts`.
pub(super) fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// HMAC-SHA1 of the concatenation of `parts` (Twilio's signature).
pub(super) fn hmac_sha1(key: &[u8], parts: &[&[u8]]) -> [u8; 20] {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("HMAC takes keys of any length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// A provider's RFC 3339 timestamp. One that does not parse is ignored (the
/// caller dates the event by the relay's clock) rather than refusing a
/// signed webhook over a date format.
pub(super) fn parse_time(timestamp: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(timestamp?.trim())
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

/// A header's value as trimmed text, if present and visible ASCII.
pub(super) fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
}

/// An event reported by `provider`, with the parts every webhook fills. The
/// channel follows from the provider (the generic webhook's may be either).
pub(super) fn provider_event(
    provider: Provider,
    kind: EventKind,
    at: DateTime<Utc>,
    event_id: String,
    message_id: Option<String>,
    address: String,
) -> NewEvent {
    let mut event = NewEvent::new(kind, at);
    event.provider = Some(provider);
    event.provider_event_id = Some(event_id);
    event.provider_message_id = message_id;
    event.address = Some(address);
    event.channel = match provider {
        Provider::Twilio | Provider::Vonage => Some(Channel::Sms),
        Provider::Ses | Provider::Postmark | Provider::Sendgrid | Provider::Mailgun => {
            Some(Channel::Email)
        }
        Provider::Generic => None,
    };
    event
}

/// `{"bounce_type": ..., "reason": ...}`, the detail of a `bounce` event
/// (docs/relay.md); `reason` is left out when the provider gave none.
pub(super) fn bounce_detail(hard: bool, reason: Option<&str>) -> serde_json::Value {
    let mut detail = serde_json::Map::new();
    let bounce_type = if hard { "hard" } else { "soft" };
    detail.insert("bounce_type".into(), bounce_type.into());
    if let Some(reason) = reason.map(str::trim).filter(|reason| !reason.is_empty()) {
        detail.insert("reason".into(), reason.into());
    }
    serde_json::Value::Object(detail)
}

/// A phone number as the contract carries it (E.164 with its `+`): Vonage
/// reports international numbers as bare digits.
pub(super) fn e164(number: &str) -> String {
    let number = number.trim();
    if !number.is_empty() && number.bytes().all(|byte| byte.is_ascii_digit()) {
        format!("+{number}")
    } else {
        number.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freshness_is_five_minutes_either_way() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert!(is_fresh(1_800_000_000 - 300, now));
        assert!(is_fresh(1_800_000_000 + 300, now));
        assert!(!is_fresh(1_800_000_000 - 301, now));
        assert!(!is_fresh(1_800_000_000 + 301, now));
        assert!(!is_fresh(i64::MIN, now));
    }

    #[test]
    fn secrets_of_different_lengths_are_unequal() {
        assert!(ct_eq_secret(b"hunter2", b"hunter2"));
        assert!(!ct_eq_secret(b"hunter2", b"hunter22"));
        assert!(!ct_eq(b"abc", b"abcd"));
    }

    #[test]
    fn bare_digits_get_a_plus_and_anything_else_is_kept() {
        assert_eq!(e164("447700900001"), "+447700900001");
        assert_eq!(e164("+14155550100"), "+14155550100");
        assert_eq!(e164("Herald"), "Herald");
    }
}
