//! Herald's send side, between the store and the front ends (the CLI and
//! the desktop app; this crate knows nothing of Tauri): secrets in the OS
//! keychain, the relay keys, the relay client, and the sync that applies
//! the relay's events to the workspace. Later: the send engine.
//!
//! ```no_run
//! # async fn demo(store: herald_store::Store) -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use herald_send::{keys, secrets::Keychain, sync};
//!
//! let keychain = Arc::new(Keychain::for_workspace(&store).await?);
//! let created = keys::create(keychain.as_ref())?;   // shown once
//! println!("{}", created.env_lines());
//! herald_store::relay_sync::set_url(&store, "https://relay.example.com").await?;
//! let client = sync::connect(&store, keychain).await?;
//! let outcome = sync::sync_once(&store, &client).await?;
//! println!("{} events applied", outcome.report.recorded);
//! # Ok(()) }
//! ```

pub mod campaign;
pub mod email;
pub mod engine;
pub mod keys;
pub mod notify;
pub mod relay;
pub mod secrets;
pub mod sms;
pub mod sync;
pub mod sync_loop;
