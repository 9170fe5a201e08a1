//! Vonage's SMS API: a form per text, answered `200` with one status per
//! part of the text (`"0"` taken, anything else a refusal whose meaning is
//! in Vonage's table of SMS API statuses).

use herald_core::sms_segments::is_gsm7;
use serde::Deserialize;

use super::{Vonage, VONAGE};
use crate::sms::http;
use crate::sms::provider::{Accepted, SmsError, SmsMessage};

#[derive(Debug, Deserialize)]
struct Answer {
    messages: Vec<Part>,
}

#[derive(Debug, Deserialize)]
struct Part {
    status: String,
    #[serde(rename = "message-id")]
    message_id: Option<String>,
    #[serde(rename = "error-text")]
    error_text: Option<String>,
}

pub(super) async fn send(vonage: &Vonage, message: &SmsMessage) -> Result<Accepted, SmsError> {
    let to = message.to.as_str().trim_start_matches('+');
    let mut form = vec![
        ("api_key", vonage.api_key.as_str()),
        ("api_secret", vonage.api_secret.expose()),
        ("from", &vonage.from),
        ("to", to),
        ("text", &message.body),
        ("client-ref", &message.client_ref),
    ];
    if !message.body.chars().all(is_gsm7) {
        // Otherwise Vonage sends the text as GSM-7 and mangles it.
        form.push(("type", "unicode"));
    }
    if let Some(webhook) = &vonage.status_webhook {
        form.push(("callback", webhook));
    }
    let request = vonage
        .http
        .post(vonage.send_url.clone())
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(http::form(&form));
    let answer = http::exchange(VONAGE, request).await?;
    if let Some(error) = http::by_status(VONAGE, &answer) {
        return Err(error);
    }
    if matches!(answer.status.as_u16(), 401 | 403) {
        return Err(SmsError::fatal(format!(
            "Vonage refused the API key {} and its secret (HTTP {})",
            vonage.api_key, answer.status
        )));
    }
    if !answer.status.is_success() {
        return Err(SmsError::permanent(
            format!("Vonage refused the message (HTTP {})", answer.status),
            None,
        ));
    }
    let parsed = answer.body.and_then(|body| {
        serde_json::from_slice::<Answer>(&body).map_err(|_| {
            SmsError::in_doubt("Vonage answered the SMS API request with something unreadable")
        })
    })?;
    outcome(&parsed.messages)
}

/// Every part taken: the first part's id (delivery reports name each part;
/// the first stands for the text). One part refused: the text fails.
fn outcome(parts: &[Part]) -> Result<Accepted, SmsError> {
    let refused = parts.iter().find(|part| part.status.trim() != "0");
    let taken = parts
        .iter()
        .filter(|part| part.status.trim() == "0")
        .count();
    match (refused, parts.first()) {
        (None, Some(first)) => first
            .message_id
            .clone()
            .map(|id| Accepted {
                provider_message_id: id,
            })
            .ok_or_else(|| SmsError::in_doubt("Vonage took the message but gave no message-id")),
        (None, None) => Err(SmsError::in_doubt(
            "Vonage answered the SMS API request without a status for the message",
        )),
        (Some(part), _) if taken > 0 => Err(SmsError::permanent(
            format!(
                "Vonage took {taken} of the {} parts of this text and refused the rest ({}); \
                 it is not sent again, so nobody gets the first parts twice",
                parts.len(),
                refusal(part)
            ),
            Some(part.status.trim().to_owned()),
        )),
        (Some(part), _) => Err(refusal(part)),
    }
}

/// What a non-zero SMS API status means, from Vonage's table.
fn refusal(part: &Part) -> SmsError {
    let status = part.status.trim();
    let text = part.error_text.as_deref().unwrap_or_default().trim();
    let said = if text.is_empty() {
        String::new()
    } else {
        format!(": {text}")
    };
    let permanent = |words: &str| SmsError::permanent(words, Some(status.to_owned()));
    let fatal = |words: &str| SmsError::fatal(format!("{words} (Vonage status {status}{said})"));
    match status {
        "1" => SmsError::rate_limited(
            format!("Vonage throttled the send: faster than the account allows (status 1){said}"),
            None,
        ),
        "5" | "10" => SmsError::transient(format!(
            "Vonage could not take the message just now (status {status}){said}"
        )),
        "2" | "3" => permanent(&format!("Vonage refused a parameter of the message{said}")),
        "6" => permanent("Vonage cannot route a text to this number (unknown prefix or network)"),
        "7" => permanent("this number is barred from receiving texts"),
        "12" => permanent("the message is too long for Vonage"),
        "22" => permanent("Vonage does not know the recipient's network"),
        "29" => permanent(
            "the Vonage account is a trial and may text only numbers added to its test list",
        ),
        "33" => permanent("this number is deactivated and cannot receive texts"),
        "4" | "14" | "32" => fatal("Vonage refused the API key and secret"),
        "8" => fatal("the Vonage account is suspended"),
        "9" => fatal("the Vonage account is out of credit or over its quota"),
        "11" => fatal("the Vonage account is not enabled for the SMS API"),
        "15" => fatal("Vonage does not allow this sender for this destination"),
        "23" => fatal("Vonage refused the delivery-report address (the relay URL)"),
        _ => SmsError::permanent(
            format!("Vonage refused the message{said}"),
            Some(status.to_owned()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(status: &str, id: &str) -> Part {
        Part {
            status: status.into(),
            message_id: Some(id.into()),
            error_text: (status != "0").then(|| format!("error {status}")),
        }
    }

    #[test]
    fn every_part_taken_is_the_first_parts_id() {
        let got = outcome(&[part("0", "0C00A"), part("0", "0C00B")]).unwrap();
        assert_eq!(got.provider_message_id, "0C00A");
    }

    #[test]
    fn statuses_sort_by_what_can_be_done() {
        let sort = |status: &str| refusal(&part(status, ""));
        assert!(matches!(
            sort("1"),
            SmsError::Transient {
                rate_limited: true,
                ..
            }
        ));
        for status in ["2", "3", "6", "7", "29"] {
            assert!(
                matches!(sort(status), SmsError::Permanent { .. }),
                "{status}"
            );
        }
        for status in ["4", "8", "9", "15"] {
            assert!(matches!(sort(status), SmsError::Fatal { .. }), "{status}");
        }
        assert!(sort("6").to_string().contains("cannot route"));
    }

    #[test]
    fn a_text_partly_taken_is_not_retried() {
        let error = outcome(&[part("0", "0C00A"), part("1", "")]).unwrap_err();
        assert!(matches!(error, SmsError::Permanent { .. }), "{error:?}");
        assert!(error.to_string().contains("1 of the 2 parts"), "{error}");
    }
}
