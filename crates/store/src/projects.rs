//! Projects: deals or engagements attached to a contact, with a status from
//! the workspace's list and a value.

use anyhow::Context;
use herald_core::{ContactId, Money, ProjectId};
use serde::Serialize;

use crate::{generation, now_millis, project_statuses, Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Project {
    pub id: ProjectId,
    pub contact_id: ContactId,
    pub name: String,
    pub status: String,
    pub value: Money,
}

/// Adds a project to a contact. The status must be on the workspace's list.
pub async fn add(
    store: &Store,
    contact: ContactId,
    name: &str,
    status: &str,
    value: Money,
) -> Result<Project> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::validation("name", "a project needs a name"));
    }
    let status = project_statuses::clean_name(status)?;
    let known = project_statuses::list(store).await?;
    if !known.contains(&status) {
        return Err(StoreError::validation(
            "status",
            format!(
                "\"{status}\" is not a project status; known: {}",
                known.join(", ")
            ),
        ));
    }
    let id = ProjectId::new();
    let now = now_millis();
    let mut tx = store.begin_write().await?;
    let done = sqlx::query(
        "INSERT INTO projects (id, contact_id, name, status, value_minor, value_currency, created_at, updated_at)
         SELECT ?, id, ?, ?, ?, ?, ?, ? FROM contacts WHERE id = ?",
    )
    .bind(id.as_uuid())
    .bind(name)
    .bind(&status)
    .bind(value.minor())
    .bind(value.currency().code())
    .bind(now)
    .bind(now)
    .bind(contact.as_uuid())
    .execute(&mut *tx)
    .await
    .context("inserting a project")?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound(format!("contact {contact}")));
    }
    generation::bump(&mut tx).await?;
    tx.commit().await.context("committing a project")?;
    Ok(Project {
        id,
        contact_id: contact,
        name: name.to_owned(),
        status,
        value,
    })
}

/// A contact's projects, oldest first.
pub async fn for_contact(store: &Store, contact: ContactId) -> Result<Vec<Project>> {
    let rows: Vec<(uuid::Uuid, String, String, i64, String)> = sqlx::query_as(
        "SELECT id, name, status, value_minor, value_currency FROM projects
         WHERE contact_id = ? ORDER BY id",
    )
    .bind(contact.as_uuid())
    .fetch_all(store.pool())
    .await
    .context("reading a contact's projects")?;
    rows.into_iter()
        .map(|(id, name, status, minor, currency)| {
            let currency = herald_core::Currency::parse(&currency)
                .map_err(|e| StoreError::Internal(anyhow::anyhow!("stored currency: {e}")))?;
            Ok(Project {
                id: ProjectId::from_uuid(id),
                contact_id: contact,
                name,
                status,
                value: Money::from_minor(minor, currency),
            })
        })
        .collect()
}

/// A project to add in bulk.
#[derive(Debug, Clone)]
pub struct NewProject {
    pub contact: ContactId,
    pub name: String,
    pub status: String,
    pub value: Money,
}

/// Adds many projects in one transaction. Every status must be on the list.
pub async fn add_many(store: &Store, items: &[NewProject]) -> Result<u64> {
    if items.is_empty() {
        return Ok(0);
    }
    let known = project_statuses::list(store).await?;
    if let Some(bad) = items.iter().find(|p| !known.contains(&p.status)) {
        return Err(StoreError::validation(
            "status",
            format!(
                "\"{}\" is not a project status; known: {}",
                bad.status,
                known.join(", ")
            ),
        ));
    }
    let now = now_millis();
    let mut tx = store.begin_write().await?;
    for chunk in items.chunks(3000) {
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO projects (id, contact_id, name, status, value_minor, value_currency, created_at, updated_at) ",
        );
        q.push_values(chunk, |mut b, p| {
            b.push_bind(ProjectId::new().as_uuid())
                .push_bind(p.contact.as_uuid())
                .push_bind(p.name.trim().to_owned())
                .push_bind(p.status.clone())
                .push_bind(p.value.minor())
                .push_bind(p.value.currency().code())
                .push_bind(now)
                .push_bind(now);
        });
        q.build()
            .execute(&mut *tx)
            .await
            .context("inserting projects")?;
    }
    generation::bump(&mut tx).await?;
    tx.commit().await.context("committing projects")?;
    Ok(items.len() as u64)
}
