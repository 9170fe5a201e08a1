//! The real SMTP server the SMTP tests talk to: aiosmtpd, through
//! scripts/smtpd/server.py, one server per test on its own free port with
//! its own maildir. `HERALD_TEST_SMTPD` names the Python that has aiosmtpd
//! (scripts/with-services.sh sets it); without it the tests say so loudly
//! and return.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use herald_send::email::smtp::{Endpoint, Security, SmtpSettings, SmtpSettingsInput, Trust};
use herald_send::secrets::Secret;
use tempfile::TempDir;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub const USER: &str = "herald";
pub const PASSWORD: &str = "correct horse battery staple";
pub const FROM: &str = "news@herald.test";

/// How the test server encrypts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encryption {
    None,
    StartTls,
    Implicit,
}

/// What the test server is started with.
#[derive(Debug, Clone)]
pub struct Options {
    pub auth: bool,
    pub tls: Encryption,
    /// Offer PIPELINING (RFC 2920), which aiosmtpd itself does not announce.
    pub pipelining: bool,
    /// Offer only this AUTH mechanism ("PLAIN" or "LOGIN") instead of both.
    pub auth_only: Option<&'static str>,
    pub faults: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            auth: false,
            tls: Encryption::None,
            pipelining: false,
            auth_only: None,
            faults: Vec::new(),
        }
    }
}

impl Options {
    pub fn fault(mut self, rule: &str) -> Options {
        self.faults.push(rule.to_owned());
        self
    }

    pub fn pipelining(mut self) -> Options {
        self.pipelining = true;
        self
    }
}

/// A running aiosmtpd; killed when dropped.
pub struct Smtpd {
    _child: Child,
    pub port: u16,
    pub options: Options,
    /// The self-signed certificate (DER) when the server speaks TLS.
    pub certificate: Option<Vec<u8>>,
    dir: TempDir,
}

/// One message the server kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    /// The server's number for the TCP connection the message came on.
    pub connection: u64,
    pub tls: bool,
    pub auth_user: Option<String>,
    /// RCPT and DATA had arrived with MAIL, in one write.
    pub pipelined: bool,
    /// The message as the server decoded it (dots unstuffed).
    pub raw: Vec<u8>,
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/smtpd/server.py")
}

impl Smtpd {
    /// Starts a server, or `None` (having said why) when the test
    /// environment has no aiosmtpd.
    pub async fn start(options: Options) -> Option<Smtpd> {
        let Ok(python) = std::env::var("HERALD_TEST_SMTPD") else {
            eprintln!(
                "\n*** SKIPPING an SMTP test: HERALD_TEST_SMTPD is not set. Run under \
                 scripts/with-services.sh (make test does) after scripts/install-deps.sh. ***\n"
            );
            return None;
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let mut command = Command::new(python);
        command
            .arg(script())
            .arg("--port")
            .arg("0")
            .arg("--maildir")
            .arg(dir.path().join("mail"));
        if options.auth {
            command.arg("--auth").arg(format!("{USER}:{PASSWORD}"));
        }
        if let Some(mechanism) = options.auth_only {
            command.arg("--auth-only").arg(mechanism);
        }
        let mut certificate = None;
        if options.tls != Encryption::None {
            let key = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()])
                .expect("a self-signed certificate");
            let cert_path = dir.path().join("cert.pem");
            let key_path = dir.path().join("key.pem");
            std::fs::write(&cert_path, key.cert.pem()).expect("writing the certificate");
            std::fs::write(&key_path, key.signing_key.serialize_pem()).expect("writing the key");
            certificate = Some(key.cert.der().to_vec());
            let flag = match options.tls {
                Encryption::StartTls => "--starttls",
                _ => "--implicit-tls",
            };
            command.arg(flag).arg(cert_path).arg(key_path);
        }
        if options.pipelining {
            command.arg("--pipelining");
        }
        for fault in &options.faults {
            command.arg("--fault").arg(fault);
        }
        let mut child = command
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("starting scripts/smtpd/server.py");
        let stdout = child.stdout.take().expect("the server's stdout");
        let mut line = String::new();
        // A guard against a hung start, not a timing assertion.
        tokio::time::timeout(
            Duration::from_secs(30),
            BufReader::new(stdout).read_line(&mut line),
        )
        .await
        .expect("the test SMTP server did not start within 30 s")
        .expect("reading the server's output");
        let port = line
            .trim()
            .strip_prefix("READY ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the test SMTP server said {line:?}, not READY <port>"));
        Some(Smtpd {
            _child: child,
            port,
            options,
            certificate,
            dir,
        })
    }

    /// The settings form pointing at this server.
    pub fn input(&self) -> SmtpSettingsInput {
        SmtpSettingsInput {
            host: "127.0.0.1".into(),
            port: self.port,
            security: match self.options.tls {
                Encryption::None => Security::None,
                Encryption::StartTls => Security::StartTls,
                Encryption::Implicit => Security::ImplicitTls,
            },
            username: if self.options.auth {
                USER.into()
            } else {
                String::new()
            },
            from_address: FROM.into(),
            ..SmtpSettingsInput::default()
        }
    }

    /// An endpoint with the right password that trusts this server's certificate.
    pub fn endpoint(&self) -> Endpoint {
        self.endpoint_with_password(PASSWORD)
    }

    pub fn endpoint_with_password(&self, password: &str) -> Endpoint {
        let settings = SmtpSettings::parse(&self.input()).expect("test settings are valid");
        let endpoint = Endpoint::new(&settings, Some(Secret::new(password.to_owned())));
        match &self.certificate {
            Some(der) => endpoint.with_trust(Trust::Only(vec![der.clone()])),
            None => endpoint,
        }
    }

    /// The messages kept so far, in the order they arrived.
    pub fn received(&self) -> Vec<Received> {
        let mail = self.dir.path().join("mail");
        let mut stems: Vec<PathBuf> = std::fs::read_dir(&mail)
            .map(|entries| {
                entries
                    .map(|e| e.expect("a maildir entry").path())
                    .filter(|p| p.extension().is_some_and(|x| x == "json"))
                    .collect()
            })
            .unwrap_or_default();
        stems.sort();
        stems
            .iter()
            .map(|json| {
                let meta: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(json).expect("reading metadata"))
                        .expect("metadata is JSON");
                let raw = std::fs::read(json.with_extension("eml")).expect("reading a message");
                Received {
                    mail_from: meta["mail_from"].as_str().unwrap_or_default().to_owned(),
                    rcpt_tos: meta["rcpt_tos"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|v| v.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default(),
                    connection: meta["connection"].as_u64().expect("a connection number"),
                    tls: meta["tls"].as_bool().unwrap_or(false),
                    auth_user: meta["auth_user"].as_str().map(str::to_owned),
                    pipelined: meta["pipelined"].as_bool().unwrap_or(false),
                    raw,
                }
            })
            .collect()
    }
}

/// A small message as the composer would hand it over.
pub fn message(to: &str, subject: &str) -> Vec<u8> {
    format!(
        "From: Herald <{FROM}>\r\nTo: <{to}>\r\nSubject: {subject}\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nHello {to}.\r\n"
    )
    .into_bytes()
}
