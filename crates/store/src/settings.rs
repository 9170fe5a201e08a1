//! Non-secret workspace settings, stored as JSON values by key.
//!
//! Secrets (SMTP passwords, provider tokens, relay keys) never come here: they
//! live in the OS keychain.

use anyhow::Context;
use herald_core::{CountryCode, Currency};
use serde::{de::DeserializeOwned, Serialize};
use sqlx::SqliteConnection;

use crate::{Result, Store, StoreError};

/// Reads the JSON setting `key`, `None` when it was never set.
pub async fn get<T: DeserializeOwned>(store: &Store, key: &str) -> Result<Option<T>> {
    let raw: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(key)
        .fetch_optional(store.pool())
        .await
        .with_context(|| format!("reading setting {key}"))?;
    match raw {
        None => Ok(None),
        Some(raw) => {
            let value: Option<T> = serde_json::from_str(&raw)
                .with_context(|| format!("setting {key} holds an unreadable value"))?;
            Ok(value)
        }
    }
}

/// Writes the JSON setting `key` (insert or replace).
pub async fn set<T: Serialize>(store: &Store, key: &str, value: &T) -> Result<()> {
    let mut conn = store
        .pool()
        .acquire()
        .await
        .context("connecting to the workspace")?;
    set_in(&mut conn, key, value).await
}

/// Writes a setting on `conn`, e.g. inside the caller's transaction.
pub(crate) async fn set_in<T: Serialize>(
    conn: &mut SqliteConnection,
    key: &str,
    value: &T,
) -> Result<()> {
    let raw = serde_json::to_string(value).context("serialising a setting")?;
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(raw)
    .execute(conn)
    .await
    .with_context(|| format!("writing setting {key}"))?;
    Ok(())
}

/// A random id naming this workspace outside its file: the OS keychain
/// files the workspace's secrets under it, so two workspaces on one machine
/// keep apart and a moved file still finds its own. Created on first use.
pub async fn workspace_id(store: &Store) -> Result<String> {
    let fresh = serde_json::to_string(&uuid::Uuid::now_v7().hyphenated().to_string())
        .context("serialising the workspace id")?;
    // Two first uses at once both insert; the second insert is ignored and
    // both read the one that won.
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ('workspace_id', ?) ON CONFLICT (key) DO NOTHING",
    )
    .bind(fresh)
    .execute(store.pool())
    .await
    .context("creating the workspace id")?;
    get::<String>(store, "workspace_id")
        .await?
        .ok_or_else(|| anyhow::anyhow!("the workspace id is null").into())
}

/// The region assumed for phone numbers written without a country code.
pub async fn default_region(store: &Store) -> Result<Option<CountryCode>> {
    get(store, "default_region").await
}

pub async fn set_default_region(store: &Store, region: Option<CountryCode>) -> Result<()> {
    set(store, "default_region", &region).await
}

/// The currency assumed for revenue written without one.
pub async fn default_currency(store: &Store) -> Result<Currency> {
    Ok(get(store, "default_currency")
        .await?
        .unwrap_or_else(|| Currency::parse("USD").expect("USD is a currency")))
}

pub async fn set_default_currency(store: &Store, currency: Currency) -> Result<()> {
    set(store, "default_currency", &currency).await
}

/// The workspace's display name (shown on unsubscribe pages, in the app).
pub async fn workspace_name(store: &Store) -> Result<String> {
    Ok(get(store, "workspace_name")
        .await?
        .unwrap_or_else(|| "My workspace".to_owned()))
}

pub async fn set_workspace_name(store: &Store, name: &str) -> Result<()> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::validation(
            "workspace_name",
            "the workspace name cannot be empty",
        ));
    }
    set(store, "workspace_name", &name).await
}

/// The zone segment filters read calendar days in (an IANA name such as
/// "Europe/Berlin"); UTC when unset or unreadable.
pub async fn time_zone(store: &Store) -> Result<chrono_tz::Tz> {
    let name: Option<String> = get(store, "time_zone").await.unwrap_or(None);
    Ok(name
        .and_then(|n| n.parse::<chrono_tz::Tz>().ok())
        .unwrap_or(chrono_tz::Tz::UTC))
}

/// The workspace settings the app edits together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceSettings {
    pub name: String,
    pub default_region: Option<CountryCode>,
    pub default_currency: Currency,
    pub time_zone: chrono_tz::Tz,
}

/// All of them, as stored now.
pub async fn load(store: &Store) -> Result<WorkspaceSettings> {
    Ok(WorkspaceSettings {
        name: workspace_name(store).await?,
        default_region: default_region(store).await?,
        default_currency: default_currency(store).await?,
        time_zone: time_zone(store).await?,
    })
}

/// Parses a time zone name (IANA, e.g. "Europe/Berlin").
pub fn parse_time_zone(name: &str) -> Result<chrono_tz::Tz> {
    name.trim().parse().map_err(|_| {
        StoreError::validation(
            "time_zone",
            format!(
                "\"{}\" is not a time zone; use an IANA name such as Europe/Berlin",
                name.trim()
            ),
        )
    })
}

/// Saves all of them in one transaction. A new time zone moves calendar
/// days, so cached segment counts are dropped with it.
pub async fn save(store: &Store, new: &WorkspaceSettings) -> Result<()> {
    let name = new.name.trim();
    if name.is_empty() {
        return Err(StoreError::validation(
            "workspace_name",
            "the workspace name cannot be empty",
        ));
    }
    let old_zone = time_zone(store).await?;
    let values = [
        ("workspace_name", serde_json::to_string(name)),
        ("default_region", serde_json::to_string(&new.default_region)),
        (
            "default_currency",
            serde_json::to_string(&new.default_currency),
        ),
        ("time_zone", serde_json::to_string(new.time_zone.name())),
    ];
    let mut tx = store.begin_write().await?;
    for (key, value) in values {
        let value = value.context("serialising a setting")?;
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&mut *tx)
        .await
        .with_context(|| format!("writing setting {key}"))?;
    }
    if old_zone != new.time_zone {
        crate::segments::forget_counts(&mut tx).await?;
    }
    tx.commit().await.context("saving the workspace settings")?;
    Ok(())
}
