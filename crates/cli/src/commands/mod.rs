//! One module per command group. Each parses its arguments into domain
//! types, calls the store, and prints.

mod analytics;
mod bench;
mod campaigns;
mod contacts;
mod init;
mod interactions;
mod projects;
mod relay;
mod segments;
mod settings;
mod sync;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, Context};
use herald_store::Store;

use crate::cli::{Cli, Command};

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::Bench(command) = cli.command {
        return bench::run(command).await;
    }
    let path = workspace_path(cli.db)?;
    let store = Store::open(&path).await?;
    let result = match cli.command {
        Command::Init(args) => init::run(&store, &path, args).await,
        Command::Contacts(command) => contacts::run(&store, command).await,
        Command::Interactions(command) => interactions::run(&store, command).await,
        Command::Projects(command) => projects::run(&store, command).await,
        Command::Settings(command) => settings::run(&store, command).await,
        Command::Segments(command) => segments::run(&store, command).await,
        Command::Relay(command) => relay::run(&store, command).await,
        Command::Sync(args) => sync::run(&store, args).await,
        Command::Campaigns(command) => campaigns::run(&store, command).await,
        Command::Analytics(command) => analytics::run(&store, command).await,
        Command::Bench(_) => unreachable!("handled above"),
    };
    store.close().await;
    result
}

fn workspace_path(db: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    match db {
        Some(path) => Ok(path),
        None => crate::paths::default_db().ok_or_else(|| {
            anyhow!("cannot find this system's app-data folder; pass --db PATH or set HERALD_DB")
        }),
    }
}

/// Prints `value` as pretty JSON on standard output.
fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!(
        "{}",
        serde_json::to_string_pretty(value).context("encoding JSON")?
    );
    Ok(())
}
