//! Keeping the rollups: [`record`] counts one newly recorded relay event
//! inside the page's transaction; [`rebuild`] recomputes every rollup from
//! `relay_events` and the send ledger with the same rules.
//!
//! The rules (docs/analytics.md, "What is counted"):
//! - An event counts for a campaign when its send-ledger row is found (as
//!   the ledger stamping finds it: campaign and contact, else the
//!   provider's message id, else campaign and address), else when it names
//!   a campaign of this workspace. Others are not rolled up.
//! - An open or click is a machine's when the relay flagged it, or when it
//!   came within 2 s of the row's delivery (else its sending), up to 5 s
//!   before it for clock skew: the ledger's own timing rule.
//! - A bounce is hard when `detail.bounce_type` says "hard", else soft. An
//!   unsubscribe over SMS, and an SMS reply that is an opt-out keyword, are
//!   `sms_opt_out`.
//! - The ledger row is read as it is when the event is applied; a rebuild
//!   reads it as it is then (a delivery reported after an open may move
//!   that open across the 2-second line).

use anyhow::Context;
use herald_core::sms_keywords::{self, SmsKeyword};
use sqlx::SqliteConnection;
use uuid::Uuid;

use super::{hour_of, Metric, HOUR_MS, VERSION, VERSION_KEY};
use crate::relay_events::{EventKind, RelayEvent};
use crate::{settings, to_millis, Result, Store};

/// How soon after a message left an open or click is a machine's (the
/// ledger's rule, relay_events/engagement.rs).
const MACHINE_WINDOW_MS: i64 = 2_000;
/// How far before the send an event may be stamped by clock skew alone.
const MAX_SKEW_MS: i64 = 5_000;

/// What an event counts as before its ledger row is known.
enum Kind {
    /// An open or click: human or machine depends on the row's timing.
    Engagement {
        click: bool,
    },
    Fixed(Metric),
}

fn kind_of(event: &RelayEvent) -> Option<Kind> {
    let detail = |key: &str| event.detail.get(key).and_then(|v| v.as_str());
    let metric = match &event.kind {
        EventKind::Open => return Some(Kind::Engagement { click: false }),
        EventKind::Click => return Some(Kind::Engagement { click: true }),
        EventKind::Delivered => Metric::Delivered,
        EventKind::Bounce if detail("bounce_type") == Some("hard") => Metric::BounceHard,
        EventKind::Bounce => Metric::BounceSoft,
        EventKind::Complaint => Metric::Complaint,
        EventKind::Unsubscribe if is_sms(event) => Metric::SmsOptOut,
        EventKind::Unsubscribe => Metric::Unsubscribe,
        EventKind::SmsStatus => match detail("status") {
            Some("delivered") => Metric::SmsDelivered,
            Some("undelivered") => Metric::SmsUndelivered,
            Some("failed") => Metric::SmsFailed,
            _ => return None,
        },
        EventKind::SmsInbound if is_opt_out(detail("body").unwrap_or("")) => Metric::SmsOptOut,
        _ => return None,
    };
    Some(Kind::Fixed(metric))
}

/// An unsubscribe's channel as the status change reads it (effects.rs):
/// the token's, else SMS for a reported phone number.
fn is_sms(event: &RelayEvent) -> bool {
    match (event.channel, event.address.as_deref()) {
        (Some(channel), _) => channel == herald_core::Channel::Sms,
        (None, Some(address)) => !address.contains('@'),
        (None, None) => false,
    }
}

fn is_opt_out(body: &str) -> bool {
    sms_keywords::classify(body) == Some(SmsKeyword::OptOut)
}

/// The instant the timing rule measures from, of the row found.
struct Row {
    campaign: Uuid,
    contact: Option<Uuid>,
    reference: Option<i64>,
}

/// Finds the event's ledger row, in the ledger stamping's order.
async fn resolve(
    conn: &mut SqliteConnection,
    event: &RelayEvent,
    contact: Option<Uuid>,
) -> Result<Option<Row>> {
    type Found = (Uuid, Uuid, Option<i64>);
    let mut found: Option<Found> = None;
    if let (Some(campaign), Some(contact)) = (event.campaign_id, contact) {
        found = sqlx::query_as(
            "SELECT campaign_id, contact_id, coalesce(delivered_at, sent_at)
             FROM campaign_recipients WHERE campaign_id = ? AND contact_id = ?",
        )
        .bind(campaign)
        .bind(contact)
        .fetch_optional(&mut *conn)
        .await
        .context("finding an event's ledger row")?;
    }
    if let (None, Some(message)) = (&found, event.provider_message_id.as_deref()) {
        found = sqlx::query_as(
            "SELECT campaign_id, contact_id, coalesce(delivered_at, sent_at)
             FROM campaign_recipients
             WHERE provider_message_id = ?1 AND (?2 IS NULL OR campaign_id = ?2)
             ORDER BY campaign_id, contact_id LIMIT 1",
        )
        .bind(message)
        .bind(event.campaign_id)
        .fetch_optional(&mut *conn)
        .await
        .context("finding an event's ledger row by message id")?;
    }
    if let (None, Some(campaign), Some(address)) =
        (&found, event.campaign_id, event.address.as_deref())
    {
        found = sqlx::query_as(
            "SELECT campaign_id, contact_id, coalesce(delivered_at, sent_at)
             FROM campaign_recipients
             WHERE campaign_id = ? AND address = ? COLLATE NOCASE
             ORDER BY contact_id LIMIT 1",
        )
        .bind(campaign)
        .bind(address.trim())
        .fetch_optional(&mut *conn)
        .await
        .context("finding an event's ledger row by address")?;
    }
    if let Some((campaign, contact, reference)) = found {
        return Ok(Some(Row {
            campaign,
            contact: Some(contact),
            reference,
        }));
    }
    let Some(campaign) = event.campaign_id else {
        return Ok(None);
    };
    let known: Option<i64> = sqlx::query_scalar("SELECT 1 FROM campaigns WHERE id = ?")
        .bind(campaign)
        .fetch_optional(&mut *conn)
        .await
        .context("looking up an event's campaign")?;
    Ok(known.map(|_| Row {
        campaign,
        contact,
        reference: None,
    }))
}

/// Counts one newly recorded event (never a duplicate: the caller skips
/// those) in the rollups, inside the caller's transaction. `contact` is the
/// contact id recorded with the event.
pub async fn record(
    conn: &mut SqliteConnection,
    event: &RelayEvent,
    contact: Option<Uuid>,
) -> Result<()> {
    let Some(kind) = kind_of(event) else {
        return Ok(());
    };
    let Some(row) = resolve(conn, event, contact).await? else {
        return Ok(());
    };
    let at = to_millis(event.at);
    let metric = match kind {
        Kind::Fixed(metric) => metric,
        Kind::Engagement { click } => {
            let timed = row
                .reference
                .is_some_and(|r| (-MAX_SKEW_MS..MACHINE_WINDOW_MS).contains(&(at - r)));
            match (click, event.machine || timed) {
                (false, false) => Metric::OpenHuman,
                (false, true) => Metric::OpenMachine,
                (true, false) => Metric::ClickHuman,
                (true, true) => Metric::ClickScanner,
            }
        }
    };
    count(conn, &row, metric, at, event.url.as_deref()).await
}

async fn count(
    conn: &mut SqliteConnection,
    row: &Row,
    metric: Metric,
    at: i64,
    url: Option<&str>,
) -> Result<()> {
    let hour = hour_of(at);
    let mut first_here = 0_i64;
    if let Some(contact) = row.contact {
        let first: Option<i64> = sqlx::query_scalar(
            "SELECT first_at FROM campaign_uniques
             WHERE campaign_id = ? AND metric = ? AND contact_id = ?",
        )
        .bind(row.campaign)
        .bind(metric.as_str())
        .bind(contact)
        .fetch_optional(&mut *conn)
        .await
        .context("reading a unique set")?;
        match first {
            None => {
                first_here = 1;
                sqlx::query(
                    "INSERT INTO campaign_uniques (campaign_id, metric, contact_id, first_at)
                     VALUES (?, ?, ?, ?)",
                )
                .bind(row.campaign)
                .bind(metric.as_str())
                .bind(contact)
                .bind(at)
                .execute(&mut *conn)
                .await
                .context("adding to a unique set")?;
            }
            // A late event earlier than the first one known: the contact's
            // first occurrence moves to this event's hour.
            Some(first) if at < first => {
                sqlx::query(
                    "UPDATE campaign_uniques SET first_at = ?4
                     WHERE campaign_id = ?1 AND metric = ?2 AND contact_id = ?3",
                )
                .bind(row.campaign)
                .bind(metric.as_str())
                .bind(contact)
                .bind(at)
                .execute(&mut *conn)
                .await
                .context("moving a first occurrence")?;
                if hour_of(first) != hour {
                    sqlx::query(
                        "UPDATE campaign_hourly SET uniques = uniques - 1
                         WHERE campaign_id = ? AND metric = ? AND hour_start_ms = ?",
                    )
                    .bind(row.campaign)
                    .bind(metric.as_str())
                    .bind(hour_of(first))
                    .execute(&mut *conn)
                    .await
                    .context("moving a first occurrence's hour")?;
                    first_here = 1;
                }
            }
            Some(_) => {}
        }
    }
    sqlx::query(
        "INSERT INTO campaign_hourly (campaign_id, metric, hour_start_ms, total, uniques)
         VALUES (?, ?, ?, 1, ?)
         ON CONFLICT DO UPDATE SET total = total + 1, uniques = uniques + excluded.uniques",
    )
    .bind(row.campaign)
    .bind(metric.as_str())
    .bind(hour)
    .bind(first_here)
    .execute(&mut *conn)
    .await
    .context("counting an event in its hour")?;
    if let (Metric::ClickHuman, Some(url)) = (metric, url) {
        let mut new_clicker = 0_i64;
        if let Some(contact) = row.contact {
            new_clicker = sqlx::query(
                "INSERT INTO campaign_link_uniques (campaign_id, url, contact_id)
                 VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            )
            .bind(row.campaign)
            .bind(url)
            .bind(contact)
            .execute(&mut *conn)
            .await
            .context("adding a link's clicker")?
            .rows_affected() as i64;
        }
        sqlx::query(
            "INSERT INTO campaign_link_clicks (campaign_id, url, total, uniques)
             VALUES (?, ?, 1, ?)
             ON CONFLICT DO UPDATE SET total = total + 1, uniques = uniques + excluded.uniques",
        )
        .bind(row.campaign)
        .bind(url)
        .bind(new_clicker)
        .execute(&mut *conn)
        .await
        .context("counting a link's click")?;
    }
    Ok(())
}

/// Every rolled-up event with its campaign, contact and metric, by the
/// same rules as [`record`], over `relay_events` joined to the ledger.
/// `temp.analytics_opt_outs` holds the SMS replies that are opt-out
/// keywords (classified in Rust, as the status change does). The CASEs keep
/// the fallback look-ups to the events the primary key did not match.
const RESOLVED: &str = "
WITH s1 AS (
    SELECT e.id, e.kind, e.at, e.machine, e.url, e.channel, e.address, e.detail,
        e.campaign_id AS ev_campaign, e.contact_id AS ev_contact,
        p.contact_id IS NOT NULL AS by_pk,
        CASE WHEN p.contact_id IS NULL AND e.provider_message_id IS NOT NULL THEN
            (SELECT r.campaign_id FROM campaign_recipients r
             WHERE r.provider_message_id = e.provider_message_id
               AND (e.campaign_id IS NULL OR r.campaign_id = e.campaign_id)
             ORDER BY r.campaign_id, r.contact_id LIMIT 1) END AS m_campaign,
        CASE WHEN p.contact_id IS NULL AND e.provider_message_id IS NOT NULL THEN
            (SELECT r.contact_id FROM campaign_recipients r
             WHERE r.provider_message_id = e.provider_message_id
               AND (e.campaign_id IS NULL OR r.campaign_id = e.campaign_id)
             ORDER BY r.campaign_id, r.contact_id LIMIT 1) END AS m_contact
    FROM relay_events e
    LEFT JOIN campaign_recipients p
        ON p.campaign_id = e.campaign_id AND p.contact_id = e.contact_id
    WHERE e.kind IN ('open', 'click', 'delivered', 'bounce', 'complaint', 'unsubscribe',
                     'sms_status', 'sms_inbound')
), s2 AS (
    SELECT s1.*,
        CASE WHEN NOT by_pk AND m_campaign IS NULL AND ev_campaign IS NOT NULL
                  AND address IS NOT NULL THEN
            (SELECT r.contact_id FROM campaign_recipients r
             WHERE r.campaign_id = s1.ev_campaign AND r.address = trim(s1.address) COLLATE NOCASE
             ORDER BY r.contact_id LIMIT 1) END AS a_contact
    FROM s1
), k AS (
    SELECT id, kind, at, machine, url, channel, address, detail,
        CASE WHEN by_pk THEN ev_campaign WHEN m_campaign IS NOT NULL THEN m_campaign
             ELSE ev_campaign END AS campaign_id,
        CASE WHEN by_pk THEN ev_contact WHEN m_campaign IS NOT NULL THEN m_contact
             WHEN a_contact IS NOT NULL THEN a_contact ELSE ev_contact END AS contact_id
    FROM s2
)
SELECT campaign_id, contact_id, metric, at, url FROM (
    SELECT k.campaign_id, k.contact_id, k.at, k.url,
        CASE k.kind
            WHEN 'open' THEN CASE WHEN k.machine = 1 OR coalesce(
                k.at - coalesce(r.delivered_at, r.sent_at) BETWEEN -5000 AND 1999, 0)
                THEN 'open_machine' ELSE 'open_human' END
            WHEN 'click' THEN CASE WHEN k.machine = 1 OR coalesce(
                k.at - coalesce(r.delivered_at, r.sent_at) BETWEEN -5000 AND 1999, 0)
                THEN 'click_scanner' ELSE 'click_human' END
            WHEN 'delivered' THEN 'delivered'
            WHEN 'bounce' THEN CASE WHEN json_extract(k.detail, '$.bounce_type') = 'hard'
                THEN 'bounce_hard' ELSE 'bounce_soft' END
            WHEN 'complaint' THEN 'complaint'
            WHEN 'unsubscribe' THEN CASE WHEN k.channel = 'sms' OR (k.channel IS NULL
                AND k.address IS NOT NULL AND instr(k.address, '@') = 0)
                THEN 'sms_opt_out' ELSE 'unsubscribe' END
            WHEN 'sms_status' THEN CASE json_extract(k.detail, '$.status')
                WHEN 'delivered' THEN 'sms_delivered'
                WHEN 'undelivered' THEN 'sms_undelivered'
                WHEN 'failed' THEN 'sms_failed' END
            WHEN 'sms_inbound' THEN CASE WHEN k.id IN (SELECT id FROM temp.analytics_opt_outs)
                THEN 'sms_opt_out' END
        END AS metric
    FROM k
    JOIN campaigns c ON c.id = k.campaign_id
    LEFT JOIN campaign_recipients r
        ON r.campaign_id = k.campaign_id AND r.contact_id = k.contact_id
) WHERE metric IS NOT NULL";

/// `at`'s UTC hour in SQL (the remainder kept positive, as `hour_of`).
const HOUR_SQL: &str = "(%c - (((%c % 3600000) + 3600000) % 3600000))";

/// Recomputes every rollup from `relay_events` and the send ledger in one
/// write transaction, and marks the rollups as of this version.
pub async fn rebuild(store: &Store) -> Result<()> {
    debug_assert_eq!(HOUR_MS, 3_600_000);
    let mut tx = store.begin_write().await?;
    let conn: &mut SqliteConnection = &mut tx;
    let inbound: Vec<(Uuid, Option<String>)> = sqlx::query_as(
        "SELECT id, json_extract(detail, '$.body') FROM relay_events WHERE kind = 'sms_inbound'",
    )
    .fetch_all(&mut *conn)
    .await
    .context("reading SMS replies")?;
    let hour = |column: &str| HOUR_SQL.replace("%c", column);
    let setup = [
        "DROP TABLE IF EXISTS temp.analytics_opt_outs",
        "DROP TABLE IF EXISTS temp.analytics_events",
        "CREATE TEMP TABLE analytics_opt_outs (id BLOB PRIMARY KEY) WITHOUT ROWID",
        "CREATE TEMP TABLE analytics_events
            (campaign_id BLOB, contact_id BLOB, metric TEXT, at INTEGER, url TEXT)",
    ];
    for sql in setup {
        sqlx::query(sql)
            .execute(&mut *conn)
            .await
            .context("preparing the rebuild")?;
    }
    for (id, body) in inbound {
        if is_opt_out(body.as_deref().unwrap_or("")) {
            sqlx::query("INSERT INTO temp.analytics_opt_outs (id) VALUES (?)")
                .bind(id)
                .execute(&mut *conn)
                .await
                .context("noting an SMS opt-out")?;
        }
    }
    let steps = [
        format!("INSERT INTO temp.analytics_events {RESOLVED}"),
        "DELETE FROM campaign_hourly".to_owned(),
        "DELETE FROM campaign_uniques".to_owned(),
        "DELETE FROM campaign_link_clicks".to_owned(),
        "DELETE FROM campaign_link_uniques".to_owned(),
        "INSERT INTO campaign_uniques (campaign_id, metric, contact_id, first_at)
         SELECT campaign_id, metric, contact_id, min(at) FROM temp.analytics_events
         WHERE contact_id IS NOT NULL GROUP BY campaign_id, metric, contact_id"
            .to_owned(),
        format!(
            "INSERT INTO campaign_hourly (campaign_id, metric, hour_start_ms, total, uniques)
             SELECT campaign_id, metric, hour, sum(t), sum(u) FROM (
                 SELECT campaign_id, metric, {} AS hour, 1 AS t, 0 AS u
                 FROM temp.analytics_events
                 UNION ALL
                 SELECT campaign_id, metric, {}, 0, 1 FROM campaign_uniques
             ) GROUP BY campaign_id, metric, hour",
            hour("at"),
            hour("first_at")
        ),
        "INSERT INTO campaign_link_uniques (campaign_id, url, contact_id)
         SELECT DISTINCT campaign_id, url, contact_id FROM temp.analytics_events
         WHERE metric = 'click_human' AND url IS NOT NULL AND contact_id IS NOT NULL"
            .to_owned(),
        "INSERT INTO campaign_link_clicks (campaign_id, url, total, uniques)
         SELECT t.campaign_id, t.url, t.n, coalesce(u.n, 0)
         FROM (SELECT campaign_id, url, count(*) AS n FROM temp.analytics_events
               WHERE metric = 'click_human' AND url IS NOT NULL
               GROUP BY campaign_id, url) t
         LEFT JOIN (SELECT campaign_id, url, count(*) AS n FROM campaign_link_uniques
                    GROUP BY campaign_id, url) u
             ON u.campaign_id = t.campaign_id AND u.url = t.url"
            .to_owned(),
        "DROP TABLE temp.analytics_events".to_owned(),
        "DROP TABLE temp.analytics_opt_outs".to_owned(),
    ];
    for sql in &steps {
        sqlx::query(sql)
            .execute(&mut *conn)
            .await
            .context("rebuilding the analytics rollups")?;
    }
    settings::set_in(conn, VERSION_KEY, &VERSION).await?;
    tx.commit()
        .await
        .context("committing the analytics rollups")?;
    Ok(())
}
