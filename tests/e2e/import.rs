use crate::harness::{open_store, App};

/// Three good contacts (Ada twice, in another case), three bad rows, and a
/// blank row that is ignored.
const FILE: &str = "Email Address,First Name,Phone Number,Country,Tags\n\
ada@example.com,Ada,+44 20 7946 0958,GB,vip\n\
grace@example.com,Grace,,US,\n\
not-an-email,Bob,,US,\n\
linus@example.com,Linus,12345,FI,\n\
ADA@example.com,Ada,,GB,newsletter\n\
margaret@example.com,Margaret,,US,\n\
,,,,\n\
alan@example.com,Alan,,Narnia,\n";

#[tokio::test]
async fn the_import_wizard_lists_bad_rows_and_imports_the_rest() {
    App::with("import", |app| async move {
        let csv = app.dir.path().join("people.csv");
        std::fs::write(&csv, FILE).unwrap();

        app.click("onboarding-import").await;
        let input = app.find("import-file-input").await;
        input
            .send_keys(&csv.to_string_lossy())
            .await
            .expect("choosing the file");
        app.find("import-mapping-table").await;
        app.screenshot("1-mapping").await;

        app.click("import-next").await;
        app.find("bad-rows").await;
        assert_eq!(app.text("dry-imported").await, "3");
        assert_eq!(app.text("dry-skipped").await, "3");
        assert_eq!(app.all("bad-row").await.len(), 3);
        app.screenshot("2-check").await;

        app.click("import-run").await;
        app.find("import-summary").await;
        assert_eq!(app.text("summary-imported").await, "3");
        assert_eq!(app.text("summary-skipped").await, "3");
        assert_eq!(app.text("summary-duplicates").await, "1");
        app.screenshot("3-summary").await;

        let store = open_store(&app.db()).await;
        assert_eq!(herald_store::contacts::count(&store).await.unwrap(), 3);
    })
    .await;
}
