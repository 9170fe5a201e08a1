//! Conversions from store types, and the JSON shapes docs/ipc.md promises.

use chrono::{TimeZone, Utc};
use herald_core::{
    ConsentEventId, ContactId, CountryCode, Currency, CustomFields, CustomValue, EmailAddress,
    InteractionId, InteractionKind, Money, PhoneNumber, ProjectId,
};
use herald_store::consent_events::ConsentEvent;
use herald_store::contacts::{self, Contact};
use herald_store::import::{ColumnReport, Duplicate, Encoding, ImportReport, RowError};
use herald_store::interactions::Interaction;
use herald_store::projects::Project;
use serde_json::json;

use super::contacts::*;
use super::import::*;

fn ada() -> Contact {
    let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 30, 0).unwrap();
    let mut custom = CustomFields::new();
    custom
        .insert("plan", CustomValue::Text("pro".into()))
        .unwrap();
    Contact {
        id: ContactId::parse("0190b6d2-4c1e-7a5b-9f3e-2d8c6a1b0e47").unwrap(),
        first_name: Some("Ada".into()),
        last_name: None,
        email: Some(EmailAddress::parse("ada@example.com").unwrap()),
        phone: Some(PhoneNumber::parse("+442079460958", None).unwrap()),
        company: None,
        city: Some("London".into()),
        region: Some("England".into()),
        country: Some(CountryCode::parse("GB").unwrap()),
        created_at: at,
        updated_at: at,
        last_interaction_at: None,
        revenue: Money::from_minor(150_000, Currency::parse("JPY").unwrap()),
        custom,
        email_status: herald_core::EmailStatus::Bounced,
        sms_status: herald_core::SmsStatus::OptedOut,
        email_consent: Some(contacts::Consent {
            at,
            source: "signup form".into(),
            method: "double_opt_in".into(),
        }),
        sms_consent: None,
        tags: vec!["VIP".into()],
    }
}

#[test]
fn a_contact_row_has_camel_case_fields_rfc3339_instants_and_minor_units() {
    let row = ContactRow::from(&ada());
    assert_eq!(
        serde_json::to_value(&row).unwrap(),
        json!({
            "id": "0190b6d2-4c1e-7a5b-9f3e-2d8c6a1b0e47",
            "firstName": "Ada", "lastName": null, "displayName": "Ada",
            "email": "ada@example.com", "phone": "+442079460958",
            "company": null, "city": "London", "country": "GB",
            "emailStatus": "bounced", "smsStatus": "opted_out", "tags": ["VIP"],
            "revenueMinor": 150000, "revenueCurrency": "JPY",
            "createdAt": "2026-01-05T09:30:00.000Z", "lastInteractionAt": null,
        })
    );
}

#[test]
fn a_contact_detail_carries_the_timeline_and_ledger() {
    let contact = ada();
    let at = contact.created_at;
    let events = [ConsentEvent {
        id: ConsentEventId::new(),
        channel: "sms".into(),
        action: "withdrawn".into(),
        status: "opted_out".into(),
        source: "herald app".into(),
        method: "manual".into(),
        text_version: None,
        ip: None,
        user_agent: None,
        at,
    }];
    let timeline = [Interaction {
        id: InteractionId::new(),
        contact_id: contact.id,
        kind: InteractionKind::parse("meeting").unwrap(),
        occurred_at: at,
        summary: "Demo".into(),
    }];
    let deals = [Project {
        id: ProjectId::new(),
        contact_id: contact.id,
        name: "Engine".into(),
        status: "won".into(),
        value: Money::from_minor(500_000, Currency::parse("EUR").unwrap()),
    }];
    let detail =
        serde_json::to_value(ContactDetail::new(&contact, &events, &timeline, &deals)).unwrap();
    assert_eq!(detail["region"], "England");
    assert_eq!(detail["custom"], json!({"plan": "pro"}));
    assert_eq!(
        detail["emailConsent"],
        json!({"at": "2026-01-05T09:30:00.000Z", "source": "signup form", "method": "double_opt_in"})
    );
    assert_eq!(detail["smsConsent"], json!(null));
    assert_eq!(detail["consentEvents"][0]["channel"], "sms");
    assert_eq!(detail["consentEvents"][0]["action"], "withdrawn");
    assert_eq!(detail["interactions"][0]["kind"], "meeting");
    assert_eq!(
        detail["projects"][0],
        json!({"id": deals[0].id.to_string(), "name": "Engine", "status": "won",
               "valueMinor": 500000, "currency": "EUR"})
    );
}

#[test]
fn the_list_query_reads_the_uis_json_and_maps_to_the_store_query() {
    let q: ContactListQuery = serde_json::from_value(json!({
        "search": "acme", "tag": null, "emailStatus": "subscribed", "smsStatus": "opted_out",
        "sort": "lastInteractionAt", "direction": "desc", "after": null, "limit": 100,
    }))
    .unwrap();
    let store: contacts::PageQuery = q.into();
    assert_eq!(store.sort, contacts::SortField::LastInteractionAt);
    assert_eq!(store.direction, contacts::Direction::Desc);
    assert_eq!(
        store.email_status,
        Some(herald_core::EmailStatus::Subscribed)
    );
    assert_eq!(store.sms_status, Some(herald_core::SmsStatus::OptedOut));
    assert_eq!((store.search.as_deref(), store.limit), (Some("acme"), 100));
}

#[test]
fn statuses_round_trip_between_the_ui_and_the_core() {
    for s in [
        EmailStatus::Subscribed,
        EmailStatus::Unsubscribed,
        EmailStatus::Bounced,
        EmailStatus::Complained,
    ] {
        let core: herald_core::EmailStatus = s.into();
        assert_eq!(EmailStatus::from(core), s);
        assert_eq!(serde_json::to_value(s).unwrap(), json!(core.as_str()));
    }
    for s in [
        SmsStatus::Subscribed,
        SmsStatus::OptedOut,
        SmsStatus::Invalid,
    ] {
        let core: herald_core::SmsStatus = s.into();
        assert_eq!(SmsStatus::from(core), s);
        assert_eq!(serde_json::to_value(s).unwrap(), json!(core.as_str()));
    }
}

#[test]
fn an_import_report_becomes_the_summary() {
    let report = ImportReport {
        imported: 2,
        updated: 1,
        unchanged: 0,
        skipped: 1,
        duplicates: vec![Duplicate {
            line: 5,
            first_line: 2,
        }],
        errors: vec![RowError {
            line: 3,
            column: "Email".into(),
            reason: "bad".into(),
        }],
        columns: vec![ColumnReport {
            header: "Email".into(),
            field: "email".into(),
        }],
        encoding: Encoding::Windows1252,
        delimiter: ';',
        dry_run: true,
    };
    assert_eq!(
        serde_json::to_value(ImportSummary::from(report)).unwrap(),
        json!({"imported": 2, "updated": 1, "unchanged": 0, "skipped": 1,
               "duplicates": [{"line": 5, "firstLine": 2}],
               "errors": [{"line": 3, "column": "Email", "reason": "bad"}],
               "dryRun": true})
    );
}
