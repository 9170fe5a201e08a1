//! The CSV import wizard: preview, mapping, run, progress, summary.

use herald_store::import::{ColumnReport, Encoding, ImportReport, Preview};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How one CSV header is mapped: `field` is `email`, `first_name`,
/// `custom.plan`, `ignore`, ... (the names `herald contacts import --map` takes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ColumnMapping {
    pub header: String,
    pub field: String,
}

impl From<ColumnReport> for ColumnMapping {
    fn from(c: ColumnReport) -> Self {
        ColumnMapping {
            header: c.header,
            field: c.field,
        }
    }
}

/// The start of an uploaded file, and the mapping an import would use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    pub upload_id: String,
    pub file_name: String,
    pub headers: Vec<String>,
    pub sample_rows: Vec<Vec<String>>,
    /// The detected mapping, to pre-fill the wizard's mapping step.
    pub columns: Vec<ColumnMapping>,
    /// "UTF-8", "UTF-8 with BOM", "UTF-16 LE", "UTF-16 BE" or "Windows-1252".
    pub encoding: String,
    /// The delimiter character: ",", ";" or a tab.
    pub delimiter: String,
    pub total_bytes: u64,
}

impl ImportPreview {
    pub fn new(upload_id: String, file_name: String, total_bytes: u64, p: Preview) -> Self {
        ImportPreview {
            upload_id,
            file_name,
            headers: p.headers,
            sample_rows: p.sample_rows,
            columns: p.columns.into_iter().map(ColumnMapping::from).collect(),
            encoding: encoding_label(p.encoding).to_owned(),
            delimiter: p.delimiter.to_string(),
            total_bytes,
        }
    }
}

fn encoding_label(encoding: Encoding) -> &'static str {
    match encoding {
        Encoding::Utf8 => "UTF-8",
        Encoding::Utf8Bom => "UTF-8 with BOM",
        Encoding::Utf16Le => "UTF-16 LE",
        Encoding::Utf16Be => "UTF-16 BE",
        Encoding::Windows1252 => "Windows-1252",
    }
}

/// What the wizard asks to import.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportRequest {
    pub upload_id: String,
    /// The mapping to use; headers left out are detected as usual.
    pub mappings: Vec<ColumnMapping>,
    pub ignore_unknown: bool,
    /// Tags added to every imported contact.
    pub tags: Vec<String>,
    /// Records consent (method "import") with this source for subscribed
    /// contacts without recorded consent.
    pub consent_source: Option<String>,
    /// Validate and report only; nothing is saved and the upload is kept.
    pub dry_run: bool,
}

/// A row that described the same contact as an earlier row; the two merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportDuplicate {
    pub line: u64,
    pub first_line: u64,
}

/// One reason a row was skipped. `column` is the CSV header, `*` for the row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportRowError {
    pub line: u64,
    pub column: String,
    pub reason: String,
}

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    pub imported: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub skipped: u64,
    #[ts(inline)]
    pub duplicates: Vec<ImportDuplicate>,
    pub errors: Vec<ImportRowError>,
    pub dry_run: bool,
}

impl From<ImportReport> for ImportSummary {
    fn from(r: ImportReport) -> Self {
        ImportSummary {
            imported: r.imported,
            updated: r.updated,
            unchanged: r.unchanged,
            skipped: r.skipped,
            duplicates: r
                .duplicates
                .into_iter()
                .map(|d| ImportDuplicate {
                    line: d.line,
                    first_line: d.first_line,
                })
                .collect(),
            errors: r
                .errors
                .into_iter()
                .map(|e| ImportRowError {
                    line: e.line,
                    column: e.column,
                    reason: e.reason,
                })
                .collect(),
            dry_run: r.dry_run,
        }
    }
}

/// The payload of the `import-progress` event, sent a few times a second
/// while `import_run` works. `bytes` counts decoded text read so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportProgress {
    pub upload_id: String,
    pub bytes: u64,
    pub total_bytes: u64,
    pub rows: u64,
}
