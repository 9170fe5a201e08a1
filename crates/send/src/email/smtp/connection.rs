//! One SMTP connection: our own TCP socket with TCP_NODELAY (lettre's
//! connect leaves Nagle on, and its body and terminator go out as two
//! writes, so every message would wait for a delayed ACK), handed to
//! lettre's low-level client for EHLO, STARTTLS or implicit TLS, and AUTH;
//! then one transaction per message, command by command, so a failure is
//! known by the stage it happened at (see [`super::reply`]).

use std::io;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use lettre::address::Address;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream};
use lettre::transport::smtp::commands::{Data, Mail, Quit, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::transport::smtp::Error as LettreError;
use tokio::net::TcpStream;
use tokio::time::timeout;

use super::reply::{self, Accepted, SmtpFailure};
use super::settings::{Security, SmtpSettings};
use super::tls::{self, Trust};
use crate::secrets::Secret;

/// Everything needed to open an authenticated connection to the server.
#[derive(Debug, Clone)]
pub struct Endpoint {
    host: String,
    port: u16,
    security: Security,
    /// The username, and the password when one is saved.
    credentials: Option<(String, Option<Secret>)>,
    timeout: Duration,
    hello_name: String,
    trust: Trust,
}

impl Endpoint {
    /// The server in `settings`, with the password from the keychain (used
    /// only when the settings have a username), trusting the system's
    /// certificates.
    pub fn new(settings: &SmtpSettings, password: Option<Secret>) -> Endpoint {
        let credentials = settings.username().map(|user| (user.to_owned(), password));
        Endpoint {
            host: settings.host().to_owned(),
            port: settings.port(),
            security: settings.security(),
            credentials,
            timeout: settings.timeout(),
            // The sender's domain names the client in EHLO: a real domain,
            // and not the machine's name, which says nothing to the server.
            hello_name: settings.from_address().domain().to_owned(),
            trust: Trust::System,
        }
    }

    /// Trusts other certificates than the system's (a private CA, a test server).
    pub fn with_trust(mut self, trust: Trust) -> Endpoint {
        self.trust = trust;
        self
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Connects, greets, encrypts and authenticates as configured.
    pub(crate) async fn open(&self) -> Result<Connection, SetupFailure> {
        let t = self.timeout;
        let where_ = format!("{}:{}", self.host, self.port);
        let tcp = connect_tcp(&self.host, self.port, t)
            .await
            .map_err(|e| SetupFailure::broken(format!("could not connect to {where_}: {e}")))?;
        let stream: Box<dyn AsyncTokioStream> = match self.security {
            Security::ImplicitTls => Box::new(
                timeout(t, tls::implicit(tcp, &self.host, &self.trust))
                    .await
                    .map_err(|_| SetupFailure::timed_out("the TLS handshake", t))?
                    .map_err(SetupFailure::broken)?,
            ),
            Security::StartTls | Security::None => Box::new(tcp),
        };
        let hello = ClientId::Domain(self.hello_name.clone());
        let mut smtp = timeout(
            t,
            AsyncSmtpConnection::connect_with_transport(stream, &hello),
        )
        .await
        .map_err(|_| SetupFailure::timed_out("the greeting and EHLO", t))?
        .map_err(|e| SetupFailure::from_lettre(&e))?;
        if self.security == Security::StartTls {
            if !smtp.can_starttls() {
                return Err(SetupFailure::refused(format!(
                    "{where_} does not offer STARTTLS; choose TLS (usually port 465) if it \
                     expects encryption from the start"
                )));
            }
            let parameters = self
                .trust
                .starttls_parameters(&self.host)
                .map_err(SetupFailure::broken)?;
            timeout(t, smtp.starttls(parameters, &hello))
                .await
                .map_err(|_| SetupFailure::timed_out("STARTTLS", t))?
                .map_err(|e| SetupFailure::from_lettre(&e))?;
        }
        let mut authenticated = false;
        if let Some((user, password)) = &self.credentials {
            let offered = smtp
                .server_info()
                .get_auth_mechanism(&[Mechanism::Plain, Mechanism::Login]);
            if offered.is_none() {
                return Err(SetupFailure::refused(format!(
                    "{where_} does not offer AUTH PLAIN or LOGIN; leave the username empty if it \
                     takes mail without logging in"
                )));
            }
            let Some(password) = password else {
                return Err(SetupFailure::refused(format!(
                    "no SMTP password is saved for {user}; enter it in the email settings"
                )));
            };
            let credentials = Credentials::new(user.clone(), password.expose().to_owned());
            timeout(
                t,
                smtp.auth(&[Mechanism::Plain, Mechanism::Login], &credentials),
            )
            .await
            .map_err(|_| SetupFailure::timed_out("AUTH", t))?
            .map_err(|e| SetupFailure::from_lettre(&e))?;
            authenticated = true;
        }
        let report = ConnectionReport {
            server_name: smtp.server_info().name().to_owned(),
            encrypted: smtp.is_encrypted() || self.security == Security::ImplicitTls,
            authenticated,
        };
        Ok(Connection {
            smtp,
            timeout: t,
            report,
        })
    }
}

/// Opens a TCP connection with TCP_NODELAY set, trying each address `host`
/// resolves to.
pub async fn connect_tcp(host: &str, port: u16, limit: Duration) -> io::Result<TcpStream> {
    let tcp = timeout(limit, TcpStream::connect((host, port)))
        .await
        .map_err(|_| {
            io::Error::new(
                io::ErrorKind::TimedOut,
                format!("no answer within {limit:?}"),
            )
        })??;
    tcp.set_nodelay(true)?;
    Ok(tcp)
}

/// What a successful connection test found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionReport {
    /// The name the server gave in its EHLO reply.
    pub server_name: String,
    pub encrypted: bool,
    pub authenticated: bool,
}

/// Connects, greets, encrypts and authenticates as `endpoint` says, then
/// says QUIT. A failure carries the server's reply as it sent it ("535
/// 5.7.8 Authentication credentials invalid"); a 5xx is
/// [`SmtpFailure::Permanent`], anything else `Transient`.
pub async fn test_connection(endpoint: &Endpoint) -> Result<ConnectionReport, SmtpFailure> {
    let mut connection = endpoint.open().await.map_err(|f| {
        if f.permanent {
            SmtpFailure::Permanent { reply: f.reply }
        } else {
            SmtpFailure::Transient { reply: f.reply }
        }
    })?;
    connection.quit().await;
    Ok(connection.report)
}

/// Why a connection could not be set up. Nothing of any message was sent,
/// so for a send it is always safe to retry; `permanent` says whether the
/// server refused (5xx) rather than failed.
#[derive(Debug)]
pub(crate) struct SetupFailure {
    pub reply: String,
    pub permanent: bool,
}

impl SetupFailure {
    fn broken(reply: String) -> SetupFailure {
        SetupFailure {
            reply,
            permanent: false,
        }
    }
    fn refused(reply: String) -> SetupFailure {
        SetupFailure {
            reply,
            permanent: true,
        }
    }
    fn timed_out(what: &str, limit: Duration) -> SetupFailure {
        SetupFailure::broken(format!("no reply to {what} within {limit:?}"))
    }
    fn from_lettre(err: &LettreError) -> SetupFailure {
        SetupFailure {
            reply: reply::describe(err),
            permanent: reply::is_transient_reply(err) == Some(false),
        }
    }
}

/// How one transaction ended, and what it means for the connection.
pub(crate) struct Delivery {
    pub result: Result<Accepted, SmtpFailure>,
    /// The connection is in a clean state and can take the next message.
    pub reusable: bool,
    /// The connection was already gone when MAIL was sent: a pooled
    /// connection the server closed while idle.
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

/// An open, authenticated connection.
pub(crate) struct Connection {
    smtp: AsyncSmtpConnection,
    timeout: Duration,
    report: ConnectionReport,
}

impl Connection {
    /// One transaction: MAIL, RCPT, DATA, the body; classified by stage.
    pub(crate) async fn deliver(&mut self, from: &Address, to: &Address, raw: &[u8]) -> Delivery {
        let t = self.timeout;
        let mut parameters = Vec::new();
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
