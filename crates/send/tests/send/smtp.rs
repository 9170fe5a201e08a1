//! SMTP delivery against a real server we did not write (aiosmtpd, see
//! smtpd.rs): plain, STARTTLS and implicit TLS with a self-signed
//! certificate, AUTH, each injected fault classified so that a message is
//! never sent twice, connection reuse, and the settings in a real workspace.

use std::sync::Arc;

use herald_send::email::smtp::{
    self, connect_tcp, settings, PasswordChange, Security, SettingsError, SmtpFailure, SmtpPool,
    SmtpSettings, SmtpSettingsInput, Trust,
};
use herald_send::secrets::{MemorySecrets, Secret, SecretName, Secrets};

use crate::helpers::Workspace;
use crate::smtpd::{message, Encryption, Options, Smtpd, FROM, PASSWORD, USER};

fn pool(server: &Smtpd, connections: usize) -> SmtpPool {
    SmtpPool::new(server.endpoint(), connections)
}

#[tokio::test]
async fn a_plain_send_arrives_byte_for_byte_with_its_envelope() {
    let Some(server) = Smtpd::start(Options::default()).await else {
        return;
    };
    let pool = pool(&server, 1);
    // A line starting with a dot (SMTP doubles it on the wire) and 8-bit text.
    let raw = b"From: <news@herald.test>\r\nTo: <ada@example.org>\r\nSubject: Hi\r\n\
        Content-Type: text/plain; charset=utf-8\r\n\r\nCaf\xc3\xa9\r\n.hidden dot line\r\n.\r\nend\r\n";

    let accepted = pool
        .send(FROM, "ada@example.org", raw)
        .await
        .expect("accepted");

    assert_eq!(accepted.reply, "250 2.0.0 Ok: queued as H000001");
    assert_eq!(accepted.queue_id.as_deref(), Some("H000001"));
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].raw, raw.to_vec());
    assert_eq!(received[0].mail_from, FROM);
    assert_eq!(received[0].rcpt_tos, vec!["ada@example.org".to_owned()]);
    assert!(!received[0].tls);
}

#[tokio::test]
async fn starttls_with_a_self_signed_certificate_delivers_encrypted_and_authenticated() {
    let options = Options {
        auth: true,
        tls: Encryption::StartTls,
        ..Options::default()
    };
    let Some(server) = Smtpd::start(options).await else {
        return;
    };

    let report = smtp::test_connection(&server.endpoint())
        .await
        .expect("connects");
    assert!(report.encrypted && report.authenticated, "{report:?}");
    let pool = pool(&server, 1);
    pool.send(FROM, "ada@example.org", &message("ada@example.org", "tls"))
        .await
        .expect("accepted");

    let received = server.received();
    assert_eq!(received.len(), 1);
    assert!(received[0].tls);
    assert_eq!(received[0].auth_user.as_deref(), Some(USER));
}

#[tokio::test]
async fn implicit_tls_delivers_encrypted() {
    let options = Options {
        auth: true,
        tls: Encryption::Implicit,
        ..Options::default()
    };
    let Some(server) = Smtpd::start(options).await else {
        return;
    };

    let pool = pool(&server, 1);
    pool.send(FROM, "ada@example.org", &message("ada@example.org", "465"))
        .await
        .expect("accepted");

    let received = server.received();
    assert!(received[0].tls);
    assert_eq!(received[0].auth_user.as_deref(), Some(USER));
}

#[tokio::test]
async fn a_certificate_nobody_trusts_is_refused() {
    let options = Options {
        tls: Encryption::StartTls,
        ..Options::default()
    };
    let Some(server) = Smtpd::start(options).await else {
        return;
    };
    // The system's trust store does not know the test's self-signed certificate.
    let endpoint = server.endpoint().with_trust(Trust::System);

    let failure = smtp::test_connection(&endpoint).await.expect_err("refused");

    assert!(
        matches!(failure, SmtpFailure::Transient { .. }),
        "{failure:?}"
    );
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn a_wrong_password_surfaces_the_servers_exact_reply() {
    let options = Options {
        auth: true,
        tls: Encryption::StartTls,
        ..Options::default()
    };
    let Some(server) = Smtpd::start(options).await else {
        return;
    };
    let endpoint = server.endpoint_with_password("wrong");

    let failure = smtp::test_connection(&endpoint).await.expect_err("refused");
    assert_eq!(
        failure,
        SmtpFailure::Permanent {
            reply: "535 5.7.8 Authentication credentials invalid".into()
        }
    );
    // For a send it is not the message's fault: nothing was sent, retry is safe.
    let sent = SmtpPool::new(endpoint, 1)
        .send(FROM, "ada@example.org", &message("ada@example.org", "x"))
        .await;
    assert_eq!(
        sent,
        Err(SmtpFailure::Transient {
            reply: "535 5.7.8 Authentication credentials invalid".into()
        })
    );
}

#[tokio::test]
async fn a_username_without_a_saved_password_says_so_before_trying() {
    let options = Options {
        auth: true,
        tls: Encryption::StartTls,
        ..Options::default()
    };
    let Some(server) = Smtpd::start(options).await else {
        return;
    };
    let settings = SmtpSettings::parse(&server.input()).expect("valid");
    let endpoint = smtp::Endpoint::new(&settings, None).with_trust(Trust::Only(vec![server
        .certificate
        .clone()
        .expect("a certificate")]));

    let failure = smtp::test_connection(&endpoint)
        .await
        .expect_err("no password");

    assert!(
        failure.reply().contains("no SMTP password is saved"),
        "{failure:?}"
    );
}

#[tokio::test]
async fn a_550_at_rcpt_is_permanent_and_the_connection_takes_the_next_message() {
    // Command by command, and with MAIL + RCPT + DATA in one write, where
    // DATA's own refusal ("no valid recipients") must not hide RCPT's.
    for pipelining in [false, true] {
        let mut options = Options::default().fault("rcpt:bad@x.test=550 5.1.1 no such user");
        if pipelining {
            options = options.pipelining();
        }
        let Some(server) = Smtpd::start(options).await else {
            return;
        };
        let pool = pool(&server, 1);

        let refused = pool
            .send(FROM, "bad@x.test", &message("bad@x.test", "a"))
            .await;
        let accepted = pool
            .send(FROM, "good@x.test", &message("good@x.test", "b"))
            .await;

        assert_eq!(
            refused,
            Err(SmtpFailure::Permanent {
                reply: "550 5.1.1 no such user".into()
            }),
            "pipelining: {pipelining}"
        );
        assert_eq!(
            accepted.expect("the next message goes through").reply,
            "250 2.0.0 Ok: queued as H000001"
        );
        assert_eq!(pool.connections_opened(), 1);
        let received = server.received();
        assert_eq!(received.len(), 1);
        assert_eq!(received[0].rcpt_tos, vec!["good@x.test".to_owned()]);
        assert_eq!(received[0].pipelined, pipelining);
    }
}

#[tokio::test]
async fn a_451_at_rcpt_is_transient_and_a_retry_after_it_goes_through() {
    let options = Options::default().fault("rcpt:slow@x.test=451 4.7.1 try later#1");
    let Some(server) = Smtpd::start(options).await else {
        return;
    };
    let pool = pool(&server, 1);
    let raw = message("slow@x.test", "retry");

    let first = pool.send(FROM, "slow@x.test", &raw).await;
    let retry = pool.send(FROM, "slow@x.test", &raw).await;

    assert_eq!(
        first,
        Err(SmtpFailure::Transient {
            reply: "451 4.7.1 try later".into()
        })
    );
    retry.expect("the fault applied once");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_5xx_after_the_body_is_permanent() {
    let options = Options::default().fault("data:*=554 5.7.1 message content rejected");
    let Some(server) = Smtpd::start(options).await else {
        return;
    };

    let sent = pool(&server, 1)
        .send(
            FROM,
            "ada@example.org",
            &message("ada@example.org", "spam?"),
        )
        .await;

    assert_eq!(
        sent,
        Err(SmtpFailure::Permanent {
            reply: "554 5.7.1 message content rejected".into()
        })
    );
}

async fn send_with_fault(rule: &str) -> Option<(Smtpd, Result<smtp::Accepted, SmtpFailure>)> {
    let server = Smtpd::start(Options::default().fault(rule)).await?;
    let sent = pool(&server, 1)
        .send(FROM, "ada@example.org", &message("ada@example.org", rule))
        .await;
    Some((server, sent))
}

#[tokio::test]
async fn a_connection_dropped_before_mail_is_transient() {
    let Some((server, sent)) = send_with_fault("drop:before-mail").await else {
        return;
    };
    assert!(
        matches!(sent, Err(SmtpFailure::Transient { .. })),
        "{sent:?}"
    );
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn a_connection_dropped_after_rcpt_is_transient() {
    let Some((server, sent)) = send_with_fault("drop:after-rcpt").await else {
        return;
    };
    assert!(
        matches!(sent, Err(SmtpFailure::Transient { .. })),
        "{sent:?}"
    );
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn a_connection_dropped_after_the_body_is_unknown_never_transient() {
    let Some((_server, sent)) = send_with_fault("drop:after-data").await else {
        return;
    };
    assert!(matches!(sent, Err(SmtpFailure::Unknown { .. })), "{sent:?}");
}

#[tokio::test]
async fn no_final_reply_within_the_timeout_is_unknown_never_transient() {
    let Some(server) = Smtpd::start(Options::default().fault("stall:after-data")).await else {
        return;
    };
    let input = SmtpSettingsInput {
        timeout_seconds: 1,
        ..server.input()
    };
    let settings = SmtpSettings::parse(&input).expect("valid");
    let pool = SmtpPool::new(smtp::Endpoint::new(&settings, None), 1);

    let sent = pool
        .send(
            FROM,
            "ada@example.org",
            &message("ada@example.org", "stall"),
        )
        .await;

    assert!(matches!(sent, Err(SmtpFailure::Unknown { .. })), "{sent:?}");
}

#[tokio::test]
async fn a_connection_dropped_after_the_reply_is_accepted_and_the_next_send_reconnects() {
    let options = Options::default().fault("drop:after-reply#1");
    let Some(server) = Smtpd::start(options).await else {
        return;
    };
    let pool = pool(&server, 1);

    let first = pool
        .send(FROM, "ada@example.org", &message("ada@example.org", "1"))
        .await;
    // The pooled connection is gone; nothing was sent on it, so the pool
    // moves the message to a fresh connection instead of failing it.
    let second = pool
        .send(FROM, "bob@example.org", &message("bob@example.org", "2"))
        .await;

    first.expect("accepted before the drop");
    second.expect("accepted on a new connection");
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_ne!(received[0].connection, received[1].connection);
    assert_eq!(pool.connections_opened(), 2);
}

#[tokio::test]
async fn a_pooled_connection_the_server_timed_out_with_421_is_replaced_not_failed() {
    let options = Options::default().fault("mail:late@herald.test=421 4.4.2 idle too long#1");
    let Some(server) = Smtpd::start(options).await else {
        return;
    };
    let pool = pool(&server, 1);
    pool.send(FROM, "ada@example.org", &message("ada@example.org", "1"))
        .await
        .expect("accepted");

    let second = pool
        .send(
            "late@herald.test",
            "bob@example.org",
            &message("bob@example.org", "2"),
        )
        .await;

    second.expect("sent on a fresh connection");
    assert_eq!(pool.connections_opened(), 2);
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn many_messages_share_at_most_the_configured_connections() {
    let Some(server) = Smtpd::start(Options::default()).await else {
        return;
    };
    let pool = Arc::new(pool(&server, 3));

    let mut sends = tokio::task::JoinSet::new();
    for i in 0..40 {
        let pool = Arc::clone(&pool);
        sends.spawn(async move {
            let to = format!("r{i}@example.org");
            pool.send(FROM, &to, &message(&to, "pool")).await
        });
    }
    while let Some(sent) = sends.join_next().await {
        sent.expect("the task ran").expect("accepted");
    }
    pool.close().await;

    let received = server.received();
    assert_eq!(received.len(), 40);
    let mut connections: Vec<u64> = received.iter().map(|r| r.connection).collect();
    connections.sort_unstable();
    connections.dedup();
    assert!(connections.len() <= 3, "{connections:?}");
    assert!(pool.connections_opened() <= 3);
}

#[tokio::test]
async fn the_raw_limit_baseline_sends_every_message_over_one_connection() {
    let Some(server) = Smtpd::start(Options::default()).await else {
        return;
    };
    let raw = message("ada@example.org", "bench");

    let limit = smtp::raw_limit(&server.endpoint(), FROM, "ada@example.org", &raw, 25)
        .await
        .expect("all accepted");

    assert_eq!(limit.messages, 25);
    let received = server.received();
    assert_eq!(received.len(), 25);
    assert!(received
        .iter()
        .all(|r| r.connection == received[0].connection));
}

#[tokio::test]
async fn connections_are_opened_with_tcp_nodelay() {
    let Some(server) = Smtpd::start(Options::default()).await else {
        return;
    };
    let tcp = connect_tcp("127.0.0.1", server.port, std::time::Duration::from_secs(10))
        .await
        .expect("connects");
    assert!(tcp.nodelay().expect("reading TCP_NODELAY"));
}

#[tokio::test]
async fn an_internationalised_address_needs_a_server_that_offers_smtputf8() {
    let Some(server) = Smtpd::start(Options::default()).await else {
        return;
    };
    let pool = pool(&server, 1);

    let sent = pool
        .send(
            FROM,
            "josé@example.org",
            &message("jose@example.org", "utf8"),
        )
        .await;

    // aiosmtpd offers SMTPUTF8 only when asked to; this one was not.
    match sent {
        Err(SmtpFailure::Permanent { reply }) => assert!(reply.contains("SMTPUTF8"), "{reply}"),
        other => panic!("{other:?}"),
    }
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn a_bad_recipient_address_fails_that_message_without_a_connection() {
    let Some(server) = Smtpd::start(Options::default()).await else {
        return;
    };
    let pool = pool(&server, 1);
    let sent = pool.send(FROM, "not an address", b"x\r\n").await;
    assert!(
        matches!(sent, Err(SmtpFailure::Permanent { .. })),
        "{sent:?}"
    );
    assert_eq!(pool.connections_opened(), 0);
}

fn remote_input() -> SmtpSettingsInput {
    SmtpSettingsInput {
        host: "smtp.example.com".into(),
        username: USER.into(),
        from_address: FROM.into(),
        ..SmtpSettingsInput::default()
    }
}

fn field_of(err: SettingsError) -> &'static str {
    match err {
        SettingsError::Invalid { field, .. } => field,
        other => panic!("not a validation error: {other}"),
    }
}

#[test]
fn no_encryption_is_refused_for_a_host_that_is_not_this_machine() {
    let mut input = remote_input();
    input.security = Security::None;
    let err = SmtpSettings::parse(&input).expect_err("refused");
    assert!(err.to_string().contains("smtp.example.com"), "{err}");
    assert_eq!(field_of(err), "security");

    for local in ["localhost", "127.0.0.1", "::1", "[::1]"] {
        input.host = local.into();
        SmtpSettings::parse(&input).unwrap_or_else(|e| panic!("{local}: {e}"));
    }
}

/// A change that makes the form invalid.
type Breaks = fn(&mut SmtpSettingsInput);

#[test]
fn each_invalid_setting_names_its_field() {
    let cases: Vec<(&str, Breaks)> = vec![
        ("host", |i| i.host = " ".into()),
        ("host", |i| i.host = "smtp.example.com:587".into()),
        ("port", |i| i.port = 0),
        ("from_address", |i| i.from_address = "nobody".into()),
        ("reply_to", |i| i.reply_to = "not@".into()),
        ("messages_per_second", |i| i.messages_per_second = 0.0),
        ("messages_per_second", |i| i.messages_per_second = 1000.5),
        ("connections", |i| i.connections = 0),
        ("connections", |i| i.connections = 17),
        ("timeout_seconds", |i| i.timeout_seconds = 0),
    ];
    for (field, change) in cases {
        let mut input = remote_input();
        change(&mut input);
        let err = SmtpSettings::parse(&input).expect_err(field);
        assert_eq!(field_of(err), field);
    }
}

#[tokio::test]
async fn settings_are_saved_in_the_workspace_and_the_password_only_in_the_keychain() {
    let workspace = Workspace::new().await;
    let secrets = Arc::new(MemorySecrets::default());
    let input = SmtpSettingsInput {
        from_name: "Herald News".into(),
        reply_to: "hello@herald.test".into(),
        connections: 8,
        messages_per_second: 25.5,
        ..remote_input()
    };

    let saved = settings::save(
        &workspace.store,
        secrets.clone(),
        &input,
        PasswordChange::Set(Secret::new(PASSWORD.into())),
    )
    .await
    .expect("saved");
    let loaded = settings::load(&workspace.store)
        .await
        .expect("loads")
        .expect("set");

    assert_eq!(loaded, saved);
    assert_eq!(loaded.to_input(), input);
    assert_eq!(loaded.connections(), 8);
    assert_eq!(
        secrets
            .get(SecretName::SmtpPassword)
            .unwrap()
            .map(|s| s.expose().to_owned()),
        Some(PASSWORD.to_owned())
    );
    let path = workspace.file();
    workspace.store.clone().close().await;
    let mut bytes = std::fs::read(&path).expect("reading the workspace file");
    for suffix in ["-wal", "-shm"] {
        let mut side = path.clone().into_os_string();
        side.push(suffix);
        if let Ok(more) = std::fs::read(&side) {
            bytes.extend(more);
        }
    }
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("smtp.example.com"),
        "the settings are in the file"
    );
    assert!(!text.contains(PASSWORD), "the password is not");
}

#[tokio::test]
async fn saving_without_a_username_removes_the_stored_password() {
    let workspace = Workspace::new().await;
    let secrets = Arc::new(MemorySecrets::default());
    secrets
        .set(SecretName::SmtpPassword, &Secret::new("old".into()))
        .unwrap();
    let input = SmtpSettingsInput {
        username: String::new(),
        ..remote_input()
    };

    settings::save(
        &workspace.store,
        secrets.clone(),
        &input,
        PasswordChange::Keep,
    )
    .await
    .expect("saved");

    assert_eq!(secrets.get(SecretName::SmtpPassword).unwrap(), None);
}
