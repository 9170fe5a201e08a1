//! The relay: the one part of Herald on the public internet.
//!
//! It receives open pixels, click redirects, one-click unsubscribes and
//! provider webhooks while the team's laptops are closed, stores every
//! accepted hit durably before answering, and hands the events to the
//! desktop app, which pulls them with a bearer token. It knows nothing about
//! contacts: tokens carry ids, never addresses. The wire contract is in
//! `docs/relay.md`.

pub mod event;
pub mod webhooks;
