//! The data generation counter moves on every write that can change a
//! segment's members, once per write, and never on a no-op.

use chrono::{TimeZone, Utc};
use herald_core::{ContactId, Currency, EmailStatus, InteractionKind, Money, SmsStatus};
use herald_store::consent_events::ConsentInput;
use herald_store::import::ImportOptions;
use herald_store::{contacts, interactions, projects, tags, StoreError};

use crate::helpers::*;

#[tokio::test]
async fn creating_a_contact_bumps_the_generation_once() {
    let (_dir, store) = fresh_store().await;
    assert_eq!(generation(&store).await, 0);
    let mut new = new_contact(Some("ada@example.com"), Some("+12015550123"));
    new.tags = strings(&["a", "b"]);
    new.email_consent = Some(ConsentInput::new("form", "manual"));
    create(&store, new).await;
    assert_eq!(generation(&store).await, 1);
    create(&store, new_contact(Some("bob@example.com"), None)).await;
    assert_eq!(generation(&store).await, 2);
}

#[tokio::test]
async fn tag_edits_bump_the_generation_only_when_they_change_something() {
    let (_dir, store) = fresh_store().await;
    let c = create(&store, new_contact(Some("ada@example.com"), None)).await;
    assert_eq!(generation(&store).await, 1);
    tags::edit_contact_tags(&store, c.id, &strings(&["VIP"]), &[])
        .await
        .unwrap();
    assert_eq!(generation(&store).await, 2);
    // Adding a tag it has (in any case) and removing one it lacks: no change.
    tags::edit_contact_tags(&store, c.id, &strings(&["vip"]), &strings(&["other"]))
        .await
        .unwrap();
    assert_eq!(generation(&store).await, 2);
    tags::edit_contact_tags(&store, c.id, &[], &[])
        .await
        .unwrap();
    assert_eq!(generation(&store).await, 2);
    tags::edit_contact_tags(&store, c.id, &[], &strings(&["VIP"]))
        .await
        .unwrap();
    assert_eq!(generation(&store).await, 3);
}

#[tokio::test]
async fn interactions_bump_the_generation_and_keep_last_interaction_at_at_the_latest() {
    let (_dir, store) = fresh_store().await;
    let c = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let t1 = Utc.with_ymd_and_hms(2024, 1, 1, 9, 0, 0).unwrap();
    let t2 = Utc.with_ymd_and_hms(2024, 2, 1, 9, 0, 0).unwrap();
    let t3 = Utc.with_ymd_and_hms(2024, 3, 1, 9, 0, 0).unwrap();
    assert_eq!(generation(&store).await, 1);

    interactions::add(&store, c.id, InteractionKind::Call, t2, "Intro call")
        .await
        .unwrap();
    assert_eq!(generation(&store).await, 2);
    let read = contacts::get(&store, c.id).await.unwrap();
    assert_eq!(read.last_interaction_at, Some(t2));

    // An older interaction does not move it back.
    interactions::add(&store, c.id, InteractionKind::Note, t1, "Met at a fair")
        .await
        .unwrap();
    assert_eq!(generation(&store).await, 3);
    let read = contacts::get(&store, c.id).await.unwrap();
    assert_eq!(read.last_interaction_at, Some(t2));

    interactions::add(&store, c.id, InteractionKind::Meeting, t3, "Demo")
        .await
        .unwrap();
    assert_eq!(generation(&store).await, 4);
    let read = contacts::get(&store, c.id).await.unwrap();
    assert_eq!(read.last_interaction_at, Some(t3));

    let timeline: Vec<_> = interactions::for_contact(&store, c.id)
        .await
        .unwrap()
        .into_iter()
        .map(|i| (i.kind, i.occurred_at, i.summary))
        .collect();
    assert_eq!(
        timeline,
        vec![
            (InteractionKind::Meeting, t3, "Demo".to_owned()),
            (InteractionKind::Call, t2, "Intro call".to_owned()),
            (InteractionKind::Note, t1, "Met at a fair".to_owned()),
        ]
    );
}

#[tokio::test]
async fn a_refused_interaction_does_not_bump_the_generation() {
    let (_dir, store) = fresh_store().await;
    let c = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let now = Utc::now();
    match interactions::add(&store, c.id, InteractionKind::Note, now, "   ").await {
        Err(StoreError::Validation { field, .. }) => assert_eq!(field, "summary"),
        other => panic!("expected a validation error, got {other:?}"),
    }
    match interactions::add(&store, ContactId::new(), InteractionKind::Note, now, "Hi").await {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
    assert_eq!(generation(&store).await, 1);
    let read = contacts::get(&store, c.id).await.unwrap();
    assert_eq!(read.last_interaction_at, None);
}

#[tokio::test]
async fn adding_a_project_bumps_the_generation() {
    let (_dir, store) = fresh_store().await;
    let c = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let value = Money::from_minor(500_000, Currency::parse("USD").unwrap());
    projects::add(&store, c.id, "Website", "Active", value)
        .await
        .unwrap();
    assert_eq!(generation(&store).await, 2);
    match projects::add(&store, c.id, "Other", "someday", value).await {
        Err(StoreError::Validation { field, .. }) => assert_eq!(field, "status"),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(generation(&store).await, 2);
    let stored = projects::for_contact(&store, c.id).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].status, "active");
}

#[tokio::test]
async fn status_changes_bump_the_generation_and_repeats_do_not() {
    let (_dir, store) = fresh_store().await;
    let c = create(
        &store,
        new_contact(Some("ada@example.com"), Some("+12015550123")),
    )
    .await;
    let how = ConsentInput::new("cli", "manual");
    contacts::set_email_status(&store, c.id, EmailStatus::Unsubscribed, &how)
        .await
        .unwrap();
    assert_eq!(generation(&store).await, 2);
    contacts::set_email_status(&store, c.id, EmailStatus::Unsubscribed, &how)
        .await
        .unwrap();
    assert_eq!(generation(&store).await, 2);
    contacts::set_sms_status(&store, c.id, SmsStatus::OptedOut, &how)
        .await
        .unwrap();
    assert_eq!(generation(&store).await, 3);
    contacts::set_sms_status(&store, c.id, SmsStatus::OptedOut, &how)
        .await
        .unwrap();
    assert_eq!(generation(&store).await, 3);
}

const CSV: &[u8] = b"email,city,tags\nada@example.com,London,vip\nbob@example.com,Paris,\n";

#[tokio::test]
async fn an_import_that_changes_something_bumps_the_generation_once() {
    let (_dir, store) = fresh_store().await;
    let report = import(&store, CSV, &defaults()).await;
    assert_eq!(counts(&report), (2, 0, 0, 0, 0));
    assert_eq!(generation(&store).await, 1);

    let report = import(&store, b"email,city\nada@example.com,Leeds\n", &defaults()).await;
    assert_eq!(counts(&report), (0, 1, 0, 0, 0));
    assert_eq!(generation(&store).await, 2);
}

#[tokio::test]
async fn a_dry_run_import_does_not_bump_the_generation() {
    let (_dir, store) = fresh_store().await;
    let options = ImportOptions {
        dry_run: true,
        ..defaults()
    };
    let report = import(&store, CSV, &options).await;
    assert_eq!(counts(&report), (2, 0, 0, 0, 0));
    assert_eq!(generation(&store).await, 0);
    assert_eq!(count(&store).await, 0);
}

#[tokio::test]
async fn an_import_that_changes_nothing_does_not_bump_the_generation() {
    let (_dir, store) = fresh_store().await;
    import(&store, CSV, &defaults()).await;
    assert_eq!(generation(&store).await, 1);

    let report = import(&store, CSV, &defaults()).await;
    assert_eq!(counts(&report), (0, 0, 2, 0, 0));
    assert_eq!(generation(&store).await, 1);

    // Only bad rows: nothing to write either.
    let report = import(&store, b"email\nnot-an-email\n", &defaults()).await;
    assert_eq!(counts(&report), (0, 0, 0, 1, 0));
    assert_eq!(generation(&store).await, 1);
}
