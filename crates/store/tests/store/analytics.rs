//! Campaign analytics: a hand-built event set with known answers, read back
//! from the rollups, equal after a rebuild; series buckets in a DST zone;
//! comparison alignment; the dashboard of an empty workspace; CSV export.

use chrono::{DateTime, Duration, TimeZone, Utc};
use herald_core::{CampaignId, Channel, ContactId};
use herald_store::analytics::{self, Bucket, RateBasis};
use herald_store::relay_events::{self, EventKind, RelayEvent};
use herald_store::Store;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::*;

/// When every message of the test campaigns left.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap()
}

/// A sent email campaign with one ledger row per contact (raw SQL: the
/// ledger has its own tests), each row's provider message id `msg-<i>`.
pub async fn sent_campaign(
    store: &Store,
    name: &str,
    contacts: &[ContactId],
    sent_at: DateTime<Utc>,
) -> CampaignId {
    let id = CampaignId::new();
    sqlx::query(
        "INSERT INTO campaigns (id, channel, name, subject, status, started_at, exclusions,
             created_at, updated_at)
         VALUES (?, 'email', ?, 'Hello', 'sent', ?, '{\"unsubscribed\": 2, \"bounced\": 1}', 0, 0)",
    )
    .bind(id.as_uuid())
    .bind(name)
    .bind(sent_at.timestamp_millis())
    .execute(store.pool())
    .await
    .unwrap();
    for (i, contact) in contacts.iter().enumerate() {
        sqlx::query(
            "INSERT INTO campaign_recipients (campaign_id, contact_id, address, status, queued_at,
                 sent_at, provider_message_id)
             VALUES (?, ?, ?, 'sent', 0, ?, ?)",
        )
        .bind(id.as_uuid())
        .bind(contact.as_uuid())
        .bind(format!("p{i}@example.com"))
        .bind(sent_at.timestamp_millis())
        .bind(format!("{name}-msg-{i}"))
        .execute(store.pool())
        .await
        .unwrap();
    }
    id
}

pub async fn people(store: &Store, n: usize) -> Vec<ContactId> {
    let mut ids = Vec::new();
    for i in 0..n {
        let email = format!("p{i}@example.com");
        ids.push(create(store, new_contact(Some(&email), None)).await.id);
    }
    ids
}

/// A signed link's event of `campaign` for `contact`.
fn hit(kind: EventKind, campaign: CampaignId, contact: ContactId, at: DateTime<Utc>) -> RelayEvent {
    RelayEvent {
        campaign_id: Some(campaign.as_uuid()),
        recipient_id: Some(contact.as_uuid()),
        channel: Some(Channel::Email),
        ..RelayEvent::new(kind, at)
    }
}

/// A provider's webhook naming only its message id.
fn webhook(kind: EventKind, message: &str, at: DateTime<Utc>) -> RelayEvent {
    RelayEvent {
        provider: Some("postmark".into()),
        provider_message_id: Some(message.into()),
        ..RelayEvent::new(kind, at)
    }
}

async fn apply(store: &Store, events: &[RelayEvent]) {
    relay_events::apply_page(store, events, "c").await.unwrap();
}

/// Four recipients: A opens twice, B's opens are a proxy's and a too-early
/// fetch, C only clicks, D's click is a scanner's and D hard-bounces.
async fn known_campaign(store: &Store) -> (CampaignId, Vec<RelayEvent>) {
    let who = people(store, 4).await;
    let (a, b, c, d) = (who[0], who[1], who[2], who[3]);
    let id = sent_campaign(store, "known", &who, t0()).await;
    let h = |hours: i64| t0() + Duration::hours(hours);
    let machine = |e: RelayEvent| RelayEvent { machine: true, ..e };
    let with_url = |e: RelayEvent, url: &str| RelayEvent {
        url: Some(url.into()),
        ..e
    };
    let events = vec![
        hit(EventKind::Open, id, a, h(1)),
        hit(EventKind::Open, id, a, h(2)),
        machine(hit(EventKind::Open, id, b, t0() + Duration::minutes(10))),
        hit(EventKind::Open, id, b, t0() + Duration::seconds(1)),
        with_url(hit(EventKind::Click, id, c, h(3)), "https://example.com/x"),
        with_url(hit(EventKind::Click, id, c, h(4)), "https://example.com/x"),
        with_url(
            machine(hit(EventKind::Click, id, d, t0() + Duration::minutes(5))),
            "https://example.com/x",
        ),
        webhook(EventKind::Delivered, "known-msg-0", t0()),
        webhook(EventKind::Delivered, "known-msg-1", t0()),
        webhook(EventKind::Delivered, "known-msg-2", t0()),
        RelayEvent {
            detail: json!({ "bounce_type": "hard" }),
            ..webhook(EventKind::Bounce, "known-msg-3", t0())
        },
        webhook(EventKind::Complaint, "known-msg-1", h(5)),
        hit(EventKind::Unsubscribe, id, a, h(6)),
    ];
    (id, events)
}

#[tokio::test]
async fn a_known_event_set_reads_back_with_human_and_machine_engagement_apart() {
    let (_dir, store) = fresh_store().await;
    let (id, events) = known_campaign(&store).await;
    apply(&store, &events).await;
    let m = analytics::campaign(&store, id).await.unwrap();
    assert_eq!((m.recipients, m.sent, m.excluded_total), (4, 4, 3));
    assert_eq!(m.excluded.get("unsubscribed"), Some(&2));
    assert_eq!((m.opens_human.unique, m.opens_human.total), (1, 2));
    assert_eq!((m.opens_machine.unique, m.opens_machine.total), (1, 2));
    assert_eq!((m.clicks_human.unique, m.clicks_human.total), (1, 2));
    assert_eq!((m.clicks_scanner.unique, m.clicks_scanner.total), (1, 1));
    // The headline counts A (opened) and C (clicked without a pixel open).
    assert_eq!(m.opened, 2);
    assert_eq!((m.delivered, m.bounced_hard, m.bounced_soft), (3, 1, 0));
    assert_eq!((m.complained, m.unsubscribed), (1, 1));
    assert_eq!((m.basis, m.basis_count), (RateBasis::Delivered, 3));
    assert_eq!(m.rates.open, Some(2.0 / 3.0));
    assert_eq!(m.rates.click_to_open, Some(0.5));
    let links = analytics::top_links(&store, id, 10).await.unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!((links[0].unique, links[0].total), (1, 2));
}

#[tokio::test]
async fn an_event_applied_twice_by_the_relay_counts_once() {
    let (_dir, store) = fresh_store().await;
    let (id, events) = known_campaign(&store).await;
    apply(&store, &events).await;
    let once = analytics::campaign(&store, id).await.unwrap();
    // The same page pulled again, and a page repeating part of it.
    apply(&store, &events).await;
    apply(&store, &events[2..5]).await;
    assert_eq!(analytics::campaign(&store, id).await.unwrap(), once);
}

#[tokio::test]
async fn a_rebuild_from_the_recorded_events_gives_the_same_numbers() {
    let (_dir, store) = fresh_store().await;
    let (id, events) = known_campaign(&store).await;
    apply(&store, &events).await;
    let live = analytics::campaign(&store, id).await.unwrap();
    let links = analytics::top_links(&store, id, 10).await.unwrap();
    analytics::rebuild(&store).await.unwrap();
    assert_eq!(analytics::campaign(&store, id).await.unwrap(), live);
    assert_eq!(analytics::top_links(&store, id, 10).await.unwrap(), links);
}

#[tokio::test]
async fn a_workspace_without_rollups_builds_them_on_first_query() {
    let (_dir, store) = fresh_store().await;
    let (id, events) = known_campaign(&store).await;
    apply(&store, &events).await;
    let live = analytics::campaign(&store, id).await.unwrap();
    // As a workspace whose events predate analytics: no rollups, no version.
    for sql in [
        "DELETE FROM campaign_hourly",
        "DELETE FROM campaign_uniques",
        "DELETE FROM settings WHERE key = 'analytics.version'",
    ] {
        sqlx::query(sql).execute(store.pool()).await.unwrap();
    }
    assert_eq!(analytics::campaign(&store, id).await.unwrap(), live);
}

#[tokio::test]
async fn events_without_a_campaign_of_this_workspace_are_not_rolled_up() {
    let (_dir, store) = fresh_store().await;
    let who = people(&store, 1).await;
    let id = sent_campaign(&store, "only", &who, t0()).await;
    let stranger = CampaignId::from_uuid(Uuid::now_v7());
    apply(
        &store,
        &[
            RelayEvent {
                recipient_id: Some(who[0].as_uuid()),
                ..RelayEvent::new(EventKind::Open, t0() + Duration::hours(1))
            },
            hit(EventKind::Open, stranger, who[0], t0() + Duration::hours(1)),
        ],
    )
    .await;
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM campaign_hourly")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(rows, 0);
    assert_eq!(analytics::campaign(&store, id).await.unwrap().opened, 0);
}

#[tokio::test]
async fn sms_reports_and_opt_outs_are_counted_per_contact() {
    let (_dir, store) = fresh_store().await;
    let who = people(&store, 3).await;
    let id = sent_campaign(&store, "sms", &who, t0()).await;
    let status = |i: usize, s: &str| RelayEvent {
        detail: json!({ "status": s }),
        ..webhook(EventKind::SmsStatus, &format!("sms-msg-{i}"), t0())
    };
    let stop = RelayEvent {
        channel: Some(Channel::Sms),
        ..hit(EventKind::Unsubscribe, id, who[0], t0())
    };
    apply(
        &store,
        &[
            status(0, "sent"),
            status(0, "delivered"),
            status(1, "undelivered"),
            status(2, "failed"),
            stop,
        ],
    )
    .await;
    let m = analytics::campaign(&store, id).await.unwrap();
    assert_eq!(
        (
            m.sms.delivered,
            m.sms.undelivered,
            m.sms.failed,
            m.sms.opt_outs
        ),
        (1, 1, 1, 1)
    );
    assert_eq!(
        (m.basis, m.basis_count, m.unsubscribed),
        (RateBasis::Delivered, 1, 0)
    );
}

/// Ada and Ben, with phone numbers, each sent `name` (an SMS campaign) at `at`.
async fn texted(store: &Store, name: &str, who: &[ContactId], at: DateTime<Utc>) -> CampaignId {
    let id = sent_campaign(store, name, who, at).await;
    sqlx::query("UPDATE campaigns SET channel = 'sms' WHERE id = ?")
        .bind(id.as_uuid())
        .execute(store.pool())
        .await
        .unwrap();
    id
}

fn texted_back(from: &str, body: &str, at: DateTime<Utc>) -> RelayEvent {
    RelayEvent {
        provider: Some("twilio".into()),
        provider_event_id: Some(Uuid::now_v7().to_string()),
        address: Some(from.into()),
        detail: json!({ "to": "+14155550000", "body": body }),
        ..RelayEvent::new(EventKind::SmsInbound, at)
    }
}

#[tokio::test]
async fn a_texted_stop_counts_for_the_last_text_sent_to_that_person_within_a_week() {
    let (_dir, store) = fresh_store().await;
    let ada = create(&store, new_contact(None, Some("+14155552671")))
        .await
        .id;
    let ben = create(&store, new_contact(None, Some("+14155552672")))
        .await
        .id;
    let older = texted(&store, "older", &[ada, ben], t0() - Duration::days(3)).await;
    let latest = texted(&store, "latest", &[ada], t0()).await;
    apply(
        &store,
        &[
            // Ada answers the latest text; Ben, eight days after his.
            texted_back("+14155552671", "STOP", t0() + Duration::hours(2)),
            texted_back("+14155552672", "stop", t0() + Duration::days(5)),
        ],
    )
    .await;
    let opt_outs = |id| {
        let store = store.clone();
        async move { analytics::campaign(&store, id).await.unwrap().sms.opt_outs }
    };
    assert_eq!((opt_outs(latest).await, opt_outs(older).await), (1, 0));
    let ledger = herald_store::ledger::for_contact(&store, ada.as_uuid())
        .await
        .unwrap();
    let stamped: Vec<_> = ledger
        .iter()
        .map(|c| (c.campaign_name.as_str(), c.unsubscribed_at.is_some()))
        .collect();
    assert!(stamped.contains(&("latest", true)), "{stamped:?}");
    assert!(stamped.contains(&("older", false)), "{stamped:?}");
    // Ben's STOP answers no campaign (he is opted out all the same).
    let ben_rows = herald_store::ledger::for_contact(&store, ben.as_uuid())
        .await
        .unwrap();
    assert!(ben_rows.iter().all(|c| c.unsubscribed_at.is_none()));

    // The rollups rebuilt from the recorded events credit the same campaign.
    analytics::rebuild(&store).await.unwrap();
    assert_eq!((opt_outs(latest).await, opt_outs(older).await), (1, 0));
}

#[tokio::test]
async fn daily_buckets_follow_the_zones_calendar_across_a_dst_change() {
    let (_dir, store) = fresh_store().await;
    let who = people(&store, 1).await;
    let paris: chrono_tz::Tz = "Europe/Paris".parse().unwrap();
    let start = Utc.with_ymd_and_hms(2026, 3, 27, 0, 0, 0).unwrap();
    let id = sent_campaign(&store, "dst", &who, start).await;
    let at = |y, mo, d, h, mi| Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap();
    apply(
        &store,
        &[
            // 23:30 UTC on the 28th is 00:30 on the 29th in Paris (CET).
            hit(EventKind::Open, id, who[0], at(2026, 3, 28, 23, 30)),
            // 21:30 UTC on the 29th is 23:30 in Paris (CEST since 02:00).
            hit(EventKind::Open, id, who[0], at(2026, 3, 29, 21, 30)),
            // 22:10 UTC on the 29th is already the 30th in Paris.
            hit(EventKind::Open, id, who[0], at(2026, 3, 29, 22, 10)),
        ],
    )
    .await;
    // Midnight of 6 April in Paris (CEST) ends the range.
    let s = analytics::series(&store, id, start, at(2026, 4, 5, 22, 0), paris)
        .await
        .unwrap();
    assert_eq!(s.bucket, Bucket::Day);
    let day = |d: u32| {
        s.points
            .iter()
            .find(|p| p.local.starts_with(&format!("2026-03-{d:02}T00:00:00")))
            .unwrap_or_else(|| panic!("no bucket for the {d}th: {:?}", s.points))
    };
    assert_eq!(day(28).opens, 0);
    assert_eq!(day(29).opens, 2);
    assert_eq!(day(30).opens, 1);
    // The 29th has 23 hours: the 30th starts at 22:00 UTC.
    assert_eq!(day(30).start, at(2026, 3, 29, 22, 0));
    assert!(day(30).local.ends_with("+02:00"));
    // Every day is present, empty ones as zeros: 27 March to 5 April.
    assert_eq!(s.points.len(), 10);
}

#[tokio::test]
async fn a_week_or_less_is_bucketed_by_hour_with_empty_hours_present() {
    let (_dir, store) = fresh_store().await;
    let who = people(&store, 1).await;
    let id = sent_campaign(&store, "hours", &who, t0()).await;
    apply(
        &store,
        &[hit(
            EventKind::Open,
            id,
            who[0],
            t0() + Duration::minutes(150),
        )],
    )
    .await;
    let s = analytics::series(&store, id, t0(), t0() + Duration::hours(6), chrono_tz::UTC)
        .await
        .unwrap();
    assert_eq!(s.bucket, Bucket::Hour);
    let opens: Vec<i64> = s.points.iter().map(|p| p.opens).collect();
    assert_eq!(opens, [0, 0, 1, 0, 0, 0]);
}

#[tokio::test]
async fn compare_aligns_campaigns_on_hours_since_their_start() {
    let (_dir, store) = fresh_store().await;
    let who = people(&store, 1).await;
    let first = sent_campaign(&store, "first", &who, t0()).await;
    let later = t0() + Duration::days(20) + Duration::minutes(30);
    let second = sent_campaign(&store, "second", &who, later).await;
    apply(
        &store,
        &[
            hit(EventKind::Open, first, who[0], t0() + Duration::hours(2)),
            hit(EventKind::Open, second, who[0], later + Duration::hours(2)),
            hit(EventKind::Click, second, who[0], later + Duration::hours(4)),
        ],
    )
    .await;
    let c = analytics::compare(&store, &[first, second], chrono_tz::UTC)
        .await
        .unwrap();
    assert_eq!(c.metrics.len(), 2);
    assert_eq!(c.series[0].points.len(), c.series[1].points.len());
    assert_eq!(c.series[0].points[2], (2, 1, 0));
    assert_eq!(c.series[1].points[2], (2, 1, 0));
    assert_eq!(c.series[1].points[4], (4, 0, 1));
    assert!(analytics::compare(&store, &[first], chrono_tz::UTC)
        .await
        .is_err());
    assert!(analytics::compare(&store, &[first, first], chrono_tz::UTC)
        .await
        .is_err());
}

#[tokio::test]
async fn the_dashboard_of_an_empty_workspace_says_it_is_empty() {
    let (_dir, store) = fresh_store().await;
    let d = analytics::dashboard(&store, t0(), chrono_tz::UTC)
        .await
        .unwrap();
    assert!(d.empty);
    assert!(d.recent.is_empty() && d.sending.is_none());
    assert_eq!(d.last_30_days, analytics::Totals::default());
    assert_eq!(d.growth.len(), 12);
    assert!(d.growth.iter().all(|w| w.net == 0));
}

#[tokio::test]
async fn the_dashboard_sums_the_last_thirty_days_against_the_thirty_before() {
    let (_dir, store) = fresh_store().await;
    let who = people(&store, 2).await;
    let old = sent_campaign(&store, "old", &who, t0() - Duration::days(40)).await;
    let new = sent_campaign(&store, "new", &who, t0() - Duration::days(3)).await;
    apply(
        &store,
        &[
            hit(EventKind::Open, old, who[0], t0() - Duration::days(39)),
            hit(EventKind::Open, new, who[0], t0() - Duration::days(2)),
            hit(EventKind::Open, new, who[1], t0() - Duration::days(2)),
            hit(
                EventKind::Unsubscribe,
                new,
                who[1],
                t0() - Duration::days(2),
            ),
        ],
    )
    .await;
    let d = analytics::dashboard(&store, t0(), chrono_tz::UTC)
        .await
        .unwrap();
    assert!(!d.empty);
    assert_eq!(d.recent.len(), 2);
    assert_eq!(d.recent[0].id, new);
    assert_eq!(d.recent[0].open_rate, Some(1.0));
    assert_eq!(
        (
            d.last_30_days.sent,
            d.last_30_days.unique_opens,
            d.last_30_days.unsubscribes
        ),
        (2, 2, 1)
    );
    assert_eq!(
        (d.previous_30_days.sent, d.previous_30_days.unique_opens),
        (2, 1)
    );
    // B's unsubscribe (Saturday 31 October) falls in the week before t0's.
    assert_eq!(d.growth[10].unsubscribed, 1);
    assert_eq!(d.growth[11].unsubscribed, 0);
    assert!(d
        .growth
        .iter()
        .all(|w| w.net == w.subscribed - w.unsubscribed));
}

#[tokio::test]
async fn exported_cells_that_look_like_formulas_are_neutralised() {
    let (_dir, store) = fresh_store().await;
    let who = people(&store, 1).await;
    let id = sent_campaign(&store, "=HYPERLINK(\"http://evil\")", &who, t0()).await;
    apply(
        &store,
        &[hit(EventKind::Open, id, who[0], t0() + Duration::hours(1))],
    )
    .await;
    let csv = analytics::metrics_csv(&store, id).await.unwrap();
    assert!(
        csv.contains("name,\"'=HYPERLINK(\"\"http://evil\"\")\""),
        "{csv}"
    );
    assert!(csv.contains("open_rate,1.000000"), "{csv}");
    assert!(csv.contains(&format!("started_at,{}", "2026-11-02T10:00:00Z")));
    for cell in ["+1", "-1", "@SUM(A1)"] {
        sqlx::query("UPDATE campaigns SET name = ? WHERE id = ?")
            .bind(cell)
            .bind(id.as_uuid())
            .execute(store.pool())
            .await
            .unwrap();
        let csv = analytics::metrics_csv(&store, id).await.unwrap();
        assert!(csv.contains(&format!("name,'{cell}")), "{csv}");
    }
    let series = analytics::series_csv(&store, id, chrono_tz::UTC)
        .await
        .unwrap();
    assert_eq!(
        series,
        "hour_start_utc,hour_start_local,opens,clicks\n\
         2026-11-02T10:00:00Z,2026-11-02T10:00:00+00:00,0,0\n\
         2026-11-02T11:00:00Z,2026-11-02T11:00:00+00:00,1,0\n"
    );
    let all = analytics::export_csv(&store, id, None, chrono_tz::UTC)
        .await
        .unwrap();
    assert!(all.contains("address,name,status"));
}
