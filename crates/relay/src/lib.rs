//! The relay: the one part of Herald on the public internet.
//!
//! It receives open pixels, click redirects, one-click unsubscribes and
//! provider webhooks while the team's laptops are closed, stores every
//! accepted hit durably before answering, and hands the events to the
//! desktop app, which pulls them with a bearer token. It also serves each
//! campaign's web version, which the desktop uploads without any contact's
//! data. It knows nothing about contacts: tokens carry ids, never addresses. The wire contract, the
//! routes and deployment are in `docs/relay.md`.
//!
//! ```no_run
//! # async fn example(options: herald_relay::config::Options) -> anyhow::Result<()> {
//! use herald_relay::config::Settings;
//!
//! let settings = Settings::load(&options)?;
//! let running = herald_relay::start(settings).await?;
//! println!("listening on {}", running.addr());
//! running.stop().await; // drains in-flight requests and the store writer
//! # Ok(()) }
//! ```

pub mod bench;
pub mod classify;
pub mod config;
pub mod event;
pub mod net;
pub mod pages;
pub mod ratelimit;
mod routes;
pub mod server;
pub mod state;
pub mod store;
pub mod webhooks;

pub use routes::app;
pub use server::{serve, start, Running, ServeOptions};
pub use state::AppState;
