//! `herald init [--demo N]`.

use std::path::Path;
use std::process::ExitCode;

use herald_store::{contacts, Store, StoreError};

use crate::cli::InitArgs;

pub async fn run(store: &Store, path: &Path, args: InitArgs) -> anyhow::Result<ExitCode> {
    let Some(n) = args.demo else {
        println!("Workspace ready at {}.", path.display());
        return Ok(ExitCode::SUCCESS);
    };
    let existing = contacts::count(store).await?;
    if existing > 0 {
        return Err(StoreError::Conflict(format!(
            "the workspace at {} already has {existing} contacts; demo data goes into a new one (pass another --db)",
            path.display()
        ))
        .into());
    }
    let summary = herald_demo::load(store, args.seed, n).await?;
    println!("Created a demo workspace at {}.", path.display());
    println!(
        "{} contacts, {} interactions, {} projects, {} campaigns with {} relay events (seed {}).",
        summary.contacts,
        summary.interactions,
        summary.projects,
        summary.campaigns,
        summary.events,
        args.seed
    );
    Ok(ExitCode::SUCCESS)
}
