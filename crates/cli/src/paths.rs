//! Where the workspace file lives by default.
//!
//! The desktop app keeps its workspace in the OS app-data folder for its
//! bundle identifier (`app.herald.desktop`); the CLI defaults to the same
//! file so both see the same data.

use std::path::PathBuf;

pub const APP_IDENTIFIER: &str = "app.herald.desktop";
pub const WORKSPACE_FILE: &str = "workspace.sqlite3";

/// `<data dir>/app.herald.desktop/workspace.sqlite3`, e.g.
/// `~/.local/share/app.herald.desktop/workspace.sqlite3` on Linux.
pub fn default_db() -> Option<PathBuf> {
    directories::BaseDirs::new()
        .map(|dirs| dirs.data_dir().join(APP_IDENTIFIER).join(WORKSPACE_FILE))
}
