//! A demo workspace's campaign history: two segments, five campaigns sent
//! over the last eight weeks (four emails, one text) and a draft, and the
//! relay events they drew, so the dashboard, the analytics pages and the
//! contacts' timelines have something to show from the first start.
//!
//! Made with the real parts where they exist: segments and campaigns are
//! created through herald-store, each campaign's audience is resolved into
//! its ledger by `campaign_runs::start` (exclusions counted as for a real
//! send), and the events (deliveries, bounces, human and machine opens,
//! clicks and scanner clicks, unsubscribes, complaints, SMS delivery
//! reports and STOP replies) go through `relay_events::apply_batch`, which
//! stamps the ledger, changes statuses and keeps the rollups. Only what no
//! API writes is set directly: the messages' `sent` marks and the instants
//! that put the history in the past. Nothing is sent: every address is on
//! a reserved domain (`.example`, `example.org`) and the events are made up
//! here, deterministically from the seed.

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use herald_core::{CampaignId, Channel, SegmentId};
use herald_store::campaigns::{self, CampaignInput};
use herald_store::relay_events::{self, EventKind, RelayEvent};
use herald_store::segments::{self, SegmentInput};
use herald_store::{campaign_runs, to_millis, Store};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;
use uuid::Uuid;

/// How a demo campaign went: shares of its recipients.
struct Plan {
    name: &'static str,
    channel: Channel,
    /// Days before now it was sent.
    days_ago: i64,
    customers_only: bool,
    subject: &'static str,
    links: &'static [&'static str],
    /// Contacts who open (email) or whose text is delivered (SMS).
    open: f64,
    /// Openers who click.
    click: f64,
    unsubscribe: f64,
}

const PLANS: [Plan; 5] = [
    Plan {
        name: "Product update",
        channel: Channel::Email,
        days_ago: 52,
        customers_only: false,
        subject: "What's new at Acme, {{ contact.first_name }}",
        links: &[
            "https://www.acme.example/blog/release-notes",
            "https://www.acme.example/pricing",
            "https://www.acme.example/webinars",
        ],
        open: 0.38,
        click: 0.22,
        unsubscribe: 0.006,
    },
    Plan {
        name: "Sale: 20% off everything",
        channel: Channel::Email,
        days_ago: 38,
        customers_only: false,
        subject: "20% off everything until Sunday",
        links: &[
            "https://www.acme.example/shop/spring-sale",
            "https://www.acme.example/shop/bestsellers",
        ],
        open: 0.45,
        click: 0.34,
        unsubscribe: 0.01,
    },
    Plan {
        name: "Customer webinar invitation",
        channel: Channel::Email,
        days_ago: 24,
        customers_only: true,
        subject: "You're invited: getting more from Acme",
        links: &["https://www.acme.example/webinars/register"],
        open: 0.57,
        click: 0.41,
        unsubscribe: 0.0,
    },
    Plan {
        name: "Flash sale text",
        channel: Channel::Sms,
        days_ago: 12,
        customers_only: false,
        subject: "",
        links: &[],
        open: 0.93,
        click: 0.0,
        unsubscribe: 0.02,
    },
    Plan {
        name: "Monthly newsletter",
        channel: Channel::Email,
        days_ago: 3,
        customers_only: false,
        subject: "This month at Acme: stories worth your time",
        links: &[
            "https://www.acme.example/blog/customer-story",
            "https://www.acme.example/blog/roadmap",
            "https://www.acme.example/events",
            "https://www.acme.example/careers",
        ],
        open: 0.41,
        click: 0.27,
        unsubscribe: 0.004,
    },
];

fn html(plan: &Plan) -> String {
    let mut body = format!(
        "<h1>{}</h1><p>Hi {{{{ contact.first_name }}}},</p><p>Here is what we have been working on.</p>",
        plan.name
    );
    for link in plan.links {
        let title = link.rsplit('/').next().unwrap_or(link).replace('-', " ");
        body.push_str(&format!("<p><a href=\"{link}\">Read: {title}</a></p>"));
    }
    body.push_str("<p>Thanks for reading,<br>The Acme team</p>");
    body
}

/// What [`load`] added.
pub struct History {
    pub campaigns: u64,
    pub events: u64,
}

async fn segment(
    store: &Store,
    name: &str,
    filter: serde_json::Value,
) -> anyhow::Result<SegmentId> {
    let input = SegmentInput {
        name: name.to_owned(),
        description: None,
        filter,
    };
    Ok(segments::create(store, &input).await?.id)
}

/// The made-up provider message id of `contact`'s message of campaign `id`.
fn message_id(id: CampaignId, contact: Uuid) -> String {
    format!("demo-{}-{}", id.as_uuid().simple(), contact.simple())
}

/// One recipient of a sent campaign.
struct Row {
    campaign: CampaignId,
    contact: Uuid,
    address: String,
    sent_at: DateTime<Utc>,
}

/// Marks every resolved row of `id` sent, spread over the first minutes
/// after `at`, and dates the campaign back to `at`.
async fn mark_sent(
    store: &Store,
    id: CampaignId,
    at: DateTime<Utc>,
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<Vec<Row>> {
    let rows: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT contact_id, address FROM campaign_recipients
         WHERE campaign_id = ? AND status = 'queued' ORDER BY contact_id",
    )
    .bind(id.as_uuid())
    .fetch_all(store.pool())
    .await
    .context("reading a demo campaign's ledger")?;
    let mut tx = store.begin_write().await?;
    let mut out = Vec::with_capacity(rows.len());
    for (contact, address) in rows {
        let sent_at = at + Duration::milliseconds(rng.gen_range(0..240_000));
        sqlx::query(
            "UPDATE campaign_recipients
             SET status = 'sent', attempts = 1, queued_at = ?1, sending_at = ?2, sent_at = ?2,
                 message_id = ?3, provider_message_id = ?3
             WHERE campaign_id = ?4 AND contact_id = ?5",
        )
        .bind(to_millis(at))
        .bind(to_millis(sent_at))
        .bind(message_id(id, contact))
        .bind(id.as_uuid())
        .bind(contact)
        .execute(&mut *tx)
        .await
        .context("marking a demo message sent")?;
        out.push(Row {
            campaign: id,
            contact,
            address,
            sent_at,
        });
    }
    let end = out.iter().map(|r| r.sent_at).max().unwrap_or(at);
    sqlx::query(
        "UPDATE campaigns SET status = 'sent', created_at = ?1 - 86400000, updated_at = ?3,
             resolved_at = ?1, started_at = ?1, finished_at = ?3
         WHERE id = ?2",
    )
    .bind(to_millis(at))
    .bind(id.as_uuid())
    .bind(to_millis(end))
    .execute(&mut *tx)
    .await
    .context("dating a demo campaign")?;
    tx.commit()
        .await
        .context("saving a demo campaign's sends")?;
    Ok(out)
}

/// A delay drawn so that most opens come in the first hours and a tail
/// runs over days, as campaign opens do.
fn delay(rng: &mut ChaCha8Rng, median_minutes: f64) -> Duration {
    let u: f64 = rng.gen_range(0.0001..1.0);
    let minutes = median_minutes * (-u.ln() / std::f64::consts::LN_2).powf(1.6);
    Duration::seconds((minutes * 60.0).min(14.0 * 24.0 * 3600.0) as i64 + 5)
}

fn token_event(kind: EventKind, id: CampaignId, row: &Row, at: DateTime<Utc>) -> RelayEvent {
    RelayEvent {
        campaign_id: Some(id.as_uuid()),
        recipient_id: Some(row.contact),
        channel: Some(Channel::Email),
        ..RelayEvent::new(kind, at)
    }
}

fn webhook(kind: EventKind, provider: &str, row: &Row, at: DateTime<Utc>) -> RelayEvent {
    RelayEvent {
        provider: Some(provider.to_owned()),
        provider_event_id: Some(Uuid::now_v7().to_string()),
        provider_message_id: Some(message_id(row.campaign, row.contact)),
        address: Some(row.address.clone()),
        ..RelayEvent::new(kind, at)
    }
}

fn email_events(
    plan: &Plan,
    id: CampaignId,
    rows: &[Row],
    rng: &mut ChaCha8Rng,
) -> Vec<RelayEvent> {
    let mut out = Vec::new();
    for row in rows {
        let t = row.sent_at;
        if rng.gen_bool(0.015) {
            let hard = rng.gen_bool(0.6);
            out.push(RelayEvent {
                detail: json!({ "bounce_type": if hard { "hard" } else { "soft" } }),
                ..webhook(
                    EventKind::Bounce,
                    "postmark",
                    row,
                    t + Duration::seconds(20),
                )
            });
            continue;
        }
        out.push(webhook(
            EventKind::Delivered,
            "postmark",
            row,
            t + Duration::seconds(rng.gen_range(2..40)),
        ));
        // Apple Mail Privacy Protection and other proxies fetch the pixel
        // on arrival, read or not.
        if rng.gen_bool(0.18) {
            out.push(RelayEvent {
                machine: true,
                ..token_event(
                    EventKind::Open,
                    id,
                    row,
                    t + Duration::seconds(rng.gen_range(60..900)),
                )
            });
        }
        if !rng.gen_bool(plan.open) {
            continue;
        }
        let opened = t + delay(rng, 150.0);
        out.push(token_event(EventKind::Open, id, row, opened));
        if rng.gen_bool(0.3) {
            out.push(token_event(
                EventKind::Open,
                id,
                row,
                opened + delay(rng, 600.0),
            ));
        }
        if !plan.links.is_empty() && rng.gen_bool(plan.click) {
            let url = plan.links[rng
                .gen_range(0..plan.links.len())
                .min(rng.gen_range(0..plan.links.len()))];
            out.push(RelayEvent {
                url: Some(url.to_owned()),
                ..token_event(
                    EventKind::Click,
                    id,
                    row,
                    opened + Duration::seconds(rng.gen_range(8..400)),
                )
            });
        }
        if rng.gen_bool(plan.unsubscribe / plan.open) {
            out.push(token_event(
                EventKind::Unsubscribe,
                id,
                row,
                opened + Duration::seconds(rng.gen_range(20..600)),
            ));
        } else if rng.gen_bool(0.002) {
            out.push(webhook(
                EventKind::Complaint,
                "postmark",
                row,
                opened + Duration::minutes(5),
            ));
        }
        // Link scanners of corporate gateways.
        if !plan.links.is_empty() && rng.gen_bool(0.03) {
            out.push(RelayEvent {
                machine: true,
                url: Some(plan.links[0].to_owned()),
                ..token_event(EventKind::Click, id, row, t + Duration::seconds(3))
            });
        }
    }
    out
}

fn sms_events(plan: &Plan, rows: &[Row], rng: &mut ChaCha8Rng) -> Vec<RelayEvent> {
    let mut out = Vec::new();
    for row in rows {
        let t = row.sent_at;
        let report = |status: &str, code: Option<&str>, at| RelayEvent {
            detail: match code {
                Some(code) => json!({ "status": status, "error_code": code }),
                None => json!({ "status": status }),
            },
            ..webhook(EventKind::SmsStatus, "twilio", row, at)
        };
        out.push(report("sent", None, t + Duration::seconds(1)));
        let roll: f64 = rng.gen();
        if roll < plan.open {
            out.push(report(
                "delivered",
                None,
                t + Duration::seconds(rng.gen_range(3..30)),
            ));
        } else if roll < plan.open + 0.04 {
            out.push(report(
                "undelivered",
                Some("30003"),
                t + Duration::minutes(2),
            ));
            continue;
        } else {
            out.push(report("failed", Some("30006"), t + Duration::seconds(10)));
            continue;
        }
        if rng.gen_bool(plan.unsubscribe) {
            out.push(RelayEvent {
                provider: Some("twilio".to_owned()),
                provider_event_id: Some(Uuid::now_v7().to_string()),
                address: Some(row.address.clone()),
                detail: json!({ "to": "+14155550100", "body": "STOP" }),
                ..RelayEvent::new(EventKind::SmsInbound, t + delay(rng, 20.0))
            });
        }
    }
    out
}

/// Applies `events` in time order up to `now`, a page per transaction, as a
/// sync does (without touching the relay cursor: this workspace has no
/// relay yet).
async fn apply(
    store: &Store,
    mut events: Vec<RelayEvent>,
    now: DateTime<Utc>,
) -> anyhow::Result<u64> {
    events.retain(|e| e.at <= now);
    events.sort_by_key(|e| e.at);
    let mut recorded = 0;
    for page in events.chunks(500) {
        let mut tx = store.begin_write().await?;
        recorded += relay_events::apply_batch(&mut tx, page).await?.recorded;
        tx.commit().await.context("saving demo events")?;
    }
    Ok(recorded)
}

/// Adds the campaign history to a workspace that holds the demo contacts.
pub async fn load(store: &Store, seed: u64, now: DateTime<Utc>) -> anyhow::Result<History> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x00ca_3a19);
    let everyone = segment(store, "Everyone", json!({ "all": [] })).await?;
    let customers = segment(
        store,
        "Customers",
        json!({ "all": [{ "field": "tag", "op": "has_any", "value": ["customer"] }] }),
    )
    .await?;
    let mut history = History {
        campaigns: 0,
        events: 0,
    };
    for plan in &PLANS {
        let input = CampaignInput {
            channel: plan.channel,
            segment_id: Some(if plan.customers_only {
                customers
            } else {
                everyone
            }),
            subject: plan.subject.to_owned(),
            from_name: Some("Acme".to_owned()),
            from_address: Some("news@acme.example".to_owned()),
            html: if plan.channel == Channel::Email {
                html(plan)
            } else {
                String::new()
            },
            text_body: (plan.channel == Channel::Sms).then(|| {
                "Acme flash sale: 30% off today only, {{ contact.first_name }}. acme.example/flash"
                    .to_owned()
            }),
            ..CampaignInput::draft(plan.name)
        };
        let campaign = campaigns::create(store, &input).await?;
        let at = now - Duration::days(plan.days_ago) - Duration::hours(rng.gen_range(0..6));
        campaign_runs::start(store, campaign.id.as_uuid(), None).await?;
        // The demo contacts joined over months: who joined after the send
        // was not in its audience.
        sqlx::query(
            "DELETE FROM campaign_recipients WHERE campaign_id = ?
               AND contact_id IN (SELECT id FROM contacts WHERE created_at > ?)",
        )
        .bind(campaign.id.as_uuid())
        .bind(to_millis(at))
        .execute(store.pool())
        .await
        .context("leaving later contacts out of a demo campaign")?;
        let rows = mark_sent(store, campaign.id, at, &mut rng).await?;
        let events = match plan.channel {
            Channel::Email => email_events(plan, campaign.id, &rows, &mut rng),
            Channel::Sms => sms_events(plan, &rows, &mut rng),
        };
        history.events += apply(store, events, now).await?;
        history.campaigns += 1;
    }
    let draft = CampaignInput {
        segment_id: Some(everyone),
        subject: "Next month at Acme".to_owned(),
        from_name: Some("Acme".to_owned()),
        from_address: Some("news@acme.example".to_owned()),
        html: "<h1>Next month at Acme</h1><p>Hi {{ contact.first_name }},</p><p>Write the stories here.</p>"
            .to_owned(),
        ..CampaignInput::draft("Next newsletter")
    };
    campaigns::create(store, &draft).await?;
    history.campaigns += 1;
    Ok(history)
}
