//! Export, then import the export: into the same workspace nothing changes,
//! into a fresh one every contact comes back as it was.

use chrono::{TimeZone, Utc};
use herald_core::{
    CountryCode, Currency, CustomValue, EmailStatus, InteractionKind, Money, SmsStatus,
};
use herald_store::consent_events::ConsentInput;
use herald_store::contacts::{self, NewContact};
use herald_store::export::{Format, COLUMNS};
use herald_store::{interactions, projects, Store};
use serde_json::{json, Value};

use crate::helpers::*;

fn money(minor: i64, currency: &str) -> Option<Money> {
    Some(Money::from_minor(minor, Currency::parse(currency).unwrap()))
}

fn consent(source: &str, method: &str, day: u32) -> Option<ConsentInput> {
    Some(ConsentInput {
        at: Some(Utc.with_ymd_and_hms(2023, 9, day, 8, 30, 15).unwrap()),
        ..ConsentInput::new(source, method)
    })
}

/// Six contacts covering every column the export writes (no interactions or
/// projects: those columns are derived and not imported).
async fn varied_workspace(store: &Store) -> usize {
    // Phone only, a formula for a first name, separators in the company.
    create(
        store,
        NewContact {
            first_name: Some("=SUM(A1:A9)".into()),
            company: Some("Pipes | and; semis".into()),
            sms_consent: consent("keyword JOIN", "sms_keyword", 1),
            ..new_contact(None, Some("+1 201 555 0101"))
        },
    )
    .await;

    // Email only, custom fields of every type, tags, quotes/commas/newlines.
    create(
        store,
        NewContact {
            first_name: Some("@handle".into()),
            last_name: Some("-dash".into()),
            company: Some("Acme, \"Quoted\" Inc.\nSecond line".into()),
            city: Some("+Plus City".into()),
            region: Some("Île-de-France".into()),
            country: Some(CountryCode::parse("FR").unwrap()),
            revenue: money(-123_456, "USD"),
            custom: custom(&[
                ("plan", text("pro")),
                ("formula", text("=1+1")),
                ("zip", text("02134")),
                ("seats", int(42)),
                ("ratio", float(3.25)),
                ("big", int(-9_007_199_254)),
                ("active", CustomValue::Bool(true)),
                ("trial", CustomValue::Bool(false)),
                ("born", date("2024-02-29")),
            ]),
            tags: strings(&["VIP", "-minus", "Beta"]),
            ..new_contact(Some("handle@example.com"), None)
        },
    )
    .await;

    // Consent given, then withdrawn on both channels.
    let gone = create(
        store,
        NewContact {
            first_name: Some("Gone".into()),
            last_name: Some("Away".into()),
            revenue: money(150_000, "JPY"),
            email_consent: consent("signup form", "double_opt_in", 2),
            sms_consent: consent("checkout", "checkbox", 3),
            tags: strings(&["vip"]),
            ..new_contact(Some("gone@example.com"), Some("+44 20 7946 0958"))
        },
    )
    .await;
    let how = ConsentInput::new("cli", "manual");
    contacts::set_email_status(store, gone.id, EmailStatus::Unsubscribed, &how)
        .await
        .unwrap();
    contacts::set_sms_status(store, gone.id, SmsStatus::OptedOut, &how)
        .await
        .unwrap();

    // Bounced, negative yen.
    let bounced = create(
        store,
        NewContact {
            revenue: money(-500, "JPY"),
            country: Some(CountryCode::parse("JP").unwrap()),
            ..new_contact(Some("bounced@example.jp"), None)
        },
    )
    .await;
    contacts::set_email_status(store, bounced.id, EmailStatus::Bounced, &how)
        .await
        .unwrap();

    // Complained, invalid SMS number, zero euros.
    let noisy = create(
        store,
        NewContact {
            first_name: Some("Noisy".into()),
            revenue: money(0, "EUR"),
            ..new_contact(Some("noisy@example.com"), Some("+1 201 555 0102"))
        },
    )
    .await;
    contacts::set_email_status(store, noisy.id, EmailStatus::Complained, &how)
        .await
        .unwrap();
    contacts::set_sms_status(store, noisy.id, SmsStatus::Invalid, &how)
        .await
        .unwrap();

    // Subscribed with consent on both channels, a large dollar amount.
    create(
        store,
        NewContact {
            first_name: Some("Sam".into()),
            last_name: Some("O'Neil".into()),
            company: Some("Tab\there".into()),
            revenue: money(1_000_000_099, "USD"),
            email_consent: consent("webinar", "form", 4),
            sms_consent: consent("webinar", "form", 4),
            ..new_contact(Some("sam@example.com"), Some("+1 201 555 0103"))
        },
    )
    .await;
    6
}

fn parse_csv(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| {
            r.expect("a valid CSV record")
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

fn column(name: &str) -> usize {
    COLUMNS.iter().position(|c| *c == name).unwrap()
}

#[tokio::test]
async fn a_csv_export_neutralises_cells_a_spreadsheet_would_run_as_formulas() {
    let (_dir, store) = fresh_store().await;
    let n = varied_workspace(&store).await;
    let rows = parse_csv(&export_string(&store, Format::Csv).await);
    assert_eq!(rows.len(), n + 1);
    assert_eq!(rows[0], strings(&COLUMNS));

    let phone_only = &rows[1];
    assert_eq!(phone_only[column("first_name")], "'=SUM(A1:A9)");
    assert_eq!(phone_only[column("phone")], "'+12015550101");
    assert_eq!(phone_only[column("email")], "");
    assert_eq!(phone_only[column("company")], "Pipes | and; semis");

    let handle = &rows[2];
    assert_eq!(handle[column("first_name")], "'@handle");
    assert_eq!(handle[column("last_name")], "'-dash");
    assert_eq!(handle[column("city")], "'+Plus City");
    assert_eq!(handle[column("revenue")], "'-1234.56");
    assert_eq!(handle[column("revenue_currency")], "USD");
    assert_eq!(handle[column("tags")], "'-minus;Beta;VIP");
    assert_eq!(
        handle[column("company")],
        "Acme, \"Quoted\" Inc.\nSecond line"
    );
    assert_eq!(
        handle[column("custom")],
        r#"{"active":true,"big":-9007199254,"born":"2024-02-29","formula":"=1+1","plan":"pro","ratio":3.25,"seats":42,"trial":false,"zip":"02134"}"#
    );

    let gone = &rows[3];
    assert_eq!(gone[column("revenue")], "150000");
    assert_eq!(gone[column("revenue_currency")], "JPY");
    assert_eq!(gone[column("email_status")], "unsubscribed");
    assert_eq!(gone[column("sms_status")], "opted_out");
    assert_eq!(gone[column("email_consent_at")], "2023-09-02T08:30:15.000Z");
    assert_eq!(gone[column("email_consent_source")], "signup form");
    assert_eq!(gone[column("sms_consent_method")], "checkbox");
    assert_eq!(rows[4][column("revenue")], "'-500");
    assert_eq!(rows[5][column("revenue")], "0.00");
    assert_eq!(rows[6][column("revenue")], "10000000.99");
}

#[tokio::test]
async fn reimporting_an_export_into_the_same_workspace_changes_nothing() {
    let (_dir, store) = fresh_store().await;
    let n = varied_workspace(&store).await as u64;
    let first = export_string(&store, Format::Csv).await;
    let generation_before = generation(&store).await;
    let ledger_before = total_ledger_rows(&store).await;

    let report = import(&store, first.as_bytes(), &defaults()).await;
    assert_eq!(counts(&report), (0, 0, n, 0, 0));
    assert_eq!(report.errors, vec![]);
    assert_eq!(generation(&store).await, generation_before);
    assert_eq!(total_ledger_rows(&store).await, ledger_before);
    let second = export_string(&store, Format::Csv).await;
    assert_eq!(second, first);
}

/// The export's rows without the `updated_at` column, which records when
/// each contact was last written and so differs between workspaces.
fn without_updated_at(export: &str) -> Vec<Vec<String>> {
    let updated_at = column("updated_at");
    parse_csv(export)
        .into_iter()
        .map(|mut row| {
            row.remove(updated_at);
            row
        })
        .collect()
}

#[tokio::test]
async fn importing_an_export_into_a_fresh_workspace_recreates_every_contact() {
    let (_dir, store) = fresh_store().await;
    let n = varied_workspace(&store).await;
    let first = export_string(&store, Format::Csv).await;

    let (_other_dir, other) = fresh_store().await;
    let report = import(&other, first.as_bytes(), &defaults()).await;
    assert_eq!(counts(&report), (n as u64, 0, 0, 0, 0));
    assert_eq!(report.errors, vec![]);
    let copy = export_string(&other, Format::Csv).await;

    let expected = without_updated_at(&first);
    let actual = without_updated_at(&copy);
    assert_eq!(actual.len(), n + 1);
    for (expected_row, actual_row) in expected.iter().zip(&actual) {
        assert_eq!(actual_row, expected_row);
    }
    assert_eq!(tag_counts(&other).await, tag_counts(&store).await);
}

#[tokio::test]
async fn derived_columns_are_exported_and_ignored_on_reimport() {
    let (_dir, store) = fresh_store().await;
    let c = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let when = Utc.with_ymd_and_hms(2024, 5, 6, 7, 8, 9).unwrap();
    interactions::add(&store, c.id, InteractionKind::Call, when, "Call")
        .await
        .unwrap();
    let usd = Money::from_minor(100, Currency::parse("USD").unwrap());
    projects::add(&store, c.id, "Site", "won", usd)
        .await
        .unwrap();
    projects::add(&store, c.id, "App", "active", usd)
        .await
        .unwrap();
    projects::add(&store, c.id, "Other app", "active", usd)
        .await
        .unwrap();

    let first = export_string(&store, Format::Csv).await;
    let rows = parse_csv(&first);
    assert_eq!(rows[1][column("project_statuses")], "active;won");
    assert_eq!(
        rows[1][column("last_interaction_at")],
        "2024-05-06T07:08:09.000Z"
    );

    let report = import(&store, first.as_bytes(), &defaults()).await;
    assert_eq!(counts(&report), (0, 0, 1, 0, 0));
    assert_eq!(export_string(&store, Format::Csv).await, first);
}

#[tokio::test]
async fn a_jsonl_export_has_one_json_object_per_line_with_tag_arrays_and_custom_objects() {
    let (_dir, store) = fresh_store().await;
    let n = varied_workspace(&store).await;
    let text = export_string(&store, Format::Jsonl).await;
    assert!(text.ends_with('\n'));
    let objects: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON value"))
        .collect();
    assert_eq!(objects.len(), n);
    let mut keys: Vec<&str> = COLUMNS.to_vec();
    keys.sort_unstable();
    for object in &objects {
        let map = object.as_object().expect("each line is an object");
        let mut found: Vec<&str> = map.keys().map(String::as_str).collect();
        found.sort_unstable();
        assert_eq!(found, keys);
        assert!(map["tags"].is_array());
        assert!(map["project_statuses"].is_array());
        assert!(map["custom"].is_object());
    }

    let phone_only = &objects[0];
    assert_eq!(phone_only["first_name"], json!("=SUM(A1:A9)"));
    assert_eq!(phone_only["email"], Value::Null);
    assert_eq!(phone_only["phone"], json!("+12015550101"));
    assert_eq!(phone_only["tags"], json!([]));
    assert_eq!(phone_only["custom"], json!({}));
    assert_eq!(
        phone_only["sms_consent_at"],
        json!("2023-09-01T08:30:15.000Z")
    );
    assert_eq!(phone_only["email_consent_at"], Value::Null);

    let handle = &objects[1];
    assert_eq!(handle["tags"], json!(["-minus", "Beta", "VIP"]));
    assert_eq!(handle["revenue"], json!("-1234.56"));
    assert_eq!(handle["revenue_currency"], json!("USD"));
    assert_eq!(handle["region"], json!("Île-de-France"));
    assert_eq!(
        handle["custom"],
        json!({
            "active": true,
            "big": -9_007_199_254_i64,
            "born": "2024-02-29",
            "formula": "=1+1",
            "plan": "pro",
            "ratio": 3.25,
            "seats": 42,
            "trial": false,
            "zip": "02134",
        })
    );
    assert_eq!(objects[2]["email_status"], json!("unsubscribed"));
    // "vip" is the tag "VIP" another contact created first.
    assert_eq!(objects[2]["tags"], json!(["VIP"]));
}
