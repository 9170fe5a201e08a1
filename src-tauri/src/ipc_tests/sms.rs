//! Settings → SMS and the composer's helpers through IPC: the segment
//! counter, the GSM look-alikes, the settings round trip with the secrets
//! in the (memory) keychain only, field errors by the form's names, and
//! "Verify" and "Send test SMS" against a wiremock stand-in that answers as
//! Twilio documents its Account and Messages resources.

use std::sync::Arc;

use herald_send::secrets::{MemorySecrets, SecretName, Secrets};
use serde_json::{json, Value};
use wiremock::matchers::{basic_auth, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{app, app_with, error_of, TestApp};

const SID: &str = "AC0123456789abcdef0123456789abcdef";
const TOKEN: &str = "twilio-auth-token-f00d";
const FROM: &str = "+14155550100";
const MESSAGES: &str = "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json";
const ACCOUNT: &str = "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef.json";

/// The Twilio form as the UI sends it, pointed at `base_url`.
fn twilio_form(base_url: &str) -> Value {
    json!({
        "provider": "twilio",
        "twilioAccountSid": SID,
        "twilioFrom": FROM,
        "twilioMessagingServiceSid": "",
        "vonageApi": "messages",
        "vonageApiKey": "",
        "vonageApplicationId": "",
        "vonageFrom": "",
        "senderKind": "long_code",
        "messagesPerSecond": null,
        "sendingHours": {"from": "08:00", "until": "21:00"},
        "optOutText": "Reply STOP to opt out",
        "helpText": "Acme: marketing texts. Reply STOP to opt out.",
        "twilioBaseUrl": base_url,
        "twilioAuthToken": TOKEN,
    })
}

fn save(app: &TestApp, input: &Value) -> Result<Value, Value> {
    app.call("sms_settings_save", json!({ "input": input }))
}

/// A form field that the save refused, and why.
fn refused(app: &TestApp, change: impl FnOnce(&mut Value)) -> (String, String) {
    let mut input = twilio_form("");
    change(&mut input);
    let e = save(app, &input).unwrap_err();
    let (kind, field) = error_of(&e);
    assert_eq!(kind, "validation", "{e}");
    (
        field.unwrap().to_owned(),
        e["message"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn the_counter_tells_gsm_from_unicode_and_names_what_forced_it() {
    let app = app();
    let plain = app.ok("sms_count", json!({"text": "Sale ends at 9 [today]!"}));
    assert_eq!(
        (&plain["encoding"], &plain["units"], &plain["parts"]),
        (&json!("gsm7"), &json!(25), &json!(1))
    );
    assert_eq!(plain["leftInPart"], 135);
    assert_eq!(plain["forcedUcs2"], json!([]));

    let party = app.ok("sms_count", json!({"text": "It’s on 🎉"}));
    assert_eq!(party["encoding"], "ucs2");
    assert_eq!(party["characters"], 9);
    assert_eq!(party["units"], 10);
    assert_eq!(party["perPart"], 70);
    assert_eq!(
        party["forcedUcs2"],
        json!([{"ch": "’", "index": 2, "replacement": "'"},
               {"ch": "🎉", "index": 8, "replacement": null}])
    );

    let long = app.ok("sms_count", json!({"text": "a".repeat(161)}));
    assert_eq!((&long["parts"], &long["perPart"]), (&json!(2), &json!(153)));

    let fixed = app.ok(
        "sms_gsm_equivalents",
        json!({"text": "“Quotes” — and ’apostrophes’ 🎉"}),
    );
    assert_eq!(fixed, json!("\"Quotes\" - and 'apostrophes' 🎉"));
}

#[test]
fn settings_round_trip_with_the_token_in_the_keychain_only() {
    let secrets = Arc::new(MemorySecrets::default());
    let app = app_with(secrets.clone());
    let fresh = app.ok("sms_settings_get", json!({}));
    assert_eq!(fresh["configured"], false);
    assert_eq!(fresh["optOutText"], "Reply STOP to opt out");
    assert_eq!(
        fresh["sendingHours"],
        json!({"from": "08:00", "until": "21:00"})
    );
    assert_eq!(fresh["twilioAuthTokenStored"], false);
    assert_eq!(fresh["defaultRate"], 1.0);
    assert_eq!(fresh["defaultRates"].as_array().unwrap().len(), 8);

    let saved = save(&app, &twilio_form("")).unwrap();
    assert_eq!(saved["configured"], true);
    assert_eq!(saved["twilioAccountSid"], SID);
    assert_eq!(saved["twilioFrom"], FROM);
    assert_eq!(saved["twilioAuthTokenStored"], true);
    assert_eq!(saved["timeoutSeconds"], 30);
    assert!(!saved.to_string().contains(TOKEN), "{saved}");
    let stored = secrets.get(SecretName::TwilioAuthToken).unwrap().unwrap();
    assert_eq!(stored.expose(), TOKEN);

    // A blank token keeps the stored one; other fields change; absent API
    // addresses and timeout keep theirs.
    let mut again = twilio_form("");
    again["twilioAuthToken"] = json!("  ");
    again["senderKind"] = json!("short_code");
    again["messagesPerSecond"] = json!(12.5);
    again["sendingHours"] = Value::Null;
    again.as_object_mut().unwrap().remove("twilioBaseUrl");
    let saved = save(&app, &again).unwrap();
    assert_eq!(saved["senderKind"], "short_code");
    assert_eq!(saved["messagesPerSecond"], 12.5);
    assert_eq!(saved["sendingHours"], Value::Null);
    assert_eq!(saved["defaultRate"], 30.0);
    let stored = secrets.get(SecretName::TwilioAuthToken).unwrap().unwrap();
    assert_eq!(stored.expose(), TOKEN);
    assert_eq!(app.ok("sms_settings_get", json!({})), saved);
}

#[test]
fn wrong_fields_are_named_as_the_form_names_them_and_nothing_is_saved() {
    let app = app();
    let (field, message) = refused(&app, |f| f["twilioAccountSid"] = json!("SK123"));
    assert_eq!(field, "twilioAccountSid");
    assert!(
        message.contains("SK123") || message.contains("AC"),
        "{message}"
    );

    let (field, _) = refused(&app, |f| f["twilioFrom"] = json!("not a number"));
    assert_eq!(field, "twilioFrom");
    let (field, _) = refused(&app, |f| f["messagesPerSecond"] = json!(-1));
    assert_eq!(field, "messagesPerSecond");
    let (field, message) = refused(&app, |f| {
        f["sendingHours"] = json!({"from": "21:00", "until": "08:00"})
    });
    assert_eq!(field, "sendingHours.until");
    assert!(message.contains("21:00"), "{message}");
    let (field, _) = refused(&app, |f| {
        f["sendingHours"] = json!({"from": "8am", "until": "21:00"})
    });
    assert_eq!(field, "sendingHours.from");
    let (field, _) = refused(&app, |f| f["optOutText"] = json!(" "));
    assert_eq!(field, "optOutText");

    assert_eq!(app.ok("sms_settings_get", json!({}))["configured"], false);
    let not_set_up = app.err("sms_verify", json!({}));
    assert_eq!(error_of(&not_set_up), ("conflict", None));
}

/// A Twilio stand-in: the Account resource, and Messages answering 201
/// except for `landline`, which it refuses with Twilio's error 21614.
fn twilio(landline: &str) -> MockServer {
    tauri::async_runtime::block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(ACCOUNT))
            .and(basic_auth(SID, TOKEN))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "sid": SID, "friendly_name": "Acme Marketing", "status": "active", "type": "Full",
            })))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(MESSAGES))
            .and(basic_auth(SID, TOKEN))
            .and(wiremock::matchers::body_string_contains(
                form_urlencoded::byte_serialize(landline.as_bytes()).collect::<String>(),
            ))
            .respond_with(ResponseTemplate::new(400).set_body_json(json!({
                "code": 21614, "message": "'To' number is not a valid mobile number",
                "more_info": "https://www.twilio.com/docs/errors/21614", "status": 400,
            })))
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(MESSAGES))
            .and(basic_auth(SID, TOKEN))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({
                "sid": "SM0123456789abcdef0123456789abcdef", "status": "queued",
            })))
            .mount(&server)
            .await;
        server
    })
}

/// The form fields of each message the stand-in received.
fn sent(server: &MockServer) -> Vec<Vec<(String, String)>> {
    let requests = tauri::async_runtime::block_on(server.received_requests()).unwrap();
    requests
        .iter()
        .filter(|r| r.url.path() == MESSAGES)
        .map(|r| {
            form_urlencoded::parse(&r.body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .collect()
}

#[test]
fn verify_and_a_test_send_go_to_the_provider_with_the_opt_out_appended() {
    let server = twilio("+442079460958");
    let app = app();
    app.ok(
        "workspace_update_settings",
        json!({"input": {"name": "Acme", "defaultRegion": "GB", "defaultCurrency": "GBP",
                         "timeZone": "Europe/London"}}),
    );
    save(&app, &twilio_form(&server.uri())).unwrap();

    let check = app.ok("sms_verify", json!({}));
    assert_eq!(check["ok"], true, "{check}");
    assert!(
        check["detail"].as_str().unwrap().contains("Acme Marketing"),
        "{check}"
    );

    // A national number is read with the workspace's region (GB).
    let report = app.ok(
        "sms_test_send",
        json!({"numbers": ["+1 415 555 0123", "020 7946 0958"], "body": "Hello from Herald"}),
    );
    let results = report["results"].as_array().unwrap();
    assert_eq!(results[0]["number"], "+14155550123");
    assert_eq!(results[0]["ok"], true);
    assert_eq!(results[0]["detail"], "SM0123456789abcdef0123456789abcdef");
    assert_eq!(results[1]["number"], "+442079460958");
    assert_eq!(results[1]["ok"], false);
    assert!(
        results[1]["detail"]
            .as_str()
            .unwrap()
            .contains("not a mobile number"),
        "{report}"
    );

    let forms = sent(&server);
    assert_eq!(forms.len(), 2);
    for (form, to) in forms.iter().zip(["+14155550123", "+442079460958"]) {
        let field = |name: &str| {
            form.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(field("To"), Some(to));
        assert_eq!(field("From"), Some(FROM));
        assert_eq!(
            field("Body"),
            Some("Hello from Herald\nReply STOP to opt out")
        );
        // Test texts belong to no campaign: no delivery reports asked for.
        assert_eq!(field("StatusCallback"), None);
    }
}

#[test]
fn a_test_send_checks_every_number_before_sending_any() {
    let server = twilio("+10000000000");
    let app = app();
    save(&app, &twilio_form(&server.uri())).unwrap();
    let six: Vec<String> = (0..6).map(|i| format!("+1415555010{i}")).collect();
    let too_many = app.err("sms_test_send", json!({"numbers": six, "body": "Hi"}));
    assert_eq!(error_of(&too_many), ("validation", Some("numbers")));
    let none = app.err("sms_test_send", json!({"numbers": [], "body": "Hi"}));
    assert_eq!(error_of(&none), ("validation", Some("numbers")));
    let bad = app.err(
        "sms_test_send",
        json!({"numbers": ["+14155550100", "12"], "body": "Hi"}),
    );
    assert_eq!(error_of(&bad), ("validation", Some("numbers")));
    assert!(bad["message"].as_str().unwrap().contains("12"), "{bad}");
    let empty = app.err(
        "sms_test_send",
        json!({"numbers": ["+14155550100"], "body": "  "}),
    );
    assert_eq!(error_of(&empty), ("validation", Some("body")));
    assert!(sent(&server).is_empty());
}
