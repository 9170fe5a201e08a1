//! `/u/{token}`: the unsubscribe page (GET asks, never acts), the one-click
//! and button unsubscribe (POST), and the way back (POST .../resubscribe).
//! No cookies, no tracking, no redirect.

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use herald_core::token::{Claims, TokenKind};

use super::common::token_event;
use crate::event::EventKind;
use crate::pages;
use crate::state::{AppState, ClientIp};
use crate::store::Write;

fn verified(
    state: &AppState,
    token: &Result<Path<String>, PathRejection>,
) -> Option<(String, Claims)> {
    let Ok(Path(token)) = token else { return None };
    let claims = state
        .settings
        .keys
        .verify(token, TokenKind::Unsubscribe)
        .ok()?;
    Some((token.clone(), claims))
}

pub async fn ask(
    State(state): State<AppState>,
    token: Result<Path<String>, PathRejection>,
) -> Response {
    match verified(&state, &token) {
        Some((token, claims)) => pages::unsubscribe_ask(
            &state.settings.workspace_name,
            claims.channel,
            &format!("/u/{token}"),
        ),
        None => pages::not_found(),
    }
}

pub async fn confirm(
    State(state): State<AppState>,
    token: Result<Path<String>, PathRejection>,
    ip: ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some((token, claims)) = verified(&state, &token) else {
        return pages::not_found();
    };
    if !is_one_click(&headers, &body) && !is_button(&body) {
        return pages::bad_request();
    }
    let event = token_event(EventKind::Unsubscribe, &claims, &headers, ip, None);
    if let Err(error) = state.store.write(Write::events(vec![event])).await {
        tracing::error!(error = %error, "could not record an unsubscribe");
        return pages::unavailable();
    }
    pages::unsubscribed(
        &state.settings.workspace_name,
        claims.channel,
        &format!("/u/{token}/resubscribe"),
    )
}

pub async fn resubscribe(
    State(state): State<AppState>,
    token: Result<Path<String>, PathRejection>,
    ip: ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some((token, claims)) = verified(&state, &token) else {
        return pages::not_found();
    };
    if !is_button(&body) {
        return pages::bad_request();
    }
    let event = token_event(EventKind::Resubscribe, &claims, &headers, ip, None);
    if let Err(error) = state.store.write(Write::events(vec![event])).await {
        tracing::error!(error = %error, "could not record a resubscribe");
        return pages::unavailable();
    }
    pages::resubscribed(
        &state.settings.workspace_name,
        claims.channel,
        &format!("/u/{token}"),
    )
}

/// RFC 8058: the body is `List-Unsubscribe=One-Click`, form-urlencoded or
/// as a multipart/form-data field.
fn is_one_click(headers: &HeaderMap, body: &[u8]) -> bool {
    if form_fields(body).any(|(k, v)| k == "List-Unsubscribe" && v == "One-Click") {
        return true;
    }
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    multipart && {
        let text = String::from_utf8_lossy(body);
        text.contains("name=\"List-Unsubscribe\"") && text.contains("One-Click")
    }
}

/// The page's button posts `confirm=yes`.
fn is_button(body: &[u8]) -> bool {
    form_fields(body).any(|(k, v)| k == "confirm" && v == "yes")
}

fn form_fields(
    body: &[u8],
) -> impl Iterator<Item = (std::borrow::Cow<'_, str>, std::borrow::Cow<'_, str>)> {
    form_urlencoded::parse(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_click_bodies_are_recognised_in_both_encodings() {
        let form = HeaderMap::new();
        assert!(is_one_click(&form, b"List-Unsubscribe=One-Click"));
        assert!(!is_one_click(&form, b"List-Unsubscribe=Nope"));
        assert!(!is_one_click(&form, b""));
        let mut multipart = HeaderMap::new();
        multipart.insert(
            header::CONTENT_TYPE,
            "multipart/form-data; boundary=xyz".parse().unwrap(),
        );
        let body = b"--xyz\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--xyz--\r\n";
        assert!(is_one_click(&multipart, body));
        assert!(is_button(b"confirm=yes"));
        assert!(!is_button(b"confirm=no"));
    }
}
