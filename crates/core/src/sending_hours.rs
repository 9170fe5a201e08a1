//! Sending hours: the part of the day, in the recipient's own time zone,
//! when a marketing SMS may be sent (e.g. 08:00–21:00). A send that falls
//! outside is deferred to the next opening, never dropped.
//!
//! The window is `from` inclusive to `until` exclusive, on one calendar day
//! (`from` must be earlier than `until`; a window across midnight is not a
//! sending window anyone asks for). On daylight-saving days it follows the
//! wall clock: a window that opens at a time the clock skips (02:30 on the
//! last Sunday of March in Berlin) opens at the first instant after the gap.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use herald_core::sending_hours::{recipient_zone, SendingHours};
//! use herald_core::CountryCode;
//!
//! let hours = SendingHours::parse("08:00", "21:00")?;
//! let de = CountryCode::parse("DE")?;
//! let zone = recipient_zone(None, Some(&de), chrono_tz::UTC);
//! assert_eq!(zone, chrono_tz::Europe::Berlin);
//!
//! // 22:30 in Berlin (CET, UTC+1): wait until 08:00 the next morning.
//! let late = Utc.with_ymd_and_hms(2026, 1, 15, 21, 30, 0).unwrap();
//! let opens = Utc.with_ymd_and_hms(2026, 1, 16, 7, 0, 0).unwrap();
//! assert_eq!(hours.next_open(late, zone), Some(opens));
//! assert_eq!(hours.next_open(opens, zone), None);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::CountryCode;

mod zones;
pub use zones::zone_of_country;

/// How a time of day is written in settings and over IPC.
const FORMAT: &str = "%H:%M";

/// A daily sending window in local time; `from` is always before `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawHours", into = "RawHours")]
pub struct SendingHours {
    pub from: NaiveTime,
    pub until: NaiveTime,
}

/// Why a sending window was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SendingHoursError {
    #[error("{field}: \"{value}\" is not a time of day; write it as HH:MM, e.g. 08:00")]
    NotATime { field: &'static str, value: String },
    #[error(
        "until: {until} must be later than from ({from}); \
         a window across midnight is not supported"
    )]
    Empty { from: String, until: String },
}

impl SendingHours {
    /// Parses a window from two `HH:MM` times (24-hour clock, e.g. "08:00",
    /// "21:00"); `from` must be earlier than `until`.
    pub fn parse(from: &str, until: &str) -> Result<SendingHours, SendingHoursError> {
        let time = |field: &'static str, raw: &str| {
            NaiveTime::parse_from_str(raw.trim(), FORMAT).map_err(|_| SendingHoursError::NotATime {
                field,
                value: raw.to_owned(),
            })
        };
        let (from, until) = (time("from", from)?, time("until", until)?);
        if from >= until {
            return Err(SendingHoursError::Empty {
                from: from.format(FORMAT).to_string(),
                until: until.format(FORMAT).to_string(),
            });
        }
        Ok(SendingHours { from, until })
    }

    /// `None` when `now` is inside the window in `zone`; else the next
    /// instant the window opens there.
    pub fn next_open(&self, now: DateTime<Utc>, zone: Tz) -> Option<DateTime<Utc>> {
        let local = now.with_timezone(&zone);
        let time = local.time();
        if self.from <= time && time < self.until {
            return None;
        }
        let today = local.date_naive();
        // Today's opening if it is still ahead, else tomorrow's. When the
        // clock falls back through `from`, both passes are candidates: at
        // the second 02:10 the window opens at the second 02:30.
        [
            Some(today),
            today.succ_opt(),
            today.succ_opt().and_then(|d| d.succ_opt()),
        ]
        .into_iter()
        .flatten()
        .flat_map(|day| openings(day, self.from, zone))
        .find(|open| *open > now)
    }
}

/// The instants on `day` when the wall clock in `zone` reads `at`, in
/// order: one, two when the clock falls back through it, or, when the clock
/// skips it, the first instant after the gap (transitions fall on whole
/// minutes, and no gap is longer than a day).
fn openings(day: NaiveDate, at: NaiveTime, zone: Tz) -> Vec<DateTime<Utc>> {
    let wanted = day.and_time(at);
    (0..=24 * 60)
        .find_map(|minutes| {
            let local = zone.from_local_datetime(&(wanted + Duration::minutes(minutes)));
            let (earliest, latest) = (local.earliest()?, local.latest()?);
            let mut found = vec![earliest.with_timezone(&Utc)];
            if latest != earliest {
                found.push(latest.with_timezone(&Utc));
            }
            Some(found)
        })
        .unwrap_or_default()
}

/// The recipient's zone: `explicit` (a contact's `time_zone` custom field)
/// when it is a valid IANA name such as "America/Chicago", else the zone of
/// `country` when it has exactly one, else `fallback` (the workspace zone).
pub fn recipient_zone(explicit: Option<&str>, country: Option<&CountryCode>, fallback: Tz) -> Tz {
    explicit
        .and_then(|name| name.trim().parse::<Tz>().ok())
        .or_else(|| country.and_then(zone_of_country))
        .unwrap_or(fallback)
}

/// The settings shape: `{"from":"08:00","until":"21:00"}`.
#[derive(Serialize, Deserialize)]
struct RawHours {
    from: String,
    until: String,
}

impl TryFrom<RawHours> for SendingHours {
    type Error = SendingHoursError;
    fn try_from(raw: RawHours) -> Result<Self, Self::Error> {
        SendingHours::parse(&raw.from, &raw.until)
    }
}

impl From<SendingHours> for RawHours {
    fn from(hours: SendingHours) -> Self {
        RawHours {
            from: hours.from.format(FORMAT).to_string(),
            until: hours.until.format(FORMAT).to_string(),
        }
    }
}

#[cfg(test)]
mod tests;
