//! What one SMTP send comes to, and the rule that keeps a message from being
//! sent twice: a failure is classified by how far the message got.
//!
//! * [`SmtpFailure::Transient`]: a 4xx reply at any stage, or the connection
//!   failing before the end of the body was written. The server cannot
//!   have taken the message: safe to retry.
//! * [`SmtpFailure::Permanent`]: a 5xx reply to MAIL, RCPT, DATA or the
//!   body. The server refused it: do not retry.
//! * [`SmtpFailure::Unknown`]: the end of the body was written but no final
//!   reply came (dropped, timed out). The server may have taken it: never
//!   retry automatically.

use lettre::transport::smtp::response::{Response, Severity};

/// The server took the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The final reply, exactly as the server sent it ("250 2.0.0 Ok: queued as 4Bc1").
    pub reply: String,
    /// The server's id for the message, when the reply says "queued as X".
    pub queue_id: Option<String>,
}

impl Accepted {
    pub(crate) fn from_reply(reply: String) -> Accepted {
        let queue_id = queue_id(&reply);
        Accepted { reply, queue_id }
    }
}

/// Why a send did not end in [`Accepted`]; see the module doc for the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmtpFailure {
    #[error("the SMTP server failed for now, the message was not taken: {reply}")]
    Transient { reply: String },
    #[error("the SMTP server refused the message: {reply}")]
    Permanent { reply: String },
    #[error("the message was sent but the SMTP server never confirmed it, so it may have been delivered: {detail}")]
    Unknown { detail: String },
}

impl SmtpFailure {
    pub(crate) fn transient(reply: impl Into<String>) -> SmtpFailure {
        SmtpFailure::Transient {
            reply: reply.into(),
        }
    }

    /// The server's reply or, for a failure without one, what happened.
    pub fn reply(&self) -> &str {
        match self {
            SmtpFailure::Transient { reply } | SmtpFailure::Permanent { reply } => reply,
            SmtpFailure::Unknown { detail } => detail,
        }
    }
}

/// A reply as the server wrote it: the code, then its lines joined.
pub(crate) fn reply_text(response: &Response) -> String {
    let lines: Vec<&str> = response.message().collect();
    format!("{} {}", response.code(), lines.join(" "))
        .trim_end()
        .to_owned()
}

/// True for a 5xx reply: the server refused for good.
pub(crate) fn is_permanent(response: &Response) -> bool {
    response.code().severity == Severity::PermanentNegativeCompletion
}

/// Classifies a refusal at a stage before the end of the body was written,
/// or of the body itself: a 5xx is permanent, a 4xx safe to retry.
pub(crate) fn refusal(response: &Response) -> SmtpFailure {
    let reply = reply_text(response);
    if is_permanent(response) {
        SmtpFailure::Permanent { reply }
    } else {
        SmtpFailure::Transient { reply }
    }
}

/// The id in "… queued as ABC123 …" (Postfix, and many services after it).
pub(crate) fn queue_id(reply: &str) -> Option<String> {
    let lower = reply.to_ascii_lowercase();
    let at = lower.find("queued as ")? + "queued as ".len();
    let id: String = reply[at..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect::<String>()
        .trim_end_matches(['.', ',', ';', ')'])
        .to_owned();
    (!id.is_empty()).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_id_is_read_from_queued_as_replies() {
        assert_eq!(
            queue_id("250 2.0.0 Ok: queued as 4C1F3A2B9").as_deref(),
            Some("4C1F3A2B9")
        );
        assert_eq!(
            queue_id("250 OK Queued as abc-12.").as_deref(),
            Some("abc-12")
        );
        assert_eq!(queue_id("250 Message accepted"), None);
        assert_eq!(queue_id("250 queued as "), None);
    }
}
