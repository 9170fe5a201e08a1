//! The segment benchmark's workspace: N contacts written straight into
//! SQLite, fast, with the shapes segment filters care about.
//!
//! - 50 tags with Zipf-like popularity: tag k is held by 0.4 / k^0.9 of the
//!   contacts (`tag-1` by ~40%, `tag-5` by ~9.5%, `tag-50` by ~1.2%);
//! - 20% of contacts have no interactions, the others 1-3, and their
//!   `last_interaction_at` is the latest of them (as the store keeps it);
//! - 35% have 1-2 projects over six statuses (the five defaults and
//!   "churned", added through the store's API);
//! - 60% have zero revenue; 10 countries, from US (35%) to IE (0.5%);
//! - six custom keys: plan (text), seats (number), trial_ends (date, 30% of
//!   contacts), beta (boolean), source (text), score (number);
//! - created over the last three years, evenly, so ids (UUID v7 of the
//!   creation instant) are in insertion order.
//!
//! The store creates the file (migrations) and adds the sixth status; then
//! everything goes in one write transaction with multi-row INSERTs on one
//! plain connection set up for bulk loading. The secondary indexes are
//! dropped first and rebuilt from their own SQL (read from `sqlite_master`)
//! at the end, so the result is exactly the migrations' schema; a sorted
//! index build is far cheaper than millions of random B-tree inserts. The
//! transaction bumps the data generation, like every write that changes
//! contacts.

use std::time::Instant;

use anyhow::Context;
use std::path::Path;

use herald_store::{generation, project_statuses, Store, StoreError};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::query_builder::Separated;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, QueryBuilder, Sqlite, SqliteConnection};
use uuid::Uuid;

/// Bumped whenever the generated data changes shape, so `--keep` does not
/// reuse a workspace made by another version.
pub const GENERATOR_VERSION: u32 = 2;

pub const TAG_COUNT: usize = 50;

/// The share of contacts holding tag `k` (1-based).
pub fn tag_share(k: usize) -> f64 {
    0.4 / (k as f64).powf(0.9)
}

pub fn tag_name(k: usize) -> String {
    format!("tag-{k}")
}

/// The sixth project status, beside the five defaults.
pub const EXTRA_STATUS: &str = "churned";
const STATUSES: [&str; 6] = ["lead", "active", "on_hold", "won", "lost", EXTRA_STATUS];

/// Country, currency, a city, and weight in thousandths.
const COUNTRIES: [(&str, &str, &str, u32); 10] = [
    ("US", "USD", "Austin", 350),
    ("DE", "EUR", "Berlin", 150),
    ("GB", "GBP", "London", 120),
    ("FR", "EUR", "Lyon", 100),
    ("CA", "CAD", "Toronto", 90),
    ("AU", "AUD", "Melbourne", 70),
    ("NL", "EUR", "Utrecht", 50),
    ("ES", "EUR", "Madrid", 40),
    ("JP", "JPY", "Osaka", 25),
    ("IE", "EUR", "Cork", 5),
];

const FIRST_NAMES: &[&str] = &[
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Amelia",
    "Oliver",
    "Sophia",
    "Elijah",
    "Mia",
    "Lucas",
    "Charlotte",
    "Mateo",
    "Ava",
    "Leo",
    "Isla",
    "Hugo",
    "Freya",
    "Arjun",
    "Priya",
    "Yuki",
    "Hana",
    "Lena",
    "Jonas",
    "Louis",
    "Diego",
    "Ana",
    "Aisha",
    "Omar",
    "Finn",
    "Nora",
    "Kwame",
    "Ngozi",
    "Mei",
    "Wei",
    "Sven",
    "Ingrid",
];
const LAST_NAMES: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Garcia",
    "Miller",
    "Davis",
    "Martinez",
    "Schmidt",
    "Dubois",
    "Moreau",
    "Rossi",
    "Bianchi",
    "Silva",
    "Santos",
    "Tanaka",
    "Sato",
    "Kim",
    "Patel",
    "Sharma",
    "Nguyen",
    "Kowalski",
    "Novak",
    "Jensen",
    "Larsen",
    "Okafor",
    "Mensah",
    "Chen",
    "Wang",
    "Andersson",
    "Fischer",
];
const COMPANIES: &[&str] = &[
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Hooli",
    "Vandelay Imports",
    "Pied Piper",
    "Northwind Traders",
    "Contoso",
    "Fabrikam",
];
const SOURCES: &[&str] = &["ads", "organic", "referral", "event", "partner"];
const KINDS: &[&str] = &["note", "call", "meeting", "email"];

const DAY_MS: i64 = 86_400_000;
/// Contacts were created over this many days before generation.
const CREATED_SPAN_DAYS: i64 = 3 * 365;

/// What was generated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub contacts: u64,
    pub tag_links: u64,
    pub interactions: u64,
    pub projects: u64,
}

/// A phone number that is valid for libphonenumber (San Francisco, +1 415
/// with exchanges 200-999), distinct for every `i` below 8,000,000.
pub fn phone(i: u32) -> String {
    format!("+1415{}", 2_000_000 + i)
}

struct ContactRow {
    id: Uuid,
    first: &'static str,
    last: &'static str,
    email: Option<String>,
    phone: Option<String>,
    company: &'static str,
    city: &'static str,
    country: &'static str,
    created_at: i64,
    last_interaction_at: Option<i64>,
    revenue_minor: i64,
    currency: &'static str,
    custom: String,
    email_status: &'static str,
}

struct InteractionRow {
    id: Uuid,
    contact: Uuid,
    kind: &'static str,
    at: i64,
}

struct ProjectRow {
    id: Uuid,
    contact: Uuid,
    status: &'static str,
    value_minor: i64,
    currency: &'static str,
    at: i64,
}

fn v7(ms: i64, rng: &mut ChaCha8Rng) -> Uuid {
    let mut random = [0u8; 10];
    rng.fill(&mut random);
    uuid::Builder::from_unix_timestamp_millis(ms.max(0) as u64, &random).into_uuid()
}

/// Rows waiting to be written, flushed in statements of exactly `per`
/// rows (so each statement's text, and its prepared form, is reused).
struct Pending<T> {
    head: &'static str,
    per: usize,
    rows: Vec<T>,
}

impl<T> Pending<T> {
    fn new(head: &'static str, columns: usize) -> Self {
        // SQLite allows 32,766 bound values per statement.
        let per = (30_000 / columns).min(4_000);
        Pending {
            head,
            per,
            rows: Vec::with_capacity(per * 2),
        }
    }

    async fn push(
        &mut self,
        conn: &mut SqliteConnection,
        row: T,
        bind: fn(&mut Separated<'_, '_, Sqlite, &'static str>, &T),
    ) -> anyhow::Result<()> {
        self.rows.push(row);
        if self.rows.len() >= self.per {
            self.flush(conn, bind).await?;
        }
        Ok(())
    }

    async fn flush(
        &mut self,
        conn: &mut SqliteConnection,
        bind: fn(&mut Separated<'_, '_, Sqlite, &'static str>, &T),
    ) -> anyhow::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        {
            let mut q = QueryBuilder::<Sqlite>::new(self.head);
            q.push_values(&self.rows, |mut b, row| bind(&mut b, row));
            q.build()
                .execute(&mut *conn)
                .await
                .with_context(|| format!("generating: {}", self.head.trim()))?;
        }
        self.rows.clear();
        Ok(())
    }
}

fn bind_contact(b: &mut Separated<'_, '_, Sqlite, &'static str>, c: &ContactRow) {
    b.push_bind(c.id)
        .push_bind(c.first)
        .push_bind(c.last)
        .push_bind(c.email.clone())
        .push_bind(c.phone.clone())
        .push_bind(c.company)
        .push_bind(c.city)
        .push_bind(c.country)
        .push_bind(c.created_at)
        .push_bind(c.created_at)
        .push_bind(c.last_interaction_at)
        .push_bind(c.revenue_minor)
        .push_bind(c.currency)
        .push_bind(c.custom.clone())
        .push_bind(c.email_status);
}

fn bind_tag_link(b: &mut Separated<'_, '_, Sqlite, &'static str>, link: &(Uuid, Uuid)) {
    b.push_bind(link.0).push_bind(link.1);
}

fn bind_interaction(b: &mut Separated<'_, '_, Sqlite, &'static str>, i: &InteractionRow) {
    b.push_bind(i.id)
        .push_bind(i.contact)
        .push_bind(i.kind)
        .push_bind(i.at)
        .push_bind("Bench interaction")
        .push_bind(i.at);
}

fn bind_project(b: &mut Separated<'_, '_, Sqlite, &'static str>, p: &ProjectRow) {
    b.push_bind(p.id)
        .push_bind(p.contact)
        .push_bind("Bench project")
        .push_bind(p.status)
        .push_bind(p.value_minor)
        .push_bind(p.currency)
        .push_bind(p.at)
        .push_bind(p.at);
}

/// Creates the workspace at `path` (which must not exist) and fills it with
/// `n` contacts from `seed`, relative to now.
pub async fn generate(path: &Path, n: u32, seed: u64) -> anyhow::Result<Summary> {
    // The schema and the sixth status through the store, as in real use.
    let store = Store::open(path).await?;
    match project_statuses::add(&store, EXTRA_STATUS).await {
        Ok(_) | Err(StoreError::Conflict(_)) => {}
        Err(e) => return Err(e.into()),
    }
    store.close().await;

    // Then one plain connection set up for a bulk load into a new file: a
    // rollback journal instead of WAL (pages that did not exist before the
    // transaction are never journaled, so the data is written once instead
    // of into the WAL and again at the checkpoint), no foreign key checks
    // (every reference is to a generated row; a unit test checks them), a
    // big page cache and in-memory sorting for the index builds. The next
    // `Store::open` puts the file back in WAL mode.
    let options = SqliteConnectOptions::new()
        .filename(path)
        .journal_mode(SqliteJournalMode::Delete)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(false)
        .pragma("cache_size", "-1048576")
        .pragma("temp_store", "memory");
    // Leaving WAL mode needs the file to itself: the store's connections
    // may still be shutting down for a moment after `close` returns.
    let mut tries = 0;
    let mut raw = loop {
        match SqliteConnection::connect_with(&options).await {
            Ok(conn) => break conn,
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("5") && tries < 100 => {
                tries += 1;
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            Err(e) => {
                return Err(anyhow::Error::new(e)
                    .context(format!("opening {} for the bulk load", path.display())))
            }
        }
    };
    let summary = fill(&mut raw, n, seed).await?;
    raw.close()
        .await
        .context("closing the generated workspace")?;
    Ok(summary)
}

async fn fill(raw: &mut SqliteConnection, n: u32, seed: u64) -> anyhow::Result<Summary> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let now = herald_store::now_millis();
    let start = now - CREATED_SPAN_DAYS * DAY_MS;
    let step = ((CREATED_SPAN_DAYS * DAY_MS) / i64::from(n.max(1))).max(1);
    let shares: Vec<f64> = (1..=TAG_COUNT).map(tag_share).collect();
    let country_weights: u32 = COUNTRIES.iter().map(|c| c.3).sum();

    let mut tx = raw
        .begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting a write transaction")?;
    let conn: &mut SqliteConnection = &mut tx;

    let mut tag_ids = Vec::with_capacity(TAG_COUNT);
    for k in 1..=TAG_COUNT {
        let id = v7(now, &mut rng);
        sqlx::query("INSERT INTO tags (id, name, created_at) VALUES (?, ?, ?)")
            .bind(id)
            .bind(tag_name(k))
            .bind(now)
            .execute(&mut *conn)
            .await
            .context("generating tags")?;
        tag_ids.push(id);
    }

    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master
         WHERE type = 'index' AND sql IS NOT NULL
           AND tbl_name IN ('contacts', 'contact_tags', 'interactions', 'projects')",
    )
    .fetch_all(&mut *conn)
    .await
    .context("reading the index definitions")?;
    for (name, _) in &indexes {
        sqlx::query(&format!("DROP INDEX \"{name}\""))
            .execute(&mut *conn)
            .await
            .with_context(|| format!("dropping the index {name} for the bulk load"))?;
    }

    let mut contacts = Pending::new(
        "INSERT INTO contacts (id, first_name, last_name, email, phone, company, city, country,
             created_at, updated_at, last_interaction_at, revenue_minor, revenue_currency, custom,
             email_status) ",
        15,
    );
    let mut links = Pending::new("INSERT INTO contact_tags (contact_id, tag_id) ", 2);
    let mut interactions = Pending::new(
        "INSERT INTO interactions (id, contact_id, kind, occurred_at, summary, created_at) ",
        6,
    );
    let mut projects = Pending::new(
        "INSERT INTO projects (id, contact_id, name, status, value_minor, value_currency,
             created_at, updated_at) ",
        8,
    );
    let mut summary = Summary::default();
    let progress_every = (n / 10).max(1);
    let started = Instant::now();

    for i in 0..n {
        let created_at = start + i64::from(i) * step + rng.gen_range(0..step);
        let id = v7(created_at, &mut rng);
        let first = *FIRST_NAMES.choose(&mut rng).expect("names");
        let last = *LAST_NAMES.choose(&mut rng).expect("names");
        let company = *COMPANIES.choose(&mut rng).expect("companies");
        let mut pick = rng.gen_range(0..country_weights);
        let &(country, currency, city, _) = COUNTRIES
            .iter()
            .find(|c| {
                if pick < c.3 {
                    true
                } else {
                    pick -= c.3;
                    false
                }
            })
            .expect("weights cover the range");
        let has_email = rng.gen_bool(0.95);
        // The number leads, zero-padded, so each address sorts after the
        // previous one: the UNIQUE index on email (which cannot be dropped
        // for the load) grows at its end instead of at random places.
        let email = has_email.then(|| {
            format!(
                "{i:08}.{}.{}@{}.example",
                first.to_lowercase(),
                last.to_lowercase(),
                company.to_lowercase().replace(' ', "")
            )
        });
        let phone = (!has_email || rng.gen_bool(0.6)).then(|| phone(i));

        for (k, share) in shares.iter().enumerate() {
            if rng.gen_bool(*share) {
                links.push(conn, (id, tag_ids[k]), bind_tag_link).await?;
                summary.tag_links += 1;
            }
        }

        let mut last_interaction_at = None;
        if rng.gen_bool(0.8) {
            for _ in 0..rng.gen_range(1..=3) {
                // Skewed to recent: most timelines have something lately.
                let u: f64 = rng.gen();
                let at = now - ((now - created_at) as f64 * u * u) as i64;
                last_interaction_at = Some(last_interaction_at.map_or(at, |l: i64| l.max(at)));
                let row = InteractionRow {
                    id: v7(at, &mut rng),
                    contact: id,
                    kind: KINDS.choose(&mut rng).expect("kinds"),
                    at,
                };
                interactions.push(conn, row, bind_interaction).await?;
                summary.interactions += 1;
            }
        }

        if rng.gen_bool(0.35) {
            for _ in 0..rng.gen_range(1..=2) {
                let row = ProjectRow {
                    id: v7(created_at, &mut rng),
                    contact: id,
                    status: STATUSES.choose(&mut rng).expect("statuses"),
                    value_minor: rng.gen_range(1..500) * 10_000,
                    currency,
                    at: created_at,
                };
                projects.push(conn, row, bind_project).await?;
                summary.projects += 1;
            }
        }

        let revenue_major: i64 = if rng.gen_bool(0.6) {
            0
        } else {
            rng.gen_range(100..100_000)
        };
        // JPY has no minor unit.
        let revenue_minor = if currency == "JPY" {
            revenue_major
        } else {
            revenue_major * 100 + rng.gen_range(0..100)
        };

        let plan = match rng.gen_range(0..100) {
            0..=39 => "free",
            40..=69 => "starter",
            70..=89 => "pro",
            _ => "enterprise",
        };
        let trial_ends = rng.gen_bool(0.3).then(|| {
            let day = now + rng.gen_range(-90..=90) * DAY_MS;
            herald_store::from_millis(day)
                .format("%Y-%m-%d")
                .to_string()
        });
        // Keys in sorted order, as herald-core writes them.
        let mut custom = format!(
            "{{\"beta\":{},\"plan\":\"{plan}\",\"score\":{:.1},\"seats\":{},\"source\":\"{}\"",
            rng.gen_bool(0.15),
            rng.gen_range(0.0..100.0f64),
            rng.gen_range(1..=500),
            SOURCES.choose(&mut rng).expect("sources"),
        );
        if let Some(day) = trial_ends {
            custom.push_str(&format!(",\"trial_ends\":\"{day}\""));
        }
        custom.push('}');

        let email_status = match rng.gen_range(0..100) {
            0..=89 => "subscribed",
            90..=96 => "unsubscribed",
            97..=98 => "bounced",
            _ => "complained",
        };
        let row = ContactRow {
            id,
            first,
            last,
            email,
            phone,
            company,
            city,
            country,
            created_at,
            last_interaction_at,
            revenue_minor,
            currency,
            custom,
            email_status,
        };
        contacts.push(conn, row, bind_contact).await?;
        summary.contacts += 1;
        if (i + 1) % progress_every == 0 {
            eprintln!(
                "  {} contacts ({:.1} s)",
                i + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    contacts.flush(conn, bind_contact).await?;
    links.flush(conn, bind_tag_link).await?;
    interactions.flush(conn, bind_interaction).await?;
    projects.flush(conn, bind_project).await?;

    eprintln!(
        "  rebuilding {} indexes ({:.1} s)",
        indexes.len(),
        started.elapsed().as_secs_f64()
    );
    for (name, sql) in &indexes {
        sqlx::query(sql)
            .execute(&mut *conn)
            .await
            .with_context(|| format!("rebuilding the index {name}"))?;
    }
    generation::bump(conn).await?;
    eprintln!("  committing ({:.1} s)", started.elapsed().as_secs_f64());
    tx.commit().await.context("committing the generated data")?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_phone_numbers_are_valid() {
        for i in [0, 1, 99_999, 1_000_000, 7_999_999] {
            let raw = phone(i);
            let parsed = herald_core::PhoneNumber::parse(&raw, None)
                .unwrap_or_else(|e| panic!("{raw}: {e}"));
            assert_eq!(parsed.as_str(), raw);
        }
    }

    #[tokio::test]
    async fn every_generated_reference_holds_and_last_interactions_agree() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.sqlite3");
        let summary = generate(&path, 1500, 3).await.unwrap();
        assert_eq!(summary.contacts, 1500);
        let store = Store::open(&path).await.unwrap();
        let broken: Vec<(String,)> =
            sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                .fetch_all(store.pool())
                .await
                .unwrap();
        assert!(broken.is_empty(), "{broken:?}");
        let disagree: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM contacts c WHERE c.last_interaction_at IS NOT
               (SELECT max(occurred_at) FROM interactions i WHERE i.contact_id = c.id)",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(disagree, 0);
        let indexes: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'contacts_name_sort'",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(indexes, 1);
        assert_eq!(generation::current(&store).await.unwrap(), 1);
        store.close().await;
    }

    #[test]
    fn the_top_tag_is_held_by_about_forty_percent() {
        assert!((tag_share(1) - 0.4).abs() < 1e-9);
        assert!(tag_share(50) > 0.01);
    }
}
