//! Loading and saving the SMS settings, and the provider secrets that go
//! with them: in the keychain only, never in the workspace file.

use std::fmt;
use std::sync::Arc;

use herald_store::{settings, Store};
use serde::Serialize;

use super::{invalid, ProviderKind, SettingsError, SmsSettings, SmsSettingsInput, VonageApi};
use crate::secrets::{Secret, SecretName, Secrets, SecretsError};
use crate::sms::vonage::jwt;

/// The saved settings, `None` when SMS was never set up.
pub async fn load(store: &Store) -> Result<Option<SmsSettings>, SettingsError> {
    let input: Option<SmsSettingsInput> = settings::get(store, super::SETTINGS_KEY).await?;
    input.as_ref().map(SmsSettings::parse).transpose()
}

/// New values for the provider secrets on save. `None` or blank keeps the
/// stored value (the form never shows a secret, only that one is set).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretChanges {
    pub twilio_auth_token: Option<String>,
    pub vonage_api_secret: Option<String>,
    /// The PEM text of the Vonage application's private key.
    pub vonage_private_key: Option<String>,
}

impl fmt::Debug for SecretChanges {
    /// Says which secrets change, never their values.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set = |value: &Option<String>| value.as_deref().is_some_and(|v| !v.trim().is_empty());
        f.debug_struct("SecretChanges")
            .field("twilio_auth_token", &set(&self.twilio_auth_token))
            .field("vonage_api_secret", &set(&self.vonage_api_secret))
            .field("vonage_private_key", &set(&self.vonage_private_key))
            .finish()
    }
}

impl SecretChanges {
    /// The secrets to write, checked: a private key must be one.
    fn writes(&self) -> Result<Vec<(SecretName, Secret)>, SettingsError> {
        let mut writes = Vec::new();
        let mut add = |name: SecretName, value: &Option<String>| {
            if let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                writes.push((name, Secret::new(value.to_owned())));
            }
        };
        add(SecretName::TwilioAuthToken, &self.twilio_auth_token);
        add(SecretName::VonageApiSecret, &self.vonage_api_secret);
        add(SecretName::VonagePrivateKey, &self.vonage_private_key);
        for (name, value) in &writes {
            if *name == SecretName::VonagePrivateKey {
                jwt::private_key(value.expose())
                    .map_err(|problem| invalid("vonage_private_key", problem))?;
            }
        }
        Ok(writes)
    }
}

/// Checks and saves the settings; the secrets go to the keychain only.
/// Nothing is written when a field or a new secret is wrong.
pub async fn save(
    store: &Store,
    secrets: Arc<dyn Secrets>,
    input: &SmsSettingsInput,
    changes: SecretChanges,
) -> Result<SmsSettings, SettingsError> {
    let parsed = SmsSettings::parse(input)?;
    let writes = changes.writes()?;
    // The keychain first: when it is unavailable nothing is saved, rather
    // than settings that point at secrets that are not there.
    if !writes.is_empty() {
        blocking(move || {
            writes
                .iter()
                .try_for_each(|(name, value)| secrets.set(*name, value))
        })
        .await?;
    }
    settings::set(store, super::SETTINGS_KEY, &parsed.to_input()).await?;
    Ok(parsed)
}

/// Which provider secrets are stored (the form shows "set" for these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct SecretsPresent {
    pub twilio_auth_token: bool,
    pub vonage_api_secret: bool,
    pub vonage_private_key: bool,
}

pub async fn secrets_present(secrets: Arc<dyn Secrets>) -> Result<SecretsPresent, SettingsError> {
    blocking(move || {
        Ok(SecretsPresent {
            twilio_auth_token: secrets.get(SecretName::TwilioAuthToken)?.is_some(),
            vonage_api_secret: secrets.get(SecretName::VonageApiSecret)?.is_some(),
            vonage_private_key: secrets.get(SecretName::VonagePrivateKey)?.is_some(),
        })
    })
    .await
}

/// The secrets a provider is built with. `Debug` shows none of them.
#[derive(Debug, Clone, Default)]
pub struct ProviderSecrets {
    pub(crate) twilio_auth_token: Option<Secret>,
    pub(crate) vonage_api_secret: Option<Secret>,
    pub(crate) vonage_private_key: Option<Secret>,
}

impl ProviderSecrets {
    /// For Twilio: the account's auth token.
    pub fn twilio(auth_token: Secret) -> ProviderSecrets {
        ProviderSecrets {
            twilio_auth_token: Some(auth_token),
            ..ProviderSecrets::default()
        }
    }

    /// For Vonage: the API secret, and the application's private key (PEM)
    /// when the settings name an application.
    pub fn vonage(api_secret: Secret, private_key: Option<Secret>) -> ProviderSecrets {
        ProviderSecrets {
            vonage_api_secret: Some(api_secret),
            vonage_private_key: private_key,
            ..ProviderSecrets::default()
        }
    }
}

/// Reads the secrets the chosen provider needs from the keychain; a missing
/// one is [`SettingsError::NotReady`] naming its field.
pub async fn provider_secrets(
    secrets: Arc<dyn Secrets>,
    settings: &SmsSettings,
) -> Result<ProviderSecrets, SettingsError> {
    let needed: Vec<SecretName> = match (settings.provider_kind(), settings.vonage()) {
        (ProviderKind::Twilio, _) => vec![SecretName::TwilioAuthToken],
        (ProviderKind::Vonage, Some(vonage))
            if vonage.api() == VonageApi::Messages && vonage.application_id().is_some() =>
        {
            vec![SecretName::VonageApiSecret, SecretName::VonagePrivateKey]
        }
        (ProviderKind::Vonage, _) => vec![SecretName::VonageApiSecret],
    };
    let found = blocking(move || {
        needed
            .into_iter()
            .map(|name| Ok((name, secrets.get(name)?)))
            .collect::<Result<Vec<_>, SecretsError>>()
    })
    .await?;
    let mut keys = ProviderSecrets::default();
    for (name, value) in found {
        let Some(value) = value else {
            return Err(not_ready(name));
        };
        match name {
            SecretName::TwilioAuthToken => keys.twilio_auth_token = Some(value),
            SecretName::VonageApiSecret => keys.vonage_api_secret = Some(value),
            _ => keys.vonage_private_key = Some(value),
        }
    }
    Ok(keys)
}

/// The error for a secret the provider needs and does not have.
pub(crate) fn not_ready(name: SecretName) -> SettingsError {
    let (field, what) = match name {
        SecretName::TwilioAuthToken => ("twilio_auth_token", "Twilio auth token"),
        SecretName::VonagePrivateKey => (
            "vonage_private_key",
            "private key of the Vonage application",
        ),
        _ => ("vonage_api_secret", "Vonage API secret"),
    };
    SettingsError::NotReady {
        field,
        problem: format!("no {what} is stored; enter it in Settings → SMS"),
    }
}

/// Runs a keychain call (they block) off the async threads.
async fn blocking<T: Send + 'static>(
    call: impl FnOnce() -> Result<T, SecretsError> + Send + 'static,
) -> Result<T, SettingsError> {
    let result = tokio::task::spawn_blocking(call)
        .await
        .map_err(|e| SecretsError::Unavailable(format!("the keychain call did not finish: {e}")))?;
    Ok(result?)
}
