//! The ledger's journal: claims and acceptances wait there, durable, and
//! reach `campaign_recipients` when folded; whoever acts on a row's send
//! state folds first.

use std::time::Duration;

use herald_store::ledger::{self, journal, LedgerWriter, Mark, WriterTiming};
use herald_store::Store;
use uuid::Uuid;

use crate::ledger::{pairs, resolved_to, row, statuses};

/// A writer that leaves its entries in the journal for the whole test.
fn holding_writer(store: &Store) -> LedgerWriter {
    LedgerWriter::with_timing(
        store,
        WriterTiming {
            fold_after: Duration::from_secs(3_600),
            ..WriterTiming::default()
        },
    )
}

fn claim(id: &str) -> Mark {
    Mark::Sending {
        message_id: id.into(),
    }
}

fn accepted(id: &str) -> Mark {
    Mark::Sent {
        provider_message_id: Some(id.into()),
    }
}

async fn journaled(store: &Store) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT r.address, j.status FROM ledger_journal j
         JOIN campaign_recipients r USING (campaign_id, contact_id) ORDER BY j.seq",
    )
    .fetch_all(store.pool())
    .await
    .unwrap()
}

/// Appends what a writer that died would have left: raw SQL, as the
/// process that wrote it is gone.
async fn leave_in_journal(store: &Store, campaign: Uuid, contact: Uuid, status: &str, id: &str) {
    sqlx::query(
        "INSERT INTO ledger_journal (campaign_id, contact_id, status, at, id_text)
         VALUES (?, ?, ?, 1234, ?)",
    )
    .bind(campaign)
    .bind(contact)
    .bind(status)
    .bind(id)
    .execute(store.pool())
    .await
    .unwrap();
}

#[tokio::test]
async fn a_claim_and_its_acceptance_wait_in_the_journal_and_fold_into_the_row_as_one_update() {
    let (_dir, store, campaign, [ann, bob]) = resolved_to(["ann@x.org", "bob@x.org"]).await;
    let writer = holding_writer(&store);

    assert!(writer.mark(campaign, ann, claim("<a@x>")).await.unwrap());
    assert!(writer.mark(campaign, ann, accepted("Q-ann")).await.unwrap());
    assert!(writer.mark(campaign, bob, claim("<b@x>")).await.unwrap());
    // Committed, and not yet in the rows.
    assert_eq!(
        journaled(&store).await,
        pairs(&[
            ("ann@x.org", "sending"),
            ("ann@x.org", "sent"),
            ("bob@x.org", "sending")
        ])
    );
    assert_eq!(
        statuses(&store, campaign).await,
        pairs(&[("ann@x.org", "queued"), ("bob@x.org", "queued")])
    );
    // A second claim of a journaled row, or a second acceptance, does not
    // apply, as it would not have on the row itself.
    assert!(!writer.mark(campaign, bob, claim("<b2@x>")).await.unwrap());
    assert!(!writer.mark(campaign, ann, accepted("Q-2")).await.unwrap());

    writer.settle().await.unwrap();
    assert!(journaled(&store).await.is_empty());
    assert_eq!(
        row(&store, ann).await,
        ("sent".into(), 1, None, Some("Q-ann".into()))
    );
    assert_eq!(row(&store, bob).await, ("sending".into(), 1, None, None));
    let (message_id, sending_at, sent_at): (String, Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT message_id, sending_at, sent_at FROM campaign_recipients WHERE contact_id = ?",
    )
    .bind(ann)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(message_id, "<a@x>");
    assert!(sending_at.is_some_and(|at| at > 0) && sent_at >= sending_at);

    // Bob's acceptance after the fold: his row is `sending` now.
    assert!(writer.mark(campaign, bob, accepted("Q-bob")).await.unwrap());
    writer.settle().await.unwrap();
    assert_eq!(
        row(&store, bob).await,
        ("sent".into(), 1, None, Some("Q-bob".into()))
    );
}

#[tokio::test]
async fn any_other_mark_sees_the_claims_still_in_the_journal() {
    let (_dir, store, campaign, [ann]) = resolved_to(["ann@x.org"]).await;
    let writer = holding_writer(&store);
    assert!(writer.mark(campaign, ann, claim("<a@x>")).await.unwrap());

    // A failure moves only a `sending` row: the claim is folded first.
    let failed = Mark::Failed {
        error: "550 no such user".into(),
    };
    assert!(writer.mark(campaign, ann, failed).await.unwrap());
    assert!(journaled(&store).await.is_empty());
    assert_eq!(
        row(&store, ann).await,
        ("failed".into(), 1, Some("550 no such user".into()), None)
    );
}

#[tokio::test]
async fn the_writer_folds_its_journal_on_its_own() {
    let (_dir, store, campaign, [ann]) = resolved_to(["ann@x.org"]).await;
    let writer = LedgerWriter::with_timing(
        &store,
        WriterTiming {
            fold_after: Duration::from_millis(20),
            ..WriterTiming::default()
        },
    );
    assert!(writer.mark(campaign, ann, claim("<a@x>")).await.unwrap());
    assert!(writer.mark(campaign, ann, accepted("Q-ann")).await.unwrap());

    // Nothing else is asked of the writer: it folds when its entries are
    // due. Waits at most ten seconds for it (a slow machine), then fails.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !journaled(&store).await.is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the journal was never folded"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        row(&store, ann).await,
        ("sent".into(), 1, None, Some("Q-ann".into()))
    );
}

#[tokio::test]
async fn the_next_batch_never_offers_a_row_claimed_a_moment_ago() {
    let (_dir, store, campaign, [ann, bob]) = resolved_to(["ann@x.org", "bob@x.org"]).await;
    let writer = holding_writer(&store);
    assert!(writer.mark(campaign, ann, claim("<a@x>")).await.unwrap());

    let batch = ledger::next_batch(&store, campaign, 10, herald_store::now_millis())
        .await
        .unwrap();
    let offered: Vec<Uuid> = batch.rows.iter().map(|r| r.contact_id).collect();
    assert_eq!(offered, [bob], "Ann's claim is on its way: never twice");
    assert_eq!(ledger::pending(&store, campaign).await.unwrap().sending, 1);
}

#[tokio::test]
async fn after_a_crash_a_claim_left_in_the_journal_is_in_doubt_not_queued() {
    let (_dir, store, campaign, [ann, bob, _cy]) =
        resolved_to(["ann@x.org", "bob@x.org", "cy@x.org"]).await;
    leave_in_journal(&store, campaign, ann, "sending", "<a@x>").await;
    leave_in_journal(&store, campaign, bob, "sending", "<b@x>").await;
    leave_in_journal(&store, campaign, bob, "sent", "Q-bob").await;

    assert_eq!(ledger::recover_in_doubt(&store).await.unwrap(), 1);
    assert!(journaled(&store).await.is_empty());
    assert_eq!(
        statuses(&store, campaign).await,
        pairs(&[
            ("ann@x.org", "in_doubt"),
            ("bob@x.org", "sent"),
            ("cy@x.org", "queued")
        ])
    );
    assert_eq!(row(&store, ann).await.1, 1, "the claim counted its attempt");
}

#[tokio::test]
async fn opening_a_workspace_folds_what_a_stopped_send_left_in_the_journal() {
    let (dir, store, campaign, [ann, bob]) = resolved_to(["ann@x.org", "bob@x.org"]).await;
    leave_in_journal(&store, campaign, ann, "sending", "<a@x>").await;
    leave_in_journal(&store, campaign, ann, "sent", "Q-ann").await;
    // An acceptance whose claim was folded before the stop.
    writer_claims_and_folds(&store, campaign, bob).await;
    leave_in_journal(&store, campaign, bob, "sent", "Q-bob").await;
    let path = store.path().to_path_buf();
    store.close().await;

    let store = Store::open(&path).await.unwrap();
    assert!(journaled(&store).await.is_empty());
    assert_eq!(
        row(&store, ann).await,
        ("sent".into(), 1, None, Some("Q-ann".into()))
    );
    assert_eq!(
        row(&store, bob).await,
        ("sent".into(), 1, None, Some("Q-bob".into()))
    );
    drop(dir);
}

async fn writer_claims_and_folds(store: &Store, campaign: Uuid, contact: Uuid) {
    let writer = holding_writer(store);
    assert!(writer
        .mark(campaign, contact, claim("<c@x>"))
        .await
        .unwrap());
    writer.settle().await.unwrap();
}

#[tokio::test]
async fn folding_an_empty_journal_changes_nothing() {
    let (_dir, store, campaign, [ann]) = resolved_to(["ann@x.org"]).await;
    let mut tx = store.begin_write().await.unwrap();
    journal::fold(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        statuses(&store, campaign).await,
        pairs(&[("ann@x.org", "queued")])
    );
    assert_eq!(row(&store, ann).await, ("queued".into(), 0, None, None));
}

#[tokio::test]
async fn a_fold_that_fails_fails_only_the_settle_and_loses_no_mark() {
    let (_dir, store, campaign, [ann, bob]) = resolved_to(["ann@x.org", "bob@x.org"]).await;
    let writer = LedgerWriter::with_timing(
        &store,
        WriterTiming {
            fold_after: Duration::from_secs(3_600),
            retry_for: Duration::from_millis(200),
        },
    );
    sqlx::query(
        "CREATE TRIGGER refuse_fold BEFORE DELETE ON ledger_journal
         BEGIN SELECT RAISE(ABORT, 'refused'); END",
    )
    .execute(store.pool())
    .await
    .unwrap();
    assert!(writer.mark(campaign, ann, claim("<a@x>")).await.unwrap());

    // A claim queued together with a settle whose fold keeps failing: the
    // claim is committed and says so; only the settle fails.
    let claimed = writer.enqueue(campaign, bob, claim("<b@x>")).await.unwrap();
    let settled = writer.settle().await;
    assert!(claimed.committed().await.unwrap());
    assert!(settled.is_err(), "the fold was refused");
    assert_eq!(
        journaled(&store).await,
        pairs(&[("ann@x.org", "sending"), ("bob@x.org", "sending")]),
        "nothing folded, nothing lost"
    );

    // The writer goes on: more marks commit, and once the fold can run,
    // every one of them reaches the rows.
    assert!(writer.mark(campaign, ann, accepted("Q-ann")).await.unwrap());
    sqlx::query("DROP TRIGGER refuse_fold")
        .execute(store.pool())
        .await
        .unwrap();
    writer.settle().await.unwrap();
    assert_eq!(
        statuses(&store, campaign).await,
        pairs(&[("ann@x.org", "sent"), ("bob@x.org", "sending")])
    );
}
