//! The store's contract, run against SQLite and (when `make test` started
//! one) a real PostgreSQL server, each test on a fresh database.

use std::future::Future;

use chrono::{TimeZone, Utc};
use herald_core::Channel;
use herald_relay::event::{EventKind, NewEvent, Provider};
use herald_relay::store::{Nonce, Store, StoreError, StoreOptions, Write, Written};
use sqlx::Connection as _;
use uuid::Uuid;

/// Runs `test` on a fresh SQLite file, then on a fresh PostgreSQL database
/// when HERALD_TEST_POSTGRES_URL is set.
pub async fn on_each_backend<F, Fut>(test: F)
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    test(
        dir.path()
            .join("relay.sqlite3")
            .to_str()
            .unwrap()
            .to_owned(),
    )
    .await;
    match std::env::var("HERALD_TEST_POSTGRES_URL") {
        Ok(url) => test(fresh_postgres(&url).await).await,
        Err(_) => eprintln!("skipping PostgreSQL: HERALD_TEST_POSTGRES_URL not set"),
    }
}

/// A new, empty database on the test server; its URL.
pub async fn fresh_postgres(server: &str) -> String {
    let name = format!("herald_relay_{}", Uuid::now_v7().simple());
    let mut admin = sqlx::PgConnection::connect(server).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let (base, _) = server.rsplit_once('/').unwrap();
    format!("{base}/{name}")
}

async fn open(url: &str) -> Store {
    Store::open(url, StoreOptions::default()).await.unwrap()
}

fn full_event() -> NewEvent {
    let mut e = NewEvent::new(
        EventKind::Bounce,
        Utc.with_ymd_and_hms(2026, 11, 28, 21, 0, 0).unwrap(),
    );
    e.campaign_id = Some(Uuid::now_v7());
    e.recipient_id = Some(Uuid::now_v7());
    e.channel = Some(Channel::Email);
    e.machine = true;
    e.url = Some("https://example.com/".into());
    e.ip = Some("203.0.113.9".into());
    e.user_agent = Some("agent".into());
    e.provider = Some(Provider::Postmark);
    e.provider_event_id = Some("pm-1".into());
    e.provider_message_id = Some("msg-1".into());
    e.address = Some("ada@example.com".into());
    e.detail = serde_json::json!({ "bounce_type": "hard", "reason": "550 user unknown" });
    e
}

fn webhook_event(provider_event_id: &str) -> NewEvent {
    let mut e = NewEvent::new(EventKind::Delivered, Utc::now());
    e.provider = Some(Provider::Generic);
    e.provider_event_id = Some(provider_event_id.into());
    e
}

fn nonce(value: &str, body: u8) -> Nonce {
    Nonce {
        provider: Provider::Mailgun,
        value: value.into(),
        body_sha256: [body; 32],
    }
}

#[tokio::test]
async fn every_field_comes_back_as_it_was_stored() {
    on_each_backend(|url| async move {
        let store = open(&url).await;
        let event = full_event();
        let Written::Stored { ids, duplicates } = store
            .write(Write::events(vec![event.clone()]))
            .await
            .unwrap()
        else {
            panic!("not stored");
        };
        assert_eq!((ids.len(), duplicates), (1, 0));
        let stored = store.events(0, 10).await.unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].event.id, ids[0]);
        assert_eq!(stored[0].event.event, event);
        store.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn a_provider_event_id_is_stored_once() {
    on_each_backend(|url| async move {
        let store = open(&url).await;
        store
            .write(Write::events(vec![webhook_event("a")]))
            .await
            .unwrap();
        let again = store
            .write(Write::events(vec![webhook_event("a"), webhook_event("b")]))
            .await
            .unwrap();
        assert!(matches!(again, Written::Stored { ref ids, duplicates: 1 } if ids.len() == 1));
        let ids: Vec<_> = store
            .events(0, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.event.event.provider_event_id.unwrap())
            .collect();
        assert_eq!(ids, ["a", "b"]);
        store.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn writes_committed_together_each_get_their_own_ids_and_duplicates_are_skipped() {
    on_each_backend(|url| async move {
        let store = open(&url).await;
        // Sent at once, so the writer takes many of them in one batch;
        // "dup" comes twice and "big" carries more events than one INSERT.
        let mut writes: Vec<Write> = (0..150)
            .map(|i| Write::events(vec![webhook_event(&format!("e{i}"))]))
            .collect();
        writes.push(Write::events(vec![webhook_event("dup")]));
        writes.push(Write::events(vec![webhook_event("dup")]));
        writes.push(Write::events(
            (0..200)
                .map(|i| webhook_event(&format!("big{i}")))
                .collect(),
        ));
        let tasks: Vec<_> = writes
            .into_iter()
            .map(|write| {
                let store = store.clone();
                tokio::spawn(async move { store.write(write).await.unwrap() })
            })
            .collect();
        let mut all_ids = Vec::new();
        let mut duplicates_seen = 0;
        for task in tasks {
            let Written::Stored { ids, duplicates } = task.await.unwrap() else {
                panic!("not stored");
            };
            duplicates_seen += duplicates;
            all_ids.extend(ids);
        }
        assert_eq!((all_ids.len(), duplicates_seen), (351, 1));
        let mut stored: Vec<Uuid> = store
            .events(0, 1000)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.event.id)
            .collect();
        stored.sort();
        all_ids.sort();
        assert_eq!(stored, all_ids);
        store.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn a_nonce_again_with_the_same_body_is_a_retry_and_with_another_a_replay() {
    on_each_backend(|url| async move {
        let store = open(&url).await;
        let first = Write {
            events: vec![webhook_event("n1")],
            nonce: Some(nonce("tok", 1)),
        };
        assert!(matches!(
            store.write(first.clone()).await.unwrap(),
            Written::Stored { .. }
        ));
        assert_eq!(store.write(first).await.unwrap(), Written::Retry);
        let replay = Write {
            events: vec![webhook_event("n2")],
            nonce: Some(nonce("tok", 2)),
        };
        assert!(matches!(store.write(replay).await, Err(StoreError::Replay)));
        assert_eq!(store.events(0, 10).await.unwrap().len(), 1);
        store.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn acks_move_forward_and_pruning_keeps_what_is_unacknowledged() {
    on_each_backend(|url| async move {
        let store = open(&url).await;
        for id in ["1", "2", "3"] {
            store
                .write(Write::events(vec![webhook_event(id)]))
                .await
                .unwrap();
        }
        assert!(matches!(
            store.ack(4).await,
            Err(StoreError::CursorAhead { newest: 3 })
        ));
        store.ack(2).await.unwrap();
        store.ack(1).await.unwrap();
        assert_eq!(store.acked().await.unwrap(), 2);
        // A cutoff in the past prunes nothing; one in the future prunes the acked.
        assert_eq!(store.prune(0).await.unwrap(), 0);
        let future = Utc::now().timestamp_millis() + 60_000;
        assert_eq!(store.prune(future).await.unwrap(), 2);
        let left: Vec<i64> = store
            .events(0, 10)
            .await
            .unwrap()
            .iter()
            .map(|e| e.seq)
            .collect();
        assert_eq!(left, [3]);
        // Sequence numbers are never reused after a prune.
        store.ack(3).await.unwrap();
        store.prune(future).await.unwrap();
        store
            .write(Write::events(vec![webhook_event("4")]))
            .await
            .unwrap();
        let seqs: Vec<i64> = store
            .events(0, 10)
            .await
            .unwrap()
            .iter()
            .map(|e| e.seq)
            .collect();
        assert_eq!(seqs, [4]);
        store.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn concurrent_writers_are_committed_in_batches_and_all_kept() {
    on_each_backend(|url| async move {
        let store = open(&url).await;
        let writes = (0..300).map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .write(Write::events(vec![webhook_event(&i.to_string())]))
                    .await
            })
        });
        for write in writes.collect::<Vec<_>>() {
            assert!(matches!(write.await.unwrap(), Ok(Written::Stored { .. })));
        }
        let seqs: Vec<i64> = store
            .events(0, 1000)
            .await
            .unwrap()
            .iter()
            .map(|e| e.seq)
            .collect();
        assert_eq!(seqs.len(), 300);
        assert!(seqs.windows(2).all(|w| w[0] < w[1]));
        store.shutdown().await;
        assert!(matches!(
            store
                .write(Write::events(vec![webhook_event("late")]))
                .await,
            Err(StoreError::Closed)
        ));
    })
    .await;
}

#[tokio::test]
async fn a_writer_that_waits_for_more_jobs_commits_them_all() {
    on_each_backend(|url| async move {
        let options = StoreOptions {
            max_batch: 64,
            max_wait: std::time::Duration::from_millis(5),
            ..StoreOptions::default()
        };
        let store = Store::open(&url, options).await.unwrap();
        let writes: Vec<_> = (0..100)
            .map(|i| {
                let store = store.clone();
                tokio::spawn(async move {
                    store
                        .write(Write::events(vec![webhook_event(&i.to_string())]))
                        .await
                })
            })
            .collect();
        for write in writes {
            assert!(matches!(write.await.unwrap(), Ok(Written::Stored { .. })));
        }
        // A lone write waits out max_wait, then commits.
        assert!(matches!(
            store
                .write(Write::events(vec![webhook_event("alone")]))
                .await,
            Ok(Written::Stored { .. })
        ));
        assert_eq!(store.events(0, 1000).await.unwrap().len(), 101);
        store.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn an_in_memory_sqlite_store_is_refused_by_name() {
    for url in ["sqlite::memory:", "sqlite:relay?mode=memory"] {
        let error = Store::open(url, StoreOptions::default()).await.unwrap_err();
        let message = error.to_string();
        assert!(message.contains("database_url"), "{message}");
        assert!(message.contains("in-memory"), "{message}");
    }
}

#[tokio::test]
async fn what_was_committed_is_there_after_reopening() {
    on_each_backend(|url| async move {
        let store = open(&url).await;
        store
            .write(Write::events(vec![full_event()]))
            .await
            .unwrap();
        store.shutdown().await;
        let reopened = open(&url).await;
        assert_eq!(reopened.events(0, 10).await.unwrap().len(), 1);
        reopened.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn two_relays_sharing_postgres_hand_out_every_event_in_one_order() {
    let Ok(server) = std::env::var("HERALD_TEST_POSTGRES_URL") else {
        eprintln!("skipping: HERALD_TEST_POSTGRES_URL not set");
        return;
    };
    let url = fresh_postgres(&server).await;
    let (a, b) = (open(&url).await, open(&url).await);
    let mut writes = Vec::new();
    for i in 0..200 {
        let store = if i % 2 == 0 { a.clone() } else { b.clone() };
        writes.push(tokio::spawn(async move {
            store
                .write(Write::events(vec![webhook_event(&format!("e{i}"))]))
                .await
        }));
    }
    // A reader pulling while both write never sees a later number before
    // an earlier one commits: the cursor walk must collect all 200.
    let reader = a.clone();
    let pull = tokio::spawn(async move {
        let (mut cursor, mut seen) = (0, Vec::new());
        while seen.len() < 200 {
            for e in reader.events(cursor, 7).await.unwrap() {
                cursor = e.seq;
                seen.push(e.event.event.provider_event_id.unwrap());
            }
            tokio::task::yield_now().await;
        }
        seen
    });
    for write in writes {
        write.await.unwrap().unwrap();
    }
    let mut seen = tokio::time::timeout(std::time::Duration::from_secs(60), pull)
        .await
        .unwrap()
        .unwrap();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 200);
    a.shutdown().await;
    b.shutdown().await;
}
