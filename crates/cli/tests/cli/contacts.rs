use std::fs;

use crate::helpers::Workspace;

const SAMPLE: &str = "Email Address,First Name,Mobile,Country,Tags,Plan\n\
ada@example.com,Ada,+44 20 7946 0958,GB,vip;newsletter,pro\n\
not-an-email,Bob,,US,,free\n\
ADA@example.com,Ada,,GB,beta,pro\n\
,Cy,+1 415 555 2671x,US,,\n";

#[test]
fn import_json_report_counts_rows_and_names_each_bad_cell() {
    let ws = Workspace::new();
    let file = ws.path("sample.csv");
    fs::write(&file, SAMPLE).unwrap();
    let report = ws.json(&["contacts", "import", file.to_str().unwrap(), "--json"]);
    assert_eq!(report["imported"], 1);
    assert_eq!(report["updated"], 0);
    assert_eq!(report["skipped"], 2);
    assert_eq!(report["duplicates"][0]["line"], 4);
    assert_eq!(report["duplicates"][0]["first_line"], 2);
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0]["line"], 3);
    assert_eq!(errors[0]["column"], "Email Address");
    assert!(errors[0]["reason"]
        .as_str()
        .unwrap()
        .contains("invalid email"));
    assert_eq!(errors[1]["line"], 5);
    assert_eq!(errors[1]["column"], "Mobile");
    let shown = ws.json(&["contacts", "show", "ada@example.com", "--json"]);
    let tags: Vec<&str> = shown["contact"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(tags, ["beta", "newsletter", "vip"]);
    assert_eq!(shown["contact"]["custom"]["plan"], "pro");
    assert_eq!(shown["contact"]["phone"], "+442079460958");
}

#[test]
fn dry_run_reports_the_same_counts_and_writes_nothing() {
    let ws = Workspace::new();
    let file = ws.path("sample.csv");
    fs::write(&file, SAMPLE).unwrap();
    let dry = ws.json(&[
        "contacts",
        "import",
        file.to_str().unwrap(),
        "--json",
        "--dry-run",
    ]);
    assert_eq!(dry["imported"], 1);
    assert_eq!(dry["skipped"], 2);
    assert_eq!(dry["dry_run"], true);
    let list = ws.json(&["contacts", "list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 0);
}

#[test]
fn export_to_a_file_then_importing_it_back_changes_nothing() {
    let ws = Workspace::new();
    ws.ok(&["init", "--demo", "150", "--seed", "5"]);
    let first = ws.path("first.csv");
    let second = ws.path("second.csv");
    ws.ok(&["contacts", "export", "--out", first.to_str().unwrap()]);
    let report = ws.json(&["contacts", "import", first.to_str().unwrap(), "--json"]);
    assert_eq!(report["imported"], 0);
    assert_eq!(report["updated"], 0);
    assert_eq!(report["skipped"], 0);
    assert_eq!(report["unchanged"], 150);
    ws.ok(&["contacts", "export", "--out", second.to_str().unwrap()]);
    assert_eq!(fs::read(&first).unwrap(), fs::read(&second).unwrap());
}

#[test]
fn add_tag_interaction_and_project_show_up_on_the_contact() {
    let ws = Workspace::new();
    ws.ok(&["settings", "default-region", "DE"]);
    ws.ok(&[
        "contacts",
        "add",
        "--email",
        "Grace@Example.org",
        "--phone",
        "0151 23456789",
        "--first-name",
        "Grace",
        "--country",
        "germany",
        "--revenue",
        "1250.50",
        "--currency",
        "EUR",
        "--custom",
        "plan=pro",
        "--tag",
        "VIP",
        "--consent-source",
        "fair",
    ]);
    ws.ok(&[
        "contacts",
        "tag",
        "grace@example.org",
        "--add",
        "vip",
        "--add",
        "speaker",
        "--remove",
        "nothing",
    ]);
    ws.ok(&[
        "interactions",
        "add",
        "+4915123456789",
        "--kind",
        "call",
        "--summary",
        "Intro call",
        "--at",
        "2026-01-05",
    ]);
    ws.ok(&[
        "projects",
        "add",
        "grace@example.org",
        "--name",
        "Keynote",
        "--status",
        "won",
        "--value",
        "900",
    ]);
    let shown = ws.json(&["contacts", "show", "GRACE@example.org", "--json"]);
    let c = &shown["contact"];
    assert_eq!(c["email"], "grace@example.org");
    assert_eq!(c["phone"], "+4915123456789");
    assert_eq!(c["country"], "DE");
    assert_eq!(c["revenue"]["minor"], 125050);
    assert_eq!(c["revenue"]["currency"], "EUR");
    assert_eq!(c["tags"], serde_json::json!(["speaker", "VIP"]));
    assert_eq!(c["last_interaction_at"], "2026-01-05T00:00:00Z");
    assert_eq!(shown["projects"][0]["status"], "won");
    assert_eq!(shown["interactions"][0]["summary"], "Intro call");
    let ledger = shown["consent_events"].as_array().unwrap();
    assert_eq!(ledger.len(), 2, "one grant per channel: {ledger:?}");
    assert!(ledger
        .iter()
        .all(|e| e["source"] == "fair" && e["action"] == "granted"));
}

#[test]
fn list_pages_with_after_and_searches() {
    let ws = Workspace::new();
    ws.ok(&["init", "--demo", "30", "--seed", "2"]);
    let first = ws.json(&["contacts", "list", "--limit", "20", "--json"]);
    let first = first.as_array().unwrap();
    assert_eq!(first.len(), 20);
    let last = first.last().unwrap()["id"].as_str().unwrap().to_owned();
    let rest = ws.json(&[
        "contacts", "list", "--limit", "20", "--after", &last, "--json",
    ]);
    assert_eq!(rest.as_array().unwrap().len(), 10);
    let some_company = first[0]["company"].as_str().unwrap().to_owned();
    let found = ws.json(&[
        "contacts",
        "list",
        "--search",
        &some_company.to_lowercase(),
        "--limit",
        "100",
        "--json",
    ]);
    let found = found.as_array().unwrap();
    assert!(!found.is_empty());
    assert!(found.iter().all(|c| c["company"] == some_company.as_str()));
}

/// Sends `campaign` to Ada in the ledger (raw SQL: the engine has its own
/// tests), then applies the relay's open and click of it as a sync would.
async fn ada_opened_and_clicked(ws: &Workspace) -> String {
    use chrono::{TimeZone, Utc};
    use herald_store::campaigns::{self, CampaignInput};
    use herald_store::relay_events::{self, EventKind, RelayEvent};
    use herald_store::{contacts, Store};

    let store = Store::open(&ws.db).await.unwrap();
    let ada = contacts::resolve(&store, "ada@example.com").await.unwrap();
    let campaign = campaigns::create(&store, &CampaignInput::draft("Spring news"))
        .await
        .unwrap()
        .id
        .as_uuid();
    let sent = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    sqlx::query(
        "INSERT INTO campaign_recipients (campaign_id, contact_id, address, status, queued_at, sent_at)
         VALUES (?, ?, 'ada@example.com', 'sent', 0, ?)",
    )
    .bind(campaign)
    .bind(ada.as_uuid())
    .bind(sent.timestamp_millis())
    .execute(store.pool())
    .await
    .unwrap();
    let hit = |kind, hour| RelayEvent {
        campaign_id: Some(campaign),
        recipient_id: Some(ada.as_uuid()),
        user_agent: Some("Mozilla/5.0 (Herald test)".into()),
        ..RelayEvent::new(kind, Utc.with_ymd_and_hms(2026, 3, 1, hour, 30, 0).unwrap())
    };
    relay_events::apply_page(
        &store,
        &[hit(EventKind::Open, 10), hit(EventKind::Click, 11)],
        "1",
    )
    .await
    .unwrap();
    Store::close(store).await;
    campaign.to_string()
}

#[tokio::test]
async fn show_lists_the_campaigns_sent_to_a_contact_with_their_opens_and_clicks() {
    let ws = Workspace::new();
    ws.ok(&[
        "contacts",
        "add",
        "--email",
        "ada@example.com",
        "--first-name",
        "Ada",
    ]);
    let campaign = ada_opened_and_clicked(&ws).await;

    let human = ws.ok(&["contacts", "show", "ada@example.com"]);
    let section = human
        .split("Campaigns:")
        .nth(1)
        .expect("a Campaigns section");
    let lines: Vec<&str> = section
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(3)
        .collect();
    assert_eq!(
        lines,
        [
            "  2026-03-01 11:30  clicked      Spring news",
            "  2026-03-01 10:30  opened       Spring news",
            "  2026-03-01 09:00  sent         Spring news",
        ]
    );

    let shown = ws.json(&["contacts", "show", "ada@example.com", "--json"]);
    let row = &shown["campaigns"][0];
    assert_eq!(row["campaign_id"], campaign.as_str());
    assert_eq!(row["campaign_name"], "Spring news");
    assert_eq!(row["status"], "sent");
    assert_eq!(row["opened_at"], "2026-03-01T10:30:00Z");
    assert_eq!(row["clicked_at"], "2026-03-01T11:30:00Z");
    assert!(row["bounced_at"].is_null());
}
