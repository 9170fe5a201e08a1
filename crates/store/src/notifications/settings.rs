//! The person's notification choices: per kind "os", "in_app" or "none"
//! (setting `notifications.prefs`), and the lines that make a rate or an
//! outage worth telling about (setting `notifications.thresholds`).

use std::collections::BTreeMap;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use super::Kind;
use crate::settings::{get, set_in};
use crate::{Result, Store, StoreError};

const PREFS: &str = "notifications.prefs";
const THRESHOLDS: &str = "notifications.thresholds";

/// Gmail's and Yahoo's bulk-sender line: complaints above 0.3 %.
pub const DEFAULT_COMPLAINT_RATE: f64 = 0.003;
/// Bounces above 2 % usually mean a stale list.
pub const DEFAULT_BOUNCE_RATE: f64 = 0.02;
/// A relay briefly down is normal (a restart, a laptop offline); half an
/// hour of failed syncs is worth a word.
pub const DEFAULT_RELAY_DOWN_MINUTES: u32 = 30;

/// How one kind of event is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preference {
    /// A native OS notification, and in the bell.
    Os,
    /// Only in the bell.
    InApp,
    /// Not at all: nothing is stored.
    None,
}

/// The lines, as fractions and minutes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Thresholds {
    /// Complaints over delivered (or sent) above this warn.
    pub complaint_rate: f64,
    /// Bounces over delivered (or sent) above this warn.
    pub bounce_rate: f64,
    /// Syncs failing for longer than this warn.
    pub relay_down_minutes: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            complaint_rate: DEFAULT_COMPLAINT_RATE,
            bounce_rate: DEFAULT_BOUNCE_RATE,
            relay_down_minutes: DEFAULT_RELAY_DOWN_MINUTES,
        }
    }
}

/// Everything Settings → Notifications edits.
#[derive(Debug, Clone, PartialEq)]
pub struct NotificationSettings {
    /// Kinds not listed take their default ([`NotificationSettings::default_for`]).
    pub prefs: BTreeMap<Kind, Preference>,
    pub thresholds: Thresholds,
}

impl Default for NotificationSettings {
    fn default() -> Self {
        NotificationSettings {
            prefs: Kind::ALL
                .into_iter()
                .map(|k| (k, NotificationSettings::default_for(k)))
                .collect(),
            thresholds: Thresholds::default(),
        }
    }
}

impl NotificationSettings {
    /// What a kind does until the person chooses: what needs a decision or
    /// ends a long wait pops up; background news stays in the bell.
    pub fn default_for(kind: Kind) -> Preference {
        match kind {
            Kind::CampaignCompleted
            | Kind::CampaignFailed
            | Kind::InDoubt
            | Kind::ComplaintRate => Preference::Os,
            Kind::RelayUnreachable | Kind::ImportFinished => Preference::InApp,
        }
    }

    pub fn preference(&self, kind: Kind) -> Preference {
        self.prefs
            .get(&kind)
            .copied()
            .unwrap_or_else(|| NotificationSettings::default_for(kind))
    }
}

/// The settings as stored, defaults filled in.
pub async fn load_settings(store: &Store) -> Result<NotificationSettings> {
    let stored: BTreeMap<Kind, Preference> = get(store, PREFS).await?.unwrap_or_default();
    let mut settings = NotificationSettings {
        thresholds: get(store, THRESHOLDS).await?.unwrap_or_default(),
        ..NotificationSettings::default()
    };
    settings.prefs.extend(stored);
    Ok(settings)
}

/// Checks and saves the settings. A rate is a fraction in (0, 1); the
/// relay's minutes between 1 and a week.
pub async fn save_settings(store: &Store, new: &NotificationSettings) -> Result<()> {
    let t = new.thresholds;
    for (field, rate) in [
        ("complaintRate", t.complaint_rate),
        ("bounceRate", t.bounce_rate),
    ] {
        if !(rate > 0.0 && rate < 1.0) {
            return Err(StoreError::validation(
                field,
                "the rate must be above 0 % and below 100 %",
            ));
        }
    }
    if !(1..=7 * 24 * 60).contains(&t.relay_down_minutes) {
        return Err(StoreError::validation(
            "relayDownMinutes",
            "the relay's delay must be between 1 minute and 7 days (10080 minutes)",
        ));
    }
    // One transaction: the page saves both at once, or neither.
    let mut tx = store.begin_write().await?;
    set_in(&mut tx, PREFS, &new.prefs).await?;
    set_in(&mut tx, THRESHOLDS, &t).await?;
    tx.commit()
        .await
        .context("saving the notification settings")?;
    Ok(())
}
