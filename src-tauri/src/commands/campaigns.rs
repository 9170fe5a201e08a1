//! Campaign records: the list, the editor (create, update, delete,
//! duplicate), templates and attachments. Sending is in `sending`.
//!
//! Saving checks the personalisation of the subject, preheader and bodies
//! with the composer's own parser, so a template that could not render is
//! refused at save time with its line and column, not at send time.

use anyhow::Context;
use herald_core::SegmentId;
use herald_send::email::campaign::relay_signing;
use herald_send::email::compose::{self, Part, Relay};
use herald_store::campaigns::{self, AttachmentId, CampaignId, CampaignQuery, Editor, TemplateId};
use herald_store::{campaign_attachments, campaign_templates, segments, start_failures};
use tauri::State;

use crate::dto::campaigns::{
    core_channel, AttachmentInfo, CampaignDetail, CampaignEditor, CampaignInput,
    CampaignStartFailure, CampaignStatus, CampaignSummary, TemplateDetail, TemplateInput,
    TemplateSummary,
};
use crate::dto::Channel;
use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

fn id_of<T>(
    raw: &str,
    field: &str,
    parse: fn(&str) -> Result<T, herald_core::IdError>,
) -> CommandResult<T> {
    parse(raw).map_err(|e| CommandError::validation(field, e.to_string()))
}

fn optional_id<T>(
    raw: Option<&str>,
    field: &str,
    parse: fn(&str) -> Result<T, herald_core::IdError>,
) -> CommandResult<Option<T>> {
    raw.map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| id_of(r, field, parse))
        .transpose()
}

/// Refuses a subject, preheader or body whose personalisation would not
/// render: a syntax error, a variable contacts do not have, or
/// `web_view_url` without a relay to serve the web version.
async fn check_personalisation(state: &AppState, input: &CampaignInput) -> CommandResult<()> {
    let known: Vec<String> = segments::custom_fields(&state.store)
        .await?
        .into_iter()
        .map(|(key, _)| key)
        .collect();
    let parts = [
        ("subject", Part::Subject, Some(input.subject.as_str())),
        ("preheader", Part::Preheader, input.preheader.as_deref()),
        ("html", Part::Html, Some(input.html.as_str())),
        ("textBody", Part::Text, input.text_body.as_deref()),
    ];
    // The keychain is only asked when the variable may be there: saving
    // must not depend on it otherwise.
    let mentions_web_view = parts
        .iter()
        .any(|(_, _, source)| source.is_some_and(|s| s.contains("web_view_url")));
    let relay = if input.channel == Channel::Sms {
        Relay::TextMessage
    } else if mentions_web_view
        && relay_signing(&state.store, &state.secrets)
            .await
            .map_err(crate::sending::setup_error)?
            .is_some()
    {
        Relay::Set
    } else {
        Relay::NotSet
    };
    for (field, part, source) in parts {
        if let Some(source) = source.filter(|s| !s.trim().is_empty()) {
            compose::validate(source, part, &known, relay)
                .map_err(|issue| CommandError::validation(field, issue.to_string()))?;
        }
    }
    Ok(())
}

fn store_input(input: CampaignInput) -> CommandResult<campaigns::CampaignInput> {
    Ok(campaigns::CampaignInput {
        channel: core_channel(input.channel),
        segment_id: optional_id(input.segment_id.as_deref(), "segmentId", SegmentId::parse)?,
        template_id: optional_id(
            input.template_id.as_deref(),
            "templateId",
            TemplateId::parse,
        )?,
        name: input.name,
        subject: input.subject,
        preheader: input.preheader,
        from_name: input.from_name,
        from_address: input.from_address,
        reply_to: input.reply_to,
        html: input.html,
        text_body: input.text_body,
        editor: match input.editor {
            CampaignEditor::Rich => Editor::Rich,
            CampaignEditor::Html => Editor::Html,
        },
        tracking: input.tracking,
        sms_opt_out: input.sms_opt_out.unwrap_or(true),
        rate: input.rate,
    })
}

async fn detail(state: &AppState, id: CampaignId) -> CommandResult<CampaignDetail> {
    let campaign = campaigns::get(&state.store, id).await?;
    let counts = campaigns::counts(&state.store, id).await?;
    let attachments = campaign_attachments::list(&state.store, id).await?;
    let failure = start_failures::get(&state.store, id.as_uuid()).await?;
    Ok(CampaignDetail::new(campaign, counts, attachments, failure))
}

/// Campaigns newest first, optionally searched (name, subject and body
/// text) and filtered by status and channel.
#[tauri::command]
pub async fn campaigns_list(
    state: State<'_, AppState>,
    search: Option<String>,
    status: Option<Vec<CampaignStatus>>,
    channel: Option<Channel>,
) -> CommandResult<Vec<CampaignSummary>> {
    let query = CampaignQuery {
        search,
        statuses: status
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect(),
        channel: channel.map(core_channel),
    };
    let list = campaigns::list(&state.store, &query).await?;
    let mut failures = start_failures::all(&state.store).await?;
    Ok(list
        .into_iter()
        .map(|c| {
            let failure = failures.remove(&c.id.as_uuid());
            let status = c.status;
            CampaignSummary {
                start_failure: CampaignStartFailure::of(status, failure),
                ..CampaignSummary::from(c)
            }
        })
        .collect())
}

#[tauri::command]
pub async fn campaigns_get(
    state: State<'_, AppState>,
    id: String,
) -> CommandResult<CampaignDetail> {
    detail(&state, id_of(&id, "id", CampaignId::parse)?).await
}

/// Saves a new draft.
#[tauri::command]
pub async fn campaigns_create(
    state: State<'_, AppState>,
    input: CampaignInput,
) -> CommandResult<CampaignDetail> {
    check_personalisation(&state, &input).await?;
    let saved = campaigns::create(&state.store, &store_input(input)?).await?;
    detail(&state, saved.id).await
}

/// Saves the editor; refused (conflict) once the campaign is not a draft,
/// scheduled or paused.
#[tauri::command]
pub async fn campaigns_update(
    state: State<'_, AppState>,
    id: String,
    input: CampaignInput,
) -> CommandResult<CampaignDetail> {
    let id = id_of(&id, "id", CampaignId::parse)?;
    check_personalisation(&state, &input).await?;
    campaigns::update(&state.store, id, &store_input(input)?).await?;
    detail(&state, id).await
}

/// Refused (conflict) while the campaign is sending.
#[tauri::command]
pub async fn campaigns_delete(state: State<'_, AppState>, id: String) -> CommandResult<()> {
    campaigns::delete(&state.store, id_of(&id, "id", CampaignId::parse)?).await?;
    Ok(())
}

/// A new draft "<name> (copy)" with the same content, settings and files.
#[tauri::command]
pub async fn campaigns_duplicate(
    state: State<'_, AppState>,
    id: String,
) -> CommandResult<CampaignDetail> {
    let copy = campaigns::duplicate(&state.store, id_of(&id, "id", CampaignId::parse)?).await?;
    detail(&state, copy.id).await
}

/// The built-in starters, then the user's templates by name.
#[tauri::command]
pub async fn campaign_templates_list(
    state: State<'_, AppState>,
) -> CommandResult<Vec<TemplateSummary>> {
    let all = campaign_templates::list(&state.store).await?;
    Ok(all.into_iter().map(TemplateSummary::from).collect())
}

#[tauri::command]
pub async fn campaign_templates_get(
    state: State<'_, AppState>,
    id: String,
) -> CommandResult<TemplateDetail> {
    let template =
        campaign_templates::get(&state.store, id_of(&id, "id", TemplateId::parse)?).await?;
    Ok(template.into())
}

/// Saves the editor's HTML as the user's template of that name (replacing
/// the user's template of the same name).
#[tauri::command]
pub async fn campaign_templates_save(
    state: State<'_, AppState>,
    input: TemplateInput,
) -> CommandResult<TemplateDetail> {
    let saved = campaign_templates::save(&state.store, &input.name, &input.html).await?;
    Ok(saved.into())
}

/// Refused (conflict) for a built-in starter.
#[tauri::command]
pub async fn campaign_templates_delete(
    state: State<'_, AppState>,
    id: String,
) -> CommandResult<()> {
    campaign_templates::delete(&state.store, id_of(&id, "id", TemplateId::parse)?).await?;
    Ok(())
}

/// The content type of an attachment, from its extension. Unknown kinds are
/// sent as plain bytes; nothing is ever opened or run.
fn content_type(file_name: &str) -> &'static str {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "ics" => "text/calendar",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "zip" => "application/zip",
        "json" => "application/json",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

/// Attaches a file uploaded with `import_upload`'s chunked upload; the
/// upload is used up either way.
#[tauri::command]
pub async fn campaign_attachments_add(
    state: State<'_, AppState>,
    campaign_id: String,
    upload_id: String,
) -> CommandResult<AttachmentInfo> {
    let campaign = id_of(&campaign_id, "campaignId", CampaignId::parse)?;
    let upload = state.uploads.get(&upload_id)?;
    let limit = campaign_attachments::MAX_FILE_BYTES as u64;
    let result = if upload.bytes > limit {
        // Refused before reading: an upload may be far larger than this.
        Err(CommandError::validation(
            "file",
            format!(
                "\"{}\" is larger than 5 MB, the most an attachment can be",
                upload.file_name
            ),
        ))
    } else {
        match std::fs::read(&upload.path)
            .with_context(|| format!("reading the upload {}", upload.path.display()))
        {
            Ok(bytes) => campaign_attachments::add(
                &state.store,
                campaign,
                &upload.file_name,
                content_type(&upload.file_name),
                &bytes,
            )
            .await
            .map(AttachmentInfo::from)
            .map_err(CommandError::from),
            Err(e) => Err(e.into()),
        }
    };
    state.uploads.discard(&upload_id);
    result
}

#[tauri::command]
pub async fn campaign_attachments_remove(
    state: State<'_, AppState>,
    campaign_id: String,
    attachment_id: String,
) -> CommandResult<()> {
    campaign_attachments::remove(
        &state.store,
        id_of(&campaign_id, "campaignId", CampaignId::parse)?,
        id_of(&attachment_id, "attachmentId", AttachmentId::parse)?,
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::content_type;

    #[test]
    fn content_types_come_from_the_extension_and_default_to_bytes() {
        assert_eq!(content_type("Menu.PDF"), "application/pdf");
        assert_eq!(content_type("a.b.jpeg"), "image/jpeg");
        assert_eq!(content_type("setup.exe"), "application/octet-stream");
        assert_eq!(content_type("README"), "application/octet-stream");
    }
}
