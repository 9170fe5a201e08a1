//! Settings → Email: the SMTP server, the sender, the rate, the unsubscribe
//! address; the password goes to the keychain only. "Test connection"
//! answers with the server's own words.

use std::sync::Arc;

use herald_core::EmailAddress;
use herald_send::email::campaign::UNSUBSCRIBE_MAILTO;
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
            CommandError::validation(camel(field), problem)
        }
        other => setup_error(other.into()),
    }
}

/// herald-send names fields in snake_case; the form in camelCase.
fn camel(field: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

async fn view(state: &AppState) -> CommandResult<EmailSettingsView> {
    let saved = smtp::settings::load(&state.store)
        .await
        .map_err(settings_error)?;
    let mailto: Option<String> = settings::get(&state.store, UNSUBSCRIBE_MAILTO).await?;
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
    Ok(EmailSettingsView::new(saved.as_ref(), mailto, stored))
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
    smtp::settings::save(
        &state.store,
        Arc::clone(&state.secrets),
        &input.smtp(default_timeout()),
        password,
    )
    .await
    .map_err(settings_error)?;
    settings::set(&state.store, UNSUBSCRIBE_MAILTO, &mailto).await?;
    view(&state).await
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
