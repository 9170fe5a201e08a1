//! The command-line flags; each also reads its `HERALD_RELAY_*` variable.
//! Flags and variables override the TOML file.

use std::path::PathBuf;

use clap::Args;

use super::Secret;

/// Settings given on the command line or in the environment. Secrets are
/// best given in the environment or the file: a command line is visible to
/// every user of the machine.
#[derive(Debug, Default, Clone, Args)]
pub struct Options {
    /// TOML configuration file. Flags and environment variables override it.
    #[arg(long, env = "HERALD_RELAY_CONFIG", value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,

    /// Address to listen on [default: 127.0.0.1:8080]. Behind a reverse
    /// proxy keep it on loopback; in a container use 0.0.0.0:8080.
    #[arg(long, env = "HERALD_RELAY_BIND", value_name = "ADDR")]
    pub bind: Option<String>,

    /// The relay's public base URL, e.g. https://relay.example.com. Webhook
    /// signatures (Twilio) are checked against it, never against the Host header.
    #[arg(long, env = "HERALD_RELAY_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,

    /// Where events are stored: a SQLite file path (or sqlite:// URL), or
    /// postgres://user:pass@host/db to share one store between instances
    /// [default: herald-relay.sqlite3].
    #[arg(
        long,
        env = "HERALD_RELAY_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database_url: Option<Secret>,

    /// Bearer token the desktop uses to pull events (at least 32 characters;
    /// Settings -> Relay -> Generate keys makes one).
    #[arg(
        long,
        env = "HERALD_RELAY_API_TOKEN",
        value_name = "SECRET",
        hide_env_values = true
    )]
    pub api_token: Option<Secret>,

    /// The workspace signing key, `<id>:<base64url>`, as the desktop shows it.
    #[arg(
        long,
        env = "HERALD_RELAY_SIGNING_KEY",
        value_name = "KEY",
        hide_env_values = true
    )]
    pub signing_key: Option<Secret>,

    /// The key before the current one, still accepted during a rotation.
    #[arg(
        long,
        env = "HERALD_RELAY_PREVIOUS_SIGNING_KEY",
        value_name = "KEY",
        hide_env_values = true
    )]
    pub previous_signing_key: Option<Secret>,

    /// The sender's name shown on the unsubscribe page.
    #[arg(long, env = "HERALD_RELAY_WORKSPACE_NAME", value_name = "NAME")]
    pub workspace_name: Option<String>,

    /// Reverse proxies whose X-Forwarded-For is believed, comma-separated
    /// addresses or CIDR ranges (e.g. 127.0.0.1,10.0.0.0/8) [default: none].
    #[arg(
        long,
        env = "HERALD_RELAY_TRUSTED_PROXIES",
        value_name = "LIST",
        value_delimiter = ','
    )]
    pub trusted_proxies: Option<Vec<String>>,

    /// Days to keep events after the desktop acknowledged them [default: 7].
    #[arg(long, env = "HERALD_RELAY_RETENTION_DAYS", value_name = "DAYS")]
    pub retention_days: Option<u32>,

    /// Requests per second each client address may make to the public
    /// routes; 0 turns the limit off [default: 50].
    #[arg(long, env = "HERALD_RELAY_RATE_LIMIT_PER_SECOND", value_name = "N")]
    pub rate_limit_per_second: Option<f64>,

    /// Burst allowance per client address [default: 200].
    #[arg(long, env = "HERALD_RELAY_RATE_LIMIT_BURST", value_name = "N")]
    pub rate_limit_burst: Option<u32>,

    /// Twilio: the account's auth token (status callbacks, inbound SMS).
    #[arg(
        long,
        env = "HERALD_RELAY_TWILIO_AUTH_TOKEN",
        value_name = "SECRET",
        hide_env_values = true
    )]
    pub twilio_auth_token: Option<Secret>,

    /// Vonage: the signature secret of signed webhooks.
    #[arg(
        long,
        env = "HERALD_RELAY_VONAGE_SIGNATURE_SECRET",
        value_name = "SECRET",
        hide_env_values = true
    )]
    pub vonage_signature_secret: Option<Secret>,

    /// Amazon SES via SNS: the topic ARNs to accept, comma-separated.
    #[arg(
        long,
        env = "HERALD_RELAY_SES_TOPIC_ARNS",
        value_name = "LIST",
        value_delimiter = ','
    )]
    pub ses_topic_arns: Option<Vec<String>>,

    /// Postmark: the Basic auth username put in the webhook URL.
    #[arg(long, env = "HERALD_RELAY_POSTMARK_USERNAME", value_name = "NAME")]
    pub postmark_username: Option<String>,

    /// Postmark: the Basic auth password put in the webhook URL.
    #[arg(
        long,
        env = "HERALD_RELAY_POSTMARK_PASSWORD",
        value_name = "SECRET",
        hide_env_values = true
    )]
    pub postmark_password: Option<Secret>,

    /// SendGrid: the Event Webhook verification key (base64 or PEM).
    #[arg(long, env = "HERALD_RELAY_SENDGRID_PUBLIC_KEY", value_name = "KEY")]
    pub sendgrid_public_key: Option<String>,

    /// Mailgun: the HTTP webhook signing key.
    #[arg(
        long,
        env = "HERALD_RELAY_MAILGUN_SIGNING_KEY",
        value_name = "SECRET",
        hide_env_values = true
    )]
    pub mailgun_signing_key: Option<Secret>,
}
