//! Twilio's refusals in plain words: its error body
//! (`{code, message, more_info, status}`) and HTTP status, sorted into
//! [`SmsError`]s.

use reqwest::StatusCode;
use serde::Deserialize;

use crate::sms::http::{self, Answer};
use crate::sms::provider::SmsError;

const TWILIO: &str = "Twilio";

/// Twilio's error body.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(super) struct TwilioError {
    pub code: Option<u32>,
    #[serde(default)]
    pub message: String,
}

/// The error an answer that is not a success means.
pub(super) fn classify(answer: &Answer) -> SmsError {
    let body = answer
        .body
        .as_ref()
        .ok()
        .and_then(|body| serde_json::from_slice::<TwilioError>(body).ok());
    if let Some(error) = body.as_ref().and_then(|b| by_code(b, answer)) {
        return error;
    }
    if let Some(error) = http::by_status(TWILIO, answer) {
        return error;
    }
    let code = body.as_ref().and_then(|b| b.code);
    let said = body
        .as_ref()
        .map(|b| b.message.trim())
        .filter(|m| !m.is_empty())
        .map(|m| format!(": {m}"))
        .unwrap_or_default();
    let status = answer.status;
    match status {
        StatusCode::UNAUTHORIZED => SmsError::fatal(format!(
            "Twilio refused the Account SID and auth token (HTTP 401){said}; check them in \
             Settings → SMS"
        )),
        StatusCode::FORBIDDEN => SmsError::fatal(format!(
            "Twilio does not allow this account to send (HTTP 403){said}"
        )),
        StatusCode::NOT_FOUND => SmsError::fatal(format!(
            "Twilio does not know this Account SID (HTTP 404){said}; check it in Settings → SMS"
        )),
        _ => SmsError::permanent(
            format!("Twilio refused the message (HTTP {status}){said}"),
            code.map(|c| c.to_string()),
        ),
    }
}

/// The codes whose meaning Herald knows; `None` for the rest.
fn by_code(error: &TwilioError, answer: &Answer) -> Option<SmsError> {
    let code = error.code?;
    let permanent = |reason: &str| Some(SmsError::permanent(reason, Some(code.to_string())));
    let sender = || {
        Some(SmsError::fatal(format!(
            "Twilio does not allow this sender (error {code}): {}; check the number or \
             Messaging Service in Settings → SMS",
            error.message.trim()
        )))
    };
    match code {
        20003 => Some(SmsError::fatal(
            "Twilio refused the Account SID and auth token (error 20003); check them in \
             Settings → SMS",
        )),
        20005 => Some(SmsError::fatal(
            "the Twilio account is not active: suspended, closed, or out of funds (error 20005)",
        )),
        20429 | 21611 => Some(SmsError::rate_limited(
            format!("Twilio asked Herald to send more slowly (error {code})"),
            http::retry_after(&answer.headers, chrono::Utc::now()),
        )),
        21211 => permanent("not a valid phone number"),
        21614 => permanent("not a mobile number (a landline?), so it cannot receive texts"),
        21610 => permanent(
            "the recipient replied STOP to this sender; Twilio blocks texts to them until they \
             reply START",
        ),
        21408 => permanent(
            "texts to this country are not enabled in the Twilio account's geographic \
             permissions",
        ),
        21608 => permanent(
            "the Twilio account is a trial and may text only numbers verified in the Twilio \
             Console",
        ),
        21612 => permanent("Twilio cannot route a text from this sender to this number"),
        21602 => permanent("the message is empty"),
        21617 => permanent("the message is longer than Twilio's 1,600 characters"),
        21212 | 21606 | 21659 | 21660 => sender(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
    use std::time::Duration;

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: Ok(body.as_bytes().to_vec()),
        }
    }

    fn twilio(status: u16, code: u32, message: &str) -> SmsError {
        let body = serde_json::json!({
            "code": code,
            "message": message,
            "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
            "status": status,
        });
        classify(&answer(status, &body.to_string()))
    }

    #[test]
    fn refused_numbers_are_permanent_in_plain_words() {
        for (code, words) in [
            (21211, "not a valid phone number"),
            (21614, "not a mobile number"),
            (21610, "replied STOP"),
            (21408, "not enabled"),
            (21608, "trial"),
            (21612, "cannot route"),
        ] {
            let error = twilio(400, code, "The 'To' number is not valid.");
            let SmsError::Permanent { reason, code: got } = &error else {
                panic!("{code}: {error:?}");
            };
            assert!(reason.contains(words), "{code}: {reason}");
            assert_eq!(got.as_deref(), Some(code.to_string().as_str()));
        }
    }

    #[test]
    fn refused_credentials_and_accounts_are_fatal() {
        assert!(matches!(
            twilio(401, 20003, "Authenticate"),
            SmsError::Fatal { .. }
        ));
        assert!(matches!(
            twilio(401, 20005, "Account not active"),
            SmsError::Fatal { .. }
        ));
        assert!(matches!(
            twilio(
                400,
                21606,
                "The From phone number is not a valid, SMS-capable number"
            ),
            SmsError::Fatal { .. }
        ));
        assert!(matches!(classify(&answer(401, "")), SmsError::Fatal { .. }));
        assert!(matches!(
            classify(&answer(403, "<html>")),
            SmsError::Fatal { .. }
        ));
    }

    #[test]
    fn too_many_requests_waits_as_twilio_says() {
        let mut answer = answer(429, r#"{"code":20429,"message":"Too Many Requests"}"#);
        answer
            .headers
            .insert(RETRY_AFTER, HeaderValue::from_static("2"));
        assert_eq!(
            classify(&answer),
            SmsError::Transient {
                reason: "Twilio asked Herald to send more slowly (error 20429)".into(),
                retry_after: Some(Duration::from_secs(2)),
                rate_limited: true,
            }
        );
    }

    #[test]
    fn server_errors_are_transient_and_unknown_codes_permanent_with_twilio_words() {
        assert!(matches!(
            classify(&answer(503, "")),
            SmsError::Transient { .. }
        ));
        let error = twilio(400, 21999, "Something new");
        assert_eq!(
            error,
            SmsError::Permanent {
                reason: "Twilio refused the message (HTTP 400 Bad Request): Something new".into(),
                code: Some("21999".into()),
            }
        );
    }
}
