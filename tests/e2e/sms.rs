//! An SMS campaign sent from the app through a Twilio stand-in (wiremock, in
//! this process), with its delivery report coming back through a real
//! `herald-relay`: Settings → SMS filled in the UI, the SMS wizard walked
//! through (an emoji makes the text Unicode and costs a second part as
//! written), what the stand-in received checked, a status callback signed
//! as Twilio signs it posted to the relay, "Sync now", and "Delivered" in
//! the recipient table. Screenshots land in `$HERALD_E2E_SCREENSHOTS`.

mod twilio;
mod ui;

use serde_json::json;

use crate::harness::{free_port, App, RelayProcess};
use twilio::{deliver_status_callback, TwilioStandIn, ACCOUNT_SID, AUTH_TOKEN, FROM};
use ui::{delivery_of, picture, wait_clickable};

/// The segment's people: (first name, mobile number in E.164).
const PEOPLE: [(&str, &str); 2] = [("Ada", "+447400000001"), ("Grace", "+447400000002")];

/// What is typed in the composer, then the emoji: the tulip is outside GSM-7.
const TYPED: &str = "Hi {{ contact.first_name }}, spring tulips are here ";
const EMOJI: &str = "🌷";

/// Keys made with the CLI (into the keychain the app reads), a relay run
/// with them and the Twilio auth token, and the app pointed at it.
async fn start_relay(app: &App) -> RelayProcess {
    let (signing_key, api_token) = app.relay_keys();
    let db = app.dir.path().join("relay.sqlite3");
    let env = [("HERALD_RELAY_TWILIO_AUTH_TOKEN", AUTH_TOKEN)];
    let relay = RelayProcess::start_with(free_port(), &signing_key, &api_token, &db, &env).await;
    app.herald(&["relay", "set-url", &relay.url()]);
    relay
}

/// Settings → SMS: Twilio at the stand-in, any time of day.
async fn configure_sms(app: &App, twilio: &str) {
    app.go("/settings").await;
    app.find("sms-form").await;
    app.choose("sms-provider", "Twilio").await;
    app.type_into("sms-twilioAccountSid", ACCOUNT_SID).await;
    app.type_into("sms-twilioAuthToken", AUTH_TOKEN).await;
    app.type_into("sms-twilioFrom", FROM).await;
    // Sending hours off: the test must not depend on the time of day.
    app.click_by_script("sms-hoursOn").await;
    app.until("sending hours off", || async {
        app.find("sms-hoursOn")
            .await
            .prop("checked")
            .await
            .ok()
            .flatten()
            == Some("false".into())
    })
    .await;
    app.click("sms-advanced").await;
    wait_clickable(app, "sms-twilioBaseUrl").await;
    app.type_into("sms-twilioBaseUrl", twilio).await;
    app.click("sms-save").await;
    app.until("the SMS settings saved", || async {
        app.content("sms-status").await.trim() == "Set up"
    })
    .await;
    // The token went to the keychain: the form now offers to keep it.
    let token = app.find("sms-twilioAuthToken").await;
    let placeholder = token
        .attr("placeholder")
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    assert!(
        placeholder.contains("unchanged"),
        "auth token placeholder: {placeholder}"
    );
    assert_eq!(
        token.prop("value").await.ok().flatten().unwrap_or_default(),
        ""
    );
    app.until("the form saved and clean", || async {
        let save = app.find("sms-save").await;
        save.attr("disabled").await.ok().flatten().is_some()
            && save.attr("data-loading").await.ok().flatten().is_none()
    })
    .await;
    // The section's top, with its "Set up" badge, clear of the app's header.
    let section = app.find("sms-section").await;
    let arg = serde_json::to_value(&section).expect("an element as a script argument");
    let script = "arguments[0].scrollIntoView({block: 'start'}); window.scrollBy(0, -72);";
    app.client
        .execute(script, vec![arg])
        .await
        .expect("scrolling to Settings → SMS");
    picture(app, "1-settings-sms", false).await;
}

/// The SMS wizard from the channel to the confirmation, checking the
/// composer's count and the review's phone; returns the campaign's route.
async fn send_from_the_wizard(app: &App) -> String {
    app.go("/campaigns/new").await;
    // Clicked where a person sees it: the page may open scrolled, with
    // the choice under the header.
    wait_clickable(app, "channel-sms").await;
    app.click("channel-sms").await;
    app.until("the SMS details step", || async {
        !app.exists("campaign-subject").await
    })
    .await;
    app.type_into("campaign-name", "Spring tulips").await;
    app.click_by_script("wizard-next").await;

    app.choose("campaign-segmentId", "Texts").await;
    app.until("the audience counted", || async {
        app.exists("audience-will-receive").await
            && app.content("audience-will-receive").await.contains('2')
    })
    .await;
    app.click_by_script("wizard-next").await;

    let body = app.find("sms-body").await;
    body.click().await.expect("focusing the message");
    body.send_keys(TYPED).await.expect("typing the message");
    // WebKitWebDriver types no character outside the BMP; the emoji
    // goes in as an emoji picker puts it: text inserted at the caret.
    let arg = serde_json::to_value(&body).expect("an element as a script argument");
    let insert = "arguments[0].focus(); document.execCommand('insertText', false, arguments[1]);";
    app.client
        .execute(insert, vec![arg, json!(EMOJI)])
        .await
        .expect("inserting the emoji");
    let typed = body.prop("value").await.ok().flatten().unwrap_or_default();
    assert_eq!(typed, format!("{TYPED}{EMOJI}"), "the message as typed");
    // As sent, with "\nReply STOP to opt out": 75 characters, the tulip
    // two UTF-16 units, so 76 units: over one Unicode SMS (70), two
    // parts of 67. Variables count as written here.
    app.until("the message counted", || async {
        app.content("sms-parts").await == "2 parts"
            && app.content("sms-characters").await == "75 characters"
    })
    .await;
    assert_eq!(app.content("sms-encoding").await, "Unicode (UCS-2)");
    assert_eq!(app.content("sms-left").await, "58 left in this part");
    picture(app, "2-composer", true).await;
    app.click_by_script("wizard-next").await;

    app.choose("preview-contact", "Ada").await;
    let for_ada = "Hi Ada, spring tulips are here 🌷\nReply STOP to opt out";
    app.until("the text personalised for Ada", || async {
        app.exists("phone-preview-body").await && app.content("phone-preview-body").await == for_ada
    })
    .await;
    // Personalised, it is 55 units: one part each.
    app.until("the review's counts", || async {
        app.content("sms-review-count").await.contains("1 part") && app.exists("sms-worst").await
    })
    .await;
    let worst = app.content("sms-worst").await;
    assert!(
        worst.contains("At most 2 SMS for 2 recipients"),
        "worst case: {worst}"
    );
    picture(app, "3-review", true).await;
    app.click_by_script("wizard-next").await;

    app.click("send-mode-now").await;
    app.click("send-go").await;
    app.until("the exact count to confirm", || async {
        app.exists("send-confirm-body").await
            && app.content("send-confirm-body").await.contains("2 people")
    })
    .await;
    // The dialog fades in: wait for it to be fully shown before the picture.
    app.until("the confirmation shown in full", || async {
        let script = "const el = document.querySelector('[data-testid=send-confirm-body]');
             const box = el && el.closest('section');
             return box ? getComputedStyle(box).opacity : '0';";
        let opacity = app.client.execute(script, vec![]).await.ok();
        opacity
            .and_then(|v| v.as_str().map(str::to_owned))
            .as_deref()
            == Some("1")
    })
    .await;
    picture(app, "4-confirm", false).await;
    app.click("send-confirm").await;
    app.until("the campaign sent", || async {
        app.exists("campaign-progress").await
            && app.content("campaign-status").await.trim() == "Sent"
    })
    .await;
    assert_eq!(app.content("progress-sent").await.trim(), "2");
    let detail = app.client.current_url().await.expect("the page's URL");
    detail.fragment().expect("a route in the URL").to_owned()
}

#[tokio::test]
async fn an_sms_with_an_emoji_goes_out_as_unicode_and_its_delivery_report_reaches_the_table() {
    App::with("sms", |app| async move {
        let twilio = TwilioStandIn::start().await;
        app.tagged_segment("--phone", &PEOPLE, "texts", "Texts");
        let relay = start_relay(&app).await;
        configure_sms(&app, &twilio.server.uri()).await;

        let detail = send_from_the_wizard(&app).await;

        // What Twilio received: one text per number, personalised, with the
        // opt-out line and the relay's callback.
        let received = twilio.received().await;
        assert_eq!(received.len(), 2, "one request per recipient: {received:?}");
        let callback = format!("{}/webhooks/twilio/status", relay.url());
        for (first, number) in PEOPLE {
            let to: Vec<_> = received
                .iter()
                .filter(|f| f.get("To").is_some_and(|to| to == number))
                .collect();
            assert_eq!(to.len(), 1, "texts to {number}: {received:?}");
            let field = |name: &str| to[0].get(name).cloned().unwrap_or_default();
            let expected = format!("Hi {first}, spring tulips are here 🌷\nReply STOP to opt out");
            assert_eq!(field("Body"), expected);
            assert_eq!(field("From"), FROM);
            assert_eq!(field("StatusCallback"), callback);
        }

        // The carrier delivers the first text; the relay hears it from Twilio.
        let answered = twilio.answered();
        let (delivered, sid) = answered[0].clone();
        let pending = PEOPLE
            .iter()
            .map(|p| p.1)
            .find(|n| *n != delivered)
            .unwrap();
        deliver_status_callback(&relay.url(), &sid, &delivered).await;

        app.go("/settings").await;
        app.find("relay-section").await;
        app.click("relay-sync-now").await;
        app.until("the sync to finish", || async {
            app.exists("relay-outcome").await
                && app.content("relay-outcome").await.starts_with("Synced")
        })
        .await;

        app.go(&detail).await;
        app.until("the delivery report in the table", || async {
            delivery_of(&app, &delivered).await.as_deref() == Some("Delivered")
        })
        .await;
        assert_eq!(
            delivery_of(&app, pending).await.as_deref(),
            Some("No report yet")
        );
        app.scroll_to("recipients").await;
        picture(&app, "5-recipients-delivered", false).await;
        relay.stop();
    })
    .await;
}
