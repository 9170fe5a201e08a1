//! Sending through IPC, to the real SMTP test server (aiosmtpd): the email
//! settings, the audience, preview, a test send, send now with its
//! confirmed count, progress to "sent", the recipient table and its CSV.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::{app, error_of, form, TestApp};

/// aiosmtpd through scripts/smtpd/server.py; killed when dropped.
struct Smtpd {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Smtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Smtpd {
    fn start() -> Option<Smtpd> {
        let Ok(python) = std::env::var("HERALD_TEST_SMTPD") else {
            eprintln!(
                "\n*** SKIPPING an IPC sending test: HERALD_TEST_SMTPD is not set (run under \
                 scripts/with-services.sh, as make test does). ***\n"
            );
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/smtpd/server.py");
        let mut child = Command::new(python)
            .arg(script)
            .args(["--port", "0", "--maildir"])
            .arg(dir.path().join("mail"))
            .stdout(Stdio::piped())
            .spawn()
            .expect("starting the test SMTP server");
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.take().unwrap()),
            &mut line,
        )
        .unwrap();
        let port = line
            .trim()
            .strip_prefix("READY ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the SMTP server said {line:?}"));
        Some(Smtpd { child, port, dir })
    }

    /// The messages kept so far: (recipients, raw text).
    fn received(&self) -> Vec<(Vec<String>, String)> {
        let mail: PathBuf = self.dir.path().join("mail");
        let mut metas: Vec<PathBuf> = std::fs::read_dir(&mail)
            .map(|d| {
                d.map(|e| e.unwrap().path())
                    .filter(|p| p.extension().is_some_and(|x| x == "json"))
                    .collect()
            })
            .unwrap_or_default();
        metas.sort();
        metas
            .iter()
            .map(|m| {
                let meta: Value = serde_json::from_slice(&std::fs::read(m).unwrap()).unwrap();
                let to = meta["rcpt_tos"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().to_owned())
                    .collect();
                let raw = String::from_utf8_lossy(&std::fs::read(m.with_extension("eml")).unwrap())
                    .into_owned();
                (to, raw)
            })
            .collect()
    }
}

fn settings(port: u16) -> Value {
    json!({"host": "127.0.0.1", "port": port, "security": "none", "username": null,
           "password": null, "fromName": "Acme News", "fromAddress": "news@acme.example",
           "replyTo": null, "messagesPerSecond": 50.0, "connections": 2,
           "unsubscribeMailto": "unsubscribe@acme.example"})
}

fn campaign(app: &TestApp) -> String {
    for email in ["ann@example.org", "bob@example.org"] {
        let mut contact = form(email, "");
        contact["firstName"] = json!(email.split('@').next().unwrap());
        app.ok("contacts_create", json!({"input": contact}));
    }
    let segment = app.ok(
        "segments_create",
        json!({"input": {"name": "Everyone", "description": "", "filter": {"all": []}}}),
    );
    let created = app.ok(
        "campaigns_create",
        json!({"input": {"channel": "email", "name": "Spring news",
               "segmentId": segment["id"], "subject": "Hello {{ contact.first_name }}",
               "preheader": null, "fromName": null, "fromAddress": null, "replyTo": null,
               "html": "<p>Hi {{ contact.first_name | default(\"there\") }}</p>",
               "textBody": null, "editor": "rich", "templateId": null, "tracking": true,
               "rate": null}}),
    );
    created["id"].as_str().unwrap().to_owned()
}

fn wait_for_status(app: &TestApp, id: &str, status: &str) -> Value {
    // A guard against a hung run, not a timing assertion.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let progress = app.ok("campaign_progress", json!({"id": id}));
        if progress["status"] == status {
            return progress;
        }
        assert!(
            Instant::now() < deadline,
            "never reached {status}: {progress}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_campaign_goes_from_audience_to_sent_through_ipc() {
    let Some(server) = Smtpd::start() else {
        return;
    };
    let app = app();
    let id = campaign(&app);

    let not_ready = app.err("campaign_preview", json!({"id": id}));
    assert_eq!(error_of(&not_ready), ("validation", Some("smtp")));
    let saved = app.ok(
        "email_settings_save",
        json!({"input": settings(server.port)}),
    );
    assert_eq!(saved["configured"], true);
    assert_eq!(saved["passwordStored"], false);

    let audience = app.ok("campaign_audience", json!({"id": id}));
    assert_eq!(audience["willReceive"], 2);
    assert_eq!(audience["trackingOn"], false);
    assert!(audience["trackingNote"]
        .as_str()
        .unwrap()
        .contains("unsubscribe@acme.example"));

    let preview = app.ok("campaign_preview", json!({"id": id}));
    assert_eq!(preview["subject"], "Hello ");
    assert!(preview["html"].as_str().unwrap().contains("Hi there"));
    assert!(preview["hints"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h.as_str().unwrap().contains("no unsubscribe link")));

    let too_many = app.err(
        "campaign_test_send",
        json!({"id": id, "addresses": ["a@x.org", "b@x.org", "c@x.org", "d@x.org", "e@x.org", "f@x.org"]}),
    );
    assert_eq!(error_of(&too_many), ("validation", Some("addresses")));
    app.ok(
        "campaign_test_send",
        json!({"id": id, "addresses": ["me@acme.example"]}),
    );
    let tests = server.received();
    assert_eq!(tests.len(), 1);
    assert_eq!(tests[0].0, ["me@acme.example"]);
    assert!(
        tests[0].1.contains("Subject: [Test] Hello"),
        "{}",
        tests[0].1
    );

    let changed = app.err(
        "campaign_send_now",
        json!({"id": id, "expectedRecipients": 3}),
    );
    assert_eq!(error_of(&changed).0, "conflict");
    assert_eq!(
        app.ok("campaign_progress", json!({"id": id}))["status"],
        "draft"
    );

    app.ok(
        "campaign_send_now",
        json!({"id": id, "expectedRecipients": 2}),
    );
    let done = wait_for_status(&app, &id, "sent");
    assert_eq!(done["counts"]["sent"], 2);
    assert_eq!(done["counts"]["queued"], 0);

    let mut to: Vec<String> = server
        .received()
        .into_iter()
        .skip(1)
        .flat_map(|(to, _)| to)
        .collect();
    to.sort();
    assert_eq!(to, ["ann@example.org", "bob@example.org"]);

    let page = app.ok(
        "campaign_recipients",
        json!({"id": id, "query": {"status": "sent", "search": "ann", "offset": 0, "limit": 50}}),
    );
    assert_eq!(page["total"], 1);
    assert_eq!(page["rows"][0]["address"], "ann@example.org");
    assert_eq!(page["rows"][0]["status"], "sent");
    let csv = app.ok("campaign_recipients_export", json!({"id": id}));
    assert_eq!(csv.as_str().unwrap().lines().count(), 3);

    let again = app.err(
        "campaign_send_now",
        json!({"id": id, "expectedRecipients": 2}),
    );
    assert_eq!(error_of(&again).0, "conflict");
}

#[test]
fn email_settings_keep_the_password_in_the_keychain_and_name_bad_fields() {
    let app = app();
    let mut input = settings(2525);
    input["host"] = json!("smtp.example.com");
    let refused = app.err("email_settings_save", json!({"input": input.clone()}));
    assert_eq!(error_of(&refused), ("validation", Some("security")));

    input["security"] = json!("starttls");
    input["username"] = json!("acme");
    input["password"] = json!("hunter2-secret");
    let saved = app.ok("email_settings_save", json!({"input": input.clone()}));
    assert_eq!(saved["passwordStored"], true);
    assert!(!saved.to_string().contains("hunter2-secret"));
    let fetched = app.ok("email_settings_get", json!({}));
    assert_eq!(fetched, saved);

    input["unsubscribeMailto"] = json!("not an address");
    let bad = app.err("email_settings_save", json!({"input": input}));
    assert_eq!(error_of(&bad), ("validation", Some("unsubscribeMailto")));

    let presets = app.ok("email_presets", json!({}));
    let sendgrid = presets
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "sendgrid")
        .unwrap();
    assert_eq!(sendgrid["host"], "smtp.sendgrid.net");
    assert_eq!(sendgrid["username"], "apikey");
}

#[test]
fn test_connection_reports_the_failure_in_plain_words() {
    let app = app();
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let report = app.ok("email_settings_test", json!({"input": settings(port)}));
    assert_eq!(report["ok"], false);
    assert!(!report["reply"].as_str().unwrap().is_empty());
}

#[test]
fn a_saved_dkim_key_signs_the_messages_and_never_comes_back() {
    let Some(server) = Smtpd::start() else {
        return;
    };
    let app = app();
    let id = campaign(&app);
    let key = Command::new("openssl")
        .args(["genpkey", "-algorithm", "ed25519"])
        .output()
        .expect("openssl makes an Ed25519 key");
    let pem = String::from_utf8(key.stdout).unwrap();
    assert!(pem.contains("PRIVATE KEY"), "{pem}");

    let mut input = settings(server.port);
    input["dkimDomain"] = json!("acme.example");
    input["dkimSelector"] = json!("herald");
    input["dkimPrivateKey"] =
        json!("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----");
    let bad = app.err("email_settings_save", json!({"input": input.clone()}));
    assert_eq!(error_of(&bad), ("validation", Some("dkimPrivateKey")));

    input["dkimPrivateKey"] = json!(pem);
    let saved = app.ok("email_settings_save", json!({"input": input}));
    assert_eq!(saved["dkimDomain"], "acme.example");
    assert_eq!(saved["dkimSelector"], "herald");
    assert!(!saved.to_string().contains("PRIVATE KEY"));

    // Saving again without the key keeps the stored one.
    let kept = app.ok(
        "email_settings_save",
        json!({"input": settings(server.port)}),
    );
    assert_eq!(kept["dkimDomain"], "acme.example");
    app.ok(
        "campaign_test_send",
        json!({"id": id, "addresses": ["me@acme.example"]}),
    );
    let sent = server.received();
    assert!(
        sent[0].1.contains("DKIM-Signature:") && sent[0].1.contains("d=acme.example"),
        "{}",
        sent[0].1
    );
}
