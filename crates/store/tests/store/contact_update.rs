//! Editing a contact: validation and conflicts like creating one, one
//! transaction, nothing written on error, no write when nothing changed.

use herald_core::{ContactId, CountryCode};
use herald_store::contacts::{self, ContactPatch, NewContact};
use herald_store::StoreError;

use crate::helpers::*;

fn grace() -> NewContact {
    NewContact {
        first_name: Some("Grace".into()),
        last_name: Some("Hopper".into()),
        company: Some("Navy".into()),
        ..new_contact(Some("grace@example.com"), Some("+12015550123"))
    }
}

#[tokio::test]
async fn an_update_changes_trims_and_clears_fields_and_bumps_the_generation() {
    let (_dir, store) = fresh_store().await;
    let before = create(&store, grace()).await;
    let generation_before = generation(&store).await;
    let patch = ContactPatch {
        first_name: Some(Some("  Amazing Grace ".into())),
        company: Some(None),
        city: Some(Some("Arlington".into())),
        country: Some(Some(CountryCode::parse("US").unwrap())),
        phone: Some(None),
        ..ContactPatch::default()
    };
    let after = contacts::update(&store, before.id, &patch).await.unwrap();
    assert_eq!(after.first_name.as_deref(), Some("Amazing Grace"));
    assert_eq!(after.last_name.as_deref(), Some("Hopper"), "untouched");
    assert_eq!(after.company, None);
    assert_eq!(after.city.as_deref(), Some("Arlington"));
    assert_eq!(after.country.unwrap().as_str(), "US");
    assert_eq!(after.phone, None);
    assert_eq!(after.email, before.email);
    assert!(after.updated_at >= before.updated_at);
    assert_eq!(generation(&store).await, generation_before + 1);
    assert_eq!(contacts::get(&store, before.id).await.unwrap(), after);
}

#[tokio::test]
async fn saving_what_is_stored_writes_nothing() {
    let (_dir, store) = fresh_store().await;
    let before = create(&store, grace()).await;
    let generation_before = generation(&store).await;
    let same = ContactPatch {
        first_name: Some(Some(" Grace ".into())),
        email: Some(Some(email("GRACE@example.com"))),
        city: Some(Some("  ".into())),
        ..ContactPatch::default()
    };
    let after = contacts::update(&store, before.id, &same).await.unwrap();
    assert_eq!(after, before, "updated_at included");
    assert_eq!(generation(&store).await, generation_before);
}

#[tokio::test]
async fn taking_another_contacts_email_or_phone_is_a_conflict_that_saves_nothing() {
    let (_dir, store) = fresh_store().await;
    create(
        &store,
        new_contact(Some("ada@example.com"), Some("+442079460958")),
    )
    .await;
    let grace = create(&store, grace()).await;
    let generation_before = generation(&store).await;

    let steal_email = ContactPatch {
        last_name: Some(Some("Changed".into())),
        email: Some(Some(email("ada@example.com"))),
        ..ContactPatch::default()
    };
    let err = contacts::update(&store, grace.id, &steal_email)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict(m) if m.starts_with("email:")),
        "{err:?}"
    );

    let steal_phone = ContactPatch {
        phone: Some(Some(phone("+44 20 7946 0958"))),
        ..ContactPatch::default()
    };
    let err = contacts::update(&store, grace.id, &steal_phone)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict(m) if m.starts_with("phone:")),
        "{err:?}"
    );

    assert_eq!(contacts::get(&store, grace.id).await.unwrap(), grace);
    assert_eq!(generation(&store).await, generation_before);
}

#[tokio::test]
async fn keeping_ones_own_email_while_changing_the_phone_is_no_conflict() {
    let (_dir, store) = fresh_store().await;
    let grace = create(&store, grace()).await;
    let patch = ContactPatch {
        email: Some(Some(email("grace@example.com"))),
        phone: Some(Some(phone("+12015550124"))),
        ..ContactPatch::default()
    };
    let after = contacts::update(&store, grace.id, &patch).await.unwrap();
    assert_eq!(after.phone.unwrap().as_str(), "+12015550124");
}

#[tokio::test]
async fn removing_both_email_and_phone_is_refused_and_saves_nothing() {
    let (_dir, store) = fresh_store().await;
    let grace = create(&store, grace()).await;
    let patch = ContactPatch {
        first_name: Some(Some("Nobody".into())),
        email: Some(None),
        phone: Some(None),
        ..ContactPatch::default()
    };
    let err = contacts::update(&store, grace.id, &patch)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Validation { field, .. } if field == "email"),
        "{err:?}"
    );
    assert_eq!(contacts::get(&store, grace.id).await.unwrap(), grace);
}

#[tokio::test]
async fn updating_a_contact_that_does_not_exist_is_not_found() {
    let (_dir, store) = fresh_store().await;
    let err = contacts::update(&store, ContactId::new(), &ContactPatch::default())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
}
