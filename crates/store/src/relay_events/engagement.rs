//! What a relay event writes to the send ledger (`campaign_recipients`):
//! the instant a campaign's message was delivered, opened, clicked,
//! bounced, complained about or unsubscribed from, for campaign reports and
//! the contact's timeline.
//!
//! Which row. A signed link's event names its campaign and its contact (the
//! token's recipient id); a provider's webhook names the provider's message
//! id and an address. An event is matched, in this order, by campaign and
//! contact, by the provider's message id, then by campaign and the address
//! the ledger row was resolved with (the contact may have changed it since).
//! An event that matches no row (another workspace's campaign, a deleted
//! campaign, a test send) stamps nothing and is not an error.
//!
//! Machine opens and clicks (the relay's `machine` flag: Apple Mail Privacy
//! Protection and other image proxies that fetch the pixel whether or not
//! the message is read, prefetchers, link scanners) stamp nothing: counting
//! them would report every Apple Mail recipient as having opened. The event
//! itself is still recorded in `relay_events`.
//!
//! So do opens and clicks within two seconds of the message leaving (or
//! being delivered): no person reads that fast; scanners and proxies that
//! the relay could not recognise by their request do.
//!
//! Each column keeps the earliest instant (`min(coalesce(column, at), at)`),
//! so replaying an event changes nothing and a late-arriving earlier event
//! still wins. A click implies an open: a human clicked a link in the
//! message, even when their client blocked the pixel, so a click also
//! stamps `opened_at`.

use anyhow::Context;
use sqlx::SqliteConnection;

use super::attribution::is_sms_opt_out;
use super::effects::Target;
use super::{ApplyReport, EventKind, RelayEvent};
use crate::{to_millis, Result};

/// How soon after a message left an open or click is taken for a machine's.
const MACHINE_WINDOW_MS: i64 = 2_000;
/// How far the relay's clock may be behind this computer's.
const MAX_SKEW_MS: i64 = 5_000;

/// The ledger columns an event stamps; empty when it stamps none.
fn columns(event: &RelayEvent) -> &'static [&'static str] {
    match &event.kind {
        EventKind::Open | EventKind::Click if event.machine => &[],
        EventKind::Open => &["opened_at"],
        EventKind::Click => &["clicked_at", "opened_at"],
        EventKind::Delivered => &["delivered_at"],
        EventKind::SmsStatus if sms_status(event) == Some("delivered") => &["delivered_at"],
        // Soft bounces too: that attempt did not arrive, which is what a
        // campaign's bounce count reports. Only hard ones change the
        // contact's status (`effects`).
        EventKind::Bounce => &["bounced_at"],
        EventKind::Complaint => &["complained_at"],
        EventKind::Unsubscribe => &["unsubscribed_at"],
        // A texted STOP, credited to the text it answers (attribution.rs).
        EventKind::SmsInbound if is_sms_opt_out(event) => &["unsubscribed_at"],
        _ => &[],
    }
}

fn sms_status(event: &RelayEvent) -> Option<&str> {
    event.detail.get("status").and_then(|s| s.as_str())
}

/// An SMS status callback's delivery status (one the ledger knows) and, for
/// a failure, the provider's code and what it means.
fn delivery_report(event: &RelayEvent) -> Option<(&'static str, Option<String>)> {
    if event.kind != EventKind::SmsStatus {
        return None;
    }
    let status = match sms_status(event)? {
        "queued" => "queued",
        "sent" => "sent",
        "delivered" => "delivered",
        "undelivered" => "undelivered",
        "failed" => "failed",
        _ => return None,
    };
    let text = |key: &str| {
        event
            .detail
            .get(key)
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let error = match (text("error_code"), text("error_message")) {
        (Some(code), Some(message)) => Some(format!("{code}: {message}")),
        (Some(code), None) => Some(format!("error {code}")),
        (None, Some(message)) => Some(message.to_owned()),
        (None, None) => None,
    };
    Some((status, error))
}

/// Stamps the event's ledger row, if it has one, inside the page's
/// transaction.
pub(super) async fn record(
    conn: &mut SqliteConnection,
    event: &RelayEvent,
    target: &Target,
    report: &mut ApplyReport,
) -> Result<()> {
    if event.machine && matches!(event.kind, EventKind::Open | EventKind::Click) {
        report.machine += 1;
        return Ok(());
    }
    let columns = columns(event);
    let delivery = delivery_report(event);
    if columns.is_empty() && delivery.is_none() {
        return Ok(());
    }
    // Earliest instant wins; a replay writes the same value again.
    let mut set = columns
        .iter()
        .map(|c| format!("{c} = min(coalesce({c}, ?1), ?1)"))
        .collect::<Vec<_>>();
    if delivery.is_some() {
        // A later stage replaces an earlier one; the first final report
        // (delivered, undelivered, failed) stays, whatever arrives after it.
        // The error goes with the status that brought it.
        let rank = |column: &str| {
            format!("CASE {column} WHEN 'queued' THEN 0 WHEN 'sent' THEN 1 ELSE 2 END")
        };
        let newer = format!(
            "(delivery_status IS NULL OR ({} < 2 AND {} > {}))",
            rank("delivery_status"),
            rank("?4"),
            rank("delivery_status")
        );
        // SQLite evaluates every SET expression on the row as it was, so
        // both read the old status.
        set.push(format!(
            "delivery_error = CASE WHEN {newer} THEN ?5 ELSE delivery_error END"
        ));
        set.push(format!(
            "delivery_status = CASE WHEN {newer} THEN ?4 ELSE delivery_status END"
        ));
    }
    let set = set.join(", ");
    let (status, error) = delivery.unzip();
    let error = error.flatten();
    let at = to_millis(event.at);
    // The timing rule: an open or click within MACHINE_WINDOW_MS of the
    // message leaving (or being delivered) is a machine fetching it on
    // arrival, not a person (docs/relay.md, "Machine opens and scanner
    // clicks"). Up to MAX_SKEW_MS before the send counts too: only clock
    // skew between the relay and this computer can put it there.
    let timing = if matches!(event.kind, EventKind::Open | EventKind::Click) {
        format!(
            " AND NOT coalesce(?1 - coalesce(delivered_at, sent_at) \
             BETWEEN -{MAX_SKEW_MS} AND {MACHINE_WINDOW_MS} - 1, 0)"
        )
    } else {
        String::new()
    };
    let stamp =
        |filter: &str| format!("UPDATE campaign_recipients SET {set} WHERE {filter}{timing}");

    let mut stamped = false;
    if let (Some(campaign), Some(contact)) = (event.campaign_id, target.contact_id()) {
        // The primary key: one row at most.
        stamped = sqlx::query(&stamp("campaign_id = ?2 AND contact_id = ?3"))
            .bind(at)
            .bind(campaign)
            .bind(contact)
            .bind(status)
            .bind(error.as_deref())
            .execute(&mut *conn)
            .await
            .context("stamping the ledger row of a campaign and contact")?
            .rows_affected()
            > 0;
    }
    if let (false, Some(message)) = (stamped, event.provider_message_id.as_deref()) {
        // Indexed (migration 0006); within the campaign when the event
        // names one.
        stamped = sqlx::query(&stamp(
            "provider_message_id = ?2 AND (?3 IS NULL OR campaign_id = ?3)",
        ))
        .bind(at)
        .bind(message)
        .bind(event.campaign_id)
        .bind(status)
        .bind(error.as_deref())
        .execute(&mut *conn)
        .await
        .context("stamping the ledger row of a provider's message id")?
        .rows_affected()
            > 0;
    }
    if let (false, Some(campaign), Some(address)) =
        (stamped, event.campaign_id, event.address.as_deref())
    {
        stamped = sqlx::query(&stamp("campaign_id = ?2 AND address = ?3 COLLATE NOCASE"))
            .bind(at)
            .bind(campaign)
            .bind(address.trim())
            .bind(status)
            .bind(error.as_deref())
            .execute(&mut *conn)
            .await
            .context("stamping the ledger row of a campaign and address")?
            .rows_affected()
            > 0;
    }
    if stamped {
        report.ledger_stamped += 1;
    }
    Ok(())
}
