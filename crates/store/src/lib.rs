//! Herald's workspace: one SQLite file holding contacts, their tags,
//! interactions, projects and consent ledger (later: segments, campaigns).
//!
//! [`Store::open`] creates the file if it is missing, switches it to WAL, turns
//! foreign keys on and runs the embedded migrations from the top-level
//! `migrations/` folder. Every write goes through [`Store::begin_write`], a
//! `BEGIN IMMEDIATE` transaction, so a read-then-write can never fail half-way
//! with a stale snapshot. One module per table.
//!
//! ```no_run
//! # async fn demo() -> Result<(), herald_store::StoreError> {
//! let store = herald_store::Store::open("workspace.herald".as_ref()).await?;
//! let n = herald_store::contacts::count(&store).await?;
//! println!("{n} contacts");
//! # Ok(()) }
//! ```

pub mod analytics;
pub mod campaign_attachments;
pub mod campaign_runs;
pub mod campaign_templates;
pub mod campaigns;
pub mod consent_events;
pub mod contacts;
mod db;
mod error;
pub mod export;
pub mod generation;
pub mod import;
pub mod interactions;
pub mod ledger;
pub mod notifications;
pub mod project_statuses;
pub mod projects;
pub mod relay_events;
pub mod relay_sync;
pub mod segments;
pub mod settings;
pub mod sms_help;
mod sql_fold;
pub mod start_failures;
pub mod tags;
mod time;

pub use db::Store;
pub use error::StoreError;
pub use time::{from_millis, now_millis, to_millis};

/// The result type of every fallible store call.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
