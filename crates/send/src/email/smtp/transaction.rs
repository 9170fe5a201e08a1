//! One message on an open connection: MAIL, RCPT, DATA and the body,
//! command by command, so a failure is known by the stage it happened at
//! (see [`super::reply`]), and the connection left clean for the next one.

use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use lettre::address::Address;
use lettre::transport::smtp::commands::{Data, Mail, Quit, Rcpt, Rset};
use lettre::transport::smtp::extension::{Extension, MailBodyParameter, MailParameter};
use lettre::transport::smtp::Error as LettreError;
use tokio::time::timeout;

use super::connection::Connection;
use super::reply::{self, Accepted, SmtpFailure};

/// How one transaction ended, and what it means for the connection.
pub(crate) struct Delivery {
    pub result: Result<Accepted, SmtpFailure>,
    /// The connection is in a clean state and can take the next message.
    pub reusable: bool,
    /// The connection was already gone when MAIL was sent (closed, or 421
    /// in reply): a pooled connection the server closed while it sat idle.
    pub gone_before_mail: bool,
}

/// A step that did not succeed: the server replied 4xx/5xx, or the
/// connection broke (dropped, timed out, unreadable reply).
enum StepError {
    Reply(LettreError),
    Broken(String),
}

fn step<T>(
    outcome: Result<Result<T, LettreError>, tokio::time::error::Elapsed>,
    what: &str,
    limit: Duration,
) -> Result<T, StepError> {
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) if e.status().is_some() => Err(StepError::Reply(e)),
        Ok(Err(e)) => Err(StepError::Broken(format!(
            "{what}: {}",
            reply::describe(&e)
        ))),
        Err(_) => Err(StepError::Broken(format!(
            "no reply to {what} within {limit:?}"
        ))),
    }
}

/// Yields the body once and notes when lettre asks for more, which it does
/// only after the body was written and before it writes the terminating
/// "<CRLF>.<CRLF>": until then the server cannot have taken the message.
struct Body<'a> {
    part: Option<&'a [u8]>,
    written: &'a AtomicBool,
}

impl<'a> Iterator for Body<'a> {
    type Item = &'a [u8];
    fn next(&mut self) -> Option<&'a [u8]> {
        let part = self.part.take();
        if part.is_none() {
            self.written.store(true, Ordering::SeqCst);
        }
        part
    }
}

/// Parses an envelope address; a bad one fails the message, not the connection.
pub(crate) fn address(raw: &str, what: &str) -> Result<Address, SmtpFailure> {
    Address::from_str(raw.trim()).map_err(|e| SmtpFailure::Permanent {
        reply: format!("the {what} \"{raw}\" is not an address SMTP can send to: {e}"),
    })
}

impl Connection {
    /// One transaction: MAIL, RCPT, DATA, the body; classified by stage.
    pub(crate) async fn deliver(&mut self, from: &Address, to: &Address, raw: &[u8]) -> Delivery {
        let t = self.timeout;
        let mut parameters = Vec::new();
        // Internationalised addresses need SMTPUTF8 (RFC 6531); without it
        // the server could not take them, so the message fails here.
        let ascii = |a: &Address| AsRef::<str>::as_ref(a).is_ascii();
        if !(ascii(from) && ascii(to)) {
            if !self
                .smtp
                .server_info()
                .supports_feature(Extension::SmtpUtfEight)
            {
                return self.refused_before_body(SmtpFailure::Permanent {
                    reply: "the address is not ASCII and the server does not offer SMTPUTF8"
                        .to_owned(),
                });
            }
            parameters.push(MailParameter::SmtpUtfEight);
        }
        if !raw.is_ascii() {
            if !self
                .smtp
                .server_info()
                .supports_feature(Extension::EightBitMime)
            {
                return self.refused_before_body(SmtpFailure::Permanent {
                    reply: "the message has 8-bit content and the server does not offer 8BITMIME"
                        .to_owned(),
                });
            }
            parameters.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        let mail = timeout(
            t,
            self.smtp.command(Mail::new(Some(from.clone()), parameters)),
        )
        .await;
        match step(mail, "MAIL FROM", t) {
            Ok(_) => {}
            // A 421 here is a server that timed the idle connection out.
            Err(StepError::Reply(e)) if closing(&e) => {
                return Delivery {
                    result: Err(reply::before_body(&e)),
                    reusable: false,
                    gone_before_mail: true,
                }
            }
            Err(StepError::Reply(e)) => return self.after_refusal(&e).await,
            Err(StepError::Broken(detail)) => {
                return Delivery {
                    result: Err(SmtpFailure::transient(detail)),
                    reusable: false,
                    gone_before_mail: true,
                }
            }
        }
        let rcpt = timeout(t, self.smtp.command(Rcpt::new(to.clone(), Vec::new()))).await;
        if let Err(e) = step(rcpt, "RCPT TO", t) {
            return self.failed_before_body(e).await;
        }
        let data = timeout(t, self.smtp.command(Data)).await;
        if let Err(e) = step(data, "DATA", t) {
            return self.failed_before_body(e).await;
        }
        // lettre ends the body with "<CRLF>.<CRLF>"; a body that already
        // ends its last line gives that CRLF, so the server gets `raw` as is.
        let body = raw.strip_suffix(b"\r\n").unwrap_or(raw);
        let written = AtomicBool::new(false);
        let parts = Body {
            part: Some(body),
            written: &written,
        };
        let sent = timeout(t, self.smtp.message_iter(parts)).await;
        match step(sent, "the end of the message", t) {
            Ok(response) => Delivery {
                result: Ok(Accepted::from_reply(reply::reply_text(&response))),
                reusable: true,
                gone_before_mail: false,
            },
            // A reply to the body ends the transaction either way.
            Err(StepError::Reply(e)) => Delivery {
                reusable: !closing(&e),
                result: Err(reply::before_body(&e)),
                gone_before_mail: false,
            },
            Err(StepError::Broken(detail)) => Delivery {
                result: Err(if written.load(Ordering::SeqCst) {
                    SmtpFailure::Unknown { detail }
                } else {
                    SmtpFailure::transient(detail)
                }),
                reusable: false,
                gone_before_mail: false,
            },
        }
    }

    async fn failed_before_body(&mut self, error: StepError) -> Delivery {
        match error {
            StepError::Reply(e) => self.after_refusal(&e).await,
            StepError::Broken(detail) => Delivery {
                result: Err(SmtpFailure::transient(detail)),
                reusable: false,
                gone_before_mail: false,
            },
        }
    }

    /// The server refused a step: RSET so the connection can take the next
    /// message, unless the server said it is closing (421).
    async fn after_refusal(&mut self, e: &LettreError) -> Delivery {
        let failure = reply::before_body(e);
        if closing(e) {
            return Delivery {
                result: Err(failure),
                reusable: false,
                gone_before_mail: false,
            };
        }
        let reset = timeout(self.timeout, self.smtp.command(Rset)).await;
        Delivery {
            result: Err(failure),
            reusable: matches!(reset, Ok(Ok(_))),
            gone_before_mail: false,
        }
    }

    fn refused_before_body(&mut self, failure: SmtpFailure) -> Delivery {
        Delivery {
            result: Err(failure),
            reusable: true,
            gone_before_mail: false,
        }
    }

    /// Says goodbye; a server that does not answer is left behind.
    pub(crate) async fn quit(&mut self) {
        let _ = timeout(self.timeout, self.smtp.command(Quit)).await;
    }
}

/// 421: the server is closing the connection.
fn closing(e: &LettreError) -> bool {
    e.status().is_some_and(|code| code.to_string() == "421")
}
