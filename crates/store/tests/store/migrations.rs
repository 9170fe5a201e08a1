//! Opening a workspace: schema, pragmas, reopening, and the rules the
//! database itself enforces.

use herald_store::{contacts, project_statuses, Store};

use crate::helpers::*;

/// Runs one statement straight against the database, as a buggy caller or a
/// hand edit would, and returns SQLite's error message.
async fn refused(store: &Store, sql: &str) -> String {
    let err = sqlx::query(sql)
        .execute(store.pool())
        .await
        .expect_err("the database should refuse this statement");
    match err {
        sqlx::Error::Database(db) => db.message().to_owned(),
        other => panic!("expected a database error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_new_workspace_has_every_table() {
    let (_dir, store) = fresh_store().await;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
           AND name NOT LIKE 'campaigns_fts_%' ORDER BY name",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(
        tables,
        strings(&[
            "_sqlx_migrations",
            "campaign_attachments",
            "campaign_hourly",
            "campaign_link_clicks",
            "campaign_link_uniques",
            "campaign_links",
            "campaign_recipients",
            "campaign_start_failures",
            "campaign_templates",
            "campaign_uniques",
            "campaigns",
            "campaigns_fts",
            "consent_events",
            "contact_tags",
            "contacts",
            "interactions",
            "ledger_journal",
            "notifications",
            "project_statuses",
            "projects",
            "relay_events",
            "segment_refs",
            "segments",
            "settings",
            "sms_help_replies",
            "tags",
            "workspace_meta",
        ])
    );
    let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert_eq!(applied, vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
}

#[tokio::test]
async fn a_new_workspace_has_the_five_default_project_statuses_in_order() {
    let (_dir, store) = fresh_store().await;
    assert_eq!(
        project_statuses::list(&store).await.unwrap(),
        strings(&["lead", "active", "on_hold", "won", "lost"])
    );
}

#[tokio::test]
async fn a_new_workspace_starts_empty_at_generation_zero_with_default_settings() {
    let (_dir, store) = fresh_store().await;
    assert_eq!(count(&store).await, 0);
    assert_eq!(generation(&store).await, 0);
    let settings: Vec<(String, String)> =
        sqlx::query_as("SELECT key, value FROM settings ORDER BY key")
            .fetch_all(store.pool())
            .await
            .unwrap();
    let expected = [
        ("default_currency", "\"USD\""),
        ("default_region", "null"),
        ("time_zone", "\"UTC\""),
        ("workspace_name", "\"My workspace\""),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()));
    assert_eq!(settings, expected);
}

#[tokio::test]
async fn the_workspace_uses_wal_and_enforces_foreign_keys() {
    let (_dir, store) = fresh_store().await;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(foreign_keys, 1);
    let message = refused(
        &store,
        "INSERT INTO contact_tags (contact_id, tag_id) VALUES (randomblob(16), randomblob(16))",
    )
    .await;
    assert_eq!(message, "FOREIGN KEY constraint failed");
}

#[tokio::test]
async fn reopening_an_existing_workspace_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("folder").join("work.herald");
    let store = Store::open(&path).await.unwrap();
    let ada = create(&store, new_contact(Some("ada@example.com"), None)).await;
    store.close().await;

    let store = Store::open(&path).await.unwrap();
    assert_eq!(count(&store).await, 1);
    let again = contacts::get(&store, ada.id).await.unwrap();
    assert_eq!(again, ada);
    assert_eq!(generation(&store).await, 1);
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(applied, 12);
    store.close().await;
}

#[tokio::test]
async fn the_database_refuses_a_contact_with_neither_email_nor_phone() {
    let (_dir, store) = fresh_store().await;
    let message = refused(
        &store,
        "INSERT INTO contacts (id, first_name, created_at, updated_at)
         VALUES (randomblob(16), 'Nobody', 0, 0)",
    )
    .await;
    assert_eq!(
        message,
        "CHECK constraint failed: email IS NOT NULL OR phone IS NOT NULL"
    );
    assert_eq!(count(&store).await, 0);
}

#[tokio::test]
async fn the_database_refuses_an_uppercase_email() {
    let (_dir, store) = fresh_store().await;
    let message = refused(
        &store,
        "INSERT INTO contacts (id, email, created_at, updated_at)
         VALUES (randomblob(16), 'Ada@Example.com', 0, 0)",
    )
    .await;
    assert_eq!(
        message,
        "CHECK constraint failed: email IS NULL OR email = lower(email)"
    );
    assert_eq!(count(&store).await, 0);
}

#[tokio::test]
async fn the_database_refuses_to_update_the_consent_ledger() {
    let (_dir, store) = fresh_store().await;
    let mut new = new_contact(Some("ada@example.com"), None);
    new.email_consent = Some(herald_store::consent_events::ConsentInput::new(
        "signup form",
        "double_opt_in",
    ));
    let ada = create(&store, new).await;
    let message = refused(&store, "UPDATE consent_events SET source = 'forged'").await;
    assert_eq!(message, "consent_events is append-only");
    let events = ledger(&store, ada.id).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].source, "signup form");
}
