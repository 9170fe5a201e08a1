//! The SMS settings in a real workspace file, with the provider secrets in
//! a memory keychain: the round trip, secrets never in the file, a blank
//! secret keeping the stored one, and errors that name their field and
//! write nothing.

use std::sync::Arc;

use herald_send::secrets::{MemorySecrets, SecretName, Secrets};
use herald_send::sms::settings::{
    self, default_rate, ProviderKind, SecretChanges, SecretsPresent, SenderKind, SendingHours,
    SettingsError, SmsSettings, SmsSettingsInput, VonageApi,
};
use rsa::pkcs8::{EncodePrivateKey as _, LineEnding};

use crate::helpers::Workspace;
use crate::sms_stand_in::{ACCOUNT_SID, AUTH_TOKEN, FROM, VONAGE_KEY, VONAGE_SECRET};

fn twilio() -> SmsSettingsInput {
    SmsSettingsInput {
        provider: ProviderKind::Twilio,
        twilio_account_sid: ACCOUNT_SID.into(),
        twilio_from: FROM.into(),
        ..SmsSettingsInput::for_workspace("Herald Shop")
    }
}

fn token(value: &str) -> SecretChanges {
    SecretChanges {
        twilio_auth_token: Some(value.into()),
        ..SecretChanges::default()
    }
}

fn field_of(error: &SettingsError) -> &'static str {
    match error {
        SettingsError::Invalid { field, .. } | SettingsError::NotReady { field, .. } => field,
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[tokio::test]
async fn settings_round_trip_and_the_secret_lands_in_the_keychain_only() {
    let ws = Workspace::new().await;
    let secrets = Arc::new(MemorySecrets::default());
    let input = SmsSettingsInput {
        twilio_from: format!("  {FROM} "),
        messages_per_second: Some(2.5),
        sending_hours: Some(SendingHours::parse("09:30", "20:00").unwrap()),
        ..twilio()
    };

    let saved = settings::save(&ws.store, secrets.clone(), &input, token(AUTH_TOKEN))
        .await
        .unwrap();

    let loaded = settings::load(&ws.store).await.unwrap().expect("saved");
    assert_eq!(loaded, saved);
    assert_eq!(loaded.to_input().twilio_from, FROM, "stored trimmed");
    assert_eq!(loaded.sender(), FROM);
    assert_eq!(loaded.messages_per_second(), 2.5);
    assert_eq!(
        loaded.sending_hours(),
        Some(&SendingHours::parse("09:30", "20:00").unwrap())
    );
    assert_eq!(
        loaded.help_text(),
        "Herald Shop: marketing messages. Reply STOP to opt out."
    );
    assert_eq!(
        secrets
            .get(SecretName::TwilioAuthToken)
            .unwrap()
            .unwrap()
            .expose(),
        AUTH_TOKEN
    );
    assert_eq!(
        settings::secrets_present(secrets.clone()).await.unwrap(),
        SecretsPresent {
            twilio_auth_token: true,
            ..SecretsPresent::default()
        }
    );

    let bytes = closed_workspace_bytes(ws).await;
    let has = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(has(ACCOUNT_SID), "the scan reads the settings it should");
    assert!(
        !has(AUTH_TOKEN),
        "the auth token was written to the workspace file"
    );
}

/// The workspace file and its WAL, after closing the store.
async fn closed_workspace_bytes(ws: Workspace) -> Vec<u8> {
    let file = ws.file();
    ws.store.clone().close().await;
    let mut bytes = std::fs::read(&file).unwrap();
    for suffix in ["-wal", "-shm"] {
        let mut side = file.clone().into_os_string();
        side.push(suffix);
        if let Ok(more) = std::fs::read(&side) {
            bytes.extend(more);
        }
    }
    bytes
}

#[tokio::test]
async fn a_blank_secret_keeps_the_stored_one() {
    let ws = Workspace::new().await;
    let secrets = Arc::new(MemorySecrets::default());
    settings::save(&ws.store, secrets.clone(), &twilio(), token(AUTH_TOKEN))
        .await
        .unwrap();
    settings::save(&ws.store, secrets.clone(), &twilio(), token("   "))
        .await
        .unwrap();
    settings::save(
        &ws.store,
        secrets.clone(),
        &twilio(),
        SecretChanges::default(),
    )
    .await
    .unwrap();
    assert_eq!(
        secrets
            .get(SecretName::TwilioAuthToken)
            .unwrap()
            .unwrap()
            .expose(),
        AUTH_TOKEN
    );
    let loaded = settings::load(&ws.store).await.unwrap().unwrap();
    let keys = settings::provider_secrets(secrets, &loaded).await.unwrap();
    assert!(!format!("{keys:?}").contains(AUTH_TOKEN));
}

#[tokio::test]
async fn a_wrong_field_is_named_and_nothing_is_written() {
    let ws = Workspace::new().await;
    let secrets = Arc::new(MemorySecrets::default());
    let cases = [
        (
            SmsSettingsInput {
                twilio_account_sid: "AC123".into(),
                ..twilio()
            },
            "twilio_account_sid",
        ),
        (
            SmsSettingsInput {
                twilio_from: String::new(),
                ..twilio()
            },
            "twilio_from",
        ),
        (
            SmsSettingsInput {
                twilio_from: "12".into(),
                ..twilio()
            },
            "twilio_from",
        ),
        (
            SmsSettingsInput {
                twilio_base_url: "http://stand-in.example.com".into(),
                ..twilio()
            },
            "twilio_base_url",
        ),
        (
            SmsSettingsInput {
                messages_per_second: Some(101.0),
                ..twilio()
            },
            "messages_per_second",
        ),
        (
            SmsSettingsInput {
                opt_out_text: "Reply NO to leave the list".into(),
                ..twilio()
            },
            "opt_out_text",
        ),
        (
            SmsSettingsInput {
                sending_hours: Some(
                    SendingHours::parse("09:00", "10:00")
                        .map(|h| SendingHours {
                            from: h.until,
                            until: h.from,
                        })
                        .unwrap(),
                ),
                ..twilio()
            },
            "sending_hours",
        ),
        (
            SmsSettingsInput {
                timeout_seconds: 0,
                ..twilio()
            },
            "timeout_seconds",
        ),
        (
            SmsSettingsInput {
                provider: ProviderKind::Vonage,
                vonage_api_key: VONAGE_KEY.into(),
                vonage_from: "HeraldShop".into(),
                sender_kind: SenderKind::LongCode,
                ..twilio()
            },
            "sender_kind",
        ),
        (
            SmsSettingsInput {
                provider: ProviderKind::Vonage,
                vonage_api_key: VONAGE_KEY.into(),
                vonage_from: "HeraldShop".into(),
                sender_kind: SenderKind::Alphanumeric,
                messages_per_second: Some(31.0),
                ..twilio()
            },
            "messages_per_second",
        ),
    ];
    for (input, field) in cases {
        let error = settings::save(&ws.store, secrets.clone(), &input, token(AUTH_TOKEN))
            .await
            .unwrap_err();
        assert_eq!(field_of(&error), field, "{error}");
        assert!(
            error.to_string().starts_with(&format!("{field}: ")),
            "{error}"
        );
    }
    let not_a_key = SecretChanges {
        vonage_private_key: Some("-----BEGIN PRIVATE KEY-----\nnope\n".into()),
        ..token(AUTH_TOKEN)
    };
    let error = settings::save(&ws.store, secrets.clone(), &twilio(), not_a_key)
        .await
        .unwrap_err();
    assert_eq!(field_of(&error), "vonage_private_key");

    assert!(settings::load(&ws.store).await.unwrap().is_none());
    assert_eq!(secrets.get(SecretName::TwilioAuthToken).unwrap(), None);
}

#[tokio::test]
async fn vonage_with_an_application_needs_both_its_secrets() {
    let ws = Workspace::new().await;
    let secrets: Arc<dyn Secrets> = Arc::new(MemorySecrets::default());
    let input = SmsSettingsInput {
        provider: ProviderKind::Vonage,
        vonage_api: VonageApi::Messages,
        vonage_api_key: VONAGE_KEY.into(),
        vonage_application_id: "aaaaaaaa-bbbb-cccc-dddd-0123456789ab".into(),
        vonage_from: "Herald".into(),
        sender_kind: SenderKind::Alphanumeric,
        ..SmsSettingsInput::default()
    };
    let saved = settings::save(
        &ws.store,
        secrets.clone(),
        &input,
        SecretChanges {
            vonage_api_secret: Some(VONAGE_SECRET.into()),
            ..SecretChanges::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(saved.sender(), "Herald");
    assert_eq!(saved.messages_per_second(), 10.0);
    let error = settings::provider_secrets(secrets.clone(), &saved)
        .await
        .unwrap_err();
    assert_eq!(field_of(&error), "vonage_private_key");
    assert!(error.to_string().contains("Settings → SMS"), "{error}");

    let key = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
    let pem = key.to_pkcs8_pem(LineEnding::LF).unwrap().to_string();
    let changes = SecretChanges {
        vonage_private_key: Some(pem.clone()),
        ..SecretChanges::default()
    };
    assert!(!format!("{changes:?}").contains("PRIVATE KEY"));
    settings::save(&ws.store, secrets.clone(), &input, changes)
        .await
        .unwrap();
    settings::provider_secrets(secrets.clone(), &saved)
        .await
        .expect("both secrets stored");
    assert_eq!(
        settings::secrets_present(secrets).await.unwrap(),
        SecretsPresent {
            twilio_auth_token: false,
            vonage_api_secret: true,
            vonage_private_key: true,
        }
    );
    let key_line = pem.lines().nth(1).expect("a PEM body line").to_owned();
    let bytes = closed_workspace_bytes(ws).await;
    let has = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(has(VONAGE_KEY), "the scan reads the settings it should");
    assert!(
        !has(VONAGE_SECRET) && !has(&key_line),
        "a Vonage secret is in the file"
    );
}

#[test]
fn the_default_rate_follows_the_sender_kind_and_vonage_caps_it() {
    assert_eq!(
        default_rate(ProviderKind::Twilio, SenderKind::LongCode),
        1.0
    );
    assert_eq!(
        default_rate(ProviderKind::Twilio, SenderKind::TollFree),
        3.0
    );
    assert_eq!(
        default_rate(ProviderKind::Twilio, SenderKind::ShortCode),
        30.0
    );
    assert_eq!(
        default_rate(ProviderKind::Vonage, SenderKind::Alphanumeric),
        10.0
    );
    assert!(default_rate(ProviderKind::Vonage, SenderKind::ShortCode) <= 30.0);
    let input = SmsSettingsInput {
        sender_kind: SenderKind::TollFree,
        ..twilio()
    };
    assert_eq!(
        SmsSettings::parse(&input).unwrap().messages_per_second(),
        3.0
    );
}

#[test]
fn the_stored_form_is_plain_snake_case_json() {
    let stored = serde_json::to_value(twilio()).unwrap();
    assert_eq!(stored["provider"], "twilio");
    assert_eq!(stored["vonage_api"], "messages");
    assert_eq!(stored["sender_kind"], "long_code");
    assert_eq!(
        stored["sending_hours"],
        serde_json::json!({"from": "08:00", "until": "21:00"})
    );
    let partial: SmsSettingsInput =
        serde_json::from_value(serde_json::json!({"provider": "vonage"})).unwrap();
    assert_eq!(partial.opt_out_text, "Reply STOP to opt out");
    assert_eq!(partial.timeout_seconds, 30);
}
