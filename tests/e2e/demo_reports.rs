//! The demo workspace's campaign history in the app: the dashboard lists
//! its campaigns with their rates, a campaign's report draws its charts
//! from the rollups, two campaigns compare side by side, an SMS report shows
//! carrier reports, a recipient's timeline shows what they did, and
//! Settings → Notifications shows how each event is told.

use herald_store::campaigns::{self, CampaignQuery};

use crate::harness::{open_store, App};

/// An element's `textContent` (WebKit's WebDriver leaves truncated text out
/// of what it calls visible).
async fn text_content(el: &fantoccini::elements::Element) -> String {
    el.prop("textContent")
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

#[tokio::test]
async fn the_demo_history_shows_on_the_dashboard_in_reports_and_on_timelines() {
    App::with("demo-reports", |app| async move {
        app.click("onboarding-demo").await;
        app.until("demo contacts in the table", || async {
            !app.all("contact-row").await.is_empty()
        })
        .await;
        let store = open_store(&app.db()).await;
        let list = campaigns::list(&store, &CampaignQuery::default())
            .await
            .unwrap();
        let id_of = |name: &str| {
            list.iter()
                .find(|c| c.name == name)
                .unwrap_or_else(|| panic!("a demo campaign called {name}"))
                .id
        };
        let newsletter = id_of("Monthly newsletter");
        let text = id_of("Flash sale text");

        // The dashboard: the five sent campaigns, the last 30 days, growth.
        app.click("nav-dashboard").await;
        app.until("the demo campaigns on the dashboard", || async {
            app.all("dashboard-campaign-row").await.len() == 5
        })
        .await;
        let rows = app.all("dashboard-campaign-row").await;
        let first = text_content(&rows[0]).await;
        assert!(
            first.contains("Monthly newsletter"),
            "newest first: {first}"
        );
        assert!(first.contains('%'), "with its rates: {first}");
        let sent = app.nonempty_text("period-sent").await;
        assert!(
            sent.chars().any(|c| c.is_ascii_digit() && c != '0'),
            "sent in the last 30 days: {sent}"
        );
        app.find("chart-growth-svg").await;
        app.screenshot("1-dashboard").await;
        app.scroll_to("dashboard-growth").await;
        app.screenshot("2-dashboard-growth").await;

        // A report, opened from its dashboard row.
        // Scrolled down, the window's header covers the rows: the page is
        // scrolled back first, as a person would.
        app.client
            .execute("window.scrollTo(0, 0)", vec![])
            .await
            .expect("scrolling to the top");
        app.all("dashboard-campaign-row").await[0]
            .click()
            .await
            .expect("opening the newest campaign's report");
        app.find("analytics-page").await;
        app.until("the report's numbers", || async {
            app.exists("metric-open-rate").await
        })
        .await;
        let metrics = herald_store::analytics::campaign(&store, newsletter)
            .await
            .unwrap();
        let shown = app.text("metric-open-rate").await;
        let expected = format!("{:.1}%", metrics.rates.open.unwrap() * 100.0);
        assert_eq!(shown, expected, "the open rate over {:?}", metrics.basis);
        app.find("chart-engagement-svg").await;
        assert!(
            !app.all("chart-engagement-point").await.is_empty(),
            "hover targets over the chart"
        );
        assert!(!app.all("top-link-row").await.is_empty());
        app.screenshot("3-report").await;
        app.scroll_to("chart-engagement").await;
        app.screenshot("4-report-charts").await;
        app.scroll_to("top-links").await;
        app.screenshot("5-report-links").await;

        // Two campaigns side by side, picked on the campaigns list.
        app.go("/campaigns").await;
        app.until("the campaigns' compare boxes", || async {
            app.all("campaign-compare-check").await.len() == 6
        })
        .await;
        // The draft's box is disabled: it has nothing to compare yet.
        let mut boxes = Vec::new();
        for b in app.all("campaign-compare-check").await {
            if b.is_enabled().await.unwrap_or(false) {
                boxes.push(b);
            }
        }
        assert_eq!(boxes.len(), 5, "the five sent campaigns can be compared");
        for b in &boxes[..2] {
            let arg = serde_json::to_value(b).expect("an element as a script argument");
            app.client
                .execute("arguments[0].click();", vec![arg])
                .await
                .expect("ticking a campaign to compare");
        }
        app.screenshot("6-campaigns-picked").await;
        app.click("campaigns-compare").await;
        app.find("compare-page").await;
        app.until("two columns", || async {
            app.all("compare-column").await.len() == 2
        })
        .await;
        app.find("chart-comparison-svg").await;
        app.screenshot("7-compare").await;

        // The text's report: carrier reports instead of opens.
        app.go(&format!("/campaigns/{text}/analytics")).await;
        app.until("the SMS report", || async {
            app.exists("analytics-page").await
                && app
                    .content("analytics-title")
                    .await
                    .contains("Flash sale text")
        })
        .await;
        assert!(!app.exists("metric-open-rate").await);
        app.screenshot("8-sms-report").await;

        // A recipient who clicked: the timeline names the campaign.
        let (recipients, _) = herald_store::ledger::recipients(
            &store,
            newsletter.as_uuid(),
            &herald_store::ledger::RecipientQuery {
                limit: 1000,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let clicker = recipients
            .iter()
            .find(|r| r.clicked_at.is_some())
            .expect("someone clicked the newsletter")
            .contact_id;
        app.go(&format!("/contacts/{clicker}")).await;
        app.until("the campaign on the timeline", || async {
            let events = app.all("timeline-campaign-event").await;
            let mut texts = Vec::new();
            for e in events {
                texts.push(text_content(&e).await);
            }
            texts
                .iter()
                .any(|t| t.starts_with("Clicked") && t.contains("Monthly newsletter"))
        })
        .await;
        app.scroll_to("interactions-timeline").await;
        app.screenshot("9-timeline").await;

        // Settings → Notifications: how each event is told.
        app.go("/settings").await;
        app.scroll_to("notifications-section").await;
        app.find("notification-pref-campaignCompleted").await;
        app.screenshot("10-notification-settings").await;
    })
    .await;
}
