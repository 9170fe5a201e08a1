//! The TOML configuration file (every key optional; see docs/relay.md).

use serde::Deserialize;

use super::Secret;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub bind: Option<String>,
    pub public_url: Option<String>,
    pub database_url: Option<Secret>,
    pub api_token: Option<Secret>,
    pub signing_key: Option<Secret>,
    pub previous_signing_key: Option<Secret>,
    pub workspace_name: Option<String>,
    pub trusted_proxies: Option<Vec<String>>,
    pub retention_days: Option<u32>,
    pub rate_limit_per_second: Option<f64>,
    pub rate_limit_burst: Option<u32>,
    #[serde(default)]
    pub twilio: TwilioFile,
    #[serde(default)]
    pub vonage: VonageFile,
    #[serde(default)]
    pub ses: SesFile,
    #[serde(default)]
    pub postmark: PostmarkFile,
    #[serde(default)]
    pub sendgrid: SendgridFile,
    #[serde(default)]
    pub mailgun: MailgunFile,
    #[serde(default)]
    pub tuning: TuningFile,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TwilioFile {
    pub auth_token: Option<Secret>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VonageFile {
    pub signature_secret: Option<Secret>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SesFile {
    pub topic_arns: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostmarkFile {
    pub username: Option<String>,
    pub password: Option<Secret>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendgridFile {
    pub public_key: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailgunFile {
    pub signing_key: Option<Secret>,
}

/// Limits and group commit; the defaults are meant to be left alone.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TuningFile {
    pub public_body_limit_bytes: Option<usize>,
    pub webhook_body_limit_bytes: Option<usize>,
    pub header_timeout_secs: Option<u64>,
    pub request_timeout_secs: Option<u64>,
    pub shutdown_grace_secs: Option<u64>,
    pub group_commit_max_batch: Option<usize>,
    pub group_commit_wait_micros: Option<u64>,
}
