//! `herald campaigns run-due`'s starts, and why a start failed: a due
//! campaign that cannot start stays scheduled with the reason kept on it
//! (`herald_store::start_failures`, the same `{kind, message}` the app
//! shows for a manual start), so the app's page, list and bell say why.
//! Also the check `herald campaigns send` makes before its question, which
//! publishes nothing.

use std::sync::Arc;

use herald_core::Channel;
use herald_send::campaign::{self, SetupError};
use herald_send::email::campaign as email;
use herald_send::secrets::{Secrets, SecretsError};
use herald_send::sms::campaign as sms;
use herald_store::{campaign_runs, start_failures, Store, StoreError};
use uuid::Uuid;

/// Why a due campaign did not start, as the app would word it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartFailed {
    /// The app's error kind ("validation", "relay", "keychain", ...).
    pub kind: &'static str,
    pub message: String,
}

/// Capitalised, as the app shows messages on their own.
fn capitalise(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn failed(kind: &'static str, message: impl AsRef<str>) -> StartFailed {
    StartFailed {
        kind,
        message: capitalise(message.as_ref()),
    }
}

/// A store error as the app's `CommandError` maps it. An internal error's
/// cause goes to the terminal; the campaign keeps only that it happened.
fn store_failure(e: StoreError) -> StartFailed {
    match e {
        StoreError::Validation { message, .. } => failed("validation", message),
        StoreError::NotFound(what) => failed("not_found", format!("{what} not found")),
        StoreError::Conflict(message) => failed("conflict", message),
        StoreError::InvalidFilter(issues) => failed(
            "validation",
            issues
                .first()
                .map_or("the segment's filter is not valid", |i| i.message.as_str()),
        ),
        StoreError::Internal(cause) => {
            eprintln!("error: {cause:#}");
            failed("internal", "something went wrong; details are in the log")
        }
    }
}

fn keychain_failure(e: SecretsError) -> StartFailed {
    match e {
        SecretsError::Unavailable(message) => failed("keychain_unavailable", message),
        other => failed("keychain", other.to_string()),
    }
}

/// A setup error as the app's `send_setup_error` maps it.
pub fn setup_failure(e: SetupError) -> StartFailed {
    match e {
        SetupError::Email(e) => match e {
            email::SetupError::NotReady { message, .. } => failed("validation", message),
            email::SetupError::Compose(e) => failed("validation", e.to_string()),
            email::SetupError::Settings(e) => failed("validation", e.to_string()),
            email::SetupError::Keychain(e) => keychain_failure(e),
            email::SetupError::Store(e) => store_failure(e),
            e @ email::SetupError::Publish(_) => failed("relay", e.to_string()),
        },
        SetupError::Sms(e) => match e {
            sms::SetupError::NotReady { message, .. } => failed("validation", message),
            sms::SetupError::Compose(e) => failed("validation", e.to_string()),
            sms::SetupError::Settings(e) => failed("validation", e.to_string()),
            sms::SetupError::Store(e) => store_failure(e),
        },
        SetupError::Store(e) => store_failure(e),
    }
}

/// Starts a due campaign (its checks, which publish its web version, then
/// its audience into the ledger), or says why it could not.
pub async fn start(store: &Store, secrets: &Arc<dyn Secrets>, id: Uuid) -> Result<(), StartFailed> {
    campaign::check(store, secrets, id)
        .await
        .map_err(setup_failure)?;
    campaign_runs::start(store, id, None)
        .await
        .map_err(store_failure)?;
    Ok(())
}

/// Starts `id` at `now`, or keeps why it could not on the campaign and
/// returns it.
pub async fn start_or_record(
    store: &Store,
    secrets: &Arc<dyn Secrets>,
    id: Uuid,
    now: i64,
) -> anyhow::Result<Result<(), StartFailed>> {
    let outcome = start(store, secrets, id).await;
    if let Err(f) = &outcome {
        start_failures::record(store, id, f.kind, &f.message, now).await?;
    }
    Ok(outcome)
}

/// What [`campaign::check`] checks (settings, content, credentials)
/// without publishing the web version: `herald campaigns send` asks before
/// anything leaves the machine, and a "no" must leave nothing on the relay.
pub async fn check_without_publishing(
    store: &Store,
    secrets: &Arc<dyn Secrets>,
    id: Uuid,
) -> Result<(), SetupError> {
    match campaign::channel_of(store, id).await? {
        Channel::Email => {
            email::prepare(store, secrets, id)
                .await
                .map_err(SetupError::Email)?;
        }
        Channel::Sms => {
            sms::setup(store, secrets, id)
                .await
                .map_err(SetupError::Sms)?;
        }
    }
    Ok(())
}
