//! Vonage through a wiremock stand-in that speaks the Messages API, the
//! SMS API and the balance check as Vonage documents them: what Herald
//! sends (auth, JSON or form fields, the delivery-report webhook) and how
//! each answer is sorted.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use herald_send::secrets::Secret;
use herald_send::sms::provider::{self, SmsError};
use herald_send::sms::settings::{
    ProviderKind, ProviderSecrets, SettingsError, SmsSettings, SmsSettingsInput, VonageApi,
};
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::{EncodePrivateKey as _, LineEnding};
use rsa::sha2::Sha256;
use rsa::signature::Verifier as _;
use serde_json::json;
use wiremock::matchers::{basic_auth, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::sms_stand_in::*;

const APPLICATION: &str = "aaaaaaaa-bbbb-cccc-dddd-0123456789ab";

async fn answering(route: &str, template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(template)
        .expect(1)
        .mount(&server)
        .await;
    server
}

fn accepted() -> ResponseTemplate {
    ResponseTemplate::new(202).set_body_json(json!({
        "message_uuid": "aaaaaaaa-bbbb-cccc-dddd-0123456789ab"
    }))
}

fn sms_api_answer(parts: &serde_json::Value) -> ResponseTemplate {
    let count = parts.as_array().map_or(0, Vec::len).to_string();
    ResponseTemplate::new(200).set_body_json(json!({ "message-count": count, "messages": parts }))
}

#[tokio::test]
async fn the_messages_api_gets_json_with_basic_auth_and_the_relay_webhook() {
    let server = answering("/v1/messages", accepted()).await;
    let sms = build(
        &vonage_input(&server, VonageApi::Messages),
        &vonage_secrets(),
        Some(RELAY),
    );
    assert_eq!(sms.sender(), "+447911123456");

    let got = sms
        .send(&message("Sale today 🎉 Reply STOP to opt out"))
        .await
        .unwrap();

    assert_eq!(
        got.provider_message_id,
        "aaaaaaaa-bbbb-cccc-dddd-0123456789ab"
    );
    let request = only_request(&server).await;
    assert_eq!(
        basic_credentials(&request),
        (VONAGE_KEY.into(), VONAGE_SECRET.into())
    );
    let body: serde_json::Value = request.body_json().unwrap();
    assert_eq!(
        body,
        json!({
            "message_type": "text",
            "channel": "sms",
            "to": "14155552671",
            "from": "447911123456",
            "text": "Sale today 🎉 Reply STOP to opt out",
            "client_ref": "herald-msg-1",
            "webhook_url": "https://relay.herald.test/webhooks/vonage/status",
        })
    );
}

#[tokio::test]
async fn an_application_signs_each_request_with_an_rs256_jwt() {
    let key = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
    let pem = key.to_pkcs8_pem(LineEnding::LF).unwrap().to_string();
    let server = answering("/v1/messages", accepted()).await;
    let input = SmsSettingsInput {
        vonage_application_id: APPLICATION.into(),
        ..vonage_input(&server, VonageApi::Messages)
    };
    let secrets =
        ProviderSecrets::vonage(Secret::new(VONAGE_SECRET.into()), Some(Secret::new(pem)));
    let sms = build(&input, &secrets, None);

    sms.send(&message("Hello")).await.unwrap();

    let request = only_request(&server).await;
    let authorization = request.headers["authorization"].to_str().unwrap();
    let token = authorization.strip_prefix("Bearer ").expect("a bearer JWT");
    let (signed, signature) = token.rsplit_once('.').unwrap();
    let signature =
        Signature::try_from(URL_SAFE_NO_PAD.decode(signature).unwrap().as_slice()).unwrap();
    VerifyingKey::<Sha256>::new(key.to_public_key())
        .verify(signed.as_bytes(), &signature)
        .expect("signed with the application's key");
    let claims = signed.split_once('.').unwrap().1;
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap();
    assert_eq!(claims["application_id"], APPLICATION);
    let body: serde_json::Value = request.body_json().unwrap();
    assert!(body.get("webhook_url").is_none(), "no relay, no webhook");
}

#[tokio::test]
async fn an_application_without_its_private_key_is_not_ready() {
    let server = MockServer::start().await;
    let input = SmsSettingsInput {
        vonage_application_id: APPLICATION.into(),
        ..vonage_input(&server, VonageApi::Messages)
    };
    let settings = SmsSettings::parse(&input).unwrap();
    let error = provider::provider(&settings, &vonage_secrets(), None).unwrap_err();
    assert!(
        matches!(
            error,
            SettingsError::NotReady {
                field: "vonage_private_key",
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn the_messages_api_sorts_its_refusals() {
    let problem = |status: u16, title: &str| {
        ResponseTemplate::new(status)
            .insert_header("content-type", "application/problem+json")
            .set_body_json(json!({
                "type": "https://developer.vonage.com/api-errors/messages#1000",
                "title": title,
                "detail": "details",
                "instance": "bf0ca0bf927b3b52e3cb03217e1a1ddf",
            }))
    };
    let cases = [
        (
            problem(429, "Rate Limit Hit").insert_header("Retry-After", "2"),
            "transient",
        ),
        (problem(500, "Internal Error"), "transient"),
        (problem(422, "Invalid params"), "permanent"),
        (problem(401, "Unauthorized"), "fatal"),
        (problem(402, "Low balance"), "fatal"),
    ];
    for (template, kind) in cases {
        let server = answering("/v1/messages", template).await;
        let sms = build(
            &vonage_input(&server, VonageApi::Messages),
            &vonage_secrets(),
            None,
        );
        let error = sms.send(&message("Hello")).await.unwrap_err();
        let got = match &error {
            SmsError::Transient { .. } => "transient",
            SmsError::Permanent { .. } => "permanent",
            SmsError::InDoubt { .. } => "in doubt",
            SmsError::Fatal { .. } => "fatal",
        };
        assert_eq!(got, kind, "{error:?}");
        if let SmsError::Transient {
            retry_after: Some(wait),
            rate_limited,
            ..
        } = error
        {
            assert_eq!(wait, Duration::from_secs(2));
            assert!(rate_limited);
        }
    }
}

#[tokio::test]
async fn the_sms_api_gets_a_form_with_unicode_only_when_the_text_needs_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/sms/json"))
        .respond_with(sms_api_answer(&json!([{
            "to": "14155552671", "message-id": "0C000000217B7F02", "status": "0",
            "remaining-balance": "15.53590000", "message-price": "0.03330000", "network": "310260",
        }])))
        .expect(2)
        .mount(&server)
        .await;
    let sms = build(
        &vonage_input(&server, VonageApi::Sms),
        &vonage_secrets(),
        Some(RELAY),
    );

    let plain = sms.send(&message("Hello [GSM] €5")).await.unwrap();
    sms.send(&message("Hello “friend” 😀")).await.unwrap();

    assert_eq!(plain.provider_message_id, "0C000000217B7F02");
    let requests = server.received_requests().await.unwrap();
    let (gsm, unicode) = (form(&requests[0]), form(&requests[1]));
    assert_eq!(gsm["api_key"], VONAGE_KEY);
    assert_eq!(gsm["api_secret"], VONAGE_SECRET);
    assert_eq!(gsm["from"], "447911123456");
    assert_eq!(gsm["to"], "14155552671");
    assert_eq!(gsm["text"], "Hello [GSM] €5");
    assert_eq!(gsm["client-ref"], "herald-msg-1");
    assert_eq!(
        gsm["callback"],
        "https://relay.herald.test/webhooks/vonage/dlr"
    );
    assert!(!gsm.contains_key("type"), "GSM-7 text: {gsm:?}");
    assert_eq!(unicode["type"], "unicode");
    assert_eq!(unicode["text"], "Hello “friend” 😀");
}

#[tokio::test]
async fn the_sms_api_throttled_status_is_transient_and_rate_limited() {
    let server = answering(
        "/sms/json",
        sms_api_answer(&json!([{ "status": "1", "error-text": "Throughput Rate Exceeded" }])),
    )
    .await;
    let sms = build(
        &vonage_input(&server, VonageApi::Sms),
        &vonage_secrets(),
        None,
    );
    let error = sms.send(&message("Hello")).await.unwrap_err();
    assert!(
        matches!(
            error,
            SmsError::Transient {
                rate_limited: true,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn the_sms_api_sorts_numbers_from_accounts() {
    for (status, fatal) in [("6", false), ("29", false), ("9", true), ("15", true)] {
        let server = answering(
            "/sms/json",
            sms_api_answer(&json!([{ "status": status, "error-text": "refused" }])),
        )
        .await;
        let sms = build(
            &vonage_input(&server, VonageApi::Sms),
            &vonage_secrets(),
            None,
        );
        let error = sms.send(&message("Hello")).await.unwrap_err();
        if fatal {
            assert!(
                matches!(error, SmsError::Fatal { .. }),
                "{status}: {error:?}"
            );
        } else {
            assert!(
                matches!(error, SmsError::Permanent { .. }),
                "{status}: {error:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_late_answer_leaves_the_text_in_doubt() {
    let server = answering("/v1/messages", accepted().set_delay(Duration::from_secs(5))).await;
    let input = SmsSettingsInput {
        timeout_seconds: 1,
        ..vonage_input(&server, VonageApi::Messages)
    };
    let sms = build(&input, &vonage_secrets(), None);
    let error = sms.send(&message("Hello")).await.unwrap_err();
    assert!(matches!(error, SmsError::InDoubt { .. }), "{error:?}");
}

#[tokio::test]
async fn verify_reads_the_balance_with_the_key_and_secret() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/account/get-balance"))
        .and(basic_auth(VONAGE_KEY, VONAGE_SECRET))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"value": 10.28, "autoReload": false})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let sms = build(
        &vonage_input(&server, VonageApi::Messages),
        &vonage_secrets(),
        None,
    );
    let check = sms.verify().await.unwrap();
    assert_eq!(check.provider, ProviderKind::Vonage);
    assert!(check.detail.contains("10.28"), "{}", check.detail);
    assert!(check.detail.contains(VONAGE_KEY), "{}", check.detail);
}

#[tokio::test]
async fn verify_with_a_refused_secret_is_fatal_and_does_not_show_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/account/get-balance"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    let sms = build(
        &vonage_input(&server, VonageApi::Sms),
        &vonage_secrets(),
        None,
    );
    let error = sms.verify().await.unwrap_err();
    assert!(matches!(error, SmsError::Fatal { .. }), "{error:?}");
    assert!(!error.to_string().contains(VONAGE_SECRET));
    assert!(!format!("{sms:?}").contains(VONAGE_SECRET));
}
