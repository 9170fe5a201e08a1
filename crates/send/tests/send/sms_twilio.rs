//! Twilio through a wiremock stand-in that speaks the Messages and Account
//! resources as Twilio documents them: what Herald sends (Basic auth, the
//! form fields, the status callback) and how each answer is sorted.

use std::time::Duration;

use herald_send::sms::provider::SmsError;
use herald_send::sms::settings::{ProviderKind, SmsSettingsInput};
use serde_json::json;
use wiremock::matchers::{basic_auth, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::sms_stand_in::*;

const MESSAGES: &str = "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json";
const ACCOUNT: &str = "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef.json";

fn created(sid: &str) -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_json(json!({
        "sid": sid,
        "account_sid": ACCOUNT_SID,
        "to": TO,
        "from": FROM,
        "status": "queued",
        "error_code": null,
    }))
}

fn twilio_error(status: u16, code: u32, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "code": code,
        "message": message,
        "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
        "status": status,
    }))
}

async fn answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES))
        .respond_with(template)
        .expect(1)
        .mount(&server)
        .await;
    server
}

async fn send_with(input: &SmsSettingsInput) -> Result<String, SmsError> {
    let sms = build(input, &twilio_secrets(), Some(RELAY));
    sms.send(&message("Sale today! Reply STOP to opt out"))
        .await
        .map(|accepted| accepted.provider_message_id)
}

#[tokio::test]
async fn a_text_goes_out_with_basic_auth_the_form_fields_and_the_relay_callback() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES))
        .and(basic_auth(ACCOUNT_SID, AUTH_TOKEN))
        .respond_with(created("SM0123456789abcdef0123456789abcdef"))
        .expect(1)
        .mount(&server)
        .await;
    let sms = build(&twilio_input(&server), &twilio_secrets(), Some(RELAY));
    assert_eq!(sms.sender(), FROM);

    let accepted = sms
        .send(&message("Grüße! Sale today — Reply STOP to opt out"))
        .await
        .unwrap();

    assert_eq!(
        accepted.provider_message_id,
        "SM0123456789abcdef0123456789abcdef"
    );
    let request = only_request(&server).await;
    assert_eq!(
        basic_credentials(&request),
        (ACCOUNT_SID.into(), AUTH_TOKEN.into())
    );
    let fields = form(&request);
    assert_eq!(fields["To"], TO);
    assert_eq!(fields["From"], FROM);
    assert_eq!(fields["Body"], "Grüße! Sale today — Reply STOP to opt out");
    assert_eq!(
        fields["StatusCallback"],
        "https://relay.herald.test/webhooks/twilio/status"
    );
    assert!(!fields.contains_key("MessagingServiceSid"));
}

#[tokio::test]
async fn a_messaging_service_sends_when_there_is_no_number_and_no_relay_means_no_callback() {
    let server = answering(created("SM1")).await;
    let input = SmsSettingsInput {
        twilio_from: String::new(),
        twilio_messaging_service_sid: SERVICE_SID.into(),
        ..twilio_input(&server)
    };
    let sms = build(&input, &twilio_secrets(), None);
    assert_eq!(sms.sender(), SERVICE_SID);

    sms.send(&message("Hello")).await.unwrap();

    let fields = form(&only_request(&server).await);
    assert_eq!(fields["MessagingServiceSid"], SERVICE_SID);
    assert!(!fields.contains_key("From"));
    assert!(!fields.contains_key("StatusCallback"));
}

#[tokio::test]
async fn too_many_requests_is_transient_and_says_how_long_to_wait() {
    let server =
        answering(twilio_error(429, 20429, "Too Many Requests").insert_header("Retry-After", "7"))
            .await;
    let error = send_with(&twilio_input(&server)).await.unwrap_err();
    assert_eq!(
        error,
        SmsError::Transient {
            reason: "Twilio asked Herald to send more slowly (error 20429)".into(),
            retry_after: Some(Duration::from_secs(7)),
            rate_limited: true,
        }
    );
}

#[tokio::test]
async fn a_server_error_is_transient() {
    let server = answering(ResponseTemplate::new(500)).await;
    let error = send_with(&twilio_input(&server)).await.unwrap_err();
    assert!(
        matches!(
            error,
            SmsError::Transient {
                rate_limited: false,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_answer_slower_than_the_timeout_leaves_the_text_in_doubt() {
    let server = answering(created("SM-late").set_delay(Duration::from_secs(5))).await;
    let input = SmsSettingsInput {
        timeout_seconds: 1,
        ..twilio_input(&server)
    };
    let error = send_with(&input).await.unwrap_err();
    let SmsError::InDoubt { reason } = &error else {
        panic!("expected InDoubt, got {error:?}");
    };
    assert!(reason.contains("may have gone out"), "{reason}");
}

#[tokio::test]
async fn a_recipient_who_replied_stop_fails_for_good_in_plain_words() {
    let server = answering(twilio_error(
        400,
        21610,
        "Attempt to send to unsubscribed recipient",
    ))
    .await;
    let error = send_with(&twilio_input(&server)).await.unwrap_err();
    let SmsError::Permanent { reason, code } = &error else {
        panic!("expected Permanent, got {error:?}");
    };
    assert!(reason.contains("replied STOP"), "{reason}");
    assert_eq!(code.as_deref(), Some("21610"));
}

#[tokio::test]
async fn refused_credentials_stop_everything_and_never_show_the_token() {
    let server = answering(twilio_error(401, 20003, "Authenticate")).await;
    let sms = build(&twilio_input(&server), &twilio_secrets(), None);
    let error = sms.send(&message("Hello")).await.unwrap_err();
    assert!(matches!(error, SmsError::Fatal { .. }), "{error:?}");
    assert!(!format!("{error} {error:?} {sms:?}").contains(AUTH_TOKEN));
}

#[tokio::test]
async fn a_provider_that_is_not_listening_is_transient() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let server = MockServer::start().await;
    let input = SmsSettingsInput {
        twilio_base_url: format!("http://{addr}"),
        ..twilio_input(&server)
    };
    let sms = build(&input, &twilio_secrets(), None);
    let error = sms.send(&message("Hello")).await.unwrap_err();
    assert!(
        matches!(error, SmsError::Transient { .. }),
        "nothing was sent: {error:?}"
    );
}

#[tokio::test]
async fn verify_reads_the_account_and_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ACCOUNT))
        .and(basic_auth(ACCOUNT_SID, AUTH_TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "sid": ACCOUNT_SID,
            "friendly_name": "Herald Shop",
            "status": "active",
            "type": "Trial",
        })))
        .expect(1)
        .mount(&server)
        .await;
    let sms = build(&twilio_input(&server), &twilio_secrets(), None);

    let check = sms.verify().await.unwrap();

    assert_eq!(check.provider, ProviderKind::Twilio);
    assert_eq!(check.account_name.as_deref(), Some("Herald Shop"));
    assert!(check.detail.contains("is active"), "{}", check.detail);
    assert!(check.detail.contains("trial"), "{}", check.detail);
    assert_eq!(only_request(&server).await.method.as_str(), "GET");
}

#[tokio::test]
async fn verify_refused_or_suspended_is_fatal() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ACCOUNT))
        .respond_with(twilio_error(401, 20003, "Authenticate"))
        .expect(1)
        .mount(&server)
        .await;
    let sms = build(&twilio_input(&server), &twilio_secrets(), None);
    let error = sms.verify().await.unwrap_err();
    assert!(matches!(error, SmsError::Fatal { .. }), "{error:?}");
    assert!(error.to_string().contains("auth token"), "{error}");

    let suspended = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ACCOUNT))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "friendly_name": "Herald Shop",
            "status": "suspended",
        })))
        .mount(&suspended)
        .await;
    let sms = build(&twilio_input(&suspended), &twilio_secrets(), None);
    let error = sms.verify().await.unwrap_err();
    assert!(matches!(error, SmsError::Fatal { .. }), "{error:?}");
    assert!(error.to_string().contains("suspended"), "{error}");
}
