//! `herald campaigns run-due` with a campaign that cannot start, and
//! `herald campaigns send` answered "n": as processes, on a real workspace
//! file (and, for the web version, the real relay on a loopback port).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use herald_relay::config::{FileConfig, Options, Secret, Settings};
use herald_send::email::campaign::UNSUBSCRIBE_MAILTO;
use herald_send::email::smtp::{self, PasswordChange, Security, SmtpSettingsInput};
use herald_send::secrets::MemorySecrets;
use herald_store::campaigns::{self, CampaignInput};
use herald_store::segments::{self, SegmentInput};
use herald_store::{now_millis, settings, start_failures, Store};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::Workspace;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// An email campaign "Autumn news" to two contacts with `html`; returns its
/// id.
async fn campaign(store: &Store, html: &str) -> Uuid {
    for email in ["ann@example.org", "bob@example.org"] {
        sqlx::query("INSERT INTO contacts (id, email, created_at, updated_at) VALUES (?, ?, 0, 0)")
            .bind(Uuid::now_v7())
            .bind(email)
            .execute(store.pool())
            .await
            .unwrap();
    }
    let segment = segments::create(
        store,
        &SegmentInput {
            name: "Everyone".into(),
            description: None,
            filter: json!({"all": []}),
        },
    )
    .await
    .unwrap();
    let mut input = CampaignInput::draft("Autumn news");
    input.segment_id = Some(segment.id);
    input.subject = "Autumn".into();
    input.html = html.into();
    campaigns::create(store, &input).await.unwrap().id.as_uuid()
}

#[tokio::test]
async fn run_due_names_a_campaign_that_cannot_start_keeps_why_and_fails() {
    let ws = Workspace::new();
    let store = Store::open(&ws.db).await.unwrap();
    let id = campaign(&store, "<p>Hello</p>").await;
    // Due a minute ago; no SMTP server is set up in this workspace.
    sqlx::query("UPDATE campaigns SET status = 'scheduled', scheduled_at = ? WHERE id = ?")
        .bind(now_millis() - 60_000)
        .bind(id)
        .execute(store.pool())
        .await
        .unwrap();

    let out = ws.run(&["campaigns", "run-due"]);
    assert!(!out.status.success(), "run-due must fail");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("\"Autumn news\" could not start"),
        "{stderr}"
    );
    assert!(
        stderr.contains("add your SMTP server in Settings → Email"),
        "{stderr}"
    );

    let kept = start_failures::get(&store, id)
        .await
        .unwrap()
        .expect("kept");
    assert_eq!(kept.kind, "validation");
    assert!(kept.message.starts_with("Email sending is not set up yet"));
    let (status, in_ledger): (String, i64) = sqlx::query_as(
        "SELECT status, (SELECT count(*) FROM campaign_recipients) FROM campaigns WHERE id = ?",
    )
    .bind(id)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!((status.as_str(), in_ledger), ("scheduled", 0));
    let shown = ws.json(&["campaigns", "show", &id.to_string()]);
    assert_eq!(shown["could_not_start"], kept.message.as_str());

    // The next run tries again and fails the same way: the same failure.
    let again = ws.run(&["campaigns", "run-due"]);
    assert!(!again.status.success());
    let still = start_failures::get(&store, id).await.unwrap().unwrap();
    assert_eq!(still.failed_at, kept.failed_at);
    store.close().await;
}

/// Runs `herald campaigns send <campaign>` at a terminal (a pty, through
/// util-linux `script`) and types `answer`.
fn send_answering(ws: &Workspace, campaign: &str, answer: &str) -> Output {
    let herald = format!(
        "'{}' --db '{}' campaigns send {campaign}",
        env!("CARGO_BIN_EXE_herald"),
        ws.db.display()
    );
    let mut child = Command::new("script")
        .args(["-qec", &herald, "/dev/null"])
        .env_remove("HERALD_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running herald at a pty through `script`");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{answer}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Whether the relay holds a web version of `campaign`: its API's DELETE
/// answers 204 when it did (and removes it), 404 when not.
fn relay_had_web_version(relay: SocketAddr, token: &str, campaign: Uuid) -> bool {
    let mut stream = TcpStream::connect(relay).unwrap();
    write!(
        stream,
        "DELETE /api/v1/campaigns/{campaign}/web-view HTTP/1.1\r\nHost: {relay}\r\n\
         Authorization: Bearer {token}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    match response.split(' ').nth(1) {
        Some("204") => true,
        Some("404") => false,
        _ => panic!("unexpected answer: {response}"),
    }
}

/// The value of `NAME=value` in `herald relay keys generate`'s output.
fn env_value(output: &str, name: &str) -> String {
    output
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("{name} is not in:\n{output}"))
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_answered_no_publishes_no_web_version() {
    if std::env::var("HERALD_TEST_KEYRING").as_deref() != Ok("1") {
        println!("skipping: no Secret Service (run under scripts/with-services.sh)");
        return;
    }
    let ws = Workspace::new();
    let shown = ws.ok(&["relay", "keys", "generate"]);
    let signing_key = env_value(&shown, "HERALD_RELAY_SIGNING_KEY");
    let api_token = env_value(&shown, "HERALD_RELAY_API_TOKEN");
    let dir = tempfile::tempdir().unwrap();
    let options = Options {
        bind: Some("127.0.0.1:0".into()),
        public_url: Some("https://relay.herald.test".into()),
        database_url: Some(Secret::new(
            dir.path().join("relay.db").display().to_string(),
        )),
        api_token: Some(Secret::new(api_token.clone())),
        signing_key: Some(Secret::new(signing_key)),
        workspace_name: Some("CLI test".into()),
        ..Options::default()
    };
    let relay = herald_relay::start(Settings::resolve(options, FileConfig::default()).unwrap())
        .await
        .unwrap();
    ws.ok(&["relay", "set-url", &format!("http://{}", relay.addr())]);

    let store = Store::open(&ws.db).await.unwrap();
    // Nothing is sent in this test: the settings only have to be there.
    let input = SmtpSettingsInput {
        host: "127.0.0.1".into(),
        port: 2525,
        security: Security::None,
        from_address: "news@acme.example".into(),
        ..SmtpSettingsInput::default()
    };
    smtp::settings::save(
        &store,
        Arc::new(MemorySecrets::default()),
        &input,
        PasswordChange::Keep,
    )
    .await
    .unwrap();
    settings::set(&store, UNSUBSCRIBE_MAILTO, &"unsubscribe@acme.example")
        .await
        .unwrap();
    let id = campaign(
        &store,
        "<p>Hello</p><p><a href=\"{{ web_view_url }}\">View it in your browser</a></p>",
    )
    .await;
    store.close().await;

    let out = send_answering(&ws, &id.to_string(), "n");
    let printed = text(&out.stdout) + &text(&out.stderr);
    assert!(
        printed.contains("Send \"Autumn news\" to 2 people now?"),
        "{printed}"
    );
    assert!(printed.contains("Nothing was sent."), "{printed}");
    assert!(
        !relay_had_web_version(relay.addr(), &api_token, id),
        "a \"no\" published the web version"
    );
    let shown = ws.json(&["campaigns", "show", &id.to_string()]);
    assert_eq!(shown["status"], "draft");
    assert_eq!(shown["recipients"], 0);
    relay.stop().await;
}
