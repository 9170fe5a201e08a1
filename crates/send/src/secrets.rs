//! Secrets (relay keys and token, the SMTP password, DKIM and SMS provider keys)
//! and where they are kept: the OS keychain, never the workspace file.
//!
//! [`Secrets`] is the port the rest of Herald uses; [`Keychain`] is the real
//! one (macOS Keychain, Windows Credential Manager, the Secret Service on
//! Linux) and [`MemorySecrets`] the one unit tests use. When no keychain is
//! reachable, calls fail with [`SecretsError::Unavailable`], whose message
//! says what to do: there is no plain-text fallback.
//!
//! ```
//! use herald_send::secrets::{MemorySecrets, Secret, SecretName, Secrets};
//!
//! let secrets = MemorySecrets::default();
//! secrets.set(SecretName::RelayApiToken, &Secret::new("t0ken".into()))?;
//! let token = secrets.get(SecretName::RelayApiToken)?.expect("just stored");
//! assert_eq!(token.expose(), "t0ken");
//! assert_eq!(format!("{token:?}"), "Secret(<redacted>)");
//! # Ok::<(), herald_send::secrets::SecretsError>(())
//! ```

mod keychain;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, PoisonError};

use zeroize::Zeroize;

pub use keychain::Keychain;

/// The secrets Herald keeps, one keychain entry each per workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SecretName {
    /// The key the desktop signs tracking and unsubscribe tokens with
    /// (`<id>:<base64url>`, docs/relay.md).
    RelaySigningKey,
    /// The key before the last rotation, still accepted by the relay.
    RelayPreviousSigningKey,
    /// The bearer token the desktop pulls events from the relay with.
    RelayApiToken,
    /// The password for the SMTP server in the email settings.
    SmtpPassword,
    /// The private key campaign email is DKIM-signed with.
    DkimKey,
    /// The auth token of the Twilio account in the SMS settings.
    TwilioAuthToken,
    /// The API secret of the Vonage API key in the SMS settings.
    VonageApiSecret,
    /// The private key (PEM) of the Vonage application the Messages API
    /// signs its JWTs with, when the SMS settings name an application.
    VonagePrivateKey,
}

impl SecretName {
    pub const ALL: &'static [SecretName] = &[
        SecretName::RelaySigningKey,
        SecretName::RelayPreviousSigningKey,
        SecretName::RelayApiToken,
        SecretName::SmtpPassword,
        SecretName::DkimKey,
        SecretName::TwilioAuthToken,
        SecretName::VonageApiSecret,
        SecretName::VonagePrivateKey,
    ];

    /// The name in the keychain entry's account (`<workspace>/<name>`).
    pub fn as_str(self) -> &'static str {
        match self {
            SecretName::RelaySigningKey => "relay-signing-key",
            SecretName::RelayPreviousSigningKey => "relay-previous-signing-key",
            SecretName::RelayApiToken => "relay-api-token",
            SecretName::SmtpPassword => "smtp-password",
            SecretName::DkimKey => "dkim-key",
            SecretName::TwilioAuthToken => "twilio-auth-token",
            SecretName::VonageApiSecret => "vonage-api-secret",
            SecretName::VonagePrivateKey => "vonage-private-key",
        }
    }
}

impl fmt::Display for SecretName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secret value. `Debug` and `Display` print `<redacted>`, so a secret in
/// a struct that is logged or shown in an error stays hidden; the text is
/// wiped from memory when the value is dropped. [`Secret::expose`] is the
/// one way to the text, for the moment it is sent or shown on purpose.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Secret {
        Secret(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// What can go wrong with a secret. Messages name the secret, never its value.
#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    /// No keychain answered, or it is locked. The message says what to do.
    #[error("{0}")]
    Unavailable(String),
    /// The entry exists but does not hold text Herald wrote.
    #[error("the keychain entry for {0} is unreadable; generate the relay keys again")]
    Corrupt(SecretName),
    /// The keychain answered with an error.
    #[error("the keychain could not {action} {name}: {reason}")]
    Failed {
        action: &'static str,
        name: SecretName,
        reason: String,
    },
}

/// Where secrets are kept. Implementations block (the OS keychains are
/// synchronous): async code calls them from `spawn_blocking`.
pub trait Secrets: Send + Sync + fmt::Debug {
    /// The secret, or `None` when it was never set (or was deleted).
    fn get(&self, name: SecretName) -> Result<Option<Secret>, SecretsError>;
    /// Stores or replaces the secret.
    fn set(&self, name: SecretName, value: &Secret) -> Result<(), SecretsError>;
    /// Removes the secret; removing one that is not there is not an error.
    fn delete(&self, name: SecretName) -> Result<(), SecretsError>;
}

/// Secrets in a map, for tests and for callers that hold keys only briefly.
#[derive(Debug, Default)]
pub struct MemorySecrets {
    values: Mutex<HashMap<SecretName, Secret>>,
}

impl MemorySecrets {
    fn values(&self) -> std::sync::MutexGuard<'_, HashMap<SecretName, Secret>> {
        self.values.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Secrets for MemorySecrets {
    fn get(&self, name: SecretName) -> Result<Option<Secret>, SecretsError> {
        Ok(self.values().get(&name).cloned())
    }

    fn set(&self, name: SecretName, value: &Secret) -> Result<(), SecretsError> {
        self.values().insert(name, value.clone());
        Ok(())
    }

    fn delete(&self, name: SecretName) -> Result<(), SecretsError> {
        self.values().remove(&name);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_prints_its_value() {
        let secret = Secret::new("hunter2-very-secret".into());
        let shown = format!("{secret} {secret:?} {:?}", Some(&secret));
        assert!(!shown.contains("hunter2"), "{shown}");
        assert_eq!(secret.expose(), "hunter2-very-secret");
    }

    #[test]
    fn memory_secrets_set_get_replace_and_delete() {
        let secrets = MemorySecrets::default();
        assert_eq!(secrets.get(SecretName::RelayApiToken).unwrap(), None);
        secrets
            .set(SecretName::RelayApiToken, &Secret::new("one".into()))
            .unwrap();
        secrets
            .set(SecretName::RelayApiToken, &Secret::new("two".into()))
            .unwrap();
        assert_eq!(
            secrets.get(SecretName::RelayApiToken).unwrap(),
            Some(Secret::new("two".into()))
        );
        assert_eq!(secrets.get(SecretName::RelaySigningKey).unwrap(), None);
        secrets.delete(SecretName::RelayApiToken).unwrap();
        secrets.delete(SecretName::RelayApiToken).unwrap();
        assert_eq!(secrets.get(SecretName::RelayApiToken).unwrap(), None);
    }

    #[test]
    fn secret_names_are_distinct() {
        let mut names: Vec<&str> = SecretName::ALL.iter().map(|n| n.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), SecretName::ALL.len());
    }
}
