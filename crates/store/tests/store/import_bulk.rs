//! Big imports set the secondary indexes aside part-way and rebuild them at
//! the end (`import::bulk`). Whatever happens, the workspace must come out
//! with exactly the schema it went in with, and indexes that agree with the
//! tables.

use herald_store::import::ImportOptions;
use herald_store::Store;

use crate::helpers::*;

/// Enough rows to pass the bulk-load threshold (20,000) in a fresh workspace.
const ROWS: usize = 24_000;

/// Every schema object, as SQLite stores it.
async fn schema(store: &Store) -> Vec<(String, String, String, Option<String>)> {
    sqlx::query_as("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
        .fetch_all(store.pool())
        .await
        .unwrap()
}

/// `PRAGMA integrity_check` also checks that every index holds exactly the
/// entries its table implies.
async fn integrity(store: &Store) -> String {
    sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(store.pool())
        .await
        .unwrap()
}

fn big_file(rows: usize, poison_at: Option<usize>) -> Vec<u8> {
    let mut csv = String::from("email,first name,country,tags\n");
    for i in 0..rows {
        let email = if Some(i) == poison_at {
            "boom@example.com".to_owned()
        } else {
            format!("person{i}@example.com")
        };
        let country = ["FR", "DE", "US"][i % 3];
        csv.push_str(&format!("{email},Name{i},{country},t{}\n", i % 5));
    }
    csv.into_bytes()
}

fn with_consent() -> ImportOptions {
    ImportOptions {
        consent_source: Some("signup form".into()),
        ..defaults()
    }
}

#[tokio::test]
async fn a_big_import_comes_out_with_every_index_back_and_consistent() {
    let (_dir, store) = fresh_store().await;
    create(&store, new_contact(Some("early@example.com"), None)).await;
    let before = schema(&store).await;

    let report = import(&store, &big_file(ROWS, None), &with_consent()).await;
    assert_eq!(counts(&report), (ROWS as u64, 0, 0, 0, 0));

    assert_eq!(schema(&store).await, before);
    assert_eq!(integrity(&store).await, "ok");
    let plan: Vec<(i64, i64, i64, String)> =
        sqlx::query_as("EXPLAIN QUERY PLAN SELECT id FROM contacts WHERE country = 'FR'")
            .fetch_all(store.pool())
            .await
            .unwrap();
    assert!(
        plan.iter().any(|row| row.3.contains("contacts_country")),
        "{plan:?}"
    );
    let in_france: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contacts WHERE country = 'FR'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(in_france, (ROWS as i64) / 3);
    assert_eq!(
        tag_counts(&store).await,
        (0..5)
            .map(|t| (format!("t{t}"), (ROWS / 5) as i64))
            .collect::<Vec<_>>()
    );
    assert_eq!(total_ledger_rows(&store).await, ROWS as i64);

    // A second big import into the now big workspace updates in place.
    let report = import(&store, &big_file(ROWS, None), &with_consent()).await;
    assert_eq!(counts(&report), (0, 0, ROWS as u64, 0, 0));
    assert_eq!(schema(&store).await, before);
    assert_eq!(integrity(&store).await, "ok");
}

#[tokio::test]
async fn a_big_import_failing_after_the_switch_leaves_schema_and_data_as_they_were() {
    let (_dir, store) = fresh_store().await;
    create(&store, new_contact(Some("early@example.com"), None)).await;
    rig_insert_failure(&store, "boom@example.com").await;
    let before = schema(&store).await;
    let export_before = export_string(&store, herald_store::export::Format::Csv).await;

    // The poisoned row comes well after the switch at 20,000 rows.
    let err = try_import(&store, &big_file(ROWS, Some(ROWS - 100)), &with_consent())
        .await
        .expect_err("the rigged insert fails the import");
    assert!(format!("{err:#}").contains("boom"), "{err:#}");

    assert_eq!(schema(&store).await, before);
    assert_eq!(integrity(&store).await, "ok");
    assert_eq!(count(&store).await, 1);
    assert_eq!(
        export_string(&store, herald_store::export::Format::Csv).await,
        export_before
    );
}

#[tokio::test]
async fn a_big_dry_run_writes_nothing_and_keeps_the_schema() {
    let (_dir, store) = fresh_store().await;
    let before = schema(&store).await;
    let options = ImportOptions {
        dry_run: true,
        ..with_consent()
    };
    let report = import(&store, &big_file(ROWS, None), &options).await;
    assert_eq!(counts(&report), (ROWS as u64, 0, 0, 0, 0));
    assert_eq!(schema(&store).await, before);
    assert_eq!(count(&store).await, 0);
    assert_eq!(total_ledger_rows(&store).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_writes_during_an_import_are_refused_at_once_naming_the_import() {
    let (_dir, store) = fresh_store().await;
    let (started, mut has_started) = tokio::sync::mpsc::unbounded_channel::<()>();
    // Another writer, woken by the import's first progress report: that
    // comes after the first batch went to the writer, so the import holds
    // the write lock by then, and keeps it for the many batches to come.
    let meanwhile = {
        let store = store.clone();
        tokio::spawn(async move {
            has_started
                .recv()
                .await
                .expect("the import reports progress");
            let edit =
                herald_store::contacts::create(&store, new_contact(Some("late@example.com"), None))
                    .await;
            let second_import =
                try_import(&store, b"email\nother@example.com\n", &defaults()).await;
            (edit, second_import)
        })
    };
    let mut progress = |_: u64, _: u64| {
        let _ = started.send(());
    };
    let report = herald_store::import::import_csv(
        &store,
        &big_file(ROWS, None)[..],
        &defaults(),
        &mut progress,
    )
    .await
    .expect("the import itself succeeds");
    assert_eq!(counts(&report), (ROWS as u64, 0, 0, 0, 0));

    let (edit, second_import) = meanwhile.await.unwrap();
    let err = edit.expect_err("a write during the import is refused");
    assert!(
        matches!(&err, herald_store::StoreError::Conflict(m)
            if m == "the workspace is busy with an import; nothing was changed. \
                     Try again when it has finished"),
        "{err:?}"
    );
    let err = second_import.expect_err("a second import is refused");
    assert!(
        matches!(err, herald_store::StoreError::Conflict(_)),
        "{err:?}"
    );

    // Once it has finished, writes go through again.
    create(&store, new_contact(Some("late@example.com"), None)).await;
    assert_eq!(count(&store).await, ROWS as i64 + 1);
}
