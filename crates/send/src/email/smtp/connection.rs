//! Opening an SMTP connection: our own TCP socket with TCP_NODELAY
//! (lettre's connect leaves Nagle on, and its body and terminator go out as
//! two writes, so every message would wait for a delayed ACK), handed to
//! lettre's low-level client for EHLO, STARTTLS or implicit TLS, and AUTH;
//! and the connection test built on it.

use std::io;
use std::time::Duration;

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::Error as LettreError;
use tokio::net::TcpStream;
use tokio::time::timeout;

use super::reply::{self, SmtpFailure};
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
    /// Always on outside benchmarks (see [`Endpoint::with_nodelay`]).
    pub(super) nodelay: bool,
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
            nodelay: true,
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
        if !self.nodelay {
            tcp.set_nodelay(false)
                .map_err(|e| SetupFailure::broken(format!("could not set up {where_}: {e}")))?;
        }
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

/// An open, authenticated connection; its transactions are in [`super::transaction`].
pub(crate) struct Connection {
    pub(super) smtp: AsyncSmtpConnection,
    pub(super) timeout: Duration,
    pub(super) report: ConnectionReport,
}
