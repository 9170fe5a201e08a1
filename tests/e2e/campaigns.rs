//! An email campaign sent from the app to a real SMTP server (aiosmtpd,
//! through scripts/smtpd/server.py): Settings → Email filled in the UI, the
//! five-step wizard walked through, and the server's maildir checked for one
//! personalised message per recipient. Screenshots of every step land in
//! `$HERALD_E2E_SCREENSHOTS`.

use crate::harness::{header, App, Smtpd};

/// The people the segment holds: (first name, address).
const PEOPLE: [(&str, &str); 3] = [
    ("Ada", "ada@example.test"),
    ("Grace", "grace@example.test"),
    ("Linus", "linus@example.test"),
];

/// A screenshot of a wizard step from the top of the page, stepper in view
/// (scrolling the stepper itself into view would tuck it under the header).
async fn step_screenshot(app: &App, label: &str) {
    app.client
        .execute("window.scrollTo(0, 0);", vec![])
        .await
        .expect("scrolling to the top");
    app.screenshot(label).await;
}

#[tokio::test]
async fn a_campaign_made_in_the_wizard_reaches_every_recipient_once_by_name() {
    let mail = tempfile::tempdir().expect("temp dir");
    let Some(smtpd) = Smtpd::start(mail.path()) else {
        return;
    };
    let port = smtpd.port;
    App::with("campaigns", |app| async move {
        app.tagged_segment("--email", &PEOPLE, "newsletter", "Newsletter");
        app.configure_email(port).await;

        app.go("/campaigns/new").await;
        app.type_into("campaign-name", "Spring news").await;
        app.type_into("campaign-subject", "Hello {{ contact.first_name }}")
            .await;
        step_screenshot(&app, "wizard-1-details").await;
        app.click_by_script("wizard-next").await;

        app.choose("campaign-segmentId", "Newsletter").await;
        app.until("the audience counted", || async {
            app.exists("audience-will-receive").await
                && app.content("audience-will-receive").await.contains('3')
        })
        .await;
        step_screenshot(&app, "wizard-2-audience").await;
        app.click_by_script("wizard-next").await;

        let editor = app.find("campaign-editor").await;
        editor.click().await.expect("focusing the editor");
        editor
            .send_keys("Dear friend, spring is here.")
            .await
            .expect("typing the message");
        step_screenshot(&app, "wizard-3-content").await;
        // The body's variables: the contact fields, then Herald's own links;
        // with no relay set up, the web version link says what it needs.
        app.click("editor-variables").await;
        app.until("the variable menu open", || async {
            app.exists("variable-web_view_url-needs-relay").await
        })
        .await;
        app.scroll_to("variable-web_view_url").await;
        step_screenshot(&app, "wizard-3-variables").await;
        app.click("editor-variables").await;
        app.until("the variable menu closed", || async {
            !app.exists("variable-web_view_url").await
        })
        .await;
        app.click_by_script("wizard-next").await;

        app.until("the preview made", || async {
            app.exists("review-subject").await
                && app.content("review-subject").await.starts_with("Hello ")
        })
        .await;
        step_screenshot(&app, "wizard-4-review").await;
        app.click_by_script("wizard-next").await;

        app.click("send-mode-now").await;
        step_screenshot(&app, "wizard-5-schedule").await;
        app.click("send-go").await;
        app.until("the exact count to confirm", || async {
            app.exists("send-confirm-body").await
                && app
                    .content("send-confirm-body")
                    .await
                    .contains("3 people")
        })
        .await;
        // The dialog fades in: wait for it to be fully shown before the picture.
        app.until("the confirmation shown in full", || async {
            let opacity = app
                .client
                .execute(
                    "const el = document.querySelector('[data-testid=send-confirm-body]');\n                     const box = el && el.closest('section');\n                     return box ? getComputedStyle(box).opacity : '0';",
                    vec![],
                )
                .await
                .ok();
            opacity.and_then(|v| v.as_str().map(str::to_owned)).as_deref() == Some("1")
        })
        .await;
        app.screenshot("wizard-6-confirm").await;
        app.click("send-confirm").await;

        app.until("the campaign sent", || async {
            app.exists("campaign-progress").await
                && app.content("campaign-status").await.trim() == "Sent"
        })
        .await;
        assert_eq!(app.content("progress-sent").await.trim(), "3");
        // No relay in this workspace: opens and clicks are not counted, and
        // the page says so rather than showing 0 %.
        app.until("opens shown as not counted", || async {
            app.content("progress-opened").await.trim() == "—"
        })
        .await;
        app.screenshot("detail-sent").await;
        app.scroll_to("recipients").await;
        app.screenshot("detail-recipients").await;
        let messages = smtpd.messages();
        assert_eq!(messages.len(), PEOPLE.len(), "one message per recipient");
        let mut seen: Vec<(String, String)> = messages
            .iter()
            .map(|raw| {
                (
                    header(raw, "To").expect("a To header"),
                    header(raw, "Subject").expect("a Subject header"),
                )
            })
            .collect();
        seen.sort();
        for (first, email) in PEOPLE {
            assert!(
                seen.iter()
                    .any(|(to, subject)| to.contains(email) && subject == &format!("Hello {first}")),
                "no message to {email} with subject \"Hello {first}\" among {seen:?}"
            );
        }
    })
    .await;
}
