//! The few HTML pages the relay shows people: the unsubscribe page, its
//! confirmation, the resubscribe confirmation, "link not valid" and "web
//! version not available".
//!
//! Each page is self-contained (inline CSS, no scripts, images, fonts or
//! other requests), sets no cookies, and is sent with a CSP that allows
//! nothing else, so visiting it tells nobody anything beyond the request.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use herald_core::Channel;

const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

const STYLE: &str = "body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;\
background:#f5f5f4;color:#1c1917}main{max-width:28rem;margin:12vh auto;padding:2rem;\
background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.1)}h1{font-size:1.25rem;\
margin:0 0 .75rem}p{margin:0 0 1.25rem;color:#44403c}button{font:inherit;padding:.6rem 1.2rem;\
border:0;border-radius:8px;background:#1c1917;color:#fff;cursor:pointer}\
button.secondary{background:#e7e5e4;color:#1c1917}";

/// Escapes text for HTML element content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn what(channel: Channel) -> &'static str {
    match channel {
        Channel::Email => "emails",
        Channel::Sms => "text messages",
    }
}

/// A page: the status, a title and body that are already HTML.
fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>{title}</title><style>{STYLE}</style>\
         </head><body><main>{body}</main></body></html>",
        title = escape(title),
    );
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn form(action: &str, label: &str, class: &str) -> String {
    // `action` is the relay's own path with a base64url token: no escaping
    // can be needed, but it costs nothing.
    format!(
        "<form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"confirm\" value=\"yes\">\
         <button type=\"submit\" class=\"{class}\">{label}</button></form>",
        action = escape(action),
    )
}

/// `GET /u/{token}`: asks; changes nothing.
pub fn unsubscribe_ask(workspace: &str, channel: Channel, action: &str) -> Response {
    let body = format!(
        "<h1>Unsubscribe</h1><p>Stop receiving {what} from <strong>{name}</strong>?</p>{form}",
        what = what(channel),
        name = escape(workspace),
        form = form(action, "Unsubscribe", ""),
    );
    page(StatusCode::OK, "Unsubscribe", &body)
}

/// `POST /u/{token}`: done, with the way back.
pub fn unsubscribed(workspace: &str, channel: Channel, resubscribe_action: &str) -> Response {
    let body = format!(
        "<h1>You are unsubscribed</h1><p>You will no longer receive {what} from \
         <strong>{name}</strong>. Changed your mind?</p>{form}",
        what = what(channel),
        name = escape(workspace),
        form = form(resubscribe_action, "Resubscribe", "secondary"),
    );
    page(StatusCode::OK, "Unsubscribed", &body)
}

/// `POST /u/{token}/resubscribe`.
pub fn resubscribed(workspace: &str, channel: Channel, unsubscribe_action: &str) -> Response {
    let body = format!(
        "<h1>You are subscribed again</h1><p>You will receive {what} from <strong>{name}</strong> \
         again.</p>{form}",
        what = what(channel),
        name = escape(workspace),
        form = form(unsubscribe_action, "Unsubscribe", "secondary"),
    );
    page(StatusCode::OK, "Subscribed", &body)
}

/// A bad or unknown token: plain, and no hint of why.
pub fn not_found() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "Link not valid",
        "<h1>This link is not valid</h1><p>It may have been copied incompletely.</p>",
    )
}

/// `GET /v/{token}` with a good token, but no web version stored for its
/// campaign (never uploaded, or removed).
pub fn web_view_unavailable(workspace: &str) -> Response {
    let body = format!(
        "<h1>This email's web version is not available.</h1><p>The email from \
         <strong>{name}</strong> in your inbox is not affected.</p>",
        name = escape(workspace),
    );
    page(StatusCode::NOT_FOUND, "Not available", &body)
}

/// A body the unsubscribe endpoint does not understand.
pub fn bad_request() -> Response {
    page(
        StatusCode::BAD_REQUEST,
        "Not understood",
        "<h1>Request not understood</h1><p>Use the button on the unsubscribe page.</p>",
    )
}

/// The store could not record the request: try again.
pub fn unavailable() -> Response {
    let mut response = page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Try again",
        "<h1>Something went wrong</h1><p>Nothing was changed. Please try again in a moment.</p>",
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }
}
