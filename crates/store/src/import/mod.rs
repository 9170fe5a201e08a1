//! CSV import of contacts from real-world exports (Mailchimp, HubSpot, Google
//! Contacts, Excel).
//!
//! The pipeline: [`decode`] sniffs the encoding and the delimiter, [`columns`]
//! maps headers to fields, [`row`] parses each record into typed values (or
//! the reasons it is bad), and [`writer`] upserts good rows in batches inside
//! one write transaction, so a failure part-way leaves the workspace exactly
//! as it was. `dry_run` runs the same transaction and rolls it back.

mod bulk;
mod columns;
mod decode;
mod preview;
mod row;
mod writer;

use std::collections::HashMap;
use std::io::Read;

use herald_core::{CountryCode, Currency};
use serde::Serialize;

pub use columns::{Field, MappingError};
pub use decode::Encoding;
pub use preview::{preview, Preview};
pub use row::parse_instant;

use crate::{Result, Store};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Explicit `CSV header -> field` mappings, overriding detection. The
    /// header is matched case-insensitively; the field is a name such as
    /// `email`, `first_name`, `custom.plan` or `ignore`.
    pub mappings: Vec<(String, String)>,
    /// Drop unrecognised columns instead of keeping them as custom fields.
    pub ignore_unknown: bool,
    /// A tag added to every imported row.
    pub tags: Vec<String>,
    /// Records consent (source = this, method = "import") for every imported
    /// contact whose status on a channel is subscribed and who has no consent
    /// recorded on it yet.
    pub consent_source: Option<String>,
    /// Validates everything and reports, writing nothing.
    pub dry_run: bool,
    /// Region for phone numbers without a country code; defaults to the
    /// workspace setting.
    pub default_region: Option<CountryCode>,
    /// Currency for revenue without a currency column; defaults to the
    /// workspace setting.
    pub default_currency: Option<Currency>,
}

/// One bad row, or one bad cell of a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// 1-based line in the file where the record starts (the header is line 1).
    pub line: u64,
    /// The CSV header of the offending column; `*` for the whole row.
    pub column: String,
    pub reason: String,
}

/// A row that described a contact an earlier row of the same file already
/// described; the two were merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duplicate {
    pub line: u64,
    pub first_line: u64,
}

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// New contacts created.
    pub imported: u64,
    /// Existing contacts changed.
    pub updated: u64,
    /// Existing contacts matched whose data was already identical.
    pub unchanged: u64,
    /// Bad rows, not imported.
    pub skipped: u64,
    /// Rows merged into an earlier row of the same file.
    pub duplicates: Vec<Duplicate>,
    /// Why each skipped row was skipped (a row can have several reasons).
    pub errors: Vec<RowError>,
    /// How each CSV header was understood.
    pub columns: Vec<ColumnReport>,
    pub encoding: Encoding,
    pub delimiter: char,
    pub dry_run: bool,
}

/// How one header was mapped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnReport {
    pub header: String,
    pub field: String,
}

/// Called with (bytes read so far, rows read so far) after every batch.
pub type Progress<'a> = &'a mut (dyn FnMut(u64, u64) + Send);

/// Imports a CSV stream. Bad rows are reported and skipped; good rows are
/// upserted on email (else phone). A problem with the file as a whole (no
/// header, an unusable mapping) or with the database is an error and nothing
/// is written.
pub async fn import_csv<R: Read + Send>(
    store: &Store,
    input: R,
    options: &ImportOptions,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let default_region = match options.default_region {
        Some(region) => Some(region),
        None => crate::settings::default_region(store).await?,
    };
    let default_currency = match options.default_currency {
        Some(c) => c,
        None => crate::settings::default_currency(store).await?,
    };
    let decoded = decode::open(input)?;
    let lines = decoded.lines.clone();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(decoded.delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(decoded.reader);
    let headers = reader
        .byte_headers()
        .map_err(|e| {
            crate::StoreError::validation("file", format!("cannot read the header row: {e}"))
        })?
        .clone();
    let headers: Vec<String> = headers
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_owned())
        .collect();
    // Checked here, where the user's own spelling of the header is known.
    if let Some((missing, _)) = options.mappings.iter().find(|(h, _)| {
        let wanted = h.trim().to_lowercase();
        !headers.iter().any(|header| header.to_lowercase() == wanted)
    }) {
        return Err(crate::StoreError::validation(
            "map",
            MappingError::UnknownHeader(missing.trim().to_owned()).to_string(),
        ));
    }
    let overrides: HashMap<String, String> = options
        .mappings
        .iter()
        .map(|(h, f)| (h.trim().to_lowercase(), f.trim().to_owned()))
        .collect();
    let mapping = columns::Mapping::build(&headers, &overrides, options.ignore_unknown)
        .map_err(|e| crate::StoreError::validation("map", e.to_string()))?;
    let extra_tags = options
        .tags
        .iter()
        .map(|t| crate::tags::clean_name(t))
        .collect::<Result<Vec<_>>>()?;
    let parser = row::RowParser {
        mapping: &mapping,
        default_region,
        default_currency,
        extra_tags,
    };
    let mut report = ImportReport {
        columns: mapping.report(),
        encoding: decoded.encoding,
        delimiter: char::from(decoded.delimiter),
        dry_run: options.dry_run,
        ..ImportReport::default()
    };
    writer::run(
        store,
        &mut reader,
        &lines,
        &parser,
        options,
        &mut report,
        progress,
    )
    .await?;
    Ok(report)
}
