//! Which campaign an SMS opt-out reply answers. A STOP texted back names no
//! campaign: the provider reports only the number it came from. Herald
//! credits it to the latest SMS campaign sent to that contact in the
//! [`WINDOW_MS`] before the reply, the way carriers and SMS tools read a
//! STOP: as an answer to the last text. The event is recorded with that
//! campaign, so the ledger row is stamped `unsubscribed_at` (the contact's
//! timeline shows "Opted out" on it), the campaign's report counts the
//! opt-out, and a rebuild of the rollups reads the same campaign back.
//!
//! A reply with no SMS campaign in the window still opts the contact out
//! (effects.rs); it is just nobody's campaign's opt-out.

use std::borrow::Cow;

use anyhow::Context;
use herald_core::sms_keywords::{self, SmsKeyword};
use sqlx::SqliteConnection;
use uuid::Uuid;

use super::{EventKind, RelayEvent};
use crate::{to_millis, Result};

/// How long after a text a STOP is still taken as its answer.
pub const WINDOW_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// Whether `event` is a texted opt-out keyword (STOP, UNSUBSCRIBE, …).
pub(super) fn is_sms_opt_out(event: &RelayEvent) -> bool {
    event.kind == EventKind::SmsInbound
        && event
            .detail
            .get("body")
            .and_then(|b| b.as_str())
            .is_some_and(|body| sms_keywords::classify(body) == Some(SmsKeyword::OptOut))
}

/// `event`, with the campaign its opt-out answers when it named none.
pub(super) async fn attribute<'e>(
    conn: &mut SqliteConnection,
    event: &'e RelayEvent,
    contact: Option<Uuid>,
) -> Result<Cow<'e, RelayEvent>> {
    let (None, Some(contact), true) = (event.campaign_id, contact, is_sms_opt_out(event)) else {
        return Ok(Cow::Borrowed(event));
    };
    let at = to_millis(event.at);
    let campaign: Option<Uuid> = sqlx::query_scalar(
        "SELECT r.campaign_id FROM campaign_recipients r
         JOIN campaigns c ON c.id = r.campaign_id AND c.channel = 'sms'
         WHERE r.contact_id = ?1 AND r.sent_at BETWEEN ?2 - ?3 AND ?2
         ORDER BY r.sent_at DESC LIMIT 1",
    )
    .bind(contact)
    .bind(at)
    .bind(WINDOW_MS)
    .fetch_optional(&mut *conn)
    .await
    .context("finding the text an SMS opt-out answers")?;
    Ok(match campaign {
        Some(campaign) => Cow::Owned(RelayEvent {
            campaign_id: Some(campaign),
            ..event.clone()
        }),
        None => Cow::Borrowed(event),
    })
}
