//! Opening an SMTP connection: our own TCP socket with TCP_NODELAY
//! (lettre's connect leaves Nagle on, so every message would wait for a
//! delayed ACK), the greeting, EHLO, STARTTLS or implicit TLS, and AUTH, on
//! our own [`Session`] with lettre's commands and reply parser; and the
//! connection test built on it.

use std::future::Future;
use std::io;
use std::time::Duration;

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::commands::{Auth, Ehlo, Starttls};
use lettre::transport::smtp::extension::{ClientId, Extension, ServerInfo};
use lettre::transport::smtp::response::Response;
use lettre::transport::smtp::Error as LettreError;
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_rustls::client::TlsStream;

use super::reply::{self, SmtpFailure};
use super::session::{Session, StepError, Stream};
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
        let stream = match self.security {
            Security::ImplicitTls => Stream::Tls(Box::new(self.tls(tcp).await?)),
            Security::StartTls | Security::None => Stream::Plain(tcp),
        };
        let mut session = Session::new(stream);
        timed(t, "the greeting", session.reply("the greeting")).await?;
        let mut server = self.ehlo(&mut session).await?;
        if self.security == Security::StartTls {
            if !server.info.supports_feature(Extension::StartTls) {
                return Err(SetupFailure::refused(format!(
                    "{where_} does not offer STARTTLS; choose TLS (usually port 465) if it \
                     expects encryption from the start"
                )));
            }
            timed(t, "STARTTLS", session.command(&Starttls, "STARTTLS")).await?;
            let tcp = session.into_plain().map_err(SetupFailure::broken)?;
            session = Session::new(Stream::Tls(Box::new(self.tls(tcp).await?)));
            // RFC 3207 §4.2: what the server said before TLS no longer counts.
            server = self.ehlo(&mut session).await?;
        }
        let mut authenticated = false;
        if let Some((user, password)) = &self.credentials {
            let Some(mechanism) = server
                .info
                .get_auth_mechanism(&[Mechanism::Plain, Mechanism::Login])
            else {
                return Err(SetupFailure::refused(format!(
                    "{where_} does not offer AUTH PLAIN or LOGIN; leave the username empty if it \
                     takes mail without logging in"
                )));
            };
            let Some(password) = password else {
                return Err(SetupFailure::refused(format!(
                    "no SMTP password is saved for {user}; enter it in the email settings"
                )));
            };
            let credentials = Credentials::new(user.clone(), password.expose().to_owned());
            timeout(t, authenticate(&mut session, mechanism, credentials))
                .await
                .map_err(|_| SetupFailure::timed_out("AUTH", t))??;
            authenticated = true;
        }
        let report = ConnectionReport {
            server_name: server.info.name().to_owned(),
            encrypted: session.is_tls(),
            authenticated,
        };
        Ok(Connection {
            session,
            server,
            timeout: t,
            report,
        })
    }

    async fn tls(&self, tcp: TcpStream) -> Result<TlsStream<TcpStream>, SetupFailure> {
        timeout(self.timeout, tls::handshake(tcp, &self.host, &self.trust))
            .await
            .map_err(|_| SetupFailure::timed_out("the TLS handshake", self.timeout))?
            .map_err(SetupFailure::broken)
    }

    async fn ehlo(&self, session: &mut Session) -> Result<Server, SetupFailure> {
        let hello = Ehlo::new(ClientId::Domain(self.hello_name.clone()));
        let reply = timed(self.timeout, "EHLO", session.command(&hello, "EHLO")).await?;
        Server::from_ehlo(&reply).map_err(|e| SetupFailure::broken(format!("EHLO: {e}")))
    }
}

/// Runs `step` within `limit`; a refusal keeps the server's reply.
async fn timed<T>(
    limit: Duration,
    what: &str,
    step: impl Future<Output = Result<T, StepError>>,
) -> Result<T, SetupFailure> {
    timeout(limit, step)
        .await
        .map_err(|_| SetupFailure::timed_out(what, limit))?
        .map_err(SetupFailure::from_step)
}

/// AUTH as lettre's own client drives it: the first line (with the initial
/// response for PLAIN), then an answer to each 334 challenge (LOGIN asks
/// for the username, then the password), at most ten.
async fn authenticate(
    session: &mut Session,
    mechanism: Mechanism,
    credentials: Credentials,
) -> Result<(), SetupFailure> {
    let lettre_error = |e: LettreError| SetupFailure::broken(format!("AUTH {mechanism}: {e}"));
    let first = Auth::new(mechanism, credentials.clone(), None).map_err(lettre_error)?;
    let mut reply = session
        .command(&first, "AUTH")
        .await
        .map_err(SetupFailure::from_step)?;
    for _ in 0..10 {
        if !reply.has_code(334) {
            return Ok(());
        }
        let answer = Auth::new_from_response(mechanism, credentials.clone(), &reply)
            .map_err(lettre_error)?;
        reply = session
            .command(&answer, "AUTH")
            .await
            .map_err(SetupFailure::from_step)?;
    }
    Err(SetupFailure::broken(format!(
        "AUTH {mechanism}: the server kept asking for more"
    )))
}

/// What the server's EHLO reply offers.
#[derive(Debug)]
pub(crate) struct Server {
    pub info: ServerInfo,
    /// RFC 2920: MAIL, RCPT and DATA may go out together. lettre's
    /// `ServerInfo` does not track it, so it is read here.
    pub pipelining: bool,
}

impl Server {
    fn from_ehlo(reply: &Response) -> Result<Server, LettreError> {
        let info = ServerInfo::from_response(reply)?;
        let pipelining = reply.message().skip(1).any(|line| {
            line.split_whitespace()
                .next()
                .is_some_and(|word| word.eq_ignore_ascii_case("PIPELINING"))
        });
        Ok(Server { info, pipelining })
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
    fn from_step(err: StepError) -> SetupFailure {
        match err {
            StepError::Refused(response) => SetupFailure {
                reply: reply::reply_text(&response),
                permanent: reply::is_permanent(&response),
            },
            StepError::Broken(detail) => SetupFailure::broken(detail),
        }
    }
}

/// An open, authenticated connection; its transactions are in [`super::transaction`].
pub(crate) struct Connection {
    pub(super) session: Session,
    pub(super) server: Server,
    pub(super) timeout: Duration,
    pub(super) report: ConnectionReport,
}
