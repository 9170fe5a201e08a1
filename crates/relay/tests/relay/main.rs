//! The relay end to end: handlers in-process through `oneshot`, the server
//! on a real socket on port 0, the store against SQLite and PostgreSQL, and
//! the real binary killed and restarted under load.

mod api;
mod bench;
mod durability;
mod helpers;
mod limits;
mod socket;
mod store;
mod tracking;
mod unsubscribe;
mod vonage_sms;
mod web_view;
mod web_view_page;
