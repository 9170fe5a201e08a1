//! Property: whatever the events and however they are split into pages
//! (duplicates included), the rollups kept as pages are applied equal the
//! ones recomputed from `relay_events` and the ledger by raw SQL
//! (`analytics::rebuild`), and the unique sets agree with a count over the
//! recorded events.

use chrono::{Duration, TimeZone, Utc};
use herald_core::{CampaignId, Channel, ContactId};
use herald_store::analytics;
use herald_store::relay_events::{self, EventKind, RelayEvent};
use herald_store::Store;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::json;

use crate::analytics::{people, sent_campaign};
use crate::helpers::*;

/// One generated event: kind, campaign (0, 1 or none), contact, offset from
/// the send in ms, machine flag, link.
type Gen = (u8, u8, usize, i64, bool, u8);

fn gen_event() -> impl Strategy<Value = Gen> {
    (
        0u8..8,
        0u8..3,
        0usize..5,
        // Around the 2-second line often, hours later sometimes.
        prop_oneof![-7_000i64..4_000, 0i64..30_000_000],
        any::<bool>(),
        0u8..3,
    )
}

fn build(g: &Gen, campaigns: &[CampaignId], contacts: &[ContactId]) -> RelayEvent {
    let (kind, campaign, contact, offset, machine, link) = *g;
    let sent = Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap();
    let kind = match kind {
        0 | 1 => EventKind::Open,
        2 => EventKind::Click,
        3 => EventKind::Delivered,
        4 => EventKind::Bounce,
        5 => EventKind::Complaint,
        6 => EventKind::Unsubscribe,
        _ => EventKind::SmsStatus,
    };
    let detail = match kind {
        EventKind::Bounce => json!({ "bounce_type": if machine { "hard" } else { "soft" } }),
        EventKind::SmsStatus => {
            let status = ["delivered", "undelivered", "failed"][link as usize];
            json!({ "status": status })
        }
        _ => json!({}),
    };
    // Deliveries (email and SMS) at the send itself: a delivery's instant moves the timing
    // rule's reference, which a rebuild reads as it is at the end.
    let at = if matches!(kind, EventKind::Delivered | EventKind::SmsStatus) {
        sent
    } else {
        sent + Duration::milliseconds(offset)
    };
    RelayEvent {
        campaign_id: campaigns.get(campaign as usize).map(|c| c.as_uuid()),
        recipient_id: Some(contacts[contact].as_uuid()),
        channel: Some(if link == 2 && kind == EventKind::Unsubscribe {
            Channel::Sms
        } else {
            Channel::Email
        }),
        machine,
        url: Some(format!("https://example.com/{link}")),
        detail,
        ..RelayEvent::new(kind, at)
    }
}

/// Every rollup row, in key order.
async fn snapshot(store: &Store) -> Vec<String> {
    let mut out = Vec::new();
    for sql in [
        "SELECT hex(campaign_id) || metric || hour_start_ms || ':' || total || '/' || uniques
         FROM campaign_hourly ORDER BY 1",
        "SELECT hex(campaign_id) || metric || hex(contact_id) || first_at
         FROM campaign_uniques ORDER BY 1",
        "SELECT hex(campaign_id) || url || total || '/' || uniques
         FROM campaign_link_clicks ORDER BY 1",
        "SELECT hex(campaign_id) || url || hex(contact_id) FROM campaign_link_uniques ORDER BY 1",
    ] {
        let rows: Vec<String> = sqlx::query_scalar(sql)
            .fetch_all(store.pool())
            .await
            .unwrap();
        out.extend(rows);
    }
    out
}

#[test]
fn rollups_kept_page_by_page_equal_a_raw_sql_recomputation() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let input = (
        prop::collection::vec(gen_event(), 1..60),
        // Which events the relay hands out twice.
        prop::collection::vec(any::<bool>(), 60),
        // Where pages end.
        prop::collection::vec(1usize..12, 1..10),
        // A recipient whose message never left (no sent_at).
        any::<bool>(),
    );
    let mut runner = TestRunner::new(Config {
        cases: 48,
        ..Config::default()
    });
    runner
        .run(&input, |(gens, twice, pages, unsent)| {
            rt.block_on(async {
                let (_dir, store) = fresh_store().await;
                let contacts = people(&store, 5).await;
                let sent = Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap();
                let a = sent_campaign(&store, "a", &contacts[..4], sent).await;
                let b = sent_campaign(&store, "b", &contacts, sent).await;
                if unsent {
                    sqlx::query("UPDATE campaign_recipients SET sent_at = NULL, status = 'queued'")
                        .execute(store.pool())
                        .await
                        .unwrap();
                }
                let mut events = Vec::new();
                for (i, g) in gens.iter().enumerate() {
                    let e = build(g, &[a, b], &contacts);
                    // A message that never left is never delivered (and a
                    // delivery would move the timing rule's reference).
                    if unsent && matches!(e.kind, EventKind::Delivered | EventKind::SmsStatus) {
                        continue;
                    }
                    if twice[i] {
                        events.push(e.clone());
                    }
                    events.push(e);
                }
                let mut rest = &events[..];
                let mut sizes = pages.iter().cycle();
                while !rest.is_empty() {
                    let n = (*sizes.next().unwrap()).min(rest.len());
                    relay_events::apply_page(&store, &rest[..n], "c")
                        .await
                        .unwrap();
                    rest = &rest[n..];
                }
                let live = snapshot(&store).await;
                analytics::rebuild(&store).await.unwrap();
                let rebuilt = snapshot(&store).await;
                prop_assert_eq!(&live, &rebuilt);
                // The hours' uniques add up to the unique sets.
                let (hour_uniques, set): (i64, i64) = sqlx::query_as(
                    "SELECT (SELECT coalesce(sum(uniques), 0) FROM campaign_hourly),
                            (SELECT count(*) FROM campaign_uniques)",
                )
                .fetch_one(store.pool())
                .await
                .unwrap();
                prop_assert_eq!(hour_uniques, set);
                Ok(())
            })
        })
        .unwrap();
}
