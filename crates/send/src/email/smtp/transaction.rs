//! One message on an open connection: MAIL, RCPT and DATA (in one write
//! when the server offers PIPELINING, RFC 2920, else command by command),
//! then the body and its terminator in one write. A failure is known by the
//! stage whose reply failed (see [`super::reply`]), and the connection is
//! left clean for the next message.

use std::fmt::Display;
use std::future::Future;
use std::str::FromStr;
use std::time::Duration;

use lettre::address::Address;
use lettre::transport::smtp::commands::{Data, Mail, Quit, Rcpt, Rset};
use lettre::transport::smtp::extension::{Extension, MailBodyParameter, MailParameter};
use lettre::transport::smtp::response::Response;
use tokio::time::timeout;

use super::connection::Connection;
use super::dotstuff;
use super::reply::{self, Accepted, SmtpFailure};
use super::session::{BodyProgress, StepError};

/// How one transaction ended, and what it means for the connection.
pub(crate) struct Delivery {
    pub result: Result<Accepted, SmtpFailure>,
    /// The connection is in a clean state and can take the next message.
    pub reusable: bool,
    /// The connection was already gone when MAIL was sent (closed, or 421
    /// in reply): a pooled connection the server closed while it sat idle.
    pub gone_before_mail: bool,
}

impl Delivery {
    fn failed(failure: SmtpFailure, reusable: bool) -> Delivery {
        Delivery {
            result: Err(failure),
            reusable,
            gone_before_mail: false,
        }
    }

    /// Nothing reached a server that was still there: the pool moves the
    /// message to another connection when this one came from the pool.
    fn gone(failure: SmtpFailure) -> Delivery {
        Delivery {
            result: Err(failure),
            reusable: false,
            gone_before_mail: true,
        }
    }
}

/// Runs one step within `limit`; running out of time is a broken connection.
async fn timed<T>(
    limit: Duration,
    what: &str,
    step: impl Future<Output = Result<T, StepError>>,
) -> Result<T, StepError> {
    timeout(limit, step).await.unwrap_or_else(|_| {
        Err(StepError::Broken(format!(
            "no reply to {what} within {limit:?}"
        )))
    })
}

/// Parses an envelope address; a bad one fails the message, not the connection.
pub(crate) fn address(raw: &str, what: &str) -> Result<Address, SmtpFailure> {
    Address::from_str(raw.trim()).map_err(|e| SmtpFailure::Permanent {
        reply: format!("the {what} \"{raw}\" is not an address SMTP can send to: {e}"),
    })
}

/// 421: the server is closing the connection.
fn closing(response: &Response) -> bool {
    response.has_code(421)
}

impl Connection {
    /// One transaction: MAIL, RCPT, DATA, the body; classified by stage.
    pub(crate) async fn deliver(&mut self, from: &Address, to: &Address, raw: &[u8]) -> Delivery {
        // One pass over the body for its 8-bit check and whether it needs
        // dot-stuffing (dotstuff::scan).
        let scan = dotstuff::scan(raw);
        let parameters = match self.mail_parameters(from, to, scan.ascii) {
            Ok(parameters) => parameters,
            // Nothing was sent: the connection is as clean as before.
            Err(failure) => return Delivery::failed(failure, true),
        };
        let mail = Mail::new(Some(from.clone()), parameters);
        let rcpt = Rcpt::new(to.clone(), Vec::new());
        let envelope = if self.server.pipelining {
            self.envelope_pipelined(&mail, &rcpt).await
        } else {
            self.envelope_step_by_step(&mail, &rcpt).await
        };
        match envelope {
            Ok(()) => self.body(raw, scan.plain).await,
            Err(delivery) => delivery,
        }
    }

    /// SMTPUTF8 for internationalised addresses (RFC 6531), 8BITMIME for
    /// 8-bit content (RFC 6152); a server without them cannot take the message.
    fn mail_parameters(
        &self,
        from: &Address,
        to: &Address,
        ascii_body: bool,
    ) -> Result<Vec<MailParameter>, SmtpFailure> {
        let offers = |extension| self.server.info.supports_feature(extension);
        let mut parameters = Vec::new();
        let ascii = |a: &Address| AsRef::<str>::as_ref(a).is_ascii();
        if !(ascii(from) && ascii(to)) {
            if !offers(Extension::SmtpUtfEight) {
                return Err(SmtpFailure::Permanent {
                    reply: "the address is not ASCII and the server does not offer SMTPUTF8"
                        .to_owned(),
                });
            }
            parameters.push(MailParameter::SmtpUtfEight);
        }
        if !ascii_body {
            if !offers(Extension::EightBitMime) {
                return Err(SmtpFailure::Permanent {
                    reply: "the message has 8-bit content and the server does not offer 8BITMIME"
                        .to_owned(),
                });
            }
            parameters.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        Ok(parameters)
    }

    async fn command(
        &mut self,
        command: &(dyn Display + Sync),
        what: &str,
    ) -> Result<Response, StepError> {
        timed(self.timeout, what, self.session.command(command, what)).await
    }

    /// MAIL, RCPT, DATA one at a time, each waiting for its reply.
    async fn envelope_step_by_step(&mut self, mail: &Mail, rcpt: &Rcpt) -> Result<(), Delivery> {
        match self.command(mail, "MAIL FROM").await {
            Ok(_) => {}
            // A 421 here is a server that timed the idle connection out.
            Err(StepError::Refused(r)) if closing(&r) => {
                return Err(Delivery::gone(reply::refusal(&r)))
            }
            Err(StepError::Refused(r)) => return Err(self.after_refusal(&r).await),
            Err(StepError::Broken(detail)) => {
                return Err(Delivery::gone(SmtpFailure::transient(detail)))
            }
        }
        for (command, what) in [(rcpt as &(dyn Display + Sync), "RCPT TO"), (&Data, "DATA")] {
            match self.command(command, what).await {
                Ok(_) => {}
                Err(StepError::Refused(r)) => return Err(self.after_refusal(&r).await),
                Err(StepError::Broken(detail)) => {
                    return Err(Delivery::failed(SmtpFailure::transient(detail), false))
                }
            }
        }
        Ok(())
    }

    /// MAIL, RCPT and DATA in one write, then their three replies in order
    /// (RFC 2920). The first refusal names the failure; the replies after
    /// it are still read so the connection stays in step.
    async fn envelope_pipelined(&mut self, mail: &Mail, rcpt: &Rcpt) -> Result<(), Delivery> {
        let t = self.timeout;
        let sent = timeout(t, self.session.send(&[mail, rcpt, &Data])).await;
        match sent {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                return Err(Delivery::gone(SmtpFailure::transient(format!(
                    "MAIL FROM: {e}"
                ))))
            }
            Err(_) => {
                return Err(Delivery::gone(SmtpFailure::transient(format!(
                    "MAIL FROM could not be sent within {t:?}"
                ))))
            }
        }
        let mut refused: Option<Response> = None;
        let mut data_accepted = false;
        for what in ["MAIL FROM", "RCPT TO", "DATA"] {
            match timed(t, what, self.session.reply(what)).await {
                Ok(_) => data_accepted = what == "DATA",
                Err(StepError::Refused(r)) if closing(&r) => {
                    let failure = reply::refusal(refused.as_ref().unwrap_or(&r));
                    return Err(if what == "MAIL FROM" {
                        Delivery::gone(failure)
                    } else {
                        Delivery::failed(failure, false)
                    });
                }
                Err(StepError::Refused(r)) => {
                    refused.get_or_insert(r);
                }
                Err(StepError::Broken(detail)) => {
                    let failure = match &refused {
                        Some(r) => reply::refusal(r),
                        None => SmtpFailure::transient(detail),
                    };
                    return Err(if what == "MAIL FROM" {
                        Delivery::gone(failure)
                    } else {
                        Delivery::failed(failure, false)
                    });
                }
            }
        }
        let Some(refusal) = refused else {
            return Ok(());
        };
        let failure = reply::refusal(&refusal);
        if data_accepted {
            // DATA was taken although MAIL or RCPT was not: end the empty
            // message (RFC 2920 §3.1); a server must refuse it, having no
            // recipient. Only then can RSET follow.
            let ended = timed(t, "the empty message", async {
                self.session
                    .send(&[&".\r\n"])
                    .await
                    .map_err(|e| StepError::Broken(format!("the empty message: {e}")))?;
                self.session.reply("the empty message").await
            })
            .await;
            if matches!(ended, Err(StepError::Broken(_))) {
                return Err(Delivery::failed(failure, false));
            }
        }
        Err(self.after_refusal(&refusal).await)
    }

    /// The body and its terminator, then the final reply.
    async fn body(&mut self, raw: &[u8], plain: bool) -> Delivery {
        let mut progress = BodyProgress::default();
        let sent = timeout(self.timeout, async {
            self.session
                .send_body(raw, plain, &mut progress)
                .await
                .map_err(|e| StepError::Broken(format!("the message: {e}")))?;
            self.session.reply("the end of the message").await
        })
        .await
        .unwrap_or_else(|_| {
            Err(StepError::Broken(format!(
                "no reply to the end of the message within {:?}",
                self.timeout
            )))
        });
        match sent {
            Ok(response) => Delivery {
                result: Ok(Accepted::from_reply(reply::reply_text(&response))),
                reusable: true,
                gone_before_mail: false,
            },
            // A reply to the body ends the transaction either way.
            Err(StepError::Refused(r)) => Delivery::failed(reply::refusal(&r), !closing(&r)),
            Err(StepError::Broken(detail)) => Delivery::failed(
                if progress.terminator_sent() {
                    SmtpFailure::Unknown { detail }
                } else {
                    SmtpFailure::transient(detail)
                },
                false,
            ),
        }
    }

    /// The server refused a step: RSET so the connection can take the next
    /// message, unless the server said it is closing (421).
    async fn after_refusal(&mut self, refusal: &Response) -> Delivery {
        let failure = reply::refusal(refusal);
        if closing(refusal) {
            return Delivery::failed(failure, false);
        }
        let reset = self.command(&Rset, "RSET").await;
        Delivery::failed(failure, reset.is_ok())
    }

    /// Says goodbye; a server that does not answer is left behind.
    pub(crate) async fn quit(&mut self) {
        let _ = self.command(&Quit, "QUIT").await;
    }
}
