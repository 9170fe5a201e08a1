//! The app's background loop: syncs on demand, one sync at a time, reads
//! its URL and token afresh each run, and waits quietly until set up.

use std::sync::Arc;
use std::time::Duration;

use herald_core::{Channel, EmailStatus};
use herald_send::sync::SyncError;
use herald_send::sync_loop::{LoopOptions, SyncLoop};
use herald_store::relay_sync;
use uuid::Uuid;

use crate::helpers::*;

/// Long enough that only the first tick (at start) fires during a test.
const HOURLY: LoopOptions = LoopOptions {
    interval: Duration::from_secs(3600),
};

#[tokio::test]
async fn the_loop_syncs_on_demand_until_stopped() {
    let ws = Workspace::new().await;
    let ada = ws.contact(Some("ada@example.com"), None).await;
    let bob = ws.contact(Some("bob@example.com"), None).await;
    let (secrets, keys) = fresh_keys();
    let relay = Relay::start(&keys).await;
    relay_sync::set_url(&ws.store, relay.url.as_str())
        .await
        .unwrap();
    let campaign = Uuid::now_v7();
    relay.unsubscribe(campaign, ada.id, Channel::Email).await;

    let sync = SyncLoop::start(ws.store.clone(), Arc::new(secrets), HOURLY);
    // The start-up sync or this one applied Ada's unsubscribe.
    sync.sync_now().await.unwrap();
    assert_eq!(ws.get(ada.id).await.email_status, EmailStatus::Unsubscribed);

    relay.unsubscribe(campaign, bob.id, Channel::Email).await;
    sync.trigger();
    sync.sync_now().await.unwrap();
    assert_eq!(ws.get(bob.id).await.email_status, EmailStatus::Unsubscribed);
    assert_eq!(
        herald_store::relay_events::count(&ws.store).await.unwrap(),
        2
    );
    sync.stop().await;
    relay.stop().await;
}

#[tokio::test]
async fn an_unconfigured_loop_waits_without_recording_an_error() {
    let ws = Workspace::new().await;
    let (secrets, _keys) = fresh_keys();
    let sync = SyncLoop::start(ws.store.clone(), Arc::new(secrets), HOURLY);
    let err = sync.sync_now().await.unwrap_err();
    assert!(matches!(err, SyncError::NotConfigured(_)), "{err:?}");
    assert_eq!(relay_sync::load(&ws.store).await.unwrap().last_error, None);
    sync.stop().await;
}
