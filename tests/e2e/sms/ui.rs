//! Driving the UI the way the SMS test needs: Mantine selects, hidden
//! inputs, panels that unfold, screenshots once painted, and the recipient
//! table's delivery badges.

use fantoccini::Locator;

use crate::harness::App;

/// Waits until a click at the element's centre reaches it (the
/// "Advanced" panel unfolds over a moment), scrolled into view.
pub async fn wait_clickable(app: &App, test_id: &str) {
    let what = format!("[data-testid={test_id}] clickable");
    app.until(&what, || async {
        let el = app.find(test_id).await;
        let arg = serde_json::to_value(&el).expect("an element as a script argument");
        let script = "const el = arguments[0];
             el.scrollIntoView({block: 'center'});
             const r = el.getBoundingClientRect();
             return r.height > 0 && el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));";
        let reached = app.client.execute(script, vec![arg]).await.ok();
        reached.and_then(|v| v.as_bool()) == Some(true)
    })
    .await;
}

/// A screenshot once the page has painted what the DOM holds (two
/// animation frames), optionally from the top (the wizard's stepper in view).
pub async fn picture(app: &App, label: &str, from_top: bool) {
    if from_top {
        app.client
            .execute("window.scrollTo(0, 0);", vec![])
            .await
            .expect("scrolling to the top");
    }
    let painted = "const done = arguments[arguments.length - 1];
         requestAnimationFrame(() => requestAnimationFrame(() => done(true)));";
    app.client
        .execute_async(painted, vec![])
        .await
        .expect("waiting for the page to paint");
    app.screenshot(label).await;
}

/// The `delivery-status` badge of the recipient row showing `number`, if
/// the row is on the page.
pub async fn delivery_of(app: &App, number: &str) -> Option<String> {
    for row in app.all("recipient-row").await {
        let text = row
            .prop("textContent")
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        if text.contains(number) {
            let badge = row
                .find(Locator::Css("[data-testid=\"delivery-status\"]"))
                .await
                .ok()?;
            return badge.prop("textContent").await.ok().flatten();
        }
    }
    None
}
