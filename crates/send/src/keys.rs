//! The relay keys: the signing key the desktop signs tracking and
//! unsubscribe links with (and, after a rotation, the previous one, which
//! the relay still accepts), and the API token the desktop pulls events
//! with. Created here from the OS's random source, kept in the keychain,
//! shown once with the lines to paste into the relay's configuration.
//!
//! ```
//! use herald_send::keys;
//! use herald_send::secrets::MemorySecrets;
//!
//! let secrets = MemorySecrets::default();
//! let first = keys::create(&secrets)?;
//! assert_eq!(first.signing_key_id(), 1);
//! let second = keys::rotate(&secrets)?;
//! assert_eq!(second.signing_key_id(), 2);
//! assert!(second.env_lines().contains("HERALD_RELAY_PREVIOUS_SIGNING_KEY=1:"));
//! # Ok::<(), herald_send::keys::KeysError>(())
//! ```

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use herald_core::token::SigningKey;
use rand::rngs::OsRng;
use rand::RngCore;

use crate::secrets::{Secret, SecretName, Secrets, SecretsError};

/// The relay's configuration names (its environment variables, and the
/// keys of its TOML file).
pub const ENV_SIGNING_KEY: &str = "HERALD_RELAY_SIGNING_KEY";
pub const ENV_PREVIOUS_SIGNING_KEY: &str = "HERALD_RELAY_PREVIOUS_SIGNING_KEY";
pub const ENV_API_TOKEN: &str = "HERALD_RELAY_API_TOKEN";
pub const TOML_SIGNING_KEY: &str = "signing_key";
pub const TOML_PREVIOUS_SIGNING_KEY: &str = "previous_signing_key";
pub const TOML_API_TOKEN: &str = "api_token";

#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    #[error(
        "this workspace already has relay keys (signing key {0}); `--rotate` makes a new \
         signing key while the relay keeps accepting links signed with the current one"
    )]
    AlreadyExist(u8),
    #[error("this workspace has no relay keys to rotate yet; generate them first")]
    NothingToRotate,
    #[error("the signing key in the keychain is unreadable ({0}); delete it and generate the keys again")]
    Unreadable(String),
    #[error(transparent)]
    Secrets(#[from] SecretsError),
}

/// The keys as just created: shown once, then only in the keychain.
#[derive(Debug)]
pub struct RelayKeys {
    pub signing_key: Secret,
    pub previous_signing_key: Option<Secret>,
    pub api_token: Secret,
}

impl RelayKeys {
    pub fn signing_key_id(&self) -> u8 {
        key_id(&self.signing_key).unwrap_or(0)
    }

    /// `NAME=value` lines for the relay's environment.
    pub fn env_lines(&self) -> String {
        let mut lines = format!("{ENV_SIGNING_KEY}={}\n", self.signing_key.expose());
        if let Some(previous) = &self.previous_signing_key {
            lines += &format!("{ENV_PREVIOUS_SIGNING_KEY}={}\n", previous.expose());
        }
        lines += &format!("{ENV_API_TOKEN}={}\n", self.api_token.expose());
        lines
    }

    /// `name = "value"` lines for the relay's TOML file.
    pub fn toml_lines(&self) -> String {
        let mut lines = format!("{TOML_SIGNING_KEY} = \"{}\"\n", self.signing_key.expose());
        if let Some(previous) = &self.previous_signing_key {
            lines += &format!("{TOML_PREVIOUS_SIGNING_KEY} = \"{}\"\n", previous.expose());
        }
        lines += &format!("{TOML_API_TOKEN} = \"{}\"\n", self.api_token.expose());
        lines
    }
}

/// Which keys the keychain holds (never their values).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct KeyStatus {
    pub signing_key_id: Option<u8>,
    pub previous_signing_key_id: Option<u8>,
    pub api_token: bool,
}

/// A new signing key with this id (1-255), in its text form `<id>:<base64url>`.
pub fn new_signing_key(id: u8) -> Secret {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let key = SigningKey::new(id.max(1), bytes).expect("ids from 1 to 255 are valid");
    bytes.fill(0);
    Secret::new(key.to_config_string())
}

/// A new API token: 32 random bytes, base64url without padding.
pub fn new_api_token() -> Secret {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    bytes.fill(0);
    Secret::new(token)
}

fn key_id(key: &Secret) -> Option<u8> {
    SigningKey::parse(key.expose()).ok().map(|k| k.id())
}

fn stored_key_id(secrets: &dyn Secrets, name: SecretName) -> Result<Option<u8>, KeysError> {
    match secrets.get(name)? {
        None => Ok(None),
        Some(key) => SigningKey::parse(key.expose())
            .map(|k| Some(k.id()))
            .map_err(|e| KeysError::Unreadable(e.to_string())),
    }
}

/// Creates the first signing key (id 1) and an API token. Refuses when the
/// workspace already has a signing key: replacing it would break every
/// link in mail already sent.
pub fn create(secrets: &dyn Secrets) -> Result<RelayKeys, KeysError> {
    if let Some(id) = stored_key_id(secrets, SecretName::RelaySigningKey)? {
        return Err(KeysError::AlreadyExist(id));
    }
    let keys = RelayKeys {
        signing_key: new_signing_key(1),
        previous_signing_key: None,
        api_token: new_api_token(),
    };
    secrets.delete(SecretName::RelayPreviousSigningKey)?;
    secrets.set(SecretName::RelayApiToken, &keys.api_token)?;
    secrets.set(SecretName::RelaySigningKey, &keys.signing_key)?;
    Ok(keys)
}

/// Makes the current signing key the previous one and a new key (the next
/// id, 255 wrapping to 1) the current one. The API token stays (one is
/// created if it is missing).
pub fn rotate(secrets: &dyn Secrets) -> Result<RelayKeys, KeysError> {
    let current = secrets
        .get(SecretName::RelaySigningKey)?
        .ok_or(KeysError::NothingToRotate)?;
    let id = SigningKey::parse(current.expose())
        .map_err(|e| KeysError::Unreadable(e.to_string()))?
        .id();
    let next = if id == u8::MAX { 1 } else { id + 1 };
    let api_token = match secrets.get(SecretName::RelayApiToken)? {
        Some(token) => token,
        None => {
            let token = new_api_token();
            secrets.set(SecretName::RelayApiToken, &token)?;
            token
        }
    };
    let keys = RelayKeys {
        signing_key: new_signing_key(next),
        previous_signing_key: Some(current),
        api_token,
    };
    // Previous first: if the second write fails, the current key is still
    // the one the relay knows.
    if let Some(previous) = &keys.previous_signing_key {
        secrets.set(SecretName::RelayPreviousSigningKey, previous)?;
    }
    secrets.set(SecretName::RelaySigningKey, &keys.signing_key)?;
    Ok(keys)
}

/// Which keys are in the keychain.
pub fn status(secrets: &dyn Secrets) -> Result<KeyStatus, KeysError> {
    Ok(KeyStatus {
        signing_key_id: stored_key_id(secrets, SecretName::RelaySigningKey)?,
        previous_signing_key_id: stored_key_id(secrets, SecretName::RelayPreviousSigningKey)?,
        api_token: secrets.get(SecretName::RelayApiToken)?.is_some(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemorySecrets;

    #[test]
    fn new_keys_are_random_and_in_the_contract_s_text_form() {
        let a = new_signing_key(7);
        let b = new_signing_key(7);
        assert_ne!(a, b);
        let parsed = SigningKey::parse(a.expose()).expect("parses as a signing key");
        assert_eq!(parsed.id(), 7);
        let token = new_api_token();
        assert_eq!(
            token.expose().len(),
            43,
            "32 bytes of base64url, no padding"
        );
        assert_eq!(URL_SAFE_NO_PAD.decode(token.expose()).unwrap().len(), 32);
        assert_ne!(token, new_api_token());
    }

    #[test]
    fn creating_stores_both_and_refuses_a_second_time() {
        let secrets = MemorySecrets::default();
        let keys = create(&secrets).unwrap();
        assert_eq!(
            secrets.get(SecretName::RelaySigningKey).unwrap(),
            Some(keys.signing_key.clone())
        );
        assert_eq!(
            secrets.get(SecretName::RelayApiToken).unwrap(),
            Some(keys.api_token.clone())
        );
        assert!(matches!(create(&secrets), Err(KeysError::AlreadyExist(1))));
        assert_eq!(
            secrets.get(SecretName::RelaySigningKey).unwrap(),
            Some(keys.signing_key)
        );
    }

    #[test]
    fn rotating_keeps_the_old_key_as_previous_and_the_token() {
        let secrets = MemorySecrets::default();
        assert!(matches!(rotate(&secrets), Err(KeysError::NothingToRotate)));
        let first = create(&secrets).unwrap();
        let second = rotate(&secrets).unwrap();
        assert_eq!(second.signing_key_id(), 2);
        assert_eq!(
            second.previous_signing_key.as_ref(),
            Some(&first.signing_key)
        );
        assert_eq!(second.api_token, first.api_token);
        assert_eq!(
            status(&secrets).unwrap(),
            KeyStatus {
                signing_key_id: Some(2),
                previous_signing_key_id: Some(1),
                api_token: true
            }
        );
        let lines = second.toml_lines();
        assert!(lines.contains(&format!(
            "signing_key = \"{}\"",
            second.signing_key.expose()
        )));
        assert!(lines.contains(&format!(
            "previous_signing_key = \"{}\"",
            first.signing_key.expose()
        )));
    }

    #[test]
    fn key_ids_wrap_from_255_to_1() {
        let secrets = MemorySecrets::default();
        secrets
            .set(SecretName::RelaySigningKey, &new_signing_key(255))
            .unwrap();
        assert_eq!(rotate(&secrets).unwrap().signing_key_id(), 1);
    }
}
