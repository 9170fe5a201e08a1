//! The Tauri commands, one module per area, as docs/ipc.md lists them. Each
//! is a thin adapter: parse the input with herald-core, call herald-store,
//! map the error. No SQL here.

pub mod analytics;
pub mod campaigns;
pub mod charts;
pub mod contacts;
pub mod dashboard;
pub mod email;
pub mod import;
pub mod interactions;
pub mod notifications;
pub mod projects;
pub mod relay;
pub mod segments;
pub mod sending;
pub mod sms;
pub mod sms_campaign;
pub mod startup;
pub mod tags;
pub mod workspace;
