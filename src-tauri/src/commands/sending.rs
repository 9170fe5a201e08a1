//! Sending a campaign: its audience, the preview, test sends, send now or
//! on a schedule, pause/resume/cancel, the deliberate resends, live
//! progress and the recipient table. Runs go through the app's `Sender`.

use std::sync::Arc;

use herald_core::{ContactId, EmailAddress};
use herald_send::email::campaign::{self as email, recipient_data};
use herald_send::email::compose::RecipientData;
use herald_send::email::hints;
use herald_send::email::smtp::{Endpoint, SmtpPool};
use herald_store::campaigns::{self, CampaignId};
use herald_store::ledger::{self, BatchRow};
use herald_store::{campaign_runs, contacts};
use tauri::State;
use uuid::Uuid;

use crate::dto::campaigns::{CampaignDetail, CampaignStatus};
use crate::dto::sending::{
    AudienceSummary, CampaignPreview, CampaignProgress, RecipientPage, RecipientQuery,
};
use crate::error::{CommandError, CommandResult};
use crate::sending::setup_error;
use crate::state::AppState;

/// The most addresses one test send goes to.
pub(crate) const MAX_TEST_ADDRESSES: usize = 5;

pub(crate) fn campaign_id(raw: &str) -> CommandResult<Uuid> {
    CampaignId::parse(raw)
        .map(|id| id.as_uuid())
        .map_err(|e| CommandError::validation("id", e.to_string()))
}

async fn detail(state: &AppState, id: Uuid) -> CommandResult<CampaignDetail> {
    let cid = CampaignId::from_uuid(id);
    let c = campaigns::get(&state.store, cid).await?;
    let counts = campaigns::counts(&state.store, cid).await?;
    let attachments = herald_store::campaign_attachments::list(&state.store, cid).await?;
    let failure = herald_store::start_failures::get(&state.store, id).await?;
    Ok(CampaignDetail::new(c, counts, attachments, failure))
}

/// Who the campaign would go to now (or went to, once resolved), and
/// whether opens and clicks will be tracked.
#[tauri::command]
pub async fn campaign_audience(
    state: State<'_, AppState>,
    id: String,
) -> CommandResult<AudienceSummary> {
    let id = campaign_id(&id)?;
    let c = campaigns::get(&state.store, CampaignId::from_uuid(id)).await?;
    let audience = if c.resolved_at.is_some() {
        ledger::resolve(&state.store, id).await?
    } else {
        let segment = c
            .segment_id
            .ok_or_else(|| CommandError::validation("segmentId", "choose a segment to send to"))?;
        ledger::audience(&state.store, segment, c.channel).await?
    };
    if c.channel == herald_core::Channel::Sms {
        let relay = herald_store::relay_sync::url(&state.store).await?;
        let note = relay.is_none().then(|| {
            "No relay is set up: delivery reports and STOP replies reach Herald only through \
             the relay (Settings → Relay). Replies are still honoured by the provider."
                .to_owned()
        });
        return Ok(AudienceSummary::new(audience, false, note));
    }
    let relay = email::relay_signing(&state.store, &state.secrets)
        .await
        .map_err(setup_error)?;
    let mailto = email::unsubscribe_mailto(&state.store)
        .await
        .map_err(setup_error)?;
    let (tracking_on, note) = match (&relay, c.tracking, mailto) {
        (Some(_), true, _) => (true, None),
        (Some(_), false, _) => (
            false,
            Some("Tracking is off for this campaign: opens and clicks are not counted.".to_owned()),
        ),
        (None, _, Some(mailto)) => (
            false,
            Some(format!(
                "No relay is set up, so opens and clicks are not tracked, and the unsubscribe \
                 link writes to {mailto}. Set up the relay in Settings → Relay for tracking and \
                 one-click unsubscribe."
            )),
        ),
        (None, _, None) => (
            false,
            Some(
                "No relay is set up and no unsubscribe address is set: add an unsubscribe \
                 address in Settings → Email (or set up the relay) before sending."
                    .to_owned(),
            ),
        ),
    };
    Ok(AudienceSummary::new(audience, tracking_on, note))
}

/// What a contact's personalisation sees; with no contact, an example
/// person with no details (every `default()` shows).
pub(crate) async fn personalise_for(
    state: &AppState,
    contact: Option<&str>,
    address: Option<&EmailAddress>,
) -> CommandResult<(RecipientData, Option<String>, Option<String>)> {
    let example = || EmailAddress::parse("someone@example.com").expect("a valid example address");
    let Some(raw) = contact.map(str::trim).filter(|c| !c.is_empty()) else {
        let mut data = recipient_data(&BatchRow {
            contact_id: Uuid::nil(),
            address: example().to_string(),
            attempts: 0,
            first_name: None,
            last_name: None,
            email: None,
            phone: None,
            company: None,
            city: None,
            region: None,
            country: None,
            custom: serde_json::Map::new(),
        })
        .map_err(|e| CommandError::validation("contactId", e))?;
        if let Some(address) = address {
            data.email = Some(address.clone());
        }
        return Ok((data, None, None));
    };
    let id =
        ContactId::parse(raw).map_err(|e| CommandError::validation("contactId", e.to_string()))?;
    let c = contacts::get(&state.store, id).await?;
    let label = match (&c.first_name, &c.last_name, &c.email) {
        (Some(f), Some(l), _) => format!("{f} {l}"),
        (Some(f), None, _) => f.clone(),
        (None, _, Some(e)) => e.to_string(),
        _ => raw.to_owned(),
    };
    let custom = serde_json::to_value(&c.custom)
        .ok()
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default();
    let email = address
        .cloned()
        .or_else(|| c.email.clone())
        .unwrap_or_else(example);
    let data = RecipientData {
        // Test sends and previews never carry the contact's id in their
        // tokens: a click on a test message must not count as theirs.
        contact_id: if address.is_some() {
            Uuid::nil()
        } else {
            id.as_uuid()
        },
        email: Some(email),
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        phone: c.phone.as_ref().map(ToString::to_string),
        company: c.company.clone(),
        country: c.country.as_ref().map(ToString::to_string),
        custom: custom.into_iter().collect(),
    };
    Ok((data, Some(id.to_string()), Some(label)))
}

/// The campaign rendered for a contact (or an example person), with
/// spam-risk hints.
#[tauri::command]
pub async fn campaign_preview(
    state: State<'_, AppState>,
    id: String,
    contact_id: Option<String>,
) -> CommandResult<CampaignPreview> {
    let id = campaign_id(&id)?;
    if herald_send::campaign::channel_of(&state.store, id).await? == herald_core::Channel::Sms {
        return super::sms_campaign::preview(&state, id, contact_id.as_deref()).await;
    }
    let (prepared, _) = email::prepare(&state.store, &state.secrets, id)
        .await
        .map_err(setup_error)?;
    let (data, contact_id, contact_label) =
        personalise_for(&state, contact_id.as_deref(), None).await?;
    let preview = prepared
        .preview(&data)
        .map_err(|e| CommandError::validation("contactId", e.to_string()))?;
    let smtp = email::smtp_settings(&state.store)
        .await
        .map_err(setup_error)?;
    let from = campaigns::get(&state.store, CampaignId::from_uuid(id))
        .await?
        .from_address
        .map(|a| a.to_string())
        .unwrap_or_else(|| smtp.from_address().to_string());
    let hints = hints::hints(
        &preview.subject,
        &preview.html,
        &preview.text,
        &from,
        smtp.host(),
    );
    Ok(CampaignPreview {
        subject: preview.subject,
        html: preview.html,
        text: preview.text,
        contact_id,
        contact_label,
        hints,
        sms: None,
    })
}

/// Sends the campaign to up to five addresses, personalised for a chosen
/// contact, with "[Test]" before the subject. Nothing goes in the ledger.
#[tauri::command]
pub async fn campaign_test_send(
    state: State<'_, AppState>,
    id: String,
    addresses: Vec<String>,
    contact_id: Option<String>,
) -> CommandResult<()> {
    let id = campaign_id(&id)?;
    if herald_send::campaign::channel_of(&state.store, id).await? == herald_core::Channel::Sms {
        return super::sms_campaign::test_send(&state, id, &addresses, contact_id.as_deref()).await;
    }
    let addresses: Vec<EmailAddress> = addresses
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .map(|a| {
            EmailAddress::parse(a)
                .map_err(|e| CommandError::validation("addresses", format!("{a}: {e}")))
        })
        .collect::<CommandResult<_>>()?;
    if addresses.is_empty() {
        return Err(CommandError::validation(
            "addresses",
            "enter at least one address",
        ));
    }
    if addresses.len() > MAX_TEST_ADDRESSES {
        return Err(CommandError::validation(
            "addresses",
            format!("a test goes to {MAX_TEST_ADDRESSES} addresses at most"),
        ));
    }
    let (prepared, _) = email::prepare(&state.store, &state.secrets, id)
        .await
        .map_err(setup_error)?;
    let smtp = email::smtp_settings(&state.store)
        .await
        .map_err(setup_error)?;
    // So that the test message's web version link works.
    email::publish_web_version(&state.store, &state.secrets, &prepared)
        .await
        .map_err(setup_error)?;
    let password = match smtp.username() {
        Some(_) => herald_send::email::smtp::settings::password(Arc::clone(&state.secrets))
            .await
            .map_err(|e| setup_error(e.into()))?,
        None => None,
    };
    let pool = SmtpPool::new(Endpoint::new(&smtp, password), 1);
    for address in &addresses {
        let (data, _, _) = personalise_for(&state, contact_id.as_deref(), Some(address)).await?;
        let message = prepared
            .render(&data, true)
            .map_err(|e| CommandError::validation("contactId", e.to_string()))?;
        pool.send(&message.envelope_from, &message.to, &message.raw)
            .await
            .map_err(|e| {
                CommandError::of_kind(
                    crate::error::ErrorKind::Provider,
                    format!("the test to {address} was not sent: {e}"),
                )
            })?;
    }
    pool.close().await;
    Ok(())
}

async fn progress(state: &AppState, id: Uuid) -> CommandResult<CampaignProgress> {
    let cid = CampaignId::from_uuid(id);
    let run = campaign_runs::state(&state.store, id).await?;
    let counts = campaigns::counts(&state.store, cid).await?;
    let rate = state.sender.rate(id, counts.sent + counts.failed);
    let eta =
        (rate > 0.0 && counts.queued > 0).then(|| (counts.queued as f64 / rate).ceil() as i64);
    let status = campaigns::CampaignStatus::parse(&run.status)
        .map_err(|e| CommandError::internal(&anyhow::anyhow!("{e}")))?;
    Ok(CampaignProgress {
        id: id.to_string(),
        status: CampaignStatus::from(status),
        counts: counts.into(),
        rate_per_second: rate,
        eta_seconds: eta,
        last_error: run.last_error,
    })
}

/// Sends a draft (or a scheduled campaign) now. `expected_recipients` is the
/// number the person confirmed; a different audience now refuses.
#[tauri::command]
pub async fn campaign_send_now(
    state: State<'_, AppState>,
    id: String,
    expected_recipients: i64,
) -> CommandResult<CampaignProgress> {
    let id = campaign_id(&id)?;
    state
        .sender
        .start_now(id, Some(expected_recipients))
        .await?;
    progress(&state, id).await
}

/// Schedules a draft for `at` (ms since the epoch), after checking it could
/// be sent as it is.
#[tauri::command]
pub async fn campaign_schedule(
    state: State<'_, AppState>,
    id: String,
    at: i64,
) -> CommandResult<CampaignDetail> {
    let id = campaign_id(&id)?;
    email::prepare(&state.store, &state.secrets, id)
        .await
        .map_err(setup_error)?;
    campaign_runs::schedule(&state.store, id, at).await?;
    detail(&state, id).await
}

#[tauri::command]
pub async fn campaign_unschedule(
    state: State<'_, AppState>,
    id: String,
) -> CommandResult<CampaignDetail> {
    let id = campaign_id(&id)?;
    campaign_runs::unschedule(&state.store, id).await?;
    detail(&state, id).await
}

#[tauri::command]
pub async fn campaign_pause(
    state: State<'_, AppState>,
    id: String,
) -> CommandResult<CampaignProgress> {
    let id = campaign_id(&id)?;
    campaign_runs::pause(&state.store, id).await?;
    state.sender.stop(id);
    progress(&state, id).await
}

#[tauri::command]
pub async fn campaign_resume(
    state: State<'_, AppState>,
    id: String,
) -> CommandResult<CampaignProgress> {
    let id = campaign_id(&id)?;
    email::prepare(&state.store, &state.secrets, id)
        .await
        .map_err(setup_error)?;
    campaign_runs::resume(&state.store, id).await?;
    state.sender.launch(id).await?;
    progress(&state, id).await
}

#[tauri::command]
pub async fn campaign_cancel(
    state: State<'_, AppState>,
    id: String,
) -> CommandResult<CampaignProgress> {
    let id = campaign_id(&id)?;
    campaign_runs::cancel(&state.store, id).await?;
    state.sender.stop(id);
    progress(&state, id).await
}

/// Queues the failed recipients again, and sends them if the campaign is
/// being sent or has finished (a finished campaign goes back to sending).
#[tauri::command]
pub async fn campaign_retry_failed(
    state: State<'_, AppState>,
    id: String,
) -> CommandResult<CampaignProgress> {
    let id = campaign_id(&id)?;
    ledger::retry_failed(&state.store, id).await?;
    continue_if_needed(&state, id).await?;
    progress(&state, id).await
}

/// Queues the chosen in-doubt recipients again: the person accepts that
/// some of them may get the message twice.
#[tauri::command]
pub async fn campaign_resend_in_doubt(
    state: State<'_, AppState>,
    id: String,
    contact_ids: Vec<String>,
) -> CommandResult<CampaignProgress> {
    let id = campaign_id(&id)?;
    let contacts: Vec<Uuid> = contact_ids
        .iter()
        .map(|c| {
            ContactId::parse(c)
                .map(|c| c.as_uuid())
                .map_err(|e| CommandError::validation("contactIds", e.to_string()))
        })
        .collect::<CommandResult<_>>()?;
    ledger::resend_in_doubt(&state.store, id, &contacts).await?;
    continue_if_needed(&state, id).await?;
    progress(&state, id).await
}

/// A `sent` campaign with requeued recipients goes back to sending them.
async fn continue_if_needed(state: &AppState, id: Uuid) -> CommandResult<()> {
    let run = campaign_runs::state(&state.store, id).await?;
    match run.status.as_str() {
        "sent" => {
            campaign_runs::reopen(&state.store, id).await?;
            state.sender.launch(id).await
        }
        "sending" => state.sender.launch(id).await,
        _ => Ok(()),
    }
}

#[tauri::command]
pub async fn campaign_progress(
    state: State<'_, AppState>,
    id: String,
) -> CommandResult<CampaignProgress> {
    let id = campaign_id(&id)?;
    progress(&state, id).await
}

#[tauri::command]
pub async fn campaign_recipients(
    state: State<'_, AppState>,
    id: String,
    query: RecipientQuery,
) -> CommandResult<RecipientPage> {
    let id = campaign_id(&id)?;
    let (rows, total) = ledger::recipients(
        &state.store,
        id,
        &ledger::RecipientQuery {
            status: query.status.map(Into::into),
            search: query.search,
            offset: query.offset,
            limit: query.limit,
        },
    )
    .await?;
    Ok(RecipientPage {
        rows: rows.into_iter().map(Into::into).collect(),
        total,
    })
}

/// The recipients (all, or those in `status`) as CSV text; the UI saves it.
#[tauri::command]
pub async fn campaign_recipients_export(
    state: State<'_, AppState>,
    id: String,
    status: Option<crate::dto::sending::RecipientStatus>,
) -> CommandResult<String> {
    let id = campaign_id(&id)?;
    Ok(ledger::export_csv(&state.store, id, status.map(Into::into)).await?)
}
