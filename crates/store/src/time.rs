//! Instants are stored as INTEGER milliseconds since the Unix epoch (UTC).

use chrono::{DateTime, TimeZone, Utc};

pub fn now_millis() -> i64 {
    Utc::now().timestamp_millis()
}

pub fn to_millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// Converts a stored instant back. Values outside chrono's range cannot have
/// been written by Herald; they clamp to the epoch rather than panic.
pub fn from_millis(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}
