//! The send engine: delivers a campaign's ledger through a channel, so that
//! every recipient gets the message once — never twice, never after opting
//! out — and what happened to each one is on disk.
//!
//! The engine depends on two narrow ports ([`Composer`] turns a ledger row
//! into a message, [`Messenger`] delivers it) and on the ledger in
//! herald-store. It is a step function plus a loop:
//! [`CampaignRun::step`] sends one batch and says what happened
//! ([`Outcome`]); [`CampaignRun::run`] repeats it until the campaign is
//! sent, paused, cancelled or failed. Tests drive `step`; the app and the
//! CLI run `run`.
//!
//! Exactly once. Only one process sends from a workspace at a time
//! ([`SendLock`], an OS file lock that dies with its process). Taking it
//! turns every `sending` row left by a dead process into `in_doubt`. Each
//! message is marked `sending` durably before any byte goes on the wire;
//! its outcome is marked after. Claims run a little ahead of the
//! connections (at most [`CampaignRun::window`] rows, `concurrency ×
//! claim_depth`, are `sending` at once), so a crash leaves at most that many
//! in doubt; a clean stop gives the claimed but unsent ones back. Failures are classified by how far the
//! message got ([`Delivery`]): only those that cannot have been delivered
//! are retried.
//!
//! ```no_run
//! # async fn demo(store: herald_store::Store, id: uuid::Uuid,
//! #     composer: std::sync::Arc<dyn herald_send::engine::Composer>,
//! #     messenger: std::sync::Arc<dyn herald_send::engine::Messenger>)
//! #     -> Result<(), herald_send::engine::EngineError> {
//! use herald_send::engine::{CampaignRun, RunOptions, SendLock};
//!
//! let lock = SendLock::acquire(&store).await?;          // recovers in-doubt rows
//! herald_store::campaign_runs::start(&store, id, None).await?;
//! let run = CampaignRun::new(&lock, id, composer, messenger, RunOptions::default());
//! let end = run.run().await?;
//! println!("{end:?}");
//! # Ok(()) }
//! ```

mod lock;
mod ports;
mod rate;
mod recipient;
mod run;

pub use lock::SendLock;
pub use ports::{Composer, Delivery, Messenger, Outgoing};
pub use rate::RateLimiter;
pub use run::{
    BatchReport, CampaignRun, Control, EngineError, Outcome, Refresh, RunEnd, RunOptions,
    CLAIM_DEPTH,
};
