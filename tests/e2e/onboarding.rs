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

        // Settings: rename the workspace and pick a time zone; both are saved.
        app.click("nav-settings").await;
        app.type_into("settings-name", "Northwind Marketing").await;
        let zone = app.find("settings-time-zone").await;
        zone.click().await.expect("opening the time zones");
        // Replace the shown zone with a search, as a person would.
        let select_all = format!("{}a", char::from(fantoccini::key::Key::Control));
        zone.send_keys(&select_all)
            .await
            .expect("selecting the zone text");
        zone.send_keys("Berlin")
            .await
            .expect("searching the time zones");
        app.client
            .wait()
            .at_most(crate::harness::PATIENCE)
            .for_element(fantoccini::Locator::XPath(
                "//*[@role='option'][starts-with(normalize-space(.), 'Europe/Berlin')]",
            ))
            .await
            .expect("Europe/Berlin offered")
            .click()
            .await
            .expect("choosing Europe/Berlin");
        app.screenshot("4-settings").await;
        app.click("settings-save").await;
        app.until("the settings saved", || async {
            herald_store::settings::load(&store)
                .await
                .is_ok_and(|s| s.name == "Northwind Marketing")
        })
        .await;
        app.screenshot("5-settings-saved").await;
        let saved = herald_store::settings::load(&store).await.unwrap();
        assert_eq!(saved.name, "Northwind Marketing");
        assert_eq!(saved.time_zone.name(), "Europe/Berlin");
    })
    .await;
}
