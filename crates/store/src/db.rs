//! Opening the workspace file.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::Result;

/// The migrations in the top-level `migrations/` folder, embedded at build time.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// A handle on one workspace file. Cheap to clone: it is a connection pool.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    /// The workspace file (the send engine keeps its lock file beside it).
    path: std::sync::Arc<std::path::PathBuf>,
    /// The in-memory segment index, shared by every clone of the store.
    segment_index: std::sync::Arc<crate::segments::index::Slot>,
    /// What holds the write lock for a long time right now (an import), if
    /// anything: other writers are refused at once with a message naming it,
    /// instead of waiting out the busy timeout and failing with "database is
    /// locked". Shared by every clone of the store.
    long_write: std::sync::Arc<std::sync::Mutex<Option<&'static str>>>,
}

/// Marks a long write in progress until dropped (see [`Store::long_write`]).
#[derive(Debug)]
pub(crate) struct LongWrite {
    slot: std::sync::Arc<std::sync::Mutex<Option<&'static str>>>,
}

impl Drop for LongWrite {
    fn drop(&mut self) {
        *self
            .slot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }
}

impl Store {
    /// Opens the workspace at `path`, creating it (and its folder) if missing,
    /// and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating the folder {}", dir.display()))?;
        }
        let options = SqliteConnectOptions::from_str("sqlite:")
            .context("building SQLite options")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // WAL + NORMAL is durable across application crashes; only a power
            // loss can drop the last commits, never corrupt the file.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("temp_store", "memory")
            // 8 MiB of page cache per connection (SQLite's default is 2).
            // 32 MiB cost the desktop app ~73 MB of RSS across the pool and
            // put a 1M-row import over its 300 MB budget, for 14% more
            // import speed (docs/benchmarks.md).
            .pragma("cache_size", "-8192");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .after_connect(|conn, _meta| Box::pin(crate::sql_fold::register(conn)))
            .connect_with(options)
            .await
            .with_context(|| format!("opening the workspace {}", path.display()))?;
        MIGRATOR
            .run(&pool)
            .await
            .with_context(|| format!("migrating the workspace {}", path.display()))?;
        let store = Store {
            pool,
            path: std::sync::Arc::new(path.to_path_buf()),
            segment_index: Default::default(),
            long_write: Default::default(),
        };
        // Another process may be sending (or importing) right now: its
        // writer folds its own journal, so a busy workspace is no reason
        // not to open.
        if let Err(e) = crate::ledger::journal::fold_leftovers(&store).await {
            tracing::warn!("the send ledger's journal was left unfolded: {e:#}");
        }
        Ok(store)
    }

    pub(crate) fn segment_index(&self) -> &crate::segments::index::Slot {
        &self.segment_index
    }

    /// Lets segment previews build the in-memory index in the background
    /// whenever it is missing or stale (the desktop app does; one-shot CLI
    /// commands do not, as they would exit before it is ready).
    pub fn keep_segment_index_warm(&self) {
        self.segment_index.enable();
        crate::segments::index::Slot::rebuild_in_background(self);
    }

    /// The workspace file this store opened.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The pool, for reads.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Starts a write transaction with `BEGIN IMMEDIATE`: the write lock is
    /// taken up front, so a transaction that reads before it writes cannot
    /// fail later because another writer committed in between.
    ///
    /// While a long write such as an import holds the lock, this fails at
    /// once with a conflict naming it.
    pub async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>> {
        self.refuse_during_long_write()?;
        let tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .context("starting a write transaction")?;
        Ok(tx)
    }

    /// Declares a write that will hold the lock for long (`what`, such as
    /// "an import", finishes the sentence "the workspace is busy with ...").
    /// Refused when another one is in progress.
    pub(crate) fn long_write(&self, what: &'static str) -> Result<LongWrite> {
        let mut slot = self
            .long_write
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(current) = *slot {
            return Err(busy(current));
        }
        *slot = Some(what);
        Ok(LongWrite {
            slot: self.long_write.clone(),
        })
    }

    pub(crate) fn refuse_during_long_write(&self) -> Result<()> {
        let slot = self
            .long_write
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match *slot {
            Some(current) => Err(busy(current)),
            None => Ok(()),
        }
    }

    /// Closes every connection, checkpointing the WAL.
    pub async fn close(self) {
        self.pool.close().await;
    }
}

fn busy(what: &str) -> crate::StoreError {
    crate::StoreError::Conflict(format!(
        "the workspace is busy with {what}; nothing was changed. Try again when it has finished"
    ))
}
