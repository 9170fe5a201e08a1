//! The relay sync's state in the settings (URL, cursor), the workspace id
//! the keychain files secrets under, and the event's wire form.

use herald_core::Channel;
use herald_store::relay_events::{self, EventKind, RelayEvent};
use herald_store::{relay_sync, Store};
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn an_event_reads_from_the_wire_form_of_the_contract() {
    let wire = json!({
        "id": "0193a5e0-0000-7000-8000-000000000001",
        "kind": "bounce",
        "at": "2026-11-28T21:00:00.123Z",
        "campaign_id": null,
        "recipient_id": null,
        "channel": "email",
        "machine": false,
        "url": null,
        "ip": null,
        "user_agent": null,
        "provider": "ses",
        "provider_event_id": "abc",
        "provider_message_id": "m-1",
        "address": "ada@example.com",
        "detail": { "bounce_type": "hard", "reason": "550" }
    });
    let event: RelayEvent = serde_json::from_value(wire).unwrap();
    assert_eq!(event.kind, EventKind::Bounce);
    assert_eq!(event.channel, Some(Channel::Email));
    assert_eq!(event.at.timestamp_subsec_millis(), 123);
    assert_eq!(event.detail["bounce_type"], "hard");
    let minimal: RelayEvent = serde_json::from_value(json!({
        "id": "0193a5e0-0000-7000-8000-000000000002",
        "kind": "something_new",
        "at": "2026-11-28T21:00:00Z"
    }))
    .unwrap();
    assert_eq!(minimal.kind, EventKind::Other("something_new".into()));
    assert_eq!(minimal.detail, json!({}));
}

#[tokio::test]
async fn a_new_relay_url_starts_from_its_first_event() {
    let (_dir, store) = fresh_store().await;
    relay_sync::set_url(&store, "https://relay.example.com")
        .await
        .unwrap();
    relay_events::apply_page(&store, &[], "42").await.unwrap();
    relay_sync::set_url(&store, "https://relay.example.com")
        .await
        .unwrap();
    assert_eq!(
        relay_sync::cursor(&store).await.unwrap().as_deref(),
        Some("42")
    );
    relay_sync::set_url(&store, "https://other.example.com")
        .await
        .unwrap();
    let state = relay_sync::load(&store).await.unwrap();
    assert_eq!(state.url.as_deref(), Some("https://other.example.com"));
    assert_eq!(state.cursor, None);
}

#[tokio::test]
async fn the_workspace_id_is_made_once_and_kept() {
    let (dir, store) = fresh_store().await;
    let id = herald_store::settings::workspace_id(&store).await.unwrap();
    assert_eq!(
        herald_store::settings::workspace_id(&store).await.unwrap(),
        id
    );
    store.close().await;
    let reopened = Store::open(&dir.path().join("workspace.herald"))
        .await
        .unwrap();
    assert_eq!(
        herald_store::settings::workspace_id(&reopened)
            .await
            .unwrap(),
        id
    );
    let (_other_dir, other) = fresh_store().await;
    assert_ne!(
        herald_store::settings::workspace_id(&other).await.unwrap(),
        id
    );
}
