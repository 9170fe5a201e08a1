//! `herald analytics`: a workspace with two sent campaigns and their relay
//! events (applied through the store, as `herald sync` does), read back by
//! the real binary: the report as JSON and text, a comparison, the CSV
//! export and a rebuild.

use chrono::{Duration, Utc};
use herald_core::{Channel, EmailAddress};
use herald_store::contacts::{self, NewContact};
use herald_store::relay_events::{self, EventKind, RelayEvent};
use herald_store::Store;
use uuid::Uuid;

use crate::helpers::Workspace;

async fn campaign(store: &Store, name: &str, contacts: &[Uuid], hours_ago: i64) -> Uuid {
    let id = Uuid::now_v7();
    let sent = Utc::now() - Duration::hours(hours_ago);
    sqlx::query(
        "INSERT INTO campaigns (id, channel, name, subject, status, started_at, exclusions,
             created_at, updated_at)
         VALUES (?, 'email', ?, 'Hi', 'sent', ?, ?, 0, 0)",
    )
    .bind(id)
    .bind(name)
    .bind(sent.timestamp_millis())
    // What the ledger writes when it resolves an audience: every reason.
    .bind(
        r#"{"unsubscribed": 1, "bounced": 0, "complained": 0, "duplicate": 0,
            "no_address": 0, "no_consent": 0}"#,
    )
    .execute(store.pool())
    .await
    .unwrap();
    for (i, contact) in contacts.iter().enumerate() {
        sqlx::query(
            "INSERT INTO campaign_recipients (campaign_id, contact_id, address, status,
                 queued_at, sent_at)
             VALUES (?, ?, ?, 'sent', 0, ?)",
        )
        .bind(id)
        .bind(contact)
        .bind(format!("p{i}@example.com"))
        .bind(sent.timestamp_millis())
        .execute(store.pool())
        .await
        .unwrap();
    }
    let hit = |kind: EventKind, contact: Uuid, after: i64| RelayEvent {
        campaign_id: Some(id),
        recipient_id: Some(contact),
        channel: Some(Channel::Email),
        url: Some("https://example.com/=cmd".into()),
        ..RelayEvent::new(kind, sent + Duration::minutes(after))
    };
    let events = [
        hit(EventKind::Open, contacts[0], 30),
        hit(EventKind::Open, contacts[0], 90),
        RelayEvent {
            machine: true,
            ..hit(EventKind::Open, contacts[1], 5)
        },
        hit(EventKind::Click, contacts[1], 40),
    ];
    relay_events::apply_page(store, &events, "c").await.unwrap();
    id
}

/// Three people; "Spring" sent to all 48 hours ago, "=Autumn" to two, 5
/// hours ago; each with human and machine opens and a click.
pub(crate) async fn workspace() -> (Workspace, Uuid, Uuid) {
    let ws = Workspace::new();
    let store = Store::open(&ws.db).await.unwrap();
    let mut people = Vec::new();
    for i in 0..3 {
        let new = NewContact {
            email: Some(EmailAddress::parse(&format!("p{i}@example.com")).unwrap()),
            ..NewContact::default()
        };
        people.push(contacts::create(&store, new).await.unwrap().id.as_uuid());
    }
    let spring = campaign(&store, "Spring", &people, 48).await;
    let autumn = campaign(&store, "=Autumn", &people[..2], 5).await;
    store.close().await;
    (ws, spring, autumn)
}

#[tokio::test]
async fn analytics_campaign_reports_human_and_machine_opens_as_json_and_text() {
    let (ws, spring, _) = workspace().await;
    let m = ws.json(&["analytics", "campaign", &spring.to_string(), "--json"]);
    assert_eq!(m["sent"], 3);
    assert_eq!(m["excluded"]["unsubscribed"], 1);
    assert_eq!(m["opens_human"]["total"], 2);
    assert_eq!(m["opens_machine"]["unique"], 1);
    // Contact 0 opened; contact 1 clicked without a human open.
    assert_eq!(m["opened"], 2);
    assert_eq!(m["basis"], "sent");
    let text = ws.ok(&["analytics", "campaign", "Spring"]);
    assert!(text.contains("Opened (people)"), "{text}");
    assert!(text.contains("66.7 %"), "{text}");
    assert!(text.contains("Rates on"), "{text}");
}

#[tokio::test]
async fn analytics_compare_puts_campaigns_side_by_side() {
    let (ws, spring, autumn) = workspace().await;
    let c = ws.json(&[
        "analytics",
        "compare",
        &spring.to_string(),
        &autumn.to_string(),
        "--json",
    ]);
    assert_eq!(c["metrics"].as_array().unwrap().len(), 2);
    let a = c["series"][0]["points"].as_array().unwrap().len();
    assert_eq!(a, c["series"][1]["points"].as_array().unwrap().len());
    let text = ws.ok(&["analytics", "compare", "Spring", &autumn.to_string()]);
    assert!(text.starts_with("Metric\tSpring\t=Autumn"), "{text}");
    let one = ws.run(&["analytics", "compare", "Spring"]);
    assert!(!one.status.success());
}

#[tokio::test]
async fn analytics_export_writes_neutralised_csv_and_rebuild_keeps_the_numbers() {
    let (ws, _, autumn) = workspace().await;
    let out = ws.path("autumn.csv");
    ws.ok(&[
        "analytics",
        "export",
        &autumn.to_string(),
        "--out",
        out.to_str().unwrap(),
        "--part",
        "metrics",
    ]);
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with("metric,value\n"), "{csv}");
    assert!(csv.contains("name,'=Autumn"), "{csv}");
    ws.ok(&[
        "analytics",
        "export",
        "Spring",
        "--out",
        out.to_str().unwrap(),
    ]);
    let all = std::fs::read_to_string(&out).unwrap();
    assert!(all.contains("hour_start_utc,hour_start_local,opens,clicks"));
    assert!(all.contains("address,name,status"));
    let before = ws.json(&["analytics", "campaign", "Spring", "--json"]);
    ws.ok(&["analytics", "rebuild"]);
    assert_eq!(
        ws.json(&["analytics", "campaign", "Spring", "--json"]),
        before
    );
}
