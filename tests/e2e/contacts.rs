use fantoccini::key::Key;
use herald_store::contacts::{self, ListQuery};

use crate::harness::{open_store, App};

async fn load_demo(app: &App) {
    app.click("onboarding-demo").await;
    app.until("demo contacts in the table", || async {
        !app.all("contact-row").await.is_empty()
    })
    .await;
}

#[tokio::test]
async fn searching_narrows_the_table_to_the_matching_contact() {
    App::with("search", |app| async move {
        load_demo(&app).await;
        let store = open_store(&app.db()).await;
        let page = contacts::list(
            &store,
            &ListQuery {
                limit: 50,
                ..ListQuery::default()
            },
        )
        .await
        .unwrap();
        let target = page
            .iter()
            .find(|c| c.email.is_some())
            .expect("a contact with email");
        let email = target.email.as_ref().unwrap().to_string();

        app.type_into("contacts-search", &email).await;
        app.until("only the searched contact is listed", || async {
            let rows = app.all("contact-row").await;
            if rows.len() != 1 {
                return false;
            }
            rows[0]
                .text()
                .await
                .map(|t| t.contains(&email))
                .unwrap_or(false)
        })
        .await;
        let total = app.text("contacts-total").await;
        assert!(total.starts_with("1 "), "total shown: {total}");
        app.screenshot("search").await;
    })
    .await;
}

#[tokio::test]
async fn editing_a_contact_with_an_invalid_phone_explains_it_and_saves_nothing() {
    App::with("edit-invalid-phone", |app| async move {
        load_demo(&app).await;
        let store = open_store(&app.db()).await;
        app.all("contact-row").await[0]
            .click()
            .await
            .expect("open the first contact");
        app.find("contact-edit").await.click().await.expect("edit");
        app.find("contact-form").await;
        let before = app
            .find("field-email")
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default();
        let stored_before = contacts::list(
            &store,
            &ListQuery {
                limit: 1000,
                ..ListQuery::default()
            },
        )
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.email.as_ref().map(|e| e.to_string()) == Some(before.clone()))
        .expect("the edited contact is stored");

        app.type_into("field-phone", "12345").await;
        // Leaving the field checks it with the backend's own parser.
        app.find("field-phone")
            .await
            .send_keys(&Key::Tab.to_string())
            .await
            .unwrap();
        let error = app.nonempty_text("error-phone").await;
        assert!(error.contains("\"12345\""), "phone error: {error}");
        app.screenshot("invalid-phone").await;

        app.click("contact-save").await;
        app.find("error-phone").await;
        let stored_after = contacts::get(&store, stored_before.id).await.unwrap();
        assert_eq!(stored_after.phone, stored_before.phone);
        assert_eq!(stored_after.updated_at, stored_before.updated_at);
    })
    .await;
}
