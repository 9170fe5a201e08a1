//! Settings: merging, defaults, and errors that name the key.

use super::*;

const KEY: &str = "3:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
const TOKEN: &str = "0123456789abcdef0123456789abcdef";

fn minimal() -> Options {
    Options {
        public_url: Some("https://relay.example.com/".into()),
        api_token: Some(Secret::new(TOKEN)),
        signing_key: Some(Secret::new(KEY)),
        workspace_name: Some("Acme Garden".into()),
        ..Options::default()
    }
}

#[test]
fn a_minimal_configuration_gets_the_documented_defaults() {
    let s = Settings::resolve(minimal(), FileConfig::default()).unwrap();
    assert_eq!(s.public_url, "https://relay.example.com");
    assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
    assert_eq!(s.database_url.expose(), "herald-relay.sqlite3");
    assert_eq!(s.retention, Duration::from_secs(7 * 86_400));
    assert_eq!(s.keys.current.id(), 3);
    assert!(s.keys.previous.is_none());
    assert_eq!(s.webhooks.generic_keys.len(), 1);
    assert_eq!(s.rate_limit.per_second, 50.0);
}

#[test]
fn flags_and_env_override_the_file() {
    let file: FileConfig = toml::from_str(
        r#"
        bind = "0.0.0.0:9000"
        workspace_name = "From the file"
        trusted_proxies = ["10.0.0.0/8"]
        retention_days = 30
        [postmark]
        username = "pm"
        password = "secret-pw"
        [ses]
        topic_arns = ["arn:aws:sns:eu-west-1:123456789012:herald"]
        [tuning]
        group_commit_wait_micros = 2000
        "#,
    )
    .unwrap();
    let s = Settings::resolve(minimal(), file).unwrap();
    assert_eq!(s.bind.to_string(), "0.0.0.0:9000");
    assert_eq!(s.workspace_name, "Acme Garden");
    assert_eq!(s.trusted_proxies.len(), 1);
    assert_eq!(s.retention, Duration::from_secs(30 * 86_400));
    assert_eq!(
        s.webhooks.postmark_basic,
        Some(("pm".into(), "secret-pw".into()))
    );
    assert_eq!(s.webhooks.ses_topic_arns.len(), 1);
    assert_eq!(s.store.max_wait, Duration::from_millis(2));
}

#[test]
fn errors_name_the_key_and_the_variable() {
    type Change = Box<dyn Fn(&mut Options)>;
    let cases: Vec<(Change, &str)> = vec![
        (
            Box::new(|o| o.public_url = None),
            "public_url (HERALD_RELAY_PUBLIC_URL)",
        ),
        (
            Box::new(|o| o.public_url = Some("relay.example.com".into())),
            "public_url",
        ),
        (
            Box::new(|o| o.api_token = Some(Secret::new("short"))),
            "api_token (HERALD_RELAY_API_TOKEN)",
        ),
        (
            Box::new(|o| o.signing_key = Some(Secret::new("3:abc"))),
            "signing_key (HERALD_RELAY_SIGNING_KEY)",
        ),
        (
            Box::new(|o| o.previous_signing_key = Some(Secret::new(KEY))),
            "previous_signing_key",
        ),
        (
            Box::new(|o| o.workspace_name = Some("  ".into())),
            "workspace_name",
        ),
        (
            Box::new(|o| o.bind = Some("port 80".into())),
            "bind (HERALD_RELAY_BIND)",
        ),
        (
            Box::new(|o| o.trusted_proxies = Some(vec!["10.0.0.0/99".into()])),
            "trusted_proxies",
        ),
        (
            Box::new(|o| o.postmark_username = Some("u".into())),
            "postmark.password",
        ),
        (
            Box::new(|o| o.rate_limit_per_second = Some(-1.0)),
            "rate_limit_per_second",
        ),
    ];
    for (change, key) in cases {
        let mut options = minimal();
        change(&mut options);
        let error = Settings::resolve(options, FileConfig::default()).unwrap_err();
        assert!(error.key.starts_with(key), "{error} should name {key}");
    }
}

#[test]
fn unknown_file_keys_are_refused() {
    let error = toml::from_str::<FileConfig>("api_tokn = \"x\"").unwrap_err();
    assert!(error.to_string().contains("api_tokn"), "{error}");
}

#[test]
fn debug_output_carries_no_secret() {
    let mut options = minimal();
    options.mailgun_signing_key = Some(Secret::new("mailgun-signing-secret"));
    options.database_url = Some(Secret::new("postgres://relay:pg-password@db/relay"));
    let s = Settings::resolve(options, FileConfig::default()).unwrap();
    let debug = format!("{s:?}");
    for secret in [TOKEN, "AAECAwQF", "mailgun-signing-secret", "pg-password"] {
        assert!(!debug.contains(secret), "{secret} leaked into {debug}");
    }
}
