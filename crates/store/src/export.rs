//! Exporting every contact with all of its fields, as CSV or JSON Lines.
//!
//! Rows are streamed from SQLite, never collected. CSV cells that a
//! spreadsheet could run as a formula (starting with `=`, `+`, `-`, `@`, tab or
//! CR) get a leading `'`; the importer strips it again, so an export imports
//! back unchanged.

use std::io::Write;

use anyhow::Context;
use chrono::SecondsFormat;
use futures_util::TryStreamExt;
use herald_core::{Currency, CustomFields, Money};
use serde_json::{json, Map, Value};
use sqlx::FromRow;

use crate::{from_millis, Result, Store};

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
}

/// The columns, in order. The importer recognises every one of them.
pub const COLUMNS: [&str; 25] = [
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "city",
    "region",
    "country",
    "revenue",
    "revenue_currency",
    "email_status",
    "sms_status",
    "email_consent_at",
    "email_consent_source",
    "email_consent_method",
    "sms_consent_at",
    "sms_consent_source",
    "sms_consent_method",
    "tags",
    "project_statuses",
    "custom",
    "created_at",
    "updated_at",
    "last_interaction_at",
];

#[derive(FromRow)]
struct Row {
    id: uuid::Uuid,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    company: Option<String>,
    city: Option<String>,
    region: Option<String>,
    country: Option<String>,
    revenue_minor: i64,
    revenue_currency: String,
    email_status: String,
    sms_status: String,
    email_consent_at: Option<i64>,
    email_consent_source: Option<String>,
    email_consent_method: Option<String>,
    sms_consent_at: Option<i64>,
    sms_consent_source: Option<String>,
    sms_consent_method: Option<String>,
    tags: Option<String>,
    project_statuses: Option<String>,
    custom: String,
    created_at: i64,
    updated_at: i64,
    last_interaction_at: Option<i64>,
}

/// Tags and project statuses come back as one string, joined by this
/// (a character that cannot be part of a tag name).
const LIST_SEPARATOR: &str = ";";

// Tags and statuses are aggregated per contact in sorted order so an export
// is deterministic. Contacts are ordered by id (UUID v7: creation order).
const QUERY: &str = "
    SELECT c.id, c.first_name, c.last_name, c.email, c.phone, c.company, c.city, c.region,
           c.country, c.revenue_minor, c.revenue_currency, c.email_status, c.sms_status,
           c.email_consent_at, c.email_consent_source, c.email_consent_method,
           c.sms_consent_at, c.sms_consent_source, c.sms_consent_method,
           (SELECT group_concat(name, ';') FROM (
                SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                WHERE ct.contact_id = c.id ORDER BY t.name COLLATE NOCASE)) AS tags,
           (SELECT group_concat(status, ';') FROM (
                SELECT DISTINCT p.status FROM projects p
                WHERE p.contact_id = c.id ORDER BY p.status)) AS project_statuses,
           c.custom, c.created_at, c.updated_at, c.last_interaction_at
    FROM contacts c
    ORDER BY c.id";

fn instant(ms: Option<i64>) -> Option<String> {
    ms.map(|ms| from_millis(ms).to_rfc3339_opts(SecondsFormat::Millis, true))
}

fn revenue(row: &Row) -> Result<String> {
    let currency = Currency::parse(&row.revenue_currency)
        .map_err(|e| anyhow::anyhow!("stored currency of contact {}: {e}", row.id))?;
    Ok(Money::from_minor(row.revenue_minor, currency).format_major())
}

fn list(joined: Option<&str>) -> Vec<&str> {
    joined
        .map(|s| s.split(LIST_SEPARATOR).collect())
        .unwrap_or_default()
}

/// Prefixes a cell a spreadsheet would evaluate with `'`.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Writes every contact to `out`. Returns how many were written.
pub async fn export(store: &Store, format: Format, out: &mut dyn Write) -> Result<u64> {
    let mut rows = sqlx::query_as::<_, Row>(QUERY).fetch(store.pool());
    let mut written = 0_u64;
    match format {
        Format::Csv => {
            let mut w = csv::WriterBuilder::new().from_writer(&mut *out);
            w.write_record(COLUMNS).context("writing the CSV header")?;
            while let Some(row) = rows.try_next().await.context("reading contacts")? {
                let cells = csv_cells(&row)?;
                w.write_record(cells.iter().map(|c| neutralise(c).into_owned()))
                    .context("writing a CSV row")?;
                written += 1;
            }
            w.flush().context("flushing the export")?;
        }
        Format::Jsonl => {
            while let Some(row) = rows.try_next().await.context("reading contacts")? {
                let line = serde_json::to_string(&json_object(&row)?).context("encoding JSON")?;
                writeln!(out, "{line}").context("writing a JSON line")?;
                written += 1;
            }
        }
    }
    Ok(written)
}

fn csv_cells(row: &Row) -> Result<Vec<String>> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    Ok(vec![
        row.id.to_string(),
        opt(&row.first_name),
        opt(&row.last_name),
        opt(&row.email),
        opt(&row.phone),
        opt(&row.company),
        opt(&row.city),
        opt(&row.region),
        opt(&row.country),
        revenue(row)?,
        row.revenue_currency.clone(),
        row.email_status.clone(),
        row.sms_status.clone(),
        instant(row.email_consent_at).unwrap_or_default(),
        opt(&row.email_consent_source),
        opt(&row.email_consent_method),
        instant(row.sms_consent_at).unwrap_or_default(),
        opt(&row.sms_consent_source),
        opt(&row.sms_consent_method),
        opt(&row.tags),
        opt(&row.project_statuses),
        row.custom.clone(),
        instant(Some(row.created_at)).unwrap_or_default(),
        instant(Some(row.updated_at)).unwrap_or_default(),
        instant(row.last_interaction_at).unwrap_or_default(),
    ])
}

fn json_object(row: &Row) -> Result<Value> {
    let custom = CustomFields::from_json_str(&row.custom)
        .map_err(|e| anyhow::anyhow!("stored custom fields of contact {}: {e}", row.id))?;
    let mut obj = Map::new();
    obj.insert("id".into(), json!(row.id.to_string()));
    obj.insert("first_name".into(), json!(row.first_name));
    obj.insert("last_name".into(), json!(row.last_name));
    obj.insert("email".into(), json!(row.email));
    obj.insert("phone".into(), json!(row.phone));
    obj.insert("company".into(), json!(row.company));
    obj.insert("city".into(), json!(row.city));
    obj.insert("region".into(), json!(row.region));
    obj.insert("country".into(), json!(row.country));
    obj.insert("revenue".into(), json!(revenue(row)?));
    obj.insert("revenue_currency".into(), json!(row.revenue_currency));
    obj.insert("email_status".into(), json!(row.email_status));
    obj.insert("sms_status".into(), json!(row.sms_status));
    obj.insert(
        "email_consent_at".into(),
        json!(instant(row.email_consent_at)),
    );
    obj.insert(
        "email_consent_source".into(),
        json!(row.email_consent_source),
    );
    obj.insert(
        "email_consent_method".into(),
        json!(row.email_consent_method),
    );
    obj.insert("sms_consent_at".into(), json!(instant(row.sms_consent_at)));
    obj.insert("sms_consent_source".into(), json!(row.sms_consent_source));
    obj.insert("sms_consent_method".into(), json!(row.sms_consent_method));
    obj.insert("tags".into(), json!(list(row.tags.as_deref())));
    obj.insert(
        "project_statuses".into(),
        json!(list(row.project_statuses.as_deref())),
    );
    obj.insert(
        "custom".into(),
        serde_json::to_value(&custom).context("encoding custom fields")?,
    );
    obj.insert("created_at".into(), json!(instant(Some(row.created_at))));
    obj.insert("updated_at".into(), json!(instant(Some(row.updated_at))));
    obj.insert(
        "last_interaction_at".into(),
        json!(instant(row.last_interaction_at)),
    );
    Ok(Value::Object(obj))
}
