//! What the provider clients share: the HTTPS client, and the sorting of
//! HTTP outcomes into [`SmsError`]s that holds for every provider (how far
//! a request got, 429 with `Retry-After`, 5xx, refused credentials).

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;
use url::Url;

use super::provider::SmsError;
use super::settings::SettingsError;

/// One client per provider: rustls on ring, connections kept alive between
/// sends, a connect timeout and a whole-request timeout.
pub(super) fn client(timeout: Duration) -> Result<reqwest::Client, SettingsError> {
    // reqwest is built without a default crypto provider; ring is the one
    // the workspace compiles. Installing fails harmlessly when a provider
    // is already installed for the process.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .user_agent(concat!("herald/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(Duration::from_secs(10))
        .timeout(timeout)
        .pool_idle_timeout(Duration::from_secs(90))
        // Credentials ride on every request: never follow a redirect.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| SettingsError::Http(root_cause(&e)))
}

/// `base` with `path` (which starts with `/`) after whatever path it has.
pub(super) fn endpoint(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let joined = format!("{}{path}", base.path().trim_end_matches('/'));
    url.set_path(&joined);
    url
}

/// `application/x-www-form-urlencoded` text of the pairs, in order.
pub(super) fn form(pairs: &[(&str, &str)]) -> String {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.extend_pairs(pairs);
    form.finish()
}

/// A provider's answer, its body read as far as it came.
pub(super) struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// `Err` when the body broke off: for a success, the message was taken
    /// but its id is lost.
    pub body: Result<Vec<u8>, SmsError>,
}

/// Sends the request and reads the whole answer. A failure before the
/// request was written (no connection) is transient; any later failure
/// leaves the message in doubt.
pub(super) async fn exchange(
    provider: &str,
    request: reqwest::RequestBuilder,
) -> Result<Answer, SmsError> {
    let response = request.send().await.map_err(|e| transport(provider, &e))?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .bytes()
        .await
        .map(|bytes| bytes.to_vec())
        .map_err(|e| transport(provider, &e));
    Ok(Answer {
        status,
        headers,
        body,
    })
}

/// A failed exchange, by how far the request got.
pub(super) fn transport(provider: &str, err: &reqwest::Error) -> SmsError {
    if err.is_connect() {
        return SmsError::transient(format!("cannot connect to {provider}: {}", root_cause(err)));
    }
    if err.is_builder() {
        return SmsError::fatal(format!(
            "Herald could not build the request to {provider}: {}",
            root_cause(err)
        ));
    }
    if err.is_timeout() {
        return SmsError::in_doubt(format!(
            "{provider} did not answer in time after the message was sent; it may have gone \
             out, so it is not sent again automatically"
        ));
    }
    SmsError::in_doubt(format!(
        "the connection to {provider} broke after the message was sent ({}); it may have gone \
         out, so it is not sent again automatically",
        root_cause(err)
    ))
}

/// The errors every provider means the same way by the status alone:
/// `None` for the statuses whose meaning is in the provider's body.
pub(super) fn by_status(provider: &str, answer: &Answer) -> Option<SmsError> {
    let status = answer.status;
    if status == StatusCode::TOO_MANY_REQUESTS {
        return Some(SmsError::rate_limited(
            format!("{provider} asked Herald to send more slowly (HTTP 429)"),
            retry_after(&answer.headers, Utc::now()),
        ));
    }
    if status.is_server_error() {
        return Some(SmsError::Transient {
            reason: format!("{provider} had a problem of its own (HTTP {status})"),
            retry_after: retry_after(&answer.headers, Utc::now()),
            rate_limited: false,
        });
    }
    None
}

/// `Retry-After` as seconds (`120`) or as an HTTP date; a date in the past
/// means now.
pub(super) fn retry_after(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = DateTime::parse_from_rfc2822(value).ok()?;
    let wait = at.with_timezone(&Utc) - now;
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// The innermost cause ("Connection refused (os error 111)"): reqwest's
/// outer layers repeat the URL and say little.
fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn with_retry_after(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = DateTime::parse_from_rfc3339("2026-11-29T08:49:30Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            retry_after(&with_retry_after("120"), now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            retry_after(&with_retry_after("Sun, 29 Nov 2026 08:49:37 GMT"), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&with_retry_after("Sun, 29 Nov 2026 08:00:00 GMT"), now),
            Some(Duration::ZERO),
            "a date in the past: now"
        );
        assert_eq!(retry_after(&with_retry_after("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    fn answer(status: u16, headers: HeaderMap) -> Answer {
        Answer {
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: Ok(Vec::new()),
        }
    }

    #[test]
    fn too_many_requests_is_transient_and_rate_limited() {
        let error = by_status("Twilio", &answer(429, with_retry_after("3"))).unwrap();
        assert_eq!(
            error,
            SmsError::Transient {
                reason: "Twilio asked Herald to send more slowly (HTTP 429)".into(),
                retry_after: Some(Duration::from_secs(3)),
                rate_limited: true,
            }
        );
    }

    #[test]
    fn server_errors_are_transient_and_client_errors_are_left_to_the_provider() {
        for status in [500, 502, 503] {
            let error = by_status("Vonage", &answer(status, HeaderMap::new())).unwrap();
            assert!(
                matches!(
                    error,
                    SmsError::Transient {
                        rate_limited: false,
                        ..
                    }
                ),
                "{status}: {error:?}"
            );
        }
        for status in [200, 400, 401, 404, 422] {
            assert!(by_status("Vonage", &answer(status, HeaderMap::new())).is_none());
        }
    }

    #[test]
    fn endpoints_keep_the_base_path() {
        let base = Url::parse("http://127.0.0.1:9/stand-in/").unwrap();
        assert_eq!(
            endpoint(&base, "/v1/messages").as_str(),
            "http://127.0.0.1:9/stand-in/v1/messages"
        );
        let root = Url::parse("https://api.twilio.com").unwrap();
        assert_eq!(
            endpoint(&root, "/2010-04-01/Accounts/AC1.json").as_str(),
            "https://api.twilio.com/2010-04-01/Accounts/AC1.json"
        );
    }
}
