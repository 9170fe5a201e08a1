//! Interactions: the contact's timeline. Adding one keeps the contact's
//! `last_interaction_at` equal to the latest `occurred_at` of its interactions.

use anyhow::Context;
use chrono::{DateTime, Utc};
use herald_core::{ContactId, InteractionId, InteractionKind};
use serde::Serialize;

use crate::{from_millis, generation, now_millis, to_millis, Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Interaction {
    pub id: InteractionId,
    pub contact_id: ContactId,
    pub kind: InteractionKind,
    pub occurred_at: DateTime<Utc>,
    pub summary: String,
}

/// Records an interaction and moves the contact's `last_interaction_at`
/// forward when this one is the latest.
pub async fn add(
    store: &Store,
    contact: ContactId,
    kind: InteractionKind,
    occurred_at: DateTime<Utc>,
    summary: &str,
) -> Result<Interaction> {
    let summary = summary.trim();
    if summary.is_empty() {
        return Err(StoreError::validation("summary", "say what happened"));
    }
    let id = InteractionId::new();
    let at = to_millis(occurred_at);
    let mut tx = store.begin_write().await?;
    let touched = sqlx::query(
        "UPDATE contacts
         SET last_interaction_at = max(coalesce(last_interaction_at, ?1), ?1), updated_at = ?2
         WHERE id = ?3",
    )
    .bind(at)
    .bind(now_millis())
    .bind(contact.as_uuid())
    .execute(&mut *tx)
    .await
    .context("moving last_interaction_at")?;
    if touched.rows_affected() == 0 {
        return Err(StoreError::NotFound(format!("contact {contact}")));
    }
    sqlx::query(
        "INSERT INTO interactions (id, contact_id, kind, occurred_at, summary, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(id.as_uuid())
    .bind(contact.as_uuid())
    .bind(kind.as_str())
    .bind(at)
    .bind(summary)
    .bind(now_millis())
    .execute(&mut *tx)
    .await
    .context("inserting an interaction")?;
    generation::bump(&mut tx).await?;
    tx.commit().await.context("committing an interaction")?;
    Ok(Interaction {
        id,
        contact_id: contact,
        kind,
        occurred_at: from_millis(at),
        summary: summary.to_owned(),
    })
}

/// A contact's timeline, newest first.
pub async fn for_contact(store: &Store, contact: ContactId) -> Result<Vec<Interaction>> {
    let rows: Vec<(uuid::Uuid, String, i64, String)> = sqlx::query_as(
        "SELECT id, kind, occurred_at, summary FROM interactions
         WHERE contact_id = ? ORDER BY occurred_at DESC, id DESC",
    )
    .bind(contact.as_uuid())
    .fetch_all(store.pool())
    .await
    .context("reading a timeline")?;
    rows.into_iter()
        .map(|(id, kind, at, summary)| {
            Ok(Interaction {
                id: InteractionId::from_uuid(id),
                contact_id: contact,
                kind: InteractionKind::parse(&kind).map_err(|e| {
                    StoreError::Internal(anyhow::anyhow!("stored interaction kind: {e}"))
                })?,
                occurred_at: from_millis(at),
                summary,
            })
        })
        .collect()
}

/// An interaction to record in bulk.
#[derive(Debug, Clone)]
pub struct NewInteraction {
    pub contact: ContactId,
    pub kind: InteractionKind,
    pub occurred_at: DateTime<Utc>,
    pub summary: String,
}

/// Records many interactions in one transaction (demo data, imports from
/// other tools), then brings every touched contact's `last_interaction_at`
/// up to date with one statement.
pub async fn add_many(store: &Store, items: &[NewInteraction]) -> Result<u64> {
    if items.is_empty() {
        return Ok(0);
    }
    let now = now_millis();
    let mut tx = store.begin_write().await?;
    for chunk in items.chunks(4000) {
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO interactions (id, contact_id, kind, occurred_at, summary, created_at) ",
        );
        q.push_values(chunk, |mut b, i| {
            b.push_bind(InteractionId::new().as_uuid())
                .push_bind(i.contact.as_uuid())
                .push_bind(i.kind.as_str())
                .push_bind(to_millis(i.occurred_at))
                .push_bind(i.summary.trim().to_owned())
                .push_bind(now);
        });
        q.build()
            .execute(&mut *tx)
            .await
            .context("inserting interactions")?;
    }
    let mut contacts: Vec<uuid::Uuid> = items.iter().map(|i| i.contact.as_uuid()).collect();
    contacts.sort_unstable();
    contacts.dedup();
    for chunk in contacts.chunks(4000) {
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "UPDATE contacts SET last_interaction_at =
                 (SELECT max(occurred_at) FROM interactions i WHERE i.contact_id = contacts.id)
             WHERE id IN ",
        );
        q.push_tuples(chunk, |mut b, id| {
            b.push_bind(id);
        });
        q.build()
            .execute(&mut *tx)
            .await
            .context("moving last_interaction_at")?;
    }
    generation::bump(&mut tx).await?;
    tx.commit().await.context("committing interactions")?;
    Ok(items.len() as u64)
}
