//! Non-secret workspace settings, stored as JSON values by key.
//!
//! Secrets (SMTP passwords, provider tokens, relay keys) never come here: they
//! live in the OS keychain.

use anyhow::Context;
use herald_core::{CountryCode, Currency};
use serde::{de::DeserializeOwned, Serialize};

use crate::{Result, Store, StoreError};

async fn get<T: DeserializeOwned>(store: &Store, key: &str) -> Result<Option<T>> {
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

async fn set<T: Serialize>(store: &Store, key: &str, value: &T) -> Result<()> {
    let raw = serde_json::to_string(value).context("serialising a setting")?;
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(raw)
    .execute(store.pool())
    .await
    .with_context(|| format!("writing setting {key}"))?;
    Ok(())
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

pub async fn set_time_zone(store: &Store, name: &str) -> Result<()> {
    let tz: chrono_tz::Tz = name.trim().parse().map_err(|_| {
        StoreError::validation(
            "time_zone",
            format!(
                "\"{}\" is not a time zone; use an IANA name such as Europe/Berlin",
                name.trim()
            ),
        )
    })?;
    set(store, "time_zone", &tz.name()).await
}
