//! The checked settings the relay runs with.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use herald_core::token::{KeyRing, SigningKey};

use super::{FileConfig, Options, Secret};
use crate::net::IpNet;
use crate::ratelimit::RateLimit;
use crate::store::StoreOptions;
use crate::webhooks::WebhookConfig;

/// A setting the relay cannot start with: which key, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {problem}")]
pub struct ConfigError {
    /// The TOML key and its environment variable, e.g.
    /// `api_token (HERALD_RELAY_API_TOKEN)`.
    pub key: String,
    pub problem: String,
}

fn err(key: &str, env: &str, problem: impl Into<String>) -> ConfigError {
    let key = if env.is_empty() {
        key.to_owned()
    } else {
        format!("{key} (HERALD_RELAY_{env})")
    };
    ConfigError {
        key,
        problem: problem.into(),
    }
}

/// Request limits and timeouts.
#[derive(Debug, Clone)]
pub struct Limits {
    pub public_body: usize,
    pub webhook_body: usize,
    pub header_timeout: Duration,
    pub request_timeout: Duration,
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            public_body: 4 * 1024,
            webhook_body: 1024 * 1024,
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

/// Everything the relay runs with, checked.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    /// Without a trailing slash.
    pub public_url: String,
    pub database_url: Secret,
    pub api_token: Secret,
    pub keys: KeyRing,
    pub workspace_name: String,
    pub trusted_proxies: Vec<IpNet>,
    pub retention: Duration,
    pub rate_limit: RateLimit,
    pub limits: Limits,
    pub store: StoreOptions,
    pub webhooks: WebhookConfig,
}

impl Settings {
    /// Reads the file named by `--config`/`HERALD_RELAY_CONFIG` (if any) and
    /// merges the options over it.
    pub fn load(options: &Options) -> Result<Settings, ConfigError> {
        let file = match &options.config {
            Some(path) => read_file(path)?,
            None => FileConfig::default(),
        };
        Settings::resolve(options.clone(), file)
    }

    /// Merges flags/env (`options`) over the file and checks every value.
    pub fn resolve(o: Options, f: FileConfig) -> Result<Settings, ConfigError> {
        let bind = o.bind.or(f.bind).unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind = bind.parse().map_err(|_| {
            err(
                "bind",
                "BIND",
                format!("\"{bind}\" is not an address such as 0.0.0.0:8080"),
            )
        })?;
        let public_url = o.public_url.or(f.public_url).ok_or_else(|| {
            err(
                "public_url",
                "PUBLIC_URL",
                "missing: the relay's https:// base URL",
            )
        })?;
        let public_url = check_public_url(&public_url)?;
        let api_token = o
            .api_token
            .or(f.api_token)
            .ok_or_else(|| err("api_token", "API_TOKEN", "missing"))?;
        let token = api_token.expose();
        if token.len() < 32 || !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(err(
                "api_token",
                "API_TOKEN",
                "must be at least 32 printable characters without spaces",
            ));
        }
        let current = o
            .signing_key
            .or(f.signing_key)
            .ok_or_else(|| err("signing_key", "SIGNING_KEY", "missing"))?;
        let current = SigningKey::parse(current.expose())
            .map_err(|e| err("signing_key", "SIGNING_KEY", e.to_string()))?;
        let previous = o
            .previous_signing_key
            .or(f.previous_signing_key)
            .filter(|k| !k.expose().trim().is_empty())
            .map(|k| SigningKey::parse(k.expose()))
            .transpose()
            .map_err(|e| {
                err(
                    "previous_signing_key",
                    "PREVIOUS_SIGNING_KEY",
                    e.to_string(),
                )
            })?;
        if previous.as_ref().is_some_and(|p| p.id() == current.id()) {
            return Err(err(
                "previous_signing_key",
                "PREVIOUS_SIGNING_KEY",
                "has the same key id as signing_key: a rotated key needs a new id",
            ));
        }
        let workspace_name = o
            .workspace_name
            .or(f.workspace_name)
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| {
                err(
                    "workspace_name",
                    "WORKSPACE_NAME",
                    "missing: the name shown on the unsubscribe page",
                )
            })?;
        if workspace_name.chars().count() > 200 {
            return Err(err(
                "workspace_name",
                "WORKSPACE_NAME",
                "longer than 200 characters",
            ));
        }
        let trusted_proxies = o
            .trusted_proxies
            .or(f.trusted_proxies)
            .unwrap_or_default()
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.parse::<IpNet>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| err("trusted_proxies", "TRUSTED_PROXIES", e))?;
        let retention_days = o.retention_days.or(f.retention_days).unwrap_or(7);
        let per_second = o
            .rate_limit_per_second
            .or(f.rate_limit_per_second)
            .unwrap_or(50.0);
        if !per_second.is_finite() || per_second < 0.0 {
            return Err(err(
                "rate_limit_per_second",
                "RATE_LIMIT_PER_SECOND",
                "must be 0 (off) or more",
            ));
        }
        let burst = o.rate_limit_burst.or(f.rate_limit_burst).unwrap_or(200);
        if per_second > 0.0 && burst == 0 {
            return Err(err(
                "rate_limit_burst",
                "RATE_LIMIT_BURST",
                "must be at least 1",
            ));
        }
        let webhooks = WebhookConfig {
            twilio_auth_token: o
                .twilio_auth_token
                .or(f.twilio.auth_token)
                .map(Secret::into_inner),
            vonage_signature_secret: o
                .vonage_signature_secret
                .or(f.vonage.signature_secret)
                .map(Secret::into_inner),
            ses_topic_arns: o.ses_topic_arns.or(f.ses.topic_arns).unwrap_or_default(),
            postmark_basic: postmark(
                o.postmark_username.or(f.postmark.username),
                o.postmark_password.or(f.postmark.password),
            )?,
            sendgrid_public_key: o.sendgrid_public_key.or(f.sendgrid.public_key),
            mailgun_signing_key: o
                .mailgun_signing_key
                .or(f.mailgun.signing_key)
                .map(Secret::into_inner),
            generic_keys: std::iter::once(&current)
                .chain(previous.as_ref())
                .map(|k| *k.secret_bytes())
                .collect(),
        };
        let t = f.tuning;
        let defaults = Limits::default();
        let limits = Limits {
            public_body: t.public_body_limit_bytes.unwrap_or(defaults.public_body),
            webhook_body: t.webhook_body_limit_bytes.unwrap_or(defaults.webhook_body),
            header_timeout: t
                .header_timeout_secs
                .map_or(defaults.header_timeout, Duration::from_secs),
            request_timeout: t
                .request_timeout_secs
                .map_or(defaults.request_timeout, Duration::from_secs),
            shutdown_grace: t
                .shutdown_grace_secs
                .map_or(defaults.shutdown_grace, Duration::from_secs),
        };
        let wait = t.group_commit_wait_micros.unwrap_or(0);
        if wait > 10_000 {
            return Err(err(
                "tuning.group_commit_wait_micros",
                "",
                "at most 10000 (10 ms)",
            ));
        }
        let store = StoreOptions {
            max_batch: t
                .group_commit_max_batch
                .unwrap_or(StoreOptions::default().max_batch)
                .max(1),
            max_wait: Duration::from_micros(wait),
            ..StoreOptions::default()
        };
        Ok(Settings {
            bind,
            public_url,
            database_url: o
                .database_url
                .or(f.database_url)
                .unwrap_or_else(|| Secret::new("herald-relay.sqlite3")),
            api_token,
            keys: KeyRing { current, previous },
            workspace_name,
            trusted_proxies,
            retention: Duration::from_secs(u64::from(retention_days) * 86_400),
            rate_limit: RateLimit { per_second, burst },
            limits,
            store,
            webhooks,
        })
    }
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        err(
            "config",
            "CONFIG",
            format!("cannot read {}: {e}", path.display()),
        )
    })?;
    toml::from_str(&text).map_err(|e| err("config", "CONFIG", format!("{}: {e}", path.display())))
}

fn check_public_url(raw: &str) -> Result<String, ConfigError> {
    let url = raw.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| {
            err(
                "public_url",
                "PUBLIC_URL",
                "must start with https:// (or http:// for local tests)",
            )
        })?;
    if rest.is_empty() || rest.contains(['?', '#', ' ', '\\']) || !url.is_ascii() {
        return Err(err(
            "public_url",
            "PUBLIC_URL",
            "must be a base URL like https://relay.example.com, without query or fragment",
        ));
    }
    Ok(url.to_owned())
}

fn postmark(
    user: Option<String>,
    pass: Option<Secret>,
) -> Result<Option<(String, String)>, ConfigError> {
    match (user, pass) {
        (Some(user), Some(pass)) => Ok(Some((user, pass.expose().to_owned()))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(err(
            "postmark.password",
            "POSTMARK_PASSWORD",
            "missing: set both username and password",
        )),
        (None, Some(_)) => Err(err(
            "postmark.username",
            "POSTMARK_USERNAME",
            "missing: set both username and password",
        )),
    }
}

#[cfg(test)]
#[path = "settings_tests.rs"]
mod tests;
