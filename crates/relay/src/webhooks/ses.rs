//! Amazon SES, through an SNS HTTPS subscription.
//!
//! SNS signs the string made of a message's fields, each written as
//! `Key\nValue\n` in a fixed order that depends on the message's `Type`
//! (`Notification`: Message, MessageId, Subject if present, Timestamp,
//! TopicArn, Type; `SubscriptionConfirmation` and `UnsubscribeConfirmation`:
//! Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type), with
//! RSA PKCS#1 v1.5: SHA-1 for `SignatureVersion` 1, SHA-256 for 2. The
//! certificate comes from `SigningCertURL`, pinned to SNS's hosts (see
//! `sns_cert`). Only topics on the configured allow-list are heard, and
//! that is checked before anything is fetched.
//!
//! A verified `SubscriptionConfirmation` is confirmed by calling its
//! `SubscribeURL` (pinned the same way); a `Notification` carries an SES
//! event in `Message`: a bounce, complaint or delivery becomes one event per
//! recipient, identified by `mail.messageId` and the address. Other SES
//! events (sends, opens, clicks, delays) are accepted and produce nothing.
//! Raw message delivery must stay off: without the envelope there is no
//! signature.
//!
//! There is no freshness window: SNS retries a delivery with the same
//! signed message for as long as its retry policy says (an hour by default,
//! days if configured), so a window would lose events. A replayed
//! notification is harmless: its events carry the same
//! `provider_event_id` (SNS `MessageId` and the address) and are stored
//! once.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use serde::Deserialize;

use super::error::WebhookError;
use super::fetch::HttpsFetcher;
use super::request::{Accepted, WebhookRequest};
use super::sns_cert::{subscribe_url, CertCache, CertError};
use super::verify::{bounce_detail, parse_time, provider_event};
use crate::event::{EventKind, NewEvent, Provider};

const PROVIDER: Provider = Provider::Ses;

/// The SNS envelope: every field SNS signs, plus the signature's own.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Envelope {
    #[serde(rename = "Type")]
    kind: String,
    message_id: String,
    topic_arn: String,
    message: String,
    timestamp: String,
    subject: Option<String>,
    token: Option<String>,
    #[serde(rename = "SubscribeURL")]
    subscribe_url: Option<String>,
    signature_version: String,
    signature: String,
    #[serde(rename = "SigningCertURL")]
    signing_cert_url: String,
}

pub(super) async fn handle(
    topics: &[String],
    certs: &CertCache,
    fetcher: &dyn HttpsFetcher,
    req: &WebhookRequest<'_>,
) -> Result<Accepted, WebhookError> {
    let envelope: Envelope = serde_json::from_slice(req.body)
        .map_err(|_| malformed("the body is not a signed SNS message (is raw delivery on?)"))?;
    if !topics.contains(&envelope.topic_arn) {
        return Err(forbidden("the topic is not on the allow-list"));
    }
    verify(&envelope, certs, fetcher, req.now).await?;

    match envelope.kind.as_str() {
        "SubscriptionConfirmation" => {
            let url = envelope
                .subscribe_url
                .as_deref()
                .and_then(subscribe_url)
                .ok_or(forbidden("SubscribeURL is not an SNS confirmation URL"))?;
            fetcher
                .get(url.as_str())
                .await
                .map_err(|error| WebhookError::Upstream {
                    provider: PROVIDER,
                    reason: format!("confirming the subscription: {error}"),
                })?;
            tracing::info!(topic = %envelope.topic_arn, "confirmed the SNS subscription");
            Ok(Accepted::events(Vec::new()))
        }
        "Notification" => Ok(Accepted::events(events(&envelope, req.now))),
        // Signed and from an allowed topic, but nothing to do: the
        // subscription is being removed, which the operator asked for.
        _ => Ok(Accepted::events(Vec::new())),
    }
}

async fn verify(
    envelope: &Envelope,
    certs: &CertCache,
    fetcher: &dyn HttpsFetcher,
    now: DateTime<Utc>,
) -> Result<(), WebhookError> {
    let signed = canonical_string(envelope)?;
    let signature = STANDARD
        .decode(envelope.signature.trim())
        .ok()
        .and_then(|bytes| Signature::try_from(bytes.as_slice()).ok())
        .ok_or(unauthenticated(
            "Signature is not base64 of an RSA signature",
        ))?;
    let key = certs
        .key(&envelope.signing_cert_url, fetcher, now)
        .await
        .map_err(|error| match error {
            CertError::NotPinned => forbidden("SigningCertURL is not an SNS certificate URL"),
            CertError::Expired => forbidden("the signing certificate is not valid now"),
            CertError::NotRsaCertificate => WebhookError::Upstream {
                provider: PROVIDER,
                reason: "the signing certificate is not an RSA certificate".into(),
            },
            CertError::Fetch(reason) => WebhookError::Upstream {
                provider: PROVIDER,
                reason: format!("fetching the signing certificate: {reason}"),
            },
        })?;
    let key = (*key).clone();
    let verified = match envelope.signature_version.as_str() {
        "1" => VerifyingKey::<sha1::Sha1>::new(key).verify(signed.as_bytes(), &signature),
        "2" => VerifyingKey::<sha2::Sha256>::new(key).verify(signed.as_bytes(), &signature),
        _ => return Err(unauthenticated("unknown SignatureVersion")),
    };
    verified.map_err(|_| unauthenticated("the signature does not match"))
}

/// The string SNS signs for this message's type.
fn canonical_string(envelope: &Envelope) -> Result<String, WebhookError> {
    let missing = || malformed("a signed field is missing");
    let fields: Vec<(&str, &str)> = match envelope.kind.as_str() {
        "Notification" => {
            let mut fields = vec![
                ("Message", envelope.message.as_str()),
                ("MessageId", &envelope.message_id),
            ];
            if let Some(subject) = &envelope.subject {
                fields.push(("Subject", subject));
            }
            fields.extend([
                ("Timestamp", envelope.timestamp.as_str()),
                ("TopicArn", &envelope.topic_arn),
                ("Type", &envelope.kind),
            ]);
            fields
        }
        "SubscriptionConfirmation" | "UnsubscribeConfirmation" => vec![
            ("Message", envelope.message.as_str()),
            ("MessageId", &envelope.message_id),
            (
                "SubscribeURL",
                envelope.subscribe_url.as_deref().ok_or_else(missing)?,
            ),
            ("Timestamp", &envelope.timestamp),
            ("Token", envelope.token.as_deref().ok_or_else(missing)?),
            ("TopicArn", &envelope.topic_arn),
            ("Type", &envelope.kind),
        ],
        _ => return Err(malformed("unknown SNS message Type")),
    };
    Ok(fields
        .into_iter()
        .map(|(key, value)| format!("{key}\n{value}\n"))
        .collect())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SesEvent {
    notification_type: Option<String>,
    event_type: Option<String>,
    mail: Option<Mail>,
    bounce: Option<Bounce>,
    complaint: Option<Complaint>,
    delivery: Option<Delivery>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Mail {
    message_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Bounce {
    bounce_type: String,
    bounce_sub_type: Option<String>,
    bounced_recipients: Vec<BouncedRecipient>,
    timestamp: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BouncedRecipient {
    email_address: String,
    diagnostic_code: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Complaint {
    complained_recipients: Vec<ComplainedRecipient>,
    timestamp: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ComplainedRecipient {
    email_address: String,
}

#[derive(Deserialize)]
struct Delivery {
    recipients: Vec<String>,
    timestamp: Option<String>,
}

/// The events of a verified notification. Its `Message` is what the topic's
/// publisher wrote, so one that is not an SES event is logged and produces
/// nothing (refusing it would only make SNS retry it).
fn events(envelope: &Envelope, now: DateTime<Utc>) -> Vec<NewEvent> {
    let Ok(ses) = serde_json::from_str::<SesEvent>(&envelope.message) else {
        tracing::warn!(topic = %envelope.topic_arn, "an SNS notification that is not an SES event");
        return Vec::new();
    };
    let sent_at = parse_time(Some(&envelope.timestamp)).unwrap_or(now);
    let event = |kind, at: Option<&str>, address: &str| {
        provider_event(
            PROVIDER,
            kind,
            parse_time(at).unwrap_or(sent_at),
            format!("{}:{address}", envelope.message_id),
            ses.mail.as_ref().map(|mail| mail.message_id.clone()),
            address.to_owned(),
        )
    };
    let kind = ses
        .notification_type
        .as_deref()
        .or(ses.event_type.as_deref());
    match (kind, &ses.bounce, &ses.complaint, &ses.delivery) {
        (Some("Bounce"), Some(bounce), _, _) => {
            // Permanent: the address will never take mail. Transient
            // (mailbox full, too large) and Undetermined: may work later.
            let hard = bounce.bounce_type == "Permanent";
            let at = bounce.timestamp.as_deref();
            (bounce.bounced_recipients.iter())
                .map(|recipient| {
                    let reason = recipient
                        .diagnostic_code
                        .as_deref()
                        .or(bounce.bounce_sub_type.as_deref());
                    let mut event = event(EventKind::Bounce, at, &recipient.email_address);
                    event.detail = bounce_detail(hard, reason);
                    event
                })
                .collect()
        }
        (Some("Complaint"), _, Some(complaint), _) => (complaint.complained_recipients.iter())
            .map(|recipient| {
                let at = complaint.timestamp.as_deref();
                event(EventKind::Complaint, at, &recipient.email_address)
            })
            .collect(),
        (Some("Delivery"), _, _, Some(delivery)) => (delivery.recipients.iter())
            .map(|address| event(EventKind::Delivered, delivery.timestamp.as_deref(), address))
            .collect(),
        _ => Vec::new(),
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

fn malformed(reason: &'static str) -> WebhookError {
    WebhookError::Malformed {
        provider: PROVIDER,
        reason,
    }
}
