//! The user-editable list of project statuses (defaults: lead, active,
//! on_hold, won, lost).

use anyhow::Context;

use crate::{Result, Store, StoreError};

/// The statuses in display order.
pub async fn list(store: &Store) -> Result<Vec<String>> {
    let names = sqlx::query_scalar("SELECT name FROM project_statuses ORDER BY position, name")
        .fetch_all(store.pool())
        .await
        .context("listing project statuses")?;
    Ok(names)
}

/// Checks a status name: lower-case words joined by underscores.
pub fn clean_name(raw: &str) -> Result<String> {
    let name = raw.trim().to_lowercase().replace([' ', '-'], "_");
    let valid = !name.is_empty()
        && name.len() <= 32
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if valid {
        Ok(name)
    } else {
        Err(StoreError::validation(
            "status",
            format!(
                "\"{}\" is not a valid status name: use letters, digits and underscores",
                raw.trim()
            ),
        ))
    }
}

/// Adds a status at the end of the list.
pub async fn add(store: &Store, raw: &str) -> Result<String> {
    let name = clean_name(raw)?;
    let mut tx = store.begin_write().await?;
    let done = sqlx::query(
        "INSERT OR IGNORE INTO project_statuses (name, position)
         VALUES (?, (SELECT coalesce(max(position), -1) + 1 FROM project_statuses))",
    )
    .bind(&name)
    .execute(&mut *tx)
    .await
    .context("adding a project status")?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict(format!(
            "status: \"{name}\" already exists"
        )));
    }
    tx.commit().await.context("committing a project status")?;
    Ok(name)
}
