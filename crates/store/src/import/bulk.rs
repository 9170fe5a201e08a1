//! Bulk-load mode for big imports: secondary indexes dropped part-way and
//! rebuilt once at the end.
//!
//! Every new contact costs a random insert into each of the contacts table's
//! secondary indexes (eight of them, for segment filters and list sorts) plus
//! the tag-join and consent-ledger indexes. For a big import that is most of
//! SQLite's work, and it gets slower as the indexes outgrow the page cache.
//! Building an index afterwards from a sorted scan is far cheaper than a
//! million random inserts (docs/benchmarks.md).
//!
//! The switch is adaptive, so nobody has to guess a file's row count up
//! front: once an import has written [`MIN_ROWS`] rows *and* at least half as
//! many as the workspace held when it started, the rest of it is going to be
//! big relative to what a rebuild costs, and [`BulkLoad::engage`] drops the
//! indexes. [`BulkLoad::finish`] recreates them from their own `CREATE INDEX`
//! statements, read back from `sqlite_master` before the drop, so the list
//! can never drift from the migrations. Both happen inside the import's one
//! transaction: DDL is transactional in SQLite, so a failed or dry-run import
//! rolls the drop back with everything else, and readers on other
//! connections keep seeing the old indexes until the commit.
//!
//! UNIQUE constraints (email, phone, ids) are never dropped: the import looks
//! contacts up through them, and they are what keeps the data right.

use anyhow::Context;
use sqlx::SqliteConnection;

use crate::Result;

/// Below this many written rows an import never switches: a rebuild of the
/// whole workspace's indexes would cost more than it saves.
pub(super) const MIN_ROWS: u64 = 20_000;

/// Tables whose secondary indexes are dropped during a bulk load.
const TABLES: &str = "'contacts', 'contact_tags', 'consent_events'";

#[derive(Debug)]
pub(super) struct BulkLoad {
    /// Contacts in the workspace when the import started.
    existing: u64,
    /// `(name, CREATE INDEX ...)` of every dropped index, once engaged.
    dropped: Option<Vec<(String, String)>>,
}

impl BulkLoad {
    pub(super) async fn new(conn: &mut SqliteConnection) -> Result<Self> {
        let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contacts")
            .fetch_one(&mut *conn)
            .await
            .context("counting contacts before the import")?;
        Ok(BulkLoad {
            existing: u64::try_from(existing).unwrap_or(0),
            dropped: None,
        })
    }

    /// Whether an import that has written `rows` rows should switch now.
    pub(super) fn should_engage(&self, rows: u64) -> bool {
        self.dropped.is_none() && rows >= MIN_ROWS && rows.saturating_mul(2) >= self.existing
    }

    /// Drops the secondary indexes, remembering how to build them again.
    pub(super) async fn engage(&mut self, conn: &mut SqliteConnection) -> Result<()> {
        let indexes: Vec<(String, String)> = sqlx::query_as(&format!(
            // `sql IS NULL` are the automatic indexes behind UNIQUE and
            // PRIMARY KEY constraints: those stay.
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({TABLES})
             ORDER BY name"
        ))
        .fetch_all(&mut *conn)
        .await
        .context("reading the index definitions")?;
        for (name, _) in &indexes {
            sqlx::query(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))
                .execute(&mut *conn)
                .await
                .with_context(|| format!("dropping the index {name} for a bulk import"))?;
        }
        self.dropped = Some(indexes);
        Ok(())
    }

    /// Rebuilds what [`engage`](Self::engage) dropped, before the commit.
    /// (A rolled-back import, such as a dry run, gets them back from the
    /// rollback.)
    ///
    /// `CREATE INDEX` sorts the keys of the whole table. The pool's
    /// connections keep temporary data in memory (`temp_store = MEMORY`),
    /// which would put the sorter's runs for a million contacts in RAM, ~70
    /// MB over the import's memory budget; so the import's connection keeps
    /// its temporary data in files (set by the writer, as SQLite allows that
    /// only outside a transaction).
    pub(super) async fn finish(self, conn: &mut SqliteConnection) -> Result<()> {
        for (name, sql) in self.dropped.iter().flatten() {
            sqlx::query(sql)
                .execute(&mut *conn)
                .await
                .with_context(|| format!("rebuilding the index {name} after a bulk import"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bulk(existing: u64) -> BulkLoad {
        BulkLoad {
            existing,
            dropped: None,
        }
    }

    #[test]
    fn small_imports_never_switch() {
        assert!(!bulk(0).should_engage(MIN_ROWS - 1));
        assert!(bulk(0).should_engage(MIN_ROWS));
    }

    #[test]
    fn an_import_switches_once_it_is_half_the_size_of_the_workspace() {
        assert!(!bulk(1_000_000).should_engage(499_999));
        assert!(bulk(1_000_000).should_engage(500_000));
        assert!(bulk(30_000).should_engage(MIN_ROWS));
    }

    #[test]
    fn an_engaged_load_does_not_switch_again() {
        let mut load = bulk(0);
        load.dropped = Some(Vec::new());
        assert!(!load.should_engage(MIN_ROWS * 10));
    }
}
