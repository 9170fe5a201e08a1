//! What the composer takes in (a campaign's content, its context, one
//! recipient) and what it hands out (a rendered message).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use herald_core::token::SigningKey;
use herald_core::EmailAddress;
use uuid::Uuid;

use super::dkim::Signer;
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
    pub(super) signer: Arc<Signer>,
}

impl Clone for DkimSettings {
    fn clone(&self) -> Self {
        DkimSettings {
            domain: self.domain.clone(),
            selector: self.selector.clone(),
            signer: Arc::clone(&self.signer),
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
        let signer = Signer::new(&domain, &selector, private_key_pem)?;
        Ok(DkimSettings {
            domain,
            selector,
            signer: Arc::new(signer),
        })
    }

    pub fn domain(&self) -> &str {
        &self.domain
    }

    pub fn selector(&self) -> &str {
        &self.selector
    }
}
