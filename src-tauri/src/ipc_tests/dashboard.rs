//! The dashboard's campaign widgets through IPC: the first-run state of a
//! new workspace, the campaign sending now with its progress, and a sent
//! campaign's rates and the last 30 days' totals.

use chrono::{Duration, Utc};
use herald_store::campaign_runs;
use herald_store::relay_events::{self, EventKind, RelayEvent};
use herald_store::segments::{self, SegmentInput};
use herald_store::Store;
use serde_json::{json, Value};
use tauri::Manager;
use uuid::Uuid;

use super::{app, form, mark_sent, TestApp};
use crate::state::AppState;

fn store(app: &TestApp) -> Store {
    app._app.state::<AppState>().store.clone()
}

fn contact(app: &TestApp, email: &str) -> Uuid {
    let created = app.ok("contacts_create", json!({"input": form(email, "")}));
    created["contact"]["id"].as_str().unwrap().parse().unwrap()
}

/// A draft email campaign to everyone.
fn campaign(app: &TestApp, name: &str) -> Uuid {
    let everyone = tauri::async_runtime::block_on(segments::create(
        &store(app),
        &SegmentInput {
            name: "Everyone".into(),
            description: None,
            filter: json!({"all": []}),
        },
    ))
    .unwrap();
    let campaign = app.ok(
        "campaigns_create",
        json!({"input": {"channel": "email", "name": name,
               "segmentId": everyone.id.to_string(),
               "subject": "Hello", "preheader": null, "fromName": "Ada",
               "fromAddress": "news@example.com", "replyTo": null, "html": "<p>Hi</p>",
               "textBody": null, "editor": "rich", "templateId": null, "tracking": true,
               "rate": null}}),
    );
    campaign["id"].as_str().unwrap().parse().unwrap()
}

fn zero_totals() -> Value {
    json!({"sent": 0, "uniqueOpens": 0, "uniqueClicks": 0, "unsubscribes": 0})
}

#[test]
fn a_new_workspace_gets_the_first_run_state_with_weeks_in_its_time_zone() {
    let app = app();
    app.ok(
        "workspace_update_settings",
        json!({"input": {"name": "Acme", "defaultRegion": "US", "defaultCurrency": "USD",
                         "timeZone": "America/New_York"}}),
    );
    let dashboard = app.ok("analytics_dashboard", json!({}));
    assert_eq!(dashboard["empty"], true);
    assert_eq!(dashboard["recent"], json!([]));
    assert_eq!(dashboard["sending"], Value::Null);
    assert_eq!(dashboard["last30Days"], zero_totals());
    assert_eq!(dashboard["previous30Days"], zero_totals());
    let weeks = dashboard["growth"].as_array().unwrap();
    assert_eq!(weeks.len(), 12);
    for week in weeks {
        // Monday 00:00 in New York is 04:00 or 05:00 UTC (summer or winter).
        let start = week["weekStart"].as_str().unwrap();
        assert!(
            start.ends_with("T04:00:00.000Z") || start.ends_with("T05:00:00.000Z"),
            "{start}"
        );
        assert_eq!(week["net"], 0);
    }
}

#[test]
fn the_dashboard_shows_the_campaign_sending_now_then_its_rates_once_sent() {
    let app = app();
    let ada = contact(&app, "ada@example.com");
    let grace = contact(&app, "grace@example.com");
    let id = campaign(&app, "Spring news");
    let store = store(&app);
    tauri::async_runtime::block_on(campaign_runs::start(&store, id, None)).unwrap();
    tauri::async_runtime::block_on(mark_sent(&store, id, &[ada]));

    let dashboard = app.ok("analytics_dashboard", json!({}));
    assert_eq!(dashboard["empty"], false);
    assert_eq!(
        dashboard["sending"],
        json!({"id": id.to_string(), "name": "Spring news", "channel": "email",
               "recipients": 2, "sent": 1, "failed": 0, "inDoubt": 0})
    );
    assert_eq!(dashboard["recent"][0]["status"], "sending");

    tauri::async_runtime::block_on(mark_sent(&store, id, &[grace]));
    let now = Utc::now();
    let hit = |kind, at| RelayEvent {
        campaign_id: Some(id),
        recipient_id: Some(ada),
        ..RelayEvent::new(kind, at)
    };
    tauri::async_runtime::block_on(async {
        relay_events::apply_page(
            &store,
            &[
                hit(EventKind::Delivered, now - Duration::minutes(10)),
                // Minutes after the delivery: a person, not a scanner.
                hit(EventKind::Open, now - Duration::minutes(5)),
            ],
            "1",
        )
        .await
        .unwrap();
        campaign_runs::finish(&store, id).await.unwrap();
    });

    let dashboard = app.ok("analytics_dashboard", json!({}));
    assert_eq!(dashboard["sending"], Value::Null);
    let mut recent = dashboard["recent"].as_array().unwrap().clone();
    assert_eq!(recent.len(), 1);
    let started_at = recent[0]["startedAt"].take();
    assert!(started_at.is_string(), "{started_at}");
    assert_eq!(
        recent[0],
        json!({"id": id.to_string(), "name": "Spring news", "channel": "email",
               "status": "sent", "startedAt": null, "sent": 2, "basis": "delivered",
               "openRate": 1.0, "clickRate": 0.0, "deliveredRate": 0.5})
    );
    assert_eq!(
        dashboard["last30Days"],
        json!({"sent": 2, "uniqueOpens": 1, "uniqueClicks": 0, "unsubscribes": 0})
    );
    assert_eq!(dashboard["previous30Days"], zero_totals());
}
