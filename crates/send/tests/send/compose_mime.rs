//! The composer's own message writer, read back by parsers we did not
//! write: quoted-printable parts, RFC 2047 headers, display names and
//! attachments decoded by Python's `email` package, signatures checked by
//! dkimpy, and header injection refused in every field.

use std::sync::Arc;

use herald_send::email::compose::{prepare, Attachment, ComposeError, DkimSettings};

use crate::compose::{
    addr, contact, content, context, cte, dkim_verifies, header, openssl_key, parse, part,
    run_python,
};

/// Python's reading of one address header: (display name, address).
fn mailbox(raw: &[u8], name: &str) -> (String, String) {
    const SCRIPT: &str = r#"
import sys, json, email, email.policy
msg = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
a = msg[sys.argv[1]].addresses[0]
print(json.dumps([a.display_name, a.addr_spec]))
"#;
    let out: (String, String) = serde_json::from_str(&run_python(SCRIPT, &[name], raw)).unwrap();
    out
}

/// Each attachment's file name and decoded bytes (hex), as Python reads
/// them.
fn attachments(raw: &[u8]) -> Vec<(String, String)> {
    const SCRIPT: &str = r#"
import sys, json, email, email.policy
msg = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
print(json.dumps([[p.get_filename(), p.get_payload(decode=True).hex()]
                  for p in msg.iter_attachments()]))
"#;
    serde_json::from_str(&run_python(SCRIPT, &[], raw)).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The raw message's lines (CRLF-separated).
fn lines(raw: &[u8]) -> Vec<&str> {
    std::str::from_utf8(raw).unwrap().split("\r\n").collect()
}

#[test]
fn a_text_part_with_long_non_ascii_lines_is_quoted_printable_and_decodes_to_the_exact_text() {
    let text = format!(
        "Grüße, {{{{ contact.first_name }}}}!\n{}\n\nA = B, tab\tand trailing space \n{}",
        "Ünïcödé ".repeat(40).trim_end(),
        "x".repeat(1500)
    );
    let mut c = content("<p>hi</p>");
    c.text = Some(text.clone());
    let prepared = prepare(&c, context(false)).unwrap();
    let raw = prepared.render(&contact("Zoë"), false).unwrap().raw;
    assert!(raw.is_ascii());
    let qp: Vec<&str> = lines(&raw)
        .into_iter()
        .skip_while(|l| *l != "Content-Transfer-Encoding: quoted-printable")
        .take_while(|l| !l.starts_with("--"))
        .collect();
    assert!(qp.len() > 40, "{qp:?}");
    assert!(qp.iter().all(|l| l.len() <= 76), "{qp:?}");
    let parsed = parse(&raw);
    assert_eq!(parsed["defects"], serde_json::json!([]));
    assert_eq!(cte(&parsed, "text/plain"), "quoted-printable");
    let expected = text.replace("{{ contact.first_name }}", "Zoë");
    assert_eq!(part(&parsed, "text/plain").replace("\r\n", "\n"), expected);
    // The HTML part stays 7bit beside it.
    assert_eq!(cte(&parsed, "text/html"), "7bit");
}

#[test]
fn an_html_part_with_a_line_too_long_for_smtp_goes_quoted_printable() {
    // One template value makes a 3,000-character line that no tag breaks.
    let mut c = content("<p>{{ contact.custom.plan }}</p>");
    c.text = Some("plain".into());
    let prepared = prepare(&c, context(false)).unwrap();
    let mut ada = contact("Ada");
    let long = "é".repeat(1000) + &"y".repeat(2000);
    ada.custom
        .insert("plan".into(), serde_json::Value::String(long));
    let raw = prepared.render(&ada, false).unwrap().raw;
    assert!(lines(&raw).iter().all(|l| l.len() <= 998));
    let parsed = parse(&raw);
    assert_eq!(cte(&parsed, "text/html"), "quoted-printable");
    let html = part(&parsed, "text/html");
    let references = "&#233;".repeat(1000);
    assert!(html.contains(&format!("<p>{references}{}</p>", "y".repeat(2000))));
    assert_eq!(cte(&parsed, "text/plain"), "7bit");
}

#[test]
fn a_long_non_ascii_subject_is_folded_into_encoded_words_and_decodes_exactly() {
    let subject = "Frühlingsangebote für {{ contact.first_name }}: 春のセール 🌸, \
                   dernières chances — jusqu’à 50 % de réduction sur tout le magasin";
    let mut c = content("<p>hi</p>");
    c.subject = subject.into();
    let prepared = prepare(&c, context(true)).unwrap();
    let raw = prepared.render(&contact("Zoë"), false).unwrap().raw;
    let subject_lines: Vec<&str> = lines(&raw)
        .into_iter()
        .skip_while(|l| !l.starts_with("Subject: "))
        .take_while(|l| l.starts_with("Subject: ") || l.starts_with(' '))
        .collect();
    assert!(subject_lines.len() > 2, "{subject_lines:?}");
    assert!(
        subject_lines.iter().all(|l| l.len() <= 76),
        "{subject_lines:?}"
    );
    assert!(subject_lines.iter().all(|l| l.contains("=?utf-8?b?")));
    let parsed = parse(&raw);
    assert_eq!(
        header(&parsed, "Subject"),
        subject.replace("{{ contact.first_name }}", "Zoë")
    );
}

#[test]
fn a_long_ascii_subject_is_folded_at_spaces_and_reads_back_unchanged() {
    let subject = "Our spring sale starts today and runs to the end of the month, \
                   with new arrivals every week and free returns on everything";
    let mut c = content("<p>hi</p>");
    c.subject = subject.into();
    let prepared = prepare(&c, context(false)).unwrap();
    let raw = prepared.render(&contact("Ada"), false).unwrap().raw;
    let text = String::from_utf8(raw.clone()).unwrap();
    assert!(!text.contains("=?utf-8?"), "plain ASCII stays readable");
    let folded: Vec<&str> = lines(&raw)
        .into_iter()
        .skip_while(|l| !l.starts_with("Subject: "))
        .take_while(|l| l.starts_with("Subject: ") || l.starts_with(' '))
        .collect();
    assert!(folded.len() > 1, "{folded:?}");
    assert!(folded.iter().all(|l| l.len() <= 78), "{folded:?}");
    assert_eq!(header(&parse(&raw), "Subject"), subject);
}

#[test]
fn a_subject_left_with_a_space_by_an_empty_value_is_trimmed_and_stays_plain() {
    let mut c = content("<p>hi</p>");
    c.subject = "Hello {{ contact.first_name }}".into();
    let prepared = prepare(&c, context(false)).unwrap();
    let raw = prepared.render(&contact(""), false).unwrap().raw;
    assert!(
        lines(&raw).contains(&"Subject: Hello"),
        "{}",
        String::from_utf8_lossy(&raw)
    );
    assert_eq!(header(&parse(&raw), "Subject"), "Hello");
}

#[test]
fn display_names_with_quotes_commas_and_accents_read_back_exactly() {
    for name in [
        "Herald",
        "Herald Team",
        "The \"Best\" Team",
        "Herald, Inc.",
        "O'Brien & Søn",
        "Back\\slash",
    ] {
        let mut c = content("<p>hi</p>");
        c.from_name = name.into();
        c.reply_to = Some(addr("support@herald.test"));
        c.reply_to_name = Some(format!("{name} Support"));
        let prepared = prepare(&c, context(false)).unwrap();
        let raw = prepared.render(&contact("Ada"), false).unwrap().raw;
        assert_eq!(
            mailbox(&raw, "From"),
            (name.to_owned(), "news@herald.test".to_owned()),
            "{name}"
        );
        assert_eq!(
            mailbox(&raw, "Reply-To"),
            (format!("{name} Support"), "support@herald.test".to_owned())
        );
        assert_eq!(
            mailbox(&raw, "To"),
            (String::new(), "ada@example.com".to_owned())
        );
    }
}

#[test]
fn attachments_decode_to_the_same_bytes_with_their_names() {
    let pdf: Vec<u8> = (0..=255u8).cycle().take(100_003).collect();
    let csv = b"name,plan\r\nAda,gold\n".to_vec();
    let mut ctx = context(true);
    ctx.attachments = vec![
        Attachment {
            filename: "terms.pdf".into(),
            content_type: "application/pdf".into(),
            bytes: Arc::new(pdf.clone()),
        },
        Attachment {
            filename: "Preisliste Frühling.csv".into(),
            content_type: "text/csv; charset=utf-8".into(),
            bytes: Arc::new(csv.clone()),
        },
    ];
    let prepared = prepare(&content("<p>see attached</p>"), ctx).unwrap();
    let raw = prepared.render(&contact("Ada"), false).unwrap().raw;
    assert!(lines(&raw).iter().all(|l| l.len() <= 998));
    let parsed = parse(&raw);
    assert_eq!(parsed["defects"], serde_json::json!([]));
    assert_eq!(parsed["type"], "multipart/mixed");
    assert_eq!(
        attachments(&raw),
        [
            ("terms.pdf".to_owned(), hex(&pdf)),
            ("Preisliste Frühling.csv".to_owned(), hex(&csv)),
        ]
    );
    assert!(part(&parsed, "text/html").contains("see attached"));
}

#[test]
fn header_injection_is_refused_in_every_field_a_user_or_contact_fills() {
    let prepared = prepare(&content("<p>hi</p>"), context(true)).unwrap();
    for name in [
        "Eve\nBcc: x@example.com",
        "Eve\rBcc: x",
        "Eve\u{2028}Bcc: x",
    ] {
        let err = prepared.render(&contact(name), false).unwrap_err();
        assert!(
            matches!(err, ComposeError::Header { .. }),
            "{name:?}: {err}"
        );
    }

    let mut c = content("<p>hi</p>");
    c.reply_to = Some(addr("support@herald.test"));
    c.reply_to_name = Some("Support\r\nBcc: x@example.com".into());
    let err = prepare(&c, context(false)).unwrap_err();
    assert!(err.to_string().starts_with("reply-to name"), "{err}");

    let mut ctx = context(false);
    ctx.attachments = vec![Attachment {
        filename: "a.pdf\r\nBcc: x@example.com".into(),
        content_type: "application/pdf".into(),
        bytes: Arc::new(vec![1]),
    }];
    let err = prepare(&content("<p>hi</p>"), ctx).unwrap_err();
    assert!(err.to_string().contains("control characters"), "{err}");

    let mut ctx = context(false);
    ctx.attachments = vec![Attachment {
        filename: "a.pdf".into(),
        content_type: "application/pdf\r\nBcc: x@example.com".into(),
        bytes: Arc::new(vec![1]),
    }];
    let err = prepare(&content("<p>hi</p>"), ctx).unwrap_err();
    assert!(err.to_string().contains("MIME type"), "{err}");
}

#[test]
fn a_dkim_signature_covers_encoded_headers_a_quoted_printable_part_and_an_attachment() {
    for algorithm in ["RSA", "ED25519"] {
        let (pem, record) = openssl_key(algorithm, false);
        let mut ctx = context(true);
        ctx.dkim = Some(DkimSettings::new("herald.test", "herald1", &pem).unwrap());
        ctx.attachments = vec![Attachment {
            filename: "Übersicht.pdf".into(),
            content_type: "application/pdf".into(),
            bytes: Arc::new((0..=255u8).cycle().take(5000).collect()),
        }];
        let mut c = content("<p>Grüße, {{ contact.first_name }}</p>");
        c.subject = "Grüße an {{ contact.first_name }} — ein sehr langer Betreff, \
                     der über mehrere Zeilen gefaltet werden muss"
            .into();
        c.from_name = "Équipe \"Herald\", Paris".into();
        c.reply_to = Some(addr("support@herald.test"));
        c.reply_to_name = Some("Support".into());
        c.text = Some(format!("Grüße!  Two  spaces  \n{}", "é".repeat(200)));
        let prepared = prepare(&c, ctx).unwrap();
        let raw = prepared.render(&contact("Zoë"), false).unwrap().raw;
        let parsed = parse(&raw);
        assert_eq!(cte(&parsed, "text/plain"), "quoted-printable");
        assert_eq!(parsed["type"], "multipart/mixed");
        assert!(
            dkim_verifies(&raw, &record),
            "{algorithm} signature verifies"
        );
        // A changed body byte breaks it.
        let text = String::from_utf8(raw.clone()).unwrap();
        let tampered = text
            .replacen("see", "sea", 1)
            .replacen("=C3=A9", "=C3=A8", 1);
        assert_ne!(tampered, text);
        assert!(!dkim_verifies(tampered.as_bytes(), &record), "{algorithm}");
    }
}
