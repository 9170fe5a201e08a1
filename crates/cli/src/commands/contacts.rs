//! `herald contacts`.

use crate::output::truncate;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::Context;
use herald_core::{
    ContactId, CountryCode, Currency, CustomFields, CustomValue, EmailAddress, Money, PhoneNumber,
};
use herald_store::consent_events::{self, ConsentInput};
use herald_store::contacts::{self, Contact, ListQuery, NewContact};
use herald_store::export::{self, Format};
use herald_store::import::{self, ImportOptions, ImportReport};
use herald_store::ledger::{self, ContactCampaign};
use herald_store::{from_millis, interactions, projects, settings, tags, Store, StoreError};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use super::print_json;
use crate::cli::{
    AddArgs, ContactsCommand, ExportArgs, ExportFormat, ImportArgs, ListArgs, ShowArgs, TagArgs,
};

pub async fn run(store: &Store, command: ContactsCommand) -> anyhow::Result<ExitCode> {
    match command {
        ContactsCommand::Import(args) => import(store, args).await,
        ContactsCommand::Export(args) => export(store, args).await,
        ContactsCommand::List(args) => list(store, args).await,
        ContactsCommand::Show(args) => show(store, args).await,
        ContactsCommand::Add(args) => add(store, args).await,
        ContactsCommand::Tag(args) => tag(store, args).await,
    }
}

/// Files bigger than this get a progress bar on stderr.
const PROGRESS_THRESHOLD_BYTES: u64 = 512 * 1024;

async fn import(store: &Store, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let file = File::open(&args.file)
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", args.file.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mappings = args
        .mappings
        .iter()
        .map(|m| {
            m.split_once('=')
                .map(|(h, f)| (h.trim().to_owned(), f.trim().to_owned()))
                .ok_or_else(|| {
                    StoreError::validation(
                        "map",
                        format!("\"{m}\" is not HEADER=FIELD, e.g. \"Work Address=email\""),
                    )
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let default_region = match &args.region {
        Some(r) => Some(
            CountryCode::parse(r).map_err(|e| StoreError::validation("region", e.to_string()))?,
        ),
        None => None,
    };
    let options = ImportOptions {
        mappings,
        ignore_unknown: args.ignore_unknown,
        tags: args.tags.clone(),
        consent_source: args.consent_source.clone(),
        dry_run: args.dry_run,
        default_region,
        default_currency: None,
    };
    let bar = (size > PROGRESS_THRESHOLD_BYTES && !args.json).then(|| {
        let bar = ProgressBar::new(size);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} importing [{bar:40}] {bytes}/{total_bytes} ({msg}) {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar
    });
    let mut progress = |bytes: u64, rows: u64| {
        if let Some(bar) = &bar {
            bar.set_position(bytes);
            bar.set_message(format!("{rows} rows"));
        }
    };
    let report = import::import_csv(
        store,
        std::io::BufReader::with_capacity(1 << 16, file),
        &options,
        &mut progress,
    )
    .await?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if args.json {
        print_json(&json!({
            "imported": report.imported,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "skipped": report.skipped,
            "duplicates": report.duplicates,
            "errors": report.errors,
            "dry_run": report.dry_run,
        }))?;
    } else {
        print_import_summary(&report);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_import_summary(report: &ImportReport) {
    let verb = if report.dry_run {
        "Would import"
    } else {
        "Imported"
    };
    println!(
        "{verb} {} new contacts, updated {}, {} already up to date; skipped {} bad rows; merged {} duplicate rows.",
        report.imported,
        report.updated,
        report.unchanged,
        report.skipped,
        report.duplicates.len()
    );
    let custom: Vec<String> = report
        .columns
        .iter()
        .filter(|c| c.field.starts_with("custom."))
        .map(|c| format!("\"{}\" → {}", c.header, c.field))
        .collect();
    if !custom.is_empty() {
        println!("Kept as custom fields: {}", custom.join(", "));
    }
    const SHOWN: usize = 20;
    for e in report.errors.iter().take(SHOWN) {
        println!("  line {}, {}: {}", e.line, e.column, e.reason);
    }
    if report.errors.len() > SHOWN {
        println!(
            "  … and {} more (use --json for all of them)",
            report.errors.len() - SHOWN
        );
    }
    for d in report.duplicates.iter().take(5) {
        println!(
            "  line {} repeats the contact of line {}: merged",
            d.line, d.first_line
        );
    }
    if report.dry_run {
        println!("Dry run: nothing was written.");
    }
}

async fn export(store: &Store, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let format = match args.format {
        ExportFormat::Csv => Format::Csv,
        ExportFormat::Jsonl => Format::Jsonl,
    };
    let written = match &args.out {
        Some(path) => {
            // Write beside the target and rename, so a failed export never
            // leaves a truncated file where a good one was.
            let tmp = path.with_extension("partial");
            let file =
                File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
            let mut out = BufWriter::new(file);
            let n = export::export(store, format, &mut out).await?;
            out.flush()
                .with_context(|| format!("writing {}", tmp.display()))?;
            std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
            eprintln!("Exported {n} contacts to {}.", path.display());
            n
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            let n = export::export(store, format, &mut out).await?;
            out.flush().context("writing to standard output")?;
            n
        }
    };
    let _ = written;
    Ok(ExitCode::SUCCESS)
}

async fn list(store: &Store, args: ListArgs) -> anyhow::Result<ExitCode> {
    let after = match &args.after {
        Some(raw) => Some(
            ContactId::parse(raw).map_err(|e| StoreError::validation("after", e.to_string()))?,
        ),
        None => None,
    };
    let page = contacts::list(
        store,
        &ListQuery {
            search: args.search.clone(),
            after,
            limit: args.limit,
        },
    )
    .await?;
    if args.json {
        print_json(&page)?;
        return Ok(ExitCode::SUCCESS);
    }
    if page.is_empty() {
        println!(
            "No contacts{}.",
            if args.search.is_some() {
                " match"
            } else {
                " yet: try `herald contacts import FILE.csv`"
            }
        );
        return Ok(ExitCode::SUCCESS);
    }
    print_table(&page);
    if page.len() == args.limit as usize {
        if let Some(last) = page.last() {
            println!("More: --after {}", last.id);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Contacts as a table: id, name, email, phone, country and tags.
pub(super) fn print_table(contacts: &[Contact]) {
    println!(
        "{:<36}  {:<24}  {:<32}  {:<16}  {:<2}  TAGS",
        "ID", "NAME", "EMAIL", "PHONE", "CC"
    );
    for c in contacts {
        println!(
            "{:<36}  {:<24}  {:<32}  {:<16}  {:<2}  {}",
            c.id,
            truncate(&c.display_name(), 24),
            truncate(
                &c.email
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                32
            ),
            c.phone
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            c.country.map(|c| c.as_str().to_owned()).unwrap_or_default(),
            c.tags.join(", ")
        );
    }
}

async fn show(store: &Store, args: ShowArgs) -> anyhow::Result<ExitCode> {
    let id = contacts::resolve(store, &args.contact).await?;
    let contact = contacts::get(store, id).await?;
    let ledger = consent_events::for_contact(store, id).await?;
    let timeline = interactions::for_contact(store, id).await?;
    let projects = projects::for_contact(store, id).await?;
    let campaigns = ledger::for_contact(store, id.as_uuid()).await?;
    if args.json {
        print_json(&json!({
            "contact": contact,
            "consent_events": ledger,
            "interactions": timeline,
            "projects": projects,
            "campaigns": campaigns.iter().map(campaign_json).collect::<Vec<_>>(),
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    print_contact(&contact);
    if !ledger.is_empty() {
        println!("\nConsent ledger:");
        for e in &ledger {
            println!(
                "  {}  {:<5} {:<9} → {:<12} source: {}, method: {}",
                e.at.format("%Y-%m-%d %H:%M"),
                e.channel,
                e.action,
                e.status,
                e.source,
                e.method
            );
        }
    }
    if !timeline.is_empty() {
        println!("\nTimeline:");
        for i in &timeline {
            println!(
                "  {}  {:<8} {}",
                i.occurred_at.format("%Y-%m-%d %H:%M"),
                i.kind.to_string(),
                i.summary
            );
        }
    }
    let events = campaign_events(&campaigns);
    if !events.is_empty() {
        println!("\nCampaigns:");
        for (at, what, c) in events {
            println!(
                "  {}  {:<12} {}",
                from_millis(at).format("%Y-%m-%d %H:%M"),
                what,
                c.campaign_name
            );
        }
    }
    if !projects.is_empty() {
        println!("\nProjects:");
        for p in &projects {
            println!("  {:<28} {:<10} {}", p.name, p.status, p.value);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A campaign on the contact's timeline, its instants as RFC 3339 like the
/// other timestamps of `contacts show --json`.
fn campaign_json(c: &ContactCampaign) -> serde_json::Value {
    let at = |ms: Option<i64>| ms.map(from_millis);
    json!({
        "campaign_id": c.campaign_id,
        "campaign_name": c.campaign_name,
        "channel": c.channel,
        "status": c.status.as_str(),
        "sent_at": at(c.sent_at),
        "delivered_at": at(c.delivered_at),
        "opened_at": at(c.opened_at),
        "clicked_at": at(c.clicked_at),
        "bounced_at": at(c.bounced_at),
        "complained_at": at(c.complained_at),
        "unsubscribed_at": at(c.unsubscribed_at),
    })
}

/// The campaigns' events (sent, delivered, opened...) as one list, newest
/// first; at the same instant the later step of a message's life comes
/// first (a click that implied the open reads "clicked", then "opened").
fn campaign_events(campaigns: &[ContactCampaign]) -> Vec<(i64, &'static str, &ContactCampaign)> {
    let mut events: Vec<(i64, usize, &'static str, &ContactCampaign)> = Vec::new();
    for c in campaigns {
        let steps = [
            (c.sent_at, "sent"),
            (c.delivered_at, "delivered"),
            (c.opened_at, "opened"),
            (c.clicked_at, "clicked"),
            (c.bounced_at, "bounced"),
            (c.complained_at, "complained"),
            (c.unsubscribed_at, "unsubscribed"),
        ];
        for (order, (at, what)) in steps.into_iter().enumerate() {
            if let Some(at) = at {
                events.push((at, order, what, c));
            }
        }
    }
    events.sort_by_key(|e| std::cmp::Reverse((e.0, e.1)));
    events
        .into_iter()
        .map(|(at, _, what, c)| (at, what, c))
        .collect()
}

fn print_contact(c: &Contact) {
    let row = |label: &str, value: String| {
        if !value.is_empty() {
            println!("{label:<16} {value}");
        }
    };
    row("Name", c.display_name());
    row("Id", c.id.to_string());
    row(
        "Email",
        c.email
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    );
    row(
        "Phone",
        c.phone
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    );
    row("Company", c.company.clone().unwrap_or_default());
    let place = [
        c.city.clone(),
        c.region.clone(),
        c.country.map(|cc| cc.name().to_owned()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    row("Location", place);
    row("Revenue", c.revenue.to_string());
    row("Email status", c.email_status.to_string());
    row("SMS status", c.sms_status.to_string());
    row("Tags", c.tags.join(", "));
    for (key, value) in c.custom.iter() {
        row(
            key,
            value.to_json().to_string().trim_matches('"').to_owned(),
        );
    }
    row(
        "Created",
        c.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
    );
    row(
        "Last interaction",
        c.last_interaction_at
            .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default(),
    );
}

async fn add(store: &Store, args: AddArgs) -> anyhow::Result<ExitCode> {
    let region = settings::default_region(store).await?;
    let email = match args
        .email
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(raw) => Some(
            EmailAddress::parse(raw).map_err(|e| StoreError::validation("email", e.to_string()))?,
        ),
        None => None,
    };
    let phone = match args
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(raw) => Some(
            PhoneNumber::parse(raw, region)
                .map_err(|e| StoreError::validation("phone", e.to_string()))?,
        ),
        None => None,
    };
    let country = match args
        .country
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(raw) => Some(
            CountryCode::parse(raw)
                .map_err(|e| StoreError::validation("country", e.to_string()))?,
        ),
        None => None,
    };
    let revenue = match args.revenue.as_deref() {
        Some(raw) => {
            let currency = match &args.currency {
                Some(c) => Currency::parse(c)
                    .map_err(|e| StoreError::validation("currency", e.to_string()))?,
                None => settings::default_currency(store).await?,
            };
            Some(
                Money::parse_major(raw, currency)
                    .map_err(|e| StoreError::validation("revenue", e.to_string()))?,
            )
        }
        None => None,
    };
    let mut custom = CustomFields::new();
    for pair in &args.custom {
        let (key, value) = pair.split_once('=').ok_or_else(|| {
            StoreError::validation("custom", format!("\"{pair}\" is not KEY=VALUE"))
        })?;
        if let Some(value) = CustomValue::infer(value) {
            custom
                .insert(key.trim().to_owned(), value)
                .map_err(|e| StoreError::validation("custom", e.to_string()))?;
        }
    }
    let consent = args
        .consent_source
        .as_ref()
        .map(|s| ConsentInput::new(s.clone(), "manual"));
    let new = NewContact {
        first_name: args.first_name.clone(),
        last_name: args.last_name.clone(),
        email_consent: consent.clone().filter(|_| email.is_some()),
        sms_consent: consent.filter(|_| phone.is_some()),
        email,
        phone,
        company: args.company.clone(),
        city: args.city.clone(),
        region: args.region.clone(),
        country,
        revenue,
        custom,
        tags: args
            .tags
            .iter()
            .map(|t| tags::clean_name(t))
            .collect::<Result<_, _>>()?,
    };
    let contact = contacts::create(store, new).await?;
    if args.json {
        print_json(&contact)?;
    } else {
        println!("Added {} ({}).", contact.display_name(), contact.id);
    }
    Ok(ExitCode::SUCCESS)
}

async fn tag(store: &Store, args: TagArgs) -> anyhow::Result<ExitCode> {
    if args.add.is_empty() && args.remove.is_empty() {
        return Err(
            StoreError::validation("tag", "say what to do: --add TAG and/or --remove TAG").into(),
        );
    }
    let id = contacts::resolve(store, &args.contact).await?;
    let now = tags::edit_contact_tags(store, id, &args.add, &args.remove).await?;
    if now.is_empty() {
        println!("The contact has no tags now.");
    } else {
        println!("Tags now: {}", now.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}
