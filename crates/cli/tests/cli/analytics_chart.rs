//! `herald analytics chart`: a campaign sent 30 hours ago with opens and a
//! click (relay events applied through the store, as `herald sync` does),
//! drawn by the real binary as PNG and SVG.

use chrono::{Duration, Utc};
use herald_core::{Channel, EmailAddress};
use herald_store::contacts::{self, NewContact};
use herald_store::relay_events::{self, EventKind, RelayEvent};
use herald_store::Store;
use uuid::Uuid;

use crate::helpers::Workspace;

/// A workspace with one campaign sent to two people: two opens and a
/// click.
async fn workspace() -> (Workspace, Uuid) {
    let ws = Workspace::new();
    let store = Store::open(&ws.db).await.unwrap();
    let mut people = Vec::new();
    for i in 0..2 {
        let new = NewContact {
            email: Some(EmailAddress::parse(&format!("p{i}@example.com")).unwrap()),
            ..NewContact::default()
        };
        people.push(contacts::create(&store, new).await.unwrap().id.as_uuid());
    }
    let id = Uuid::now_v7();
    let sent = Utc::now() - Duration::hours(30);
    sqlx::query(
        "INSERT INTO campaigns (id, channel, name, subject, status, started_at,
             created_at, updated_at)
         VALUES (?, 'email', 'Launch', 'Hi', 'sent', ?, 0, 0)",
    )
    .bind(id)
    .bind(sent.timestamp_millis())
    .execute(store.pool())
    .await
    .unwrap();
    for (i, contact) in people.iter().enumerate() {
        sqlx::query(
            "INSERT INTO campaign_recipients (campaign_id, contact_id, address, status,
                 queued_at, sent_at)
             VALUES (?, ?, ?, 'sent', 0, ?)",
        )
        .bind(id)
        .bind(contact)
        .bind(format!("p{i}@example.com"))
        .bind(sent.timestamp_millis())
        .execute(store.pool())
        .await
        .unwrap();
    }
    let hit = |kind: EventKind, contact: Uuid, after: i64| RelayEvent {
        campaign_id: Some(id),
        recipient_id: Some(contact),
        channel: Some(Channel::Email),
        url: Some("https://example.com/".into()),
        ..RelayEvent::new(kind, sent + Duration::minutes(after))
    };
    let events = [
        hit(EventKind::Open, people[0], 30),
        hit(EventKind::Open, people[1], 200),
        hit(EventKind::Click, people[1], 210),
    ];
    relay_events::apply_page(&store, &events, "c")
        .await
        .unwrap();
    store.close().await;
    (ws, id)
}

/// A PNG's width and height from its IHDR chunk (right after the signature).
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().trim().to_owned())
        .collect()
}

#[tokio::test]
async fn analytics_chart_writes_a_png_of_the_asked_size() {
    let (ws, id) = workspace().await;
    let out = ws.path("engagement.png");
    ws.ok(&[
        "analytics",
        "chart",
        &id.to_string(),
        "--out",
        out.to_str().unwrap(),
        "--width",
        "640",
        "--height",
        "300",
        "--theme",
        "dark",
    ]);
    assert_eq!(png_size(&std::fs::read(&out).unwrap()), (640, 300));
}

#[tokio::test]
async fn analytics_chart_writes_svg_with_axis_labels_for_either_kind() {
    let (ws, id) = workspace().await;
    let out = ws.path("chart.svg");
    let out_arg = out.to_str().unwrap();
    ws.ok(&["analytics", "chart", &id.to_string(), "--out", out_arg]);
    let svg = std::fs::read_to_string(&out).unwrap();
    let labels = texts(&svg);
    assert!(
        labels.iter().any(|t| t == "Opens and clicks per hour"),
        "{labels:?}"
    );
    assert!(labels.iter().any(|t| t.starts_with("Time (")), "{labels:?}");
    assert!(svg.starts_with("<svg width=\"1200\" height=\"600\""));

    let (from, to) = (Utc::now() - Duration::days(20), Utc::now());
    ws.ok(&[
        "analytics",
        "chart",
        &id.to_string(),
        "--out",
        out_arg,
        "--from",
        &from.to_rfc3339(),
        "--to",
        &to.to_rfc3339(),
    ]);
    let labels = texts(&std::fs::read_to_string(&out).unwrap());
    assert!(
        labels.iter().any(|t| t == "Opens and clicks per day"),
        "{labels:?}"
    );

    ws.ok(&[
        "analytics",
        "chart",
        &id.to_string(),
        "--kind",
        "funnel",
        "--out",
        out_arg,
    ]);
    let labels = texts(&std::fs::read_to_string(&out).unwrap());
    for step in ["Sent", "Opened", "Clicked", "People"] {
        assert!(
            labels.iter().any(|t| t == step),
            "{step} missing: {labels:?}"
        );
    }
}

#[tokio::test]
async fn analytics_chart_refuses_an_unknown_format_and_sizes_out_of_bounds() {
    let (ws, id) = workspace().await;
    let id = id.to_string();
    let bad = ws.run(&[
        "analytics",
        "chart",
        &id,
        "--out",
        ws.path("chart.jpg").to_str().unwrap(),
    ]);
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("--out") && err.contains(".png or .svg"),
        "{err}"
    );

    let png = ws.path("chart.png");
    let small = ws.run(&[
        "analytics",
        "chart",
        &id,
        "--out",
        png.to_str().unwrap(),
        "--width",
        "50",
    ]);
    assert!(!small.status.success());
    let err = String::from_utf8_lossy(&small.stderr);
    assert!(err.contains("--width"), "{err}");
    assert!(!png.exists(), "nothing written");
}
