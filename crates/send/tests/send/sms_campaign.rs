//! SMS campaigns through the send engine: a real workspace with saved SMS
//! settings, `sms::campaign::setup`, `CampaignRun`, and a wiremock Twilio
//! that answers as Twilio documents. What the stand-in received and what
//! the ledger says afterwards.

use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveTime, TimeZone, Timelike, Utc};
use herald_core::{Channel, ContactId};
use herald_send::engine::{CampaignRun, Outcome, RunOptions, SendLock};
use herald_send::secrets::{MemorySecrets, Secrets};
use herald_send::sms::campaign::setup;
use herald_send::sms::settings::{self, SecretChanges, SendingHours, SmsSettingsInput};
use herald_store::campaigns::{self, CampaignInput};
use herald_store::segments::{self, SegmentInput};
use herald_store::{campaign_runs, now_millis, relay_sync};
use serde_json::json;
use uuid::Uuid;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::helpers::Workspace;
use crate::sms_stand_in::{form, twilio_input, ACCOUNT_SID, AUTH_TOKEN, RELAY};

pub fn messages_path() -> String {
    format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json")
}

/// The SID the stand-in gives the text to `number`: one per number, so a
/// ledger row can be checked against what Twilio answered.
pub fn sid_for(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    format!("SM{digits:0>32}")
}

/// Twilio's `201 Created` for any text, with [`sid_for`] its number.
struct Accept;

impl Respond for Accept {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let to = form(request).get("To").cloned().unwrap_or_default();
        ResponseTemplate::new(201).set_body_json(json!({
            "sid": sid_for(&to), "account_sid": ACCOUNT_SID, "to": to, "status": "queued",
        }))
    }
}

fn twilio_error(status: u16, code: u32, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "code": code, "message": message, "status": status,
        "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
    }))
}

/// A workspace with Twilio settings pointing at the stand-in, and its lock.
pub struct Sms {
    pub ws: Workspace,
    pub secrets: Arc<dyn Secrets>,
    pub twilio: MockServer,
    pub lock: SendLock,
}

/// `relay`: the relay URL the status callbacks point at.
pub async fn sms_workspace(relay: &str, tune: impl FnOnce(&mut SmsSettingsInput)) -> Sms {
    let ws = Workspace::new().await;
    let twilio = MockServer::start().await;
    let secrets: Arc<dyn Secrets> = Arc::new(MemorySecrets::default());
    let mut input = SmsSettingsInput {
        messages_per_second: Some(100.0),
        sending_hours: None,
        ..twilio_input(&twilio)
    };
    tune(&mut input);
    let token = SecretChanges {
        twilio_auth_token: Some(AUTH_TOKEN.into()),
        ..SecretChanges::default()
    };
    settings::save(&ws.store, Arc::clone(&secrets), &input, token)
        .await
        .expect("saving SMS settings");
    relay_sync::set_url(&ws.store, relay).await.unwrap();
    let lock = SendLock::acquire(&ws.store).await.unwrap();
    Sms {
        ws,
        secrets,
        twilio,
        lock,
    }
}

impl Sms {
    /// Every text is accepted from now on (added after any earlier answer).
    pub async fn accept_all(&self) {
        Mock::given(method("POST"))
            .and(path(messages_path()))
            .respond_with(Accept)
            .mount(&self.twilio)
            .await;
    }

    /// A contact with this phone and first name (no phone: an email only).
    pub async fn contact(&self, phone: Option<&str>, first: Option<&str>) -> ContactId {
        let email = format!("{}@example.org", first.unwrap_or("someone").to_lowercase());
        let c = self
            .ws
            .contact(phone.is_none().then_some(email.as_str()), phone)
            .await;
        sqlx::query("UPDATE contacts SET first_name = ? WHERE id = ?")
            .bind(first)
            .bind(c.id.as_uuid())
            .execute(self.ws.store.pool())
            .await
            .unwrap();
        c.id
    }

    pub async fn sql(&self, sql: &str) {
        sqlx::query(sql)
            .execute(self.ws.store.pool())
            .await
            .expect("test SQL");
    }

    /// An SMS campaign of `text` to everyone, started.
    pub async fn started(&self, text: &str, tune: impl FnOnce(&mut CampaignInput)) -> Uuid {
        let segment = segments::create(
            &self.ws.store,
            &SegmentInput {
                name: format!("Everyone {}", Uuid::now_v7()),
                description: None,
                filter: json!({"all": []}),
            },
        )
        .await
        .unwrap();
        let mut input = CampaignInput::draft("Spring sale");
        input.channel = Channel::Sms;
        input.segment_id = Some(segment.id);
        input.text_body = Some(text.into());
        tune(&mut input);
        let id = campaigns::create(&self.ws.store, &input)
            .await
            .expect("an SMS campaign")
            .id
            .as_uuid();
        campaign_runs::start(&self.ws.store, id, None)
            .await
            .unwrap();
        id
    }

    /// A run of `campaign` as the app assembles it.
    pub async fn run(&self, campaign: Uuid, tune: impl FnOnce(&mut RunOptions)) -> CampaignRun {
        let s = setup(&self.ws.store, &self.secrets, campaign)
            .await
            .expect("the SMS campaign is ready to send");
        let mut options = s.options;
        tune(&mut options);
        CampaignRun::new(&self.lock, campaign, s.composer, s.messenger, options)
    }

    /// Starts and sends a campaign of `text` to the end.
    pub async fn send(&self, text: &str) -> (Uuid, Outcome) {
        let id = self.started(text, |_| {}).await;
        let end = self.run(id, |_| {}).await.run().await.unwrap();
        (id, end)
    }

    /// What the stand-in received: (To, Body, StatusCallback) per request.
    pub async fn texts(&self) -> Vec<(String, String, Option<String>)> {
        let mut texts: Vec<_> = self
            .twilio
            .received_requests()
            .await
            .unwrap()
            .iter()
            .map(|r| {
                let f = form(r);
                (
                    f["To"].clone(),
                    f["Body"].clone(),
                    f.get("StatusCallback").cloned(),
                )
            })
            .collect();
        texts.sort();
        texts
    }

    pub async fn numbers_texted(&self) -> Vec<String> {
        self.texts().await.into_iter().map(|t| t.0).collect()
    }

    /// The ledger row of `number` in `campaign`.
    pub async fn row(&self, campaign: Uuid, number: &str) -> Ledger {
        let (status, provider_id, parts, attempts, next_attempt_at, error) = sqlx::query_as(
            "SELECT status, provider_message_id, parts, attempts, next_attempt_at, error
             FROM campaign_recipients WHERE campaign_id = ? AND address = ?",
        )
        .bind(campaign)
        .bind(number)
        .fetch_one(self.ws.store.pool())
        .await
        .unwrap_or_else(|e| panic!("no ledger row for {number}: {e}"));
        Ledger {
            status,
            provider_id,
            parts,
            attempts,
            next_attempt_at,
            error,
        }
    }
}

#[derive(Debug)]
pub struct Ledger {
    pub status: String,
    pub provider_id: Option<String>,
    pub parts: Option<i64>,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub error: Option<String>,
}

const ANN: &str = "+14155550101";
const BOB: &str = "+14155550102";
const CY: &str = "+14155550103";
const DEE: &str = "+14155550104";

#[tokio::test]
async fn a_campaign_texts_each_subscribed_number_once_with_the_opt_out_line_and_the_callback() {
    let s = sms_workspace(RELAY, |_| {}).await;
    s.accept_all().await;
    s.contact(Some(ANN), Some("Ann")).await;
    s.contact(Some(BOB), None).await;
    s.contact(Some(CY), Some("Cy")).await;
    s.contact(Some(DEE), Some("Dee")).await;
    s.contact(None, Some("Nophone")).await;
    s.sql(&format!(
        "UPDATE contacts SET sms_status = 'opted_out' WHERE phone = '{CY}'"
    ))
    .await;
    s.sql(&format!(
        "UPDATE contacts SET sms_status = 'invalid' WHERE phone = '{DEE}'"
    ))
    .await;

    let (id, end) = s
        .send("Hi {{ contact.first_name | default(\"there\") }}, spring sale today!")
        .await;

    assert_eq!(end, Outcome::Finished);
    let callback = Some(format!("{RELAY}/webhooks/twilio/status"));
    assert_eq!(
        s.texts().await,
        [
            (
                ANN.into(),
                "Hi Ann, spring sale today!\nReply STOP to opt out".into(),
                callback.clone()
            ),
            (
                BOB.into(),
                "Hi there, spring sale today!\nReply STOP to opt out".into(),
                callback
            ),
        ]
    );
    for number in [ANN, BOB] {
        let row = s.row(id, number).await;
        assert_eq!(row.status, "sent", "{number}: {row:?}");
        assert_eq!(row.provider_id, Some(sid_for(number)));
        assert_eq!(row.parts, Some(1));
    }
    let rows: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = ?")
            .bind(id)
            .fetch_one(s.ws.store.pool())
            .await
            .unwrap();
    assert_eq!(
        rows, 2,
        "opted-out, invalid and phone-less contacts get no row"
    );
}

#[tokio::test]
async fn parts_are_recorded_for_a_long_gsm_text_and_for_an_emoji_text_in_ucs2() {
    let s = sms_workspace(RELAY, |_| {}).await;
    s.accept_all().await;
    s.contact(Some(ANN), Some("Ann")).await;
    // 200 GSM-7 characters with the opt-out line: two parts of 153.
    let long = "x".repeat(200 - "\nReply STOP to opt out".len());
    let (id, _) = s.send(&long).await;
    assert_eq!(s.texts().await[0].1.chars().count(), 200);
    assert_eq!(s.row(id, ANN).await.parts, Some(2));

    // 100 UTF-16 units: one GSM part would hold it, UCS-2 needs two of 67.
    let emoji = format!("Party 🎉 {}", "y".repeat(100 - 9 - 22));
    let (id, _) = s.send(&emoji).await;
    let texts = s.texts().await;
    let body = &texts.iter().find(|t| t.1.starts_with("Party")).unwrap().1;
    assert_eq!(body.encode_utf16().count(), 100, "{body}");
    assert_eq!(s.row(id, ANN).await.parts, Some(2));
}

#[tokio::test]
async fn a_campaign_without_the_opt_out_line_sends_the_text_as_written() {
    let s = sms_workspace(RELAY, |_| {}).await;
    s.accept_all().await;
    s.contact(Some(ANN), Some("Ann")).await;
    let id = s
        .started("Doors open at 9, {{ contact.first_name }}.", |c| {
            c.sms_opt_out = false
        })
        .await;

    s.run(id, |_| {}).await.run().await.unwrap();

    assert_eq!(s.texts().await[0].1, "Doors open at 9, Ann.");
}

#[tokio::test]
async fn a_long_first_name_takes_its_recipient_to_two_parts_and_no_one_else() {
    let s = sms_workspace(RELAY, |_| {}).await;
    s.accept_all().await;
    s.contact(Some(ANN), Some("Al")).await;
    s.contact(Some(BOB), Some("Bartholomew-Maximilian")).await;
    // "Hi Al! " + filler + opt-out line = exactly 160: one part.
    let filler = "z".repeat(160 - "Hi Al! ".len() - "\nReply STOP to opt out".len());
    let (id, _) = s
        .send(&format!("Hi {{{{ contact.first_name }}}}! {filler}"))
        .await;

    let texts = s.texts().await;
    assert_eq!(texts[0].1.chars().count(), 160);
    assert!(texts[1].1.chars().count() > 160);
    assert_eq!(s.row(id, ANN).await.parts, Some(1));
    assert_eq!(s.row(id, BOB).await.parts, Some(2));
}

/// `Etc/GMT±N` putting the wall clock at about `hour` o'clock now.
fn zone_at(hour: i32) -> chrono_tz::Tz {
    let offset = (hour - Utc::now().hour() as i32 + 12).rem_euclid(24) - 12;
    let name = match offset {
        0 => "Etc/GMT".to_owned(),
        // The Etc names count the other way round: Etc/GMT-3 is UTC+3.
        o if o > 0 => format!("Etc/GMT-{o}"),
        o => format!("Etc/GMT+{}", -o),
    };
    name.parse().unwrap()
}

#[tokio::test]
async fn outside_sending_hours_nothing_goes_out_and_the_rows_wait_for_the_window() {
    // 08:00-11:00; the workspace's clock reads about 12:xx (closed an hour
    // or more ago), one contact's own zone about 09:xx (open).
    let s = sms_workspace(RELAY, |i| {
        i.sending_hours = Some(SendingHours::parse("08:00", "11:00").unwrap());
    })
    .await;
    s.accept_all().await;
    let workspace_zone = zone_at(12);
    herald_store::settings::set(&s.ws.store, "time_zone", &workspace_zone.name())
        .await
        .unwrap();
    s.contact(Some(ANN), Some("Ann")).await;
    s.contact(Some(BOB), Some("Bob")).await;
    let early = zone_at(9);
    s.sql(&format!(
        "UPDATE contacts SET custom = '{{\"time_zone\":\"{}\"}}' WHERE phone = '{BOB}'",
        early.name()
    ))
    .await;
    let id = s.started("Hello {{ contact.first_name }}", |_| {}).await;
    let run = s.run(id, |_| {}).await;

    let first = run.step().await.unwrap();
    let second = run.step().await.unwrap();

    assert!(
        matches!(first, Outcome::Sent(r) if r.deferred == 1 && r.sent == 1),
        "{first:?}"
    );
    assert_eq!(
        s.numbers_texted().await,
        [BOB],
        "only the contact inside their window"
    );
    let local_now = Utc::now().with_timezone(&workspace_zone);
    let tomorrow = local_now.date_naive().succ_opt().unwrap();
    let opening = workspace_zone
        .from_local_datetime(&tomorrow.and_time(NaiveTime::from_hms_opt(8, 0, 0).unwrap()))
        .single()
        .unwrap();
    let ann = s.row(id, ANN).await;
    assert_eq!(
        (ann.status.as_str(), ann.attempts),
        ("queued", 0),
        "{ann:?}"
    );
    assert_eq!(ann.next_attempt_at, opening.timestamp_millis());
    assert_eq!(
        second,
        Outcome::Waiting {
            until: opening.timestamp_millis()
        }
    );
}

#[tokio::test]
async fn a_429_is_retried_after_retry_after_and_then_accepted_once() {
    let s = sms_workspace(RELAY, |_| {}).await;
    Mock::given(method("POST"))
        .and(path(messages_path()))
        .respond_with(
            twilio_error(429, 20429, "Too Many Requests").insert_header("Retry-After", "2"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&s.twilio)
        .await;
    s.accept_all().await;
    s.contact(Some(ANN), Some("Ann")).await;
    let id = s.started("Hello", |_| {}).await;
    let run = s.run(id, |_| {}).await;

    let before = now_millis();
    let first = run.step().await.unwrap();
    let after = now_millis();

    assert!(
        matches!(first, Outcome::Sent(r) if r.retried == 1),
        "{first:?}"
    );
    let row = s.row(id, ANN).await;
    assert_eq!(
        (row.status.as_str(), row.attempts),
        ("queued", 1),
        "{row:?}"
    );
    assert!(
        (before + 2_000..=after + 2_000).contains(&row.next_attempt_at),
        "due Retry-After from now: {row:?}"
    );
    assert!(matches!(run.step().await.unwrap(), Outcome::Waiting { .. }));

    // Due now, instead of sleeping until then.
    s.sql("UPDATE campaign_recipients SET next_attempt_at = 0")
        .await;
    assert_eq!(run.run().await.unwrap(), Outcome::Finished);
    assert_eq!(
        s.numbers_texted().await,
        [ANN, ANN],
        "refused once, then taken"
    );
    let row = s.row(id, ANN).await;
    assert_eq!((row.status.as_str(), row.attempts), ("sent", 2), "{row:?}");
}

#[tokio::test]
async fn a_number_that_replied_stop_to_twilio_fails_in_plain_words_and_the_rest_go_out() {
    let s = sms_workspace(RELAY, |_| {}).await;
    Mock::given(method("POST"))
        .and(path(messages_path()))
        .and(body_string_contains("To=%2B14155550101"))
        .respond_with(twilio_error(
            400,
            21610,
            "Attempt to send to unsubscribed recipient",
        ))
        .with_priority(1)
        .mount(&s.twilio)
        .await;
    s.accept_all().await;
    s.contact(Some(ANN), Some("Ann")).await;
    s.contact(Some(BOB), Some("Bob")).await;

    let (id, end) = s.send("Hello").await;

    assert_eq!(end, Outcome::Finished);
    let ann = s.row(id, ANN).await;
    assert_eq!(ann.status, "failed");
    let error = ann.error.unwrap_or_default();
    assert!(
        error.contains("replied STOP") && error.contains("21610"),
        "{error}"
    );
    assert_eq!(s.row(id, BOB).await.status, "sent");
}

#[tokio::test]
async fn refused_credentials_fail_the_campaign_after_one_request() {
    let s = sms_workspace(RELAY, |_| {}).await;
    Mock::given(method("POST"))
        .and(path(messages_path()))
        .respond_with(twilio_error(401, 20003, "Authenticate"))
        .mount(&s.twilio)
        .await;
    for number in [ANN, BOB, CY] {
        s.contact(Some(number), None).await;
    }
    let id = s.started("Hello", |_| {}).await;

    let end = s.run(id, |o| o.concurrency = 1).await.run().await.unwrap();

    let Outcome::Failed { reason } = end else {
        panic!("expected the campaign to fail, got {end:?}");
    };
    assert!(reason.contains("20003"), "{reason}");
    assert_eq!(s.texts().await.len(), 1, "no request after the refusal");
    let state = campaign_runs::state(&s.ws.store, id).await.unwrap();
    assert_eq!(state.status, "failed");
    for number in [ANN, BOB, CY] {
        assert_eq!(
            s.row(id, number).await.status,
            "queued",
            "{number}: nothing was sent"
        );
    }
}

#[tokio::test]
async fn a_text_whose_answer_never_came_is_in_doubt_and_a_later_run_does_not_resend_it() {
    let s = sms_workspace(RELAY, |i| i.timeout_seconds = 1).await;
    Mock::given(method("POST"))
        .and(path(messages_path()))
        .and(body_string_contains("To=%2B14155550101"))
        .respond_with(late(ANN))
        .with_priority(1)
        .mount(&s.twilio)
        .await;
    s.accept_all().await;
    s.contact(Some(ANN), Some("Ann")).await;
    s.contact(Some(BOB), Some("Bob")).await;
    let id = s.started("Hello", |_| {}).await;

    // One recipient per step; the run ends (the app quit) after the first.
    let first = s.run(id, |o| o.batch_size = 1).await;
    first.step().await.unwrap();
    drop(first);
    let end = s.run(id, |o| o.batch_size = 1).await.run().await.unwrap();

    assert_eq!(end, Outcome::Finished);
    assert_eq!(s.numbers_texted().await, [ANN, BOB], "each number once");
    let ann = s.row(id, ANN).await;
    assert_eq!(ann.status, "in_doubt", "{ann:?}");
    assert_eq!(s.row(id, BOB).await.status, "sent");
}

/// Twilio took the text to `number`, but answers after the client gave up.
fn late(number: &str) -> ResponseTemplate {
    ResponseTemplate::new(201)
        .set_body_json(json!({"sid": sid_for(number), "status": "queued"}))
        .set_delay(Duration::from_secs(3))
}
