//! The web version of an email: `web_view_url` in each message (a signed
//! View token, never a tracked click), the one copy rendered with nobody's
//! data, and publishing it to the real relay when a campaign starts.

use std::sync::Arc;

use herald_core::token::{KeyRing, SigningKey, TokenKind};
use herald_send::campaign::{self, SetupError};
use herald_send::email::compose::{
    prepare, validate, ComposeError, Part, Relay, UNSUBSCRIBE_MARKER,
};
use herald_send::engine::{CampaignRun, Outcome, SendLock};
use herald_send::secrets::Secrets;
use herald_store::{campaign_runs, relay_sync};
use uuid::Uuid;

use crate::compose::{clicks, contact, content, context, parse, part, signed, RELAY};
use crate::engine::{fast, ledger, set_up, Setup};
use crate::helpers::{fresh_keys, Relay as RelayServer, PUBLIC_URL};
use crate::smtpd::{Options, Smtpd};

/// Every `<relay>/v/<token>` in `text`, verified as View tokens, as
/// (campaign, recipient).
fn views(text: &str, relay: &str) -> Vec<(Uuid, Uuid)> {
    signed(text, relay, "v", TokenKind::View)
        .into_iter()
        .map(|claims| {
            assert_eq!(claims.url, None);
            (claims.campaign, claims.recipient)
        })
        .collect()
}

const WITH_WEB_VIEW: &str = r#"<html><head><style>.note { color: #777; }</style></head><body>
<p class="note"><a href="{{ web_view_url }}">View it in your browser</a></p>
<p>Hi {{ contact.first_name | default("there") }}! Your plan: [{{ contact.custom.plan }}]</p>
<p>Write to {{ contact.email }} at {{ contact.company }}</p>
<p><a href="https://shop.example.com/spring">Shop</a></p>
<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>
</body></html>"#;

#[test]
fn web_view_url_is_the_recipients_signed_view_link_in_html_and_text_and_is_never_a_click() {
    for tracking in [true, false] {
        let mut c = content(WITH_WEB_VIEW);
        c.tracking = tracking;
        let ctx = context(true);
        let campaign = ctx.campaign_id;
        let prepared = prepare(&c, ctx).unwrap();
        assert!(prepared.uses_web_view());
        let ada = contact("Ada");
        let parsed = parse(&prepared.render(&ada, false).unwrap().raw);

        for mime in ["text/html", "text/plain"] {
            let body = part(&parsed, mime);
            assert_eq!(
                views(body, RELAY),
                [(campaign, ada.contact_id)],
                "{mime} (tracking {tracking}): {body}"
            );
            let clicked: Vec<String> = clicks(body).into_iter().map(|(_, url)| url).collect();
            let expected: &[&str] = if tracking {
                &["https://shop.example.com/spring"]
            } else {
                &[]
            };
            assert_eq!(clicked, expected, "{mime} (tracking {tracking})");
        }
    }
}

#[test]
fn web_view_url_in_a_text_body_of_its_own_is_the_view_link_too() {
    let mut c = content("<p>Hello</p>");
    c.text = Some("Read it online: {{ web_view_url }}\n".into());
    let ctx = context(true);
    let campaign = ctx.campaign_id;
    let prepared = prepare(&c, ctx).unwrap();
    assert!(prepared.uses_web_view());
    let ada = contact("Ada");
    let parsed = parse(&prepared.render(&ada, false).unwrap().raw);
    assert_eq!(
        views(part(&parsed, "text/plain"), RELAY),
        [(campaign, ada.contact_id)]
    );
    assert!(views(part(&parsed, "text/html"), RELAY).is_empty());
}

#[test]
fn a_template_using_web_view_url_without_a_relay_is_refused_at_save_time_with_its_position() {
    let source = "<p>Hello</p>\n<p>See <a href=\"{{ web_view_url }}\">the web version</a></p>";
    let issue = validate::<&str>(source, Part::Html, &[], Relay::NotSet).unwrap_err();
    assert_eq!((issue.part, issue.line, issue.column), (Part::Html, 2, 20));
    assert_eq!(
        issue.message,
        "web_view_url needs a relay: set one up in Settings → Relay"
    );
    validate::<&str>(source, Part::Html, &[], Relay::Set).expect("valid with a relay");
    validate::<&str>("Online: {{ web_view_url }}", Part::Text, &[], Relay::Set)
        .expect("valid in the text body too");
}

#[test]
fn a_text_message_using_web_view_url_is_refused_even_with_a_relay() {
    let issue = validate::<&str>(
        "Hi! Online: {{ web_view_url }}",
        Part::Text,
        &[],
        Relay::TextMessage,
    )
    .unwrap_err();
    assert_eq!((issue.line, issue.column), (1, 16));
    assert_eq!(
        issue.message,
        "web_view_url is only for emails: a text message has no web version"
    );
    validate::<&str>(
        "Stop: {{ unsubscribe_url }}",
        Part::Text,
        &[],
        Relay::TextMessage,
    )
    .expect("the other variables stay");
}

#[test]
fn a_campaign_using_web_view_url_cannot_be_prepared_without_a_relay() {
    let mut c = content("<p>Hi</p>");
    c.preheader = Some("Or read it {{ web_view_url }}".into());
    let err = prepare(&c, context(false)).unwrap_err();
    let ComposeError::Template(issue) = err else {
        panic!("expected a template issue, got {err:?}");
    };
    assert_eq!(
        (issue.part, issue.line, issue.column),
        (Part::Preheader, 1, 15)
    );
    assert!(issue.message.contains("needs a relay"), "{}", issue.message);
    let plain = prepare(&content("<p>Hi</p>"), context(false)).unwrap();
    assert!(!plain.uses_web_view());
}

#[test]
fn the_web_version_has_nobodys_data_the_unsubscribe_marker_and_no_tracking() {
    let mut c = content(WITH_WEB_VIEW);
    c.preheader = Some("Spring for {{ contact.first_name | default(\"everyone\") }}".into());
    let prepared = prepare(&c, context(true)).unwrap();
    let web = prepared.web_version().unwrap();

    assert_eq!(web.subject, "Hello there");
    let html = &web.html;
    assert!(html.contains("Hi there! Your plan: []"), "{html}");
    assert!(html.contains("Write to  at "), "{html}");
    assert!(html.contains("Spring for everyone"), "{html}");
    assert!(
        html.contains(&format!("href=\"{UNSUBSCRIBE_MARKER}\"")),
        "{html}"
    );
    assert!(html.contains("href=\"#\""), "the web view link: {html}");
    assert!(
        html.contains("href=\"https://shop.example.com/spring\""),
        "{html}"
    );
    // CSS inlined as in the email.
    assert!(html.contains("style=\"color: #777"), "{html}");
    for absent in [
        "/c/",
        "/o/",
        "/v/",
        "/u/",
        "<img",
        "Ada",
        "ada@example.com",
        "Analytical",
        "gold",
    ] {
        assert!(!html.contains(absent), "{absent:?} in {html}");
    }
    assert!(!html.chars().any(|c| c.is_control() && c != '\n'));
}

/// A workspace whose SMTP goes to `server` and whose relay is `relay`,
/// with `secrets` as its keychain; its draft campaign's HTML is `html`.
async fn campaign_with(
    server: &Smtpd,
    relay: &RelayServer,
    secrets: Arc<dyn Secrets>,
    html: &str,
) -> Setup {
    let s = set_up(server, &["ada@x.org", "bob@x.org"], secrets).await;
    relay_sync::set_url(&s.ws.store, relay.url.as_str())
        .await
        .unwrap();
    sqlx::query("UPDATE campaigns SET html = ? WHERE id = ?")
        .bind(html)
        .bind(s.campaign)
        .execute(s.ws.store.pool())
        .await
        .unwrap();
    s
}

/// What every start does (the app, its scheduler, `herald campaigns send`
/// and `run-due`): check, then resolve the audience, then send it all.
async fn start_and_send(s: &Setup) -> Result<(), SetupError> {
    campaign::check(&s.ws.store, &s.secrets, s.campaign).await?;
    let lock = SendLock::acquire(&s.ws.store).await.unwrap();
    campaign_runs::start(&s.ws.store, s.campaign, None)
        .await
        .unwrap();
    let setup = campaign::setup(&s.ws.store, &s.secrets, s.campaign)
        .await
        .unwrap();
    let run = CampaignRun::new(
        &lock,
        s.campaign,
        setup.composer,
        setup.messenger,
        fast(setup.options),
    );
    assert_eq!(run.run().await.unwrap(), Outcome::Finished);
    Ok(())
}

/// The first `<base>/<route>/<token>` in `text`.
fn link_in(text: &str, base: &str, route: &str) -> Option<(String, String)> {
    let prefix = format!("{base}/{route}/");
    let start = text.find(&prefix)?;
    let token: String = text[start + prefix.len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    Some((format!("{prefix}{token}"), token))
}

#[tokio::test]
async fn a_started_campaign_using_web_view_url_is_served_by_the_relay_with_the_readers_unsubscribe_link(
) {
    let Some(server) = Smtpd::start(Options::default()).await else {
        return;
    };
    let (secrets, keys) = fresh_keys();
    let relay = RelayServer::start(&keys).await;
    let s = campaign_with(&server, &relay, Arc::new(secrets), WITH_WEB_VIEW).await;

    start_and_send(&s).await.expect("the campaign starts");

    let ring = KeyRing {
        current: SigningKey::parse(keys.signing_key.expose()).unwrap(),
        previous: None,
    };
    let received = server.received();
    assert_eq!(received.len(), 2);
    for message in &received {
        let parsed = parse(&message.raw);
        let (view_url, token) = link_in(part(&parsed, "text/html"), relay.url.as_str(), "v")
            .expect("a web version link in the email");
        let reader = ring.verify(&token, TokenKind::View).unwrap().recipient;

        let page = reqwest::get(&view_url).await.unwrap();
        assert_eq!(page.status(), 200, "{view_url}");
        let page = page.text().await.unwrap();
        assert!(page.contains("Hi there! Your plan: []"), "{page}");
        assert!(page.contains("href=\"https://shop.example.com/spring\""));
        assert!(!page.contains(UNSUBSCRIBE_MARKER), "{page}");
        let (_, unsubscribe) =
            link_in(&page, PUBLIC_URL, "u").expect("the reader's unsubscribe link");
        let claims = ring.verify(&unsubscribe, TokenKind::Unsubscribe).unwrap();
        assert_eq!((claims.campaign, claims.recipient), (s.campaign, reader));
    }
    relay.stop().await;
}

#[tokio::test]
async fn a_campaign_without_web_view_url_does_not_contact_the_relay_when_it_starts() {
    let Some(server) = Smtpd::start(Options::default()).await else {
        return;
    };
    let (_, relay_keys) = fresh_keys();
    let relay = RelayServer::start(&relay_keys).await;
    // This workspace's API token is not the relay's: any PUT would fail.
    let (secrets, _) = fresh_keys();
    let s = campaign_with(
        &server,
        &relay,
        Arc::new(secrets),
        "<p>Hi {{ contact.first_name }}</p><a href=\"{{ unsubscribe_url }}\">Leave</a>",
    )
    .await;

    start_and_send(&s).await.expect("the campaign starts");
    assert_eq!(server.received().len(), 2);
    relay.stop().await;
}

#[tokio::test]
async fn a_relay_that_refuses_the_web_version_stops_the_start_before_anything_is_resolved() {
    let Some(server) = Smtpd::start(Options::default()).await else {
        return;
    };
    let (_, relay_keys) = fresh_keys();
    let relay = RelayServer::start(&relay_keys).await;
    let (secrets, _) = fresh_keys();
    let s = campaign_with(&server, &relay, Arc::new(secrets), WITH_WEB_VIEW).await;

    let err = start_and_send(&s).await.unwrap_err().to_string();
    assert!(
        err.starts_with("could not publish the web version to the relay: "),
        "{err}"
    );
    assert!(err.contains("refused Herald's API token"), "{err}");
    assert!(ledger(&s.ws.store, s.campaign).await.is_empty());
    let state = campaign_runs::state(&s.ws.store, s.campaign).await.unwrap();
    assert_eq!(state.status, "draft");
    assert!(server.received().is_empty());
    relay.stop().await;
}
