//! The types that cross IPC, as docs/ipc.md defines them. Each derives
//! `ts_rs::TS`; `bindings.rs` writes them to `ui/src/bindings/`. Fields are
//! camelCase in JSON; instants are RFC 3339 strings in UTC; money is integer
//! minor units plus an ISO 4217 code. Conversions from store types live
//! beside each type.

pub mod analytics;
pub mod campaigns;
pub mod charts;
pub mod contacts;
pub mod dashboard;
pub mod import;
pub mod notifications;
pub mod relay;
pub mod segments;
pub mod sending;
pub mod sms;
pub mod sms_settings;
#[cfg(test)]
mod tests;
pub mod workspace;

pub use contacts::{
    Channel, CheckedField, ContactDetail, ContactInput, ContactListQuery, ContactPage, FieldCheck,
    TagCount,
};
pub use import::{ImportPreview, ImportProgress, ImportRequest, ImportSummary};
pub use workspace::{DemoSummary, WorkspaceInfo};

use chrono::{DateTime, SecondsFormat, Utc};

/// An instant as the UI receives it: RFC 3339, UTC, milliseconds.
pub fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}
