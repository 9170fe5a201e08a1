//! Notifications as the bell and Settings → Notifications see them
//! (docs/notifications.md). Rates cross IPC as percentages (0.3 means
//! 0.3 %), as the settings form shows them; the store keeps fractions.

use std::collections::BTreeMap;

use herald_store::notifications::{
    self as store, Delivery, Kind, NotificationSettings, Preference, Thresholds,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dto::instant;

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    CampaignCompleted,
    CampaignFailed,
    InDoubt,
    /// A complaint or bounce rate above its line.
    ComplaintRate,
    RelayUnreachable,
    ImportFinished,
}

impl From<Kind> for NotificationKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::CampaignCompleted => NotificationKind::CampaignCompleted,
            Kind::CampaignFailed => NotificationKind::CampaignFailed,
            Kind::InDoubt => NotificationKind::InDoubt,
            Kind::ComplaintRate => NotificationKind::ComplaintRate,
            Kind::RelayUnreachable => NotificationKind::RelayUnreachable,
            Kind::ImportFinished => NotificationKind::ImportFinished,
        }
    }
}

/// One notification in the bell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NotificationView {
    pub id: i64,
    pub kind: NotificationKind,
    /// The campaign a click opens, when there is one.
    pub campaign_id: Option<String>,
    pub title: String,
    pub body: String,
    /// Whether it was also shown as a native OS notification.
    pub os: bool,
    pub created_at: String,
    pub read_at: Option<String>,
}

fn at(ms: i64) -> String {
    instant(herald_store::from_millis(ms))
}

impl From<store::Notification> for NotificationView {
    fn from(n: store::Notification) -> Self {
        NotificationView {
            id: n.id,
            kind: n.kind.into(),
            campaign_id: n.campaign_id.map(|id| id.to_string()),
            title: n.title,
            body: n.body,
            os: n.delivery == Delivery::Os,
            created_at: at(n.created_at),
            read_at: n.read_at.map(at),
        }
    }
}

/// The newest notifications and the unread count (the badge).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NotificationList {
    pub items: Vec<NotificationView>,
    pub unread: i64,
}

/// How one kind of event is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NotificationPreference {
    /// A native OS notification, and in the bell.
    Os,
    /// Only in the bell.
    InApp,
    /// Not at all.
    None,
}

impl From<Preference> for NotificationPreference {
    fn from(p: Preference) -> Self {
        match p {
            Preference::Os => NotificationPreference::Os,
            Preference::InApp => NotificationPreference::InApp,
            Preference::None => NotificationPreference::None,
        }
    }
}

impl From<NotificationPreference> for Preference {
    fn from(p: NotificationPreference) -> Self {
        match p {
            NotificationPreference::Os => Preference::Os,
            NotificationPreference::InApp => Preference::InApp,
            NotificationPreference::None => Preference::None,
        }
    }
}

/// The choice for each kind, one field per kind so that none is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NotificationPrefs {
    pub campaign_completed: NotificationPreference,
    pub campaign_failed: NotificationPreference,
    pub in_doubt: NotificationPreference,
    pub complaint_rate: NotificationPreference,
    pub relay_unreachable: NotificationPreference,
    pub import_finished: NotificationPreference,
}

/// Settings → Notifications, read and saved whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NotificationSettingsView {
    pub prefs: NotificationPrefs,
    /// Warn above this complaint rate, in percent (default 0.3).
    pub complaint_rate_percent: f64,
    /// Warn above this bounce rate, in percent (default 2).
    pub bounce_rate_percent: f64,
    /// Warn when syncs have failed for longer than this (default 30).
    pub relay_down_minutes: u32,
}

/// Percent shown with at most four decimals: 0.003 reads 0.3, not
/// 0.30000000000000004.
fn percent(fraction: f64) -> f64 {
    (fraction * 100.0 * 10_000.0).round() / 10_000.0
}

impl From<NotificationSettings> for NotificationSettingsView {
    fn from(s: NotificationSettings) -> Self {
        let p = |k| NotificationPreference::from(s.preference(k));
        NotificationSettingsView {
            prefs: NotificationPrefs {
                campaign_completed: p(Kind::CampaignCompleted),
                campaign_failed: p(Kind::CampaignFailed),
                in_doubt: p(Kind::InDoubt),
                complaint_rate: p(Kind::ComplaintRate),
                relay_unreachable: p(Kind::RelayUnreachable),
                import_finished: p(Kind::ImportFinished),
            },
            complaint_rate_percent: percent(s.thresholds.complaint_rate),
            bounce_rate_percent: percent(s.thresholds.bounce_rate),
            relay_down_minutes: s.thresholds.relay_down_minutes,
        }
    }
}

impl From<&NotificationSettingsView> for NotificationSettings {
    fn from(v: &NotificationSettingsView) -> Self {
        let p = v.prefs;
        let prefs: BTreeMap<Kind, Preference> = [
            (Kind::CampaignCompleted, p.campaign_completed),
            (Kind::CampaignFailed, p.campaign_failed),
            (Kind::InDoubt, p.in_doubt),
            (Kind::ComplaintRate, p.complaint_rate),
            (Kind::RelayUnreachable, p.relay_unreachable),
            (Kind::ImportFinished, p.import_finished),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.into()))
        .collect();
        NotificationSettings {
            prefs,
            thresholds: Thresholds {
                complaint_rate: v.complaint_rate_percent / 100.0,
                bounce_rate: v.bounce_rate_percent / 100.0,
                relay_down_minutes: v.relay_down_minutes,
            },
        }
    }
}
