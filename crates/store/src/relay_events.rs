//! Events pulled from the relay (`relay_events`), and what they do to
//! contacts.
//!
//! [`apply_page`] records a page of events and moves the sync cursor in one
//! write transaction: either the whole page and its cursor are in the
//! workspace, or none of it is. Each event is recorded once, keyed by the
//! relay's event id, so a page pulled twice changes nothing the second time.
//!
//! What an event does (the rules are in `effects`, and in docs/relay.md,
//! "Desktop side"): unsubscribes, complaints, hard bounces and SMS STOP
//! replies withdraw the contact from the channel; a resubscribe (or an SMS
//! START) takes back only an unsubscribe, never a complaint or a bounce.
//! Every status change goes through the contact's status code path, so it
//! writes its consent ledger row (source `relay`, with the hit's IP address
//! and user agent) and bumps the data generation. An event of a campaign
//! also stamps its send-ledger row (`engagement`: delivered, opened,
//! clicked, bounced, complained, unsubscribed; machine opens excluded).
//!
//! ```no_run
//! # async fn demo(store: herald_store::Store, events: Vec<herald_store::relay_events::RelayEvent>)
//! # -> herald_store::Result<()> {
//! let report = herald_store::relay_events::apply_page(&store, &events, "1042").await?;
//! println!("{} new events, {} contacts unsubscribed", report.recorded, report.unsubscribed);
//! # Ok(()) }
//! ```

mod attribution;
mod effects;
mod engagement;

use std::collections::BTreeMap;

use anyhow::Context;
use chrono::{DateTime, Utc};
use herald_core::Channel;
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use uuid::Uuid;

use crate::{generation, now_millis, relay_sync, to_millis, Result, Store};

/// What happened, as the relay names it. Kinds this version does not know
/// are kept by name and recorded without any effect.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum EventKind {
    Open,
    Click,
    Unsubscribe,
    Resubscribe,
    Delivered,
    Bounce,
    Complaint,
    SmsStatus,
    SmsInbound,
    Other(String),
}

impl EventKind {
    pub fn as_str(&self) -> &str {
        match self {
            EventKind::Open => "open",
            EventKind::Click => "click",
            EventKind::Unsubscribe => "unsubscribe",
            EventKind::Resubscribe => "resubscribe",
            EventKind::Delivered => "delivered",
            EventKind::Bounce => "bounce",
            EventKind::Complaint => "complaint",
            EventKind::SmsStatus => "sms_status",
            EventKind::SmsInbound => "sms_inbound",
            EventKind::Other(name) => name,
        }
    }
}

impl From<String> for EventKind {
    fn from(name: String) -> Self {
        match name.as_str() {
            "open" => EventKind::Open,
            "click" => EventKind::Click,
            "unsubscribe" => EventKind::Unsubscribe,
            "resubscribe" => EventKind::Resubscribe,
            "delivered" => EventKind::Delivered,
            "bounce" => EventKind::Bounce,
            "complaint" => EventKind::Complaint,
            "sms_status" => EventKind::SmsStatus,
            "sms_inbound" => EventKind::SmsInbound,
            _ => EventKind::Other(name),
        }
    }
}

impl From<EventKind> for String {
    fn from(kind: EventKind) -> Self {
        kind.as_str().to_owned()
    }
}

fn empty_object() -> serde_json::Value {
    serde_json::Value::Object(Default::default())
}

/// One event as the relay hands it out (the JSON of `GET /api/v1/events`,
/// docs/relay.md). Absent optional fields read as `None`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelayEvent {
    /// The relay's event id: the desktop applies each id once.
    pub id: Uuid,
    pub kind: EventKind,
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub campaign_id: Option<Uuid>,
    /// The contact id a token carried.
    #[serde(default)]
    pub recipient_id: Option<Uuid>,
    #[serde(default)]
    pub channel: Option<Channel>,
    #[serde(default)]
    pub machine: bool,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub ip: Option<String>,
    #[serde(default)]
    pub user_agent: Option<String>,
    #[serde(default)]
    pub provider: Option<String>,
    #[serde(default)]
    pub provider_event_id: Option<String>,
    #[serde(default)]
    pub provider_message_id: Option<String>,
    /// The email address or E.164 number a provider reported.
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default = "empty_object")]
    pub detail: serde_json::Value,
}

impl RelayEvent {
    /// An event of `kind` with a fresh id and every optional part empty.
    pub fn new(kind: EventKind, at: DateTime<Utc>) -> RelayEvent {
        RelayEvent {
            id: Uuid::now_v7(),
            kind,
            at,
            campaign_id: None,
            recipient_id: None,
            channel: None,
            machine: false,
            url: None,
            ip: None,
            user_agent: None,
            provider: None,
            provider_event_id: None,
            provider_message_id: None,
            address: None,
            detail: empty_object(),
        }
    }
}

/// What applying events did. Counts add up over pages ([`ApplyReport::add`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApplyReport {
    /// Events handed in.
    pub received: u64,
    /// New events recorded, by kind.
    pub recorded: u64,
    pub by_kind: BTreeMap<String, u64>,
    /// Events already recorded earlier (same relay id): nothing done.
    pub duplicates: u64,
    /// Contacts whose email status became `unsubscribed`.
    pub unsubscribed: u64,
    /// Contacts whose email status went back to `subscribed`.
    pub resubscribed: u64,
    /// Contacts whose email status became `bounced` (hard bounces).
    pub bounced: u64,
    /// Contacts whose email status became `complained`.
    pub complained: u64,
    /// Contacts whose SMS status became `opted_out` (STOP, SMS unsubscribes).
    pub sms_opted_out: u64,
    /// Contacts whose SMS status went back to `subscribed` (START, UNSTOP, YES).
    pub sms_opted_in: u64,
    /// SMS replies asking for HELP or INFO.
    pub help_requests: u64,
    /// Status events whose contact already had that status, or a status a
    /// relay event may not override (a resubscribe after a complaint).
    pub unchanged: u64,
    /// Status events naming no contact of this workspace.
    pub unmatched: u64,
    /// Events that stamped their send-ledger row (delivered, opened,
    /// clicked, bounced, complained, unsubscribed).
    pub ledger_stamped: u64,
    /// Opens and clicks the relay flagged as machine (privacy proxy,
    /// prefetch, link scanner): recorded, never counted as engagement.
    pub machine: u64,
}

impl ApplyReport {
    /// Adds another page's counts to these.
    pub fn add(&mut self, other: &ApplyReport) {
        self.received += other.received;
        self.recorded += other.recorded;
        for (kind, n) in &other.by_kind {
            *self.by_kind.entry(kind.clone()).or_default() += n;
        }
        self.duplicates += other.duplicates;
        self.unsubscribed += other.unsubscribed;
        self.resubscribed += other.resubscribed;
        self.bounced += other.bounced;
        self.complained += other.complained;
        self.sms_opted_out += other.sms_opted_out;
        self.sms_opted_in += other.sms_opted_in;
        self.help_requests += other.help_requests;
        self.unchanged += other.unchanged;
        self.unmatched += other.unmatched;
        self.ledger_stamped += other.ledger_stamped;
        self.machine += other.machine;
    }

    /// Contacts whose status changed.
    pub fn status_changes(&self) -> u64 {
        self.unsubscribed
            + self.resubscribed
            + self.bounced
            + self.complained
            + self.sms_opted_out
            + self.sms_opted_in
    }
}

/// Records `events` and applies their effects, then saves `next_cursor`,
/// all in one write transaction. On any error nothing is written, the
/// cursor included.
pub async fn apply_page(
    store: &Store,
    events: &[RelayEvent],
    next_cursor: &str,
) -> Result<ApplyReport> {
    let mut tx = store.begin_write().await?;
    let report = apply_batch(&mut tx, events).await?;
    relay_sync::save_cursor(&mut tx, next_cursor).await?;
    tx.commit()
        .await
        .context("committing a page of relay events")?;
    Ok(report)
}

/// Records `events` and applies their effects inside the caller's write
/// transaction, in order. Events already recorded are skipped. Bumps the
/// data generation once when any contact's status changed.
pub async fn apply_batch(
    conn: &mut SqliteConnection,
    events: &[RelayEvent],
) -> Result<ApplyReport> {
    // An event names the row by its provider id or sets times against
    // its sent_at: the ledger's journal must be in the rows.
    crate::ledger::journal::fold(conn).await?;
    let mut report = ApplyReport::default();
    let applied_at = now_millis();
    for event in events {
        report.received += 1;
        let target = effects::target(conn, event).await?;
        let event = attribution::attribute(conn, event, target.contact_id()).await?;
        let event = event.as_ref();
        if !insert(conn, event, target.contact_id(), applied_at).await? {
            report.duplicates += 1;
            continue;
        }
        report.recorded += 1;
        *report
            .by_kind
            .entry(event.kind.as_str().to_owned())
            .or_default() += 1;
        effects::apply(conn, event, &target, &mut report).await?;
        engagement::record(conn, event, &target, &mut report).await?;
        crate::analytics::rollup::record(conn, event, target.contact_id()).await?;
    }
    if report.status_changes() > 0 {
        generation::bump(conn).await?;
    }
    Ok(report)
}

/// Inserts the event's row; false when its id is already recorded.
async fn insert(
    conn: &mut SqliteConnection,
    event: &RelayEvent,
    contact_id: Option<Uuid>,
    applied_at: i64,
) -> Result<bool> {
    let detail = serde_json::to_string(&event.detail).context("serialising an event's detail")?;
    let done = sqlx::query(
        "INSERT INTO relay_events (id, kind, at, campaign_id, contact_id, channel, machine, url,
             provider, provider_event_id, provider_message_id, address, detail, applied_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(event.id)
    .bind(event.kind.as_str())
    .bind(to_millis(event.at))
    .bind(event.campaign_id)
    .bind(contact_id)
    .bind(event.channel.map(|c| c.as_str()))
    .bind(event.machine)
    .bind(&event.url)
    .bind(&event.provider)
    .bind(&event.provider_event_id)
    .bind(&event.provider_message_id)
    .bind(&event.address)
    .bind(detail)
    .bind(applied_at)
    .execute(conn)
    .await
    .context("recording a relay event")?;
    Ok(done.rows_affected() == 1)
}

/// How many relay events the workspace holds.
pub async fn count(store: &Store) -> Result<i64> {
    let n = sqlx::query_scalar("SELECT COUNT(*) FROM relay_events")
        .fetch_one(store.pool())
        .await
        .context("counting relay events")?;
    Ok(n)
}

/// Recorded events per kind, e.g. for a campaign report.
pub async fn count_by_kind(store: &Store, campaign: Option<Uuid>) -> Result<BTreeMap<String, i64>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT kind, COUNT(*) FROM relay_events
         WHERE ?1 IS NULL OR campaign_id = ?1
         GROUP BY kind",
    )
    .bind(campaign)
    .fetch_all(store.pool())
    .await
    .context("counting relay events by kind")?;
    Ok(rows.into_iter().collect())
}
