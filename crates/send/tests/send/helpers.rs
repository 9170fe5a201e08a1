//! The harness: a real workspace file in a temp folder, and the real relay
//! (`herald_relay::start`) on 127.0.0.1 port 0 with its own SQLite store,
//! fed through its public routes as a mail client or Twilio would.

use std::path::PathBuf;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use herald_core::token::{sign, Claims, SigningKey, TokenKind};
use herald_core::{Channel, ContactId};
use herald_relay::config::{FileConfig, Options, Secret as RelaySecret, Settings};
use herald_send::keys::{self, RelayKeys};
use herald_send::relay::{RelayClient, RelayUrl};
use herald_send::secrets::{MemorySecrets, Secret};
use herald_store::contacts::{self, Contact, NewContact};
use herald_store::Store;
use hmac::{Hmac, Mac};
use tempfile::TempDir;
use uuid::Uuid;

/// What the relay believes its public address is: Twilio signs this.
pub const PUBLIC_URL: &str = "https://relay.herald.test";
pub const TWILIO_AUTH_TOKEN: &str = "twilio-auth-token-for-tests";
pub const USER_AGENT: &str = "Mozilla/5.0 (Herald sync test)";

/// A workspace file in its own temp folder.
pub struct Workspace {
    pub dir: TempDir,
    pub store: Store,
}

impl Workspace {
    pub async fn new() -> Workspace {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("workspace.sqlite3"))
            .await
            .expect("opening a workspace");
        Workspace { dir, store }
    }

    pub fn file(&self) -> PathBuf {
        self.dir.path().join("workspace.sqlite3")
    }

    pub async fn contact(&self, email: Option<&str>, phone: Option<&str>) -> Contact {
        let new = NewContact {
            email: email.map(|e| herald_core::EmailAddress::parse(e).unwrap()),
            phone: phone.map(|p| herald_core::PhoneNumber::parse(p, None).unwrap()),
            ..NewContact::default()
        };
        contacts::create(&self.store, new)
            .await
            .expect("creating a contact")
    }

    pub async fn get(&self, id: ContactId) -> Contact {
        contacts::get(&self.store, id)
            .await
            .expect("reading a contact")
    }
}

/// Fresh relay keys in memory.
pub fn fresh_keys() -> (MemorySecrets, RelayKeys) {
    let secrets = MemorySecrets::default();
    let created = keys::create(&secrets).expect("creating keys");
    (secrets, created)
}

/// The real relay, serving on a loopback port.
pub struct Relay {
    running: herald_relay::Running,
    pub url: RelayUrl,
    pub token: Secret,
    signing_key: SigningKey,
    http: reqwest::Client,
    _dir: TempDir,
}

impl Relay {
    pub async fn start(keys: &RelayKeys) -> Relay {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = Options {
            bind: Some("127.0.0.1:0".into()),
            public_url: Some(PUBLIC_URL.into()),
            database_url: Some(RelaySecret::new(
                dir.path().join("relay.sqlite3").display().to_string(),
            )),
            api_token: Some(RelaySecret::new(keys.api_token.expose())),
            signing_key: Some(RelaySecret::new(keys.signing_key.expose())),
            previous_signing_key: keys
                .previous_signing_key
                .as_ref()
                .map(|k| RelaySecret::new(k.expose())),
            workspace_name: Some("Herald tests".into()),
            twilio_auth_token: Some(RelaySecret::new(TWILIO_AUTH_TOKEN)),
            ..Options::default()
        };
        let settings = Settings::resolve(options, FileConfig::default()).expect("relay settings");
        let running = herald_relay::start(settings)
            .await
            .expect("starting the relay");
        let url = RelayUrl::parse(&format!("http://{}", running.addr())).expect("relay URL");
        Relay {
            running,
            url,
            token: keys.api_token.clone(),
            signing_key: SigningKey::parse(keys.signing_key.expose()).unwrap(),
            http: reqwest::Client::new(),
            _dir: dir,
        }
    }

    /// A client with the right token.
    pub fn client(&self) -> RelayClient {
        RelayClient::new(&self.url, self.token.clone()).expect("a relay client")
    }

    fn link(&self, path: &str) -> String {
        format!("{}/{path}", self.url)
    }

    fn token(
        &self,
        kind: TokenKind,
        campaign: Uuid,
        contact: ContactId,
        channel: Channel,
    ) -> String {
        let claims = Claims {
            kind,
            campaign,
            recipient: contact.as_uuid(),
            channel,
            url: None,
        };
        sign(&self.signing_key, &claims).expect("signing a token")
    }

    /// A mail client's RFC 8058 one-click unsubscribe.
    pub async fn unsubscribe(&self, campaign: Uuid, contact: ContactId, channel: Channel) {
        let token = self.token(TokenKind::Unsubscribe, campaign, contact, channel);
        let response = self
            .http
            .post(self.link(&format!("u/{token}")))
            .header("user-agent", USER_AGENT)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .expect("posting an unsubscribe");
        assert_eq!(response.status(), 200, "the relay refused the unsubscribe");
    }

    /// The confirmation page's resubscribe button.
    pub async fn resubscribe(&self, campaign: Uuid, contact: ContactId) {
        let token = self.token(TokenKind::Unsubscribe, campaign, contact, Channel::Email);
        let response = self
            .http
            .post(self.link(&format!("u/{token}/resubscribe")))
            .header("user-agent", USER_AGENT)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("confirm=yes")
            .send()
            .await
            .expect("posting a resubscribe");
        assert_eq!(response.status(), 200, "the relay refused the resubscribe");
    }

    /// A mail client loading the open pixel.
    pub async fn open(&self, campaign: Uuid, contact: ContactId) {
        let token = self.token(TokenKind::Open, campaign, contact, Channel::Email);
        let response = self
            .http
            .get(self.link(&format!("o/{token}")))
            .header("user-agent", USER_AGENT)
            .send()
            .await
            .expect("loading the pixel");
        assert_eq!(response.status(), 200);
    }

    /// Twilio posting an inbound SMS, signed as Twilio signs.
    pub async fn sms_reply(&self, from: &str, body: &str) {
        let sid = format!("SM{}", Uuid::now_v7().simple());
        let mut params = vec![
            ("Body", body.to_owned()),
            ("From", from.to_owned()),
            ("MessageSid", sid),
            ("To", "+14155550000".to_owned()),
        ];
        params.sort();
        let path = "webhooks/twilio/inbound";
        let mut mac = Hmac::<sha1::Sha1>::new_from_slice(TWILIO_AUTH_TOKEN.as_bytes()).unwrap();
        mac.update(format!("{PUBLIC_URL}/{path}").as_bytes());
        for (name, value) in &params {
            mac.update(name.as_bytes());
            mac.update(value.as_bytes());
        }
        let signature = STANDARD.encode(mac.finalize().into_bytes());
        let form: String = params
            .iter()
            .map(|(k, v)| format!("{k}={}", form_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let response = self
            .http
            .post(self.link(path))
            .header("x-twilio-signature", signature)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .expect("posting an inbound SMS");
        assert_eq!(response.status(), 200, "the relay refused the inbound SMS");
    }

    /// The sequence number the desktop last acknowledged.
    pub async fn acked(&self) -> i64 {
        self.running.store().acked().await.expect("reading the ack")
    }

    pub async fn stop(self) {
        self.running.stop().await;
    }
}

/// `application/x-www-form-urlencoded` for a value.
fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
