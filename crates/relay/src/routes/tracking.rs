//! `GET /o/{token}` (the open pixel) and `GET|HEAD /c/{token}` (the click
//! redirect).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use herald_core::token::TokenKind;

use super::common::{store_unavailable, token_event};
use crate::classify;
use crate::event::EventKind;
use crate::pages;
use crate::state::{AppState, ClientIp};
use crate::store::Write;

/// The smallest transparent 1x1 GIF (43 bytes).
pub const PIXEL: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

pub fn pixel() -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "image/gif"),
            (header::CACHE_CONTROL, "no-store, max-age=0"),
        ],
        PIXEL,
    )
        .into_response()
}

/// Always the pixel: a bad token records nothing and looks the same from
/// outside. Only a store failure answers otherwise (503), because a 2xx
/// promises the open is on disk.
pub async fn open(
    State(state): State<AppState>,
    token: Result<Path<String>, PathRejection>,
    ip: ClientIp,
    // The request rather than a `HeaderMap` extractor, which would clone
    // every header of every hit; a GET's body is not read.
    request: Request,
) -> Response {
    let headers = request.headers();
    let Ok(Path(token)) = token else {
        return pixel();
    };
    let Ok(claims) = state.settings.keys.verify(&token, TokenKind::Open) else {
        return pixel();
    };
    let event = token_event(
        EventKind::Open,
        &claims,
        headers,
        ip,
        classify::open(headers),
    );
    match state.store.write(Write::events(vec![event])).await {
        Ok(_) => pixel(),
        Err(error) => store_unavailable(&error),
    }
}

/// 302 to the URL the token carries, which the desktop signed; anything
/// else is a 404 page with no `Location`.
pub async fn click(
    State(state): State<AppState>,
    method: Method,
    token: Result<Path<String>, PathRejection>,
    ip: ClientIp,
    request: Request,
) -> Response {
    let headers = request.headers();
    let Ok(Path(token)) = token else {
        return pages::not_found();
    };
    let Ok(claims) = state.settings.keys.verify(&token, TokenKind::Click) else {
        return pages::not_found();
    };
    // verify() re-checks the URL (absolute http(s), printable ASCII), so
    // it is a valid header value; the fallback is for a signer bug only.
    let Some(location) = claims
        .url
        .as_deref()
        .and_then(|u| HeaderValue::from_str(u).ok())
    else {
        return pages::not_found();
    };
    let mut event = token_event(
        EventKind::Click,
        &claims,
        headers,
        ip,
        classify::click(&method, headers),
    );
    event.url = claims.url.clone();
    if let Err(error) = state.store.write(Write::events(vec![event])).await {
        return store_unavailable(&error);
    }
    (
        StatusCode::FOUND,
        [
            (header::LOCATION, location),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            // The token is in our URL: don't hand it to the destination.
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ),
        ],
    )
        .into_response()
}
