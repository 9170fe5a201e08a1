//! The HTTP routes, one module per audience: tracking links, the
//! unsubscribe pages, campaigns' web versions, the desktop's API,
//! provider webhooks.

mod api;
mod common;
mod router;
pub(crate) mod tracking;
mod unsubscribe;
mod web_view;
mod webhook;

pub use router::app;
