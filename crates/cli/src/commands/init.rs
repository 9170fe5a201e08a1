//! `herald init [--demo N]`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use herald_core::{ContactId, Currency, InteractionKind, Money};
use herald_store::import::{self, ImportOptions};
use herald_store::interactions::{self, NewInteraction};
use herald_store::projects::{self, NewProject};
use herald_store::{contacts, from_millis, Store, StoreError};

use crate::cli::InitArgs;
use crate::demo;

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
    let summary = load_demo(store, args.seed, n).await?;
    println!("Created a demo workspace at {}.", path.display());
    println!(
        "{} contacts, {} interactions, {} projects (seed {}).",
        summary.contacts, summary.interactions, summary.projects, args.seed
    );
    Ok(ExitCode::SUCCESS)
}

pub struct DemoSummary {
    pub contacts: u64,
    pub interactions: u64,
    pub projects: u64,
}

/// Generates demo contacts and loads them through the real importer, then
/// adds their timelines and projects.
pub async fn load_demo(store: &Store, seed: u64, n: u32) -> anyhow::Result<DemoSummary> {
    let people: Vec<demo::DemoContact> = demo::generate(seed, n, true).collect();
    let mut csv_bytes = Vec::new();
    {
        let mut w = csv::Writer::from_writer(&mut csv_bytes);
        w.write_record(demo::CSV_HEADER)
            .context("writing demo CSV")?;
        for p in &people {
            w.write_record(p.csv_record()).context("writing demo CSV")?;
        }
        w.flush().context("writing demo CSV")?;
    }
    let options = ImportOptions {
        consent_source: Some("demo data".to_owned()),
        ..ImportOptions::default()
    };
    let report = import::import_csv(store, csv_bytes.as_slice(), &options, &mut |_, _| {}).await?;
    if !report.errors.is_empty() {
        let first = &report.errors[0];
        anyhow::bail!(
            "the demo generator wrote a row the importer refused (line {}, {}: {})",
            first.line,
            first.column,
            first.reason
        );
    }
    let mut timeline = Vec::new();
    let mut deals = Vec::new();
    for p in &people {
        let contact = ContactId::from_uuid(p.id);
        for (kind, at, summary) in &p.interactions {
            timeline.push(NewInteraction {
                contact,
                kind: InteractionKind::parse(kind).map_err(|e| anyhow::anyhow!("{e}"))?,
                occurred_at: from_millis(*at),
                summary: (*summary).to_owned(),
            });
        }
        let currency = Currency::parse(&p.currency).map_err(|e| anyhow::anyhow!("{e}"))?;
        for (name, status, value) in &p.projects {
            deals.push(NewProject {
                contact,
                name: (*name).to_owned(),
                status: (*status).to_owned(),
                value: Money::from_minor(*value, currency),
            });
        }
    }
    let interactions = interactions::add_many(store, &timeline).await?;
    let projects = projects::add_many(store, &deals).await?;
    Ok(DemoSummary {
        contacts: report.imported,
        interactions,
        projects,
    })
}
