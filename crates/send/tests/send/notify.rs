//! The notification rules over a real workspace file: what a scan tells,
//! that it tells each event once, and the lines it warns above.

use chrono::{TimeZone, Utc};
use herald_core::Channel;
use herald_send::notify::{scan, Scope};
use herald_store::notifications::{self, Kind};
use herald_store::relay_events::{self, EventKind, RelayEvent};
use herald_store::{relay_sync, start_failures, Store};
use uuid::Uuid;

use crate::helpers::Workspace;

const HOUR: i64 = 60 * 60 * 1000;
const NOW: i64 = 1_800_000_000_000;

/// An email campaign that ended (`status`) at `finished_at`, sent to
/// `sent` made-up contacts (raw SQL: thousands of rows in a moment).
async fn ended_campaign(store: &Store, status: &str, finished_at: i64, sent: i64) -> Uuid {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO campaigns (id, channel, name, status, started_at, finished_at, last_error,
                                created_at, updated_at)
         VALUES (?, 'email', 'Spring news', ?, ?, ?, ?, 0, 0)",
    )
    .bind(id)
    .bind(status)
    .bind(finished_at - HOUR)
    .bind(finished_at)
    .bind((status == "failed").then_some("The SMTP server refused the login"))
    .execute(store.pool())
    .await
    .unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO contacts (id, email, created_at, updated_at)
         SELECT randomblob(16), 'p' || i || '.' || lower(hex(?)) || '@x.org', 0, 0 FROM n",
    )
    .bind(sent)
    .bind(id)
    .execute(store.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO campaign_recipients (campaign_id, contact_id, address, status, queued_at, sent_at)
         SELECT ?, id, email, 'sent', 0, 0 FROM contacts WHERE email LIKE '%.' || lower(hex(?)) || '@x.org'",
    )
    .bind(id)
    .bind(id)
    .execute(store.pool())
    .await
    .unwrap();
    id
}

/// `n` more of the campaign's recipients complain, as the relay reports it.
async fn complain(store: &Store, campaign: Uuid, n: i64) {
    let who: Vec<Uuid> = sqlx::query_scalar(
        "SELECT contact_id FROM campaign_recipients
         WHERE campaign_id = ? AND complained_at IS NULL ORDER BY contact_id LIMIT ?",
    )
    .bind(campaign)
    .bind(n)
    .fetch_all(store.pool())
    .await
    .unwrap();
    let events: Vec<RelayEvent> = who
        .into_iter()
        .map(|contact| RelayEvent {
            campaign_id: Some(campaign),
            recipient_id: Some(contact),
            channel: Some(Channel::Email),
            provider: Some("postmark".into()),
            ..RelayEvent::new(EventKind::Complaint, Utc.timestamp_millis_opt(NOW).unwrap())
        })
        .collect();
    relay_events::apply_page(store, &events, "c").await.unwrap();
}

fn kinds(items: &[notifications::Notification]) -> Vec<Kind> {
    items.iter().map(|n| n.kind).collect()
}

#[tokio::test]
async fn a_campaign_sent_while_the_app_was_closed_is_told_once_at_the_next_start() {
    let ws = Workspace::new().await;
    let sent = ended_campaign(&ws.store, "sent", NOW - HOUR, 3).await;
    let failed = ended_campaign(&ws.store, "failed", NOW - 2 * HOUR, 1).await;

    let told = scan(&ws.store, NOW, Scope::Everything).await.unwrap();
    assert_eq!(
        kinds(&told),
        vec![Kind::CampaignFailed, Kind::CampaignCompleted]
    );
    assert_eq!(told[1].campaign_id, Some(sent));
    assert_eq!(told[1].title, "Campaign sent: Spring news");
    assert_eq!(told[1].body, "3 messages sent.");
    assert_eq!(told[0].campaign_id, Some(failed));
    assert!(told[0]
        .body
        .starts_with("The SMTP server refused the login."));

    for later in [NOW + 1, NOW + HOUR] {
        let again = scan(&ws.store, later, Scope::Everything).await.unwrap();
        assert!(again.is_empty(), "told again: {again:?}");
    }
    assert_eq!(notifications::list(&ws.store, 10).await.unwrap().1, 2);
}

#[tokio::test]
async fn the_first_scan_does_not_tell_a_workspace_s_old_history() {
    let ws = Workspace::new().await;
    ended_campaign(&ws.store, "sent", NOW - 8 * 24 * HOUR, 1).await;
    assert!(scan(&ws.store, NOW, Scope::Quick).await.unwrap().is_empty());
}

#[tokio::test]
async fn complaints_exactly_at_the_line_are_quiet_and_above_it_warn_once() {
    let ws = Workspace::new().await;
    let campaign = ended_campaign(&ws.store, "sent", NOW - HOUR, 1000).await;
    scan(&ws.store, NOW, Scope::Everything).await.unwrap();

    complain(&ws.store, campaign, 3).await; // 0.3 %: on the line
    assert!(scan(&ws.store, NOW + 1, Scope::Everything)
        .await
        .unwrap()
        .is_empty());
    complain(&ws.store, campaign, 1).await; // 0.4 %
    assert!(
        scan(&ws.store, NOW + 2, Scope::Quick)
            .await
            .unwrap()
            .is_empty(),
        "a quick scan does not read rates"
    );
    let told = scan(&ws.store, NOW + 3, Scope::Everything).await.unwrap();
    assert_eq!(kinds(&told), vec![Kind::ComplaintRate]);
    assert_eq!(told[0].title, "Complaint rate 0.4 %: Spring news");
    complain(&ws.store, campaign, 5).await;
    assert!(scan(&ws.store, NOW + 4, Scope::Everything)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_relay_failing_longer_than_the_setting_is_told_once_per_outage() {
    let ws = Workspace::new().await;
    let at = |ms: i64| Utc.timestamp_millis_opt(ms).unwrap();
    relay_sync::set_url(&ws.store, "https://relay.example.com")
        .await
        .unwrap();
    relay_sync::record_failure(&ws.store, at(NOW), "connection refused")
        .await
        .unwrap();
    let minute = 60_000;
    assert!(scan(&ws.store, NOW + 10 * minute, Scope::Quick)
        .await
        .unwrap()
        .is_empty());
    // A later failure does not move the outage's start.
    relay_sync::record_failure(&ws.store, at(NOW + 20 * minute), "connection refused")
        .await
        .unwrap();
    let told = scan(&ws.store, NOW + 31 * minute, Scope::Quick)
        .await
        .unwrap();
    assert_eq!(kinds(&told), vec![Kind::RelayUnreachable]);
    assert!(told[0].body.contains("31 minutes"), "{}", told[0].body);
    assert!(scan(&ws.store, NOW + 40 * minute, Scope::Quick)
        .await
        .unwrap()
        .is_empty());

    relay_sync::record_success(&ws.store, at(NOW + 41 * minute))
        .await
        .unwrap();
    scan(&ws.store, NOW + 42 * minute, Scope::Quick)
        .await
        .unwrap();
    relay_sync::record_failure(&ws.store, at(NOW + 50 * minute), "timed out")
        .await
        .unwrap();
    scan(&ws.store, NOW + 51 * minute, Scope::Quick)
        .await
        .unwrap();
    let told = scan(&ws.store, NOW + 90 * minute, Scope::Quick)
        .await
        .unwrap();
    assert_eq!(kinds(&told), vec![Kind::RelayUnreachable], "a new outage");
}

/// A scheduled email campaign due an hour before `NOW` (raw SQL, as above).
async fn scheduled_campaign(store: &Store, name: &str) -> Uuid {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO campaigns (id, channel, name, status, scheduled_at, created_at, updated_at)
         VALUES (?, 'email', ?, 'scheduled', ?, 0, 0)",
    )
    .bind(id)
    .bind(name)
    .bind(NOW - HOUR)
    .execute(store.pool())
    .await
    .unwrap();
    id
}

#[tokio::test]
async fn a_scheduled_campaign_that_could_not_start_is_told_once_per_distinct_failure() {
    let ws = Workspace::new().await;
    let id = scheduled_campaign(&ws.store, "Autumn news").await;
    let no_smtp = "Set up SMTP in Settings → Email first";
    start_failures::record(&ws.store, id, "validation", no_smtp, NOW)
        .await
        .unwrap();

    let told = scan(&ws.store, NOW, Scope::Quick).await.unwrap();
    assert_eq!(kinds(&told), vec![Kind::CampaignFailed]);
    assert_eq!(told[0].campaign_id, Some(id));
    assert_eq!(
        told[0].title,
        "Scheduled campaign “Autumn news” could not start"
    );
    assert!(told[0].body.starts_with(no_smtp), "{}", told[0].body);

    // The scheduler's retry fails the same way: nothing new to tell.
    start_failures::record(&ws.store, id, "validation", no_smtp, NOW + 5 * 60_000)
        .await
        .unwrap();
    assert!(scan(&ws.store, NOW + 5 * 60_000, Scope::Quick)
        .await
        .unwrap()
        .is_empty());

    // A different reason is a different failure.
    start_failures::record(
        &ws.store,
        id,
        "relay",
        "The relay refused the API token",
        NOW + HOUR,
    )
    .await
    .unwrap();
    let told = scan(&ws.store, NOW + HOUR, Scope::Quick).await.unwrap();
    assert_eq!(told.len(), 1);
    assert!(told[0].body.starts_with("The relay refused the API token."));
    assert!(scan(&ws.store, NOW + HOUR + 1, Scope::Quick)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_start_failure_is_not_told_when_the_person_chose_none_for_failed_campaigns() {
    let ws = Workspace::new().await;
    let id = scheduled_campaign(&ws.store, "Quiet news").await;
    let mut settings = notifications::load_settings(&ws.store).await.unwrap();
    settings
        .prefs
        .insert(Kind::CampaignFailed, notifications::Preference::None);
    notifications::save_settings(&ws.store, &settings)
        .await
        .unwrap();
    start_failures::record(&ws.store, id, "validation", "No SMTP", NOW)
        .await
        .unwrap();
    assert!(scan(&ws.store, NOW, Scope::Quick).await.unwrap().is_empty());
}
