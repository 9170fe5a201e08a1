//! Settings → Relay against a real `herald-relay` process on a loopback
//! port: keys generated in the app and read off its shown-once dialog, the
//! relay restarted with them, a one-click unsubscribe on the relay's public
//! route, "Sync now", and the contact's status and consent ledger on screen.

use std::process::Command;

use herald_core::token::{sign, Claims, SigningKey, TokenKind};
use herald_core::{Channel, EmailStatus};
use herald_store::contacts::{self, ListQuery};
use herald_store::{consent_events, relay_events, settings};
use uuid::Uuid;

use crate::harness::{free_port, http, open_store, App, RelayProcess};

/// A mail client's RFC 8058 one-click unsubscribe, signed as a sent
/// campaign's link would be.
async fn one_click_unsubscribe(relay: &str, signing_key: &str, contact: Uuid) {
    let key = SigningKey::parse(signing_key).expect("the key shown in the app parses");
    let claims = Claims {
        kind: TokenKind::Unsubscribe,
        campaign: Uuid::now_v7(),
        recipient: contact,
        channel: Channel::Email,
        url: None,
    };
    let token = sign(&key, &claims).expect("signing an unsubscribe token");
    let response = http()
        .post(format!("{relay}/u/{token}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("user-agent", "Herald e2e mail client")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("posting the unsubscribe");
    assert_eq!(response.status(), 200, "the relay refused the unsubscribe");
}

/// What the keychain holds for this workspace, read with libsecret's own tool.
fn keychain_entry(workspace_id: &str, name: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", "herald", "username"])
        .arg(format!("{workspace_id}/{name}"))
        .output()
        .expect("running secret-tool (apt package libsecret-tools)");
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

#[tokio::test]
async fn keys_made_in_the_app_let_a_real_relay_unsubscribe_a_contact_on_sync() {
    App::with("relay", |app| async move {
        app.click("onboarding-demo").await;
        app.until("demo contacts in the table", || async {
            !app.all("contact-row").await.is_empty()
        })
        .await;
        let store = open_store(&app.db()).await;
        let listed = contacts::list(
            &store,
            &ListQuery {
                limit: 100,
                ..ListQuery::default()
            },
        )
        .await
        .unwrap();
        let ada = listed
            .iter()
            .find(|c| c.email.is_some() && c.email_status == EmailStatus::Subscribed)
            .expect("a subscribed contact with an email address");
        let contact = ada.id.as_uuid();

        // A relay that runs with other keys than the app's, for now.
        let port = free_port();
        let relay_db = app.dir.path().join("relay.sqlite3");
        let stranger = SigningKey::new(1, [7; 32]).unwrap().to_config_string();
        let relay = RelayProcess::start(port, &stranger, &"x".repeat(43), &relay_db).await;

        app.click("nav-settings").await;
        app.find("relay-section").await;
        app.scroll_to("relay-section").await;
        assert_eq!(app.content("relay-health").await, "Not set up");
        app.screenshot("1-relay-empty").await;

        app.type_into("relay-url", &relay.url()).await;
        app.click("relay-url-save").await;
        app.until("the relay URL saved", || async {
            herald_store::relay_sync::url(&store).await.ok().flatten() == Some(relay.url())
        })
        .await;

        app.click("relay-generate").await;
        app.find("relay-keys-modal").await;
        let signing_key = app.nonempty_text("relay-keys-signing-key").await;
        let api_token = app.nonempty_text("relay-keys-api-token").await;
        assert!(
            signing_key.starts_with("1:"),
            "signing key shown: {signing_key}"
        );
        assert_eq!(api_token.len(), 43, "API token shown: {api_token}");
        let env = app.content("relay-keys-env").await;
        assert!(
            env.contains(&format!("HERALD_RELAY_API_TOKEN={api_token}")),
            "{env}"
        );
        // The copy buttons are covered by the UI's component tests: under
        // Xvfb the clipboard answers too unreliably for an end-to-end check.
        app.screenshot("2-relay-keys").await;

        // The keys are in the real keychain, and nowhere in the workspace file.
        let workspace_id = settings::workspace_id(&store).await.unwrap();
        assert_eq!(
            keychain_entry(&workspace_id, "relay-api-token").as_deref(),
            Some(api_token.as_str())
        );
        assert_eq!(
            keychain_entry(&workspace_id, "relay-signing-key").as_deref(),
            Some(signing_key.as_str())
        );
        let file = std::fs::read(app.db()).unwrap();
        for secret in [&signing_key, &api_token] {
            assert!(
                !file.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "a relay secret is in the workspace file"
            );
        }

        app.click("relay-keys-done").await;
        app.until("the keys gone from the page", || async {
            !app.exists("relay-keys-signing-key").await && !app.exists("relay-keys-api-token").await
        })
        .await;
        assert!(app
            .text("relay-keys-status")
            .await
            .contains("Signing key 1 and the API token are in this computer's keychain"));

        // The relay still has the other keys: the app says it refuses the token.
        app.click("relay-test").await;
        app.until("the connection test to fail", || async {
            app.exists("relay-outcome").await
        })
        .await;
        let refused = app.content("relay-outcome").await;
        assert!(
            refused.contains("refused this computer's API token"),
            "test result: {refused}"
        );

        // Restart the relay with the keys from the app, as a person would.
        relay.stop();
        let relay = RelayProcess::start(port, &signing_key, &api_token, &relay_db).await;
        app.click("relay-test").await;
        app.until("the connection test to pass", || async {
            app.content("relay-outcome").await.starts_with("Connected")
        })
        .await;

        // The demo data's own history is in the store already.
        let before = relay_events::count(&store).await.unwrap();
        one_click_unsubscribe(&relay.url(), &signing_key, contact).await;
        app.click("relay-sync-now").await;
        app.until("the sync to finish", || async {
            app.content("relay-outcome").await.starts_with("Synced")
        })
        .await;
        // Grouped or not as the webview's locale writes numbers.
        let applied = format!("{} events applied in all", before + 1);
        app.until("the status to show the applied event", || async {
            app.content("relay-sync-status")
                .await
                .replace(',', "")
                .contains(&applied)
        })
        .await;
        let status = app.content("relay-sync-status").await;
        assert!(status.contains("Last synced just now"), "status: {status}");
        assert_eq!(app.content("relay-health").await, "Connected");
        app.scroll_to("relay-section").await;
        app.screenshot("3-relay-synced").await;

        assert_eq!(relay_events::count(&store).await.unwrap(), before + 1);
        let ledger = consent_events::for_contact(&store, ada.id).await.unwrap();
        let from_relay: Vec<_> = ledger.iter().filter(|r| r.source == "relay").collect();
        assert_eq!(
            from_relay.len(),
            1,
            "one consent row from the relay: {ledger:?}"
        );
        let row = from_relay[0];
        assert_eq!(
            (row.action.as_str(), row.status.as_str()),
            ("withdrawn", "unsubscribed")
        );
        assert_eq!(row.user_agent.as_deref(), Some("Herald e2e mail client"));

        // And on the contact's page.
        app.go(&format!("/contacts/{contact}")).await;
        app.until("the contact shows as unsubscribed", || async {
            app.content("consent-email").await.contains("Unsubscribed")
        })
        .await;
        let ledger = app.content("ledger-email").await;
        assert!(ledger.contains("relay"), "consent history: {ledger}");
        app.screenshot("4-contact-unsubscribed").await;
        relay.stop();
    })
    .await;
}
