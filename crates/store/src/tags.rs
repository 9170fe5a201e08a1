//! Tags (unique by name, case-insensitively) and the `contact_tags` join.

use anyhow::Context;
use herald_core::{ContactId, TagId};
use serde::Serialize;
use sqlx::SqliteConnection;

use crate::{generation, now_millis, Result, Store, StoreError};

/// Characters that separate tags in a CSV cell, so they cannot be in a name.
pub const SEPARATORS: [char; 3] = [',', ';', '|'];

/// Checks and trims a tag name.
pub fn clean_name(raw: &str) -> Result<String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(StoreError::validation("tag", "a tag name cannot be empty"));
    }
    if name.chars().count() > 64 {
        return Err(StoreError::validation(
            "tag",
            format!("\"{name}\" is longer than 64 characters"),
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| SEPARATORS.contains(c) || c.is_control())
    {
        return Err(StoreError::validation(
            "tag",
            format!("\"{name}\" contains {c:?}, which cannot be part of a tag name"),
        ));
    }
    Ok(name.to_owned())
}

/// The id of the tag with this name, creating it if needed. The first
/// spelling used is kept ("VIP" and "vip" are the same tag).
pub async fn ensure(conn: &mut SqliteConnection, raw_name: &str) -> Result<TagId> {
    let name = clean_name(raw_name)?;
    let existing: Option<uuid::Uuid> = sqlx::query_scalar("SELECT id FROM tags WHERE name = ?")
        .bind(&name)
        .fetch_optional(&mut *conn)
        .await
        .context("looking a tag up")?;
    if let Some(id) = existing {
        return Ok(TagId::from_uuid(id));
    }
    let id = TagId::new();
    sqlx::query("INSERT INTO tags (id, name, created_at) VALUES (?, ?, ?)")
        .bind(id.as_uuid())
        .bind(&name)
        .bind(now_millis())
        .execute(&mut *conn)
        .await
        .context("creating a tag")?;
    Ok(id)
}

/// Tags a contact (no-op when already tagged). Returns whether a row was added.
pub async fn attach(conn: &mut SqliteConnection, contact: ContactId, tag: TagId) -> Result<bool> {
    let done = sqlx::query("INSERT OR IGNORE INTO contact_tags (contact_id, tag_id) VALUES (?, ?)")
        .bind(contact.as_uuid())
        .bind(tag.as_uuid())
        .execute(conn)
        .await
        .context("tagging a contact")?;
    Ok(done.rows_affected() > 0)
}

/// A contact's tag names, alphabetically.
pub async fn names_for_contact(store: &Store, contact: ContactId) -> Result<Vec<String>> {
    let names = sqlx::query_scalar(
        "SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
         WHERE ct.contact_id = ? ORDER BY t.name COLLATE NOCASE",
    )
    .bind(contact.as_uuid())
    .fetch_all(store.pool())
    .await
    .context("reading a contact's tags")?;
    Ok(names)
}

/// Adds and removes tags on one contact in one transaction. Removing a tag
/// the contact does not have, or one that does not exist, is not an error.
pub async fn edit_contact_tags(
    store: &Store,
    contact: ContactId,
    add: &[String],
    remove: &[String],
) -> Result<Vec<String>> {
    let mut tx = store.begin_write().await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM contacts WHERE id = ?")
        .bind(contact.as_uuid())
        .fetch_optional(&mut *tx)
        .await
        .context("checking a contact exists")?;
    if exists.is_none() {
        return Err(StoreError::NotFound(format!("contact {contact}")));
    }
    let mut changed = false;
    for name in add {
        let tag = ensure(&mut tx, name).await?;
        changed |= attach(&mut tx, contact, tag).await?;
    }
    for name in remove {
        let name = clean_name(name)?;
        let done = sqlx::query(
            "DELETE FROM contact_tags
             WHERE contact_id = ? AND tag_id = (SELECT id FROM tags WHERE name = ?)",
        )
        .bind(contact.as_uuid())
        .bind(&name)
        .execute(&mut *tx)
        .await
        .context("untagging a contact")?;
        changed |= done.rows_affected() > 0;
    }
    if changed {
        sqlx::query("UPDATE contacts SET updated_at = ? WHERE id = ?")
            .bind(now_millis())
            .bind(contact.as_uuid())
            .execute(&mut *tx)
            .await
            .context("touching a contact")?;
        generation::bump(&mut tx).await?;
    }
    tx.commit().await.context("committing tag changes")?;
    names_for_contact(store, contact).await
}

/// A tag with how many contacts carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagCount {
    pub id: TagId,
    pub name: String,
    pub contacts: i64,
}

/// Every tag with its contact count, alphabetically.
pub async fn list(store: &Store) -> Result<Vec<TagCount>> {
    let rows: Vec<(uuid::Uuid, String, i64)> = sqlx::query_as(
        "SELECT t.id, t.name, (SELECT COUNT(*) FROM contact_tags ct WHERE ct.tag_id = t.id)
         FROM tags t ORDER BY t.name COLLATE NOCASE",
    )
    .fetch_all(store.pool())
    .await
    .context("listing tags")?;
    Ok(rows
        .into_iter()
        .map(|(id, name, contacts)| TagCount {
            id: TagId::from_uuid(id),
            name,
            contacts,
        })
        .collect())
}
