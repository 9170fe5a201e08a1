//! The desktop's pull API: authentication, paging, cursors, ack.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;
use uuid::Uuid;

use crate::helpers::*;

fn authed(method: &str, uri: &str, body: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", format!("Bearer {API_TOKEN}"))
        .header("content-type", "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

async fn json(relay: &TestRelay, request: Request<Body>) -> (StatusCode, Value) {
    let reply = relay.send(request).await;
    (
        reply.status,
        serde_json::from_slice(&reply.body).unwrap_or(Value::Null),
    )
}

async fn opens(relay: &TestRelay, n: usize) -> Vec<Uuid> {
    let mut recipients = Vec::new();
    for _ in 0..n {
        let recipient = Uuid::now_v7();
        relay.get(&format!("/o/{}", open_token(recipient))).await;
        recipients.push(recipient);
    }
    recipients
}

#[tokio::test]
async fn events_need_the_bearer_token() {
    let relay = TestRelay::new().await;
    let none = Request::get("/api/v1/events").body(Body::empty()).unwrap();
    let reply = relay.send(none).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    for wrong in [
        "Bearer nope",
        &format!("Bearer {API_TOKEN}x"),
        &format!("Basic {API_TOKEN}"),
        API_TOKEN,
    ] {
        let request = Request::get("/api/v1/events")
            .header("authorization", wrong)
            .body(Body::empty())
            .unwrap();
        assert_eq!(
            relay.send(request).await.status,
            StatusCode::UNAUTHORIZED,
            "{wrong}"
        );
    }
    let ack = Request::post("/api/v1/ack")
        .body(Body::from("{\"cursor\":\"0\"}"))
        .unwrap();
    assert_eq!(relay.send(ack).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn events_page_in_order_with_a_cursor() {
    let relay = TestRelay::new().await;
    let (status, empty) = json(&relay, authed("GET", "/api/v1/events", "")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(empty["events"].as_array().unwrap().len(), 0);
    assert_eq!(empty["next_cursor"], "0");
    assert_eq!(empty["has_more"], false);

    let recipients = opens(&relay, 5).await;
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let uri = format!("/api/v1/events?after={cursor}&limit=2");
        let (status, page) = json(&relay, authed("GET", &uri, "")).await;
        assert_eq!(status, StatusCode::OK);
        for event in page["events"].as_array().unwrap() {
            assert_eq!(event["kind"], "open");
            assert_eq!(event["channel"], "email");
            assert!(event["id"].as_str().is_some());
            seen.push(Uuid::parse_str(event["recipient_id"].as_str().unwrap()).unwrap());
        }
        cursor = page["next_cursor"].as_str().unwrap().to_owned();
        if page["has_more"] == false {
            break;
        }
    }
    assert_eq!(seen, recipients);
    // Past the end: the same cursor back, nothing new.
    let (_, tail) = json(
        &relay,
        authed("GET", &format!("/api/v1/events?after={cursor}"), ""),
    )
    .await;
    assert_eq!(tail["next_cursor"], cursor.as_str());
    assert_eq!(tail["events"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn bad_cursors_and_limits_are_refused_by_name() {
    let relay = TestRelay::new().await;
    for (uri, field) in [
        ("/api/v1/events?after=abc", "after"),
        ("/api/v1/events?after=-1", "after"),
        ("/api/v1/events?limit=0", "limit"),
        ("/api/v1/events?limit=lots", "limit"),
    ] {
        let (status, body) = json(&relay, authed("GET", uri, "")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(
            body["error"].as_str().unwrap().starts_with(field),
            "{uri}: {body}"
        );
    }
    let (status, body) = json(&relay, authed("POST", "/api/v1/ack", "{\"cursor\": 5}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().starts_with("cursor"));
}

#[tokio::test]
async fn ack_moves_forward_only_up_to_the_newest_event() {
    let relay = TestRelay::new().await;
    opens(&relay, 3).await;
    let (status, _) = json(&relay, authed("POST", "/api/v1/ack", "{\"cursor\":\"2\"}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(relay.store.acked().await.unwrap(), 2);
    let (status, body) = json(&relay, authed("POST", "/api/v1/ack", "{\"cursor\":\"4\"}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    json(&relay, authed("POST", "/api/v1/ack", "{\"cursor\":\"1\"}")).await;
    assert_eq!(relay.store.acked().await.unwrap(), 2);
    // Inside the retention period nothing is pruned yet.
    assert_eq!(relay.events().await.len(), 3);
}

#[tokio::test]
async fn ack_prunes_acknowledged_events_past_retention() {
    let relay = TestRelay::with(|s| s.retention = std::time::Duration::ZERO).await;
    opens(&relay, 3).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let (status, _) = json(&relay, authed("POST", "/api/v1/ack", "{\"cursor\":\"2\"}")).await;
    assert_eq!(status, StatusCode::OK);
    let left: Vec<i64> = relay.events().await.iter().map(|e| e.seq).collect();
    assert_eq!(left, vec![3]);
}

#[tokio::test]
async fn healthz_answers_without_authentication() {
    let relay = TestRelay::new().await;
    let reply = relay.get("/healthz").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.text(), "ok\n");
    assert_eq!(relay.get("/nowhere").await.status, StatusCode::NOT_FOUND);
}
