//! After keys were made, stored, used for syncs (one refused), and the
//! workspace closed: the workspace file holds no key and no token.

use std::sync::Arc;

use herald_core::Channel;
use herald_send::keys::{self, RelayKeys};
use herald_send::relay::RelayClient;
use herald_send::secrets::{Keychain, MemorySecrets, Secret, SecretName, Secrets};
use herald_send::sync;
use herald_store::relay_sync;

use crate::helpers::*;
use crate::keychain::keyring_available;

/// The strings that must not be anywhere: each key whole and its secret
/// part alone, and the token.
fn needles(created: &RelayKeys) -> Vec<String> {
    let key = created.signing_key.expose();
    let secret_part = key.split_once(':').expect("id:secret").1;
    vec![
        key.to_owned(),
        secret_part.to_owned(),
        created.api_token.expose().to_owned(),
    ]
}

#[tokio::test]
async fn the_workspace_file_never_holds_a_key_or_the_token() {
    let ws = Workspace::new().await;
    // The real keychain when there is one; the scan is about the file.
    let secrets: Arc<dyn Secrets> = if keyring_available() {
        Arc::new(Keychain::for_workspace(&ws.store).await.unwrap())
    } else {
        Arc::new(MemorySecrets::default())
    };
    keys::create(secrets.as_ref()).unwrap();
    let created = keys::rotate(secrets.as_ref()).unwrap();
    let relay = Relay::start(&created).await;
    relay_sync::set_url(&ws.store, relay.url.as_str())
        .await
        .unwrap();
    let ada = ws.contact(Some("ada@example.com"), None).await;
    relay
        .unsubscribe(uuid::Uuid::now_v7(), ada.id, Channel::Email)
        .await;

    let client = sync::connect(&ws.store, secrets.clone()).await.unwrap();
    let outcome = sync::sync_once(&ws.store, &client).await.unwrap();
    assert_eq!(outcome.report.unsubscribed, 1);
    // A refused token is recorded as the last error: by message, not value.
    let wrong = RelayClient::new(
        &relay.url,
        Secret::new(format!("{}x", created.api_token.expose())),
    )
    .unwrap();
    sync::sync_once(&ws.store, &wrong).await.unwrap_err();
    let last_error = relay_sync::load(&ws.store)
        .await
        .unwrap()
        .last_error
        .unwrap();

    let file = ws.file();
    ws.store.clone().close().await;
    let mut bytes = std::fs::read(&file).expect("reading the workspace file");
    for suffix in ["-wal", "-shm"] {
        let mut side = file.clone().into_os_string();
        side.push(suffix);
        if let Ok(more) = std::fs::read(&side) {
            bytes.extend(more);
        }
    }
    assert!(
        bytes.windows(7).any(|w| w == b"ada@exa"),
        "the scan reads the data it should (the contact is in the file)"
    );
    let previous = RelayKeys {
        signing_key: created.previous_signing_key.clone().unwrap(),
        previous_signing_key: None,
        api_token: created.api_token.clone(),
    };
    for needle in needles(&created).iter().chain(&needles(&previous)) {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "a secret was written to the workspace file"
        );
    }
    assert!(!last_error.message.contains(created.api_token.expose()));
    relay.stop().await;
    for name in SecretName::ALL {
        secrets.delete(*name).unwrap();
    }
}
