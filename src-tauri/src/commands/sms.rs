//! Settings → SMS and the SMS composer's helpers: the segment counter, the
//! GSM look-alikes, the provider settings (secrets in the keychain only),
//! "Verify credentials" and "Send test SMS" (docs/sms.md, "In the app").

use std::sync::Arc;

use herald_core::sms_segments;
use herald_send::sms::provider::{self, SmsMessage};
use herald_send::sms::settings::{self as sms_settings, SettingsError, SmsSettings};
use herald_store::settings;
use tauri::State;

use crate::dto::sms::{SmsCount, SmsTestReport, SmsTestResult, SmsVerifyReport};
use crate::dto::sms_settings::{SmsSettingsInput, SmsSettingsView};
use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// Twilio refuses longer bodies; Vonage splits at about the same size.
const MAX_TEST_BODY_CHARS: usize = 1600;

fn settings_error(e: SettingsError) -> CommandError {
    match e {
        // The window's own error says which end is wrong ("until: …").
        SettingsError::Invalid {
            field: "sending_hours",
            problem,
        } => {
            let end = if problem.starts_with("from") {
                "from"
            } else {
                "until"
            };
            CommandError::validation(format!("sendingHours.{end}"), problem)
        }
        SettingsError::Invalid { field, problem } | SettingsError::NotReady { field, problem } => {
            CommandError::validation(crate::parse::camel(field), problem)
        }
        SettingsError::Http(problem) => {
            CommandError::internal(&anyhow::anyhow!("setting up the SMS client: {problem}"))
        }
        SettingsError::Secrets(e) => e.into(),
        SettingsError::Store(e) => e.into(),
    }
}

/// What the text costs as SMS, exactly as it would be sent.
#[tauri::command]
pub async fn sms_count(text: String) -> CommandResult<SmsCount> {
    Ok(sms_segments::count(&text).into())
}

/// The text with smart quotes, dashes and the like replaced by GSM-7
/// look-alikes; other characters stay.
#[tauri::command]
pub async fn sms_gsm_equivalents(text: String) -> CommandResult<String> {
    Ok(sms_segments::gsm_equivalents(&text))
}

/// The saved settings, or the defaults (named for the workspace) before
/// SMS is set up, and which secrets the keychain holds.
async fn view(state: &AppState) -> CommandResult<SmsSettingsView> {
    let saved = sms_settings::load(&state.store)
        .await
        .map_err(settings_error)?;
    let input = match &saved {
        Some(s) => s.to_input(),
        None => {
            let name = settings::workspace_name(&state.store).await?;
            sms_settings::SmsSettingsInput::for_workspace(&name)
        }
    };
    // The form still opens when the keychain is locked; saving says why.
    let stored = sms_settings::secrets_present(Arc::clone(&state.secrets))
        .await
        .unwrap_or_default();
    Ok(SmsSettingsView::new(input, stored, saved.is_some()))
}

#[tauri::command]
pub async fn sms_settings_get(state: State<'_, AppState>) -> CommandResult<SmsSettingsView> {
    view(&state).await
}

/// Checks the form, writes the entered secrets to the keychain and the rest
/// to the workspace; nothing is written when a field is wrong.
#[tauri::command]
pub async fn sms_settings_save(
    state: State<'_, AppState>,
    input: SmsSettingsInput,
) -> CommandResult<SmsSettingsView> {
    let stored = sms_settings::load(&state.store)
        .await
        .map_err(settings_error)?
        .map(|s| s.to_input())
        .unwrap_or_default();
    let parsed = input
        .settings(&stored)
        .map_err(|(field, problem)| CommandError::validation(field, problem))?;
    sms_settings::save(
        &state.store,
        Arc::clone(&state.secrets),
        &parsed,
        input.secret_changes(),
    )
    .await
    .map_err(settings_error)?;
    view(&state).await
}

/// The saved settings, or a conflict saying where to set them up.
async fn saved(state: &AppState) -> CommandResult<SmsSettings> {
    sms_settings::load(&state.store)
        .await
        .map_err(settings_error)?
        .ok_or_else(|| {
            CommandError::conflict("SMS is not set up: choose a provider in Settings → SMS")
        })
}

/// The provider the saved settings choose, with its secrets. Test sends ask
/// for no delivery reports: they belong to no campaign.
async fn provider_for(
    state: &AppState,
    settings: &SmsSettings,
) -> Result<Arc<dyn provider::SmsProvider>, SettingsError> {
    let secrets = sms_settings::provider_secrets(Arc::clone(&state.secrets), settings).await?;
    provider::provider(settings, &secrets, None)
}

/// Asks the provider whether the saved credentials work, sending nothing.
/// A refusal is a report, not an error: the page shows the provider's words.
#[tauri::command]
pub async fn sms_verify(state: State<'_, AppState>) -> CommandResult<SmsVerifyReport> {
    let settings = saved(&state).await?;
    // A secret never entered is a validation error naming its field.
    let sms = provider_for(&state, &settings)
        .await
        .map_err(settings_error)?;
    Ok(match sms.verify().await {
        Ok(check) => SmsVerifyReport {
            ok: true,
            detail: check.detail,
        },
        Err(e) => SmsVerifyReport {
            ok: false,
            detail: e.to_string(),
        },
    })
}

/// Sends `body` (with the opt-out instruction) to each number through the
/// saved provider, for real, and says per number whether it was taken.
/// Every number is checked before anything is sent.
#[tauri::command]
pub async fn sms_test_send(
    state: State<'_, AppState>,
    numbers: Vec<String>,
    body: String,
) -> CommandResult<SmsTestReport> {
    if body.trim().is_empty() {
        return Err(CommandError::validation("body", "write a message to send"));
    }
    if body.chars().count() > MAX_TEST_BODY_CHARS {
        return Err(CommandError::validation(
            "body",
            format!("a test message is at most {MAX_TEST_BODY_CHARS} characters"),
        ));
    }
    let region = settings::default_region(&state.store).await?;
    let to = crate::parse::test_numbers(&numbers, region, "numbers")?;
    let settings = saved(&state).await?;
    let sms = provider_for(&state, &settings)
        .await
        .map_err(settings_error)?;
    let text = herald_send::sms::campaign::with_opt_out(&body, settings.opt_out_text());
    let mut results = Vec::with_capacity(to.len());
    for number in to {
        let message = SmsMessage {
            to: number.clone(),
            body: text.clone(),
            client_ref: format!("test-{}", uuid::Uuid::now_v7()),
        };
        let (ok, detail) = match sms.send(&message).await {
            Ok(accepted) => (true, accepted.provider_message_id),
            Err(e) => (false, e.to_string()),
        };
        results.push(SmsTestResult {
            number: number.as_str().to_owned(),
            ok,
            detail,
        });
    }
    Ok(SmsTestReport { results })
}
