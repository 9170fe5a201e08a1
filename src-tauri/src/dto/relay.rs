//! Settings → Relay: where the app stands with its relay, and the keys as
//! they are shown once.
//!
//! Only [`GeneratedKeys`] ever carries a secret, and only the one answer of
//! `relay_generate_keys` / `relay_rotate_keys` holds one; its `Debug` hides
//! the values so that it cannot end up in a log.

use std::collections::BTreeMap;
use std::fmt;

use herald_send::keys::{KeyStatus, RelayKeys};
use herald_send::sync::SyncOutcome;
use herald_store::relay_sync::{RelaySyncState, SyncFailure};
use serde::Serialize;
use ts_rs::TS;

use super::instant;

/// What Settings → Relay shows. Never a secret: for the keys only whether
/// the keychain holds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RelayStatus {
    /// The relay's base URL; `None` until one is saved.
    pub url: Option<String>,
    /// When a sync last completed.
    pub last_sync_at: Option<String>,
    /// The last sync's failure, cleared by the next success.
    pub last_error: Option<RelayFailure>,
    /// What the last "Sync now" in this run of the app did.
    pub last_sync: Option<SyncSummary>,
    /// Relay events this workspace has applied, in all.
    pub events_applied: i64,
    pub keychain: KeychainStatus,
    /// How often the app syncs on its own while it runs.
    pub interval_seconds: u64,
}

impl RelayStatus {
    pub fn new(
        saved: RelaySyncState,
        events_applied: i64,
        keychain: KeychainStatus,
        last_sync: Option<SyncSummary>,
        interval_seconds: u64,
    ) -> RelayStatus {
        RelayStatus {
            url: saved.url,
            last_sync_at: saved.last_sync_at.map(instant),
            last_error: saved.last_error.map(RelayFailure::from),
            last_sync,
            events_applied,
            keychain,
            interval_seconds,
        }
    }
}

/// A sync that failed: when, and why in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RelayFailure {
    pub at: String,
    pub message: String,
}

impl From<SyncFailure> for RelayFailure {
    fn from(f: SyncFailure) -> Self {
        RelayFailure {
            at: instant(f.at),
            message: f.message,
        }
    }
}

/// Whether this computer's keychain can be used, and which relay keys it
/// holds for this workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(
    tag = "state",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum KeychainStatus {
    /// The keychain answered.
    Ready {
        /// The current signing key's id; `None` before keys are generated.
        signing_key_id: Option<u8>,
        /// The key before the last rotation, which the relay still accepts.
        previous_signing_key_id: Option<u8>,
        api_token: bool,
    },
    /// No keychain is reachable (or it is locked); `message` says what to do.
    Unavailable { message: String },
    /// The keychain answered with an error, or holds an entry Herald cannot read.
    Failed { message: String },
}

impl From<KeyStatus> for KeychainStatus {
    fn from(k: KeyStatus) -> Self {
        KeychainStatus::Ready {
            signing_key_id: k.signing_key_id,
            previous_signing_key_id: k.previous_signing_key_id,
            api_token: k.api_token,
        }
    }
}

/// What a sync applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncSummary {
    pub finished_at: String,
    /// Events the relay handed out.
    pub received: u64,
    /// New events recorded (the rest had been applied before).
    pub recorded: u64,
    /// New events by kind (`open`, `click`, `unsubscribe`, `bounce`...).
    pub by_kind: BTreeMap<String, u64>,
    /// Contacts whose email status became unsubscribed.
    pub unsubscribed: u64,
    pub resubscribed: u64,
    pub bounced: u64,
    pub complained: u64,
    /// Contacts whose SMS status became opted out (STOP replies).
    pub sms_opted_out: u64,
    pub sms_opted_in: u64,
    /// Status events naming no contact of this workspace.
    pub unmatched: u64,
}

impl From<&SyncOutcome> for SyncSummary {
    fn from(o: &SyncOutcome) -> Self {
        let r = &o.report;
        SyncSummary {
            finished_at: instant(o.finished_at),
            received: r.received,
            recorded: r.recorded,
            by_kind: r.by_kind.clone(),
            unsubscribed: r.unsubscribed,
            resubscribed: r.resubscribed,
            bounced: r.bounced,
            complained: r.complained,
            sms_opted_out: r.sms_opted_out,
            sms_opted_in: r.sms_opted_in,
            unmatched: r.unmatched,
        }
    }
}

/// "Test connection" succeeded: the relay is up and accepts the API token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionTest {
    pub url: String,
    /// Whether events are waiting to be synced.
    pub events_waiting: bool,
}

/// Newly generated (or rotated) relay keys, shown once: the values and the
/// exact lines for the relay's environment and its TOML file. After this
/// answer they are only in the keychain.
#[derive(Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GeneratedKeys {
    pub signing_key_id: u8,
    /// The key the relay keeps accepting (after a rotation).
    pub previous_signing_key_id: Option<u8>,
    /// `<id>:<base64url>`, as the relay's `signing_key` takes it.
    pub signing_key: String,
    pub api_token: String,
    /// `HERALD_RELAY_...=value` lines.
    pub env_lines: String,
    /// `name = "value"` lines for the relay's TOML file.
    pub toml_lines: String,
}

impl From<&RelayKeys> for GeneratedKeys {
    fn from(keys: &RelayKeys) -> Self {
        GeneratedKeys {
            signing_key_id: keys.signing_key_id(),
            previous_signing_key_id: keys
                .previous_signing_key
                .as_ref()
                .and_then(|k| k.expose().split_once(':'))
                .and_then(|(id, _)| id.parse().ok()),
            signing_key: keys.signing_key.expose().to_owned(),
            api_token: keys.api_token.expose().to_owned(),
            env_lines: keys.env_lines(),
            toml_lines: keys.toml_lines(),
        }
    }
}

impl fmt::Debug for GeneratedKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GeneratedKeys")
            .field("signing_key_id", &self.signing_key_id)
            .field("previous_signing_key_id", &self.previous_signing_key_id)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use herald_send::keys;
    use herald_send::secrets::MemorySecrets;

    use super::*;

    #[test]
    fn generated_keys_carry_the_lines_and_never_debug_print_a_secret() {
        let secrets = MemorySecrets::default();
        keys::create(&secrets).unwrap();
        let rotated = keys::rotate(&secrets).unwrap();
        let shown = GeneratedKeys::from(&rotated);
        assert_eq!(shown.signing_key_id, 2);
        assert_eq!(shown.previous_signing_key_id, Some(1));
        assert!(shown.signing_key.starts_with("2:"));
        assert!(shown
            .env_lines
            .contains(&format!("HERALD_RELAY_API_TOKEN={}", shown.api_token)));
        assert!(shown.toml_lines.contains("previous_signing_key = \"1:"));
        let debug = format!("{shown:?}");
        assert!(!debug.contains(&shown.api_token), "{debug}");
        assert!(!debug.contains(&shown.signing_key), "{debug}");
    }

    #[test]
    fn the_keychain_status_is_tagged_by_state() {
        let ready = KeychainStatus::from(KeyStatus {
            signing_key_id: Some(3),
            previous_signing_key_id: None,
            api_token: true,
        });
        assert_eq!(
            serde_json::to_value(ready).unwrap(),
            serde_json::json!({"state": "ready", "signingKeyId": 3,
                               "previousSigningKeyId": null, "apiToken": true})
        );
        let missing = KeychainStatus::Unavailable {
            message: "no keychain".into(),
        };
        assert_eq!(
            serde_json::to_value(missing).unwrap(),
            serde_json::json!({"state": "unavailable", "message": "no keychain"})
        );
    }
}
