//! Tags across the workspace.

use herald_store::tags;
use tauri::State;

use crate::dto::TagCount;
use crate::error::CommandResult;
use crate::state::AppState;

/// Every tag with how many contacts carry it, alphabetically.
#[tauri::command]
pub async fn tags_list(state: State<'_, AppState>) -> CommandResult<Vec<TagCount>> {
    let tags = tags::list(&state.store).await?;
    Ok(tags.into_iter().map(TagCount::from).collect())
}
