//! How herald-send's errors (keychain, relay keys, the relay client, the
//! sync) map onto the command error. Their messages name secrets, never
//! hold them (herald-send makes sure of that); the few worded for the CLI
//! (`--rotate`, `herald relay keys`) are reworded for the settings page.

use herald_send::keys::KeysError;
use herald_send::relay::RelayError;
use herald_send::secrets::SecretsError;
use herald_send::sync::SyncError;

use super::{CommandError, ErrorKind};

impl From<SecretsError> for CommandError {
    fn from(err: SecretsError) -> Self {
        match err {
            SecretsError::Unavailable(message) => {
                CommandError::of_kind(ErrorKind::KeychainUnavailable, message)
            }
            other @ (SecretsError::Corrupt(_) | SecretsError::Failed { .. }) => {
                CommandError::of_kind(ErrorKind::Keychain, other.to_string())
            }
        }
    }
}

impl From<KeysError> for CommandError {
    fn from(err: KeysError) -> Self {
        match err {
            KeysError::AlreadyExist(id) => CommandError::conflict(format!(
                "this workspace already has relay keys (signing key {id}); rotate the signing \
                 key instead, so that links in mail already sent keep working"
            )),
            KeysError::NothingToRotate => {
                CommandError::conflict(KeysError::NothingToRotate.to_string())
            }
            KeysError::Unreadable(_) => CommandError::of_kind(ErrorKind::Keychain, err.to_string()),
            KeysError::Secrets(secrets) => secrets.into(),
        }
    }
}

impl From<RelayError> for CommandError {
    fn from(err: RelayError) -> Self {
        match err {
            // The field's own message, without the CLI's "relay URL: " prefix.
            RelayError::InvalidUrl(message) => CommandError::validation("url", message),
            RelayError::Unauthorized { url } => CommandError::of_kind(
                ErrorKind::Relay,
                format!(
                    "the relay at {url} refused this computer's API token: the api_token in \
                     the relay's configuration is not the one Herald generated. Put the lines \
                     shown when the keys were generated into the relay and restart it"
                ),
            ),
            other @ (RelayError::Unreachable { .. } | RelayError::BadResponse { .. }) => {
                CommandError::of_kind(ErrorKind::Relay, other.to_string())
            }
        }
    }
}

impl From<SyncError> for CommandError {
    fn from(err: SyncError) -> Self {
        match err {
            SyncError::NotConfigured(_) => CommandError::conflict(err.to_string()),
            SyncError::Relay(relay) => relay.into(),
            SyncError::Secrets(secrets) => secrets.into(),
            SyncError::Store(store) => store.into(),
            SyncError::Stopped => CommandError::internal(&anyhow::Error::new(err)),
        }
    }
}

#[cfg(test)]
mod tests {
    use herald_send::secrets::SecretName;

    use super::*;

    #[test]
    fn an_unreachable_keychain_has_its_own_kind_and_keeps_the_advice() {
        let err: CommandError =
            SecretsError::Unavailable("no keychain is reachable: install GNOME Keyring".into())
                .into();
        assert_eq!(err.kind, ErrorKind::KeychainUnavailable);
        assert_eq!(
            err.message,
            "No keychain is reachable: install GNOME Keyring"
        );
        let err: CommandError =
            KeysError::Secrets(SecretsError::Corrupt(SecretName::RelaySigningKey)).into();
        assert_eq!(err.kind, ErrorKind::Keychain);
        assert!(err.message.contains("relay-signing-key"), "{}", err.message);
    }

    #[test]
    fn a_bad_url_names_the_url_field() {
        let err: CommandError =
            RelayError::InvalidUrl("\"ftp://x\" is not an https:// URL".into()).into();
        assert_eq!(err.kind, ErrorKind::Validation);
        assert_eq!(err.field.as_deref(), Some("url"));
        assert_eq!(err.message, "\"ftp://x\" is not an https:// URL");
    }

    #[test]
    fn relay_failures_say_what_happened_without_cli_advice() {
        let refused: CommandError = SyncError::Relay(RelayError::Unauthorized {
            url: "https://relay.example.com".into(),
        })
        .into();
        assert_eq!(refused.kind, ErrorKind::Relay);
        assert!(refused
            .message
            .starts_with("The relay at https://relay.example.com refused"));
        assert!(
            !refused.message.contains("herald relay"),
            "{}",
            refused.message
        );
        let down: CommandError = RelayError::Unreachable {
            url: "https://relay.example.com".into(),
            reason: "Connection refused (os error 111)".into(),
        }
        .into();
        assert_eq!(down.kind, ErrorKind::Relay);
        assert!(
            down.message.contains("Connection refused"),
            "{}",
            down.message
        );
    }

    #[test]
    fn generating_twice_and_syncing_unconfigured_are_conflicts() {
        let twice: CommandError = KeysError::AlreadyExist(2).into();
        assert_eq!(twice.kind, ErrorKind::Conflict);
        assert!(twice.message.contains("rotate"), "{}", twice.message);
        assert!(!twice.message.contains("--rotate"), "{}", twice.message);
        let unset: CommandError = SyncError::NotConfigured("no relay URL yet".into()).into();
        assert_eq!(unset.kind, ErrorKind::Conflict);
        assert_eq!(unset.message, "The relay is not set up: no relay URL yet");
    }
}
