//! Notifications on a real workspace file: each event stored once, the
//! person's choices honoured, read marks, and what the rules read.

use herald_store::notifications::signals;
use herald_store::notifications::{
    self, Delivery, Kind, NewNotification, NotificationSettings, Preference,
};
use herald_store::{Store, StoreError};
use uuid::Uuid;

use crate::helpers::{create, fresh_store, new_contact};

fn completed(key: &str) -> NewNotification {
    NewNotification {
        kind: Kind::CampaignCompleted,
        campaign_id: None,
        title: "Campaign sent: Spring news".into(),
        body: "2 messages sent.".into(),
        dedupe_key: key.into(),
    }
}

async fn stored(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM notifications")
        .fetch_one(store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn an_event_is_stored_once_however_often_it_is_emitted() {
    let (_dir, store) = fresh_store().await;
    let first = notifications::emit(&store, &completed("completed:a:1"), 10)
        .await
        .unwrap()
        .expect("a new event is stored");
    assert_eq!(first.delivery, Delivery::Os);
    assert_eq!(first.read_at, None);
    for now in [11, 12] {
        let again = notifications::emit(&store, &completed("completed:a:1"), now)
            .await
            .unwrap();
        assert_eq!(again, None, "the same key is not stored twice");
    }
    notifications::emit(&store, &completed("completed:a:2"), 13)
        .await
        .unwrap()
        .expect("another event is stored");
    let (items, unread) = notifications::list(&store, 10).await.unwrap();
    assert_eq!(unread, 2);
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].created_at, 13, "newest first");
    assert_eq!(items[1], first);
}

#[tokio::test]
async fn a_kind_set_to_none_stores_nothing_and_in_app_is_kept_as_in_app() {
    let (_dir, store) = fresh_store().await;
    let mut settings = notifications::load_settings(&store).await.unwrap();
    assert_eq!(settings, NotificationSettings::default());
    assert_eq!(settings.preference(Kind::ImportFinished), Preference::InApp);
    settings
        .prefs
        .insert(Kind::CampaignCompleted, Preference::None);
    settings
        .prefs
        .insert(Kind::CampaignFailed, Preference::InApp);
    notifications::save_settings(&store, &settings)
        .await
        .unwrap();

    let none = notifications::emit(&store, &completed("completed:a:1"), 1)
        .await
        .unwrap();
    assert_eq!(none, None);
    assert_eq!(stored(&store).await, 0);

    let failed = NewNotification {
        kind: Kind::CampaignFailed,
        ..completed("failed:a:1")
    };
    let n = notifications::emit(&store, &failed, 2)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(n.delivery, Delivery::InApp);
    assert_eq!(
        notifications::load_settings(&store).await.unwrap(),
        settings
    );
}

#[tokio::test]
async fn thresholds_out_of_range_are_refused_by_field() {
    let (_dir, store) = fresh_store().await;
    let mut settings = NotificationSettings::default();
    settings.thresholds.complaint_rate = 0.0;
    let err = notifications::save_settings(&store, &settings)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Validation { field, .. } if field == "complaintRate"),
        "{err:?}"
    );
    settings.thresholds.complaint_rate = 0.005;
    settings.thresholds.relay_down_minutes = 0;
    let err = notifications::save_settings(&store, &settings)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Validation { field, .. } if field == "relayDownMinutes"),
        "{err:?}"
    );
    assert_eq!(
        notifications::load_settings(&store).await.unwrap(),
        NotificationSettings::default(),
        "nothing was saved"
    );
}

#[tokio::test]
async fn marking_read_one_then_all_clears_the_unread_count() {
    let (_dir, store) = fresh_store().await;
    let a = notifications::emit(&store, &completed("a"), 1)
        .await
        .unwrap()
        .unwrap();
    notifications::emit(&store, &completed("b"), 2)
        .await
        .unwrap();
    notifications::emit(&store, &completed("c"), 3)
        .await
        .unwrap();

    notifications::mark_read(&store, a.id, 50).await.unwrap();
    notifications::mark_read(&store, a.id, 60).await.unwrap();
    let (items, unread) = notifications::list(&store, 10).await.unwrap();
    assert_eq!(unread, 2);
    assert_eq!(
        items[2].read_at,
        Some(50),
        "a second mark keeps the first time"
    );

    assert_eq!(notifications::mark_all_read(&store, 70).await.unwrap(), 2);
    let (items, unread) = notifications::list(&store, 2).await.unwrap();
    assert_eq!(unread, 0);
    assert_eq!(items.len(), 2, "the limit holds");
    assert!(matches!(
        notifications::mark_read(&store, 999, 80).await,
        Err(StoreError::NotFound(_))
    ));
}

/// A campaign with `statuses.len()` recipients in those ledger statuses.
async fn campaign(store: &Store, status: &str, finished_at: Option<i64>, rows: &[&str]) -> Uuid {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO campaigns (id, channel, name, status, started_at, finished_at, created_at, updated_at)
         VALUES (?, 'email', 'Spring news', ?, 1, ?, 0, 0)",
    )
    .bind(id)
    .bind(status)
    .bind(finished_at)
    .execute(store.pool())
    .await
    .unwrap();
    for (i, row) in rows.iter().enumerate() {
        let contact = create(
            store,
            new_contact(Some(&format!("p{i}.{}@x.org", id.simple())), None),
        )
        .await;
        sqlx::query(
            "INSERT INTO campaign_recipients (campaign_id, contact_id, address, status, queued_at)
             VALUES (?, ?, ?, ?, 0)",
        )
        .bind(id)
        .bind(contact.id.as_uuid())
        .bind(format!("p{i}@x.org"))
        .bind(row)
        .execute(store.pool())
        .await
        .unwrap();
    }
    id
}

#[tokio::test]
async fn the_rules_read_ended_campaigns_and_in_doubt_counts_with_what_was_told() {
    let (_dir, store) = fresh_store().await;
    let old = campaign(&store, "sent", Some(100), &["sent"]).await;
    let new = campaign(&store, "sent", Some(300), &["sent", "failed", "in_doubt"]).await;
    let running = campaign(&store, "sending", None, &["in_doubt", "in_doubt"]).await;

    let ended = signals::ended_since(&store, 200).await.unwrap();
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].id, new);
    assert_eq!(
        (ended[0].sent, ended[0].failed, ended[0].in_doubt),
        (1, 1, 1)
    );
    assert!(!ended.iter().any(|c| c.id == old));

    let key = format!("in_doubt:{}:2", running.simple());
    notifications::emit(
        &store,
        &NewNotification {
            kind: Kind::InDoubt,
            ..completed(&key)
        },
        5,
    )
    .await
    .unwrap();
    let mut doubts = signals::in_doubt(&store).await.unwrap();
    doubts.sort_by_key(|c| c.in_doubt);
    assert_eq!(
        doubts
            .iter()
            .map(|c| (c.id, c.in_doubt, c.told))
            .collect::<Vec<_>>(),
        vec![(new, 1, 0), (running, 2, 2)]
    );
}
