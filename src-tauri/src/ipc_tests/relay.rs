//! Settings → Relay through IPC: the URL, the keys (shown once, then only
//! their existence), an unreachable keychain, and "Test connection" and
//! "Sync now" against the real relay on a loopback port.

use std::sync::Arc;

use herald_core::token::{sign, Claims, SigningKey, TokenKind};
use herald_core::Channel;
use herald_relay::config::{FileConfig, Options, Secret as RelaySecret, Settings};
use herald_send::secrets::{Secret, SecretName, Secrets, SecretsError};
use serde_json::{json, Value};
use uuid::Uuid;

use super::{app, app_with, error_of, form, TestApp};

const NO_KEYCHAIN: &str =
    "no keychain is reachable: install and unlock GNOME Keyring, then try again";

/// A computer without a reachable keychain.
#[derive(Debug)]
struct NoKeychain;

impl Secrets for NoKeychain {
    fn get(&self, _: SecretName) -> Result<Option<Secret>, SecretsError> {
        Err(SecretsError::Unavailable(NO_KEYCHAIN.into()))
    }
    fn set(&self, _: SecretName, _: &Secret) -> Result<(), SecretsError> {
        Err(SecretsError::Unavailable(NO_KEYCHAIN.into()))
    }
    fn delete(&self, _: SecretName) -> Result<(), SecretsError> {
        Err(SecretsError::Unavailable(NO_KEYCHAIN.into()))
    }
}

/// The real relay, in-process on 127.0.0.1, with these keys.
struct Relay {
    running: herald_relay::Running,
    _dir: tempfile::TempDir,
}

impl Relay {
    fn start(signing_key: &str, api_token: &str) -> Relay {
        let dir = tempfile::tempdir().unwrap();
        let options = Options {
            bind: Some("127.0.0.1:0".into()),
            public_url: Some("https://relay.herald.test".into()),
            database_url: Some(RelaySecret::new(
                dir.path().join("relay.sqlite3").display().to_string(),
            )),
            api_token: Some(RelaySecret::new(api_token)),
            signing_key: Some(RelaySecret::new(signing_key)),
            workspace_name: Some("Herald IPC tests".into()),
            ..Options::default()
        };
        let settings = Settings::resolve(options, FileConfig::default()).unwrap();
        let running = tauri::async_runtime::block_on(herald_relay::start(settings)).unwrap();
        Relay { running, _dir: dir }
    }

    fn url(&self) -> String {
        format!("http://{}", self.running.addr())
    }

    /// A mail client's RFC 8058 one-click unsubscribe for `contact`.
    fn unsubscribe(&self, signing_key: &str, contact: &str) {
        let claims = Claims {
            kind: TokenKind::Unsubscribe,
            campaign: Uuid::now_v7(),
            recipient: contact.parse().unwrap(),
            channel: Channel::Email,
            url: None,
        };
        let token = sign(&SigningKey::parse(signing_key).unwrap(), &claims).unwrap();
        let status = tauri::async_runtime::block_on(async {
            reqwest::Client::new()
                .post(format!("{}/u/{token}", self.url()))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("user-agent", "Herald IPC test")
                .body("List-Unsubscribe=One-Click")
                .send()
                .await
                .unwrap()
                .status()
        });
        assert_eq!(status, 200, "the relay refused the unsubscribe");
    }

    fn stop(self) {
        tauri::async_runtime::block_on(self.running.stop());
    }
}

fn keys_of(generated: &Value) -> (String, String) {
    (
        generated["signingKey"].as_str().unwrap().to_owned(),
        generated["apiToken"].as_str().unwrap().to_owned(),
    )
}

fn set_url(app: &TestApp, url: &str) -> Value {
    app.ok("relay_set_url", json!({ "url": url }))
}

#[test]
fn an_unconfigured_relay_says_so_and_refuses_to_test_or_sync() {
    let app = app();
    let status = app.ok("relay_status", json!({}));
    assert_eq!(status["url"], Value::Null);
    assert_eq!(status["lastSyncAt"], Value::Null);
    assert_eq!(status["lastError"], Value::Null);
    assert_eq!(status["lastSync"], Value::Null);
    assert_eq!(status["eventsApplied"], 0);
    assert_eq!(status["intervalSeconds"], 3600);
    assert_eq!(
        status["keychain"],
        json!({"state": "ready", "signingKeyId": null, "previousSigningKeyId": null,
               "apiToken": false})
    );
    let test = app.err("relay_test_connection", json!({}));
    assert_eq!(error_of(&test), ("conflict", None));
    assert!(
        test["message"].as_str().unwrap().contains("no relay URL"),
        "{test}"
    );
    let sync = app.err("relay_sync_now", json!({}));
    assert_eq!(error_of(&sync), ("conflict", None));
}

#[test]
fn the_relay_url_is_checked_and_a_bad_one_names_the_url_field() {
    let app = app();
    for (bad, says) in [
        ("", "enter the relay's address"),
        ("   ", "enter the relay's address"),
        ("relay.example.com", "is not a URL"),
        ("http://relay.example.com", "plain HTTP"),
        ("https://user:pw@relay.example.com", "user name or password"),
    ] {
        let err = app.err("relay_set_url", json!({ "url": bad }));
        assert_eq!(error_of(&err), ("validation", Some("url")), "{bad}: {err}");
        let message = err["message"].as_str().unwrap().to_lowercase();
        assert!(message.contains(&says.to_lowercase()), "{bad}: {message}");
        assert!(
            !message.contains("pw@"),
            "a password is never echoed: {message}"
        );
    }
    assert_eq!(app.ok("relay_status", json!({}))["url"], Value::Null);

    let status = set_url(&app, " https://relay.example.com/ ");
    assert_eq!(status["url"], "https://relay.example.com");
    assert_eq!(
        set_url(&app, "http://127.0.0.1:8080")["url"],
        "http://127.0.0.1:8080"
    );
}

#[test]
fn keys_are_shown_once_and_afterwards_only_their_existence() {
    let secrets = Arc::new(herald_send::secrets::MemorySecrets::default());
    let app = app_with(secrets.clone());
    let first = app.ok("relay_generate_keys", json!({}));
    let (signing_key, api_token) = keys_of(&first);
    assert_eq!(first["signingKeyId"], 1);
    assert_eq!(first["previousSigningKeyId"], Value::Null);
    assert!(signing_key.starts_with("1:"), "{signing_key}");
    assert_eq!(api_token.len(), 43);
    assert_eq!(
        first["envLines"],
        format!("HERALD_RELAY_SIGNING_KEY={signing_key}\nHERALD_RELAY_API_TOKEN={api_token}\n")
    );
    assert_eq!(
        first["tomlLines"],
        format!("signing_key = \"{signing_key}\"\napi_token = \"{api_token}\"\n")
    );
    assert_eq!(
        secrets
            .get(SecretName::RelayApiToken)
            .unwrap()
            .unwrap()
            .expose(),
        api_token
    );

    let status = app.ok("relay_status", json!({}));
    assert_eq!(
        status["keychain"],
        json!({"state": "ready", "signingKeyId": 1, "previousSigningKeyId": null,
               "apiToken": true})
    );
    let shown = status.to_string();
    assert!(!shown.contains(&api_token) && !shown.contains(&signing_key));

    let again = app.err("relay_generate_keys", json!({}));
    assert_eq!(error_of(&again), ("conflict", None));
    assert!(
        again["message"].as_str().unwrap().contains("rotate"),
        "{again}"
    );
    assert!(!again.to_string().contains(&api_token));

    let rotated = app.ok("relay_rotate_keys", json!({}));
    assert_eq!(rotated["signingKeyId"], 2);
    assert_eq!(rotated["previousSigningKeyId"], 1);
    assert_eq!(
        rotated["apiToken"], api_token,
        "rotation keeps the API token"
    );
    assert!(rotated["envLines"].as_str().unwrap().contains(&format!(
        "HERALD_RELAY_PREVIOUS_SIGNING_KEY={signing_key}\n"
    )));
    assert_eq!(
        app.ok("relay_status", json!({}))["keychain"],
        json!({"state": "ready", "signingKeyId": 2, "previousSigningKeyId": 1,
               "apiToken": true})
    );

    // The workspace file never holds a key or the token.
    let file = std::fs::read(app._dir.path().join("workspace.sqlite3")).unwrap();
    let rotated_key = rotated["signingKey"].as_str().unwrap();
    for secret in [signing_key.as_str(), api_token.as_str(), rotated_key] {
        let found = file.windows(secret.len()).any(|w| w == secret.as_bytes());
        assert!(!found, "a secret is in the workspace file");
    }
}

#[test]
fn rotating_before_generating_is_refused() {
    let app = app();
    let err = app.err("relay_rotate_keys", json!({}));
    assert_eq!(error_of(&err), ("conflict", None));
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("generate them first"));
}

#[test]
fn an_unreachable_keychain_is_reported_and_nothing_falls_back_to_a_file() {
    let app = app_with(Arc::new(NoKeychain));
    let status = app.ok("relay_status", json!({}));
    assert_eq!(status["keychain"]["state"], "unavailable");
    assert!(status["keychain"]["message"]
        .as_str()
        .unwrap()
        .contains("GNOME Keyring"));

    let err = app.err("relay_generate_keys", json!({}));
    assert_eq!(error_of(&err), ("keychain_unavailable", None));
    assert!(err["message"]
        .as_str()
        .unwrap()
        .starts_with("No keychain is reachable"));
    let err = app.err("relay_rotate_keys", json!({}));
    assert_eq!(error_of(&err), ("keychain_unavailable", None));

    // The URL is not a secret: it is saved; syncing needs the token.
    set_url(&app, "https://relay.example.com");
    let err = app.err("relay_sync_now", json!({}));
    assert_eq!(error_of(&err), ("keychain_unavailable", None));
    let err = app.err("relay_test_connection", json!({}));
    assert_eq!(error_of(&err), ("keychain_unavailable", None));
}

#[test]
fn test_connection_and_sync_now_bring_an_unsubscribe_from_the_real_relay() {
    let app = app();
    let ada = app.ok(
        "contacts_create",
        json!({"input": form("ada@example.com", "")}),
    );
    let contact = ada["contact"]["id"].as_str().unwrap().to_owned();
    let (signing_key, api_token) = keys_of(&app.ok("relay_generate_keys", json!({})));
    let relay = Relay::start(&signing_key, &api_token);
    set_url(&app, &relay.url());
    // Setting the URL asked the loop for a sync; this one waits for it.
    let first = app.ok("relay_sync_now", json!({}));
    assert_eq!(first["recorded"], 0);

    relay.unsubscribe(&signing_key, &contact);
    let test = app.ok("relay_test_connection", json!({}));
    assert_eq!(test, json!({"url": relay.url(), "eventsWaiting": true}));

    let synced = app.ok("relay_sync_now", json!({}));
    assert_eq!(synced["received"], 1);
    assert_eq!(synced["recorded"], 1);
    assert_eq!(synced["unsubscribed"], 1);
    assert_eq!(synced["byKind"], json!({"unsubscribe": 1}));

    let detail = app.ok("contacts_get", json!({ "id": contact }));
    assert_eq!(detail["contact"]["emailStatus"], "unsubscribed");
    let ledger = &detail["consentEvents"][0];
    assert_eq!(
        (&ledger["source"], &ledger["action"]),
        (&json!("relay"), &json!("withdrawn"))
    );

    let status = app.ok("relay_status", json!({}));
    assert!(status["lastSyncAt"].is_string());
    assert_eq!(status["lastError"], Value::Null);
    assert_eq!(status["lastSync"], synced);
    assert_eq!(status["eventsApplied"], 1);
    let again = app.ok("relay_sync_now", json!({}));
    assert_eq!(again["recorded"], 0, "each event is applied once");
    relay.stop();
}

#[test]
fn a_relay_that_refuses_the_token_or_is_down_is_explained_in_plain_words() {
    let app = app();
    app.ok("relay_generate_keys", json!({}));
    // A relay configured with other keys than this computer's.
    let other = herald_send::secrets::MemorySecrets::default();
    let theirs = herald_send::keys::create(&other).unwrap();
    let relay = Relay::start(theirs.signing_key.expose(), theirs.api_token.expose());
    set_url(&app, &relay.url());

    let refused = app.err("relay_test_connection", json!({}));
    assert_eq!(error_of(&refused), ("relay", None));
    let message = refused["message"].as_str().unwrap();
    assert!(
        message.contains("refused this computer's API token"),
        "{message}"
    );
    let refused = app.err("relay_sync_now", json!({}));
    assert_eq!(error_of(&refused), ("relay", None));
    let status = app.ok("relay_status", json!({}));
    assert!(status["lastError"]["message"]
        .as_str()
        .unwrap()
        .contains("refused"));
    assert_eq!(status["lastSyncAt"], Value::Null);

    let url = relay.url();
    relay.stop();
    let down = app.err("relay_test_connection", json!({}));
    assert_eq!(error_of(&down), ("relay", None));
    let message = down["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("The relay at {url} cannot be reached")),
        "{message}"
    );
}
