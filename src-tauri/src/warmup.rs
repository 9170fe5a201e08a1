//! Background work a launch does once the first screen is up: building the
//! segment index (previews answer from it, SQL answers meanwhile) and the
//! analytics rollups of events from before analytics existed.
//!
//! Both read the whole workspace (one to three seconds of a core at 100k
//! contacts). Started during set-up, they ran beside the first screen's own
//! queries and rendering on a two-core machine and delayed the contact
//! list's first rows by about a second (docs/benchmarks.md, "Start-up").
//! So the UI says when its first screen is shown (`app_first_screen_shown`)
//! and the work starts then; if the UI never says so (a window that does not
//! load), it starts [`FALLBACK`] after set-up anyway.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use herald_store::Store;
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

/// How long after set-up the work starts when the UI has not asked before.
pub const FALLBACK: Duration = Duration::from_secs(8);

/// Starts the background work at most once.
#[derive(Debug, Default)]
pub struct Warmup {
    started: AtomicBool,
}

impl Warmup {
    /// Starts the work unless it has started already; tells whether this
    /// call started it. Must be called inside the async runtime.
    pub fn start(&self, store: &Store) -> bool {
        if self.started.swap(true, Ordering::SeqCst) {
            return false;
        }
        store.keep_segment_index_warm();
        let store = store.clone();
        tauri::async_runtime::spawn(async move {
            if let Err(e) = herald_store::analytics::ensure(&store).await {
                tracing::warn!("building the analytics rollups: {e}");
            }
        });
        true
    }

    #[cfg(test)]
    pub fn started(&self) -> bool {
        self.started.load(Ordering::SeqCst)
    }
}

/// The UI's first screen is shown: start the background work now. Async,
/// so that it runs on the runtime the work is spawned on, not on the
/// window's thread.
#[tauri::command]
pub async fn app_first_screen_shown(state: State<'_, AppState>) -> CommandResult<()> {
    if state.warmup.start(&state.store) {
        tracing::debug!("first screen shown: background work started");
    }
    Ok(())
}
