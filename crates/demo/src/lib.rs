//! Herald's demo data: realistic, deterministic contacts with tags,
//! interactions, projects, revenue and custom fields, loaded through the real
//! CSV importer so that demo workspaces look exactly like imported ones; and
//! a campaign history (segments, sent campaigns and the relay events they
//! drew) so the dashboard and the analytics have something to show.
//!
//! Both front ends use it: `herald init --demo N` and the desktop app's
//! "Try with demo data" (`workspace_load_demo`). The import benchmark uses the
//! generator alone.
//!
//! ```no_run
//! # async fn demo(store: &herald_store::Store) -> anyhow::Result<()> {
//! let summary = herald_demo::load(store, 42, 500).await?;
//! println!("{} contacts", summary.contacts);
//! # Ok(()) }
//! ```

mod campaigns;
mod generate;
mod load;

pub use generate::{generate, DemoContact, CSV_HEADER};
pub use load::{load, DemoSummary};
