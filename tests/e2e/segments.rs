use std::path::PathBuf;
use std::process::Command;

use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::{json, Value};

use crate::harness::{App, PATIENCE};

async fn load_demo(app: &App) {
    app.click("onboarding-demo").await;
    app.until("demo contacts in the table", || async {
        !app.all("contact-row").await.is_empty()
    })
    .await;
}

/// The `herald` CLI built beside the app.
fn cli() -> PathBuf {
    std::env::var("HERALD_E2E_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            panic!("HERALD_E2E_CLI is not set: run the end-to-end suite with scripts/e2e.sh")
        })
}

/// Runs `herald --db DB args… --json` and parses what it prints.
fn herald_json(app: &App, args: &[&str]) -> Value {
    let out = Command::new(cli())
        .arg("--db")
        .arg(app.db())
        .args(args)
        .arg("--json")
        .output()
        .expect("running herald");
    assert!(
        out.status.success(),
        "herald {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "herald {args:?} printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

async fn css(app: &App, selector: &str) -> Element {
    app.client
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(selector))
        .await
        .unwrap_or_else(|e| panic!("no element {selector} within {PATIENCE:?}: {e}"))
}

/// Clicks the button with this text inside the group at `path` (its own
/// buttons come after its children's, so the last match is the group's).
async fn group_button(app: &App, path: &str, text: &str) {
    let xpath = format!(
        "(//*[@data-testid='filter-group'][@data-path='{path}']//button[normalize-space(.)='{text}'])[last()]"
    );
    app.client
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("no {text} button in group {path:?}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("clicking {text} in group {path:?}: {e}"));
}

/// Opens a select inside the rule at `path` and picks the option shown as
/// `option`.
async fn choose(app: &App, path: &str, label: &str, option: &str) {
    let input = css(
        app,
        &format!("[data-testid='filter-rule'][data-path='{path}'] input[aria-label='{label}']"),
    )
    .await;
    input
        .click()
        .await
        .unwrap_or_else(|e| panic!("opening {label} of {path}: {e}"));
    let xpath = format!("//*[@role='option'][normalize-space(.)='{option}']");
    app.client
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("no option {option:?} for {label} of {path}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("choosing {option:?} for {label} of {path}: {e}"));
}

/// Types into the tag multi-select of the rule at `path` and picks `tag`.
async fn add_tag(app: &App, path: &str, tag: &str) {
    let input = css(
        app,
        &format!("[data-testid='filter-rule'][data-path='{path}'] input[aria-label='Value']"),
    )
    .await;
    input.click().await.expect("focusing the tag input");
    input.send_keys(tag).await.expect("typing a tag");
    let xpath = format!("//*[@role='option'][normalize-space(.)='{tag}']");
    match app
        .client
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::XPath(&xpath))
        .await
    {
        Ok(option) => option.click().await.expect("choosing a tag"),
        Err(_) => input
            .send_keys(&Key::Enter.to_string())
            .await
            .expect("entering a tag"),
    }
    input
        .send_keys(&Key::Escape.to_string())
        .await
        .expect("closing the tag list");
}

/// A preview count as the builder shows it ("1,234") as a number.
fn shown_number(text: &str) -> Option<i64> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[tokio::test]
async fn a_nested_segment_built_in_the_app_counts_what_the_cli_counts() {
    App::with("segments", |app| async move {
        load_demo(&app).await;
        // The same filter, written by hand: what the builder must produce.
        let filter = json!({"all": [
            {"field": "tag", "op": "has_any", "value": ["vip"]},
            {"any": [
                {"field": "tag", "op": "has_any", "value": ["customer"]},
                {"field": "country", "op": "eq", "value": "DE"}
            ]}
        ]});
        let file = app.dir.path().join("filter.json");
        std::fs::write(&file, filter.to_string()).unwrap();
        let expected = herald_json(
            &app,
            &["segments", "preview", "--filter", file.to_str().unwrap()],
        );
        let expected = expected["count"].as_i64().expect("a count");

        app.client
            .execute("window.location.hash = '#/segments/new'", vec![])
            .await
            .expect("opening the builder");
        app.type_into("segment-name", "VIP customers or Germans")
            .await;

        // A new segment starts with one empty rule.
        app.find("filter-rule").await;
        if app.all("filter-rule").await.is_empty() {
            group_button(&app, "", "Add rule").await;
        }
        add_tag(&app, "all[0]", "vip").await;
        group_button(&app, "", "Add group").await;
        // The new group is an "any" group with one tag rule in it.
        add_tag(&app, "all[1].any[0]", "customer").await;
        group_button(&app, "all[1]", "Add rule").await;
        choose(&app, "all[1].any[1]", "Field", "Country").await;
        choose(&app, "all[1].any[1]", "Value", "Germany (DE)").await;

        app.until(
            &format!("the preview to count {expected} contacts"),
            || async {
                let text = app.text("segment-preview-count").await;
                shown_number(&text) == Some(expected)
            },
        )
        .await;
        let sentence = app.text("segment-sentence").await;
        assert!(sentence.contains("vip"), "sentence: {sentence}");
        app.screenshot("builder").await;

        // The builder is taller than the window: bring Save out from under
        // the app's sticky header before clicking it, as a person would.
        app.client
            .execute(
                "document.querySelector('[data-testid=\"segment-save\"]')\
                 .scrollIntoView({block: 'center'})",
                vec![],
            )
            .await
            .expect("scrolling to Save");
        app.click("segment-save").await;
        // Beside the demo's own two segments.
        app.until("the saved segment in the list", || async {
            app.all("segment-count").await.len() == 3
        })
        .await;
        app.screenshot("list").await;

        // The saved filter is the hand-written one, and the CLI counts the
        // saved segment the same.
        let shown = herald_json(&app, &["segments", "show", "VIP customers or Germans"]);
        assert_eq!(shown["filter"], filter, "saved: {shown}");
        let saved = herald_json(&app, &["segments", "preview", "VIP customers or Germans"]);
        assert_eq!(saved["count"].as_i64(), Some(expected));
    })
    .await;
}
