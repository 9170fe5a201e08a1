//! An SMS campaign's review step: the message as one contact receives it,
//! the longest message over the audience (the composer's worst case), and
//! test texts to up to five numbers. `campaign_preview` and
//! `campaign_test_send` come here for an SMS campaign.

use std::sync::Arc;

use herald_core::sms_segments;
use herald_send::sms::campaign::{self as sms, SmsBody};
use herald_send::sms::provider::SmsMessage;
use herald_send::sms::settings::{self as sms_settings, SmsSettings, SmsSettingsInput};
use herald_store::campaigns::{self, Campaign, CampaignId};
use herald_store::{ledger, settings};
use tauri::State;
use uuid::Uuid;

use super::sending::{campaign_id, personalise_for};
use crate::dto::sending::{CampaignPreview, SmsPreview, SmsWorstCase};
use crate::error::{CommandError, CommandResult, ErrorKind};
use crate::sending::sms_setup_error;
use crate::state::AppState;

/// The most recipients the worst case renders the message for.
const WORST_CASE_LIMIT: u32 = 50_000;

/// The campaign's body with the saved SMS settings' opt-out line (or the
/// default line before SMS is set up: the preview works without it).
async fn body_of(state: &AppState, campaign: &Campaign) -> CommandResult<SmsBody> {
    let saved = sms_settings::load(&state.store)
        .await
        .map_err(|e| sms_setup_error(e.into()))?;
    let opt_out = match &saved {
        Some(s) => s.opt_out_text().to_owned(),
        None => SmsSettingsInput::default().opt_out_text,
    };
    let text = campaign.text_body.as_deref().unwrap_or("");
    SmsBody::new(
        &campaign.name,
        text,
        campaign.sms_opt_out.then_some(opt_out.as_str()),
    )
    .map_err(|e| CommandError::validation("textBody", e.to_string()))
}

pub async fn preview(
    state: &AppState,
    id: Uuid,
    contact: Option<&str>,
) -> CommandResult<CampaignPreview> {
    let campaign = campaigns::get(&state.store, CampaignId::from_uuid(id)).await?;
    let body = body_of(state, &campaign).await?;
    let (data, contact_id, contact_label) = personalise_for(state, contact, None).await?;
    let text = body
        .render(&data)
        .map_err(|e| CommandError::validation("contactId", e.to_string()))?;
    let count = sms_segments::count(&text).into();
    Ok(CampaignPreview {
        subject: String::new(),
        html: String::new(),
        text: text.clone(),
        contact_id,
        contact_label,
        hints: Vec::new(),
        sms: Some(SmsPreview { body: text, count }),
    })
}

/// The message with the most parts over the campaign's audience (its first
/// 50,000 recipients), personalised for each.
#[tauri::command]
pub async fn campaign_sms_worst_case(
    state: State<'_, AppState>,
    id: String,
) -> CommandResult<SmsWorstCase> {
    let id = campaign_id(&id)?;
    let campaign = campaigns::get(&state.store, CampaignId::from_uuid(id)).await?;
    let body = body_of(&state, &campaign).await?;
    let members = match campaign.segment_id {
        Some(segment) => {
            ledger::sendable_members(
                &state.store,
                segment,
                herald_core::Channel::Sms,
                WORST_CASE_LIMIT,
            )
            .await?
        }
        None => Vec::new(),
    };
    let recipients = u32::try_from(members.len()).unwrap_or(u32::MAX);
    // Rendering is CPU work: off the async runtime.
    let worst = tokio::task::spawn_blocking(move || {
        let mut worst: Option<(usize, usize, String, &herald_store::ledger::BatchRow)> = None;
        for row in &members {
            let Ok(text) = body.render(&sms::recipient_data(row)) else {
                continue;
            };
            let count = sms_segments::count(&text);
            let key = (count.parts, count.units);
            if worst.as_ref().is_none_or(|(p, u, _, _)| key > (*p, *u)) {
                worst = Some((key.0, key.1, text, row));
            }
        }
        match worst {
            Some((_, _, text, row)) => {
                let label = [row.first_name.as_deref(), row.last_name.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                let label = if label.is_empty() {
                    row.address.clone()
                } else {
                    label
                };
                (
                    sms_segments::count(&text),
                    Some(row.contact_id.to_string()),
                    Some(label),
                )
            }
            None => (sms_segments::count(&body_template_text(&body)), None, None),
        }
    })
    .await
    .map_err(|e| CommandError::internal(&anyhow::anyhow!("counting the messages stopped: {e}")))?;
    Ok(SmsWorstCase {
        count: worst.0.into(),
        contact_id: worst.1,
        contact_label: worst.2,
        recipients,
    })
}

/// With nobody to personalise for: the body rendered for a person with no
/// details (every `default()` shows; a variable without one renders empty).
fn body_template_text(body: &SmsBody) -> String {
    let nobody = herald_send::email::compose::RecipientData {
        contact_id: Uuid::nil(),
        email: None,
        first_name: None,
        last_name: None,
        phone: None,
        company: None,
        country: None,
        custom: Default::default(),
    };
    body.render(&nobody).unwrap_or_default()
}

/// Texts the campaign, personalised for a chosen contact, to up to five
/// numbers. Nothing goes in the ledger; no delivery report is kept.
pub async fn test_send(
    state: &AppState,
    id: Uuid,
    numbers: &[String],
    contact: Option<&str>,
) -> CommandResult<()> {
    let region = settings::default_region(&state.store).await?;
    let numbers = crate::parse::test_numbers(numbers, region, "addresses")?;
    let campaign = campaigns::get(&state.store, CampaignId::from_uuid(id)).await?;
    let settings: SmsSettings = sms::sms_settings(&state.store)
        .await
        .map_err(sms_setup_error)?;
    let body = SmsBody::of(&campaign, &settings).map_err(sms_setup_error)?;
    let provider = sms::provider_for(&state.store, &state.secrets, &settings)
        .await
        .map_err(sms_setup_error)?;
    let (data, _, _) = personalise_for(state, contact, None).await?;
    let text = body
        .render(&data)
        .map_err(|e| CommandError::validation("contactId", e.to_string()))?;
    let provider = Arc::clone(&provider);
    for to in numbers {
        let message = SmsMessage {
            to: to.clone(),
            body: text.clone(),
            client_ref: format!("test.{}", Uuid::now_v7().simple()),
        };
        provider.send(&message).await.map_err(|e| {
            CommandError::of_kind(
                ErrorKind::Provider,
                format!("the test to {to} was not sent: {e}"),
            )
        })?;
    }
    Ok(())
}
