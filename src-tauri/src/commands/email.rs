//! Settings → Email: the SMTP server, the sender, the rate, the unsubscribe
//! address; the password goes to the keychain only. "Test connection"
//! answers with the server's own words.

use std::sync::Arc;

use herald_core::EmailAddress;
use herald_send::email::campaign::{DkimSetting, DKIM, UNSUBSCRIBE_MAILTO};
use herald_send::email::compose::DkimSettings;
use herald_send::email::smtp::{self, Endpoint, PasswordChange, SmtpSettings};
use herald_send::secrets::{Secret, SecretName};
use herald_store::settings;
use tauri::State;

use crate::dto::sending::{
    default_timeout, EmailSettingsInput, EmailSettingsView, SmtpPreset, SmtpTestReport,
};
use crate::error::{CommandError, CommandResult};
use crate::sending::setup_error;
use crate::state::AppState;

fn settings_error(e: smtp::SettingsError) -> CommandError {
    match e {
        smtp::SettingsError::Invalid { field, problem } => {
            CommandError::validation(crate::parse::camel(field), problem)
        }
        other => setup_error(other.into()),
    }
}

async fn view(state: &AppState) -> CommandResult<EmailSettingsView> {
    let saved = smtp::settings::load(&state.store)
        .await
        .map_err(settings_error)?;
    let mailto: Option<String> = settings::get(&state.store, UNSUBSCRIBE_MAILTO).await?;
    let dkim: Option<DkimSetting> = settings::get(&state.store, DKIM).await?;
    let secrets = Arc::clone(&state.secrets);
    let stored = match saved.as_ref().and_then(SmtpSettings::username) {
        Some(_) => tokio::task::spawn_blocking(move || secrets.get(SecretName::SmtpPassword))
            .await
            .map_err(|e| CommandError::internal(&anyhow::anyhow!("a keychain call stopped: {e}")))?
            .map(|p| p.is_some())
            // The form still opens when the keychain is locked; saving says why.
            .unwrap_or(false),
        None => false,
    };
    Ok(EmailSettingsView::new(saved.as_ref(), mailto, dkim, stored))
}

#[tauri::command]
pub async fn email_settings_get(state: State<'_, AppState>) -> CommandResult<EmailSettingsView> {
    view(&state).await
}

fn mailto_of(input: &EmailSettingsInput) -> CommandResult<Option<String>> {
    input
        .unsubscribe_mailto
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(|m| {
            EmailAddress::parse(m)
                .map(|a| a.to_string())
                .map_err(|e| CommandError::validation("unsubscribeMailto", e.to_string()))
        })
        .transpose()
}

#[tauri::command]
pub async fn email_settings_save(
    state: State<'_, AppState>,
    input: EmailSettingsInput,
) -> CommandResult<EmailSettingsView> {
    let mailto = mailto_of(&input)?;
    let password = match &input.password {
        None => PasswordChange::Keep,
        Some(p) => PasswordChange::Set(Secret::new(p.clone())),
    };
    // Check everything before writing anything.
    SmtpSettings::parse(&input.smtp(default_timeout())).map_err(settings_error)?;
    let dkim = dkim_change(&state, &input).await?;
    smtp::settings::save(
        &state.store,
        Arc::clone(&state.secrets),
        &input.smtp(default_timeout()),
        password,
    )
    .await
    .map_err(settings_error)?;
    settings::set(&state.store, UNSUBSCRIBE_MAILTO, &mailto).await?;
    apply_dkim(&state, dkim).await?;
    view(&state).await
}

/// What a save does to DKIM.
enum DkimChange {
    Keep,
    Remove,
    /// The domain and selector, and a new key when one was entered.
    Set(DkimSetting, Option<Secret>),
}

/// Checks the form's DKIM fields: a key must parse, and a domain needs a
/// selector and a key (entered now or stored before).
async fn dkim_change(state: &AppState, input: &EmailSettingsInput) -> CommandResult<DkimChange> {
    let Some(domain) = input.dkim_domain.as_deref().map(str::trim) else {
        return Ok(DkimChange::Keep);
    };
    if domain.is_empty() {
        return Ok(DkimChange::Remove);
    }
    let selector = input.dkim_selector.as_deref().map(str::trim).unwrap_or("");
    if selector.is_empty() {
        return Err(CommandError::validation(
            "dkimSelector",
            "enter the selector your DNS record is published under (e.g. herald)",
        ));
    }
    let entered = input
        .dkim_private_key
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty());
    let key = match entered {
        Some(key) => Secret::new(key.to_owned()),
        None => {
            let secrets = Arc::clone(&state.secrets);
            tokio::task::spawn_blocking(move || secrets.get(SecretName::DkimKey))
                .await
                .map_err(|e| {
                    CommandError::internal(&anyhow::anyhow!("a keychain call stopped: {e}"))
                })??
                .ok_or_else(|| {
                    CommandError::validation("dkimPrivateKey", "paste the DKIM private key (PEM)")
                })?
        }
    };
    DkimSettings::new(domain, selector, key.expose())
        .map_err(|e| CommandError::validation("dkimPrivateKey", e.to_string()))?;
    Ok(DkimChange::Set(
        DkimSetting {
            domain: domain.to_ascii_lowercase(),
            selector: selector.to_ascii_lowercase(),
        },
        entered.map(|_| key),
    ))
}

async fn apply_dkim(state: &AppState, change: DkimChange) -> CommandResult<()> {
    let secrets = Arc::clone(&state.secrets);
    match change {
        DkimChange::Keep => {}
        DkimChange::Remove => {
            tokio::task::spawn_blocking(move || secrets.delete(SecretName::DkimKey))
                .await
                .map_err(|e| {
                    CommandError::internal(&anyhow::anyhow!("a keychain call stopped: {e}"))
                })??;
            settings::set::<Option<DkimSetting>>(&state.store, DKIM, &None).await?;
        }
        DkimChange::Set(setting, key) => {
            if let Some(key) = key {
                tokio::task::spawn_blocking(move || secrets.set(SecretName::DkimKey, &key))
                    .await
                    .map_err(|e| {
                        CommandError::internal(&anyhow::anyhow!("a keychain call stopped: {e}"))
                    })??;
            }
            settings::set(&state.store, DKIM, &setting).await?;
        }
    }
    Ok(())
}

/// Connects with the form's settings (the stored password when the form
/// has none): EHLO, TLS, AUTH, QUIT.
#[tauri::command]
pub async fn email_settings_test(
    state: State<'_, AppState>,
    input: EmailSettingsInput,
) -> CommandResult<SmtpTestReport> {
    let parsed = SmtpSettings::parse(&input.smtp(default_timeout())).map_err(settings_error)?;
    let password = match (&input.password, parsed.username()) {
        (_, None) => None,
        (Some(p), Some(_)) => Some(Secret::new(p.clone())),
        (None, Some(_)) => smtp::settings::password(Arc::clone(&state.secrets))
            .await
            .map_err(settings_error)?,
    };
    let endpoint = Endpoint::new(&parsed, password);
    Ok(match smtp::test_connection(&endpoint).await {
        Ok(report) => SmtpTestReport {
            ok: true,
            reply: format!("Connected to {}", report.server_name),
            tls: report.encrypted,
            authenticated: report.authenticated,
        },
        Err(failure) => SmtpTestReport {
            ok: false,
            reply: failure.reply().to_owned(),
            tls: false,
            authenticated: false,
        },
    })
}

#[tauri::command]
pub async fn email_presets() -> CommandResult<Vec<SmtpPreset>> {
    Ok(SmtpPreset::all())
}
