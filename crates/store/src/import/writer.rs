//! Upserting parsed rows, a batch at a time, inside one write transaction.
//!
//! For each batch the writer loads every stored contact the batch's emails,
//! phones and ids point at (three indexed `IN` lookups), merges rows into
//! them in memory in file order, and then writes only what changed: multi-row
//! INSERTs for new contacts, one UPDATE per changed contact, multi-row INSERTs
//! for tag links and consent-ledger rows. Nothing is committed until the last
//! batch is written, so an error anywhere leaves the workspace untouched.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};
use std::io::Read;

use anyhow::Context;
use herald_core::{Channel, ConsentAction, Currency, CustomFields, EmailStatus, Money, SmsStatus};
use sqlx::{Connection, FromRow, QueryBuilder, Sqlite, SqliteConnection};
use uuid::Uuid;

use super::bulk::BulkLoad;
use super::decode::LineIndex;
use super::row::{ParsedRow, RowConsent, RowParser};
use super::{Duplicate, ImportOptions, ImportReport, Progress, RowError};
use crate::{generation, now_millis, Result, Store};

/// Rows merged and written together. Large enough to amortise statement
/// overhead, small enough that a batch's lookups stay cheap.
const BATCH_ROWS: usize = 1000;
/// SQLite allows 32766 bound parameters per statement; stay well below.
const MAX_PARAMS: usize = 30_000;
const IMPORT: &str = "import";

/// A contact as the writer sees it: the stored columns it may change.
#[derive(Debug, Clone, PartialEq, FromRow)]
struct Stored {
    id: Uuid,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    company: Option<String>,
    city: Option<String>,
    region: Option<String>,
    country: Option<String>,
    created_at: i64,
    revenue_minor: i64,
    revenue_currency: String,
    #[sqlx(try_from = "String")]
    custom: CustomJson,
    email_status: String,
    sms_status: String,
    email_consent_at: Option<i64>,
    email_consent_source: Option<String>,
    email_consent_method: Option<String>,
    sms_consent_at: Option<i64>,
    sms_consent_source: Option<String>,
    sms_consent_method: Option<String>,
    #[sqlx(skip)]
    tags: BTreeSet<Uuid>,
}

const STORED_COLUMNS: &str = "id, first_name, last_name, email, phone, company, city, region, \
    country, created_at, revenue_minor, revenue_currency, custom, email_status, sms_status, \
    email_consent_at, email_consent_source, email_consent_method, \
    sms_consent_at, sms_consent_source, sms_consent_method";
const STORED_COUNT: usize = 21;

/// The custom-fields column, parsed, so that equal objects compare equal
/// whatever their key order in storage.
#[derive(Debug, Clone, PartialEq, Default)]
struct CustomJson(CustomFields);

impl TryFrom<String> for CustomJson {
    type Error = herald_core::CustomFieldError;
    fn try_from(raw: String) -> std::result::Result<Self, Self::Error> {
        CustomFields::from_json_str(&raw).map(CustomJson)
    }
}

/// A consent-ledger row waiting to be written.
struct PendingEvent {
    contact: Uuid,
    channel: Channel,
    action: ConsentAction,
    status: String,
    source: String,
    method: String,
    at: i64,
}

/// What the import has done to one contact so far.
struct Touch {
    first_line: u64,
    is_new: bool,
    changed: bool,
}

struct Writer {
    options: ImportOptions,
    /// The option, else the workspace setting: what a new contact's revenue
    /// is counted in when its row gives none.
    default_currency: Currency,
    /// Tag ids by ASCII-lower-cased name, for every tag in the workspace.
    tag_ids: HashMap<String, Uuid>,
    /// Every contact a good row has matched or created, in this import.
    touched: HashMap<Uuid, Touch>,
    /// When the import began on a workspace without contacts: every email
    /// and phone stored since, so rows whose keys are not among them skip
    /// the lookups (`None`: every row is looked up).
    stored: Option<StoredKeys>,
    now: i64,
}

/// The emails and phones an import has stored in a workspace that had no
/// contacts when it began, as 64-bit hashes (~16 bytes each, against ~60 for
/// the strings): a key not in the set is certainly not in the workspace, so
/// its row needs no lookup; a key in it (or a hash collision) is looked up
/// as before. The whole import is one transaction, so nobody else can add
/// a contact meanwhile.
struct StoredKeys {
    hashes: HashSet<u64>,
    hasher: RandomState,
}

impl StoredKeys {
    fn new() -> StoredKeys {
        StoredKeys {
            hashes: HashSet::new(),
            hasher: RandomState::new(),
        }
    }

    fn insert(&mut self, key: &str) {
        self.hashes.insert(self.hasher.hash_one(key));
    }

    fn may_hold(&self, key: &str) -> bool {
        self.hashes.contains(&self.hasher.hash_one(key))
    }
}

/// Parses on the caller's task while a spawned task writes: on a
/// multi-threaded runtime the CPU-heavy parsing (phone numbers above all) of
/// one batch overlaps SQLite's work on the previous one. On a single-threaded
/// runtime the two simply take turns. Batches reach the writer in file order
/// through a small bounded channel, so memory stays flat.
pub(super) async fn run<R: Read>(
    store: &Store,
    reader: &mut csv::Reader<R>,
    lines: &LineIndex,
    parser: &RowParser<'_>,
    options: &ImportOptions,
    report: &mut ImportReport,
    progress: Progress<'_>,
) -> Result<()> {
    // Held by the writer task until its transaction ends: other writers are
    // told at once that an import is running instead of waiting for the lock.
    let long_write = store.long_write("an import")?;
    let pool = store.pool().clone();
    let setup = Setup {
        options: options.clone(),
        default_currency: parser.default_currency,
    };
    let (batches, incoming) = tokio::sync::mpsc::channel::<Vec<ParsedRow>>(2);
    let writing = tokio::spawn(async move {
        let _long_write = long_write;
        let mut conn = pool
            .acquire()
            .await
            .context("taking a connection for the import")?;
        // Set before the transaction, as SQLite requires: see `bulk` for why
        // an import keeps its temporary data in files. Put back whatever
        // happened, so the connection returns to the pool as it came.
        set_temp_store(&mut conn, "FILE").await?;
        let written = write_all(&mut conn, setup, incoming).await;
        let reset = set_temp_store(&mut conn, "MEMORY").await;
        let written = written?;
        reset?;
        Ok(written)
    });
    // Aborts the writer (dropping, so rolling back, its transaction) if
    // parsing fails or this future is dropped part-way.
    let writing = AbortOnDrop(Some(writing));

    let mut record = csv::ByteRecord::new();
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    let mut rows_read = 0_u64;
    let mut bytes_read = 0_u64;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(err) => {
                let line = err.position().map_or(0, csv::Position::line);
                if let csv::ErrorKind::Io(_) = err.kind() {
                    return Err(anyhow::Error::new(err)
                        .context(format!("reading the file near line {line}"))
                        .into());
                }
                report.skipped += 1;
                report.errors.push(RowError {
                    line,
                    column: "*".to_owned(),
                    reason: format!("unreadable CSV: {err}"),
                });
                continue;
            }
        }
        rows_read += 1;
        let byte = record.position().map_or(0, csv::Position::byte);
        // Not `Position::line`: see `LineIndex` for why it is wrong.
        let line = lines.line_of_record(byte);
        bytes_read = byte;
        match parser.parse(&record, line) {
            Ok(Some(row)) => batch.push(row),
            Ok(None) => {}
            Err(errors) => {
                report.skipped += 1;
                report.errors.extend(errors);
            }
        }
        if batch.len() >= BATCH_ROWS {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ROWS));
            if batches.send(full).await.is_err() {
                // The writer stopped: its error is collected below.
                break;
            }
            progress(bytes_read, rows_read);
        }
    }
    if !batch.is_empty() {
        // A send error means the writer failed; its error is collected below.
        let _ = batches.send(batch).await;
    }
    drop(batches);
    let (writer, found) = writing.join().await?;
    progress(bytes_read, rows_read);

    report.skipped += found.skipped;
    report.errors.extend(found.errors);
    // Parse errors and the writer's (phone conflicts) arrive separately;
    // readers expect them in file order. The sort is stable, so the several
    // errors of one row keep their column order.
    report.errors.sort_by_key(|e| e.line);
    report.duplicates = found.duplicates;
    report.duplicates.sort_by_key(|d| d.line);
    for touch in writer.touched.values() {
        match (touch.is_new, touch.changed) {
            (true, _) => report.imported += 1,
            (false, true) => report.updated += 1,
            (false, false) => report.unchanged += 1,
        }
    }
    Ok(())
}

/// What the writer task needs from the caller.
struct Setup {
    options: ImportOptions,
    default_currency: Currency,
}

/// The writer task's whole transaction: every batch, the bulk-load switch,
/// the data generation, and the commit (or a dry run's rollback).
async fn write_all(
    conn: &mut SqliteConnection,
    setup: Setup,
    mut incoming: tokio::sync::mpsc::Receiver<Vec<ParsedRow>>,
) -> Result<(Writer, ImportReport)> {
    let mut tx = conn
        .begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting the import's write transaction")?;
    let tag_rows: Vec<(Uuid, String)> = sqlx::query_as("SELECT id, name FROM tags")
        .fetch_all(&mut *tx)
        .await
        .context("loading tags")?;
    let empty: bool = sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM contacts)")
        .fetch_one(&mut *tx)
        .await
        .context("checking for contacts")?;
    let dry_run = setup.options.dry_run;
    let mut writer = Writer {
        options: setup.options,
        default_currency: setup.default_currency,
        tag_ids: tag_rows
            .into_iter()
            .map(|(id, name)| (name.to_ascii_lowercase(), id))
            .collect(),
        touched: HashMap::new(),
        stored: empty.then(StoredKeys::new),
        now: now_millis(),
    };
    let mut bulk = BulkLoad::new(&mut tx).await?;
    let mut found = ImportReport::default();
    let mut written = 0_u64;
    while let Some(mut batch) = incoming.recv().await {
        written += batch.len() as u64;
        writer.apply(&mut tx, &mut batch, &mut found).await?;
        if bulk.should_engage(written) {
            bulk.engage(&mut tx).await?;
        }
    }
    if dry_run {
        tx.rollback().await.context("rolling back a dry run")?;
    } else {
        bulk.finish(&mut tx).await?;
        if writer.touched.values().any(|t| t.is_new || t.changed) {
            generation::bump(&mut tx).await?;
        }
        tx.commit().await.context("committing the import")?;
    }
    Ok((writer, found))
}

async fn set_temp_store(conn: &mut SqliteConnection, to: &str) -> Result<()> {
    sqlx::query(&format!("PRAGMA temp_store = {to}"))
        .execute(conn)
        .await
        .with_context(|| format!("setting temp_store to {to}"))?;
    Ok(())
}

type WriterResult = Result<(Writer, ImportReport)>;

/// The writer task, aborted if it is dropped before being joined.
struct AbortOnDrop(Option<tokio::task::JoinHandle<WriterResult>>);

impl AbortOnDrop {
    async fn join(mut self) -> WriterResult {
        let handle = self.0.take().expect("joined once");
        match handle.await {
            Ok(result) => result,
            Err(e) => Err(anyhow::Error::new(e)
                .context("the import writer stopped")
                .into()),
        }
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(handle) = self.0.take() {
            handle.abort();
        }
    }
}

impl Writer {
    async fn apply(
        &mut self,
        conn: &mut SqliteConnection,
        batch: &mut Vec<ParsedRow>,
        report: &mut ImportReport,
    ) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let mut loaded = load_matches(conn, batch, self.stored.as_ref(), &self.touched).await?;
        let originals = loaded.clone();
        let mut by_email: HashMap<String, Uuid> = HashMap::new();
        let mut by_phone: HashMap<String, Uuid> = HashMap::new();
        for c in loaded.values() {
            if let Some(e) = &c.email {
                by_email.insert(e.clone(), c.id);
            }
            if let Some(p) = &c.phone {
                by_phone.insert(p.clone(), c.id);
            }
        }
        let mut created: Vec<Uuid> = Vec::new();
        let mut events: Vec<PendingEvent> = Vec::new();

        for row in batch.drain(..) {
            let email = row.email.as_ref().map(|e| e.as_str().to_owned());
            let phone = row.phone.as_ref().map(|p| p.as_str().to_owned());
            let by_e = email.as_ref().and_then(|e| by_email.get(e)).copied();
            let by_p = phone.as_ref().and_then(|p| by_phone.get(p)).copied();
            // Upsert on email, else phone. A phone that belongs to a contact
            // other than the one the email matched cannot be moved silently.
            let target = match (by_e, by_p) {
                (Some(a), Some(b)) if a != b => {
                    report.skipped += 1;
                    report.errors.push(phone_taken(&row, &loaded[&b]));
                    continue;
                }
                (Some(a), _) => Some(a),
                (None, Some(b)) if email.is_some() && loaded[&b].email.is_some() => {
                    report.skipped += 1;
                    report.errors.push(phone_taken(&row, &loaded[&b]));
                    continue;
                }
                (None, Some(b)) => Some(b),
                (None, None) => None,
            };
            let id = match target {
                Some(id) => {
                    match self.touched.get(&id) {
                        Some(first) => report.duplicates.push(Duplicate {
                            line: row.line,
                            first_line: first.first_line,
                        }),
                        None => {
                            self.touched.insert(
                                id,
                                Touch {
                                    first_line: row.line,
                                    is_new: false,
                                    changed: false,
                                },
                            );
                        }
                    }
                    id
                }
                None => {
                    let id = row
                        .id
                        .filter(|id| !loaded.contains_key(id) && !self.touched.contains_key(id))
                        .unwrap_or_else(Uuid::now_v7);
                    let blank = self.blank(id, &row);
                    loaded.insert(id, blank);
                    created.push(id);
                    self.touched.insert(
                        id,
                        Touch {
                            first_line: row.line,
                            is_new: true,
                            changed: true,
                        },
                    );
                    id
                }
            };
            let contact = loaded.get_mut(&id).expect("target was loaded or created");
            self.merge(conn, contact, &row, &mut events).await?;
            if let Some(e) = &contact.email {
                by_email.insert(e.clone(), id);
            }
            if let Some(p) = &contact.phone {
                by_phone.insert(p.clone(), id);
            }
            if let Some(stored) = &mut self.stored {
                for key in [&contact.email, &contact.phone].into_iter().flatten() {
                    stored.insert(key);
                }
            }
        }

        // Updates first, inserts after: nothing new can collide with a value
        // an update is about to release.
        let mut new_links: Vec<(Uuid, Uuid)> = Vec::new();
        for (id, contact) in &loaded {
            let before = originals.get(id);
            if let Some(before) = before {
                if before == contact {
                    continue;
                }
                update(conn, contact, self.now).await?;
                if let Some(touch) = self.touched.get_mut(id) {
                    touch.changed = true;
                }
            }
            let old_tags = before.map(|b| &b.tags);
            for tag in &contact.tags {
                if old_tags.is_none_or(|t| !t.contains(tag)) {
                    new_links.push((*id, *tag));
                }
            }
        }
        let new_rows: Vec<&Stored> = created.iter().map(|id| &loaded[id]).collect();
        insert_contacts(conn, &new_rows, self.now).await?;
        insert_links(conn, &new_links).await?;
        insert_events(conn, &events).await?;
        Ok(())
    }

    /// A new contact with nothing but its identity; [`merge`] fills it in.
    fn blank(&self, id: Uuid, row: &ParsedRow) -> Stored {
        let currency = row.revenue.map_or(self.default_currency, |m| m.currency());
        Stored {
            id,
            first_name: None,
            last_name: None,
            email: None,
            phone: None,
            company: None,
            city: None,
            region: None,
            country: None,
            created_at: row.created_at.unwrap_or(self.now),
            revenue_minor: 0,
            revenue_currency: currency.code().to_owned(),
            custom: CustomJson::default(),
            email_status: EmailStatus::Subscribed.as_str().to_owned(),
            sms_status: SmsStatus::Subscribed.as_str().to_owned(),
            email_consent_at: None,
            email_consent_source: None,
            email_consent_method: None,
            sms_consent_at: None,
            sms_consent_source: None,
            sms_consent_method: None,
            tags: BTreeSet::new(),
        }
    }

    /// Folds a row into a contact: non-empty cells overwrite, custom fields
    /// merge key by key, tags are added. Statuses only ever move away from
    /// subscribed: an import never re-subscribes someone who opted out.
    async fn merge(
        &mut self,
        conn: &mut SqliteConnection,
        c: &mut Stored,
        row: &ParsedRow,
        events: &mut Vec<PendingEvent>,
    ) -> Result<()> {
        fn set(slot: &mut Option<String>, value: &Option<String>) {
            if value.is_some() {
                slot.clone_from(value);
            }
        }
        set(&mut c.first_name, &row.first_name);
        set(&mut c.last_name, &row.last_name);
        set(&mut c.company, &row.company);
        set(&mut c.city, &row.city);
        set(&mut c.region, &row.region);
        if let Some(e) = &row.email {
            c.email = Some(e.as_str().to_owned());
        }
        if let Some(p) = &row.phone {
            c.phone = Some(p.as_str().to_owned());
        }
        if let Some(country) = row.country {
            c.country = Some(country.as_str().to_owned());
        }
        if let Some(revenue) = row.revenue {
            apply_revenue(c, revenue);
        }
        c.custom.0.merge(&row.custom);

        for name in &row.tags {
            let tag = self.tag_id(conn, name).await?;
            c.tags.insert(tag);
        }

        // A grant the row records comes before its status: a row that says
        // "consented on <date>, since unsubscribed" (Herald's own export of a
        // contact who withdrew) keeps its consent fields, as the contact it
        // was exported from did, and the ledger gets the grant and then the
        // withdrawal.
        if let Some(consent) = &row.email_consent {
            self.record_consent(c, Channel::Email, consent, events);
        }
        if let Some(consent) = &row.sms_consent {
            self.record_consent(c, Channel::Sms, consent, events);
        }
        if let Some(status) = row.email_status {
            let s = status.as_str();
            // No exception for new contacts: one starts subscribed, so a
            // subscribed row could only undo what an earlier row of this file
            // withdrew (and leave the ledger saying otherwise).
            if c.email_status != s && !status.is_sendable() {
                c.email_status = s.to_owned();
                events.push(self.event(
                    c.id,
                    Channel::Email,
                    ConsentAction::Withdrawn,
                    s,
                    IMPORT.to_owned(),
                ));
            }
        }
        if let Some(status) = row.sms_status {
            let s = status.as_str();
            let sendable = status == SmsStatus::Subscribed;
            if c.sms_status != s && !sendable {
                c.sms_status = s.to_owned();
                events.push(self.event(
                    c.id,
                    Channel::Sms,
                    ConsentAction::Withdrawn,
                    s,
                    IMPORT.to_owned(),
                ));
            }
        }
        if let Some(src) = &self.options.consent_source {
            let grant = RowConsent {
                at: Some(self.now),
                source: Some(src.clone()),
                method: Some(IMPORT.to_owned()),
            };
            if c.email.is_some() && c.email_consent_at.is_none() {
                self.record_consent(c, Channel::Email, &grant, events);
            }
            if c.phone.is_some() && c.sms_consent_at.is_none() {
                self.record_consent(c, Channel::Sms, &grant, events);
            }
        }
        Ok(())
    }

    /// Records a consent grant found on a row or given with
    /// `--consent-source`, when the contact is subscribed on that channel and
    /// the grant differs from the one already recorded.
    fn record_consent(
        &self,
        c: &mut Stored,
        channel: Channel,
        consent: &RowConsent,
        events: &mut Vec<PendingEvent>,
    ) {
        let at = consent.at.unwrap_or(self.now);
        let source = consent.source.clone().unwrap_or_else(|| IMPORT.to_owned());
        let method = consent.method.clone().unwrap_or_else(|| IMPORT.to_owned());
        let (status, slot_at, slot_source, slot_method) = match channel {
            Channel::Email => (
                &c.email_status,
                &mut c.email_consent_at,
                &mut c.email_consent_source,
                &mut c.email_consent_method,
            ),
            Channel::Sms => (
                &c.sms_status,
                &mut c.sms_consent_at,
                &mut c.sms_consent_source,
                &mut c.sms_consent_method,
            ),
        };
        let unchanged = *slot_at == Some(at)
            && slot_source.as_deref() == Some(source.as_str())
            && slot_method.as_deref() == Some(method.as_str());
        if unchanged || status != "subscribed" {
            return;
        }
        *slot_at = Some(at);
        *slot_source = Some(source.clone());
        *slot_method = Some(method.clone());
        events.push(PendingEvent {
            contact: c.id,
            channel,
            action: ConsentAction::Granted,
            status: "subscribed".to_owned(),
            source,
            method,
            at,
        });
    }

    fn event(
        &self,
        contact: Uuid,
        channel: Channel,
        action: ConsentAction,
        status: &str,
        source: String,
    ) -> PendingEvent {
        PendingEvent {
            contact,
            channel,
            action,
            status: status.to_owned(),
            source,
            method: IMPORT.to_owned(),
            at: self.now,
        }
    }

    /// The tag's id, creating the tag on first use.
    async fn tag_id(&mut self, conn: &mut SqliteConnection, name: &str) -> Result<Uuid> {
        // ASCII-only folding, as SQLite's NOCASE on tags.name does: "VIP"
        // and "vip" are one tag everywhere, "Ärger" and "ärger" are two.
        let key = name.to_ascii_lowercase();
        if let Some(id) = self.tag_ids.get(&key) {
            return Ok(*id);
        }
        let id = Uuid::now_v7();
        sqlx::query("INSERT INTO tags (id, name, created_at) VALUES (?, ?, ?)")
            .bind(id)
            .bind(name)
            .bind(self.now)
            .execute(conn)
            .await
            .context("creating a tag")?;
        self.tag_ids.insert(key, id);
        Ok(id)
    }
}

fn apply_revenue(c: &mut Stored, revenue: Money) {
    c.revenue_minor = revenue.minor();
    c.revenue_currency = revenue.currency().code().to_owned();
}

fn phone_taken(row: &ParsedRow, owner: &Stored) -> RowError {
    let phone = row.phone.as_ref().map(|p| p.as_str()).unwrap_or_default();
    let owner_name = owner
        .email
        .clone()
        .unwrap_or_else(|| format!("contact {}", owner.id));
    RowError {
        line: row.line,
        column: "phone".to_owned(),
        reason: format!(
            "the phone number {phone} already belongs to another contact ({owner_name})"
        ),
    }
}

/// Loads every stored contact (with its tags) that a row of the batch names
/// by email, phone or id. With `stored`, a key it has never seen is not
/// looked up.
async fn load_matches(
    conn: &mut SqliteConnection,
    batch: &[ParsedRow],
    stored: Option<&StoredKeys>,
    touched: &HashMap<Uuid, Touch>,
) -> Result<HashMap<Uuid, Stored>> {
    let may_be_stored = |key: &str| stored.is_none_or(|s| s.may_hold(key));
    let emails: Vec<String> = batch
        .iter()
        .filter_map(|r| r.email.as_ref().map(|e| e.as_str()))
        .filter(|e| may_be_stored(e))
        .map(str::to_owned)
        .collect();
    let phones: Vec<String> = batch
        .iter()
        .filter_map(|r| r.phone.as_ref().map(|p| p.as_str()))
        .filter(|p| may_be_stored(p))
        .map(str::to_owned)
        .collect();
    // In a workspace that began empty, every stored id was made by this
    // import, so it is among the contacts it touched.
    let ids: Vec<Uuid> = batch
        .iter()
        .filter_map(|r| r.id)
        .filter(|id| stored.is_none() || touched.contains_key(id))
        .collect();
    let mut found: HashMap<Uuid, Stored> = HashMap::new();
    for (column, values) in [("email", &emails), ("phone", &phones)] {
        for chunk in values.chunks(MAX_PARAMS) {
            let mut q = QueryBuilder::<Sqlite>::new(format!(
                "SELECT {STORED_COLUMNS} FROM contacts WHERE {column} IN "
            ));
            q.push_tuples(chunk, |mut b, v| {
                b.push_bind(v);
            });
            let rows: Vec<Stored> = q
                .build_query_as()
                .fetch_all(&mut *conn)
                .await
                .with_context(|| format!("looking contacts up by {column}"))?;
            for r in rows {
                found.insert(r.id, r);
            }
        }
    }
    for chunk in ids.chunks(MAX_PARAMS) {
        let mut q = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {STORED_COLUMNS} FROM contacts WHERE id IN "
        ));
        q.push_tuples(chunk, |mut b, v| {
            b.push_bind(v);
        });
        let rows: Vec<Stored> = q
            .build_query_as()
            .fetch_all(&mut *conn)
            .await
            .context("looking contacts up by id")?;
        for r in rows {
            found.entry(r.id).or_insert(r);
        }
    }
    let keys: Vec<Uuid> = found.keys().copied().collect();
    for chunk in keys.chunks(MAX_PARAMS) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "SELECT contact_id, tag_id FROM contact_tags WHERE contact_id IN ",
        );
        q.push_tuples(chunk, |mut b, v| {
            b.push_bind(v);
        });
        let links: Vec<(Uuid, Uuid)> = q
            .build_query_as()
            .fetch_all(&mut *conn)
            .await
            .context("loading tags of matched contacts")?;
        for (contact, tag) in links {
            if let Some(c) = found.get_mut(&contact) {
                c.tags.insert(tag);
            }
        }
    }
    Ok(found)
}

async fn update(conn: &mut SqliteConnection, c: &Stored, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE contacts SET first_name = ?, last_name = ?, email = ?, phone = ?, company = ?,
             city = ?, region = ?, country = ?, revenue_minor = ?, revenue_currency = ?,
             custom = ?, email_status = ?, sms_status = ?,
             email_consent_at = ?, email_consent_source = ?, email_consent_method = ?,
             sms_consent_at = ?, sms_consent_source = ?, sms_consent_method = ?,
             updated_at = ?
         WHERE id = ?",
    )
    .bind(&c.first_name)
    .bind(&c.last_name)
    .bind(&c.email)
    .bind(&c.phone)
    .bind(&c.company)
    .bind(&c.city)
    .bind(&c.region)
    .bind(&c.country)
    .bind(c.revenue_minor)
    .bind(&c.revenue_currency)
    .bind(c.custom.0.to_json_string())
    .bind(&c.email_status)
    .bind(&c.sms_status)
    .bind(c.email_consent_at)
    .bind(&c.email_consent_source)
    .bind(&c.email_consent_method)
    .bind(c.sms_consent_at)
    .bind(&c.sms_consent_source)
    .bind(&c.sms_consent_method)
    .bind(now)
    .bind(c.id)
    .execute(conn)
    .await
    .context("updating an imported contact")?;
    Ok(())
}

async fn insert_contacts(conn: &mut SqliteConnection, rows: &[&Stored], now: i64) -> Result<()> {
    for chunk in rows.chunks(MAX_PARAMS / (STORED_COUNT + 1)) {
        let mut q = QueryBuilder::<Sqlite>::new(format!(
            "INSERT INTO contacts ({STORED_COLUMNS}, updated_at) "
        ));
        q.push_values(chunk, |mut b, c| {
            b.push_bind(c.id)
                .push_bind(&c.first_name)
                .push_bind(&c.last_name)
                .push_bind(&c.email)
                .push_bind(&c.phone)
                .push_bind(&c.company)
                .push_bind(&c.city)
                .push_bind(&c.region)
                .push_bind(&c.country)
                .push_bind(c.created_at)
                .push_bind(c.revenue_minor)
                .push_bind(&c.revenue_currency)
                .push_bind(c.custom.0.to_json_string())
                .push_bind(&c.email_status)
                .push_bind(&c.sms_status)
                .push_bind(c.email_consent_at)
                .push_bind(&c.email_consent_source)
                .push_bind(&c.email_consent_method)
                .push_bind(c.sms_consent_at)
                .push_bind(&c.sms_consent_source)
                .push_bind(&c.sms_consent_method)
                .push_bind(now);
        });
        q.build()
            .execute(&mut *conn)
            .await
            .context("inserting imported contacts")?;
    }
    Ok(())
}

async fn insert_links(conn: &mut SqliteConnection, links: &[(Uuid, Uuid)]) -> Result<()> {
    for chunk in links.chunks(MAX_PARAMS / 2) {
        let mut q =
            QueryBuilder::<Sqlite>::new("INSERT OR IGNORE INTO contact_tags (contact_id, tag_id) ");
        q.push_values(chunk, |mut b, (contact, tag)| {
            b.push_bind(contact).push_bind(tag);
        });
        q.build()
            .execute(&mut *conn)
            .await
            .context("tagging imported contacts")?;
    }
    Ok(())
}

async fn insert_events(conn: &mut SqliteConnection, events: &[PendingEvent]) -> Result<()> {
    for chunk in events.chunks(MAX_PARAMS / 8) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO consent_events (id, contact_id, channel, action, status, source, method, at) ",
        );
        q.push_values(chunk, |mut b, e| {
            b.push_bind(Uuid::now_v7())
                .push_bind(e.contact)
                .push_bind(e.channel.as_str())
                .push_bind(e.action.as_str())
                .push_bind(&e.status)
                .push_bind(&e.source)
                .push_bind(&e.method)
                .push_bind(e.at);
        });
        q.build()
            .execute(&mut *conn)
            .await
            .context("writing the consent ledger")?;
    }
    Ok(())
}
