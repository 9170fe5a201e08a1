//! Sending the analytics test's campaign through the app: the wizard
//! walked through with a message written in the HTML editor around one
//! link.

use fantoccini::Locator;

use crate::harness::App;

/// Creates and sends an email campaign named `name` to the segment
/// `segment` of `people` contacts, with `html` as its message (tracking
/// is on by default), and waits for it to be sent. Returns the campaign's
/// route (`/campaigns/<id>`).
pub async fn send_campaign(
    app: &App,
    name: &str,
    segment: &str,
    people: usize,
    html: &str,
) -> String {
    app.go("/campaigns/new").await;
    app.type_into("campaign-name", name).await;
    app.type_into(
        "campaign-subject",
        "Spring tulips, {{ contact.first_name }}",
    )
    .await;
    let tracking = app.find("campaign-tracking").await;
    assert_eq!(
        tracking.prop("checked").await.ok().flatten().as_deref(),
        Some("true"),
        "tracking is on for a new campaign"
    );
    app.click_by_script("wizard-next").await;

    app.choose("campaign-segmentId", segment).await;
    let count = people.to_string();
    app.until("the audience counted", || async {
        app.exists("audience-will-receive").await
            && app.content("audience-will-receive").await.contains(&count)
    })
    .await;
    app.click_by_script("wizard-next").await;

    // The HTML editor: the link is written as it will be sent.
    let xpath = "//*[@data-testid='campaign-editor-mode']//label[normalize-space(.)='HTML']";
    app.client
        .wait()
        .at_most(crate::harness::PATIENCE)
        .for_element(Locator::XPath(xpath))
        .await
        .expect("the editor's HTML mode")
        .click()
        .await
        .expect("switching to the HTML editor");
    app.type_into("campaign-html", html).await;
    app.click_by_script("wizard-next").await;

    app.until("the preview made", || async {
        app.exists("review-tracking").await
            && app.content("review-tracking").await.contains("Tracking on")
    })
    .await;
    app.click_by_script("wizard-next").await;

    app.click("send-mode-now").await;
    app.click("send-go").await;
    let people_text = format!("{people} people");
    app.until("the exact count to confirm", || async {
        app.exists("send-confirm-body").await
            && app
                .content("send-confirm-body")
                .await
                .contains(&people_text)
    })
    .await;
    app.click("send-confirm").await;
    app.until("the campaign sent", || async {
        app.exists("campaign-progress").await
            && app.content("campaign-status").await.trim() == "Sent"
    })
    .await;
    assert_eq!(app.content("progress-sent").await.trim(), count);
    let detail = app.client.current_url().await.expect("the page's URL");
    detail.fragment().expect("a route in the URL").to_owned()
}
