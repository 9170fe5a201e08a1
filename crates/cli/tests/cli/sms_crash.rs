//! Crash safety for SMS: `herald campaigns send` on an SMS campaign,
//! SIGKILLed mid-campaign again and again, then run to the end — and the
//! wiremock Twilio's requests show no number was texted twice, and the
//! ledger and `herald campaigns show` report the texts left in doubt.
//!
//! The CLI reads the Twilio auth token from the OS keychain (there is no
//! other place for it), so this test runs against the Secret Service that
//! scripts/with-services.sh starts, and says so and skips without it.

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use herald_core::Channel;
use herald_send::secrets::{Keychain, SecretName, Secrets};
use herald_send::sms::campaign::concurrency_for;
use herald_send::sms::settings::{self, SecretChanges, SmsSettingsInput};
use herald_store::campaigns::{self, CampaignInput};
use herald_store::segments::{self, SegmentInput};
use herald_store::Store;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::helpers::Workspace;

const RECIPIENTS: usize = 300;
const ACCOUNT_SID: &str = "AC0123456789abcdef0123456789abcdef";
/// Kill points: the child is killed once Twilio has this many requests.
const KILL_AT: [usize; 3] = [40, 120, 200];
/// The campaign's rate: messages per second.
const RATE: f64 = 200.0;

fn number(i: usize) -> String {
    format!("+1415555{:04}", 1000 + i)
}

/// The `To` field of a Twilio form body.
fn to_of(request: &Request) -> String {
    form_urlencoded::parse(&request.body)
        .find(|(k, _)| k == "To")
        .map(|(_, v)| v.into_owned())
        .expect("a To field")
}

/// The SID Twilio gives the text to `number`.
fn sid_for(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    format!("SM{digits:0>32}")
}

/// Twilio's `201 Created`, a little late, as a provider over the network.
struct Accept;

impl Respond for Accept {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        ResponseTemplate::new(201)
            .set_body_json(json!({"sid": sid_for(&to_of(request)), "status": "queued"}))
            .set_delay(Duration::from_millis(5))
    }
}

/// Whether the real Secret Service is there (the CLI keeps the token in it).
fn keyring_available() -> bool {
    if std::env::var("HERALD_TEST_KEYRING").as_deref() == Ok("1") {
        return true;
    }
    println!("skipping: no Secret Service for the Twilio auth token (run under scripts/with-services.sh)");
    false
}

/// 300 contacts with numbers, the Twilio settings (token in the keychain)
/// pointing at `twilio`, and an SMS campaign to everyone at [`RATE`].
async fn prepare(ws: &Workspace, twilio: &MockServer) -> (String, Keychain) {
    let store = Store::open(&ws.db).await.unwrap();
    let mut tx = store.pool().begin().await.unwrap();
    for i in 0..RECIPIENTS {
        sqlx::query(
            "INSERT INTO contacts (id, phone, first_name, created_at, updated_at)
             VALUES (?, ?, ?, 0, 0)",
        )
        .bind(uuid::Uuid::now_v7())
        .bind(number(i))
        .bind(format!("Person {i}"))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let keychain = Keychain::for_workspace(&store).await.unwrap();
    let input = SmsSettingsInput {
        twilio_account_sid: ACCOUNT_SID.into(),
        twilio_from: "+14155550100".into(),
        twilio_base_url: twilio.uri(),
        sending_hours: None,
        ..SmsSettingsInput::default()
    };
    let token = SecretChanges {
        twilio_auth_token: Some("twilio-auth-token-crash-test".into()),
        ..SecretChanges::default()
    };
    settings::save(&store, Arc::new(keychain.clone()), &input, token)
        .await
        .expect("saving the SMS settings, the token in the keychain");
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
    let mut campaign = CampaignInput::draft("SMS crash test");
    campaign.channel = Channel::Sms;
    campaign.segment_id = Some(segment.id);
    campaign.text_body = Some("Hi {{ contact.first_name }}, the sale is on".into());
    campaign.rate = Some(RATE);
    let id = campaigns::create(&store, &campaign).await.unwrap().id;
    store.close().await;
    (id.as_uuid().to_string(), keychain)
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

fn stderr_of(child: &mut Child) -> String {
    let mut stderr = String::new();
    if let Some(pipe) = child.stderr.as_mut() {
        std::io::Read::read_to_string(pipe, &mut stderr).ok();
    }
    stderr
}

/// "N messages were being sent when Herald last stopped; they are marked
/// in doubt…": the N, or 0 when the run found none.
fn recovered_by(stderr: &str) -> usize {
    stderr
        .lines()
        .find(|l| l.contains("were being sent when Herald last stopped"))
        .and_then(|l| l.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Waits until Twilio has `n` requests or the child has ended.
async fn wait_for(twilio: &MockServer, child: &mut Child, n: usize) {
    // A guard against a hung child, not a timing assertion.
    let deadline = Instant::now() + Duration::from_secs(300);
    while twilio.received_requests().await.unwrap().len() < n {
        if let Some(status) = child.try_wait().unwrap() {
            let stderr = stderr_of(child);
            panic!("herald ended before the kill point ({status}): {stderr}");
        }
        assert!(Instant::now() < deadline, "no progress towards {n} texts");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn killing_an_sms_send_again_and_again_texts_nobody_twice_and_reports_the_in_doubt() {
    if !keyring_available() {
        return;
    }
    let twilio = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
        )))
        .respond_with(Accept)
        .mount(&twilio)
        .await;
    let ws = Workspace::new();
    let (campaign, keychain) = prepare(&ws, &twilio).await;

    // What each run said on start about the texts the one before it left.
    let mut recovered = 0;
    for n in KILL_AT {
        let mut child = spawn_send(&ws, &campaign);
        wait_for(&twilio, &mut child, n).await;
        child.kill().expect("SIGKILL");
        child.wait().unwrap();
        recovered += recovered_by(&stderr_of(&mut child));
    }
    let finish = spawn_send(&ws, &campaign).wait_with_output().unwrap();
    keychain.delete(SecretName::TwilioAuthToken).unwrap();
    let stderr = String::from_utf8_lossy(&finish.stderr);
    assert!(finish.status.success(), "the last run failed: {stderr}");
    recovered += recovered_by(&stderr);

    let mut texted: HashMap<String, usize> = HashMap::new();
    for request in twilio.received_requests().await.unwrap() {
        *texted.entry(to_of(&request)).or_default() += 1;
    }
    let twice: Vec<_> = texted.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "texted more than once: {twice:?}");

    let store = Store::open(&ws.db).await.unwrap();
    let rows: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT address, status, provider_message_id FROM campaign_recipients")
            .fetch_all(store.pool())
            .await
            .unwrap();
    assert_eq!(rows.len(), RECIPIENTS);
    let mut in_doubt = 0;
    for (number, status, sid) in &rows {
        let got = texted.get(number).copied().unwrap_or(0);
        match status.as_str() {
            "sent" => {
                assert_eq!(got, 1, "{number} is sent but Twilio has {got}");
                assert_eq!(sid.as_deref(), Some(sid_for(number).as_str()));
            }
            // Killed after the claim: before the request, or between
            // Twilio's answer and the ledger's `sent`. Never sent again.
            "in_doubt" => in_doubt += 1,
            other => panic!("{number} ended {other}, texted {got} times"),
        }
    }
    println!("{in_doubt} in doubt, {} numbers texted", texted.len());
    assert_eq!(
        recovered, in_doubt,
        "each restart reports what it marked in doubt"
    );
    // A kill leaves in doubt the texts claimed in flight (at most the
    // run's concurrency) and those whose `sent` was still waiting for the
    // ledger's group commit (a few).
    let in_flight = concurrency_for(RATE);
    assert!(
        in_doubt <= KILL_AT.len() * 2 * in_flight,
        "{in_doubt} in doubt after {} kills with {in_flight} in flight",
        KILL_AT.len()
    );
    store.close().await;

    let shown = ws.json(&["campaigns", "show", &campaign]);
    assert_eq!(shown["status"], "sent");
    assert_eq!(shown["in_doubt"], in_doubt);
    assert_eq!(shown["sent"], RECIPIENTS - in_doubt);
}
