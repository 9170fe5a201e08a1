//! The commands called the way the UI calls them: through Tauri's IPC, on
//! the mock runtime, with the app's real generated context. So these tests
//! also prove that every command is registered, listed in `build.rs`, and
//! granted to the main window by `capabilities/default.json` (a command
//! missing from either is refused before it runs).

use std::sync::Arc;
use std::time::Duration;

use herald_send::secrets::{MemorySecrets, Secrets};
use herald_send::sync_loop::LoopOptions;
use herald_store::ledger::{LedgerWriter, Mark};
use herald_store::Store;
use serde_json::{json, Value};
use tauri::http::{HeaderMap, HeaderName, HeaderValue};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewUrl, WebviewWindow, WebviewWindowBuilder};
use uuid::Uuid;

use crate::state::AppState;
use crate::uploads::Uploads;

mod analytics;
mod campaigns;
mod charts;
mod contact_campaigns;
mod dashboard;
mod notifications;
mod relay;
mod scheduling;
mod sending;
mod sms;

struct TestApp {
    _dir: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
}

fn app() -> TestApp {
    app_with(Arc::new(MemorySecrets::default()))
}

/// An app whose keychain is `secrets`. Its sync loop waits an hour between
/// runs of its own, so a test's syncs are the ones it asks for.
fn app_with(secrets: Arc<dyn Secrets>) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("workspace.sqlite3");
    let store = tauri::async_runtime::block_on(Store::open(&workspace)).unwrap();
    let uploads = Uploads::new(dir.path().join("imports")).unwrap();
    let options = LoopOptions {
        interval: Duration::from_secs(3600),
    };
    let state = tauri::async_runtime::block_on(async {
        AppState::new(store, workspace, uploads, secrets, options)
    });
    let app = mock_builder()
        .invoke_handler(crate::invoke_handler())
        .manage(state)
        .build(tauri::generate_context!())
        .unwrap();
    let webview = WebviewWindowBuilder::new(&app, "main", WebviewUrl::default())
        .build()
        .unwrap();
    TestApp {
        _dir: dir,
        _app: app,
        webview,
    }
}

impl TestApp {
    fn invoke(&self, cmd: &str, body: InvokeBody, headers: HeaderMap) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body,
            headers,
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.webview, request).map(|b| b.deserialize::<Value>().unwrap())
    }

    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        self.invoke(cmd, InvokeBody::Json(args), HeaderMap::new())
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    fn err(&self, cmd: &str, args: Value) -> Value {
        match self.call(cmd, args) {
            Ok(v) => panic!("{cmd} succeeded: {v}"),
            Err(e) => e,
        }
    }

    fn upload(&self, chunk: &[u8], upload_id: &str, file_name: &str) -> Result<Value, Value> {
        let mut headers = HeaderMap::new();
        for (name, value) in [("x-upload-id", upload_id), ("x-file-name", file_name)] {
            headers.insert(
                HeaderName::from_static(name),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        self.invoke("import_upload", InvokeBody::Raw(chunk.to_vec()), headers)
    }
}

/// The send engine's path to sent ledger rows (its own tests cover it): each
/// contact claimed, then accepted, and the journal folded so that readers of
/// `campaign_recipients` see them.
async fn mark_sent(store: &Store, campaign: Uuid, contacts: &[Uuid]) {
    let writer = LedgerWriter::start(store);
    for &contact in contacts {
        let sending = Mark::Sending {
            message_id: format!("<{contact}@example.com>"),
        };
        let sent = Mark::Sent {
            provider_message_id: None,
        };
        assert!(writer.mark(campaign, contact, sending).await.unwrap());
        assert!(writer.mark(campaign, contact, sent).await.unwrap());
    }
    writer.settle().await.unwrap();
}

fn error_of(e: &Value) -> (&str, Option<&str>) {
    (e["kind"].as_str().unwrap(), e["field"].as_str())
}

fn form(email: &str, phone: &str) -> Value {
    json!({"firstName": "Ada", "lastName": "Lovelace", "email": email, "phone": phone,
           "company": "", "city": "", "region": "", "country": "GB"})
}

fn list_query(search: Option<&str>) -> Value {
    json!({"query": {"search": search, "tag": null, "emailStatus": null, "smsStatus": null,
                     "sort": "lastInteractionAt", "direction": "desc", "after": null, "limit": 50}})
}

#[test]
fn the_first_screen_starts_the_background_work_once() {
    let app = app();
    let state = app._app.state::<AppState>();
    assert!(
        !state.warmup.started(),
        "nothing starts before the UI's first screen (or the fallback timer)"
    );
    assert_eq!(app.ok("app_first_screen_shown", json!({})), Value::Null);
    assert!(state.warmup.started());
    // A second screen, or the fallback timer, starts nothing more.
    assert_eq!(app.ok("app_first_screen_shown", json!({})), Value::Null);
    assert!(!state.warmup.start(&state.store));
}

#[test]
fn a_fresh_workspace_takes_demo_data_once() {
    let app = app();
    let info = app.ok("workspace_info", json!({}));
    assert_eq!(info["contacts"], 0);
    assert_eq!(info["name"], "My workspace");
    assert_eq!(info["defaultCurrency"], "USD");

    let demo = app.ok("workspace_load_demo", json!({"count": 40}));
    assert_eq!(demo["contacts"], 40);
    assert!(demo["interactions"].as_u64().unwrap() > 0);
    assert_eq!(app.ok("workspace_info", json!({}))["contacts"], 40);

    let again = app.err("workspace_load_demo", json!({"count": 40}));
    assert_eq!(error_of(&again), ("conflict", None));
    let zero = app.err("workspace_load_demo", json!({"count": 0}));
    assert_eq!(error_of(&zero), ("validation", Some("count")));

    let page = app.ok("contacts_list", list_query(None));
    assert_eq!(page["total"], 40);
    assert_eq!(page["items"].as_array().unwrap().len(), 40);
    assert!(page["nextCursor"].is_null());
    assert!(!app
        .ok("tags_list", json!({}))
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(
        app.ok("project_statuses_list", json!({})),
        json!(["lead", "active", "on_hold", "won", "lost"])
    );
}

#[test]
fn the_contact_form_validates_with_the_save_parsers_and_saves_nothing_bad() {
    let app = app();
    let check = app.ok(
        "contacts_check_field",
        json!({"field": "phone", "value": "030 901820", "country": "DE"}),
    );
    assert_eq!(
        check,
        json!({"ok": true, "normalized": "+4930901820", "message": null})
    );
    let check = app.ok(
        "contacts_check_field",
        json!({"field": "email", "value": "ada@"}),
    );
    assert_eq!(check["ok"], false);

    let bad = app.err(
        "contacts_create",
        json!({"input": form("ada@example.com", "12")}),
    );
    assert_eq!(error_of(&bad), ("validation", Some("phone")));
    assert_eq!(app.ok("workspace_info", json!({}))["contacts"], 0);

    let ada = app.ok(
        "contacts_create",
        json!({"input": form("Ada@Example.com", "+44 20 7946 0958")}),
    );
    let id = ada["contact"]["id"].as_str().unwrap().to_owned();
    assert_eq!(ada["contact"]["email"], "ada@example.com");
    assert_eq!(ada["contact"]["phone"], "+442079460958");
    assert_eq!(ada["contact"]["displayName"], "Ada Lovelace");

    app.ok(
        "contacts_create",
        json!({"input": form("grace@example.com", "")}),
    );
    let taken = app.err(
        "contacts_update",
        json!({"id": id, "input": form("grace@example.com", "")}),
    );
    assert_eq!(error_of(&taken), ("conflict", Some("email")));
    let still = app.ok("contacts_get", json!({"id": id}));
    assert_eq!(still["contact"]["email"], "ada@example.com");

    let mut edited = form("ada@example.com", "");
    edited["company"] = json!("Analytical Engines");
    let saved = app.ok("contacts_update", json!({"id": id, "input": edited}));
    assert_eq!(saved["contact"]["company"], "Analytical Engines");
    assert!(saved["contact"]["phone"].is_null());

    let missing = app.err(
        "contacts_get",
        json!({"id": "0190b6d2-4c1e-7a5b-9f3e-2d8c6a1b0e47"}),
    );
    assert_eq!(error_of(&missing), ("not_found", None));
    let garbage = app.err("contacts_get", json!({"id": "nope"}));
    assert_eq!(error_of(&garbage), ("validation", Some("id")));
}

#[test]
fn the_contact_page_edits_tags_status_timeline_and_projects() {
    let app = app();
    let ada = app.ok(
        "contacts_create",
        json!({"input": form("ada@example.com", "")}),
    );
    let id = ada["contact"]["id"].as_str().unwrap().to_owned();

    let tags = app.ok(
        "contacts_edit_tags",
        json!({"id": id, "add": ["VIP", "Newsletter"], "remove": []}),
    );
    assert_eq!(tags, json!(["Newsletter", "VIP"]));

    let detail = app.ok(
        "contacts_set_status",
        json!({"id": id, "channel": "email", "status": "unsubscribed"}),
    );
    assert_eq!(detail["contact"]["emailStatus"], "unsubscribed");
    let event = &detail["consentEvents"][0];
    assert_eq!(event["channel"], "email");
    assert_eq!(event["action"], "withdrawn");
    assert_eq!(
        (&event["source"], &event["method"]),
        (&json!("herald app"), &json!("manual"))
    );
    let bad = app.err(
        "contacts_set_status",
        json!({"id": id, "channel": "sms", "status": "maybe"}),
    );
    assert_eq!(error_of(&bad), ("validation", Some("status")));

    let detail = app.ok(
        "interactions_add",
        json!({"contactId": id, "kind": "call", "occurredAt": "2026-01-05", "summary": "Intro"}),
    );
    assert_eq!(
        detail["interactions"][0]["occurredAt"],
        "2026-01-05T00:00:00.000Z"
    );
    assert_eq!(
        detail["contact"]["lastInteractionAt"],
        "2026-01-05T00:00:00.000Z"
    );
    let bad = app.err(
        "interactions_add",
        json!({"contactId": id, "kind": "call", "occurredAt": "soon", "summary": "x"}),
    );
    assert_eq!(error_of(&bad), ("validation", Some("occurredAt")));

    let detail = app.ok(
        "projects_add",
        json!({"contactId": id, "name": "Engine", "status": "won", "value": "1,250.50"}),
    );
    assert_eq!(detail["projects"][0]["valueMinor"], 125_050);
    let bad = app.err(
        "projects_add",
        json!({"contactId": id, "name": "Engine", "status": "someday", "value": "1"}),
    );
    assert_eq!(error_of(&bad), ("validation", Some("status")));

    let vip = json!({"query": {"search": "ada", "tag": "vip", "emailStatus": "unsubscribed",
        "smsStatus": null, "sort": "name", "direction": "asc", "after": null, "limit": 10}});
    assert_eq!(app.ok("contacts_list", vip)["total"], 1);
    let counts = app.ok("tags_list", json!({}));
    assert_eq!(counts[1]["name"], "VIP");
    assert_eq!(counts[1]["contacts"], 1);
}

const PEOPLE: &str = "Email Address,First Name,Phone,Plan\n\
    ada@example.com,Ada,,pro\n\
    not-an-email,Bob,,free\n\
    grace@example.com,Grace,+12015550123,pro\n";

#[test]
fn a_csv_uploaded_in_chunks_is_previewed_dry_run_and_imported() {
    let app = app();
    let (head, tail) = PEOPLE.as_bytes().split_at(40);
    let id = app.upload(head, "", "M%C3%BCller%20list.csv").unwrap();
    let id = id.as_str().unwrap().to_owned();
    let same = app.upload(tail, &id, "M%C3%BCller%20list.csv").unwrap();
    assert_eq!(same, json!(id));

    let preview = app.ok("import_preview", json!({"uploadId": id}));
    assert_eq!(preview["fileName"], "Müller list.csv");
    assert_eq!(preview["totalBytes"], PEOPLE.len());
    assert_eq!(preview["encoding"], "UTF-8");
    assert_eq!(preview["delimiter"], ",");
    assert_eq!(preview["sampleRows"].as_array().unwrap().len(), 3);
    assert_eq!(
        preview["columns"][0],
        json!({"header": "Email Address", "field": "email"})
    );
    assert_eq!(
        preview["columns"][3],
        json!({"header": "Plan", "field": "custom.plan"})
    );

    let mut request = json!({"uploadId": id, "mappings": preview["columns"], "ignoreUnknown": false,
        "tags": ["imported"], "consentSource": "signup form", "dryRun": true});
    let dry = app.ok("import_run", json!({"request": request}));
    assert_eq!(
        (&dry["imported"], &dry["skipped"], &dry["dryRun"]),
        (&json!(2), &json!(1), &json!(true))
    );
    assert_eq!(dry["errors"][0]["line"], 3);
    assert_eq!(dry["errors"][0]["column"], "Email Address");
    assert_eq!(app.ok("workspace_info", json!({}))["contacts"], 0);

    request["dryRun"] = json!(false);
    let done = app.ok("import_run", json!({"request": request.clone()}));
    assert_eq!(done["imported"], 2);
    assert_eq!(app.ok("workspace_info", json!({}))["contacts"], 2);
    let gone = app.err("import_run", json!({"request": request}));
    assert_eq!(error_of(&gone), ("validation", Some("uploadId")));
}

#[test]
fn uploads_refuse_unknown_ids_and_non_raw_bodies_and_can_be_discarded() {
    let app = app();
    let unknown = app
        .upload(b"x", "0190b6d2-4c1e-7a5b-9f3e-2d8c6a1b0e47", "x.csv")
        .unwrap_err();
    assert_eq!(error_of(&unknown), ("validation", Some("uploadId")));
    let traversal = app.upload(b"x", "../../etc/passwd", "x.csv").unwrap_err();
    assert_eq!(error_of(&traversal), ("validation", Some("uploadId")));
    let json_body = app.err("import_upload", json!({"chunk": [1, 2, 3]}));
    assert_eq!(error_of(&json_body), ("validation", Some("file")));

    let id = app.upload(PEOPLE.as_bytes(), "", "p.csv").unwrap();
    app.ok("import_discard", json!({"uploadId": id}));
    let gone = app.err("import_preview", json!({"uploadId": id}));
    assert_eq!(error_of(&gone), ("validation", Some("uploadId")));
}

fn vip_filter() -> Value {
    json!({"all": [{"field": "tag", "op": "has_any", "value": ["VIP"]}]})
}

fn preview(app: &TestApp, filter: &Value, ticket: u64) -> Result<Value, Value> {
    app.call(
        "segments_preview",
        json!({"query": {"filter": filter, "sort": "name", "direction": "asc",
                         "after": null, "limit": 2, "ticket": ticket}}),
    )
}

#[test]
fn segments_save_preview_and_explain_problems_over_ipc() {
    let app = app();
    for (email, tag) in [
        ("a@x.io", "vip"),
        ("b@x.io", "vip"),
        ("c@x.io", "vip"),
        ("d@x.io", "other"),
    ] {
        let made = app.ok(
            "contacts_create",
            json!({"input": {"firstName": "", "lastName": "", "email": email, "phone": "",
                             "company": "", "city": "", "region": "", "country": ""}}),
        );
        app.ok(
            "contacts_edit_tags",
            json!({"id": made["contact"]["id"], "add": [tag], "remove": []}),
        );
    }

    let p = preview(&app, &vip_filter(), 1).unwrap();
    assert_eq!(p["count"], 3);
    assert_eq!(p["items"].as_array().unwrap().len(), 2);
    assert!(p["nextCursor"].is_string());
    assert_eq!(p["ticket"], 1);
    // An older ticket than one already seen is refused as superseded.
    let stale = preview(&app, &vip_filter(), 0).unwrap_err();
    assert_eq!(stale["kind"], "conflict");
    assert_eq!(stale["field"], "ticket");

    // Problems are reported at their paths, all at once.
    let issues = app.ok(
        "segments_check",
        json!({"filter": {"all": [{"field": "tag", "op": "gt", "value": 1},
                                  {"any": [{"field": "nope", "op": "eq", "value": "x"}]}]}}),
    );
    let paths: Vec<&str> = issues
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["all[0]", "all[1].any[0]"]);
    let bad = preview(
        &app,
        &json!({"all": [{"field": "revenue", "op": "between", "value": [5, 1]}]}),
        2,
    )
    .unwrap_err();
    assert_eq!(bad["kind"], "validation");
    assert_eq!(bad["field"], "filter.all[0]");

    let vip = app.ok(
        "segments_create",
        json!({"input": {"name": "VIPs", "description": "", "filter": vip_filter()}}),
    );
    assert_eq!(vip["description"], Value::Null);
    let count = app.ok("segments_count", json!({"id": vip["id"]}));
    assert_eq!(count["count"], 3);
    let listed = app.ok("segments_list", json!({}));
    assert_eq!(listed[0]["count"], 3);
    assert_eq!(listed[0]["countFresh"], true);

    // A segment that uses the first one blocks its deletion.
    let uses = app.ok(
        "segments_create",
        json!({"input": {"name": "Not VIPs", "description": "everyone else",
                         "filter": {"all": [{"field": "segment", "op": "not_in", "value": vip["id"]}]}}}),
    );
    assert_eq!(
        app.ok("segments_count", json!({"id": uses["id"]}))["count"],
        1
    );
    let refused = app.err("segments_delete", json!({"id": vip["id"]}));
    assert_eq!(refused["kind"], "conflict");
    assert!(
        refused["message"].as_str().unwrap().contains("Not VIPs"),
        "{refused}"
    );
    assert_eq!(
        app.ok("segments_get", json!({"id": vip["id"]}))["usedBy"],
        json!(["Not VIPs"])
    );
    // Making the first include the second would be a cycle.
    let cycle = app.ok(
        "segments_check",
        json!({"filter": {"all": [{"field": "segment", "op": "in", "value": uses["id"]}]}, "editing": vip["id"]}),
    );
    assert!(
        cycle[0]["message"].as_str().unwrap().contains("VIPs"),
        "{cycle}"
    );

    let copy = app.ok("segments_duplicate", json!({"id": vip["id"]}));
    assert_eq!(copy["name"], "VIPs (copy)");
    app.ok("segments_delete", json!({"id": copy["id"]}));
    assert_eq!(
        app.ok("segments_list", json!({})).as_array().unwrap().len(),
        2
    );
}

#[test]
fn workspace_settings_are_saved_together_or_not_at_all() {
    let app = app();
    let options = app.ok("workspace_setting_options", json!({}));
    assert!(options["timeZones"]
        .as_array()
        .unwrap()
        .contains(&json!("Europe/Berlin")));
    assert!(options["currencies"]
        .as_array()
        .unwrap()
        .contains(&json!("EUR")));

    let bad = app.err(
        "workspace_update_settings",
        json!({"input": {"name": "Acme", "defaultRegion": "DE", "defaultCurrency": "EUR",
                         "timeZone": "Mars/Olympus"}}),
    );
    assert_eq!(bad["kind"], "validation");
    assert_eq!(bad["field"], "timeZone");
    assert!(
        bad["message"].as_str().unwrap().contains("Mars/Olympus"),
        "{bad}"
    );
    let unchanged = app.ok("workspace_info", json!({}));
    assert_eq!(unchanged["name"], "My workspace");
    assert_eq!(unchanged["timeZone"], "UTC");

    let bad = app.err(
        "workspace_update_settings",
        json!({"input": {"name": "Acme", "defaultRegion": "Atlantis", "defaultCurrency": "EUR",
                         "timeZone": "UTC"}}),
    );
    assert_eq!(bad["field"], "defaultRegion");
    let bad = app.err(
        "workspace_update_settings",
        json!({"input": {"name": "Acme", "defaultRegion": "", "defaultCurrency": "EURO",
                         "timeZone": "UTC"}}),
    );
    assert_eq!(bad["field"], "defaultCurrency");

    let saved = app.ok(
        "workspace_update_settings",
        json!({"input": {"name": " Acme GmbH ", "defaultRegion": "de", "defaultCurrency": "eur",
                         "timeZone": "Europe/Berlin"}}),
    );
    assert_eq!(saved["name"], "Acme GmbH");
    assert_eq!(saved["defaultRegion"], "DE");
    assert_eq!(saved["defaultCurrency"], "EUR");
    assert_eq!(saved["timeZone"], "Europe/Berlin");
    assert_eq!(app.ok("workspace_info", json!({})), saved);
}
