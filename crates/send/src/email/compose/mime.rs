//! The message writer: headers and the multipart body (the text and HTML
//! alternatives, wrapped in multipart/mixed with the attachments) written
//! straight into one buffer, then DKIM-signed. What is the same for every
//! recipient (the sender's header lines, the boundaries' random start, the
//! attachments' encoded parts) is written once, in [`Head`].
//!
//! A part goes as 7bit, copied in the one pass that splices it, when it
//! can ([`SevenBit`]); as quoted-printable otherwise. Boundaries start with
//! `=_`, which neither quoted-printable nor base64 can produce, and a 7bit
//! part with a line that starts like one is sent quoted-printable instead,
//! so no boundary can appear in a body.

use herald_core::EmailAddress;
use lettre::Address;
use rand::distributions::{Alphanumeric, DistString as _};
use uuid::Uuid;

use super::content::Attachment;
use super::dkim::Signer;
use super::encode::{self, quoted_printable};
use super::links::{ascii_html, Out};
use super::seven_bit::SevenBit;
use super::ComposeError;

/// The longest attachment file name, in bytes (what file systems allow).
const MAX_FILENAME: usize = 255;

/// An attachment's part (headers, blank line, base64 body), encoded once
/// per campaign; each message copies it.
#[derive(Debug, Clone)]
pub(super) struct EncodedAttachment(Vec<u8>);

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
        if a.filename.len() > MAX_FILENAME {
            return Err(problem("the file name must be at most 255 bytes long"));
        }
        let content_type = a.content_type.trim();
        if !is_content_type(content_type) {
            return Err(problem(
                "the content type must be a MIME type such as application/pdf",
            ));
        }
        let mut part = Vec::with_capacity(a.bytes.len() / 3 * 4 + a.bytes.len() / 28 + 256);
        part.extend_from_slice(b"Content-Type: ");
        part.extend_from_slice(content_type.as_bytes());
        part.extend_from_slice(b"\r\nContent-Disposition: attachment; ");
        encode::parameter("filename", &a.filename, &mut part);
        part.extend_from_slice(b"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        encode::base64_lines(&a.bytes, &mut part);
        Ok(EncodedAttachment(part))
    }
}

/// `type/subtype`, optionally with `; name=value` parameters, as RFC 2045
/// spells them.
fn is_content_type(value: &str) -> bool {
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?=".contains(&b))
    };
    let mut params = value.split(';');
    let Some((kind, subtype)) = params.next().and_then(|t| t.trim().split_once('/')) else {
        return false;
    };
    token(kind)
        && token(subtype)
        && params.all(|p| {
            p.split_once('=').is_some_and(|(name, v)| {
                let v = v.trim();
                token(name.trim())
                    && (token(v)
                        || (v.len() >= 2
                            && v.starts_with('"')
                            && v.ends_with('"')
                            && v[1..v.len() - 1]
                                .bytes()
                                .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')))
            })
        })
}

/// Checks that an address Herald already accepted can be written in a
/// header as it is.
pub(super) fn check_address(address: &EmailAddress) -> Result<(), String> {
    Address::new(address.local_part(), address.domain())
        .map(drop)
        .map_err(|e| format!("\"{}\" cannot be used in a header ({e})", address.as_str()))
}

/// `<{campaign}.{contact}@{domain}>`: the same for every render of one
/// campaign and contact, so that a resend after an in-doubt delivery is
/// recognisably the same message.
pub(super) fn message_id(campaign: Uuid, contact: Uuid, from_domain: &str) -> String {
    format!("<{}.{}@{from_domain}>", campaign.simple(), contact.simple())
}

/// What every message of a campaign shares.
#[derive(Debug)]
pub(super) struct Head {
    /// `From` and, when set, `Reply-To`, each with its CRLF.
    sender: Vec<u8>,
    /// `X-Herald-Campaign` and `MIME-Version`, each with its CRLF.
    fixed: Vec<u8>,
    /// The campaign's random start of every boundary, `=_H` first.
    boundary: String,
    attachments: Vec<EncodedAttachment>,
}

impl Head {
    pub(super) fn new(
        from: (&str, &EmailAddress),
        reply_to: Option<(Option<&str>, &EmailAddress)>,
        campaign_id: Uuid,
        attachments: Vec<EncodedAttachment>,
    ) -> Head {
        let mut sender = b"From: ".to_vec();
        encode::mailbox(Some(from.0), from.1.as_str(), sender.len(), &mut sender);
        sender.extend_from_slice(b"\r\n");
        if let Some((name, address)) = reply_to {
            sender.extend_from_slice(b"Reply-To: ");
            encode::mailbox(name, address.as_str(), "Reply-To: ".len(), &mut sender);
            sender.extend_from_slice(b"\r\n");
        }
        let fixed = format!("X-Herald-Campaign: {campaign_id}\r\nMIME-Version: 1.0\r\n");
        let boundary = format!(
            "=_H{}",
            Alphanumeric.sample_string(&mut rand::thread_rng(), 20)
        );
        Head {
            sender,
            fixed: fixed.into_bytes(),
            boundary,
            attachments,
        }
    }

    /// The bytes every message carries besides its own parts.
    pub(super) fn len(&self) -> usize {
        self.sender.len()
            + self.fixed.len()
            + self
                .attachments
                .iter()
                .map(|a| a.0.len() + 64)
                .sum::<usize>()
            + 1024
    }
}

/// One message's own headers.
pub(super) struct Headers<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub message_id: &'a str,
    /// The value of `List-Unsubscribe`, when there is a way to unsubscribe.
    pub list_unsubscribe: Option<&'a str>,
    /// Whether the https part exists (RFC 8058 one-click).
    pub one_click: bool,
}

/// Writes one message: [`Writer::new`] (the headers), the text part then
/// the HTML part ([`Writer::part`]), [`Writer::finish`].
pub(super) struct Writer<'a> {
    head: &'a Head,
    out: Vec<u8>,
    /// `--` and this message's boundary without its last character, which
    /// tells the alternative (`A`) from the mixed (`M`) one.
    delimiter: String,
}

/// Which alternative a part is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Text,
    Html,
}

impl<'a> Writer<'a> {
    /// Starts a message of about `capacity` bytes with its headers.
    pub(super) fn new(head: &'a Head, h: &Headers<'_>, capacity: usize) -> Writer<'a> {
        let mut out = Vec::with_capacity(capacity);
        let delimiter = format!("--{}{:016x}", head.boundary, rand::random::<u64>());
        out.extend_from_slice(&head.sender);
        out.extend_from_slice(b"To: ");
        out.extend_from_slice(h.to.as_bytes());
        out.extend_from_slice(b"\r\n");
        encode::unstructured("Subject", h.subject, &mut out);
        out.extend_from_slice(b"Date: ");
        out.extend_from_slice(chrono::Utc::now().to_rfc2822().as_bytes());
        out.extend_from_slice(b"\r\nMessage-ID: ");
        out.extend_from_slice(h.message_id.as_bytes());
        out.extend_from_slice(b"\r\n");
        if let Some(value) = h.list_unsubscribe {
            out.extend_from_slice(b"List-Unsubscribe: ");
            // Folded between its links: each is one unbreakable word.
            for (i, link) in value.split(", ").enumerate() {
                if i > 0 {
                    out.extend_from_slice(b",\r\n ");
                }
                out.extend_from_slice(link.as_bytes());
            }
            out.extend_from_slice(b"\r\n");
            if h.one_click {
                out.extend_from_slice(b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
            }
        }
        out.extend_from_slice(&head.fixed);
        let boundary = &delimiter[2..];
        if head.attachments.is_empty() {
            out.extend_from_slice(b"Content-Type: multipart/alternative;\r\n boundary=\"");
            out.extend_from_slice(boundary.as_bytes());
            out.extend_from_slice(b"A\"\r\n\r\n");
        } else {
            out.extend_from_slice(b"Content-Type: multipart/mixed;\r\n boundary=\"");
            out.extend_from_slice(boundary.as_bytes());
            out.extend_from_slice(b"M\"\r\n\r\n\r\n");
            out.extend_from_slice(delimiter.as_bytes());
            out.extend_from_slice(b"M\r\nContent-Type: multipart/alternative;\r\n boundary=\"");
            out.extend_from_slice(boundary.as_bytes());
            out.extend_from_slice(b"A\"\r\n\r\n");
        }
        Writer {
            head,
            out,
            delimiter,
        }
    }

    /// Writes one alternative. `splice` writes the part's text to the
    /// `Out` it is given; it runs a second time, into a `String`, when the
    /// part cannot go as 7bit. `ascii` says whether the rendered text is
    /// ASCII (a text part that is not goes quoted-printable at once).
    pub(super) fn part<F>(&mut self, kind: Kind, ascii: bool, splice: F) -> Result<(), ComposeError>
    where
        F: Fn(&mut dyn Out) -> Result<(), ComposeError>,
    {
        self.out.extend_from_slice(b"\r\n");
        self.out.extend_from_slice(self.delimiter.as_bytes());
        self.out.extend_from_slice(match kind {
            Kind::Text => b"A\r\nContent-Type: text/plain; charset=utf-8\r\n",
            Kind::Html => b"A\r\nContent-Type: text/html; charset=utf-8\r\n",
        });
        let encoding_at = self.out.len();
        if ascii || kind == Kind::Html {
            self.out
                .extend_from_slice(b"Content-Transfer-Encoding: 7bit\r\n\r\n");
            let mut body =
                SevenBit::new(&mut self.out, kind == Kind::Html, self.delimiter.as_bytes());
            splice(&mut body)?;
            if body.finish() {
                return Ok(());
            }
            self.out.truncate(encoding_at);
        }
        self.out
            .extend_from_slice(b"Content-Transfer-Encoding: quoted-printable\r\n\r\n");
        let mut text = String::new();
        splice(&mut text)?;
        if kind == Kind::Html {
            text = ascii_html(text);
        }
        quoted_printable(text.as_bytes(), &mut self.out);
        Ok(())
    }

    /// Closes the body, adds the attachments and signs the message.
    pub(super) fn finish(mut self, dkim: Option<&Signer>) -> Vec<u8> {
        let out = &mut self.out;
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(self.delimiter.as_bytes());
        out.extend_from_slice(b"A--");
        if !self.head.attachments.is_empty() {
            for attachment in &self.head.attachments {
                out.extend_from_slice(b"\r\n");
                out.extend_from_slice(self.delimiter.as_bytes());
                out.extend_from_slice(b"M\r\n");
                out.extend_from_slice(&attachment.0);
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(self.delimiter.as_bytes());
            out.extend_from_slice(b"M--");
        }
        out.extend_from_slice(b"\r\n");
        if let Some(signer) = dkim {
            signer.sign(out);
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::is_content_type;

    #[test]
    fn content_types_are_type_slash_subtype_with_optional_parameters() {
        for ok in [
            "application/pdf",
            "text/csv; charset=utf-8",
            "text/plain; charset=\"utf-8\"",
            "application/vnd.ms-excel",
        ] {
            assert!(is_content_type(ok), "{ok}");
        }
        for bad in [
            "not a type",
            "pdf",
            "text/",
            "/pdf",
            "text/plain; x",
            "a/b\r\nBcc: x",
        ] {
            assert!(!is_content_type(bad), "{bad}");
        }
    }
}
