//! Message assembly: headers, the multipart body and the DKIM signature,
//! with lettre's message builder (it picks 7bit, quoted-printable or base64
//! per part and writes RFC 2047 encoded words for non-ASCII headers).

use herald_core::EmailAddress;
use lettre::message::dkim::DkimConfig;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment as MimeAttachment, Body, Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};
use uuid::Uuid;

use super::content::Attachment;
use super::ComposeError;

/// An attachment encoded once per campaign; each message clones the
/// encoded bytes.
#[derive(Debug, Clone)]
pub(super) struct EncodedAttachment {
    filename: String,
    content_type: ContentType,
    body: Body,
}

impl EncodedAttachment {
    pub(super) fn new(a: &Attachment) -> Result<EncodedAttachment, ComposeError> {
        let problem = |p: &str| ComposeError::Attachment {
            filename: a.filename.clone(),
            problem: p.to_owned(),
        };
        if a.filename.trim().is_empty() || a.filename.chars().any(char::is_control) {
            return Err(problem(
                "the file name must not be empty or hold control characters",
            ));
        }
        let content_type = ContentType::parse(&a.content_type)
            .map_err(|_| problem("the content type must be a MIME type such as application/pdf"))?;
        Ok(EncodedAttachment {
            filename: a.filename.clone(),
            content_type,
            body: Body::new(a.bytes.as_ref().clone()),
        })
    }
}

/// A mailbox for a header, from an address Herald already checked.
pub(super) fn mailbox(name: Option<&str>, address: &EmailAddress) -> Result<Mailbox, String> {
    let address = Address::new(address.local_part(), address.domain())
        .map_err(|e| format!("\"{}\" cannot be used in a header ({e})", address.as_str()))?;
    Ok(Mailbox::new(
        name.filter(|n| !n.is_empty()).map(str::to_owned),
        address,
    ))
}

/// `<{campaign}.{contact}@{domain}>`: the same for every render of one
/// campaign and contact, so that a resend after an in-doubt delivery is
/// recognisably the same message.
pub(super) fn message_id(campaign: Uuid, contact: Uuid, from_domain: &str) -> String {
    format!("<{}.{}@{from_domain}>", campaign.simple(), contact.simple())
}

/// Everything one message is made of.
#[derive(Debug)]
pub(super) struct Parts<'a> {
    pub from: &'a Mailbox,
    pub reply_to: Option<&'a Mailbox>,
    pub to: Mailbox,
    pub subject: String,
    pub message_id: &'a str,
    /// The value of `List-Unsubscribe`, when there is a way to unsubscribe.
    pub list_unsubscribe: Option<String>,
    /// Whether the https part exists (RFC 8058 one-click).
    pub one_click: bool,
    pub campaign_id: Uuid,
    pub text: String,
    pub html: String,
    pub attachments: &'a [EncodedAttachment],
    pub dkim: Option<&'a DkimConfig>,
}

pub(super) fn assemble(p: Parts<'_>) -> Result<Vec<u8>, ComposeError> {
    let mut builder = Message::builder()
        .from(p.from.clone())
        .to(p.to)
        .subject(p.subject)
        .message_id(Some(p.message_id.to_owned()))
        .date_now()
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("X-Herald-Campaign"),
            p.campaign_id.to_string(),
        ));
    if let Some(reply_to) = p.reply_to {
        builder = builder.reply_to(reply_to.clone());
    }
    if let Some(value) = p.list_unsubscribe {
        builder = builder.raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            value,
        ));
        if p.one_click {
            builder = builder.raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
        }
    }
    let alternative = MultiPart::alternative()
        .singlepart(SinglePart::plain(p.text))
        .singlepart(SinglePart::html(p.html));
    let body = if p.attachments.is_empty() {
        alternative
    } else {
        p.attachments
            .iter()
            .fold(MultiPart::mixed().multipart(alternative), |mixed, a| {
                mixed.singlepart(
                    MimeAttachment::new(a.filename.clone())
                        .body(a.body.clone(), a.content_type.clone()),
                )
            })
    };
    let mut message = builder
        .multipart(body)
        .map_err(|e| ComposeError::Mime(e.to_string()))?;
    if let Some(dkim) = p.dkim {
        message.sign(dkim);
    }
    Ok(message.formatted())
}
