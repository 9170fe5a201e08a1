//! A campaign's analytics and the bell, end to end (issue 8): an email
//! campaign with a tracked link sent from the app's wizard to a real SMTP
//! server (aiosmtpd), its open pixels and click links taken out of the
//! messages the server kept and loaded on a real `herald-relay` as mail
//! clients load them (one contact opens twice and clicks, one opens, one
//! does nothing), "Sync now", then a sync from the relay's first event
//! again, which must count nothing twice; the "Campaign sent"
//! notification in the header's bell and in the workspace's store; and the
//! campaign's analytics page with those numbers.
//! Screenshots land in `$HERALD_E2E_SCREENSHOTS`.

mod mail;
mod report;
mod send;

use std::time::{Duration, Instant};

use herald_core::CampaignId;
use herald_store::analytics::{self, Count, RateBasis};
use herald_store::notifications::{self, Kind};
use herald_store::{relay_events, relay_sync};
use uuid::Uuid;

use crate::harness::{free_port, open_store, App, RelayProcess, Smtpd};
use mail::Tracked;
use send::send_campaign;

/// The segment's people: (first name, address).
const PEOPLE: [(&str, &str); 3] = [
    ("Ada", "ada@example.test"),
    ("Grace", "grace@example.test"),
    ("Linus", "linus@example.test"),
];

const CAMPAIGN: &str = "Spring tulips";

/// The one link in the message, which the relay redirects to.
const LINK: &str = "https://shop.example.test/spring-tulips";

/// A desktop mail client's user agent: not a privacy proxy, prefetcher or
/// link scanner, so the relay takes its hits for a person's.
const MAIL_CLIENT: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) \
     AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15";

/// Opens and clicks this soon after sending are a machine's (the ledger's
/// 2-second rule, docs/analytics.md): the hits come later, as a person's.
const READING_TAKES: Duration = Duration::from_secs(3);

/// Keys made with the CLI (into the keychain the app reads), a relay run
/// with them, and the workspace pointed at it.
async fn start_relay(app: &App) -> RelayProcess {
    let (signing_key, api_token) = app.relay_keys();
    let db = app.dir.path().join("relay.sqlite3");
    let relay = RelayProcess::start(free_port(), &signing_key, &api_token, &db).await;
    app.herald(&["relay", "set-url", &relay.url()]);
    relay
}

/// A mail client: it shows the pixel and follows links itself, so
/// redirects are read, not followed.
fn mail_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .user_agent(MAIL_CLIENT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

async fn load_pixel(client: &reqwest::Client, url: &str) {
    let response = client.get(url).send().await.expect("loading the pixel");
    assert_eq!(response.status(), 200, "the relay's answer to {url}");
    let kind = response.headers().get("content-type").cloned();
    assert_eq!(
        kind.as_ref().and_then(|v| v.to_str().ok()),
        Some("image/gif")
    );
}

async fn follow_link(client: &reqwest::Client, url: &str) {
    let response = client.get(url).send().await.expect("following the link");
    assert_eq!(response.status(), 302, "the relay's answer to {url}");
    let location = response.headers().get("location").cloned();
    assert_eq!(location.as_ref().and_then(|v| v.to_str().ok()), Some(LINK));
}

/// What the messages the server kept offer each person, by first name.
fn tracked_by_person(smtpd: &Smtpd, relay: &str) -> Vec<(&'static str, Tracked)> {
    let messages = smtpd.messages();
    assert_eq!(messages.len(), PEOPLE.len(), "one message per recipient");
    let tracked: Vec<Tracked> = messages.iter().map(|m| Tracked::read(m, relay)).collect();
    PEOPLE
        .iter()
        .map(|(first, email)| {
            let mine: Vec<&Tracked> = tracked.iter().filter(|t| t.to.contains(email)).collect();
            assert_eq!(mine.len(), 1, "messages to {email}: {tracked:?}");
            assert_eq!(mine[0].links.len(), 1, "one tracked link to {email}");
            (*first, mine[0].clone())
        })
        .collect()
}

/// Clicks "Sync now" in Settings → Relay.
async fn sync_now(app: &App) {
    app.go("/settings").await;
    app.find("relay-section").await;
    app.click("relay-sync-now").await;
}

#[tokio::test]
async fn opens_and_clicks_through_the_relay_reach_the_report_once_and_the_bell_tells_of_the_send() {
    let mail = tempfile::tempdir().expect("temp dir");
    let Some(smtpd) = Smtpd::start(mail.path()) else {
        return;
    };
    App::with("analytics", |app| async move {
        app.tagged_segment("--email", &PEOPLE, "tulips", "Tulips");
        let relay = start_relay(&app).await;
        app.configure_email(smtpd.port).await;
        let html = format!(
            "<p>Dear {{{{ contact.first_name }}}}, the tulips are in.</p>\
             <p><a href=\"{LINK}\">See the tulips</a></p>"
        );
        let detail = send_campaign(&app, CAMPAIGN, "Tulips", PEOPLE.len(), &html).await;
        let sent_seen = Instant::now();
        let id = detail
            .strip_prefix("/campaigns/")
            .and_then(|id| Uuid::parse_str(id).ok())
            .unwrap_or_else(|| panic!("the campaign's page is at {detail}"));

        let tracked = tracked_by_person(&smtpd, &relay.url());
        let [(_, ada), (_, grace), (_, _linus)] = &tracked[..] else {
            unreachable!("three people")
        };
        tokio::time::sleep_until((sent_seen + READING_TAKES).into()).await;
        let client = mail_client();
        // Ada opens the message, opens it again later (the same pixel),
        // and clicks; Grace only opens it; Linus does nothing.
        load_pixel(&client, &ada.pixel).await;
        load_pixel(&client, &ada.pixel).await;
        follow_link(&client, &ada.links[0]).await;
        load_pixel(&client, &grace.pixel).await;

        let store = open_store(&app.db()).await;
        sync_now(&app).await;
        app.until("the four hits synced", || async {
            relay_events::count(&store).await.unwrap() == 4
        })
        .await;
        let campaign = CampaignId::from_uuid(id);
        let metrics = analytics::campaign(&store, campaign).await.unwrap();
        assert_eq!((metrics.sent, metrics.delivered), (3, 0));
        assert_eq!(metrics.basis, RateBasis::Sent);
        assert_eq!(metrics.opened, 2, "Ada and Grace opened it");
        assert_eq!(
            metrics.opens_human,
            Count {
                unique: 2,
                total: 3
            }
        );
        assert_eq!(metrics.opens_machine, Count::default());
        assert_eq!(
            metrics.clicks_human,
            Count {
                unique: 1,
                total: 1
            }
        );

        // The relay hands the same hits out again (the workspace's relay
        // URL changed, so the sync starts from its first event): nothing
        // is counted twice.
        let cursor = relay_sync::cursor(&store).await.unwrap();
        assert!(cursor.is_some(), "a cursor after the first sync");
        let same_relay = relay.url().replace("127.0.0.1", "localhost");
        app.herald(&["relay", "set-url", &same_relay]);
        assert_eq!(relay_sync::cursor(&store).await.unwrap(), None);
        sync_now(&app).await;
        app.until("the relay read again from its first event", || async {
            relay_sync::cursor(&store).await.unwrap() == cursor
        })
        .await;
        assert_eq!(relay_events::count(&store).await.unwrap(), 4);
        let again = analytics::campaign(&store, campaign).await.unwrap();
        assert_eq!(again, metrics, "the same events applied again");

        // The bell: the send was told once, and is unread.
        app.until("the bell's badge to count one unread", || async {
            app.content("notification-badge").await.trim() == "1"
        })
        .await;
        let (stored, unread) = notifications::list(&store, 50).await.unwrap();
        assert_eq!(unread, 1);
        assert_eq!(stored.len(), 1, "notifications: {stored:?}");
        let told = &stored[0];
        assert_eq!(told.kind, Kind::CampaignCompleted);
        assert_eq!(told.campaign_id, Some(id));
        assert_eq!(told.title, format!("Campaign sent: {CAMPAIGN}"));
        assert_eq!(told.body, "3 messages sent.");
        app.click("notification-bell").await;
        let item = format!("notification-{}", told.id);
        app.until("the notification in the bell's list", || async {
            app.exists(&item).await && app.content(&item).await.contains(&told.title)
        })
        .await;
        app.screenshot("1-bell").await;

        // Clicking it opens the campaign and marks it read.
        app.click(&item).await;
        app.until("the campaign opened from the bell", || async {
            let url = app.client.current_url().await.expect("the page's URL");
            url.fragment() == Some(detail.as_str())
        })
        .await;
        app.until("the badge gone", || async {
            app.content("notification-badge").await.trim().is_empty()
        })
        .await;
        let (stored, unread) = notifications::list(&store, 50).await.unwrap();
        assert_eq!(unread, 0);
        assert!(stored[0].read_at.is_some(), "read after the click");

        // The campaign's report, from its page's "View report" (once the
        // bell's list has faded out from over the page).
        app.until("the bell's list closed", || async {
            !app.exists("notification-list").await
        })
        .await;
        app.click("campaign-view-report").await;
        let route = format!("{detail}/analytics");
        app.until("the report opened", || async {
            let url = app.client.current_url().await.expect("the page's URL");
            url.fragment() == Some(route.as_str()) && app.exists("analytics-page").await
        })
        .await;
        app.until("the report's open rate", || async {
            app.exists("metric-open-rate").await
                && app.content("metric-open-rate").await.trim() == "66.7%"
        })
        .await;
        // Rates on sent (no delivery reports over SMTP): 2 of 3 opened, 1
        // of 3 clicked, 1 of the 2 who opened.
        assert_eq!(app.content("metric-delivered").await.trim(), "3");
        assert_eq!(app.content("metric-click-rate").await.trim(), "33.3%");
        assert_eq!(app.content("metric-click-to-open").await.trim(), "50.0%");
        assert!(
            !app.exists("metric-open-rate-aside").await,
            "no machine opens"
        );
        for (row, value) in [
            ("sent", "3"),
            ("opened", "2"),
            ("opens_human_unique", "2"),
            ("opens_human_total", "3"),
            ("opens_machine_total", "0"),
            ("clicks_human_unique", "1"),
            ("clicks_human_total", "1"),
            ("clicks_scanner_total", "0"),
        ] {
            assert_eq!(report::detail(&app, row).await, value, "metric-row-{row}");
        }
        let links = report::top_links(&app).await;
        assert_eq!(links, vec![vec![LINK.to_owned(), "1".into(), "1".into()]]);
        app.screenshot("2-report").await;
        // Every number, its heading clear of the app's header.
        app.scroll_to("metric-details").await;
        app.client
            .execute("window.scrollBy(0, -72);", vec![])
            .await
            .expect("scrolling clear of the header");
        app.screenshot("3-report-details").await;
        relay.stop();
        drop(smtpd);
    })
    .await;
}
