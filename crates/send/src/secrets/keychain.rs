//! The OS keychain, through the `keyring` crate: the Keychain on macOS, the
//! Credential Manager on Windows, the Secret Service (GNOME Keyring, KWallet)
//! on Linux.
//!
//! Every entry is service `herald`, account `<workspace id>/<secret name>`:
//! the workspace id is a random id the workspace file keeps in its settings,
//! so two workspaces on one machine never read each other's keys, and a
//! workspace file that is moved keeps finding its own.

use herald_store::{settings, Store, StoreError};

use super::{Secret, SecretName, Secrets, SecretsError};

/// The keychain service name of every Herald entry.
pub const SERVICE: &str = "herald";

/// One workspace's entries in the OS keychain.
#[derive(Debug, Clone)]
pub struct Keychain {
    scope: String,
}

impl Keychain {
    /// The entries of the workspace with this id.
    pub fn new(workspace_id: impl Into<String>) -> Keychain {
        Keychain {
            scope: workspace_id.into(),
        }
    }

    /// The entries of this workspace (its id is created on first use).
    pub async fn for_workspace(store: &Store) -> Result<Keychain, StoreError> {
        Ok(Keychain::new(settings::workspace_id(store).await?))
    }

    /// The account an entry is stored under: `<workspace id>/<name>`.
    pub fn account(&self, name: SecretName) -> String {
        format!("{}/{}", self.scope, name.as_str())
    }

    fn entry(
        &self,
        name: SecretName,
        action: &'static str,
    ) -> Result<keyring::Entry, SecretsError> {
        keyring::Entry::new(SERVICE, &self.account(name)).map_err(|e| classify(e, action, name))
    }
}

impl Secrets for Keychain {
    fn get(&self, name: SecretName) -> Result<Option<Secret>, SecretsError> {
        match self.entry(name, "read")?.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(classify(e, "read", name)),
        }
    }

    fn set(&self, name: SecretName, value: &Secret) -> Result<(), SecretsError> {
        self.entry(name, "store")?
            .set_password(value.expose())
            .map_err(|e| classify(e, "store", name))
    }

    fn delete(&self, name: SecretName) -> Result<(), SecretsError> {
        match self.entry(name, "delete")?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(classify(e, "delete", name)),
        }
    }
}

/// Sorts a keychain error into what the user can do about it. The platform's
/// own text is kept (it names the service that failed, never a secret).
fn classify(err: keyring::Error, action: &'static str, name: SecretName) -> SecretsError {
    match err {
        keyring::Error::NoStorageAccess(cause) => {
            SecretsError::Unavailable(format!("{} ({cause})", locked_advice()))
        }
        keyring::Error::PlatformFailure(cause) => {
            SecretsError::Unavailable(format!("{} ({cause})", unreachable_advice()))
        }
        keyring::Error::BadEncoding(_) => SecretsError::Corrupt(name),
        other => SecretsError::Failed {
            action,
            name,
            reason: other.to_string(),
        },
    }
}

const NO_PLAIN_TEXT: &str = "Herald keeps relay keys only in the system keychain, never in a file";

#[cfg(target_os = "macos")]
fn unreachable_advice() -> String {
    format!(
        "the macOS Keychain could not be used: open Keychain Access, make sure the login \
         keychain exists and is unlocked, then try again. {NO_PLAIN_TEXT}"
    )
}

#[cfg(target_os = "windows")]
fn unreachable_advice() -> String {
    format!(
        "the Windows Credential Manager could not be used: make sure the Credential Manager \
         service is running and you are signed in to Windows, then try again. {NO_PLAIN_TEXT}"
    )
}

#[cfg(not(any(target_os = "macos", target_os = "windows")))]
fn unreachable_advice() -> String {
    format!(
        "no keychain is reachable: Herald needs a Secret Service on the session bus. Install \
         and unlock GNOME Keyring (package gnome-keyring) or turn on KWallet's Secret Service \
         integration, make sure you run Herald inside your desktop session, then try again. \
         {NO_PLAIN_TEXT}"
    )
}

fn locked_advice() -> String {
    format!(
        "the keychain is locked or refused access: unlock it (on Linux: GNOME Keyring's \
         \"Login\" keyring or KWallet; on macOS: the login keychain) and allow Herald, then \
         try again. {NO_PLAIN_TEXT}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_scoped_by_workspace() {
        let a = Keychain::new("ws-a");
        let b = Keychain::new("ws-b");
        assert_eq!(a.account(SecretName::RelayApiToken), "ws-a/relay-api-token");
        assert_ne!(
            a.account(SecretName::RelayApiToken),
            b.account(SecretName::RelayApiToken)
        );
    }

    #[test]
    fn an_unreachable_keychain_says_what_to_do() {
        let err = classify(
            keyring::Error::PlatformFailure("no session bus".into()),
            "store",
            SecretName::RelayApiToken,
        );
        let SecretsError::Unavailable(message) = &err else {
            panic!("expected Unavailable, got {err:?}");
        };
        assert!(message.contains("try again"), "{message}");
        assert!(message.contains("never in a file"), "{message}");
        assert!(message.contains("no session bus"), "{message}");
    }
}
