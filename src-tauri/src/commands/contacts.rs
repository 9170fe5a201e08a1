//! The contact table, the contact page, and the add/edit form.

use herald_core::{ContactId, EmailStatus, SmsStatus};
use herald_store::consent_events::{self, ConsentInput};
use herald_store::{contacts, interactions, ledger, projects, settings, tags, Store};
use tauri::State;

use crate::dto::{
    self, CheckedField, ContactDetail, ContactInput, ContactListQuery, ContactPage, FieldCheck,
};
use crate::error::{CommandError, CommandResult};
use crate::parse::{self, ParsedInput};
use crate::state::AppState;

/// Where a status change made in the app says it came from, in the ledger.
const APP_SOURCE: &str = "herald app";
const APP_METHOD: &str = "manual";

/// Everything the contact page shows about one contact.
pub(crate) async fn detail(store: &Store, id: ContactId) -> CommandResult<ContactDetail> {
    let contact = contacts::get(store, id).await?;
    let events = consent_events::for_contact(store, id).await?;
    let timeline = interactions::for_contact(store, id).await?;
    let deals = projects::for_contact(store, id).await?;
    let campaigns = ledger::for_contact(store, id.as_uuid()).await?;
    Ok(ContactDetail::new(&contact, &events, &timeline, &deals).with_campaigns(&campaigns))
}

#[tauri::command]
pub async fn contacts_list(
    state: State<'_, AppState>,
    query: ContactListQuery,
) -> CommandResult<ContactPage> {
    let page = contacts::page(&state.store, &query.into()).await?;
    Ok(page.into())
}

#[tauri::command]
pub async fn contacts_get(state: State<'_, AppState>, id: String) -> CommandResult<ContactDetail> {
    detail(&state.store, parse::contact_id(&id, "id")?).await
}

#[tauri::command]
pub async fn contacts_create(
    state: State<'_, AppState>,
    input: ContactInput,
) -> CommandResult<ContactDetail> {
    let region = settings::default_region(&state.store).await?;
    let new = ParsedInput::parse(input, region)?.into_new_contact();
    let contact = contacts::create(&state.store, new).await?;
    detail(&state.store, contact.id).await
}

/// Replaces the contact's fields with the form's; nothing is saved on error.
#[tauri::command]
pub async fn contacts_update(
    state: State<'_, AppState>,
    id: String,
    input: ContactInput,
) -> CommandResult<ContactDetail> {
    let id = parse::contact_id(&id, "id")?;
    let region = settings::default_region(&state.store).await?;
    let patch = ParsedInput::parse(input, region)?.into_patch();
    contacts::update(&state.store, id, &patch).await?;
    detail(&state.store, id).await
}

/// Checks one form input with the parsers saving uses. `country` (optional)
/// is the form's country, used to read a national phone number.
#[tauri::command]
pub async fn contacts_check_field(
    state: State<'_, AppState>,
    field: CheckedField,
    value: String,
    country: Option<String>,
) -> CommandResult<FieldCheck> {
    let region = settings::default_region(&state.store).await?;
    Ok(parse::check_field(
        field,
        &value,
        country.as_deref(),
        region,
    ))
}

#[tauri::command]
pub async fn contacts_edit_tags(
    state: State<'_, AppState>,
    id: String,
    add: Vec<String>,
    remove: Vec<String>,
) -> CommandResult<Vec<String>> {
    let id = parse::contact_id(&id, "id")?;
    Ok(tags::edit_contact_tags(&state.store, id, &add, &remove).await?)
}

/// Changes a subscription status; the ledger records it as a manual change
/// made in the app.
#[tauri::command]
pub async fn contacts_set_status(
    state: State<'_, AppState>,
    id: String,
    channel: dto::Channel,
    status: String,
) -> CommandResult<ContactDetail> {
    let id = parse::contact_id(&id, "id")?;
    let how = ConsentInput::new(APP_SOURCE, APP_METHOD);
    let invalid = |e: herald_core::StatusError| CommandError::validation("status", e.to_string());
    match channel {
        dto::Channel::Email => {
            let status = EmailStatus::parse(&status).map_err(invalid)?;
            contacts::set_email_status(&state.store, id, status, &how).await?;
        }
        dto::Channel::Sms => {
            let status = SmsStatus::parse(&status).map_err(invalid)?;
            contacts::set_sms_status(&state.store, id, status, &how).await?;
        }
    }
    detail(&state.store, id).await
}
