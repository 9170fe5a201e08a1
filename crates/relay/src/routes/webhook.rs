//! `POST /webhooks/...` (and `GET` for Vonage's SMS API): hands the raw
//! request to the provider verifiers in [`crate::webhooks`] and stores what
//! they accept, with the replay nonce in the same transaction.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{on, post, MethodFilter, MethodRouter};
use sha2::{Digest, Sha256};

use super::common::store_unavailable;
use crate::state::AppState;
use crate::store::{Nonce, StoreError, Write};
use crate::webhooks::{Reply, Route, WebhookRequest};

/// A POST route for one provider endpoint.
pub fn route(route: Route) -> MethodRouter<AppState> {
    post(
        move |State(state): State<AppState>, uri: Uri, headers: HeaderMap, body: Bytes| async move {
            handle(&state, route, &uri, &headers, &body).await
        },
    )
}

/// A GET and POST route, for Vonage's SMS API: the account chooses whether
/// its callbacks come as a query (GET), a form or JSON (POST).
pub fn route_get_or_post(route: Route) -> MethodRouter<AppState> {
    on(
        MethodFilter::GET.or(MethodFilter::POST),
        move |State(state): State<AppState>, uri: Uri, headers: HeaderMap, body: Bytes| async move {
            handle(&state, route, &uri, &headers, &body).await
        },
    )
}

async fn handle(
    state: &AppState,
    route: Route,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    // The URL the provider called, as configured: never from Host.
    let path = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
    let url = format!("{}{}", state.settings.public_url, path);
    let request = WebhookRequest {
        url: &url,
        headers,
        body,
        now: chrono::Utc::now(),
    };
    let accepted = match state.webhooks.handle(route, request).await {
        Ok(accepted) => accepted,
        Err(refused) => {
            let status = refused.status();
            tracing::info!(provider = refused.provider().as_str(), %status, reason = %refused, "webhook refused");
            return (status, status.canonical_reason().unwrap_or("refused")).into_response();
        }
    };
    if !accepted.events.is_empty() || accepted.nonce.is_some() {
        let nonce = accepted.nonce.map(|(provider, value)| Nonce {
            provider,
            value,
            body_sha256: Sha256::digest(body).into(),
        });
        let write = Write {
            events: accepted.events,
            nonce,
        };
        match state.store.write(write).await {
            Ok(_) => {}
            Err(StoreError::Replay) => {
                tracing::info!(path = uri.path(), "webhook replay refused");
                return (StatusCode::FORBIDDEN, "Forbidden").into_response();
            }
            Err(error) => return store_unavailable(&error),
        }
    }
    match accepted.reply {
        Reply::Empty => StatusCode::OK.into_response(),
        Reply::Text(text) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            text,
        )
            .into_response(),
        Reply::Xml(xml) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/xml")],
            xml,
        )
            .into_response(),
    }
}
