//! The OS keychain for real: the Secret Service (gnome-keyring) that
//! scripts/with-services.sh starts in a private D-Bus session. Without it
//! (HERALD_TEST_KEYRING unset) these tests say so and return.

use std::sync::Arc;

use herald_send::keys;
use herald_send::secrets::{Keychain, Secret, SecretName, Secrets};
use herald_send::sync;
use herald_store::relay_sync;

use crate::helpers::*;

/// Whether the real Secret Service is there to test against.
pub fn keyring_available() -> bool {
    if std::env::var("HERALD_TEST_KEYRING").as_deref() == Ok("1") {
        return true;
    }
    println!("skipping: no Secret Service (run under scripts/with-services.sh)");
    false
}

fn clean(keychain: &Keychain) {
    for name in SecretName::ALL {
        keychain.delete(*name).expect("deleting a test secret");
    }
}

#[test]
fn secrets_round_trip_through_the_real_secret_service_per_workspace() {
    if !keyring_available() {
        return;
    }
    let one = Keychain::new(format!("test-{}", uuid::Uuid::now_v7()));
    let two = Keychain::new(format!("test-{}", uuid::Uuid::now_v7()));
    assert_eq!(one.get(SecretName::RelayApiToken).unwrap(), None);
    one.set(
        SecretName::RelayApiToken,
        &Secret::new("first value".into()),
    )
    .unwrap();
    one.set(
        SecretName::RelayApiToken,
        &Secret::new("second value".into()),
    )
    .unwrap();
    assert_eq!(
        one.get(SecretName::RelayApiToken).unwrap(),
        Some(Secret::new("second value".into()))
    );
    assert_eq!(
        two.get(SecretName::RelayApiToken).unwrap(),
        None,
        "workspaces keep apart"
    );
    one.delete(SecretName::RelayApiToken).unwrap();
    one.delete(SecretName::RelayApiToken).unwrap();
    assert_eq!(one.get(SecretName::RelayApiToken).unwrap(), None);
    clean(&one);
    clean(&two);
}

#[tokio::test]
async fn keys_made_into_the_keychain_drive_a_real_sync() {
    if !keyring_available() {
        return;
    }
    let ws = Workspace::new().await;
    let keychain = Keychain::for_workspace(&ws.store).await.unwrap();
    let created = keys::create(&keychain).unwrap();
    let status = keys::status(&keychain).unwrap();
    assert_eq!((status.signing_key_id, status.api_token), (Some(1), true));
    let relay = Relay::start(&created).await;
    relay_sync::set_url(&ws.store, relay.url.as_str())
        .await
        .unwrap();
    let ada = ws.contact(Some("ada@example.com"), None).await;
    relay
        .unsubscribe(uuid::Uuid::now_v7(), ada.id, herald_core::Channel::Email)
        .await;

    let client = sync::connect(&ws.store, Arc::new(keychain.clone()))
        .await
        .unwrap();
    let outcome = sync::sync_once(&ws.store, &client).await.unwrap();
    assert_eq!(outcome.report.unsubscribed, 1);
    relay.stop().await;
    clean(&keychain);
}
