//! Configuration: refused when it could only accept the wrong callers, and
//! never shown with its secrets.

use herald_relay::webhooks::{ConfigError, WebhookConfig, Webhooks};

use crate::helpers::FakeFetcher;

#[test]
fn an_empty_secret_is_refused_at_start_up() {
    let configs = [
        WebhookConfig {
            twilio_auth_token: Some(String::new()),
            ..WebhookConfig::default()
        },
        WebhookConfig {
            mailgun_signing_key: Some("  ".into()),
            ..WebhookConfig::default()
        },
        WebhookConfig {
            postmark_basic: Some(("herald".into(), String::new())),
            ..WebhookConfig::default()
        },
    ];
    for config in configs {
        let result = Webhooks::new(config, FakeFetcher::serving(&[]));
        assert!(
            matches!(result, Err(ConfigError::EmptySecret(_))),
            "{result:?}"
        );
    }
}

#[test]
fn the_configuration_debug_shows_which_providers_are_set_but_no_secret() {
    let config = WebhookConfig {
        twilio_auth_token: Some("twilio-secret-token".into()),
        postmark_basic: Some(("postmark-user".into(), "postmark-password".into())),
        mailgun_signing_key: Some("mailgun-signing-key".into()),
        generic_keys: vec![[0x41; 32]],
        ..WebhookConfig::default()
    };
    let shown = format!("{config:?}");
    assert!(shown.contains("twilio: true"), "{shown}");
    for secret in [
        "twilio-secret-token",
        "postmark-user",
        "postmark-password",
        "mailgun-signing-key",
        "65, 65",
    ] {
        assert!(!shown.contains(secret), "{shown} shows {secret}");
    }
    let webhooks = Webhooks::new(config, FakeFetcher::serving(&[])).unwrap();
    assert!(!format!("{webhooks:?}").contains("twilio-secret-token"));
}
