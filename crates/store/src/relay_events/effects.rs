//! What a relay event does to a contact.
//!
//! Finding the contact: a token's recipient id is the contact id; a
//! provider's event names an address instead (an email address, or an
//! E.164 number for SMS).
//!
//! Which status wins. Email statuses are ranked by how firmly they stop
//! sending: `subscribed` < `bounced` < `unsubscribed` < `complained`. An
//! unsubscribe, a hard bounce or a complaint moves a contact only up that
//! order: a bounced contact who unsubscribes is unsubscribed (their wish
//! outlives a mailbox problem), but a bounce never hides an unsubscribe, and
//! nothing hides a spam complaint. For SMS: `subscribed` < `invalid` <
//! `opted_out`.
//!
//! The one move back down is a resubscribe (the confirmation page's link,
//! or an SMS START/UNSTOP/YES), and it takes back only an unsubscribe
//! (`unsubscribed`, `opted_out`). A contact who complained or hard-bounced
//! stays so: a click on an old link is no proof the complaint was withdrawn
//! or the mailbox works again, and mailing either harms the sender's
//! reputation. Such a contact can be resubscribed by hand in the app, which
//! records who did it.

use anyhow::Context;
use herald_core::sms_keywords::{self, SmsKeyword};
use herald_core::{Channel, ContactId, EmailAddress, PhoneNumber};
use sqlx::SqliteConnection;
use uuid::Uuid;

use super::{ApplyReport, EventKind, RelayEvent};
use crate::consent_events::ConsentInput;
use crate::contacts::apply_status;
use crate::Result;

/// The contact an event is about.
#[derive(Debug)]
pub(super) struct Target {
    /// The contact id recorded with the event (a token's recipient id even
    /// when this workspace has no such contact).
    recorded: Option<Uuid>,
    /// The contact, when it exists in this workspace.
    contact: Option<ContactId>,
}

impl Target {
    pub(super) fn contact_id(&self) -> Option<Uuid> {
        self.recorded
    }
}

/// Does the event's kind change a status?
fn has_effect(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Unsubscribe
            | EventKind::Resubscribe
            | EventKind::Bounce
            | EventKind::Complaint
            | EventKind::SmsInbound
    )
}

/// Finds the event's contact: by the token's recipient id, else by the
/// reported address. Opens and clicks are recorded with their recipient id
/// unchecked (they change nothing, and they are most of the traffic).
pub(super) async fn target(conn: &mut SqliteConnection, event: &RelayEvent) -> Result<Target> {
    if let Some(recipient) = event.recipient_id {
        let contact = if has_effect(&event.kind) {
            let found: Option<Uuid> = sqlx::query_scalar("SELECT id FROM contacts WHERE id = ?")
                .bind(recipient)
                .fetch_optional(&mut *conn)
                .await
                .context("looking up a relay event's recipient")?;
            found.map(ContactId::from_uuid)
        } else {
            None
        };
        return Ok(Target {
            recorded: Some(recipient),
            contact,
        });
    }
    let contact = match event.address.as_deref() {
        Some(address) => by_address(conn, address).await?,
        None => None,
    };
    Ok(Target {
        recorded: contact.map(|c| c.as_uuid()),
        contact,
    })
}

/// The contact with this email address or phone number. An address that
/// does not parse names nobody.
async fn by_address(conn: &mut SqliteConnection, address: &str) -> Result<Option<ContactId>> {
    let found: Option<Uuid> = if address.contains('@') {
        let Ok(email) = EmailAddress::parse(address) else {
            return Ok(None);
        };
        sqlx::query_scalar("SELECT id FROM contacts WHERE email = ?")
            .bind(email.as_str())
            .fetch_optional(&mut *conn)
            .await
            .context("looking up a relay event's email address")?
    } else {
        let Ok(phone) = PhoneNumber::parse(address, None) else {
            return Ok(None);
        };
        sqlx::query_scalar("SELECT id FROM contacts WHERE phone = ?")
            .bind(phone.as_str())
            .fetch_optional(&mut *conn)
            .await
            .context("looking up a relay event's phone number")?
    };
    Ok(found.map(ContactId::from_uuid))
}

/// The status change an event asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Withdraw(Channel, &'static str),
    Regrant(Channel),
}

fn email_rank(status: &str) -> u8 {
    match status {
        "subscribed" => 0,
        "bounced" => 1,
        "unsubscribed" => 2,
        _ => 3, // complained
    }
}

fn sms_rank(status: &str) -> u8 {
    match status {
        "subscribed" => 0,
        "invalid" => 1,
        _ => 2, // opted_out
    }
}

/// Which channel an unsubscribe or resubscribe is for: the token's, else
/// SMS when the provider reported a phone number, else email.
fn channel_of(event: &RelayEvent) -> Channel {
    match (event.channel, event.address.as_deref()) {
        (Some(channel), _) => channel,
        (None, Some(address)) if !address.contains('@') => Channel::Sms,
        _ => Channel::Email,
    }
}

/// Records what the event does to its contact's status, if anything.
pub(super) async fn apply(
    conn: &mut SqliteConnection,
    event: &RelayEvent,
    target: &Target,
    report: &mut ApplyReport,
) -> Result<()> {
    let (change, method) = match &event.kind {
        EventKind::Unsubscribe => {
            let channel = channel_of(event);
            let status = match channel {
                Channel::Email => "unsubscribed",
                Channel::Sms => "opted_out",
            };
            (
                Change::Withdraw(channel, status),
                by_token_or_provider(event, "one_click_unsubscribe"),
            )
        }
        EventKind::Resubscribe => (
            Change::Regrant(channel_of(event)),
            by_token_or_provider(event, "resubscribe_link"),
        ),
        EventKind::Bounce if bounce_type(event) == Some("hard") => (
            Change::Withdraw(Channel::Email, "bounced"),
            provider_or(event, "hard_bounce"),
        ),
        EventKind::Complaint => (
            Change::Withdraw(Channel::Email, "complained"),
            provider_or(event, "complaint"),
        ),
        EventKind::SmsInbound => {
            let body = event
                .detail
                .get("body")
                .and_then(|b| b.as_str())
                .unwrap_or("");
            match sms_keywords::classify(body) {
                Some(SmsKeyword::OptOut) => (
                    Change::Withdraw(Channel::Sms, "opted_out"),
                    "sms_keyword".to_owned(),
                ),
                Some(SmsKeyword::OptIn) => {
                    (Change::Regrant(Channel::Sms), "sms_keyword".to_owned())
                }
                Some(SmsKeyword::Help) => {
                    report.help_requests += 1;
                    return Ok(());
                }
                None => return Ok(()),
            }
        }
        _ => return Ok(()),
    };
    let Some(contact) = target.contact else {
        report.unmatched += 1;
        return Ok(());
    };
    let channel = match change {
        Change::Withdraw(channel, _) | Change::Regrant(channel) => channel,
    };
    let column = match channel {
        Channel::Email => "email_status",
        Channel::Sms => "sms_status",
    };
    let current: String =
        sqlx::query_scalar(&format!("SELECT {column} FROM contacts WHERE id = ?"))
            .bind(contact.as_uuid())
            .fetch_one(&mut *conn)
            .await
            .context("reading a contact's status")?;
    let rank = |status: &str| match channel {
        Channel::Email => email_rank(status),
        Channel::Sms => sms_rank(status),
    };
    let (status, granted) = match change {
        Change::Withdraw(_, status) if rank(status) > rank(&current) => (status, false),
        Change::Regrant(_) if matches!(current.as_str(), "unsubscribed" | "opted_out") => {
            ("subscribed", true)
        }
        _ => {
            report.unchanged += 1;
            return Ok(());
        }
    };
    let how = ConsentInput {
        source: "relay".to_owned(),
        method,
        text_version: None,
        ip: event.ip.clone(),
        user_agent: event.user_agent.clone(),
        at: Some(event.at),
    };
    if !apply_status(conn, contact, channel, status, granted, &how).await? {
        report.unchanged += 1;
        return Ok(());
    }
    let counter = match (channel, status) {
        (Channel::Email, "unsubscribed") => &mut report.unsubscribed,
        (Channel::Email, "bounced") => &mut report.bounced,
        (Channel::Email, "complained") => &mut report.complained,
        (Channel::Email, _) => &mut report.resubscribed,
        (Channel::Sms, "opted_out") => &mut report.sms_opted_out,
        (Channel::Sms, _) => &mut report.sms_opted_in,
    };
    *counter += 1;
    Ok(())
}

fn bounce_type(event: &RelayEvent) -> Option<&str> {
    event.detail.get("bounce_type").and_then(|t| t.as_str())
}

/// The consent method: `token_method` for a hit on a signed link, else the
/// provider's name (an ESP's own unsubscribe or resubscribe event).
fn by_token_or_provider(event: &RelayEvent, token_method: &str) -> String {
    if event.recipient_id.is_some() {
        token_method.to_owned()
    } else {
        provider_or(event, token_method)
    }
}

fn provider_or(event: &RelayEvent, fallback: &str) -> String {
    event
        .provider
        .clone()
        .unwrap_or_else(|| fallback.to_owned())
}
