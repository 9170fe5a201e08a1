//! A campaign's web version ("view this email in your browser"):
//! `PUT`/`DELETE /api/v1/campaigns/{campaign_id}/web-view` (the desktop
//! uploads or removes it, behind the bearer API token) and `GET /v/{token}`
//! (a reader opens it from the link in their email).
//!
//! The stored HTML is the same for every recipient and holds no personal
//! data; the one per-reader part, the unsubscribe link, is filled in here
//! from the View token's claims. A view records no event: it is not an
//! open (the open pixel is not in the web version).

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use herald_core::token::{sign, Claims, TokenKind};
use serde::Deserialize;
use thiserror::Error;
use uuid::Uuid;

use super::api::{authorized, error, unauthorized};
use crate::pages;
use crate::state::AppState;

/// The largest upload: a campaign's full HTML with inline CSS, as JSON.
pub const WEB_VIEW_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Where the desktop's HTML wants this reader's unsubscribe page URL.
pub const UNSUBSCRIBE_MARKER: &str = "%HERALD_UNSUBSCRIBE_URL%";

/// Shows the email's own inline styles, remote images and fonts, and runs
/// nothing: no scripts, frames, forms or plugins, and no other page may
/// frame it.
const CSP: &str = "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; \
                   font-src https: data:; base-uri 'none'; form-action 'none'; \
                   frame-ancestors 'none'";

/// What `PUT .../web-view` carries, checked.
#[derive(Debug)]
pub struct Upload {
    pub subject: String,
    /// Not empty (nor only whitespace).
    pub html: String,
}

/// Why an upload was refused; each message names the field.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum UploadError {
    #[error("body: expected {{\"subject\": \"...\", \"html\": \"...\"}}")]
    Shape,
    #[error("html: must not be empty")]
    EmptyHtml,
}

impl Upload {
    pub fn parse(body: &[u8]) -> Result<Upload, UploadError> {
        #[derive(Deserialize)]
        struct Raw {
            subject: String,
            html: String,
        }
        let raw: Raw = serde_json::from_slice(body).map_err(|_| UploadError::Shape)?;
        if raw.html.trim().is_empty() {
            return Err(UploadError::EmptyHtml);
        }
        Ok(Upload {
            subject: raw.subject,
            html: raw.html,
        })
    }
}

fn campaign_id(path: Result<Path<String>, PathRejection>) -> Option<Uuid> {
    path.ok().and_then(|Path(raw)| Uuid::parse_str(&raw).ok())
}

fn not_a_uuid() -> Response {
    error(StatusCode::BAD_REQUEST, "campaign_id: not a UUID")
}

fn store_failed(failure: &crate::store::StoreError) -> Response {
    tracing::error!(error = %failure, "web view API failed");
    error(StatusCode::SERVICE_UNAVAILABLE, "temporarily unavailable")
}

/// `PUT /api/v1/campaigns/{campaign_id}/web-view`: stores or replaces;
/// 204 once committed.
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Body,
) -> Response {
    // The token is checked before the body is read, so nobody without it
    // can make the relay buffer 2 MiB.
    if !authorized(&state, &headers) {
        return unauthorized();
    }
    let Some(campaign) = campaign_id(path) else {
        return not_a_uuid();
    };
    let bytes = match axum::body::to_bytes(body, WEB_VIEW_BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(e) if too_large(&e) => {
            return error(StatusCode::PAYLOAD_TOO_LARGE, "body: larger than 2 MiB")
        }
        Err(_) => return error(StatusCode::BAD_REQUEST, "body: could not be read"),
    };
    let upload = match Upload::parse(&bytes) {
        Ok(upload) => upload,
        Err(refused) => return error(StatusCode::BAD_REQUEST, &refused.to_string()),
    };
    match state
        .store
        .put_web_view(campaign, &upload.subject, &upload.html)
        .await
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => store_failed(&e),
    }
}

/// `DELETE /api/v1/campaigns/{campaign_id}/web-view`: 204, or 404 when
/// nothing was stored.
pub async fn remove(
    State(state): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    if !authorized(&state, &headers) {
        return unauthorized();
    }
    let Some(campaign) = campaign_id(path) else {
        return not_a_uuid();
    };
    match state.store.delete_web_view(campaign).await {
        Ok(true) => StatusCode::NO_CONTENT.into_response(),
        Ok(false) => error(
            StatusCode::NOT_FOUND,
            "campaign_id: no web version stored for this campaign",
        ),
        Err(e) => store_failed(&e),
    }
}

/// Whether reading the body failed on the size limit (ours, or the route's
/// `RequestBodyLimitLayer` for a body without a Content-Length).
fn too_large(failure: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(failure);
    while let Some(e) = source {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = e.source();
    }
    false
}

/// `GET` (and `HEAD`) `/v/{token}`: the web version, with this reader's
/// unsubscribe link. Records nothing.
pub async fn show(
    State(state): State<AppState>,
    token: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(token)) = token else {
        return pages::not_found();
    };
    let Ok(claims) = state.settings.keys.verify(&token, TokenKind::View) else {
        return pages::not_found();
    };
    let view = match state.store.web_view(claims.campaign).await {
        Ok(Some(view)) => view,
        Ok(None) => return pages::web_view_unavailable(&state.settings.workspace_name),
        Err(e) => {
            tracing::error!(error = %e, "could not read a web view");
            return pages::unavailable();
        }
    };
    // Always the current key, even when the View token came under the
    // previous one: the unsubscribe link then outlives the rotation.
    let unsubscribe = Claims {
        kind: TokenKind::Unsubscribe,
        url: None,
        ..claims
    };
    let unsubscribe = match sign(&state.settings.keys.current, &unsubscribe) {
        Ok(token) => token,
        Err(e) => {
            // Only a click token can fail to sign; this is not one.
            tracing::error!(error = %e, "could not sign an unsubscribe token");
            return pages::unavailable();
        }
    };
    let url = format!("{}/u/{unsubscribe}", state.settings.public_url);
    // Escaped: the marker may sit in an attribute or in text, and the
    // configured base URL is the operator's, not checked for markup.
    let html = view.html.replace(UNSUBSCRIBE_MARKER, &pages::escape(&url));
    let mut response = (StatusCode::OK, html).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CACHE_CONTROL, "private, no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CONTENT_SECURITY_POLICY, CSP),
        // A reader's link is theirs: keep it out of search engines.
        (
            header::HeaderName::from_static("x-robots-tag"),
            "noindex, nofollow",
        ),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_needs_both_fields_and_some_html() {
        let ok = Upload::parse(br#"{"subject": "Hi", "html": "<p>x</p>"}"#).unwrap();
        assert_eq!((ok.subject.as_str(), ok.html.as_str()), ("Hi", "<p>x</p>"));
        assert_eq!(
            Upload::parse(br#"{"subject": "Hi", "html": " \n"}"#).unwrap_err(),
            UploadError::EmptyHtml
        );
        for bad in [&br#"{"subject": "Hi"}"#[..], b"not json", br#"{"html": 3}"#] {
            assert_eq!(Upload::parse(bad).unwrap_err(), UploadError::Shape);
        }
    }
}
