use crate::harness::App;

#[tokio::test]
async fn first_launch_offers_demo_data_and_the_contacts_table_shows_it() {
    App::with("onboarding", |app| async move {
        app.find("onboarding").await;
        app.screenshot("1-onboarding").await;

        app.click("onboarding-demo").await;
        app.until("demo contacts in the table", || async {
            !app.all("contact-row").await.is_empty()
        })
        .await;
        let total = app.text("contacts-total").await;
        assert!(total.contains("500"), "total shown: {total}");
        app.screenshot("2-contacts").await;

        let store = crate::harness::open_store(&app.db()).await;
        assert_eq!(herald_store::contacts::count(&store).await.unwrap(), 500);

        app.click("nav-dashboard").await;
        app.find("dashboard-import").await;
        app.screenshot("3-dashboard").await;
    })
    .await;
}
