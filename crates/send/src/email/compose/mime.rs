//! Message assembly: headers, the multipart body and the DKIM signature,
//! with lettre's message builder (it picks 7bit, quoted-printable or base64
//! per part and writes RFC 2047 encoded words for non-ASCII headers).

use herald_core::EmailAddress;
use lettre::message::dkim::DkimConfig;
use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
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
        .singlepart(SinglePart::plain(body(p.text)))
        .singlepart(SinglePart::html(body(p.html)));
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

/// A part's body: sent as is (7bit) when it is ASCII with lines a mail
/// server accepts, which is what preparation aims for (HTML lines broken
/// inside tags, non-ASCII as character references, text wrapped); otherwise
/// lettre picks quoted-printable or base64. The check and the CRLF line
/// ends take one pass, where lettre's encoder choice and quoted-printable
/// took most of a render's time.
fn body(text: String) -> Body {
    match seven_bit(&text) {
        Some(bytes) => Body::dangerous_pre_encoded(bytes, ContentTransferEncoding::SevenBit),
        None => Body::new(text),
    }
}

/// The longest line SMTP allows, without its CRLF (RFC 5321 4.5.3.1.6).
const MAX_LINE: usize = 998;

/// `text` with CRLF line ends, when every line is ASCII without NUL or a
/// stray CR and at most [`MAX_LINE`] bytes long.
fn seven_bit(text: &str) -> Option<Vec<u8>> {
    if !text.is_ascii() {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() + text.len() / 32 + 2);
    let body = text.strip_suffix('\n').unwrap_or(text);
    for line in body.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.len() > MAX_LINE || memchr::memchr2(b'\r', 0, line.as_bytes()).is_some() {
            return None;
        }
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    Some(out)
}
