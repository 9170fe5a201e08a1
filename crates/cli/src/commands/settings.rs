//! `herald settings`.

use std::process::ExitCode;

use herald_core::{CountryCode, Currency};
use herald_store::{settings, Store, StoreError};

use crate::cli::SettingsCommand;

pub async fn run(store: &Store, command: SettingsCommand) -> anyhow::Result<ExitCode> {
    match command {
        SettingsCommand::Show => {
            let region = settings::default_region(store).await?;
            println!(
                "workspace name:    {}",
                settings::workspace_name(store).await?
            );
            println!(
                "default region:    {}",
                region.map_or_else(
                    || "(none: phone numbers need a +country code)".to_owned(),
                    |r| format!("{r} ({})", r.name())
                )
            );
            println!(
                "default currency:  {}",
                settings::default_currency(store).await?.code()
            );
            println!(
                "time zone:         {}",
                settings::time_zone(store).await?.name()
            );
        }
        SettingsCommand::DefaultRegion { region } => {
            let region = CountryCode::parse(&region)
                .map_err(|e| StoreError::validation("region", e.to_string()))?;
            settings::set_default_region(store, Some(region)).await?;
            println!(
                "Phone numbers without a country code are now read as {} numbers.",
                region.name()
            );
        }
        SettingsCommand::DefaultCurrency { currency } => {
            let currency = Currency::parse(&currency)
                .map_err(|e| StoreError::validation("currency", e.to_string()))?;
            settings::set_default_currency(store, currency).await?;
            println!("The default currency is now {}.", currency.code());
        }
        SettingsCommand::TimeZone { zone } => {
            let zone = settings::parse_time_zone(&zone)?;
            let mut all = settings::load(store).await?;
            all.time_zone = zone;
            // Saved with the others, so cached segment counts are dropped.
            settings::save(store, &all).await?;
            println!("Segment date rules now count days in {}.", zone.name());
        }
        SettingsCommand::Name { name } => {
            settings::set_workspace_name(store, &name).await?;
            println!("The workspace is now called \"{}\".", name.trim());
        }
    }
    Ok(ExitCode::SUCCESS)
}
