//! The chart commands through IPC: a draft campaign's charts (empty
//! frames, still valid SVG), the dashboard's growth chart, a PNG export,
//! and the errors naming their field.

use base64::Engine;
use herald_store::segments::{self, SegmentInput};
use serde_json::{json, Value};
use tauri::Manager;

use super::{app, error_of, TestApp};
use crate::state::AppState;

fn draft_campaign(app: &TestApp, name: &str) -> String {
    let store = app._app.state::<AppState>().store.clone();
    let everyone = tauri::async_runtime::block_on(segments::create(
        &store,
        &SegmentInput {
            name: format!("Everyone for {name}"),
            description: None,
            filter: json!({"all": []}),
        },
    ))
    .unwrap();
    let c = app.ok(
        "campaigns_create",
        json!({"input": {"channel": "email", "name": name, "segmentId": everyone.id.to_string(),
               "subject": "Hello", "preheader": null, "fromName": "Ada",
               "fromAddress": "news@example.com", "replyTo": null, "html": "<p>Hi</p>",
               "textBody": null, "editor": "rich", "templateId": null, "tracking": true,
               "rate": null}}),
    );
    c["id"].as_str().unwrap().to_owned()
}

/// Asks for `spec` in the dark theme at 640 × 260.
fn request(spec: Value) -> Value {
    let mut request = json!({"theme": "dark", "width": 640, "height": 260});
    request["spec"] = spec;
    request
}

#[test]
fn a_draft_campaigns_charts_are_empty_frames_with_their_bucket() {
    let app = app();
    let id = draft_campaign(&app, "Spring <sale>");
    let spec = json!({"kind": "engagement", "campaignId": id,
                      "from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z"});
    let view = app.ok("analytics_chart", json!({"request": request(spec)}));
    assert_eq!(view["bucket"], "hour");
    assert_eq!(view["empty"], true);
    assert_eq!(
        (view["width"].as_u64(), view["height"].as_u64()),
        (Some(640), Some(260))
    );
    let svg = view["svg"].as_str().unwrap();
    assert!(svg.starts_with("<svg width=\"100%\""), "{svg}");
    assert!(svg.contains("Opens and clicks per hour"));
    let points = view["points"].as_array().unwrap();
    assert_eq!(points.len(), 48, "24 hours × opens and clicks");
    assert_eq!(points[0]["value"], "0 opens");

    let funnel = app.ok(
        "analytics_chart",
        json!({"request": request(json!({"kind": "funnel", "campaignId": id}))}),
    );
    assert_eq!(funnel["empty"], true);
    assert_eq!(funnel["bucket"], Value::Null);

    let growth = app.ok(
        "analytics_chart",
        json!({"request": request(json!({"kind": "growth"}))}),
    );
    assert!(growth["svg"].as_str().unwrap().contains("People per week"));
    assert_eq!(growth["points"].as_array().unwrap().len(), 12 * 3);
}

#[test]
fn a_chart_exports_as_png_and_svg_files() {
    let app = app();
    let id = draft_campaign(&app, "Spring");
    let req = request(json!({"kind": "funnel", "campaignId": id}));
    let png = app.ok(
        "analytics_chart_export",
        json!({"request": req, "format": "png"}),
    );
    assert_eq!(png["fileName"], "funnel.png");
    assert_eq!(png["mime"], "image/png");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(png["base64"].as_str().unwrap())
        .unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(&bytes[16..24], &[0, 0, 2, 128, 0, 0, 1, 4], "640 × 260");

    let svg = app.ok(
        "analytics_chart_export",
        json!({"request": req, "format": "svg"}),
    );
    assert_eq!(svg["mime"], "image/svg+xml");
    let text = base64::engine::general_purpose::STANDARD
        .decode(svg["base64"].as_str().unwrap())
        .unwrap();
    assert!(String::from_utf8(text)
        .unwrap()
        .starts_with("<svg width=\"640\" height=\"260\""));
}

#[test]
fn chart_errors_name_the_field_at_fault() {
    let app = app();
    let id = draft_campaign(&app, "Spring");
    let funnel = json!({"kind": "funnel", "campaignId": id});
    let too_narrow =
        json!({"request": {"spec": funnel, "theme": "light", "width": 50, "height": 260}});
    assert_eq!(
        error_of(&app.err("analytics_chart", too_narrow)),
        ("validation", Some("width"))
    );
    let too_tall =
        json!({"request": {"spec": funnel, "theme": "light", "width": 640, "height": 9000}});
    assert_eq!(
        error_of(&app.err("analytics_chart", too_tall)),
        ("validation", Some("height"))
    );

    let bad_id = request(json!({"kind": "funnel", "campaignId": "nope"}));
    let e = app.err("analytics_chart", json!({"request": bad_id}));
    assert_eq!(error_of(&e), ("validation", Some("spec.campaignId")));

    let one = request(json!({"kind": "comparison", "campaignIds": [id]}));
    let e = app.err("analytics_chart", json!({"request": one}));
    assert_eq!(error_of(&e), ("validation", Some("spec.campaignIds")));

    let backwards = request(json!({"kind": "engagement", "campaignId": id,
                                   "from": "2026-03-02T00:00:00Z", "to": "2026-03-01T00:00:00Z"}));
    let e = app.err("analytics_chart", json!({"request": backwards}));
    assert_eq!(error_of(&e), ("validation", Some("spec.to")));

    let garbled =
        request(json!({"kind": "engagement", "campaignId": id, "from": "yesterday", "to": null}));
    let e = app.err("analytics_chart", json!({"request": garbled}));
    assert_eq!(error_of(&e), ("validation", Some("spec.from")));

    let missing =
        request(json!({"kind": "funnel", "campaignId": uuid::Uuid::now_v7().to_string()}));
    assert_eq!(
        error_of(&app.err("analytics_chart", json!({"request": missing}))).0,
        "not_found"
    );
}
