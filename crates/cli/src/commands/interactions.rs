//! `herald interactions`.

use std::process::ExitCode;

use chrono::Utc;
use herald_core::InteractionKind;
use herald_store::{contacts, from_millis, interactions, Store, StoreError};

use crate::cli::InteractionsCommand;

pub async fn run(store: &Store, command: InteractionsCommand) -> anyhow::Result<ExitCode> {
    match command {
        InteractionsCommand::Add(args) => {
            let contact = contacts::resolve(store, &args.contact).await?;
            let kind = InteractionKind::parse(&args.kind)
                .map_err(|e| StoreError::validation("kind", e.to_string()))?;
            let at = match &args.at {
                Some(raw) => herald_store::import::parse_instant(raw.trim())
                    .map(from_millis)
                    .ok_or_else(|| {
                        StoreError::validation(
                            "at",
                            format!("\"{raw}\" is not a date: write YYYY-MM-DD or RFC 3339"),
                        )
                    })?,
                None => Utc::now(),
            };
            let added = interactions::add(store, contact, kind, at, &args.summary).await?;
            println!(
                "Logged a {} on {}.",
                added.kind,
                added.occurred_at.format("%Y-%m-%d %H:%M UTC")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
