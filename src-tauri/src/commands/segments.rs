//! Segments: the list, the builder (save, check, live preview) and counts.

use std::sync::atomic::Ordering;

use herald_store::segments::{self, PREVIEW_SORTS};
use serde_json::Value;
use tauri::State;

use crate::dto::contacts::{ContactRow, SortDirection};
use crate::dto::segments::{
    CustomFieldInfo, FilterIssue, SegmentCount, SegmentDetail, SegmentInput, SegmentPreview,
    SegmentPreviewQuery, SegmentSummary,
};
use crate::error::{CommandError, CommandResult};
use crate::parse;
use crate::state::AppState;

async fn detail(state: &AppState, id: herald_core::SegmentId) -> CommandResult<SegmentDetail> {
    let segment = segments::get(&state.store, id).await?;
    let used_by = segments::used_by(&state.store, id).await?;
    Ok(SegmentDetail::new(segment, used_by))
}

/// Every segment, by name, with its last count.
#[tauri::command]
pub async fn segments_list(state: State<'_, AppState>) -> CommandResult<Vec<SegmentSummary>> {
    let all = segments::list(&state.store).await?;
    Ok(all.iter().map(SegmentSummary::from).collect())
}

#[tauri::command]
pub async fn segments_get(state: State<'_, AppState>, id: String) -> CommandResult<SegmentDetail> {
    detail(&state, parse::segment_id(&id, "id")?).await
}

#[tauri::command]
pub async fn segments_create(
    state: State<'_, AppState>,
    input: SegmentInput,
) -> CommandResult<SegmentDetail> {
    let saved = segments::create(&state.store, &input.into()).await?;
    detail(&state, saved.id).await
}

#[tauri::command]
pub async fn segments_update(
    state: State<'_, AppState>,
    id: String,
    input: SegmentInput,
) -> CommandResult<SegmentDetail> {
    let id = parse::segment_id(&id, "id")?;
    segments::update(&state.store, id, &input.into()).await?;
    detail(&state, id).await
}

/// Copies a segment as "<name> (copy)".
#[tauri::command]
pub async fn segments_duplicate(
    state: State<'_, AppState>,
    id: String,
) -> CommandResult<SegmentDetail> {
    let copy = segments::duplicate(&state.store, parse::segment_id(&id, "id")?).await?;
    detail(&state, copy.id).await
}

/// Refused (conflict) while another segment uses it.
#[tauri::command]
pub async fn segments_delete(state: State<'_, AppState>, id: String) -> CommandResult<()> {
    segments::delete(&state.store, parse::segment_id(&id, "id")?).await?;
    Ok(())
}

/// Every problem with a filter, each at its JSON path; empty when it is
/// valid. `editing` is the segment being edited, so that a filter that
/// would include itself is caught.
#[tauri::command]
pub async fn segments_check(
    state: State<'_, AppState>,
    filter: Value,
    editing: Option<String>,
) -> CommandResult<Vec<FilterIssue>> {
    let editing = editing
        .as_deref()
        .filter(|e| !e.trim().is_empty())
        .map(|e| parse::segment_id(e, "editing"))
        .transpose()?;
    let issues = segments::check(&state.store, &filter, editing).await?;
    Ok(issues.into_iter().map(FilterIssue::from).collect())
}

/// The refusal of a preview that a newer one has overtaken; the UI drops it.
fn superseded() -> CommandError {
    CommandError {
        field: Some("ticket".to_owned()),
        ..CommandError::conflict("a newer preview replaced this one")
    }
}

/// The exact count and first page of what a filter matches. A request whose
/// ticket is older than the newest one seen is refused before it runs and
/// again before it answers, so a burst of edits costs one query, not many.
#[tauri::command]
pub async fn segments_preview(
    state: State<'_, AppState>,
    query: SegmentPreviewQuery,
) -> CommandResult<SegmentPreview> {
    let ticket = query.ticket;
    let newest = state
        .preview_ticket
        .fetch_max(ticket, Ordering::SeqCst)
        .max(ticket);
    if newest > ticket {
        return Err(superseded());
    }
    let sort = query.sort.into();
    if !PREVIEW_SORTS.contains(&sort) {
        return Err(CommandError::validation(
            "sort",
            "a preview sorts by name, created, last interaction or revenue",
        ));
    }
    let direction = match query.direction {
        SortDirection::Asc => herald_store::contacts::Direction::Asc,
        SortDirection::Desc => herald_store::contacts::Direction::Desc,
    };
    let preview = segments::preview(
        &state.store,
        &query.filter,
        sort,
        direction,
        query.after,
        query.limit,
    )
    .await?;
    if state.preview_ticket.load(Ordering::SeqCst) > ticket {
        return Err(superseded());
    }
    Ok(SegmentPreview {
        count: preview.count,
        items: preview.contacts.iter().map(ContactRow::from).collect(),
        next_cursor: preview.next_cursor,
        elapsed_ms: u64::try_from(preview.elapsed.as_millis()).unwrap_or(u64::MAX),
        ticket,
    })
}

/// A saved segment's exact count: instant when cached for the current data.
#[tauri::command]
pub async fn segments_count(state: State<'_, AppState>, id: String) -> CommandResult<SegmentCount> {
    let (count, elapsed) = segments::count(&state.store, parse::segment_id(&id, "id")?).await?;
    Ok(SegmentCount {
        count,
        elapsed_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
    })
}

/// The custom field keys in use, with the kind of value each holds.
#[tauri::command]
pub async fn segments_custom_fields(
    state: State<'_, AppState>,
) -> CommandResult<Vec<CustomFieldInfo>> {
    let fields = segments::custom_fields(&state.store).await?;
    Ok(fields
        .into_iter()
        .map(|(key, kind)| CustomFieldInfo::new(key, kind))
        .collect())
}
