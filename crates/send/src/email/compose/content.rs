//! What the composer takes in (a campaign's content, its context, one
//! recipient) and what it hands out (a rendered message).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use herald_core::token::SigningKey;
use herald_core::EmailAddress;
use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
    DkimSigningKey,
};
use lettre::message::header::HeaderName;
use rsa::pkcs1::EncodeRsaPrivateKey as _;
use rsa::pkcs8::DecodePrivateKey as _;
use uuid::Uuid;

use super::ComposeError;
use crate::relay::RelayUrl;

/// A campaign's email content as the user wrote it. `subject`, `preheader`,
/// `html` and `text` are templates (see docs/email.md, Personalisation).
#[derive(Debug, Clone)]
pub struct CampaignContent {
    pub subject: String,
    pub preheader: Option<String>,
    pub from_name: String,
    pub from_address: EmailAddress,
    pub reply_to: Option<EmailAddress>,
    /// The display name shown with `reply_to`, if any.
    pub reply_to_name: Option<String>,
    pub html: String,
    /// The plain-text alternative; generated from `html` when `None`.
    pub text: Option<String>,
    /// Whether opens and clicks are tracked (needs a relay).
    pub tracking: bool,
}

/// A file attached to every message of a campaign.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub filename: String,
    /// A MIME type such as `application/pdf`.
    pub content_type: String,
    pub bytes: Arc<Vec<u8>>,
}

/// Everything besides the content that a campaign's messages depend on.
#[derive(Debug, Clone)]
pub struct ComposeContext {
    pub campaign_id: Uuid,
    pub campaign_name: String,
    /// The relay and the workspace key tokens are signed with; without it
    /// nothing is tracked and there is no one-click unsubscribe link.
    pub relay: Option<(RelayUrl, SigningKey)>,
    /// An address that unsubscribes whoever writes to it, for the mailto
    /// part of `List-Unsubscribe`.
    pub unsubscribe_mailto: Option<EmailAddress>,
    pub dkim: Option<DkimSettings>,
    pub attachments: Vec<Attachment>,
}

/// One recipient's data, as templates see it under `contact`.
#[derive(Debug, Clone)]
pub struct RecipientData {
    pub contact_id: Uuid,
    /// `None` for a phone-only contact (SMS); an email needs one.
    pub email: Option<EmailAddress>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub country: Option<String>,
    /// The contact's custom field values (`contact.custom.<name>`); a field
    /// the contact has no value for is absent.
    pub custom: BTreeMap<String, serde_json::Value>,
}

/// One recipient's message, ready for SMTP.
#[derive(Clone, PartialEq, Eq)]
pub struct RenderedEmail {
    /// The SMTP `MAIL FROM` address.
    pub envelope_from: String,
    /// The SMTP `RCPT TO` address.
    pub to: String,
    /// The `Message-ID`, angle brackets included; the same for every render
    /// of one campaign and contact.
    pub message_id: String,
    /// The whole message (headers and body), CRLF line endings.
    pub raw: Vec<u8>,
}

impl fmt::Debug for RenderedEmail {
    /// Without the body: it holds the contact's personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RenderedEmail")
            .field("message_id", &self.message_id)
            .field("raw_len", &self.raw.len())
            .finish_non_exhaustive()
    }
}

/// A DKIM signing configuration whose key has been parsed.
pub struct DkimSettings {
    domain: String,
    selector: String,
    pub(super) config: Arc<DkimConfig>,
}

impl Clone for DkimSettings {
    fn clone(&self) -> Self {
        DkimSettings {
            domain: self.domain.clone(),
            selector: self.selector.clone(),
            config: Arc::clone(&self.config),
        }
    }
}

impl fmt::Debug for DkimSettings {
    /// The key stays out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DkimSettings")
            .field("domain", &self.domain)
            .field("selector", &self.selector)
            .finish_non_exhaustive()
    }
}

/// The headers signed: those a receiver shows or acts on, including the
/// one-click unsubscribe pair that Gmail and Yahoo require to be signed.
const SIGNED_HEADERS: &[&str] = &[
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "Reply-To",
    "MIME-Version",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
];

impl DkimSettings {
    /// Parses a private key in PEM: RSA (PKCS#1 `RSA PRIVATE KEY` or PKCS#8
    /// `PRIVATE KEY`) or Ed25519 (PKCS#8 `PRIVATE KEY`).
    pub fn new(domain: &str, selector: &str, private_key_pem: &str) -> Result<Self, ComposeError> {
        let dkim = |problem: &str| ComposeError::Dkim(problem.to_owned());
        let domain = domain.trim().to_ascii_lowercase();
        let selector = selector.trim().to_ascii_lowercase();
        let label_ok = |s: &str| {
            !s.is_empty()
                && s.split('.').all(|l| {
                    !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                })
        };
        if !label_ok(&domain) {
            return Err(dkim("the domain must be a domain name such as example.com"));
        }
        if !label_ok(&selector) {
            return Err(dkim(
                "the selector must be letters, digits, dashes and dots, such as herald1",
            ));
        }
        let pem = private_key_pem.trim();
        let key = if pem.contains("BEGIN RSA PRIVATE KEY") {
            DkimSigningKey::new(pem, DkimSigningAlgorithm::Rsa)
                .map_err(|_| dkim("the RSA private key could not be read (PKCS#1 PEM)"))?
        } else if pem.contains("BEGIN PRIVATE KEY") {
            pkcs8_key(pem)?
        } else {
            return Err(dkim(
                "the private key must be PEM (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)",
            ));
        };
        let headers = SIGNED_HEADERS
            .iter()
            .map(|h| HeaderName::new_from_ascii_str(h))
            .collect();
        let config = DkimConfig::new(
            selector.clone(),
            domain.clone(),
            key,
            headers,
            DkimCanonicalization {
                header: DkimCanonicalizationType::Relaxed,
                body: DkimCanonicalizationType::Relaxed,
            },
        );
        Ok(DkimSettings {
            domain,
            selector,
            config: Arc::new(config),
        })
    }

    pub fn domain(&self) -> &str {
        &self.domain
    }

    pub fn selector(&self) -> &str {
        &self.selector
    }
}

/// The DER prefix of a PKCS#8 Ed25519 private key (RFC 8410): the 32-byte
/// seed follows it.
const ED25519_PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

/// A PKCS#8 key, Ed25519 or RSA, in the forms lettre reads (the base64 seed
/// for Ed25519, PKCS#1 PEM for RSA).
fn pkcs8_key(pem: &str) -> Result<DkimSigningKey, ComposeError> {
    let dkim = |problem: &str| ComposeError::Dkim(problem.to_owned());
    let body: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .map(str::trim)
        .collect();
    let der = STANDARD
        .decode(body)
        .map_err(|_| dkim("the private key's PEM body is not base64"))?;
    if der.len() == 48 && der[..16] == ED25519_PKCS8_PREFIX {
        return DkimSigningKey::new(&STANDARD.encode(&der[16..]), DkimSigningAlgorithm::Ed25519)
            .map_err(|_| dkim("the Ed25519 private key could not be read"));
    }
    let rsa = rsa::RsaPrivateKey::from_pkcs8_pem(pem)
        .map_err(|_| dkim("the private key is neither an RSA nor an Ed25519 PKCS#8 key"))?;
    let pkcs1 = rsa
        .to_pkcs1_pem(rsa::pkcs1::LineEnding::LF)
        .map_err(|_| dkim("the RSA private key could not be converted"))?;
    DkimSigningKey::new(&pkcs1, DkimSigningAlgorithm::Rsa)
        .map_err(|_| dkim("the RSA private key could not be read"))
}
