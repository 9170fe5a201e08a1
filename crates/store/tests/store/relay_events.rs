//! Relay events: recorded once by relay id, applied to contacts' statuses
//! through the consent ledger, page and cursor in one transaction.

use chrono::{TimeZone, Utc};
use herald_core::{Channel, ContactId, EmailStatus, SmsStatus};
use herald_store::relay_events::{self, ApplyReport, EventKind, RelayEvent};
use herald_store::{contacts, relay_sync, Store};
use serde_json::json;

use crate::helpers::*;

fn event(kind: EventKind) -> RelayEvent {
    RelayEvent::new(kind, Utc.with_ymd_and_hms(2026, 11, 28, 21, 0, 0).unwrap())
}

/// A hit on a signed link: recipient and channel from the token.
fn token_event(kind: EventKind, contact: ContactId, channel: Channel) -> RelayEvent {
    RelayEvent {
        campaign_id: Some(uuid::Uuid::now_v7()),
        recipient_id: Some(contact.as_uuid()),
        channel: Some(channel),
        ip: Some("203.0.113.9".into()),
        user_agent: Some("Mozilla/5.0 (Herald test)".into()),
        ..event(kind)
    }
}

/// A provider webhook: identified by address only.
fn provider_event(kind: EventKind, provider: &str, address: &str) -> RelayEvent {
    RelayEvent {
        provider: Some(provider.into()),
        provider_event_id: Some(uuid::Uuid::now_v7().to_string()),
        address: Some(address.into()),
        ..event(kind)
    }
}

fn sms_reply(from: &str, body: &str) -> RelayEvent {
    RelayEvent {
        detail: json!({ "to": "+14155550000", "body": body }),
        ..provider_event(EventKind::SmsInbound, "twilio", from)
    }
}

async fn apply(store: &Store, events: &[RelayEvent]) -> ApplyReport {
    relay_events::apply_page(store, events, "cursor")
        .await
        .expect("applying relay events")
}

async fn email_status(store: &Store, id: ContactId) -> EmailStatus {
    contacts::get(store, id).await.unwrap().email_status
}

async fn sms_status(store: &Store, id: ContactId) -> SmsStatus {
    contacts::get(store, id).await.unwrap().sms_status
}

#[tokio::test]
async fn a_one_click_unsubscribe_unsubscribes_with_a_ledger_row_carrying_ip_and_user_agent() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let before = generation(&store).await;
    let report = apply(
        &store,
        &[token_event(EventKind::Unsubscribe, ada.id, Channel::Email)],
    )
    .await;
    assert_eq!((report.recorded, report.unsubscribed), (1, 1));
    assert_eq!(
        email_status(&store, ada.id).await,
        EmailStatus::Unsubscribed
    );
    let rows = ledger(&store, ada.id).await;
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(
        (
            row.channel.as_str(),
            row.action.as_str(),
            row.status.as_str()
        ),
        ("email", "withdrawn", "unsubscribed")
    );
    assert_eq!(
        (row.source.as_str(), row.method.as_str()),
        ("relay", "one_click_unsubscribe")
    );
    assert_eq!(row.ip.as_deref(), Some("203.0.113.9"));
    assert_eq!(row.user_agent.as_deref(), Some("Mozilla/5.0 (Herald test)"));
    assert_eq!(
        row.at,
        Utc.with_ymd_and_hms(2026, 11, 28, 21, 0, 0).unwrap()
    );
    assert_eq!(generation(&store).await, before + 1);
}

#[tokio::test]
async fn the_same_events_applied_twice_are_applied_once() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let events = [
        token_event(EventKind::Open, ada.id, Channel::Email),
        token_event(EventKind::Unsubscribe, ada.id, Channel::Email),
        token_event(EventKind::Resubscribe, ada.id, Channel::Email),
    ];
    let first = apply(&store, &events).await;
    assert_eq!(
        (first.recorded, first.unsubscribed, first.resubscribed),
        (3, 1, 1)
    );
    let ledger_rows = total_ledger_rows(&store).await;
    let generation_after = generation(&store).await;

    let second = apply(&store, &events).await;
    assert_eq!(
        (second.received, second.recorded, second.duplicates),
        (3, 0, 3)
    );
    assert_eq!(second.status_changes(), 0);
    assert_eq!(relay_events::count(&store).await.unwrap(), 3);
    assert_eq!(total_ledger_rows(&store).await, ledger_rows);
    assert_eq!(generation(&store).await, generation_after);
    assert_eq!(email_status(&store, ada.id).await, EmailStatus::Subscribed);
}

#[tokio::test]
async fn a_failure_mid_page_writes_nothing_and_keeps_the_cursor() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    relay_events::apply_page(&store, &[], "7").await.unwrap();
    // The third event's insert fails, after the first two were written
    // inside the transaction.
    sqlx::query(
        "CREATE TRIGGER boom BEFORE INSERT ON relay_events WHEN NEW.kind = 'boom'
         BEGIN SELECT RAISE(ABORT, 'simulated failure'); END",
    )
    .execute(store.pool())
    .await
    .unwrap();
    let page = [
        token_event(EventKind::Unsubscribe, ada.id, Channel::Email),
        token_event(EventKind::Click, ada.id, Channel::Email),
        event(EventKind::Other("boom".into())),
    ];
    relay_events::apply_page(&store, &page, "10")
        .await
        .expect_err("the page should fail");
    assert_eq!(relay_events::count(&store).await.unwrap(), 0);
    assert_eq!(email_status(&store, ada.id).await, EmailStatus::Subscribed);
    assert_eq!(total_ledger_rows(&store).await, 0);
    assert_eq!(
        relay_sync::cursor(&store).await.unwrap().as_deref(),
        Some("7")
    );

    sqlx::query("DROP TRIGGER boom")
        .execute(store.pool())
        .await
        .unwrap();
    let report = apply(&store, &page).await;
    assert_eq!((report.recorded, report.unsubscribed), (3, 1));
}

#[tokio::test]
async fn a_resubscribe_takes_back_an_unsubscribe_but_not_a_complaint_or_a_bounce() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let bob = create(&store, new_contact(Some("bob@example.com"), None)).await;
    let cy = create(&store, new_contact(Some("cy@example.com"), None)).await;
    let report = apply(
        &store,
        &[
            token_event(EventKind::Unsubscribe, ada.id, Channel::Email),
            token_event(EventKind::Resubscribe, ada.id, Channel::Email),
            provider_event(EventKind::Complaint, "ses", "bob@example.com"),
            token_event(EventKind::Resubscribe, bob.id, Channel::Email),
            RelayEvent {
                detail: json!({ "bounce_type": "hard", "reason": "no such mailbox" }),
                ..provider_event(EventKind::Bounce, "postmark", "CY@example.com")
            },
            token_event(EventKind::Resubscribe, cy.id, Channel::Email),
        ],
    )
    .await;
    assert_eq!(email_status(&store, ada.id).await, EmailStatus::Subscribed);
    assert_eq!(email_status(&store, bob.id).await, EmailStatus::Complained);
    assert_eq!(email_status(&store, cy.id).await, EmailStatus::Bounced);
    assert_eq!(
        (
            report.resubscribed,
            report.complained,
            report.bounced,
            report.unchanged
        ),
        (1, 1, 1, 2)
    );
    assert_eq!(
        ledger_summary(&store, ada.id).await,
        vec![
            ledger_row(
                "email",
                "granted",
                "subscribed",
                "relay",
                "resubscribe_link"
            ),
            ledger_row(
                "email",
                "withdrawn",
                "unsubscribed",
                "relay",
                "one_click_unsubscribe"
            ),
        ]
    );
    assert_eq!(
        ledger_summary(&store, bob.id).await,
        vec![ledger_row(
            "email",
            "withdrawn",
            "complained",
            "relay",
            "ses"
        )]
    );
    assert_eq!(
        ledger_summary(&store, cy.id).await,
        vec![ledger_row(
            "email",
            "withdrawn",
            "bounced",
            "relay",
            "postmark"
        )]
    );
}

#[tokio::test]
async fn provider_events_find_their_contact_by_address_and_never_soften_a_status() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let bob = create(&store, new_contact(Some("bob@example.com"), None)).await;
    let soft = RelayEvent {
        detail: json!({ "bounce_type": "soft" }),
        ..provider_event(EventKind::Bounce, "ses", "ada@example.com")
    };
    let report = apply(
        &store,
        &[
            soft,
            provider_event(EventKind::Unsubscribe, "sendgrid", "bob@example.com"),
            RelayEvent {
                detail: json!({ "bounce_type": "hard" }),
                ..provider_event(EventKind::Bounce, "ses", "bob@example.com")
            },
            provider_event(EventKind::Unsubscribe, "mailgun", "nobody@example.com"),
        ],
    )
    .await;
    assert_eq!(email_status(&store, ada.id).await, EmailStatus::Subscribed);
    // A bounce does not hide that Bob asked to leave.
    assert_eq!(
        email_status(&store, bob.id).await,
        EmailStatus::Unsubscribed
    );
    assert_eq!(
        ledger_summary(&store, bob.id).await,
        vec![ledger_row(
            "email",
            "withdrawn",
            "unsubscribed",
            "relay",
            "sendgrid"
        )]
    );
    assert_eq!(
        (report.unsubscribed, report.unchanged, report.unmatched),
        (1, 1, 1)
    );
    // The resolved contact is recorded with the provider's events.
    let recorded: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM relay_events WHERE contact_id = ?")
            .bind(bob.id.as_uuid())
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!(recorded, 2);
}

#[tokio::test]
async fn sms_keywords_opt_out_and_back_in_by_phone_number() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(None, Some("+14155552671"))).await;
    let report = apply(
        &store,
        &[
            sms_reply("+14155552671", "I can't stop laughing"),
            sms_reply("+14155552671", "help"),
            sms_reply("+14155552671", "please stop texting me"),
            sms_reply("+14155552671", " Stop! "),
        ],
    )
    .await;
    // The free sentence changes nothing; the plain request opts out; the
    // keyword after it finds the contact already out.
    assert_eq!(
        (report.sms_opted_out, report.help_requests, report.unchanged),
        (1, 1, 1)
    );
    assert_eq!(sms_status(&store, ada.id).await, SmsStatus::OptedOut);
    assert_eq!(
        ledger_summary(&store, ada.id).await,
        vec![ledger_row(
            "sms",
            "withdrawn",
            "opted_out",
            "relay",
            "sms_keyword"
        )]
    );
    let report = apply(&store, &[sms_reply("+14155552671", "UNSTOP")]).await;
    assert_eq!(report.sms_opted_in, 1);
    assert_eq!(sms_status(&store, ada.id).await, SmsStatus::Subscribed);
    let report = apply(&store, &[sms_reply("+19999999999", "STOP")]).await;
    assert_eq!(report.unmatched, 1);
}

#[tokio::test]
async fn an_sms_unsubscribe_link_opts_the_contact_out_of_sms_only() {
    let (_dir, store) = fresh_store().await;
    let ada = create(
        &store,
        new_contact(Some("ada@example.com"), Some("+14155552671")),
    )
    .await;
    let report = apply(
        &store,
        &[token_event(EventKind::Unsubscribe, ada.id, Channel::Sms)],
    )
    .await;
    assert_eq!(report.sms_opted_out, 1);
    assert_eq!(sms_status(&store, ada.id).await, SmsStatus::OptedOut);
    assert_eq!(email_status(&store, ada.id).await, EmailStatus::Subscribed);
}

#[tokio::test]
async fn opens_clicks_and_unknown_kinds_are_recorded_without_touching_contacts() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let before = generation(&store).await;
    let stranger = ContactId::new();
    let mut click = token_event(EventKind::Click, ada.id, Channel::Email);
    click.url = Some("https://example.com/spring".into());
    click.machine = true;
    let report = apply(
        &store,
        &[
            token_event(EventKind::Open, ada.id, Channel::Email),
            click,
            token_event(EventKind::Unsubscribe, stranger, Channel::Email),
            event(EventKind::Other("future_kind".into())),
        ],
    )
    .await;
    assert_eq!(
        (report.recorded, report.unmatched, report.status_changes()),
        (4, 1, 0)
    );
    assert_eq!(report.by_kind.get("future_kind"), Some(&1));
    assert_eq!(generation(&store).await, before);
    let by_kind = relay_events::count_by_kind(&store, None).await.unwrap();
    assert_eq!(by_kind.get("click"), Some(&1));
    let (url, machine): (String, i64) =
        sqlx::query_as("SELECT url, machine FROM relay_events WHERE kind = 'click'")
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!((url.as_str(), machine), ("https://example.com/spring", 1));
}

// --- The send ledger: what a campaign's events stamp on its row ----------

/// An email campaign that was sent to `contact` (raw SQL: the ledger and
/// the send engine have their own tests), its provider message id `msg-1`.
async fn sent_campaign(store: &Store, contact: &contacts::Contact) -> uuid::Uuid {
    let id = uuid::Uuid::now_v7();
    sqlx::query(
        "INSERT INTO campaigns (id, channel, name, subject, status, created_at, updated_at)
         VALUES (?, 'email', 'Spring news', 'Hello', 'sent', 0, 0)",
    )
    .bind(id)
    .execute(store.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO campaign_recipients (campaign_id, contact_id, address, status, queued_at,
             sent_at, provider_message_id)
         VALUES (?, ?, ?, 'sent', 0, 1000, 'msg-1')",
    )
    .bind(id)
    .bind(contact.id.as_uuid())
    .bind(contact.email.as_ref().map(|e| e.as_str()))
    .execute(store.pool())
    .await
    .unwrap();
    id
}

/// The ledger row's engagement columns: delivered, opened, clicked,
/// bounced, complained, unsubscribed.
type Stamps = [Option<i64>; 6];

async fn stamps(store: &Store, campaign: uuid::Uuid) -> Stamps {
    use sqlx::Row;
    let row = sqlx::query(
        "SELECT delivered_at, opened_at, clicked_at, bounced_at, complained_at, unsubscribed_at
         FROM campaign_recipients WHERE campaign_id = ?",
    )
    .bind(campaign)
    .fetch_one(store.pool())
    .await
    .unwrap();
    std::array::from_fn(|i| row.get(i))
}

/// A campaign's signed-link event (open, click, unsubscribe) at `at`.
fn campaign_event(
    kind: EventKind,
    campaign: uuid::Uuid,
    contact: ContactId,
    at: chrono::DateTime<Utc>,
) -> RelayEvent {
    RelayEvent {
        campaign_id: Some(campaign),
        at,
        ..token_event(kind, contact, Channel::Email)
    }
}

fn at_hour(hour: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, hour, 0, 0).unwrap()
}

fn millis(at: chrono::DateTime<Utc>) -> Option<i64> {
    Some(at.timestamp_millis())
}

#[tokio::test]
async fn an_open_stamps_the_ledger_with_the_first_open_only() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let campaign = sent_campaign(&store, &ada).await;
    let report = apply(
        &store,
        &[
            campaign_event(EventKind::Open, campaign, ada.id, at_hour(10)),
            campaign_event(EventKind::Open, campaign, ada.id, at_hour(12)),
        ],
    )
    .await;
    assert_eq!(report.ledger_stamped, 2);
    assert_eq!(
        stamps(&store, campaign).await,
        [None, millis(at_hour(10)), None, None, None, None]
    );
}

#[tokio::test]
async fn an_open_or_click_a_second_after_sending_is_a_machines_and_not_counted() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let campaign = sent_campaign(&store, &ada).await;
    let sent = at_hour(9);
    sqlx::query("UPDATE campaign_recipients SET sent_at = ?")
        .bind(sent.timestamp_millis())
        .execute(store.pool())
        .await
        .unwrap();
    let soon = sent + chrono::Duration::milliseconds(800);
    apply(
        &store,
        &[
            campaign_event(EventKind::Open, campaign, ada.id, soon),
            campaign_event(EventKind::Click, campaign, ada.id, soon),
        ],
    )
    .await;
    assert_eq!(stamps(&store, campaign).await, [None; 6]);

    let later = sent + chrono::Duration::seconds(40);
    apply(
        &store,
        &[campaign_event(EventKind::Open, campaign, ada.id, later)],
    )
    .await;
    assert_eq!(
        stamps(&store, campaign).await,
        [None, millis(later), None, None, None, None]
    );
}

#[tokio::test]
async fn an_earlier_open_arriving_later_still_wins() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let campaign = sent_campaign(&store, &ada).await;
    apply(
        &store,
        &[campaign_event(
            EventKind::Open,
            campaign,
            ada.id,
            at_hour(12),
        )],
    )
    .await;
    apply(
        &store,
        &[campaign_event(
            EventKind::Open,
            campaign,
            ada.id,
            at_hour(9),
        )],
    )
    .await;
    assert_eq!(stamps(&store, campaign).await[1], millis(at_hour(9)));
}

#[tokio::test]
async fn a_machine_open_is_recorded_but_not_counted_as_an_open() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let campaign = sent_campaign(&store, &ada).await;
    let apple = RelayEvent {
        machine: true,
        user_agent: Some("Mozilla/5.0".into()),
        detail: json!({ "machine_reason": "apple_mail_privacy" }),
        ..campaign_event(EventKind::Open, campaign, ada.id, at_hour(10))
    };
    let report = apply(&store, &[apple]).await;
    assert_eq!(
        (report.recorded, report.machine, report.ledger_stamped),
        (1, 1, 0)
    );
    assert_eq!(stamps(&store, campaign).await, [None; 6]);
}

#[tokio::test]
async fn a_scanner_click_is_not_counted_as_a_click() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let campaign = sent_campaign(&store, &ada).await;
    let scanner = RelayEvent {
        machine: true,
        ..campaign_event(EventKind::Click, campaign, ada.id, at_hour(10))
    };
    apply(&store, &[scanner]).await;
    assert_eq!(stamps(&store, campaign).await, [None; 6]);
}

#[tokio::test]
async fn a_click_stamps_the_click_and_an_open_when_none_was_seen() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let campaign = sent_campaign(&store, &ada).await;
    apply(
        &store,
        &[campaign_event(
            EventKind::Click,
            campaign,
            ada.id,
            at_hour(11),
        )],
    )
    .await;
    assert_eq!(
        stamps(&store, campaign).await,
        [
            None,
            millis(at_hour(11)),
            millis(at_hour(11)),
            None,
            None,
            None
        ]
    );
}

#[tokio::test]
async fn a_click_keeps_an_earlier_open() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let campaign = sent_campaign(&store, &ada).await;
    apply(
        &store,
        &[
            campaign_event(EventKind::Open, campaign, ada.id, at_hour(10)),
            campaign_event(EventKind::Click, campaign, ada.id, at_hour(11)),
        ],
    )
    .await;
    let [_, opened, clicked, ..] = stamps(&store, campaign).await;
    assert_eq!(
        (opened, clicked),
        (millis(at_hour(10)), millis(at_hour(11)))
    );
}

#[tokio::test]
async fn an_unsubscribe_stamps_the_ledger_and_unsubscribes() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let campaign = sent_campaign(&store, &ada).await;
    apply(
        &store,
        &[campaign_event(
            EventKind::Unsubscribe,
            campaign,
            ada.id,
            at_hour(13),
        )],
    )
    .await;
    assert_eq!(stamps(&store, campaign).await[5], millis(at_hour(13)));
    assert_eq!(
        email_status(&store, ada.id).await,
        EmailStatus::Unsubscribed
    );
}

/// A provider's webhook: the provider's message id and the address, and
/// the campaign when the provider echoes it back.
fn webhook(kind: EventKind, campaign: Option<uuid::Uuid>, at: chrono::DateTime<Utc>) -> RelayEvent {
    RelayEvent {
        campaign_id: campaign,
        provider_message_id: Some("msg-1".into()),
        at,
        ..provider_event(kind, "ses", "ada@example.com")
    }
}

#[tokio::test]
async fn a_delivery_webhook_stamps_delivered_by_the_providers_message_id() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let campaign = sent_campaign(&store, &ada).await;
    apply(&store, &[webhook(EventKind::Delivered, None, at_hour(8))]).await;
    assert_eq!(stamps(&store, campaign).await[0], millis(at_hour(8)));
}

#[tokio::test]
async fn a_delivery_webhook_finds_a_row_whose_acceptance_is_still_in_the_ledgers_journal() {
    let (_dir, store, campaign, [ada]) = crate::ledger::resolved_to(["ada@example.com"]).await;
    let writer = herald_store::ledger::LedgerWriter::with_timing(
        &store,
        herald_store::ledger::WriterTiming {
            fold_after: std::time::Duration::from_secs(3_600),
            ..Default::default()
        },
    );
    let claim = herald_store::ledger::Mark::Sending {
        message_id: "<m@x>".into(),
    };
    let sent = herald_store::ledger::Mark::Sent {
        provider_message_id: Some("msg-1".into()),
    };
    assert!(writer.mark(campaign, ada, claim).await.unwrap());
    assert!(writer.mark(campaign, ada, sent).await.unwrap());

    apply(&store, &[webhook(EventKind::Delivered, None, at_hour(8))]).await;
    assert_eq!(stamps(&store, campaign).await[0], millis(at_hour(8)));
}

#[tokio::test]
async fn a_bounce_stamps_bounced_soft_or_hard() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let campaign = sent_campaign(&store, &ada).await;
    let soft = RelayEvent {
        detail: json!({ "bounce_type": "soft", "reason": "mailbox full" }),
        ..webhook(EventKind::Bounce, Some(campaign), at_hour(8))
    };
    apply(&store, &[soft]).await;
    assert_eq!(stamps(&store, campaign).await[3], millis(at_hour(8)));
    assert_eq!(email_status(&store, ada.id).await, EmailStatus::Subscribed);
}

#[tokio::test]
async fn a_complaint_stamps_complained() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let campaign = sent_campaign(&store, &ada).await;
    apply(
        &store,
        &[webhook(EventKind::Complaint, Some(campaign), at_hour(9))],
    )
    .await;
    assert_eq!(stamps(&store, campaign).await[4], millis(at_hour(9)));
    assert_eq!(email_status(&store, ada.id).await, EmailStatus::Complained);
}

#[tokio::test]
async fn a_webhook_finds_its_row_by_the_address_the_ledger_was_resolved_with() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let campaign = sent_campaign(&store, &ada).await;
    // No provider message id, and Ada has since changed her address: the
    // ledger's address still names her row.
    sqlx::query("UPDATE contacts SET email = 'ada@new.example' WHERE id = ?")
        .bind(ada.id.as_uuid())
        .execute(store.pool())
        .await
        .unwrap();
    let delivered = RelayEvent {
        provider_message_id: None,
        ..webhook(EventKind::Delivered, Some(campaign), at_hour(8))
    };
    apply(&store, &[delivered]).await;
    assert_eq!(stamps(&store, campaign).await[0], millis(at_hour(8)));
}

#[tokio::test]
async fn replaying_a_campaigns_events_changes_nothing() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let campaign = sent_campaign(&store, &ada).await;
    let events = [
        webhook(EventKind::Delivered, Some(campaign), at_hour(8)),
        campaign_event(EventKind::Open, campaign, ada.id, at_hour(10)),
        campaign_event(EventKind::Click, campaign, ada.id, at_hour(11)),
    ];
    apply(&store, &events).await;
    let first = stamps(&store, campaign).await;
    // The same relay ids: skipped as duplicates.
    let again = apply(&store, &events).await;
    assert_eq!(again.duplicates, 3);
    // Fresh ids, same instants (the relay re-sent them): same stamps.
    let resent: Vec<RelayEvent> = events
        .iter()
        .map(|e| RelayEvent {
            id: uuid::Uuid::now_v7(),
            ..e.clone()
        })
        .collect();
    apply(&store, &resent).await;
    assert_eq!(stamps(&store, campaign).await, first);
}

#[tokio::test]
async fn an_event_of_an_unknown_campaign_is_recorded_without_error_and_stamps_nothing() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let campaign = sent_campaign(&store, &ada).await;
    let elsewhere = uuid::Uuid::now_v7();
    let report = apply(
        &store,
        &[
            campaign_event(EventKind::Open, elsewhere, ada.id, at_hour(10)),
            RelayEvent {
                provider_message_id: Some("msg-of-another-workspace".into()),
                ..webhook(EventKind::Delivered, Some(elsewhere), at_hour(8))
            },
        ],
    )
    .await;
    assert_eq!((report.recorded, report.ledger_stamped), (2, 0));
    assert_eq!(stamps(&store, campaign).await, [None; 6]);
}

/// A Twilio status callback for message `msg-1`, as the relay hands it out.
fn sms_report(status: &str, code: Option<&str>, at: chrono::DateTime<Utc>) -> RelayEvent {
    let mut detail = json!({ "status": status });
    if let Some(code) = code {
        detail["error_code"] = json!(code);
        detail["error_message"] =
            json!("The phone is unreachable: switched off or out of coverage.");
    }
    RelayEvent {
        provider_message_id: Some("msg-1".into()),
        at,
        detail,
        ..provider_event(EventKind::SmsStatus, "twilio", "+14155552671")
    }
}

async fn delivery(store: &Store, campaign: uuid::Uuid) -> (Option<String>, Option<String>) {
    sqlx::query_as(
        "SELECT delivery_status, delivery_error FROM campaign_recipients WHERE campaign_id = ?",
    )
    .bind(campaign)
    .fetch_one(store.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn sms_status_callbacks_move_the_delivery_status_forward_only() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let campaign = sent_campaign(&store, &ada).await;
    apply(&store, &[sms_report("queued", None, at_hour(8))]).await;
    assert_eq!(
        delivery(&store, campaign).await,
        (Some("queued".into()), None)
    );
    // "delivered" arrives before "sent" (callbacks are not ordered): the
    // final report stays, and stamps delivered_at.
    apply(
        &store,
        &[
            sms_report("delivered", None, at_hour(9)),
            sms_report("sent", None, at_hour(8)),
        ],
    )
    .await;
    assert_eq!(
        delivery(&store, campaign).await,
        (Some("delivered".into()), None)
    );
    assert_eq!(stamps(&store, campaign).await[0], millis(at_hour(9)));
    let counts = herald_store::campaigns::counts(
        &store,
        herald_store::campaigns::CampaignId::from_uuid(campaign),
    )
    .await
    .unwrap();
    assert_eq!((counts.delivered, counts.undelivered), (1, 0));
}

#[tokio::test]
async fn an_undelivered_sms_keeps_the_providers_code_and_its_meaning() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let campaign = sent_campaign(&store, &ada).await;
    apply(
        &store,
        &[
            sms_report("sent", None, at_hour(8)),
            sms_report("undelivered", Some("30003"), at_hour(9)),
            // A late duplicate "failed" does not replace the first final report.
            sms_report("failed", Some("30008"), at_hour(10)),
        ],
    )
    .await;
    assert_eq!(
        delivery(&store, campaign).await,
        (
            Some("undelivered".into()),
            Some("30003: The phone is unreachable: switched off or out of coverage.".into())
        )
    );
    assert_eq!(stamps(&store, campaign).await[0], None);
    let counts = herald_store::campaigns::counts(
        &store,
        herald_store::campaigns::CampaignId::from_uuid(campaign),
    )
    .await
    .unwrap();
    assert_eq!((counts.delivered, counts.undelivered), (0, 1));
}
