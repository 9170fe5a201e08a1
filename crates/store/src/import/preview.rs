//! A look at a CSV file before importing it: its encoding and delimiter, its
//! headers, the first rows, and how each column would be mapped. Reads only
//! the start of the file and writes nothing.

use std::collections::HashMap;
use std::io::Read;

use serde::Serialize;

use super::columns::{Mapping, MappingError};
use super::{decode, ColumnReport, Encoding};
use crate::{Result, StoreError};

/// What [`preview`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preview {
    pub headers: Vec<String>,
    /// Up to the requested number of records after the header, as text.
    pub sample_rows: Vec<Vec<String>>,
    /// The field each header maps to when imported without overrides
    /// (`email`, `custom.plan`, `ignore`, ...). Unlike a real import, a file
    /// without an email or phone column, or with two columns for one field,
    /// still gets a mapping here, for the user to correct.
    pub columns: Vec<ColumnReport>,
    pub encoding: Encoding,
    pub delimiter: char,
}

/// A header no real file has: it stands in for the identity column while
/// mapping a file that lacks one, so the other columns still get mapped.
const STAND_IN: &str = "\u{0}herald preview identity";

/// Reads the header and up to `rows` records from the start of `input`.
pub fn preview<R: Read + Send>(input: R, rows: usize) -> Result<Preview> {
    let decoded = decode::open(input)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(decoded.delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(decoded.reader);
    let headers: Vec<String> = reader
        .byte_headers()
        .map_err(|e| StoreError::validation("file", format!("cannot read the header row: {e}")))?
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_owned())
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(StoreError::validation(
            "file",
            "the file is empty: the first line should name the columns",
        ));
    }
    let mut sample_rows = Vec::with_capacity(rows);
    let mut record = csv::ByteRecord::new();
    while sample_rows.len() < rows {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => sample_rows.push(
                record
                    .iter()
                    .map(|cell| String::from_utf8_lossy(cell).into_owned())
                    .collect(),
            ),
            // A broken record is the import's to report, with its line.
            Err(e) if !matches!(e.kind(), csv::ErrorKind::Io(_)) => continue,
            Err(e) => {
                return Err(anyhow::Error::new(e)
                    .context("reading the start of the file")
                    .into())
            }
        }
    }
    Ok(Preview {
        columns: detect_columns(&headers),
        headers,
        sample_rows,
        encoding: decoded.encoding,
        delimiter: char::from(decoded.delimiter),
    })
}

/// Maps the headers as an import would, but never fails: a second column for
/// a field already taken is mapped to `ignore`, and a file without an email
/// or phone column is mapped as if it had one.
fn detect_columns(headers: &[String]) -> Vec<ColumnReport> {
    let mut overrides: HashMap<String, String> = HashMap::new();
    let mut with_stand_in = false;
    // Each round settles one problem; a file has finitely many headers.
    for _ in 0..=headers.len() + 1 {
        let mut candidates = headers.to_vec();
        if with_stand_in {
            candidates.push(STAND_IN.to_owned());
        }
        match Mapping::build(&candidates, &overrides, false) {
            Ok(mapping) => {
                let mut columns = mapping.report();
                columns.truncate(headers.len());
                return columns;
            }
            Err(MappingError::Twice(_, second, _)) => {
                overrides.insert(second.trim().to_lowercase(), "ignore".to_owned());
            }
            Err(MappingError::NoIdentity) if !with_stand_in => {
                with_stand_in = true;
                overrides.insert(STAND_IN.to_lowercase(), "email".to_owned());
            }
            Err(_) => break,
        }
    }
    headers
        .iter()
        .map(|header| ColumnReport {
            header: header.clone(),
            field: "ignore".to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(p: &Preview) -> Vec<(&str, &str)> {
        p.columns
            .iter()
            .map(|c| (c.header.as_str(), c.field.as_str()))
            .collect()
    }

    #[test]
    fn preview_shows_headers_first_rows_and_detected_fields() {
        let csv = "Email Address;First Name;Plan\nada@example.com;Ada;pro\nbob@example.com;Bob;free\ncy@example.com;Cy;free\n";
        let p = preview(csv.as_bytes(), 2).unwrap();
        assert_eq!(p.headers, ["Email Address", "First Name", "Plan"]);
        assert_eq!(p.sample_rows.len(), 2);
        assert_eq!(p.sample_rows[1], ["bob@example.com", "Bob", "free"]);
        assert_eq!(p.delimiter, ';');
        assert_eq!(p.encoding, Encoding::Utf8);
        assert_eq!(
            fields(&p),
            [
                ("Email Address", "email"),
                ("First Name", "first_name"),
                ("Plan", "custom.plan")
            ]
        );
    }

    #[test]
    fn a_file_without_an_identity_column_still_gets_a_mapping() {
        let p = preview("Name,Company\nAda,Acme\n".as_bytes(), 5).unwrap();
        assert_eq!(fields(&p), [("Name", "name"), ("Company", "company")]);
    }

    #[test]
    fn a_second_column_for_a_taken_field_is_ignored() {
        let p = preview("Email,E-mail,Phone\na@b.co,c@d.co,\n".as_bytes(), 5).unwrap();
        assert_eq!(
            fields(&p),
            [("Email", "email"), ("E-mail", "ignore"), ("Phone", "phone")]
        );
    }

    #[test]
    fn an_empty_file_is_a_validation_error() {
        let err = preview("".as_bytes(), 5).unwrap_err();
        assert!(matches!(err, StoreError::Validation { ref field, .. } if field == "file"));
    }
}
