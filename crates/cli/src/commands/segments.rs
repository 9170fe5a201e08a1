//! `herald segments`: saved segments and previews.
//!
//! Filters are read from JSON files (the interchange format of
//! docs/segments.md); `-` reads standard input. An invalid filter prints one
//! `error: filter at <path>: <message>` line per problem.

use crate::output::truncate;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use herald_core::segment::FilterIssue;
use herald_store::contacts::{Contact, Direction, SortField};
use herald_store::segments::{self, Segment, SegmentInput};
use herald_store::{from_millis, Store, StoreError};
use serde_json::{json, Value};

use super::contacts::print_table;
use super::print_json;
use crate::cli::{
    PreviewSort, SegmentCreateArgs, SegmentDeleteArgs, SegmentListArgs, SegmentPreviewArgs,
    SegmentShowArgs, SegmentsCommand,
};

pub async fn run(store: &Store, command: SegmentsCommand) -> anyhow::Result<ExitCode> {
    match command {
        SegmentsCommand::Create(args) => create(store, args).await,
        SegmentsCommand::List(args) => list(store, args).await,
        SegmentsCommand::Show(args) => show(store, args).await,
        SegmentsCommand::Delete(args) => delete(store, args).await,
        SegmentsCommand::Preview(args) => preview(store, args).await,
    }
}

/// Reads a filter's JSON from a file, or from standard input for `-`. Text
/// that is not JSON is an invalid filter like any other.
fn read_filter(path: &Path) -> anyhow::Result<Value> {
    let text = if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading the filter from standard input")?;
        text
    } else {
        std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?
    };
    serde_json::from_str(&text).map_err(|e| {
        StoreError::InvalidFilter(vec![FilterIssue {
            path: String::new(),
            message: format!("the filter is not valid JSON: {e}"),
        }])
        .into()
    })
}

fn instant(ms: i64) -> Value {
    serde_json::to_value(from_millis(ms)).unwrap_or(Value::Null)
}

/// A segment as JSON: its fields, with the last count and whether it holds.
fn segment_json(s: &Segment) -> Value {
    json!({
        "id": s.id.to_string(),
        "name": s.name,
        "description": s.description,
        "filter": s.filter,
        "count": s.cached_count,
        "count_fresh": s.count_fresh,
        "created_at": instant(s.created_at),
        "updated_at": instant(s.updated_at),
    })
}

fn local_time(ms: i64) -> String {
    from_millis(ms).format("%Y-%m-%d %H:%M UTC").to_string()
}

fn millis(elapsed: std::time::Duration) -> f64 {
    elapsed.as_secs_f64() * 1000.0
}

async fn create(store: &Store, args: SegmentCreateArgs) -> anyhow::Result<ExitCode> {
    let filter = read_filter(&args.filter)?;
    let segment = segments::create(
        store,
        &SegmentInput {
            name: args.name,
            description: args.description,
            filter,
        },
    )
    .await?;
    if args.json {
        print_json(&segment_json(&segment))?;
    } else {
        println!("Created segment \"{}\" ({}).", segment.name, segment.id);
    }
    Ok(ExitCode::SUCCESS)
}

async fn list(store: &Store, args: SegmentListArgs) -> anyhow::Result<ExitCode> {
    let all = segments::list(store).await?;
    if args.json {
        print_json(&all.iter().map(segment_json).collect::<Vec<_>>())?;
        return Ok(ExitCode::SUCCESS);
    }
    if all.is_empty() {
        println!("No segments yet: try `herald segments create --name NAME --filter FILE.json`.");
        return Ok(ExitCode::SUCCESS);
    }
    println!("{:<36}  {:<32}  {:>16}  UPDATED", "ID", "NAME", "CONTACTS");
    let mut any_stale = false;
    for s in &all {
        let count = match (s.cached_count, s.count_fresh) {
            (Some(n), true) => n.to_string(),
            (Some(n), false) => {
                any_stale = true;
                format!("{n} (stale)")
            }
            (None, _) => {
                any_stale = true;
                "not counted".to_owned()
            }
        };
        println!(
            "{:<36}  {:<32}  {:>16}  {}",
            s.id,
            truncate(&s.name, 32),
            count,
            local_time(s.updated_at)
        );
    }
    if any_stale {
        println!(
            "Counts marked stale (or not counted) no longer hold for the workspace as it is: \
             `herald segments show NAME` counts again."
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn show(store: &Store, args: SegmentShowArgs) -> anyhow::Result<ExitCode> {
    let id = segments::resolve(store, &args.segment).await?;
    let before = segments::get(store, id).await?;
    let (count, elapsed) = segments::count(store, id).await?;
    let used_by = segments::used_by(store, id).await?;
    let segment = segments::get(store, id).await?;
    if args.json {
        let mut out = segment_json(&segment);
        out["count"] = json!(count);
        out["count_fresh"] = json!(true);
        out["count_cached"] = json!(before.count_fresh);
        out["elapsed_ms"] = json!(elapsed.as_millis() as u64);
        out["used_by"] = json!(used_by);
        print_json(&out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let row = |label: &str, value: &str| println!("{label:<12} {value}");
    row("Name", &segment.name);
    row("Id", &segment.id.to_string());
    if let Some(d) = &segment.description {
        row("Description", d);
    }
    let how = if before.count_fresh {
        "cached".to_owned()
    } else {
        format!("counted in {:.1} ms", millis(elapsed))
    };
    row("Contacts", &format!("{count} ({how})"));
    row(
        "Used by",
        &if used_by.is_empty() {
            "no other segment".to_owned()
        } else {
            used_by
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(", ")
        },
    );
    row("Created", &local_time(segment.created_at));
    row("Updated", &local_time(segment.updated_at));
    println!("Filter:");
    println!(
        "{}",
        serde_json::to_string_pretty(&segment.filter).context("encoding JSON")?
    );
    Ok(ExitCode::SUCCESS)
}

async fn delete(store: &Store, args: SegmentDeleteArgs) -> anyhow::Result<ExitCode> {
    let id = segments::resolve(store, &args.segment).await?;
    let segment = segments::get(store, id).await?;
    segments::delete(store, id).await?;
    println!("Deleted segment \"{}\".", segment.name);
    Ok(ExitCode::SUCCESS)
}

fn sort_field(sort: PreviewSort) -> SortField {
    match sort {
        PreviewSort::Name => SortField::Name,
        PreviewSort::CreatedAt => SortField::CreatedAt,
        PreviewSort::LastInteraction => SortField::LastInteractionAt,
        PreviewSort::Revenue => SortField::Revenue,
    }
}

/// A preview's contact as `--json` prints it.
fn preview_contact(c: &Contact) -> Value {
    json!({
        "id": c.id.to_string(),
        "email": c.email.as_ref().map(ToString::to_string),
        "phone": c.phone.as_ref().map(ToString::to_string),
        "first_name": c.first_name,
        "last_name": c.last_name,
        "country": c.country.map(|cc| cc.as_str()),
        "tags": c.tags,
    })
}

async fn preview(store: &Store, args: SegmentPreviewArgs) -> anyhow::Result<ExitCode> {
    let filter = match (&args.filter, &args.segment) {
        (Some(path), _) => read_filter(path)?,
        (None, Some(reference)) => {
            let id = segments::resolve(store, reference).await?;
            segments::get(store, id).await?.filter
        }
        (None, None) => unreachable!("clap requires a segment or --filter"),
    };
    let direction = if args.desc {
        Direction::Desc
    } else {
        Direction::Asc
    };
    let preview = segments::preview(
        store,
        &filter,
        sort_field(args.sort),
        direction,
        None,
        args.limit,
    )
    .await?;
    if args.json {
        print_json(&json!({
            "count": preview.count,
            "contacts": preview.contacts.iter().map(preview_contact).collect::<Vec<_>>(),
            "elapsed_ms": preview.elapsed.as_millis() as u64,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} contact{} (counted in {:.1} ms)",
        preview.count,
        if preview.count == 1 { "" } else { "s" },
        millis(preview.elapsed)
    );
    if !preview.contacts.is_empty() {
        println!();
        print_table(&preview.contacts);
        if (preview.contacts.len() as i64) < preview.count {
            println!(
                "… the first {} of {}; --limit shows up to 500.",
                preview.contacts.len(),
                preview.count
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
