//! Crash safety: `herald campaigns send` SIGKILLed mid-campaign, again and
//! again, then resumed — and the real SMTP server's mailbox shows nobody got
//! the message twice and nobody was silently skipped.

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use herald_send::email::campaign::UNSUBSCRIBE_MAILTO;
use herald_send::email::smtp::{self, PasswordChange, SmtpSettingsInput};
use herald_send::secrets::MemorySecrets;
use herald_store::campaigns::{self, CampaignInput};
use herald_store::segments::{self, SegmentInput};
use herald_store::{settings, Store};
use serde_json::json;

#[path = "../../../send/tests/send/smtpd.rs"]
#[allow(dead_code, reason = "the crash test uses part of the SMTP harness")]
mod smtpd;

use crate::helpers::Workspace;
use smtpd::{Options, Smtpd};

const RECIPIENTS: usize = 2_000;
const CONNECTIONS: u8 = 4;
/// Kill points: the child is killed once the server holds this many messages.
const KILL_AT: [usize; 3] = [250, 900, 1_500];

async fn prepare(ws: &Workspace, server: &Smtpd) -> String {
    let store = Store::open(&ws.db).await.unwrap();
    let mut tx = store.pool().begin().await.unwrap();
    for i in 0..RECIPIENTS {
        sqlx::query(
            "INSERT INTO contacts (id, email, first_name, created_at, updated_at)
             VALUES (?, ?, ?, 0, 0)",
        )
        .bind(uuid::Uuid::now_v7())
        .bind(format!("person{i:04}@example.org"))
        .bind(format!("Person {i}"))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let input = SmtpSettingsInput {
        connections: CONNECTIONS,
        // Slow enough that every kill point lands mid-campaign.
        messages_per_second: 400.0,
        ..server.input()
    };
    smtp::settings::save(
        &store,
        Arc::new(MemorySecrets::default()),
        &input,
        PasswordChange::Keep,
    )
    .await
    .unwrap();
    settings::set(&store, UNSUBSCRIBE_MAILTO, &"unsubscribe@herald.test")
        .await
        .unwrap();
    let segment = segments::create(
        &store,
        &SegmentInput {
            name: "Everyone".into(),
            description: None,
            filter: json!({"all": []}),
        },
    )
    .await
    .unwrap();
    let mut campaign = CampaignInput::draft("Crash test");
    campaign.segment_id = Some(segment.id);
    campaign.subject = "Hello {{ contact.first_name }}".into();
    campaign.html = "<p>Hi {{ contact.first_name }}</p>".into();
    let id = campaigns::create(&store, &campaign).await.unwrap().id;
    store.close().await;
    id.as_uuid().to_string()
}

fn spawn_send(ws: &Workspace, campaign: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_herald"))
        .arg("--db")
        .arg(&ws.db)
        .args(["campaigns", "send", campaign, "--yes", "--quiet"])
        .env_remove("HERALD_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting herald campaigns send")
}

/// Waits until the server holds `n` messages or the child has ended.
fn wait_for(server: &Smtpd, child: &mut Child, n: usize) {
    // A guard against a hung child, not a timing assertion.
    let deadline = Instant::now() + Duration::from_secs(300);
    while server.received().len() < n {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("herald ended before the kill point ({status})");
        }
        assert!(
            Instant::now() < deadline,
            "no progress towards {n} messages"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn killing_the_sender_again_and_again_sends_nobody_twice_and_skips_nobody() {
    let Some(server) = Smtpd::start(Options::default()).await else {
        return;
    };
    let ws = Workspace::new();
    let campaign = prepare(&ws, &server).await;

    for n in KILL_AT {
        let mut child = spawn_send(&ws, &campaign);
        wait_for(&server, &mut child, n);
        child.kill().expect("SIGKILL");
        child.wait().unwrap();
    }
    let finish = spawn_send(&ws, &campaign).wait_with_output().unwrap();
    assert!(
        finish.status.success(),
        "the last run failed: {}",
        String::from_utf8_lossy(&finish.stderr)
    );

    let mut received: HashMap<String, usize> = HashMap::new();
    for message in server.received() {
        for to in message.rcpt_tos {
            *received.entry(to).or_default() += 1;
        }
    }
    let twice: Vec<_> = received.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "received more than once: {twice:?}");

    let store = Store::open(&ws.db).await.unwrap();
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT address, status FROM campaign_recipients")
            .fetch_all(store.pool())
            .await
            .unwrap();
    assert_eq!(rows.len(), RECIPIENTS);
    let mut in_doubt = 0;
    for (address, status) in &rows {
        let got = received.get(address).copied().unwrap_or(0);
        match status.as_str() {
            "sent" => assert_eq!(got, 1, "{address} is sent but the server has {got}"),
            // Killed between the server's 250 and the ledger's `sent`, or
            // before the message left: either way never sent again.
            "in_doubt" => in_doubt += 1,
            other => panic!("{address} ended {other}, received {got} times"),
        }
    }
    assert!(
        in_doubt <= KILL_AT.len() * usize::from(CONNECTIONS),
        "{in_doubt} in doubt after {} kills with {CONNECTIONS} connections",
        KILL_AT.len()
    );
    let state =
        herald_store::campaign_runs::state(&store, uuid::Uuid::parse_str(&campaign).unwrap())
            .await
            .unwrap();
    assert_eq!(state.status, "sent");
}
