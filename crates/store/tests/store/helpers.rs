//! The harness: a real workspace file in a temporary folder, fixtures from
//! `tests/fixtures/`, and short ways to import and export.

use std::path::PathBuf;

use herald_core::{ContactId, CustomFields, CustomValue, EmailAddress, PhoneNumber};
use herald_store::consent_events::{self, ConsentEvent};
use herald_store::contacts::{self, Contact, NewContact};
use herald_store::export::{self, Format};
use herald_store::import::{self, ImportOptions, ImportReport};
use herald_store::Store;
use tempfile::TempDir;

/// A new, migrated workspace file in its own temporary folder. Keep the
/// folder alive as long as the store.
pub async fn fresh_store() -> (TempDir, Store) {
    let dir = tempfile::tempdir().expect("creating a temporary folder");
    let store = Store::open(&dir.path().join("workspace.herald"))
        .await
        .expect("opening a new workspace");
    (dir, store)
}

pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

pub fn fixture(name: &str) -> Vec<u8> {
    let path = fixture_path(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Imports CSV bytes; the store's result is returned as is.
pub async fn try_import(
    store: &Store,
    bytes: &[u8],
    options: &ImportOptions,
) -> herald_store::Result<ImportReport> {
    import::import_csv(store, bytes, options, &mut |_, _| {}).await
}

/// Imports CSV bytes that must import (bad rows are fine, a failed import is not).
pub async fn import(store: &Store, bytes: &[u8], options: &ImportOptions) -> ImportReport {
    try_import(store, bytes, options)
        .await
        .unwrap_or_else(|e| panic!("the import failed: {e:?}"))
}

/// Imports a fixture file, streamed from disk as the CLI does.
pub async fn import_fixture(store: &Store, name: &str, options: &ImportOptions) -> ImportReport {
    let file = std::fs::File::open(fixture_path(name)).expect("opening a fixture");
    import::import_csv(
        store,
        std::io::BufReader::new(file),
        options,
        &mut |_, _| {},
    )
    .await
    .unwrap_or_else(|e| panic!("importing {name} failed: {e:?}"))
}

pub fn defaults() -> ImportOptions {
    ImportOptions::default()
}

pub async fn export_string(store: &Store, format: Format) -> String {
    let mut out = Vec::new();
    export::export(store, format, &mut out)
        .await
        .expect("exporting");
    String::from_utf8(out).expect("exports are UTF-8")
}

/// The (line, column) of every error, sorted.
pub fn error_cells(report: &ImportReport) -> Vec<(u64, String)> {
    let mut cells: Vec<(u64, String)> = report
        .errors
        .iter()
        .map(|e| (e.line, e.column.clone()))
        .collect();
    cells.sort();
    cells
}

/// Shorthand for an expected (line, column) pair.
pub fn at(line: u64, column: &str) -> (u64, String) {
    (line, column.to_owned())
}

/// (imported, updated, unchanged, skipped, duplicates)
pub fn counts(report: &ImportReport) -> (u64, u64, u64, u64, usize) {
    (
        report.imported,
        report.updated,
        report.unchanged,
        report.skipped,
        report.duplicates.len(),
    )
}

pub fn email(raw: &str) -> EmailAddress {
    EmailAddress::parse(raw).expect("a valid email")
}

pub fn phone(raw: &str) -> PhoneNumber {
    PhoneNumber::parse(raw, None).expect("a valid international phone number")
}

pub async fn by_email(store: &Store, raw: &str) -> Contact {
    let id = contacts::find_by_email(store, &email(raw))
        .await
        .expect("looking up by email")
        .unwrap_or_else(|| panic!("no contact with email {raw}"));
    contacts::get(store, id).await.expect("reading a contact")
}

pub async fn by_phone(store: &Store, raw: &str) -> Contact {
    let id = contacts::find_by_phone(store, &phone(raw))
        .await
        .expect("looking up by phone")
        .unwrap_or_else(|| panic!("no contact with phone {raw}"));
    contacts::get(store, id).await.expect("reading a contact")
}

pub async fn count(store: &Store) -> i64 {
    contacts::count(store).await.expect("counting contacts")
}

pub async fn generation(store: &Store) -> i64 {
    herald_store::generation::current(store)
        .await
        .expect("reading the generation")
}

/// A contact with just an email and/or a phone.
pub fn new_contact(email_raw: Option<&str>, phone_raw: Option<&str>) -> NewContact {
    NewContact {
        email: email_raw.map(email),
        phone: phone_raw.map(phone),
        ..NewContact::default()
    }
}

pub async fn create(store: &Store, new: NewContact) -> Contact {
    contacts::create(store, new)
        .await
        .expect("creating a contact")
}

pub async fn ledger(store: &Store, id: ContactId) -> Vec<ConsentEvent> {
    consent_events::for_contact(store, id)
        .await
        .expect("reading the ledger")
}

/// (channel, action, status, source, method) of each ledger row, sorted.
pub async fn ledger_summary(store: &Store, id: ContactId) -> Vec<[String; 5]> {
    let mut rows: Vec<[String; 5]> = ledger(store, id)
        .await
        .into_iter()
        .map(|e| [e.channel, e.action, e.status, e.source, e.method])
        .collect();
    rows.sort();
    rows
}

pub fn ledger_row(
    channel: &str,
    action: &str,
    status: &str,
    source: &str,
    method: &str,
) -> [String; 5] {
    [channel, action, status, source, method].map(str::to_owned)
}

pub async fn total_ledger_rows(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM consent_events")
        .fetch_one(store.pool())
        .await
        .expect("counting ledger rows")
}

/// Builds custom fields from (key, value) pairs.
pub fn custom(pairs: &[(&str, CustomValue)]) -> CustomFields {
    let mut fields = CustomFields::new();
    for (key, value) in pairs {
        fields.insert(*key, value.clone()).expect("a valid key");
    }
    fields
}

pub fn text(raw: &str) -> CustomValue {
    CustomValue::Text(raw.to_owned())
}

pub fn int(n: i64) -> CustomValue {
    CustomValue::Number(n.into())
}

pub fn float(x: f64) -> CustomValue {
    CustomValue::Number(serde_json::Number::from_f64(x).expect("a finite number"))
}

pub fn date(raw: &str) -> CustomValue {
    CustomValue::Date(raw.parse().expect("a YYYY-MM-DD date"))
}

/// Tag names with their contact counts, alphabetically.
pub async fn tag_counts(store: &Store) -> Vec<(String, i64)> {
    herald_store::tags::list(store)
        .await
        .expect("listing tags")
        .into_iter()
        .map(|t| (t.name, t.contacts))
        .collect()
}

pub fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// Makes inserting a contact with `email` fail with the error "boom", so a
/// test can break an import part-way (`DROP TRIGGER boom` undoes it).
pub async fn rig_insert_failure(store: &Store, email: &str) {
    sqlx::query(&format!(
        "CREATE TRIGGER boom BEFORE INSERT ON contacts WHEN NEW.email = '{email}'
         BEGIN SELECT RAISE(ABORT, 'boom'); END"
    ))
    .execute(store.pool())
    .await
    .unwrap();
}
