//! The consent ledger: one row per status change or grant, none for no-ops.

use chrono::{DateTime, TimeZone, Utc};
use herald_core::{ContactId, EmailStatus, SmsStatus};
use herald_store::consent_events::ConsentInput;
use herald_store::contacts::{self, Consent};
use herald_store::StoreError;

use crate::helpers::*;

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, day, 12, 0, 0).unwrap()
}

fn how(source: &str, method: &str, day: u32) -> ConsentInput {
    ConsentInput {
        at: Some(at(day)),
        ..ConsentInput::new(source, method)
    }
}

#[tokio::test]
async fn creating_a_contact_with_email_consent_writes_one_granted_row() {
    let (_dir, store) = fresh_store().await;
    let mut new = new_contact(Some("ada@example.com"), Some("+12015550123"));
    new.email_consent = Some(ConsentInput {
        text_version: Some("v3".into()),
        ip: Some("203.0.113.9".into()),
        user_agent: Some("Mozilla/5.0".into()),
        ..how("signup form", "double_opt_in", 1)
    });
    let c = create(&store, new).await;
    assert_eq!(
        c.email_consent,
        Some(Consent {
            at: at(1),
            source: "signup form".into(),
            method: "double_opt_in".into(),
        })
    );
    assert_eq!(c.sms_consent, None);
    let events = ledger(&store, c.id).await;
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(
        (
            e.channel.as_str(),
            e.action.as_str(),
            e.status.as_str(),
            e.source.as_str(),
            e.method.as_str()
        ),
        (
            "email",
            "granted",
            "subscribed",
            "signup form",
            "double_opt_in"
        )
    );
    assert_eq!(e.text_version.as_deref(), Some("v3"));
    assert_eq!(e.ip.as_deref(), Some("203.0.113.9"));
    assert_eq!(e.user_agent.as_deref(), Some("Mozilla/5.0"));
    assert_eq!(e.at, at(1));
}

#[tokio::test]
async fn creating_a_contact_with_sms_consent_writes_one_granted_sms_row() {
    let (_dir, store) = fresh_store().await;
    let mut new = new_contact(None, Some("+12015550123"));
    new.sms_consent = Some(how("keyword JOIN", "sms_keyword", 2));
    let c = create(&store, new).await;
    assert_eq!(
        ledger_summary(&store, c.id).await,
        vec![ledger_row(
            "sms",
            "granted",
            "subscribed",
            "keyword JOIN",
            "sms_keyword"
        )]
    );
    assert_eq!(c.sms_consent.unwrap().at, at(2));
}

#[tokio::test]
async fn creating_a_contact_without_consent_writes_no_ledger_row() {
    let (_dir, store) = fresh_store().await;
    let c = create(&store, new_contact(Some("ada@example.com"), None)).await;
    assert_eq!(ledger(&store, c.id).await, vec![]);
    assert_eq!(total_ledger_rows(&store).await, 0);
}

#[tokio::test]
async fn each_email_status_change_writes_exactly_one_ledger_row() {
    let (_dir, store) = fresh_store().await;
    let c = create(&store, new_contact(Some("ada@example.com"), None)).await;

    contacts::set_email_status(
        &store,
        c.id,
        EmailStatus::Unsubscribed,
        &how("cli", "manual", 2),
    )
    .await
    .unwrap();
    let events = ledger(&store, c.id).await;
    assert_eq!(events.len(), 1);
    assert_eq!(
        (
            events[0].channel.as_str(),
            events[0].action.as_str(),
            events[0].status.as_str(),
            events[0].source.as_str(),
            events[0].method.as_str(),
            events[0].at
        ),
        ("email", "withdrawn", "unsubscribed", "cli", "manual", at(2))
    );
    let after = contacts::get(&store, c.id).await.unwrap();
    assert_eq!(after.email_status, EmailStatus::Unsubscribed);
    assert_eq!(after.email_consent, None, "a withdrawal records no grant");

    // The same status again is not a change.
    contacts::set_email_status(
        &store,
        c.id,
        EmailStatus::Unsubscribed,
        &how("cli", "manual", 3),
    )
    .await
    .unwrap();
    assert_eq!(ledger(&store, c.id).await.len(), 1);

    contacts::set_email_status(
        &store,
        c.id,
        EmailStatus::Subscribed,
        &how("preference centre", "one_click", 4),
    )
    .await
    .unwrap();
    contacts::set_email_status(
        &store,
        c.id,
        EmailStatus::Bounced,
        &how("smtp", "bounce", 5),
    )
    .await
    .unwrap();
    contacts::set_email_status(
        &store,
        c.id,
        EmailStatus::Complained,
        &how("fbl", "report", 6),
    )
    .await
    .unwrap();
    let events: Vec<_> = ledger(&store, c.id)
        .await
        .into_iter()
        .map(|e| (e.action, e.status, e.source, e.method, e.at))
        .collect();
    let expected = [
        ("withdrawn", "unsubscribed", "cli", "manual", at(2)),
        (
            "granted",
            "subscribed",
            "preference centre",
            "one_click",
            at(4),
        ),
        ("withdrawn", "bounced", "smtp", "bounce", at(5)),
        ("withdrawn", "complained", "fbl", "report", at(6)),
    ]
    .map(|(a, s, src, m, t)| (a.to_owned(), s.to_owned(), src.to_owned(), m.to_owned(), t));
    assert_eq!(events, expected);

    let after = contacts::get(&store, c.id).await.unwrap();
    assert_eq!(after.email_status, EmailStatus::Complained);
    // The consent fields describe the last grant; withdrawals keep them.
    assert_eq!(
        after.email_consent,
        Some(Consent {
            at: at(4),
            source: "preference centre".into(),
            method: "one_click".into(),
        })
    );
}

#[tokio::test]
async fn each_sms_status_change_writes_exactly_one_ledger_row() {
    let (_dir, store) = fresh_store().await;
    let c = create(&store, new_contact(None, Some("+12015550123"))).await;
    contacts::set_sms_status(
        &store,
        c.id,
        SmsStatus::OptedOut,
        &how("reply STOP", "sms", 2),
    )
    .await
    .unwrap();
    contacts::set_sms_status(
        &store,
        c.id,
        SmsStatus::OptedOut,
        &how("reply STOP", "sms", 3),
    )
    .await
    .unwrap();
    contacts::set_sms_status(
        &store,
        c.id,
        SmsStatus::Subscribed,
        &how("reply START", "sms", 4),
    )
    .await
    .unwrap();
    contacts::set_sms_status(
        &store,
        c.id,
        SmsStatus::Invalid,
        &how("gateway", "carrier", 5),
    )
    .await
    .unwrap();
    let events: Vec<_> = ledger(&store, c.id)
        .await
        .into_iter()
        .map(|e| (e.channel, e.action, e.status, e.source, e.at))
        .collect();
    let expected = [
        ("withdrawn", "opted_out", "reply STOP", at(2)),
        ("granted", "subscribed", "reply START", at(4)),
        ("withdrawn", "invalid", "gateway", at(5)),
    ]
    .map(|(a, s, src, t)| {
        (
            "sms".to_owned(),
            a.to_owned(),
            s.to_owned(),
            src.to_owned(),
            t,
        )
    });
    assert_eq!(events, expected);
    let after = contacts::get(&store, c.id).await.unwrap();
    assert_eq!(after.sms_status, SmsStatus::Invalid);
    assert_eq!(after.email_status, EmailStatus::Subscribed);
    assert_eq!(
        after.sms_consent,
        Some(Consent {
            at: at(4),
            source: "reply START".into(),
            method: "sms".into(),
        })
    );
}

#[tokio::test]
async fn changing_the_status_of_an_unknown_contact_is_not_found_and_writes_nothing() {
    let (_dir, store) = fresh_store().await;
    let id = ContactId::new();
    match contacts::set_email_status(
        &store,
        id,
        EmailStatus::Unsubscribed,
        &how("cli", "manual", 1),
    )
    .await
    {
        Err(StoreError::NotFound(what)) => assert_eq!(what, format!("contact {id}")),
        other => panic!("expected NotFound, got {other:?}"),
    }
    assert_eq!(total_ledger_rows(&store).await, 0);
}
