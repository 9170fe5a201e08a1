//! Pulling the relay's events into the workspace.
//!
//! [`sync_once`] is the step: pull a page after the stored cursor, apply it
//! and move the cursor in one store transaction
//! ([`herald_store::relay_events::apply_page`]), acknowledge it to the relay,
//! and repeat until the relay has no more. A crash anywhere leaves either
//! the page and its cursor in the workspace or neither; events pulled again
//! are recognised by id and applied once. The acknowledgement comes only
//! after the commit, so the relay never prunes an event the workspace lacks.
//!
//! [`crate::sync_loop::SyncLoop`] runs the step on an interval in the app;
//! `herald sync` runs it once.
//!
//! ```no_run
//! # async fn demo(store: herald_store::Store) -> Result<(), herald_send::sync::SyncError> {
//! use std::sync::Arc;
//! use herald_send::secrets::Keychain;
//!
//! let secrets = Arc::new(Keychain::for_workspace(&store).await?);
//! let client = herald_send::sync::connect(&store, secrets).await?;
//! let outcome = herald_send::sync::sync_once(&store, &client).await?;
//! println!("{} new events", outcome.report.recorded);
//! # Ok(()) }
//! ```

use std::sync::Arc;

use chrono::{DateTime, Utc};
use herald_store::relay_events::{self, ApplyReport};
use herald_store::{relay_sync, Store, StoreError};
use serde::Serialize;

use crate::relay::{RelayClient, RelayError, RelayUrl, DEFAULT_PAGE};
use crate::secrets::{SecretName, Secrets, SecretsError};

/// What one sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncOutcome {
    /// Pages pulled (1 when there was nothing new).
    pub pages: u32,
    /// What the events did, summed over the pages.
    pub report: ApplyReport,
    /// The cursor now stored.
    pub cursor: Option<String>,
    pub finished_at: DateTime<Utc>,
}

/// Why a sync did not happen or stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// No relay URL or no API token yet: nothing to sync with.
    #[error("the relay is not set up: {0}")]
    NotConfigured(String),
    #[error(transparent)]
    Relay(#[from] RelayError),
    #[error(transparent)]
    Secrets(#[from] SecretsError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The app's sync loop has stopped.
    #[error("the sync has stopped")]
    Stopped,
}

/// A client for the workspace's relay: the URL from its settings, the API
/// token from `secrets` (read off the async workers: keychains block).
pub async fn connect(store: &Store, secrets: Arc<dyn Secrets>) -> Result<RelayClient, SyncError> {
    let url = relay_sync::url(store).await?.ok_or_else(|| {
        SyncError::NotConfigured(
            "no relay URL yet; set it in Settings → Relay or with `herald relay set-url`".into(),
        )
    })?;
    let url = RelayUrl::parse(&url)?;
    let token = tokio::task::spawn_blocking(move || secrets.get(SecretName::RelayApiToken))
        .await
        .map_err(|e| StoreError::Internal(anyhow::anyhow!("reading the keychain: {e}")))??
        .ok_or_else(|| {
            SyncError::NotConfigured(
                "no API token in this computer's keychain; generate the relay keys first".into(),
            )
        })?;
    Ok(RelayClient::new(&url, token)?)
}

/// How a sync pulls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncOptions {
    /// Events per page (1 to 5000; the relay's maximum is 5000).
    pub page_size: u32,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            page_size: DEFAULT_PAGE,
        }
    }
}

/// Pulls and applies every new event, then records the sync in the
/// workspace's relay state: its time, or the error's message.
pub async fn sync_once(store: &Store, client: &RelayClient) -> Result<SyncOutcome, SyncError> {
    sync_with(store, client, SyncOptions::default()).await
}

/// [`sync_once`] with other options.
pub async fn sync_with(
    store: &Store,
    client: &RelayClient,
    options: SyncOptions,
) -> Result<SyncOutcome, SyncError> {
    let result = pull_all(store, client, options.page_size).await;
    record(store, &result).await;
    result
}

/// Records how a sync went, for the settings page and `herald relay status`.
/// A failure to record is logged: it must not hide the sync's own result.
pub async fn record(store: &Store, result: &Result<SyncOutcome, SyncError>) {
    let recorded = match result {
        Ok(outcome) => relay_sync::record_success(store, outcome.finished_at).await,
        Err(SyncError::NotConfigured(_) | SyncError::Stopped) => Ok(()),
        Err(err) => relay_sync::record_failure(store, Utc::now(), &err.to_string()).await,
    };
    if let Err(err) = recorded {
        tracing::warn!(error = %err, "could not record the relay sync's result");
    }
}

async fn pull_all(
    store: &Store,
    client: &RelayClient,
    page_size: u32,
) -> Result<SyncOutcome, SyncError> {
    let mut cursor = relay_sync::cursor(store).await?;
    let mut report = ApplyReport::default();
    let mut pages = 0;
    loop {
        let page = client.pull(cursor.as_deref(), page_size).await?;
        pages += 1;
        let moved = cursor.as_deref() != Some(page.next_cursor.as_str());
        if page.has_more && (page.events.is_empty() || !moved) {
            // Pulling again would get the same answer forever.
            return Err(RelayError::BadResponse {
                url: client.url().to_string(),
                detail: "it said more events were waiting but handed out none".into(),
            }
            .into());
        }
        if !page.events.is_empty() || moved {
            let applied = relay_events::apply_page(store, &page.events, &page.next_cursor).await?;
            report.add(&applied);
            tracing::debug!(
                events = page.events.len(),
                recorded = applied.recorded,
                "applied a page of relay events"
            );
            // Only now that the page is committed may the relay prune it.
            client.ack(&page.next_cursor).await?;
            cursor = Some(page.next_cursor);
        }
        if !page.has_more {
            break;
        }
    }
    Ok(SyncOutcome {
        pages,
        report,
        cursor,
        finished_at: Utc::now(),
    })
}

/// `herald relay test` and the settings page's "test connection": the relay
/// is up (`/healthz`) and accepts the token (a one-event pull that changes
/// nothing). Returns whether events are waiting.
pub async fn test_connection(store: &Store, client: &RelayClient) -> Result<bool, SyncError> {
    client.health().await?;
    let cursor = relay_sync::cursor(store).await?;
    let page = client.pull(cursor.as_deref(), 1).await?;
    Ok(!page.events.is_empty())
}
