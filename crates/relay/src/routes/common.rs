//! Pieces the token routes share: turning verified claims and the request
//! into an event, and the responses for a store that could not commit.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use herald_core::token::Claims;

use crate::event::{EventKind, NewEvent};
use crate::state::ClientIp;

/// User agents are stored for the desktop's machine heuristics; beyond this
/// length they are cut (on a character boundary).
const MAX_USER_AGENT: usize = 512;

/// An event for a verified token hit.
pub fn token_event(
    kind: EventKind,
    claims: &Claims,
    headers: &HeaderMap,
    ip: ClientIp,
    machine_reason: Option<&'static str>,
) -> NewEvent {
    let mut event = NewEvent::new(kind, chrono::Utc::now());
    event.campaign_id = Some(claims.campaign);
    event.recipient_id = Some(claims.recipient);
    event.channel = Some(claims.channel);
    event.ip = ip.0.map(|ip| ip.to_string());
    event.user_agent = user_agent(headers);
    event.machine = machine_reason.is_some();
    if let Some(reason) = machine_reason {
        event.detail = serde_json::json!({ "machine_reason": reason });
    }
    event
}

fn user_agent(headers: &HeaderMap) -> Option<String> {
    let agent = headers.get(header::USER_AGENT)?.to_str().ok()?.trim();
    if agent.is_empty() {
        return None;
    }
    let mut end = agent.len().min(MAX_USER_AGENT);
    while !agent.is_char_boundary(end) {
        end -= 1;
    }
    Some(agent[..end].to_owned())
}

/// The answer when the store failed: the hit was not recorded, so the
/// client must not think it was (a 2xx means durable).
pub fn store_unavailable(error: &crate::store::StoreError) -> Response {
    tracing::error!(error = %error, "could not record a hit");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, "5")],
        "temporarily unavailable\n",
    )
        .into_response()
}
