//! The route table, with each group's body limit, the per-IP rate limit on
//! the public routes, and the request timeout.

use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use super::web_view::{self, WEB_VIEW_BODY_LIMIT};
use super::{api, tracking, unsubscribe, webhook};
use crate::net;
use crate::state::AppState;
use crate::webhooks::Route;

/// The desktop's API bodies are a small JSON object.
const API_BODY_LIMIT: usize = 16 * 1024;

/// The relay's routes over `state`. Tests drive it in-process with
/// `tower::ServiceExt::oneshot`; [`crate::serve`] runs it on a socket.
pub fn app(state: AppState) -> Router {
    let limits = state.settings.limits.clone();
    // Public: anyone on the internet, so small bodies and a rate limit.
    let public = Router::new()
        .route("/o/{token}", get(tracking::open))
        .route("/c/{token}", get(tracking::click).head(tracking::click))
        .route(
            "/u/{token}",
            get(unsubscribe::ask).post(unsubscribe::confirm),
        )
        .route("/u/{token}/resubscribe", post(unsubscribe::resubscribe))
        // get() answers HEAD too, with the same headers and no body.
        .route("/v/{token}", get(web_view::show))
        .layer(middleware::from_fn_with_state(state.clone(), rate_limit))
        .layer(RequestBodyLimitLayer::new(limits.public_body));
    // Webhooks are authenticated by signature and never rate limited: a
    // provider's burst after a big send must not be dropped.
    let webhooks = Router::new()
        .route(
            "/webhooks/twilio/status",
            webhook::route(Route::TwilioStatus),
        )
        .route(
            "/webhooks/twilio/inbound",
            webhook::route(Route::TwilioInbound),
        )
        .route(
            "/webhooks/vonage/status",
            webhook::route(Route::VonageStatus),
        )
        .route(
            "/webhooks/vonage/inbound",
            webhook::route(Route::VonageInbound),
        )
        .route(
            "/webhooks/vonage/dlr",
            webhook::route_get_or_post(Route::VonageSmsReceipt),
        )
        .route(
            "/webhooks/vonage/inbound-sms",
            webhook::route_get_or_post(Route::VonageSmsInbound),
        )
        .route("/webhooks/ses", webhook::route(Route::Ses))
        .route("/webhooks/postmark", webhook::route(Route::Postmark))
        .route("/webhooks/sendgrid", webhook::route(Route::Sendgrid))
        .route("/webhooks/mailgun", webhook::route(Route::Mailgun))
        .route("/webhooks/generic", webhook::route(Route::Generic))
        .layer(RequestBodyLimitLayer::new(limits.webhook_body));
    let api = Router::new()
        .route("/api/v1/events", get(api::events))
        .route("/api/v1/ack", post(api::ack))
        .layer(RequestBodyLimitLayer::new(API_BODY_LIMIT));
    // A campaign's whole HTML: the one API body that may be large. The
    // handler reads it itself, after the token check, up to the same limit.
    let web_view_api = Router::new()
        .route(
            "/api/v1/campaigns/{campaign_id}/web-view",
            put(web_view::upload).delete(web_view::remove),
        )
        .layer(RequestBodyLimitLayer::new(WEB_VIEW_BODY_LIMIT));
    Router::new()
        .route("/healthz", get(healthz))
        .merge(public)
        .merge(webhooks)
        .merge(api)
        .merge(web_view_api)
        .fallback(not_found)
        .layer(RequestBodyLimitLayer::new(
            limits
                .public_body
                .max(limits.webhook_body)
                .max(WEB_VIEW_BODY_LIMIT),
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        .with_state(state)
}

async fn healthz() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "ok\n",
    )
}

async fn not_found() -> impl IntoResponse {
    (StatusCode::NOT_FOUND, "not found\n")
}

async fn rate_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let ip = net::client_ip(
        request.extensions(),
        request.headers(),
        &state.settings.trusted_proxies,
    );
    if let Some(ip) = ip {
        if !state.limiter.allow(ip, Instant::now()) {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, "1")],
                "slow down\n",
            )
                .into_response();
        }
    }
    next.run(request).await
}
