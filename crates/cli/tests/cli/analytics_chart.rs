//! `herald analytics chart`: a campaign sent 48 hours ago with opens and a
//! click (the analytics tests' workspace), drawn by the real binary as PNG
//! and SVG.

use chrono::{Duration, Utc};
use uuid::Uuid;

use crate::helpers::Workspace;

/// The analytics tests' workspace: "Spring", sent 48 hours ago, with
/// human and machine opens and a click.
async fn workspace() -> (Workspace, Uuid) {
    let (ws, spring, _) = crate::analytics::workspace().await;
    (ws, spring)
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
