//! What our own SMTP session puts on the wire, checked by what aiosmtpd
//! decoded: dot-stuffing, line endings, PIPELINING (RFC 2920) when the
//! server offers it and command by command when not, and failures in a
//! pipelined transaction classified by the stage whose reply failed.

use herald_send::email::smtp::{self, SmtpFailure, SmtpPool};

use crate::smtpd::{message, Encryption, Options, Smtpd, FROM, PASSWORD, USER};

/// Sends `raw` through a fresh pool and returns what the server kept.
async fn round_trip(server: &Smtpd, raw: &[u8]) -> Vec<u8> {
    let pool = SmtpPool::new(server.endpoint(), 1);
    pool.send(FROM, "ada@example.org", raw)
        .await
        .expect("accepted");
    let received = server.received();
    assert_eq!(received.len(), 1);
    received[0].raw.clone()
}

#[tokio::test]
async fn lines_starting_with_dots_arrive_as_written_with_and_without_pipelining() {
    // A dot opening the very first line, a lone dot, two dots, three, a dot
    // mid-line, and a last line with no CRLF (the server gets one added).
    let raw = b".first line\r\n..two\r\n.\r\nmid.dle\r\n...\r\n.last";
    let mut expected = raw.to_vec();
    expected.extend_from_slice(b"\r\n");
    for options in [Options::default(), Options::default().pipelining()] {
        let Some(server) = Smtpd::start(options).await else {
            return;
        };
        assert_eq!(round_trip(&server, raw).await, expected);
    }
}

#[tokio::test]
async fn bare_cr_and_lf_arrive_as_crlf_so_no_server_can_read_an_early_end() {
    // "<LF>.<LF>" ends the message at a server lenient about line endings
    // (SMTP smuggling): it must reach the server as a line holding a dot.
    let raw = b"Subject: x\r\n\r\none\ntwo\rthree\n.\n..\r\nend";
    let Some(server) = Smtpd::start(Options::default()).await else {
        return;
    };
    assert_eq!(
        round_trip(&server, raw).await,
        b"Subject: x\r\n\r\none\r\ntwo\r\nthree\r\n.\r\n..\r\nend\r\n".to_vec()
    );
}

#[tokio::test]
async fn a_large_body_full_of_dot_lines_arrives_whole_over_tls() {
    let options = Options {
        tls: Encryption::Implicit,
        auth: true,
        ..Options::default().pipelining()
    };
    let Some(server) = Smtpd::start(options).await else {
        return;
    };
    let mut raw = b"Subject: big\r\n\r\n".to_vec();
    for i in 0..4000 {
        let line = match i % 4 {
            0 => format!(".{i} a line the server must see with one dot\r\n"),
            1 => format!("..{i}\r\n"),
            2 => ".\r\n".to_owned(),
            _ => format!("{i} {}\r\n", "x".repeat(70)),
        };
        raw.extend_from_slice(line.as_bytes());
    }
    assert!(raw.len() > 100_000);
    assert_eq!(round_trip(&server, &raw).await, raw);
}

#[tokio::test]
async fn a_server_offering_pipelining_gets_the_envelope_in_one_write_and_others_step_by_step() {
    for pipelining in [false, true] {
        let options = Options {
            pipelining,
            tls: Encryption::StartTls,
            auth: true,
            ..Options::default()
        };
        let Some(server) = Smtpd::start(options).await else {
            return;
        };
        let pool = SmtpPool::new(server.endpoint(), 1);
        for to in ["a@example.org", "b@example.org"] {
            pool.send(FROM, to, &message(to, "envelope"))
                .await
                .expect("accepted");
        }
        let received = server.received();
        assert_eq!(received.len(), 2);
        for r in &received {
            assert_eq!(r.pipelined, pipelining, "{r:?}");
            assert!(r.tls);
            assert_eq!(r.auth_user.as_deref(), Some(USER));
        }
        assert_eq!(pool.connections_opened(), 1);
    }
}

#[tokio::test]
async fn a_refused_mail_in_a_pipelined_transaction_is_named_by_mail() {
    let options = Options::default()
        .pipelining()
        .fault("mail:blocked@herald.test=451 4.7.1 sender greylisted#1");
    let Some(server) = Smtpd::start(options).await else {
        return;
    };
    let pool = SmtpPool::new(server.endpoint(), 1);
    let raw = message("ada@example.org", "greylisted");

    let first = pool
        .send("blocked@herald.test", "ada@example.org", &raw)
        .await;
    let retry = pool
        .send("blocked@herald.test", "ada@example.org", &raw)
        .await;

    assert_eq!(
        first,
        Err(SmtpFailure::Transient {
            reply: "451 4.7.1 sender greylisted".into()
        })
    );
    retry.expect("the fault applied once");
    assert_eq!(pool.connections_opened(), 1);
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn each_drop_in_a_pipelined_transaction_is_classified_by_how_far_the_message_got() {
    let cases = [
        ("drop:before-mail", "transient"),
        // The DATA that came with RCPT is already in the server's buffer:
        // it answers 354 before it closes, so the whole message and its
        // terminator go out, and from there the client cannot know that
        // nobody took it. Unknown, never a retry that could send it twice.
        ("drop:after-rcpt", "unknown"),
        ("drop:after-data", "unknown"),
    ];
    for (rule, expected) in cases {
        let Some(server) = Smtpd::start(Options::default().pipelining().fault(rule)).await else {
            return;
        };
        let sent = SmtpPool::new(server.endpoint(), 1)
            .send(FROM, "ada@example.org", &message("ada@example.org", rule))
            .await;
        let kind = match &sent {
            Err(SmtpFailure::Transient { .. }) => "transient",
            Err(SmtpFailure::Unknown { .. }) => "unknown",
            other => panic!("{rule}: {other:?}"),
        };
        assert_eq!(kind, expected, "{rule}: {sent:?}");
        assert!(server.received().is_empty(), "{rule}");
    }
}

#[tokio::test]
async fn a_pipelined_421_at_mail_on_a_pooled_connection_moves_the_message_to_a_new_one() {
    let options = Options::default()
        .pipelining()
        .fault("mail:late@herald.test=421 4.4.2 idle too long#1");
    let Some(server) = Smtpd::start(options).await else {
        return;
    };
    let pool = SmtpPool::new(server.endpoint(), 1);
    pool.send(FROM, "ada@example.org", &message("ada@example.org", "1"))
        .await
        .expect("accepted");

    pool.send(
        "late@herald.test",
        "bob@example.org",
        &message("bob@example.org", "2"),
    )
    .await
    .expect("sent on a fresh connection");

    assert_eq!(pool.connections_opened(), 2);
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn auth_login_answers_the_servers_challenges_after_starttls() {
    let options = Options {
        auth: true,
        auth_only: Some("LOGIN"),
        tls: Encryption::StartTls,
        ..Options::default()
    };
    let Some(server) = Smtpd::start(options).await else {
        return;
    };

    let report = smtp::test_connection(&server.endpoint())
        .await
        .expect("logged in");
    let refused = smtp::test_connection(&server.endpoint_with_password("wrong"))
        .await
        .expect_err("wrong password");
    SmtpPool::new(server.endpoint(), 1)
        .send(
            FROM,
            "ada@example.org",
            &message("ada@example.org", "login"),
        )
        .await
        .expect("accepted");

    assert!(report.encrypted && report.authenticated, "{report:?}");
    assert_eq!(
        refused,
        SmtpFailure::Permanent {
            reply: "535 5.7.8 Authentication credentials invalid".into()
        }
    );
    assert_eq!(server.received()[0].auth_user.as_deref(), Some(USER));
}

#[tokio::test]
async fn an_open_pool_shows_no_password_in_debug() {
    let options = Options {
        auth: true,
        tls: Encryption::StartTls,
        ..Options::default()
    };
    let Some(server) = Smtpd::start(options).await else {
        return;
    };
    let pool = SmtpPool::new(server.endpoint(), 1);
    pool.send(
        FROM,
        "ada@example.org",
        &message("ada@example.org", "debug"),
    )
    .await
    .expect("accepted");

    let shown = format!("{pool:?} {:?}", server.endpoint());
    assert!(!shown.contains(PASSWORD), "{shown}");
}
