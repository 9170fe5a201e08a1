//! The desktop's pull API: `GET /api/v1/events` and `POST /api/v1/ack`,
//! behind the bearer API token (docs/relay.md, "Events the relay hands out").

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::event::Event;
use crate::state::AppState;
use crate::store::StoreError;

const DEFAULT_LIMIT: u32 = 500;
const MAX_LIMIT: u32 = 5000;

#[derive(Debug, Deserialize)]
pub struct EventsQuery {
    after: Option<String>,
    limit: Option<String>,
}

/// The body of `GET /api/v1/events`.
#[derive(Debug, Serialize, Deserialize)]
pub struct EventsPage {
    pub events: Vec<Event>,
    pub next_cursor: String,
    pub has_more: bool,
}

#[derive(Debug, Deserialize)]
struct AckBody {
    cursor: String,
}

pub(super) fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}

pub(super) fn unauthorized() -> Response {
    let mut response = error(StatusCode::UNAUTHORIZED, "unauthorized");
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static("Bearer"),
    );
    response
}

pub(super) fn authorized(state: &AppState, headers: &HeaderMap) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|token| state.is_api_token(token.trim()))
}

fn internal(failure: &StoreError) -> Response {
    tracing::error!(error = %failure, "events API failed");
    error(StatusCode::SERVICE_UNAVAILABLE, "temporarily unavailable")
}

/// A cursor is the decimal sequence number (opaque to the desktop).
fn parse_cursor(raw: &str) -> Option<i64> {
    raw.parse::<i64>().ok().filter(|c| *c >= 0)
}

pub async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<EventsQuery>, QueryRejection>,
) -> Response {
    if !authorized(&state, &headers) {
        return unauthorized();
    }
    let Ok(Query(query)) = query else {
        return error(
            StatusCode::BAD_REQUEST,
            "query: expected after=<cursor>&limit=<n>",
        );
    };
    let after = match query.after.as_deref() {
        None | Some("") => 0,
        Some(raw) => match parse_cursor(raw) {
            Some(after) => after,
            None => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "after: not a cursor this relay gave out",
                )
            }
        },
    };
    let limit = match query.limit.as_deref() {
        None | Some("") => DEFAULT_LIMIT,
        Some(raw) => match raw.parse::<u32>() {
            Ok(0) | Err(_) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "limit: expected a number from 1 to 5000",
                )
            }
            Ok(n) => n.min(MAX_LIMIT),
        },
    };
    // One more than asked tells whether there is more.
    let mut rows = match state.store.events(after, limit + 1).await {
        Ok(rows) => rows,
        Err(e) => return internal(&e),
    };
    let has_more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor = rows.last().map_or(after, |r| r.seq).to_string();
    Json(EventsPage {
        events: rows.into_iter().map(|r| r.event).collect(),
        next_cursor,
        has_more,
    })
    .into_response()
}

pub async fn ack(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    if !authorized(&state, &headers) {
        return unauthorized();
    }
    let Ok(AckBody { cursor }) = serde_json::from_slice(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "cursor: expected {\"cursor\": \"<next_cursor>\"}",
        );
    };
    let Some(seq) = parse_cursor(&cursor) else {
        return error(
            StatusCode::BAD_REQUEST,
            "cursor: not a cursor this relay gave out",
        );
    };
    match state.store.ack(seq).await {
        Ok(()) => {}
        Err(StoreError::CursorAhead { .. }) => {
            return error(StatusCode::BAD_REQUEST, "cursor: ahead of the newest event")
        }
        Err(e) => return internal(&e),
    }
    let cutoff = chrono::Utc::now().timestamp_millis()
        - i64::try_from(state.settings.retention.as_millis()).unwrap_or(i64::MAX);
    if let Err(e) = state.store.prune(cutoff).await {
        // The ack stands; pruning runs again later.
        tracing::warn!(error = %e, "pruning after an ack failed");
    }
    Json(serde_json::json!({ "acked": cursor })).into_response()
}
