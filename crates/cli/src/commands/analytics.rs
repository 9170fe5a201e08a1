//! `herald analytics`: a campaign's report, a comparison, the CSV export,
//! a chart as PNG or SVG, and the rollups' rebuild, headless
//! (docs/analytics.md).

use std::process::ExitCode;

use anyhow::{anyhow, bail, Context};
use chrono::{DateTime, Utc};
use herald_charts::{ChartData, ChartError, Funnel, Size, Theme};
use herald_store::analytics::{self, CampaignMetrics, ExportPart, RateBasis};
use herald_store::campaigns::{self, CampaignId, CampaignQuery};
use herald_store::{settings, Store};

use super::print_json;
use crate::cli::{
    AnalyticsChartArgs, AnalyticsCommand, AnalyticsCompareArgs, AnalyticsExportArgs, AnalyticsPart,
    ChartKind, ChartTheme,
};

pub async fn run(store: &Store, command: AnalyticsCommand) -> anyhow::Result<ExitCode> {
    match command {
        AnalyticsCommand::Campaign(args) => {
            let id = find(store, &args.campaign).await?;
            let m = analytics::campaign(store, id).await?;
            if args.json {
                print_json(&m)?;
            } else {
                print!("{}", report(&m));
            }
        }
        AnalyticsCommand::Compare(args) => compare(store, args).await?,
        AnalyticsCommand::Export(args) => export(store, args).await?,
        AnalyticsCommand::Chart(args) => chart(store, args).await?,
        AnalyticsCommand::Rebuild => {
            analytics::rebuild(store).await?;
            println!("Rebuilt the analytics rollups from the recorded events.");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A campaign by id or exact name (case-insensitive).
async fn find(store: &Store, reference: &str) -> anyhow::Result<CampaignId> {
    if let Ok(id) = CampaignId::parse(reference) {
        return Ok(id);
    }
    let all = campaigns::list(store, &CampaignQuery::default()).await?;
    let matches: Vec<CampaignId> = all
        .iter()
        .filter(|c| c.name.eq_ignore_ascii_case(reference))
        .map(|c| c.id)
        .collect();
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => bail!("no campaign is called {reference:?}; `herald campaigns list` shows them"),
        _ => bail!("several campaigns are called {reference:?}; use the id"),
    }
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "–".to_owned(), |r| format!("{:.1} %", r * 100.0))
}

fn basis(m: &CampaignMetrics) -> &'static str {
    match m.basis {
        RateBasis::Delivered => "delivered",
        RateBasis::Sent => "sent",
    }
}

/// The report as aligned `label  value` lines.
fn report(m: &CampaignMetrics) -> String {
    let mut lines: Vec<(String, String)> = vec![
        (
            "Campaign".into(),
            format!("{} ({}, {})", m.name, m.channel, m.status),
        ),
        ("Recipients".into(), m.recipients.to_string()),
        ("Excluded".into(), m.excluded_total.to_string()),
    ];
    for (reason, n) in &m.excluded {
        lines.push((format!("  {reason}"), n.to_string()));
    }
    lines.extend([
        ("Sent".into(), m.sent.to_string()),
        ("Failed".into(), m.failed.to_string()),
        ("In doubt".into(), m.in_doubt.to_string()),
        ("Delivered".into(), m.delivered.to_string()),
        (
            "Bounced (hard / soft)".into(),
            format!("{} / {}", m.bounced_hard, m.bounced_soft),
        ),
        ("Complained".into(), m.complained.to_string()),
        ("Unsubscribed".into(), m.unsubscribed.to_string()),
        (
            "Opened (people)".into(),
            format!("{}  {}", m.opened, percent(m.rates.open)),
        ),
        (
            "Human opens (unique / total)".into(),
            format!("{} / {}", m.opens_human.unique, m.opens_human.total),
        ),
        (
            "Machine opens (unique / total)".into(),
            format!("{} / {}", m.opens_machine.unique, m.opens_machine.total),
        ),
        (
            "Clicks (unique / total)".into(),
            format!(
                "{} / {}  {}",
                m.clicks_human.unique,
                m.clicks_human.total,
                percent(m.rates.click)
            ),
        ),
        (
            "Scanner clicks (unique / total)".into(),
            format!("{} / {}", m.clicks_scanner.unique, m.clicks_scanner.total),
        ),
        ("Click-to-open".into(), percent(m.rates.click_to_open)),
    ]);
    if m.channel == "sms" {
        lines.extend([
            ("SMS delivered".into(), m.sms.delivered.to_string()),
            ("SMS undelivered".into(), m.sms.undelivered.to_string()),
            ("SMS failed".into(), m.sms.failed.to_string()),
            ("SMS opt-outs".into(), m.sms.opt_outs.to_string()),
        ]);
    }
    lines.push((
        "Rates on".into(),
        format!("{} ({})", basis(m), m.basis_count),
    ));
    let width = lines
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    lines
        .into_iter()
        .map(|(label, value)| format!("{label:<width$}  {value}\n"))
        .collect()
}

/// One row of the comparison table: a campaign's value, as shown.
type Column = fn(&CampaignMetrics) -> String;

async fn compare(store: &Store, args: AnalyticsCompareArgs) -> anyhow::Result<()> {
    let mut ids = Vec::with_capacity(args.campaigns.len());
    for reference in &args.campaigns {
        ids.push(find(store, reference).await?);
    }
    let zone = settings::time_zone(store).await?;
    let c = analytics::compare(store, &ids, zone).await?;
    if args.json {
        return print_json(&c);
    }
    let rows: [(&str, Column); 9] = [
        ("Sent", |m| m.sent.to_string()),
        ("Delivered", |m| m.delivered.to_string()),
        ("Opened", |m| m.opened.to_string()),
        ("Open rate", |m| percent(m.rates.open)),
        ("Click rate", |m| percent(m.rates.click)),
        ("Click-to-open", |m| percent(m.rates.click_to_open)),
        ("Bounce rate", |m| percent(m.rates.bounce)),
        ("Unsubscribe rate", |m| percent(m.rates.unsubscribe)),
        ("Rates on", |m| basis(m).to_owned()),
    ];
    let mut out = String::from("Metric");
    for m in &c.metrics {
        out.push('\t');
        out.push_str(&m.name);
    }
    out.push('\n');
    for (label, value) in rows {
        out.push_str(label);
        for m in &c.metrics {
            out.push('\t');
            out.push_str(&value(m));
        }
        out.push('\n');
    }
    print!("{out}");
    Ok(())
}

async fn export(store: &Store, args: AnalyticsExportArgs) -> anyhow::Result<()> {
    let id = find(store, &args.campaign).await?;
    let zone = settings::time_zone(store).await?;
    let part = args.part.map(|p| match p {
        AnalyticsPart::Metrics => ExportPart::Metrics,
        AnalyticsPart::Series => ExportPart::Series,
        AnalyticsPart::Roster => ExportPart::Roster,
    });
    let csv = analytics::export_csv(store, id, part, zone).await?;
    std::fs::write(&args.out, csv).with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!("Wrote {}", args.out.display());
    Ok(())
}

/// What `--out`'s extension asks for.
enum ChartFile {
    Png,
    Svg,
}

fn instant_arg(raw: &str, flag: &str) -> anyhow::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            anyhow!("{flag}: {raw:?} is not an RFC 3339 instant (e.g. 2026-03-01T09:00:00Z)")
        })
}

async fn chart(store: &Store, args: AnalyticsChartArgs) -> anyhow::Result<()> {
    let extension = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let file = match extension.as_deref() {
        Some("png") => ChartFile::Png,
        Some("svg") => ChartFile::Svg,
        _ => bail!(
            "--out: {} must end in .png or .svg (the chart's format)",
            args.out.display()
        ),
    };
    let size = Size::new(args.width, args.height).map_err(|e| match e {
        ChartError::Size { field, message } => anyhow!("--{field}: {message}"),
        other => other.into(),
    })?;
    let id = find(store, &args.campaign).await?;
    let data = match args.kind {
        ChartKind::Engagement => {
            let zone = settings::time_zone(store).await?;
            let started = campaigns::get(store, id)
                .await?
                .started_at
                .map(herald_store::from_millis);
            let (from, to) = herald_charts::default_range(started, Utc::now());
            let from = args
                .from
                .as_deref()
                .map_or(Ok(from), |raw| instant_arg(raw, "--from"))?;
            let to = args
                .to
                .as_deref()
                .map_or(Ok(to), |raw| instant_arg(raw, "--to"))?;
            ChartData::Engagement(analytics::series(store, id, from, to, zone).await?)
        }
        ChartKind::Funnel => {
            ChartData::Funnel(Funnel::from_metrics(&analytics::campaign(store, id).await?))
        }
    };
    let theme = match args.theme {
        ChartTheme::Light => Theme::Light,
        ChartTheme::Dark => Theme::Dark,
    };
    let bytes = match file {
        ChartFile::Png => herald_charts::png(&data, theme, size)?,
        ChartFile::Svg => herald_charts::svg_file(&data, theme, size)?.into_bytes(),
    };
    std::fs::write(&args.out, bytes).with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!("Wrote {}", args.out.display());
    Ok(())
}
