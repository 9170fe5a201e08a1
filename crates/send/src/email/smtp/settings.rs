//! The SMTP settings: which server campaign email goes through, as whom, and
//! how fast. Stored as JSON under the setting "email.smtp"; the password
//! only ever in the keychain ([`SecretName::SmtpPassword`]).
//!
//! [`SmtpSettingsInput`] is the form a person fills in (and what is stored);
//! [`SmtpSettings`] is the checked value the rest of the code takes, so a
//! connection is never attempted with settings nobody checked.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use herald_core::EmailAddress;
use herald_store::{settings, Store, StoreError};
use serde::{Deserialize, Serialize};

use crate::secrets::{Secret, SecretName, Secrets, SecretsError};

/// The settings key the input form is stored under.
pub const SETTINGS_KEY: &str = "email.smtp";

pub const DEFAULT_MESSAGES_PER_SECOND: f64 = 10.0;
pub const MAX_MESSAGES_PER_SECOND: f64 = 1000.0;
pub const DEFAULT_CONNECTIONS: u8 = 4;
pub const MAX_CONNECTIONS: u8 = 16;
pub const DEFAULT_TIMEOUT_SECONDS: u32 = 30;
pub const MAX_TIMEOUT_SECONDS: u32 = 600;

/// How the connection is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Security {
    /// Plain TCP upgraded with STARTTLS before AUTH (port 587). Refused when
    /// the server does not offer it: never a silent fall back to plain text.
    StartTls,
    /// TLS from the first byte (port 465).
    ImplicitTls,
    /// No encryption: only for a server on this machine (a local relay or
    /// a test server), where nothing crosses a network.
    None,
}

/// The settings as a person enters them, and as they are stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SmtpSettingsInput {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// Empty for a server without AUTH.
    pub username: String,
    pub from_name: String,
    pub from_address: String,
    /// Empty for none.
    pub reply_to: String,
    pub messages_per_second: f64,
    pub connections: u8,
    pub timeout_seconds: u32,
}

impl Default for SmtpSettingsInput {
    fn default() -> Self {
        SmtpSettingsInput {
            host: String::new(),
            port: 587,
            security: Security::StartTls,
            username: String::new(),
            from_name: String::new(),
            from_address: String::new(),
            reply_to: String::new(),
            messages_per_second: DEFAULT_MESSAGES_PER_SECOND,
            connections: DEFAULT_CONNECTIONS,
            timeout_seconds: DEFAULT_TIMEOUT_SECONDS,
        }
    }
}

/// Checked SMTP settings; made only by [`SmtpSettings::parse`].
#[derive(Debug, Clone, PartialEq)]
pub struct SmtpSettings {
    host: String,
    port: u16,
    security: Security,
    username: Option<String>,
    from_name: Option<String>,
    from_address: EmailAddress,
    reply_to: Option<EmailAddress>,
    messages_per_second: f64,
    connections: u8,
    timeout: Duration,
}

/// What can go wrong loading or saving the settings.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// A field is wrong; the message names it and says what is wrong.
    #[error("{field}: {problem}")]
    Invalid {
        field: &'static str,
        problem: String,
    },
    #[error(transparent)]
    Secrets(#[from] SecretsError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn invalid(field: &'static str, problem: impl Into<String>) -> SettingsError {
    SettingsError::Invalid {
        field,
        problem: problem.into(),
    }
}

/// True for the names that always mean this machine.
fn is_local(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

impl SmtpSettings {
    /// Checks the form; the error names the first field that is wrong.
    pub fn parse(input: &SmtpSettingsInput) -> Result<SmtpSettings, SettingsError> {
        let host = input.host.trim();
        if host.is_empty() {
            return Err(invalid("host", "the SMTP server's host name is empty"));
        }
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let is_name = host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
        if !is_name && host.parse::<IpAddr>().is_err() {
            return Err(invalid(
                "host",
                format!(
                    "\"{host}\" is not a host name; give the name alone, e.g. smtp.example.com"
                ),
            ));
        }
        if input.port == 0 {
            return Err(invalid("port", "the port cannot be 0"));
        }
        if input.security == Security::None && !is_local(host) {
            return Err(invalid(
                "security",
                format!(
                    "no encryption is allowed only for a server on this machine \
                     (localhost, 127.0.0.1, ::1), not for {host}; choose STARTTLS or TLS"
                ),
            ));
        }
        let from_address = EmailAddress::parse(input.from_address.trim())
            .map_err(|e| invalid("from_address", e.to_string()))?;
        let reply_to = optional(&input.reply_to)
            .map(|r| EmailAddress::parse(&r).map_err(|e| invalid("reply_to", e.to_string())))
            .transpose()?;
        let from_name = optional(&input.from_name);
        if from_name
            .as_deref()
            .is_some_and(|n| n.contains(['\r', '\n']))
        {
            return Err(invalid(
                "from_name",
                "the sender name cannot contain line breaks",
            ));
        }
        let rate = input.messages_per_second;
        if !(rate.is_finite() && rate > 0.0 && rate <= MAX_MESSAGES_PER_SECOND) {
            return Err(invalid(
                "messages_per_second",
                format!(
                    "the rate must be above 0 and at most {MAX_MESSAGES_PER_SECOND}, not {rate}"
                ),
            ));
        }
        if !(1..=MAX_CONNECTIONS).contains(&input.connections) {
            return Err(invalid(
                "connections",
                format!(
                    "between 1 and {MAX_CONNECTIONS} connections, not {}",
                    input.connections
                ),
            ));
        }
        if !(1..=MAX_TIMEOUT_SECONDS).contains(&input.timeout_seconds) {
            return Err(invalid(
                "timeout_seconds",
                format!(
                    "the timeout must be 1 to {MAX_TIMEOUT_SECONDS} seconds, not {}",
                    input.timeout_seconds
                ),
            ));
        }
        Ok(SmtpSettings {
            host: host.to_owned(),
            port: input.port,
            security: input.security,
            username: optional(&input.username),
            from_name,
            from_address,
            reply_to,
            messages_per_second: rate,
            connections: input.connections,
            timeout: Duration::from_secs(input.timeout_seconds.into()),
        })
    }

    /// The form these settings came from, to show or edit.
    pub fn to_input(&self) -> SmtpSettingsInput {
        SmtpSettingsInput {
            host: self.host.clone(),
            port: self.port,
            security: self.security,
            username: self.username.clone().unwrap_or_default(),
            from_name: self.from_name.clone().unwrap_or_default(),
            from_address: self.from_address.to_string(),
            reply_to: self
                .reply_to
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            messages_per_second: self.messages_per_second,
            connections: self.connections,
            timeout_seconds: u32::try_from(self.timeout.as_secs()).unwrap_or(MAX_TIMEOUT_SECONDS),
        }
    }

    pub fn host(&self) -> &str {
        &self.host
    }
    pub fn port(&self) -> u16 {
        self.port
    }
    pub fn security(&self) -> Security {
        self.security
    }
    /// `None` when the server takes mail without AUTH.
    pub fn username(&self) -> Option<&str> {
        self.username.as_deref()
    }
    pub fn from_name(&self) -> Option<&str> {
        self.from_name.as_deref()
    }
    pub fn from_address(&self) -> &EmailAddress {
        &self.from_address
    }
    pub fn reply_to(&self) -> Option<&EmailAddress> {
        self.reply_to.as_ref()
    }
    /// The most messages a second the engine should hand over.
    pub fn messages_per_second(&self) -> f64 {
        self.messages_per_second
    }
    /// The most connections open to the server at once.
    pub fn connections(&self) -> usize {
        self.connections.into()
    }
    /// How long any one step (connect, a command, the final reply) may take.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
}

/// The saved settings, `None` when email was never set up.
pub async fn load(store: &Store) -> Result<Option<SmtpSettings>, SettingsError> {
    let input: Option<SmtpSettingsInput> = settings::get(store, SETTINGS_KEY).await?;
    input.as_ref().map(SmtpSettings::parse).transpose()
}

/// The saved SMTP password, `None` when there is none.
pub async fn password(secrets: Arc<dyn Secrets>) -> Result<Option<Secret>, SettingsError> {
    let got = tokio::task::spawn_blocking(move || secrets.get(SecretName::SmtpPassword))
        .await
        .map_err(|e| SecretsError::Unavailable(format!("the keychain call did not finish: {e}")))?;
    Ok(got?)
}

/// What to do with the stored password on save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordChange {
    /// Leave it as it is (the form shows no password, only that one is set).
    Keep,
    Set(Secret),
    Remove,
}

/// Checks and saves the settings; the password goes to the keychain only.
/// A form without a username removes the stored password.
pub async fn save(
    store: &Store,
    secrets: Arc<dyn Secrets>,
    input: &SmtpSettingsInput,
    password: PasswordChange,
) -> Result<SmtpSettings, SettingsError> {
    let parsed = SmtpSettings::parse(input)?;
    let change = match (&parsed.username, password) {
        (None, _) => PasswordChange::Remove,
        (Some(_), PasswordChange::Set(p)) if p.expose().is_empty() => {
            return Err(invalid(
                "password",
                "the password is empty; leave it unchanged or enter one",
            ));
        }
        (Some(_), change) => change,
    };
    // The keychain first: when it is unavailable nothing is saved, rather
    // than settings that point at a password that is not there.
    if change != PasswordChange::Keep {
        tokio::task::spawn_blocking(move || match change {
            PasswordChange::Set(p) => secrets.set(SecretName::SmtpPassword, &p),
            PasswordChange::Remove => secrets.delete(SecretName::SmtpPassword),
            PasswordChange::Keep => Ok(()),
        })
        .await
        .map_err(|e| {
            SecretsError::Unavailable(format!("the keychain call did not finish: {e}"))
        })??;
    }
    settings::set(store, SETTINGS_KEY, &parsed.to_input()).await?;
    Ok(parsed)
}
