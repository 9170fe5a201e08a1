//! `herald relay`: the relay's URL, its keys in this computer's keychain,
//! what the last sync did, and a connection test. Keys are printed once, by
//! `keys generate`; nothing else ever prints them.

use std::process::ExitCode;
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use herald_send::keys::{self, KeyStatus, RelayKeys};
use herald_send::relay::RelayUrl;
use herald_send::secrets::Keychain;
use herald_send::sync;
use herald_store::{relay_events, relay_sync, Store};
use serde::Serialize;

use crate::cli::{RelayCommand, RelayKeysCommand, RelayStatusArgs};

pub async fn run(store: &Store, command: RelayCommand) -> anyhow::Result<ExitCode> {
    match command {
        RelayCommand::SetUrl { url } => {
            let url = RelayUrl::parse(&url)?;
            relay_sync::set_url(store, url.as_str()).await?;
            println!("The relay is now {url}.");
        }
        RelayCommand::Keys(RelayKeysCommand::Generate(args)) => {
            let keychain = Keychain::for_workspace(store).await?;
            if args.rotate {
                let created = keys::rotate(&keychain)?;
                print_rotated(&created);
            } else {
                let created = keys::create(&keychain)?;
                print_created(&created);
            }
        }
        RelayCommand::Status(args) => status(store, &args).await?,
        RelayCommand::Test => {
            let keychain = Arc::new(Keychain::for_workspace(store).await?);
            let client = sync::connect(store, keychain).await?;
            let waiting = sync::test_connection(store, &client).await?;
            println!(
                "The relay at {} is up and accepts this computer's API token{}.",
                client.url(),
                if waiting {
                    "; new events are waiting (`herald sync`)"
                } else {
                    "; no new events"
                }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_created(created: &RelayKeys) {
    println!(
        "Created signing key {} and an API token, and stored both in this computer's keychain.",
        created.signing_key_id()
    );
    print_lines(created);
}

fn print_rotated(created: &RelayKeys) {
    let previous = created
        .previous_signing_key
        .as_ref()
        .and_then(|k| k.expose().split_once(':').map(|(id, _)| id.to_owned()))
        .unwrap_or_default();
    println!(
        "Signing key {} is now current; key {previous} stays accepted as the previous key.",
        created.signing_key_id()
    );
    println!("Update the relay with these lines and restart it before the next send.");
    print_lines(created);
}

fn print_lines(created: &RelayKeys) {
    println!("They are shown this once: copy them into the relay's configuration now.");
    println!();
    println!(
        "# Environment (a systemd EnvironmentFile, `docker run --env-file`, your host's secrets):"
    );
    print!("{}", created.env_lines());
    println!();
    println!("# Or in the relay's TOML file (--config):");
    print!("{}", created.toml_lines());
}

/// What `relay status --json` prints.
#[derive(Debug, Serialize)]
struct Status {
    #[serde(flatten)]
    state: relay_sync::RelaySyncState,
    events: i64,
    /// `None` when the keychain could not be read; `keychain_error` says why.
    keys: Option<KeyStatus>,
    keychain_error: Option<String>,
}

async fn status(store: &Store, args: &RelayStatusArgs) -> anyhow::Result<()> {
    let keychain = Keychain::for_workspace(store).await?;
    let (keys, keychain_error) = match keys::status(&keychain) {
        Ok(keys) => (Some(keys), None),
        Err(err) => (None, Some(err.to_string())),
    };
    let status = Status {
        state: relay_sync::load(store).await?,
        events: relay_events::count(store).await?,
        keys,
        keychain_error,
    };
    if args.json {
        return super::print_json(&status);
    }
    let state = &status.state;
    println!(
        "relay URL:       {}",
        state
            .url
            .as_deref()
            .unwrap_or("(not set: `herald relay set-url https://...`)")
    );
    println!(
        "last sync:       {}",
        state.last_sync_at.map_or_else(|| "never".to_owned(), when)
    );
    if let Some(failure) = &state.last_error {
        println!(
            "last error:      {} ({})",
            failure.message,
            when(failure.at)
        );
    }
    println!("events applied:  {}", status.events);
    match (&status.keys, &status.keychain_error) {
        (Some(keys), _) => {
            let signing = match (keys.signing_key_id, keys.previous_signing_key_id) {
                (Some(id), Some(previous)) => format!("key {id} (previous: key {previous})"),
                (Some(id), None) => format!("key {id}"),
                (None, _) => "none (`herald relay keys generate`)".to_owned(),
            };
            println!("signing key:     {signing}, in the keychain");
            println!(
                "API token:       {}",
                if keys.api_token {
                    "in the keychain"
                } else {
                    "none"
                }
            );
        }
        (None, Some(err)) => println!("keys:            unknown: {err}"),
        (None, None) => {}
    }
    Ok(())
}

fn when(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}
