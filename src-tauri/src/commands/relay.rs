//! Settings → Relay: the relay's URL, the keys in this computer's keychain,
//! a connection test and "Sync now". The keychain blocks, so every call to
//! it runs on a blocking thread; syncs run in the app's sync loop.
//!
//! The signing key and API token leave the keychain in exactly one place:
//! the answer of `relay_generate_keys` / `relay_rotate_keys`, shown once.
//! Nothing here logs them; `relay_status` says only which keys exist.

use std::sync::Arc;

use herald_send::keys::{self, KeysError, RelayKeys};
use herald_send::relay::RelayUrl;
use herald_send::secrets::{Secrets, SecretsError};
use herald_send::sync;
use herald_store::{relay_events, relay_sync};
use tauri::State;

use crate::dto::relay::{ConnectionTest, GeneratedKeys, KeychainStatus, RelayStatus, SyncSummary};
use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// Runs `work` against the keychain on a blocking thread.
async fn on_keychain<T, F>(secrets: &Arc<dyn Secrets>, work: F) -> CommandResult<T>
where
    F: FnOnce(&dyn Secrets) -> T + Send + 'static,
    T: Send + 'static,
{
    let secrets = Arc::clone(secrets);
    tokio::task::spawn_blocking(move || work(secrets.as_ref()))
        .await
        .map_err(|e| CommandError::internal(&anyhow::anyhow!("a keychain call stopped: {e}")))
}

async fn keychain_status(secrets: &Arc<dyn Secrets>) -> CommandResult<KeychainStatus> {
    Ok(match on_keychain(secrets, keys::status).await? {
        Ok(found) => found.into(),
        Err(KeysError::Secrets(SecretsError::Unavailable(message))) => {
            KeychainStatus::Unavailable { message }
        }
        Err(other) => KeychainStatus::Failed {
            message: CommandError::from(other).message,
        },
    })
}

async fn status(state: &AppState) -> CommandResult<RelayStatus> {
    let saved = relay_sync::load(&state.store).await?;
    let events = relay_events::count(&state.store).await?;
    let keychain = keychain_status(&state.secrets).await?;
    Ok(RelayStatus::new(
        saved,
        events,
        keychain,
        state.last_sync(),
        state.sync_interval.as_secs(),
    ))
}

/// The relay URL, the last sync and its error, and which keys the keychain
/// holds (never their values).
#[tauri::command]
pub async fn relay_status(state: State<'_, AppState>) -> CommandResult<RelayStatus> {
    status(&state).await
}

/// Saves the relay's base URL (https://, or http:// on this machine) and
/// syncs with it soon.
#[tauri::command]
pub async fn relay_set_url(state: State<'_, AppState>, url: String) -> CommandResult<RelayStatus> {
    if url.trim().is_empty() {
        return Err(CommandError::validation(
            "url",
            "enter the relay's address, e.g. https://relay.example.com",
        ));
    }
    let url = RelayUrl::parse(&url)?;
    let before = relay_sync::url(&state.store).await?;
    relay_sync::set_url(&state.store, url.as_str()).await?;
    if before.as_deref() != Some(url.as_str()) {
        // The last "Sync now" was with another relay.
        state.set_last_sync(None);
        tracing::info!(%url, "relay URL set");
    }
    state.sync.trigger();
    status(&state).await
}

async fn make_keys(
    state: &AppState,
    make: fn(&dyn Secrets) -> Result<RelayKeys, KeysError>,
) -> CommandResult<GeneratedKeys> {
    let created = on_keychain(&state.secrets, make).await??;
    tracing::info!(
        signing_key = created.signing_key_id(),
        "relay keys stored in the keychain"
    );
    Ok(GeneratedKeys::from(&created))
}

/// Creates the first signing key and the API token in the keychain and
/// returns them, with the relay's configuration lines, this once.
#[tauri::command]
pub async fn relay_generate_keys(state: State<'_, AppState>) -> CommandResult<GeneratedKeys> {
    make_keys(&state, keys::create).await
}

/// Makes a new signing key current, keeping the current one as the
/// previous key the relay still accepts; returns the keys this once.
#[tauri::command]
pub async fn relay_rotate_keys(state: State<'_, AppState>) -> CommandResult<GeneratedKeys> {
    make_keys(&state, keys::rotate).await
}

/// The relay is up (`/healthz`) and accepts the API token (a one-event pull
/// that changes nothing).
#[tauri::command]
pub async fn relay_test_connection(state: State<'_, AppState>) -> CommandResult<ConnectionTest> {
    let client = sync::connect(&state.store, Arc::clone(&state.secrets)).await?;
    let events_waiting = sync::test_connection(&state.store, &client).await?;
    Ok(ConnectionTest {
        url: client.url().to_string(),
        events_waiting,
    })
}

/// Syncs now (after any sync in progress) and says what it applied.
#[tauri::command]
pub async fn relay_sync_now(state: State<'_, AppState>) -> CommandResult<SyncSummary> {
    let outcome = state.sync.sync_now().await?;
    let summary = SyncSummary::from(&outcome);
    state.set_last_sync(Some(summary.clone()));
    Ok(summary)
}
