//! Saved segments on a real workspace: saving, refusing bad filters, cycles
//! and deletes that would break another segment, and the count cache.

use herald_store::segments::{self, SegmentInput};
use herald_store::{contacts, tags, Store, StoreError};
use serde_json::{json, Value};

use crate::helpers::{fresh_store, new_contact};

fn input(name: &str, filter: Value) -> SegmentInput {
    SegmentInput {
        name: name.to_owned(),
        description: Some("  ".to_owned()),
        filter,
    }
}

fn vip() -> Value {
    json!({"all": [{"field": "tag", "op": "has_any", "value": ["vip"]}]})
}

async fn add_vip(store: &Store, email: &str) {
    let c = contacts::create(store, new_contact(Some(email), None))
        .await
        .unwrap();
    tags::edit_contact_tags(store, c.id, &["VIP".to_owned()], &[])
        .await
        .unwrap();
}

#[tokio::test]
async fn a_saved_segment_round_trips_and_names_are_unique_ignoring_case() {
    let (_dir, store) = fresh_store().await;
    let saved = segments::create(&store, &input(" VIPs ", vip()))
        .await
        .unwrap();
    assert_eq!(saved.name, "VIPs");
    assert_eq!(saved.description, None);
    assert_eq!(saved.filter, vip());
    assert_eq!(segments::get(&store, saved.id).await.unwrap(), saved);
    assert_eq!(segments::resolve(&store, "vips").await.unwrap(), saved.id);
    let again = segments::create(&store, &input("vips", vip()))
        .await
        .unwrap_err();
    assert!(
        matches!(again, StoreError::Conflict(ref m) if m.contains("already exists")),
        "{again:?}"
    );
    let unnamed = segments::create(&store, &input(" ", vip()))
        .await
        .unwrap_err();
    assert!(matches!(unnamed, StoreError::Validation { ref field, .. } if field == "name"));
    let copy = segments::duplicate(&store, saved.id).await.unwrap();
    let copy2 = segments::duplicate(&store, saved.id).await.unwrap();
    assert_eq!(
        (copy.name.as_str(), copy2.name.as_str()),
        ("VIPs (copy)", "VIPs (copy 2)")
    );
}

#[tokio::test]
async fn an_invalid_filter_is_refused_with_every_problem_and_nothing_is_saved() {
    let (_dir, store) = fresh_store().await;
    let bad = json!({"all": [{"field": "tag", "op": "eq", "value": "x"}, {"any": [{"field": "revenue", "op": "gt"}]}]});
    let err = segments::create(&store, &input("Broken", bad))
        .await
        .unwrap_err();
    let StoreError::InvalidFilter(issues) = err else {
        panic!("{err:?}")
    };
    let paths: Vec<&str> = issues.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(paths, ["all[0]", "all[1].any[0]"]);
    assert!(segments::list(&store).await.unwrap().is_empty());
}

#[tokio::test]
async fn segments_in_use_cannot_be_deleted_and_cycles_are_refused() {
    let (_dir, store) = fresh_store().await;
    let a = segments::create(&store, &input("A", vip())).await.unwrap();
    let b = segments::create(
        &store,
        &input(
            "B",
            json!({"all": [{"field": "segment", "op": "in", "value": a.id.to_string()}]}),
        ),
    )
    .await
    .unwrap();
    assert_eq!(segments::used_by(&store, a.id).await.unwrap(), ["B"]);
    let refused = segments::delete(&store, a.id).await.unwrap_err();
    assert!(
        matches!(refused, StoreError::Conflict(ref m) if m.contains("\"B\" uses it")),
        "{refused:?}"
    );

    let cyclic = json!({"any": [{"field": "segment", "op": "not_in", "value": b.id.to_string()}]});
    let err = segments::update(&store, a.id, &input("A", cyclic))
        .await
        .unwrap_err();
    let StoreError::InvalidFilter(issues) = err else {
        panic!("{err:?}")
    };
    assert!(
        issues[0].message.contains("\"A\" → \"B\" → \"A\""),
        "{}",
        issues[0].message
    );
    assert_eq!(segments::get(&store, a.id).await.unwrap().filter, vip());

    segments::delete(&store, b.id).await.unwrap();
    segments::delete(&store, a.id).await.unwrap();
    assert!(segments::list(&store).await.unwrap().is_empty());
}

#[tokio::test]
async fn counts_are_cached_until_contacts_or_segments_change() {
    let (_dir, store) = fresh_store().await;
    add_vip(&store, "a@example.com").await;
    let a = segments::create(&store, &input("A", vip())).await.unwrap();
    let b = segments::create(
        &store,
        &input(
            "B",
            json!({"all": [{"field": "segment", "op": "in", "value": a.id.to_string()}]}),
        ),
    )
    .await
    .unwrap();
    assert!(!a.count_fresh);
    assert_eq!(segments::count(&store, a.id).await.unwrap().0, 1);
    assert_eq!(segments::count(&store, b.id).await.unwrap().0, 1);
    let cached = segments::get(&store, a.id).await.unwrap();
    assert_eq!((cached.cached_count, cached.count_fresh), (Some(1), true));

    // A contact write moves the generation: the cache is stale.
    add_vip(&store, "b@example.com").await;
    let stale = segments::get(&store, a.id).await.unwrap();
    assert_eq!((stale.cached_count, stale.count_fresh), (Some(1), false));
    assert_eq!(segments::count(&store, a.id).await.unwrap().0, 2);
    assert_eq!(segments::count(&store, b.id).await.unwrap().0, 2);

    // Editing A changes what B means: B's cache goes too.
    let nobody = json!({"all": [{"field": "tag", "op": "has_any", "value": ["nobody"]}]});
    segments::update(&store, a.id, &input("A", nobody))
        .await
        .unwrap();
    assert!(!segments::get(&store, b.id).await.unwrap().count_fresh);
    assert_eq!(segments::count(&store, b.id).await.unwrap().0, 0);

    // A relative-date filter's cache holds for a minute only; this one was
    // just counted, so it is fresh.
    let recent = segments::create(
        &store,
        &input("Recent", json!({"all": [{"field": "created_at", "op": "within_last", "value": {"amount": 1, "unit": "days"}}]})),
    )
    .await
    .unwrap();
    assert_eq!(segments::count(&store, recent.id).await.unwrap().0, 2);
    assert!(segments::get(&store, recent.id).await.unwrap().count_fresh);
}

#[tokio::test]
async fn the_custom_field_catalogue_reports_each_keys_kind() {
    let (_dir, store) = fresh_store().await;
    let mut c = new_contact(Some("a@example.com"), None);
    c.custom = herald_core::CustomFields::from_json_str(
        r#"{"plan": "pro", "seats": 3, "trial_ends": "2026-01-01", "beta": true}"#,
    )
    .unwrap();
    contacts::create(&store, c).await.unwrap();
    let fields = segments::custom_fields(&store).await.unwrap();
    let kinds: Vec<(String, segments::CustomKind)> = fields;
    use segments::CustomKind::*;
    assert_eq!(
        kinds,
        [
            ("beta".to_owned(), Boolean),
            ("plan".to_owned(), Text),
            ("seats".to_owned(), Number),
            ("trial_ends".to_owned(), Date),
        ]
    );
}
