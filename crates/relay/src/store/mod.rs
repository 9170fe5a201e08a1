//! Durable storage of accepted events: SQLite by default, PostgreSQL when
//! several relay instances share one store.
//!
//! Every write goes through one group-commit writer task per process
//! ([`Store::write`]): handlers hand it their events and wait; it commits a
//! batch in one transaction and only then answers each waiter, so a 2xx is
//! never sent for an event that is not on disk.
//!
//! It also keeps each campaign's web version ([`WebView`], the page
//! `/v/{token}` serves): rare uploads written straight through the pool.
//!
//! ```no_run
//! # async fn example() -> Result<(), herald_relay::store::StoreError> {
//! use herald_relay::event::{EventKind, NewEvent};
//! use herald_relay::store::{Store, StoreOptions, Write};
//!
//! let store = Store::open("relay.sqlite3", StoreOptions::default()).await?;
//! store.write(Write::events(vec![NewEvent::new(EventKind::Open, chrono::Utc::now())])).await?;
//! let page = store.events(0, 100).await?;
//! store.ack(page.last().map_or(0, |e| e.seq)).await?;
//! store.shutdown().await;
//! # Ok(()) }
//! ```

mod batch;
mod handle;
mod postgres;
mod row;
mod sqlite;
mod types;
mod web_view;
mod writer;

pub use handle::{Store, StoreOptions};
pub use types::{Nonce, StoreError, StoredEvent, Write, Written};
pub use web_view::WebView;
