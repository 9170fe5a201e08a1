//! Why a scheduled campaign did not start, on a real workspace file: kept
//! once per distinct failure, held back from the scheduler for a while, and
//! forgotten when the person changes the campaign.

use herald_store::campaigns::{self, CampaignId, CampaignInput};
use herald_store::segments::{self, SegmentInput};
use herald_store::start_failures::{self, RETRY_AFTER_MS};
use herald_store::{campaign_runs, now_millis, Store};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{create, fresh_store, new_contact};

const NO_SMTP: &str = "Set up SMTP in Settings → Email first";

/// A campaign to everyone (one contact), scheduled a minute from now;
/// returns it and the time it is due.
async fn scheduled(store: &Store) -> (Uuid, i64) {
    create(store, new_contact(Some("ann@example.org"), None)).await;
    let segment = segments::create(
        store,
        &SegmentInput {
            name: "Everyone".to_owned(),
            description: None,
            filter: json!({"all": []}),
        },
    )
    .await
    .unwrap();
    let campaign = campaigns::create(
        store,
        &CampaignInput {
            segment_id: Some(segment.id),
            subject: "Autumn".to_owned(),
            html: "<p>Hi</p>".to_owned(),
            ..CampaignInput::draft("Autumn news")
        },
    )
    .await
    .unwrap();
    let id = campaign.id.as_uuid();
    let at = now_millis() + 60_000;
    campaign_runs::schedule(store, id, at).await.unwrap();
    (id, at)
}

#[tokio::test]
async fn a_failure_is_kept_with_when_it_was_first_met_and_the_latest_attempt() {
    let (_dir, store) = fresh_store().await;
    let (id, at) = scheduled(&store).await;
    start_failures::record(&store, id, "validation", NO_SMTP, at)
        .await
        .unwrap();
    start_failures::record(&store, id, "validation", NO_SMTP, at + RETRY_AFTER_MS)
        .await
        .unwrap();
    let kept = start_failures::get(&store, id).await.unwrap().unwrap();
    assert_eq!(
        (kept.kind.as_str(), kept.message.as_str()),
        ("validation", NO_SMTP)
    );
    assert_eq!((kept.failed_at, kept.tried_at), (at, at + RETRY_AFTER_MS));

    // Another reason is another failure, with its own time.
    start_failures::record(
        &store,
        id,
        "relay",
        "The relay refused",
        at + 2 * RETRY_AFTER_MS,
    )
    .await
    .unwrap();
    let kept = start_failures::get(&store, id).await.unwrap().unwrap();
    assert_eq!(kept.kind, "relay");
    assert_eq!(kept.failed_at, at + 2 * RETRY_AFTER_MS);

    let listed = start_failures::scheduled(&store).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "Autumn news");
    assert_eq!(start_failures::all(&store).await.unwrap()[&id], kept);

    // The campaign stays scheduled; the failure is all that changed.
    assert_eq!(
        campaign_runs::state(&store, id).await.unwrap().status,
        "scheduled"
    );
}

#[tokio::test]
async fn the_scheduler_leaves_a_failed_campaign_alone_until_the_retry_time() {
    let (_dir, store) = fresh_store().await;
    let (id, at) = scheduled(&store).await;
    assert_eq!(
        campaign_runs::due(&store, at, RETRY_AFTER_MS)
            .await
            .unwrap(),
        vec![(id, at)]
    );
    start_failures::record(&store, id, "validation", NO_SMTP, at)
        .await
        .unwrap();

    assert!(
        campaign_runs::due(&store, at + RETRY_AFTER_MS - 1, RETRY_AFTER_MS)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        campaign_runs::due(&store, at + RETRY_AFTER_MS, RETRY_AFTER_MS)
            .await
            .unwrap(),
        vec![(id, at)]
    );
    // Without a retry interval (the CLI's run-due), every due campaign.
    assert_eq!(
        campaign_runs::due(&store, at + 1, 0).await.unwrap(),
        vec![(id, at)]
    );
}

#[tokio::test]
async fn a_failure_is_forgotten_when_the_campaign_is_edited_rescheduled_unscheduled_or_started() {
    let (_dir, store) = fresh_store().await;
    let (id, at) = scheduled(&store).await;
    let failed = |store: Store| async move {
        start_failures::record(&store, id, "validation", NO_SMTP, at)
            .await
            .unwrap();
    };
    let kept = |store: Store| async move { start_failures::get(&store, id).await.unwrap() };

    failed(store.clone()).await;
    let campaign = campaigns::get(&store, CampaignId::from_uuid(id))
        .await
        .unwrap();
    let edited = CampaignInput {
        segment_id: campaign.segment_id,
        subject: "Autumn, fixed".to_owned(),
        html: campaign.html.clone(),
        ..CampaignInput::draft("Autumn news")
    };
    campaigns::update(&store, campaign.id, &edited)
        .await
        .unwrap();
    assert_eq!(kept(store.clone()).await, None, "kept after an edit");

    failed(store.clone()).await;
    campaign_runs::schedule(&store, id, at + 60_000)
        .await
        .unwrap();
    assert_eq!(kept(store.clone()).await, None, "kept after rescheduling");

    failed(store.clone()).await;
    campaign_runs::unschedule(&store, id).await.unwrap();
    assert_eq!(kept(store.clone()).await, None, "kept after unscheduling");

    failed(store.clone()).await;
    campaign_runs::start(&store, id, None).await.unwrap();
    assert_eq!(kept(store.clone()).await, None, "kept after starting");
}

#[tokio::test]
async fn clearing_forgets_only_that_campaign() {
    let (_dir, store) = fresh_store().await;
    let (id, at) = scheduled(&store).await;
    start_failures::record(&store, id, "validation", NO_SMTP, at)
        .await
        .unwrap();
    start_failures::clear(&store, Uuid::now_v7()).await.unwrap();
    assert!(start_failures::get(&store, id).await.unwrap().is_some());
    start_failures::clear(&store, id).await.unwrap();
    assert!(start_failures::get(&store, id).await.unwrap().is_none());
}
