//! Creating, finding, listing and tagging contacts.

use std::collections::HashSet;

use herald_core::{ContactId, CountryCode, Currency, EmailStatus, Money, SmsStatus};
use herald_store::contacts::{self, ListQuery, NewContact};
use herald_store::{settings, tags, StoreError};

use crate::helpers::*;

fn ada() -> NewContact {
    NewContact {
        first_name: Some("  Ada ".into()),
        last_name: Some("Lovelace".into()),
        email: Some(email("ada@example.com")),
        phone: Some(phone("+1 (201) 555-0123")),
        company: Some("Analytical Engines".into()),
        city: Some("   ".into()),
        region: None,
        country: Some(CountryCode::parse("GB").unwrap()),
        revenue: Some(Money::from_minor(150_000, Currency::parse("JPY").unwrap())),
        custom: custom(&[("plan", text("pro")), ("seats", int(3))]),
        tags: strings(&["VIP", "Mathematicians"]),
        email_consent: None,
        sms_consent: None,
    }
}

#[tokio::test]
async fn a_created_contact_reads_back_with_trimmed_text_and_its_tags() {
    let (_dir, store) = fresh_store().await;
    let created = create(&store, ada()).await;
    let read = contacts::get(&store, created.id).await.unwrap();
    assert_eq!(read, created);
    assert_eq!(read.first_name.as_deref(), Some("Ada"));
    assert_eq!(read.last_name.as_deref(), Some("Lovelace"));
    assert_eq!(read.email.as_ref().unwrap().as_str(), "ada@example.com");
    assert_eq!(read.phone.as_ref().unwrap().as_str(), "+12015550123");
    assert_eq!(read.company.as_deref(), Some("Analytical Engines"));
    assert_eq!(read.city, None, "blank text is stored as absent");
    assert_eq!(read.country.unwrap().as_str(), "GB");
    assert_eq!(read.revenue.minor(), 150_000);
    assert_eq!(read.revenue.currency().code(), "JPY");
    assert_eq!(
        read.custom,
        custom(&[("plan", text("pro")), ("seats", int(3))])
    );
    assert_eq!(read.tags, strings(&["Mathematicians", "VIP"]));
    assert_eq!(read.email_status, EmailStatus::Subscribed);
    assert_eq!(read.sms_status, SmsStatus::Subscribed);
    assert_eq!(read.email_consent, None);
    assert_eq!(read.last_interaction_at, None);
    assert_eq!(read.created_at, read.updated_at);
    assert_eq!(read.display_name(), "Ada Lovelace");
}

#[tokio::test]
async fn a_contact_without_revenue_gets_the_workspace_default_currency() {
    let (_dir, store) = fresh_store().await;
    settings::set_default_currency(&store, Currency::parse("EUR").unwrap())
        .await
        .unwrap();
    let c = create(&store, new_contact(Some("eve@example.com"), None)).await;
    assert_eq!(c.revenue, Money::zero(Currency::parse("EUR").unwrap()));
}

#[tokio::test]
async fn getting_an_unknown_id_is_not_found() {
    let (_dir, store) = fresh_store().await;
    let id = ContactId::new();
    match contacts::get(&store, id).await {
        Err(StoreError::NotFound(what)) => assert_eq!(what, format!("contact {id}")),
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn find_by_email_ignores_case_through_normalisation() {
    let (_dir, store) = fresh_store().await;
    let created = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let found = contacts::find_by_email(&store, &email("Ada@Example.COM"))
        .await
        .unwrap();
    assert_eq!(found, Some(created.id));
    let missing = contacts::find_by_email(&store, &email("bob@example.com"))
        .await
        .unwrap();
    assert_eq!(missing, None);
}

#[tokio::test]
async fn find_by_phone_matches_any_spelling_of_the_number() {
    let (_dir, store) = fresh_store().await;
    let created = create(&store, new_contact(None, Some("+12015550123"))).await;
    let found = contacts::find_by_phone(&store, &phone("+1 201.555.0123"))
        .await
        .unwrap();
    assert_eq!(found, Some(created.id));
    let missing = contacts::find_by_phone(&store, &phone("+1 201 555 0124"))
        .await
        .unwrap();
    assert_eq!(missing, None);
}

#[tokio::test]
async fn resolve_finds_a_contact_by_id_email_or_phone() {
    let (_dir, store) = fresh_store().await;
    let created = create(&store, ada()).await;
    let id_text = created.id.to_string();
    for reference in [
        id_text.as_str(),
        " ADA@example.com ",
        "+1 (201) 555-0123",
        "0012015550123",
    ] {
        assert_eq!(
            contacts::resolve(&store, reference).await.unwrap(),
            created.id,
            "{reference:?}"
        );
    }

    // A national number needs the workspace's default region.
    match contacts::resolve(&store, "(201) 555-0123").await {
        Err(StoreError::Validation { field, .. }) => assert_eq!(field, "contact"),
        other => panic!("expected a validation error, got {other:?}"),
    }
    settings::set_default_region(&store, Some(CountryCode::parse("US").unwrap()))
        .await
        .unwrap();
    assert_eq!(
        contacts::resolve(&store, "(201) 555-0123").await.unwrap(),
        created.id
    );
}

#[tokio::test]
async fn resolve_reports_what_it_could_not_find() {
    let (_dir, store) = fresh_store().await;
    let unknown = ContactId::new();
    match contacts::resolve(&store, &unknown.to_string()).await {
        Err(StoreError::NotFound(what)) => assert_eq!(what, format!("contact {unknown}")),
        other => panic!("expected NotFound, got {other:?}"),
    }
    match contacts::resolve(&store, "nobody@example.com").await {
        Err(StoreError::NotFound(what)) => {
            assert_eq!(what, "a contact with email nobody@example.com")
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    match contacts::resolve(&store, "+1 201 555 0199").await {
        Err(StoreError::NotFound(what)) => assert_eq!(what, "a contact with phone +12015550199"),
        other => panic!("expected NotFound, got {other:?}"),
    }
    match contacts::resolve(&store, "hello").await {
        Err(StoreError::Validation { field, message }) => {
            assert_eq!(field, "contact");
            assert_eq!(
                message,
                "\"hello\" is not a contact id, an email address or a phone number"
            );
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_second_contact_with_the_same_email_in_another_case_is_a_conflict_naming_it() {
    let (_dir, store) = fresh_store().await;
    create(&store, new_contact(Some("ada@example.com"), None)).await;
    let generation_before = generation(&store).await;
    let err = contacts::create(&store, new_contact(Some("ADA@Example.com"), None))
        .await
        .unwrap_err();
    match err {
        StoreError::Conflict(message) => assert_eq!(
            message,
            "email: another contact already has the address ada@example.com"
        ),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(count(&store).await, 1);
    assert_eq!(generation(&store).await, generation_before);
}

#[tokio::test]
async fn a_second_contact_with_the_same_phone_is_a_conflict_naming_it() {
    let (_dir, store) = fresh_store().await;
    create(
        &store,
        new_contact(Some("ada@example.com"), Some("+12015550123")),
    )
    .await;
    let err = contacts::create(
        &store,
        new_contact(Some("bob@example.com"), Some("+1 201 555 0123")),
    )
    .await
    .unwrap_err();
    match err {
        StoreError::Conflict(message) => assert_eq!(
            message,
            "phone: another contact already has the number +12015550123"
        ),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(count(&store).await, 1);
    assert_eq!(tag_counts(&store).await, vec![]);
}

#[tokio::test]
async fn a_contact_with_neither_email_nor_phone_is_a_validation_error_on_email() {
    let (_dir, store) = fresh_store().await;
    let new = NewContact {
        first_name: Some("Nobody".into()),
        ..NewContact::default()
    };
    match contacts::create(&store, new).await {
        Err(StoreError::Validation { field, message }) => {
            assert_eq!(field, "email");
            assert_eq!(
                message,
                "a contact needs an email address or a phone number"
            );
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(count(&store).await, 0);
    assert_eq!(generation(&store).await, 0);
}

#[tokio::test]
async fn list_pages_return_every_contact_exactly_once_in_creation_order() {
    let (_dir, store) = fresh_store().await;
    let mut created = Vec::new();
    for i in 0..25 {
        let c = create(
            &store,
            new_contact(Some(&format!("p{i:02}@example.com")), None),
        )
        .await;
        created.push(c.id);
    }
    let mut seen = Vec::new();
    let mut page_sizes = Vec::new();
    let mut after = None;
    loop {
        let page = contacts::list(
            &store,
            &ListQuery {
                search: None,
                after,
                limit: 7,
            },
        )
        .await
        .unwrap();
        page_sizes.push(page.len());
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        seen.extend(page.iter().map(|c| c.id));
    }
    assert_eq!(page_sizes, vec![7, 7, 7, 4, 0]);
    assert_eq!(seen, created);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 25);
}

#[tokio::test]
async fn list_search_matches_names_email_company_and_phone() {
    let (_dir, store) = fresh_store().await;
    let a = create(&store, ada()).await;
    let grace = create(
        &store,
        NewContact {
            first_name: Some("Grace".into()),
            last_name: Some("Hopper".into()),
            email: Some(email("grace@navy.example")),
            company: Some("US Navy 100%".into()),
            ..NewContact::default()
        },
    )
    .await;
    let alan = create(
        &store,
        NewContact {
            first_name: Some("Alan".into()),
            phone: Some(phone("+44 20 7946 0000")),
            ..NewContact::default()
        },
    )
    .await;

    let search = |term: &'static str| {
        let store = store.clone();
        async move {
            contacts::list(
                &store,
                &ListQuery {
                    search: Some(term.to_owned()),
                    after: None,
                    limit: 100,
                },
            )
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect::<Vec<_>>()
        }
    };
    assert_eq!(search("lovelace").await, vec![a.id]);
    assert_eq!(search("ADA LOVE").await, vec![a.id], "first and last name");
    assert_eq!(search("navy.example").await, vec![grace.id]);
    assert_eq!(search("analytical").await, vec![a.id]);
    assert_eq!(search("+4420794").await, vec![alan.id]);
    assert_eq!(search("a").await, vec![a.id, grace.id, alan.id]);
    assert_eq!(search("100%").await, vec![grace.id]);
    assert_eq!(search("%").await, vec![grace.id], "% is literal");
    assert_eq!(search("_").await, vec![], "_ is literal");
    assert_eq!(search("   ").await, vec![a.id, grace.id, alan.id]);
    assert_eq!(search("nobody").await, vec![]);
}

#[tokio::test]
async fn tag_edits_add_and_remove_tags_case_insensitively() {
    let (_dir, store) = fresh_store().await;
    let c = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let other = create(&store, new_contact(Some("bob@example.com"), None)).await;

    let tags_now = tags::edit_contact_tags(&store, c.id, &strings(&["VIP", "newsletter"]), &[])
        .await
        .unwrap();
    assert_eq!(tags_now, strings(&["newsletter", "VIP"]));

    // "vip" is the tag "VIP": the first spelling is kept, no second tag appears.
    let tags_now = tags::edit_contact_tags(&store, other.id, &strings(&[" vip "]), &[])
        .await
        .unwrap();
    assert_eq!(tags_now, strings(&["VIP"]));
    let tags_now = tags::edit_contact_tags(&store, c.id, &strings(&["vip"]), &[])
        .await
        .unwrap();
    assert_eq!(tags_now, strings(&["newsletter", "VIP"]));
    assert_eq!(
        tag_counts(&store).await,
        vec![("newsletter".to_owned(), 1), ("VIP".to_owned(), 2)]
    );

    let tags_now = tags::edit_contact_tags(&store, c.id, &[], &strings(&["Vip", "unknown"]))
        .await
        .unwrap();
    assert_eq!(tags_now, strings(&["newsletter"]));
    assert_eq!(
        tag_counts(&store).await,
        vec![("newsletter".to_owned(), 1), ("VIP".to_owned(), 1)]
    );
}

#[tokio::test]
async fn a_tag_name_with_a_separator_is_refused_and_nothing_changes() {
    let (_dir, store) = fresh_store().await;
    let c = create(&store, new_contact(Some("ada@example.com"), None)).await;
    let before = generation(&store).await;
    match tags::edit_contact_tags(&store, c.id, &strings(&["ok", "a,b"]), &[]).await {
        Err(StoreError::Validation { field, .. }) => assert_eq!(field, "tag"),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(tag_counts(&store).await, vec![]);
    assert_eq!(generation(&store).await, before);
    match tags::edit_contact_tags(&store, ContactId::new(), &strings(&["ok"]), &[]).await {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
}
