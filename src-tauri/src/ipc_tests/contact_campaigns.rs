//! The contact page's campaigns through IPC: what `contacts_get` says a
//! contact was sent, and what the relay's events said they did with it.

use chrono::{TimeZone, Utc};
use herald_store::ledger;
use herald_store::relay_events::{self, EventKind, RelayEvent};
use herald_store::segments::{self, SegmentInput};
use serde_json::json;
use tauri::Manager;
use uuid::Uuid;

use super::{app, form, mark_sent};
use crate::state::AppState;

#[test]
fn the_contact_detail_lists_campaigns_with_their_opens_clicks_and_bounces() {
    let app = app();
    let ada = app.ok(
        "contacts_create",
        json!({"input": form("ada@example.com", "")}),
    );
    let contact: Uuid = ada["contact"]["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(ada["campaigns"], json!([]));
    let store = app._app.state::<AppState>().store.clone();
    let everyone = tauri::async_runtime::block_on(segments::create(
        &store,
        &SegmentInput {
            name: "Everyone".into(),
            description: None,
            filter: json!({"all": []}),
        },
    ))
    .unwrap();
    let campaign = app.ok(
        "campaigns_create",
        json!({"input": {"channel": "email", "name": "Spring news",
               "segmentId": everyone.id.to_string(),
               "subject": "Hello", "preheader": null, "fromName": "Ada",
               "fromAddress": "news@example.com", "replyTo": null, "html": "<p>Hi</p>",
               "textBody": null, "editor": "rich", "templateId": null, "tracking": true,
               "rate": null}}),
    );
    let campaign_id = campaign["id"].as_str().unwrap().to_owned();
    let campaign: Uuid = campaign_id.parse().unwrap();

    // The send engine's path to a sent row (its own tests cover it), then
    // the relay's events as a sync applies them.
    let at = |hour| Utc.with_ymd_and_hms(2026, 3, 1, hour, 0, 0).unwrap();
    tauri::async_runtime::block_on(async {
        ledger::resolve(&store, campaign).await.unwrap();
        mark_sent(&store, campaign, &[contact]).await;
        let hit = |kind, hour, machine| RelayEvent {
            campaign_id: Some(campaign),
            recipient_id: Some(contact),
            machine,
            ..RelayEvent::new(kind, at(hour))
        };
        relay_events::apply_page(
            &store,
            &[
                // Apple Mail Privacy Protection's preload: not an open.
                hit(EventKind::Open, 9, true),
                hit(EventKind::Click, 11, false),
                RelayEvent {
                    detail: json!({"bounce_type": "soft"}),
                    ..hit(EventKind::Bounce, 12, false)
                },
            ],
            "1",
        )
        .await
        .unwrap();
    });

    let mut detail = app.ok("contacts_get", json!({"id": contact.to_string()}));
    // Sent when the test ran.
    let sent_at = detail["campaigns"][0]["sentAt"].take();
    assert!(sent_at.is_string(), "{sent_at}");
    assert_eq!(
        detail["campaigns"],
        json!([{
            "campaignId": campaign_id,
            "campaignName": "Spring news",
            "channel": "email",
            "status": "sent",
            "sentAt": null,
            "deliveredAt": null,
            "openedAt": "2026-03-01T11:00:00.000Z",
            "clickedAt": "2026-03-01T11:00:00.000Z",
            "bouncedAt": "2026-03-01T12:00:00.000Z",
            "complainedAt": null,
            "unsubscribedAt": null,
        }])
    );
}
