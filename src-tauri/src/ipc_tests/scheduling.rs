//! The app's scheduler when a due campaign cannot start: the reason is kept
//! on the campaign (its page and the list show it), the campaign stays
//! scheduled with nothing in its ledger, and the scheduler waits before it
//! tries again.

use herald_store::start_failures::RETRY_AFTER_MS;
use herald_store::{campaign_runs, now_millis};
use serde_json::{json, Value};
use tauri::Manager;
use uuid::Uuid;

use super::{app, form, TestApp};
use crate::state::AppState;

/// An email campaign to two contacts, scheduled a minute from now (through
/// the store: the schedule command itself wants the SMTP settings this
/// workspace lacks); returns its id and when it is due.
fn scheduled_campaign(app: &TestApp) -> (String, i64) {
    for email in ["ann@example.org", "bob@example.org"] {
        app.ok("contacts_create", json!({"input": form(email, "")}));
    }
    let segment = app.ok(
        "segments_create",
        json!({"input": {"name": "Everyone", "description": "", "filter": {"all": []}}}),
    );
    let created = app.ok(
        "campaigns_create",
        json!({"input": {"channel": "email", "name": "Autumn news",
               "segmentId": segment["id"], "subject": "Autumn", "preheader": null,
               "fromName": null, "fromAddress": null, "replyTo": null,
               "html": "<p>Hello</p>", "textBody": null, "editor": "rich",
               "templateId": null, "tracking": true, "rate": null}}),
    );
    let id = created["id"].as_str().unwrap().to_owned();
    let at = now_millis() + 60_000;
    let store = app._app.state::<AppState>().store.clone();
    tauri::async_runtime::block_on(campaign_runs::schedule(
        &store,
        Uuid::parse_str(&id).unwrap(),
        at,
    ))
    .unwrap();
    (id, at)
}

/// One scheduler step at `now`; the ids that could not start.
fn scheduler_step(app: &TestApp, now: i64) -> Vec<Uuid> {
    let sender = app._app.state::<AppState>().sender.clone();
    tauri::async_runtime::block_on(sender.start_due(now))
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

/// The campaign's rows in the send ledger, whatever their status.
fn ledger_rows(app: &TestApp, id: &str) -> Value {
    app.ok("campaigns_get", json!({"id": id}))["counts"]["recipients"].clone()
}

#[test]
fn a_due_campaign_without_smtp_keeps_why_it_did_not_start_and_stays_scheduled() {
    let app = app();
    let (id, at) = scheduled_campaign(&app);
    let uuid = Uuid::parse_str(&id).unwrap();

    assert_eq!(scheduler_step(&app, at + 1_000), vec![uuid]);

    let detail = app.ok("campaigns_get", json!({"id": id}));
    assert_eq!(detail["status"], "scheduled");
    let failure = &detail["startFailure"];
    assert_eq!(failure["kind"], "validation");
    assert!(
        failure["message"]
            .as_str()
            .unwrap()
            .contains("add your SMTP server in Settings → Email"),
        "{failure}"
    );
    assert_eq!(failure["failedAt"], at + 1_000);
    assert_eq!(failure["retryAt"], at + 1_000 + RETRY_AFTER_MS);
    assert_eq!(ledger_rows(&app, &id), 0, "nothing may reach the ledger");

    // The same {kind, message} a manual start shows.
    let manual = app.err(
        "campaign_send_now",
        json!({"id": id, "expectedRecipients": 2}),
    );
    assert_eq!(manual["kind"], failure["kind"]);
    assert_eq!(manual["message"], failure["message"]);

    let listed = app.ok("campaigns_list", json!({}));
    let row: &Value = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id.as_str())
        .unwrap();
    assert_eq!(row["startFailure"]["message"], failure["message"]);
}

#[test]
fn the_scheduler_tries_a_failed_campaign_again_only_after_the_retry_interval() {
    let app = app();
    let (id, at) = scheduled_campaign(&app);
    let first = at + 1_000;
    assert_eq!(scheduler_step(&app, first).len(), 1);

    // The next ticks leave it alone...
    assert!(scheduler_step(&app, first + 15_000).is_empty());
    assert!(scheduler_step(&app, first + RETRY_AFTER_MS - 1).is_empty());
    // ...until the interval has passed: the same failure, still first met at
    // the first attempt (so it is told once).
    assert_eq!(scheduler_step(&app, first + RETRY_AFTER_MS).len(), 1);
    let failure = &app.ok("campaigns_get", json!({"id": id}))["startFailure"];
    assert_eq!(failure["failedAt"], first);
    assert_eq!(failure["retryAt"], first + 2 * RETRY_AFTER_MS);
    assert_eq!(ledger_rows(&app, &id), 0);
}

#[test]
fn unscheduling_a_campaign_that_did_not_start_forgets_why() {
    let app = app();
    let (id, at) = scheduled_campaign(&app);
    scheduler_step(&app, at + 1_000);
    let detail = app.ok("campaign_unschedule", json!({"id": id}));
    assert_eq!(detail["status"], "draft");
    assert_eq!(detail["startFailure"], Value::Null);
}
