//! Vonage's Messages API: one JSON request per text, `202 {message_uuid}`,
//! refusals as RFC 7807 problems.

use serde::Deserialize;

use super::{Vonage, VONAGE};
use crate::sms::http::{self, Answer};
use crate::sms::provider::{Accepted, SmsError, SmsMessage};

#[derive(Deserialize)]
struct Created {
    message_uuid: String,
}

/// An RFC 7807 problem as Vonage writes it.
#[derive(Debug, Default, Deserialize)]
struct Problem {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    detail: String,
}

pub(super) async fn send(vonage: &Vonage, message: &SmsMessage) -> Result<Accepted, SmsError> {
    let mut body = serde_json::json!({
        "message_type": "text",
        "channel": "sms",
        "to": message.to.as_str().trim_start_matches('+'),
        "from": vonage.from,
        "text": message.body,
        "client_ref": message.client_ref,
    });
    if let Some(webhook) = &vonage.status_webhook {
        body["webhook_url"] = webhook.clone().into();
    }
    let request = vonage.http.post(vonage.send_url.clone()).json(&body);
    let request = match &vonage.jwt {
        Some(signer) => request.bearer_auth(signer.token()),
        None => request.basic_auth(&vonage.api_key, Some(vonage.api_secret.expose())),
    };
    let answer = http::exchange(VONAGE, request).await?;
    if !answer.status.is_success() {
        return Err(classify(&answer));
    }
    let created = answer.body.and_then(|body| {
        serde_json::from_slice::<Created>(&body).map_err(|_| {
            SmsError::in_doubt(format!(
                "Vonage took the message (HTTP {}) but its answer holds no message_uuid",
                answer.status
            ))
        })
    })?;
    Ok(Accepted {
        provider_message_id: created.message_uuid,
    })
}

/// The error an answer that is not a success means.
fn classify(answer: &Answer) -> SmsError {
    if let Some(error) = http::by_status(VONAGE, answer) {
        return error;
    }
    let problem = answer
        .body
        .as_ref()
        .ok()
        .and_then(|body| serde_json::from_slice::<Problem>(body).ok())
        .unwrap_or_default();
    let said = [problem.title.trim(), problem.detail.trim()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(": ");
    let said = if said.is_empty() {
        String::new()
    } else {
        format!(": {said}")
    };
    let status = answer.status;
    match status.as_u16() {
        401 => SmsError::fatal(format!(
            "Vonage refused the credentials (HTTP 401){said}; check the API key and secret, or \
             the application ID and private key, in Settings → SMS"
        )),
        402 => SmsError::fatal(format!(
            "the Vonage account is out of credit (HTTP 402){said}; top it up in the Vonage \
             dashboard"
        )),
        403 => SmsError::fatal(format!(
            "Vonage does not allow this account to send (HTTP 403){said}"
        )),
        _ => {
            // Vonage's problem types end in `#<code>` (…/messages#1150).
            let code = problem
                .kind
                .rsplit_once('#')
                .map(|(_, code)| code.to_owned())
                .filter(|code| !code.is_empty());
            SmsError::permanent(
                format!("Vonage refused the message (HTTP {status}){said}"),
                code,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;
    use reqwest::StatusCode;

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: Ok(body.as_bytes().to_vec()),
        }
    }

    fn problem(status: u16, kind: &str, title: &str, detail: &str) -> SmsError {
        let body =
            serde_json::json!({"type": kind, "title": title, "detail": detail, "instance": "x"});
        classify(&answer(status, &body.to_string()))
    }

    #[test]
    fn refused_credentials_and_an_empty_balance_stop_everything() {
        let types = "https://developer.vonage.com/api-errors";
        for status in [401, 402, 403] {
            let error = problem(status, &format!("{types}#unauthorized"), "Unauthorized", "");
            assert!(
                matches!(error, SmsError::Fatal { .. }),
                "{status}: {error:?}"
            );
        }
        assert!(problem(402, "", "Low balance", "Top up")
            .to_string()
            .contains("out of credit"));
    }

    #[test]
    fn an_invalid_message_is_permanent_with_vonage_words_and_code() {
        let error = problem(
            422,
            "https://developer.vonage.com/api-errors/messages#1150",
            "Invalid params",
            "The value of `to` is not a valid phone number",
        );
        assert_eq!(
            error,
            SmsError::Permanent {
                reason: "Vonage refused the message (HTTP 422 Unprocessable Entity): Invalid \
                         params: The value of `to` is not a valid phone number"
                    .into(),
                code: Some("1150".into()),
            }
        );
    }

    #[test]
    fn throttling_and_outages_are_transient() {
        assert!(matches!(
            problem(429, "", "Rate Limit Hit", ""),
            SmsError::Transient {
                rate_limited: true,
                ..
            }
        ));
        assert!(matches!(
            classify(&answer(500, "")),
            SmsError::Transient {
                rate_limited: false,
                ..
            }
        ));
    }
}
