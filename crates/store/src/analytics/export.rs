//! A campaign's report as CSV: its metrics (one `metric,value` row each),
//! its hourly series and its recipient roster (the ledger's export).
//!
//! Locale-neutral: integers without separators, rates as decimals with a
//! `.` (0.25, not 25 % or 0,25), instants in RFC 3339 UTC. Text cells that
//! a spreadsheet could read as a formula (a campaign named `=HYPERLINK(…)`)
//! are neutralised with a leading `'`, as the contacts export does.

use std::str::FromStr;

use anyhow::Context;
use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use herald_core::CampaignId;

use super::metrics::{campaign, CampaignMetrics, Count};
use super::series::hourly;
use super::{hour_of, HOUR_MS};
use crate::export::neutralise;
use crate::{from_millis, ledger, to_millis, Result, Store, StoreError};

/// Which part of the report to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportPart {
    Metrics,
    Series,
    Roster,
}

impl FromStr for ExportPart {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Self> {
        match s {
            "metrics" => Ok(ExportPart::Metrics),
            "series" => Ok(ExportPart::Series),
            "roster" => Ok(ExportPart::Roster),
            other => Err(StoreError::Validation {
                field: "part".into(),
                message: format!("\"{other}\" is not metrics, series or roster"),
            }),
        }
    }
}

fn utc(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn rate(r: Option<f64>) -> String {
    r.map(|r| format!("{r:.6}")).unwrap_or_default()
}

fn finish(w: csv::Writer<Vec<u8>>) -> Result<String> {
    let bytes = w.into_inner().context("writing CSV")?;
    Ok(String::from_utf8(bytes).context("CSV is UTF-8")?)
}

fn metric_rows(m: &CampaignMetrics) -> Vec<(String, String)> {
    let n = |v: i64| v.to_string();
    let mut rows = vec![
        ("campaign_id".into(), m.id.to_string()),
        ("name".into(), m.name.clone()),
        ("channel".into(), m.channel.clone()),
        ("status".into(), m.status.clone()),
        (
            "started_at".into(),
            m.started_at.map(utc).unwrap_or_default(),
        ),
        (
            "finished_at".into(),
            m.finished_at.map(utc).unwrap_or_default(),
        ),
        ("recipients".into(), n(m.recipients)),
        ("excluded".into(), n(m.excluded_total)),
    ];
    for (reason, count) in &m.excluded {
        rows.push((format!("excluded_{reason}"), n(*count)));
    }
    let counts = |name: &str, c: Count| {
        [
            (format!("{name}_unique"), n(c.unique)),
            (format!("{name}_total"), n(c.total)),
        ]
    };
    rows.extend([
        ("queued".into(), n(m.queued)),
        ("sent".into(), n(m.sent)),
        ("failed".into(), n(m.failed)),
        ("in_doubt".into(), n(m.in_doubt)),
        ("suppressed".into(), n(m.suppressed)),
        ("delivered".into(), n(m.delivered)),
        ("bounced_hard".into(), n(m.bounced_hard)),
        ("bounced_soft".into(), n(m.bounced_soft)),
        ("complained".into(), n(m.complained)),
        ("unsubscribed".into(), n(m.unsubscribed)),
        ("opened".into(), n(m.opened)),
    ]);
    rows.extend(counts("opens_human", m.opens_human));
    rows.extend(counts("opens_machine", m.opens_machine));
    rows.extend(counts("clicks_human", m.clicks_human));
    rows.extend(counts("clicks_scanner", m.clicks_scanner));
    rows.extend([
        ("sms_delivered".into(), n(m.sms.delivered)),
        ("sms_undelivered".into(), n(m.sms.undelivered)),
        ("sms_failed".into(), n(m.sms.failed)),
        ("sms_opt_outs".into(), n(m.sms.opt_outs)),
        (
            "rate_basis".into(),
            match m.basis {
                super::RateBasis::Delivered => "delivered".into(),
                super::RateBasis::Sent => "sent".into(),
            },
        ),
        ("rate_basis_count".into(), n(m.basis_count)),
        ("open_rate".into(), rate(m.rates.open)),
        ("click_rate".into(), rate(m.rates.click)),
        ("click_to_open_rate".into(), rate(m.rates.click_to_open)),
        ("bounce_rate".into(), rate(m.rates.bounce)),
        ("complaint_rate".into(), rate(m.rates.complaint)),
        ("unsubscribe_rate".into(), rate(m.rates.unsubscribe)),
    ]);
    rows
}

/// Campaign `id`'s metrics: a `metric,value` header and one row each.
pub async fn metrics_csv(store: &Store, id: CampaignId) -> Result<String> {
    let m = campaign(store, id).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["metric", "value"]).context("writing CSV")?;
    for (metric, value) in metric_rows(&m) {
        w.write_record([neutralise(&metric).as_ref(), neutralise(&value).as_ref()])
            .context("writing CSV")?;
    }
    finish(w)
}

/// Campaign `id`'s human opens and clicks per hour, from its start (or
/// first event) to its last event, every hour present.
pub async fn series_csv(store: &Store, id: CampaignId, zone: Tz) -> Result<String> {
    let m = campaign(store, id).await?;
    let by_hour = hourly(store, id, i64::MIN, i64::MAX).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["hour_start_utc", "hour_start_local", "opens", "clicks"])
        .context("writing CSV")?;
    let first = match (m.started_at, by_hour.keys().next()) {
        (Some(s), Some(&e)) => Some(hour_of(to_millis(s)).min(e)),
        (Some(s), None) => Some(hour_of(to_millis(s))),
        (None, e) => e.copied(),
    };
    if let (Some(first), Some(&last)) = (first, by_hour.keys().next_back()) {
        for hour in (first..=last).step_by(HOUR_MS as usize) {
            let (opens, clicks) = by_hour.get(&hour).copied().unwrap_or_default();
            let start = from_millis(hour);
            w.write_record([
                utc(start),
                start.with_timezone(&zone).to_rfc3339(),
                opens.to_string(),
                clicks.to_string(),
            ])
            .context("writing CSV")?;
        }
    }
    finish(w)
}

/// Campaign `id`'s recipients (the ledger's export).
pub async fn roster_csv(store: &Store, id: CampaignId) -> Result<String> {
    ledger::export_csv(store, id.as_uuid(), None).await
}

/// One part of campaign `id`'s report, or (`None`) all three one after the
/// other, each with its header, separated by an empty line.
pub async fn export_csv(
    store: &Store,
    id: CampaignId,
    part: Option<ExportPart>,
    zone: Tz,
) -> Result<String> {
    match part {
        Some(ExportPart::Metrics) => metrics_csv(store, id).await,
        Some(ExportPart::Series) => series_csv(store, id, zone).await,
        Some(ExportPart::Roster) => roster_csv(store, id).await,
        None => Ok([
            metrics_csv(store, id).await?,
            series_csv(store, id, zone).await?,
            roster_csv(store, id).await?,
        ]
        .join("\n")),
    }
}
