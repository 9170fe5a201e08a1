//! The campaign's analytics page as the analytics test reads it: the
//! headline cards, the details table's rows (named as the CSV export names
//! the metrics) and the top links.

use fantoccini::Locator;

use crate::harness::App;

/// The text of the last cell of the details row `metric-row-<name>`.
pub async fn detail(app: &App, name: &str) -> String {
    let row = app.find(&format!("metric-row-{name}")).await;
    let cells = row
        .find_all(Locator::Css("td"))
        .await
        .unwrap_or_else(|e| panic!("the cells of metric-row-{name}: {e}"));
    let last = cells
        .last()
        .unwrap_or_else(|| panic!("metric-row-{name} has no cells"));
    let text = last.prop("textContent").await.ok().flatten();
    text.unwrap_or_default().trim().to_owned()
}

/// Each row of the top links table as the text of its cells.
pub async fn top_links(app: &App) -> Vec<Vec<String>> {
    app.find("top-links").await;
    let mut rows = Vec::new();
    for row in app.all("top-link-row").await {
        let mut cells = Vec::new();
        for cell in row.find_all(Locator::Css("td")).await.unwrap_or_default() {
            let text = cell.prop("textContent").await.ok().flatten();
            cells.push(text.unwrap_or_default().trim().to_owned());
        }
        rows.push(cells);
    }
    rows
}
