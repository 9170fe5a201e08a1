//! `herald relay ...` and `herald sync`, as processes. The keychain tests
//! need the real Secret Service (scripts/with-services.sh); the relay is
//! the real one, in this test process on a loopback port.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Command, Output};

use herald_core::token::{sign, Claims, SigningKey, TokenKind};
use herald_core::Channel;
use herald_relay::config::{FileConfig, Options, Secret, Settings};

use crate::helpers::Workspace;

/// Runs herald on `db` with the session bus it is given (`None`: this
/// process's, i.e. the test Secret Service when there is one).
fn herald_with_bus(db: &Path, bus: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_herald"));
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("HERALD_DB");
    if let Some(bus) = bus {
        command.env("DBUS_SESSION_BUS_ADDRESS", bus);
    }
    command.output().expect("running herald")
}

const NO_BUS: Option<&str> = Some("unix:path=/nonexistent/herald-test-bus");

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn keyring_available() -> bool {
    if std::env::var("HERALD_TEST_KEYRING").as_deref() == Ok("1") {
        return true;
    }
    println!("skipping: no Secret Service (run under scripts/with-services.sh)");
    false
}

#[test]
fn set_url_refuses_plain_http_to_another_machine_and_status_shows_the_url() {
    let ws = Workspace::new();
    let out = ws.run(&["relay", "set-url", "http://relay.example.com"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("plain HTTP"),
        "{}",
        text(&out.stderr)
    );
    ws.ok(&["relay", "set-url", "https://relay.example.com/"]);
    let out = herald_with_bus(&ws.db, NO_BUS, &["relay", "status", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["url"], "https://relay.example.com");
    assert_eq!(status["last_sync_at"], serde_json::Value::Null);
    assert_eq!(status["keys"], serde_json::Value::Null);
    assert!(status["keychain_error"]
        .as_str()
        .unwrap()
        .contains("no keychain is reachable"));
}

#[test]
fn without_a_keychain_no_key_is_made_shown_or_written() {
    let ws = Workspace::new();
    let out = herald_with_bus(&ws.db, NO_BUS, &["relay", "keys", "generate"]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("no keychain is reachable"), "{stderr}");
    assert!(stderr.contains("GNOME Keyring"), "{stderr}");
    assert!(stderr.contains("never in a file"), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "nothing may be shown: {}",
        text(&out.stdout)
    );
    let workspace = std::fs::read(&ws.db).unwrap();
    assert!(!workspace.windows(12).any(|w| w == b"HERALD_RELAY"));
}

/// The value of `NAME=value` in `herald relay keys generate`'s output.
fn env_value(output: &str, name: &str) -> String {
    output
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("{name} is not in:\n{output}"))
        .to_owned()
}

/// A mail client's one-click unsubscribe, over a raw HTTP/1.1 connection.
fn one_click_unsubscribe(relay: SocketAddr, key: &SigningKey, contact: uuid::Uuid) {
    let token = sign(
        key,
        &Claims {
            kind: TokenKind::Unsubscribe,
            campaign: uuid::Uuid::now_v7(),
            recipient: contact,
            channel: Channel::Email,
            url: None,
        },
    )
    .unwrap();
    let body = "List-Unsubscribe=One-Click";
    let mut stream = TcpStream::connect(relay).unwrap();
    write!(
        stream,
        "POST /u/{token} HTTP/1.1\r\nHost: {relay}\r\nUser-Agent: herald-cli-test\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_are_shown_once_and_herald_sync_applies_the_relay_s_events() {
    if !keyring_available() {
        return;
    }
    let ws = Workspace::new();
    let shown = ws.ok(&["relay", "keys", "generate"]);
    let signing_key = env_value(&shown, "HERALD_RELAY_SIGNING_KEY");
    let api_token = env_value(&shown, "HERALD_RELAY_API_TOKEN");
    assert!(shown.contains(&format!("signing_key = \"{signing_key}\"")));
    let again = ws.run(&["relay", "keys", "generate"]);
    assert!(!again.status.success(), "a second generate must be refused");

    let dir = tempfile::tempdir().unwrap();
    let options = Options {
        bind: Some("127.0.0.1:0".into()),
        public_url: Some("https://relay.herald.test".into()),
        database_url: Some(Secret::new(
            dir.path().join("relay.db").display().to_string(),
        )),
        api_token: Some(Secret::new(api_token.clone())),
        signing_key: Some(Secret::new(signing_key.clone())),
        workspace_name: Some("CLI test".into()),
        ..Options::default()
    };
    let settings = Settings::resolve(options, FileConfig::default()).unwrap();
    let relay = herald_relay::start(settings).await.unwrap();
    ws.ok(&["relay", "set-url", &format!("http://{}", relay.addr())]);
    let added = ws.json(&["contacts", "add", "--email", "ada@example.com", "--json"]);
    let ada = uuid::Uuid::parse_str(added["id"].as_str().unwrap()).unwrap();
    one_click_unsubscribe(relay.addr(), &SigningKey::parse(&signing_key).unwrap(), ada);

    let tested = ws.ok(&["relay", "test"]);
    assert!(tested.contains("new events are waiting"), "{tested}");
    let synced = ws.run(&["sync", "--json"]);
    assert!(synced.status.success(), "{}", text(&synced.stderr));
    let outcome: serde_json::Value = serde_json::from_slice(&synced.stdout).unwrap();
    assert_eq!(outcome["report"]["unsubscribed"], 1);
    let shown_contact = ws.json(&["contacts", "show", "ada@example.com", "--json"]);
    assert_eq!(shown_contact["contact"]["email_status"], "unsubscribed");
    let ledger = &shown_contact["consent_events"][0];
    assert_eq!(
        (ledger["source"].as_str(), ledger["ip"].as_str()),
        (Some("relay"), Some("127.0.0.1"))
    );
    let summary = ws.ok(&["sync"]);
    assert!(summary.contains("No new events."), "{summary}");

    let status = ws.run(&["relay", "status"]);
    let printed = text(&status.stdout) + &text(&status.stderr) + &text(&synced.stderr);
    assert!(
        printed.contains("signing key:     key 1, in the keychain"),
        "{printed}"
    );
    let secret_part = signing_key.split_once(':').unwrap().1;
    assert!(!printed.contains(secret_part) && !printed.contains(&api_token));
    relay.stop().await;
}
