//! `herald projects`.

use std::process::ExitCode;

use herald_core::{Currency, Money};
use herald_store::{contacts, project_statuses, projects, settings, Store, StoreError};

use crate::cli::ProjectsCommand;

pub async fn run(store: &Store, command: ProjectsCommand) -> anyhow::Result<ExitCode> {
    match command {
        ProjectsCommand::Add(args) => {
            let contact = contacts::resolve(store, &args.contact).await?;
            let currency = match &args.currency {
                Some(c) => Currency::parse(c)
                    .map_err(|e| StoreError::validation("currency", e.to_string()))?,
                None => settings::default_currency(store).await?,
            };
            let value = Money::parse_major(&args.value, currency)
                .map_err(|e| StoreError::validation("value", e.to_string()))?;
            let project = projects::add(store, contact, &args.name, &args.status, value).await?;
            println!(
                "Added project \"{}\" ({}, {}).",
                project.name, project.status, project.value
            );
        }
        ProjectsCommand::Statuses => {
            for status in project_statuses::list(store).await? {
                println!("{status}");
            }
        }
        ProjectsCommand::AddStatus { name } => {
            let name = project_statuses::add(store, &name).await?;
            println!("Added the project status \"{name}\".");
        }
    }
    Ok(ExitCode::SUCCESS)
}
