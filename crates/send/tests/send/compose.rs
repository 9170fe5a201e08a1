//! The composer: templates, header safety, tracked links, MIME and DKIM.
//! Messages are read back with Python's `email` package and DKIM signatures
//! checked with dkimpy (Debian's python3-dkim), parsers we did not write.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::process::{Command, Stdio};
use std::sync::Arc;

use herald_core::token::{Claims, KeyRing, SigningKey, TokenKind};
use herald_core::EmailAddress;
use herald_send::email::compose::{
    prepare, validate, Attachment, CampaignContent, ComposeContext, ComposeError, DkimSettings,
    Part, PreparedCampaign, RecipientData, Relay,
};
use herald_send::relay::RelayUrl;
use uuid::Uuid;

pub(crate) const RELAY: &str = "https://relay.herald.test";

pub(crate) fn key() -> SigningKey {
    SigningKey::new(3, [9; 32]).unwrap()
}

pub(crate) fn addr(s: &str) -> EmailAddress {
    EmailAddress::parse(s).unwrap()
}

pub(crate) fn content(html: &str) -> CampaignContent {
    CampaignContent {
        subject: "Hello {{ contact.first_name | default(\"there\") }}".into(),
        preheader: None,
        from_name: "Herald Team".into(),
        from_address: addr("news@herald.test"),
        reply_to: None,
        reply_to_name: None,
        html: html.into(),
        text: None,
        tracking: true,
    }
}

pub(crate) fn context(relay: bool) -> ComposeContext {
    ComposeContext {
        campaign_id: Uuid::now_v7(),
        campaign_name: "Spring".into(),
        relay: relay.then(|| (RelayUrl::parse(RELAY).unwrap(), key())),
        unsubscribe_mailto: Some(addr("unsubscribe@herald.test")),
        dkim: None,
        attachments: Vec::new(),
    }
}

pub(crate) fn contact(first_name: &str) -> RecipientData {
    RecipientData {
        contact_id: Uuid::now_v7(),
        email: Some(addr("ada@example.com")),
        first_name: Some(first_name.into()),
        last_name: None,
        phone: None,
        company: Some("Analytical & Co".into()),
        country: None,
        custom: BTreeMap::from([("plan".to_owned(), serde_json::json!("gold"))]),
    }
}

/// The python3 that has dkimpy (Debian's, when pyenv's comes first).
fn python() -> &'static str {
    for candidate in ["/usr/bin/python3", "python3"] {
        let ok = Command::new(candidate)
            .args(["-c", "import dkim"])
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return candidate;
        }
    }
    panic!("dkimpy is needed for these tests: apt-get install python3-dkim");
}

pub(crate) fn run_python(script: &str, args: &[&str], input: &[u8]) -> String {
    let mut child = Command::new(python())
        .arg("-c")
        .arg(script)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The message as Python's email package reads it: decoded headers and
/// the decoded text of each leaf part, as JSON.
pub(crate) fn parse(raw: &[u8]) -> serde_json::Value {
    const SCRIPT: &str = r#"
import sys, json, email, email.policy
msg = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
headers = {k: str(v) for k, v in msg.items()}
parts = []
for p in msg.walk():
    if p.is_multipart():
        continue
    payload = p.get_payload(decode=True)
    parts.append({"type": p.get_content_type(), "filename": p.get_filename(),
                  "cte": p.get("Content-Transfer-Encoding"),
                  "text": payload.decode("utf-8", "replace"), "len": len(payload)})
print(json.dumps({"headers": headers, "type": msg.get_content_type(), "parts": parts,
                  "defects": [str(d) for d in msg.defects]}))
"#;
    serde_json::from_str(&run_python(SCRIPT, &[], raw)).unwrap()
}

pub(crate) fn part<'a>(parsed: &'a serde_json::Value, mime: &str) -> &'a str {
    parsed["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["type"] == mime)
        .unwrap_or_else(|| panic!("no {mime} part"))["text"]
        .as_str()
        .unwrap()
}

pub(crate) fn cte<'a>(parsed: &'a serde_json::Value, mime: &str) -> &'a str {
    parsed["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["type"] == mime)
        .unwrap_or_else(|| panic!("no {mime} part"))["cte"]
        .as_str()
        .unwrap()
}

pub(crate) fn header<'a>(parsed: &'a serde_json::Value, name: &str) -> &'a str {
    parsed["headers"][name]
        .as_str()
        .unwrap_or_else(|| panic!("no {name} header"))
}

/// The claims of every `<base>/<route>/<token>` in `text`, each token
/// verified as `kind` under the tests' key.
pub(crate) fn signed(text: &str, base: &str, route: &str, kind: TokenKind) -> Vec<Claims> {
    let ring = KeyRing {
        current: key(),
        previous: None,
    };
    text.match_indices(&format!("{base}/{route}/"))
        .map(|(i, m)| {
            let token: String = text[i + m.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            ring.verify(&token, kind)
                .unwrap_or_else(|e| panic!("a valid {kind:?} token at /{route}/: {e}"))
        })
        .collect()
}

/// Every `<relay>/c/<token>` in `text`, verified, as (recipient, url).
pub(crate) fn clicks(text: &str) -> Vec<(Uuid, String)> {
    signed(text, RELAY, "c", TokenKind::Click)
        .into_iter()
        .map(|claims| (claims.recipient, claims.url.unwrap()))
        .collect()
}

const NEWSLETTER: &str = r##"<html><head><style>p { color: #333; } .cta { font-weight: bold; }</style></head>
<body><p>Hi {{ contact.first_name }} from {{ contact.company }}</p>
<p class="cta"><a href="https://shop.example.com/spring?a=1&amp;b=2">Shop</a></p>
<a href="https://shop.example.com/spring?a=1&amp;b=2">Again</a>
<a href="https://example.com/u/{{ contact.id }}">Profile</a>
<a href="mailto:help@herald.test">Write</a> <a href="tel:+15551234">Call</a> <a href="#top">Top</a>
<a href="{{ unsubscribe_url }}">Unsubscribe</a>
{% if contact.custom.plan %}<p>Plan: {{ contact.custom.plan | upper }}</p>{% endif %}
</body></html>"##;

#[test]
fn a_saved_template_with_a_misspelt_contact_field_is_reported_with_its_position() {
    let issue = validate(
        "Hi\n  {{ contact.frist_name }}!",
        Part::Html,
        &["plan"],
        Relay::NotSet,
    )
    .unwrap_err();
    assert_eq!((issue.part, issue.line, issue.column), (Part::Html, 2, 6));
    assert!(
        issue.message.contains("contact.first_name"),
        "{}",
        issue.message
    );
    assert!(issue.to_string().starts_with("HTML body, line 2, column 6"));
}

#[test]
fn unknown_custom_fields_and_variables_and_syntax_errors_are_refused_at_save_time() {
    let custom = issue("{{ contact.custom.nope }}");
    assert!(
        custom.message.contains("unknown custom field `nope`"),
        "{}",
        custom.message
    );
    let foo = issue("x {{ foo }}");
    assert_eq!(foo.column, 6);
    assert!(
        foo.message.contains("unknown variable `foo`"),
        "{}",
        foo.message
    );
    let syntax = issue("ok\n{{ contact.first_name ");
    assert_eq!(syntax.line, 2);
    assert!(
        syntax.message.starts_with("syntax error"),
        "{}",
        syntax.message
    );
    validate(
        "{{ contact.first_name | default('there') | title }} {{ contact.custom.plan }} \
         {{ campaign.name }} {{ unsubscribe_url }} {% for i in range(2) %}{{ i }}{% endfor %}",
        Part::Text,
        &["plan"],
        Relay::NotSet,
    )
    .expect("a template with only known variables is valid");

    fn issue(source: &str) -> herald_send::email::compose::TemplateIssue {
        validate(source, Part::Subject, &["plan"], Relay::NotSet).unwrap_err()
    }
}

#[test]
fn html_values_are_escaped_and_subject_and_text_values_are_not() {
    let mut c = content("<p>{{ contact.company }}</p>");
    c.subject = "News for {{ contact.company }}".into();
    c.text = Some("Dear {{ contact.company }}".into());
    let prepared = prepare(&c, context(false)).unwrap();
    let parsed = parse(&prepared.render(&contact("Ada"), false).unwrap().raw);
    assert_eq!(header(&parsed, "Subject"), "News for Analytical & Co");
    assert!(part(&parsed, "text/html").contains("Analytical &amp; Co"));
    assert_eq!(part(&parsed, "text/plain").trim(), "Dear Analytical & Co");
}

#[test]
fn an_empty_first_name_renders_empty_and_default_replaces_it() {
    let mut c = content("<p>[{{ contact.first_name }}]</p>");
    c.subject = "Hello {{ contact.first_name | default(\"there\") }}".into();
    let prepared = prepare(&c, context(false)).unwrap();
    let parsed = parse(&prepared.render(&contact(""), false).unwrap().raw);
    assert_eq!(header(&parsed, "Subject"), "Hello there");
    assert!(part(&parsed, "text/html").contains("<p>[]</p>"));
}

#[test]
fn a_custom_field_this_contact_lacks_fails_that_recipient_instead_of_rendering_blank() {
    let prepared = prepare(
        &content("<p>Your plan: {{ contact.custom.tier }}</p>"),
        context(false),
    )
    .unwrap();
    let err = prepared.render(&contact("Ada"), false).unwrap_err();
    assert!(err.is_recipient_error());
    let message = err.to_string();
    assert!(message.contains("HTML body"), "{message}");
    assert!(message.contains("contact.custom.tier"), "{message}");
}

#[test]
fn a_first_name_with_a_line_break_cannot_inject_a_header() {
    let prepared = prepare(&content("<p>hi</p>"), context(false)).unwrap();
    let err = prepared
        .render(&contact("Eve\r\nBcc: victim@example.com"), false)
        .unwrap_err();
    assert!(matches!(err, ComposeError::Header { .. }), "{err:?}");
    assert!(
        err.to_string().contains("subject: contains a line break"),
        "{err}"
    );

    let mut c = content("<p>hi</p>");
    c.from_name = "Team\nBcc: x@example.com".into();
    let err = prepare(&c, context(false)).unwrap_err();
    assert!(err.to_string().contains("sender name"), "{err}");
}

#[test]
fn links_are_signed_per_recipient_except_mail_phone_anchor_and_unsubscribe_links() {
    let mut ctx = context(true);
    let campaign = Uuid::now_v7();
    ctx.campaign_id = campaign;
    let prepared = prepare(&content(NEWSLETTER), ctx).unwrap();
    assert_eq!(
        prepared.tracked_urls(),
        ["https://shop.example.com/spring?a=1&b=2"]
    );
    assert_eq!(
        prepared.personalised_links(),
        ["https://example.com/u/{{ contact.id }}"]
    );
    let ada = contact("Ada");
    let parsed = parse(&prepared.render(&ada, false).unwrap().raw);
    let html = part(&parsed, "text/html");
    let urls: Vec<(Uuid, String)> = clicks(html);
    assert_eq!(
        urls,
        [
            (
                ada.contact_id,
                "https://shop.example.com/spring?a=1&b=2".to_owned()
            ),
            (
                ada.contact_id,
                "https://shop.example.com/spring?a=1&b=2".to_owned()
            ),
            (
                ada.contact_id,
                format!("https://example.com/u/{}", ada.contact_id)
            ),
        ]
    );
    assert!(html.contains("href=\"mailto:help@herald.test\""));
    assert!(html.contains("href=\"tel:+15551234\""));
    assert!(html.contains("href=\"#top\""));
    assert!(
        html.contains(&format!("href=\"{RELAY}/u/")),
        "unsubscribe link kept"
    );
    assert!(
        html.contains("<p style=\"color: #333;\">Hi Ada"),
        "CSS inlined: {html}"
    );
    assert!(html.contains("Plan: GOLD"));
    // The open pixel is the last thing in the body.
    let pixel = html
        .find(&format!("<img src=\"{RELAY}/o/"))
        .expect("open pixel");
    assert!(html[pixel..].find("</body>").is_some());
    assert!(!html[pixel..].contains("<a "));
    // The text part shows the same tracked links.
    let text = part(&parsed, "text/plain");
    assert_eq!(clicks(text).len(), 3, "{text}");
    assert!(text.contains("Hi Ada from Analytical & Co"), "{text}");
}

#[test]
fn without_a_relay_nothing_is_tracked() {
    let prepared = prepare(&content(NEWSLETTER), context(false)).unwrap();
    assert!(prepared.tracked_urls().is_empty());
    assert!(prepared.personalised_links().is_empty());
    let contact = contact("Ada");
    let parsed = parse(&prepared.render(&contact, false).unwrap().raw);
    let html = part(&parsed, "text/html");
    assert!(!html.contains("/c/") && !html.contains("/o/") && !html.contains("<img"));
    assert!(html.contains(&format!(
        "href=\"https://example.com/u/{}\"",
        contact.contact_id
    )));
    assert!(html.contains("href=\"https://shop.example.com/spring?a=1&amp;b=2\""));
    assert!(html.contains("href=\"mailto:unsubscribe@herald.test?subject=unsubscribe\""));
    assert!(!parsed["headers"]
        .as_object()
        .unwrap()
        .contains_key("List-Unsubscribe-Post"));
}

#[test]
fn the_preheader_is_a_hidden_block_at_the_start_of_the_body() {
    let mut c = content("<p>Body</p>");
    c.preheader = Some("Deals for {{ contact.first_name }} & friends".into());
    let prepared = prepare(&c, context(true)).unwrap();
    let html = prepared.preview_html(&contact("Ada")).unwrap();
    let body = &html[html.find("<body>").unwrap() + 6..];
    assert!(body.starts_with("<div style=\"display:none"), "{body}");
    assert!(
        body.contains(">Deals for Ada &amp; friends</div><p>Body</p>"),
        "{body}"
    );
    assert!(!html.contains("/o/"), "the preview has no pixel");
}

#[test]
fn headers_carry_ids_unsubscribe_options_and_encoded_non_ascii() {
    let mut c = content("<p>Grüße</p>");
    c.subject = "Grüße, {{ contact.first_name }}".into();
    c.from_name = "Équipe Herald".into();
    c.reply_to = Some(addr("support@herald.test"));
    c.reply_to_name = Some("Support".into());
    let ctx = context(true);
    let campaign = ctx.campaign_id;
    let prepared = prepare(&c, ctx).unwrap();
    let ada = contact("Zoë");
    let first = prepared.render(&ada, false).unwrap();
    let again = prepared.render(&ada, true).unwrap();
    let expected_id = format!(
        "<{}.{}@herald.test>",
        campaign.simple(),
        ada.contact_id.simple()
    );
    assert_eq!(first.message_id, expected_id);
    assert_eq!(again.message_id, expected_id, "a resend reuses the id");
    assert_eq!(first.envelope_from, "news@herald.test");
    assert_eq!(first.to, "ada@example.com");

    let raw = String::from_utf8(first.raw.clone()).unwrap();
    assert!(raw.is_ascii(), "headers and bodies are encoded");
    assert!(raw.contains("=?utf-8?"), "RFC 2047 encoded words");
    let parsed = parse(&first.raw);
    assert_eq!(parsed["defects"], serde_json::json!([]));
    assert_eq!(parsed["type"], "multipart/alternative");
    assert_eq!(header(&parsed, "Subject"), "Grüße, Zoë");
    assert_eq!(header(&parsed, "From"), "Équipe Herald <news@herald.test>");
    assert_eq!(header(&parsed, "Reply-To"), "Support <support@herald.test>");
    assert_eq!(header(&parsed, "Message-ID"), expected_id);
    assert_eq!(header(&parsed, "MIME-Version"), "1.0");
    assert_eq!(header(&parsed, "X-Herald-Campaign"), campaign.to_string());
    assert!(parsed["headers"]["Date"].is_string());
    let unsubscribe = header(&parsed, "List-Unsubscribe");
    assert!(
        unsubscribe.starts_with(&format!("<{RELAY}/u/")),
        "{unsubscribe}"
    );
    assert!(unsubscribe.ends_with(", <mailto:unsubscribe@herald.test?subject=unsubscribe>"));
    let token = &unsubscribe[RELAY.len() + 4..unsubscribe.find('>').unwrap()];
    let ring = KeyRing {
        current: key(),
        previous: None,
    };
    let claims = ring.verify(token, TokenKind::Unsubscribe).unwrap();
    assert_eq!(
        (claims.campaign, claims.recipient),
        (campaign, ada.contact_id)
    );
    assert_eq!(
        header(&parsed, "List-Unsubscribe-Post"),
        "List-Unsubscribe=One-Click"
    );
    // Non-ASCII HTML goes as character references, so the part stays 7bit.
    assert!(part(&parsed, "text/html").contains("<p>Gr&#252;&#223;e</p>"));
    assert_eq!(cte(&parsed, "text/html"), "7bit");

    let test = parse(&again.raw);
    assert_eq!(header(&test, "Subject"), "[Test] Grüße, Zoë");
}

#[test]
fn attachments_wrap_the_alternative_in_a_mixed_message() {
    let mut ctx = context(false);
    let bytes: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    ctx.attachments = vec![Attachment {
        filename: "terms.pdf".into(),
        content_type: "application/pdf".into(),
        bytes: Arc::new(bytes),
    }];
    let prepared = prepare(&content("<p>see attached</p>"), ctx).unwrap();
    let parsed = parse(&prepared.render(&contact("Ada"), false).unwrap().raw);
    assert_eq!(parsed["type"], "multipart/mixed");
    let parts = parsed["parts"].as_array().unwrap();
    let types: Vec<&str> = parts.iter().map(|p| p["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["text/plain", "text/html", "application/pdf"]);
    assert_eq!(parts[2]["filename"], "terms.pdf");
    assert_eq!(parts[2]["len"], 3000);

    let mut bad = context(false);
    bad.attachments = vec![Attachment {
        filename: "x.bin".into(),
        content_type: "not a type".into(),
        bytes: Arc::new(vec![1]),
    }];
    let err = prepare(&content("<p>x</p>"), bad).unwrap_err();
    assert!(err.to_string().starts_with("attachment \"x.bin\""), "{err}");
}

/// A key pair made by openssl: the private key PEM, and the DNS record.
pub(crate) fn openssl_key(algorithm: &str, traditional: bool) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("key.pem");
    let mut args = vec!["genpkey", "-algorithm", algorithm, "-out"];
    let path_str = path.to_str().unwrap().to_owned();
    args.push(&path_str);
    if algorithm == "RSA" {
        args.extend(["-pkeyopt", "rsa_keygen_bits:2048"]);
    }
    assert!(Command::new("openssl")
        .args(&args)
        .output()
        .unwrap()
        .status
        .success());
    if traditional {
        let ok = Command::new("openssl")
            .args(["rsa", "-traditional", "-in", &path_str, "-out", &path_str])
            .output()
            .unwrap();
        assert!(ok.status.success());
    }
    let public = Command::new("openssl")
        .args(["pkey", "-in", &path_str, "-pubout", "-outform", "DER"])
        .output()
        .unwrap()
        .stdout;
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let record = if algorithm == "ED25519" {
        format!(
            "v=DKIM1; k=ed25519; p={}",
            b64.encode(&public[public.len() - 32..])
        )
    } else {
        format!("v=DKIM1; k=rsa; p={}", b64.encode(&public))
    };
    (std::fs::read_to_string(&path).unwrap(), record)
}

/// Whether dkimpy accepts the message's signature, with `record` as the
/// selector's DNS TXT record.
pub(crate) fn dkim_verifies(raw: &[u8], record: &str) -> bool {
    const SCRIPT: &str = r#"
import sys, dkim
record = sys.argv[1].encode()
def dns(name, timeout=5):
    assert name == b"herald1._domainkey.herald.test.", name
    return record
print(dkim.verify(sys.stdin.buffer.read(), dnsfunc=dns))
"#;
    run_python(SCRIPT, &[record], raw).trim() == "True"
}

#[test]
fn dkim_signatures_verify_for_rsa_and_ed25519_keys() {
    for (algorithm, traditional) in [("RSA", true), ("RSA", false), ("ED25519", false)] {
        let (pem, record) = openssl_key(algorithm, traditional);
        let mut ctx = context(true);
        ctx.dkim = Some(DkimSettings::new("herald.test", "herald1", &pem).unwrap());
        let prepared = prepare(&content(NEWSLETTER), ctx).unwrap();
        let raw = prepared.render(&contact("Ada"), false).unwrap().raw;
        let text = String::from_utf8(raw.clone()).unwrap();
        assert!(text.starts_with("DKIM-Signature: ") || text.contains("\r\nDKIM-Signature: "));
        assert!(
            dkim_verifies(&raw, &record),
            "{algorithm} (traditional {traditional}) signature verifies"
        );
        // Changing the subject after signing breaks it: the check is real.
        let tampered = text.replacen("Subject: Hello Ada", "Subject: Hello Bob", 1);
        assert_ne!(tampered, text);
        assert!(!dkim_verifies(tampered.as_bytes(), &record));
    }
}

#[test]
fn a_dkim_key_that_is_not_pem_is_refused_without_echoing_it() {
    let err = DkimSettings::new("herald.test", "herald1", "secret-key-material").unwrap_err();
    assert!(err
        .to_string()
        .starts_with("DKIM: the private key must be PEM"));
    assert!(!err.to_string().contains("secret-key-material"));
}

#[test]
fn a_prepared_campaign_can_be_shared_between_workers() {
    fn shareable<T: Send + Sync>(_: &T) {}
    let prepared: PreparedCampaign = prepare(&content(NEWSLETTER), context(true)).unwrap();
    shareable(&prepared);
    let prepared = Arc::new(prepared);
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let p = Arc::clone(&prepared);
            std::thread::spawn(move || p.render(&contact("Ada"), false).unwrap().raw.len())
        })
        .collect();
    for h in handles {
        assert!(h.join().unwrap() > 0);
    }
}

#[test]
fn a_one_line_html_body_goes_as_7bit_with_lines_a_mail_server_accepts() {
    let long: String = (0..400)
        .map(|i| format!("<span class=\"w\">word{i}</span> "))
        .collect();
    let html = format!(
        "<html><head><style>.w {{ color: red; }}</style></head><body><p>{long}</p>\
         <p>{{{{ contact.first_name }}}} café</p></body></html>"
    );
    let prepared = prepare(&content(&html), context(true)).unwrap();
    let raw = prepared.render(&contact("Zoë"), false).unwrap().raw;
    let text = String::from_utf8(raw.clone()).unwrap();
    assert!(text.split("\r\n").all(|line| line.len() <= 998));
    let parsed = parse(&raw);
    assert_eq!(cte(&parsed, "text/html"), "7bit");
    let html = part(&parsed, "text/html");
    assert!(html.contains(">word399</span>"));
    assert_eq!(html.matches("style=\"color: red;\"").count(), 400);
    assert!(
        html.lines().count() > 10,
        "the long line was broken inside tags"
    );
    assert!(html.contains("Zo&#235; caf&#233;"));
    // The text part is wrapped; it has non-ASCII, so it is encoded.
    let plain = part(&parsed, "text/plain");
    assert!(plain.lines().all(|l| l.chars().count() <= 76), "{plain}");
    assert!(plain.contains("word0 word1 word2"));
    assert!(plain.contains("Zoë café"));
    assert_eq!(cte(&parsed, "text/plain"), "quoted-printable");
}
