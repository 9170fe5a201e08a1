//! Where the desktop stands with its relay: the relay's URL, the cursor of
//! the last event applied, and how the last sync went. Non-secret, so kept
//! in the settings table; the API token and signing keys are in the OS
//! keychain (herald-send's `secrets`).
//!
//! The cursor is written only by [`crate::relay_events::apply_page`], in the
//! transaction that applies the page it ends, so it can never point past an
//! event that is not in the workspace.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use crate::settings::{get, set, set_in};
use crate::{Result, Store};

const URL: &str = "relay_url";
const CURSOR: &str = "relay_cursor";
const LAST_SYNC: &str = "relay_last_sync";
const LAST_ERROR: &str = "relay_last_error";

/// How the last sync that failed failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncFailure {
    pub at: DateTime<Utc>,
    /// A plain sentence for the user (never a secret).
    pub message: String,
}

/// The relay settings and sync state, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RelaySyncState {
    /// The relay's base URL, e.g. `https://relay.example.com`.
    pub url: Option<String>,
    /// The relay's cursor after the last applied page; `None` before the first.
    pub cursor: Option<String>,
    /// When a sync last completed.
    pub last_sync_at: Option<DateTime<Utc>>,
    /// The last sync's failure, cleared by the next success.
    pub last_error: Option<SyncFailure>,
}

/// All of it.
pub async fn load(store: &Store) -> Result<RelaySyncState> {
    Ok(RelaySyncState {
        url: get(store, URL).await?,
        cursor: get(store, CURSOR).await?,
        last_sync_at: get(store, LAST_SYNC).await?,
        last_error: get(store, LAST_ERROR).await?,
    })
}

/// The relay's base URL, if one is set.
pub async fn url(store: &Store) -> Result<Option<String>> {
    get(store, URL).await
}

/// Sets the relay's base URL (checked by the caller). Another relay has its
/// own event sequence, so a new URL starts from its first event again
/// (events already applied are recognised by id and not applied twice) and
/// forgets the last error.
pub async fn set_url(store: &Store, url: &str) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let old: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(URL)
        .fetch_optional(&mut *tx)
        .await
        .map_err(anyhow::Error::from)?;
    let new = serde_json::to_string(url).map_err(anyhow::Error::from)?;
    if old.as_deref() != Some(new.as_str()) {
        set_in(&mut tx, URL, &url).await?;
        set_in(&mut tx, CURSOR, &None::<String>).await?;
        set_in(&mut tx, LAST_ERROR, &None::<SyncFailure>).await?;
    }
    tx.commit().await.map_err(anyhow::Error::from)?;
    Ok(())
}

/// The cursor to pull after; `None` pulls from the relay's first event.
pub async fn cursor(store: &Store) -> Result<Option<String>> {
    get(store, CURSOR).await
}

/// Moves the cursor inside the transaction that applied the events before it.
pub(crate) async fn save_cursor(conn: &mut SqliteConnection, cursor: &str) -> Result<()> {
    set_in(conn, CURSOR, &cursor).await
}

/// Records a completed sync and clears the last error.
pub async fn record_success(store: &Store, at: DateTime<Utc>) -> Result<()> {
    set(store, LAST_SYNC, &at).await?;
    set(store, LAST_ERROR, &None::<SyncFailure>).await
}

/// Records a failed sync; the last successful sync time stays.
pub async fn record_failure(store: &Store, at: DateTime<Utc>, message: &str) -> Result<()> {
    let failure = SyncFailure {
        at,
        message: message.to_owned(),
    };
    set(store, LAST_ERROR, &Some(failure)).await
}
