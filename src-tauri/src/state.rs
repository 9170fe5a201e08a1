//! What every command shares: the open workspace, the upload folder, the
//! workspace's secrets and its background sync with the relay.

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::Context;
use herald_send::secrets::{Keychain, Secrets};
use herald_send::sync_loop::{LoopOptions, SyncLoop};
use herald_store::Store;
use tauri::{AppHandle, Manager, Runtime};

use crate::dto::relay::SyncSummary;
use crate::sending::{Sender, SyncBeforeBatch};
use crate::uploads::Uploads;

/// The workspace file's name inside the app-data folder. The CLI's default
/// is the same file, so both see the same data.
pub const WORKSPACE_FILE: &str = "workspace.sqlite3";

/// Shared by all commands through `tauri::State`. The store is a connection
/// pool (cheap to clone, safe to share); uploads guard themselves.
#[derive(Debug)]
pub struct AppState {
    pub store: Store,
    /// The workspace file, as shown to the user.
    pub workspace: PathBuf,
    pub uploads: Uploads,
    /// The newest segment preview ticket seen (see `segments_preview`).
    pub preview_ticket: std::sync::atomic::AtomicU64,
    /// This workspace's entries in the OS keychain (in memory in tests).
    /// Every call blocks: commands make them on a blocking thread.
    pub secrets: Arc<dyn Secrets>,
    /// Pulls the relay's events while the app runs: at start, every
    /// `sync_interval`, and on "Sync now". Idle until a relay is set up.
    pub sync: Arc<SyncLoop>,
    pub sync_interval: std::time::Duration,
    /// Runs campaigns in the background and starts scheduled ones.
    pub sender: Arc<Sender>,
    /// The background work started once the first screen is shown.
    pub warmup: crate::warmup::Warmup,
    /// What the last "Sync now" did (the loop's own runs record only their
    /// time or error, in the workspace).
    last_sync: Mutex<Option<SyncSummary>>,
}

impl AppState {
    /// Opens (creating if needed) the workspace and the upload folder.
    pub async fn open<R: Runtime>(app: &AppHandle<R>, db: Option<PathBuf>) -> anyhow::Result<Self> {
        let workspace = match db {
            Some(path) => path,
            None => app
                .path()
                .app_data_dir()
                .context("finding this system's app-data folder; pass --db PATH or set HERALD_DB")?
                .join(WORKSPACE_FILE),
        };
        let uploads_dir = app
            .path()
            .app_cache_dir()
            .context("finding this system's cache folder")?
            .join("imports");
        let store = Store::open(&workspace).await?;
        crate::commands::startup::mark("store_opened");
        // The segment index and the analytics rollups are built once the
        // first screen is shown (crate::warmup).
        // Entries are keyed by the workspace's id: no keychain call yet.
        let secrets = Arc::new(Keychain::for_workspace(&store).await?);
        crate::commands::startup::mark("keychain_ready");
        tracing::info!(workspace = %workspace.display(), "workspace open");
        Ok(AppState::new(
            store,
            workspace,
            Uploads::new(uploads_dir)?,
            secrets,
            LoopOptions::default(),
        ))
    }

    /// The state over an open workspace; starts the relay sync loop, so it
    /// must be called inside the async runtime.
    pub fn new(
        store: Store,
        workspace: PathBuf,
        uploads: Uploads,
        secrets: Arc<dyn Secrets>,
        sync: LoopOptions,
    ) -> Self {
        let sync_loop = Arc::new(SyncLoop::start(store.clone(), Arc::clone(&secrets), sync));
        let sender = Sender::new(
            store.clone(),
            Arc::clone(&secrets),
            Some(Arc::new(SyncBeforeBatch(Arc::clone(&sync_loop)))),
        );
        AppState {
            sync: sync_loop,
            sync_interval: sync.interval,
            sender,
            store,
            workspace,
            uploads,
            preview_ticket: std::sync::atomic::AtomicU64::new(0),
            secrets,
            warmup: crate::warmup::Warmup::default(),
            last_sync: Mutex::new(None),
        }
    }

    pub fn last_sync(&self) -> Option<SyncSummary> {
        self.last_sync
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn set_last_sync(&self, summary: Option<SyncSummary>) {
        *self
            .last_sync
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = summary;
    }
}

/// The workspace the command line asks for: `--db PATH` (or `--db=PATH`),
/// else `HERALD_DB`, else `None` for the app-data default.
pub fn workspace_from_args(
    args: impl IntoIterator<Item = OsString>,
    env: Option<OsString>,
) -> Option<PathBuf> {
    let mut args = args.into_iter().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--db" {
            return args.next().map(PathBuf::from);
        }
        if let Some(path) = arg.to_str().and_then(|a| a.strip_prefix("--db=")) {
            return Some(PathBuf::from(path));
        }
    }
    env.filter(|v| !v.is_empty()).map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn db_argument_wins_over_the_environment() {
        let env = Some(OsString::from("/env.sqlite3"));
        assert_eq!(
            workspace_from_args(args(&["herald-desktop", "--db", "/a.sqlite3"]), env.clone()),
            Some(PathBuf::from("/a.sqlite3"))
        );
        assert_eq!(
            workspace_from_args(args(&["herald-desktop", "--db=/b.sqlite3"]), env.clone()),
            Some(PathBuf::from("/b.sqlite3"))
        );
        assert_eq!(
            workspace_from_args(args(&["herald-desktop"]), env),
            Some(PathBuf::from("/env.sqlite3"))
        );
    }

    #[test]
    fn without_either_the_default_is_used() {
        assert_eq!(workspace_from_args(args(&["herald-desktop"]), None), None);
        assert_eq!(
            workspace_from_args(args(&["herald-desktop"]), Some(OsString::new())),
            None
        );
    }
}
