//! The append-only consent ledger. A trigger refuses updates; rows are only
//! ever inserted, one per status change or consent grant per channel.

use anyhow::Context;
use chrono::{DateTime, Utc};
use herald_core::{Channel, ConsentAction, ConsentEventId, ContactId};
use serde::Serialize;
use sqlx::{FromRow, SqliteConnection};

use crate::{from_millis, now_millis, to_millis, Result, Store};

/// Who or what caused a consent change, and how. Recorded verbatim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentInput {
    /// Where consent came from: "import:mailchimp.csv", "signup form", "cli".
    pub source: String,
    /// How it was given: "import", "manual", "double_opt_in", "one_click".
    pub method: String,
    pub text_version: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// When it happened; `None` means now.
    pub at: Option<DateTime<Utc>>,
}

impl ConsentInput {
    pub fn new(source: impl Into<String>, method: impl Into<String>) -> Self {
        ConsentInput {
            source: source.into(),
            method: method.into(),
            text_version: None,
            ip: None,
            user_agent: None,
            at: None,
        }
    }

    pub fn at_millis(&self) -> i64 {
        self.at.map(to_millis).unwrap_or_else(now_millis)
    }
}

/// One ledger row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentEvent {
    pub id: ConsentEventId,
    pub channel: String,
    pub action: String,
    /// The subscription status after this event.
    pub status: String,
    pub source: String,
    pub method: String,
    pub text_version: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(FromRow)]
struct Row {
    id: uuid::Uuid,
    channel: String,
    action: String,
    status: String,
    source: String,
    method: String,
    text_version: Option<String>,
    ip: Option<String>,
    user_agent: Option<String>,
    at: i64,
}

/// Appends a row inside the caller's transaction.
pub async fn append(
    conn: &mut SqliteConnection,
    contact: ContactId,
    channel: Channel,
    action: ConsentAction,
    status: &str,
    how: &ConsentInput,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO consent_events
             (id, contact_id, channel, action, status, source, method, text_version, ip, user_agent, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(ConsentEventId::new().as_uuid())
    .bind(contact.as_uuid())
    .bind(channel.as_str())
    .bind(action.as_str())
    .bind(status)
    .bind(&how.source)
    .bind(&how.method)
    .bind(&how.text_version)
    .bind(&how.ip)
    .bind(&how.user_agent)
    .bind(how.at_millis())
    .execute(conn)
    .await
    .context("appending to the consent ledger")?;
    Ok(())
}

/// A contact's ledger, oldest first.
pub async fn for_contact(store: &Store, contact: ContactId) -> Result<Vec<ConsentEvent>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, channel, action, status, source, method, text_version, ip, user_agent, at
         FROM consent_events WHERE contact_id = ? ORDER BY at, id",
    )
    .bind(contact.as_uuid())
    .fetch_all(store.pool())
    .await
    .context("reading the consent ledger")?;
    Ok(rows
        .into_iter()
        .map(|r| ConsentEvent {
            id: ConsentEventId::from_uuid(r.id),
            channel: r.channel,
            action: r.action,
            status: r.status,
            source: r.source,
            method: r.method,
            text_version: r.text_version,
            ip: r.ip,
            user_agent: r.user_agent,
            at: from_millis(r.at),
        })
        .collect())
}
