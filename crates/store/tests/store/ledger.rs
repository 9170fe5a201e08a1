//! The send ledger and campaign runs, on a real workspace file.

use herald_store::ledger::{self, LedgerWriter, Mark, RecipientQuery, RecipientStatus};
use herald_store::segments::{self, SegmentInput};
use herald_store::{campaign_runs, Store, StoreError};
use serde_json::json;
use tempfile::TempDir;
use uuid::Uuid;

use crate::helpers::{create, fresh_store, new_contact};

/// A segment of everyone, and an email campaign to it (raw SQL: the
/// campaigns module has its own tests).
pub(crate) async fn campaign_to_everyone(store: &Store) -> Uuid {
    let segment = segments::create(
        store,
        &SegmentInput {
            name: format!("everyone {}", Uuid::now_v7()),
            description: None,
            filter: json!({"all": []}),
        },
    )
    .await
    .unwrap();
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO campaigns (id, channel, name, segment_id, subject, created_at, updated_at)
         VALUES (?, 'email', 'Spring news', ?, 'Hello', 0, 0)",
    )
    .bind(id)
    .bind(segment.id.as_uuid())
    .execute(store.pool())
    .await
    .unwrap();
    id
}

async fn set_email_status(store: &Store, email: &str, status: &str) {
    sqlx::query("UPDATE contacts SET email_status = ? WHERE email = ?")
        .bind(status)
        .bind(email)
        .execute(store.pool())
        .await
        .unwrap();
}

pub(crate) async fn statuses(store: &Store, campaign: Uuid) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT address, status FROM campaign_recipients WHERE campaign_id = ? ORDER BY address",
    )
    .bind(campaign)
    .fetch_all(store.pool())
    .await
    .unwrap()
}

pub(crate) fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[tokio::test]
async fn resolving_leaves_out_who_must_not_receive_it_and_counts_them() {
    let (_dir, store) = fresh_store().await;
    for email in [
        "ann@x.org",
        "bob@x.org",
        "cy@x.org",
        "dee@x.org",
        "eve@x.org",
    ] {
        create(&store, new_contact(Some(email), None)).await;
    }
    create(&store, new_contact(None, Some("+14155550100"))).await;
    set_email_status(&store, "bob@x.org", "unsubscribed").await;
    set_email_status(&store, "cy@x.org", "bounced").await;
    set_email_status(&store, "dee@x.org", "complained").await;
    let campaign = campaign_to_everyone(&store).await;

    let audience = ledger::resolve(&store, campaign).await.unwrap();

    assert_eq!(audience.segment_count, 6);
    assert_eq!(audience.will_receive, 2);
    assert_eq!(audience.excluded.no_address, 1);
    assert_eq!(audience.excluded.unsubscribed, 1);
    assert_eq!(audience.excluded.bounced, 1);
    assert_eq!(audience.excluded.complained, 1);
    assert_eq!(
        statuses(&store, campaign).await,
        pairs(&[("ann@x.org", "queued"), ("eve@x.org", "queued")])
    );
}

#[tokio::test]
async fn a_resolved_audience_is_fixed_even_when_the_segment_grows() {
    let (_dir, store) = fresh_store().await;
    create(&store, new_contact(Some("ann@x.org"), None)).await;
    let campaign = campaign_to_everyone(&store).await;
    ledger::resolve(&store, campaign).await.unwrap();
    create(&store, new_contact(Some("late@x.org"), None)).await;

    let again = ledger::resolve(&store, campaign).await.unwrap();

    assert_eq!(again.will_receive, 1);
    assert_eq!(
        statuses(&store, campaign).await,
        pairs(&[("ann@x.org", "queued")])
    );
}

#[tokio::test]
async fn contacts_without_consent_are_left_out_only_when_the_workspace_requires_it() {
    let (_dir, store) = fresh_store().await;
    create(&store, new_contact(Some("ann@x.org"), None)).await;
    sqlx::query("UPDATE contacts SET email_consent_at = NULL")
        .execute(store.pool())
        .await
        .unwrap();
    campaign_to_everyone(&store).await;
    let segment: Uuid = sqlx::query_scalar("SELECT segment_id FROM campaigns")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let segment = herald_core::SegmentId::from_uuid(segment);

    let open = ledger::audience(&store, segment, herald_core::Channel::Email)
        .await
        .unwrap();
    ledger::set_require_consent(&store, true).await.unwrap();
    let strict = ledger::audience(&store, segment, herald_core::Channel::Email)
        .await
        .unwrap();

    assert_eq!((open.will_receive, open.excluded.no_consent), (1, 0));
    assert_eq!((strict.will_receive, strict.excluded.no_consent), (0, 1));
}

#[tokio::test]
async fn a_contact_who_opts_out_after_resolve_is_suppressed_not_sent() {
    let (_dir, store) = fresh_store().await;
    create(&store, new_contact(Some("ann@x.org"), None)).await;
    create(&store, new_contact(Some("bob@x.org"), None)).await;
    let campaign = campaign_to_everyone(&store).await;
    ledger::resolve(&store, campaign).await.unwrap();
    set_email_status(&store, "bob@x.org", "unsubscribed").await;

    let batch = ledger::next_batch(&store, campaign, 10, herald_store::now_millis())
        .await
        .unwrap();

    let addresses: Vec<&str> = batch.rows.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(addresses, ["ann@x.org"]);
    assert_eq!(batch.suppressed, 1);
    assert_eq!(
        statuses(&store, campaign).await,
        pairs(&[("ann@x.org", "queued"), ("bob@x.org", "suppressed")])
    );
}

#[tokio::test]
async fn marks_apply_only_from_the_status_they_move_from() {
    let (_dir, store) = fresh_store().await;
    let ann = create(&store, new_contact(Some("ann@x.org"), None)).await;
    let campaign = campaign_to_everyone(&store).await;
    ledger::resolve(&store, campaign).await.unwrap();
    let writer = LedgerWriter::start(&store);
    let ann = ann.id.as_uuid();
    let sending = || Mark::Sending {
        message_id: "<m@x.org>".into(),
    };

    assert!(writer.mark(campaign, ann, sending()).await.unwrap());
    // Claimed twice: the second claim must not let a second copy go out.
    assert!(!writer.mark(campaign, ann, sending()).await.unwrap());
    let sent = Mark::Sent {
        provider_message_id: Some("Q123".into()),
    };
    assert!(writer.mark(campaign, ann, sent.clone()).await.unwrap());
    assert!(!writer.mark(campaign, ann, sent).await.unwrap());
    writer.settle().await.unwrap();
    let (status, attempts, provider): (String, i64, String) = sqlx::query_as(
        "SELECT status, attempts, provider_message_id FROM campaign_recipients WHERE contact_id = ?",
    )
    .bind(ann)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(
        (status.as_str(), attempts, provider.as_str()),
        ("sent", 1, "Q123")
    );
}

/// A row's status, attempts, error and provider id, as expected.
type Expected<'a> = (&'a str, i64, Option<&'a str>, Option<&'a str>);

/// One recipient row's columns a mark may change.
pub(crate) async fn row(
    store: &Store,
    contact: Uuid,
) -> (String, i64, Option<String>, Option<String>) {
    sqlx::query_as(
        "SELECT status, attempts, error, provider_message_id FROM campaign_recipients
         WHERE contact_id = ?",
    )
    .bind(contact)
    .fetch_one(store.pool())
    .await
    .unwrap()
}

/// A fresh workspace with one contact per address, and an email campaign
/// to all of them with its ledger resolved: the contacts' ids in order.
pub(crate) async fn resolved_to<const N: usize>(
    emails: [&str; N],
) -> (TempDir, Store, Uuid, [Uuid; N]) {
    let (dir, store) = fresh_store().await;
    let mut ids = [Uuid::nil(); N];
    for (id, email) in ids.iter_mut().zip(emails) {
        *id = create(&store, new_contact(Some(email), None))
            .await
            .id
            .as_uuid();
    }
    let campaign = campaign_to_everyone(&store).await;
    ledger::resolve(&store, campaign).await.unwrap();
    (dir, store, campaign, ids)
}

#[tokio::test]
async fn marks_committed_together_apply_in_order_each_from_its_own_status() {
    let (_dir, store, campaign, [ann, bob, cy, di]) =
        resolved_to(["ann@x.org", "bob@x.org", "cy@x.org", "di@x.org"]).await;
    let writer = LedgerWriter::start(&store);
    let sending = |id: &str| Mark::Sending {
        message_id: id.into(),
    };

    // Bob's outcome needs his claim to have applied first in the same
    // transaction; Cy was never claimed, so his outcome must not apply.
    let applied = writer
        .mark_together(vec![
            (campaign, ann, sending("<a@x.org>")),
            (campaign, ann, sending("<a2@x.org>")),
            (campaign, bob, sending("<b@x.org>")),
            (
                campaign,
                bob,
                Mark::Sent {
                    provider_message_id: Some("Q-bob".into()),
                },
            ),
            (
                campaign,
                cy,
                Mark::Sent {
                    provider_message_id: Some("Q-cy".into()),
                },
            ),
            (
                campaign,
                di,
                Mark::Defer {
                    until: 7_000,
                    reason: "later".into(),
                },
            ),
            (campaign, ann, Mark::GiveBack),
        ])
        .await
        .unwrap();

    assert_eq!(applied, [true, false, true, true, false, true, true]);
    assert_eq!(row(&store, ann).await, ("queued".into(), 0, None, None));
    assert_eq!(
        row(&store, bob).await,
        ("sent".into(), 1, None, Some("Q-bob".into()))
    );
    assert_eq!(row(&store, cy).await, ("queued".into(), 0, None, None));
    assert_eq!(
        row(&store, di).await,
        ("queued".into(), 0, Some("later".into()), None)
    );
    let message_id: Option<String> =
        sqlx::query_scalar("SELECT message_id FROM campaign_recipients WHERE contact_id = ?")
            .bind(ann)
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!(
        message_id.as_deref(),
        Some("<a@x.org>"),
        "the second claim changed nothing"
    );
}

#[tokio::test]
async fn a_group_of_claims_and_acceptances_for_different_rows_applies_each_from_its_status() {
    let (_dir, store, campaign, [a, b, c, d, e]) =
        resolved_to(["a@x.org", "b@x.org", "c@x.org", "d@x.org", "e@x.org"]).await;
    let writer = LedgerWriter::start(&store);
    let claim = |id: &str| Mark::Sending {
        message_id: id.into(),
    };
    for (contact, id) in [(b, "<b@x>"), (c, "<c@x>"), (e, "<e@x>")] {
        assert!(writer.mark(campaign, contact, claim(id)).await.unwrap());
    }
    // C's first attempt failed for now; its second claim keeps that error
    // until the outcome.
    let retry = Mark::Retry {
        error: "421 busy".into(),
        next_attempt_at: 0,
    };
    assert!(writer.mark(campaign, c, retry).await.unwrap());
    assert!(writer.mark(campaign, c, claim("<c@x>")).await.unwrap());

    let applied = writer
        .mark_together(vec![
            (campaign, a, claim("<a@x>")),
            (
                campaign,
                b,
                Mark::Sent {
                    provider_message_id: Some("Q-b".into()),
                },
            ),
            (
                campaign,
                c,
                Mark::SentParts {
                    provider_message_id: Some("SM-c".into()),
                    parts: 2,
                },
            ),
            // Never claimed: an acceptance cannot apply.
            (
                campaign,
                d,
                Mark::Sent {
                    provider_message_id: None,
                },
            ),
            // Claimed already: a second claim cannot apply.
            (campaign, e, claim("<e2@x>")),
        ])
        .await
        .unwrap();

    assert_eq!(applied, [true, true, true, false, false]);
    writer.settle().await.unwrap();
    assert_eq!(row(&store, a).await, ("sending".into(), 1, None, None));
    assert_eq!(
        row(&store, b).await,
        ("sent".into(), 1, None, Some("Q-b".into()))
    );
    assert_eq!(
        row(&store, c).await,
        ("sent".into(), 2, None, Some("SM-c".into())),
        "the acceptance clears the earlier attempt's error"
    );
    assert_eq!(row(&store, d).await, ("queued".into(), 0, None, None));
    assert_eq!(row(&store, e).await, ("sending".into(), 1, None, None));
    let (parts, message_id, sent_at): (Option<i64>, Option<String>, Option<i64>) = sqlx::query_as(
        "SELECT parts, (SELECT message_id FROM campaign_recipients WHERE contact_id = ?),
                    sent_at FROM campaign_recipients WHERE contact_id = ?",
    )
    .bind(e)
    .bind(c)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(parts, Some(2));
    assert!(sent_at.is_some_and(|at| at > 0));
    assert_eq!(
        message_id.as_deref(),
        Some("<e@x>"),
        "the second claim changed nothing"
    );
}

#[tokio::test]
async fn every_kind_of_mark_sets_its_columns_and_an_outcome_clears_or_keeps_the_error() {
    let (_dir, store, campaign, [ann]) = resolved_to(["ann@x.org"]).await;
    let writer = LedgerWriter::start(&store);
    let claim = || Mark::Sending {
        message_id: "<m@x.org>".into(),
    };
    let steps: Vec<(Mark, Expected)> = vec![
        (claim(), ("sending", 1, None, None)),
        (
            Mark::Retry {
                error: "421 busy".into(),
                next_attempt_at: 0,
            },
            ("queued", 1, Some("421 busy"), None),
        ),
        // A claim keeps the last attempt's error until the outcome.
        (claim(), ("sending", 2, Some("421 busy"), None)),
        (
            Mark::InDoubt {
                detail: "dropped after DATA".into(),
            },
            ("in_doubt", 2, Some("dropped after DATA"), None),
        ),
    ];
    for (mark, want) in steps {
        assert!(writer.mark(campaign, ann, mark).await.unwrap());
        writer.settle().await.unwrap();
        let got = row(&store, ann).await;
        assert_eq!(
            (got.0.as_str(), got.1, got.2.as_deref(), got.3.as_deref()),
            want
        );
    }
    ledger::resend_in_doubt(&store, campaign, &[ann])
        .await
        .unwrap();
    assert!(writer.mark(campaign, ann, claim()).await.unwrap());
    assert!(writer
        .mark(
            campaign,
            ann,
            Mark::Failed {
                error: "550 no such user".into()
            }
        )
        .await
        .unwrap());
    let (status, error, failed_at): (String, Option<String>, Option<i64>) = sqlx::query_as(
        "SELECT status, error, failed_at FROM campaign_recipients WHERE contact_id = ?",
    )
    .bind(ann)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(status, "failed");
    assert_eq!(error.as_deref(), Some("550 no such user"));
    assert!(failed_at.is_some_and(|at| at > 0));
}

#[tokio::test]
async fn a_group_that_fails_half_way_leaves_nothing_and_is_retried_whole() {
    let (_dir, store, campaign, [ann, bob]) = resolved_to(["ann@x.org", "bob@x.org"]).await;
    // Bob's claim fails inside the transaction, after Ann's has run.
    sqlx::query(
        "CREATE TRIGGER refuse_boom BEFORE INSERT ON ledger_journal
         WHEN NEW.id_text = 'boom' BEGIN SELECT RAISE(ABORT, 'refused'); END",
    )
    .execute(store.pool())
    .await
    .unwrap();
    let writer = LedgerWriter::start(&store);
    let marks = vec![
        (
            campaign,
            ann,
            Mark::Sending {
                message_id: "fine".into(),
            },
        ),
        (
            campaign,
            bob,
            Mark::Sending {
                message_id: "boom".into(),
            },
        ),
    ];
    let pending = tokio::spawn({
        let writer = writer.clone();
        async move { writer.mark_together(marks).await }
    });

    // While the group keeps failing, none of it is visible: Ann's claim
    // was undone with Bob's.
    let mut seen_failing = false;
    for _ in 0..200 {
        assert_eq!(
            statuses(&store, campaign).await,
            pairs(&[("ann@x.org", "queued"), ("bob@x.org", "queued")])
        );
        let journaled: i64 = sqlx::query_scalar("SELECT count(*) FROM ledger_journal")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(journaled, 0, "Ann's claim was rolled back with Bob's");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        if !pending.is_finished() {
            seen_failing = true;
        }
    }
    assert!(seen_failing, "the group was refused and is being retried");
    sqlx::query("DROP TRIGGER refuse_boom")
        .execute(store.pool())
        .await
        .unwrap();

    // Retried whole, it commits; the writer's connection is usable again.
    assert_eq!(pending.await.unwrap().unwrap(), [true, true]);
    assert!(writer
        .mark(
            campaign,
            ann,
            Mark::Sent {
                provider_message_id: None
            }
        )
        .await
        .unwrap());
    writer.settle().await.unwrap();
    assert_eq!(
        statuses(&store, campaign).await,
        pairs(&[("ann@x.org", "sent"), ("bob@x.org", "sending")])
    );
}

#[tokio::test]
async fn a_claimed_row_given_back_is_queued_again_without_counting_an_attempt() {
    let (_dir, store) = fresh_store().await;
    let ann = create(&store, new_contact(Some("ann@x.org"), None)).await;
    let campaign = campaign_to_everyone(&store).await;
    ledger::resolve(&store, campaign).await.unwrap();
    let writer = LedgerWriter::start(&store);
    let ann = ann.id.as_uuid();
    // Only a claimed row can be given back.
    assert!(!writer.mark(campaign, ann, Mark::GiveBack).await.unwrap());
    let sending = Mark::Sending {
        message_id: "<m@x.org>".into(),
    };
    assert!(writer.mark(campaign, ann, sending).await.unwrap());

    assert!(writer.mark(campaign, ann, Mark::GiveBack).await.unwrap());

    assert_eq!(
        statuses(&store, campaign).await,
        pairs(&[("ann@x.org", "queued")])
    );
    let next = ledger::next_batch(&store, campaign, 10, herald_store::now_millis())
        .await
        .unwrap();
    assert_eq!(next.rows.len(), 1, "due again at once");
    assert_eq!(next.rows[0].attempts, 0, "nothing was sent: no attempt");
    assert_eq!(ledger::pending(&store, campaign).await.unwrap().sending, 0);
}

#[tokio::test]
async fn interrupted_sends_become_in_doubt_and_only_chosen_ones_are_requeued() {
    let (_dir, store) = fresh_store().await;
    let ann = create(&store, new_contact(Some("ann@x.org"), None)).await;
    let bob = create(&store, new_contact(Some("bob@x.org"), None)).await;
    let campaign = campaign_to_everyone(&store).await;
    ledger::resolve(&store, campaign).await.unwrap();
    let writer = LedgerWriter::start(&store);
    for contact in [&ann, &bob] {
        writer
            .mark(
                campaign,
                contact.id.as_uuid(),
                Mark::Sending {
                    message_id: "<m@x.org>".into(),
                },
            )
            .await
            .unwrap();
    }

    assert_eq!(ledger::recover_in_doubt(&store).await.unwrap(), 2);
    assert_eq!(
        statuses(&store, campaign).await,
        pairs(&[("ann@x.org", "in_doubt"), ("bob@x.org", "in_doubt")])
    );
    let batch = ledger::next_batch(&store, campaign, 10, herald_store::now_millis())
        .await
        .unwrap();
    assert!(batch.rows.is_empty(), "in-doubt rows are never picked up");

    ledger::resend_in_doubt(&store, campaign, &[bob.id.as_uuid()])
        .await
        .unwrap();
    assert_eq!(
        statuses(&store, campaign).await,
        pairs(&[("ann@x.org", "in_doubt"), ("bob@x.org", "queued")])
    );
    let (rows, total) = ledger::recipients(
        &store,
        campaign,
        &RecipientQuery {
            status: Some(RecipientStatus::InDoubt),
            search: None,
            offset: 0,
            limit: 50,
        },
    )
    .await
    .unwrap();
    assert_eq!(total, 1);
    assert_eq!(rows[0].address, "ann@x.org");
}

#[tokio::test]
async fn starting_refuses_when_the_audience_changed_since_it_was_confirmed() {
    let (_dir, store) = fresh_store().await;
    create(&store, new_contact(Some("ann@x.org"), None)).await;
    let campaign = campaign_to_everyone(&store).await;

    let err = campaign_runs::start(&store, campaign, Some(2))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict(m) if m.contains("1 people would receive it now")),
        "{err}"
    );
    assert_eq!(
        campaign_runs::state(&store, campaign).await.unwrap().status,
        "draft"
    );
    assert!(
        statuses(&store, campaign).await.is_empty(),
        "nothing resolved"
    );

    let audience = campaign_runs::start(&store, campaign, Some(1))
        .await
        .unwrap();
    assert_eq!(audience.will_receive, 1);
    assert_eq!(
        campaign_runs::state(&store, campaign).await.unwrap().status,
        "sending"
    );
}

#[tokio::test]
async fn run_moves_are_refused_from_the_wrong_status() {
    let (_dir, store) = fresh_store().await;
    create(&store, new_contact(Some("ann@x.org"), None)).await;
    let campaign = campaign_to_everyone(&store).await;

    let err = campaign_runs::pause(&store, campaign).await.unwrap_err();
    assert_eq!(err.to_string(), "a draft campaign cannot be paused");
    campaign_runs::start(&store, campaign, None).await.unwrap();
    campaign_runs::pause(&store, campaign).await.unwrap();
    let err = campaign_runs::start(&store, campaign, None)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "a paused campaign cannot be started");
    campaign_runs::resume(&store, campaign).await.unwrap();
    campaign_runs::cancel(&store, campaign).await.unwrap();
    let err = campaign_runs::resume(&store, campaign).await.unwrap_err();
    assert_eq!(err.to_string(), "a cancelled campaign cannot be resumed");
}

#[tokio::test]
async fn the_recipient_export_neutralises_formulas() {
    let (_dir, store) = fresh_store().await;
    let ann = create(&store, new_contact(Some("ann@x.org"), None)).await;
    sqlx::query("UPDATE contacts SET first_name = '=HYPERLINK(1)' WHERE id = ?")
        .bind(ann.id.as_uuid())
        .execute(store.pool())
        .await
        .unwrap();
    let campaign = campaign_to_everyone(&store).await;
    ledger::resolve(&store, campaign).await.unwrap();

    let csv = ledger::export_csv(&store, campaign, None).await.unwrap();

    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "address,name,status,attempts,error,sent_at,opened_at,clicked_at,delivery_status,delivery_error"
    );
    assert_eq!(lines[1], "ann@x.org,'=HYPERLINK(1),queued,0,,,,,,");
}

#[tokio::test]
async fn a_deferred_row_stays_queued_without_an_attempt_until_its_time_and_records_parts() {
    let (_dir, store) = fresh_store().await;
    let ann = create(&store, new_contact(Some("ann@x.org"), None)).await;
    let campaign = campaign_to_everyone(&store).await;
    ledger::resolve(&store, campaign).await.unwrap();
    let writer = LedgerWriter::start(&store);
    let ann = ann.id.as_uuid();
    let defer = Mark::Defer {
        until: 5_000,
        reason: "outside sending hours".into(),
    };
    assert!(writer.mark(campaign, ann, defer).await.unwrap());
    // Not due before its time; due after it.
    assert!(ledger::next_batch(&store, campaign, 10, 4_999)
        .await
        .unwrap()
        .rows
        .is_empty());
    let due = ledger::next_batch(&store, campaign, 10, 5_000)
        .await
        .unwrap();
    assert_eq!(due.rows.len(), 1);
    assert_eq!(due.rows[0].attempts, 0, "a deferral is not an attempt");

    let sending = Mark::Sending {
        message_id: "m-1".into(),
    };
    assert!(writer.mark(campaign, ann, sending).await.unwrap());
    // A row being sent cannot be deferred.
    let late = Mark::Defer {
        until: 9_000,
        reason: "late".into(),
    };
    assert!(!writer.mark(campaign, ann, late).await.unwrap());
    let sent = Mark::SentParts {
        provider_message_id: Some("SM1".into()),
        parts: 3,
    };
    assert!(writer.mark(campaign, ann, sent).await.unwrap());
    writer.settle().await.unwrap();
    let (status, parts, error): (String, i64, Option<String>) =
        sqlx::query_as("SELECT status, parts, error FROM campaign_recipients WHERE contact_id = ?")
            .bind(ann)
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!((status.as_str(), parts, error), ("sent", 3, None));
}

#[tokio::test]
async fn a_segments_sendable_members_are_read_as_the_composer_takes_them_without_writing() {
    let (_dir, store) = fresh_store().await;
    let ann = create(&store, new_contact(Some("ann@x.org"), Some("+14155552671"))).await;
    create(&store, new_contact(Some("bob@x.org"), None)).await;
    let cy = create(&store, new_contact(None, Some("+14155552672"))).await;
    sqlx::query("UPDATE contacts SET sms_status = 'opted_out' WHERE id = ?")
        .bind(cy.id.as_uuid())
        .execute(store.pool())
        .await
        .unwrap();
    let everyone = segments::create(
        &store,
        &SegmentInput {
            name: "everyone".into(),
            description: None,
            filter: json!({"all": []}),
        },
    )
    .await
    .unwrap();
    let sms = ledger::sendable_members(&store, everyone.id, herald_core::Channel::Sms, 10)
        .await
        .unwrap();
    // Bob has no number; Cy opted out.
    assert_eq!(sms.len(), 1);
    assert_eq!(sms[0].contact_id, ann.id.as_uuid());
    assert_eq!(sms[0].address, "+14155552671");
    assert_eq!(sms[0].email.as_deref(), Some("ann@x.org"));
    let email = ledger::sendable_members(&store, everyone.id, herald_core::Channel::Email, 10)
        .await
        .unwrap();
    assert_eq!(email.len(), 2);
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM campaign_recipients")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(rows, 0, "nothing written");
}
