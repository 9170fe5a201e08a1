//! One sender per workspace.

use std::fs::{File, OpenOptions};
use std::path::PathBuf;

use anyhow::Context;
use herald_store::{ledger, Store};

use super::EngineError;

/// The right to send from a workspace: an exclusive OS lock on a file
/// beside the workspace (`<workspace>.send-lock`), held until dropped. The
/// OS releases it when the process ends in any way, SIGKILL included, so a
/// lock that can be taken means no process is sending — and every ledger
/// row still `sending` was left by one that died mid-message.
#[derive(Debug)]
pub struct SendLock {
    store: Store,
    _file: File,
    path: PathBuf,
    /// How many `sending` rows taking the lock turned `in_doubt`.
    recovered: u64,
}

impl SendLock {
    /// Takes the lock and recovers interrupted sends, or says that another
    /// Herald is sending from this workspace.
    pub async fn acquire(store: &Store) -> Result<SendLock, EngineError> {
        let mut name = store.path().as_os_str().to_owned();
        name.push(".send-lock");
        let path = PathBuf::from(name);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("opening {}", path.display()))
            .map_err(EngineError::Internal)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Err(EngineError::Busy),
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(EngineError::Internal(
                    anyhow::Error::new(e).context(format!("locking {}", path.display())),
                ))
            }
        }
        let recovered = ledger::recover_in_doubt(store).await?;
        if recovered > 0 {
            tracing::warn!(
                recovered,
                "messages interrupted by a previous stop are now in doubt"
            );
        }
        Ok(SendLock {
            store: store.clone(),
            _file: file,
            path,
            recovered,
        })
    }

    /// The workspace this lock is for.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// How many interrupted sends taking the lock put in doubt.
    pub fn recovered(&self) -> u64 {
        self.recovered
    }

    /// The lock file.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }
}
