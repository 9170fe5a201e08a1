//! SMS replies and delivery reports through the real relay: an inbound
//! text signed as Twilio signs it, one `sync_once`, and the next campaign
//! through the wiremock Twilio — who is texted and who is not — and status
//! callbacks ending up in the campaign's recipient table.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use herald_core::SmsStatus;
use herald_send::engine::Outcome;
use herald_send::sync;
use herald_store::consent_events;
use herald_store::ledger::{self, RecipientQuery};
use hmac::{Hmac, Mac};

use crate::helpers::*;
use crate::sms_campaign::{sid_for, sms_workspace, Sms};

/// Every way of asking to stop the brief and issue 7 name.
const OPT_OUT: [&str; 12] = [
    "STOP",
    "stop.",
    " Stop! ",
    "STOPALL",
    "UNSUBSCRIBE",
    "CANCEL",
    "END",
    "QUIT",
    "REVOKE",
    "OPT OUT",
    "OPTOUT",
    "please stop texting me",
];

/// The contact who never replies (a campaign always has someone to text).
const KEEPS: &str = "+14155550150";

fn number(i: usize) -> String {
    format!("+1415555{:04}", 200 + i)
}

/// The SMS workspace, its relay, and contacts for `numbers` plus [`KEEPS`].
async fn with_relay(numbers: &[String]) -> (Sms, Relay) {
    let (_secrets, keys) = fresh_keys();
    let relay = Relay::start(&keys).await;
    let s = sms_workspace(relay.url.as_str(), |_| {}).await;
    s.accept_all().await;
    for n in numbers.iter().map(String::as_str).chain([KEEPS]) {
        s.contact(Some(n), Some("Pat")).await;
    }
    (s, relay)
}

async fn status_of(s: &Sms, phone: &str) -> SmsStatus {
    let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM contacts WHERE phone = ?")
        .bind(phone)
        .fetch_one(s.ws.store.pool())
        .await
        .unwrap();
    s.ws.get(herald_core::ContactId::from_uuid(id))
        .await
        .sms_status
}

/// Sends a fresh campaign and returns the numbers it texted.
async fn campaign_texts(s: &Sms) -> Vec<String> {
    let before = s.numbers_texted().await.len();
    let (_, end) = s.send("New arrivals this week").await;
    assert_eq!(end, Outcome::Finished);
    let all = s.twilio.received_requests().await.unwrap();
    let mut texted: Vec<String> = all[before..]
        .iter()
        .map(|r| crate::sms_stand_in::form(r)["To"].clone())
        .collect();
    texted.sort();
    texted
}

#[tokio::test]
async fn every_opt_out_keyword_through_the_relay_opts_out_and_the_next_campaign_skips_them() {
    let numbers: Vec<String> = (0..OPT_OUT.len()).map(number).collect();
    let (s, relay) = with_relay(&numbers).await;
    for (n, keyword) in numbers.iter().zip(OPT_OUT) {
        relay.sms_reply(n, keyword).await;
    }

    let outcome = sync::sync_once(&s.ws.store, &relay.client()).await.unwrap();

    assert_eq!(outcome.report.sms_opted_out, OPT_OUT.len() as u64);
    for (n, keyword) in numbers.iter().zip(OPT_OUT) {
        assert_eq!(status_of(&s, n).await, SmsStatus::OptedOut, "{keyword:?}");
        let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM contacts WHERE phone = ?")
            .bind(n)
            .fetch_one(s.ws.store.pool())
            .await
            .unwrap();
        let ledger =
            consent_events::for_contact(&s.ws.store, herald_core::ContactId::from_uuid(id))
                .await
                .unwrap();
        assert!(
            ledger
                .iter()
                .any(|row| row.status == "opted_out" && row.method == "sms_keyword"),
            "{keyword:?}: {ledger:?}"
        );
    }
    assert_eq!(
        campaign_texts(&s).await,
        [KEEPS],
        "only the one who never replied"
    );
    relay.stop().await;
}

#[tokio::test]
async fn start_unstop_and_yes_opt_back_in_and_the_next_campaign_texts_them_again() {
    let numbers: Vec<String> = (0..3).map(number).collect();
    let (s, relay) = with_relay(&numbers).await;
    for n in &numbers {
        relay.sms_reply(n, "STOP").await;
    }
    sync::sync_once(&s.ws.store, &relay.client()).await.unwrap();
    assert_eq!(campaign_texts(&s).await, [KEEPS]);

    for (n, keyword) in numbers.iter().zip(["START", "unstop", "Yes"]) {
        relay.sms_reply(n, keyword).await;
    }
    let outcome = sync::sync_once(&s.ws.store, &relay.client()).await.unwrap();

    assert_eq!(outcome.report.sms_opted_in, 3);
    for n in &numbers {
        assert_eq!(status_of(&s, n).await, SmsStatus::Subscribed, "{n}");
    }
    let mut everyone = vec![KEEPS.to_owned()];
    everyone.extend(numbers.iter().cloned());
    assert_eq!(campaign_texts(&s).await, everyone);
    relay.stop().await;
}

#[tokio::test]
async fn help_changes_nothing_and_the_next_campaign_still_texts_them() {
    let numbers = vec![number(0)];
    let (s, relay) = with_relay(&numbers).await;
    relay.sms_reply(&numbers[0], "HELP").await;

    let outcome = sync::sync_once(&s.ws.store, &relay.client()).await.unwrap();

    assert_eq!(outcome.report.help_requests, 1);
    assert_eq!(outcome.report.status_changes(), 0);
    assert_eq!(status_of(&s, &numbers[0]).await, SmsStatus::Subscribed);
    assert_eq!(
        campaign_texts(&s).await,
        [KEEPS.to_owned(), numbers[0].clone()]
    );
    relay.stop().await;
}

/// Twilio posting a status callback for `sid`, signed as Twilio signs.
async fn status_callback(relay: &Relay, params: &[(&str, &str)]) {
    let path = "webhooks/twilio/status";
    let mut sorted = params.to_vec();
    sorted.sort();
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(TWILIO_AUTH_TOKEN.as_bytes()).unwrap();
    mac.update(format!("{PUBLIC_URL}/{path}").as_bytes());
    for (name, value) in &sorted {
        mac.update(name.as_bytes());
        mac.update(value.as_bytes());
    }
    let signature = STANDARD.encode(mac.finalize().into_bytes());
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    let response = reqwest::Client::new()
        .post(format!(
            "{}/{path}",
            relay.url.as_str().trim_end_matches('/')
        ))
        .header("x-twilio-signature", signature)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("posting a status callback");
    assert_eq!(
        response.status(),
        200,
        "the relay refused the status callback"
    );
}

#[tokio::test]
async fn delivery_reports_through_the_relay_show_in_the_recipient_table() {
    let numbers = vec![number(0)];
    let (s, relay) = with_relay(&numbers).await;
    let (campaign, _) = s.send("Sale today").await;
    let (reached, unreachable) = (numbers[0].as_str(), KEEPS);
    let (sid_reached, sid_unreachable) = (sid_for(reached), sid_for(unreachable));
    let report = |sid: &str, to: &str, status: &str, code: &str| {
        let mut params = vec![
            ("AccountSid", crate::sms_stand_in::ACCOUNT_SID.to_owned()),
            ("MessageSid", sid.to_owned()),
            ("MessageStatus", status.to_owned()),
            ("To", to.to_owned()),
        ];
        if !code.is_empty() {
            params.push(("ErrorCode", code.to_owned()));
        }
        params
    };
    for params in [
        report(&sid_reached, reached, "sent", ""),
        report(&sid_reached, reached, "delivered", ""),
        report(&sid_unreachable, unreachable, "undelivered", "30003"),
        // A late earlier stage never replaces a final report.
        report(&sid_reached, reached, "queued", ""),
    ] {
        let borrowed: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        status_callback(&relay, &borrowed).await;
    }

    sync::sync_once(&s.ws.store, &relay.client()).await.unwrap();

    let query = RecipientQuery {
        limit: 10,
        ..RecipientQuery::default()
    };
    let (rows, _) = ledger::recipients(&s.ws.store, campaign, &query)
        .await
        .unwrap();
    let row = |n: &str| rows.iter().find(|r| r.address == n).unwrap().clone();
    assert_eq!(row(reached).delivery_status.as_deref(), Some("delivered"));
    assert_eq!(row(reached).delivery_error, None);
    let failed = row(unreachable);
    assert_eq!(failed.delivery_status.as_deref(), Some("undelivered"));
    let error = failed.delivery_error.unwrap_or_default();
    assert!(
        error.contains("30003") && error.contains("unreachable"),
        "{error}"
    );
    relay.stop().await;
}
