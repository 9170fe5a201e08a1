//! Notifications: what the bell lists and what may pop up as a native OS
//! notification, with the person's choice per kind of event.
//!
//! [`emit`] is the one way in. It reads the preference for the event's kind
//! ("os", "in_app" or "none"): "none" stores nothing; otherwise the row is
//! inserted with `ON CONFLICT (dedupe_key) DO NOTHING`, so the same event
//! found twice (the app looks at the whole workspace at each start and after
//! each sync) is stored, and shown, once. It returns the row only when it is
//! new, which is what the app delivers.
//!
//! ```no_run
//! # async fn demo(store: herald_store::Store) -> herald_store::Result<()> {
//! use herald_store::notifications::{self, Kind, NewNotification};
//! let new = NewNotification {
//!     kind: Kind::ImportFinished,
//!     campaign_id: None,
//!     title: "Import finished".into(),
//!     body: "120 contacts added".into(),
//!     dedupe_key: "import:0190b6d2".into(),
//! };
//! if let Some(stored) = notifications::emit(&store, &new, herald_store::now_millis()).await? {
//!     println!("new: {} ({:?})", stored.title, stored.delivery);
//! }
//! # Ok(()) }
//! ```

mod settings;
pub mod signals;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use uuid::Uuid;

use crate::{Result, Store, StoreError};

pub use settings::{
    load_settings, save_settings, NotificationSettings, Preference, Thresholds,
    DEFAULT_BOUNCE_RATE, DEFAULT_COMPLAINT_RATE, DEFAULT_RELAY_DOWN_MINUTES,
};

/// The kinds of event Herald tells about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    CampaignCompleted,
    /// Failed as a whole (the server refused the login, ...).
    CampaignFailed,
    /// Messages that may or may not have gone out (Herald stopped mid-send).
    InDoubt,
    /// A campaign's complaint or bounce rate passed its line.
    ComplaintRate,
    /// Syncs with the relay have failed for longer than the setting.
    RelayUnreachable,
    ImportFinished,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::CampaignCompleted,
        Kind::CampaignFailed,
        Kind::InDoubt,
        Kind::ComplaintRate,
        Kind::RelayUnreachable,
        Kind::ImportFinished,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::CampaignCompleted => "campaign_completed",
            Kind::CampaignFailed => "campaign_failed",
            Kind::InDoubt => "in_doubt",
            Kind::ComplaintRate => "complaint_rate",
            Kind::RelayUnreachable => "relay_unreachable",
            Kind::ImportFinished => "import_finished",
        }
    }

    pub fn parse(raw: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// How a stored notification reaches the person. Both show in the bell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Also a native OS notification.
    Os,
    InApp,
}

impl Delivery {
    fn as_str(self) -> &'static str {
        match self {
            Delivery::Os => "os",
            Delivery::InApp => "in_app",
        }
    }
}

/// An event to tell about, before the preference is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    pub kind: Kind,
    pub campaign_id: Option<Uuid>,
    pub title: String,
    pub body: String,
    /// Names the event: the same key is stored once, ever.
    pub dedupe_key: String,
}

/// A stored notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub kind: Kind,
    pub campaign_id: Option<Uuid>,
    pub title: String,
    pub body: String,
    pub delivery: Delivery,
    /// ms since the epoch, UTC.
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// Stores `new` unless its kind is set to "none" or its event was stored
/// before. Returns the row when it is new (to deliver), else `None`.
pub async fn emit(store: &Store, new: &NewNotification, now: i64) -> Result<Option<Notification>> {
    let delivery = match load_settings(store).await?.preference(new.kind) {
        Preference::None => return Ok(None),
        Preference::Os => Delivery::Os,
        Preference::InApp => Delivery::InApp,
    };
    let mut tx = store.begin_write().await?;
    // RETURNING yields no row when the key exists: the event was told before.
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO notifications (kind, campaign_id, title, body, delivery, created_at, dedupe_key)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (dedupe_key) DO NOTHING
         RETURNING id",
    )
    .bind(new.kind.as_str())
    .bind(new.campaign_id)
    .bind(&new.title)
    .bind(&new.body)
    .bind(delivery.as_str())
    .bind(now)
    .bind(&new.dedupe_key)
    .fetch_optional(&mut *tx)
    .await
    .context("storing a notification")?;
    tx.commit().await.context("storing a notification")?;
    Ok(id.map(|id| Notification {
        id,
        kind: new.kind,
        campaign_id: new.campaign_id,
        title: new.title.clone(),
        body: new.body.clone(),
        delivery,
        created_at: now,
        read_at: None,
    }))
}

/// The newest `limit` notifications and how many are unread in all.
pub async fn list(store: &Store, limit: u32) -> Result<(Vec<Notification>, i64)> {
    let rows = sqlx::query(
        "SELECT id, kind, campaign_id, title, body, delivery, created_at, read_at
         FROM notifications ORDER BY created_at DESC, id DESC LIMIT ?",
    )
    .bind(i64::from(limit))
    .fetch_all(store.pool())
    .await
    .context("listing notifications")?;
    let items = rows
        .iter()
        .map(|row| {
            let kind: String = row.get("kind");
            let delivery: String = row.get("delivery");
            Ok(Notification {
                id: row.get("id"),
                kind: Kind::parse(&kind)
                    .with_context(|| format!("a notification of unknown kind {kind:?}"))?,
                campaign_id: row.get("campaign_id"),
                title: row.get("title"),
                body: row.get("body"),
                delivery: if delivery == "os" {
                    Delivery::Os
                } else {
                    Delivery::InApp
                },
                created_at: row.get("created_at"),
                read_at: row.get("read_at"),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let unread: i64 =
        sqlx::query_scalar("SELECT count(*) FROM notifications WHERE read_at IS NULL")
            .fetch_one(store.pool())
            .await
            .context("counting unread notifications")?;
    Ok((items, unread))
}

/// Marks one notification read (again: no change). `NotFound` when it does
/// not exist.
pub async fn mark_read(store: &Store, id: i64, now: i64) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let found = sqlx::query("UPDATE notifications SET read_at = coalesce(read_at, ?) WHERE id = ?")
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await
        .context("marking a notification read")?
        .rows_affected();
    tx.commit().await.context("marking a notification read")?;
    if found == 0 {
        return Err(StoreError::NotFound(format!("notification {id}")));
    }
    Ok(())
}

/// Marks every unread notification read; returns how many it marked.
pub async fn mark_all_read(store: &Store, now: i64) -> Result<u64> {
    let mut tx = store.begin_write().await?;
    let n = sqlx::query("UPDATE notifications SET read_at = ? WHERE read_at IS NULL")
        .bind(now)
        .execute(&mut *tx)
        .await
        .context("marking notifications read")?
        .rows_affected();
    tx.commit().await.context("marking notifications read")?;
    Ok(n)
}
