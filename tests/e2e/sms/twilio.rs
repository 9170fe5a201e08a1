//! Twilio's side of the SMS test: a stand-in for its Messages API in this
//! process, and its status callback, signed as Twilio signs it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::harness::http;

pub const ACCOUNT_SID: &str = "AC0123456789abcdef0123456789abcdef";
pub const AUTH_TOKEN: &str = "e2e0twilio0auth0token0000000000a";
pub const FROM: &str = "+447400000100";

/// Twilio's stand-in: answers every new message with `201` and a SID of its
/// own, and remembers which SID it gave to which number.
pub struct TwilioStandIn {
    pub server: MockServer,
    answered: Arc<Mutex<Vec<(String, String)>>>,
}

/// The `Respond` half: a counter makes each SID distinct.
struct Accept {
    count: AtomicUsize,
    answered: Arc<Mutex<Vec<(String, String)>>>,
}

impl Respond for Accept {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let n = self.count.fetch_add(1, Ordering::SeqCst) + 1;
        let sid = format!("SM{n:032x}");
        let to = form(request).remove("To").unwrap_or_default();
        self.answered
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((to.clone(), sid.clone()));
        ResponseTemplate::new(201).set_body_json(json!({
            "sid": sid, "account_sid": ACCOUNT_SID, "to": to, "from": FROM,
            "status": "queued", "direction": "outbound-api", "api_version": "2010-04-01",
        }))
    }
}

impl TwilioStandIn {
    pub async fn start() -> TwilioStandIn {
        let server = MockServer::start().await;
        let answered = Arc::new(Mutex::new(Vec::new()));
        Mock::given(method("POST"))
            .and(path(format!(
                "/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
            )))
            .respond_with(Accept {
                count: AtomicUsize::new(0),
                answered: Arc::clone(&answered),
            })
            .mount(&server)
            .await;
        TwilioStandIn { server, answered }
    }

    /// The form of every request the stand-in received, in order.
    pub async fn received(&self) -> Vec<HashMap<String, String>> {
        let requests = self.server.received_requests().await;
        requests.unwrap_or_default().iter().map(form).collect()
    }

    /// (number, SID) of each message taken, in order.
    pub fn answered(&self) -> Vec<(String, String)> {
        self.answered
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

fn form(request: &Request) -> HashMap<String, String> {
    form_urlencoded::parse(&request.body).into_owned().collect()
}

/// Twilio's status callback for `sid`, signed with the auth token over the
/// relay's public URL and the parameters sorted by name.
pub async fn deliver_status_callback(relay: &str, sid: &str, to: &str) {
    let url = format!("{relay}/webhooks/twilio/status");
    let mut params = vec![
        ("AccountSid", ACCOUNT_SID),
        ("ApiVersion", "2010-04-01"),
        ("From", FROM),
        ("MessageSid", sid),
        ("MessageStatus", "delivered"),
        ("SmsSid", sid),
        ("SmsStatus", "delivered"),
        ("To", to),
    ];
    params.sort();
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(AUTH_TOKEN.as_bytes()).unwrap();
    mac.update(url.as_bytes());
    for (name, value) in &params {
        mac.update(name.as_bytes());
        mac.update(value.as_bytes());
    }
    let signature = STANDARD.encode(mac.finalize().into_bytes());
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&params)
        .finish();
    let response = http()
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-twilio-signature", signature)
        .body(body)
        .send()
        .await
        .expect("posting the status callback");
    assert_eq!(
        response.status(),
        200,
        "the relay refused the status callback"
    );
}
