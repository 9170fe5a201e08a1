//! The bell and Settings → Notifications over IPC, and delivery: what
//! would be shown natively goes through a recording [`OsNotifier`] (no
//! test can see an OS notification), and the app wires the real one.

use std::sync::{Arc, Mutex};

use herald_store::notifications::{self, Kind, NewNotification};
use herald_store::Store;
use serde_json::{json, Value};
use tauri::{Listener, Manager};
use uuid::Uuid;

use super::{app, error_of, TestApp, PEOPLE};
use crate::notify::{Delivery, OsNotifier, CHANGED_EVENT};
use crate::state::AppState;

/// Records what would have been shown by the OS.
#[derive(Default)]
struct Recorder(Mutex<Vec<(String, String)>>);

impl OsNotifier for Recorder {
    fn show(&self, _id: i64, title: &str, body: &str) {
        self.0.lock().unwrap().push((title.into(), body.into()));
    }
}

impl Recorder {
    fn shown(&self) -> Vec<(String, String)> {
        self.0.lock().unwrap().clone()
    }
}

fn store(app: &TestApp) -> Store {
    app._app.state::<AppState>().store.clone()
}

/// Wires a delivery through a recorder, and counts change events.
fn with_recorder(app: &TestApp) -> (Arc<Recorder>, Arc<Delivery>, Arc<Mutex<u32>>) {
    let recorder = Arc::new(Recorder::default());
    let delivery = Arc::new(Delivery::new(app._app.handle(), recorder.clone()));
    app._app.manage(Arc::clone(&delivery));
    let events = Arc::new(Mutex::new(0));
    let counter = Arc::clone(&events);
    app._app
        .listen_any(CHANGED_EVENT, move |_| *counter.lock().unwrap() += 1);
    (recorder, delivery, events)
}

fn event(key: &str) -> NewNotification {
    NewNotification {
        kind: Kind::CampaignCompleted,
        campaign_id: None,
        title: "Campaign sent: News".into(),
        body: "2 messages sent.".into(),
        dedupe_key: key.into(),
    }
}

#[test]
fn the_bell_lists_counts_unread_and_marks_read_over_ipc() {
    let app = app();
    let store = store(&app);
    let campaign = app.ok(
        "campaigns_create",
        json!({"input": {"channel": "email", "name": "News", "segmentId": null, "subject": "Hi",
               "preheader": null, "fromName": "Ada", "fromAddress": "news@example.com",
               "replyTo": null, "html": "<p>Hi</p>", "textBody": null, "editor": "rich",
               "templateId": null, "tracking": true, "rate": null}}),
    );
    let id: Uuid = campaign["id"].as_str().unwrap().parse().unwrap();
    tauri::async_runtime::block_on(async {
        for (key, at) in [("a", 1_000), ("b", 2_000), ("c", 3_000)] {
            let event = NewNotification {
                campaign_id: Some(id),
                ..event(key)
            };
            notifications::emit(&store, &event, at).await.unwrap();
        }
    });
    let list = app.ok("notifications_list", json!({"limit": 2}));
    assert_eq!(list["unread"], 3);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        items[0],
        json!({"id": items[0]["id"], "kind": "campaign_completed",
               "campaignId": id.to_string(), "title": "Campaign sent: News",
               "body": "2 messages sent.", "os": true,
               "createdAt": "1970-01-01T00:00:03.000Z", "readAt": null})
    );

    app.ok("notifications_mark_read", json!({"id": items[0]["id"]}));
    let list = app.ok("notifications_list", json!({}));
    assert_eq!(list["unread"], 2);
    assert!(list["items"][0]["readAt"].is_string());
    app.ok("notifications_mark_all_read", json!({}));
    assert_eq!(app.ok("notifications_list", json!({}))["unread"], 0);

    let missing = app.err("notifications_mark_read", json!({"id": 999}));
    assert_eq!(error_of(&missing), ("not_found", None));
    let bad = app.err("notifications_list", json!({"limit": 0}));
    assert_eq!(error_of(&bad), ("validation", Some("limit")));
}

fn defaults() -> Value {
    json!({"prefs": {"campaignCompleted": "os", "campaignFailed": "os", "inDoubt": "os",
                     "complaintRate": "os", "relayUnreachable": "in_app",
                     "importFinished": "in_app"},
           "complaintRatePercent": 0.3, "bounceRatePercent": 2.0, "relayDownMinutes": 30})
}

#[test]
fn settings_are_read_and_saved_in_percent_and_errors_name_the_form_field() {
    let app = app();
    assert_eq!(app.ok("notification_settings_get", json!({})), defaults());

    let mut input = defaults();
    input["prefs"]["campaignCompleted"] = json!("none");
    input["complaintRatePercent"] = json!(0.5);
    input["relayDownMinutes"] = json!(60);
    let saved = app.ok("notification_settings_save", json!({"input": input}));
    assert_eq!(saved, input);
    assert_eq!(app.ok("notification_settings_get", json!({})), input);

    let mut bad = input.clone();
    bad["bounceRatePercent"] = json!(0);
    let err = app.err("notification_settings_save", json!({"input": bad}));
    assert_eq!(error_of(&err), ("validation", Some("bounceRatePercent")));
    assert_eq!(app.ok("notification_settings_get", json!({})), input);
}

#[test]
fn an_os_notification_shows_its_title_and_body_and_tells_the_window() {
    let app = app();
    let (recorder, delivery, events) = with_recorder(&app);
    let store = store(&app);
    let relay = NewNotification {
        kind: Kind::RelayUnreachable,
        campaign_id: None,
        title: "The relay is unreachable".into(),
        body: "Herald has not synced for 31 minutes.".into(),
        dedupe_key: "relay_down:1".into(),
    };
    tauri::async_runtime::block_on(async {
        delivery.emit(&store, &event("completed:a:1")).await;
        delivery.emit(&store, &event("completed:a:1")).await;
        delivery.emit(&store, &relay).await;
    });
    assert_eq!(
        recorder.shown(),
        vec![(
            "Campaign sent: News".to_owned(),
            "2 messages sent.".to_owned()
        )],
        "once, and only the kind set to \"os\""
    );
    assert_eq!(
        *events.lock().unwrap(),
        2,
        "one change per new notification"
    );
    assert_eq!(app.ok("notifications_list", json!({}))["unread"], 2);
}

#[test]
fn a_finished_import_is_told_as_the_person_chose() {
    let app = app();
    let (recorder, _delivery, events) = with_recorder(&app);
    let import = |name: &str| {
        let id = app.upload(PEOPLE.as_bytes(), "", name).unwrap();
        let preview = app.ok("import_preview", json!({"uploadId": id}));
        app.ok(
            "import_run",
            json!({"request": {"uploadId": id, "mappings": preview["columns"],
                   "ignoreUnknown": false, "tags": [], "consentSource": null, "dryRun": false}}),
        );
    };

    // In the bell only, by default.
    import("first.csv");
    let list = app.ok("notifications_list", json!({}));
    assert_eq!(list["items"][0]["kind"], "import_finished");
    assert_eq!(list["items"][0]["title"], "Import finished: first.csv");
    assert_eq!(list["items"][0]["os"], false);
    assert!(recorder.shown().is_empty());
    assert_eq!(*events.lock().unwrap(), 1);

    let mut input = defaults();
    input["prefs"]["importFinished"] = json!("os");
    app.ok("notification_settings_save", json!({"input": input}));
    import("second.csv");
    assert_eq!(
        recorder.shown(),
        vec![(
            "Import finished: second.csv".to_owned(),
            "0 contacts added, 0 updated, 1 skipped.".to_owned()
        )]
    );

    input["prefs"]["importFinished"] = json!("none");
    app.ok("notification_settings_save", json!({"input": input}));
    import("third.csv");
    assert_eq!(app.ok("notifications_list", json!({}))["unread"], 2);
}

#[test]
fn the_app_wires_the_native_notifier() {
    let app = app();
    crate::notify::install(app._app.handle(), store(&app)).unwrap();
    assert!(app._app.state::<Arc<Delivery>>().is_native());
}
