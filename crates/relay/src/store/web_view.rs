//! The web versions of campaigns' emails (`web_views`), both backends.
//!
//! These are rare writes (one upload per campaign), so they do not go
//! through the group-commit writer: each is ONE upsert or delete statement
//! on the pool, which is its own transaction and has committed (SQLite:
//! WAL with `synchronous = FULL`; PostgreSQL: `synchronous_commit = on`)
//! before the call returns, so the API's 204 is sent only once it is on
//! disk. On SQLite the statement waits for the writer's lock through the
//! busy timeout like any other connection.

use chrono::{DateTime, TimeZone as _, Utc};
use sqlx::{PgPool, Row as _, SqlitePool};
use uuid::Uuid;

/// One campaign's web version, as the desktop uploaded it. Holds no
/// personal data: the desktop renders it without any contact's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebView {
    pub campaign_id: Uuid,
    pub subject: String,
    pub html: String,
    /// When it was last uploaded (millisecond precision).
    pub updated_at: DateTime<Utc>,
}

/// Same SQL for both backends (SQLite ≥ 3.24 and PostgreSQL share the
/// upsert syntax); only the placeholders differ.
const PUT_SQLITE: &str = "INSERT INTO web_views (campaign_id, subject, html, updated_ms) \
     VALUES (?, ?, ?, ?) ON CONFLICT (campaign_id) DO UPDATE \
     SET subject = excluded.subject, html = excluded.html, updated_ms = excluded.updated_ms";
const PUT_POSTGRES: &str = "INSERT INTO web_views (campaign_id, subject, html, updated_ms) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (campaign_id) DO UPDATE \
     SET subject = excluded.subject, html = excluded.html, updated_ms = excluded.updated_ms";

pub(super) async fn put_sqlite(
    pool: &SqlitePool,
    campaign: Uuid,
    subject: &str,
    html: &str,
) -> sqlx::Result<()> {
    sqlx::query(PUT_SQLITE)
        .bind(campaign)
        .bind(subject)
        .bind(html)
        .bind(Utc::now().timestamp_millis())
        .execute(pool)
        .await
        .map(drop)
}

pub(super) async fn put_postgres(
    pool: &PgPool,
    campaign: Uuid,
    subject: &str,
    html: &str,
) -> sqlx::Result<()> {
    sqlx::query(PUT_POSTGRES)
        .bind(campaign)
        .bind(subject)
        .bind(html)
        .bind(Utc::now().timestamp_millis())
        .execute(pool)
        .await
        .map(drop)
}

pub(super) async fn get_sqlite(
    pool: &SqlitePool,
    campaign: Uuid,
) -> anyhow::Result<Option<WebView>> {
    let row = sqlx::query("SELECT subject, html, updated_ms FROM web_views WHERE campaign_id = ?")
        .bind(campaign)
        .fetch_optional(pool)
        .await?;
    row.map(|row| decode(campaign, row.try_get(0)?, row.try_get(1)?, row.try_get(2)?))
        .transpose()
}

pub(super) async fn get_postgres(pool: &PgPool, campaign: Uuid) -> anyhow::Result<Option<WebView>> {
    let row = sqlx::query("SELECT subject, html, updated_ms FROM web_views WHERE campaign_id = $1")
        .bind(campaign)
        .fetch_optional(pool)
        .await?;
    row.map(|row| decode(campaign, row.try_get(0)?, row.try_get(1)?, row.try_get(2)?))
        .transpose()
}

/// `true` when there was one to delete.
pub(super) async fn delete_sqlite(pool: &SqlitePool, campaign: Uuid) -> sqlx::Result<bool> {
    let deleted = sqlx::query("DELETE FROM web_views WHERE campaign_id = ?")
        .bind(campaign)
        .execute(pool)
        .await?
        .rows_affected();
    Ok(deleted > 0)
}

/// `true` when there was one to delete.
pub(super) async fn delete_postgres(pool: &PgPool, campaign: Uuid) -> sqlx::Result<bool> {
    let deleted = sqlx::query("DELETE FROM web_views WHERE campaign_id = $1")
        .bind(campaign)
        .execute(pool)
        .await?
        .rows_affected();
    Ok(deleted > 0)
}

fn decode(
    campaign_id: Uuid,
    subject: String,
    html: String,
    updated_ms: i64,
) -> anyhow::Result<WebView> {
    let updated_at = Utc
        .timestamp_millis_opt(updated_ms)
        .single()
        .ok_or_else(|| anyhow::anyhow!("web_views.updated_ms out of range: {updated_ms}"))?;
    Ok(WebView {
        campaign_id,
        subject,
        html,
        updated_at,
    })
}
