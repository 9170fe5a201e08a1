//! The analytics page's commands through IPC: a sent campaign's report
//! after a sync applied the relay's events, its series in the workspace
//! zone, a comparison, the CSV export, and the errors naming their field.

use chrono::{DateTime, TimeZone, Utc};
use herald_store::ledger;
use herald_store::relay_events::{self, EventKind, RelayEvent};
use herald_store::segments::{self, SegmentInput};
use herald_store::Store;
use serde_json::{json, Value};
use tauri::Manager;
use uuid::Uuid;

use super::{app, error_of, form, mark_sent, TestApp};
use crate::state::AppState;

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, hour, 0, 0).unwrap()
}

fn create_campaign(app: &TestApp, name: &str, segment: &str) -> String {
    let c = app.ok(
        "campaigns_create",
        json!({"input": {"channel": "email", "name": name, "segmentId": segment,
               "subject": "Hello", "preheader": null, "fromName": "Ada",
               "fromAddress": "news@example.com", "replyTo": null, "html": "<p>Hi</p>",
               "textBody": null, "editor": "rich", "templateId": null, "tracking": true,
               "rate": null}}),
    );
    c["id"].as_str().unwrap().to_owned()
}

/// Two contacts, a campaign sent to both (the send engine's path to a sent
/// row; its own tests cover it), and a page of relay events: both
/// delivered, Ada opens and clicks a link twice, Grace's mail client
/// preloads the pixel (a machine open) and she unsubscribes.
fn sent_campaign(app: &TestApp) -> (String, String, Store) {
    let store = app._app.state::<AppState>().store.clone();
    let contact = |email: &str| -> Uuid {
        let made = app.ok("contacts_create", json!({"input": form(email, "")}));
        made["contact"]["id"].as_str().unwrap().parse().unwrap()
    };
    let (ada, grace) = (contact("ada@example.com"), contact("grace@example.com"));
    let everyone = tauri::async_runtime::block_on(segments::create(
        &store,
        &SegmentInput {
            name: "Everyone".into(),
            description: None,
            filter: json!({"all": []}),
        },
    ))
    .unwrap();
    let segment = everyone.id.to_string();
    let id = create_campaign(app, "Spring sale", &segment);
    let campaign: Uuid = id.parse().unwrap();
    tauri::async_runtime::block_on(async {
        ledger::resolve(&store, campaign).await.unwrap();
        mark_sent(&store, campaign, &[ada, grace]).await;
        let hit = |kind, contact, hour, machine| RelayEvent {
            campaign_id: Some(campaign),
            recipient_id: Some(contact),
            machine,
            ..RelayEvent::new(kind, at(hour))
        };
        let click = |hour| RelayEvent {
            url: Some("https://example.com/sale".into()),
            ..hit(EventKind::Click, ada, hour, false)
        };
        relay_events::apply_page(
            &store,
            &[
                hit(EventKind::Delivered, ada, 8, false),
                hit(EventKind::Delivered, grace, 8, false),
                hit(EventKind::Open, ada, 9, false),
                hit(EventKind::Open, grace, 9, true),
                click(10),
                click(11),
                hit(EventKind::Unsubscribe, grace, 12, false),
            ],
            "1",
        )
        .await
        .unwrap();
    });
    (id, segment, store)
}

#[test]
fn a_campaign_report_counts_human_opens_on_the_delivered_basis_with_its_top_links() {
    let app = app();
    let (id, _, _) = sent_campaign(&app);
    let report = app.ok("analytics_campaign", json!({"id": id}));
    let m = &report["metrics"];
    assert_eq!(m["name"], "Spring sale");
    assert_eq!(m["channel"], "email");
    // The test marks ledger rows without the send engine's run.
    assert_eq!(m["status"], "draft");
    assert_eq!(m["recipients"], 2);
    assert_eq!(m["sent"], 2);
    assert_eq!(m["delivered"], 2);
    assert_eq!(m["basis"], "delivered");
    assert_eq!(m["basisCount"], 2);
    assert_eq!(m["opened"], 1);
    assert_eq!(m["opensHuman"], json!({"unique": 1, "total": 1}));
    assert_eq!(m["opensMachine"], json!({"unique": 1, "total": 1}));
    assert_eq!(m["clicksHuman"], json!({"unique": 1, "total": 2}));
    assert_eq!(m["unsubscribed"], 1);
    assert_eq!(m["rates"]["open"], 0.5);
    assert_eq!(m["rates"]["clickToOpen"], 1.0);
    assert_eq!(m["rates"]["unsubscribe"], 0.5);
    assert_eq!(m["excludedTotal"], 0);
    assert_eq!(m["excluded"][0], json!({"reason": "bounced", "count": 0}));
    assert_eq!(
        report["topLinks"],
        json!([{"url": "https://example.com/sale", "unique": 1, "total": 2}])
    );
    assert_eq!(report["relayConfigured"], false);
    assert_eq!(report["lastSyncAt"], Value::Null);
}

#[test]
fn a_series_is_hourly_in_the_workspace_zone_and_names_a_bad_bound() {
    let app = app();
    let (id, _, store) = sent_campaign(&app);
    tauri::async_runtime::block_on(herald_store::settings::set(
        &store,
        "time_zone",
        &"Europe/Paris",
    ))
    .unwrap();
    let series = app.ok(
        "analytics_series",
        json!({"id": id, "from": "2026-03-01T08:00:00Z", "to": "2026-03-01T12:00:00Z"}),
    );
    assert_eq!(series["bucket"], "hour");
    assert_eq!(series["zone"], "Europe/Paris");
    let points = series["points"].as_array().unwrap();
    assert_eq!(points.len(), 4);
    assert_eq!(points[1]["start"], "2026-03-01T09:00:00.000Z");
    assert_eq!(points[1]["local"], "2026-03-01T10:00:00+01:00");
    let counts: Vec<(i64, i64)> = points
        .iter()
        .map(|p| (p["opens"].as_i64().unwrap(), p["clicks"].as_i64().unwrap()))
        .collect();
    assert_eq!(counts, [(0, 0), (1, 0), (0, 1), (0, 1)]);

    let bad = app.err(
        "analytics_series",
        json!({"id": id, "from": "yesterday", "to": null}),
    );
    assert_eq!(error_of(&bad), ("validation", Some("from")));
    let never_started = app.err(
        "analytics_series",
        json!({"id": id, "from": null, "to": null}),
    );
    assert_eq!(error_of(&never_started), ("validation", Some("from")));
    let backwards = app.err(
        "analytics_series",
        json!({"id": id, "from": "2026-03-02T00:00:00Z", "to": "2026-03-01T00:00:00Z"}),
    );
    assert_eq!(error_of(&backwards), ("validation", Some("to")));
}

#[test]
fn a_comparison_takes_two_to_five_campaigns_and_names_the_ids_at_fault() {
    let app = app();
    let (id, segment, _) = sent_campaign(&app);
    let draft = create_campaign(&app, "Draft", &segment);
    let both = app.ok("analytics_compare", json!({"ids": [id, draft]}));
    let names: Vec<&str> = both["campaigns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Spring sale", "Draft"]);
    assert_eq!(both["series"].as_array().unwrap().len(), 2);
    assert_eq!(both["series"][1]["id"], draft.as_str());
    assert_eq!(
        both["series"][0]["points"].as_array().unwrap().len(),
        both["series"][1]["points"].as_array().unwrap().len()
    );

    let one = app.err("analytics_compare", json!({"ids": [id]}));
    assert_eq!(error_of(&one), ("validation", Some("ids")));
    let twice = app.err("analytics_compare", json!({"ids": [id, id]}));
    assert_eq!(error_of(&twice), ("validation", Some("ids")));
    let junk = app.err("analytics_compare", json!({"ids": [id, "nope"]}));
    assert_eq!(error_of(&junk), ("validation", Some("ids")));
}

#[test]
fn the_export_gives_each_part_as_csv_and_refuses_an_unknown_part() {
    let app = app();
    let (id, _, _) = sent_campaign(&app);
    let metrics = app.ok("analytics_export", json!({"id": id, "part": "metrics"}));
    let metrics = metrics.as_str().unwrap();
    assert!(metrics.starts_with("metric,value"), "{metrics}");
    assert!(metrics.contains("\nname,Spring sale"), "{metrics}");
    let series = app.ok("analytics_export", json!({"id": id, "part": "series"}));
    assert!(series
        .as_str()
        .unwrap()
        .starts_with("hour_start_utc,hour_start_local,opens,clicks"));
    let roster = app.ok("analytics_export", json!({"id": id, "part": "roster"}));
    assert!(roster.as_str().unwrap().contains("grace@example.com"));

    let bad = app.err("analytics_export", json!({"id": id, "part": "everything"}));
    assert_eq!(error_of(&bad), ("validation", Some("part")));
    let missing = app.err(
        "analytics_campaign",
        json!({"id": Uuid::now_v7().to_string()}),
    );
    assert_eq!(error_of(&missing), ("not_found", None));
    let junk = app.err("analytics_campaign", json!({"id": "nope"}));
    assert_eq!(error_of(&junk), ("validation", Some("id")));
}
